package gateway

import (
	"io"
	"log/slog"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// fanoutRig is a node's fan-out actor with connections whose writer is busy (writing is
// set and no socket exists), so their queues can be inspected: the fan-out's side of the
// room path, without the network.
type fanoutRig struct {
	srv *Server
	f   *fanout
}

func newFanoutRig(maxFrames int) *fanoutRig {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := &Server{cfg: Config{MaxQueueFrames: maxFrames, MaxQueueBytes: 64 << 20}, log: log, metrics: &metrics{}, reg: newRegistry()}
	return &fanoutRig{srv: srv, f: &fanout{localDelivery: &localDelivery{reg: srv.reg, log: log, metrics: srv.metrics}}}
}

func (r *fanoutRig) conn(id uint64, json bool) *conn {
	c := &conn{srv: r.srv, id: id, codec: codecProto, msgType: websocket.BinaryMessage, writing: true}
	if json {
		c.codec, c.msgType = codecJSON, websocket.TextMessage
	}
	r.srv.reg.add(c)
	return c
}

func (c *conn) queueLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

func roomPush(t testing.TB, text string) *messages.Push {
	p, err := actors.NewPush(messages.EventRoomMessageReceived.With(&messages.ConversationMessageReceivedEvent{
		MessageList: []*messages.Message{{Type: 1, Message: text}}, FromConversationID: "r"}))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Low priority room messages are dropped for a connection whose queue is half full,
// medium ones at three quarters; high priority ones are queued until the queue is full and
// then disconnect the connection as a slow consumer — never dropped silently.
func TestRoomPriorityUnderBackpressure(t *testing.T) {
	rig := newFanoutRig(8)
	c := rig.conn(1, false)
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Epoch: 1, Add: []uint64{1}})
	send := func(priority int32) {
		rig.f.roomMessage(&messages.RoomDeliver{RoomID: "r", Epoch: 1, Push: roomPush(t, "x"), Priority: priority})
	}
	for i := 0; i < 6; i++ {
		send(actors.PriorityLow)
	}
	if n, d := c.queueLen(), rig.srv.metrics.droppedPushes.Load(); n != 4 || d != 2 {
		t.Fatalf("low priority: queued %d, dropped %d; want 4 and 2", n, d)
	}
	for i := 0; i < 4; i++ {
		send(actors.PriorityMedium)
	}
	if n, d := c.queueLen(), rig.srv.metrics.droppedPushes.Load(); n != 6 || d != 4 {
		t.Fatalf("medium priority: queued %d, dropped %d; want 6 and 4", n, d)
	}
	send(actors.PriorityHigh)
	send(actors.PriorityHigh)
	if n, closing := c.queueLen(), c.closing; n != 8 || closing {
		t.Fatalf("high priority: queued %d (closing %v); want 8, open", n, closing)
	}
	send(actors.PriorityHigh)
	if !c.closing || c.closeReason != disconnectSlow || rig.srv.metrics.slowDisconnects.Load() != 1 {
		t.Fatalf("a full queue must disconnect on a high priority message (closing %v, reason %v)", c.closing, c.closeReason)
	}
	if d := rig.srv.metrics.droppedPushes.Load(); d != 4 {
		t.Fatalf("a high priority message was counted as dropped (%d)", d)
	}
}

// One push to a room is encoded and framed once per subprotocol: every connection of a
// codec gets the very same bytes. The sending connection is skipped, and a push of an
// older incarnation of the room reaches nobody.
func TestRoomFanoutEncodesOnceAndSkipsTheSender(t *testing.T) {
	rig := newFanoutRig(100)
	var conns []*conn
	var ids []uint64
	for i := uint64(1); i <= 6; i++ {
		conns = append(conns, rig.conn(i, i%2 == 0))
		ids = append(ids, i)
	}
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Epoch: 5, Add: ids})
	rig.f.roomMessage(&messages.RoomDeliver{RoomID: "r", Epoch: 5, Push: roomPush(t, "hi"), ExceptConnID: 3})
	var first [2][]byte
	for _, c := range conns {
		want := 1
		if c.id == 3 {
			want = 0
		}
		if c.queueLen() != want {
			t.Fatalf("conn %d queued %d frames, want %d", c.id, c.queueLen(), want)
		}
		if want == 0 {
			continue
		}
		f := c.queue[0]
		if first[c.codec] == nil {
			first[c.codec] = f
		} else if &first[c.codec][0] != &f[0] {
			t.Fatalf("conn %d got its own copy of the frame", c.id)
		}
	}
	// Remove one connection, then a stale incarnation's push and list changes are ignored.
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Epoch: 5, Remove: []uint64{1}})
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Epoch: 4, Add: []uint64{1}})
	rig.f.roomMessage(&messages.RoomDeliver{RoomID: "r", Epoch: 4, Push: roomPush(t, "stale")})
	rig.f.roomMessage(&messages.RoomDeliver{RoomID: "r", Epoch: 5, Push: roomPush(t, "again")})
	if conns[0].queueLen() != 1 || conns[1].queueLen() != 2 {
		t.Fatalf("after removal: conn 1 has %d frames (want 1), conn 2 has %d (want 2)", conns[0].queueLen(), conns[1].queueLen())
	}
	// A new incarnation of the room replaces the list.
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Epoch: 9, Add: []uint64{1}})
	rig.f.roomMessage(&messages.RoomDeliver{RoomID: "r", Epoch: 9, Push: roomPush(t, "new room")})
	if conns[0].queueLen() != 2 || conns[1].queueLen() != 2 {
		t.Fatal("the new incarnation's push did not go to exactly its own connections")
	}
	// A closing connection cleaning up (epoch 0) leaves the list; the last one drops it.
	rig.f.roomMessage(&messages.RoomFanout{RoomID: "r", Remove: []uint64{1}})
	if len(rig.f.rooms) != 0 {
		t.Fatalf("empty room list kept: %v", rig.f.rooms)
	}
}
