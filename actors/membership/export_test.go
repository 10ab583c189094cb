package membership

// Partition cuts this member off from etcd as far as its own requests go:
// no more lease renewals (and no revoke at Leave). It simulates a network
// partition or a stalled keep-alive path; the watch keeps running.
func (m *Membership) Partition() { m.partitioned.Store(true) }

// LeaseID is the member's etcd lease, for tests that revoke it from outside.
func (m *Membership) LeaseID() int64 { return int64(m.lease) }

// WatchFromRevision makes the member's first watch start at rev instead of
// after its initial listing, so a test can hand it a compacted revision. The
// returned func reports how many times the member re-listed.
func WatchFromRevision(cfg Config, rev int64) (Config, func() int) {
	cfg.hooks = &testHooks{watchFrom: rev}
	h := cfg.hooks
	return cfg, func() int { return int(h.relisted.Load()) }
}
