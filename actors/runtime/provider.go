package runtime

import (
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/test"
)

// Membership is how a node finds the other members of its cluster. Make one with
// SingleNode or InProcess (tests).
type Membership interface {
	provider() cluster.ClusterProvider
	single() bool
	// nodeID is the node ID the membership handed out (0: none, the caller picks).
	nodeID() int
	// fenced closes when this member must stop serving (never, for the others).
	fenced() <-chan struct{}
	// live reports whether this member may act now (false from its fence deadline on,
	// even before fenced closes).
	live() bool
}

// SingleNode is the default membership: a one-member cluster of this process.
func SingleNode() Membership { return singleMembership{} }

type singleMembership struct{}

func (singleMembership) provider() cluster.ClusterProvider { return &singleProvider{} }
func (singleMembership) single() bool                      { return true }
func (singleMembership) nodeID() int                       { return 1 }
func (singleMembership) fenced() <-chan struct{}           { return nil }
func (singleMembership) live() bool                        { return true }

// InProcess is a cluster whose members all run in this process (tests): give every
// member's Config the same InProcess value. protoactor races internally in this set-up,
// so tests using it stay out of -race runs (notes/protoactor.md).
func InProcess() Membership { return &inProcess{agent: test.NewInMemAgent()} }

type inProcess struct{ agent *test.InMemAgent }

func (m *inProcess) provider() cluster.ClusterProvider { return test.NewTestProvider(m.agent) }
func (m *inProcess) single() bool                      { return false }
func (m *inProcess) nodeID() int                       { return 0 }
func (m *inProcess) fenced() <-chan struct{}           { return nil }
func (m *inProcess) live() bool                        { return true }

// singleProvider is the cluster provider of the single-node default: it publishes only
// this member, binds nothing and prints nothing (notes/protoactor.md).
type singleProvider struct {
	cl *cluster.Cluster
}

var _ cluster.ClusterProvider = (*singleProvider)(nil)

func (p *singleProvider) StartMember(c *cluster.Cluster) error {
	p.cl = c
	host, port, err := c.ActorSystem.GetHostPort()
	if err != nil {
		return err
	}
	c.MemberList.UpdateClusterTopology(cluster.Members{{
		Id:    c.ActorSystem.ID,
		Host:  host,
		Port:  int32(port),
		Kinds: c.GetClusterKinds(),
	}})
	return nil
}

func (p *singleProvider) StartClient(c *cluster.Cluster) error { return p.StartMember(c) }

func (p *singleProvider) Shutdown(bool) error { return nil }
