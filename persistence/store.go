// Package persistence holds the storage seam of parley: a small, backend-agnostic
// key-value Store with atomic conditional batches, and the backends behind it.
//
// Keys sort the way they are read (entity prefix + big-endian sequence numbers, see
// keys.go). Values are opaque bytes (protobuf records from the messages package).
package persistence

import (
	"context"
	"errors"
)

// Sentinel errors returned by every backend.
var (
	// ErrNotFound is returned by Get when the key does not exist.
	ErrNotFound = errors.New("persistence: key not found")
	// ErrConflict is returned by Write when a condition of the batch does not hold;
	// nothing of that batch was written.
	ErrConflict = errors.New("persistence: batch condition failed")
	// ErrUnavailable wraps the errors of a backend that could not be reached or failed
	// (a database server that went away): the call did nothing that was acknowledged,
	// and may succeed later.
	ErrUnavailable = errors.New("persistence: store unavailable")
	// ErrClosed is returned by every call after Close.
	ErrClosed = errors.New("persistence: store closed")
)

// Store is what actors persist through. Implementations are safe for concurrent use.
type Store interface {
	// Get returns a copy of the value stored under key, or ErrNotFound.
	Get(ctx context.Context, key []byte) ([]byte, error)
	// Scan calls fn for the keys in r, in key order (or reverse order when r.Reverse),
	// until fn returns false, r.Limit keys were visited, or the range is exhausted.
	// key and value are only valid during the call of fn.
	Scan(ctx context.Context, r Range, fn func(key, value []byte) bool) error
	// Write applies b atomically once every condition in b holds; otherwise it writes
	// nothing and returns ErrConflict. When Write returns nil the batch is durable to
	// the backend's durability setting. Concurrent Writes may be group-committed.
	Write(ctx context.Context, b *Batch) error
	// Close flushes and releases the store. Later calls return ErrClosed.
	Close() error
}

// Range selects keys k with Start <= k < End. A nil End means "to the end of the
// keyspace". Limit 0 means no limit.
type Range struct {
	Start   []byte
	End     []byte
	Reverse bool
	Limit   int
}

// PrefixRange is the range of every key that starts with prefix.
func PrefixRange(prefix []byte) Range {
	return Range{Start: prefix, End: PrefixEnd(prefix)}
}

// PrefixEnd returns the smallest key greater than every key with the given prefix,
// or nil when there is none (prefix is all 0xff).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// OpKind is what an Op does.
type OpKind uint8

const (
	OpPut OpKind = iota + 1
	OpDelete
)

// CondKind is what a Cond checks.
type CondKind uint8

const (
	// CondAbsent holds when the key does not exist.
	CondAbsent CondKind = iota + 1
	// CondEquals holds when the key exists with exactly Value.
	CondEquals
)

// Op is one mutation of a Batch.
type Op struct {
	Kind  OpKind
	Key   []byte
	Value []byte
}

// Cond is one precondition of a Batch (compare-and-set), so that two activations of
// the same actor during cluster churn cannot both append the same sequence number.
type Cond struct {
	Kind  CondKind
	Key   []byte
	Value []byte
}

// Batch is an atomic group of conditions and mutations. The zero value is ready.
// A Batch must not be changed while a Write of it is running.
type Batch struct {
	Ops   []Op
	Conds []Cond
}

// Put stores value under key.
func (b *Batch) Put(key, value []byte) {
	b.Ops = append(b.Ops, Op{Kind: OpPut, Key: key, Value: value})
}

// Delete removes key (no error when it is absent).
func (b *Batch) Delete(key []byte) { b.Ops = append(b.Ops, Op{Kind: OpDelete, Key: key}) }

// ExpectAbsent makes the batch conditional on key not existing.
func (b *Batch) ExpectAbsent(key []byte) {
	b.Conds = append(b.Conds, Cond{Kind: CondAbsent, Key: key})
}

// ExpectValue makes the batch conditional on key holding exactly value.
func (b *Batch) ExpectValue(key, value []byte) {
	b.Conds = append(b.Conds, Cond{Kind: CondEquals, Key: key, Value: value})
}

// Len is the number of mutations in the batch.
func (b *Batch) Len() int { return len(b.Ops) }
