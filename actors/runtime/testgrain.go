package runtime

import (
	"io"
	"log/slog"
	"sort"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// TestGrain drives one Handler the way its actor would, without an actor system: a unit
// test activates it, hands it requests and one-way messages, and steps its own mailbox
// (SendSelf) and timers (After) by hand, on the test's clock. Nothing runs concurrently.
type TestGrain struct {
	G   *Grain
	H   Handler
	Now time.Time // the test's clock for After; move it and call Fire

	mailbox []proto.Message // SendSelf, not yet handled
	timers  []Timer         // After, not yet fired
	caller  int             // the current request's caller number (0: one-way)
	next    int
	answers map[int]*messages.CallReply
	direct  map[int]proto.Message // replies to requests that are not Calls
}

// Timer is a message posted with After.
type Timer struct {
	Due time.Time
	Msg proto.Message
}

// NewTestGrain makes a grain of kind/id for h. log may be nil (discarded).
func NewTestGrain(kind, id string, h Handler, log *slog.Logger) *TestGrain {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	t := &TestGrain{H: h, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), answers: map[int]*messages.CallReply{}}
	t.G = &Grain{kind: kind, id: id, h: h, test: t}
	t.G.log = slog.New(&grainHandler{h: log.Handler(), kind: kind, id: id})
	return t
}

// Activate runs the handler's Activate.
func (t *TestGrain) Activate() error { return t.G.safeActivate() }

// Request hands msg to the handler as a request, then handles the messages it posted to
// itself until the request is answered, and returns the answer: for a *messages.Call its
// Result bytes decoded by the caller, else the reply message. A request never answered
// (ErrLater without an Answer) returns ErrTimeout.
func (t *TestGrain) Request(msg proto.Message) (*messages.CallReply, proto.Message) {
	t.next++
	me := t.next
	t.deliver(msg, me)
	for t.answers[me] == nil && len(t.mailbox) > 0 {
		t.Step()
	}
	if rep := t.answers[me]; rep != nil {
		delete(t.answers, me)
		return rep, nil
	}
	if res, ok := t.direct[me]; ok {
		delete(t.direct, me)
		return nil, res
	}
	code, text := Reply(ErrTimeout)
	return &messages.CallReply{Code: code, Message: text}, nil
}

// Tell hands msg to the handler as a one-way message.
func (t *TestGrain) Tell(msg proto.Message) { t.deliver(msg, 0) }

// Step handles the oldest message the handler posted to itself; false when none.
func (t *TestGrain) Step() bool {
	if len(t.mailbox) == 0 {
		return false
	}
	msg := t.mailbox[0]
	t.mailbox = t.mailbox[1:]
	t.deliver(msg, 0)
	return true
}

// Drain handles the self-posted messages until none is left.
func (t *TestGrain) Drain() {
	for t.Step() {
	}
}

// Pending are the self-posted messages not handled yet.
func (t *TestGrain) Pending() []proto.Message { return t.mailbox }

// Timers are the After messages not fired yet, earliest first.
func (t *TestGrain) Timers() []Timer {
	sort.SliceStable(t.timers, func(i, j int) bool { return t.timers[i].Due.Before(t.timers[j].Due) })
	return t.timers
}

// Advance moves the clock by d and handles every timer then due, in order.
func (t *TestGrain) Advance(d time.Duration) {
	t.Now = t.Now.Add(d)
	for {
		timers := t.Timers()
		if len(timers) == 0 || timers[0].Due.After(t.Now) {
			return
		}
		t.timers = timers[1:]
		t.deliver(timers[0].Msg, 0)
	}
}

// CanPassivate asks the handler whether its actor may stop now.
func (t *TestGrain) CanPassivate() bool { return t.H.CanPassivate(t.G) }

func (t *TestGrain) deliver(msg proto.Message, caller int) {
	prev := t.caller
	t.caller = caller
	defer func() { t.caller = prev }()
	if t.G.failed != nil {
		t.G.Respond(nil, t.G.failed)
		return
	}
	res, err := t.G.safeHandle(msg)
	if err == ErrLater || caller == 0 {
		return
	}
	if _, isCall := msg.(*messages.Call); isCall || err != nil || res == nil {
		t.G.Respond(res, err)
		return
	}
	if t.direct == nil {
		t.direct = map[int]proto.Message{}
	}
	t.direct[caller] = res
}
