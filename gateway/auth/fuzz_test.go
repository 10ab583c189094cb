package auth

import (
	"errors"
	"testing"
	"time"
)

func FuzzVerify(f *testing.F) {
	valid, err := issueWith([]byte("0123456789abcdef"), 7, testApp, testSecret, testUser, time.Hour, `{"k":"v"}`, testNow)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, testUser)
	f.Add(valid, "")
	f.Add(valid[:len(valid)/2], testUser)
	f.Add("03"+valid[2:], testUser)
	f.Add("04", "")
	f.Add("", "")
	f.Add("04AAAAAGVT/xAAEAABAgMEBQYHCAkKCwwNDg8AEA==", "")

	sentinels := []error{ErrTokenInvalid, ErrTokenExpired, ErrTokenVersion, ErrAppMismatch}
	f.Fuzz(func(t *testing.T, token, user string) {
		c, err := Verify(token, testApp, testSecret, user, testNow)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Verify returned non-sentinel error %v", err)
		}
		if c.AppID != testApp {
			t.Fatalf("success with AppID %d, want %d", c.AppID, testApp)
		}
		if user != "" && c.UserID != user {
			t.Fatalf("success with UserID %q, want %q", c.UserID, user)
		}
		if !testNow.Before(c.ExpiresAt) {
			t.Fatalf("success with expired claims: %v", c.ExpiresAt)
		}
	})
}
