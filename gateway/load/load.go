package load

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-chat/parley/gateway/auth"
)

// Config describes one run.
type Config struct {
	Scenario string
	// Target is the gateway's WebSocket URL (ws://host:port/ws), or a comma-separated
	// list of them (the nodes of a cluster): connections are spread over the list,
	// round robin, and /metrics samples are summed over it.
	Target string
	// AppID and Secret mint tokens; an empty Secret logs in without a token (a --dev server).
	AppID  uint32
	Secret string
	// Conns is the number of connections (users): peer uses Conns/2 pairs; login logs
	// Conns users in; idle holds Conns connections.
	Conns int
	// Rate is the total send rate in messages/s; 0 means open loop, as fast as the
	// server acknowledges with InFlight requests outstanding per sender.
	Rate     int
	InFlight int
	// Size is the message payload size in bytes (at least the accounting tag).
	Size int
	// Duration bounds the sending phase; Count bounds the number of messages (0: none).
	Duration time.Duration
	Count    int
	// Warmup: before measuring, every sender sends one message and waits for it.
	Warmup bool
	// Drain is how long to wait for outstanding deliveries after sending stopped.
	Drain time.Duration
	// Progress, when set, gets a live progress line every second.
	Progress io.Writer
	// Prefix makes user IDs of this run unique (default: a time-based prefix).
	Prefix string
	// Concurrency bounds parallel dials/logins. Default 200.
	Concurrency int
	// Rooms and Senders shape the room scenario: Conns members split over Rooms rooms,
	// Senders of them sending in each room.
	Rooms   int
	Senders int
	// Members is the community size of the channel scenario in process: the members
	// beyond Conns are offline (imported).
	Members int
	// OnMeasure, when set, runs when the measured phase starts (after logins, room entry
	// and warm-up): the command samples the server's CPU there.
	OnMeasure func()
	// Priority of sent messages (ZIM: low 1, medium 2, high 3); room default high.
	Priority int32

	// Fault injection for tests of the accounting: a send skipped after being counted
	// (must be reported lost) and a send made twice (must be reported duplicate).
	skipSend func(sender uint32, seq uint64) bool
	dupSend  func(sender uint32, seq uint64) bool
	// The same for one delivery to one receiver: dropped on arrival (lost), or
	// accounted twice (duplicate).
	dropDelivery func(receiver int, sender uint32, seq uint64) bool
	dupDelivery  func(receiver int, sender uint32, seq uint64) bool
}

func (c *Config) defaults() {
	if c.Conns <= 0 {
		c.Conns = 100
	}
	if c.InFlight <= 0 {
		c.InFlight = 8
	}
	if c.Size < 64 {
		c.Size = 64
	}
	if c.Duration <= 0 && c.Count <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Drain <= 0 {
		c.Drain = 10 * time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 200
	}
	if c.Prefix == "" {
		c.Prefix = "ld" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	}
}

// Targets splits a Target list into its URLs.
func Targets(target string) []string {
	var out []string
	for _, t := range strings.Split(target, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (c *Config) token(user string) string {
	if c.Secret == "" {
		return ""
	}
	t, _ := auth.Issue(c.AppID, c.Secret, user, 24*time.Hour, "", time.Now())
	return t
}

// Scenarios lists what Run accepts.
var Scenarios = []string{"login", "peer", "room", "group", "channel", "idle", "presence", "media"}

// Run executes one scenario against cfg.Target.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	switch cfg.Scenario {
	case "peer":
		return runPeer(ctx, cfg)
	case "login":
		return runLogin(ctx, cfg)
	case "room":
		return runRoom(ctx, cfg)
	case "group":
		return runGroup(ctx, cfg)
	case "channel":
		return runChannel(ctx, cfg)
	case "idle":
		return runIdle(ctx, cfg)
	case "presence":
		return runPresence(ctx, cfg)
	case "media":
		return runMedia(ctx, cfg)
	}
	return nil, fmt.Errorf("load: unknown scenario %q (have %v)", cfg.Scenario, Scenarios)
}

// ---- the accounting tag carried in every message ----

// tag builds a message body "L|sender|seq|unixnano|" padded with 'x' to size.
func tag(sender uint32, seq uint64, size int) string {
	b := make([]byte, 0, size)
	b = append(b, "L|"...)
	b = strconv.AppendUint(b, uint64(sender), 10)
	b = append(b, '|')
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, time.Now().UnixNano(), 10)
	b = append(b, '|')
	for len(b) < size {
		b = append(b, 'x')
	}
	return string(b)
}

// parseTag reads a tag back; ok is false for bodies that are not ours. It allocates
// nothing: it runs once per delivery.
func parseTag(body []byte) (sender uint32, seq uint64, sent time.Time, ok bool) {
	if len(body) < 2 || body[0] != 'L' || body[1] != '|' {
		return
	}
	b := body[2:]
	s, b, ok1 := decimal(b)
	q, b, ok2 := decimal(b)
	ns, _, ok3 := decimal(b)
	if !ok1 || !ok2 || !ok3 || s > math.MaxUint32 || ns > math.MaxInt64 {
		return
	}
	return uint32(s), q, time.Unix(0, int64(ns)), true
}

// decimal reads the unsigned decimal number that b starts with, up to a '|', and
// returns the rest after the '|'.
func decimal(b []byte) (v uint64, rest []byte, ok bool) {
	for i, c := range b {
		switch {
		case c == '|':
			return v, b[i+1:], i > 0
		case c < '0' || c > '9' || i >= 19:
			return 0, nil, false
		}
		v = v*10 + uint64(c-'0')
	}
	return 0, nil, false
}

// ---- progress ----

type counters struct {
	sent, acked, errors atomic.Uint64
	delivered           func() uint64
}

func progress(ctx context.Context, w io.Writer, start time.Time, c *counters) func() {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		var last uint64
		for {
			select {
			case <-done:
				fmt.Fprintln(w)
				return
			case <-ctx.Done():
				return
			case <-t.C:
				d := c.delivered()
				fmt.Fprintf(w, "\r%6.1fs  sent %d  acked %d  delivered %d  (%d/s)  errors %d   ",
					time.Since(start).Seconds(), c.sent.Load(), c.acked.Load(), d, d-last, c.errors.Load())
				last = d
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
