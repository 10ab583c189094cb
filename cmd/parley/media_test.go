package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/media/mediatest"
)

func mediaConfigFor(t *testing.T, data string, cluster bool, args ...string) (bool, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f := addMediaFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.config(context.Background(), data, "0123456789abcdef0123456789abcdef", cluster, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return cfg != nil, err
}

// TestMediaFlags: local by default next to the data directory; off by default in a
// cluster, where the local backend is refused; unknown backends refused.
func TestMediaFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	on, err := mediaConfigFor(t, data, false)
	if err != nil || !on {
		t.Fatalf("default: %v %v", on, err)
	}
	if st, err := os.Stat(data + "-media"); err != nil || !st.IsDir() {
		t.Fatalf("local media directory not made next to the data directory: %v", err)
	}
	if on, err := mediaConfigFor(t, data, true); err != nil || on {
		t.Fatalf("cluster default: %v %v", on, err)
	}
	if _, err := mediaConfigFor(t, data, true, "--media", "local"); err == nil {
		t.Fatal("local media accepted in a cluster")
	}
	if _, err := mediaConfigFor(t, data, false, "--media", "ftp"); err == nil {
		t.Fatal("unknown backend accepted")
	}
	if on, err := mediaConfigFor(t, data, false, "--media", "off"); err != nil || on {
		t.Fatalf("off: %v %v", on, err)
	}
	// S3 from flags and the environment (an in-process S3 server).
	s3 := mediatest.StartFakeS3(t).Config()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testsecret")
	if on, err := mediaConfigFor(t, data, true, "--media", "s3", "--s3-endpoint", s3.Endpoint, "--s3-bucket", "flags",
		"--s3-path-style", "--s3-secure=false", "--s3-create-bucket"); err != nil || !on {
		t.Fatalf("s3: %v %v", on, err)
	}
	if _, err := mediaConfigFor(t, data, true, "--media", "s3", "--s3-endpoint", s3.Endpoint, "--s3-bucket", "absent",
		"--s3-path-style", "--s3-secure=false"); err == nil {
		t.Fatal("a missing bucket accepted without --s3-create-bucket")
	}
}
