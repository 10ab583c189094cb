package gateway_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/media/mediatest"
	m "github.com/parley-chat/parley/messages"
)

const mediaSecret = "media-test-secret-0123456789"

// mediaBackends opens each blob backend for a test: local (a directory) and S3 (an
// in-process S3 server on loopback that outlives node restarts).
func mediaBackends() map[string]func(t *testing.T) media.Blobs {
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

func withMedia(blobs media.Blobs, f func(*media.Config)) envOption {
	return withGateway(func(c *gateway.Config) {
		c.Media = &media.Config{Blobs: blobs, Secret: []byte(mediaSecret), SweepInterval: -1}
		if f != nil {
			f(c.Media)
		}
	})
}

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a valid PNG header declaring a side*side canvas, with a few bytes of data.
func bombPNG(side uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], side)
	binary.BigEndian.PutUint32(ihdr[4:], side)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func mustUpload(t *testing.T, s *session, typ int32, name string, data []byte, opt *client.UploadOptions) *client.UploadResult {
	t.Helper()
	res, err := s.UploadMedia(ctx(t), typ, name, bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return res
}

func download(t *testing.T, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodGet, u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func wantHTTPCode(t *testing.T, resp *http.Response, body []byte, status int, code int32) {
	t.Helper()
	if resp.StatusCode != status || !bytes.Contains(body, []byte(`"code":`+itoa(int(code)))) {
		t.Fatalf("got HTTP %d %s, want %d with code %d", resp.StatusCode, body, status, code)
	}
}

func imageDims(t *testing.T, data []byte) (int, int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	return cfg.Width, cfg.Height
}

// TestMediaEndToEnd: on each backend, through a real server: upload, send, the
// receiver (and the sender's other device) get the media fields and download the same
// bytes; thumbnail and large image dimensions; range requests and caching headers;
// forged and expired URLs; refused sends; a restart on the same Badger directory (and
// the same blob store) keeps files and history.
func TestMediaEndToEnd(t *testing.T) {
	for name, open := range mediaBackends() {
		t.Run(name, func(t *testing.T) {
			e := startEnv(t, withMedia(open(t), nil))
			alice := e.login("alice", false, 1)
			alice2 := e.login("alice", true, 2)
			bob := e.login("bob", true, 1)
			e.registered("carol")

			// An image: 1600×1200 gives a 1280×960 large image and a 400×300 thumbnail.
			jpg := testJPEG(t, 1600, 1200)
			up := mustUpload(t, alice, 11, "photo.jpg", jpg, nil)
			if up.FileSize != int64(len(jpg)) || up.ContentType != "image/jpeg" || up.OriginalImageWidth != 1600 ||
				up.LargeImageWidth != 1280 || up.LargeImageHeight != 960 || up.ThumbnailWidth != 400 || up.ThumbnailHeight != 300 {
				t.Fatalf("upload result: %+v", up)
			}
			sent, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(up.FileUID), LocalMessageID: "img-1"}, "bob", 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			isImage := func(p proto.Message) bool {
				ev := p.(*m.ConversationMessageReceivedEvent)
				return len(ev.MessageList) == 1 && ev.MessageList[0].Type == 11
			}
			got := bob.rec.wait(t, "peerMessageReceived", isImage).(*m.ConversationMessageReceivedEvent).MessageList[0]
			other := alice2.rec.wait(t, "peerMessageReceived", isImage).(*m.ConversationMessageReceivedEvent).MessageList[0]
			for _, msg := range []*m.Message{sent, got, other} {
				if msg.GetFileUID() != up.FileUID || msg.GetFileName() != "photo.jpg" || msg.GetFileSize() != int64(len(jpg)) ||
					msg.GetOriginalImageWidth() != 1600 || msg.GetOriginalImageHeight() != 1200 || msg.GetThumbnailWidth() != 400 ||
					msg.GetLargeImageHeight() != 960 || msg.GetFileDownloadUrl() == "" || msg.GetThumbnailDownloadUrl() == "" || msg.GetLargeImageDownloadUrl() == "" {
					t.Fatalf("media fields: %v", msg)
				}
			}
			resp, body := download(t, got.GetFileDownloadUrl(), nil)
			if resp.StatusCode != 200 || !bytes.Equal(body, jpg) || resp.Header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("download: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") || resp.Header.Get("ETag") == "" {
				t.Fatalf("caching headers: %q %q", cc, resp.Header.Get("ETag"))
			}
			if resp, _ := download(t, got.GetFileDownloadUrl(), map[string]string{"If-None-Match": resp.Header.Get("ETag")}); resp.StatusCode != 304 {
				t.Fatalf("conditional request: %d", resp.StatusCode)
			}
			_, thumb := download(t, got.GetThumbnailDownloadUrl(), nil)
			if w, h := imageDims(t, thumb); w != 400 || h != 300 {
				t.Fatalf("thumbnail %dx%d", w, h)
			}
			_, large := download(t, got.GetLargeImageDownloadUrl(), nil)
			if w, h := imageDims(t, large); w != 1280 || h != 960 {
				t.Fatalf("large image %dx%d", w, h)
			}

			// A file, downloaded by ranges (video seeking works the same way).
			data := randomBytes(1<<20, 1)
			fup := mustUpload(t, alice, 12, "data.bin", data, nil)
			fsent, err := alice.SendMessage(ctx(t), &m.Message{Type: 12, FileUID: proto.String(fup.FileUID), FileName: proto.String("renamed.bin")}, "bob", 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if fsent.GetFileName() != "renamed.bin" || fsent.GetFileSize() != 1<<20 {
				t.Fatalf("file message: %v", fsent)
			}
			resp, body = download(t, fsent.GetFileDownloadUrl(), map[string]string{"Range": "bytes=1000-1999"})
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[1000:2000]) ||
				resp.Header.Get("Content-Range") != "bytes 1000-1999/1048576" {
				t.Fatalf("range: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("a file is not served as an attachment: %q", resp.Header.Get("Content-Disposition"))
			}

			// Audio and video: durations checked; a video's first frame is an uploaded image.
			mp3 := append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), randomBytes(4000, 2)...)
			aup := mustUpload(t, alice, 13, "voice.mp3", mp3, nil)
			if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 13, FileUID: proto.String(aup.FileUID)}, "bob", 0, nil); codeOf(err) != 6000215 {
				t.Fatalf("audio without duration: %v", err)
			}
			if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 13, FileUID: proto.String(aup.FileUID), AudioDuration: proto.Int32(301)}, "bob", 0, nil); codeOf(err) != 6000215 {
				t.Fatalf("audio too long: %v", err)
			}
			if a, err := alice.SendMessage(ctx(t), &m.Message{Type: 13, FileUID: proto.String(aup.FileUID), AudioDuration: proto.Int32(12)}, "bob", 0, nil); err != nil || a.GetAudioDuration() != 12 {
				t.Fatalf("audio: %v %v", a, err)
			}
			mp4 := append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), randomBytes(5000, 3)...)
			vup := mustUpload(t, alice, 14, "clip.mp4", mp4, nil)
			frame := mustUpload(t, alice, 11, "frame.jpg", testJPEG(t, 320, 180), nil)
			v, err := alice.SendMessage(ctx(t), &m.Message{Type: 14, FileUID: proto.String(vup.FileUID), VideoDuration: proto.Int32(30), VideoFirstFrameDownloadUrl: proto.String(frame.FileDownloadUrl)}, "bob", 0, nil)
			if err != nil || v.GetVideoDuration() != 30 || v.GetVideoFirstFrameWidth() != 320 || v.GetVideoFirstFrameHeight() != 180 || v.GetVideoFirstFrameDownloadUrl() == "" {
				t.Fatalf("video: %v %v", v, err)
			}

			// Refused sends.
			if _, err := bob.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(up.FileUID)}, "alice", 0, nil); codeOf(err) != 6000216 {
				t.Fatalf("another user's file: %v", err)
			}
			if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(strings.Repeat("ab", 16))}, "bob", 0, nil); codeOf(err) != 6000211 {
				t.Fatalf("unknown file: %v", err)
			}
			if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(fup.FileUID)}, "bob", 0, nil); codeOf(err) != 6000213 {
				t.Fatalf("a file upload sent as an image: %v", err)
			}
			if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 12, FileDownloadUrl: proto.String("https://example.com/x.pdf"), FileName: proto.String("x.pdf")}, "bob", 0, nil); codeOf(err) != 6000216 {
				t.Fatalf("external URL with external URLs off: %v", err)
			}

			// Forged and expired URLs.
			u, _ := url.Parse(got.GetFileDownloadUrl())
			q := u.Query()
			q.Set("e", itoa(int(time.Now().Add(48*time.Hour).Unix())))
			u.RawQuery = q.Encode()
			resp, body = download(t, u.String(), nil)
			wantHTTPCode(t, resp, body, 403, 6000216)
			expired := e.node.Media.SignedURL(up.FileUID, "o", time.Now().Add(-time.Minute))
			resp, body = download(t, expired, nil)
			wantHTTPCode(t, resp, body, 403, 6000216)
			if !bytes.Contains(body, []byte("expired")) {
				t.Fatalf("expired URL: %s", body)
			}
			// A refresh (with the user's token) re-signs it.
			fresh := refresh(t, e, "bob", expired)
			if resp, body := download(t, fresh, nil); resp.StatusCode != 200 || !bytes.Equal(body, jpg) {
				t.Fatalf("refreshed URL: %d", resp.StatusCode)
			}

			// A restart on the same directory keeps files and history; carol, offline
			// until now, reads nothing of it (not her conversation).
			e.restart()
			bob = e.login("bob", false, 1)
			// (The node listens on a new port after the restart; a deployment has a fixed
			// Media.BaseURL, so stored URLs stay right. Here they are pointed at the new
			// port.)
			rehost := func(raw string) string {
				u, _ := url.Parse(raw)
				u.Host = e.node.Addr()
				return u.String()
			}
			hist, err := bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 100})
			if err != nil {
				t.Fatal(err)
			}
			var img *m.Message
			for _, msg := range hist.MessageList {
				if msg.Type == 11 {
					img = msg
				}
			}
			if img == nil || img.GetThumbnailWidth() != 400 || img.GetFileUID() != up.FileUID {
				t.Fatalf("history after restart: %v", hist.MessageList)
			}
			if resp, body := download(t, rehost(img.GetFileDownloadUrl()), nil); resp.StatusCode != 200 || !bytes.Equal(body, jpg) {
				t.Fatalf("download after restart: %d, %d bytes", resp.StatusCode, len(body))
			}
		})
	}
}

func refresh(t *testing.T, e *env, user, u string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodPost, "http://"+e.node.Addr()+"/media/refresh?userID="+user,
		strings.NewReader(`{"url":"`+u+`"}`))
	req.Header.Set("Authorization", "Bearer "+token(t, user, time.Hour))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("refresh: %d %s", resp.StatusCode, body)
	}
	var out struct{ URL string }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.URL
}

// stallReader yields r, then blocks until released (and then ends).
type stallReader struct {
	r       io.Reader
	release chan struct{}
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		select {
		case <-s.release:
		case <-time.After(20 * time.Second): // the server never answered: fail, not hang
			return n, io.ErrUnexpectedEOF
		}
	}
	return n, err
}

func rawUpload(t *testing.T, e *env, user string, typ int, body io.Reader, size int64, auth bool) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodPost,
		"http://"+e.node.Addr()+"/media/upload?userID="+user+"&type="+itoa(typ)+"&fileName=x", body)
	req.ContentLength = size
	if auth {
		req.Header.Set("Authorization", "Bearer "+token(t, user, time.Hour))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestMediaUploadRefusals: on each backend, oversize (declared and streamed), wrong
// types, a decompression bomb and a missing token are refused with their codes before
// the whole body is read; the daily quota; retries with an upload key are stored and
// charged once.
func TestMediaUploadRefusals(t *testing.T) {
	for name, open := range mediaBackends() {
		t.Run(name, func(t *testing.T) {
			e := startEnv(t, withMedia(open(t), func(c *media.Config) {
				c.MaxBytes = map[int32]int64{12: 2 << 20}
				c.DailyQuota = 3 << 20
			}))
			alice := e.login("alice", false, 1)

			// Each body sends its first part (at least the 512 bytes the server sniffs)
			// and then stalls until the answer came: a server that read the whole body
			// would never answer, and the test fails.
			stalled := func(head []byte) (io.Reader, func()) {
				r := &stallReader{r: bytes.NewReader(head), release: make(chan struct{})}
				return r, func() { close(r.release) }
			}
			body0, release := stalled(nil)
			resp, body := rawUpload(t, e, "alice", 11, body0, 11<<20, true)
			release()
			wantHTTPCode(t, resp, body, 413, 6000214)
			// Unknown length: refused once the stream passes the limit (2 MB here).
			body0, release = stalled(randomBytes(3<<20, 4))
			resp, body = rawUpload(t, e, "alice", 12, body0, -1, true)
			release()
			wantHTTPCode(t, resp, body, 413, 6000214)
			body0, release = stalled([]byte(strings.Repeat("just some text, not a picture at all. ", 20)))
			resp, body = rawUpload(t, e, "alice", 11, body0, 1<<20, true)
			release()
			wantHTTPCode(t, resp, body, 415, 6000213)
			resp, body = rawUpload(t, e, "alice", 13, bytes.NewReader(testJPEG(t, 10, 10)), -1, true)
			wantHTTPCode(t, resp, body, 415, 6000213)
			// A decompression bomb: a 100,000² canvas declared in a few bytes.
			body0, release = stalled(append(bombPNG(100000), make([]byte, 600)...))
			resp, body = rawUpload(t, e, "alice", 11, body0, 2<<20, true)
			release()
			wantHTTPCode(t, resp, body, 413, 6000214)
			resp, body = rawUpload(t, e, "alice", 12, strings.NewReader("hello"), 5, false)
			wantHTTPCode(t, resp, body, 401, 6000103)
			resp, body = rawUpload(t, e, "alice", 12, strings.NewReader(""), 0, true)
			wantHTTPCode(t, resp, body, 400, 6000214)

			// Retry-safe: the same upload key answers the same file, charged once.
			data := randomBytes(1500<<10, 5)
			a := mustUpload(t, alice, 12, "a.bin", data, &client.UploadOptions{UploadKey: "k1"})
			b := mustUpload(t, alice, 12, "a.bin", data, &client.UploadOptions{UploadKey: "k1"})
			if a.FileUID != b.FileUID {
				t.Fatalf("retry made another file: %s %s", a.FileUID, b.FileUID)
			}
			used, _, err := e.node.Media.QuotaUsed(ctx(t), "alice")
			if err != nil || used != int64(len(data)) {
				t.Fatalf("quota used %d, want %d (%v)", used, len(data), err)
			}
			// The quota: 3 MB a day; 1.5 MB used, another 1.5 MB fits, then refused.
			mustUpload(t, alice, 12, "b.bin", data, nil)
			_, err = alice.UploadMedia(ctx(t), 12, "c.bin", bytes.NewReader(data), int64(len(data)), nil)
			if codeOf(err) != 6000005 {
				t.Fatalf("over the daily quota: %v", err)
			}
		})
	}
}

// TestMediaCollection: a peer message's file is collected once both users deleted the
// message (and CollectAfter passed); a file another message still shows stays.
func TestMediaCollection(t *testing.T) {
	e := startEnv(t, withMedia(mediaBackends()["local"](t), func(c *media.Config) { c.CollectAfter = time.Millisecond }))
	alice := e.login("alice", false, 1)
	bob := e.login("bob", false, 1)
	data := randomBytes(10000, 6)
	up := mustUpload(t, alice, 12, "f.bin", data, nil)
	m1, err := alice.SendMessage(ctx(t), &m.Message{Type: 12, FileUID: proto.String(up.FileUID)}, "bob", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := alice.SendMessage(ctx(t), &m.Message{Type: 12, FileUID: proto.String(up.FileUID)}, "bob", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	sweep := func() int {
		n, err := e.node.Media.Sweep(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Deleted by one side only: nothing to collect.
	if err := alice.DeleteMessages(ctx(t), []*m.Message{m1}, "bob", 0); err != nil {
		t.Fatal(err)
	}
	if n := sweep(); n != 0 {
		t.Fatalf("collected %d files after one side deleted", n)
	}
	// Both sides deleted m1, but m2 still shows the file.
	if err := bob.DeleteMessages(ctx(t), []*m.Message{{MessageSeq: m1.MessageSeq}}, "alice", 0); err != nil {
		t.Fatal(err)
	}
	if n := sweep(); n != 0 {
		t.Fatalf("collected a file another message shows")
	}
	if resp, _ := download(t, m2.GetFileDownloadUrl(), nil); resp.StatusCode != 200 {
		t.Fatalf("file gone while shown: %d", resp.StatusCode)
	}
	// Both delete m2: collected after CollectAfter.
	if err := alice.DeleteMessages(ctx(t), []*m.Message{m2}, "bob", 0); err != nil {
		t.Fatal(err)
	}
	if err := bob.DeleteMessages(ctx(t), []*m.Message{{MessageSeq: m2.MessageSeq}}, "alice", 0); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the file is collected", func() bool { return sweep() == 1 })
	resp, body := download(t, m2.GetFileDownloadUrl(), nil)
	wantHTTPCode(t, resp, body, 404, 6000219)
	if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 12, FileUID: proto.String(up.FileUID)}, "bob", 0, nil); codeOf(err) != 6000211 {
		t.Fatalf("sending a collected file: %v", err)
	}
}

// TestMediaInGroupsAndRooms: group, room and community channel members receive media
// messages with their fields and download the file; a group member who was offline
// reads it from history.
func TestMediaInGroupsAndRooms(t *testing.T) {
	e := startEnv(t, withMedia(mediaBackends()["local"](t), nil))
	alice := e.login("alice", false, 1)
	bob := e.login("bob", true, 1)
	e.registered("carol")
	jpg := testJPEG(t, 900, 600)
	up := mustUpload(t, alice, 11, "g.jpg", jpg, nil)
	isImage := func(p proto.Message) bool {
		ev := p.(*m.ConversationMessageReceivedEvent)
		return len(ev.MessageList) == 1 && ev.MessageList[0].Type == 11
	}

	if _, err := alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "mg1", GroupName: "media"}, []string{"bob", "carol"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(up.FileUID)}, "mg1", 2, nil); err != nil {
		t.Fatal(err)
	}
	got := bob.rec.wait(t, "groupMessageReceived", isImage).(*m.ConversationMessageReceivedEvent).MessageList[0]
	if got.GetThumbnailWidth() != 400 || got.GetThumbnailHeight() != 266 || got.GetLargeImageWidth() != 900 {
		t.Fatalf("group image: %v", got)
	}
	if resp, body := download(t, got.GetFileDownloadUrl(), nil); resp.StatusCode != 200 || !bytes.Equal(body, jpg) {
		t.Fatalf("group download: %d", resp.StatusCode)
	}
	carol := e.login("carol", false, 1)
	hist, err := carol.QueryHistoryMessage(ctx(t), "mg1", 2, &m.MessageQueryConfig{Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, msg := range hist.MessageList {
		seen = seen || (msg.Type == 11 && msg.GetFileUID() == up.FileUID && msg.GetThumbnailDownloadUrl() != "")
	}
	if !seen {
		t.Fatalf("carol's group history: %v", hist.MessageList)
	}

	if _, err := alice.CreateRoom(ctx(t), &m.RoomInfo{RoomID: "mr1", RoomName: "media"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.JoinRoom(ctx(t), "mr1"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(up.FileUID)}, "mr1", 1, nil); err != nil {
		t.Fatal(err)
	}
	got = bob.rec.wait(t, "roomMessageReceived", isImage).(*m.ConversationMessageReceivedEvent).MessageList[0]
	if got.GetFileUID() != up.FileUID || got.GetOriginalImageWidth() != 900 {
		t.Fatalf("room image: %v", got)
	}

	// A community channel.
	general := makeCommunity(t, alice, "mc1", bob)
	if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 11, FileUID: proto.String(up.FileUID)}, general.ConversationID, 3, nil); err != nil {
		t.Fatal(err)
	}
	got = bob.rec.wait(t, "communityChannelMessageReceived", isImage).(*m.ConversationMessageReceivedEvent).MessageList[0]
	if got.GetFileUID() != up.FileUID || got.GetThumbnailWidth() != 400 {
		t.Fatalf("channel image: %v", got)
	}
	if resp, body := download(t, got.GetThumbnailDownloadUrl(), nil); resp.StatusCode != 200 || len(body) == 0 {
		t.Fatalf("channel thumbnail download: %d", resp.StatusCode)
	}
}
