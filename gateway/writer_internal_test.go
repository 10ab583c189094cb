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
		time.Sleep(time.Millisecond)
	}
	// A connection that is not a plain socket takes nothing this way.
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if n, err := writeNonBlocking(a, chunk); n != 0 || err != nil {
		t.Fatalf("net.Pipe: %d %v", n, err)
	}
}
