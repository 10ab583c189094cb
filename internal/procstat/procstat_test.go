package procstat

import "testing"

func TestSamples(t *testing.T) {
	x := 0
	for i := 0; i < 1e7; i++ { // some CPU time to see
		x += i
	}
	if cpu, ok := CPUSeconds(); !ok || cpu <= 0 {
		t.Fatalf("cpu %v %v (%d)", cpu, ok, x)
	}
	if rss, ok := ResidentBytes(); !ok || rss < 1<<20 {
		t.Fatalf("rss %v %v", rss, ok)
	}
}
