package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parley-chat/parley/persistence/pgtest"
)

func TestMain(m *testing.M) {
	if ok, reason := pgtest.Available(); !ok && os.Getenv("CI") != "true" {
		// Shown by go test -v (and by make test, which prints it itself).
		fmt.Println("SKIPPED: Postgres store tests: " + reason)
	}
	code := m.Run()
	pgtest.Shutdown()
	os.Exit(code)
}

// openPostgresTB opens a store on a fresh database of the shared test server.
func openPostgresTB(tb testing.TB) Store {
	s, err := OpenPostgres(context.Background(), PostgresOptions{
		DSN: pgtest.Start(tb), Logger: testLogger, MaxConns: 8,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() }) // runs before the database is dropped
	return s
}

func TestPostgres(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	runConformance(t, func(t *testing.T) Store { return openPostgresTB(t) })
}

func TestPostgresOpenUnreachable(t *testing.T) {
	t.Parallel()
	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	for _, dsn := range []string{
		fmt.Sprintf("postgres://alice:s3cretpw@127.0.0.1:%d/chat?sslmode=disable", port),
		fmt.Sprintf("host=127.0.0.1 port=%d user=alice password=s3cretpw dbname=chat sslmode=disable", port),
	} {
		s, err := OpenPostgres(context.Background(), PostgresOptions{DSN: dsn, ConnectTimeout: 5 * time.Second})
		if err == nil {
			_ = s.Close()
			t.Fatalf("%s: opened", dsn)
		}
		msg := err.Error()
		t.Log(msg)
		for _, want := range []string{fmt.Sprintf("127.0.0.1:%d", port), "is PostgreSQL running?", "PARLEY_POSTGRES_DSN", "--postgres-dsn", `"chat"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not mention %q", msg, want)
			}
		}
		if strings.Contains(msg, "s3cretpw") {
			t.Errorf("error %q shows the password", msg)
		}
	}
	if _, err := OpenPostgres(context.Background(), PostgresOptions{}); err == nil || !strings.Contains(err.Error(), "PARLEY_POSTGRES_DSN") {
		t.Errorf("empty DSN: %v", err)
	}
	_, err = OpenPostgres(context.Background(), PostgresOptions{DSN: "postgres://alice:s3cretpw@127.0.0.1:notaport/x"})
	if err == nil || strings.Contains(err.Error(), "s3cretpw") {
		t.Errorf("bad DSN: %v", err)
	}
}

// TestPostgresOutage stops the server under the store: calls fail (never a false
// success) and the store recovers once the server is back.
func TestPostgresOutage(t *testing.T) {
	t.Parallel()
	srv := pgtest.NewServer(t)
	ctx := context.Background()
	st, err := OpenPostgres(ctx, PostgresOptions{DSN: srv.DSN(), Logger: testLogger, MaxConns: 4, ConnectTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	putKeys(t, st, "before")

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	var b Batch
	b.ExpectAbsent([]byte("during"))
	b.Put([]byte("during"), []byte("vduring"))
	if err := st.Write(ctx, &b); err == nil || errors.Is(err, ErrConflict) {
		t.Fatalf("Write with the server down: %v, want an error", err)
	} else {
		t.Logf("Write with the server down: %v", err)
	}
	if _, err := st.Get(ctx, []byte("before")); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Get with the server down: %v", err)
	}
	if err := st.Scan(ctx, Range{}, func(_, _ []byte) bool { return true }); err == nil {
		t.Fatal("Scan with the server down succeeded")
	}

	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := st.Write(ctx, &b)
		if err == nil {
			break
		}
		if errors.Is(err, ErrConflict) {
			t.Fatal("the failed Write was applied")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no successful Write 30s after the server came back: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // poll interval of a deadline-bounded wait
	}
	if got := scanKeys(t, st, Range{}); !slices.Equal(got, []string{"before", "during"}) {
		t.Fatalf("after recovery: %q", got)
	}
}

func TestPostgresMigrate(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	dsn := pgtest.Start(t)
	ctx := context.Background()
	// Concurrent first opens of one database: one migrates, all work.
	var wg sync.WaitGroup
	stores := make([]Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenPostgres(ctx, PostgresOptions{DSN: dsn, Logger: testLogger, MaxConns: 2})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
	}
	putKeys(t, stores[0], "k")
	for _, s := range stores {
		if got := mustGet(t, s, "k"); got != "vk" {
			t.Fatalf("k = %q", got)
		}
		_ = s.Close()
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, version int
	if err := conn.QueryRow(ctx, `SELECT count(*), max(version) FROM parley_schema`).Scan(&n, &version); err != nil {
		t.Fatal(err)
	}
	if n != 1 || version != pgSchemaVersion {
		t.Fatalf("parley_schema: %d rows, version %d", n, version)
	}
	// A database migrated by a newer parley is refused.
	if _, err := conn.Exec(ctx, `UPDATE parley_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	if s, err := OpenPostgres(ctx, PostgresOptions{DSN: dsn, Logger: testLogger}); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			_ = s.Close()
		}
		t.Fatalf("open of a newer schema: %v", err)
	}
}

// TestPostgresBytewiseOrder checks that bytea keys sort bytewise, as in every
// backend (random binary keys, including 0x00 and 0xff bytes and prefixes).
func TestPostgresBytewiseOrder(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	s := openPostgresTB(t)
	rng := rand.New(rand.NewPCG(3, 4))
	set := map[string]bool{}
	var b Batch
	for len(set) < 500 {
		k := make([]byte, 1+rng.IntN(6))
		for i := range k {
			k[i] = []byte{0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 'a'}[rng.IntN(7)]
		}
		if set[string(k)] {
			continue
		}
		set[string(k)] = true
		b.Put(k, append([]byte("v"), k...))
	}
	mustWrite(t, s, &b)
	want := make([]string, 0, len(set))
	for k := range set {
		want = append(want, k)
	}
	slices.SortFunc(want, func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) })
	if got := scanKeys(t, s, Range{}); !slices.Equal(got, want) {
		t.Fatalf("scan order differs from bytewise order")
	}
	if got := scanKeys(t, s, Range{Reverse: true}); !slices.Equal(got, reversed(want)) {
		t.Fatalf("reverse scan order differs from bytewise order")
	}
}

// TestPostgresLongScan covers scans longer than one page (read in one snapshot).
func TestPostgresLongScan(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	s := openPostgresTB(t)
	ctx := context.Background()
	const n = 3*pgScanPage + 17
	var b Batch
	var all []string
	for i := range n {
		k := string(NewKey("l").U64(uint64(i)))
		all = append(all, k)
		b.Put([]byte(k), []byte("v"+k))
	}
	putKeys(t, s, "a", "z") // neighbours
	mustWrite(t, s, &b)
	r := PrefixRange(NewKey("l"))
	for _, limit := range []int{0, pgScanPage, pgScanPage + 1, 2 * pgScanPage, 2*pgScanPage + 5, n, n + 10} {
		want := all
		if limit > 0 && limit < n {
			want = all[:limit]
		}
		r.Limit, r.Reverse = limit, false
		if got := scanKeys(t, s, r); !slices.Equal(got, want) {
			t.Errorf("forward limit %d: %d keys, want %d", limit, len(got), len(want))
		}
		want = reversed(all)
		if limit > 0 && limit < n {
			want = want[:limit]
		}
		r.Reverse = true
		if got := scanKeys(t, s, r); !slices.Equal(got, want) {
			t.Errorf("reverse limit %d: %d keys, want %d", limit, len(got), len(want))
		}
	}
	// Unbounded: every key, in one snapshot although writes land during the scan.
	for _, rev := range []bool{false, true} {
		seen := 0
		err := s.Scan(ctx, Range{Reverse: rev}, func(k, v []byte) bool {
			if seen%100 == 0 {
				var w Batch
				w.Put([]byte("m"+strconv.Itoa(seen)), []byte("x"))
				w.Delete([]byte("z"))
				w.Delete([]byte("a"))
				if err := s.Write(ctx, &w); err != nil {
					t.Error(err)
				}
			}
			seen++
			return true
		})
		if err != nil || seen != n+2 {
			t.Fatalf("reverse=%v: saw %d keys (want %d, the snapshot at the start), %v", rev, seen, n+2, err)
		}
		putKeys(t, s, "a", "z")
		var d Batch
		for i := 0; i < n+2; i += 100 {
			d.Delete([]byte("m" + strconv.Itoa(i)))
		}
		mustWrite(t, s, &d)
	}
	// fn stopping early in a later page.
	seen := 0
	if err := s.Scan(ctx, r, func(_, _ []byte) bool { seen++; return seen < pgScanPage+3 }); err != nil || seen != pgScanPage+3 {
		t.Fatalf("early stop: %d, %v", seen, err)
	}
}

func TestPostgresKeyLimits(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	s := openPostgresTB(t)
	ctx := context.Background()
	long := bytes.Repeat([]byte{0xab}, pgMaxKeySize+1)
	var b Batch
	b.Put([]byte("ok"), []byte("x"))
	b.Put(long, []byte("x"))
	if err := s.Write(ctx, &b); err == nil || errors.Is(err, ErrConflict) {
		t.Fatalf("long key: %v", err)
	}
	wantAbsent(t, s, "ok")
	if _, err := s.Get(ctx, long); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(long key): %v", err)
	}
	// The largest key works, compares and scans.
	max := bytes.Repeat([]byte{0xcd}, pgMaxKeySize)
	b = Batch{}
	b.ExpectAbsent(max)
	b.Put(max, []byte("big"))
	mustWrite(t, s, &b)
	b = Batch{}
	b.ExpectValue(max, []byte("big"))
	b.ExpectAbsent(long) // can never exist
	b.Put(max, []byte("bigger"))
	mustWrite(t, s, &b)
	b = Batch{}
	b.ExpectValue(long, nil) // can never hold
	b.Put([]byte("ok"), nil)
	if err := s.Write(ctx, &b); !errors.Is(err, ErrConflict) {
		t.Fatalf("equals on an impossible key: %v", err)
	}
	if v, err := s.Get(ctx, max); err != nil || string(v) != "bigger" {
		t.Fatalf("Get(max key) = %q, %v", v, err)
	}
}

// TestPostgresConcurrentCASBigBatches is ConcurrentCASSameKey with batches of more
// than 64 keys, which parley_write locks with the global lock instead of per key.
func TestPostgresConcurrentCASBigBatches(t *testing.T) {
	pgtest.Require(t)
	t.Parallel()
	s := openPostgresTB(t)
	ctx := context.Background()
	const contenders = 8
	for round := range 5 {
		key := NewKey("lock").U64(uint64(round))
		start := make(chan struct{})
		results := make([]error, contenders)
		var wg sync.WaitGroup
		for i := range contenders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var b Batch
				b.ExpectAbsent(key)
				b.Put(key, []byte(strconv.Itoa(i)))
				// Small and big batches mixed: odd contenders write 100 keys.
				for j := range 1 + (i%2)*99 {
					b.Put(NewKey("owner").U64(uint64(round)).U64(uint64(i)).U64(uint64(j)), nil)
				}
				<-start
				results[i] = s.Write(ctx, &b)
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range results {
			switch {
			case err == nil:
				winners++
			case !errors.Is(err, ErrConflict):
				t.Fatalf("round %d: contender %d: %v", round, i, err)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d winners", round, winners)
		}
	}
}
