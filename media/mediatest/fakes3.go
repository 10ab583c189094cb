// Package mediatest starts an S3-compatible server in process (gofakes3 on a loopback
// port) for tests of the S3 blob backend.
package mediatest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/parley-chat/parley/media"
)

// FakeS3 is a running in-process S3 server.
type FakeS3 struct {
	srv     *httptest.Server
	backend *s3mem.Backend
}

// StartFakeS3 starts the server; it stops when the test ends. The server and its
// objects outlive a parley node restarted on it within the test.
func StartFakeS3(t testing.TB) *FakeS3 {
	t.Helper()
	b := s3mem.New()
	f := gofakes3.New(b)
	srv := httptest.NewServer(f.Server())
	t.Cleanup(srv.Close)
	return &FakeS3{srv: srv, backend: b}
}

// Config is the S3 configuration that reaches the server (bucket "parley").
func (f *FakeS3) Config() media.S3Config {
	return media.S3Config{
		Endpoint:     f.srv.Listener.Addr().String(),
		Bucket:       "parley",
		Region:       "us-east-1",
		AccessKey:    "test",
		SecretKey:    "testsecret",
		PathStyle:    true,
		CreateBucket: true,
	}
}

// Open opens the S3 backend on the server.
func (f *FakeS3) Open(t testing.TB) *media.S3 {
	t.Helper()
	s, err := media.OpenS3(context.Background(), f.Config())
	if err != nil {
		t.Fatalf("open fake S3: %v", err)
	}
	return s
}
