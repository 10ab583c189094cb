package gateway_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
)

// wsConn is a bare WebSocket client: the tests of this file control every frame and
// ping, and read replies (ids included) and close codes as they come.
type wsConn struct {
	t      *testing.T
	ws     *websocket.Conn
	json   bool
	frames chan []byte   // frames read, in order
	pongs  chan struct{} // one per pong read
	done   chan struct{} // closed when the read side ended; err is then set
	err    error
}

func dialWS(t *testing.T, url string, json bool) *wsConn {
	t.Helper()
	sub := gateway.SubprotocolProto
	if json {
		sub = gateway.SubprotocolJSON
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, Subprotocols: []string{sub}}
	ws, resp, err := d.DialContext(ctx(t), url, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := &wsConn{t: t, ws: ws, json: json, frames: make(chan []byte, 64), pongs: make(chan struct{}, 64), done: make(chan struct{})}
	ws.SetPongHandler(func(string) error {
		select {
		case c.pongs <- struct{}{}:
		default:
		}
		return nil
	})
	go func() {
		defer close(c.done)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				c.err = err
				return
			}
			c.frames <- data
		}
	}()
	t.Cleanup(func() { _ = ws.Close() })
	return c
}

// write sends one frame; a write to a connection the server closed is not an error
// here (the test looks at the close code).
func (c *wsConn) write(messageType int, data []byte) {
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_ = c.ws.WriteMessage(messageType, data)
}

func (c *wsConn) ping() {
	_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
}

// reply reads frames until a reply (a frame without event) and returns its id and code.
func (c *wsConn) reply() (uint32, int32) {
	c.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case data := <-c.frames:
			var id uint32
			var code int32
			var event string
			if c.json {
				var f struct {
					ID    uint32 `json:"id"`
					Code  int32  `json:"code"`
					Event string `json:"event"`
				}
				if err := json.Unmarshal(data, &f); err != nil {
					c.t.Fatalf("bad server frame %q: %v", data, err)
				}
				id, code, event = f.ID, f.Code, f.Event
			} else {
				f := &m.Frame{}
				if err := proto.Unmarshal(data, f); err != nil {
					c.t.Fatalf("bad server frame %x: %v", data, err)
				}
				id, code, event = f.Id, f.Code, f.Event
			}
			if event == "" {
				return id, code
			}
		case <-c.done:
			c.t.Fatalf("connection closed while waiting for a reply: %v", c.err)
		case <-deadline:
			c.t.Fatal("no reply within the deadline")
		}
	}
}

// closeCode waits (bounded) for the server to close the connection and returns the code.
func (c *wsConn) closeCode() int {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		c.t.Fatal("connection was not closed within the deadline")
	}
	var ce *websocket.CloseError
	if errors.As(c.err, &ce) {
		return ce.Code
	}
	c.t.Fatalf("connection ended without a close frame: %v", c.err)
	return 0
}

func (c *wsConn) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// login logs user in with a request of the given id and checks the reply.
func (c *wsConn) login(id uint32, user string) {
	c.t.Helper()
	p := &m.LoginParams{UserID: user, UserName: user, Token: token(c.t, user, time.Hour)}
	c.request(id, "login", p)
	if gotID, code := c.reply(); gotID != id || code != 0 {
		c.t.Fatalf("login: reply id %d code %d, want id %d code 0", gotID, code, id)
	}
}

// request sends a well-formed request.
func (c *wsConn) request(id uint32, method string, params proto.Message) {
	c.t.Helper()
	if c.json {
		b, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": json.RawMessage(m.MarshalJSON(params))})
		c.write(websocket.TextMessage, b)
		return
	}
	raw, err := proto.Marshal(params)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := proto.Marshal(&m.Frame{Id: id, Method: method, Params: raw})
	c.write(websocket.BinaryMessage, b)
}

func protoFrame(f *m.Frame) []byte {
	b, _ := proto.Marshal(f)
	return b
}

// The error reply to a malformed frame carries the frame's id whenever it can be read
// (docs/PROTOCOL.md, "Errors and ids"), on both subprotocols; only a frame whose id
// cannot be read answers id 0.
func TestMalformedFrameErrorsCarryTheID(t *testing.T) {
	e := startEnv(t)
	const bad, unknown, notLoggedIn = 6000001, 6000013, 6000121

	// Field 1 (id) with the wrong wire type (bytes), then a method.
	wrongTypeID := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), []byte("7"))
	// A method that is not UTF-8: the frame is well-formed protobuf but no valid Frame.
	badUTF8 := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 24)
	badUTF8 = protowire.AppendBytes(protowire.AppendTag(badUTF8, 2, protowire.BytesType), []byte{0xff, 0xfe})
	// An id, then a truncated field: not a Frame.
	truncated := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 25)
	truncated = append(protowire.AppendTag(truncated, 2, protowire.BytesType), 10, 'l')

	cases := []struct {
		name   string
		json   bool
		login  bool // the connection is logged in
		mt     int  // frame type; 0: the subprotocol's
		frame  []byte
		wantID uint32
		want   int32
	}{
		// JSON: a valid object with a readable id answers with it.
		{"json unknown method", true, false, 0, []byte(`{"id":11,"method":"launchRocket","params":{}}`), 11, unknown},
		{"json missing method", true, false, 0, []byte(`{"id":12,"params":{}}`), 12, bad},
		{"json empty method", true, false, 0, []byte(`{"id":13,"method":"","params":{}}`), 13, bad},
		{"json method of the wrong type", true, false, 0, []byte(`{"method":5,"id":14}`), 14, bad},
		{"json params not an object", true, false, 0, []byte(`{"id":15,"method":"login","params":"x"}`), 15, bad},
		{"json params of the wrong type", true, false, 0, []byte(`{"id":16,"method":"login","params":{"userID":{"a":1}}}`), 16, bad},
		{"json bad params, logged in", true, true, 0, []byte(`{"id":17,"method":"sendMessage","params":{"message":"not an object"}}`), 17, bad},
		{"json unknown method, logged in", true, true, 0, []byte(`{"id":18,"method":"launchRocket"}`), 18, unknown},
		{"json method before login", true, false, 0, []byte(`{"id":19,"method":"queryConversationList","params":{}}`), 19, notLoggedIn},
		// JSON: the id cannot be read.
		{"json not JSON", true, false, 0, []byte(`{"id":20,"method":`), 0, bad},
		{"json trailing garbage", true, false, 0, []byte(`{"id":21,"method":"login","params":{}} x`), 0, bad},
		{"json not an object", true, false, 0, []byte(`[22]`), 0, bad},
		{"json no id", true, false, 0, []byte(`{"method":"login","params":{}}`), 0, bad},
		{"json null id", true, false, 0, []byte(`{"id":null,"method":"login","params":{}}`), 0, bad},
		{"json string id", true, false, 0, []byte(`{"id":"23","method":"login","params":{}}`), 0, bad},
		{"json negative id", true, false, 0, []byte(`{"id":-24,"method":"login","params":{}}`), 0, bad},
		{"json fractional id", true, false, 0, []byte(`{"id":25.5,"method":"login","params":{}}`), 0, bad},
		{"json id over uint32", true, false, 0, []byte(`{"id":4294967296,"method":"login","params":{}}`), 0, bad},
		{"json binary frame", true, false, websocket.BinaryMessage, protoFrame(&m.Frame{Id: 26, Method: "launchRocket"}), 0, bad},

		// Protobuf: a Frame that decodes answers with its id.
		{"proto unknown method", false, false, 0, protoFrame(&m.Frame{Id: 31, Method: "launchRocket"}), 31, unknown},
		{"proto missing method", false, false, 0, protoFrame(&m.Frame{Id: 32}), 32, bad},
		{"proto bad params", false, false, 0, protoFrame(&m.Frame{Id: 33, Method: "login", Params: []byte{0xff, 0xff}}), 33, bad},
		{"proto params not UTF-8", false, false, 0, protoFrame(&m.Frame{Id: 34, Method: "login", Params: protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), []byte{0xff})}), 34, bad},
		{"proto bad params, logged in", false, true, 0, protoFrame(&m.Frame{Id: 35, Method: "sendMessage", Params: []byte{0x0a, 0x05, 0x01}}), 35, bad},
		{"proto unknown method, logged in", false, true, 0, protoFrame(&m.Frame{Id: 36, Method: "launchRocket"}), 36, unknown},
		{"proto method not UTF-8", false, false, 0, badUTF8, 24, bad},
		// Protobuf: the id cannot be read.
		{"proto garbage", false, false, 0, []byte{0xff, 0xff, 0xff}, 0, bad},
		{"proto truncated", false, false, 0, truncated, 0, bad},
		{"proto id of the wrong type", false, false, 0, wrongTypeID, 0, bad},
		{"proto text frame", false, false, websocket.TextMessage, []byte(`{"id":37,"method":"launchRocket"}`), 0, bad},
	}
	conns := map[[2]bool]*wsConn{}
	for _, tc := range cases {
		key := [2]bool{tc.json, tc.login}
		c := conns[key]
		if c == nil {
			c = dialWS(t, e.node.URL(), tc.json)
			if tc.login {
				user := map[bool]string{true: "sj", false: "sp"}[tc.json]
				c.login(1, user)
			}
			conns[key] = c
		}
		mt := tc.mt
		if mt == 0 {
			mt = map[bool]int{true: websocket.TextMessage, false: websocket.BinaryMessage}[tc.json]
		}
		c.write(mt, tc.frame)
		if id, code := c.reply(); id != tc.wantID || code != tc.want {
			t.Errorf("%s: reply id %d code %d, want id %d code %d", tc.name, id, code, tc.wantID, tc.want)
		}
	}
	for key, c := range conns {
		if c.closed() {
			t.Errorf("connection %v was closed by bad frames: %v", key, c.err)
		}
	}
}
