package gateway

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Parking idle connections. A connection's reader goroutine exists while the client
// talks; once the client has sent nothing for Config.ParkAfter, the goroutine ends and
// the socket waits in the gateway's own epoll set instead (park_linux.go): an idle
// connection then holds no goroutine and no stack (4 KB each, Go's start size here).
// The first byte the client sends (or a close, or the read timeout) starts a reader
// again. Writes never involve the reader: pushes to a parked connection go out as
// before.
//
// Who does what:
//   - the sweeper (one goroutine per server) looks at the connections every
//     parkSweep(ParkAfter): one whose reader has waited since ParkAfter is asked to park
//     (parkReq) and its read deadline is set in the past, which ends the reader's wait;
//     a parked one whose read timeout passed is woken so that its reader closes it;
//   - the reader, its wait ended by that deadline, registers the socket with the
//     poller and returns (park); a connection that cannot park (closing, a fragmented
//     message half read) keeps its reader;
//   - the poller's goroutine, when a parked socket becomes readable (or hangs up),
//     starts a reader for it (unpark), which restores the read deadline and reads on;
//   - finish (the socket closed by the server) wakes a parked connection too, whose
//     reader then fails at once and cleans up as always.
//
// A connection moves between parked and reading under parkMu only, so exactly one
// goroutine reads it at a time and none is lost.

// errParkingUnsupported: this platform has no poller for parked connections.
var errParkingUnsupported = errors.New("gateway: parking idle connections needs epoll (Linux)")

// parkState is the part of conn that parking needs.
type parkState struct {
	parkMu     sync.Mutex
	parked     bool // no reader goroutine: the socket is in the poller's set
	noPark     bool // the socket was closed (finish): never park again
	registered bool // the socket is in the poller's set (armed or fired)

	parkReq    atomic.Bool  // the sweeper asked the reader to park
	waiting    atomic.Bool  // the reader waits for the socket to become readable
	lastExtend atomic.Int64 // when the read deadline was last moved, Unix ns (written by the reader)
}

// parkSweep is how often the sweeper looks at the connections.
func parkSweep(after time.Duration) time.Duration {
	return min(max(after/4, 50*time.Millisecond), time.Second)
}

// readOn runs the read loop until the connection closes (cleanup done) or parks (the
// goroutine ends; unpark starts another).
func (c *conn) readOn() {
	fr := c.fr
	for {
		if fr.idle() { // nothing buffered: wait for the socket, holding no buffer (reader.go)
			c.waiting.Store(true)
			err := fr.wait()
			c.waiting.Store(false)
			if err != nil {
				if c.parkReq.Swap(false) && errors.Is(err, os.ErrDeadlineExceeded) && !c.readExpired(time.Now()) {
					if c.park() {
						return
					}
					c.restoreDeadline()
					continue
				}
				c.cleanup()
				return
			}
		}
		if !c.frameIn(fr) {
			c.cleanup()
			return
		}
	}
}

// readExpired reports whether the client has been silent for the whole read timeout.
func (c *conn) readExpired(now time.Time) bool {
	return now.UnixNano()-c.lastExtend.Load() >= int64(c.srv.cfg.ReadTimeout)
}

// restoreDeadline sets the read deadline back to where the client's last frame put it
// (a park request had moved it into the past).
func (c *conn) restoreDeadline() {
	_ = c.nc.SetReadDeadline(time.Unix(0, c.lastExtend.Load()).Add(c.srv.cfg.ReadTimeout))
}

// park hands the socket to the poller; true when the reader goroutine may end. The
// frame reader goes with it (unpark makes a new one).
func (c *conn) park() bool {
	p := c.srv.parker
	if p == nil || c.fr.rc == nil || c.fr.frag != nil || !c.fr.idle() {
		return false
	}
	c.parkMu.Lock()
	defer c.parkMu.Unlock()
	if c.noPark {
		return false
	}
	if err := p.watch(c); err != nil {
		c.srv.log.Warn("parking a connection failed; it keeps its reader", "conn", c.id, "err", err)
		return false
	}
	c.registered, c.parked, c.fr = true, true, nil
	c.srv.metrics.parked.Add(1)
	c.srv.metrics.parks.Add(1)
	return true
}

// unpark starts a reader for a parked connection; nothing when it is not parked.
func (c *conn) unpark() {
	c.parkMu.Lock()
	if !c.parked {
		c.parkMu.Unlock()
		return
	}
	c.parked = false
	c.srv.metrics.parked.Add(-1)
	c.parkMu.Unlock()
	go func() {
		c.fr = newFrameReader(c.nc, c.srv.cfg.MaxFrameBytes)
		c.restoreDeadline()
		c.readOn()
	}()
}

// closedForParking is called once the socket is closed: a parked connection gets its
// reader back (which fails at once and cleans up), and none parks again.
func (c *conn) closedForParking() {
	c.parkMu.Lock()
	c.noPark = true
	c.parkMu.Unlock()
	c.unpark()
}

// sweep is the sweeper's look at every connection.
func (s *Server) sweep(now time.Time) {
	after := int64(s.cfg.ParkAfter)
	past := time.Unix(1, 0)
	s.reg.scan(func(c *conn) {
		if !c.direct {
			return // TLS: reads block in the TLS layer, no socket to watch
		}
		c.parkMu.Lock()
		parked := c.parked
		c.parkMu.Unlock()
		if parked {
			if c.readExpired(now) {
				c.unpark() // its reader finds the deadline passed and closes it
			}
			return
		}
		if c.waiting.Load() && now.UnixNano()-c.lastExtend.Load() >= after {
			c.parkReq.Store(true)
			_ = c.nc.SetReadDeadline(past)
		}
	})
}

// startParking starts the poller and the sweeper, once, when the first WebSocket
// connection arrives (a server that serves none has neither).
func (s *Server) startParking() {
	if s.cfg.ParkAfter <= 0 {
		return
	}
	s.parkOnce.Do(func() {
		p, err := newParker(s.reg)
		if err != nil {
			if !errors.Is(err, errParkingUnsupported) {
				s.log.Warn("idle connections will not be parked", "err", err)
			}
			return
		}
		s.parker = p
		stop, done := make(chan struct{}), make(chan struct{})
		s.stopSweep = func() { close(stop); <-done }
		go func() {
			defer close(done)
			t := time.NewTicker(parkSweep(s.cfg.ParkAfter))
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case now := <-t.C:
					s.sweep(now)
				}
			}
		}()
	})
}

// stopParking ends the sweeper and the poller (Shutdown, after every connection closed).
func (s *Server) stopParking() {
	s.parkOnce.Do(func() {}) // no start after this
	if s.stopSweep != nil {
		s.stopSweep()
	}
	if s.parker != nil {
		s.parker.close()
	}
}
