package persistence

// condCache remembers the current value of the keys that batches compare against
// (CondEquals: in parley, every message log's head), so that the committer checks the
// usual condition with a map lookup instead of a read through Badger's memtables and
// every LSM level holding an older version of the key.
//
// Only the committer uses it, and the committer is the only writer: an entry is kept
// exact by updating it with every op of an applied batch that touches its key. When a
// transaction is dropped or fails to commit, the cache is cleared (it may hold values
// that were never committed). Absent keys are not remembered on a miss: a CondAbsent key
// is usually new (a localMessageID), and remembering it would only evict the heads.
type condCache struct {
	m        map[string]*condEntry
	bytes    int
	maxBytes int
}

type condEntry struct {
	v       []byte
	present bool
}

// condEntryOverhead approximates what an entry costs besides its key and value.
const condEntryOverhead = 64

func newCondCache(maxBytes int) *condCache {
	return &condCache{m: map[string]*condEntry{}, maxBytes: maxBytes}
}

// lookup returns the cached state of key.
func (c *condCache) lookup(key []byte) (e *condEntry, ok bool) {
	e, ok = c.m[string(key)]
	return e, ok
}

// remember caches key's state as just read from the transaction's view.
func (c *condCache) remember(key, v []byte, present bool) {
	if c.maxBytes <= 0 {
		return
	}
	cost := len(key) + len(v) + condEntryOverhead
	if c.bytes+cost > c.maxBytes {
		c.evict(cost)
	}
	c.m[string(key)] = &condEntry{v: append([]byte(nil), v...), present: present}
	c.bytes += cost
}

// evict drops entries (in the map's random order) until need more bytes fit under
// three quarters of the bound.
func (c *condCache) evict(need int) {
	for k, e := range c.m {
		if c.bytes+need <= c.maxBytes*3/4 {
			return
		}
		delete(c.m, k)
		c.bytes -= len(k) + len(e.v) + condEntryOverhead
	}
}

// applied keeps a cached key exact after an op of an applied batch.
func (c *condCache) applied(op Op) {
	e, ok := c.m[string(op.Key)]
	if !ok {
		return
	}
	c.bytes -= len(e.v)
	if op.Kind == OpDelete {
		e.v, e.present = e.v[:0], false
	} else {
		e.v, e.present = append(e.v[:0], op.Value...), true
	}
	c.bytes += len(e.v)
	if c.bytes > c.maxBytes {
		c.evict(0)
	}
}

// reset forgets everything (after a transaction that did not commit).
func (c *condCache) reset() {
	clear(c.m)
	c.bytes = 0
}
