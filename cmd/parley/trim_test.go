package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// The heap is trimmed once per quiet stretch that follows work, never while quiet
// throughout, and again after the next burst.
func TestTrimWhenIdle(t *testing.T) {
	var act, trims atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := make(chan struct{}) // every poll of activity waits for the test to take it
	activity := func() int64 {
		select {
		case polls <- struct{}{}:
		case <-ctx.Done():
		}
		return act.Load()
	}
	go trimWhenIdle(ctx, time.Millisecond, activity, func() { trims.Add(1) })
	waitPolls := func(n int) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for range n {
			select {
			case <-polls:
			case <-deadline:
				t.Fatal("trimmer stopped polling")
			}
		}
	}
	waitPolls(5)
	if n := trims.Load(); n != 0 {
		t.Fatalf("%d trims without any work", n)
	}
	for burst := int64(1); burst <= 2; burst++ {
		act.Add(3)
		waitPolls(5)
		if n := trims.Load(); n != burst {
			t.Fatalf("after burst %d: %d trims", burst, n)
		}
	}
}

// The collector's target drops while connections arrive in bulk and comes back after
// stormCalm quiet ticks; a trickle of connections leaves it alone.
func TestGCDuringStorms(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	counts := make(chan int64) // the watcher reads the accepted count from the test
	sets := make(chan int, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		gcDuringStorms(ctx, ticks, func() int64 { return <-counts }, 400, func(p int) int { sets <- p; return 0 })
	}()
	var total int64
	counts <- total
	// tick: one tick with newConns more accepted; between taking the tick and reading
	// the count, the watcher is done with the tick before (then, checks).
	tick := func(newConns int64, then ...func()) {
		t.Helper()
		total += newConns
		select {
		case ticks <- time.Now():
		case <-time.After(5 * time.Second):
			t.Fatal("storm watcher stopped taking ticks")
		}
		for _, f := range then {
			f()
		}
		counts <- total
	}
	expect := func(want int) {
		t.Helper()
		select {
		case got := <-sets:
			if got != want {
				t.Fatalf("GC percent set to %d, want %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("GC percent not set to %d", want)
		}
	}
	noSet := func() {
		t.Helper()
		tick(0, func() {
			select {
			case got := <-sets:
				t.Fatalf("GC percent set to %d unexpectedly", got)
			default:
			}
		})
	}
	for range 20 {
		tick(stormAccepts - 1) // a trickle
	}
	noSet()
	tick(stormAccepts)
	expect(stormGCPercent)
	for range 3 {
		tick(stormAccepts * 4) // still a storm: set once
	}
	for range stormCalm - 2 {
		tick(1)
	}
	noSet() // the (stormCalm-1)th quiet tick; still lowered after the ones before
	noSet() // the stormCalm-th: the one before did not set it either
	expect(400)
	tick(stormAccepts)
	expect(stormGCPercent)
	cancel()
	expect(400) // stopping puts the target back
	<-done
}
