package load

import (
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestNextTargetRoundRobin(t *testing.T) {
	list := "ws://a/ws, ws://b/ws,ws://c/ws"
	got := map[string]int{}
	for range 9 {
		got[nextTarget(list)]++
	}
	if len(got) != 3 || got["ws://a/ws"] != 3 || got["ws://b/ws"] != 3 || got["ws://c/ws"] != 3 {
		t.Fatalf("spread %v", got)
	}
	if nextTarget("ws://one/ws") != "ws://one/ws" {
		t.Fatal("a single target changed")
	}
}

// relay forwards TCP connections to target and counts them.
func relay(t *testing.T, target string) (url string, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = new(atomic.Int32)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				_ = down.Close()
				continue
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, down, up)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); _, _ = io.Copy(up, down); _ = up.Close() }()
			go func() { defer wg.Done(); _, _ = io.Copy(down, up); _ = down.Close() }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "ws://" + ln.Addr().String() + "/ws", accepted
}

// A Target list spreads the connections over its URLs (two relays to one server stand
// in for two nodes).
func TestTargetListSpreadsConnections(t *testing.T) {
	url := spawn(t)
	host := strings.TrimSuffix(strings.TrimPrefix(url, "ws://"), "/ws")
	a, na := relay(t, host)
	b, nb := relay(t, host)
	res := runOK(t, Config{Scenario: "peer", Target: a + "," + b, Conns: 20, Count: 100, Warmup: true})
	if !res.OK() || res.Delivered != 100 {
		t.Fatalf("run over two targets: %+v", res)
	}
	if na.Load() != 10 || nb.Load() != 10 {
		t.Fatalf("connections %d and %d, want 10 each", na.Load(), nb.Load())
	}
}
