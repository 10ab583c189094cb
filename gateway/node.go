package gateway

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/persistence"
)

// Node is one parley server: store, actor cluster member and gateway, started and
// stopped in order. cmd/parley runs one; tests run several in one process.
type Node struct {
	Store   persistence.Store
	Runtime *actors.Runtime
	Gateway *Server
	// Media is the node's media service (nil when Config.Media is nil).
	Media  *media.Service
	ln     net.Listener
	served chan error
	scheme string // ws or wss
}

// StartNode starts the actors on store, then the gateway listening on addr
// ("127.0.0.1:0" picks a port). The node owns the store from here on.
func StartNode(store persistence.Store, acfg actors.Config, gcfg Config, addr string) (*Node, error) {
	acfg.Store = store
	if acfg.Logger == nil {
		acfg.Logger = gcfg.Logger
	}
	var svc *media.Service
	if gcfg.Media != nil {
		mcfg := *gcfg.Media
		mcfg.Store = store
		if mcfg.Logger == nil {
			mcfg.Logger = gcfg.Logger
		}
		var err error
		if svc, err = media.New(mcfg); err != nil {
			return nil, err
		}
		acfg.Media = svc
	}
	closeMedia := func() {
		if svc != nil {
			svc.Close()
		}
	}
	rt, err := actors.Start(acfg)
	if err != nil {
		closeMedia()
		return nil, err
	}
	gw, err := New(gcfg, rt)
	if err != nil {
		_ = rt.Shutdown(context.Background())
		closeMedia()
		return nil, err
	}
	gw.media = svc
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = rt.Shutdown(context.Background())
		closeMedia()
		return nil, err
	}
	scheme := "ws"
	if gcfg.TLS != nil {
		ln, scheme = tls.NewListener(ln, gcfg.TLS), "wss"
	}
	if svc != nil {
		svc.SetBaseURL(strings.Replace(scheme, "ws", "http", 1) + "://" + ln.Addr().String())
	}
	n := &Node{Store: store, Runtime: rt, Gateway: gw, Media: svc, ln: ln, served: make(chan error, 1), scheme: scheme}
	go func() { n.served <- gw.Serve(ln) }()
	return n, nil
}

// Addr is the address the gateway listens on.
func (n *Node) Addr() string { return n.ln.Addr().String() }

// URL is the WebSocket URL of the gateway.
func (n *Node) URL() string { return n.scheme + "://" + n.Addr() + "/ws" }

// Shutdown stops the node in order: stop accepting, tell clients to reconnect, stop the
// actors, close the store.
func (n *Node) Shutdown(ctx context.Context) error {
	err := n.Gateway.Shutdown(ctx)
	if serr := <-n.served; serr != nil {
		err = errors.Join(err, serr)
	}
	err = errors.Join(err, n.Runtime.Shutdown(ctx))
	if n.Media != nil {
		n.Media.Close()
	}
	return errors.Join(err, n.Store.Close())
}
