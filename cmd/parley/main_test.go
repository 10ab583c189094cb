package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway/auth"
)

func TestTokenCommandMintsAVerifiableToken(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	out, err := os.CreateTemp(t.TempDir(), "tok")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PARLEY_SECRET", secret) // environment fills a flag not given
	if err := token([]string{"--app-id", "42", "--user", "alice", "--ttl", "1h"}, out); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out.Name())
	tok := strings.TrimSpace(string(raw))
	claims, err := auth.Verify(tok, 42, secret, "alice", time.Now())
	if err != nil {
		t.Fatalf("minted token does not verify: %v", err)
	}
	if d := time.Until(claims.ExpiresAt); d < 59*time.Minute || d > time.Hour+time.Second {
		t.Fatalf("ttl not honoured: expires in %v", d)
	}
	if err := token([]string{"--user", "alice"}, out); err == nil {
		t.Fatal("token without --app-id must fail")
	}
}

// --group-join-mode (and PARLEY_GROUP_JOIN_MODE) takes any, auth or forbid; anything
// else stops serve before it opens a store.
func TestServeRefusesAnUnknownGroupJoinMode(t *testing.T) {
	err := serve([]string{"--dev", "--data", t.TempDir(), "--group-join-mode", "open"})
	if err == nil || !strings.Contains(err.Error(), "group-join-mode") {
		t.Fatalf("--group-join-mode open: %v", err)
	}
	t.Setenv("PARLEY_GROUP_JOIN_MODE", "sometimes")
	err = serve([]string{"--dev", "--data", t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "PARLEY_GROUP_JOIN_MODE") {
		t.Fatalf("PARLEY_GROUP_JOIN_MODE sometimes: %v", err)
	}
}
