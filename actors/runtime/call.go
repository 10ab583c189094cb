package runtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// maxAttempts bounds how often one request is sent again after it provably did not run
// (dead letter, or its activation stopped without answering).
const maxAttempts = 8

// replyProcess is a one-shot process that receives the reply of one request and hands it
// to a callback. Unlike a protoactor future it needs no goroutine waiting per request:
// the reply invokes the callback directly (on the replying actor's goroutine for local
// actors), so callbacks must be short and must not block.
type replyProcess struct {
	r        *Node
	self     *actor.PID
	target   *actor.PID
	kind, id string
	msg      proto.Message
	ctx      context.Context
	done     func(proto.Message, error)
	attempt  int
	timer    atomic.Pointer[time.Timer] // set after the timer starts: its callback may run first
	fired    atomic.Bool
}

var _ actor.Process = (*replyProcess)(nil)

// inflight holds the requests sent and not yet answered. An activation that stops drops
// what is left in its mailbox without a word (protoactor discards user messages after the
// stop); such requests never ran, so they are sent again to the next activation when the
// stop is announced. One set of all pending requests: adding and removing (every request)
// costs no allocation; an activation's stop (rare) scans the set for its requests.
type inflight struct {
	mu sync.Mutex
	m  map[*replyProcess]struct{}
}

func (f *inflight) add(p *replyProcess) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[*replyProcess]struct{}{}
	}
	f.m[p] = struct{}{}
	f.mu.Unlock()
}

func (f *inflight) remove(p *replyProcess) {
	f.mu.Lock()
	delete(f.m, p)
	f.mu.Unlock()
}

// takeAddress removes and returns the requests pending at any activation of the member
// at address.
func (f *inflight) takeAddress(address string) []*replyProcess {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*replyProcess
	for p := range f.m {
		if p.target.Address == address {
			out = append(out, p)
			delete(f.m, p)
		}
	}
	return out
}

// take removes and returns the requests pending at a stopped activation.
func (f *inflight) take(pid *actor.PID) []*replyProcess {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*replyProcess
	for p := range f.m {
		if p.target.Id == pid.Id && p.target.Address == pid.Address {
			out = append(out, p)
			delete(f.m, p)
		}
	}
	return out
}

func (p *replyProcess) finish() bool {
	if !p.fired.CompareAndSwap(false, true) {
		return false
	}
	if t := p.timer.Load(); t != nil {
		t.Stop()
	}
	p.r.sys.ProcessRegistry.Remove(p.self)
	p.r.pending.remove(p)
	return true
}

func (p *replyProcess) SendUserMessage(_ *actor.PID, message any) {
	if !p.finish() {
		return
	}
	res := actor.UnwrapEnvelopeMessage(message)
	if _, dead := res.(*actor.DeadLetterResponse); dead {
		p.again() // not processed: the activation had stopped
		return
	}
	p.done(replyOutcome(res))
}

// again sends the request once more (it did not run), after a short backoff.
func (p *replyProcess) again() {
	p.r.evict(p.kind, p.id, p.target)
	if p.attempt+1 >= maxAttempts {
		p.r.log.Error("request gave up", "kind", p.kind, "identity", p.id)
		p.done(nil, ErrInternal)
		return
	}
	time.AfterFunc(time.Duration(p.attempt+1)*2*time.Millisecond, func() {
		p.r.send(p.ctx, p.kind, p.id, p.msg, p.attempt+1, p.done)
	})
}

func (p *replyProcess) SendSystemMessage(*actor.PID, any) {}

func (p *replyProcess) Stop(*actor.PID) {}

func (p *replyProcess) timeout() {
	if p.finish() {
		p.done(nil, ErrTimeout)
	}
}

// Go is Request without waiting: the request is sent before Go returns (so requests from
// one goroutine reach an actor in order), and done runs with the outcome — on the
// replying actor's goroutine or a timer's, so it must not block. A request that provably
// did not run (dead letter, or its activation stopped first) is sent again; a timed-out
// one is not, since it may have run.
func (r *Node) Go(ctx context.Context, kind, identity string, msg proto.Message, done func(proto.Message, error)) {
	r.send(ctx, kind, identity, msg, 0, done)
}

func (r *Node) send(ctx context.Context, kind, identity string, msg proto.Message, attempt int, done func(proto.Message, error)) {
	if ctx.Err() != nil {
		done(nil, ErrTimeout)
		return
	}
	target, err := r.pid(kind, identity)
	if err != nil {
		if attempt+1 >= maxAttempts {
			r.log.Error("request gave up", "kind", kind, "identity", identity, "err", err)
			done(nil, ErrInternal)
			return
		}
		time.AfterFunc(time.Duration(attempt+1)*2*time.Millisecond, func() {
			r.send(ctx, kind, identity, msg, attempt+1, done)
		})
		return
	}
	p := &replyProcess{r: r, target: target, kind: kind, id: identity, msg: msg, ctx: ctx, done: done, attempt: attempt}
	self, _ := r.sys.ProcessRegistry.Add(p, "reply$"+r.sys.ProcessRegistry.NextId())
	p.self = self
	p.timer.Store(time.AfterFunc(r.timeout(ctx), p.timeout))
	r.pending.add(p)
	r.sys.Root.RequestWithCustomSender(target, msg, self)
}

// Request sends msg to kind/identity and waits for the reply. A *messages.CallReply with
// a non-zero code comes back as a *CodeError.
func (r *Node) Request(ctx context.Context, kind, identity string, msg proto.Message) (proto.Message, error) {
	type outcome struct {
		m   proto.Message
		err error
	}
	ch := make(chan outcome, 1)
	r.Go(ctx, kind, identity, msg, func(m proto.Message, err error) { ch <- outcome{m, err} })
	o := <-ch
	return o.m, o.err
}

// activationStopped sends again the requests that were pending at a stopped activation.
func (r *Node) activationStopped(pid *actor.PID) {
	for _, p := range r.pending.take(pid) {
		if p.finish() {
			p.again()
		}
	}
}

// replyOutcome turns an actor's reply into a result or a *CodeError.
func replyOutcome(res any) (proto.Message, error) {
	if rep, ok := res.(*messages.CallReply); ok && rep.Code != 0 {
		return nil, &CodeError{Code: rep.Code, Message: rep.Message}
	}
	out, ok := res.(proto.Message)
	if !ok {
		return nil, ErrInternal
	}
	return out, nil
}

// Call runs a client method on kind/identity and returns the reply's Result bytes.
func (r *Node) Call(ctx context.Context, kind, identity string, call *messages.Call) ([]byte, error) {
	res, err := r.Request(ctx, kind, identity, call)
	if err != nil {
		return nil, err
	}
	rep, ok := res.(*messages.CallReply)
	if !ok {
		return nil, ErrInternal
	}
	return rep.Data, nil
}
