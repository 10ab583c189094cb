package actors

import (
	"github.com/asynkron/protoactor-go/cluster"
)

// singleProvider is the cluster provider of the single-node default: it publishes only
// this member, binds nothing and prints nothing (notes/protoactor.md). Several nodes use
// one of the library's providers (automanaged, etcd, consul, k8s) through Config.Provider.
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
