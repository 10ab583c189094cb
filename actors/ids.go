package actors

import (
	"sync"
	"time"
)

// idGen makes globally unique, time-ordered 63-bit IDs: 41 bits of milliseconds since
// 2024-01-01, 10 bits of node ID, 12 bits of counter. When the counter of a millisecond
// runs out it borrows the next millisecond, so IDs never repeat on one node even under a
// burst; a clock that goes backwards is ignored (the last time used is kept).
type idGen struct {
	mu     sync.Mutex
	node   uint64
	lastMs uint64
	seq    uint64
	now    func() time.Time
}

var idEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func newIDGen(node int, now func() time.Time) *idGen {
	return &idGen{node: uint64(node) & 1023, now: now}
}

func (g *idGen) next() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := uint64(g.now().UnixMilli() - idEpoch)
	if ms > g.lastMs {
		g.lastMs, g.seq = ms, 0
	} else {
		g.seq++
		if g.seq > 4095 {
			g.lastMs++
			g.seq = 0
		}
	}
	return g.lastMs<<22 | g.node<<12 | g.seq
}
