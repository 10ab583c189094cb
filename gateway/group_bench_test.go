package gateway_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
)

// BenchmarkGroupSendE2E: a group of 2,000 members, 50 of them online on real WebSocket
// connections (protobuf subprotocol) who all send text messages concurrently; a
// message counts once it was acknowledged and the 49 other online members received it
// through their sockets. The whole path: client, gateway, group actor, Badger, fan-out,
// writers, client decoding. (The in-process figure of the same load is
// actors.BenchmarkGroupSend2000Members50Online.)
func BenchmarkGroupSendE2E(b *testing.B) {
	const members, online = 2000, 50
	e := startEnv(b)
	rt := e.node.Runtime
	var received atomic.Int64
	sessions := make([]*session, online)
	for i := range sessions {
		sessions[i] = e.login(fmt.Sprintf("on%d", i), false, 0)
		sessions[i].On("groupMessageReceived", func(proto.Message) { received.Add(1) })
	}
	var offline []string
	for i := online; i < members; i++ {
		offline = append(offline, fmt.Sprintf("off%d", i))
	}
	registerUsers(b, rt, offline)
	makeGroup(b, sessions[0], "bench", sessions[1:]...)
	for start := 0; start < len(offline); start += 100 {
		if _, err := sessions[0].InviteUsersIntoGroup(ctx(b), offline[start:min(start+100, len(offline))], "bench"); err != nil {
			b.Fatal(err)
		}
	}
	waitReceived := func(want int64) {
		if !waitUntil(60*time.Second, func() bool { return received.Load() >= want }) {
			b.Fatalf("received %d of %d", received.Load(), want)
		}
	}
	if _, err := sessions[0].SendText(ctx(b), "warm", "bench", 2); err != nil {
		b.Fatal(err)
	}
	waitReceived(online - 1)
	received.Store(0)

	text := strings.Repeat("x", 200)
	lat := make([][]time.Duration, online)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for i := range sessions {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				start := time.Now()
				if _, err := sessions[i].SendText(context.Background(), text, "bench", 2); err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], time.Since(start))
			}
		}(i)
	}
	wg.Wait()
	waitReceived(int64(b.N) * (online - 1))
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.N*(online-1))/b.Elapsed().Seconds(), "deliveries/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}
