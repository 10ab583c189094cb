package gateway_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/persistence"
)

const (
	testAppID  = 1234567
	testSecret = "0123456789abcdef0123456789abcdef"
)

func testLogger() *slog.Logger {
	if os.Getenv("PARLEY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// env is a real server on a loopback port over a real Badger directory.
type env struct {
	t      testing.TB
	dir    string
	node   *gateway.Node
	acfg   actors.Config
	gcfg   gateway.Config
	memory bool
}

type envOption func(*env)

// withMemoryStore runs the node on the in-memory backend (benchmarks that isolate the store).
func withMemoryStore() envOption { return func(e *env) { e.memory = true } }

func withGateway(f func(*gateway.Config)) envOption { return func(e *env) { f(&e.gcfg) } }
func withActors(f func(*actors.Config)) envOption   { return func(e *env) { f(&e.acfg) } }

func startEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(),
		acfg: actors.Config{Logger: testLogger()},
		gcfg: gateway.Config{AppID: testAppID, Secret: testSecret, Logger: testLogger()}}
	for _, o := range opts {
		o(e)
	}
	e.start()
	t.Cleanup(func() {
		if e.node != nil {
			e.stop()
		}
	})
	return e
}

func (e *env) start() {
	e.t.Helper()
	var store persistence.Store = persistence.NewMemory()
	if !e.memory {
		var err error
		store, err = persistence.OpenBadger(persistence.BadgerOptions{Dir: e.dir, Logger: testLogger()})
		if err != nil {
			e.t.Fatalf("open badger: %v", err)
		}
	}
	var err error
	e.node, err = gateway.StartNode(store, e.acfg, e.gcfg, "127.0.0.1:0")
	if err != nil {
		e.t.Fatalf("start node: %v", err)
	}
}

func (e *env) stop() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.node.Shutdown(ctx); err != nil {
		e.t.Errorf("shutdown: %v", err)
	}
	e.node = nil
}

// restart stops the node and starts a new one on the same data directory.
func (e *env) restart() {
	e.t.Helper()
	e.stop()
	e.start()
}

func token(t testing.TB, user string, ttl time.Duration) string {
	t.Helper()
	tok, err := auth.Issue(testAppID, testSecret, user, ttl, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// dial connects without logging in.
func (e *env) dial(json bool) *client.Client {
	e.t.Helper()
	return dialURL(e.t, e.node.URL(), json)
}

func dialURL(t testing.TB, url string, json bool) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx(t), url, client.Options{JSON: json})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// session is a logged-in client with an event recorder.
type session struct {
	*client.Client
	user string
	rec  *recorder
}

func (e *env) login(user string, json bool, platform int32) *session {
	e.t.Helper()
	return loginAt(e.t, e.node.URL(), user, json, platform)
}

func loginAt(t testing.TB, url, user string, json bool, platform int32) *session {
	t.Helper()
	c := dialURL(t, url, json)
	rec := newRecorder(c)
	if err := c.Login(ctx(t), user, "name-"+user, token(t, user, time.Hour), platform); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return &session{Client: c, user: user, rec: rec}
}

// registered makes users exist without staying online: each logs in once (a user
// exists once it has logged in; a message to one that never did is refused, 6000204)
// and logs out again.
func (e *env) registered(users ...string) {
	e.t.Helper()
	for _, u := range users {
		s := e.login(u, false, 0)
		if err := s.Logout(ctx(e.t)); err != nil {
			e.t.Fatalf("logout %s: %v", u, err)
		}
		_ = s.Close()
	}
}

type event struct {
	name string
	msg  proto.Message
}

// recorder keeps every push a client received, for waiting on with a deadline.
type recorder struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []event
}

func newRecorder(c *client.Client) *recorder {
	r := &recorder{}
	r.cond = sync.NewCond(&r.mu)
	c.OnAny(func(name string, m proto.Message) {
		r.mu.Lock()
		r.events = append(r.events, event{name, m})
		r.mu.Unlock()
		r.cond.Broadcast()
	})
	go func() { // wake waiters when the connection goes
		<-c.Done()
		r.cond.Broadcast()
	}()
	return r
}

// wait returns the first recorded event named name that matches (nil match: any),
// failing the test after the deadline.
func (r *recorder) wait(t testing.TB, name string, match func(proto.Message) bool) proto.Message {
	t.Helper()
	m, ok := r.waitFor(name, match, 5*time.Second)
	if !ok {
		r.mu.Lock()
		var names []string
		for _, e := range r.events {
			names = append(names, e.name)
		}
		r.mu.Unlock()
		t.Fatalf("no %s event within the deadline (got %v)", name, names)
	}
	return m
}

func (r *recorder) waitFor(name string, match func(proto.Message) bool, d time.Duration) (proto.Message, bool) {
	deadline := time.Now().Add(d)
	timer := time.AfterFunc(d, r.cond.Broadcast)
	defer timer.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		for _, e := range r.events {
			if e.name == name && (match == nil || match(e.msg)) {
				return e.msg, true
			}
		}
		if time.Now().After(deadline) {
			return nil, false
		}
		r.cond.Wait()
	}
}

// count is how many recorded events named name match.
func (r *recorder) count(name string, match func(proto.Message) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.name == name && (match == nil || match(e.msg)) {
			n++
		}
	}
	return n
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(5*time.Second, cond) {
		t.Fatalf("condition not met within the deadline: %s", what)
	}
}

// waitUntil polls cond until it holds or d has passed, and reports whether it held: the
// one deadline-bounded wait of this package's tests and benchmarks.
func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond) // the polling interval
	}
	return true
}
