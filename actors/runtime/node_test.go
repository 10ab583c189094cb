package runtime

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
)

// probe is the test kind: Call "panic" panics, "count" answers how many Calls this
// activation saw, "later" is answered by the next message; one-way UserPush messages are
// counted per identity.
const kindProbe = "probe"

type probeCounts struct {
	activations sync.Map // identity → *atomic.Int64
	oneWay      sync.Map // identity → *atomic.Int64
}

func counter(m *sync.Map, id string) *atomic.Int64 {
	v, _ := m.LoadOrStore(id, new(atomic.Int64))
	return v.(*atomic.Int64)
}

type probe struct {
	counts *probeCounts
	calls  int
	kept   Caller
}

func (p *probe) Activate(g *Grain) error {
	counter(&p.counts.activations, g.ID()).Add(1)
	return nil
}

func (p *probe) CanPassivate(*Grain) bool { return true }

func (p *probe) Handle(g *Grain, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *messages.Call:
		p.calls++
		switch m.Method {
		case "panic":
			panic("probe asked to panic")
		case "count":
			return &messages.ConversationTotalUnreadMessageCountQueriedResult{UnreadMessageCount: int64(p.calls)}, nil
		case "later":
			p.kept = g.Caller()
			g.After(10*time.Millisecond, &messages.GroupFlush{})
			return nil, ErrLater
		}
		return nil, &CodeError{Code: 6000013, Message: "unsupported request"}
	case *messages.GroupFlush:
		g.Answer(p.kept, &messages.ConversationTotalUnreadMessageCountQueriedResult{UnreadMessageCount: 42}, nil)
	case *messages.UserPush:
		counter(&p.counts.oneWay, g.ID()).Add(1)
	}
	return nil, nil
}

func startNode(t *testing.T, idle time.Duration) (*Node, *probeCounts) {
	t.Helper()
	counts := &probeCounts{}
	n, err := Start(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), IdleTimeout: idle, RequestTimeout: 2 * time.Second,
		Kinds: []Kind{{Name: kindProbe, New: func() Handler { return &probe{counts: counts} }}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = n.Shutdown(ctx)
	})
	return n, counts
}

func call(n *Node, id, method string) (int64, error) {
	data, err := n.Call(context.Background(), kindProbe, id, &messages.Call{Method: method})
	if err != nil {
		return 0, err
	}
	res := &messages.ConversationTotalUnreadMessageCountQueriedResult{}
	if err := proto.Unmarshal(data, res); err != nil {
		return 0, err
	}
	return res.UnreadMessageCount, nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within the deadline: %s", what)
		}
		time.Sleep(100 * time.Microsecond) // the polling interval
	}
}

func TestPanicBecomesInternalErrorAndStateIsReloaded(t *testing.T) {
	n, counts := startNode(t, time.Minute)
	if c, err := call(n, "p1", "count"); err != nil || c != 1 {
		t.Fatalf("first call counted %d, %v", c, err)
	}
	_, err := call(n, "p1", "panic")
	var ce *CodeError
	if !errors.As(err, &ce) || ce.Code != ErrInternal.Code {
		t.Fatalf("panic must answer 6000007 at once, got %v", err)
	}
	// The panicking activation stops; calls that reach it meanwhile are refused with
	// 6000007, and then the next call runs on a fresh activation with fresh state.
	waitFor(t, "a new activation after the panic", func() bool {
		c, err := call(n, "p1", "count")
		if err != nil {
			if !errors.As(err, &ce) || ce.Code != ErrInternal.Code {
				t.Fatalf("call after panic: %v", err)
			}
			return false
		}
		return c == 1 && counter(&counts.activations, "p1").Load() == 2
	})
}

func TestIdleActorsPassivateAndOneWayMessagesSurviveIt(t *testing.T) {
	n, counts := startNode(t, 30*time.Millisecond)
	if _, err := call(n, "p2", "count"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "passivation", func() bool { return !n.Cached(kindProbe, "p2") })
	// Sends after passivation reach a new activation; none is lost.
	for i := 0; i < 50; i++ {
		n.Send(kindProbe, "p2", &messages.UserPush{})
	}
	waitFor(t, "all one-way messages counted", func() bool { return counter(&counts.oneWay, "p2").Load() == 50 })
	if a := counter(&counts.activations, "p2").Load(); a < 2 {
		t.Fatalf("expected a second activation, got %d", a)
	}
}

func TestGoDeliversRepliesAndErrorsAsync(t *testing.T) {
	n, _ := startNode(t, time.Minute)
	done := make(chan error, 2)
	n.Go(context.Background(), kindProbe, "p3", &messages.Call{Method: "count"}, func(_ proto.Message, err error) { done <- err })
	n.Go(context.Background(), kindProbe, "p3", &messages.Call{Method: "nope"}, func(_ proto.Message, err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatalf("first: %v", err)
	}
	var ce *CodeError
	if err := <-done; !errors.As(err, &ce) || ce.Code != 6000013 {
		t.Fatalf("second: want 6000013, got %v", err)
	}
}

func TestAnswerLaterAndAfter(t *testing.T) {
	n, _ := startNode(t, time.Minute)
	c, err := call(n, "p4", "later")
	if err != nil || c != 42 {
		t.Fatalf("a request answered by a later message: %d, %v", c, err)
	}
}

func TestRequestTimesOutWithItsCode(t *testing.T) {
	n, _ := startNode(t, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	_, err := n.Call(ctx, kindProbe, "p5", &messages.Call{Method: "count"})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("want the timeout code, got %v", err)
	}
}

func TestSpawnedProcessGetsParleyMessagesOnly(t *testing.T) {
	n, _ := startNode(t, time.Minute)
	got := make(chan proto.Message, 4)
	stop, err := n.Spawn("sink", func(m proto.Message) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Spawn("sink", func(proto.Message) {}); err == nil {
		t.Fatal("a second process of the same name was spawned")
	}
	n.SendProcess(n.Address(), "sink", &messages.Deliver{ConnIDs: []uint64{7}})
	select {
	case m := <-got:
		if d, ok := m.(*messages.Deliver); !ok || d.ConnIDs[0] != 7 {
			t.Fatalf("got %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the process got nothing")
	}
	stop()
}

func TestConfigRefusesBadKinds(t *testing.T) {
	for _, cfg := range []Config{
		{Kinds: []Kind{{Name: "a"}}},
		{Kinds: []Kind{{Name: "a", New: func() Handler { return nil }}, {Name: "a", New: func() Handler { return nil }}}},
		{Kinds: []Kind{{Name: "a", New: func() Handler { return nil }}}, Hosted: []string{"b"}},
	} {
		if _, err := Start(cfg); err == nil {
			t.Fatalf("config %+v accepted", cfg)
		}
	}
}

func TestTestGrainDrivesAHandlerWithoutActors(t *testing.T) {
	counts := &probeCounts{}
	tg := NewTestGrain(kindProbe, "t1", &probe{counts: counts}, nil)
	if err := tg.Activate(); err != nil {
		t.Fatal(err)
	}
	if rep, _ := tg.Request(&messages.Call{Method: "count"}); rep.Code != 0 {
		t.Fatalf("count: %v", rep)
	}
	// "later" is answered by a message posted with After: not before the clock moves.
	if rep, _ := tg.Request(&messages.Call{Method: "later"}); rep.Code != ErrTimeout.Code {
		t.Fatalf("answered before its timer: %v", rep)
	}
	if len(tg.Timers()) != 1 {
		t.Fatalf("timers %v", tg.Timers())
	}
	tg.Advance(5 * time.Millisecond)
	if len(tg.Timers()) != 1 {
		t.Fatal("a timer fired early")
	}
	tg.Advance(5 * time.Millisecond)
	if len(tg.Timers()) != 0 {
		t.Fatal("the timer did not fire")
	}
	if rep, _ := tg.Request(&messages.Call{Method: "panic"}); rep.Code != ErrInternal.Code {
		t.Fatalf("panic: %v", rep)
	}
	if rep, _ := tg.Request(&messages.Call{Method: "count"}); rep.Code != ErrInternal.Code {
		t.Fatalf("a grain that panicked must refuse until it stops: %v", rep)
	}
	tg.Tell(&messages.UserPush{})
	if counter(&counts.oneWay, "t1").Load() != 0 {
		t.Fatal("a failed grain handled a one-way message")
	}
}
