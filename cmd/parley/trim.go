package main

import (
	"context"
	"time"
)

// trimWhenIdle gives the memory the last burst of work left behind back to the system
// once clients go quiet: when activity (connections accepted, frames read) moved during
// one period of quiet and then stood still for a whole one, it runs a collection and
// returns the free heap to the OS (debug.FreeOSMemory), at most once per quiet period.
//
// The collector's target (GOGC 400 by default) lets the heap grow to five times what is
// live before collecting: right for throughput, but a server whose connections then sit
// idle would keep that garbage resident. Measured with `parley bench idle`:
// docs/BENCHMARKS.md.
func trimWhenIdle(ctx context.Context, quiet time.Duration, activity func() int64, trim func()) {
	if quiet <= 0 {
		return
	}
	t := time.NewTicker(quiet)
	defer t.Stop()
	last, busy := activity(), false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := activity()
		switch {
		case now != last:
			busy = true
		case busy:
			busy = false
			trim()
		}
		last = now
	}
}
