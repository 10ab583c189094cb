package gateway

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// BenchmarkRoomFanout_N: one member sends room messages to a room of N online members,
// in process: the message goes through the room actor (validated, encoded once, one
// RoomDeliver for the node) and the node's fan-out actor (framed once, the same bytes
// queued to each connection's writer queue). Connections are real gateway connections
// whose writer is busy (no socket), so the queues are drained between rounds outside the
// timer. Reports deliveries per second (N-1 per message) and the heap each member takes
// (room actor and the fan-out's list of the node's connections).
func BenchmarkRoomFanout_1000(b *testing.B)  { benchRoomFanout(b, 1000) }
func BenchmarkRoomFanout_10000(b *testing.B) { benchRoomFanout(b, 10000) }

// roomBench is a node with a room of n members, built once per size and kept for every
// run of the benchmark (building a 10,000-member room delivers 50 million
// roomMemberJoined pushes).
type roomBench struct {
	rt        *actors.Runtime
	s         *Server
	conns     []*conn
	perMember float64
}

var roomBenches = map[int]*roomBench{}

func (rb *roomBench) call(tb testing.TB, c *conn, method string, params proto.Message) {
	raw, _ := proto.Marshal(params)
	_, err := rb.rt.Call(context.Background(), actors.KindRoom, "bench", &messages.Call{Method: method,
		UserID: fmt.Sprintf("member-%d", c.id), Params: raw, Conn: &messages.ConnRef{Node: rb.rt.Address(), ConnID: c.id}})
	if err != nil {
		tb.Fatalf("%s: %v", method, err)
	}
}

func newRoomBench(tb testing.TB, n int) *roomBench {
	if rb := roomBenches[n]; rb != nil {
		return rb
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rt, err := actors.Start(actors.Config{Store: persistence.NewMemory(), Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(Config{Dev: true, Logger: log, MaxQueueFrames: 16384}, rt)
	if err != nil {
		tb.Fatal(err)
	}
	rb := &roomBench{rt: rt, s: s, conns: make([]*conn, n)}
	for i := range rb.conns {
		// While the room fills, every member but the first is closing: the n²/2
		// roomMemberJoined pushes are refused at once instead of piling up in queues.
		c := &conn{srv: s, id: uint64(i + 1), codec: codecProto, msgType: websocket.BinaryMessage, writing: true, closing: i > 0}
		s.reg.add(c)
		rb.conns[i] = c
	}
	enter := &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: "bench"}}
	rb.call(tb, rb.conns[0], "enterRoom", enter)
	heap := heapAlloc()
	for _, c := range rb.conns[1:] {
		rb.call(tb, c, "enterRoom", enter)
	}
	first := rb.conns[0]
	for first.queueLen() < n-1 { // the first member has every roomMemberJoined: fan-out done
		runtime.Gosched()
	}
	rb.drain()
	rb.perMember = float64(heapAlloc()-heap) / float64(n-1)
	for _, c := range rb.conns {
		c.mu.Lock()
		c.closing = false
		c.mu.Unlock()
	}
	roomBenches[n] = rb
	return rb
}

func (rb *roomBench) drain() {
	for _, c := range rb.conns {
		c.mu.Lock()
		clear(c.queue)
		c.queue, c.queued = c.queue[:0], 0
		c.mu.Unlock()
	}
}

func benchRoomFanout(b *testing.B, n int) {
	rb := newRoomBench(b, n)
	conns, metrics := rb.conns, rb.s.metrics
	send := &messages.SendMessageParams{ToConversationID: "bench", ConversationType: actors.ConvRoom,
		Message: &messages.Message{Type: actors.MsgText, Message: "a room message of about sixty bytes, as chat messages go"},
		Config:  &messages.MessageSendConfig{Priority: actors.PriorityHigh}}
	const round = 32 // messages between drains (well within the queue limit)

	b.ReportAllocs()
	b.ResetTimer()
	start := metrics.pushes.Load()
	sent := 0
	for sent < b.N {
		k := min(round, b.N-sent)
		for i := 0; i < k; i++ {
			rb.call(b, conns[0], "sendMessage", send)
		}
		sent += k
		for metrics.pushes.Load() < start+int64(sent*(n-1)) {
			runtime.Gosched()
		}
		b.StopTimer()
		// Encoded once: every connection queued the very same bytes.
		for _, c := range conns[2:] {
			if len(c.queue) != k || &c.queue[0][0] != &conns[1].queue[0][0] {
				b.Fatal("a connection got its own encoding of the push")
			}
		}
		if len(conns[0].queue) != 0 {
			b.Fatal("the sending connection got its own message")
		}
		rb.drain()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*(n-1))/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(rb.perMember, "heap-B/member")
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
