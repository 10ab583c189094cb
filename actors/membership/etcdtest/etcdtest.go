// Package etcdtest runs a single-member etcd server inside the test process,
// so membership tests (and later cluster-provider tests) need no external etcd.
//
//	srv := etcdtest.Start(t)        // stopped automatically at t.Cleanup
//	cfg.Endpoints = srv.Endpoints()
//
// The server listens on 127.0.0.1 with ports chosen by the kernel, keeps its
// data in t.TempDir(), logs nothing and skips fsync.
package etcdtest

import (
	"net/url"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// StartTimeout bounds how long Start waits for the server to become ready.
const StartTimeout = 10 * time.Second

// Server is an embedded single-member etcd.
type Server struct {
	tb       testing.TB
	etcd     *embed.Etcd
	endpoint string
	stopOnce sync.Once
}

// Start starts an embedded etcd and registers its shutdown with tb.Cleanup.
// It fails the test if the server is not ready within StartTimeout.
func Start(tb testing.TB) *Server {
	tb.Helper()
	cfg := embed.NewConfig()
	cfg.Name = "etcdtest"
	cfg.Dir = tb.TempDir()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.LogLevel = "error"
	cfg.UnsafeNoFsync = true
	// A one-member cluster elects itself after a randomised election timeout
	// (default 1-2 s of 100 ms ticks); short ticks make that ~0.1 s. Nothing
	// else depends on them: there are no peers to heartbeat. (The minimum
	// lease TTL becomes 1.5 election timeouts = 150 ms.)
	cfg.TickMs = 10
	cfg.ElectionMs = 100
	// Port 0: the kernel picks free ports, so there is no window between
	// choosing a port and binding it. The advertised peer URL only names the
	// member inside its own one-member cluster; nothing dials it.
	listen := url.URL{Scheme: "http", Host: "127.0.0.1:0"}
	cfg.ListenClientUrls = []url.URL{listen}
	cfg.AdvertiseClientUrls = []url.URL{listen}
	cfg.ListenPeerUrls = []url.URL{listen}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:2380"}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.ListenMetricsUrls = nil

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		tb.Fatalf("etcdtest: start embedded etcd: %v", err)
	}
	s := &Server{tb: tb, etcd: e, endpoint: e.Clients[0].Addr().String()}
	tb.Cleanup(s.Stop)
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		tb.Fatalf("etcdtest: embedded etcd failed: %v", err)
	case <-time.After(StartTimeout):
		tb.Fatalf("etcdtest: embedded etcd not ready after %s", StartTimeout)
	}
	return s
}

// Endpoint is the client address, host:port.
func (s *Server) Endpoint() string { return s.endpoint }

// Endpoints is Endpoint as a slice, the shape clients take.
func (s *Server) Endpoints() []string { return []string{s.endpoint} }

// Stop shuts the server down; clients then see it as unreachable. New
// requests fail at once, but Stop itself waits for open client streams
// (watches) to end, up to etcd's request timeout (~5 s), before it cuts them.
// Stop is idempotent and also runs at test cleanup.
func (s *Server) Stop() {
	s.stopOnce.Do(func() { s.etcd.Close() })
}

// Client returns a plain etcd client for the test to inspect or disturb the
// store (for instance revoke a member's lease); it is closed at cleanup.
func (s *Server) Client(tb testing.TB) *clientv3.Client {
	tb.Helper()
	c, err := clientv3.New(clientv3.Config{
		Endpoints:   s.Endpoints(),
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		tb.Fatalf("etcdtest: client: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}
