package actors

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync/atomic"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// roomRig is a one-member runtime whose gateway fan-out actor is a counting sink: the room
// actor's own cost, without connections.
type roomRig struct {
	rt        *Runtime
	delivered atomic.Int64 // RoomDeliver messages the sink got
}

func newRoomRig(tb testing.TB) *roomRig {
	tb.Helper()
	rt, err := Start(Config{Store: persistence.NewMemory(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	rig := &roomRig{rt: rt}
	if _, err := rt.Node().Spawn(FanoutActorName, func(m proto.Message) {
		if _, ok := m.(*messages.RoomDeliver); ok {
			rig.delivered.Add(1)
		}
	}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = rt.Shutdown(context.Background()) })
	return rig
}

func (rig *roomRig) call(tb testing.TB, roomID, method, user string, connID uint64, params proto.Message) {
	raw, _ := proto.Marshal(params)
	_, err := rig.rt.Call(context.Background(), KindRoom, roomID, &messages.Call{Method: method, UserID: user, Params: raw,
		Conn: &messages.ConnRef{Node: rig.rt.Address(), ConnID: connID}})
	if err != nil {
		tb.Fatalf("%s %s: %v", method, user, err)
	}
}

func (rig *roomRig) fill(tb testing.TB, roomID string, n int) {
	for i := 0; i < n; i++ {
		rig.call(tb, roomID, "enterRoom", fmt.Sprintf("member-%d", i), uint64(i+1),
			&messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: roomID}})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A room keeps well under 1 KB per member (the room actor's side; the gateway's list of
// a node's connections adds a pointer and a map entry, see BenchmarkRoomFanout).
func TestRoomMemberMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a 10,000-member room")
	}
	rig := newRoomRig(t)
	rig.fill(t, "warm", 10) // activation, kinds and caches outside the measurement
	const n = 10000
	before := heapInUse()
	rig.fill(t, "mem", n)
	per := float64(heapInUse()-before) / n
	t.Logf("%.0f bytes per room member", per)
	if per >= 1024 {
		t.Fatalf("%.0f bytes per room member, want under 1 KB", per)
	}
}

// BenchmarkRoomJoinLeave_N: one member joins and leaves a room of N members (each op is
// both, with their roomMemberJoined/Left pushes), through the actor path. The cost does
// not grow with N: the room actor never walks its member list.
func BenchmarkRoomJoinLeave_1000(b *testing.B)  { benchRoomJoinLeave(b, 1000) }
func BenchmarkRoomJoinLeave_10000(b *testing.B) { benchRoomJoinLeave(b, 10000) }

func benchRoomJoinLeave(b *testing.B, n int) {
	rig := newRoomRig(b)
	rig.fill(b, "jl", n)
	join := &messages.RoomIDParams{RoomID: "jl"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		user, conn := fmt.Sprintf("visitor-%d", i), uint64(1_000_000+i)
		rig.call(b, "jl", "joinRoom", user, conn, join)
		rig.call(b, "jl", "leaveRoom", user, conn, join)
	}
	b.StopTimer()
	if got := rig.delivered.Load(); got < int64(2*b.N) {
		b.Fatalf("%d pushes delivered, want at least %d", got, 2*b.N)
	}
}
