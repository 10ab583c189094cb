package gateway

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Resource limits per client: request rates (token buckets per connection and per user,
// one budget for changes and one for queries), connections per address, and the
// shedding of new logins when the node is overloaded. docs/RELIABILITY.md says why each
// exists and how it is tested.

// RateLimit is a token bucket: Burst requests at once, refilled at PerSecond. A zero
// PerSecond means no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

func (r RateLimit) enabled() bool { return r.PerSecond > 0 }

// Rates are the request rate limits of one node. A request over a limit is refused with
// 6000005 ("server frequency limit"); it did nothing, and the client may send it again
// later. Changes (every method that is not a query: sending, creating, updating, and the
// session methods) and queries draw on separate budgets, so a client that polls cannot
// stop its own sends, and the other way round. The zero value limits nothing.
type Rates struct {
	// ConnChanges and ConnQueries limit one connection (logged in or not: login
	// attempts are changes).
	ConnChanges, ConnQueries RateLimit
	// UserChanges and UserQueries limit all connections of one user on this node
	// together (a user's devices share them).
	UserChanges, UserQueries RateLimit
}

// DefaultRates are the limits `parley serve` starts with: far above what a person
// types or a client's sync needs, far below what a script can send.
func DefaultRates() Rates {
	return Rates{
		ConnChanges: RateLimit{PerSecond: 20, Burst: 50},
		ConnQueries: RateLimit{PerSecond: 50, Burst: 100},
		UserChanges: RateLimit{PerSecond: 30, Burst: 80},
		UserQueries: RateLimit{PerSecond: 80, Burst: 200},
	}
}

// bucket is one token bucket.
type bucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
	primed bool
}

// take takes one token under limit l, reporting whether there was one.
func (b *bucket) take(l RateLimit, now time.Time) bool {
	return b.takeOr(l, now) == 0
}

// maxPause bounds how long a reader pauses after a refusal.
const maxPause = time.Second

// takeOr takes one token under limit l, or says how long until there is one (0: taken).
func (b *bucket) takeOr(l RateLimit, now time.Time) time.Duration {
	if !l.enabled() {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	burst := float64(max(l.Burst, 1))
	if !b.primed {
		b.tokens, b.last, b.primed = burst, now, true
	} else if d := now.Sub(b.last); d > 0 {
		b.tokens = min(burst, b.tokens+d.Seconds()*l.PerSecond)
		b.last = now
	}
	if b.tokens < 1 {
		return min(maxPause, time.Duration((1-b.tokens)/l.PerSecond*float64(time.Second))+time.Millisecond)
	}
	b.tokens--
	return 0
}

// rateBuckets are the two budgets of one connection or one user.
type rateBuckets struct {
	changes, queries bucket
	refs             int           // userRates: logged-in connections of the user holding it
	platforms        map[int32]int // userRates: those connections by platform
}

// userRates holds the buckets of the users logged in on this node; a user's entry goes
// with the user's last connection.
type userRates struct {
	mu sync.Mutex
	m  map[string]*rateBuckets
}

func (u *userRates) acquire(user string, platform int32) *rateBuckets {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[string]*rateBuckets{}
	}
	b := u.m[user]
	if b == nil {
		b = &rateBuckets{platforms: map[int32]int{}}
		u.m[user] = b
	}
	b.refs++
	b.platforms[platform]++
	return b
}

func (u *userRates) release(user string, platform int32) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if b := u.m[user]; b != nil {
		if b.platforms[platform]--; b.platforms[platform] <= 0 {
			delete(b.platforms, platform)
		}
		if b.refs--; b.refs <= 0 {
			delete(u.m, user)
		}
	}
}

// full reports whether user already holds limit logged-in connections on this node on
// other platforms than platform (a login on a platform the user is on replaces that
// connection, ZIM's multi-device rule, so it does not count). limit 0: no limit.
func (u *userRates) full(user string, platform int32, limit int) bool {
	if limit <= 0 {
		return false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	b := u.m[user]
	if b == nil {
		return false
	}
	return b.refs-b.platforms[platform] >= limit
}

// allow reports whether a request of spec may run now on c: it takes a token from the
// connection's budget and, once logged in, from the user's. A refused request leaves
// c.pause set to the time until the budget has a token again: the reader stops reading
// the connection that long (readLoop), so a client that floods is answered at the rate
// its budget refills and costs the server next to nothing, while what it sent meanwhile
// waits in its TCP buffers.
func (c *conn) allow(spec *messages.MethodSpec) bool {
	r := &c.srv.cfg.Rates
	now := time.Now()
	connLimit, userLimit := r.ConnChanges, r.UserChanges
	connB := &c.rates.changes
	if spec.ReadOnly {
		connLimit, userLimit = r.ConnQueries, r.UserQueries
		connB = &c.rates.queries
	}
	if wait := connB.takeOr(connLimit, now); wait > 0 {
		c.pause = wait
		return false
	}
	c.mu.Lock()
	ub := c.userRates
	c.mu.Unlock()
	if ub == nil {
		return true
	}
	userB := &ub.changes
	if spec.ReadOnly {
		userB = &ub.queries
	}
	if wait := userB.takeOr(userLimit, now); wait > 0 {
		c.pause = wait
		return false
	}
	return true
}

// ipConns counts the open WebSocket connections of each remote address.
type ipConns struct {
	mu sync.Mutex
	m  map[string]int
}

// add counts one more connection from ip unless it already has max (0: no limit).
func (p *ipConns) add(ip string, limit int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]int{}
	}
	if limit > 0 && p.m[ip] >= limit {
		return false
	}
	p.m[ip]++
	return true
}

func (p *ipConns) remove(ip string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m[ip]--; p.m[ip] <= 0 {
		delete(p.m, ip)
	}
}

// remoteIP is the address a request came from (the proxy's, behind a proxy).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func isLoopback(ip string) bool {
	p := net.ParseIP(ip)
	return p != nil && p.IsLoopback()
}
