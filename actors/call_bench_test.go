package actors

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// TestCallActorMemory: what an idle call actor costs (an advanced call started, its
// invitee not answering: the actor holds its record and an armed timeout timer).
// Measured over 10,000 calls through a real runtime on the memory store; the same two
// users make every call, so user actors are not counted. Recorded in
// docs/BENCHMARKS.md; fails above 8 KB per call.
func TestCallActorMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("activates 10,000 call actors")
	}
	rt, err := Start(Config{Store: persistence.NewMemory(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Shutdown(context.Background()) })
	ctx := context.Background()
	b := &persistence.Batch{}
	for _, u := range []string{"alice", "bob"} {
		raw, _ := proto.Marshal(&messages.StoredUser{UserID: u})
		b.Put(keyUser(u), raw)
	}
	if err := rt.Store().Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	invite := func(id string) {
		raw, _ := proto.Marshal(&messages.CallInviteParams{CallID: id, Invitees: []string{"bob"},
			Config: &messages.CallInviteConfig{Mode: CallModeAdvanced, Timeout: 600, ExtendedData: "call data"}})
		if _, err := rt.Call(ctx, KindCall, id, &messages.Call{Method: "callInvite", UserID: "alice", Params: raw,
			Conn: &messages.ConnRef{Node: rt.Address(), ConnID: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ { // the kinds, user actors and caches outside the measurement
		invite(strconv.Itoa(1 + i))
	}
	const n = 10000
	before := heapInUse()
	for i := 0; i < n; i++ {
		invite(strconv.Itoa(1000 + i))
	}
	after := heapInUse()
	per := float64(after-before) / n
	t.Logf("%.0f bytes per idle call actor (heap, %d calls)", per, n)
	if per > 8192 {
		t.Fatalf("%.0f bytes per idle call actor, want at most 8 KB", per)
	}
}
