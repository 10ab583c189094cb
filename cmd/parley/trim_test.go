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
	var act, polls, trims atomic.Int64
	activity := func() int64 { polls.Add(1); return act.Load() }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go trimWhenIdle(ctx, time.Millisecond, activity, func() { trims.Add(1) })
	waitPolls := func(n int64) {
		t.Helper()
		target := polls.Load() + n
		deadline := time.Now().Add(5 * time.Second)
		for polls.Load() < target {
			if time.Now().After(deadline) {
				t.Fatal("trimmer stopped polling")
			}
			time.Sleep(time.Millisecond)
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
