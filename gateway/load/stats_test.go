package load

import (
	"testing"
	"time"
)

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 10000; i++ {
		h.add(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{.5, 5 * time.Millisecond}, {.99, 9900 * time.Microsecond}} {
		got := h.quantile(c.q)
		if diff := float64(got-c.want) / float64(c.want); diff > 0.02 || diff < -0.02 {
			t.Errorf("q%.2f = %v, want ≈ %v", c.q, got, c.want)
		}
	}
	if h.max != 10*time.Millisecond {
		t.Errorf("max %v", h.max)
	}
}

func TestLedgerCountsLossAndDuplicates(t *testing.T) {
	l := newLedger()
	for _, s := range []uint64{1, 2, 2, 4} {
		l.mark(7, s)
	}
	got, dups := l.count(7, 4)
	if got != 3 || dups != 1 {
		t.Fatalf("got %d dups %d, want 3 and 1", got, dups)
	}
}
