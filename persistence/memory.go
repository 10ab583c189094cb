package persistence

import (
	"bytes"
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// memoryStore is an ordered in-memory Store. The data lives in a persistent
// (copy-on-write) treap: a Write builds a new version of the tree sharing every
// untouched node with the previous one and publishes it atomically, so readers
// never take a lock and a Scan iterates a consistent snapshot, exactly like a
// Badger read transaction. Writers are serialised by a mutex; conditions are checked
// against the latest version under that mutex.
type memoryStore struct {
	mu     sync.Mutex // serialises writers
	gen    uint64     // generation of the Write in progress (guarded by mu)
	root   atomic.Pointer[treapNode]
	closed atomic.Bool
}

var _ Store = (*memoryStore)(nil)

// NewMemory returns an empty in-memory Store with the same semantics as the Badger
// backend (atomic conditional batches, snapshot scans, copied values) and no
// durability. It validates keys like the Badger backend (non-empty, at most 65000
// bytes, not starting with "!badger!"). It is meant for unit tests and embedders.
func NewMemory() Store { return &memoryStore{} }

// treapNode is immutable once published. Nodes created by the Write in progress
// (gen equal to the store's current generation) are not published yet and are
// modified in place, so that the ops of one batch do not copy the same path over
// and over.
type treapNode struct {
	key, val    []byte
	prio        uint64
	gen         uint64
	left, right *treapNode
}

// own returns n itself when it belongs to generation gen, else a copy of n in gen.
func (n *treapNode) own(gen uint64) *treapNode {
	if n.gen == gen {
		return n
	}
	cp := *n
	cp.gen = gen
	return &cp
}

func (s *memoryStore) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.closed.Load() {
		return nil, ErrClosed
	}
	n := treapGet(s.root.Load(), key)
	if n == nil {
		return nil, ErrNotFound
	}
	return bytes.Clone(n.val), nil
}

func (s *memoryStore) Scan(ctx context.Context, r Range, fn func(key, value []byte) bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	root := s.root.Load()
	var stackArr [64]*treapNode
	stack := stackArr[:0]
	visited := 0
	if !r.Reverse {
		// Push the path to the smallest key >= Start.
		for n := root; n != nil; {
			if bytes.Compare(n.key, r.Start) >= 0 {
				stack = append(stack, n)
				n = n.left
			} else {
				n = n.right
			}
		}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if r.End != nil && bytes.Compare(n.key, r.End) >= 0 {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if !fn(n.key, n.val) {
				return nil
			}
			if visited++; r.Limit > 0 && visited >= r.Limit {
				return nil
			}
			for c := n.right; c != nil; c = c.left {
				stack = append(stack, c)
			}
		}
		return nil
	}
	// Reverse: push the path to the largest key < End.
	for n := root; n != nil; {
		if r.End == nil || bytes.Compare(n.key, r.End) < 0 {
			stack = append(stack, n)
			n = n.right
		} else {
			n = n.left
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if bytes.Compare(n.key, r.Start) < 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !fn(n.key, n.val) {
			return nil
		}
		if visited++; r.Limit > 0 && visited >= r.Limit {
			return nil
		}
		for c := n.left; c != nil; c = c.right {
			stack = append(stack, c)
		}
	}
	return nil
}

func (s *memoryStore) Write(ctx context.Context, b *Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if write, err := checkBatch(b); !write || err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return ErrClosed
	}
	s.gen++
	gen := s.gen
	root := s.root.Load()
	for _, c := range b.Conds {
		n := treapGet(root, c.Key)
		switch c.Kind {
		case CondAbsent:
			if n != nil {
				return ErrConflict
			}
		case CondEquals:
			if n == nil || !bytes.Equal(n.val, c.Value) {
				return ErrConflict
			}
		}
	}
	for _, op := range b.Ops {
		switch op.Kind {
		case OpPut:
			// Copy-on-write: the caller may reuse its slices once Write returns.
			root = treapPut(root, gen, bytes.Clone(op.Key), cloneNonNil(op.Value), rand.Uint64())
		case OpDelete:
			root = treapDelete(root, gen, op.Key)
		}
	}
	s.root.Store(root)
	return nil
}

func (s *memoryStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Swap(true) {
		return nil
	}
	s.root.Store(nil) // release the data
	return nil
}

// cloneNonNil copies v, returning an empty non-nil slice for an empty value so that
// Get of a key stored with an empty value returns []byte{} (as Badger does).
func cloneNonNil(v []byte) []byte {
	if len(v) == 0 {
		return []byte{}
	}
	return bytes.Clone(v)
}

func treapGet(n *treapNode, key []byte) *treapNode {
	for n != nil {
		switch c := bytes.Compare(key, n.key); {
		case c < 0:
			n = n.left
		case c > 0:
			n = n.right
		default:
			return n
		}
	}
	return nil
}

// treapPut returns a new version of the tree rooted at n with key set to val. Only
// the nodes on the search path are copied (those of generation gen are reused).
func treapPut(n *treapNode, gen uint64, key, val []byte, prio uint64) *treapNode {
	if n == nil {
		return &treapNode{key: key, val: val, prio: prio, gen: gen}
	}
	c := bytes.Compare(key, n.key)
	cp := n.own(gen)
	switch {
	case c == 0:
		cp.val = val
	case c < 0:
		l := treapPut(n.left, gen, key, val, prio) // l belongs to gen
		cp.left = l
		if l.prio > cp.prio { // rotate right
			cp.left = l.right
			l.right = cp
			return l
		}
	default:
		r := treapPut(n.right, gen, key, val, prio) // r belongs to gen
		cp.right = r
		if r.prio > cp.prio { // rotate left
			cp.right = r.left
			r.left = cp
			return r
		}
	}
	return cp
}

// treapDelete returns a new version of the tree rooted at n without key.
func treapDelete(n *treapNode, gen uint64, key []byte) *treapNode {
	if n == nil {
		return nil
	}
	c := bytes.Compare(key, n.key)
	if c == 0 {
		return treapMerge(n.left, n.right, gen)
	}
	if c < 0 {
		l := treapDelete(n.left, gen, key)
		if l == n.left {
			return n
		}
		cp := n.own(gen)
		cp.left = l
		return cp
	}
	r := treapDelete(n.right, gen, key)
	if r == n.right {
		return n
	}
	cp := n.own(gen)
	cp.right = r
	return cp
}

// treapMerge joins two trees where every key of a is smaller than every key of b.
func treapMerge(a, b *treapNode, gen uint64) *treapNode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.prio > b.prio:
		cp := a.own(gen)
		cp.right = treapMerge(a.right, b, gen)
		return cp
	default:
		cp := b.own(gen)
		cp.left = treapMerge(a, b.left, gen)
		return cp
	}
}
