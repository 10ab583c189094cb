package persistence

import (
	"context"
	"sync"
)

// callGate counts a store's calls in flight so that Close can wait for them: every call
// enters while the store is open (and leaves when done), and shut refuses new calls,
// then waits for those in flight. Backends embed one.
type callGate struct {
	mu     sync.RWMutex // guards closed and the Add side of active
	closed bool
	active sync.WaitGroup
}

// enter registers a call; it reports false when the store is closed. A true result
// must be paired with leave.
func (g *callGate) enter() bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return false
	}
	g.active.Add(1)
	return true
}

// begin starts a call: the context's error, ErrClosed, or nil and the call must leave.
func (g *callGate) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !g.enter() {
		return ErrClosed
	}
	return nil
}

// leave ends a call that entered.
func (g *callGate) leave() { g.active.Done() }

// shut refuses every later call and waits for the calls in flight.
func (g *callGate) shut() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.active.Wait()
}
