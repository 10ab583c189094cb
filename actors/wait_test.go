package actors

import "time"

// waitUntil polls cond until it holds or d has passed, and reports whether it held: the
// one deadline-bounded wait of this package's tests and benchmarks.
func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Microsecond) // the polling interval
	}
	return true
}
