package gateway

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The reader side of a connection. gorilla/websocket does the handshake (its Upgrade
// refuses a client that sent data before the handshake completed, so nothing is
// buffered after it); the frames after it are read here, straight from the socket
// (RFC 6455 §5): client frames masked, no extensions (RSV bits 0), control frames
// unfragmented and at most 125 bytes, fragmented messages reassembled, pings answered,
// a close frame echoed. A violation closes the connection with 1002, a message over the
// read limit with 1009.
//
// An idle connection holds no read buffer: its reader goroutine waits for the socket to
// become readable, bytes are read into a buffer from a pool shared by all connections,
// and the buffer goes back as soon as everything in it was consumed. (gorilla's reader
// kept a 1 KB buffer per connection.)

const readChunk = 4096

var readPool = sync.Pool{New: func() any { b := make([]byte, readChunk); return &b }}

// errProtocol is a frame RFC 6455 does not allow.
var errProtocol = errors.New("websocket: protocol error")

// errTooLarge is a message over the read limit.
var errTooLarge = errors.New("websocket: message too large")

// errPeerClosed is a close frame from the client (already echoed).
var errPeerClosed = errors.New("websocket: closed by the client")

// WebSocket opcodes.
const (
	opContinuation = 0
	opText         = 1
	opBinary       = 2
	opClose        = 8
	opPing         = 9
	opPong         = 10
)

type frameReader struct {
	nc    net.Conn
	rc    syscall.RawConn // nil when nc is not a plain socket (TLS): reads block in nc.Read
	buf   *[]byte         // the pooled chunk holding unconsumed bytes; nil when none
	r, w  int             // consumed up to r, filled up to w
	limit int64

	frag   []byte // the fragmented message being assembled
	fragOp int    // its opcode; 0 when none

	// state of readable, the RawConn callback (one closure per connection, not per read)
	readFn func(fd uintptr) bool
	n      int
	err    error
	got    *[]byte
}

func newFrameReader(nc net.Conn, limit int64) *frameReader {
	fr := &frameReader{nc: nc, limit: limit}
	if sc, ok := nc.(syscall.Conn); ok {
		if rc, err := sc.SyscallConn(); err == nil {
			fr.rc = rc
			fr.readFn = fr.readable
		}
	}
	return fr
}

// idle reports whether no byte is buffered.
func (fr *frameReader) idle() bool { return fr.buf == nil }

// wait blocks until the socket has bytes and reads them into a pooled chunk. Called
// with nothing buffered; the goroutine holds no buffer while it waits.
func (fr *frameReader) wait() error {
	if fr.rc == nil {
		b := readPool.Get().(*[]byte)
		n, err := fr.nc.Read(*b)
		return fr.took(b, n, err)
	}
	fr.got, fr.n, fr.err = nil, 0, nil
	if err := fr.rc.Read(fr.readFn); err != nil {
		if fr.got != nil {
			readPool.Put(fr.got)
		}
		return err
	}
	return fr.took(fr.got, fr.n, fr.err)
}

// readable is the RawConn.Read callback: one non-blocking read into a pooled chunk;
// false (wait for the socket) when there was nothing to read, the chunk given back.
func (fr *frameReader) readable(fd uintptr) bool {
	b := readPool.Get().(*[]byte)
	for {
		n, err := syscall.Read(int(fd), *b)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			readPool.Put(b)
			return false
		}
		fr.got, fr.n, fr.err = b, n, err
		return true
	}
}

func (fr *frameReader) took(b *[]byte, n int, err error) error {
	if n <= 0 {
		readPool.Put(b)
		if err == nil {
			err = io.EOF
		}
		return err
	}
	fr.buf, fr.r, fr.w = b, 0, n
	return nil
}

// fill makes at least k (≤ readChunk) unconsumed bytes buffered, reading as needed.
func (fr *frameReader) fill(k int) error {
	if fr.buf == nil {
		if err := fr.wait(); err != nil {
			return err
		}
	}
	for fr.w-fr.r < k {
		b := *fr.buf
		if fr.r > 0 { // move the rest to the front
			fr.w = copy(b, b[fr.r:fr.w])
			fr.r = 0
		}
		n, err := fr.nc.Read(b[fr.w:])
		fr.w += n
		if err != nil && fr.w-fr.r < k {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// consumed releases the chunk once everything in it was used.
func (fr *frameReader) consumed() {
	if fr.buf != nil && fr.r == fr.w {
		readPool.Put(fr.buf)
		fr.buf, fr.r, fr.w = nil, 0, 0
	}
}

// payload reads n bytes of frame payload into a new slice and unmasks it.
func (fr *frameReader) payload(n int, mask [4]byte) ([]byte, error) {
	out := make([]byte, n)
	got := 0
	if fr.buf != nil {
		got = copy(out, (*fr.buf)[fr.r:fr.w])
		fr.r += got
		fr.consumed()
	}
	if got < n {
		if _, err := io.ReadFull(fr.nc, out[got:]); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	for i := range out {
		out[i] ^= mask[i&3]
	}
	return out, nil
}

// frame reads one frame: FIN, opcode, unmasked payload.
func (fr *frameReader) frame() (fin bool, op int, data []byte, err error) {
	if err := fr.fill(2); err != nil {
		return false, 0, nil, err
	}
	b := (*fr.buf)[fr.r:]
	fin, op = b[0]&0x80 != 0, int(b[0]&0x0f)
	masked, n7 := b[1]&0x80 != 0, int64(b[1]&0x7f)
	if b[0]&0x70 != 0 || !masked {
		return false, 0, nil, errProtocol // no extension was negotiated; clients mask
	}
	head := 2
	switch n7 {
	case 126:
		head = 4
	case 127:
		head = 10
	}
	if err := fr.fill(head + 4); err != nil {
		return false, 0, nil, err
	}
	b = (*fr.buf)[fr.r:]
	n := n7
	switch n7 {
	case 126:
		n = int64(binary.BigEndian.Uint16(b[2:4]))
	case 127:
		u := binary.BigEndian.Uint64(b[2:10])
		if u > 1<<62 {
			return false, 0, nil, errProtocol
		}
		n = int64(u)
	}
	var mask [4]byte
	copy(mask[:], b[head:head+4])
	fr.r += head + 4
	switch op {
	case opClose, opPing, opPong:
		if !fin || n > 125 {
			return false, 0, nil, errProtocol
		}
	case opText, opBinary, opContinuation:
		if int64(len(fr.frag))+n > fr.limit {
			return false, 0, nil, errTooLarge
		}
	default:
		return false, 0, nil, errProtocol
	}
	data, err = fr.payload(int(n), mask)
	return fin, op, data, err
}

// next returns the next message (text or binary), answering the control frames before
// it: control(op, data) handles pings and pongs; a close frame is echoed by the caller
// and ends reading (errPeerClosed).
func (fr *frameReader) next(control func(op int, data []byte) error) (int, []byte, error) {
	for {
		fin, op, data, err := fr.frame()
		if err != nil {
			return 0, nil, err
		}
		switch op {
		case opPing, opPong, opClose:
			if err := control(op, data); err != nil {
				return 0, nil, err
			}
			if fr.buf == nil {
				return 0, nil, nil // nothing else buffered: the caller waits
			}
			continue
		case opContinuation:
			if fr.fragOp == 0 {
				return 0, nil, errProtocol
			}
			fr.frag = append(fr.frag, data...)
			if !fin {
				continue
			}
			op, data = fr.fragOp, fr.frag
			fr.frag, fr.fragOp = nil, 0
			return op, data, nil
		default: // text, binary
			if fr.fragOp != 0 {
				return 0, nil, errProtocol // a new message inside a fragmented one
			}
			if !fin {
				fr.frag, fr.fragOp = data, op
				continue
			}
			return op, data, nil
		}
	}
}

// closeCode reads a close frame's payload: its status code, or errProtocol for one
// RFC 6455 does not allow.
func closeCode(data []byte) (int, error) {
	if len(data) == 0 {
		return websocket.CloseNoStatusReceived, nil
	}
	if len(data) == 1 || !utf8.Valid(data[2:]) {
		return 0, errProtocol
	}
	code := int(binary.BigEndian.Uint16(data))
	switch {
	case code >= 3000 && code <= 4999:
	case code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006:
	default:
		return 0, errProtocol
	}
	return code, nil
}
