package persistence

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/persistence/pgtest"
)

// benchBackend opens a store in dir (ignored by in-memory backends); the store is
// closed when the benchmark ends unless the caller closed it first.
type benchBackend struct {
	name   string
	onDisk bool
	open   func(b *testing.B, dir string) Store
}

var benchBackends = []benchBackend{
	{"badger-disk", true, func(b *testing.B, dir string) Store {
		s, err := OpenBadger(BadgerOptions{Dir: dir, Logger: testLogger})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s
	}},
	{"memory", false, func(b *testing.B, _ string) Store {
		s := NewMemory()
		b.Cleanup(func() { _ = s.Close() })
		return s
	}},
	{"postgres", true, openPostgresBench},
}

// pgBenchDSNs maps a benchmark's dir to its database, so that a reopen (onDisk)
// finds the data again.
var (
	pgBenchDSNs   sync.Map
	pgBenchLogged sync.Once
)

// openPostgresBench opens a store on a database of the shared fsync=on test server
// (or PARLEY_POSTGRES_DSN's server) and logs the server's durability settings once.
func openPostgresBench(b *testing.B, dir string) Store {
	dsn, ok := pgBenchDSNs.Load(dir)
	if !ok {
		dsn = pgtest.StartWith(b, pgtest.Options{Fsync: true})
		pgBenchDSNs.Store(dir, dsn)
	}
	ctx := context.Background()
	s, err := OpenPostgres(ctx, PostgresOptions{DSN: dsn.(string), Logger: testLogger})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	pgBenchLogged.Do(func() {
		var fsync, syncCommit, version string
		err := s.(*pgStore).pool.QueryRow(ctx, `SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('server_version')`).
			Scan(&fsync, &syncCommit, &version)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("postgres %s: fsync=%s synchronous_commit=%s, %d pooled connections", version, fsync, syncCommit, pgDefaultMaxConns)
	})
	return s
}

const benchWriters = 100

// BenchmarkAppend200B appends 200-byte messages, one Write per message, from 100
// concurrent goroutines (so that group commit can batch them). "put" is a plain
// append; "cas" also makes each append conditional on its key being absent, as an
// actor appending a sequence number does.
func BenchmarkAppend200B(b *testing.B) {
	for _, be := range benchBackends {
		for _, mode := range []string{"put", "cas"} {
			b.Run(be.name+"/"+mode, func(b *testing.B) {
				s := be.open(b, b.TempDir())
				val := make([]byte, 200)
				for i := range val {
					val[i] = byte('a' + i%26)
				}
				var seq atomic.Uint64
				b.ReportAllocs()
				b.SetParallelism(max(1, benchWriters/runtime.GOMAXPROCS(0)))
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					ctx := context.Background()
					for pb.Next() {
						key := NewKey("m").Str("conv").U64(seq.Add(1))
						var batch Batch
						if mode == "cas" {
							batch.ExpectAbsent(key)
						}
						batch.Put(key, val)
						if err := s.Write(ctx, &batch); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}

// BenchmarkAppendBatch100 appends 100 messages of 200 bytes in one Write.
func BenchmarkAppendBatch100(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b, b.TempDir())
			ctx := context.Background()
			val := make([]byte, 200)
			base := NewKey("m").Str("conv")
			var seq uint64
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				var batch Batch
				batch.Ops = make([]Op, 0, 100)
				for range 100 {
					seq++
					batch.Put(base.U64(seq), val)
				}
				if err := s.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*100/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkRangeRead100 reads pages of 100 consecutive messages (newest first, as a
// client scrolling back, and oldest first) at random positions of a conversation
// of 100k stored messages. The Badger store is reopened after the load so that the
// messages are read from its SSTables, as after a restart.
func BenchmarkRangeRead100(b *testing.B) {
	const stored, page = 100_000, 100
	conv := NewKey("m").Str("conv")
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			s := be.open(b, dir)
			val := make([]byte, 200)
			for i := 0; i < stored; i += 1000 {
				var batch Batch
				for j := i; j < i+1000; j++ {
					batch.Put(conv.U64(uint64(j)), val)
				}
				// Neighbours on both sides of the conversation.
				batch.Put(NewKey("m").Str("conu").U64(uint64(i)), val)
				batch.Put(NewKey("m").Str("conw").U64(uint64(i)), val)
				if err := s.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
			}
			if be.onDisk {
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				s = be.open(b, dir)
			}
			convEnd := PrefixEnd(conv)
			for _, reverse := range []bool{true, false} {
				name := "forward"
				if reverse {
					name = "reverse"
				}
				b.Run(name, func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 2))
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						from := rng.Uint64N(stored - page)
						r := Range{Start: conv.U64(from), End: convEnd, Limit: page}
						if reverse {
							// The page before message from+page, newest first.
							r = Range{Start: conv, End: conv.U64(from + page), Reverse: true, Limit: page}
						}
						n, want := 0, from
						if reverse {
							want = from + page - 1
						}
						err := s.Scan(ctx, r, func(k, v []byte) bool {
							if SeqFromKey(k) != want || len(v) != len(val) {
								b.Fatalf("got seq %d (%d bytes), want %d", SeqFromKey(k), len(v), want)
							}
							if reverse {
								want--
							} else {
								want++
							}
							n++
							return true
						})
						if err != nil || n != page {
							b.Fatalf("scan: %d items, %v", n, err)
						}
					}
				})
			}
		})
	}
}
