package gateway

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/messages"
)

// Config configures the gateway of one node.
type Config struct {
	// AppID and Secret check login tokens (token04).
	AppID  uint32
	Secret string
	// Dev allows a login without a token (development only; never the default) and
	// serves GET /dev/token?userID=… (a token minted for that user, for the web chat).
	Dev bool
	// WebChat serves the web chat at "/" (gateway/web). The SDK's browser bundle is
	// served at /sdk/parley-zim.js either way.
	WebChat bool
	// MaxFrameBytes is the largest client frame; a larger one closes the connection
	// (1009). Default 64 KiB.
	MaxFrameBytes int64
	// MaxQueueFrames and MaxQueueBytes bound a connection's outgoing queue; overflow
	// disconnects it as a slow consumer. Defaults 4096 frames, 8 MiB.
	MaxQueueFrames int
	MaxQueueBytes  int
	// ReadTimeout: a connection that sends nothing (not even a ping) for this long is
	// closed. Default 90s.
	ReadTimeout time.Duration
	// ParkAfter: a connection whose client sent nothing for this long gives up its
	// reader goroutine until the client sends again (park.go; Linux). Default 5s;
	// negative: never.
	ParkAfter time.Duration
	// LoginTimeout: a connection that has not logged in this long after it opened (or
	// after its logout) is closed with 4005. Frames, pings and failed logins do not
	// extend it; a successful login cancels it. Default 10s.
	LoginTimeout time.Duration
	// WriteTimeout bounds one frame write. Default 10s.
	WriteTimeout time.Duration
	// MaxInflight bounds the requests of one connection waiting for their actor. Default 256.
	MaxInflight int
	// Rates are the request rate limits (limits.go). The zero value limits nothing;
	// `parley serve` starts with DefaultRates.
	Rates Rates
	// MaxConnsPerIP bounds the open WebSocket connections from one remote address
	// (behind a proxy: the proxy's). More are refused with HTTP 429. 0: no limit.
	MaxConnsPerIP int
	// LoopbackUncapped exempts loopback addresses from MaxConnsPerIP (a proxy or load
	// tool on the same machine).
	LoopbackUncapped bool
	// MaxConnsPerUser bounds the logged-in connections of one user on this node, on
	// different platforms (a login on a platform the user is already on replaces that
	// connection, so it is never refused). More are refused with 6000005. 0: no limit
	// beyond one per platform.
	MaxConnsPerUser int
	// MaxConnections bounds the open connections of the node: more are refused with
	// HTTP 503 (a load balancer tries another node). 0: no limit.
	MaxConnections int
	// MaxHeapBytes sheds load before memory runs out: while the Go heap holds more
	// than this, new logins are refused with 6000005 (connections already logged in
	// are served on). 0: no limit.
	MaxHeapBytes uint64
	// AllowedOrigins are the browser origins (scheme://host[:port]) allowed to open a
	// WebSocket besides the server's own (the request's Host). A request without an
	// Origin header (not a browser) is always allowed; "*" allows every origin. Dev
	// allows every origin.
	AllowedOrigins []string
	// TLS, when set, serves HTTPS and wss:// on the node's listener (StartNode; see
	// LoadTLS). Without it the node serves plaintext: behind a TLS-terminating proxy, or
	// on loopback.
	TLS *tls.Config
	// TokenWarnBefore is when tokenWillExpire is pushed. Default 30s.
	TokenWarnBefore time.Duration
	// Media configures uploads, downloads and media messages (gateway/media.go); nil
	// turns them off (media messages answer 6000013). StartNode makes the service on
	// the node's store; Media.BaseURL defaults to the listener's address.
	Media  *media.Config
	Logger *slog.Logger
	Now    func() time.Time
}

// Validate fills defaults and checks the configuration.
func (c *Config) Validate() error {
	if c.Secret == "" && !c.Dev {
		return errors.New("gateway: a server secret is required (or development mode)")
	}
	if c.Secret != "" && len(c.Secret) != 32 {
		return auth.ErrBadSecret
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.MaxFrameBytes <= 0 {
		c.MaxFrameBytes = 64 << 10
	}
	def(&c.MaxQueueFrames, 4096)
	def(&c.MaxQueueBytes, 8<<20)
	def(&c.MaxInflight, 256)
	defDur(&c.ReadTimeout, 90*time.Second)
	defDur(&c.LoginTimeout, 10*time.Second)
	if c.ParkAfter == 0 {
		c.ParkAfter = 5 * time.Second
	}
	defDur(&c.WriteTimeout, 10*time.Second)
	defDur(&c.TokenWarnBefore, 30*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Server is the gateway of one node.
type Server struct {
	cfg        Config
	rt         *actors.Runtime
	log        *slog.Logger
	reg        *registry
	metrics    *metrics
	upgrader   websocket.Upgrader
	nextID     atomic.Uint64
	stopFanout func()
	topology   atomic.Uint64  // counts cluster topology changes (reannounce)
	wg         sync.WaitGroup // open connections
	ready      atomic.Bool
	draining   atomic.Bool
	httpMu     sync.Mutex
	http       *http.Server   // made by httpServer
	media      *media.Service // nil: no media endpoints
	userRates  userRates      // request budgets of the users logged in here (limits.go)
	ips        ipConns        // open connections per remote address
	heap       heapGauge      // sampled heap size (overload.go)
	origins    originPolicy
	parkOnce   sync.Once
	parker     *parker // parked connections' poller (park.go); nil until the first connection, or unsupported
	stopSweep  func()
}

// readBufferSize is gorilla's read buffer, which serves the handshake only: the frames
// after it are read by reader.go (gorilla allocates at least 125 bytes; 0 would keep the
// HTTP server's 4 KB reader for the connection's life).
const readBufferSize = 128

// New creates the gateway on a started actor runtime and spawns the node's fan-out actor.
func New(cfg Config, rt *actors.Runtime) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, rt: rt, log: cfg.Logger.With("component", "gateway"), reg: newRegistry(), metrics: &metrics{}}
	// Connection IDs rise across restarts of this node's process (its address may stay
	// the same): the start time in microseconds, shifted so a process makes a million
	// connections in about a millisecond's worth of IDs. A user actor tells a delayed
	// registration from a newer login of the same node by the ID.
	s.nextID.Store(uint64(time.Now().UnixMicro()) << 10)
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  readBufferSize,
		WriteBufferPool: &sync.Pool{},
		Subprotocols:    []string{SubprotocolProto, SubprotocolJSON},
	}
	s.origins = newOriginPolicy(cfg.AllowedOrigins, cfg.Dev)
	s.upgrader.CheckOrigin = s.origins.allowed
	local := &localDelivery{reg: s.reg, log: s.log, metrics: s.metrics}
	f := &fanout{localDelivery: local}
	stop, err := rt.Node().Spawn(actors.FanoutActorName, f.receive)
	if err != nil {
		return nil, err
	}
	s.stopFanout = stop
	rt.SetLocalDelivery(local)
	rt.Node().OnTopologyChange(s.reannounce)
	s.ready.Store(true)
	return s, nil
}

// Handler serves /ws, /healthz, /readyz, /metrics, the SDK bundle and (configured) the
// web chat and the development token endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() || s.draining.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		s.metrics.write(w)
	})
	s.webRoutes(mux)
	s.mediaRoutes(mux)
	return mux
}

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.httpServer().Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// httpServer is the server's net/http server, made on first use, so that a Shutdown that
// comes before Serve has started still stops it.
func (s *Server) httpServer() *http.Server {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	if s.http == nil {
		s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
			// Handshake failures (a plaintext client on the TLS port, scanners) are the
			// clients' problems: logged at debug level, through the node's logger.
			ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	}
	return s.http
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if n := s.cfg.MaxConnections; n > 0 && s.reg.count() >= n {
		s.metrics.refusedConns.Add(1)
		http.Error(w, "server full, try another node", http.StatusServiceUnavailable)
		return
	}
	if !s.origins.allowed(r) {
		s.metrics.refusedConns.Add(1)
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	ip := remoteIP(r)
	limit := s.cfg.MaxConnsPerIP
	if s.cfg.LoopbackUncapped && isLoopback(ip) {
		limit = 0
	}
	if !s.ips.add(ip, limit) {
		s.metrics.refusedConns.Add(1)
		http.Error(w, "too many connections from this address", http.StatusTooManyRequests)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.ips.remove(ip)
		return // the upgrader answered the client
	}
	// gorilla's Conn is done with once the handshake is: frames are read and written on
	// the socket (reader.go, writer.go), so an open connection does not hold it.
	c := &conn{srv: s, id: s.nextID.Add(1), nc: ws.NetConn(), codec: codecJSON, msgType: websocket.TextMessage, ip: ip, slotFree: make(chan struct{}, 1)}
	if ws.Subprotocol() == SubprotocolProto {
		c.codec, c.msgType = codecProto, websocket.BinaryMessage
	}
	_, c.direct = c.nc.(*net.TCPConn)
	s.wg.Add(1)
	s.reg.add(c)
	s.metrics.connections.Add(1)
	s.metrics.accepted.Add(1)
	c.armLoginDeadline()
	s.startParking()
	if s.draining.Load() { // Shutdown began between the check and the registration
		c.closeWith(disconnectShutdown)
	}
	// The handler's goroutine becomes the reader (net/http is done with a hijacked
	// connection): one goroutine per opening connection, not two. It ends when the
	// connection closes or parks (park.go).
	c.readLoop()
}

// verifyToken checks a login or renewal token and returns its expiry. In development
// mode an empty token logs in for a day.
func (s *Server) verifyToken(token, userID string) (time.Time, error) {
	now := s.cfg.Now()
	if token == "" {
		if s.cfg.Dev {
			return now.Add(24 * time.Hour), nil
		}
		return time.Time{}, errTokenInvalid
	}
	if s.cfg.Secret == "" {
		return time.Time{}, errTokenInvalid
	}
	claims, err := auth.Verify(token, s.cfg.AppID, s.cfg.Secret, userID, now)
	if err != nil {
		return time.Time{}, tokenError(err)
	}
	return claims.ExpiresAt, nil
}

// Connections is the number of open client connections on this node.
func (s *Server) Connections() int { return s.reg.count() }

// Shutdown stops accepting, tells every client to reconnect (close code 4000), and waits
// for the connections to close (or ctx). The caller then stops the actors and closes the
// store, in that order.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	s.ready.Store(false)
	// Stops the listeners (a Serve that starts later returns at once); hijacked
	// WebSockets are not tracked by net/http.
	err := s.httpServer().Shutdown(ctx)
	s.reg.each(func(c *conn) { c.closeWith(disconnectShutdown) })
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.stopParking()
	s.rt.SetLocalDelivery(nil)
	s.stopFanout()
	return err
}

// reannounce runs after cluster members joined or left: actors that moved started afresh
// on their new member and know nothing of this node's connections, so every logged-in
// connection registers again with its user actor (which tells the user's groups and
// communities again) and enters its rooms again (a room that moved lost its members;
// room attributes, kept in memory only, are lost with it). Registering is idempotent.
func (s *Server) reannounce() {
	s.topology.Add(1) // logins still in flight register again when they complete
	n := 0
	// Room entries are answered asynchronously: the last answer logs that the node's
	// room members are back (a room message sent before that does not reach a member
	// whose entry is still on its way: rooms keep no backlog for members).
	pending := &atomic.Int64{}
	pending.Add(1) // held until every entry was sent
	rooms := 0
	entered := func() {
		if pending.Add(-1) == 0 {
			s.log.Info("cluster changed: rooms entered again", "rooms", rooms)
		}
	}
	s.reg.each(func(c *conn) {
		if c.state.Load() != stateLoggedIn {
			return
		}
		c.mu.Lock()
		user, name, exp := c.user, c.userName, c.tokenExp
		c.mu.Unlock()
		if user == "" {
			return
		}
		n++
		s.rt.Send(actors.KindUser, user, &messages.RegisterDevice{Conn: c.ref(), UserName: name, TokenExpire: exp.Unix()})
		for _, roomID := range c.joinedRooms() {
			rooms++
			pending.Add(1)
			c.callRoom(roomID, messages.MethodEnterRoom.Name, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: roomID}}, func([]byte, error) { entered() })
		}
	})
	s.log.Info("cluster changed: connections registered again", "connections", n)
	entered()
}
