package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/parley-chat/parley/messages"
)

// maxPresenceChanges bounds the status changes one target makes in a run.
const maxPresenceChanges = 1 << 16

// presenceTarget is one user whose status changes, with what its subscribers saw.
type presenceTarget struct {
	s     *session
	start []atomic.Int64 // change k's request time (unix ns)
	got   []atomic.Int32 // change k's pushes so far
	last  []atomic.Int64 // change k's latest push (unix ns)
	done  chan int       // change k complete
}

// runPresence: Senders target users (default 1) each have all Conns users as status
// subscribers (subscribeUsersStatus). Each target logs out and in again on its one
// connection, one change at a time: the next change starts once every subscriber got
// the last one's userStatusUpdated. Ack latency is the time from a change's request
// to its last subscriber's push; delivery latency is per push.
func runPresence(ctx context.Context, cfg Config) (*Result, error) {
	nt := max(cfg.Senders, 1)
	targets := make([]*presenceTarget, nt)
	tsess, tclose, err := loginAll(ctx, cfg, nt, func(i int) string { return cfg.Prefix + "pt" + strconv.Itoa(i) })
	if err != nil {
		return nil, err
	}
	defer tclose()
	index := map[string]int{}
	var ids []string
	for i, s := range tsess {
		targets[i] = &presenceTarget{s: s, start: make([]atomic.Int64, maxPresenceChanges), got: make([]atomic.Int32, maxPresenceChanges),
			last: make([]atomic.Int64, maxPresenceChanges), done: make(chan int, 1)}
		index[s.user] = i
		ids = append(ids, s.user)
	}
	subs, closeAll, err := loginAll(ctx, cfg, cfg.Conns, func(i int) string { return cfg.Prefix + "ps" + strconv.Itoa(i) })
	if err != nil {
		return nil, err
	}
	defer closeAll()
	// Subscribe, Concurrency at a time.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, cfg.Concurrency)
	for _, s := range subs {
		wg.Add(1)
		sem <- struct{}{}
		go func(s *session) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := s.call(2, messages.MethodSubscribeUsersStatus.Name, &messages.SubscribeUsersStatusParams{UserIDs: ids,
				Config: &messages.UserStatusSubscribeConfig{SubscriptionDuration: 60}}); err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
			}
		}(s)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}

	// One reader per subscriber. Warm-up: each target logs out once; a subscriber's pushes
	// of a target up to the first that says "logout" are warm-up (its status at
	// subscription may come before the subscribe reply, which the call skips). After it,
	// push k is the target's change k (one actor's pushes arrive in order).
	var initial atomic.Int64
	hists := make([]histogram, len(subs))
	var readers sync.WaitGroup
	for i, s := range subs {
		readers.Add(1)
		go func(i int, s *session) {
			defer readers.Done()
			seen := make([]int, nt) // -1: warming up
			for t := range seen {
				seen[t] = -1
			}
			for {
				f, err := s.c.read()
				if err != nil {
					return
				}
				if string(f.event) != messages.EventUserStatusUpdated.Name {
					continue
				}
				st := field(f.data, 1)               // userStatusList[0]
				t, ok := index[string(field(st, 1))] // .userID
				if !ok {
					continue
				}
				if seen[t] < 0 {
					if varintField(st, 2) == 2 { // .onlineStatus: logout, the warm-up change
						seen[t] = 0
						initial.Add(1)
					}
					continue
				}
				k := seen[t]
				seen[t]++
				if k >= maxPresenceChanges {
					continue
				}
				tg := targets[t]
				at := f.at.UnixNano()
				hists[i].add(time.Duration(at - tg.start[k].Load()))
				for {
					prev := tg.last[k].Load()
					if at <= prev || tg.last[k].CompareAndSwap(prev, at) {
						break
					}
				}
				if int(tg.got[k].Add(1)) == len(subs) {
					tg.done <- k
				}
			}
		}(i, s)
	}
	defer func() {
		closeAll()
		readers.Wait()
	}()
	for _, tg := range targets {
		if err := tg.s.call(3, messages.MethodLogout.Name, &messages.Empty{}); err != nil {
			return nil, err
		}
	}
	if !waitFor(ctx, 30*time.Second, func() bool { return initial.Load() >= int64(len(subs)*nt) }) {
		return nil, fmt.Errorf("load: presence warm-up: %d of %d subscribers saw the logout", initial.Load(), len(subs)*nt)
	}
	if cfg.OnMeasure != nil {
		cfg.OnMeasure()
	}

	// The targets change status, each one change at a time.
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	perTarget := maxPresenceChanges
	if cfg.Count > 0 {
		perTarget = min(perTarget, (cfg.Count+nt-1)/nt)
	}
	var sent, completed atomic.Uint64
	var lostMu sync.Mutex
	var lost uint64
	errs := map[string]int64{}
	acks := make([]histogram, nt)
	var tw sync.WaitGroup
	for ti, tg := range targets {
		tw.Add(1)
		go func(ti int, tg *presenceTarget) {
			defer tw.Done()
			for k := 0; k < perTarget; k++ {
				if ctx.Err() != nil || (cfg.Duration > 0 && time.Now().After(deadline)) {
					return
				}
				tg.start[k].Store(time.Now().UnixNano())
				sent.Add(1)
				id := uint32(10 + k)
				var err error
				if k%2 == 0 {
					err = tg.s.call(id, messages.MethodLogin.Name, &messages.LoginParams{UserID: tg.s.user, Token: cfg.token(tg.s.user)})
				} else {
					err = tg.s.call(id, messages.MethodLogout.Name, &messages.Empty{})
				}
				if err != nil {
					lostMu.Lock()
					errs[err.Error()]++
					lostMu.Unlock()
					return
				}
				select {
				case <-tg.done:
					completed.Add(1)
					acks[ti].add(time.Duration(tg.last[k].Load() - tg.start[k].Load()))
				case <-time.After(cfg.Drain):
					lostMu.Lock()
					lost += uint64(len(subs)) - uint64(tg.got[k].Load())
					lostMu.Unlock()
					return
				}
			}
		}(ti, tg)
	}
	tw.Wait()
	elapsed := time.Since(start).Seconds()
	var delivery, ack histogram
	for i := range hists {
		delivery.merge(&hists[i])
	}
	for i := range acks {
		ack.merge(&acks[i])
	}
	n := sent.Load()
	res := &Result{Scenario: "presence", Mode: "ws", Duration: elapsed, Sent: n, Acked: completed.Load(),
		Delivered: delivery.n, Expected: n * uint64(len(subs)), Lost: lost,
		SentPerSec: float64(n) / elapsed, AckedPerSec: float64(completed.Load()) / elapsed, DeliveredPerS: float64(delivery.n) / elapsed,
		Ack: ack.summary(), Delivery: delivery.summary(), Errors: errs,
		Extra: map[string]any{"targets": nt, "subscribers": len(subs), "ack_is": "request to the last subscriber's push"}}
	return res, nil
}

// varintField returns the first varint field num of a protobuf message (0 when absent).
func varintField(b []byte, num protowire.Number) uint64 {
	for len(b) > 0 {
		n, typ, m := protowire.ConsumeTag(b)
		if m < 0 {
			return 0
		}
		b = b[m:]
		if n == num && typ == protowire.VarintType {
			v, k := protowire.ConsumeVarint(b)
			if k < 0 {
				return 0
			}
			return v
		}
		k := protowire.ConsumeFieldValue(n, typ, b)
		if k < 0 {
			return 0
		}
		b = b[k:]
	}
	return 0
}

// waitFor polls cond until it holds, the context ends or d passes.
func waitFor(ctx context.Context, d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for !cond() {
		if ctx.Err() != nil || time.Now().After(end) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}
