package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// BadgerOptions configures OpenBadger.
type BadgerOptions struct {
	// Dir is the directory holding the database. It is ignored when InMemory.
	Dir string
	// InMemory keeps everything in memory (nothing is written to disk).
	InMemory bool
	// SyncWrites fsyncs every commit before Write returns. Without it a Write that
	// returned nil survives a process crash but not necessarily a machine crash.
	SyncWrites bool
	// Logger receives Badger's warnings and errors (its info and debug chatter is
	// dropped). nil means slog.Default().
	Logger *slog.Logger
}

// Tuning of the Badger backend. Values of parley are small (a few hundred bytes), so
// the memtables are kept modest: many stores can be open at once in tests.
const (
	badgerMemTableSize   = 16 << 20
	badgerNumMemtables   = 3
	badgerBlockCacheSize = 64 << 20
	badgerVlogFileSize   = 64 << 20
	badgerGCInterval     = 5 * time.Minute
	badgerGCDiscardRatio = 0.5

	// Group commit bounds: at most this many batches, or about this many bytes
	// (further capped by Badger's own transaction limit), per Badger transaction.
	maxGroupBatches = 1000
	maxGroupBytes   = 4 << 20
	// writeQueueLen is the capacity of the queue in front of the committer.
	writeQueueLen = 4096
	// condCacheBytes bounds the committer's cache of compared values (condCache).
	condCacheBytes = 8 << 20
)

// badgerStore is the Badger backend.
//
// Reads (Get, Scan) run in their own read-only Badger transactions, i.e. on a
// consistent snapshot. Writes are funnelled through one committer goroutine that
// applies many batches in a single read-write transaction (group commit); since it
// is the only writer, Badger's own conflict detection is disabled and a batch's
// conditions are checked inside the transaction that applies it.
type badgerStore struct {
	db  *badger.DB
	log *slog.Logger

	reqs chan *writeReq
	quit chan struct{} // closed by Close once no call is in flight
	bg   sync.WaitGroup

	maxGroupBatches int
	maxGroupBytes   int
	conds           *condCache // committer only

	// Close waits for the calls in flight before it stops the committer and closes
	// Badger.
	callGate
	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*badgerStore)(nil)

// writeReq is one Write waiting for the committer.
type writeReq struct {
	ctx  context.Context
	b    *Batch
	size int
	err  error      // outcome within the current transaction (committer only)
	done chan error // receives exactly one answer
}

var writeReqPool = sync.Pool{New: func() any { return &writeReq{done: make(chan error, 1)} }}

// OpenBadger opens (creating it when needed) a Badger-backed Store.
//
// Get and Scan read consistent snapshots. Concurrent Writes are group-committed:
// one goroutine applies up to 1000 batches per Badger transaction (and about
// min(4 MiB, 3/4 of Badger's transaction limit), i.e. 1.8 MiB with the 16 MiB
// memtables used here; a group that still overflows is split transparently),
// checking each batch's conditions against the transaction's view (which includes
// the batches before it), and answers each Write once that transaction committed.
// Keys are at most 65000 bytes and must not start with "!badger!"; an in-memory
// store accepts values up to 1 MiB. A single batch larger than Badger's transaction
// limit (about 2.4 MiB) fails with an error wrapping badger.ErrTxnTooBig.
//
// Close waits for the calls in flight, including a running Scan, so fn of a Scan
// must not call Close. The value log is garbage-collected every 5 minutes.
func OpenBadger(opts BadgerOptions) (Store, error) {
	return openBadger(opts, badgerTuning{groupBytes: maxGroupBytes, gcInterval: badgerGCInterval, lockWait: lockWait})
}

// lockWait is how long opening a directory waits for its lock (see openLocked).
const lockWait = 2 * time.Second

// openLocked opens Badger, trying again for up to wait while the directory's lock is
// held. Badger holds the lock through an open descriptor of the directory, and a process
// that starts a child (os/exec) at that moment hands the child a copy until it execs: a
// store closed and opened again meanwhile (a restart in one process, an embedding
// program that runs commands) finds the lock held for a few milliseconds more. Another
// process that really uses the directory still fails the open, after wait. Badger's
// error carries no sentinel to match, only its text.
func openLocked(bo badger.Options, wait time.Duration) (*badger.DB, error) {
	deadline := time.Now().Add(wait)
	pause := 5 * time.Millisecond
	for {
		db, err := badger.Open(bo)
		if err == nil || !strings.Contains(err.Error(), "Cannot acquire directory lock") || time.Now().Add(pause).After(deadline) {
			return db, err
		}
		time.Sleep(pause)
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// badgerTuning holds what tests may change.
type badgerTuning struct {
	lockWait   time.Duration // see openLocked
	groupBytes int           // group commit byte bound (capped by Badger's limit)
	gcInterval time.Duration // value-log GC period
}

func openBadger(opts BadgerOptions, tune badgerTuning) (*badgerStore, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "badger")
	dir := opts.Dir
	if opts.InMemory {
		dir = ""
	} else if dir == "" {
		return nil, errors.New("persistence: BadgerOptions.Dir is required unless InMemory")
	}
	bo := badger.DefaultOptions(dir).
		WithInMemory(opts.InMemory).
		WithSyncWrites(opts.SyncWrites).
		WithLogger(badgerLogger{log}).
		WithNumVersionsToKeep(1).
		WithMetricsEnabled(false).
		WithDetectConflicts(false). // the committer is the only writer
		WithMemTableSize(badgerMemTableSize).
		WithNumMemtables(badgerNumMemtables).
		WithBlockCacheSize(badgerBlockCacheSize).
		WithValueLogFileSize(badgerVlogFileSize).
		WithNumCompactors(2)
	db, err := openLocked(bo, tune.lockWait)
	if err != nil {
		return nil, fmt.Errorf("persistence: open badger: %w", err)
	}
	s := &badgerStore{
		db:              db,
		log:             log,
		reqs:            make(chan *writeReq, writeQueueLen),
		quit:            make(chan struct{}),
		maxGroupBatches: maxGroupBatches,
		maxGroupBytes:   min(tune.groupBytes, int(db.MaxBatchSize())*3/4),
		conds:           newCondCache(condCacheBytes),
	}
	s.bg.Add(1)
	go s.commitLoop()
	if !opts.InMemory {
		s.bg.Add(1)
		go s.gcLoop(tune.gcInterval)
	}
	return s, nil
}

func (s *badgerStore) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	defer s.leave()
	if validateKey(key) != nil {
		return nil, ErrNotFound // such a key can never have been written
	}
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("persistence: get: %w", err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, fmt.Errorf("persistence: get value: %w", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (s *badgerStore) Scan(ctx context.Context, r Range, fn func(key, value []byte) bool) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.leave()
	if r.End != nil && bytes.Compare(r.Start, r.End) >= 0 {
		return nil // empty range
	}

	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	// Values are small and stored inline in the LSM tree, so value prefetching
	// (one goroutine per item in Badger) would only cost; keys are iterated
	// without it. The common prefix of the bounds lets Badger skip tables.
	it := txn.NewIterator(badger.IteratorOptions{
		Reverse: r.Reverse,
		Prefix:  commonPrefix(r.Start, r.End),
	})
	defer it.Close()

	if r.Reverse {
		// Badger's reverse Seek lands on the largest key <= End; End itself is
		// excluded below.
		if r.End != nil {
			it.Seek(r.End)
		} else {
			it.Rewind()
		}
	} else {
		if len(r.Start) > 0 {
			it.Seek(r.Start)
		} else {
			it.Rewind()
		}
	}

	visited := 0
	for ; it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if r.Reverse {
			if r.End != nil && bytes.Compare(k, r.End) >= 0 {
				continue // exact match of the exclusive End
			}
			if bytes.Compare(k, r.Start) < 0 {
				return nil
			}
		} else if r.End != nil && bytes.Compare(k, r.End) >= 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		more := true
		if err := item.Value(func(v []byte) error {
			more = fn(k, v)
			return nil
		}); err != nil {
			return fmt.Errorf("persistence: scan value: %w", err)
		}
		if !more {
			return nil
		}
		if visited++; r.Limit > 0 && visited >= r.Limit {
			return nil
		}
	}
	return nil
}

// commonPrefix is the longest common prefix of start and end, i.e. a prefix of every
// key in [start, end). It is nil when end is nil (unbounded).
func commonPrefix(start, end []byte) []byte {
	if end == nil {
		return nil
	}
	n := min(len(start), len(end))
	i := 0
	for i < n && start[i] == end[i] {
		i++
	}
	if i == 0 {
		return nil
	}
	return start[:i:i]
}

func (s *badgerStore) Write(ctx context.Context, b *Batch) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.leave()
	if write, err := checkBatch(b); !write || err != nil {
		return err
	}
	req := writeReqPool.Get().(*writeReq)
	req.ctx, req.b, req.size = ctx, b, batchSize(b)
	select {
	case s.reqs <- req:
	case <-ctx.Done():
		req.ctx, req.b = nil, nil
		writeReqPool.Put(req)
		return ctx.Err()
	}
	// Once queued the request is answered promptly (the committer drops it with
	// ctx.Err() if the context is done by the time it is picked up), and the
	// committer may be reading the batch: wait for the answer regardless of ctx.
	err := <-req.done
	req.ctx, req.b = nil, nil
	writeReqPool.Put(req)
	return err
}

// batchSize estimates what b costs in a Badger transaction.
func batchSize(b *Batch) int {
	n := 0
	for i := range b.Ops {
		n += len(b.Ops[i].Key) + len(b.Ops[i].Value) + 32
	}
	for i := range b.Conds {
		n += len(b.Conds[i].Key) + 8
	}
	return n
}

func (s *badgerStore) commitLoop() {
	defer s.bg.Done()
	group := make([]*writeReq, 0, s.maxGroupBatches)
	for {
		var first *writeReq
		select {
		case first = <-s.reqs:
		case <-s.quit:
			return
		}
		group = append(group[:0], first)
		size := first.size
	fill:
		for len(group) < s.maxGroupBatches && size < s.maxGroupBytes {
			select {
			case r := <-s.reqs:
				group = append(group, r)
				size += r.size
			default:
				break fill
			}
		}
		s.commitGroup(group)
		clear(group)
	}
}

// commitGroup applies the batches of group in as few Badger transactions as
// possible and answers every request once the transaction holding it committed.
func (s *badgerStore) commitGroup(group []*writeReq) {
	txn := s.db.NewTransaction(true)
	// in holds the requests whose outcome (applied or ErrConflict) was decided
	// against the view of txn.
	in := make([]*writeReq, 0, len(group))
	for i := 0; i < len(group); {
		r := group[i]
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			i++
			continue
		}
		wrote, err := s.applyBatch(txn, r.b)
		if err == nil || errors.Is(err, ErrConflict) {
			r.err = err // final once txn commits
			in = append(in, r)
			i++
			continue
		}
		if !wrote {
			r.done <- err // failed before writing anything
			i++
			continue
		}
		// txn holds part of r's ops and Badger cannot roll them back: rebuild
		// the transaction without r, commit what was decided so far, then retry r
		// alone in a fresh transaction (when it was merely too big to share one).
		txn.Discard()
		s.conds.reset() // it saw r's partial ops
		if len(in) > 0 {
			txn = s.db.NewTransaction(true)
			s.commit(txn, replay(txn, in), in)
			in = in[:0]
			txn = s.db.NewTransaction(true)
			if errors.Is(err, badger.ErrTxnTooBig) {
				continue // retry r (i unchanged) in the fresh transaction
			}
		} else {
			txn = s.db.NewTransaction(true)
		}
		if errors.Is(err, badger.ErrTxnTooBig) {
			err = fmt.Errorf("persistence: batch too large: %w", err)
		}
		r.done <- err
		i++
	}
	s.commit(txn, nil, in)
}

// commit commits txn (unless prior already failed it) and answers the requests of in.
func (s *badgerStore) commit(txn *badger.Txn, prior error, in []*writeReq) {
	err := prior
	if err == nil && len(in) > 0 {
		err = txn.Commit()
	}
	txn.Discard()
	if err != nil {
		s.conds.reset() // it saw values that were not committed
		err = fmt.Errorf("persistence: commit: %w", err)
		s.log.Error("commit failed", "batches", len(in), "err", err)
	}
	for _, r := range in {
		answer := r.err
		if err != nil {
			answer = err
		}
		r.err = nil
		r.done <- answer // r may be reused as soon as it is answered
	}
}

// replay re-applies, in a fresh transaction, the batches of in that were applied to
// a transaction that had to be discarded. Nothing else wrote in between, so their
// conditions hold exactly as before and only their ops need replaying.
func replay(txn *badger.Txn, in []*writeReq) error {
	for _, r := range in {
		if r.err != nil {
			continue // conflicted: wrote nothing
		}
		for _, op := range r.b.Ops {
			if err := applyOp(txn, op); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyBatch checks b's conditions against txn's view and, when they hold, applies
// its ops. wrote reports whether txn was modified, which happens with a non-nil err
// only when an op failed part-way.
func (s *badgerStore) applyBatch(txn *badger.Txn, b *Batch) (wrote bool, err error) {
	for _, c := range b.Conds {
		ok, err := s.checkCond(txn, c)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, ErrConflict
		}
	}
	for i, op := range b.Ops {
		if err := applyOp(txn, op); err != nil {
			return i > 0 || errors.Is(err, badger.ErrTxnTooBig), err
		}
		s.conds.applied(op)
	}
	return len(b.Ops) > 0, nil // wrote is only meaningful with an error
}

func applyOp(txn *badger.Txn, op Op) error {
	if op.Kind == OpDelete {
		return txn.Delete(op.Key)
	}
	v := op.Value
	if v == nil {
		v = []byte{}
	}
	return txn.Set(op.Key, v)
}

// checkCond decides c against txn's view, from the committer's cache when it holds the
// key (see condCache).
func (s *badgerStore) checkCond(txn *badger.Txn, c Cond) (bool, error) {
	if validateKey(c.Key) != nil { // such a key never exists
		return c.Kind == CondAbsent, nil
	}
	if e, ok := s.conds.lookup(c.Key); ok {
		if c.Kind == CondAbsent {
			return !e.present, nil
		}
		return e.present && bytes.Equal(e.v, c.Value), nil
	}
	item, err := txn.Get(c.Key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		if c.Kind == CondEquals {
			s.conds.remember(c.Key, nil, false)
		}
		return c.Kind == CondAbsent, nil
	}
	if err != nil {
		return false, fmt.Errorf("persistence: check condition: %w", err)
	}
	if c.Kind == CondAbsent {
		return false, nil
	}
	equal := false
	err = item.Value(func(v []byte) error {
		equal = bytes.Equal(v, c.Value)
		s.conds.remember(c.Key, v, true)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("persistence: check condition: %w", err)
	}
	return equal, nil
}

func (s *badgerStore) gcLoop(interval time.Duration) {
	defer s.bg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
		}
		for {
			err := s.db.RunValueLogGC(badgerGCDiscardRatio)
			if err != nil {
				if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
					s.log.Warn("value log GC failed", "err", err)
				}
				break
			}
			select { // a file was rewritten: try again unless closing
			case <-s.quit:
				return
			default:
			}
		}
	}
}

// Close waits for the calls in flight (pending writes are committed), stops the
// committer and the value-log GC and closes Badger. Later calls return ErrClosed;
// closing again returns nil.
func (s *badgerStore) Close() error {
	first := false
	s.closeOnce.Do(func() {
		first = true
		s.shut()
		close(s.quit)
		s.bg.Wait()
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("persistence: close badger: %w", err)
		}
	})
	if first {
		return s.closeErr
	}
	return nil
}

// badgerLogger routes Badger's warnings and errors to slog and drops the rest.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(format string, args ...any) {
	b.log(slog.LevelError, format, args)
}

func (b badgerLogger) Warningf(format string, args ...any) {
	b.log(slog.LevelWarn, format, args)
}

func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

func (b badgerLogger) log(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !b.l.Enabled(ctx, level) {
		return
	}
	b.l.Log(ctx, level, strings.TrimSpace(fmt.Sprintf(format, args...)))
}
