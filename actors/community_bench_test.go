package actors

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// bigCommunity sets up a community of members members (100,000) with publics public
// channels besides GENERAL and the first online members online (one connection each),
// and waits until GENERAL knows them. The member limit is raised so that joins fit.
func bigCommunity(b *testing.B, members, publics, online int) (*communityRig, []string, []string) {
	r := &communityRig{tb: b, dir: b.TempDir(), conns: map[string]*messages.ConnRef{}, fan: &countingFanout{event: "communityChannelMessageReceived"},
		limits: func(l *Limits) { l.Community.Members = 1_000_000 }} // room for the joins
	r.start()
	b.Cleanup(r.stop)
	ids := userIDs(0, members)
	convs := r.community("big", ids[0], publics, ids[1:])
	for i := 0; i < online; i++ {
		r.online(ids[i], uint64(i+1))
	}
	r.waitFor("online members known to GENERAL", func() bool {
		before := r.fan.count.Load()
		r.sendText(convs[0], ids[online], "probe") // an offline member sends
		return r.waitCount(before+int64(online), 2*time.Second)
	})
	return r, ids, convs
}

// waitCount waits until the fan-out counted n channel deliveries (false after d).
func (r *communityRig) waitCount(n int64, d time.Duration) bool {
	return waitUntil(d, func() bool { return r.fan.count.Load() >= n })
}

// BenchmarkCommunityJoin100k: joinCommunity into a community of 100,000 members with 20
// public channels and 1,000 online members, one join at a time (each new user joins
// GENERAL and the 20 public channels; the online members get communityMemberStateChanged).
// Badger on disk. Reports p50/p99 per join.
func BenchmarkCommunityJoin100k(b *testing.B) {
	r, _, _ := bigCommunity(b, benchMembers(), 20, 1000)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		user := fmt.Sprintf("joiner%d", i)
		start := time.Now()
		r.must(KindCommunity, "big", user, "joinCommunity", &messages.CommunityIDParams{CommunityID: "big"}, nil)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkCommunityChannelMessage100k1000Online: 50 of the 1,000 online members of a
// 100,000-member community send text messages concurrently to GENERAL. A message counts
// when it is stored (the reply came back) and every other online connection got it
// from the fan-out actor (999 deliveries); the online members' user actors update their
// conversations too (drained before the timer stops). Badger on disk.
func BenchmarkCommunityChannelMessage100k1000Online(b *testing.B) {
	const online, senders = 1000, 50
	r, ids, convs := bigCommunity(b, 100_000, 0, online)
	general := convs[0]
	text := strings.Repeat("x", 200)
	base := r.fan.count.Load()
	lat := make([][]time.Duration, senders)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			user := ids[s]
			done := make(chan error, 1)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				raw, _ := proto.Marshal(&messages.SendMessageParams{ToConversationID: general, ConversationType: ConvChannel,
					Message: &messages.Message{Type: MsgText, Message: text, LocalMessageID: fmt.Sprintf("l%d", i)}})
				start := time.Now()
				r.rt.Go(context.Background(), KindChannel, general, &messages.Call{Method: "sendMessage", UserID: user, Params: raw, Conn: r.conns[user]},
					func(_ proto.Message, err error) { done <- err })
				if err := <-done; err != nil {
					b.Error(err)
					return
				}
				lat[s] = append(lat[s], time.Since(start))
			}
		}(s)
	}
	wg.Wait()
	if !r.waitCount(base+int64(b.N)*(online-1), 60*time.Second) {
		b.Fatalf("delivered %d of %d", r.fan.count.Load()-base, int64(b.N)*(online-1))
	}
	for _, u := range ids[:online] { // the user actors' conversation updates
		r.must(KindUser, u, u, "querySelfUserInfo", &messages.Empty{}, nil)
	}
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.N)*(online-1)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds()), "p99-µs")
}

// benchMembers is the community size of the community benchmarks (PARLEY_BENCH_MEMBERS
// overrides the 100,000 to compare sizes).
func benchMembers() int {
	if n, err := strconv.Atoi(os.Getenv("PARLEY_BENCH_MEMBERS")); err == nil && n > 1000 {
		return n
	}
	return 100_000
}
