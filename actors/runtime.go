// Package actors holds parley's virtual actors (protoactor-go cluster kinds) and the one
// small runtime layer over the cluster that they share: activation with state loading,
// idle passivation, panic recovery, typed requests with parley's own retry policy, and
// delivery of pushes to the gateway nodes' fan-out actors.
package actors

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

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Actor kinds.
const (
	KindUser = "user"
	KindPeer = "peer"
)

// FanoutActorName is the name of the node-local fan-out actor every gateway node runs.
const FanoutActorName = "fanout"

// maxRemoteMessage is the gRPC message limit between members: large fan-out batches
// must never be dropped with the connection (notes/protoactor.md).
const maxRemoteMessage = 64 << 20

// Config configures one cluster member.
type Config struct {
	Store  persistence.Store
	Logger *slog.Logger
	// ClusterName must be equal on all members. Default "parley".
	ClusterName string
	// Host and Port of this member's remote endpoint. Defaults 127.0.0.1 and 0 (any).
	Host string
	Port int
	// AdvertisedHost is the address other members reach this one at ("host:port").
	AdvertisedHost string
	// Provider discovers members. Nil means a one-member cluster of this process.
	Provider cluster.ClusterProvider
	// Kinds hosted by this member; nil means every kind. A member hosting none of a
	// kind still calls it on the members that do (embedders).
	Kinds []string
	// IdleTimeout after which an actor with nothing to keep it alive stops. Default 2m.
	IdleTimeout time.Duration
	// RequestTimeout bounds one request to an actor. Default 5s.
	RequestTimeout time.Duration
	// NodeID distinguishes this member in server-made IDs (0..1023). Default: derived
	// from the member's address.
	NodeID int
	Limits Limits
	// Rooms configures the room actors (room_config.go).
	Rooms RoomConfig
	// Now is the clock (tests). Default time.Now.
	Now func() time.Time
}

// Validate fills defaults and checks the configuration.
func (c *Config) Validate() error {
	if c.Store == nil {
		return errors.New("actors: config needs a Store")
	}
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
	if c.NodeID < 0 || c.NodeID > 1023 {
		return fmt.Errorf("actors: NodeID %d out of range 0..1023", c.NodeID)
	}
	if err := c.Rooms.validate(); err != nil {
		return err
	}
	return c.Limits.validate()
}

// Runtime is one member of the parley actor cluster.
type Runtime struct {
	cfg     Config
	log     *slog.Logger
	sys     *actor.ActorSystem
	cl      *cluster.Cluster
	ids     *idGen
	pids    sync.Map // kind+"/"+identity -> *actor.PID
	stopped sync.Map // pid.Id -> *cluster.ClusterIdentity of recently stopped activations
	subs    []*eventSub
	pending inflight // requests awaiting replies, by target activation (call.go)
	disp    *poolDispatcher
	closed  chan struct{}
	once    sync.Once
}

type eventSub struct{ unsubscribe func() }

// Start configures the actor system, registers the kinds and joins the cluster.
func Start(cfg Config) (*Runtime, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Runtime{cfg: cfg, log: cfg.Logger.With("component", "actors"), closed: make(chan struct{})}
	r.sys = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return quietLogger(cfg.Logger)
	}), actor.WithDeadLetterThrottleCount(0), actor.WithDeadLetterRequestLogging(false))

	ropts := []remote.ConfigOption{
		remote.WithServerOptions(grpc.MaxRecvMsgSize(maxRemoteMessage)),
		remote.WithDialOptions(grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRemoteMessage), grpc.MaxCallSendMsgSize(maxRemoteMessage))),
		remote.WithEndpointWriterBatchSize(200),
	}
	if cfg.AdvertisedHost != "" {
		ropts = append(ropts, remote.WithAdvertisedHost(cfg.AdvertisedHost))
	}
	rcfg := remote.Configure(cfg.Host, cfg.Port, ropts...)

	provider := cfg.Provider
	if provider == nil {
		provider = &singleProvider{}
	}
	r.disp = newPoolDispatcher(64, 300)
	kinds := r.kinds()
	ccfg := cluster.Configure(cfg.ClusterName, provider, disthash.New(), rcfg,
		cluster.WithKinds(kinds...), cluster.WithRequestTimeout(cfg.RequestTimeout))
	r.cl = cluster.New(r.sys, ccfg)
	r.cl.StartMember()
	if cfg.NodeID == 0 {
		cfg.NodeID = int(hashString(r.sys.Address()) % 1024)
	}
	r.ids = newIDGen(cfg.NodeID, cfg.Now)
	r.cfg = cfg
	r.watchActivations()
	r.log.Info("cluster member started", "address", r.sys.Address(), "kinds", r.hostedKinds())
	return r, nil
}

func (r *Runtime) hostedKinds() []string {
	if r.cfg.Kinds != nil {
		return r.cfg.Kinds
	}
	return AllKinds()
}

// kindRegistry holds every actor kind parley has; each kind's file registers itself.
var kindRegistry = map[string]func() handler{}

// registerKind adds an actor kind (called from init of the kind's file).
func registerKind(name string, factory func() handler) { kindRegistry[name] = factory }

// AllKinds lists every actor kind parley has, sorted.
func AllKinds() []string {
	out := make([]string, 0, len(kindRegistry))
	for k := range kindRegistry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *Runtime) kinds() []*cluster.Kind {
	var out []*cluster.Kind
	for _, k := range r.hostedKinds() {
		newHandler := r.handlerFactory(k)
		if newHandler == nil {
			continue
		}
		kind := k
		props := actor.PropsFromProducer(func() actor.Actor {
			return &grain{rt: r, kind: kind, h: newHandler()}
		}, actor.WithDispatcher(r.disp))
		out = append(out, cluster.NewKind(kind, props))
	}
	return out
}

func (r *Runtime) handlerFactory(kind string) func() handler { return kindRegistry[kind] }

// Dispatcher runs the actors of this member on long-lived workers (dispatcher.go); the
// gateway's fan-out actor uses it too.
func (r *Runtime) Dispatcher() actor.Dispatcher { return r.disp }

// System is the member's actor system (the gateway spawns its fan-out actor on it).
func (r *Runtime) System() *actor.ActorSystem { return r.sys }

// Address is this member's actor-system address.
func (r *Runtime) Address() string { return r.sys.Address() }

// Store is the store the actors persist through.
func (r *Runtime) Store() persistence.Store { return r.cfg.Store }

// Limits are the configured limits.
func (r *Runtime) Limits() Limits { return r.cfg.Limits }

// Logger is the runtime's logger.
func (r *Runtime) Logger() *slog.Logger { return r.log }

func (r *Runtime) now() time.Time { return r.cfg.Now() }

// Shutdown stops every actor of this member and leaves the cluster. It does not close
// the store (the caller owns it and closes it afterwards).
func (r *Runtime) Shutdown(ctx context.Context) error {
	r.once.Do(func() {
		close(r.closed)
		for _, s := range r.subs {
			s.unsubscribe()
		}
		done := make(chan struct{})
		// A one-member cluster has nobody to hand activations over to: skip the
		// library's graceful wait.
		graceful := r.cfg.Provider != nil
		go func() { r.cl.Shutdown(graceful); r.disp.stop(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
		}
	})
	return ctx.Err()
}

func pidKey(kind, identity string) string { return kind + "/" + identity }

// pid resolves (and caches) the activation of kind/identity.
func (r *Runtime) pid(kind, identity string) (*actor.PID, error) {
	key := pidKey(kind, identity)
	if v, ok := r.pids.Load(key); ok {
		return v.(*actor.PID), nil
	}
	p := r.cl.Get(identity, kind)
	if p == nil {
		return nil, fmt.Errorf("actors: no activation for %s", key)
	}
	r.pids.Store(key, p)
	return p, nil
}

func (r *Runtime) evict(kind, identity string, p *actor.PID) {
	key := pidKey(kind, identity)
	if v, ok := r.pids.Load(key); ok && (p == nil || v.(*actor.PID).Equal(p)) {
		r.pids.CompareAndDelete(key, v)
	}
}

// watchActivations keeps the PID cache true: terminated activations are evicted, and a
// one-way message that reached a terminated activation is sent again to the new one
// (so that no push is lost to a passivation race).
func (r *Runtime) watchActivations() {
	es := r.sys.EventStream
	s1 := es.Subscribe(func(evt any) {
		switch e := evt.(type) {
		case *cluster.ActivationTerminated:
			if e.ClusterIdentity == nil || e.Pid == nil {
				return
			}
			r.stopped.Store(e.Pid.Id, e.ClusterIdentity)
			r.evict(e.ClusterIdentity.Kind, e.ClusterIdentity.Identity, e.Pid)
			r.activationStopped(e.Pid)
			time.AfterFunc(time.Minute, func() { r.stopped.Delete(e.Pid.Id) })
		case *actor.DeadLetterEvent:
			if e.PID == nil || e.Sender != nil {
				return // requests are retried by their caller
			}
			msg, ok := e.Message.(proto.Message)
			if !ok {
				return
			}
			if _, isFanout := msg.(*messages.Deliver); isFanout || e.PID.Id == FanoutActorName {
				return
			}
			go r.redeliver(e.PID, msg)
		}
	})
	r.subs = append(r.subs, &eventSub{unsubscribe: func() { es.Unsubscribe(s1) }})
}

func (r *Runtime) redeliver(dead *actor.PID, msg proto.Message) {
	var ci *cluster.ClusterIdentity
	for i := 0; i < 50 && ci == nil; i++ {
		if v, ok := r.stopped.Load(dead.Id); ok {
			ci = v.(*cluster.ClusterIdentity)
			break
		}
		select { // the termination event may trail the dead letter
		case <-r.closed:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
	if ci == nil {
		return
	}
	r.evict(ci.Kind, ci.Identity, dead)
	for attempt := 0; attempt < 20; attempt++ {
		p, err := r.pid(ci.Kind, ci.Identity)
		if err == nil && !p.Equal(dead) {
			r.sys.Root.Send(p, msg)
			return
		}
		r.evict(ci.Kind, ci.Identity, dead)
		select {
		case <-r.closed:
			return
		case <-time.After(time.Duration(attempt+1) * 2 * time.Millisecond):
		}
	}
	r.log.Warn("message lost to a stopped activation", "kind", ci.Kind, "identity", ci.Identity)
}

// Locate returns the address of the member hosting kind/identity (activating it).
func (r *Runtime) Locate(kind, identity string) (string, error) {
	p, err := r.pid(kind, identity)
	if err != nil {
		return "", err
	}
	return p.Address, nil
}

// Send delivers msg one-way to kind/identity, activating it if needed.
func (r *Runtime) Send(kind, identity string, msg proto.Message) {
	p, err := r.pid(kind, identity)
	if err != nil {
		r.log.Warn("send failed", "kind", kind, "identity", identity, "err", err)
		return
	}
	r.sys.Root.Send(p, msg)
}

// notify delivers msg one-way to kind/identity without waiting for the activation to be
// located when it is not known yet. Unlike Send it keeps no order with other messages to
// the target: only for notices the target may get in any order and more than once
// ("reload X from the store").
func (r *Runtime) notify(kind, identity string, msg proto.Message) {
	if v, ok := r.pids.Load(pidKey(kind, identity)); ok {
		r.sys.Root.Send(v.(*actor.PID), msg)
		return
	}
	go r.Send(kind, identity, msg)
}

func (r *Runtime) timeout(ctx context.Context) time.Duration {
	timeout := r.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		if d := time.Until(dl); d < timeout {
			timeout = d
		}
	}
	return timeout
}

// replyOutcome turns an actor's reply into a result or a *CodeError.
func replyOutcome(res any) (proto.Message, error) {
	if rep, ok := res.(*messages.CallReply); ok && rep.Code != 0 {
		return nil, &CodeError{Code: rep.Code, Message: rep.Message}
	}
	out, ok := res.(proto.Message)
	if !ok {
		return nil, ErrInternal
	}
	return out, nil
}

// Call runs a client method on kind/identity and returns the reply's Result bytes.
func (r *Runtime) Call(ctx context.Context, kind, identity string, call *messages.Call) ([]byte, error) {
	res, err := r.Request(ctx, kind, identity, call)
	if err != nil {
		return nil, err
	}
	rep, ok := res.(*messages.CallReply)
	if !ok {
		return nil, ErrInternal
	}
	return rep.Data, nil
}

// Deliver hands a push to connections of one gateway node: this node's gateway takes it
// at once, another node's through its fan-out actor.
func (r *Runtime) Deliver(node string, d *messages.Deliver) {
	if node == r.Address() {
		if local := r.localDelivery(); local != nil {
			local.DeliverPush(d)
			return
		}
	}
	r.sys.Root.Send(actor.NewPID(node, FanoutActorName), d)
}

// PushTo sends one event to the given connections, one Deliver per node.
func (r *Runtime) PushTo(conns []*messages.ConnRef, event string, payload proto.Message, except uint64) {
	if len(conns) == 0 {
		return
	}
	push, err := NewPush(event, payload)
	if err != nil {
		r.log.Error("encode push", "event", event, "err", err)
		return
	}
	r.deliverTo(conns, push, except)
}

// deliverTo hands one encoded push to the given connections but except (0: none), one
// Deliver per gateway node.
func (r *Runtime) deliverTo(conns []*messages.ConnRef, push *messages.Push, except uint64) {
	byNode := map[string][]uint64{}
	for _, c := range conns {
		if c.ConnID != except {
			byNode[c.Node] = append(byNode[c.Node], c.ConnID)
		}
	}
	for node, ids := range byNode {
		r.Deliver(node, &messages.Deliver{ConnIDs: ids, Push: push})
	}
}

// pushToUser asks user's actor to push an event to the user's devices but except.
func (r *Runtime) pushToUser(user string, except *messages.ConnRef, event string, payload proto.Message) {
	push, err := NewPush(event, payload)
	if err != nil {
		r.log.Error("encode push", "event", event, "err", err)
		return
	}
	up := &messages.UserPush{Push: push}
	if except != nil {
		up.ExceptConnID = except.ConnID
	}
	r.Send(KindUser, user, up)
}

// NewPush encodes an event payload once.
func NewPush(event string, payload proto.Message) (*messages.Push, error) {
	data, err := proto.Marshal(payload)
	if err != nil {
		return nil, err
	}
	return &messages.Push{Event: event, Type: string(payload.ProtoReflect().Descriptor().FullName()), Data: data}, nil
}

// NewMessageID returns a globally unique, time-ordered message ID.
func (r *Runtime) NewMessageID() uint64 { return r.ids.next() }

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// quietLogger is the actor library's logger: parley's logger, WARN and above only.
func quietLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{h: l.Handler(), min: slog.LevelWarn}).With("lib", "protoactor")
}

type levelFilter struct {
	h   slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}
func (f levelFilter) Handle(ctx context.Context, r slog.Record) error { return f.h.Handle(ctx, r) }
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{h: f.h.WithAttrs(a), min: f.min}
}
func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{h: f.h.WithGroup(n), min: f.min}
}
