package gateway_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	m "github.com/parley-chat/parley/messages"
)

// BenchmarkPresence1000Subscribers: a user with 1,000 online subscribers (each a real
// WebSocket client of a real server on a loopback port, Badger store) logs in and out on
// one connection; each op is one status change (login or logout). An op ends when all
// 1,000 subscribers decoded its userStatusUpdated. Reports the p50/p99 time from the
// request to the last subscriber's push, and status changes per second (one at a time).
func BenchmarkPresence1000Subscribers(b *testing.B) {
	const subscribers = 1000
	e := startEnv(b)
	e.registered("target")
	var (
		got  atomic.Int64 // userStatusUpdated about the target, all subscribers
		want atomic.Int64
		done = make(chan time.Time, 1)
	)
	want.Store(-1)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := 0; i < subscribers; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			s := e.login("sub"+itoa(i), false, 6)
			s.OnUserStatusUpdated(func(ev *m.UserStatusUpdatedEvent) {
				if ev.UserStatusList[0].UserID != "target" {
					return
				}
				if got.Add(1) == want.Load() {
					done <- time.Now()
				}
			})
			if bad, err := s.SubscribeUsersStatus(ctx(b), []string{"target"}, 60); err != nil || len(bad) > 0 {
				b.Errorf("subscribe: %v %v", bad, err)
			}
		}(i)
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	if !waitUntil(20*time.Second, func() bool { return got.Load() == subscribers }) { // the initial statuses
		b.Fatalf("initial statuses: %d of %d", got.Load(), subscribers)
	}
	target := dialURL(b, e.node.URL(), false)
	tok := token(b, "target", time.Hour)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	began := time.Now()
	for i := 0; i < b.N; i++ {
		want.Store(got.Load() + subscribers)
		start := time.Now()
		var err error
		if i%2 == 0 {
			err = target.Login(ctx(b), "target", "target", tok, 1)
		} else {
			err = target.Logout(ctx(b))
		}
		if err != nil {
			b.Fatal(err)
		}
		select {
		case end := <-done:
			lat = append(lat, end.Sub(start))
		case <-time.After(20 * time.Second):
			b.Fatalf("status change %d: %d of %d pushes", i, got.Load()-(want.Load()-subscribers), subscribers)
		}
	}
	elapsed := time.Since(began)
	b.StopTimer()
	if b.N%2 == 1 {
		_ = target.Logout(ctx(b))
	}
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "changes/s")
	b.ReportMetric(float64(b.N*subscribers)/elapsed.Seconds(), "pushes/s")
}

// percentile is the p-quantile of d (sorted in place).
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}
