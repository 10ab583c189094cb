// Package client is a Go client of the parley gateway protocol with ZIM-style methods
// and event callbacks. Tests, the load tool and Go programs use it.
package client

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Error is a refusal from the server: a ZIM error code and its message.
type Error struct {
	Code    int32
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("parley error %d: %s", e.Code, e.Message) }

// Code returns the ZIM error code of err, or 0 when err is not a server refusal.
func Code(err error) int32 {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("client: connection closed")

// ErrNotResent fails a call that was written to a connection that then dropped, when
// the call is not safe to send twice (see resendable): the server may or may not have
// carried it out. The caller decides (query, then retry or not).
var ErrNotResent = errors.New("client: connection lost with the call in flight; not resent (not idempotent)")

// Options configure Dial.
type Options struct {
	// JSON selects the "parley.json" subprotocol; the default is "parley.proto".
	JSON bool
	// PingInterval keeps the connection alive. Default 30s; negative disables.
	PingInterval time.Duration
	Header       http.Header

	// URLs are more gateway URLs of the same cluster, tried after Dial's url: when the
	// first dial fails and, with Reconnect, when a connection drops (round robin,
	// starting after the URL that dropped).
	URLs []string
	// Reconnect restores a logged-in session when its connection drops for a reason
	// that allows it (a network error, 4000 shutdown, 4003 slow consumer, 4005 login
	// timeout, 1000/1001/1006; not 4001 kicked, 4004/1009 protocol errors, nor 4002
	// token expired unless TokenProvider is set): the client dials again with bounded, jittered backoff, logs
	// in again with the same credentials, re-sends the calls still awaiting a reply that
	// are safe to resend and fails the others with ErrNotResent. Calls made meanwhile
	// wait (bounded by their context) and are sent once logged in again. Off by default.
	Reconnect bool
	// ReconnectMinDelay and ReconnectMaxDelay bound the backoff between attempts
	// (defaults 100ms and 5s): attempt n waits a random time in [d/2, d] with
	// d = min(max, min·2ⁿ).
	ReconnectMinDelay, ReconnectMaxDelay time.Duration
	// ReconnectTimeout gives up reconnecting after this long (the client then closes);
	// 0 keeps trying until Close.
	ReconnectTimeout time.Duration
	// TokenProvider, when set, gives the token of every re-login (renewals); without it
	// the token of the last Login (or RenewToken) is used again.
	TokenProvider func(ctx context.Context, userID string) (string, error)
}

// ZIM connection states (ZIMConnectionState) and events (ZIMConnectionEvent) reported by
// OnConnectionStateChanged.
const (
	StateDisconnected int32 = 0
	StateConnecting   int32 = 1
	StateConnected    int32 = 2
	StateReconnecting int32 = 3

	EventSuccess          int32 = 0
	EventActiveLogin      int32 = 1
	EventLoginInterrupted int32 = 3
	EventKickedOut        int32 = 4
	EventTokenExpired     int32 = 5
)

type reply struct {
	code int32
	msg  string
	data []byte // protobuf bytes, or a raw JSON object
	err  error  // set when the call failed on the client's side
}

// call is a request awaiting its reply.
type call struct {
	ch     chan reply // buffered: one reply
	frame  []byte
	resend bool   // safe to send again after a reconnect
	gen    uint64 // connection generation it was written on; 0: not written yet
}

// credentials of the logged-in session, for logging in again after a reconnect.
type credentials struct {
	userID, userName, token string
	platform                int32
}

// Client is a connection to a parley gateway (with Options.Reconnect: a session that
// survives reconnects). Its methods are safe for concurrent use.
type Client struct {
	opt    Options
	urls   []string
	json   bool
	nextID atomic.Uint32
	lidSeq atomic.Uint64
	lidPre string

	wmu sync.Mutex // serialises writes

	mu       sync.Mutex
	ws       *websocket.Conn // the live connection; nil while reconnecting
	gen      uint64          // generation of ws, incremented per connection
	urlIdx   int             // index in urls of ws
	pending  map[uint32]*call
	handlers map[string][]func(proto.Message)
	anyEvent []func(string, proto.Message)
	creds    *credentials
	closing  bool // Close was called
	closed   bool
	closeErr error

	evmu      sync.Mutex // guards sends on events and its closing
	evClosed  bool
	connState atomic.Int32 // last reported ZIM connection state (written under evmu)
	events    chan eventItem
	done      chan struct{}
	life      context.Context // cancelled by Close
	stop      context.CancelFunc
}

type eventItem struct {
	name string
	msg  proto.Message
}

// Dial connects to url (ws://host:port/ws); opt.URLs are tried after it.
func Dial(ctx context.Context, url string, opt Options) (*Client, error) {
	return DialCluster(ctx, append([]string{url}, opt.URLs...), opt)
}

// DialCluster connects to the first of urls (gateways of one cluster) that answers;
// with opt.Reconnect the client fails over to the others when its connection drops.
// urls is the whole list: opt.URLs is not used.
func DialCluster(ctx context.Context, urls []string, opt Options) (*Client, error) {
	if len(urls) == 0 {
		return nil, errors.New("client: no URL")
	}
	if opt.ReconnectMinDelay <= 0 {
		opt.ReconnectMinDelay = 100 * time.Millisecond
	}
	if opt.ReconnectMaxDelay < opt.ReconnectMinDelay {
		opt.ReconnectMaxDelay = max(5*time.Second, opt.ReconnectMinDelay)
	}
	c := &Client{opt: opt, urls: urls, json: opt.JSON, pending: map[uint32]*call{}, handlers: map[string][]func(proto.Message){},
		events: make(chan eventItem, 1024), done: make(chan struct{})}
	var rnd [8]byte
	_, _ = crand.Read(rnd[:])
	c.lidPre = "c" + hex.EncodeToString(rnd[:]) + "-"
	var ws *websocket.Conn
	var err error
	for i := range urls {
		if ws, err = c.dial(ctx, urls[i]); err == nil {
			c.urlIdx = i
			break
		}
	}
	if err != nil {
		return nil, err
	}
	c.life, c.stop = context.WithCancel(context.Background())
	c.ws, c.gen = ws, 1
	go c.run(ws)
	go c.dispatch()
	if opt.PingInterval >= 0 {
		iv := opt.PingInterval
		if iv == 0 {
			iv = 30 * time.Second
		}
		go c.pingLoop(iv)
	}
	return c, nil
}

func (c *Client) dial(ctx context.Context, url string) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	sub := "parley.proto"
	if c.json {
		sub = "parley.json"
	}
	d.Subprotocols = []string{sub}
	ws, resp, err := d.DialContext(ctx, url, c.opt.Header)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	if ws.Subprotocol() != sub {
		_ = ws.Close()
		return nil, fmt.Errorf("client: server did not accept subprotocol %s", sub)
	}
	return ws, nil
}

// On registers fn for a push event (by ZIM name); fn gets the decoded payload. Handlers
// run one at a time, in arrival order, on a goroutine of their own.
func (c *Client) On(event string, fn func(proto.Message)) {
	c.mu.Lock()
	c.handlers[event] = append(c.handlers[event], fn)
	c.mu.Unlock()
}

// OnAny registers fn for every push event.
func (c *Client) OnAny(fn func(event string, payload proto.Message)) {
	c.mu.Lock()
	c.anyEvent = append(c.anyEvent, fn)
	c.mu.Unlock()
}

// Done is closed when the client is gone: its connection ended and it does not (or no
// longer) reconnect.
func (c *Client) Done() <-chan struct{} { return c.done }

// CloseError is why the (last) connection ended (a *websocket.CloseError carries the code).
func (c *Client) CloseError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeErr
}

// Pending is the number of calls awaiting their reply (with Reconnect, also those
// waiting for the next connection).
func (c *Client) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// ConnectionState is the last ZIM connection state reported to OnConnectionStateChanged.
func (c *Client) ConnectionState() int32 { return c.connState.Load() }

// URL is the gateway URL of the live connection ("" while reconnecting).
func (c *Client) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == nil {
		return ""
	}
	return c.urls[c.urlIdx]
}

// Close closes the connection (and stops reconnecting).
func (c *Client) Close() error {
	c.mu.Lock()
	c.closing = true
	ws := c.ws
	c.mu.Unlock()
	c.stop()
	var err error
	if ws != nil {
		c.wmu.Lock()
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		c.wmu.Unlock()
		err = ws.Close()
	}
	<-c.done
	return err
}

func (c *Client) pingLoop(iv time.Duration) {
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.mu.Lock()
			ws := c.ws
			c.mu.Unlock()
			if ws != nil {
				c.wmu.Lock()
				_ = ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
				c.wmu.Unlock()
			}
		}
	}
}

// run reads the live connection; when it drops, it reconnects (Options.Reconnect) or
// ends the client.
func (c *Client) run(ws *websocket.Conn) {
	for {
		err := c.readLoop(ws)
		_ = ws.Close()
		if !c.dropped(err) {
			c.finish()
			return
		}
		if ws = c.reconnect(err); ws == nil {
			c.finish()
			return
		}
	}
}

func (c *Client) readLoop(ws *websocket.Conn) error {
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return err
		}
		c.frame(data)
	}
}

// reconnectable tells whether a connection that ended with err may be restored, by the
// close codes' documented semantics (docs/PROTOCOL.md, gateway/disconnect.go).
func (c *Client) reconnectable(err error) bool {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return true // a network error: the node or the path to it is gone
	}
	switch ce.Code {
	case 4001, 4004, websocket.CloseMessageTooBig, websocket.CloseProtocolError,
		websocket.CloseUnsupportedData, websocket.ClosePolicyViolation, websocket.CloseInvalidFramePayloadData:
		return false // kicked by another login, or a client bug: reconnecting repeats it
	case 4002:
		return c.opt.TokenProvider != nil // token expired: only with a way to get a new one
	}
	return true // 4000 shutdown, 4003 slow consumer, 4005 login timeout, 1000, 1001, 1006…
}

// dropped handles the end of the live connection and reports whether to reconnect.
// When reconnecting, calls written to the dead connection that are not safe to resend
// fail with ErrNotResent; the others stay pending and are sent again after the re-login.
func (c *Client) dropped(err error) bool {
	c.mu.Lock()
	c.ws = nil
	c.closeErr = err
	again := c.opt.Reconnect && !c.closing && c.creds != nil && c.reconnectable(err)
	var failed []*call
	if again {
		for id, cl := range c.pending {
			if cl.gen != 0 && !cl.resend {
				failed = append(failed, cl)
				delete(c.pending, id)
			}
			cl.gen = 0
		}
	}
	c.mu.Unlock()
	for _, cl := range failed {
		cl.ch <- reply{err: ErrNotResent}
	}
	if again {
		c.emitState(StateReconnecting, EventLoginInterrupted)
	}
	return again
}

// finish ends the client: pending calls fail with ErrClosed, handlers get the last events.
func (c *Client) finish() {
	c.mu.Lock()
	c.closed = true
	c.ws = nil
	for id, cl := range c.pending {
		close(cl.ch)
		delete(c.pending, id)
	}
	c.mu.Unlock()
	c.emitState(StateDisconnected, EventLoginInterrupted)
	c.evmu.Lock()
	c.evClosed = true
	close(c.events)
	c.evmu.Unlock()
	c.stop()
}

// backoff is the wait before reconnect attempt n (0-based): random in [d/2, d], d =
// min(max, min·2ⁿ).
func (c *Client) backoff(n int) time.Duration {
	d := c.opt.ReconnectMaxDelay
	if n < 30 && c.opt.ReconnectMinDelay<<n < d {
		d = c.opt.ReconnectMinDelay << n
	}
	return d/2 + rand.N(d/2+1)
}

// reconnect dials the next URLs in turn until one takes the session back (login, then
// the pending calls re-sent), and returns that connection; nil when giving up.
func (c *Client) reconnect(cause error) *websocket.Conn {
	var deadline <-chan time.Time
	if c.opt.ReconnectTimeout > 0 {
		t := time.NewTimer(c.opt.ReconnectTimeout)
		defer t.Stop()
		deadline = t.C
	}
	c.mu.Lock()
	idx := c.urlIdx
	c.mu.Unlock()
	for n := 0; ; n++ {
		wait := time.NewTimer(c.backoff(n))
		select {
		case <-c.life.Done():
			wait.Stop()
			return nil
		case <-deadline:
			wait.Stop()
			c.mu.Lock()
			c.closeErr = fmt.Errorf("client: reconnect timed out (connection lost: %w)", cause)
			c.mu.Unlock()
			return nil
		case <-wait.C:
		}
		idx = (idx + 1) % len(c.urls)
		ws, fatal, err := c.attempt(c.urls[idx])
		if err == nil {
			c.mu.Lock()
			c.urlIdx = idx
			c.mu.Unlock()
			return ws
		}
		if c.life.Err() != nil {
			return nil
		}
		if fatal {
			c.mu.Lock()
			c.closeErr = fmt.Errorf("client: re-login refused: %w (connection lost: %v)", err, cause)
			c.mu.Unlock()
			return nil
		}
	}
}

// attempt dials url, logs in again and re-sends the pending calls. fatal: the server
// refused the login for good (the credentials no longer work).
func (c *Client) attempt(url string) (ws *websocket.Conn, fatal bool, err error) {
	ctx, cancel := context.WithTimeout(c.life, 10*time.Second)
	defer cancel()
	if ws, err = c.dial(ctx, url); err != nil {
		return nil, false, err
	}
	unwatch := context.AfterFunc(ctx, func() { _ = ws.Close() }) // Close or timeout during the login
	published := false
	defer func() {
		unwatch()
		if !published {
			_ = ws.Close()
		}
	}()
	c.mu.Lock()
	cr := c.creds
	c.mu.Unlock()
	if cr == nil {
		return nil, true, errors.New("client: logged out")
	}
	tok := cr.token
	if c.opt.TokenProvider != nil {
		if tok, err = c.opt.TokenProvider(ctx, cr.userID); err != nil {
			return nil, false, err
		}
	}
	id := c.nextID.Add(1)
	frame, err := c.encode(id, "login", &messages.LoginParams{UserID: cr.userID, UserName: cr.userName, Token: tok, Platform: cr.platform})
	if err != nil {
		return nil, true, err
	}
	_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := ws.WriteMessage(c.msgType(), frame); err != nil {
		return nil, false, err
	}
	// This goroutine is the connection's only reader: read up to the login's reply
	// (pushes before it are dispatched as usual).
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return nil, false, err
		}
		rid, rep, event, ok := c.decodeFrame(data)
		if !ok || event != "" || rid != id {
			c.frame(data)
			continue
		}
		if rep.code != 0 {
			err := &Error{Code: rep.code, Message: rep.msg}
			switch rep.code {
			case 6000103, 6000106, 6000107, 6000124, 6000001:
				return nil, true, err
			}
			return nil, false, err
		}
		break
	}
	if tok != cr.token {
		c.mu.Lock()
		if c.creds == cr {
			c.creds = &credentials{userID: cr.userID, userName: cr.userName, token: tok, platform: cr.platform}
		}
		c.mu.Unlock()
	}
	// Publish the connection and re-send, in request order, what is pending: calls
	// written to the dead connection that are safe to resend and calls made meanwhile.
	// Holding wmu keeps calls made from now on behind them.
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return nil, true, ErrClosed
	}
	c.ws = ws
	c.gen++
	var ids []uint32
	for id, cl := range c.pending {
		if cl.gen == 0 {
			cl.gen = c.gen
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	frames := make([][]byte, len(ids))
	for i, id := range ids {
		frames[i] = c.pending[id].frame
	}
	c.mu.Unlock()
	published = true
	for _, f := range frames {
		_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if ws.WriteMessage(c.msgType(), f) != nil {
			break // the new connection drops too: run's reader sees it
		}
	}
	return ws, false, nil
}

func (c *Client) msgType() int {
	if c.json {
		return websocket.TextMessage
	}
	return websocket.BinaryMessage
}

// emit queues an event for the handlers (dropped once the client is finished).
func (c *Client) emit(ev eventItem) {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	if c.evClosed {
		return
	}
	if s, ok := ev.msg.(*messages.ConnectionStateChangedEvent); ok && ev.name == messages.EventConnectionStateChanged.Name {
		c.connState.Store(s.State)
	}
	c.events <- ev
}

// emitState reports a connection state the client itself observed (the server pushes
// connected after a login and disconnected on logout, kick and token expiry); a state
// equal to the last one reported is not repeated.
func (c *Client) emitState(state, event int32) {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	if c.evClosed || c.connState.Load() == state {
		return
	}
	c.connState.Store(state)
	c.events <- eventItem{messages.EventConnectionStateChanged.Name, &messages.ConnectionStateChangedEvent{State: state, Event: event}}
}

type jsonFrame struct {
	ID      uint32          `json:"id"`
	Code    int32           `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	Event   string          `json:"event"`
}

// decodeFrame parses one server frame: a reply (id) or a push (event).
func (c *Client) decodeFrame(data []byte) (id uint32, rep reply, event string, ok bool) {
	if c.json {
		var f jsonFrame
		if json.Unmarshal(data, &f) != nil {
			return
		}
		return f.ID, reply{code: f.Code, msg: f.Message, data: f.Data}, f.Event, true
	}
	f := &messages.Frame{}
	if proto.Unmarshal(data, f) != nil {
		return
	}
	return f.Id, reply{code: f.Code, msg: f.Message, data: f.Data}, f.Event, true
}

func (c *Client) frame(data []byte) {
	id, rep, event, ok := c.decodeFrame(data)
	if !ok {
		return
	}
	if event != "" {
		spec := messages.LookupEvent(event)
		if spec == nil {
			return
		}
		pm := spec.NewPayload()
		if err := c.decode(rep.data, pm); err != nil {
			return
		}
		c.emit(eventItem{event, pm})
		return
	}
	c.mu.Lock()
	cl := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if cl != nil {
		cl.ch <- rep
	}
}

func (c *Client) dispatch() {
	defer close(c.done)
	for ev := range c.events {
		c.mu.Lock()
		hs := append([]func(proto.Message){}, c.handlers[ev.name]...)
		any := append([]func(string, proto.Message){}, c.anyEvent...)
		c.mu.Unlock()
		for _, h := range hs {
			h(ev.msg)
		}
		for _, h := range any {
			h(ev.name, ev.msg)
		}
	}
}

func (c *Client) decode(data []byte, into proto.Message) error {
	if c.json {
		if len(data) == 0 {
			return nil
		}
		return messages.UnmarshalJSON(data, into)
	}
	return proto.Unmarshal(data, into)
}

// Call invokes a method by name: params are sent under ZIM's parameter names, and the
// reply's data is decoded into result (which may be nil).
func (c *Client) Call(ctx context.Context, method string, params, result proto.Message) error {
	resend := false
	if c.opt.Reconnect {
		params, resend = c.prepareResend(method, params)
	}
	id := c.nextID.Add(1)
	frame, err := c.encode(id, method, params)
	if err != nil {
		return err
	}
	rep, err := c.roundTrip(ctx, id, frame, resend)
	if err != nil {
		return err
	}
	if result != nil {
		return c.decode(rep.data, result)
	}
	return nil
}

func (c *Client) encode(id uint32, method string, params proto.Message) ([]byte, error) {
	if c.json {
		p := []byte("{}")
		if params != nil {
			p = messages.MarshalJSON(params)
		}
		return []byte(`{"id":` + strconv.FormatUint(uint64(id), 10) + `,"method":` + strconv.Quote(method) + `,"params":` + string(p) + `}`), nil
	}
	f := &messages.Frame{Id: id, Method: method}
	if params != nil {
		var err error
		if f.Params, err = proto.Marshal(params); err != nil {
			return nil, err
		}
	}
	return proto.Marshal(f)
}

// roundTrip sends a request frame with the given id and waits for its reply; a refusal
// comes back as *Error. With Reconnect, the call waits across reconnects (bounded by
// ctx): resend says whether it may be sent again after one.
func (c *Client) roundTrip(ctx context.Context, id uint32, frame []byte, resend bool) (reply, error) {
	cl := &call{ch: make(chan reply, 1), frame: frame, resend: resend}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return reply{}, ErrClosed
	}
	c.pending[id] = cl
	ws := c.ws
	if ws != nil {
		cl.gen = c.gen
	}
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}
	if ws == nil {
		// Reconnecting: the call is sent once logged in again.
	} else if err := c.write(ws, c.msgType(), frame); err != nil && !c.opt.Reconnect {
		forget()
		return reply{}, err
	} // with Reconnect, a failed write means the connection is dropping: run resends or fails the call
	select {
	case rep, ok := <-cl.ch:
		if !ok {
			return reply{}, ErrClosed
		}
		if rep.err != nil {
			return reply{}, rep.err
		}
		if rep.code != 0 {
			return reply{}, &Error{Code: rep.code, Message: rep.msg}
		}
		return rep, nil
	case <-ctx.Done():
		forget()
		return reply{}, ctx.Err()
	}
}

// SendRaw writes one frame as it is (text for JSON clients, binary otherwise); tests use
// it to send malformed input.
func (c *Client) SendRaw(frame []byte) error {
	return c.SendFrame(c.msgType(), frame)
}

// SendFrame writes one frame of the given WebSocket message type to the live connection.
func (c *Client) SendFrame(messageType int, frame []byte) error {
	c.mu.Lock()
	ws := c.ws
	c.mu.Unlock()
	if ws == nil {
		return ErrClosed
	}
	return c.write(ws, messageType, frame)
}

func (c *Client) write(ws *websocket.Conn, messageType int, frame []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return ws.WriteMessage(messageType, frame)
}

// CallRaw sends a hand-made request frame with the given id and waits for its reply
// (tests of malformed params). It is never resent.
func (c *Client) CallRaw(ctx context.Context, id uint32, frame []byte) error {
	_, err := c.roundTrip(ctx, id, frame, false)
	return err
}

// Invoke calls a method of the method table (messages/methods.go) with its typed params
// and result: every method parley serves, including those without a helper here.
func Invoke[P, R proto.Message](ctx context.Context, c *Client, method messages.Method[P, R], params P) (R, error) {
	res := method.NewResult().(R)
	if err := c.Call(ctx, method.Name, params, res); err != nil {
		var zero R
		return zero, err
	}
	return res, nil
}
