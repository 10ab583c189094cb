package actors

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"
)

// replyProcess is a one-shot process that receives the reply of one request and hands it
// to a callback. Unlike a protoactor future it needs no goroutine waiting per request:
// the reply invokes the callback directly (on the replying actor's goroutine for local
// actors), so callbacks must be short and must not block.
type replyProcess struct {
	r        *Runtime
	self     *actor.PID
	target   *actor.PID
	kind, id string
	msg      proto.Message
	ctx      context.Context
	done     func(proto.Message, error)
	timer    *time.Timer
	fired    atomic.Bool
}

var _ actor.Process = (*replyProcess)(nil)

func (p *replyProcess) finish() bool {
	if !p.fired.CompareAndSwap(false, true) {
		return false
	}
	p.timer.Stop()
	p.r.sys.ProcessRegistry.Remove(p.self)
	return true
}

func (p *replyProcess) SendUserMessage(_ *actor.PID, message any) {
	if !p.finish() {
		return
	}
	res := actor.UnwrapEnvelopeMessage(message)
	if _, dead := res.(*actor.DeadLetterResponse); dead {
		// Not processed: the activation had stopped. Retry from a goroutine (rare).
		p.r.evict(p.kind, p.id, p.target)
		go func() { p.done(p.r.Request(p.ctx, p.kind, p.id, p.msg)) }()
		return
	}
	out, _, err := p.r.outcome(p.kind, p.id, p.target, res, nil)
	p.done(out, err)
}

func (p *replyProcess) SendSystemMessage(*actor.PID, any) {}

func (p *replyProcess) Stop(*actor.PID) {}

func (p *replyProcess) timeout() {
	if p.finish() {
		p.done(nil, ErrRequestTimeout)
	}
}

// Go is Request without waiting: the request is sent before Go returns (so requests from
// one goroutine reach an actor in order), and done runs with the outcome — on the
// replying actor's goroutine or a timer's, so it must not block.
func (r *Runtime) Go(ctx context.Context, kind, identity string, msg proto.Message, done func(proto.Message, error)) {
	target, err := r.pid(kind, identity)
	if err != nil {
		go func() { done(r.Request(ctx, kind, identity, msg)) }()
		return
	}
	p := &replyProcess{r: r, target: target, kind: kind, id: identity, msg: msg, ctx: ctx, done: done}
	self, _ := r.sys.ProcessRegistry.Add(p, "reply$"+r.sys.ProcessRegistry.NextId())
	p.self = self
	p.timer = time.AfterFunc(r.timeout(ctx), p.timeout)
	r.sys.Root.RequestWithCustomSender(target, msg, self)
}
