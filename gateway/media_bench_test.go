package gateway_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/media"
)

func mediaBenchEnv(b *testing.B) (*env, *session) {
	l, err := media.OpenLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	e := startEnv(b, withMedia(l, func(c *media.Config) { c.DailyQuota = -1 }))
	return e, e.login("alice", false, 1)
}

// BenchmarkMediaUpload1MB: 1 MB file uploads through a real server (HTTP on loopback,
// local blob directory, Badger records), one after another.
func BenchmarkMediaUpload1MB(b *testing.B) {
	_, s := mediaBenchEnv(b)
	data := randomBytes(1<<20, 7)
	hc := &http.Client{}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.UploadMedia(ctx(b), 12, "f.bin", bytes.NewReader(data), int64(len(data)), &client.UploadOptions{HTTPClient: hc}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMediaDownload1MB: the same 1 MB file downloaded by its signed URL.
func BenchmarkMediaDownload1MB(b *testing.B) {
	_, s := mediaBenchEnv(b)
	data := randomBytes(1<<20, 8)
	up, err := s.UploadMedia(ctx(b), 12, "f.bin", bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := hc.Get(up.FileDownloadUrl)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.CopyBuffer(io.Discard, resp.Body, buf)
		resp.Body.Close()
		if n != int64(len(data)) {
			b.Fatalf("downloaded %d bytes", n)
		}
	}
}
