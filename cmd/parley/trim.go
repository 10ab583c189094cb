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

// Connection storms: long-lived per-connection state (the connection, its user actor,
// its room membership) allocated among a burst of short-lived garbage keeps half-empty
// heap spans after that garbage is collected, and at GOGC 400 a burst of logins makes
// five times its live heap in garbage between two collections. While connections are
// accepted in bulk, the collector therefore runs at stormGCPercent, so freed slots are
// reused by the next connections' state; a second after the storm it is back at the
// configured target, which steady traffic (messages) runs at. Measured with `parley
// bench idle` and `parley bench login`: docs/BENCHMARKS.md.
const (
	stormGCPercent = 100
	stormTick      = 100 * time.Millisecond
	stormAccepts   = 50 // per tick (500 connections a second)
	stormCalm      = 10 // ticks without a storm before the target goes back
)

// gcDuringStorms lowers the collector's target to stormGCPercent while connections are
// accepted at stormAccepts per tick or more, and sets it back to percent after
// stormCalm quiet ticks. set is debug.SetGCPercent.
func gcDuringStorms(ctx context.Context, ticks <-chan time.Time, accepted func() int64, percent int, set func(int) int) {
	if percent <= stormGCPercent {
		return
	}
	last, calm, lowered := accepted(), 0, false
	for {
		select {
		case <-ctx.Done():
			if lowered {
				set(percent)
			}
			return
		case <-ticks:
		}
		now := accepted()
		storm := now-last >= stormAccepts
		last = now
		switch {
		case storm:
			calm = 0
			if !lowered {
				lowered = true
				set(stormGCPercent)
			}
		case lowered:
			if calm++; calm >= stormCalm {
				lowered = false
				set(percent)
			}
		}
	}
}
