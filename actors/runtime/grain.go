package runtime

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

// Handler is one actor kind's behaviour for one activation. Every method runs inside the
// actor (one message at a time); none may be called from another goroutine.
type Handler interface {
	// Activate loads the entity's state from the store. An error makes the activation
	// refuse every request with ErrStorage until it stops.
	Activate(g *Grain) error
	// Handle processes one message. For a *messages.Call the result is the method's
	// Result, answered as a CallReply; for other requests it is the reply itself. One-way
	// messages return nil, nil. ErrLater: the handler answers later (Grain.Answer).
	Handle(g *Grain, msg proto.Message) (proto.Message, error)
	// CanPassivate reports whether the actor may stop when idle.
	CanPassivate(g *Grain) bool
}

// ErrLater is what a handler returns for a request it answers itself later, with Answer
// and the Caller it kept.
var ErrLater = errors.New("runtime: answered later")

// Caller is whoever sent the current request; the zero Caller is a one-way message's.
type Caller struct {
	pid  *actor.PID
	test int // a TestGrain's caller number
}

// IsZero reports whether there is nobody to answer.
func (c Caller) IsZero() bool { return c.pid == nil && c.test == 0 }

// Grain is one activation of a virtual actor: it owns activation, passivation, panic
// recovery and replies; its Handler owns the entity. Its methods are for the handler,
// inside the actor only.
type Grain struct {
	node     *Node
	kind     string
	id       string
	h        Handler
	log      *slog.Logger
	ctx      actor.Context // the current message's context; valid only inside Receive
	self     *actor.PID
	failed   error // activation failed or a handler panicked: refuse with it until stopped
	lastUsed time.Time
	timer    *time.Timer
	gen      int64
	test     *TestGrain // set when a test drives the grain without an actor system
}

// ID is the entity's identity.
func (g *Grain) ID() string { return g.id }

// Kind is the actor kind.
func (g *Grain) Kind() string { return g.kind }

// Log is the activation's logger (kind and identity added to each record).
func (g *Grain) Log() *slog.Logger { return g.log }

// Node is the member the activation runs on.
func (g *Grain) Node() *Node { return g.node }

// CallCtx is a context bounded by the request timeout, for store calls and requests the
// handler makes.
func (g *Grain) CallCtx() (context.Context, context.CancelFunc) {
	if g.test != nil {
		return context.WithTimeout(context.Background(), 5*time.Second)
	}
	return context.WithTimeout(context.Background(), g.node.cfg.RequestTimeout)
}

// SendSelf posts msg to this actor's own mailbox, behind what is queued there.
func (g *Grain) SendSelf(msg proto.Message) {
	if g.test != nil {
		g.test.mailbox = append(g.test.mailbox, msg)
		return
	}
	g.node.sys.Root.Send(g.self, msg)
}

// After posts msg to this actor's own mailbox once d has passed (never touching its
// state from the timer). A message to an activation that stopped meanwhile reaches the
// next one.
func (g *Grain) After(d time.Duration, msg proto.Message) {
	if g.test != nil {
		g.test.timers = append(g.test.timers, Timer{Due: g.test.Now.Add(d), Msg: msg})
		return
	}
	self, root := g.self, g.node.sys.Root
	time.AfterFunc(d, func() { root.Send(self, msg) })
}

// Now is the clock of After: the wall clock, or a TestGrain's.
func (g *Grain) Now() time.Time {
	if g.test != nil {
		return g.test.Now
	}
	return time.Now()
}

// Caller is the sender of the current request (zero for one-way messages).
func (g *Grain) Caller() Caller {
	if g.test != nil {
		return Caller{test: g.test.caller}
	}
	if g.ctx == nil {
		return Caller{}
	}
	return Caller{pid: g.ctx.Sender()}
}

// Receive implements actor.Actor.
func (g *Grain) Receive(ctx actor.Context) {
	g.ctx = ctx
	defer func() { g.ctx = nil }()
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		g.self = ctx.Self()
	case *cluster.ClusterInit:
		g.id = msg.Identity.Identity
		g.log = slog.New(&grainHandler{h: g.node.log.Handler(), kind: g.kind, id: g.id})
		g.lastUsed = g.node.Now()
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
		if g.node.Now().Sub(g.lastUsed) >= g.node.cfg.IdleTimeout && g.h.CanPassivate(g) {
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
		g.lastUsed = g.node.Now()
		if !g.node.Live() {
			// Another member may own this identity now: touch nothing.
			g.Respond(nil, ErrMemberLost)
			return
		}
		if g.failed != nil {
			g.Respond(nil, g.failed)
			return
		}
		res, err := g.safeHandle(msg)
		if err == ErrLater {
			return
		}
		if _, isCall := msg.(*messages.Call); isCall || ctx.Sender() != nil {
			g.respondTo(msg, res, err)
		}
	}
}

// arm (re)starts the idle timer.
func (g *Grain) arm() {
	g.gen++
	gen, self, root := g.gen, g.self, g.node.sys.Root
	if g.timer != nil {
		g.timer.Stop()
	}
	g.timer = time.AfterFunc(g.node.cfg.IdleTimeout, func() {
		root.Send(self, &messages.Passivate{Generation: gen})
	})
}

func (g *Grain) safeActivate() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in activate: %v", p)
		}
	}()
	return g.h.Activate(g)
}

// safeHandle turns a panic into an internal-error reply and stops the actor, so that the
// next activation starts again from the store instead of half-changed state.
func (g *Grain) safeHandle(msg proto.Message) (res proto.Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("panic in handler", "panic", p, "stack", string(debug.Stack()))
			res, err = nil, ErrInternal
			g.failed = ErrInternal
			if g.ctx != nil {
				g.ctx.Poison(g.ctx.Self())
			}
		}
	}()
	return g.h.Handle(g, msg)
}

func (g *Grain) respondTo(req proto.Message, res proto.Message, err error) {
	if _, isCall := req.(*messages.Call); isCall {
		g.Respond(res, err)
		return
	}
	if err != nil || res == nil {
		g.Respond(nil, err)
		return
	}
	g.ctx.Respond(res)
}

// Respond answers the current request with a CallReply carrying res or err.
func (g *Grain) Respond(res proto.Message, err error) { g.Answer(g.Caller(), res, err) }

// Answer sends caller (of this or an earlier message) a CallReply carrying res or err.
func (g *Grain) Answer(caller Caller, res proto.Message, err error) {
	if caller.IsZero() {
		return
	}
	rep := &messages.CallReply{}
	if err != nil {
		rep.Code, rep.Message = Reply(err)
		switch rep.Code {
		case ErrInternal.Code:
			g.log.Error("request failed", "err", err)
		case ErrStorage.Code:
			g.log.Warn("request failed: store", "err", err)
		}
	} else if res != nil {
		data, merr := proto.Marshal(res)
		if merr != nil {
			rep.Code, rep.Message = Reply(ErrInternal)
		} else {
			rep.Data = data
		}
	}
	if g.test != nil {
		g.test.answers[caller.test] = rep
		return
	}
	g.node.sys.Root.Send(caller.pid, rep)
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

// quietLogger is the actor library's logger: parley's logger, WARN and above only.
func quietLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{h: l.Handler(), min: slog.LevelWarn}).With("lib", "protoactor")
}

type levelFilter struct {
	h   slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}
func (f levelFilter) Handle(ctx context.Context, r slog.Record) error { return f.h.Handle(ctx, r) }
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{h: f.h.WithAttrs(a), min: f.min}
}
func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{h: f.h.WithGroup(n), min: f.min}
}
