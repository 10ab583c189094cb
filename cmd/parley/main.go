// Command parley is the parley chat server: `parley serve` runs a node, `parley token`
// mints a token04 login token for development.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof" // only reachable through --debug-addr
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/persistence"
)

const usage = `parley — a self-hosted chat backend speaking the ZIM API

usage:
  parley serve [flags]    run a server node (every flag also reads PARLEY_<FLAG>)
  parley token [flags]    print a token04 login token
  parley bench SCENARIO   load-test a server or one actor kind (login, peer, room, group,
                          channel, idle; see parley bench -h)
  parley help             this text

run "parley serve -h" or "parley token -h" for the flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "token":
		err = token(os.Args[2:], os.Stdout)
	case "bench":
		err = bench(os.Args[2:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		if errors.Is(err, errFenced) {
			os.Exit(3) // the supervisor restarts it; it joins again as a new member
		}
		os.Exit(1)
	}
}

// envDefaults lets PARLEY_<NAME> set any flag that was not given on the command line.
func envDefaults(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		name := "PARLEY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:7480", "HTTP/WebSocket listen address")
	data := fs.String("data", "./parley-data", "Badger data directory (--store badger)")
	storeKind := fs.String("store", "badger", "badger (one node, embedded) or postgres (shared by the nodes of a cluster)")
	pgDSN := fs.String("postgres-dsn", "", "PostgreSQL connection string for --store postgres, e.g. postgres://parley@db:5432/parley")
	etcdEndpoints := fs.String("etcd", "", "etcd endpoints host:port,... : join a cluster of several nodes (needs --store postgres)")
	etcdPrefix := fs.String("etcd-prefix", "", "etcd key prefix of this cluster (default /parley/<cluster-name>/)")
	clusterName := fs.String("cluster-name", "parley", "cluster name, equal on every node of one cluster")
	leaseTTL := fs.Duration("lease-ttl", 5*time.Second, "etcd lease: a node cut off from etcd this long stops serving, and the others take its actors over")
	advertise := fs.String("cluster-advertise", "", "host:port the other nodes reach this node's actor endpoint at (default: --cluster-host and the bound port)")
	appID := fs.Uint("app-id", 0, "app ID checked in tokens (uint32)")
	secret := fs.String("secret", "", "the app's 32-byte server secret")
	dev := fs.Bool("dev", false, "development mode: generate a secret if none, print sample tokens, allow token-less login, mint tokens at /dev/token, serve the web chat")
	webChat := fs.Bool("web", false, "serve the web chat at / (on with --dev)")
	clusterHost := fs.String("cluster-host", "127.0.0.1", "host of the actor cluster endpoint")
	clusterPort := fs.Int("cluster-port", 0, "port of the actor cluster endpoint (0: any free port)")
	syncWrites := fs.Bool("sync-writes", true, "Badger: fsync every commit before acknowledging it, so an acknowledged message survives a power loss or OS crash too (false: a process crash only; about half the peak write throughput, docs/RELIABILITY.md)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	debugAddr := fs.String("debug-addr", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060); off by default")
	gogc := fs.Int("gogc", 400, "garbage collector target percentage (ignored when GOGC is set); higher trades memory for CPU; 100 while connections arrive at 500/s or more")
	idleTrim := fs.Duration("idle-trim", time.Second, "after a burst of work, once clients were quiet this long, return the free heap to the OS (0: never)")
	parkAfter := fs.Duration("park-after", 5*time.Second, "an idle connection (its client silent this long) gives up its reader goroutine until the client sends again; Linux (0: never)")
	loginTimeout := fs.Duration("login-timeout", 10*time.Second, "close a connection (4005) that has not logged in this long after connecting or after its logout")
	roomHistory := fs.Bool("room-history", false, "store room messages so that queryHistoryMessage works for rooms")
	roomGrace := fs.Duration("room-grace", 30*time.Second, "how long a room member whose connection dropped stays in the room")
	textMax := fs.Int("text-message-bytes", 2048, "largest text message in bytes (ZIM allows up to 32768)")
	joinMode := int32(actors.GroupJoinAny)
	fs.Func("group-join-mode", "join mode of groups created without a config: any (the default, as in ZIM: anyone who knows the ID joins), auth (apply) or forbid", func(v string) (err error) {
		joinMode, err = actors.ParseGroupJoinMode(v)
		return err
	})
	defMsg := actors.DefaultLimits().Message
	revokeWindow := fs.Duration("revoke-window", defMsg.RevokeWindow, "how long after sending a sender may revoke its message (ZIM: 2 minutes)")
	editWindow := fs.Duration("edit-window", defMsg.EditWindow, "how long after sending a sender may edit its message (ZIM: 24 hours)")
	tips := fs.Bool("tips", false, "groups (and communities, in GENERAL) write tips messages (type 32) into their histories on member and profile changes (off by default, as in ZIM)")
	defCom := actors.DefaultLimits().Community
	comMembers := fs.Int("community-members", defCom.Members, "members per community")
	comChannels := fs.Int("community-channels", defCom.Channels, "channels per community (GENERAL included)")
	comPerUser := fs.Int("communities-per-user", defCom.PerUser, "communities one user may be in")
	defFriends := actors.DefaultLimits().Friends
	friendsMax := fs.Int("friends-per-user", defFriends.MaxFriends, "friends per user (ZIM: 3000)")
	blacklistMax := fs.Int("blacklist-per-user", defFriends.MaxBlacklist, "users one user may block (ZIM: 1000)")
	mediaOpts := addMediaFlags(fs)
	tlsCert := fs.String("tls-cert", "", "serve wss:// and https:// with this certificate (PEM; with --tls-key). Without it: plaintext, for loopback or behind a TLS proxy")
	tlsKey := fs.String("tls-key", "", "the private key of --tls-cert (PEM)")
	origins := fs.String("allowed-origins", "", "browser origins allowed to connect besides the server's own, comma-separated (https://app.example.com, or app.example.com for any scheme; * for all; --dev allows all)")
	maxPerIP := fs.Int("max-conns-per-ip", 1000, "open WebSocket connections from one address other than loopback (behind a proxy: the proxy's; 0: no limit)")
	maxPerUser := fs.Int("max-conns-per-user", 0, "logged-in connections of one user on different platforms (a login on the same platform replaces the older one); more are refused with 6000005 (0: one per platform, at most 10)")
	maxConns := fs.Int("max-connections", 0, "open connections on this node; more are refused with HTTP 503 (0: no limit)")
	maxHeap := fs.Uint64("max-heap-mb", 0, "refuse new logins (6000005) while the Go heap holds more than this many MiB (0: no limit; e.g. 70% of the memory limit)")
	maxInflight := fs.Int("max-inflight", 256, "requests of one connection waiting for an answer; the server stops reading the connection at this count")
	rates := gateway.DefaultRates()
	rateFlag := func(name string, r *gateway.RateLimit, what string) {
		fs.Func(name, fmt.Sprintf("%s: PER_SECOND:BURST, 0 for no limit (default %s)", what, rateString(*r)), func(v string) error {
			return parseRate(v, r)
		})
	}
	rateLimits := fs.Bool("rate-limits", true, "apply the request rate limits (--rate-*); false for load tests only")
	rateFlag("rate-conn-changes", &rates.ConnChanges, "changes (sends, updates, logins) per connection")
	rateFlag("rate-conn-queries", &rates.ConnQueries, "queries per connection")
	rateFlag("rate-user-changes", &rates.UserChanges, "changes per user (all of the user's connections on this node)")
	rateFlag("rate-user-queries", &rates.UserQueries, "queries per user (all of the user's connections on this node)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := envDefaults(fs); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if _, set := os.LookupEnv("GOGC"); !set {
		// Fewer GC cycles: measured −12 % server CPU per 1:1 message at 400 (docs/BENCHMARKS.md).
		debug.SetGCPercent(*gogc)
	}
	if *loginTimeout <= 0 {
		return fmt.Errorf("--login-timeout must be positive")
	}
	if *appID > 0xffffffff {
		return fmt.Errorf("--app-id must fit in 32 bits")
	}
	if *dev {
		if *appID == 0 {
			*appID = 1
		}
		if *secret == "" {
			s, err := auth.GenerateSecret()
			if err != nil {
				return err
			}
			*secret = s
		}
	}
	if *secret == "" {
		return fmt.Errorf("--secret is required (or --dev for development)")
	}
	if !*rateLimits {
		rates = gateway.Rates{}
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" || *tlsKey != "" {
		c, err := gateway.LoadTLS(*tlsCert, *tlsKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsConfig = c
	}
	if *etcdEndpoints != "" && *storeKind != "postgres" {
		return fmt.Errorf("--etcd needs --store postgres: the nodes of a cluster share one store")
	}
	mediaCfg, err := mediaOpts.config(context.Background(), *data, *secret, *etcdEndpoints != "", log)
	if err != nil {
		return err
	}
	store, where, err := openStore(*storeKind, *data, *pgDSN, *syncWrites, log)
	if err != nil {
		return err
	}
	var members runtime.Membership
	if *etcdEndpoints != "" {
		members = runtime.Etcd(runtime.EtcdConfig{Endpoints: strings.Split(*etcdEndpoints, ","), Prefix: *etcdPrefix, TTL: *leaseTTL, Logger: log})
	}
	limits := actors.DefaultLimits()
	limits.TextMessageBytes = *textMax
	limits.GroupDefaultJoinMode = joinMode
	limits.Message.RevokeWindow, limits.Message.EditWindow, limits.Message.Tips = *revokeWindow, *editWindow, *tips
	limits.Community.Members, limits.Community.Channels, limits.Community.PerUser = *comMembers, *comChannels, *comPerUser
	limits.Friends.MaxFriends, limits.Friends.MaxBlacklist = *friendsMax, *blacklistMax
	node, err := gateway.StartNode(store,
		actors.Config{Logger: log, Host: *clusterHost, Port: *clusterPort, Limits: limits,
			ClusterName: *clusterName, Members: members, AdvertisedHost: *advertise,
			Rooms: actors.RoomConfig{History: *roomHistory, Grace: *roomGrace}},
		gateway.Config{AppID: uint32(*appID), Secret: *secret, Dev: *dev, WebChat: *webChat || *dev, LoginTimeout: *loginTimeout, ParkAfter: parkAfterConfig(*parkAfter), Logger: log, Media: mediaCfg,
			Rates: rates, MaxConnsPerIP: *maxPerIP, LoopbackUncapped: true, MaxConnsPerUser: *maxPerUser, MaxConnections: *maxConns, MaxHeapBytes: *maxHeap << 20,
			MaxInflight: *maxInflight, AllowedOrigins: splitList(*origins), TLS: tlsConfig},
		*addr)
	if err != nil {
		_ = store.Close()
		return err
	}
	if *debugAddr != "" {
		go func() {
			log.Info("pprof serving", "addr", *debugAddr)
			if err := http.ListenAndServe(*debugAddr, nil); err != nil {
				log.Error("pprof server", "err", err)
			}
		}()
	}
	trimCtx, stopTrim := context.WithCancel(context.Background())
	defer stopTrim()
	go trimWhenIdle(trimCtx, *idleTrim, node.Gateway.Activity, debug.FreeOSMemory)
	if _, set := os.LookupEnv("GOGC"); !set {
		stormTicks := time.NewTicker(stormTick)
		defer stormTicks.Stop()
		go gcDuringStorms(trimCtx, stormTicks.C, node.Gateway.Accepted, *gogc, debug.SetGCPercent)
	}
	log.Info("parley serving", "ws", node.URL(), "store", where, "app_id", *appID, "dev", *dev, "cluster", *etcdEndpoints != "")
	if tlsConfig == nil && gateway.PlaintextExposed(node.Addr()) {
		log.Warn("serving plaintext WebSocket on a non-loopback address: tokens and messages cross the network unencrypted; use --tls-cert/--tls-key or a TLS-terminating proxy in front", "addr", node.Addr())
	}
	if *dev {
		printDevHelp(node.URL(), uint32(*appID), *secret)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-sig:
		log.Info("shutting down")
	case <-node.Runtime.Node().Fenced():
		// Cut off from etcd for too long: another node may take this node's actors over
		// now, so stop serving at once. A supervisor (systemd, Kubernetes) starts the
		// process again, and it joins as a new member.
		log.Error("cluster membership lost (etcd lease not renewed in time): stopping; restart to rejoin")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = node.Shutdown(ctx)
		return errFenced
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return node.Shutdown(ctx)
}

// parseRate reads a rate limit flag: PER_SECOND:BURST, or 0 (no limit).
func parseRate(v string, r *gateway.RateLimit) error {
	if v == "0" || v == "off" {
		*r = gateway.RateLimit{}
		return nil
	}
	rate, burst, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("want PER_SECOND:BURST (e.g. 20:50) or 0, not %q", v)
	}
	ps, err := strconv.ParseFloat(rate, 64)
	if err != nil || ps <= 0 {
		return fmt.Errorf("rate %q: want a positive number per second", rate)
	}
	b, err := strconv.Atoi(burst)
	if err != nil || b < 1 {
		return fmt.Errorf("burst %q: want a positive integer", burst)
	}
	*r = gateway.RateLimit{PerSecond: ps, Burst: b}
	return nil
}

func rateString(r gateway.RateLimit) string {
	if r.PerSecond <= 0 {
		return "0"
	}
	return strconv.FormatFloat(r.PerSecond, 'g', -1, 64) + ":" + strconv.Itoa(r.Burst)
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// errFenced is how serve ends when the node lost its cluster membership.
var errFenced = errors.New("fenced: cluster membership lost")

// openStore opens the store serve runs on and says where it is.
func openStore(kind, dir, dsn string, syncWrites bool, log *slog.Logger) (persistence.Store, string, error) {
	switch kind {
	case "badger":
		s, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: dir, SyncWrites: syncWrites, Logger: log})
		if err != nil {
			return nil, "", fmt.Errorf("open store %s: %w", dir, err)
		}
		return s, dir, nil
	case "postgres":
		if dsn == "" {
			return nil, "", fmt.Errorf("--store postgres needs --postgres-dsn (or PARLEY_POSTGRES_DSN)")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := persistence.OpenPostgres(ctx, persistence.PostgresOptions{DSN: dsn, Logger: log})
		if err != nil {
			return nil, "", err
		}
		return s, "postgres", nil
	}
	return nil, "", fmt.Errorf("--store must be badger or postgres, not %q", kind)
}

func printDevHelp(url string, appID uint32, secret string) {
	tok, _ := auth.Issue(appID, secret, "alice", 24*time.Hour, "", time.Now())
	fmt.Printf(`
parley is running in development mode.
  Web chat:    %s
  WebSocket:   %s   (subprotocol parley.json or parley.proto)
  app ID:      %d
  secret:      %s
  token for "alice" (24h):
    %s
  Try it (any WebSocket client, e.g. "npx wscat -s parley.json -c %s"):
    {"id":1,"method":"login","params":{"userID":"alice","userName":"Alice","token":"%s"}}
    {"id":2,"method":"sendMessage","params":{"message":{"type":1,"message":"hi"},"toConversationID":"bob","conversationType":0}}
  In development mode a login without a token is accepted too.
  More tokens: parley token --app-id %d --secret %s --user bob

`, strings.TrimSuffix(strings.Replace(url, "ws", "http", 1), "ws"), url, appID, secret, tok, url, tok, appID, secret)
}

func token(args []string, out *os.File) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	appID := fs.Uint("app-id", 0, "app ID (uint32)")
	secret := fs.String("secret", "", "the app's 32-byte server secret")
	user := fs.String("user", "", "user ID the token is for")
	ttl := fs.Duration("ttl", 24*time.Hour, "validity")
	payload := fs.String("payload", "", "optional payload")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := envDefaults(fs); err != nil {
		return err
	}
	if *user == "" || *secret == "" || *appID == 0 {
		return fmt.Errorf("token needs --app-id, --secret and --user")
	}
	if *appID > 0xffffffff {
		return fmt.Errorf("--app-id must fit in 32 bits: %s", strconv.FormatUint(uint64(*appID), 10))
	}
	tok, err := auth.Issue(uint32(*appID), *secret, *user, *ttl, *payload, time.Now())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, tok)
	return err
}

// parkAfterConfig maps --park-after (0: never) to gateway.Config.ParkAfter (negative: never).
func parkAfterConfig(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}
