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

	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/gateway/load"
)

// BenchmarkPeerSendE2E: 100 concurrent senders (50 pairs, each user on its own
// connection) send 1:1 text messages through the whole path — WebSocket, gateway, peer
// actor, Badger write, reply — and every receiver gets its push. Reports acknowledged
// messages per second and ack latency percentiles.
func BenchmarkPeerSendE2E(b *testing.B) {
	for _, useJSON := range []bool{false, true} {
		name := "proto"
		if useJSON {
			name = "json"
		}
		b.Run(name, func(b *testing.B) { benchPeerSend(b, 100, useJSON, false) })
	}
}

// BenchmarkPeerSendE2EMemoryStore is the same on the in-memory store (isolates the
// store's share of the cost).
func BenchmarkPeerSendE2EMemoryStore(b *testing.B) { benchPeerSend(b, 100, false, true) }

// BenchmarkPeerSendE2ESerial is one pair, one message at a time: the latency floor.
func BenchmarkPeerSendE2ESerial(b *testing.B) { benchPeerSend(b, 2, false, false) }

func benchPeerSend(b *testing.B, senders int, useJSON, memory bool) {
	var opts []envOption
	if memory {
		opts = append(opts, withMemoryStore())
	}
	e := startEnv(b, opts...)
	var delivered atomic.Int64
	clients := make([]*client.Client, senders)
	for i := range clients {
		user := fmt.Sprintf("bench%d", i)
		c, err := client.Dial(context.Background(), e.node.URL(), client.Options{JSON: useJSON})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = c.Close() })
		if err := c.Login(context.Background(), user, "", token(b, user, time.Hour), 0); err != nil {
			b.Fatal(err)
		}
		c.On("peerMessageReceived", func(proto.Message) { delivered.Add(1) })
		clients[i] = c
	}
	text := strings.Repeat("x", 200)
	// Warm the peer actors up.
	for i := 0; i < senders; i++ {
		to := fmt.Sprintf("bench%d", i^1)
		if _, err := clients[i].SendText(context.Background(), "warm", to, 0); err != nil {
			b.Fatal(err)
		}
	}
	waitDelivered := func(want int64) {
		if !waitUntil(30*time.Second, func() bool { return delivered.Load() >= want }) {
			b.Fatalf("delivered %d of %d", delivered.Load(), want)
		}
	}
	waitDelivered(int64(senders))
	delivered.Store(0)

	lat := make([][]time.Duration, senders)
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := 0; i < senders; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			to := fmt.Sprintf("bench%d", i^1)
			for next.Add(1) <= int64(b.N) {
				start := time.Now()
				if _, err := benchSendText(clients[i], text, to); err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], time.Since(start))
			}
		}(i)
	}
	wg.Wait()
	waitDelivered(int64(b.N))
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkPeerSendE2ELeanClients is BenchmarkPeerSendE2E/proto with the load tool's
// lean WebSocket client (gateway/load) instead of the full Go client: 100 connections
// in 50 pairs in this process, every user sending with 4 requests in flight; each
// message is acknowledged after the Badger write and each receiver's connection gets
// its pushes (peerMessageReceived checked against what was sent). The server's share
// of the CPU is what this measures; the clients cost less than the full client's
// decoding of every push into messages and callbacks.
func BenchmarkPeerSendE2ELeanClients(b *testing.B) {
	e := startEnv(b)
	b.ResetTimer()
	res, err := load.Run(context.Background(), load.Config{
		Scenario: "peer", Target: e.node.URL(), AppID: testAppID, Secret: testSecret,
		Conns: 100, InFlight: 4, Count: b.N, Warmup: true, Drain: 20 * time.Second,
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if !res.OK() || res.Acked != uint64(b.N) {
		b.Fatalf("lost %d, duplicates %d, acked %d of %d", res.Lost, res.Duplicates, res.Acked, b.N)
	}
	b.ReportMetric(res.AckedPerSec, "msgs/s")
	b.ReportMetric(res.Ack.P50*1000, "p50-µs")
	b.ReportMetric(res.Ack.P99*1000, "p99-µs")
}
