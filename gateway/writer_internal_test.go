package gateway

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"
)

// writeNonBlocking on a socket whose peer does not read: it writes what fits and says
// how much, then 0 without error once the buffers are full (never blocking), and an
// error once the peer is gone. What it wrote arrives intact.
func TestWriteNonBlockingTakesWhatTheSocketTakes(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	_ = server.(*net.TCPConn).SetWriteBuffer(4096)
	_ = client.(*net.TCPConn).SetReadBuffer(4096)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KB
	var sent []byte
	partial := false
	start := time.Now()
	for {
		n, err := writeNonBlocking(server, chunk)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, chunk[:n]...)
		if n > 0 && n < len(chunk) {
			partial = true
		}
		if n == 0 {
			break // full: nothing taken, no error, no wait
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the socket never filled")
		}
	}
	if !partial {
		t.Fatalf("no partial write before the socket filled (%d bytes written)", len(sent))
	}
	got := make([]byte, len(sent))
	if _, err := io.ReadFull(client, got); err != nil || !bytes.Equal(got, sent) {
		t.Fatalf("read back %d bytes: %v", len(got), err)
	}
	_ = client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := writeNonBlocking(server, chunk); err != nil {
			break // EPIPE / ECONNRESET: the connection is broken
		}
		if time.Now().After(deadline) {
			t.Fatal("writes to a closed peer never failed")
		}
		time.Sleep(time.Millisecond) // polling within the deadline above
	}
	// A connection that is not a plain socket takes nothing this way.
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if n, err := writeNonBlocking(a, chunk); n != 0 || err != nil {
		t.Fatalf("net.Pipe: %d %v", n, err)
	}
}

// FuzzFrameReader (reader.go): arbitrary bytes from a client never make the frame
// reader panic, hang or return more than it read; every message it returns is a text or
// binary message within the read limit.
func FuzzFrameReader(f *testing.F) {
	masked := func(b0 byte, payload string) []byte {
		out := []byte{b0, 0x80 | byte(len(payload)), 1, 2, 3, 4}
		for i := 0; i < len(payload); i++ {
			out = append(out, payload[i]^byte(i%4+1))
		}
		return out
	}
	f.Add(masked(0x81, `{"id":1}`))
	f.Add(append(masked(0x01, "ab"), masked(0x80, "cd")...))
	f.Add(append(masked(0x89, "p"), masked(0x82, "x")...))
	f.Add(masked(0x88, "\x03\xe8bye"))
	f.Add([]byte{0x81, 0xfe, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		a, b := net.Pipe()
		defer a.Close()
		go func() {
			_, _ = b.Write(in)
			b.Close()
		}()
		const limit = 1 << 10
		fr := newFrameReader(a, limit)
		total := 0
		for i := 0; i < 1000; i++ {
			op, data, err := fr.next(func(op int, data []byte) error {
				if op == opClose {
					if _, err := closeCode(data); err != nil {
						return err
					}
					return errPeerClosed
				}
				return nil
			})
			if err != nil {
				return
			}
			if op == 0 {
				if fr.idle() {
					if err := fr.wait(); err != nil {
						return
					}
				}
				continue
			}
			if op != opText && op != opBinary {
				t.Fatalf("message with opcode %d", op)
			}
			if len(data) > limit {
				t.Fatalf("message of %d bytes over the %d limit", len(data), limit)
			}
			total += len(data)
			if total > len(in) {
				t.Fatalf("%d message bytes from %d input bytes", total, len(in))
			}
		}
	})
}
