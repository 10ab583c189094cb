package gateway

import (
	"fmt"
	"io"
	"runtime"
	"sync/atomic"

	"github.com/parley-chat/parley/internal/procstat"
)

// metrics are the gateway's counters, exposed in the Prometheus text format at /metrics.
type metrics struct {
	connections     atomic.Int64
	accepted        atomic.Int64
	logins          atomic.Int64
	loginFailures   atomic.Int64
	requests        atomic.Int64
	errors          atomic.Int64
	badFrames       atomic.Int64
	pushes          atomic.Int64
	slowDisconnects atomic.Int64
	loginTimeouts   atomic.Int64 // connections closed for not logging in in time (4005)
	droppedPushes   atomic.Int64 // low/medium priority room messages dropped for a lagging connection
	socketWrites    atomic.Int64 // writes (writev calls) of queued frames
	rateLimited     atomic.Int64 // requests refused over a rate limit (6000005)
	readPauses      atomic.Int64 // times a reader waited for a request slot (MaxInflight)
	loginsShed      atomic.Int64 // logins refused because the node was overloaded
	refusedConns    atomic.Int64 // WebSocket upgrades refused (origin, per-address cap, node cap)
	parked          atomic.Int64 // connections parked now (park.go)
	parks           atomic.Int64 // times a connection was parked
}

func (m *metrics) write(w io.Writer) {
	line := func(name, kind, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", name, help, name, kind, name, v)
	}
	line("parley_connections", "gauge", "Open client WebSocket connections.", m.connections.Load())
	line("parley_connections_accepted_total", "counter", "Accepted WebSocket connections.", m.accepted.Load())
	line("parley_logins_total", "counter", "Successful logins.", m.logins.Load())
	line("parley_login_failures_total", "counter", "Refused logins.", m.loginFailures.Load())
	line("parley_requests_total", "counter", "Client frames read.", m.requests.Load())
	line("parley_request_errors_total", "counter", "Requests answered with an error code.", m.errors.Load())
	line("parley_bad_frames_total", "counter", "Frames that were not a valid request.", m.badFrames.Load())
	line("parley_pushes_total", "counter", "Pushes queued to connections.", m.pushes.Load())
	line("parley_slow_disconnects_total", "counter", "Connections dropped as slow consumers.", m.slowDisconnects.Load())
	line("parley_login_timeouts_total", "counter", "Connections closed for not logging in within the login deadline (4005).", m.loginTimeouts.Load())
	line("parley_socket_writes_total", "counter", "Socket writes of queued frames (one writev each).", m.socketWrites.Load())
	line("parley_rate_limited_total", "counter", "Requests refused over a rate limit (6000005).", m.rateLimited.Load())
	line("parley_read_pauses_total", "counter", "Times a connection's reader waited for one of its requests in flight to finish.", m.readPauses.Load())
	line("parley_logins_shed_total", "counter", "Logins refused because the node was overloaded (6000005).", m.loginsShed.Load())
	line("parley_refused_connections_total", "counter", "WebSocket upgrades refused (origin not allowed, too many connections from one address or on the node).", m.refusedConns.Load())
	line("parley_connections_parked", "gauge", "Idle connections parked: no reader goroutine, the socket in the gateway's poller.", m.parked.Load())
	line("parley_parks_total", "counter", "Times an idle connection was parked.", m.parks.Load())
	line("parley_dropped_pushes_total", "counter", "Low/medium priority room messages dropped for connections falling behind.", m.droppedPushes.Load())

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	line("go_goroutines", "gauge", "Goroutines.", int64(runtime.NumGoroutine()))
	line("go_memstats_heap_inuse_bytes", "gauge", "Heap bytes in use.", int64(ms.HeapInuse))
	line("go_memstats_stack_inuse_bytes", "gauge", "Stack bytes in use.", int64(ms.StackInuse))
	line("go_memstats_sys_bytes", "gauge", "Bytes obtained from the OS.", int64(ms.Sys))
	if rss, ok := procstat.ResidentBytes(); ok {
		line("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", rss)
	}
	if cpu, ok := procstat.CPUSeconds(); ok {
		fmt.Fprintf(w, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %g\n", cpu)
	}
}

// Accepted counts the WebSocket connections accepted so far.
func (s *Server) Accepted() int64 { return s.metrics.accepted.Load() }

// Activity counts what clients did so far (connections accepted, frames read) and the
// parking of idle connections (which frees their stacks): it stays put while every
// connection is idle.
func (s *Server) Activity() int64 {
	return s.metrics.accepted.Load() + s.metrics.requests.Load() + s.metrics.parks.Load()
}
