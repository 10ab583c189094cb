package main

import (
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/gateway/client"
)

// A server run without --dev logs neither its secret nor the tokens it checks (at debug
// level either), warns when it serves plaintext beyond loopback, and refuses a login
// without a token.
func TestServeKeepsSecretsAndWarnsOnPlaintext(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	const secret = "s3cr3t0123456789abcdef0123456789"
	node := startServe(t, "serve", "--app-id", "7", "--secret", secret, "--addr", "0.0.0.0:0",
		"--data", t.TempDir(), "--idle-trim", "0", "--log-level", "debug")
	url := strings.Replace(node.url, "[::]", "127.0.0.1", 1)
	url = strings.Replace(url, "0.0.0.0", "127.0.0.1", 1)
	tok, err := auth.Issue(7, secret, "alice", time.Hour, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := bg(10 * time.Second)
	defer cancel()
	c, err := client.Dial(ctx, url, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, "alice", "Alice", "", 0); client.Code(err) != 6000103 {
		t.Fatalf("a token-less login without --dev: %v, want 6000103", err)
	}
	if err := c.Login(ctx, "alice", "Alice", tok, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, "alice", "Alice", tok[:len(tok)-4]+"AAAA", 0); err == nil {
		t.Fatal("a second login was accepted")
	}
	_ = c.Close()
	waitFor(t, 5*time.Second, "the plaintext warning", func() bool {
		_, ok := node.loggedAfter("serving plaintext WebSocket on a non-loopback address", time.Time{})
		return ok
	})
	log := node.tail(1 << 20)
	if strings.Contains(log, secret) || strings.Contains(log, tok) || strings.Contains(log, tok[10:40]) {
		t.Fatalf("the log holds the secret or a token:\n%s", log)
	}
}
