package gateway_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/messages"
)

// BenchmarkCallE2E: 1,000 concurrent two-party calls (2,000 users, each on its own
// WebSocket connection with the Go client, protobuf), each op one whole call: the caller
// invites (advanced mode), the callee accepts when its callInvitationReceived arrives,
// the caller ends it, and the op completes when both got callInvitationEnded. Every
// push is counted and checked at the end. Reports calls/s and the whole-call latency.
func BenchmarkCallE2E(b *testing.B) { benchCalls(b, 1000) }

// BenchmarkCallE2ESerial: one pair, one call at a time: the latency floor.
func BenchmarkCallE2ESerial(b *testing.B) { benchCalls(b, 1) }

type callBenchUser struct {
	c        *client.Client
	name     string
	received chan string
	ended    chan string
}

func benchCalls(b *testing.B, pairs int, opts ...envOption) {
	e := startEnv(b, opts...)
	var received, accepted, ended, changed atomic.Int64
	users := make([]*callBenchUser, 2*pairs)
	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for i := range users {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("cu%d", i)
			c, err := client.Dial(context.Background(), e.node.URL(), client.Options{})
			if err != nil {
				errs <- err
				return
			}
			b.Cleanup(func() { _ = c.Close() })
			if err := c.Login(context.Background(), name, "", token(b, name, time.Hour), 0); err != nil {
				errs <- err
				return
			}
			u := &callBenchUser{c: c, name: name, received: make(chan string, 4), ended: make(chan string, 4)}
			c.On("callInvitationReceived", func(m proto.Message) {
				received.Add(1)
				u.received <- m.(*messages.CallInvitationReceivedEvent).CallID
			})
			c.On("callInvitationEnded", func(m proto.Message) {
				ended.Add(1)
				u.ended <- m.(*messages.CallInvitationEndedEvent).CallID
			})
			c.On("callInvitationAccepted", func(proto.Message) { accepted.Add(1) })
			c.On("callUserStateChanged", func(proto.Message) { changed.Add(1) })
			users[i] = u
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	cfg := &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 60}
	wait := func(ch chan string, want string) error {
		select {
		case got := <-ch:
			if got != want {
				return fmt.Errorf("event of call %s, want %s", got, want)
			}
			return nil
		case <-time.After(30 * time.Second):
			return fmt.Errorf("no event of call %s within 30 s", want)
		}
	}
	oneCall := func(caller, callee *callBenchUser) error {
		ctx := context.Background()
		res, err := caller.c.CallInvite(ctx, []string{callee.name}, cfg)
		if err != nil {
			return err
		}
		if err := wait(callee.received, res.CallID); err != nil {
			return err
		}
		if _, err := callee.c.CallAccept(ctx, res.CallID, nil); err != nil {
			return err
		}
		if _, err := caller.c.CallEnd(ctx, res.CallID, nil); err != nil {
			return err
		}
		if err := wait(caller.ended, res.CallID); err != nil {
			return err
		}
		return wait(callee.ended, res.CallID)
	}
	lat := make([][]time.Duration, pairs)
	var next atomic.Int64
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	for p := 0; p < pairs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			caller, callee := users[2*p], users[2*p+1]
			for next.Add(1) <= int64(b.N) {
				start := time.Now()
				if err := oneCall(caller, callee); err != nil {
					b.Error(err)
					return
				}
				lat[p] = append(lat[p], time.Since(start))
			}
		}(p)
	}
	wg.Wait()
	b.StopTimer()
	cpu := processCPU() - cpu0
	n := int64(b.N)
	// every push arrived: one invitation, one acceptance, two ends per call, and 4–6 user
	// state changes (received is reported only when it beat the acceptance)
	if !waitUntil(30*time.Second, func() bool { return changed.Load() >= 4*n }) ||
		received.Load() != n || accepted.Load() != n || ended.Load() != 2*n || changed.Load() > 6*n {
		b.Fatalf("pushes for %d calls: received %d, accepted %d, ended %d, state changes %d",
			n, received.Load(), accepted.Load(), ended.Load(), changed.Load())
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
		// CPU of the whole process (server and clients) per call: on a shared machine the
		// process gets a share of the cores, and this says what a call costs.
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/call")
	}
}

// processCPU is the CPU time (user + system) this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCallE2EMemoryStore is BenchmarkCallE2E on the in-memory store (isolates the
// store's share).
func BenchmarkCallE2EMemoryStore(b *testing.B) { benchCalls(b, 1000, withMemoryStore()) }
