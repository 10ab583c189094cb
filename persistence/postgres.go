package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgresOptions configures OpenPostgres.
type PostgresOptions struct {
	// DSN is a libpq connection string, as a URL (postgres://user@host:5432/db) or as
	// keyword=value pairs (host=... dbname=...). Required.
	DSN string
	// Logger receives the store's warnings. nil means slog.Default().
	Logger *slog.Logger
	// MaxConns bounds the connection pool. 0 means 16.
	MaxConns int
	// ConnectTimeout bounds the connection check made at open (and each new
	// connection's dial). 0 means 10 seconds.
	ConnectTimeout time.Duration
}

// Tuning of the Postgres backend.
const (
	pgDefaultMaxConns       = 16
	pgDefaultConnectTimeout = 10 * time.Second
	// pgMaxKeySize is the largest key the Postgres backend accepts: a B-tree index
	// entry must fit in a third of a page (2704 bytes), so Badger's 65000 bytes are
	// out of reach. parley's keys are a few dozen bytes.
	pgMaxKeySize = 2048
	// pgScanPage is how many rows a Scan reads per query. A scan that fits in one
	// page (most: parley reads pages of 100 messages) costs one query and holds no
	// connection while fn runs.
	pgScanPage = 512
	// pgSchemaVersion is the schema version this code migrates to.
	pgSchemaVersion = 1
	// pgMigrateLock is the advisory lock that serialises concurrent migrations.
	pgMigrateLock = 0x70617231 // "par1"
)

// pgMigrations[i] migrates the schema from version i to version i+1.
//
// Version 1: the kv table and parley_write, the function applying one conditional
// batch atomically (see docs/DEVELOPING.md, "Postgres store"):
//
//  1. it locks every key of the batch (conditions and ops) with transaction-scoped
//     advisory locks on a 64-bit hash of the key, in ascending hash order, so that two
//     batches sharing a key run one after the other and never deadlock. Every batch
//     first takes a shared lock on a global lock; a batch of more than 64 distinct
//     keys takes that global lock exclusively instead of its per-key locks (so a huge
//     batch cannot exhaust the server's lock table: it excludes every other writer).
//  2. Once locked, it checks the conditions (under READ COMMITTED, each statement of
//     a VOLATILE function sees every transaction committed before it started, so the
//     check sees the last committed value of each locked key) and returns false at
//     the first one that does not hold: nothing was written.
//  3. It applies the last op of each key (a batch's later ops win) and returns true.
//
// Plain writes take the locks too: a CAS must not interleave with a Put of its key.
var pgMigrations = []string{
	`CREATE TABLE kv (
		k bytea PRIMARY KEY,
		v bytea NOT NULL
	);
	CREATE FUNCTION parley_write(ck int2[], ckey bytea[], cval bytea[], ok int2[], okey bytea[], oval bytea[])
	RETURNS boolean LANGUAGE plpgsql VOLATILE AS $fn$
	DECLARE
		hs int8[];
		h int8;
	BEGIN
		SELECT array_agg(x ORDER BY x) INTO hs
		FROM (SELECT DISTINCT hashtextextended(encode(u.k, 'hex'), 0) AS x
		      FROM unnest(ckey || okey) AS u(k)) AS d;
		IF coalesce(cardinality(hs), 0) > 64 THEN
			PERFORM pg_advisory_xact_lock(1885434417, 0);
		ELSE
			PERFORM pg_advisory_xact_lock_shared(1885434417, 0);
			IF hs IS NOT NULL THEN
				FOREACH h IN ARRAY hs LOOP
					PERFORM pg_advisory_xact_lock(h);
				END LOOP;
			END IF;
		END IF;

		IF EXISTS (
			SELECT 1
			FROM unnest(ck, ckey, cval) AS c(kind, k, v)
			LEFT JOIN kv ON kv.k = c.k
			WHERE CASE c.kind
				WHEN 1 THEN kv.k IS NOT NULL
				ELSE kv.k IS NULL OR kv.v <> coalesce(c.v, ''::bytea)
			END
		) THEN
			RETURN false;
		END IF;

		IF coalesce(cardinality(okey), 0) > 0 THEN
			WITH last AS (
				SELECT DISTINCT ON (o.k) o.kind, o.k, o.v
				FROM unnest(ok, okey, oval) WITH ORDINALITY AS o(kind, k, v, i)
				ORDER BY o.k, o.i DESC
			), del AS (
				DELETE FROM kv USING last WHERE last.kind = 2 AND kv.k = last.k
			)
			INSERT INTO kv (k, v)
			SELECT last.k, coalesce(last.v, ''::bytea) FROM last WHERE last.kind = 1
			ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
		END IF;
		RETURN true;
	END
	$fn$;`,
}

// The statements of the store. Scans have one statement per direction and bound so
// that each is a plain index range scan (an "End IS NULL OR k < End" filter would
// make a generic plan read past End).
const (
	pgGetSQL          = `SELECT v FROM kv WHERE k = $1`
	pgWriteSQL        = `SELECT parley_write($1, $2, $3, $4, $5, $6)`
	pgScanFwdSQL      = `SELECT k, v FROM kv WHERE k >= $1 AND k < $2 ORDER BY k LIMIT $3`
	pgScanFwdOpenSQL  = `SELECT k, v FROM kv WHERE k >= $1 ORDER BY k LIMIT $2`
	pgScanRevSQL      = `SELECT k, v FROM kv WHERE k >= $1 AND k < $2 ORDER BY k DESC LIMIT $3`
	pgScanRevOpenSQL  = `SELECT k, v FROM kv WHERE k >= $1 ORDER BY k DESC LIMIT $2`
	pgCurrentVersion  = `SELECT coalesce(max(version), 0) FROM parley_schema`
	pgCreateSchemaSQL = `CREATE TABLE IF NOT EXISTS parley_schema (version int NOT NULL)`
)

// pgStore is the PostgreSQL backend: one kv table, reads as plain queries, each
// Write one call of the parley_write function (one round trip, one transaction).
type pgStore struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	// Close waits for the calls in flight before closing the pool.
	callGate
	closeOnce sync.Once
}

var _ Store = (*pgStore)(nil)

// OpenPostgres connects to PostgreSQL, creates or migrates the schema (table kv and
// function parley_write, versioned in table parley_schema) and returns a Store.
//
// Every Write is one round trip: a call of parley_write, which locks the batch's
// keys, checks its conditions and applies its ops in one transaction; it returns
// once the transaction committed (durable as the server's synchronous_commit
// setting says). Get and Scan read committed data; a Scan of at most 512 keys (or
// with a Limit of at most 512) reads one consistent snapshot with one query and
// holds no connection while fn runs; a longer Scan reads pages of 512 keys inside
// one read-only REPEATABLE READ transaction (still one snapshot), holding one
// pooled connection until it returns.
//
// Keys are at most 2048 bytes (Postgres B-tree limit) and must not start with
// "!badger!" (as with every backend). When the server goes away, calls fail with
// an error (a Write whose outcome is unknown never reports success) and the pool
// reconnects by itself once the server is back. Close waits for the calls in flight,
// including a running Scan, so fn of a Scan must not call Close.
func OpenPostgres(ctx context.Context, opts PostgresOptions) (Store, error) {
	return openPostgres(ctx, opts)
}

func openPostgres(ctx context.Context, opts PostgresOptions) (*pgStore, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "postgres")
	if opts.DSN == "" {
		return nil, errors.New("persistence: no PostgreSQL DSN: set --postgres-dsn / PARLEY_POSTGRES_DSN")
	}
	cfg, err := pgxpool.ParseConfig(opts.DSN)
	if err != nil {
		// pgx redacts the password of a DSN it cannot parse; do not repeat the DSN.
		return nil, fmt.Errorf("persistence: invalid PostgreSQL DSN: %w", err)
	}
	timeout := opts.ConnectTimeout
	if timeout <= 0 {
		timeout = pgDefaultConnectTimeout
	}
	if cfg.ConnConfig.ConnectTimeout <= 0 || cfg.ConnConfig.ConnectTimeout > timeout {
		cfg.ConnConfig.ConnectTimeout = timeout
	}
	// Every statement of the store reads kv by key: never a sequential scan. Plans are
	// cached per connection (pgx's prepared statements, parley_write's PL/pgSQL), and a
	// plan made while the table was small chose sequential scans that got slower as it
	// grew (a 1:1 load on one node fell from 12k to 4k msgs/s within ten seconds).
	cfg.ConnConfig.RuntimeParams["enable_seqscan"] = "off"
	cfg.MaxConns = int32(opts.MaxConns)
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = pgDefaultMaxConns
	}
	where := pgWhere(cfg)
	password := cfg.ConnConfig.Password
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("persistence: PostgreSQL at %s: %s", where, redact(err, password))
	}
	s := &pgStore{pool: pool, log: log}
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := pool.Ping(octx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("persistence: cannot reach PostgreSQL at %s: %s (is PostgreSQL running? set --postgres-dsn / PARLEY_POSTGRES_DSN)",
			where, redact(err, password))
	}
	if err := s.migrate(octx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("persistence: PostgreSQL at %s: %s", where, redact(err, password))
	}
	return s, nil
}

// pgWhere names the server and database of cfg for error messages (never the
// password).
func pgWhere(cfg *pgxpool.Config) string {
	cc := cfg.ConnConfig
	host := cc.Host
	if strings.HasPrefix(host, "/") {
		host = "unix socket " + host + "/.s.PGSQL." + strconv.Itoa(int(cc.Port))
	} else {
		host = net.JoinHostPort(host, strconv.Itoa(int(cc.Port)))
	}
	return fmt.Sprintf("%s (database %q, user %q)", host, cc.Database, cc.User)
}

// redact renders err without password (drivers do not print it, but be sure).
func redact(err error, password string) string {
	msg := err.Error()
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "********")
	}
	return msg
}

// migrate brings the schema to pgSchemaVersion in one transaction, serialised with
// other parley processes migrating the same database.
func (s *pgStore) migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgMigrateLock)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, pgCreateSchemaSQL); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var version int
	if err := tx.QueryRow(ctx, pgCurrentVersion).Scan(&version); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if version > pgSchemaVersion {
		return fmt.Errorf("schema version %d is newer than this parley's (%d): upgrade parley", version, pgSchemaVersion)
	}
	if version == pgSchemaVersion {
		return nil // nothing to commit
	}
	for v := version; v < pgSchemaVersion; v++ {
		if _, err := tx.Exec(ctx, pgMigrations[v]); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM parley_schema`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO parley_schema (version) VALUES ($1)`, pgSchemaVersion); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	s.log.Info("schema migrated", "from", version, "to", pgSchemaVersion)
	return nil
}

// validatePgKey adds the Postgres backend's key size bound to validateKey.
func validatePgKey(k []byte) error {
	if err := validateKey(k); err != nil {
		return err
	}
	if len(k) > pgMaxKeySize {
		return fmt.Errorf("key of %d bytes exceeds %d (Postgres backend)", len(k), pgMaxKeySize)
	}
	return nil
}

func (s *pgStore) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	defer s.leave()
	if validatePgKey(key) != nil {
		return nil, ErrNotFound // such a key can never have been written
	}
	var v []byte
	err := s.pool.QueryRow(ctx, pgGetSQL, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, s.callErr(ctx, "get", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// callErr wraps err of a call; a cancelled or expired ctx is returned as is.
func (s *pgStore) callErr(ctx context.Context, what string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("%w: postgres %s: %w", ErrUnavailable, what, err)
}

func (s *pgStore) Write(ctx context.Context, b *Batch) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.leave()
	if write, err := checkBatch(b); !write || err != nil {
		return err
	}
	for i := range b.Ops {
		if err := validatePgKey(b.Ops[i].Key); err != nil {
			return fmt.Errorf("%w: op %d: %v", errInvalidBatch, i, err)
		}
	}
	// Conditions on keys that can never exist are decided here (absent holds,
	// equals fails) so that the server only sees valid keys.
	ck := make([]int16, 0, len(b.Conds))
	ckey := make([][]byte, 0, len(b.Conds))
	cval := make([][]byte, 0, len(b.Conds))
	for _, c := range b.Conds {
		if validatePgKey(c.Key) != nil {
			if c.Kind == CondEquals {
				return ErrConflict
			}
			continue
		}
		ck = append(ck, int16(c.Kind))
		ckey = append(ckey, c.Key)
		cval = append(cval, c.Value)
	}
	ok := make([]int16, len(b.Ops))
	okey := make([][]byte, len(b.Ops))
	oval := make([][]byte, len(b.Ops))
	for i, op := range b.Ops {
		ok[i], okey[i], oval[i] = int16(op.Kind), op.Key, op.Value
	}
	var applied bool
	if err := s.pool.QueryRow(ctx, pgWriteSQL, ck, ckey, cval, ok, okey, oval).Scan(&applied); err != nil {
		// The outcome is unknown when the connection broke after the call was sent:
		// report the error, never success.
		return s.callErr(ctx, "write", err)
	}
	if !applied {
		return ErrConflict
	}
	return nil
}

// pgQuerier is what a scan page reads through (the pool or a transaction).
type pgQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// scanPage holds the rows of one page, copied out of the driver's buffers.
type scanPage struct {
	buf  []byte
	ends []int // ends[2i] = end of key i in buf, ends[2i+1] = end of value i
}

func (p *scanPage) reset()   { p.buf, p.ends = p.buf[:0], p.ends[:0] }
func (p *scanPage) len() int { return len(p.ends) / 2 }
func (p *scanPage) row(i int) (k, v []byte) {
	start := 0
	if i > 0 {
		start = p.ends[2*i-1]
	}
	kEnd, vEnd := p.ends[2*i], p.ends[2*i+1]
	return p.buf[start:kEnd:kEnd], p.buf[kEnd:vEnd:vEnd]
}

// readPage reads up to n rows of [start, end) (end nil: unbounded) in the direction
// of reverse into p.
func readPage(ctx context.Context, q pgQuerier, start, end []byte, reverse bool, n int, p *scanPage) error {
	p.reset()
	var rows pgx.Rows
	var err error
	switch {
	case end == nil && !reverse:
		rows, err = q.Query(ctx, pgScanFwdOpenSQL, start, n)
	case end == nil:
		rows, err = q.Query(ctx, pgScanRevOpenSQL, start, n)
	case !reverse:
		rows, err = q.Query(ctx, pgScanFwdSQL, start, end, n)
	default:
		rows, err = q.Query(ctx, pgScanRevSQL, start, end, n)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	var k, v pgtype.DriverBytes
	for rows.Next() {
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		p.buf = append(p.buf, k...)
		p.ends = append(p.ends, len(p.buf))
		p.buf = append(p.buf, v...)
		p.ends = append(p.ends, len(p.buf))
	}
	rows.Close()
	return rows.Err()
}

func (s *pgStore) Scan(ctx context.Context, r Range, fn func(key, value []byte) bool) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.leave()
	if r.End != nil && bytes.Compare(r.Start, r.End) >= 0 {
		return nil // empty range
	}
	start := r.Start
	if start == nil {
		start = []byte{} // the smallest bytea; nil would be NULL
	}
	want := pgScanPage + 1 // one more row tells whether the scan fits in one page
	if r.Limit > 0 && r.Limit <= pgScanPage {
		want = r.Limit
	}
	var page scanPage
	if err := readPage(ctx, s.pool, start, r.End, r.Reverse, want, &page); err != nil {
		return s.callErr(ctx, "scan", err)
	}
	if page.len() <= pgScanPage {
		return deliver(ctx, &page, page.len(), fn)
	}
	// More than a page: read the whole scan again from one snapshot, page by page.
	return s.scanLong(ctx, start, r, fn, &page)
}

// deliver calls fn for the first n rows of p; more reports whether fn wants more.
func deliver(ctx context.Context, p *scanPage, n int, fn func(k, v []byte) bool) error {
	_, err := deliverMore(ctx, p, n, fn)
	return err
}

func deliverMore(ctx context.Context, p *scanPage, n int, fn func(k, v []byte) bool) (more bool, err error) {
	for i := range n {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if !fn(p.row(i)) {
			return false, nil
		}
	}
	return true, nil
}

// scanLong runs a scan of more than one page in a read-only REPEATABLE READ
// transaction, so that every page reads the same snapshot.
func (s *pgStore) scanLong(ctx context.Context, start []byte, r Range, fn func(k, v []byte) bool, page *scanPage) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return s.callErr(ctx, "scan", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	end := r.End
	left := r.Limit // 0: unlimited
	for {
		n := pgScanPage
		if left > 0 && left < n {
			n = left
		}
		if err := readPage(ctx, tx, start, end, r.Reverse, n, page); err != nil {
			return s.callErr(ctx, "scan", err)
		}
		got := page.len()
		more, err := deliverMore(ctx, page, got, fn)
		if err != nil || !more || got < n {
			return err
		}
		if left > 0 {
			if left -= got; left == 0 {
				return nil
			}
		}
		k, _ := page.row(got - 1)
		if r.Reverse {
			end = bytes.Clone(k) // exclusive: continue below the last key
		} else {
			start = append(bytes.Clone(k), 0) // the smallest key after the last one
		}
	}
}

// Close waits for the calls in flight and closes the pool. Later calls return
// ErrClosed; closing again returns nil.
func (s *pgStore) Close() error {
	s.closeOnce.Do(func() {
		s.shut()
		s.pool.Close()
	})
	return nil
}
