package load

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// histogram is a log-linear latency histogram in microseconds: exact below 64 µs, then
// 64 sub-buckets per power of two (≤ 1.6 % error). Not safe for concurrent use; each
// goroutine keeps its own and they are merged.
type histogram struct {
	counts [64 * 64]uint64
	n      uint64
	max    time.Duration
}

func bucketOf(us uint64) int {
	if us < 64 {
		return int(us)
	}
	exp := bits.Len64(us) - 7 // us >> exp is in [64, 128)
	return (exp+1)*64 + int(us>>uint(exp)) - 64
}

func bucketValue(i int) uint64 {
	if i < 64 {
		return uint64(i)
	}
	exp := i/64 - 1
	return uint64(i%64+64) << uint(exp)
}

func (h *histogram) add(d time.Duration) { h.addN(d, 1) }

// addN records n samples of d.
func (h *histogram) addN(d time.Duration, n uint64) {
	if d < 0 {
		d = 0
	}
	us := uint64(d / time.Microsecond)
	i := bucketOf(us)
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i] += n
	h.n += n
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// quantile returns the latency at q (0..1).
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(bucketValue(i)) * time.Microsecond
		}
	}
	return h.max
}

// Latency summarises a histogram.
type Latency struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p999_ms"`
	Max   float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (h *histogram) summary() Latency {
	return Latency{Count: h.n, P50: ms(h.quantile(.5)), P90: ms(h.quantile(.9)), P99: ms(h.quantile(.99)),
		P999: ms(h.quantile(.999)), Max: ms(h.max)}
}

// Result is what a run reports (`--json` prints it as is).
type Result struct {
	Scenario      string           `json:"scenario"`
	Mode          string           `json:"mode"` // "ws" or "inproc"
	Duration      float64          `json:"duration_s"`
	Sent          uint64           `json:"sent"`
	Acked         uint64           `json:"acked"`
	Delivered     uint64           `json:"delivered"`
	Expected      uint64           `json:"expected_deliveries"`
	Lost          uint64           `json:"lost"`
	Duplicates    uint64           `json:"duplicates"`
	SentPerSec    float64          `json:"sent_per_s"`
	AckedPerSec   float64          `json:"acked_per_s"`
	DeliveredPerS float64          `json:"delivered_per_s"`
	Ack           Latency          `json:"ack_latency"`
	Delivery      Latency          `json:"delivery_latency"`
	Errors        map[string]int64 `json:"errors_by_code"`
	Extra         map[string]any   `json:"extra,omitempty"`
}

// OK reports whether nothing was lost or duplicated and no request failed.
func (r *Result) OK() bool { return r.Lost == 0 && r.Duplicates == 0 && len(r.Errors) == 0 }

// WriteText prints the human summary.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "scenario %s (%s), %.1fs\n", r.Scenario, r.Mode, r.Duration)
	fmt.Fprintf(w, "  sent %d (%.0f/s)  acked %d (%.0f/s)  delivered %d of %d expected (%.0f/s)\n",
		r.Sent, r.SentPerSec, r.Acked, r.AckedPerSec, r.Delivered, r.Expected, r.DeliveredPerS)
	lat := func(name string, l Latency) {
		if l.Count > 0 {
			fmt.Fprintf(w, "  %-8s p50 %.2fms  p90 %.2fms  p99 %.2fms  p99.9 %.2fms  max %.2fms  (n=%d)\n",
				name, l.P50, l.P90, l.P99, l.P999, l.Max, l.Count)
		}
	}
	lat("ack", r.Ack)
	lat("delivery", r.Delivery)
	fmt.Fprintf(w, "  lost %d  duplicates %d\n", r.Lost, r.Duplicates)
	if len(r.Errors) > 0 {
		var keys []string
		for k := range r.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s×%d", k, r.Errors[k]))
		}
		fmt.Fprintf(w, "  errors: %s\n", strings.Join(parts, " "))
	}
	keys := make([]string, 0, len(r.Extra))
	for k := range r.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %s: %v\n", k, r.Extra[k])
	}
}

// WriteJSON prints the result as one JSON object.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// errCounter counts errors by code.
type errCounter struct {
	mu sync.Mutex
	m  map[string]int64
}

func (e *errCounter) add(code string) {
	e.mu.Lock()
	if e.m == nil {
		e.m = map[string]int64{}
	}
	e.m[code]++
	e.mu.Unlock()
}

func (e *errCounter) snapshot() map[string]int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int64, len(e.m))
	for k, v := range e.m {
		out[k] = v
	}
	return out
}

// ledger is the exact delivery accounting of one receiving connection: how many times
// each (sender, seq) arrived, and the latencies. Senders are dense from 0 and sequence
// numbers per sender dense from 1, so it is a slice of counts per sender, no map. One
// lock per delivery; each receiver has its own, so receivers never contend.
type ledger struct {
	mu   sync.Mutex
	seen [][]uint8
	lat  histogram
}

// counterShards spreads a counter that many goroutines add to over cache lines.
const counterShards = 16

// shardedCounter is a counter added to by many goroutines (each picks a shard, e.g. by
// receiver) and read now and then.
type shardedCounter struct {
	shards [counterShards]struct {
		n atomic.Uint64
		_ [56]byte // one cache line each
	}
}

func (c *shardedCounter) add(shard int, n uint64) { c.shards[shard%counterShards].n.Add(n) }

func (c *shardedCounter) load() uint64 {
	var n uint64
	for i := range c.shards {
		n += c.shards[i].n.Load()
	}
	return n
}

func (l *ledger) resetLatencies() {
	l.mu.Lock()
	l.lat = histogram{}
	l.mu.Unlock()
}

func (l *ledger) mergeLatencies(h *histogram) {
	l.mu.Lock()
	h.merge(&l.lat)
	l.mu.Unlock()
}

func newLedger() *ledger { return &ledger{} }

// counts returns sender's counts (nil when none arrived). l.mu is held.
func (l *ledger) counts(sender uint32) []uint8 {
	if int(sender) < len(l.seen) {
		return l.seen[sender]
	}
	return nil
}

// mark records one delivery with its latency and reports whether it was a duplicate.
func (l *ledger) mark(sender uint32, seq uint64, lat time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lat.add(lat)
	for uint32(len(l.seen)) <= sender {
		l.seen = append(l.seen, nil)
	}
	s := l.seen[sender]
	if uint64(len(s)) <= seq {
		for uint64(len(s)) <= seq {
			s = append(s, 0)
		}
		l.seen[sender] = s
	}
	s[seq]++
	return s[seq] > 1
}

// count returns how many of sender's seqs 1..n arrived at least once, and duplicates.
func (l *ledger) count(sender uint32, n uint64) (got, dups uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.counts(sender)
	for i := uint64(1); i <= n && i < uint64(len(s)); i++ {
		if s[i] > 0 {
			got++
		}
		if s[i] > 1 {
			dups += uint64(s[i] - 1)
		}
	}
	return got, dups
}

// countOne reports whether (sender, seq) arrived (1/0) and how many extra times.
func (l *ledger) countOne(sender uint32, seq uint64) (got, dups uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.counts(sender)
	if seq >= uint64(len(s)) || s[seq] == 0 {
		return 0, 0
	}
	return 1, uint64(s[seq] - 1)
}
