package actors

import (
	"context"
	"time"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The call sweeper wakes calls whose deadline passed while no activation held a timer
// for it: after a restart (timers live in memory) or when the node that held the call
// left the cluster. Each node runs one: every CallSweepInterval it reads the deadline
// index ("cald", one entry per call with a pending deadline, kept by the call actor in
// the same write as the call) up to now minus CallSweepGrace, and sends CallWake to each
// call found there. A call acts on a deadline once (its record says what is still
// pending), so a wake that its own timer beat, or that two nodes sent, does nothing.
// Bound: after a restart, a deadline that passed is acted on within about
// CallSweepGrace + CallSweepInterval (2 s) of the node starting, or of the deadline.

const (
	CallSweepInterval = time.Second
	CallSweepGrace    = time.Second
	callSweepBatch    = 1000
)

type callSweeper struct {
	stop chan struct{}
	done chan struct{}
}

// startCallSweeper runs the sweeper until stopCallSweeper.
func (r *Runtime) startCallSweeper() {
	s := &callSweeper{stop: make(chan struct{}), done: make(chan struct{})}
	r.sweep = s
	go func() {
		defer close(s.done)
		t := time.NewTicker(CallSweepInterval)
		defer t.Stop()
		for {
			r.sweepCalls(r.now().Add(-CallSweepGrace))
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
}

func (r *Runtime) stopCallSweeper() {
	if s := r.sweep; s != nil {
		r.sweep = nil
		close(s.stop)
		<-s.done
	}
}

// sweepCalls wakes every call whose deadline is at or before upTo; it returns how many.
func (r *Runtime) sweepCalls(upTo time.Time) int {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.RequestTimeout)
	defer cancel()
	n := 0
	rg := persistence.Range{Start: keyCallWakePrefix(), End: keyCallWakeBefore(upTo.UnixMilli() + 1), Limit: callSweepBatch}
	err := r.Store().Scan(ctx, rg, func(_, v []byte) bool {
		if id := string(v); ValidCallID(id) {
			r.Send(KindCall, id, &messages.CallWake{})
			n++
		}
		return true
	})
	if err != nil {
		r.log.Warn("call sweep", "err", err)
	}
	return n
}
