package persistence

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holdDirLock takes the lock Badger takes on dir, through a descriptor of its own (as a
// child started at the wrong moment holds a copy of the store's), until the returned
// release.
func holdDirLock(t *testing.T, dir string) (release func()) {
	t.Helper()
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	return func() { _ = f.Close() }
}

// A store opened while its directory's lock is still held for a moment (a forked child's
// copy of the descriptor, before it execs) waits for it; one held for longer than the
// wait is refused with Badger's lock error.
func TestBadgerOpenWaitsOutABrieflyHeldLock(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenBadger(BadgerOptions{Dir: dir, Logger: testLogger})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, func() *Batch { var b Batch; b.Put([]byte("k"), []byte("v")); return &b }())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	release := holdDirLock(t, dir)
	held := time.AfterFunc(100*time.Millisecond, release)
	defer held.Stop()
	s, err = OpenBadger(BadgerOptions{Dir: dir, Logger: testLogger})
	if err != nil {
		t.Fatalf("open while the lock was held for 100 ms: %v", err)
	}
	if got := mustGet(t, s, "k"); got != "v" {
		t.Fatalf("k = %q", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	release = holdDirLock(t, dir)
	defer release()
	start := time.Now()
	_, err = openBadger(BadgerOptions{Dir: dir, Logger: testLogger}, badgerTuning{groupBytes: maxGroupBytes, lockWait: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "Cannot acquire directory lock") {
		t.Fatalf("open of a directory another holder keeps locked: %v", err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Fatalf("gave up after %v, before the wait", waited)
	}
}
