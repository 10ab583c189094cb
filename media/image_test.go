package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	return img
}

func encJPEG(tb testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, gradient(w, h), &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	_ = binary.Write(&b, binary.BigEndian, uint32(13))
	b.WriteString("IHDR")
	b.Write(ihdr)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	return b.Bytes()
}

func TestVariants(t *testing.T) {
	cases := []struct {
		w, h                   int
		largeW, largeH, tw, th int // 0: the original is the variant
	}{
		{4000, 3000, 1280, 960, 400, 300},
		{1000, 2000, 640, 1280, 200, 400},
		{800, 600, 0, 0, 400, 300},
		{300, 200, 0, 0, 0, 0},
	}
	for _, c := range cases {
		v, err := media.MakeVariants(encJPEG(t, c.w, c.h), media.ImageLimits{})
		if err != nil {
			t.Fatal(err)
		}
		if v.Width != c.w || v.Height != c.h {
			t.Fatalf("%dx%d: dims %dx%d", c.w, c.h, v.Width, v.Height)
		}
		check := func(what string, got *media.Variant, w, h int) {
			if w == 0 {
				if got != nil {
					t.Fatalf("%dx%d: unexpected %s %dx%d", c.w, c.h, what, got.Width, got.Height)
				}
				return
			}
			if got == nil || got.Width != w || got.Height != h {
				t.Fatalf("%dx%d: %s %+v, want %dx%d", c.w, c.h, what, got, w, h)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(got.Data))
			if err != nil || cfg.Width != w || cfg.Height != h {
				t.Fatalf("%s does not decode to its size: %v", what, err)
			}
		}
		check("large", v.Large, c.largeW, c.largeH)
		check("thumbnail", v.Thumbnail, c.tw, c.th)
	}
	// PNG keeps PNG (transparency).
	var buf bytes.Buffer
	_ = png.Encode(&buf, gradient(900, 900))
	v, err := media.MakeVariants(buf.Bytes(), media.ImageLimits{})
	if err != nil || v.Thumbnail == nil || v.Thumbnail.ContentType != "image/png" {
		t.Fatalf("png thumbnail: %+v %v", v, err)
	}
}

func TestDecompressionBomb(t *testing.T) {
	for _, d := range [][2]uint32{{100000, 100000}, {20000, 10}, {8000, 8000}} {
		_, _, err := media.ImageHeader(bytes.NewReader(pngHeader(d[0], d[1])), media.ImageLimits{})
		if !errors.Is(err, media.ErrImageTooBig) {
			t.Fatalf("%v: %v", d, err)
		}
		if _, err := media.MakeVariants(pngHeader(d[0], d[1]), media.ImageLimits{}); !errors.Is(err, media.ErrImageTooBig) {
			t.Fatalf("variants of %v: %v", d, err)
		}
	}
	if _, _, err := media.ImageHeader(bytes.NewReader(pngHeader(7000, 7000)), media.ImageLimits{}); err != nil {
		t.Fatalf("49 MP refused: %v", err)
	}
	if _, _, err := media.ImageHeader(bytes.NewReader([]byte("not an image")), media.ImageLimits{}); !errors.Is(err, media.ErrImageFormat) {
		t.Fatalf("text: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for head, want := range map[string]string{
		"\xff\xd8\xff\xe0\x00\x10JFIF": "image/jpeg",
		"II*\x00\x08\x00":              "image/tiff",
		"\x00\x00\x00\x18ftypmp42":     "video/mp4",
		"\x00\x00\x00\x18ftypqt  ":     "video/quicktime",
		"\x00\x00\x00\x18ftypM4A ":     "audio/mp4",
		"ID3\x03\x00":                  "audio/mpeg",
		"#!AMR\n":                      "audio/amr",
		"\xff\xf1\x50\x80":             "audio/aac",
		"hello":                        "text/plain",
	} {
		if got := media.Sniff([]byte(head)); got != want {
			t.Errorf("%q: %s, want %s", head, got, want)
		}
	}
}

func newService(t *testing.T, now *time.Time) *media.Service {
	l, err := media.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := media.New(media.Config{Blobs: l, Store: persistence.NewMemory(), Secret: []byte("0123456789abcdef"),
		BaseURL: "http://h", SweepInterval: -1, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestSignedURLs(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newService(t, &now)
	uid := "0123456789abcdef0123456789abcdef"
	u := s.SignedURL(uid, "o", now.Add(time.Hour))
	got, v, ok := s.ParseOwnURL(u)
	if !ok || got != uid || v != "o" {
		t.Fatalf("parse own URL: %s %s %v", got, v, ok)
	}
	if _, _, ok := s.ParseOwnURL(u[:len(u)-2] + "xx"); ok {
		t.Fatal("forged signature parsed")
	}
	if _, _, ok := s.ParseOwnURL("https://example.com/media/" + uid + "/o?e=1&s=abc"); ok {
		t.Fatal("a foreign URL parsed as own")
	}
	now = now.Add(2 * time.Hour)
	if _, _, ok := s.ParseOwnURL(u); !ok {
		t.Fatal("an expired own URL is still recognised (for refresh and for messages)")
	}
	fresh, err := s.RefreshURL(u)
	if err != nil || fresh == u {
		t.Fatalf("refresh: %v", err)
	}
}

func TestResolveAndCollect(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newService(t, &now)
	ctx := context.Background()
	rec, err := s.Upload(ctx, media.UploadRequest{User: "alice", Type: media.TypeAudio, FileName: "v.mp3",
		Size: -1, Body: bytes.NewReader(append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 3000)...))})
	if err != nil {
		t.Fatal(err)
	}
	out := &messages.Message{MessageID: "m1", Type: media.TypeAudio}
	if err := s.Resolve(ctx, "alice", &messages.Message{Type: media.TypeAudio, FileUID: proto.String(rec.FileUID), AudioDuration: proto.Int32(5)}, out); err != nil {
		t.Fatal(err)
	}
	if out.GetFileSize() != rec.FileSize || out.GetAudioDuration() != 5 || out.GetFileName() != "v.mp3" {
		t.Fatalf("resolved: %v", out)
	}
	if err := s.Resolve(ctx, "alice", &messages.Message{Type: media.TypeVideo, FileUID: proto.String(rec.FileUID), VideoDuration: proto.Int32(5)}, &messages.Message{}); err != media.ErrFileType {
		t.Fatalf("audio as video: %v", err)
	}
	if err := s.Release(ctx, []*messages.Message{out}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Sweep(ctx); n != 0 {
		t.Fatal("collected before CollectAfter")
	}
	now = now.Add(25 * time.Hour)
	if n, _ := s.Sweep(ctx); n != 1 {
		t.Fatalf("collected %d", n)
	}
	if _, err := s.File(ctx, rec.FileUID); err != media.ErrFileNotExist {
		t.Fatalf("record after collection: %v", err)
	}

	// An upload no message shows is collected after UnsentAfter (7 days); one that
	// was sent stays.
	unsent, err := s.Upload(ctx, media.UploadRequest{User: "alice", Type: media.TypeFile, Size: -1, Body: bytes.NewReader([]byte("draft"))})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := s.Upload(ctx, media.UploadRequest{User: "alice", Type: media.TypeFile, Size: -1, Body: bytes.NewReader([]byte("sent"))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Resolve(ctx, "alice", &messages.Message{Type: media.TypeFile, FileUID: proto.String(sent.FileUID)}, &messages.Message{MessageID: "m2", Type: media.TypeFile}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(6 * 24 * time.Hour)
	if n, _ := s.Sweep(ctx); n != 0 {
		t.Fatalf("collected %d before UnsentAfter", n)
	}
	now = now.Add(2 * 24 * time.Hour)
	if n, _ := s.Sweep(ctx); n != 1 {
		t.Fatalf("collected %d unsent uploads, want 1", n)
	}
	if _, err := s.File(ctx, unsent.FileUID); err != media.ErrFileNotExist {
		t.Fatalf("unsent upload kept: %v", err)
	}
	if _, err := s.File(ctx, sent.FileUID); err != nil {
		t.Fatalf("sent upload collected: %v", err)
	}
}
