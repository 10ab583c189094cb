// Package actors holds parley's virtual actor kinds (user, peer, group, room, community,
// channel) and the domain layer they share over the actor runtime (actors/runtime, the
// only importer of protoactor): configuration and limits, message IDs, the store, and
// delivery of pushes to the gateway nodes' connections.
package actors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Actor kinds.
const (
	KindUser = "user"
	KindPeer = "peer"
)

// FanoutActorName is the name of the node-local fan-out process every gateway node runs.
const FanoutActorName = "fanout"

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
	// Members discovers the cluster's members. Nil means a one-member cluster of this
	// process (runtime.SingleNode).
	Members runtime.Membership
	// Kinds hosted by this member; nil means every kind. A member hosting none of a
	// kind still calls it on the members that do (embedders).
	Kinds []string
	// IdleTimeout after which an actor with nothing to keep it alive stops. Default 2m.
	IdleTimeout time.Duration
	// RequestTimeout bounds one request to an actor. Default 5s.
	RequestTimeout time.Duration
	// NodeID distinguishes this member in server-made IDs (1..1023). Default: the one
	// the membership hands out (etcd: unique among live members; a single node: 1);
	// in-process clusters must set it.
	NodeID int
	Limits Limits
	// Rooms configures the room actors (room_config.go).
	Rooms RoomConfig
	// Now is the clock (tests). Default time.Now.
	Now func() time.Time
	// Media resolves the files of media messages (types 11–14) and releases them when
	// messages are removed for everyone (media.Service). Nil: media messages are
	// refused as unsupported (6000013).
	Media MediaResolver
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

// Runtime is one member of the parley actor cluster: the actor runtime's node plus what
// every kind shares (store, limits, IDs, push delivery).
type Runtime struct {
	cfg   Config
	log   *slog.Logger
	node  actorNode     // the runtime's node; a recorder in the kinds' unit tests
	rnode *runtime.Node // nil in unit tests
	ids   *idGen
	local atomic.Pointer[localDeliveryRef] // this node's gateway (SetLocalDelivery)
	sweep *callSweeper                     // wakes calls whose deadline passed (call_sweep.go)
}

type localDeliveryRef struct{ LocalDelivery }

// actorNode is what the kinds use of the runtime's node (*runtime.Node), so that their
// unit tests can run them on a recorder instead of an actor system.
type actorNode interface {
	Address() string
	Send(kind, identity string, msg proto.Message)
	Notify(kind, identity string, msg proto.Message)
	Go(ctx context.Context, kind, identity string, msg proto.Message, done func(proto.Message, error))
	Request(ctx context.Context, kind, identity string, msg proto.Message) (proto.Message, error)
	Call(ctx context.Context, kind, identity string, call *messages.Call) ([]byte, error)
	SendProcess(address, name string, msg proto.Message)
	Locate(kind, identity string) (string, error)
	Shutdown(ctx context.Context) error
}

var _ actorNode = (*runtime.Node)(nil)

// Start starts the actor runtime with every kind and joins the cluster.
func Start(cfg Config) (*Runtime, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Runtime{cfg: cfg, log: cfg.Logger.With("component", "actors")}
	node, err := runtime.Start(runtime.Config{
		Logger:         cfg.Logger,
		ClusterName:    cfg.ClusterName,
		Host:           cfg.Host,
		Port:           cfg.Port,
		AdvertisedHost: cfg.AdvertisedHost,
		Members:        cfg.Members,
		Kinds:          r.kinds(),
		Hosted:         cfg.Kinds,
		IdleTimeout:    cfg.IdleTimeout,
		RequestTimeout: cfg.RequestTimeout,
		Now:            cfg.Now,
		Idempotent:     idempotent,
	})
	if err != nil {
		return nil, err
	}
	r.node, r.rnode = node, node
	if cfg.NodeID == 0 {
		cfg.NodeID = node.NodeID() // handed out by the membership, never derived from an address
	}
	if cfg.NodeID <= 0 {
		_ = node.Shutdown(context.Background())
		return nil, errors.New("actors: this membership hands out no node IDs: set Config.NodeID (1..1023), unique in the cluster")
	}
	r.ids = newIDGen(cfg.NodeID, cfg.Now)
	r.cfg = cfg
	r.startCallSweeper()
	return r, nil
}

// idempotent says which requests may run twice (runtime.Config.Idempotent): queries and
// the table's Repeatable setters, a sendMessage with the client's localMessageID (the
// log stores it once), and device registrations, which set what is already set.
func idempotent(msg proto.Message) bool {
	switch m := msg.(type) {
	case *messages.Call:
		spec := messages.LookupMethod(m.Method)
		if spec == nil {
			return false
		}
		if spec.ReadOnly || spec.Repeatable {
			return true
		}
		if spec.Name == messages.MethodSendMessage.Name {
			p := &messages.SendMessageParams{}
			return proto.Unmarshal(m.Params, p) == nil && p.GetMessage().GetLocalMessageID() != ""
		}
		return false
	case *messages.RegisterDevice, *messages.PeerBlockChanged: // (the peer reads the block again)
		return true
	}
	return false
}

// AllKinds lists every actor kind parley has, sorted.
func AllKinds() []string {
	kinds := kindTable()
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k.name)
	}
	sort.Strings(out)
	return out
}

// kinds are the runtime's kinds: each activation's handler is the kind's, adapted to the
// runtime with this Runtime beside it.
func (r *Runtime) kinds() []runtime.Kind {
	kinds := kindTable()
	out := make([]runtime.Kind, 0, len(kinds))
	for _, k := range kinds {
		k := k
		out = append(out, runtime.Kind{Name: k.name, New: func() runtime.Handler {
			return &kindAdapter{rt: r, h: k.new()}
		}})
	}
	return out
}

// Node is the actor runtime's node (the gateway spawns its processes on it).
func (r *Runtime) Node() *runtime.Node { return r.rnode }

// Address is this member's actor-system address.
func (r *Runtime) Address() string { return r.node.Address() }

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
	r.stopCallSweeper()
	return r.node.Shutdown(ctx)
}

// Locate returns the address of the member hosting kind/identity (activating it).
func (r *Runtime) Locate(kind, identity string) (string, error) { return r.node.Locate(kind, identity) }

// Send delivers msg one-way to kind/identity, activating it if needed.
func (r *Runtime) Send(kind, identity string, msg proto.Message) { r.node.Send(kind, identity, msg) }

// notify is runtime.Node.Notify: one-way, unordered, for idempotent notices.
func (r *Runtime) notify(kind, identity string, msg proto.Message) {
	r.node.Notify(kind, identity, msg)
}

// Go is runtime.Node.Go: a request answered asynchronously through done.
func (r *Runtime) Go(ctx context.Context, kind, identity string, msg proto.Message, done func(proto.Message, error)) {
	r.node.Go(ctx, kind, identity, msg, done)
}

// Request sends msg to kind/identity and waits for the reply.
func (r *Runtime) Request(ctx context.Context, kind, identity string, msg proto.Message) (proto.Message, error) {
	return r.node.Request(ctx, kind, identity, msg)
}

// Call runs a client method on kind/identity and returns the reply's Result bytes.
func (r *Runtime) Call(ctx context.Context, kind, identity string, call *messages.Call) ([]byte, error) {
	return r.node.Call(ctx, kind, identity, call)
}

// Deliver hands a push to connections of one gateway node: this node's gateway takes it
// at once, another node's through its fan-out process.
func (r *Runtime) Deliver(node string, d *messages.Deliver) {
	if node == r.Address() {
		if local := r.localDelivery(); local != nil {
			local.DeliverPush(d)
			return
		}
	}
	r.node.SendProcess(node, FanoutActorName, d)
}

// PushTo sends one event to the given connections, one Deliver per node.
func (r *Runtime) PushTo(conns []*messages.ConnRef, ev messages.Pushed, except uint64) {
	event := ev.Name
	if len(conns) == 0 {
		return
	}
	push, err := NewPush(ev)
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
func (r *Runtime) pushToUser(user string, except *messages.ConnRef, ev messages.Pushed) {
	event := ev.Name
	push, err := NewPush(ev)
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
func NewPush(ev messages.Pushed) (*messages.Push, error) {
	event, payload := ev.Name, ev.Payload
	data, err := proto.Marshal(payload)
	if err != nil {
		return nil, err
	}
	return &messages.Push{Event: event, Type: string(payload.ProtoReflect().Descriptor().FullName()), Data: data}, nil
}

// NewMessageID returns a globally unique, time-ordered message ID.
func (r *Runtime) NewMessageID() uint64 { return r.ids.next() }
