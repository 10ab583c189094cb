package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/cluster"

	"github.com/parley-chat/parley/actors/membership"
)

// EtcdConfig configures membership through etcd (several nodes).
type EtcdConfig struct {
	Endpoints []string      // etcd client addresses, host:port
	Prefix    string        // key prefix of this cluster; default "/parley/<cluster name>/"
	TTL       time.Duration // lease TTL; default 5s: a node cut off for longer stops serving
	Logger    *slog.Logger
}

// Etcd is membership through etcd: each member holds a lease, a node ID handed out by
// etcd (unique among live members) and a member record; all watch the records. A member
// whose lease it could not renew in time stops serving (Node.Fenced closes) before etcd
// can expire the lease and let another member take its actors over.
func Etcd(cfg EtcdConfig) Membership { return &etcdMembership{cfg: cfg} }

type etcdMembership struct {
	cfg EtcdConfig

	mu     sync.Mutex
	m      *membership.Membership
	joined chan struct{} // closed once m is set (or Join failed)
	err    error
}

func (e *etcdMembership) single() bool { return false }

func (e *etcdMembership) provider() cluster.ClusterProvider {
	e.joined = make(chan struct{})
	return &etcdProvider{e: e}
}

// nodeID is the node ID etcd handed out (0 before joining).
func (e *etcdMembership) nodeID() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		return 0
	}
	return e.m.NodeID()
}

func (e *etcdMembership) live() bool {
	e.mu.Lock()
	m := e.m
	e.mu.Unlock()
	return m != nil && m.Live()
}

func (e *etcdMembership) fenced() <-chan struct{} {
	<-e.joined
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return e.m.Fenced()
}

// etcdProvider is the protoactor cluster provider over the membership package: it joins
// with the actor system's ID (so that the transport's block list names members the way
// the topology does) and hands every change of the live set to the member list.
type etcdProvider struct{ e *etcdMembership }

var _ cluster.ClusterProvider = (*etcdProvider)(nil)

func (p *etcdProvider) StartMember(c *cluster.Cluster) error {
	e := p.e
	defer close(e.joined)
	host, port, err := c.ActorSystem.GetHostPort()
	if err != nil {
		e.err = err
		return err
	}
	prefix := e.cfg.Prefix
	if prefix == "" {
		prefix = "/parley/" + c.Config.Name + "/"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	m, err := membership.Join(ctx, membership.Config{
		Endpoints: e.cfg.Endpoints,
		Prefix:    prefix,
		Address:   net.JoinHostPort(host, strconv.Itoa(port)),
		Kinds:     c.GetClusterKinds(),
		TTL:       e.cfg.TTL,
		Logger:    e.cfg.Logger,
		ID:        c.ActorSystem.ID,
	})
	if err != nil {
		e.err = err
		return err
	}
	e.mu.Lock()
	e.m = m
	e.mu.Unlock()
	m.Watch(func(members []membership.Member) {
		c.MemberList.UpdateClusterTopology(topology(members))
	})
	return nil
}

// topology is the members as protoactor's member list takes them.
func topology(members []membership.Member) cluster.Members {
	out := make(cluster.Members, 0, len(members))
	for _, m := range members {
		host, port, err := net.SplitHostPort(m.Address)
		if err != nil {
			continue
		}
		n, err := strconv.Atoi(port)
		if err != nil {
			continue
		}
		out = append(out, &cluster.Member{Id: m.ID, Host: host, Port: int32(n), Kinds: m.Kinds})
	}
	return out
}

func (p *etcdProvider) StartClient(c *cluster.Cluster) error {
	return fmt.Errorf("runtime: etcd membership runs members only")
}

func (p *etcdProvider) Shutdown(bool) error {
	e := p.e
	e.mu.Lock()
	m := e.m
	e.mu.Unlock()
	if m == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.Leave(ctx)
}
