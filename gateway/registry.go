package gateway

import "sync"

const registryShards = 64

// registry maps this node's connection IDs to connections, sharded so that fan-out and
// accept/close do not contend on one lock.
type registry struct {
	shards [registryShards]struct {
		sync.RWMutex
		m map[uint64]*conn
	}
}

func newRegistry() *registry {
	r := &registry{}
	for i := range r.shards {
		r.shards[i].m = map[uint64]*conn{}
	}
	return r
}

func (r *registry) add(c *conn) {
	s := &r.shards[c.id%registryShards]
	s.Lock()
	s.m[c.id] = c
	s.Unlock()
}

func (r *registry) remove(c *conn) {
	s := &r.shards[c.id%registryShards]
	s.Lock()
	if s.m[c.id] == c {
		delete(s.m, c.id)
	}
	s.Unlock()
}

func (r *registry) get(id uint64) *conn {
	s := &r.shards[id%registryShards]
	s.RLock()
	c := s.m[id]
	s.RUnlock()
	return c
}

// each calls fn for every connection (snapshot per shard).
func (r *registry) each(fn func(*conn)) {
	for i := range r.shards {
		s := &r.shards[i]
		s.RLock()
		list := make([]*conn, 0, len(s.m))
		for _, c := range s.m {
			list = append(list, c)
		}
		s.RUnlock()
		for _, c := range list {
			fn(c)
		}
	}
}

// scan calls fn for every connection with its shard's read lock held: fn must not add
// or remove connections (the sweeper's walk, which allocates nothing).
func (r *registry) scan(fn func(*conn)) {
	for i := range r.shards {
		s := &r.shards[i]
		s.RLock()
		for _, c := range s.m {
			fn(c)
		}
		s.RUnlock()
	}
}

func (r *registry) count() int {
	n := 0
	for i := range r.shards {
		s := &r.shards[i]
		s.RLock()
		n += len(s.m)
		s.RUnlock()
	}
	return n
}
