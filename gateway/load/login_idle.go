package load

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// runLogin: Conns users connect and log in, Concurrency at a time.
func runLogin(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	sessions, h, err := login(ctx, cfg, cfg.Conns, func(i int) string { return cfg.Prefix + "l" + strconv.Itoa(i) })
	elapsed := time.Since(start).Seconds()
	res := &Result{Scenario: "login", Mode: "ws", Duration: elapsed, Sent: uint64(cfg.Conns), Acked: h.n,
		AckedPerSec: float64(h.n) / elapsed, SentPerSec: float64(cfg.Conns) / elapsed, Ack: h.summary(), Errors: map[string]int64{}}
	if err != nil {
		res.Errors["login"] = int64(cfg.Conns) - int64(h.n)
		return res, nil
	}
	for _, s := range sessions {
		_ = s.c.close()
	}
	return res, nil
}

// runIdle holds Conns authenticated connections, each in one of Rooms rooms (none with
// Rooms 0), and reports the server's memory per connection from /metrics (resident set
// growth over the connections).
func runIdle(ctx context.Context, cfg Config) (*Result, error) {
	before, err := scrapeTargets(ctx, cfg.Target)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sessions, h, err := login(ctx, cfg, cfg.Conns, func(i int) string { return cfg.Prefix + "i" + strconv.Itoa(i) })
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, s := range sessions {
			_ = s.c.close()
		}
	}()
	if cfg.Rooms > 0 { // each connection in one of Rooms rooms
		if err := enterRooms(cfg, sessions, func(i int) string { return cfg.Prefix + "idle" + strconv.Itoa(i%cfg.Rooms) }); err != nil {
			return nil, err
		}
		// Members read their member notices, as clients do: unread, they would sit in
		// the server's write queues and count as its memory per connection.
		for _, s := range sessions {
			go func(c *rawConn) {
				for {
					if _, err := c.read(); err != nil {
						return
					}
				}
			}(s.c)
		}
	}
	// Let the server settle (writers linger briefly after the login replies; parley
	// serve parks connections idle for 5 s and gives the login storm's garbage back
	// after a second of quiet).
	hold := cfg.Duration
	if hold <= 0 {
		hold = 5 * time.Second
	}
	select {
	case <-time.After(hold):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	after, err := scrapeTargets(ctx, cfg.Target)
	if err != nil {
		return nil, err
	}
	n := float64(cfg.Conns)
	res := &Result{Scenario: "idle", Mode: "ws", Duration: time.Since(start).Seconds(), Sent: uint64(cfg.Conns), Acked: h.n,
		Ack: h.summary(), Errors: map[string]int64{}, Extra: map[string]any{}}
	res.Extra["connections"] = after["parley_connections"]
	if v, ok := after["parley_connections_parked"]; ok { // parley serve (not tools/rawroom)
		res.Extra["parked"] = v
	}
	res.Extra["rooms"] = cfg.Rooms
	res.Extra["rss_bytes_per_conn"] = (after["process_resident_memory_bytes"] - before["process_resident_memory_bytes"]) / n
	res.Extra["heap_bytes_per_conn"] = (after["go_memstats_heap_inuse_bytes"] - before["go_memstats_heap_inuse_bytes"]) / n
	res.Extra["stack_bytes_per_conn"] = (after["go_memstats_stack_inuse_bytes"] - before["go_memstats_stack_inuse_bytes"]) / n
	res.Extra["goroutines_per_conn"] = (after["go_goroutines"] - before["go_goroutines"]) / n
	return res, nil
}

func metricsURL(target string) (string, error) {
	u := strings.TrimSuffix(target, "/ws")
	switch {
	case strings.HasPrefix(u, "ws://"):
		return "http://" + strings.TrimPrefix(u, "ws://") + "/metrics", nil
	case strings.HasPrefix(u, "wss://"):
		return "https://" + strings.TrimPrefix(u, "wss://") + "/metrics", nil
	}
	return "", fmt.Errorf("load: target %q is not a ws:// URL", target)
}

// scrapeTargets sums the /metrics samples of every node of a Target list.
func scrapeTargets(ctx context.Context, target string) (map[string]float64, error) {
	sum := map[string]float64{}
	for _, t := range Targets(target) {
		u, err := metricsURL(t)
		if err != nil {
			return nil, err
		}
		m, err := scrape(ctx, u)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			sum[k] += v
		}
	}
	return sum, nil
}

// Scrape reads the numeric samples of a Prometheus text endpoint.
func scrape(ctx context.Context, url string) (map[string]float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
		}
	}
	return out, sc.Err()
}

// ScrapeCPU returns the server's process CPU seconds from /metrics (for CPU per
// delivery), summed over the nodes of a Target list.
func ScrapeCPU(ctx context.Context, target string) (float64, error) {
	m, err := scrapeTargets(ctx, target)
	if err != nil {
		return 0, err
	}
	return m["process_cpu_seconds_total"], nil
}
