package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

const codeServerFrequency = 6000005

func withRates(r gateway.Rates) envOption {
	return withGateway(func(c *gateway.Config) { c.Rates = r })
}

// A connection over its budget of changes is refused with 6000005 and nothing it sent
// over the limit is stored; its queries draw on another budget and still pass; another
// user is not affected; the budget refills with time.
func TestRateLimitPerConnectionSeparatesChangesAndQueries(t *testing.T) {
	e := startEnv(t, withRates(gateway.Rates{
		ConnChanges: gateway.RateLimit{PerSecond: 2, Burst: 5},
		ConnQueries: gateway.RateLimit{PerSecond: 2, Burst: 5},
	}))
	e.registered("bob")
	alice := e.login("alice", false, 0)
	carol := e.login("carol", false, 0)
	var ok, limited int
	start := time.Now()
	for i := 0; i < 12; i++ {
		_, err := alice.SendText(ctx(t), fmt.Sprintf("flood %d", i), "bob", actors.ConvPeer)
		switch code := codeOf(err); {
		case err == nil:
			ok++
		case code == codeServerFrequency:
			limited++
		default:
			t.Fatalf("send %d: %v", i, err)
		}
	}
	// The login took one change token of the burst; the bucket refills at 2/s while the
	// loop runs (a refusal also pauses the reader until the next token).
	most := 4 + int(time.Since(start).Seconds()*2) + 1
	if ok < 4 || ok > most || limited < 12-most {
		t.Fatalf("12 sends with a burst of 5 in %v: %d accepted (at most %d), %d refused with 6000005", time.Since(start), ok, most, limited)
	}
	// Queries have their own budget.
	list, err := alice.QueryHistoryMessage(ctx(t), "bob", actors.ConvPeer, &m.MessageQueryConfig{Count: 100})
	if err != nil {
		t.Fatalf("a query after the changes' budget ran out: %v", err)
	}
	if len(list.MessageList) != ok {
		t.Fatalf("history holds %d messages, %d were accepted", len(list.MessageList), ok)
	}
	// Others keep their own budgets.
	if _, err := carol.SendText(ctx(t), "not limited", "bob", actors.ConvPeer); err != nil {
		t.Fatalf("another user was limited: %v", err)
	}
	// Queries run out too, separately.
	qlimited := 0
	for i := 0; i < 15; i++ {
		if _, err := alice.QuerySelfUserInfo(ctx(t)); codeOf(err) == codeServerFrequency {
			qlimited++
		}
	}
	if qlimited == 0 {
		t.Fatal("15 queries with a burst of 5 were never limited")
	}
	// The budget refills.
	eventually(t, "a send accepted again after the refill", func() bool {
		_, err := alice.SendText(ctx(t), "later", "bob", actors.ConvPeer)
		return err == nil
	})
}

// A user's devices share the user's budget.
func TestRateLimitPerUserSharedByDevices(t *testing.T) {
	e := startEnv(t, withRates(gateway.Rates{UserChanges: gateway.RateLimit{PerSecond: 0.5, Burst: 6}}))
	e.registered("bob")
	web := e.login("alice", false, 6)
	phone := e.login("alice", false, 2) // iOS: a second device, not a kick
	var ok atomic.Int32
	for i := 0; i < 6; i++ {
		for _, s := range []*session{web, phone} {
			_, err := s.SendText(ctx(t), "x", "bob", actors.ConvPeer)
			if err == nil {
				ok.Add(1)
			} else if codeOf(err) != codeServerFrequency {
				t.Fatal(err)
			}
		}
	}
	if n := ok.Load(); n < 6 || n > 8 {
		t.Fatalf("two devices sharing a burst of 6 got %d of 12 sends through", n)
	}
}

// More connections from one address than the cap are refused at the upgrade (HTTP
// 429); a closed connection frees its place.
func TestConnectionsPerAddressCapped(t *testing.T) {
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.MaxConnsPerIP = 3 }))
	var open []*client.Client
	for i := 0; i < 3; i++ {
		open = append(open, e.dial(false))
	}
	ws, resp, err := websocket.DefaultDialer.Dial(e.node.URL(), nil)
	if err == nil {
		_ = ws.Close()
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the 4th connection from one address: %v %v, want refused with 429", resp, err)
	}
	_ = open[0].Close()
	eventually(t, "a place freed by a closed connection", func() bool {
		c, err := client.Dial(ctx(t), e.node.URL(), client.Options{})
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
}

// slowStore delays every write (the store or its disk is overloaded); a write whose
// context ends first is not made.
type slowStore struct {
	persistence.Store
	delay atomic.Int64
}

func (s *slowStore) Write(ctx context.Context, b *persistence.Batch) error {
	if d := time.Duration(s.delay.Load()); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.Store.Write(ctx, b)
}

func startSlowNode(t *testing.T, gcfg gateway.Config, acfg actors.Config) (*gateway.Node, *slowStore) {
	t.Helper()
	store := &slowStore{Store: persistence.NewMemory()}
	gcfg.AppID, gcfg.Secret, gcfg.Logger = testAppID, testSecret, testLogger()
	acfg.Logger = testLogger()
	node, err := gateway.StartNode(store, acfg, gcfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = node.Shutdown(c)
	})
	return node, store
}

// With MaxInflight requests waiting for a slow actor the server stops reading the
// connection: the requests after them wait instead of being refused, and all are
// answered.
func TestInflightCapStopsReading(t *testing.T) {
	node, store := startSlowNode(t, gateway.Config{MaxInflight: 2}, actors.Config{})
	loginAt(t, node.URL(), "bob", false, 0).Close()
	alice := loginAt(t, node.URL(), "alice", false, 0)
	store.delay.Store(int64(30 * time.Millisecond))
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := alice.SendText(c, fmt.Sprintf("m%d", i), "bob", actors.ConvPeer)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a request beyond the in-flight cap: %v (want it to wait, not fail)", err)
		}
	}
	if !strings.Contains(metricsText(t, node), "parley_read_pauses_total") || metricValue(t, node, "parley_read_pauses_total") == 0 {
		t.Fatal("the reader never waited for a slot")
	}
}

// When the store is too slow the caller gets a code in bounded time and the message is
// not acknowledged; when it recovers, the history holds exactly what was acknowledged.
func TestSlowStoreTimesOutWithoutAcknowledging(t *testing.T) {
	node, store := startSlowNode(t, gateway.Config{}, actors.Config{RequestTimeout: time.Second})
	loginAt(t, node.URL(), "bob", false, 0).Close()
	alice := loginAt(t, node.URL(), "alice", false, 0)
	if _, err := alice.SendText(ctx(t), "before", "bob", actors.ConvPeer); err != nil {
		t.Fatal(err)
	}
	store.delay.Store(int64(3 * time.Second))
	start := time.Now()
	_, err := alice.SendText(ctx(t), "during", "bob", actors.ConvPeer)
	took := time.Since(start)
	if code := codeOf(err); code != actors.ErrStorage.Code && code != actors.ErrRequestTimeout.Code {
		t.Fatalf("a send while the store is too slow: %v, want 6000008 or 6000105", err)
	}
	if took > 2500*time.Millisecond {
		t.Fatalf("the refusal took %v with a 1s request timeout", took)
	}
	store.delay.Store(0)
	eventually(t, "sends accepted again", func() bool {
		_, err := alice.SendText(ctx(t), "after", "bob", actors.ConvPeer)
		return err == nil
	})
	res, err := alice.QueryHistoryMessage(ctx(t), "bob", actors.ConvPeer, &m.MessageQueryConfig{Count: 10, Reverse: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.MessageList); strings.Contains(got, "during") || !strings.Contains(got, "after") {
		t.Fatalf("history %s: the unacknowledged message was stored, or the later one lost", got)
	}
}

// Past the heap limit new logins are refused with 6000005; logged-in users are served.
func TestOverloadShedsLogins(t *testing.T) {
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.MaxHeapBytes = 1 })) // always over
	c := e.dial(false)
	err := c.Login(ctx(t), "late", "late", token(t, "late", time.Hour), 0)
	if codeOf(err) != codeServerFrequency {
		t.Fatalf("a login while overloaded: %v, want 6000005", err)
	}
	if metricValue(t, e.node, "parley_logins_shed_total") != 1 {
		t.Fatal("the shed login was not counted")
	}
}

// One client flooding as fast as it can (over its rate limit) does not slow another
// client's requests much, and the server's memory stays bounded.
func TestFloodDoesNotHurtOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("measures latencies")
	}
	limit := gateway.RateLimit{PerSecond: 50, Burst: 100}
	e := startEnv(t, withMemoryStore(), withRates(gateway.Rates{ConnChanges: limit, UserChanges: limit}))
	e.registered("bob", "target")
	victim := e.login("bob", false, 0)
	measure := func(n int) []time.Duration {
		out := make([]time.Duration, 0, n)
		for i := 0; i < n; i++ {
			start := time.Now()
			if _, err := victim.SendText(ctx(t), "v", "target", actors.ConvPeer); err != nil {
				t.Fatal(err)
			}
			out = append(out, time.Since(start))
			time.Sleep(25 * time.Millisecond) // the victim's pace, under its rate limit
		}
		return out
	}
	base := p99(measure(120))
	heapBefore := heapInUse()

	stop := make(chan struct{})
	var flooded, refused atomic.Int64
	var wg sync.WaitGroup
	for f := 0; f < 4; f++ {
		flooder := e.login(fmt.Sprintf("flooder%d", f), false, 0)
		for w := 0; w < 8; w++ { // many requests in flight per connection
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					_, err := flooder.SendText(ctx(t), strings.Repeat("f", 1000), "target", actors.ConvPeer)
					flooded.Add(1)
					if codeOf(err) == codeServerFrequency {
						refused.Add(1)
					} else if err != nil && !errors.Is(err, context.Canceled) {
						return
					}
				}
			}()
		}
	}
	loaded := p99(measure(120))
	heapAfter := heapInUse()
	close(stop)
	wg.Wait()
	t.Logf("victim p99 %v alone, %v while 4 clients flooded (%d requests, %d refused with 6000005); heap in use %d → %d MiB",
		base, loaded, flooded.Load(), refused.Load(), heapBefore>>20, heapAfter>>20)
	if refused.Load() == 0 {
		t.Fatal("the flood was never rate limited")
	}
	// The 5 % bound of the issue is measured with the load tool (docs/RELIABILITY.md):
	// on a shared 2-core machine a unit test can only assert a loose bound.
	if loaded > 3*base+20*time.Millisecond {
		t.Fatalf("the flood raised another client's p99 from %v to %v", base, loaded)
	}
	if heapAfter > heapBefore+64<<20 {
		t.Fatalf("the heap grew from %d to %d MiB under the flood", heapBefore>>20, heapAfter>>20)
	}
}

func p99(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)*99/100]
}

// heapInUse is the live heap (after a collection), client side included.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func metricsText(t *testing.T, node *gateway.Node) string {
	t.Helper()
	resp, err := http.Get("http://" + node.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func metricValue(t *testing.T, node *gateway.Node, name string) int64 {
	t.Helper()
	for _, line := range strings.Split(metricsText(t, node), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			var n int64
			fmt.Sscan(v, &n)
			return n
		}
	}
	t.Fatalf("metric %s missing", name)
	return 0
}

// A user's logged-in connections on different platforms are capped; a login on a
// platform the user is on replaces the older connection and is never refused.
func TestConnectionsPerUserCapped(t *testing.T) {
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.MaxConnsPerUser = 2 }))
	web := e.login("alice", false, 6)
	ios := e.login("alice", false, 2)
	android := e.dial(false)
	if err := android.Login(ctx(t), "alice", "A", token(t, "alice", time.Hour), 3); codeOf(err) != codeServerFrequency {
		t.Fatalf("a third platform with a cap of 2: %v, want 6000005", err)
	}
	e.login("alice", false, 6) // replaces web
	if code := closeCode(t, web); code != 4001 {
		t.Fatalf("the replaced web connection closed with %d, want 4001", code)
	}
	_ = ios.Close()
	eventually(t, "a place freed by a closed connection", func() bool {
		return android.Login(ctx(t), "alice", "A", token(t, "alice", time.Hour), 3) == nil
	})
}
