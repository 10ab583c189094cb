package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// testLogger shows Badger's warnings and errors on stderr.
var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

func openMemoryTB(tb testing.TB) Store {
	s := NewMemory()
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func openBadgerMemTB(tb testing.TB) Store {
	s, err := OpenBadger(BadgerOptions{InMemory: true, Logger: testLogger})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func openBadgerDiskTB(tb testing.TB) Store {
	dir := tb.TempDir()
	s, err := OpenBadger(BadgerOptions{Dir: dir, Logger: testLogger})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() }) // runs before TempDir's removal
	return s
}

func TestMemory(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) Store { return openMemoryTB(t) })
}

func TestBadgerInMemory(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) Store { return openBadgerMemTB(t) })
}

func TestBadgerDisk(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) Store { return openBadgerDiskTB(t) })
}

// ---- helpers ----

func mustWrite(t testing.TB, s Store, b *Batch) {
	t.Helper()
	if err := s.Write(context.Background(), b); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// putAll stores key=value pairs given as alternating strings, in one batch.
func putAll(t testing.TB, s Store, kv ...string) {
	t.Helper()
	var b Batch
	for i := 0; i < len(kv); i += 2 {
		b.Put([]byte(kv[i]), []byte(kv[i+1]))
	}
	mustWrite(t, s, &b)
}

func mustGet(t testing.TB, s Store, key string) string {
	t.Helper()
	v, err := s.Get(context.Background(), []byte(key))
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return string(v)
}

func wantAbsent(t testing.TB, s Store, key string) {
	t.Helper()
	v, err := s.Get(context.Background(), []byte(key))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want ErrNotFound", key, v, err)
	}
}

// scanKeys returns the keys visited by Scan (and checks that each value is "v"+key).
func scanKeys(t testing.TB, s Store, r Range) []string {
	t.Helper()
	var keys []string
	err := s.Scan(context.Background(), r, func(k, v []byte) bool {
		if string(v) != "v"+string(k) {
			t.Errorf("value of %q = %q, want %q", k, v, "v"+string(k))
		}
		keys = append(keys, string(k))
		return true
	})
	if err != nil {
		t.Fatalf("Scan(%+v): %v", r, err)
	}
	return keys
}

// putKeys stores each key with value "v"+key.
func putKeys(t testing.TB, s Store, keys ...string) {
	t.Helper()
	var b Batch
	for _, k := range keys {
		b.Put([]byte(k), []byte("v"+k))
	}
	mustWrite(t, s, &b)
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// ---- the suite ----

// runConformance is the suite every backend runs. open returns a fresh, empty store
// that is closed when the (sub)test ends.
func runConformance(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()

	t.Run("GetPutDelete", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putAll(t, s, "a", "1", "b", "2")
		if got := mustGet(t, s, "a"); got != "1" {
			t.Fatalf("a = %q", got)
		}
		var b Batch
		b.Delete([]byte("a"))
		mustWrite(t, s, &b)
		wantAbsent(t, s, "a")
		if got := mustGet(t, s, "b"); got != "2" {
			t.Fatalf("b = %q", got)
		}
		// Deleting a missing key is fine.
		b = Batch{}
		b.Delete([]byte("nope"))
		mustWrite(t, s, &b)
		// Empty values are values.
		putAll(t, s, "empty", "")
		v, err := s.Get(ctx, []byte("empty"))
		if err != nil || len(v) != 0 {
			t.Fatalf("Get(empty) = %q, %v", v, err)
		}
		// Put then Delete (and the reverse) inside one batch: the last op wins.
		b = Batch{}
		b.Put([]byte("x"), []byte("1"))
		b.Delete([]byte("x"))
		b.Delete([]byte("y"))
		b.Put([]byte("y"), []byte("2"))
		mustWrite(t, s, &b)
		wantAbsent(t, s, "x")
		if got := mustGet(t, s, "y"); got != "2" {
			t.Fatalf("y = %q", got)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		wantAbsent(t, s, "missing")
		if _, err := s.Get(ctx, nil); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get(nil) err = %v", err)
		}
		putKeys(t, s, "a", "c")
		wantAbsent(t, s, "b")
		wantAbsent(t, s, "aa")
		wantAbsent(t, s, "")
	})

	t.Run("Overwrite", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putAll(t, s, "k", "1")
		putAll(t, s, "k", "22")
		putAll(t, s, "k", "333")
		if got := mustGet(t, s, "k"); got != "333" {
			t.Fatalf("k = %q", got)
		}
		n := 0
		if err := s.Scan(ctx, Range{}, func(k, v []byte) bool { n++; return true }); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("scan visited %d keys, want 1", n)
		}
	})

	t.Run("Scan", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		all := []string{"a", "b", "c", "d", "e"}
		putKeys(t, s, "c", "a", "e") // out of order, several batches
		putKeys(t, s, "d", "b")
		cases := []struct {
			name string
			r    Range
			want []string
		}{
			{"all", Range{}, all},
			{"limit", Range{Limit: 2}, []string{"a", "b"}},
			{"limit-over", Range{Limit: 10}, all},
			{"bounded", Range{Start: []byte("b"), End: []byte("d")}, []string{"b", "c"}},
			{"bounded-between", Range{Start: []byte("bb"), End: []byte("dd")}, []string{"c", "d"}},
			{"start-only", Range{Start: []byte("c")}, []string{"c", "d", "e"}},
			{"end-only", Range{End: []byte("c")}, []string{"a", "b"}},
			{"bounded-limit", Range{Start: []byte("b"), End: []byte("e"), Limit: 2}, []string{"b", "c"}},
			{"empty-equal", Range{Start: []byte("c"), End: []byte("c")}, nil},
			{"empty-inverted", Range{Start: []byte("d"), End: []byte("b")}, nil},
			{"empty-end", Range{End: []byte{}}, nil},
			{"after-last", Range{Start: []byte("f")}, nil},
			{"before-first", Range{End: []byte("a")}, nil},
			{"end-past-last", Range{Start: []byte("d"), End: []byte("z")}, []string{"d", "e"}},
		}
		for _, c := range cases {
			got := scanKeys(t, s, c.r)
			if !slices.Equal(got, c.want) {
				t.Errorf("forward %s: got %q, want %q", c.name, got, c.want)
			}
			r := c.r
			r.Reverse = true
			want := reversed(c.want)
			if r.Limit > 0 {
				// The limit applies from the other end.
				full := c.r
				full.Limit = 0
				want = reversed(scanKeys(t, s, full))
				if len(want) > r.Limit {
					want = want[:r.Limit]
				}
			}
			got = scanKeys(t, s, r)
			if !slices.Equal(got, want) {
				t.Errorf("reverse %s: got %q, want %q", c.name, got, want)
			}
		}
		// End equal to an existing key is excluded, in reverse too.
		if got := scanKeys(t, s, Range{Start: []byte("a"), End: []byte("e"), Reverse: true}); !slices.Equal(got, []string{"d", "c", "b", "a"}) {
			t.Errorf("reverse to exact End: got %q", got)
		}
		if got := scanKeys(t, s, Range{End: []byte("b"), Reverse: true, Limit: 1}); !slices.Equal(got, []string{"a"}) {
			t.Errorf("reverse to exact End with limit: got %q", got)
		}
		// fn returning false stops the scan.
		for _, rev := range []bool{false, true} {
			var seen []string
			err := s.Scan(ctx, Range{Reverse: rev}, func(k, _ []byte) bool {
				seen = append(seen, string(k))
				return len(seen) < 2
			})
			if err != nil || len(seen) != 2 {
				t.Errorf("reverse=%v early stop: seen %q, err %v", rev, seen, err)
			}
		}
	})

	t.Run("ScanPrefix", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putKeys(t, s, "p", "p.", "p/", "p/1", "p/2", "p/2/x", "p0", "q", "o")
		want := []string{"p/", "p/1", "p/2", "p/2/x"}
		r := PrefixRange([]byte("p/"))
		if got := scanKeys(t, s, r); !slices.Equal(got, want) {
			t.Errorf("prefix forward: got %q, want %q", got, want)
		}
		r.Reverse = true
		if got := scanKeys(t, s, r); !slices.Equal(got, reversed(want)) {
			t.Errorf("prefix reverse: got %q, want %q", got, reversed(want))
		}
		r.Limit = 2
		if got := scanKeys(t, s, r); !slices.Equal(got, []string{"p/2/x", "p/2"}) {
			t.Errorf("prefix reverse limit: got %q", got)
		}
		// Keys built with Key: a conversation's messages, newest first.
		var b Batch
		for _, conv := range []string{"c1", "c2", "c10"} {
			for seq := uint64(1); seq <= 300; seq++ {
				b.Put(NewKey("m").Str(conv).U64(seq), []byte(conv))
			}
		}
		mustWrite(t, s, &b)
		var seqs []uint64
		err := s.Scan(ctx, Range{
			Start:   NewKey("m").Str("c1").U64(0),
			End:     NewKey("m").Str("c1").U64(256), // exists: excluded
			Reverse: true,
			Limit:   3,
		}, func(k, v []byte) bool {
			if string(v) != "c1" {
				t.Errorf("key %x has value %q", k, v)
			}
			seqs = append(seqs, SeqFromKey(k))
			return true
		})
		if err != nil || !slices.Equal(seqs, []uint64{255, 254, 253}) {
			t.Errorf("reverse message page: %v, %v", seqs, err)
		}
		n := 0
		err = s.Scan(ctx, PrefixRange(NewKey("m").Str("c1")), func(k, v []byte) bool {
			n++
			if string(v) != "c1" || SeqFromKey(k) != uint64(n) {
				t.Errorf("message %d: key %x value %q", n, k, v)
			}
			return true
		})
		if err != nil || n != 300 {
			t.Errorf("conversation c1: %d messages, %v", n, err)
		}
	})

	t.Run("PrefixEnd0xff", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		if PrefixEnd([]byte{0xff, 0xff}) != nil {
			t.Fatal("PrefixEnd(ffff) != nil")
		}
		if got := PrefixEnd([]byte("a\xff\xff")); string(got) != "b" {
			t.Fatalf("PrefixEnd(a ff ff) = %q", got)
		}
		keys := []string{"\xfe", "\xfe\xff", "\xff", "\xff\x00", "\xff\xff", "\xff\xff\x01", "a", "a\xff", "a\xff\x01", "a\xff\xff", "b", "b\x00"}
		putKeys(t, s, keys...)
		check := func(prefix string, want []string) {
			t.Helper()
			r := PrefixRange([]byte(prefix))
			if got := scanKeys(t, s, r); !slices.Equal(got, want) {
				t.Errorf("prefix %q forward: got %q, want %q", prefix, got, want)
			}
			r.Reverse = true
			if got := scanKeys(t, s, r); !slices.Equal(got, reversed(want)) {
				t.Errorf("prefix %q reverse: got %q, want %q", prefix, got, reversed(want))
			}
		}
		check("\xff", []string{"\xff", "\xff\x00", "\xff\xff", "\xff\xff\x01"})
		check("\xff\xff", []string{"\xff\xff", "\xff\xff\x01"})
		check("\xfe", []string{"\xfe", "\xfe\xff"})
		check("a\xff", []string{"a\xff", "a\xff\x01", "a\xff\xff"})
		check("b", []string{"b", "b\x00"})
		check("", slices.Sorted(slices.Values(keys)))
	})

	t.Run("Conds", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		k := []byte("k")
		conflict := func(name string, b *Batch) {
			t.Helper()
			if err := s.Write(ctx, b); !errors.Is(err, ErrConflict) {
				t.Fatalf("%s: err = %v, want ErrConflict", name, err)
			}
		}

		// Absent holds.
		var b Batch
		b.ExpectAbsent(k)
		b.Put(k, []byte("v1"))
		b.Put([]byte("side1"), []byte("x"))
		mustWrite(t, s, &b)
		if got := mustGet(t, s, "k"); got != "v1" {
			t.Fatalf("k = %q", got)
		}

		// Absent fails: nothing of the batch is written.
		b = Batch{}
		b.Put([]byte("side2"), []byte("x"))
		b.ExpectAbsent(k)
		b.Put(k, []byte("v2"))
		b.Delete([]byte("side1"))
		conflict("absent on existing key", &b)
		wantAbsent(t, s, "side2")
		mustGet(t, s, "side1")
		if got := mustGet(t, s, "k"); got != "v1" {
			t.Fatalf("k = %q after failed batch", got)
		}

		// Equals holds.
		b = Batch{}
		b.ExpectValue(k, []byte("v1"))
		b.Put(k, []byte("v2"))
		mustWrite(t, s, &b)
		if got := mustGet(t, s, "k"); got != "v2" {
			t.Fatalf("k = %q", got)
		}

		// Equals fails on another value (also a prefix / extension of it).
		for _, wrong := range []string{"v1", "v", "v22", ""} {
			b = Batch{}
			b.ExpectValue(k, []byte(wrong))
			b.Put(k, []byte("v3"))
			b.Put([]byte("side3"), []byte("x"))
			conflict("equals "+wrong, &b)
		}
		wantAbsent(t, s, "side3")
		if got := mustGet(t, s, "k"); got != "v2" {
			t.Fatalf("k = %q after failed batch", got)
		}

		// Equals fails on an absent key, even against an empty value.
		for _, v := range [][]byte{nil, {}, []byte("v2")} {
			b = Batch{}
			b.ExpectValue([]byte("absent"), v)
			b.Put([]byte("absent"), []byte("x"))
			conflict("equals on absent key", &b)
		}
		wantAbsent(t, s, "absent")

		// Equals an empty value.
		putAll(t, s, "e", "")
		b = Batch{}
		b.ExpectValue([]byte("e"), nil)
		b.Put([]byte("e"), []byte("full"))
		mustWrite(t, s, &b)

		// Several conditions: all must hold.
		b = Batch{}
		b.ExpectValue(k, []byte("v2"))
		b.ExpectAbsent([]byte("side1")) // exists
		b.Put(k, []byte("v4"))
		conflict("second cond fails", &b)
		b = Batch{}
		b.ExpectValue(k, []byte("v2"))
		b.ExpectValue([]byte("side1"), []byte("x"))
		b.ExpectAbsent([]byte("side3"))
		b.Put(k, []byte("v4"))
		mustWrite(t, s, &b)

		// Conditions only.
		b = Batch{}
		b.ExpectAbsent(k)
		conflict("conds only", &b)
		b = Batch{}
		b.ExpectValue(k, []byte("v4"))
		b.ExpectAbsent([]byte("nothing"))
		mustWrite(t, s, &b)

		// A deleted key is absent again.
		b = Batch{}
		b.Delete(k)
		mustWrite(t, s, &b)
		b = Batch{}
		b.ExpectAbsent(k)
		b.Put(k, []byte("again"))
		mustWrite(t, s, &b)
		if got := mustGet(t, s, "k"); got != "again" {
			t.Fatalf("k = %q", got)
		}
	})

	t.Run("EmptyAndInvalidBatch", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		if err := s.Write(ctx, &Batch{}); err != nil {
			t.Fatalf("empty batch: %v", err)
		}
		var b Batch
		b.Put([]byte("good"), []byte("x"))
		b.Put(nil, []byte("x"))
		err := s.Write(ctx, &b)
		if err == nil || errors.Is(err, ErrConflict) {
			t.Fatalf("empty key: err = %v", err)
		}
		wantAbsent(t, s, "good")
		b = Batch{}
		b.Put([]byte("good"), []byte("x"))
		b.Ops = append(b.Ops, Op{Kind: 0, Key: []byte("bad")})
		if err := s.Write(ctx, &b); err == nil {
			t.Fatal("unknown op kind accepted")
		}
		wantAbsent(t, s, "good")
		b = Batch{}
		b.Put([]byte("good"), []byte("x"))
		b.Conds = append(b.Conds, Cond{Kind: 0, Key: []byte("bad")})
		if err := s.Write(ctx, &b); err == nil {
			t.Fatal("unknown cond kind accepted")
		}
		wantAbsent(t, s, "good")
	})

	t.Run("Atomicity", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// A batch of puts and deletes is applied as a whole.
		putKeys(t, s, "x1", "x2", "x3")
		var b Batch
		b.Delete([]byte("x1"))
		b.Delete([]byte("x2"))
		b.Put([]byte("x4"), []byte("vx4"))
		b.Put([]byte("x5"), []byte("vx5"))
		mustWrite(t, s, &b)
		if got := scanKeys(t, s, PrefixRange([]byte("x"))); !slices.Equal(got, []string{"x3", "x4", "x5"}) {
			t.Fatalf("after batch: %q", got)
		}

		// Readers never see half a batch: a and b are always written together.
		const rounds = 300
		done := make(chan struct{})
		var wg sync.WaitGroup
		var readerErr error
		var errOnce sync.Once
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					var vals []string
					err := s.Scan(ctx, PrefixRange([]byte("pair/")), func(_, v []byte) bool {
						vals = append(vals, string(v))
						return true
					})
					if err == nil && len(vals) != 0 && (len(vals) != 2 || vals[0] != vals[1]) {
						err = fmt.Errorf("torn read: %q", vals)
					}
					if err != nil {
						errOnce.Do(func() { readerErr = err })
						return
					}
					runtime.Gosched() // let the writer (and other tests) run with GOMAXPROCS=1
				}
			}()
		}
		for i := range rounds {
			v := []byte(strconv.Itoa(i))
			var b Batch
			b.Put([]byte("pair/a"), v)
			b.Put([]byte("pair/b"), v)
			if err := s.Write(ctx, &b); err != nil {
				t.Error(err)
				break
			}
		}
		close(done)
		wg.Wait()
		if readerErr != nil {
			t.Fatal(readerErr)
		}
	})

	t.Run("ConcurrentWriters", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// 50 goroutines × 200 appends. Counters are shared by pairs of goroutines,
		// so CAS conflicts really happen and are resolved by retrying.
		const writers, appends, share = 50, 200, 2
		counter := func(c int) []byte { return NewKey("ctr").Str(strconv.Itoa(c)) }
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := w / share
				key := counter(c)
				for range appends {
					for {
						var n uint64
						old, err := s.Get(ctx, key)
						switch {
						case errors.Is(err, ErrNotFound):
						case err != nil:
							errs <- err
							return
						default:
							n, _ = strconv.ParseUint(string(old), 10, 64)
						}
						var b Batch
						if old == nil {
							b.ExpectAbsent(key)
						} else {
							b.ExpectValue(key, old)
						}
						next := []byte(strconv.FormatUint(n+1, 10))
						b.Put(key, next)
						msg := NewKey("msg").Str(strconv.Itoa(c)).U64(n + 1)
						b.ExpectAbsent(msg)
						b.Put(msg, []byte(strconv.Itoa(w)))
						err = s.Write(ctx, &b)
						if err == nil {
							break
						}
						if !errors.Is(err, ErrConflict) {
							errs <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for c := range writers / share {
			if got := mustGet(t, s, string(counter(c))); got != strconv.Itoa(appends*share) {
				t.Errorf("counter %d = %s, want %d", c, got, appends*share)
			}
			var seqs []uint64
			per := map[string]int{}
			err := s.Scan(ctx, PrefixRange(NewKey("msg").Str(strconv.Itoa(c))), func(k, v []byte) bool {
				seqs = append(seqs, SeqFromKey(k))
				per[string(v)]++
				return true
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seqs) != appends*share || seqs[0] != 1 || seqs[len(seqs)-1] != appends*share {
				t.Errorf("counter %d: %d messages (%v..)", c, len(seqs), seqs[:min(3, len(seqs))])
			}
			for w, n := range per {
				if n != appends {
					t.Errorf("counter %d: writer %s appended %d, want %d", c, w, n, appends)
				}
			}
		}
	})

	t.Run("ConcurrentCASSameKey", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		const contenders, rounds = 32, 20
		for round := range rounds {
			key := NewKey("lock").U64(uint64(round))
			start := make(chan struct{})
			results := make([]error, contenders)
			var wg sync.WaitGroup
			for i := range contenders {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					var b Batch
					b.ExpectAbsent(key)
					b.Put(key, []byte(strconv.Itoa(i)))
					b.Put(NewKey("owner").U64(uint64(round)).U64(uint64(i)), nil)
					results[i] = s.Write(ctx, &b)
				}()
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range results {
				switch {
				case err == nil:
					if winner >= 0 {
						t.Fatalf("round %d: both %d and %d won", round, winner, i)
					}
					winner = i
				case !errors.Is(err, ErrConflict):
					t.Fatalf("round %d: contender %d: %v", round, i, err)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: nobody won", round)
			}
			if got := mustGet(t, s, string(key)); got != strconv.Itoa(winner) {
				t.Fatalf("round %d: value %s, winner %d", round, got, winner)
			}
			n := 0
			if err := s.Scan(ctx, PrefixRange(NewKey("owner").U64(uint64(round))), func(k, _ []byte) bool {
				n++
				if SeqFromKey(k) != uint64(winner) {
					t.Errorf("round %d: loser %d wrote", round, SeqFromKey(k))
				}
				return true
			}); err != nil || n != 1 {
				t.Fatalf("round %d: %d owner keys, %v", round, n, err)
			}
		}
	})

	t.Run("WriteDuringScan", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putKeys(t, s, "a", "b", "c")
		var seen []string
		err := s.Scan(ctx, Range{}, func(k, _ []byte) bool {
			seen = append(seen, string(k))
			var b Batch
			b.Put([]byte("b2"), []byte("vb2")) // not visible to this (snapshot) scan
			if err := s.Write(ctx, &b); err != nil {
				t.Error(err)
			}
			return true
		})
		if err != nil || !slices.Equal(seen, []string{"a", "b", "c"}) {
			t.Fatalf("seen %q, err %v", seen, err)
		}
		if got := scanKeys(t, s, Range{}); !slices.Equal(got, []string{"a", "b", "b2", "c"}) {
			t.Fatalf("after: %q", got)
		}
	})

	t.Run("Closed", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putKeys(t, s, "a")
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, []byte("a")); !errors.Is(err, ErrClosed) {
			t.Errorf("Get after Close: %v", err)
		}
		if err := s.Scan(ctx, Range{}, func(_, _ []byte) bool { return true }); !errors.Is(err, ErrClosed) {
			t.Errorf("Scan after Close: %v", err)
		}
		var b Batch
		b.Put([]byte("b"), []byte("vb"))
		if err := s.Write(ctx, &b); !errors.Is(err, ErrClosed) {
			t.Errorf("Write after Close: %v", err)
		}
		if err := s.Write(ctx, &Batch{}); !errors.Is(err, ErrClosed) {
			t.Errorf("empty Write after Close: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})

	t.Run("CloseWithWritersInFlight", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := 0; ; i++ {
					var b Batch
					b.Put(NewKey("w").U64(uint64(w)).U64(uint64(i)), []byte("x"))
					err := s.Write(ctx, &b)
					if errors.Is(err, ErrClosed) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		close(start)
		// Wait until some writes landed, then close under load.
		for {
			n := 0
			if err := s.Scan(ctx, Range{Limit: 100}, func(_, _ []byte) bool { n++; return true }); err != nil {
				t.Fatal(err)
			}
			if n >= 100 {
				break
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
	})

	t.Run("ValuesCopied", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		key := []byte("key")
		val := []byte("value")
		var b Batch
		b.Put(key, val)
		mustWrite(t, s, &b)
		// The caller's slices are reused after Write returned.
		copy(val, "XXXXX")
		copy(key, "kez")
		b.Ops[0].Value[0] = 'Y'
		if got := mustGet(t, s, "key"); got != "value" {
			t.Fatalf("stored value changed with the batch: %q", got)
		}
		wantAbsent(t, s, "kez")
		// The returned value is the caller's.
		v, err := s.Get(ctx, []byte("key"))
		if err != nil {
			t.Fatal(err)
		}
		copy(v, "ZZZZZ")
		if got := mustGet(t, s, "key"); got != "value" {
			t.Fatalf("stored value changed with Get's result: %q", got)
		}
		// Values copied out of Scan stay valid.
		putKeys(t, s, "s1", "s2", "s3")
		var kept []string
		if err := s.Scan(ctx, PrefixRange([]byte("s")), func(k, v []byte) bool {
			kept = append(kept, string(k)+"="+string(v))
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(kept, []string{"s1=vs1", "s2=vs2", "s3=vs3"}) {
			t.Fatalf("scan: %q", kept)
		}
	})

	t.Run("RandomModel", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// Random batches of puts, deletes and conditions over a small keyspace,
		// checked against a map, with random range scans in both directions.
		rng := rand.New(rand.NewPCG(7, uint64(len(t.Name()))))
		model := map[string]string{}
		randKey := func() string {
			return string(NewKey("r").U64(rng.Uint64N(300)))
		}
		for round := range 400 {
			var b Batch
			next := maps.Clone(model)
			ok := true
			for range 1 + rng.IntN(8) {
				k := randKey()
				switch rng.IntN(5) {
				case 0, 1:
					v := strconv.Itoa(round)
					b.Put([]byte(k), []byte(v))
					next[k] = v
				case 2:
					b.Delete([]byte(k))
					delete(next, k)
				case 3:
					b.ExpectAbsent([]byte(k))
					_, exists := model[k]
					ok = ok && !exists
				case 4:
					v, exists := model[k]
					if !exists || rng.IntN(4) == 0 {
						v = "nope"
					}
					b.ExpectValue([]byte(k), []byte(v))
					ok = ok && model[k] == v && exists
				}
			}
			err := s.Write(ctx, &b)
			switch {
			case ok && err != nil:
				t.Fatalf("round %d: %v, want nil", round, err)
			case !ok && !errors.Is(err, ErrConflict):
				t.Fatalf("round %d: %v, want ErrConflict", round, err)
			case ok:
				model = next
			}
			if round%20 != 0 {
				continue
			}
			keys := slices.Sorted(maps.Keys(model))
			for range 10 {
				lo, hi := []byte(randKey()), []byte(randKey())
				if bytes.Compare(lo, hi) > 0 {
					lo, hi = hi, lo
				}
				r := Range{Start: lo, End: hi, Reverse: rng.IntN(2) == 0, Limit: rng.IntN(20)}
				switch rng.IntN(4) {
				case 0:
					r.Start = nil
				case 1:
					r.End = nil
				}
				var want []string
				for _, k := range keys {
					if bytes.Compare([]byte(k), r.Start) >= 0 && (r.End == nil || bytes.Compare([]byte(k), r.End) < 0) {
						want = append(want, k+"="+model[k])
					}
				}
				if r.Reverse {
					slices.Reverse(want)
				}
				if r.Limit > 0 && len(want) > r.Limit {
					want = want[:r.Limit]
				}
				var got []string
				if err := s.Scan(ctx, r, func(k, v []byte) bool {
					got = append(got, string(k)+"="+string(v))
					return true
				}); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("round %d: scan %+v: got %d items, want %d", round, r, len(got), len(want))
				}
			}
			for _, k := range keys[:min(len(keys), 5)] {
				if got := mustGet(t, s, k); got != model[k] {
					t.Fatalf("round %d: Get = %q, want %q", round, got, model[k])
				}
			}
		}
	})

	t.Run("ContextCancelled", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		putKeys(t, s, "a", "b", "c", "d")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Get(cctx, []byte("a")); !errors.Is(err, context.Canceled) {
			t.Errorf("Get: %v", err)
		}
		if err := s.Scan(cctx, Range{}, func(_, _ []byte) bool { return true }); !errors.Is(err, context.Canceled) {
			t.Errorf("Scan: %v", err)
		}
		var b Batch
		b.Put([]byte("e"), []byte("ve"))
		if err := s.Write(cctx, &b); !errors.Is(err, context.Canceled) {
			t.Errorf("Write: %v", err)
		}
		wantAbsent(t, s, "e")
		// Cancelled during a scan: stops before the next item.
		for _, rev := range []bool{false, true} {
			cctx, cancel := context.WithCancel(ctx)
			n := 0
			err := s.Scan(cctx, Range{Reverse: rev}, func(_, _ []byte) bool {
				n++
				if n == 2 {
					cancel()
				}
				return true
			})
			cancel()
			if !errors.Is(err, context.Canceled) || n != 2 {
				t.Errorf("reverse=%v: cancelled scan visited %d, err %v", rev, n, err)
			}
		}
	})
}

// ---- Badger only ----

func TestBadgerReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	for _, syncWrites := range []bool{false, true} {
		s, err := OpenBadger(BadgerOptions{Dir: dir, SyncWrites: syncWrites, Logger: testLogger})
		if err != nil {
			t.Fatal(err)
		}
		base := 0
		if syncWrites {
			base = 1000
		}
		for i := 0; i < 1000; i += 100 {
			var b Batch
			for j := i; j < i+100; j++ {
				b.Put(NewKey("m").Str("conv").U64(uint64(base+j)), []byte(fmt.Sprintf("msg-%d", base+j)))
			}
			mustWrite(t, s, &b)
		}
		var b Batch
		b.Delete(NewKey("m").Str("conv").U64(uint64(base + 500)))
		if syncWrites {
			b.ExpectValue([]byte("marker"), []byte("false")) // written before the restart
		} else {
			b.ExpectAbsent([]byte("marker"))
		}
		b.Put([]byte("marker"), []byte(strconv.FormatBool(syncWrites)))
		mustWrite(t, s, &b)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}

	s, err := OpenBadger(BadgerOptions{Dir: dir, Logger: testLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := mustGet(t, s, "marker"); got != "true" {
		t.Fatalf("marker = %q", got)
	}
	for _, rev := range []bool{false, true} {
		var seqs []uint64
		r := PrefixRange(NewKey("m").Str("conv"))
		r.Reverse = rev
		err := s.Scan(ctx, r, func(k, v []byte) bool {
			seq := SeqFromKey(k)
			if string(v) != fmt.Sprintf("msg-%d", seq) {
				t.Errorf("seq %d: value %q", seq, v)
			}
			seqs = append(seqs, seq)
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []uint64
		for i := uint64(0); i < 2000; i++ {
			if i != 500 && i != 1500 {
				want = append(want, i)
			}
		}
		if rev {
			slices.Reverse(want)
		}
		if !slices.Equal(seqs, want) {
			t.Fatalf("reverse=%v: %d keys after reopen, want %d", rev, len(seqs), len(want))
		}
	}
	// A page from the middle, newest first, End exact.
	var page []uint64
	err = s.Scan(ctx, Range{
		Start:   NewKey("m").Str("conv").U64(0),
		End:     NewKey("m").Str("conv").U64(1502),
		Reverse: true,
		Limit:   3,
	}, func(k, _ []byte) bool { page = append(page, SeqFromKey(k)); return true })
	if err != nil || !slices.Equal(page, []uint64{1501, 1499, 1498}) {
		t.Fatalf("page %v, %v", page, err)
	}
}

func TestOpenBadgerNeedsDir(t *testing.T) {
	if _, err := OpenBadger(BadgerOptions{}); err == nil {
		t.Fatal("OpenBadger without Dir succeeded")
	}
}

// TestBadgerGroupCommit drives the committer's group logic directly: conditions see
// the earlier batches of the same transaction, and batches that overflow a Badger
// transaction are split over several without losing atomicity.
func TestBadgerGroupCommit(t *testing.T) {
	t.Parallel()
	s, err := openBadger(BadgerOptions{InMemory: true, Logger: testLogger}, badgerTuning{groupBytes: maxGroupBytes})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	run := func(batches ...*Batch) []error {
		group := make([]*writeReq, len(batches))
		for i, b := range batches {
			group[i] = &writeReq{ctx: ctx, b: b, size: batchSize(b), done: make(chan error, 1)}
		}
		s.commitGroup(group)
		errs := make([]error, len(group))
		for i, r := range group {
			select {
			case errs[i] = <-r.done:
			default:
				t.Fatalf("request %d not answered", i)
			}
		}
		return errs
	}
	batch := func(f func(b *Batch)) *Batch { b := &Batch{}; f(b); return b }

	k := []byte("k")
	errs := run(
		batch(func(b *Batch) { b.ExpectAbsent(k); b.Put(k, []byte("1")) }),
		batch(func(b *Batch) { b.ExpectAbsent(k); b.Put(k, []byte("2")); b.Put([]byte("lost"), nil) }),
		batch(func(b *Batch) { b.ExpectValue(k, []byte("1")); b.Put(k, []byte("3")) }),
		batch(func(b *Batch) { b.ExpectValue(k, []byte("1")); b.Put(k, []byte("4")) }),
		batch(func(b *Batch) { b.Delete(k) }),
		batch(func(b *Batch) { b.ExpectAbsent(k); b.Put(k, []byte("5")) }),
	)
	want := []error{nil, ErrConflict, nil, ErrConflict, nil, nil}
	for i := range want {
		if !errors.Is(errs[i], want[i]) || (want[i] == nil && errs[i] != nil) {
			t.Errorf("batch %d: %v, want %v", i, errs[i], want[i])
		}
	}
	if got := mustGet(t, s, "k"); got != "5" {
		t.Fatalf("k = %q", got)
	}
	wantAbsent(t, s, "lost")

	// Overflowing transactions: batches of ~600 KiB, 20 of them, with Badger's
	// transaction limit at ~2.4 MiB. Every batch also CASes a counter, which only
	// works if the split preserved the order and the conditions' view.
	big := make([]byte, 100<<10)
	ctr := []byte("ctr")
	var batches []*Batch
	for i := range 20 {
		b := &Batch{}
		if i == 0 {
			b.ExpectAbsent(ctr)
		} else {
			b.ExpectValue(ctr, []byte(strconv.Itoa(i-1)))
		}
		b.Put(ctr, []byte(strconv.Itoa(i)))
		for j := range 6 {
			b.Put(NewKey("big").U64(uint64(i)).U64(uint64(j)), big)
		}
		batches = append(batches, b)
		if i == 7 { // and a conflicting one in the middle
			c := &Batch{}
			c.ExpectAbsent(ctr)
			c.Put([]byte("lost2"), nil)
			batches = append(batches, c)
		}
	}
	// And one batch that can never fit.
	huge := &Batch{}
	for j := range 40 {
		huge.Put(NewKey("huge").U64(uint64(j)), big)
	}
	batches = append(batches[:12], append([]*Batch{huge}, batches[12:]...)...)
	errs = run(batches...)
	for i, err := range errs {
		switch {
		case batches[i] == huge:
			if !errors.Is(err, badger.ErrTxnTooBig) {
				t.Errorf("huge batch: %v", err)
			}
		case len(batches[i].Conds) == 1 && batches[i].Conds[0].Kind == CondAbsent && i > 0:
			if !errors.Is(err, ErrConflict) {
				t.Errorf("batch %d: %v, want ErrConflict", i, err)
			}
		default:
			if err != nil {
				t.Errorf("batch %d: %v", i, err)
			}
		}
	}
	if got := mustGet(t, s, "ctr"); got != "19" {
		t.Fatalf("ctr = %q", got)
	}
	wantAbsent(t, s, "lost2")
	n := 0
	if err := s.Scan(ctx, PrefixRange(NewKey("big")), func(_, v []byte) bool {
		n++
		if len(v) != len(big) {
			t.Errorf("value of %d bytes", len(v))
		}
		return true
	}); err != nil || n != 120 {
		t.Fatalf("%d big values, %v", n, err)
	}
	if err := s.Scan(ctx, PrefixRange(NewKey("huge")), func(_, _ []byte) bool { n = -1; return false }); err != nil || n == -1 {
		t.Fatalf("part of the huge batch was written (%v)", err)
	}

	// A cancelled request in a group is dropped without effect.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	b := &Batch{}
	b.Put([]byte("cancelled"), nil)
	r := &writeReq{ctx: cctx, b: b, size: batchSize(b), done: make(chan error, 1)}
	s.commitGroup([]*writeReq{r})
	if err := <-r.done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled request: %v", err)
	}
	wantAbsent(t, s, "cancelled")
}

func TestCommonPrefix(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"abc", "abd", "ab"}, {"", "b", ""}, {"a", "b", ""}, {"p/", "p0", "p"}, {"ab", "abc", "ab"},
	} {
		if got := commonPrefix([]byte(c.a), []byte(c.b)); !bytes.Equal(got, []byte(c.want)) {
			t.Errorf("commonPrefix(%q, %q) = %q", c.a, c.b, got)
		}
	}
	if commonPrefix([]byte("a"), nil) != nil {
		t.Error("commonPrefix with nil end")
	}
}

// TestBadgerValueLogGC runs the value-log GC loop often while values are being
// overwritten, and checks that Close stops it.
func TestBadgerValueLogGC(t *testing.T) {
	t.Parallel()
	s, err := openBadger(BadgerOptions{Dir: t.TempDir(), Logger: testLogger},
		badgerTuning{groupBytes: maxGroupBytes, gcInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	val := make([]byte, 4<<10)
	for round := range 50 {
		var b Batch
		for k := range 50 {
			val[0] = byte(round)
			b.Put(NewKey("gc").U64(uint64(k)), bytes.Clone(val))
		}
		mustWrite(t, s, &b)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBadgerLogger: Badger's warnings and errors reach slog, its chatter does not.
func TestBadgerLogger(t *testing.T) {
	var buf bytes.Buffer
	l := badgerLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	l.Infof("info %d\n", 1)
	l.Debugf("debug %d\n", 2)
	l.Warningf("warn %d\n", 3)
	l.Errorf("error %d\n", 4)
	out := buf.String()
	if strings.Contains(out, "info") || strings.Contains(out, "debug") ||
		!strings.Contains(out, `level=WARN msg="warn 3"`) || !strings.Contains(out, `level=ERROR msg="error 4"`) {
		t.Fatalf("log output:\n%s", out)
	}
	buf.Reset()
	quiet := badgerLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError}))}
	quiet.Warningf("warn")
	if buf.Len() != 0 {
		t.Fatalf("warning logged at level ERROR: %s", buf.String())
	}
}

// TestBadgerConditionCache runs random conditional batches, in random groups, through a
// committer whose cache of compared values is tiny (so entries are evicted all the time)
// and checks every outcome and the final state against a plain model: the cache may
// only make conditions cheaper, never decide them differently.
func TestBadgerConditionCache(t *testing.T) {
	t.Parallel()
	for _, bound := range []int{0, 300, 1 << 20} {
		s, err := openBadger(BadgerOptions{InMemory: true, Logger: testLogger}, badgerTuning{groupBytes: maxGroupBytes})
		if err != nil {
			t.Fatal(err)
		}
		s.conds = newCondCache(bound)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(uint64(bound), 7))
		model := map[string]string{}
		keys := []string{"a", "b", "c", "d", "e", "f"}
		value := func() string { return strconv.Itoa(rng.IntN(4)) }
		for round := range 400 {
			var group []*writeReq
			var want []bool // whether each batch should apply
			for range 1 + rng.IntN(8) {
				b := &Batch{}
				k := keys[rng.IntN(len(keys))]
				cur, present := model[k]
				switch rng.IntN(3) {
				case 0:
					b.ExpectAbsent([]byte(k))
				case 1:
					v := value()
					if present && rng.IntN(2) == 0 {
						v = cur // usually right, sometimes stale
					}
					b.ExpectValue([]byte(k), []byte(v))
				}
				ok := true
				for _, c := range b.Conds {
					if c.Kind == CondAbsent {
						ok = !present
					} else {
						ok = present && cur == string(c.Value)
					}
				}
				for range 1 + rng.IntN(3) {
					k2 := keys[rng.IntN(len(keys))]
					if rng.IntN(4) == 0 {
						b.Delete([]byte(k2))
						if ok {
							delete(model, k2)
						}
					} else {
						v := value() + strconv.Itoa(round)
						b.Put([]byte(k2), []byte(v))
						if ok {
							model[k2] = v
						}
					}
				}
				group = append(group, &writeReq{ctx: ctx, b: b, size: batchSize(b), done: make(chan error, 1)})
				want = append(want, ok)
			}
			s.commitGroup(group)
			for i, r := range group {
				err := <-r.done
				if want[i] && err != nil || !want[i] && !errors.Is(err, ErrConflict) {
					t.Fatalf("cache bound %d, round %d, batch %d: %v, want applied=%v", bound, round, i, err, want[i])
				}
			}
		}
		for _, k := range keys {
			if v, ok := model[k]; ok {
				if got := mustGet(t, s, k); got != v {
					t.Fatalf("cache bound %d: %s = %q, want %q", bound, k, got, v)
				}
			} else {
				wantAbsent(t, s, k)
			}
		}
		if bound > 0 && s.conds.bytes > bound {
			t.Fatalf("cache holds %d bytes over its bound %d", s.conds.bytes, bound)
		}
		s.Close()
	}
}
