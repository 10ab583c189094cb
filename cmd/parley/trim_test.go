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
