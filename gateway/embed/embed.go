// Package embed runs parley inside a Go program: the actor kinds (all of them, or the
// ones this process hosts), in-process sessions of users that call methods through the
// typed method table and receive their pushes as decoded events, and — optionally — the
// WebSocket gateway in the same process, so that WebSocket clients and in-process
// sessions talk to each other.
//
// A session is a logged-in device of its user, exactly as a WebSocket login is: calls
// are routed by the gateway's routing (gateway.Route) and pushes are delivered by the
// gateway's fan-out (the same connection lists, room epochs and priorities), only
// decoded into events instead of written to a socket. See docs/EMBEDDING.md.
package embed

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/persistence"
)

// Options configure an embedded server. The store is one of Store, Dir or InMemory
// (the default when none is set).
type Options struct {
	// Store is a store the caller opened (and closes after Close).
	Store persistence.Store
	// Dir is a Badger directory the server opens and closes.
	Dir string
	// InMemory keeps everything in memory (persistence.NewMemory): gone at Close.
	InMemory bool

	// Logger; default slog.Default().
	Logger *slog.Logger
	// Limits are the ZIM limits (zero fields: ZIM's defaults).
	Limits actors.Limits
	// Kinds are the actor kinds this process hosts (actors.AllKinds); nil hosts all. A
	// process hosting only some kinds reaches the others on the cluster's other members
	// (Actors.Members); sessions need the user kind somewhere.
	Kinds []string
	// Actors holds further runtime settings (cluster membership, timeouts, rooms); its
	// Store, Logger, Limits and Kinds are the fields above.
	Actors actors.Config

	// Serve, when set, also serves the WebSocket gateway on this address
	// ("127.0.0.1:0" picks a port; see Server.URL).
	Serve string
	// Gateway configures the WebSocket gateway (token secret or Dev, queue bounds). An
	// embedded server that does not Serve needs no secret.
	Gateway gateway.Config

	// QueueSize is a session's event queue (default 4096 events, as a WebSocket
	// connection's queue); SessionOption QueueSize overrides it per session.
	QueueSize int
}

// Server is an embedded parley node.
type Server struct {
	rt        *actors.Runtime
	gw        *gateway.Server
	store     persistence.Store
	ownsStore bool
	ln        net.Listener
	served    chan error
	queueSize int
}

// Start starts the actors on the store and, with Serve, the WebSocket gateway.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{queueSize: opts.QueueSize}
	if s.queueSize <= 0 {
		s.queueSize = 4096
	}
	switch {
	case opts.Store != nil:
		s.store = opts.Store
	case opts.Dir != "":
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, err
		}
		st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: opts.Dir, Logger: opts.Logger})
		if err != nil {
			return nil, err
		}
		s.store, s.ownsStore = st, true
	default:
		s.store, s.ownsStore = persistence.NewMemory(), true
	}
	acfg := opts.Actors
	acfg.Store, acfg.Logger, acfg.Limits = s.store, opts.Logger, opts.Limits
	if opts.Kinds != nil {
		acfg.Kinds = opts.Kinds
	}
	rt, err := actors.Start(acfg)
	if err != nil {
		s.closeStore()
		return nil, err
	}
	s.rt = rt
	gcfg := opts.Gateway
	if gcfg.Logger == nil {
		gcfg.Logger = opts.Logger
	}
	if opts.Serve == "" && gcfg.Secret == "" {
		gcfg.Dev = true // no listener: nobody logs in with a token
	}
	if s.gw, err = gateway.New(gcfg, rt); err != nil {
		_ = rt.Shutdown(ctx)
		s.closeStore()
		return nil, err
	}
	if opts.Serve != "" {
		if s.ln, err = net.Listen("tcp", opts.Serve); err != nil {
			_ = s.gw.Shutdown(ctx)
			_ = rt.Shutdown(ctx)
			s.closeStore()
			return nil, err
		}
		s.served = make(chan error, 1)
		go func() { s.served <- s.gw.Serve(s.ln) }()
	}
	return s, nil
}

func (s *Server) closeStore() error {
	if s.ownsStore {
		return s.store.Close()
	}
	return nil
}

// Addr is the address the WebSocket gateway listens on ("" without Serve).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// URL is the WebSocket URL of the gateway ("" without Serve).
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "ws://" + s.Addr() + "/ws"
}

// Runtime is the actor runtime (for what the API does not cover).
func (s *Server) Runtime() *actors.Runtime { return s.rt }

// Gateway is the node's gateway (it serves WebSockets with Serve, and always owns the
// node's fan-out and the sessions' connections).
func (s *Server) Gateway() *gateway.Server { return s.gw }

// Close stops the server in order: the gateway (WebSocket clients are told to reconnect,
// sessions end with ErrShutdown), the actors, then the store if the server opened it.
func (s *Server) Close(ctx context.Context) error {
	if ctx == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
	}
	err := s.gw.Shutdown(ctx)
	if s.served != nil {
		if serr := <-s.served; serr != nil {
			err = errors.Join(err, serr)
		}
	}
	err = errors.Join(err, s.rt.Shutdown(ctx))
	return errors.Join(err, s.closeStore())
}
