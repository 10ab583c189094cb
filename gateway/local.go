package gateway

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// In-process connections. A program that embeds parley (gateway/embed) logs its users'
// devices in without a WebSocket: an in-process connection is a conn whose output goes to
// a Sink instead of a socket. It is registered with the node's registry like any other
// connection, so the node's one fan-out (fanout.go, room_fanout.go) delivers to it by the
// same rules — the same connection lists, room epochs, exceptions, priorities and close
// codes — and the gateway's room-membership methods run for it as for a WebSocket
// session. Only the last step differs: a WebSocket connection gets a frame per codec, an
// in-process connection the decoded Event (decoded once per push, shared by every
// in-process recipient).

// Event is one push as an in-process connection gets it.
type Event struct {
	Name string
	// Payload is the event's message (messages.LookupEvent(Name).NewPayload's type). It
	// is shared with every other recipient of the push and with the actor that made it:
	// read-only (proto.Clone it to change it).
	Payload proto.Message
}

// Sink takes an in-process connection's output.
type Sink interface {
	// Push takes the events of one delivery to the connection, in order, all or none, and
	// reports whether it took them. priority is a room message's priority (0 for every
	// other push); a sink that falls behind drops low and medium priority room messages
	// as a WebSocket connection does (DropPriority). events is only valid during the call.
	// Push is called from many goroutines at once and must not block; the order in which
	// calls take the sink's lock is the connection's order of pushes (as a WebSocket
	// connection's queue lock is).
	Push(events []Event, priority int32) bool
	// Reply answers LocalConn.Go's call id with its result, or err (a *actors.CodeError).
	Reply(id uint32, result proto.Message, err error)
	// Closed tells that the server closed the connection: code is the close code a
	// WebSocket client would get (4000 shutdown, 4001 kicked by a login of the same user
	// on the same platform). Nothing is pushed after it. It is not called for Close.
	Closed(code int)
}

// DropPriority reports whether a room push of the given priority is dropped by a queue
// holding queued of capacity entries: a low priority push when the queue is half full, a
// medium one at three quarters; high priority and unprioritised (0) pushes never.
func DropPriority(priority int32, queued, capacity int) bool {
	num, den := priorityShare(priority)
	return den > 0 && queued*den >= capacity*num
}

// priorityShare is the share of a connection's queue from which room pushes of the
// priority are dropped (den 0: never).
func priorityShare(priority int32) (num, den int) {
	switch priority {
	case priorityLow:
		return 1, 2
	case priorityMedium:
		return 3, 4
	}
	return 0, 0
}

// LocalConn is an in-process connection of this node, logged in as one user: that
// user's device like a WebSocket session, with its pushes going to a Sink.
type LocalConn struct{ c *conn }

// Connect logs an in-process connection in as userID (it registers the connection with
// the user's actor, as a WebSocket login does, and gets that user's pushes from then on).
// platform is the ZIM platform (0: 32, "unknown"): a second login of the same user on
// the same platform kicks the first connection (Sink.Closed(4001)). There is no token:
// the embedding program vouches for its users.
func (s *Server) Connect(ctx context.Context, userID, userName string, platform int32, sink Sink) (*LocalConn, error) {
	if s.draining.Load() {
		return nil, errShuttingDown
	}
	lim := s.rt.Limits()
	if !actors.ValidID(userID, lim.UserIDBytes) {
		return nil, errUserIDInvalid
	}
	if len(userName) > lim.UserNameBytes || sink == nil {
		return nil, errBadParams
	}
	if platform == 0 {
		platform = 32
	}
	if !validPlatform(platform) {
		return nil, errBadParams
	}
	c := &conn{srv: s, id: s.nextID.Add(1), sink: sink, user: userID, platform: platform}
	c.state.Store(stateLoggingIn)
	s.reg.add(c)
	reg := &messages.RegisterDevice{Conn: c.ref(), UserName: userName}
	if _, err := s.rt.Request(ctx, actors.KindUser, userID, reg); err != nil {
		c.state.Store(stateClosed)
		s.reg.remove(c)
		s.rt.Send(actors.KindUser, userID, &messages.UnregisterDevice{Conn: c.ref()}) // in case it ran
		return nil, err
	}
	if !c.state.CompareAndSwap(stateLoggingIn, stateLoggedIn) {
		// Closed meanwhile (shutdown, or kicked at once): take the device back.
		s.rt.Send(actors.KindUser, userID, &messages.UnregisterDevice{Conn: c.ref()})
		return nil, errShuttingDown
	}
	s.metrics.logins.Add(1)
	return &LocalConn{c}, nil
}

// ID is the connection's ID on this node.
func (l *LocalConn) ID() uint64 { return l.c.id }

// UserID is the user the connection is logged in as.
func (l *LocalConn) UserID() string { return l.c.user }

// Ref is how actors address the connection (messages.Call.Conn of its calls).
func (l *LocalConn) Ref() *messages.ConnRef { return l.c.ref() }

// Runtime is the actor runtime of the connection's node.
func (l *LocalConn) Runtime() *actors.Runtime { return l.c.srv.rt }

// Go runs one of the methods the gateway serves itself — the room-membership methods
// (createRoom, enterRoom, joinRoom, switchRoom, leaveRoom, leaveAllRoom) — for this
// connection, exactly as for a WebSocket session (its rooms, its roomStateChanged
// pushes), and answers through the sink's Reply(id, …). Session methods (login, logout,
// renewToken) and methods served by actors (call those with Route and
// actors.Runtime.Call, Conn: Ref()) are answered 6000013.
func (l *LocalConn) Go(id uint32, method *messages.MethodSpec, params proto.Message) {
	c := l.c
	r, ok := routes[method.Name]
	if !ok || r.local == nil || r.spec != method || isSessionMethod(method) {
		c.replyErr(id, errUnknownMethod)
		return
	}
	if c.state.Load() != stateLoggedIn {
		c.replyErr(id, errNotLoggedIn)
		return
	}
	r.local(c, id, params)
}

func isSessionMethod(m *messages.MethodSpec) bool {
	return m == messages.MethodLogin.MethodSpec || m == messages.MethodLogout.MethodSpec || m == messages.MethodRenewToken.MethodSpec
}

// Close logs the connection out: its user actor forgets it and it leaves its rooms at
// once (as a logout does). The sink gets nothing more. Closing twice is harmless.
func (l *LocalConn) Close() { l.c.closeLocal(disconnect{}, false) }

// closeLocal ends an in-process connection: closed by the server (d, told to the sink;
// its rooms keep it for their grace period, as for a dropped WebSocket) or by its owner
// (it leaves its rooms at once).
func (c *conn) closeLocal(d disconnect, byServer bool) {
	prev := c.state.Swap(stateClosed)
	if prev == stateClosed {
		return
	}
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	c.srv.reg.remove(c)
	if prev == stateLoggedIn {
		c.srv.rt.Send(actors.KindUser, c.user, &messages.UnregisterDevice{Conn: c.ref()})
	}
	c.leaveRooms(!byServer)
	if byServer {
		c.sink.Closed(d.Code)
	}
}

// pushLocal hands events of this (in-process) connection to its sink.
func (c *conn) pushLocal(events []Event, priority int32) bool {
	if c.state.Load() == stateClosed {
		return false
	}
	if !c.sink.Push(events, priority) {
		return false
	}
	c.srv.metrics.pushes.Add(int64(len(events)))
	return true
}

// Disconnect closes the connection as the server does (code: 4003 slow consumer, …):
// its user actor forgets it, its rooms keep it for their grace period, and the sink gets
// Closed(code).
func (l *LocalConn) Disconnect(code int) { l.c.closeLocal(disconnectFor(code), true) }
