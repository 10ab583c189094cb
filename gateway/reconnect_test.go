package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
)

// proxy is a TCP relay in front of a server: the test drops the connections under a
// client, withholds what the server sends (replies lost in flight), or refuses new
// connections for a while.
type proxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu     sync.Mutex
	conns  []net.Conn
	hold   bool // server → client bytes are discarded
	refuse bool // new connections are closed at once
	wg     sync.WaitGroup
}

func startProxy(t testing.TB, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.drop()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) url() string { return "ws://" + p.ln.Addr().String() + "/ws" }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		down, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refuse, target := p.refuse, p.target
		p.mu.Unlock()
		if refuse {
			_ = down.Close()
			continue
		}
		up, err := net.Dial("tcp", target)
		if err != nil {
			_ = down.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, down, up)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() { // client → server
			defer p.wg.Done()
			_, _ = io.Copy(up, down)
			_ = up.Close()
		}()
		go func() { // server → client, unless held
			defer p.wg.Done()
			defer down.Close()
			buf := make([]byte, 32<<10)
			for {
				n, err := up.Read(buf)
				if n > 0 {
					p.mu.Lock()
					hold := p.hold
					p.mu.Unlock()
					if !hold {
						if _, werr := down.Write(buf[:n]); werr != nil {
							return
						}
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// withhold discards from now on what the server sends to the clients.
func (p *proxy) withhold() {
	p.mu.Lock()
	p.hold = true
	p.mu.Unlock()
}

// drop closes every relayed connection (abruptly: no close frame) and relays normally
// again for new connections.
func (p *proxy) drop() {
	p.mu.Lock()
	conns := p.conns
	p.conns, p.hold = nil, false
	p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

func (p *proxy) setTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

func (p *proxy) setRefuse(v bool) {
	p.mu.Lock()
	p.refuse = v
	p.mu.Unlock()
}

// reconnectingLogin dials urls with Reconnect on (short backoff) and logs user in.
func reconnectingLogin(t testing.TB, urls []string, user string, opt client.Options) *session {
	t.Helper()
	opt.Reconnect = true
	if opt.ReconnectMinDelay == 0 {
		opt.ReconnectMinDelay, opt.ReconnectMaxDelay = 5*time.Millisecond, 50*time.Millisecond
	}
	c, err := client.DialCluster(ctx(t), urls, opt)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	rec := newRecorder(c)
	if err := c.Login(ctx(t), user, "name-"+user, token(t, user, time.Hour), 0); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return &session{Client: c, user: user, rec: rec}
}

// states lists the connection states a session was told, in order.
func states(s *session) []int32 {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	var out []int32
	for _, e := range s.rec.events {
		if e.name == "connectionStateChanged" {
			out = append(out, e.msg.(*m.ConnectionStateChangedEvent).State)
		}
	}
	return out
}

func isState(state int32) func(proto.Message) bool {
	return func(p proto.Message) bool { return p.(*m.ConnectionStateChangedEvent).State == state }
}

// history returns the whole peer conversation as user sees it, oldest first.
func history(t testing.TB, s *session, conv string) []*m.Message {
	t.Helper()
	var all []*m.Message
	var after int64
	for {
		res, err := s.QueryHistoryMessage(ctx(t), conv, 0, &m.MessageQueryConfig{Count: 100, Reverse: true, NextMessage: &m.Message{MessageSeq: after}})
		if err != nil {
			t.Fatalf("history: %v", err)
		}
		all = append(all, res.MessageList...)
		if len(res.MessageList) < 100 {
			return all
		}
		after = res.MessageList[len(res.MessageList)-1].MessageSeq
	}
}

// checkExactlyOnce: the conversation's history holds every acknowledged message once,
// with dense sequence numbers from 1, and nothing else.
func checkExactlyOnce(t testing.TB, hist []*m.Message, acked map[string]int64) {
	t.Helper()
	seen := map[string]bool{}
	for i, msg := range hist {
		if msg.MessageSeq != int64(i+1) {
			t.Fatalf("history seq %d at position %d: not dense", msg.MessageSeq, i+1)
		}
		if seen[msg.Message] {
			t.Fatalf("%q stored twice", msg.Message)
		}
		seen[msg.Message] = true
		if seq, ok := acked[msg.Message]; ok && seq != msg.MessageSeq {
			t.Fatalf("%q acknowledged with seq %d, stored with %d", msg.Message, seq, msg.MessageSeq)
		}
	}
	for text := range acked {
		if !seen[text] {
			t.Fatalf("acknowledged %q is not in the history", text)
		}
	}
}

// sendAll sends texts concurrently and collects the acknowledged ones (text → seq).
func sendAll(t testing.TB, s *session, to string, texts []string) (map[string]int64, []error) {
	t.Helper()
	var mu sync.Mutex
	acked := map[string]int64{}
	var errs []error
	var wg sync.WaitGroup
	for _, text := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg, err := s.SendText(ctx(t), text, to, 0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", text, err))
				return
			}
			acked[text] = msg.MessageSeq
		}()
	}
	wg.Wait()
	return acked, errs
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d", prefix, i+1)
	}
	return out
}

// The TCP connection under a client drops while its sends were carried out but their
// replies were lost, and more sends are made while it reconnects: it reconnects to the
// same URL, resends (the server answers from its idempotency record) and sends the rest;
// the history has each message once and the receiver got each push once.
func TestReconnectResendsAfterADroppedConnection(t *testing.T) {
	e := startEnv(t)
	p := startProxy(t, e.node.Addr())
	ann := reconnectingLogin(t, []string{p.url()}, "ann", client.Options{})
	ann.rec.wait(t, "connectionStateChanged", isState(client.StateConnected))
	ben := e.login("ben", true, 0)
	var pmu sync.Mutex
	pushes := map[string]int{}
	ben.OnPeerMessageReceived(func(ev *m.ConversationMessageReceivedEvent) {
		pmu.Lock()
		for _, msg := range ev.MessageList {
			pushes[msg.Message]++
		}
		pmu.Unlock()
	})
	pushed := func() int {
		pmu.Lock()
		defer pmu.Unlock()
		return len(pushes)
	}

	// 1. Sends carried out, replies withheld.
	p.withhold()
	first := numbered("held", 20)
	var firstAcked map[string]int64
	var firstErrs []error
	done := make(chan struct{})
	go func() { firstAcked, firstErrs = sendAll(t, ann, "ben", first); close(done) }()
	eventually(t, "the server stored the held sends", func() bool { return pushed() == len(first) })
	if ann.Pending() != len(first) {
		t.Fatalf("%d calls pending, want %d", ann.Pending(), len(first))
	}

	// 2. Drop, refusing reconnects for a while: sends made meanwhile wait.
	p.setRefuse(true)
	p.drop()
	eventually(t, "the client is reconnecting", func() bool { return ann.ConnectionState() == client.StateReconnecting })
	second := numbered("queued", 10)
	var secondAcked map[string]int64
	var secondErrs []error
	done2 := make(chan struct{})
	go func() { secondAcked, secondErrs = sendAll(t, ann, "ben", second); close(done2) }()
	eventually(t, "the sends made while reconnecting wait", func() bool { return ann.Pending() == len(first)+len(second) })
	p.setRefuse(false)
	<-done
	<-done2
	if len(firstErrs) > 0 || len(secondErrs) > 0 {
		t.Fatalf("sends failed: %v %v", firstErrs, secondErrs)
	}
	eventually(t, "ben got every message", func() bool { return pushed() == len(first)+len(second) })

	acked := map[string]int64{}
	for k, v := range firstAcked {
		acked[k] = v
	}
	for k, v := range secondAcked {
		acked[k] = v
	}
	hist := history(t, ann, "ben")
	if len(hist) != len(acked) {
		t.Fatalf("history has %d messages, want %d", len(hist), len(acked))
	}
	checkExactlyOnce(t, hist, acked)
	pmu.Lock()
	for text, n := range pushes {
		if n != 1 {
			t.Fatalf("ben got %q %d times", text, n)
		}
	}
	pmu.Unlock()
	// The held sends were stored before the sends made while reconnecting.
	for _, text := range first {
		if acked[text] > int64(len(first)) {
			t.Fatalf("held %q got seq %d after the queued ones", text, acked[text])
		}
	}
	if _, err := ann.QuerySelfUserInfo(ctx(t)); err != nil {
		t.Fatalf("the session after the reconnect: %v", err)
	}
	ann.rec.wait(t, "connectionStateChanged", isState(client.StateReconnecting))
	eventually(t, "connected again", func() bool { return ann.ConnectionState() == client.StateConnected })
	if got, want := fmt.Sprint(states(ann)), fmt.Sprint([]int32{1, 2, 3, 2}); got != want {
		t.Fatalf("connection states %s, want %s", got, want)
	}
}

// Calls in flight at a drop that are not idempotent fail with ErrNotResent; the
// idempotent ones in flight with them are resent and answered.
func TestReconnectFailsNonIdempotentCallsInFlight(t *testing.T) {
	e := startEnv(t)
	p := startProxy(t, e.node.Addr())
	ann := reconnectingLogin(t, []string{p.url()}, "ann", client.Options{JSON: true})
	ben := e.login("ben", false, 0)

	p.withhold()
	type result struct {
		what string
		err  error
	}
	results := make(chan result, 4)
	go func() {
		_, err := ann.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "g1", GroupName: "one"}, []string{"ben"}, nil)
		results <- result{"createGroup", err}
	}()
	go func() {
		_, err := ann.SendMessage(ctx(t), &m.Message{Type: 2, Message: "cmd"}, "ben", 0, nil)
		results <- result{"command message", err}
	}()
	go func() {
		_, err := ann.QueryConversationList(ctx(t), 10, nil, nil)
		results <- result{"queryConversationList", err}
	}()
	go func() {
		_, err := ann.SendText(ctx(t), "stored", "ben", 0)
		results <- result{"sendMessage", err}
	}()
	// createGroup was carried out: a resend would have failed (the group exists).
	ben.rec.wait(t, "groupStateChanged", nil)
	ben.rec.wait(t, "peerMessageReceived", isPeerText("stored"))
	eventually(t, "all four calls in flight", func() bool { return ann.Pending() == 4 })
	p.drop()
	got := map[string]error{}
	for range 4 {
		r := <-results
		got[r.what] = r.err
	}
	for _, what := range []string{"createGroup", "command message"} {
		if !errors.Is(got[what], client.ErrNotResent) {
			t.Fatalf("%s: want ErrNotResent, got %v", what, got[what])
		}
	}
	for _, what := range []string{"queryConversationList", "sendMessage"} {
		if got[what] != nil {
			t.Fatalf("%s was not resent: %v", what, got[what])
		}
	}
	groups, err := ann.QueryGroupList(ctx(t), 0, nil)
	gOK(t, "group list", err)
	if len(groups.GroupList) != 1 {
		t.Fatalf("%d groups, want the one created before the drop", len(groups.GroupList))
	}
	if hist := history(t, ann, "ben"); len(hist) != 1 {
		t.Fatalf("history has %d messages, want 1", len(hist))
	}
}

// Close codes that mean "do not reconnect" end the client: kicked by another login.
func TestReconnectNotAfterKick(t *testing.T) {
	e := startEnv(t)
	ann := reconnectingLogin(t, []string{e.node.URL()}, "ann", client.Options{})
	e.login("ann", false, 6) // same platform (Web): kicks the first
	select {
	case <-ann.Done():
	case <-ctx(t).Done():
		t.Fatal("the kicked client did not end")
	}
	if code := closeCode(t, ann); code != 4001 {
		t.Fatalf("closed with %d, want 4001", code)
	}
	if _, err := ann.QuerySelfUserInfo(ctx(t)); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("call after the kick: %v", err)
	}
	if s := states(ann); len(s) == 0 || s[len(s)-1] != client.StateDisconnected || strings.Contains(fmt.Sprint(s), "3") {
		t.Fatalf("states %v: want disconnected, no reconnecting", s)
	}
}

// A server shutdown (4000) makes the client reconnect, retrying until the server is
// back; the token provider gives the re-login's token.
func TestReconnectAfterShutdownWithTokenProvider(t *testing.T) {
	e := startEnv(t)
	e.registered("ben")
	p := startProxy(t, e.node.Addr())
	var mu sync.Mutex
	asked := 0
	ann := reconnectingLogin(t, []string{p.url()}, "ann", client.Options{
		TokenProvider: func(_ context.Context, user string) (string, error) {
			mu.Lock()
			asked++
			mu.Unlock()
			return token(t, user, time.Hour), nil
		}})
	_, err := ann.SendText(ctx(t), "before", "ben", 0)
	gOK(t, "send", err)
	e.stop() // closes with 4000; the proxy finds no server until it is back
	eventually(t, "the client is reconnecting", func() bool { return ann.ConnectionState() == client.StateReconnecting })
	var ce *websocket.CloseError
	if !errors.As(ann.CloseError(), &ce) || ce.Code != 4000 {
		t.Fatalf("closed with %v, want 4000", ann.CloseError())
	}
	e.start()
	p.setTarget(e.node.Addr())
	sent, err := ann.SendText(ctx(t), "after", "ben", 0)
	gOK(t, "send after the restart", err)
	if sent.MessageSeq != 2 {
		t.Fatalf("seq %d, want 2", sent.MessageSeq)
	}
	mu.Lock()
	defer mu.Unlock()
	if asked != 1 {
		t.Fatalf("token provider asked %d times, want 1", asked)
	}
}
