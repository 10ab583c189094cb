// Package load is parley's load generator: lean WebSocket clients, the scenarios of
// `parley bench` (login, peer, room, group, channel, idle), exact loss/duplicate
// accounting and latency percentiles, and an in-process driver that loads actor kinds
// without WebSockets.
package load

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// rawConn is a lean client connection on the "parley.proto" subprotocol: requests are
// written as pre-framed bytes and incoming frames are parsed just enough to tell replies
// from pushes; nothing is decoded unless the caller asks. It costs a fraction of the
// CPU of a full client, so a load test measures the server, not itself.
type rawConn struct {
	nc  net.Conn
	br  *bufio.Reader
	wmu sync.Mutex
	buf []byte
	in  timedReader
}

// timedReader notes when each read from the socket returned: the arrival time of every
// frame completed by that read, taken once per read syscall instead of once per frame.
type timedReader struct {
	r  io.Reader
	at time.Time
}

func (t *timedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.at = time.Now()
	return n, err
}

// dialRaw opens a connection (the WebSocket handshake goes through gorilla; the frames
// after it are read and written directly) reading through a buffer of bufSize bytes.
// url may be a Target list: each dial takes the next URL of it.
func dialRaw(ctx context.Context, url string, bufSize int) (*rawConn, error) {
	url = nextTarget(url)
	// gorilla's buffers serve the handshake only: small ones, not its 4 KB defaults.
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, Subprotocols: []string{"parley.proto"},
		ReadBufferSize: 1024, WriteBufferSize: 1024}
	ws, resp, err := d.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	c := &rawConn{nc: ws.NetConn()}
	c.in.r = c.nc
	c.br = bufio.NewReaderSize(&c.in, bufSize)
	return c, nil
}

// roundRobin holds, per Target list, the number of dials made to it.
var roundRobin sync.Map // string → *atomic.Uint64

// nextTarget returns the URL the next connection to target (a URL or a list) goes to.
func nextTarget(target string) string {
	if !strings.Contains(target, ",") {
		return target
	}
	urls := Targets(target)
	if len(urls) == 0 {
		return target
	}
	v, _ := roundRobin.LoadOrStore(target, new(atomic.Uint64))
	n := v.(*atomic.Uint64).Add(1) - 1
	return urls[n%uint64(len(urls))]
}

// Read buffers: frames up to the buffer's size are parsed in place, and one read takes
// whatever arrived. Scenarios that receive pushes get a large one; login and idle, whose
// connections get one reply each, a small one (allocating 64 KB per connection was a
// good part of the login storm's client cost).
const (
	readBuffer      = 64 << 10
	readBufferQuiet = 4 << 10
)

// clientFrame frames payload as a masked binary client frame. The mask key is zero
// (a valid key; the server unmasks with it), so the payload bytes are sent as they are.
func clientFrame(dst, payload []byte) []byte {
	n := len(payload)
	dst = append(dst, 0x82)
	switch {
	case n < 126:
		dst = append(dst, 0x80|byte(n))
	case n <= 0xffff:
		dst = append(dst, 0x80|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	dst = append(dst, 0, 0, 0, 0)
	return append(dst, payload...)
}

// request encodes one request frame.
func request(id uint32, method string, params proto.Message) []byte {
	p, _ := proto.Marshal(params)
	f, _ := proto.Marshal(&messages.Frame{Id: id, Method: method, Params: p})
	return clientFrame(nil, f)
}

// write sends ready-made frames.
func (c *rawConn) write(frames ...[]byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	bufs := net.Buffers(frames)
	_, err := bufs.WriteTo(c.nc)
	return err
}

// inFrame is one server frame: a reply (id != 0 or code != 0) or a push (event set).
// event and data are valid until the next read.
type inFrame struct {
	id    uint32
	code  int32
	event []byte
	data  []byte
	at    time.Time // when the read that completed the frame returned
}

// read returns the next data frame; control frames are answered or skipped.
func (c *rawConn) read() (inFrame, error) {
	for {
		hdr, err := c.next(2)
		if err != nil {
			return inFrame{}, err
		}
		op := hdr[0] & 0x0f
		n := uint64(hdr[1] & 0x7f)
		switch n {
		case 126:
			b, err := c.next(2)
			if err != nil {
				return inFrame{}, err
			}
			n = uint64(binary.BigEndian.Uint16(b))
		case 127:
			b, err := c.next(8)
			if err != nil {
				return inFrame{}, err
			}
			n = binary.BigEndian.Uint64(b)
		}
		if n > 64<<20 {
			return inFrame{}, errors.New("load: frame too large")
		}
		var payload []byte
		if n <= uint64(c.br.Size()) {
			if payload, err = c.next(int(n)); err != nil {
				return inFrame{}, err
			}
		} else {
			if uint64(cap(c.buf)) < n {
				c.buf = make([]byte, n)
			}
			payload = c.buf[:n]
			if _, err := io.ReadFull(c.br, payload); err != nil {
				return inFrame{}, err
			}
		}
		switch op {
		case websocket.BinaryMessage:
			f, err := parseFrame(payload)
			f.at = c.in.at
			return f, err
		case websocket.CloseMessage:
			code := 0
			if len(payload) >= 2 {
				code = int(binary.BigEndian.Uint16(payload))
			}
			return inFrame{}, &websocket.CloseError{Code: code}
		case websocket.PingMessage:
			pong := append([]byte{0x8a, 0x80 | byte(len(payload)), 0, 0, 0, 0}, payload...)
			if err := c.write(pong); err != nil {
				return inFrame{}, err
			}
		}
	}
}

// next consumes the next n (≤ the buffer's size) bytes in place: valid until the next read of
// br (Discard does not move the buffered bytes). Nothing is copied or allocated.
func (c *rawConn) next(n int) ([]byte, error) {
	b, err := c.br.Peek(n)
	if err != nil {
		return nil, err
	}
	_, _ = c.br.Discard(n)
	return b, nil
}

// parseFrame reads the fields of a parley.Frame without allocating.
func parseFrame(b []byte) (inFrame, error) {
	var f inFrame
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return f, fmt.Errorf("load: bad frame")
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return f, fmt.Errorf("load: bad frame")
			}
			f.id, b = uint32(v), b[m:]
		case num == 4 && typ == protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return f, fmt.Errorf("load: bad frame")
			}
			f.code, b = int32(v), b[m:]
		case num == 7 && typ == protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return f, fmt.Errorf("load: bad frame")
			}
			f.event, b = v, b[m:]
		case num == 6 && typ == protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return f, fmt.Errorf("load: bad frame")
			}
			f.data, b = v, b[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return f, fmt.Errorf("load: bad frame")
			}
			b = b[m:]
		}
	}
	return f, nil
}

func (c *rawConn) close() error { return c.nc.Close() }
