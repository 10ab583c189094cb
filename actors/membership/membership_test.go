package membership_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors/membership"
	"github.com/parley-chat/parley/actors/membership/etcdtest"
	clientv3 "go.etcd.io/etcd/client/v3"
)

const testTTL = 2 * time.Second

func config(srv *etcdtest.Server, t *testing.T, addr string) membership.Config {
	return membership.Config{
		Endpoints: srv.Endpoints(),
		Prefix:    "/parley/" + t.Name() + "/",
		Address:   addr,
		Kinds:     []string{"user", "room"},
		TTL:       testTTL,
		Logger:    slog.New(slog.DiscardHandler),
	}
}

func join(t *testing.T, cfg membership.Config) *membership.Membership {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := membership.Join(ctx, cfg)
	if err != nil {
		t.Fatalf("join %s: %v", cfg.Address, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		m.Leave(ctx)
	})
	return m
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("after %s: %s", within, what)
		case <-tick.C:
		}
	}
}

func ids(ms []membership.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	slices.Sort(out)
	return out
}

func sameSet(ms []membership.Member, want ...*membership.Membership) bool {
	w := make([]string, len(want))
	for i, m := range want {
		w[i] = m.Self().ID
	}
	slices.Sort(w)
	return slices.Equal(ids(ms), w)
}

func TestThreeMembersJoinLeaveAndNodeIDReuse(t *testing.T) {
	srv := etcdtest.Start(t)
	t0 := time.Now()
	a := join(t, config(srv, t, "10.0.0.1:8000"))
	b := join(t, config(srv, t, "10.0.0.2:8000"))
	c := join(t, config(srv, t, "10.0.0.3:8000"))
	joined := time.Since(t0)
	all := []*membership.Membership{a, b, c}
	for _, m := range all {
		eventually(t, 5*time.Second, m.Self().Address+" sees all three", func() bool { return sameSet(m.Members(), all...) })
	}
	t.Logf("3 members joined in %s; all saw each other after %s", joined, time.Since(t0))

	got := []int{a.NodeID(), b.NodeID(), c.NodeID()}
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("node IDs = %v, want the lowest free ones in join order [1 2 3]", got)
	}
	ms := a.Members()
	for i, m := range ms {
		if m.NodeID != i+1 {
			t.Fatalf("Members not sorted by NodeID: %+v", ms)
		}
		if !slices.Equal(m.Kinds, []string{"user", "room"}) {
			t.Fatalf("kinds = %v", m.Kinds)
		}
	}
	if self := b.Self(); ms[1].ID != self.ID || ms[1].Address != "10.0.0.2:8000" || ms[1].NodeID != 2 {
		t.Fatalf("b's record as seen by a = %+v, b.Self = %+v", ms[1], self)
	}

	// While b is live its ID is not reused.
	d := join(t, config(srv, t, "10.0.0.4:8000"))
	if d.NodeID() != 4 {
		t.Fatalf("d took node ID %d while 1..3 are held, want 4", d.NodeID())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Leave(ctx); err != nil {
		t.Fatalf("leave: %v", err)
	}
	select {
	case <-b.Fenced():
	default:
		t.Fatal("Fenced() still open after Leave")
	}
	if !errors.Is(b.Err(), membership.ErrLeft) {
		t.Fatalf("Err after Leave = %v", b.Err())
	}
	for _, m := range []*membership.Membership{a, c, d} {
		eventually(t, 5*time.Second, m.Self().Address+" sees b gone", func() bool { return sameSet(m.Members(), a, c, d) })
	}
	// b is gone, so its ID is free again.
	e := join(t, config(srv, t, "10.0.0.5:8000"))
	if e.NodeID() != 2 {
		t.Fatalf("e took node ID %d after b (2) left, want 2", e.NodeID())
	}
	if e.Self().ID == b.Self().ID {
		t.Fatal("member IDs repeat")
	}
}

func TestWatchSnapshotsSerialized(t *testing.T) {
	srv := etcdtest.Start(t)
	a := join(t, config(srv, t, "10.0.0.1:8000"))

	var running, overlaps atomic.Int32
	var mu sync.Mutex
	var last []membership.Member
	calls := 0
	a.Watch(func(ms []membership.Member) {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		mu.Lock()
		last, calls = ms, calls+1
		mu.Unlock()
	})
	seen := func(want ...*membership.Membership) func() bool {
		return func() bool { mu.Lock(); defer mu.Unlock(); return sameSet(last, want...) }
	}
	eventually(t, 2*time.Second, "initial Watch call with self", seen(a))

	var others []*membership.Membership
	for i := range 5 {
		others = append(others, join(t, config(srv, t, fmt.Sprintf("10.0.1.%d:8000", i))))
	}
	eventually(t, 5*time.Second, "Watch sees all six", seen(append([]*membership.Membership{a}, others...)...))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, o := range others {
		if err := o.Leave(ctx); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "Watch sees only self again", seen(a))
	if n := overlaps.Load(); n != 0 {
		t.Fatalf("%d overlapping Watch calls", n)
	}
	mu.Lock()
	t.Logf("%d Watch calls for 11 changes", calls)
	mu.Unlock()
}

func TestConcurrentJoinsGetDistinctNodeIDs(t *testing.T) {
	srv := etcdtest.Start(t)
	const n = 20
	ms := make([]*membership.Membership, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ms[i], errs[i] = membership.Join(ctx, config(srv, t, fmt.Sprintf("10.0.0.%d:8000", i)))
		})
	}
	wg.Wait()
	t.Logf("%d concurrent joins took %s", n, time.Since(t0))
	seen := map[int]bool{}
	for i, m := range ms {
		if errs[i] != nil {
			t.Fatalf("join %d: %v", i, errs[i])
		}
		t.Cleanup(func() { m.Leave(context.Background()) })
		id := m.NodeID()
		if id < 1 || id > n || seen[id] {
			t.Fatalf("node IDs not distinct in 1..%d: %d repeated or out of range", n, id)
		}
		seen[id] = true
	}
	eventually(t, 5*time.Second, "everyone sees all 20", func() bool {
		for _, m := range ms {
			if len(m.Members()) != n {
				return false
			}
		}
		return true
	})
}

func TestMaxNodeIDExhausted(t *testing.T) {
	srv := etcdtest.Start(t)
	cfg := config(srv, t, "10.0.0.1:8000")
	cfg.MaxNodeID = 2
	join(t, cfg)
	join(t, cfg)
	_, err := membership.Join(context.Background(), cfg)
	if !errors.Is(err, membership.ErrNoNodeID) {
		t.Fatalf("third join with MaxNodeID 2: err = %v, want ErrNoNodeID", err)
	}
}

func TestExternallyRevokedLeaseFences(t *testing.T) {
	srv := etcdtest.Start(t)
	a := join(t, config(srv, t, "10.0.0.1:8000"))
	b := join(t, config(srv, t, "10.0.0.2:8000"))
	eventually(t, 5*time.Second, "b sees a", func() bool { return sameSet(b.Members(), a, b) })

	cli := srv.Client(t)
	t0 := time.Now()
	if _, err := cli.Revoke(context.Background(), clientv3.LeaseID(a.LeaseID())); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.Fenced():
		t.Logf("fenced %s after the revoke: %v", time.Since(t0), a.Err())
	case <-time.After(testTTL):
		t.Fatal("a not fenced after its lease was revoked")
	}
	if a.Err() == nil || errors.Is(a.Err(), membership.ErrLeft) {
		t.Fatalf("Err = %v, want a fencing cause", a.Err())
	}
	eventually(t, 5*time.Second, "b drops a", func() bool { return sameSet(b.Members(), b) })

	// The fenced member can come back as a new member.
	a2, err := a.Rejoin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a2.Leave(context.Background()) })
	if a2.Self().ID == a.Self().ID || a2.NodeID() != 1 {
		t.Fatalf("rejoined as %+v (was %+v)", a2.Self(), a.Self())
	}
	eventually(t, 5*time.Second, "b sees the rejoined a", func() bool { return sameSet(b.Members(), a2, b) })
}

// A member cut off from etcd fences itself before etcd expires its lease, so
// before anyone else can see it gone and take over its node ID.
func TestPartitionedMemberFencesBeforeLeaseExpiry(t *testing.T) {
	srv := etcdtest.Start(t)
	a := join(t, config(srv, t, "10.0.0.1:8000"))
	b := join(t, config(srv, t, "10.0.0.2:8000"))

	removed := make(chan time.Time, 1)
	var once sync.Once
	b.Watch(func(ms []membership.Member) {
		if len(ms) == 1 && ms[0].ID == b.Self().ID {
			once.Do(func() { removed <- time.Now() })
		}
	})
	eventually(t, 5*time.Second, "b sees a", func() bool { return sameSet(b.Members(), a, b) })

	t0 := time.Now()
	a.Partition()
	var fencedAt time.Time
	select {
	case <-a.Fenced():
		fencedAt = time.Now()
	case <-time.After(testTTL):
		t.Fatalf("a not fenced within the TTL (%s) of losing etcd", testTTL)
	}
	var removedAt time.Time
	select {
	case removedAt = <-removed:
	case <-time.After(3 * testTTL):
		t.Fatal("b never saw a's lease expire")
	}
	t.Logf("partitioned: fenced after %s (%v); b saw a gone after %s; fenced %s earlier",
		fencedAt.Sub(t0), a.Err(), removedAt.Sub(t0), removedAt.Sub(fencedAt))
	if !fencedAt.Before(removedAt) {
		t.Fatalf("fenced at +%s, not before b saw the lease expire at +%s", fencedAt.Sub(t0), removedAt.Sub(t0))
	}
	if !strings.Contains(a.Err().Error(), "not renewed") {
		t.Fatalf("Err = %v", a.Err())
	}
}

func TestStoppedEtcdFencesWithinTTL(t *testing.T) {
	srv := etcdtest.Start(t)
	a := join(t, config(srv, t, "10.0.0.1:8000"))
	t0 := time.Now()
	srv.Stop()
	stopped := time.Since(t0)
	select {
	case <-a.Fenced():
		t.Logf("etcd stopped (took %s); fenced %s after the stop began: %v", stopped, time.Since(t0), a.Err())
	case <-time.After(testTTL):
		t.Fatalf("not fenced within the TTL (%s) of etcd stopping", testTTL)
	}
}

func TestJoinUnreachableFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now

	cfg := membership.Config{
		Endpoints:   []string{addr},
		Prefix:      "/parley/x/",
		Address:     "10.0.0.1:8000",
		DialTimeout: 500 * time.Millisecond,
	}
	t0 := time.Now()
	_, err = membership.Join(context.Background(), cfg)
	took := time.Since(t0)
	if err == nil {
		t.Fatal("join succeeded without etcd")
	}
	t.Logf("failed after %s: %v", took, err)
	if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "is etcd running? set --etcd host:port") {
		t.Fatalf("error does not name the endpoint and the fix: %v", err)
	}
	if took > 2*time.Second {
		t.Fatalf("took %s with DialTimeout 500ms", took)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  membership.Config
		want string
	}{
		{"no endpoints", membership.Config{Prefix: "/p/", Address: "a:1"}, "set --etcd"},
		{"no prefix", membership.Config{Endpoints: []string{"x:1"}, Address: "a:1"}, "prefix"},
		{"no address", membership.Config{Endpoints: []string{"x:1"}, Prefix: "/p/"}, "address"},
		{"short ttl", membership.Config{Endpoints: []string{"x:1"}, Prefix: "/p/", Address: "a:1", TTL: time.Second}, "TTL"},
	} {
		_, err := membership.Join(context.Background(), tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestCompactedWatchRelists(t *testing.T) {
	srv := etcdtest.Start(t)
	cli := srv.Client(t)
	ctx := context.Background()
	var rev int64
	for i := range 10 {
		r, err := cli.Put(ctx, "/other/key", fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		rev = r.Header.Revision
	}
	if _, err := cli.Compact(ctx, rev); err != nil {
		t.Fatal(err)
	}
	cfg, relists := membership.WatchFromRevision(config(srv, t, "10.0.0.1:8000"), 2)
	a := join(t, cfg)
	eventually(t, 5*time.Second, "a re-lists after its watch is compacted", func() bool { return relists() >= 1 })
	b := join(t, config(srv, t, "10.0.0.2:8000"))
	eventually(t, 5*time.Second, "a keeps watching after re-listing", func() bool { return sameSet(a.Members(), a, b) })
}
