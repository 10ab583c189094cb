package gateway_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/gateway"
)

// The server reads WebSocket frames itself after the handshake (reader.go). These
// tests write raw frames on a real connection and read what the server answers with a
// gorilla client.

// rawWS is a handshaken connection whose frames the test writes byte by byte.
type rawWS struct {
	ws *websocket.Conn
	nc net.Conn
}

func dialRawWS(t *testing.T, e *env) *rawWS {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{gateway.SubprotocolJSON}}
	ws, _, err := d.DialContext(ctx(t), e.node.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return &rawWS{ws: ws, nc: ws.NetConn()}
}

// clientFrame builds a client frame: first byte as given (FIN, RSV, opcode), masked
// unless unmasked, with the payload's length in the shortest form.
func clientFrame(b0 byte, payload []byte, unmasked bool) []byte {
	out := []byte{b0}
	maskBit := byte(0x80)
	if unmasked {
		maskBit = 0
	}
	switch n := len(payload); {
	case n < 126:
		out = append(out, maskBit|byte(n))
	case n <= 0xffff:
		out = append(out, maskBit|126, byte(n>>8), byte(n))
	default:
		out = append(out, maskBit|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	if unmasked {
		return append(out, payload...)
	}
	mask := [4]byte{0x12, 0x34, 0x56, 0x78}
	out = append(out, mask[:]...)
	for i, c := range payload {
		out = append(out, c^mask[i&3])
	}
	return out
}

func (r *rawWS) write(t *testing.T, frames ...[]byte) {
	t.Helper()
	for _, f := range frames {
		if _, err := r.nc.Write(f); err != nil {
			t.Fatal(err)
		}
	}
}

// reply reads messages up to the reply to request id (pushes are skipped).
func (r *rawWS) reply(t *testing.T, id int) string {
	t.Helper()
	_ = r.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, data, err := r.ws.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if strings.HasPrefix(string(data), fmt.Sprintf(`{"id":%d,`, id)) {
			return string(data)
		}
	}
}

// closedWith waits for the server's close frame and returns its code.
func (r *rawWS) closedWith(t *testing.T) int {
	t.Helper()
	_ = r.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := r.ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			return 0
		}
	}
}

func loginFrame(t *testing.T, user string) []byte {
	return []byte(fmt.Sprintf(`{"id":1,"method":"login","params":{"userID":%q,"token":%q}}`, user, token(t, user, time.Hour)))
}

func TestFramesReadByTheServer(t *testing.T) {
	e := startEnv(t)
	ping := func(id int) []byte {
		return []byte(fmt.Sprintf(`{"id":%d,"method":"queryUsersInfo","params":{"userIDs":["nobody"],"config":{"isQueryFromServer":true}}}`, id))
	}

	t.Run("byte by byte, fragmented, pings between fragments", func(t *testing.T) {
		r := dialRawWS(t, e)
		pongs := make(chan string, 4)
		r.ws.SetPongHandler(func(s string) error { pongs <- s; return nil })
		// The login frame, one byte per write.
		for _, b := range clientFrame(0x81, loginFrame(t, "fr-a"), false) {
			r.write(t, []byte{b})
		}
		if got := r.reply(t, 1); !strings.Contains(got, `"code":0`) {
			t.Fatalf("login: %s", got)
		}
		// A request in three fragments with a ping (and an empty one) in between.
		req := ping(2)
		r.write(t, clientFrame(0x01, req[:10], false), clientFrame(0x89, []byte("p1"), false),
			clientFrame(0x00, req[10:20], false), clientFrame(0x89, nil, false), clientFrame(0x80, req[20:], false))
		if got := r.reply(t, 2); !strings.Contains(got, `"code":0`) {
			t.Fatalf("fragmented request: %s", got)
		}
		for _, want := range []string{"p1", ""} {
			select {
			case got := <-pongs:
				if got != want {
					t.Fatalf("pong %q, want %q", got, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no pong")
			}
		}
		// A 16-bit and a 64-bit length, in one write with the next frame.
		big := []byte(`{"id":3,"method":"queryUsersInfo","params":{"userIDs":["` + strings.Repeat("n", 300) + `"]}}`)
		r.write(t, append(clientFrame(0x81, big, false), clientFrame(0x81, ping(4), false)...))
		for _, id := range []int{3, 4} {
			if got := r.reply(t, id); !strings.Contains(got, `"code":0`) {
				t.Fatalf("request %d: %s", id, got)
			}
		}
		long := append([]byte{0x81, 0x80 | 127}, binary.BigEndian.AppendUint64(nil, uint64(len(ping(5))))...)
		long = append(long, 0, 0, 0, 0) // a zero mask
		r.write(t, append(long, ping(5)...))
		if got := r.reply(t, 5); !strings.Contains(got, `"code":0`) {
			t.Fatalf("64-bit length: %s", got)
		}
		// A close frame is echoed with its code.
		r.write(t, clientFrame(0x88, websocket.FormatCloseMessage(4321, "bye"), false))
		if code := r.closedWith(t); code != 4321 {
			t.Fatalf("close echoed with %d", code)
		}
	})

	for _, tc := range []struct {
		name   string
		frames [][]byte
		code   int
	}{
		{"unmasked", [][]byte{clientFrame(0x81, []byte("{}"), true)}, websocket.CloseProtocolError},
		{"rsv bit", [][]byte{clientFrame(0xc1, []byte("{}"), false)}, websocket.CloseProtocolError},
		{"unknown opcode", [][]byte{clientFrame(0x83, []byte("{}"), false)}, websocket.CloseProtocolError},
		{"fragmented ping", [][]byte{clientFrame(0x09, []byte("p"), false)}, websocket.CloseProtocolError},
		{"long ping", [][]byte{clientFrame(0x89, make([]byte, 126), false)}, websocket.CloseProtocolError},
		{"continuation first", [][]byte{clientFrame(0x80, []byte("{}"), false)}, websocket.CloseProtocolError},
		{"message inside a message", [][]byte{clientFrame(0x01, []byte("{"), false), clientFrame(0x81, []byte("{}"), false)}, websocket.CloseProtocolError},
		{"bad close code", [][]byte{clientFrame(0x88, []byte{0x03, 0xe7}, false)}, websocket.CloseProtocolError},
		{"fragments over the limit", [][]byte{clientFrame(0x01, make([]byte, 40<<10), false), clientFrame(0x80, make([]byte, 30<<10), false)}, websocket.CloseMessageTooBig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := dialRawWS(t, e)
			r.write(t, clientFrame(0x81, loginFrame(t, "fr-b"), false))
			if got := r.reply(t, 1); !strings.Contains(got, `"code":0`) {
				t.Fatalf("login: %s", got)
			}
			r.write(t, tc.frames...)
			if code := r.closedWith(t); code != tc.code {
				t.Fatalf("closed with %d, want %d", code, tc.code)
			}
		})
	}
	// The server still serves.
	s := e.login("fr-c", false, 0)
	if _, err := s.QueryUsersInfo(ctx(t), []string{"fr-a"}); err != nil {
		t.Fatal(err)
	}
}
