package actors

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// probe is a test-only kind: "panic" panics, "count" answers how many Calls this
// activation saw; one-way Passivate-free messages (UserPush) are counted per identity.
const kindProbe = "test-probe"

var (
	probeActivations sync.Map // identity → *atomic.Int64
	probeOneWay      sync.Map // identity → *atomic.Int64
)

func counter(m *sync.Map, id string) *atomic.Int64 {
	v, _ := m.LoadOrStore(id, new(atomic.Int64))
	return v.(*atomic.Int64)
}

type probeActor struct{ calls int }

func (p *probeActor) activate(g *grain) error {
	counter(&probeActivations, g.id).Add(1)
	return nil
}
func (p *probeActor) canPassivate(*grain) bool { return true }
func (p *probeActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *messages.Call:
		p.calls++
		switch m.Method {
		case "panic":
			panic("probe asked to panic")
		case "count":
			return &messages.ConversationTotalUnreadMessageCountQueriedResult{UnreadMessageCount: int64(p.calls)}, nil
		}
		return nil, ErrUnsupported
	case *messages.UserPush:
		counter(&probeOneWay, g.id).Add(1)
	}
	return nil, nil
}

func init() { registerKind(kindProbe, func() handler { return &probeActor{} }) }

func startTestRuntime(t *testing.T, idle time.Duration) *Runtime {
	t.Helper()
	rt, err := Start(Config{Store: persistence.NewMemory(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		IdleTimeout: idle, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = rt.Shutdown(ctx)
	})
	return rt
}

func callCount(t *testing.T, rt *Runtime, id string) int64 {
	t.Helper()
	data, err := rt.Call(context.Background(), kindProbe, id, &messages.Call{Method: "count"})
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	res := &messages.ConversationTotalUnreadMessageCountQueriedResult{}
	if err := proto.Unmarshal(data, res); err != nil {
		t.Fatal(err)
	}
	return res.UnreadMessageCount
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(5*time.Second, cond) {
		t.Fatalf("not within the deadline: %s", what)
	}
}

func TestPanicBecomesInternalErrorAndStateIsReloaded(t *testing.T) {
	rt := startTestRuntime(t, time.Minute)
	if n := callCount(t, rt, "p1"); n != 1 {
		t.Fatalf("first call counted %d", n)
	}
	_, err := rt.Call(context.Background(), kindProbe, "p1", &messages.Call{Method: "panic"})
	var ce *CodeError
	if !errors.As(err, &ce) || ce.Code != ErrInternal.Code {
		t.Fatalf("panic must answer 6000007 at once, got %v", err)
	}
	// The panicking activation stops; calls that reach it meanwhile are refused with
	// 6000007, and then the next call runs on a fresh activation with fresh state.
	waitFor(t, "a new activation after the panic", func() bool {
		data, err := rt.Call(context.Background(), kindProbe, "p1", &messages.Call{Method: "count"})
		if err != nil {
			if !errors.As(err, &ce) || ce.Code != ErrInternal.Code {
				t.Fatalf("call after panic: %v", err)
			}
			return false
		}
		res := &messages.ConversationTotalUnreadMessageCountQueriedResult{}
		_ = proto.Unmarshal(data, res)
		return res.UnreadMessageCount == 1 && counter(&probeActivations, "p1").Load() == 2
	})
}

func TestIdleActorsPassivateAndOneWayMessagesSurviveIt(t *testing.T) {
	rt := startTestRuntime(t, 30*time.Millisecond)
	callCount(t, rt, "p2")
	waitFor(t, "passivation", func() bool {
		_, cached := rt.pids.Load(pidKey(kindProbe, "p2"))
		return !cached
	})
	// Sends after passivation reach a new activation; none is lost.
	for i := 0; i < 50; i++ {
		rt.Send(kindProbe, "p2", &messages.UserPush{})
	}
	waitFor(t, "all one-way messages counted", func() bool { return counter(&probeOneWay, "p2").Load() == 50 })
	if n := counter(&probeActivations, "p2").Load(); n < 2 {
		t.Fatalf("expected a second activation, got %d", n)
	}
}

func TestGoDeliversRepliesAndErrorsAsync(t *testing.T) {
	rt := startTestRuntime(t, time.Minute)
	done := make(chan error, 2)
	rt.Go(context.Background(), kindProbe, "p3", &messages.Call{Method: "count"}, func(_ proto.Message, err error) { done <- err })
	rt.Go(context.Background(), kindProbe, "p3", &messages.Call{Method: "nope"}, func(_ proto.Message, err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatalf("first: %v", err)
	}
	var ce *CodeError
	if err := <-done; !errors.As(err, &ce) || ce.Code != ErrUnsupported.Code {
		t.Fatalf("second: want 6000013, got %v", err)
	}
}

func TestIDsAreUniqueAndOrdered(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := newIDGen(7, func() time.Time { return now })
	prev := uint64(0)
	for i := 0; i < 10000; i++ { // more than 4096 in one millisecond: borrows the next
		id := g.next()
		if id <= prev {
			t.Fatalf("id %d not after %d", id, prev)
		}
		prev = id
	}
}
