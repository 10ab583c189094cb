package actors

import (
	"fmt"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// BenchmarkQueryFriendList3000: queryFriendList paging through 3,000 friends, 100 per
// page (30 pages per round), on the user actor's handler over Badger on disk. The
// friends were added with addFriend (both sides written); the user grain is a fresh
// activation. Reports p50/p99 per page (goal: p99 ≤ 5 ms).
func BenchmarkQueryFriendList3000(b *testing.B) {
	const n = 3000
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: b.TempDir(), Logger: testLog()})
	if err != nil {
		b.Fatal(err)
	}
	w := newUnitWorld(b, func(c *Config) { c.Store = st })
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("friend%04d", i)
	}
	w.users(append([]string{"owner"}, ids...)...)
	owner := w.grain(KindUser, "owner")
	for _, id := range ids {
		owner.mustCall("owner", "addFriend", &messages.AddFriendParams{UserID: id, Config: &messages.FriendAddConfig{
			FriendAlias: "alias " + id, FriendAttributes: map[string]string{"k0": "some value"}}}, nil)
	}
	g := w.grain(KindUser, "owner")
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var next int64
		got := 0
		for {
			var res messages.FriendListQueriedResult
			start := time.Now()
			g.mustCall("owner", "queryFriendList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 100, NextFlag: next}}, &res)
			lat = append(lat, time.Since(start))
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
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms/page")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms/page")
}
