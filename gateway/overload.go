package gateway

import (
	rtmetrics "runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Overload: before the process runs out of memory the node refuses new logins
// (6000005, "server overloaded") and serves the connections it has; past
// Config.MaxConnections it refuses new WebSockets (HTTP 503). Requests themselves are
// bounded per connection (MaxInflight: the reader waits), by the rate limits, and by the
// actors' request timeout (6000105 in bounded time, never an acknowledgement of what
// was not stored).

// heapSample is how old a heap reading may be.
const heapSample = 100 * time.Millisecond

// heapGauge reads the live heap size at most every heapSample.
type heapGauge struct {
	mu    sync.Mutex
	at    atomic.Int64 // unix nanoseconds of the last reading
	bytes atomic.Uint64
	s     []rtmetrics.Sample
}

func (h *heapGauge) read() uint64 {
	now := time.Now().UnixNano()
	if now-h.at.Load() < int64(heapSample) {
		return h.bytes.Load()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if now-h.at.Load() >= int64(heapSample) {
		if h.s == nil {
			h.s = []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		}
		rtmetrics.Read(h.s)
		if h.s[0].Value.Kind() == rtmetrics.KindUint64 {
			h.bytes.Store(h.s[0].Value.Uint64())
		}
		h.at.Store(now)
	}
	return h.bytes.Load()
}

// overloaded reports whether new logins are refused now.
func (s *Server) overloaded() bool {
	return s.cfg.MaxHeapBytes > 0 && s.heap.read() > s.cfg.MaxHeapBytes
}
