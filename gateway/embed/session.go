package embed

import (
	"context"
	"sync"
	"sync/atomic"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
)

// Event is one push to a session: the event's name (messages.EventX.Name) and its
// payload, decoded (messages.LookupEvent(Name).NewPayload's type). The payload is shared
// with the push's other recipients: read-only.
type Event = gateway.Event

// Session errors (Err): why a session ended.
var (
	// ErrClosed: Close was called.
	ErrClosed = &actors.CodeError{Code: 6000121, Message: "session closed"}
	// ErrSlowConsumer: the session's event queue overflowed. Events queued before stay
	// readable; nothing after them was delivered.
	ErrSlowConsumer = &actors.CodeError{Code: 6000122, Message: "slow consumer: event queue full"}
	// ErrKicked: the same user logged in on the same platform elsewhere.
	ErrKicked = &actors.CodeError{Code: 6000111, Message: "kicked out by another login"}
	// ErrShutdown: the server is closing.
	ErrShutdown = &actors.CodeError{Code: 6000009, Message: "server is shutting down"}
)

// SessionOption configures a session.
type SessionOption func(*sessionConfig)

type sessionConfig struct {
	name     string
	platform int32
	queue    int
	fn       func(Event)
}

// UserName sets the user's name (stored on first login, as LoginParams.userName).
func UserName(name string) SessionOption { return func(c *sessionConfig) { c.name = name } }

// Platform sets the session's ZIM platform (default 32, unknown). A second session or
// WebSocket login of the same user on the same platform ends the first (ErrKicked).
func Platform(p int32) SessionOption { return func(c *sessionConfig) { c.platform = p } }

// QueueSize sets the session's event queue capacity (default Options.QueueSize).
func QueueSize(n int) SessionOption { return func(c *sessionConfig) { c.queue = n } }

// OnEvent delivers the session's events to fn instead of the Events channel: fn is
// called for every push, in order, one call at a time, on the goroutine of the actor
// that pushed (there is no queue, so nothing is dropped or overflows). fn must not
// block: it holds up that actor. It may start calls with Go and may Close the session,
// but must not wait for a Call.
func OnEvent(fn func(Event)) SessionOption { return func(c *sessionConfig) { c.fn = fn } }

// Session is a logged-in in-process device of one user.
type Session struct {
	srv  *Server
	lc   *gateway.LocalConn
	user string

	lcRef atomic.Pointer[gateway.LocalConn] // lc, for pushes that may come before Session returns

	mu      sync.Mutex // guards sends on ch and its closing; serializes fn
	ch      chan Event // nil with OnEvent
	fn      func(Event)
	errMu   sync.Mutex
	err     error // why the session ended; nil while open
	closed  atomic.Bool
	done    chan struct{}
	dropped atomic.Uint64

	pmu     sync.Mutex
	nextID  uint32
	pending map[uint32]func(proto.Message, error)
}

// Session logs userID in as an in-process device: from its return on, the session gets
// every push to that user's devices (and to this session: its rooms, its own calls'
// events) as Events, in order.
func (s *Server) Session(userID string, opts ...SessionOption) (*Session, error) {
	cfg := sessionConfig{queue: s.queueSize}
	for _, o := range opts {
		o(&cfg)
	}
	sess := &Session{srv: s, user: userID, fn: cfg.fn, done: make(chan struct{}), pending: map[uint32]func(proto.Message, error){}}
	if cfg.fn == nil {
		sess.ch = make(chan Event, max(cfg.queue, 1))
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.rt.Node().RequestTimeout())
	defer cancel()
	lc, err := s.gw.Connect(ctx, userID, cfg.name, cfg.platform, (*sink)(sess))
	if err != nil {
		return nil, err
	}
	sess.lc = lc
	sess.lcRef.Store(lc)
	return sess, nil
}

// UserID is the session's user.
func (s *Session) UserID() string { return s.user }

// Events is the session's queue of pushes, in order. It is closed when the session ends
// (after the events queued before). Nil with OnEvent.
func (s *Session) Events() <-chan Event { return s.ch }

// Done is closed when the session ends.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is why the session ended (ErrClosed, ErrSlowConsumer, ErrKicked, ErrShutdown), or
// nil while it is open.
func (s *Session) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// Dropped counts the low and medium priority room messages dropped because the
// session's queue was half (three quarters) full, as a WebSocket connection drops them.
func (s *Session) Dropped() uint64 { return s.dropped.Load() }

// Close logs the session out: the user actor forgets the device, the session leaves its
// rooms at once, and Events is closed. Calls in flight still answer.
func (s *Session) Close() error {
	if s.end(ErrClosed) {
		s.lc.Close()
	}
	return nil
}

// end marks the session ended with err (the first reason wins) and closes Events.
func (s *Session) end(err error) bool {
	if !s.closed.CompareAndSwap(false, true) {
		return false
	}
	s.errMu.Lock()
	s.err = err
	s.errMu.Unlock()
	if s.ch != nil { // (with OnEvent, fn may be running under mu: it may have called Close)
		s.mu.Lock()
		close(s.ch)
		s.mu.Unlock()
	}
	close(s.done)
	return true
}

// sink is the session as the gateway's connection sink.
type sink Session

func (k *sink) Push(events []Event, priority int32) bool {
	s := (*Session)(k)
	if s.fn != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed.Load() {
			return false
		}
		for _, ev := range events {
			s.fn(ev)
		}
		return true
	}
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return false
	}
	if gateway.DropPriority(priority, len(s.ch), cap(s.ch)) {
		s.mu.Unlock()
		s.dropped.Add(1)
		return false
	}
	// Only Push sends, under mu: the queue cannot fill up between the check and the sends.
	if len(s.ch)+len(events) > cap(s.ch) {
		s.mu.Unlock()
		if s.end(ErrSlowConsumer) {
			// The server side of a slow consumer: the rooms keep the session for their
			// grace period, the user actor forgets it.
			if lc := s.lcRef.Load(); lc != nil {
				go lc.Disconnect(4003)
			}
		}
		return false
	}
	for _, ev := range events {
		s.ch <- ev
	}
	s.mu.Unlock()
	return true
}

func (k *sink) Reply(id uint32, result proto.Message, err error) {
	s := (*Session)(k)
	s.pmu.Lock()
	done := s.pending[id]
	delete(s.pending, id)
	s.pmu.Unlock()
	if done != nil {
		done(result, err)
	}
}

func (k *sink) Closed(code int) {
	s := (*Session)(k)
	switch code {
	case 4001:
		s.end(ErrKicked)
	case 4003:
		s.end(ErrSlowConsumer)
	case 4000:
		s.end(ErrShutdown)
	default:
		s.end(&actors.CodeError{Code: ErrShutdown.Code, Message: "disconnected"})
	}
}
