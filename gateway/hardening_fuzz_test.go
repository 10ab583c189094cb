package gateway_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
)

// sentinelID is the id of the request that follows every fuzzed frame.
const sentinelID = 0xfffffff7

// FuzzFramesThroughServer drives whole frames through a real server: gateway, routing,
// params decoding and the actors behind it, on a logged-in protobuf connection. After
// each frame a query must still be answered; no reply may be an internal error (a
// panic in an actor); a connection the server closed (oversize frame, logout) is
// replaced. The seeds are one well-formed request per method of the table. Run by
// `make fuzz`; the seeds run with the tests.
func FuzzFramesThroughServer(f *testing.F) {
	e := startEnv(f)
	e.registered("bob", "carol")
	for _, spec := range m.Methods() {
		p := spec.NewParams()
		fill(p.ProtoReflect(), fillMode{name: "seed", str: "bob", i64: 1, list: 1, present: true}, 0)
		raw, err := proto.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(protoFrame(&m.Frame{Id: 5, Method: spec.Name, Params: raw}))
	}
	f.Add([]byte{0xff, 0xff})
	url := e.node.URL()
	var ws *websocket.Conn
	f.Fuzz(func(t *testing.T, frame []byte) {
		if ws == nil {
			ws = fuzzLogin(t, url)
		}
		_ = ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
		werr := ws.WriteMessage(websocket.BinaryMessage, frame)
		if werr == nil {
			werr = ws.WriteMessage(websocket.BinaryMessage, protoFrame(&m.Frame{Id: sentinelID, Method: m.MethodQuerySelfUserInfo.Name}))
		}
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for werr == nil {
			_, data, err := ws.ReadMessage()
			if err != nil {
				if ce, ok := err.(*websocket.CloseError); ok && ce.Code != websocket.CloseAbnormalClosure {
					break // the server closed the connection on purpose (oversize frame…)
				}
				t.Fatalf("no answer after frame %x: %v", frame, err)
			}
			r := &m.Frame{}
			if err := proto.Unmarshal(data, r); err != nil {
				t.Fatalf("the server sent a frame that does not decode: %x", data)
			}
			if r.Event != "" {
				continue
			}
			if r.Code == actors.ErrInternal.Code {
				t.Fatalf("frame %x: internal error %q", frame, r.Message)
			}
			if r.Id == sentinelID && (r.Code == 0 || r.Code == actors.ErrNotLoggedIn.Code) {
				if r.Code == 0 {
					return
				}
				break // logged out by the frame: log in again
			}
		}
		_ = ws.Close()
		ws = nil
		// The server serves new connections.
		fuzzLogin(t, url).Close()
	})
}

// fuzzLogin opens a protobuf WebSocket logged in as alice.
func fuzzLogin(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, Subprotocols: []string{gateway.SubprotocolProto}}
	ws, resp, err := d.Dial(url, http.Header{})
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	raw, _ := proto.Marshal(&m.LoginParams{UserID: "alice", UserName: "alice", Token: token(t, "alice", time.Hour)})
	_ = ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := ws.WriteMessage(websocket.BinaryMessage, protoFrame(&m.Frame{Id: 1, Method: "login", Params: raw})); err != nil {
		t.Fatal(err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		r := &m.Frame{}
		if proto.Unmarshal(data, r) == nil && r.Event == "" && r.Id == 1 {
			if r.Code != 0 {
				t.Fatalf("login: %d %s", r.Code, r.Message)
			}
			return ws
		}
	}
}
