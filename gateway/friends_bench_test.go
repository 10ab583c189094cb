package gateway_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	m "github.com/parley-chat/parley/messages"
)

// BenchmarkQueryFriendList3000E2E: queryFriendList over a real WebSocket (protobuf) on
// a real server over Badger on disk, paging through 3,000 friends 100 at a time (30
// pages per round). The 3,000 users log in once (concurrently) and the owner adds them
// with addFriend before the timer starts; the server is restarted before measuring, so
// the owner's user actor starts cold. Reports p50/p99 per page (goal: p99 ≤ 5 ms).
func BenchmarkQueryFriendList3000E2E(b *testing.B) {
	const n = 3000
	e := startEnv(b)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("friend%04d", i)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				s := e.login(id, false, 6)
				_ = s.Close()
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	owner := e.login("owner", false, 6)
	for _, id := range ids {
		if _, err := owner.AddFriend(ctx(b), id, &m.FriendAddConfig{FriendAlias: "alias " + id, FriendAttributes: map[string]string{"k0": "some value"}}); err != nil {
			b.Fatal(err)
		}
	}
	e.restart()
	owner = e.login("owner", false, 6)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var next int64
		got := 0
		for {
			start := time.Now()
			res, err := owner.QueryFriendList(ctx(b), 100, next)
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			got += len(res.FriendList)
			if res.NextFlag == 0 {
				break
			}
			next = res.NextFlag
		}
		if got != n {
			b.Fatalf("paged %d friends, want %d", got, n)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms/page")
	b.ReportMetric(at(0.99), "p99-ms/page")
}
