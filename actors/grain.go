package actors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// handler is one actor kind's behaviour. Every method runs inside the actor (one message
// at a time); none may be called from another goroutine.
type handler interface {
	// activate loads the entity's state from the store.
	activate(g *grain) error
	// handle processes one message. For a *messages.Call the result is the method's
	// Result; for other requests it is the reply itself. One-way messages return nil, nil.
	handle(g *grain, msg proto.Message) (proto.Message, error)
	// canPassivate reports whether the actor may stop when idle.
	canPassivate(g *grain) bool
}

// grain is the actor behind every kind: it owns activation, passivation, panic recovery
// and reply encoding; the handler owns the entity.
type grain struct {
	rt       *Runtime
	kind     string
	id       string
	h        handler
	log      *slog.Logger
	ctx      actor.Context // the current message's context; valid only inside Receive
	failed   error         // activation failed or a handler panicked: refuse with it until stopped
	lastUsed time.Time
	timer    *time.Timer
	gen      int64
}

// Receive implements actor.Actor.
func (g *grain) Receive(ctx actor.Context) {
	g.ctx = ctx
	defer func() { g.ctx = nil }()
	switch msg := ctx.Message().(type) {
	case *actor.Started:
	case *cluster.ClusterInit:
		g.id = msg.Identity.Identity
		g.log = slog.New(&grainHandler{h: g.rt.log.Handler(), kind: g.kind, id: g.id})
		g.lastUsed = g.rt.now()
		if err := g.safeActivate(); err != nil {
			g.log.Error("activation failed", "err", err)
			g.failed = ErrStorage
			ctx.Poison(ctx.Self())
			return
		}
		g.arm()
	case *messages.Passivate:
		if msg.Generation != g.gen {
			return
		}
		if g.rt.now().Sub(g.lastUsed) >= g.rt.cfg.IdleTimeout && g.h.canPassivate(g) {
			ctx.Poison(ctx.Self())
			return
		}
		g.arm()
	case *actor.Stopping, *actor.Restarting:
	case *actor.Stopped:
		if g.timer != nil {
			g.timer.Stop()
		}
	case proto.Message:
		g.lastUsed = g.rt.now()
		if g.failed != nil {
			g.respond(nil, g.failed)
			return
		}
		res, err := g.safeHandle(msg)
		if err == errLater {
			return
		}
		if _, isCall := msg.(*messages.Call); isCall || ctx.Sender() != nil {
			g.respondTo(msg, res, err)
		}
	}
}

// arm (re)starts the idle timer.
func (g *grain) arm() {
	g.gen++
	gen, self, sys := g.gen, g.ctx.Self(), g.rt.sys
	if g.timer != nil {
		g.timer.Stop()
	}
	g.timer = time.AfterFunc(g.rt.cfg.IdleTimeout, func() {
		sys.Root.Send(self, &messages.Passivate{Generation: gen})
	})
}

func (g *grain) safeActivate() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in activate: %v", p)
		}
	}()
	return g.h.activate(g)
}

// safeHandle turns a panic into an internal-error reply and stops the actor, so that the
// next activation starts again from the store instead of half-changed state.
func (g *grain) safeHandle(msg proto.Message) (res proto.Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("panic in handler", "panic", p, "stack", string(debug.Stack()))
			res, err = nil, ErrInternal
			g.failed = ErrInternal
			g.ctx.Poison(g.ctx.Self())
		}
	}()
	return g.h.handle(g, msg)
}

func (g *grain) respondTo(req proto.Message, res proto.Message, err error) {
	if _, isCall := req.(*messages.Call); isCall {
		g.respond(res, err)
		return
	}
	if err != nil || res == nil {
		g.respond(nil, err)
		return
	}
	g.ctx.Respond(res)
}

// errLater is what a handler returns for a call it answers itself later, with answer
// and the caller it kept from sender.
var errLater = errors.New("actors: answered later")

// sender is the caller of the current message (nil for one-way messages).
func (g *grain) sender() *actor.PID { return g.ctx.Sender() }

// respond answers the current request with a CallReply carrying res or err.
func (g *grain) respond(res proto.Message, err error) { g.answer(g.ctx.Sender(), res, err) }

// answer sends caller (of this or an earlier message) a CallReply carrying res or err.
func (g *grain) answer(caller *actor.PID, res proto.Message, err error) {
	if caller == nil {
		return
	}
	rep := &messages.CallReply{}
	if err != nil {
		rep.Code, rep.Message = Reply(err)
		if rep.Code == ErrInternal.Code {
			g.log.Error("request failed", "err", err)
		}
	} else if res != nil {
		data, merr := proto.Marshal(res)
		if merr != nil {
			rep.Code, rep.Message = Reply(ErrInternal)
		} else {
			rep.Data = data
		}
	}
	g.ctx.Send(caller, rep)
}

// bg is the context for store calls made inside an actor.
func (g *grain) bg() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), g.rt.cfg.RequestTimeout)
}

// grainHandler adds an activation's kind and identity to its log records when they are
// written, not when the activation starts: slog's With formats its attributes at once,
// a cost every activation paid for records it mostly never writes.
type grainHandler struct {
	h        slog.Handler
	kind, id string
}

func (h *grainHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *grainHandler) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(slog.String("kind", h.kind), slog.String("id", h.id))
	return h.h.Handle(ctx, r)
}

func (h *grainHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return &grainHandler{h: h.h.WithAttrs(a), kind: h.kind, id: h.id}
}

func (h *grainHandler) WithGroup(name string) slog.Handler {
	return &grainHandler{h: h.h.WithGroup(name), kind: h.kind, id: h.id}
}
