package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/media/mediatest"
)

// backends returns every blob backend, each fresh.
func backends(t *testing.T) map[string]func(t *testing.T) media.Blobs {
	return map[string]func(t *testing.T) media.Blobs{
		"local": func(t *testing.T) media.Blobs {
			l, err := media.OpenLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return l
		},
		"s3": func(t *testing.T) media.Blobs { return mediatest.StartFakeS3(t).Open(t) },
	}
}

// TestBlobConformance runs one suite over every backend.
func TestBlobConformance(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b := open(t)
			data := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB

			if _, err := b.Open(ctx, "f/missing/o"); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("open missing: %v", err)
			}
			if _, err := b.Stat(ctx, "f/missing/o"); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("stat missing: %v", err)
			}
			if err := b.Delete(ctx, "f/missing/o"); err != nil {
				t.Fatalf("delete missing: %v", err)
			}
			for _, bad := range []string{"", "/abs", "a/../b", "a//b", "../x", "a/.hidden", "sp ace", "a/"} {
				if err := b.Put(ctx, bad, bytes.NewReader(nil), 0, ""); err == nil {
					t.Errorf("put %q accepted", bad)
				}
			}

			// Known size, then unknown size.
			if err := b.Put(ctx, "f/a/o", bytes.NewReader(data), int64(len(data)), "application/octet-stream"); err != nil {
				t.Fatal(err)
			}
			if err := b.Put(ctx, "f/b/o", io.MultiReader(bytes.NewReader(data), strings.NewReader("x")), -1, ""); err != nil {
				t.Fatal(err)
			}
			st, err := b.Stat(ctx, "f/b/o")
			if err != nil || st.Size != int64(len(data))+1 {
				t.Fatalf("stat: %+v %v", st, err)
			}
			o, err := b.Open(ctx, "f/a/o")
			if err != nil {
				t.Fatal(err)
			}
			if o.Info().Size != int64(len(data)) {
				t.Fatalf("size %d", o.Info().Size)
			}
			got, err := io.ReadAll(o)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read back: %d bytes, %v", len(got), err)
			}
			// Random access (range requests).
			if _, err := o.Seek(1000, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 100)
			if _, err := io.ReadFull(o, part); err != nil || !bytes.Equal(part, data[1000:1100]) {
				t.Fatalf("ranged read: %v", err)
			}
			if end, err := o.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
				t.Fatalf("seek end: %d %v", end, err)
			}
			_ = o.Close()

			// Replacing is atomic and whole.
			if err := b.Put(ctx, "f/a/o", strings.NewReader("new"), 3, ""); err != nil {
				t.Fatal(err)
			}
			o, err = b.Open(ctx, "f/a/o")
			if err != nil {
				t.Fatal(err)
			}
			got, _ = io.ReadAll(o)
			_ = o.Close()
			if string(got) != "new" {
				t.Fatalf("replaced: %q", got)
			}

			// A failing reader leaves nothing, and does not harm an existing blob.
			failing := io.MultiReader(bytes.NewReader(data[:1000]), errReader{})
			if err := b.Put(ctx, "f/c/o", failing, -1, ""); err == nil {
				t.Fatal("put from a failing reader succeeded")
			}
			if _, err := b.Stat(ctx, "f/c/o"); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("failed put left a blob: %v", err)
			}
			if err := b.Put(ctx, "f/a/o", io.MultiReader(strings.NewReader("zz"), errReader{}), -1, ""); err == nil {
				t.Fatal("failing replace succeeded")
			}
			if st, err := b.Stat(ctx, "f/a/o"); err != nil || st.Size != 3 {
				t.Fatalf("failed replace harmed the blob: %+v %v", st, err)
			}
			// A short body against a declared size fails.
			if err := b.Put(ctx, "f/d/o", strings.NewReader("abc"), 10, ""); err == nil {
				t.Fatal("short body accepted")
			}

			// Larger than one multipart part (S3: 16 MiB), known and unknown length.
			large := bytes.Repeat([]byte("parley-media-blob"), (17<<20)/17+1)
			for i, size := range []int64{int64(len(large)), -1} {
				key := "f/large/" + string(rune('a'+i))
				if err := b.Put(ctx, key, bytes.NewReader(large), size, ""); err != nil {
					t.Fatalf("large put (size %d): %v", size, err)
				}
				o, err := b.Open(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(o)
				_ = o.Close()
				if err != nil || !bytes.Equal(got, large) {
					t.Fatalf("large read back (size %d): %d bytes, %v", size, len(got), err)
				}
			}

			if err := b.Delete(ctx, "f/a/o"); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Open(ctx, "f/a/o"); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("open deleted: %v", err)
			}
		})
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("client went away") }
