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
		l.mark(7, s, time.Millisecond)
	}
	if l.lat.n != 4 {
		t.Fatalf("latencies %d: want 4", l.lat.n)
	}
	got, dups := l.count(7, 4)
	if got != 3 || dups != 1 {
		t.Fatalf("got %d dups %d, want 3 and 1", got, dups)
	}
}

func TestTagRoundTrip(t *testing.T) {
	before := time.Now()
	body := tag(4000000000, 1<<40, 200)
	if len(body) != 200 {
		t.Fatalf("size %d", len(body))
	}
	s, q, at, ok := parseTag([]byte(body))
	if !ok || s != 4000000000 || q != 1<<40 || at.Before(before.Add(-time.Microsecond)) || at.After(time.Now()) {
		t.Fatalf("parse %q: %d %d %v %v", body, s, q, at, ok)
	}
	for _, bad := range []string{"", "L|", "L|1|2|", "L|1|2|3", "X|1|2|3|", "L||2|3|", "L|1|x|3|", "L|99999999999|2|3|", "L|1|2|99999999999999999999|"} {
		if _, _, _, ok := parseTag([]byte(bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	raw := []byte(body)
	if testing.AllocsPerRun(100, func() { parseTag(raw) }) != 0 {
		t.Error("parseTag allocates")
	}
}
