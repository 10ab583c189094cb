package load

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/persistence"
)

func spawn(t *testing.T) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	node, err := gateway.StartNode(store, actors.Config{Logger: log}, gateway.Config{Dev: true, Logger: log}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = node.Shutdown(ctx)
	})
	return node.URL()
}

func runOK(t *testing.T, cfg Config) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScenariosAccountExactly(t *testing.T) {
	url := spawn(t)

	t.Run("peer", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "peer", Target: url, Conns: 20, Count: 400, Warmup: true, Drain: 10 * time.Second})
		if !res.OK() || res.Expected != 400 || res.Delivered != 400 || res.Acked != 400 {
			t.Fatalf("clean run: %+v", res)
		}
		if res.Ack.P50 <= 0 || res.Delivery.Count != 400 {
			t.Fatalf("latencies missing: %+v", res)
		}
	})
	t.Run("peer rate-limited", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "peer", Target: url, Conns: 4, Rate: 200, Duration: time.Second})
		if !res.OK() || res.Sent < 150 || res.Sent > 260 {
			t.Fatalf("200/s for 1s sent %d: %+v", res.Sent, res)
		}
	})
	t.Run("a dropped message is reported lost", func(t *testing.T) {
		cfg := Config{Scenario: "peer", Target: url, Conns: 4, Count: 40, Drain: 2 * time.Second}
		var once atomic.Bool
		cfg.skipSend = func(_ uint32, seq uint64) bool { return seq == 2 && once.CompareAndSwap(false, true) }
		res := runOK(t, cfg)
		if res.Lost != 1 || res.Duplicates != 0 || res.OK() {
			t.Fatalf("want exactly one lost: %+v", res)
		}
	})
	t.Run("a duplicated message is reported duplicate", func(t *testing.T) {
		cfg := Config{Scenario: "peer", Target: url, Conns: 4, Count: 40, Drain: 5 * time.Second}
		var once atomic.Bool
		cfg.dupSend = func(_ uint32, seq uint64) bool { return seq == 2 && once.CompareAndSwap(false, true) }
		res := runOK(t, cfg)
		if res.Duplicates != 1 || res.Lost != 0 || res.OK() {
			t.Fatalf("want exactly one duplicate: %+v", res)
		}
	})
	t.Run("room", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "room", Target: url, Conns: 40, Rooms: 2, Senders: 2, Count: 200, Warmup: true})
		// 200 messages, each to the 19 other members of its room.
		if !res.OK() || res.Expected != 200*19 || res.Delivered != 200*19 {
			t.Fatalf("room: %+v", res)
		}
		join, _ := res.Extra["join_s"].(float64)
		settled, _ := res.Extra["join_settled_s"].(float64)
		if join <= 0 || settled < join {
			t.Fatalf("room: join %v s, settled %v s", res.Extra["join_s"], res.Extra["join_settled_s"])
		}
	})
	t.Run("group", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "group", Target: url, Conns: 150, Senders: 3, Count: 60, Warmup: true})
		// 60 messages, each to the 149 other members (two invitation batches).
		if !res.OK() || res.Expected != 60*149 || res.Delivered != 60*149 {
			t.Fatalf("group: %+v", res)
		}
	})
	t.Run("channel", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "channel", Target: url, Conns: 60, Senders: 3, Count: 60, Warmup: true})
		// 60 messages, each to the 59 other members of the channel.
		if !res.OK() || res.Expected != 60*59 || res.Delivered != 60*59 {
			t.Fatalf("channel: %+v", res)
		}
	})
	t.Run("login", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "login", Target: url, Conns: 100})
		if res.Acked != 100 || !res.OK() || res.AckedPerSec <= 0 {
			t.Fatalf("login: %+v", res)
		}
	})
	t.Run("idle", func(t *testing.T) {
		res := runOK(t, Config{Scenario: "idle", Target: url, Conns: 200, Rooms: 2, Duration: 500 * time.Millisecond})
		if res.Extra["connections"].(float64) < 200 || res.Extra["rooms"] != 2 {
			t.Fatalf("idle: %+v", res)
		}
		if _, ok := res.Extra["rss_bytes_per_conn"]; !ok {
			t.Fatalf("idle: no memory figure: %+v", res)
		}
		if _, ok := res.Extra["parked"]; !ok {
			t.Fatalf("idle: no parked count: %+v", res)
		}
	})
}

func runInprocOK(t *testing.T, cfg Config) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := RunInproc(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "inproc" {
		t.Fatalf("mode %q", res.Mode)
	}
	return res
}

func TestInprocPeerAccountsExactly(t *testing.T) {
	res := runInprocOK(t, Config{Scenario: "peer", Conns: 20, Count: 2000, Warmup: true})
	if !res.OK() || res.Delivered != 2000 || res.Acked != 2000 {
		t.Fatalf("inproc peer: %+v", res)
	}
}

// once returns a fault hook that fires for the first measured delivery (seq ≥ 2: seq 1
// is the warm-up) to receiver, whoever sent it (the senders share the message budget,
// so any one of them may send little).
func once(receiver int) func(int, uint32, uint64) bool {
	var fired atomic.Bool
	return func(r int, _ uint32, q uint64) bool {
		return r == receiver && q >= 2 && fired.CompareAndSwap(false, true)
	}
}

// onceAny fires once, on the first measured delivery to any receiver: in the room
// scenario the senders share one budget, so a fixed receiver's room may get no
// measured message at all.
func onceAny() func(int, uint32, uint64) bool {
	var fired atomic.Bool
	return func(_ int, _ uint32, q uint64) bool {
		return q >= 2 && fired.CompareAndSwap(false, true)
	}
}

// TestInprocRoomAccountsExactly: rooms straight at the room actors, the stand-in fan-out
// keeping the room lists from RoomFanout and delivering RoomDeliver.
func TestInprocRoomAccountsExactly(t *testing.T) {
	base := Config{Scenario: "room", Conns: 40, Rooms: 2, Senders: 2, Count: 400, Warmup: true}
	t.Run("clean", func(t *testing.T) {
		res := runInprocOK(t, base)
		// 400 messages, each to the 19 other members of its room.
		if !res.OK() || res.Expected != 400*19 || res.Delivered != 400*19 || res.Acked != 400 {
			t.Fatalf("inproc room: %+v", res)
		}
		if res.Delivery.Count != 400*19 || res.Ack.Count != 400 {
			t.Fatalf("latencies missing: %+v", res)
		}
		if res.Extra["kinds"] != "room" || res.Extra["members_per_room"] != 20 {
			t.Fatalf("extra: %+v", res.Extra)
		}
	})
	t.Run("a dropped delivery is reported lost", func(t *testing.T) {
		cfg := base
		cfg.Drain = 2 * time.Second
		cfg.dropDelivery = onceAny() // one member misses a message
		res := runInprocOK(t, cfg)
		if res.Lost != 1 || res.Duplicates != 0 || res.OK() || res.Delivered != 400*19-1 {
			t.Fatalf("want exactly one lost: %+v", res)
		}
	})
	t.Run("a duplicated delivery is reported duplicate", func(t *testing.T) {
		cfg := base
		cfg.dupDelivery = onceAny() // one member gets a message twice
		res := runInprocOK(t, cfg)
		if res.Duplicates != 1 || res.Lost != 0 || res.OK() {
			t.Fatalf("want exactly one duplicate: %+v", res)
		}
	})
	t.Run("a message never sent is lost to every member", func(t *testing.T) {
		cfg := base
		cfg.Drain = 2 * time.Second
		var fired atomic.Bool
		cfg.skipSend = func(_ uint32, seq uint64) bool { return seq >= 2 && fired.CompareAndSwap(false, true) }
		res := runInprocOK(t, cfg)
		if res.Lost != 19 || res.Duplicates != 0 {
			t.Fatalf("want 19 lost: %+v", res)
		}
	})
}

// TestInprocGroupAccountsExactly: a group straight at the group actor, its members'
// connections registered with their user actors (presence), more than one invitation
// batch.
func TestInprocGroupAccountsExactly(t *testing.T) {
	base := Config{Scenario: "group", Conns: 150, Senders: 3, Count: 60, Warmup: true}
	t.Run("clean", func(t *testing.T) {
		res := runInprocOK(t, base)
		// 60 messages, each to the 149 other members.
		if !res.OK() || res.Expected != 60*149 || res.Delivered != 60*149 || res.Acked != 60 {
			t.Fatalf("inproc group: %+v", res)
		}
		if res.Delivery.Count != 60*149 || res.Extra["members"] != 150 {
			t.Fatalf("latencies or extra missing: %+v", res)
		}
	})
	t.Run("a dropped delivery is reported lost", func(t *testing.T) {
		cfg := base
		cfg.Drain = 2 * time.Second
		cfg.dropDelivery = once(120)
		res := runInprocOK(t, cfg)
		if res.Lost != 1 || res.Duplicates != 0 || res.OK() || res.Delivered != 60*149-1 {
			t.Fatalf("want exactly one lost: %+v", res)
		}
	})
	t.Run("a duplicated delivery is reported duplicate", func(t *testing.T) {
		cfg := base
		cfg.dupDelivery = once(100)
		res := runInprocOK(t, cfg)
		if res.Duplicates != 1 || res.Lost != 0 || res.OK() {
			t.Fatalf("want exactly one duplicate: %+v", res)
		}
	})
}

func TestInprocChannelAccountsExactly(t *testing.T) {
	// 100 online members of a 5,000-member community (the rest imported, offline).
	base := Config{Scenario: "channel", Conns: 100, Members: 5000, Senders: 3, Count: 60, Warmup: true}
	t.Run("clean", func(t *testing.T) {
		res := runInprocOK(t, base)
		// 60 messages, each to the 99 other online members: offline members cost nothing.
		if !res.OK() || res.Expected != 60*99 || res.Delivered != 60*99 || res.Acked != 60 {
			t.Fatalf("inproc channel: %+v", res)
		}
		if res.Extra["members"] != 5000 || res.Extra["online"] != 100 {
			t.Fatalf("extra: %+v", res.Extra)
		}
	})
	t.Run("a dropped delivery is reported lost", func(t *testing.T) {
		cfg := base
		cfg.Drain = 2 * time.Second
		cfg.dropDelivery = once(50)
		res := runInprocOK(t, cfg)
		if res.Lost != 1 || res.Duplicates != 0 || res.OK() || res.Delivered != 60*99-1 {
			t.Fatalf("want exactly one lost: %+v", res)
		}
	})
	t.Run("a duplicated delivery is reported duplicate", func(t *testing.T) {
		cfg := base
		cfg.dupDelivery = once(60)
		res := runInprocOK(t, cfg)
		if res.Duplicates != 1 || res.Lost != 0 || res.OK() {
			t.Fatalf("want exactly one duplicate: %+v", res)
		}
	})
}

// A paced run spreads the senders over each interval: with 1,000 senders at 5 msgs/s
// each, the 1,000 first messages are due 0.2 µs apart, not all at once.
func TestPacedSendersAreSpread(t *testing.T) {
	n, per := 1000, 5.0
	seen := map[time.Duration]bool{}
	for i := 0; i < n; i++ {
		d := due(0, i, n, per)
		if d < 0 || d >= 200*time.Millisecond || seen[d] {
			t.Fatalf("sender %d's first message due at %v", i, d)
		}
		seen[d] = true
		if next := due(1, i, n, per); (next - d - 200*time.Millisecond).Abs() > time.Microsecond {
			t.Fatalf("sender %d: interval %v, want 200ms", i, next-d)
		}
	}
}

func TestPresenceScenarioAccountsEveryPush(t *testing.T) {
	url := spawn(t)
	res := runOK(t, Config{Scenario: "presence", Target: url, Conns: 30, Senders: 2, Count: 20, Drain: 10 * time.Second})
	if !res.OK() || res.Sent != 20 || res.Acked != 20 || res.Expected != 600 || res.Delivered != 600 {
		t.Fatalf("presence run: %+v", res)
	}
	if res.Ack.Count != 20 || res.Ack.P50 <= 0 || res.Delivery.Count != 600 {
		t.Fatalf("latencies: %+v", res)
	}
}
