package gateway_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway"
)

// Idle connections give up their reader goroutine (park.go): these tests run the real
// server with a short ParkAfter and check that a parked connection still gets its
// pushes, wakes for a request, a ping or a close, is closed by the read timeout, kicked
// by another login, and closed by a shutdown.

func skipWithoutParking(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("parking idle connections needs epoll (Linux)")
	}
}

func withParking(after time.Duration) envOption {
	return withGateway(func(c *gateway.Config) { c.ParkAfter = after })
}

// readers counts the goroutines reading a connection.
func readers() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "gateway.(*conn).readOn(")
}

// parkedNow waits until n connections are parked and no goroutine reads any of them.
func parkedNow(t *testing.T, e *env, n int64) {
	t.Helper()
	eventually(t, "connections parked", func() bool {
		return metricValue(t, e.node, "parley_connections_parked") == n && readers() == 0
	})
}

func TestParkedConnectionsServeAndWake(t *testing.T) {
	skipWithoutParking(t)
	e := startEnv(t, withParking(100*time.Millisecond))
	alice := e.login("park-alice", true, 0)
	bob := e.login("park-bob", false, 0)
	parkedNow(t, e, 2)
	parks := metricValue(t, e.node, "parley_parks_total")

	// alice's request wakes her connection; bob, parked, gets the message pushed.
	if _, err := alice.SendText(ctx(t), "to a parked bob", "park-bob", 0); err != nil {
		t.Fatal(err)
	}
	bob.rec.wait(t, "peerMessageReceived", isPeerText("to a parked bob"))
	// bob answers from his parked connection.
	if _, err := bob.SendText(ctx(t), "back", "park-alice", 0); err != nil {
		t.Fatal(err)
	}
	alice.rec.wait(t, "peerMessageReceived", isPeerText("back"))
	// Quiet again: both park again.
	parkedNow(t, e, 2)
	if got := metricValue(t, e.node, "parley_parks_total"); got < parks+2 {
		t.Fatalf("parks %d after %d: the woken connections did not park again", got, parks)
	}
	if got := metricValue(t, e.node, "parley_connections"); got != 2 {
		t.Fatalf("%d connections open, want 2", got)
	}
}

func TestParkedConnectionPingAndClose(t *testing.T) {
	skipWithoutParking(t)
	e := startEnv(t, withParking(100*time.Millisecond))
	r := dialRawWS(t, e)
	pongs := make(chan string, 1)
	r.ws.SetPongHandler(func(s string) error { pongs <- s; return nil })
	r.write(t, clientFrame(0x81, loginFrame(t, "park-raw"), false))
	if got := r.reply(t, 1); !strings.Contains(got, `"code":0`) {
		t.Fatalf("login: %s", got)
	}
	parkedNow(t, e, 1)
	// A ping wakes it and is answered (the client reads in the background so that its
	// pong handler runs).
	errs := make(chan error, 1)
	go func() {
		for {
			if _, _, err := r.ws.ReadMessage(); err != nil {
				errs <- err
				return
			}
		}
	}()
	r.write(t, clientFrame(0x89, []byte("still there?"), false))
	select {
	case got := <-pongs:
		if got != "still there?" {
			t.Fatalf("pong %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no pong from a parked connection")
	}
	parkedNow(t, e, 1)
	// A close frame wakes it: echoed, and the connection is gone.
	r.write(t, clientFrame(0x88, []byte{0x03, 0xe8}, false))
	select {
	case err := <-errs:
		if !strings.Contains(err.Error(), "1000") {
			t.Fatalf("closed with %v, want the echo of 1000", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("close frame not echoed")
	}
	eventually(t, "connection closed", func() bool {
		return metricValue(t, e.node, "parley_connections") == 0 && metricValue(t, e.node, "parley_connections_parked") == 0
	})
}

// A parked connection whose client says nothing for the read timeout is closed, as an
// unparked one would be.
func TestParkedConnectionReadTimeout(t *testing.T) {
	skipWithoutParking(t)
	e := startEnv(t, withParking(50*time.Millisecond), withGateway(func(c *gateway.Config) { c.ReadTimeout = 800 * time.Millisecond }))
	r := dialRawWS(t, e)
	r.write(t, clientFrame(0x81, loginFrame(t, "park-silent"), false))
	if got := r.reply(t, 1); !strings.Contains(got, `"code":0`) {
		t.Fatalf("login: %s", got)
	}
	parkedNow(t, e, 1)
	start := time.Now()
	r.closedWith(t)
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("closed after %v", waited)
	}
	eventually(t, "connection closed", func() bool {
		return metricValue(t, e.node, "parley_connections") == 0 && metricValue(t, e.node, "parley_connections_parked") == 0
	})
}

// A login on the same platform kicks a parked connection out; shutdown closes parked
// connections and returns.
func TestParkedConnectionKickedAndShutdown(t *testing.T) {
	skipWithoutParking(t)
	e := startEnv(t, withParking(100*time.Millisecond))
	old := e.login("park-kick", true, 1)
	others := []*session{e.login("park-x", true, 0), e.login("park-y", false, 0)}
	parkedNow(t, e, 3)
	e.login("park-kick", true, 1)
	select {
	case <-old.Done():
		if err := old.CloseError(); err == nil || !strings.Contains(err.Error(), "4001") {
			t.Fatalf("parked connection closed with %v, want kicked (4001)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("parked connection not kicked")
	}
	eventually(t, "kicked connection gone", func() bool { return metricValue(t, e.node, "parley_connections") == 3 })
	parkedNow(t, e, 3)
	e.stop() // fails the test if the connections do not close
	for _, s := range others {
		select {
		case <-s.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("a parked connection outlived the shutdown")
		}
	}
}
