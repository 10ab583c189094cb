// Package client is a Go client of the parley gateway protocol with ZIM-style methods
// and event callbacks. Tests, the load tool and Go programs use it.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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

// Options configure Dial.
type Options struct {
	// JSON selects the "parley.json" subprotocol; the default is "parley.proto".
	JSON bool
	// PingInterval keeps the connection alive. Default 30s; negative disables.
	PingInterval time.Duration
	Header       http.Header
}

type reply struct {
	code int32
	msg  string
	data []byte // protobuf bytes, or a raw JSON object
}

// Client is one connection to a parley gateway. Its methods are safe for concurrent use.
type Client struct {
	ws     *websocket.Conn
	json   bool
	wmu    sync.Mutex
	nextID atomic.Uint32

	mu       sync.Mutex
	pending  map[uint32]chan reply
	handlers map[string][]func(proto.Message)
	anyEvent []func(string, proto.Message)
	closed   bool
	closeErr error

	events chan eventItem
	done   chan struct{}
}

type eventItem struct {
	name string
	msg  proto.Message
}

// Dial connects to url (ws://host:port/ws).
func Dial(ctx context.Context, url string, opt Options) (*Client, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	sub := "parley.proto"
	if opt.JSON {
		sub = "parley.json"
	}
	d.Subprotocols = []string{sub}
	ws, resp, err := d.DialContext(ctx, url, opt.Header)
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
	c := &Client{ws: ws, json: opt.JSON, pending: map[uint32]chan reply{}, handlers: map[string][]func(proto.Message){},
		events: make(chan eventItem, 1024), done: make(chan struct{})}
	go c.readLoop()
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

// Done is closed when the connection is gone.
func (c *Client) Done() <-chan struct{} { return c.done }

// CloseError is why the connection ended (a *websocket.CloseError carries the code).
func (c *Client) CloseError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeErr
}

// Close closes the connection.
func (c *Client) Close() error {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	err := c.ws.Close()
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
			c.wmu.Lock()
			_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
			c.wmu.Unlock()
		}
	}
}

func (c *Client) readLoop() {
	defer func() {
		c.mu.Lock()
		c.closed = true
		for id, ch := range c.pending {
			close(ch)
			delete(c.pending, id)
		}
		c.mu.Unlock()
		close(c.events)
	}()
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.mu.Lock()
			c.closeErr = err
			c.mu.Unlock()
			return
		}
		c.frame(data)
	}
}

type jsonFrame struct {
	ID      uint32          `json:"id"`
	Code    int32           `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	Event   string          `json:"event"`
}

func (c *Client) frame(data []byte) {
	var id uint32
	var rep reply
	var event string
	if c.json {
		var f jsonFrame
		if json.Unmarshal(data, &f) != nil {
			return
		}
		id, rep, event = f.ID, reply{code: f.Code, msg: f.Message, data: f.Data}, f.Event
	} else {
		f := &messages.Frame{}
		if proto.Unmarshal(data, f) != nil {
			return
		}
		id, rep, event = f.Id, reply{code: f.Code, msg: f.Message, data: f.Data}, f.Event
	}
	if event != "" {
		spec := messages.LookupEvent(event)
		if spec == nil {
			return
		}
		m := spec.NewPayload()
		if err := c.decode(rep.data, m); err != nil {
			return
		}
		c.events <- eventItem{event, m}
		return
	}
	c.mu.Lock()
	ch := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if ch != nil {
		ch <- rep
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
	var frame []byte
	id := c.nextID.Add(1)
	if c.json {
		p := []byte("{}")
		if params != nil {
			p = messages.MarshalJSON(params)
		}
		frame = []byte(`{"id":` + strconv.FormatUint(uint64(id), 10) + `,"method":` + strconv.Quote(method) + `,"params":` + string(p) + `}`)
	} else {
		f := &messages.Frame{Id: id, Method: method}
		if params != nil {
			var err error
			if f.Params, err = proto.Marshal(params); err != nil {
				return err
			}
		}
		frame, _ = proto.Marshal(f)
	}
	rep, err := c.roundTrip(ctx, id, frame)
	if err != nil {
		return err
	}
	if result != nil {
		return c.decode(rep.data, result)
	}
	return nil
}

// roundTrip sends a request frame with the given id and waits for its reply; a refusal
// comes back as *Error.
func (c *Client) roundTrip(ctx context.Context, id uint32, frame []byte) (reply, error) {
	ch := make(chan reply, 1)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return reply{}, ErrClosed
	}
	c.pending[id] = ch
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}
	if err := c.SendRaw(frame); err != nil {
		forget()
		return reply{}, err
	}
	select {
	case rep, ok := <-ch:
		if !ok {
			return reply{}, ErrClosed
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
	mt := websocket.BinaryMessage
	if c.json {
		mt = websocket.TextMessage
	}
	return c.SendFrame(mt, frame)
}

// SendFrame writes one frame of the given WebSocket message type.
func (c *Client) SendFrame(messageType int, frame []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteMessage(messageType, frame)
}

// CallRaw sends a hand-made request frame with the given id and waits for its reply
// (tests of malformed params).
func (c *Client) CallRaw(ctx context.Context, id uint32, frame []byte) error {
	_, err := c.roundTrip(ctx, id, frame)
	return err
}
