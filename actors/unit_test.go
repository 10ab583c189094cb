package actors

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Unit tests of the kinds run a kind's handler on a runtime.TestGrain (no actor system,
// no WebSocket) beside a Runtime whose node is a recorder: what a kind sends to other
// actors and to gateway nodes is recorded, requests it makes are answered by the test.

const unitNode = "unit-node:1"

// sent is one message a kind sent to another actor (Send, Notify) or to a gateway
// node's process (pushes: Deliver to "fanout").
type sent struct {
	kind, identity string // for processes: the node's address and the process name
	msg            proto.Message
}

// recorder is the actor node of unit tests.
type recorder struct {
	mu        sync.Mutex
	sends     []sent
	processes []sent
	// answer serves the requests a kind makes (nil: ErrUnsupported).
	answer func(kind, identity string, msg proto.Message) (proto.Message, error)
}

func (r *recorder) Address() string { return unitNode }
func (r *recorder) Send(kind, identity string, msg proto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sends = append(r.sends, sent{kind, identity, msg})
}
func (r *recorder) Notify(kind, identity string, msg proto.Message) { r.Send(kind, identity, msg) }
func (r *recorder) Go(ctx context.Context, kind, identity string, msg proto.Message, done func(proto.Message, error)) {
	done(r.Request(ctx, kind, identity, msg))
}
func (r *recorder) Request(_ context.Context, kind, identity string, msg proto.Message) (proto.Message, error) {
	if r.answer == nil {
		return nil, ErrUnsupported
	}
	return r.answer(kind, identity, msg)
}
func (r *recorder) Call(ctx context.Context, kind, identity string, call *messages.Call) ([]byte, error) {
	res, err := r.Request(ctx, kind, identity, call)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(res)
}
func (r *recorder) SendProcess(address, name string, msg proto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.processes = append(r.processes, sent{address, name, msg})
}
func (r *recorder) Locate(string, string) (string, error) { return unitNode, nil }
func (r *recorder) Shutdown(context.Context) error        { return nil }

// takeSends returns and forgets what was sent to actors.
func (r *recorder) takeSends() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sends
	r.sends = nil
	return out
}

// takePushes returns and forgets the pushes handed to gateway nodes, as (event, conn
// IDs) of each Deliver and RoomDeliver.
func (r *recorder) takePushes() []*messages.Deliver {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*messages.Deliver
	for _, p := range r.processes {
		switch m := p.msg.(type) {
		case *messages.Deliver:
			out = append(out, m)
		case *messages.RoomDeliver:
			out = append(out, &messages.Deliver{Push: m.Push, ExceptConnID: m.ExceptConnID})
		}
	}
	r.processes = nil
	return out
}

// unitWorld is a store, a Runtime on a recorder, and the grains a test made on them.
type unitWorld struct {
	tb  testing.TB
	rt  *Runtime
	rec *recorder
	now time.Time
}

func newUnitWorld(tb testing.TB, change ...func(*Config)) *unitWorld {
	tb.Helper()
	w := &unitWorld{tb: tb, rec: &recorder{}, now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{Store: persistence.NewMemory(), Logger: testLog(), Limits: DefaultLimits(), Now: func() time.Time { return w.now }}
	for _, c := range change {
		c(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	w.rt = &Runtime{cfg: cfg, log: cfg.Logger, node: w.rec, ids: newIDGen(1, cfg.Now)}
	tb.Cleanup(func() { _ = cfg.Store.Close() })
	return w
}

// unitGrain is one activation of a kind in a unit world.
type unitGrain struct {
	*runtime.TestGrain
	w *unitWorld
}

// grain activates kind/identity (a fresh activation: it loads what the store holds).
func (w *unitWorld) grain(kind, identity string) *unitGrain {
	w.tb.Helper()
	for _, k := range kindTable() {
		if k.name == kind {
			tg := runtime.NewTestGrain(kind, identity, &kindAdapter{rt: w.rt, h: k.new()}, testLog())
			if err := tg.Activate(); err != nil {
				w.tb.Fatalf("activate %s/%s: %v", kind, identity, err)
			}
			return &unitGrain{TestGrain: tg, w: w}
		}
	}
	w.tb.Fatalf("no kind %q", kind)
	return nil
}

// conn is a connection reference of user on the unit node.
func conn(id uint64) *messages.ConnRef {
	return &messages.ConnRef{Node: unitNode, ConnID: id, Platform: 1}
}

// call runs method as user on the grain and decodes the result into result (may be nil);
// the error is the method's refusal (a *CodeError) or nil.
func (u *unitGrain) call(user, method string, params, result proto.Message) error {
	u.w.tb.Helper()
	raw, err := proto.Marshal(params)
	if err != nil {
		u.w.tb.Fatal(err)
	}
	rep, _ := u.Request(&messages.Call{Method: method, UserID: user, Params: raw, Conn: conn(1)})
	if rep.Code != 0 {
		return &CodeError{Code: rep.Code, Message: rep.Message}
	}
	if result != nil {
		if err := proto.Unmarshal(rep.Data, result); err != nil {
			u.w.tb.Fatal(err)
		}
	}
	return nil
}

// mustCall is call that fails the test on a refusal.
func (u *unitGrain) mustCall(user, method string, params, result proto.Message) {
	u.w.tb.Helper()
	if err := u.call(user, method, params, result); err != nil {
		u.w.tb.Fatalf("%s as %s: %v", method, user, err)
	}
}

// wantCode checks that err is the refusal want.
func wantCode(tb testing.TB, err error, want *CodeError) {
	tb.Helper()
	var ce *CodeError
	if !errors.As(err, &ce) || ce.Code != want.Code {
		tb.Fatalf("want %d (%s), got %v", want.Code, want.Message, err)
	}
}

// testLog discards the kinds' logs (set PARLEY_TEST_LOG=1 to see them).
func testLog() *slog.Logger {
	if os.Getenv("PARLEY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// users stores a profile for each user, as their first login does (a user exists once
// it has logged in).
func (w *unitWorld) users(ids ...string) {
	w.tb.Helper()
	b := &persistence.Batch{}
	for _, id := range ids {
		raw, _ := proto.Marshal(&messages.StoredUser{UserID: id, UserName: id})
		b.Put(keyUser(id), raw)
	}
	if err := w.rt.Store().Write(context.Background(), b); err != nil {
		w.tb.Fatal(err)
	}
}
