package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/auth"
)

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// The SDK bundle is always served; the web chat only with WebChat; /dev/token only in
// development mode, minting a token the server accepts.
func TestWebChatRoutes(t *testing.T) {
	e := startEnv(t)
	base := "http://" + e.node.Addr()
	code, body, h := get(t, base+"/sdk/parley-zim.js")
	if code != 200 || !strings.Contains(body, "globalThis.ZIM=") || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Fatalf("sdk bundle: %d %q…", code, body[:min(len(body), 80)])
	}
	if code, _, _ := get(t, base+"/"); code != 404 {
		t.Fatalf("web chat served without WebChat: %d", code)
	}
	if code, _, _ := get(t, base+"/dev/token?userID=alice"); code != 404 {
		t.Fatalf("/dev/token served outside development mode: %d", code)
	}

	e.stop() // one actor system at a time (two race inside protoactor under -race)
	d := startEnv(t, withGateway(func(c *gateway.Config) { c.Dev, c.WebChat = true, true }))
	base = "http://" + d.node.Addr()
	code, body, _ = get(t, base+"/")
	if code != 200 || !strings.Contains(body, `<script src="/sdk/parley-zim.js">`) {
		t.Fatalf("web chat: %d", code)
	}
	for _, p := range []string{"/app.js", "/app.css"} {
		if code, _, _ := get(t, base+p); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}
	if code, _, _ := get(t, base+"/nope"); code != 404 {
		t.Fatalf("unknown path: %d", code)
	}
	if code, _, _ := get(t, base+"/dev/token?userID="); code != 400 {
		t.Fatalf("empty userID: %d", code)
	}
	if code, _, _ := get(t, base+"/dev/token?userID=a%20b"); code != 400 {
		t.Fatalf("userID with a space: %d", code)
	}
	code, body, _ = get(t, base+"/dev/token?userID=alice")
	var tok struct {
		Token  string `json:"token"`
		AppID  uint32 `json:"appID"`
		UserID string `json:"userID"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok.UserID != "alice" || tok.AppID != testAppID {
		t.Fatalf("dev token: %d %s", code, body)
	}
	if _, err := auth.Verify(tok.Token, testAppID, testSecret, "alice", time.Now()); err != nil {
		t.Fatalf("minted token does not verify: %v", err)
	}
	c := d.dial(true)
	if err := c.Login(ctx(t), "alice", "Alice", tok.Token, 0); err != nil {
		t.Fatalf("login with the minted token: %v", err)
	}
}
