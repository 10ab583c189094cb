package gateway_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
)

// A receiver that stops reading fills its socket (megabytes of pushes: the writer's
// writes block and frames wait in the connection's queue); when it reads again every
// frame arrives whole and in order, and the pings it sent meanwhile are answered.
func TestStalledReaderGetsEveryFrameWholeAndInOrder(t *testing.T) {
	stalledReader(t, 1200, 2000, 0)
}

// Frames that come far enough apart are written at once by the goroutine that queues
// them (writer.go directGap), between the pongs gorilla writes to the same socket: to a
// reader that stalls meanwhile they arrive whole and in order. (The part of a direct
// write the socket does not take: TestWriteNonBlockingTakesWhatTheSocketTakes.)
func TestDirectWritesToAStalledReaderStayWholeAndInOrder(t *testing.T) {
	stalledReader(t, 40, 30000, 60*time.Millisecond)
}

// stalledReader: alice sends n texts of size bytes to bob (gap apart) while bob, with a
// small receive buffer, reads nothing; then bob reads every one, whole and in order, and
// the pongs to the pings he sent meanwhile.
func stalledReader(t *testing.T, n, size int, gap time.Duration) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.TextMessageBytes = 32 * 1024 }))
	alice := e.login("alice", false, 0)
	d := websocket.Dialer{
		Subprotocols: []string{gateway.SubprotocolJSON},
		NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			// A small receive buffer, set before connecting (the window scale follows
			// it): the server's writes stall soon.
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 8192)
			})
			return errors.Join(err, serr)
		}}).DialContext,
	}
	bob, _, err := d.DialContext(ctx(t), e.node.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	login := fmt.Sprintf(`{"id":1,"method":"login","params":{"userID":"bob","userName":"Bob","token":%q}}`, token(t, "bob", time.Hour))
	if err := bob.WriteMessage(websocket.TextMessage, []byte(login)); err != nil {
		t.Fatal(err)
	}
	if _, rep, err := bob.ReadMessage(); err != nil || !strings.Contains(string(rep), `"code":0`) {
		t.Fatalf("login: %s %v", rep, err)
	}
	// bob reads nothing while alice sends; he pings now and then (answered by pongs
	// that queue behind the pushes).
	text := strings.Repeat("x", size)
	for i := 1; i <= n; i++ {
		if gap > 0 {
			time.Sleep(gap) // the pace under test: the connection's writer has ended
		}
		if _, err := alice.SendText(ctx(t), fmt.Sprintf("%d:%s", i, text), "bob", 0); err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 || gap > 0 && i%10 == 0 {
			if err := bob.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	pongs := 0
	bob.SetPongHandler(func(string) error { pongs++; return nil })
	next := 1
	_ = bob.SetReadDeadline(time.Now().Add(20 * time.Second))
	for next <= n {
		mt, data, err := bob.ReadMessage()
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", next-1, n, err)
		}
		var f struct {
			Event string `json:"event"`
			Data  struct {
				MessageList []struct {
					Message    string `json:"message"`
					MessageSeq int64  `json:"messageSeq"`
				} `json:"messageList"`
			} `json:"data"`
		}
		if mt != websocket.TextMessage || json.Unmarshal(data, &f) != nil {
			t.Fatalf("frame %d is not a whole JSON push: type %d, %.80q", next, mt, data)
		}
		if f.Event != "peerMessageReceived" {
			continue
		}
		m := f.Data.MessageList[0]
		if m.MessageSeq != int64(next) || !strings.HasPrefix(m.Message, fmt.Sprintf("%d:", next)) || len(m.Message) != len(text)+len(fmt.Sprint(next))+1 {
			t.Fatalf("message %d arrived as seq %d, %.20q (%d bytes)", next, m.MessageSeq, m.Message, len(m.Message))
		}
		next++
	}
	// A last message: the pongs answered before it are read by the time it arrives.
	if _, err := alice.SendText(ctx(t), "end", "bob", 0); err != nil {
		t.Fatal(err)
	}
	for {
		_, data, err := bob.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `"message":"end"`) {
			break
		}
	}
	pings := n / 50
	if gap > 0 {
		pings = n / 10
	}
	if pongs != pings {
		t.Fatalf("%d pongs for %d pings", pongs, pings)
	}
}

// Direct writes keep the write deadline current: sparse pushes (each written at once by
// the goroutine that queues it) for longer than WriteTimeout all arrive, and the
// connection stays open. (A deadline left by an earlier writer goroutine used to expire
// under them and close the connection.)
func TestSparsePushesOutliveTheWriteTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.WriteTimeout = timeout }))
	alice := e.login("alice", false, 0)
	bob := e.login("bob", false, 0)
	const n = 12
	for i := 1; i <= n; i++ {
		time.Sleep(timeout / 3) // the pace under test: far apart, so each push is written directly
		if _, err := alice.SendText(ctx(t), fmt.Sprintf("sparse %d", i), "bob", 0); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	for i := 1; i <= n; i++ {
		want := fmt.Sprintf("sparse %d", i)
		bob.rec.wait(t, "peerMessageReceived", func(p proto.Message) bool {
			ev := p.(*m.ConversationMessageReceivedEvent)
			return len(ev.MessageList) == 1 && ev.MessageList[0].Message == want
		})
	}
	if _, err := bob.QueryUsersInfo(ctx(t), []string{"alice"}); err != nil {
		t.Fatalf("bob's connection after %v of sparse pushes: %v", n*timeout/3, err)
	}
}
