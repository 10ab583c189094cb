package actors

import (
	"testing"
	"time"
)

func TestIDsAreUniqueAndOrdered(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := newIDGen(7, func() time.Time { return now })
	prev := uint64(0)
	for i := 0; i < 10000; i++ { // more than 4096 in one millisecond: borrows the next
		id := g.next()
		if id <= prev {
			t.Fatalf("id %d not after %d", id, prev)
		}
		prev = id
	}
}
