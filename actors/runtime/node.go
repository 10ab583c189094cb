// Package runtime is parley's actor runtime: the only package that imports protoactor-go.
// It runs virtual actors ("grains") of named kinds on a protoactor cluster — one member
// by default, several with a membership provider — and gives the kinds what they need
// without protoactor types: activation with state loading, idle passivation, panic
// recovery, requests with parley's retry rule (Node.Go, Node.Request), one-way sends
// that survive passivation (Node.Send), messages to itself now or later (Grain.SendSelf,
// Grain.After), and plain local processes for the gateway (Node.Spawn, Node.SendProcess).
//
// A kind is a Handler: Activate loads the entity, Handle serves one message at a time,
// CanPassivate says whether the idle actor may stop. See docs/DEVELOPING.md.
package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/identitylookup/disthash"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
)

// maxRemoteMessage is the gRPC message limit between members: large fan-out batches
// must never be dropped with the connection (notes/protoactor.md).
const maxRemoteMessage = 64 << 20

// Kind is one actor kind: its name and how to make the handler of a new activation.
type Kind struct {
	Name string
	New  func() Handler
}

// Config configures one cluster member.
type Config struct {
	Logger *slog.Logger
	// ClusterName must be equal on all members. Default "parley".
	ClusterName string
	// Host and Port of this member's remote endpoint. Defaults 127.0.0.1 and 0 (any).
	Host string
	Port int
	// AdvertisedHost is the address other members reach this one at ("host:port").
	AdvertisedHost string
	// Members discovers the cluster's members. Nil: a one-member cluster of this process.
	Members Membership
	// Kinds are every kind of the cluster; Hosted names those this member runs (nil: all).
	// A member that hosts none of a kind still calls it on the members that do.
	Kinds  []Kind
	Hosted []string
	// IdleTimeout after which an actor with nothing to keep it alive stops. Default 2m.
	IdleTimeout time.Duration
	// RequestTimeout bounds one request to an actor. Default 5s.
	RequestTimeout time.Duration
	// Now is the clock (tests). Default time.Now.
	Now func() time.Time
	// Idempotent says whether a request may run twice (the client's idempotency key
	// makes a second run harmless, or it changes nothing). A request pending at a member
	// that left the cluster may have run there: it is sent again to the identity's new
	// activation only when Idempotent says so, else it fails with ErrMemberLost. Nil:
	// none is.
	Idempotent func(msg proto.Message) bool
}

func (c *Config) validate() error {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.ClusterName == "" {
		c.ClusterName = "parley"
	}
	if c.Host == "" {
		c.Host = "127.0.0.1"
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 2 * time.Minute
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Members == nil {
		c.Members = SingleNode()
	}
	seen := map[string]bool{}
	for _, k := range c.Kinds {
		if k.Name == "" || k.New == nil || seen[k.Name] {
			return fmt.Errorf("runtime: kind %q missing, incomplete or given twice", k.Name)
		}
		seen[k.Name] = true
	}
	for _, h := range c.Hosted {
		if !seen[h] {
			return fmt.Errorf("runtime: hosted kind %q is not a kind", h)
		}
	}
	return nil
}

// Node is one member of the actor cluster.
type Node struct {
	cfg     Config
	log     *slog.Logger
	sys     *actor.ActorSystem
	cl      *cluster.Cluster
	pids    sync.Map // kind+"/"+identity -> *actor.PID
	stopped sync.Map // pid.Id -> *cluster.ClusterIdentity of recently stopped activations
	procs   sync.Map // names of the local processes (Spawn): dead letters to them are dropped
	idents  sync.Map // address+"/"+pid.Id -> ident of activations this node sent to
	subs    []func()
	topoMu  sync.Mutex
	onTopo  []func()
	pending inflight // requests awaiting replies, by target activation (call.go)
	disp    *poolDispatcher
	closed  chan struct{}
	once    sync.Once
}

// Start configures the actor system, registers the kinds and joins the cluster.
func Start(cfg Config) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, log: cfg.Logger.With("component", "actors"), closed: make(chan struct{})}
	n.sys = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return quietLogger(cfg.Logger)
	}), actor.WithDeadLetterThrottleCount(0), actor.WithDeadLetterRequestLogging(false))

	ropts := []remote.ConfigOption{
		remote.WithServerOptions(grpc.MaxRecvMsgSize(maxRemoteMessage)),
		remote.WithDialOptions(grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRemoteMessage), grpc.MaxCallSendMsgSize(maxRemoteMessage))),
		remote.WithEndpointWriterBatchSize(1000),
	}
	if cfg.AdvertisedHost != "" {
		ropts = append(ropts, remote.WithAdvertisedHost(cfg.AdvertisedHost))
	}
	rcfg := remote.Configure(cfg.Host, cfg.Port, ropts...)

	n.disp = newPoolDispatcher(64, 300)
	ccfg := cluster.Configure(cfg.ClusterName, cfg.Members.provider(), disthash.New(), rcfg,
		cluster.WithKinds(n.kinds()...), cluster.WithRequestTimeout(cfg.RequestTimeout))
	n.cl = cluster.New(n.sys, ccfg)
	if err := n.startMember(); err != nil {
		return nil, err
	}
	n.watchActivations()
	n.log.Info("cluster member started", "address", n.sys.Address(), "kinds", n.hostedKinds())
	return n, nil
}

// startMember joins the cluster: protoactor panics when its provider fails.
func (n *Node) startMember() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("runtime: joining the cluster failed: %v", p)
			n.cl.Remote.Shutdown(false)
			n.disp.stop()
		}
	}()
	n.cl.StartMember()
	return nil
}

// NodeID is the node ID the membership handed out: unique among the live members
// (etcd), 1 for a single node, 0 when the caller must choose (in-process clusters).
func (n *Node) NodeID() int { return n.cfg.Members.nodeID() }

// Fenced closes when this member lost its membership (its lease lapsed): it must stop
// serving at once, since another member may take its actors over. Nil (never closes)
// for a single node.
func (n *Node) Fenced() <-chan struct{} { return n.cfg.Members.fenced() }

// Live reports whether this member may serve now: false once its membership lapsed
// (a node paused or cut off past its lease's deadline), even before Fenced closes.
// Grains refuse messages and the gateway refuses requests while it is false.
func (n *Node) Live() bool { return n.cfg.Members.live() }

// OnTopologyChange registers fn to run after members joined or left (actors may have
// moved: whoever keeps state only in memory at another actor tells it again).
func (n *Node) OnTopologyChange(fn func()) {
	n.topoMu.Lock()
	n.onTopo = append(n.onTopo, fn)
	n.topoMu.Unlock()
}

func (n *Node) hostedKinds() []string {
	if n.cfg.Hosted != nil {
		return n.cfg.Hosted
	}
	out := make([]string, 0, len(n.cfg.Kinds))
	for _, k := range n.cfg.Kinds {
		out = append(out, k.Name)
	}
	sort.Strings(out)
	return out
}

func (n *Node) kinds() []*cluster.Kind {
	byName := map[string]Kind{}
	for _, k := range n.cfg.Kinds {
		byName[k.Name] = k
	}
	var out []*cluster.Kind
	for _, name := range n.hostedKinds() {
		k := byName[name]
		props := actor.PropsFromProducer(func() actor.Actor {
			return &Grain{node: n, kind: k.Name, h: k.New()}
		}, actor.WithDispatcher(n.disp))
		out = append(out, cluster.NewKind(k.Name, props))
	}
	return out
}

// Address is this member's actor-system address ("host:port"): the node part of every
// connection reference the gateway of this member hands out.
func (n *Node) Address() string { return n.sys.Address() }

// Logger is the runtime's logger.
func (n *Node) Logger() *slog.Logger { return n.log }

// Now is the runtime's clock.
func (n *Node) Now() time.Time { return n.cfg.Now() }

// RequestTimeout bounds one request to an actor (and a store call inside one).
func (n *Node) RequestTimeout() time.Duration { return n.cfg.RequestTimeout }

// Schedule runs fn on one of the node's long-lived workers (the gateway uses them for
// work that needs a deep stack). fn must not block for long.
func (n *Node) Schedule(fn func()) { n.disp.Schedule(fn) }

// Shutdown stops every actor and process of this member and leaves the cluster.
func (n *Node) Shutdown(ctx context.Context) error {
	n.once.Do(func() {
		close(n.closed)
		for _, unsubscribe := range n.subs {
			unsubscribe()
		}
		done := make(chan struct{})
		graceful := !n.cfg.Members.single()
		go func() { n.cl.Shutdown(graceful); n.disp.stop(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
		}
	})
	return ctx.Err()
}

func pidKey(kind, identity string) string { return kind + "/" + identity }

// pid resolves (and caches) the activation of kind/identity.
func (n *Node) pid(kind, identity string) (*actor.PID, error) {
	key := pidKey(kind, identity)
	if v, ok := n.pids.Load(key); ok {
		return v.(*actor.PID), nil
	}
	p := n.cl.Get(identity, kind)
	if p == nil {
		return nil, fmt.Errorf("runtime: no activation for %s", key)
	}
	n.pids.Store(key, p)
	if p.Address != n.sys.Address() {
		n.idents.Store(identKey(p), &cluster.ClusterIdentity{Kind: kind, Identity: identity})
	}
	return p, nil
}

func (n *Node) evict(kind, identity string, p *actor.PID) {
	key := pidKey(kind, identity)
	if v, ok := n.pids.Load(key); ok && (p == nil || v.(*actor.PID).Equal(p)) {
		if n.pids.CompareAndDelete(key, v) {
			n.forgetIdent(v.(*actor.PID))
		}
	}
}

func identKey(p *actor.PID) string { return p.Address + "/" + p.Id }

// forgetIdent drops what the node remembered of a remote activation it no longer caches
// (idents holds one entry per cached remote PID, not one per activation ever seen).
func (n *Node) forgetIdent(p *actor.PID) { n.idents.Delete(identKey(p)) }

// Cached reports whether the node knows an activation of kind/identity (tests).
func (n *Node) Cached(kind, identity string) bool {
	_, ok := n.pids.Load(pidKey(kind, identity))
	return ok
}

// watchActivations keeps the PID cache true: terminated activations are evicted, and a
// one-way message that reached a terminated activation is sent again to the new one
// (so that no push is lost to a passivation race).
func (n *Node) watchActivations() {
	es := n.sys.EventStream
	s := es.Subscribe(func(evt any) {
		switch e := evt.(type) {
		case *cluster.ActivationTerminated:
			if e.ClusterIdentity == nil || e.Pid == nil {
				return
			}
			n.stopped.Store(e.Pid.Id, e.ClusterIdentity)
			n.evict(e.ClusterIdentity.Kind, e.ClusterIdentity.Identity, e.Pid)
			n.activationStopped(e.Pid)
			time.AfterFunc(time.Minute, func() { n.stopped.Delete(e.Pid.Id) })
		case *cluster.ClusterTopology:
			n.topologyChanged(e)
		case *actor.DeadLetterEvent:
			if e.PID == nil || e.Sender != nil {
				return // requests are retried by their caller
			}
			msg, ok := e.Message.(proto.Message)
			if !ok {
				return
			}
			if _, local := n.procs.Load(e.PID.Id); local {
				return // a process of the gateway, not a virtual actor
			}
			go n.redeliver(e.PID, msg)
		}
	})
	n.subs = append(n.subs, func() { es.Unsubscribe(s) })
}

// topologyChanged: members joined or left, so activations may live elsewhere now. Every
// cached PID is dropped (placement is recomputed on the next call), requests pending
// at a member that left are sent again or failed (Config.Idempotent), and the
// registered listeners run.
func (n *Node) topologyChanged(t *cluster.ClusterTopology) {
	if len(t.Joined) == 0 && len(t.Left) == 0 {
		return
	}
	// The identities of the dropped remote PIDs are kept a minute: messages still on
	// their way to activations that left or moved come back as dead letters, resent by
	// identity (redeliver).
	var dropped []*actor.PID
	n.pids.Range(func(k, v any) bool {
		n.pids.Delete(k)
		dropped = append(dropped, v.(*actor.PID))
		return true
	})
	time.AfterFunc(time.Minute, func() {
		for _, p := range dropped {
			v, ok := n.idents.Load(identKey(p))
			if !ok {
				continue // local, or forgotten already
			}
			ci := v.(*cluster.ClusterIdentity)
			if cur, cached := n.pids.Load(pidKey(ci.Kind, ci.Identity)); !cached || !cur.(*actor.PID).Equal(p) {
				n.forgetIdent(p) // not cached again since: nothing will evict it
			}
		}
	})
	for _, m := range t.Left {
		addr := m.Address()
		n.log.Warn("cluster member left", "member", m.Id, "address", addr)
		for _, p := range n.pending.takeAddress(addr) {
			if !p.finish() {
				continue
			}
			if n.cfg.Idempotent != nil && n.cfg.Idempotent(p.msg) {
				p.again()
			} else {
				p.done(nil, ErrMemberLost)
			}
		}
	}
	n.topoMu.Lock()
	listeners := append([]func(){}, n.onTopo...)
	n.topoMu.Unlock()
	for _, fn := range listeners {
		go fn()
	}
}

func (n *Node) redeliver(dead *actor.PID, msg proto.Message) {
	if v, ok := n.idents.Load(identKey(dead)); ok && dead.Address != n.sys.Address() {
		// An activation on another member that is gone (the member left or the
		// activation moved): send it to wherever the identity lives now.
		ci := v.(*cluster.ClusterIdentity)
		n.forgetIdent(dead)
		n.resend(ci, dead, msg)
		return
	}
	var ci *cluster.ClusterIdentity
	for i := 0; i < 50 && ci == nil; i++ {
		if v, ok := n.stopped.Load(dead.Id); ok {
			ci = v.(*cluster.ClusterIdentity)
			break
		}
		select { // the termination event may trail the dead letter
		case <-n.closed:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
	if ci == nil {
		return
	}
	n.resend(ci, dead, msg)
}

// resend sends a one-way message that reached a dead activation to the identity's
// current one.
func (n *Node) resend(ci *cluster.ClusterIdentity, dead *actor.PID, msg proto.Message) {
	n.evict(ci.Kind, ci.Identity, dead)
	for attempt := 0; attempt < 20; attempt++ {
		p, err := n.pid(ci.Kind, ci.Identity)
		if err == nil && !p.Equal(dead) {
			n.sys.Root.Send(p, msg)
			return
		}
		n.evict(ci.Kind, ci.Identity, dead)
		select {
		case <-n.closed:
			return
		case <-time.After(time.Duration(attempt+1) * 2 * time.Millisecond):
		}
	}
	n.log.Warn("message lost to a stopped activation", "kind", ci.Kind, "identity", ci.Identity)
}

// Locate returns the address of the member hosting kind/identity (activating it).
func (n *Node) Locate(kind, identity string) (string, error) {
	p, err := n.pid(kind, identity)
	if err != nil {
		return "", err
	}
	return p.Address, nil
}

// Send delivers msg one-way to kind/identity, activating it if needed. Messages from one
// goroutine to one actor arrive in order.
func (n *Node) Send(kind, identity string, msg proto.Message) {
	p, err := n.pid(kind, identity)
	if err != nil {
		n.log.Warn("send failed", "kind", kind, "identity", identity, "err", err)
		return
	}
	n.sys.Root.Send(p, msg)
}

// Notify delivers msg one-way to kind/identity without waiting for the activation to be
// located when it is not known yet. Unlike Send it keeps no order with other messages to
// the target: only for notices the target may get in any order and more than once
// ("reload X from the store").
func (n *Node) Notify(kind, identity string, msg proto.Message) {
	if v, ok := n.pids.Load(pidKey(kind, identity)); ok {
		n.sys.Root.Send(v.(*actor.PID), msg)
		return
	}
	go n.Send(kind, identity, msg)
}

// Stop stops the activation of kind/identity, if any, and waits until it has stopped
// (tests and benchmarks that need a cold actor).
func (n *Node) Stop(kind, identity string) error {
	p, err := n.pid(kind, identity)
	if err != nil {
		return err
	}
	return n.sys.Root.PoisonFuture(p).Wait()
}

func (n *Node) timeout(ctx context.Context) time.Duration {
	timeout := n.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		if d := time.Until(dl); d < timeout {
			timeout = d
		}
	}
	return timeout
}

// Spawn starts a plain local process named name on this node: receive gets every message
// sent to it (Node.SendProcess from any member), one at a time, on the node's workers.
// The returned function stops it. Processes are not virtual actors: they are not
// activated on demand, and one-way messages to a stopped one are dropped.
func (n *Node) Spawn(name string, receive func(msg proto.Message)) (stop func(), err error) {
	props := actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(proto.Message); ok && m.ProtoReflect().Descriptor().ParentFile().Package() == "parley" {
			receive(m) // parley's messages only, not the library's own
		}
	}, actor.WithDispatcher(n.disp))
	pid, err := n.sys.Root.SpawnNamed(props, name)
	if err != nil {
		if errors.Is(err, actor.ErrNameExists) {
			return nil, fmt.Errorf("runtime: a process named %q runs already", name)
		}
		return nil, err
	}
	n.procs.Store(pid.Id, struct{}{})
	return func() {
		n.sys.Root.Stop(pid)
	}, nil
}

// SendProcess sends msg one-way to the process name (Spawn) of the member at address.
func (n *Node) SendProcess(address, name string, msg proto.Message) {
	n.sys.Root.Send(actor.NewPID(address, name), msg)
}
