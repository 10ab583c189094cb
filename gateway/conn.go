package gateway

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Session states of a connection.
const (
	stateNew int32 = iota
	stateLoggingIn
	stateLoggedIn
	stateClosed
)

// conn is one client WebSocket. Exactly one reader goroutine reads it; the writer
// goroutine runs only while frames are queued (writer.go).
type conn struct {
	srv     *Server
	id      uint64
	nc      net.Conn // the socket, after gorilla's handshake (reader.go, writer.go)
	codec   codec
	msgType int
	sink    Sink         // an in-process connection's output (local.go); nil for a WebSocket
	fr      *frameReader // the reader side (reader.go); owned by the reading goroutine
	parkState

	state    atomic.Int32
	inflight atomic.Int32
	slotFree chan struct{} // signalled when a request slot frees up (release)
	rates    rateBuckets   // this connection's request budgets (limits.go)
	ip       string        // remote address, counted in Server.ips ("" for in-process)
	pause    time.Duration // set by a refusal over a rate limit: the reader waits this long (allow)

	mu          sync.Mutex // guards everything below
	queue       [][]byte
	queued      int
	writing     bool
	direct      bool          // the socket takes non-blocking writes (plain TCP; writer.go)
	lastWrite   int64         // when the last socket write started, Unix ns
	deadlineSet int64         // when the write deadline was last moved, Unix ns (owned by the writing goroutine)
	wake        chan struct{} // wakes a lingering writer; nil when none
	closing     bool
	closeReason disconnect
	finishOnce  sync.Once
	finished    bool          // finish closed the socket
	finishedCh  chan struct{} // closed by finish; made only for closeAndWait
	user        string
	userName    string // as given at login (re-registration after a topology change)
	platform    int32
	tokenExp    time.Time
	tokenTimer  *time.Timer
	loginTimer  *time.Timer  // the login deadline while not logged in (armLoginDeadline)
	rooms       sessionRooms // rooms of this session (room_conn.go)
	userRates   *rateBuckets // the logged-in user's request budgets (limits.go); nil when not logged in
}

func (c *conn) userID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// ref is how actors address this connection.
func (c *conn) ref() *messages.ConnRef {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &messages.ConnRef{Node: c.srv.rt.Address(), ConnID: c.id, Platform: c.platform}
}

// readLoop is the connection's first reader goroutine (park.go: later ones start when a
// parked connection wakes).
func (c *conn) readLoop() {
	c.fr = c.startReading()
	c.readOn()
}

// startReading sets up the connection's frame reader and its read deadline.
func (c *conn) startReading() *frameReader {
	fr := newFrameReader(c.nc, c.srv.cfg.MaxFrameBytes)
	c.extend()
	return fr
}

// extend moves the read deadline, at most every deadlineSlack(ReadTimeout): re-arming
// the poller's timer per frame showed in the profile under load.
func (c *conn) extend() {
	now := time.Now().UnixNano()
	if now-c.lastExtend.Load() < int64(deadlineSlack(c.srv.cfg.ReadTimeout)) {
		return
	}
	c.lastExtend.Store(now)
	_ = c.nc.SetReadDeadline(time.Unix(0, now).Add(c.srv.cfg.ReadTimeout))
}

// control answers a ping with a pong and echoes a close frame; any of them moves the
// read deadline.
func (c *conn) control(op int, data []byte) error {
	c.extend()
	switch op {
	case opPing: // the pong goes through the queue, in order with the other frames
		c.enqueue(frame(opPong, data))
		return nil
	case opClose:
		code, err := closeCode(data)
		if err != nil {
			return err
		}
		c.closeAndWait(disconnect{Code: code}) // echoed (1005: an empty close frame)
		return errPeerClosed
	}
	return nil
}

// refuseFrames closes a connection that broke the WebSocket protocol or its read limit:
// the close frame goes out after what is queued, before the reader returns.
func (c *conn) refuseFrames(d disconnect) {
	c.srv.metrics.badFrames.Add(1)
	c.closeAndWait(d)
}

// frameIn reads and handles one message (answering the control frames before it);
// false ends the read loop.
func (c *conn) frameIn(fr *frameReader) bool {
	op, data, err := fr.next(c.control)
	switch {
	case errors.Is(err, errProtocol):
		c.refuseFrames(disconnect{websocket.CloseProtocolError, "protocol error", false})
		return false
	case errors.Is(err, errTooLarge):
		c.refuseFrames(disconnect{websocket.CloseMessageTooBig, "frame too large", false})
		return false
	case err != nil:
		return false
	case op == 0: // control frames only
		return true
	}
	c.extend()
	c.srv.metrics.requests.Add(1)
	if op != c.msgType {
		c.srv.metrics.badFrames.Add(1)
		c.replyErr(0, errBadFrame)
		return true
	}
	if c.state.Load() != stateLoggedIn {
		c.handleOffReader(data)
	} else {
		c.waitSlot()
		c.handle(data)
	}
	if c.pause > 0 { // over a rate limit: read on once the budget refilled
		time.Sleep(c.pause) // the reader's backpressure on a flooding client
		c.pause = 0
	}
	return true
}

// waitSlot blocks the reader while the connection has Config.MaxInflight requests
// waiting for their actors: the server stops reading (TCP pushes back on the client)
// instead of buffering or refusing. Every request in flight is answered in bounded time
// (the actors' request timeout), so the wait is bounded too.
func (c *conn) waitSlot() {
	limit := int32(c.srv.cfg.MaxInflight)
	for c.inflight.Load() >= limit {
		c.srv.metrics.readPauses.Add(1)
		<-c.slotFree
	}
}

// release gives back a request slot taken in handle or acquire.
func (c *conn) release() {
	c.inflight.Add(-1)
	select {
	case c.slotFree <- struct{}{}:
	default:
	}
}

// handleOffReader serves a frame on one of the actor runtime's long-lived workers and
// waits for it (so requests keep their order). Used until the connection is logged in:
// verifying the login token needs a deep stack, and an idle connection then kept its
// reader goroutine's stack at 8 KB instead of 4 KB.
func (c *conn) handleOffReader(data []byte) {
	done := make(chan struct{})
	c.srv.rt.Node().Schedule(func() {
		defer close(done)
		c.handle(data)
	})
	<-done
}

func (c *conn) cleanup() {
	prev := c.state.Swap(stateClosed)
	if c.ip != "" {
		c.srv.ips.remove(c.ip)
	}
	c.closeWith(disconnect{Code: websocket.CloseNormalClosure, Reason: "bye"})
	c.finish(disconnect{Code: websocket.CloseAbnormalClosure})
	c.srv.reg.remove(c)
	c.srv.metrics.connections.Add(-1)
	c.mu.Lock()
	if c.tokenTimer != nil {
		c.tokenTimer.Stop()
	}
	c.stopLoginDeadlineLocked()
	user := c.user
	c.dropUserRatesLocked()
	c.mu.Unlock()
	if prev == stateLoggedIn && user != "" {
		c.srv.rt.Send(actors.KindUser, user, &messages.UnregisterDevice{Conn: c.ref()})
	}
	c.leaveRooms(false) // members stay for the grace period
	c.srv.wg.Done()
}

func (c *conn) reply(id uint32, data proto.Message) {
	if c.sink != nil {
		c.sink.Reply(id, data, nil)
		return
	}
	c.send(c.codec.reply(id, 0, "", data))
}

func (c *conn) replyErr(id uint32, err error) {
	code, msg := actors.Reply(err)
	c.srv.metrics.errors.Add(1)
	if c.sink != nil {
		c.sink.Reply(id, nil, &actors.CodeError{Code: code, Message: msg})
		return
	}
	c.send(c.codec.reply(id, code, msg, nil))
}

func (c *conn) push(ev messages.Pushed) {
	event, payload := ev.Name, ev.Payload
	if c.sink != nil {
		one := [1]Event{{Name: event, Payload: payload}}
		c.pushLocal(one[:], 0)
		return
	}
	if f, err := c.codec.pushWSFrame(event, "", nil, payload); err == nil {
		c.enqueue(f)
	}
}

// handle serves one request frame. Replies are asynchronous; requests from one
// connection reach their actor in the order they were read.
func (c *conn) handle(data []byte) {
	req, ok := c.codec.decodeRequest(data)
	if !ok {
		c.srv.metrics.badFrames.Add(1)
		c.replyErr(req.id, errBadFrame)
		return
	}
	if !c.srv.rt.Node().Live() {
		// This node lost its cluster membership: another may own the data now.
		c.replyErr(req.id, actors.ErrMemberLost)
		c.closeWith(disconnectShutdown)
		return
	}
	rt, known := routes[req.method]
	spec := rt.spec
	if !known {
		c.replyErr(req.id, errUnknownMethod)
		return
	}
	if !spec.Public && c.state.Load() != stateLoggedIn {
		c.replyErr(req.id, errNotLoggedIn)
		return
	}
	if !c.allow(spec) {
		c.srv.metrics.rateLimited.Add(1)
		c.replyErr(req.id, errRateLimited)
		return
	}
	params := spec.NewParams()
	if c.codec.batchTooLarge(req.params, params.ProtoReflect().Descriptor(), maxBatch) {
		c.replyErr(req.id, errBadParams) // before decoding (batch.go)
		return
	}
	if err := c.codec.decodeParams(req.params, params); err != nil {
		c.replyErr(req.id, errBadParams)
		return
	}
	if rt.local != nil {
		rt.local(c, req.id, params)
		return
	}
	kind, identity, err := rt.actor(c.srv.rt, c.userID(), params)
	if err != nil {
		c.replyErr(req.id, err)
		return
	}
	raw, err := c.callParams(rt, req.params, params)
	if err != nil {
		c.replyErr(req.id, errBadParams)
		return
	}
	if c.inflight.Add(1) > int32(c.srv.cfg.MaxInflight) {
		// A guard: a WebSocket's reader waits for a free slot before it serves a
		// frame (waitSlot), so it does not get here.
		c.release()
		c.replyErr(req.id, errTooManyPending)
		return
	}
	call := &messages.Call{Method: req.method, UserID: c.userID(), Params: raw, Conn: c.ref()}
	id := req.id
	c.srv.rt.Go(context.Background(), kind, identity, call, func(res proto.Message, err error) {
		c.release()
		if err != nil {
			c.replyErr(id, err)
			return
		}
		rep, ok := res.(*messages.CallReply)
		if !ok {
			c.replyErr(id, actors.ErrInternal)
			return
		}
		c.enqueue(c.codec.replyFrame(id, rep.Data, spec.NewResult))
	})
}

// callParams is the encoded params of a call: with the protobuf codec the bytes the
// client sent, which the actor decodes to exactly what the gateway checked (the frame's
// decode copied them out of the read buffer), unless the route filled something in;
// else params encoded (JSON requests, filled-in IDs).
func (c *conn) callParams(rt route, sent []byte, params proto.Message) ([]byte, error) {
	if c.codec == codecProto && !rt.fills {
		return sent, nil
	}
	return proto.Marshal(params)
}

// ---- session methods served by the gateway itself ----

func (c *conn) login(id uint32, p *messages.LoginParams) {
	if !c.state.CompareAndSwap(stateNew, stateLoggingIn) {
		if c.state.Load() != stateClosed { // closed: the login deadline passed (4005 follows)
			c.replyErr(id, errAlreadyLogged)
		}
		return
	}
	fail := func(err error) {
		c.state.CompareAndSwap(stateLoggingIn, stateNew)
		c.srv.metrics.loginFailures.Add(1)
		c.replyErr(id, err)
	}
	lim := c.srv.rt.Limits()
	if !actors.ValidID(p.UserID, lim.UserIDBytes) {
		fail(errUserIDInvalid)
		return
	}
	if len(p.UserName) > lim.UserNameBytes {
		fail(errBadParams)
		return
	}
	platform := p.Platform
	if platform == 0 {
		platform = 6 // Web
	}
	if !validPlatform(platform) {
		fail(errBadParams)
		return
	}
	exp, err := c.srv.verifyToken(p.Token, p.UserID)
	if err != nil {
		fail(err)
		return
	}
	if c.srv.overloaded() {
		c.srv.metrics.loginsShed.Add(1)
		fail(errOverloaded)
		return
	}
	if c.srv.userRates.full(p.UserID, platform, c.srv.cfg.MaxConnsPerUser) {
		fail(errUserConns)
		return
	}
	c.mu.Lock()
	c.user, c.userName, c.platform, c.tokenExp = p.UserID, p.UserName, platform, exp
	c.mu.Unlock()
	reg := &messages.RegisterDevice{Conn: c.ref(), UserName: p.UserName, TokenExpire: exp.Unix()}
	topology := c.srv.topology.Load()
	c.srv.rt.Go(context.Background(), actors.KindUser, p.UserID, reg, func(_ proto.Message, err error) {
		if err != nil {
			c.mu.Lock()
			c.user = ""
			c.mu.Unlock()
			fail(err)
			return
		}
		if !c.state.CompareAndSwap(stateLoggingIn, stateLoggedIn) {
			// The socket closed while logging in: take the device back.
			c.srv.rt.Send(actors.KindUser, p.UserID, &messages.UnregisterDevice{Conn: c.ref()})
			return
		}
		if c.srv.topology.Load() != topology {
			// The cluster changed while the registration was on its way: the activation
			// it reached may have moved since, and reannounce skipped this connection,
			// which was not logged in yet. Registering again is idempotent.
			c.srv.rt.Send(actors.KindUser, p.UserID, reg)
		}
		c.srv.metrics.logins.Add(1)
		c.mu.Lock()
		c.stopLoginDeadlineLocked()
		c.dropUserRatesLocked()
		c.userRates = c.srv.userRates.acquire(p.UserID, platform)
		c.mu.Unlock()
		c.armToken()
		c.reply(id, &messages.Empty{})
		c.push(messages.EventConnectionStateChanged.With(&messages.ConnectionStateChangedEvent{State: actors.ConnConnected}))
	})
}

func (c *conn) logout(id uint32) {
	if !c.state.CompareAndSwap(stateLoggedIn, stateNew) {
		c.replyErr(id, errNotLoggedIn)
		return
	}
	ref := c.ref()
	c.mu.Lock()
	c.dropUserRatesLocked()
	user := c.user
	c.user = ""
	if c.tokenTimer != nil {
		c.tokenTimer.Stop()
	}
	c.mu.Unlock()
	c.armLoginDeadline() // unauthenticated again: log in again in time
	c.srv.rt.Send(actors.KindUser, user, &messages.UnregisterDevice{Conn: ref, Logout: true})
	c.leaveRooms(true)
	c.reply(id, &messages.Empty{})
	c.push(messages.EventConnectionStateChanged.With(&messages.ConnectionStateChangedEvent{State: actors.ConnDisconnected}))
}

func (c *conn) renewToken(id uint32, p *messages.RenewTokenParams) {
	exp, err := c.srv.verifyToken(p.Token, c.userID())
	if err != nil {
		c.replyErr(id, err)
		return
	}
	c.mu.Lock()
	c.tokenExp = exp
	c.mu.Unlock()
	c.armToken()
	c.reply(id, &messages.TokenRenewedResult{Token: p.Token})
}

// dropUserRatesLocked lets go of the user's request budgets (logout, close). c.mu is
// held; c.user is still the user who held them.
func (c *conn) dropUserRatesLocked() {
	if c.userRates != nil {
		c.srv.userRates.release(c.user, c.platform)
		c.userRates = nil
	}
}

// armLoginDeadline starts the login deadline: unless the connection is logged in
// Config.LoginTimeout from now, it is closed with 4005. Nothing the client sends moves
// it; a successful login stops it (stopLoginDeadlineLocked). A timer, not a goroutine:
// idle connections are counted in kilobytes.
func (c *conn) armLoginDeadline() {
	if c.sink != nil {
		return // in-process connections (local.go) log in as they are made
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLoginDeadlineLocked()
	var t *time.Timer
	t = time.AfterFunc(c.srv.cfg.LoginTimeout, func() {
		// t is read under c.mu, which the arming goroutine holds until t is assigned.
		c.mu.Lock()
		current := c.loginTimer == t
		if current {
			c.loginTimer = nil
		}
		c.mu.Unlock()
		if current { // not stopped nor replaced after it fired
			c.loginDeadline()
		}
	})
	c.loginTimer = t
}

// stopLoginDeadlineLocked cancels the login deadline. c.mu is held.
func (c *conn) stopLoginDeadlineLocked() {
	if c.loginTimer != nil {
		c.loginTimer.Stop()
		c.loginTimer = nil
	}
}

// loginDeadline runs when the login deadline passes. A connection that is not logged in
// by then is closed; a login still on its way loses the race (its registration sees the
// closed state and is taken back, as for a socket that closed while logging in).
func (c *conn) loginDeadline() {
	if !c.state.CompareAndSwap(stateNew, stateClosed) && !c.state.CompareAndSwap(stateLoggingIn, stateClosed) {
		return // logged in (or closed) meanwhile
	}
	c.srv.metrics.loginTimeouts.Add(1)
	c.closeWith(disconnectLoginTimeout)
}

// armToken schedules tokenWillExpire (WarnBefore ahead) and the expiry disconnect.
func (c *conn) armToken() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokenTimer != nil {
		c.tokenTimer.Stop()
	}
	if c.tokenExp.IsZero() {
		return
	}
	exp := c.tokenExp
	warnAt := exp.Add(-c.srv.cfg.TokenWarnBefore)
	now := c.srv.cfg.Now()
	// A token that is already inside the warning window is warned about at once.
	c.tokenTimer = time.AfterFunc(max(warnAt.Sub(now), 0), func() { c.tokenWarn(exp) })
}

func (c *conn) tokenWarn(exp time.Time) {
	c.mu.Lock()
	if !c.tokenExp.Equal(exp) || c.state.Load() != stateLoggedIn {
		c.mu.Unlock()
		return
	}
	left := exp.Sub(c.srv.cfg.Now())
	c.tokenTimer = time.AfterFunc(max(left, 0), func() { c.tokenExpired(exp) })
	c.mu.Unlock()
	c.push(messages.EventTokenWillExpire.With(&messages.TokenWillExpireEvent{Second: int64((left + time.Second/2) / time.Second)}))
}

func (c *conn) tokenExpired(exp time.Time) {
	c.mu.Lock()
	stale := !c.tokenExp.Equal(exp)
	c.mu.Unlock()
	if stale || c.state.Load() != stateLoggedIn {
		return
	}
	c.push(messages.EventConnectionStateChanged.With(&messages.ConnectionStateChangedEvent{State: actors.ConnDisconnected, Event: actors.ConnEventExpired}))
	c.closeWith(disconnectTokenExpired)
}

func validPlatform(p int32) bool {
	switch p {
	case 1, 2, 3, 4, 5, 6, 7, 9, 10, 32:
		return true
	}
	return false
}
