// Package membership keeps the set of live parley nodes in etcd.
//
// Each running node Joins: it takes an etcd lease, claims the lowest free node
// ID (1..MaxNodeID) and publishes its Member record, both attached to the
// lease, and keeps the lease alive. Every member watches the records and hands
// full snapshots of the live set to its Watch callbacks.
//
// Node IDs are claimed with a transaction that creates prefix/nodeid/<n> only
// if it does not exist, so two live members never hold the same ID; an ID is
// free again only once its holder's lease is gone.
//
// Fencing: a member that cannot renew its lease must stop serving before etcd
// can expire the lease and hand its node ID (and its actors) to someone else.
// The member therefore closes Fenced() once TTL-TTL/3 has passed since the
// moment it SENT its last renewal that succeeded. etcd restarts the lease's
// TTL when it receives that request, which is after it was sent, so the
// member gives up at least TTL/3 before the server can expire the lease
// (assuming the two clocks run at roughly the same rate). Fenced() also closes
// when etcd reports the lease gone, when the member's own record disappears,
// and on Leave. A fenced Membership is finished; call Join (or Rejoin) for a
// new one, which gets a new member ID, a new lease and possibly another node
// ID.
//
// This package knows nothing of the actor runtime; the runtime adapts it into
// its cluster provider.
package membership

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Defaults and limits for Config.
const (
	DefaultTTL         = 5 * time.Second
	MinTTL             = 2 * time.Second
	DefaultDialTimeout = 5 * time.Second
	DefaultMaxNodeID   = 1023
)

// Config describes the member that joins and the etcd it joins through.
type Config struct {
	// Endpoints are the etcd client addresses, host:port.
	Endpoints []string
	// Prefix namespaces one cluster's keys, e.g. "/parley/<cluster>/". A
	// missing trailing slash is added.
	Prefix string
	// Address is this member's actor-system address, host:port.
	Address string
	// Kinds are the actor kinds this member hosts.
	Kinds []string
	// TTL is the lease TTL: default 5s, at least 2s, rounded up to whole
	// seconds (etcd leases count seconds).
	TTL time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// DialTimeout bounds reaching etcd at Join; default 5s.
	DialTimeout time.Duration
	// MaxNodeID: node IDs are 1..MaxNodeID; default 1023.
	MaxNodeID int
	// ID names this member; it must be unique per process start (the actor runtime
	// passes its actor system's ID, which its transport's block list uses). Empty: a
	// random one.
	ID string

	hooks *testHooks
}

// testHooks let tests reach paths that are hard to provoke from outside.
type testHooks struct {
	watchFrom int64        // if > 0, the first watch starts at this revision
	relisted  atomic.Int32 // counts re-lists after a failed watch
}

// Member is one live node as published in etcd.
type Member struct {
	// ID is unique per process start: a restarted node is a new member.
	ID      string   `json:"id"`
	Address string   `json:"address"`
	Kinds   []string `json:"kinds"`
	// NodeID is unique among live members, in 1..MaxNodeID.
	NodeID int `json:"nodeId"`
}

// ErrLeft is what Err reports after Leave.
var ErrLeft = errors.New("membership: left the cluster")

// ErrNoNodeID means every node ID in 1..MaxNodeID is held by a live member.
var ErrNoNodeID = errors.New("membership: no free node ID")

// Membership is this process's live membership. Its methods are safe for
// concurrent use.
type Membership struct {
	cfg    Config
	log    *slog.Logger
	cli    *clientv3.Client
	lease  clientv3.LeaseID
	ttl    time.Duration // as granted by etcd
	self   Member
	prefix string

	ctx    context.Context // cancelled when fenced or left
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	members  map[string]Member // by member ID
	watchers []chan struct{}
	err      error // why fenced; nil while live

	fenced    chan struct{}
	fenceOnce sync.Once
	leaveOnce sync.Once

	// base and validFor say until when this member may act: validFor is the time
	// since base (monotonic) at which its fence deadline passes; Live compares.
	base     time.Time
	validFor atomic.Int64

	// partitioned is a test hook: when set, the member sends nothing to etcd
	// (no renewals, no revoke), as if cut off from it.
	partitioned atomic.Bool
}

// Join registers this process as a member: lease, node ID, member record. It
// returns once the member is published and its view of the live members is
// loaded. If etcd cannot be reached within DialTimeout, Join fails with an
// error that names the endpoints.
func Join(ctx context.Context, cfg Config) (*Membership, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	id := cfg.ID
	if id == "" {
		if id, err = newMemberID(); err != nil {
			return nil, err
		}
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   cfg.Endpoints,
		DialTimeout: cfg.DialTimeout,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		return nil, unreachable(cfg, err)
	}
	m := &Membership{
		base:    time.Now(),
		cfg:     cfg,
		log:     log.With("member", id),
		cli:     cli,
		prefix:  cfg.Prefix,
		members: make(map[string]Member),
		fenced:  make(chan struct{}),
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	ok := false
	defer func() {
		if !ok {
			m.cancel()
			cli.Close()
		}
	}()

	// The first request doubles as the reachability check.
	dctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	sent := time.Now()
	grant, err := cli.Grant(dctx, int64(cfg.TTL/time.Second))
	cancel()
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("membership: join: %w", ctx.Err())
		case errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.Unavailable:
			return nil, unreachable(cfg, err)
		default:
			return nil, fmt.Errorf("membership: grant lease from etcd at %s: %w", strings.Join(cfg.Endpoints, ","), err)
		}
	}
	m.lease = grant.ID
	m.ttl = time.Duration(grant.TTL) * time.Second
	revokeOnFail := func() {
		rctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cli.Revoke(rctx, m.lease)
	}

	m.self = Member{ID: id, Address: cfg.Address, Kinds: slices.Clone(cfg.Kinds)}
	// Nothing renews the lease until Join returns, so the rest of Join must
	// finish before the member would fence itself.
	jctx, cancel := context.WithDeadline(ctx, sent.Add(m.fenceAfter()))
	defer cancel()
	if err := m.claim(jctx); err != nil {
		revokeOnFail()
		return nil, err
	}
	rev, err := m.list(jctx)
	if err != nil {
		revokeOnFail()
		return nil, fmt.Errorf("membership: list members: %w", err)
	}
	if err := m.Err(); err != nil {
		revokeOnFail()
		return nil, err
	}

	m.wg.Add(2)
	m.validFor.Store(int64(sent.Add(m.ttl - m.ttl/3).Sub(m.base)))
	go m.keepAlive(sent)
	watchFrom := rev + 1
	if cfg.hooks != nil && cfg.hooks.watchFrom > 0 {
		watchFrom = cfg.hooks.watchFrom
	}
	go m.watch(watchFrom)
	ok = true
	m.log.Info("membership: joined", "node_id", m.self.NodeID, "address", cfg.Address,
		"lease", fmt.Sprintf("%x", int64(m.lease)), "ttl", m.ttl, "members", len(m.Members()))
	return m, nil
}

// Rejoin joins again with the same Config: a new member ID, lease and
// (possibly different) node ID. Use it after Fenced() closed. Watch callbacks
// registered on m are not carried over.
func (m *Membership) Rejoin(ctx context.Context) (*Membership, error) {
	cfg := m.cfg
	cfg.ID = "" // a new member
	return Join(ctx, cfg)
}

func (c Config) withDefaults() (Config, error) {
	if len(c.Endpoints) == 0 {
		return c, errors.New("membership: no etcd endpoints (set --etcd host:port)")
	}
	if c.Prefix == "" {
		return c, errors.New("membership: empty key prefix")
	}
	if !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	if c.Address == "" {
		return c, errors.New("membership: empty member address")
	}
	if c.TTL == 0 {
		c.TTL = DefaultTTL
	}
	if c.TTL < MinTTL {
		return c, fmt.Errorf("membership: TTL %s below the minimum %s", c.TTL, MinTTL)
	}
	c.TTL = (c.TTL + time.Second - 1).Truncate(time.Second)
	if c.DialTimeout <= 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.MaxNodeID <= 0 {
		c.MaxNodeID = DefaultMaxNodeID
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Endpoints = slices.Clone(c.Endpoints)
	c.Kinds = slices.Clone(c.Kinds)
	return c, nil
}

func unreachable(cfg Config, err error) error {
	return fmt.Errorf("membership: cannot reach etcd at %s within %s (is etcd running? set --etcd host:port): %w",
		strings.Join(cfg.Endpoints, ","), cfg.DialTimeout, err)
}

func newMemberID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("membership: member id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

func (m *Membership) nodeIDKey(n int) string     { return m.prefix + "nodeid/" + strconv.Itoa(n) }
func (m *Membership) membersPrefix() string      { return m.prefix + "members/" }
func (m *Membership) memberKey(id string) string { return m.membersPrefix() + id }

// fenceAfter is how long after sending a successful renewal the member still
// counts itself live: TTL minus a margin of TTL/3.
func (m *Membership) fenceAfter() time.Duration { return m.ttl - m.ttl/3 }

// claim takes the lowest free node ID and publishes the member record, both
// on the lease, in one transaction per candidate ID.
func (m *Membership) claim(ctx context.Context) error {
	for {
		resp, err := m.cli.Get(ctx, m.prefix+"nodeid/", clientv3.WithPrefix(), clientv3.WithKeysOnly())
		if err != nil {
			return fmt.Errorf("membership: list node IDs: %w", err)
		}
		taken := make(map[int]bool, len(resp.Kvs))
		for _, kv := range resp.Kvs {
			if n, err := strconv.Atoi(strings.TrimPrefix(string(kv.Key), m.prefix+"nodeid/")); err == nil {
				taken[n] = true
			}
		}
		lost := false
		for n := 1; n <= m.cfg.MaxNodeID; n++ {
			if taken[n] {
				continue
			}
			self := m.self
			self.NodeID = n
			val, err := json.Marshal(self)
			if err != nil {
				return err
			}
			key := m.nodeIDKey(n)
			tr, err := m.cli.Txn(ctx).
				If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
				Then(
					clientv3.OpPut(key, self.ID, clientv3.WithLease(m.lease)),
					clientv3.OpPut(m.memberKey(self.ID), string(val), clientv3.WithLease(m.lease)),
				).Commit()
			if err != nil {
				return fmt.Errorf("membership: claim node ID %d: %w", n, err)
			}
			if tr.Succeeded {
				m.self = self
				return nil
			}
			lost = true // someone took n since the listing; try the next one
		}
		if !lost {
			return fmt.Errorf("%w (all %d held)", ErrNoNodeID, m.cfg.MaxNodeID)
		}
		// Every candidate was taken under us; IDs may have been freed since.
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// list loads the member records and returns the revision they were read at.
func (m *Membership) list(ctx context.Context) (int64, error) {
	resp, err := m.cli.Get(ctx, m.membersPrefix(), clientv3.WithPrefix())
	if err != nil {
		return 0, err
	}
	members := make(map[string]Member, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		if mem, ok := m.decode(kv.Value); ok {
			members[mem.ID] = mem
		}
	}
	m.mu.Lock()
	m.members = members
	m.mu.Unlock()
	m.notify()
	if _, ok := members[m.self.ID]; !ok {
		m.fence(errors.New("membership: own member record is gone"))
	}
	return resp.Header.Revision, nil
}

func (m *Membership) decode(v []byte) (Member, bool) {
	var mem Member
	if err := json.Unmarshal(v, &mem); err != nil || mem.ID == "" {
		m.log.Warn("membership: ignoring malformed member record", "value", string(v), "err", err)
		return Member{}, false
	}
	return mem, true
}

// Self is this member.
func (m *Membership) Self() Member {
	s := m.self
	s.Kinds = slices.Clone(s.Kinds)
	return s
}

// NodeID is this member's node ID, unique among live members while Fenced()
// is open.
func (m *Membership) NodeID() int { return m.self.NodeID }

// Members is the current live set including self, sorted by NodeID. After
// fencing it is the last set seen.
func (m *Membership) Members() []Member {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snapshotLocked()
}

func (m *Membership) snapshotLocked() []Member {
	out := make([]Member, 0, len(m.members))
	for _, mem := range m.members {
		mem.Kinds = slices.Clone(mem.Kinds)
		out = append(out, mem)
	}
	slices.SortFunc(out, func(a, b Member) int {
		return cmp.Or(cmp.Compare(a.NodeID, b.NodeID), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Watch calls fn with the full live set, sorted as Members, once soon after
// registration and again after every change. Calls to one fn never overlap.
// Snapshots are coalesced: if changes arrive while fn runs, fn is next called
// once, with the newest set. Once Fenced() is closed no further calls
// start (one already running may finish). Each fn runs on its own goroutine,
// so a slow fn delays only itself; fn may call Members or Leave.
func (m *Membership) Watch(fn func([]Member)) {
	ch := make(chan struct{}, 1)
	ch <- struct{}{}
	m.mu.Lock()
	m.watchers = append(m.watchers, ch)
	m.mu.Unlock()
	go func() {
		for {
			select {
			case <-m.ctx.Done():
				return
			case <-ch:
			}
			if m.ctx.Err() != nil {
				return
			}
			fn(m.Members())
		}
	}()
}

func (m *Membership) notify() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ch := range m.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Live reports whether this member may still act: not fenced, and its fence deadline
// (the last successful renewal's send time plus TTL minus the margin) not passed on the
// monotonic clock. Unlike Fenced it needs no goroutine to have run: a process that was
// paused past its deadline sees false at once when it resumes.
func (m *Membership) Live() bool {
	select {
	case <-m.fenced:
		return false
	default:
	}
	return int64(time.Since(m.base)) < m.validFor.Load()
}

// Fenced is closed when this member must stop serving: its lease lapsed or
// is about to, etcd reported it gone, its record vanished, or it left. Err
// tells which.
func (m *Membership) Fenced() <-chan struct{} { return m.fenced }

// Err is nil while the member is live; after Fenced() closes it says why
// (ErrLeft after Leave).
func (m *Membership) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// fence marks the member finished: it closes Fenced() and stops renewing and
// watching. Only the first cause counts.
func (m *Membership) fence(cause error) bool {
	first := false
	m.fenceOnce.Do(func() {
		first = true
		m.mu.Lock()
		m.err = cause
		m.mu.Unlock()
		close(m.fenced)
		if m.cancel != nil {
			m.cancel()
		}
		if !errors.Is(cause, ErrLeft) {
			m.log.Warn("membership: fenced; stop serving", "node_id", m.self.NodeID, "cause", cause)
		}
	})
	return first
}

// Leave revokes the lease, which deletes this member's records at once, and
// closes the etcd client. Fenced() closes (Err is ErrLeft). After fencing,
// call Leave as well: it frees the node ID without waiting for the lease to
// expire (if etcd is reachable) and releases the client.
func (m *Membership) Leave(ctx context.Context) error {
	m.fence(ErrLeft)
	m.wg.Wait()
	var err error
	m.leaveOnce.Do(func() { err = m.leave(ctx) })
	return err
}

func (m *Membership) leave(ctx context.Context) error {
	var err error
	if !m.partitioned.Load() {
		// Past one TTL the lease has expired anyway (if etcd is down, Revoke
		// would only wait).
		rctx, cancel := context.WithTimeout(ctx, m.ttl)
		_, rerr := m.cli.Revoke(rctx, m.lease)
		cancel()
		if rerr != nil && !errors.Is(rerr, rpctypes.ErrLeaseNotFound) {
			err = fmt.Errorf("membership: revoke lease: %w", rerr)
		}
	}
	if cerr := m.cli.Close(); cerr != nil && err == nil && !errors.Is(cerr, context.Canceled) {
		err = cerr
	}
	return err
}

type renewal struct {
	sent time.Time
	ttl  time.Duration
	err  error
}

// keepAlive renews the lease every TTL/6 with one request at a time and
// fences the member when the last successful renewal was sent fenceAfter ago.
// It uses single KeepAliveOnce requests rather than the client's KeepAlive
// stream because fencing needs the send time of the request each response
// answers.
func (m *Membership) keepAlive(granted time.Time) {
	defer m.wg.Done()
	interval := m.ttl / 6
	renewedAt := granted // send time of the newest successful renewal
	ttl := m.ttl
	m.validFor.Store(int64(renewedAt.Add(ttl - ttl/3).Sub(m.base)))
	fenceTimer := time.NewTimer(time.Until(renewedAt.Add(ttl - ttl/3)))
	defer fenceTimer.Stop()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	results := make(chan renewal, 1)
	inFlight := false
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-fenceTimer.C:
			m.fence(fmt.Errorf("membership: lease not renewed for %s (TTL %s)", time.Since(renewedAt).Round(time.Millisecond), ttl))
			return
		case <-tick.C:
			if inFlight || m.partitioned.Load() {
				continue
			}
			inFlight = true
			go func() {
				ctx, cancel := context.WithTimeout(m.ctx, 2*interval)
				defer cancel()
				sent := time.Now()
				resp, err := m.cli.KeepAliveOnce(ctx, m.lease)
				r := renewal{sent: sent, err: err}
				if err == nil {
					r.ttl = time.Duration(resp.TTL) * time.Second
				}
				results <- r
			}()
		case r := <-results:
			inFlight = false
			switch {
			case errors.Is(r.err, rpctypes.ErrLeaseNotFound):
				m.fence(errors.New("membership: lease gone (expired or revoked)"))
				return
			case r.err != nil:
				if m.ctx.Err() != nil {
					return
				}
				m.log.Warn("membership: lease renewal failed", "err", r.err,
					"fence_in", time.Until(renewedAt.Add(ttl-ttl/3)).Round(time.Millisecond))
			case r.sent.After(renewedAt):
				renewedAt = r.sent
				ttl = min(m.ttl, r.ttl) // never trust a longer TTL than granted
				m.validFor.Store(int64(renewedAt.Add(ttl - ttl/3).Sub(m.base)))
				fenceTimer.Reset(time.Until(renewedAt.Add(ttl - ttl/3)))
			}
		}
	}
}

// watch follows the member records from revision from, re-listing when the
// watch is compacted or fails.
func (m *Membership) watch(from int64) {
	defer m.wg.Done()
	backoff := 100 * time.Millisecond
	rev := from - 1
	for m.ctx.Err() == nil {
		wctx, cancel := context.WithCancel(m.ctx)
		wch := m.cli.Watch(clientv3.WithRequireLeader(wctx), m.membersPrefix(),
			clientv3.WithPrefix(), clientv3.WithRev(rev+1))
		rev = m.follow(wch, rev)
		cancel()
		if m.ctx.Err() != nil {
			return
		}
		// The watch ended (compaction, leader loss, connection): re-list.
		for m.ctx.Err() == nil {
			lctx, lcancel := context.WithTimeout(m.ctx, m.ttl)
			r, err := m.list(lctx)
			lcancel()
			if err == nil {
				rev = r
				if m.cfg.hooks != nil {
					m.cfg.hooks.relisted.Add(1)
				}
				backoff = 100 * time.Millisecond
				break
			}
			m.log.Warn("membership: re-list members failed", "err", err)
			select {
			case <-m.ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
		}
	}
}

// follow applies watch responses until the watch fails; it returns the last
// revision applied.
func (m *Membership) follow(wch clientv3.WatchChan, rev int64) int64 {
	for resp := range wch {
		if resp.CompactRevision != 0 {
			m.log.Info("membership: watch compacted; re-listing", "compact_revision", resp.CompactRevision)
			return rev
		}
		if err := resp.Err(); err != nil {
			m.log.Warn("membership: watch failed; re-listing", "err", err)
			return rev
		}
		if len(resp.Events) == 0 {
			continue
		}
		selfGone := false
		m.mu.Lock()
		for _, ev := range resp.Events {
			id := strings.TrimPrefix(string(ev.Kv.Key), m.membersPrefix())
			switch ev.Type {
			case clientv3.EventTypePut:
				if mem, ok := m.decode(ev.Kv.Value); ok {
					m.members[mem.ID] = mem
				}
			case clientv3.EventTypeDelete:
				delete(m.members, id)
				selfGone = selfGone || id == m.self.ID
			}
		}
		m.mu.Unlock()
		rev = resp.Header.Revision
		if selfGone {
			m.fence(errors.New("membership: own member record deleted"))
			return rev
		}
		m.notify()
	}
	return rev
}
