// Package pgtest gives tests a PostgreSQL database to use.
//
// Start returns the DSN of a fresh, empty database. The server is, in order of
// preference:
//
//   - the one named by env PARLEY_POSTGRES_DSN (a role allowed to CREATE DATABASE);
//   - a throwaway cluster started from the PostgreSQL binaries (initdb, pg_ctl) found
//     in env PARLEY_PG_BIN when set, else the newest /usr/lib/postgresql/*/bin, else
//     PATH. It listens on 127.0.0.1 (a free port below 32768) and a unix socket in its
//     temp dir, runs with fsync=off, and is shared by every test of the process. Run
//     as root, the server runs as user postgres (initdb refuses root).
//
// When neither is possible the test is skipped with one line naming why, or fails
// when env CI=true (CI must skip nothing). The test binary should call Shutdown at
// the end of TestMain (a watchdog process also stops the cluster if the test process
// dies first).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the environment variable holding the DSN of an existing server.
const EnvDSN = "PARLEY_POSTGRES_DSN"

// EnvBin names the environment variable holding the directory of initdb and pg_ctl.
const EnvBin = "PARLEY_PG_BIN"

// startTimeout bounds how long a cluster may take to start or accept connections.
const startTimeout = 60 * time.Second

// Available reports whether Start can provide a database, and if not why.
func Available() (ok bool, reason string) {
	if os.Getenv(EnvDSN) != "" {
		return true, ""
	}
	if _, err := findBin(); err != nil {
		return false, "no PostgreSQL (set " + EnvDSN + " or install postgresql): " + err.Error()
	}
	if _, err := runAs(); err != nil {
		return false, "no PostgreSQL: " + err.Error()
	}
	return true, ""
}

// unavailable skips tb (fails it when env CI=true) with reason.
func unavailable(tb testing.TB, reason string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("CI=true and %s", reason)
	}
	tb.Skip(reason)
}

// Require skips tb (fails it when env CI=true) unless Start can provide a database.
func Require(tb testing.TB) {
	tb.Helper()
	if ok, reason := Available(); !ok {
		unavailable(tb, reason)
	}
}

// Options selects the shared server Start uses.
type Options struct {
	// Fsync runs the throwaway cluster with fsync=on (for benchmarks); the default is
	// fsync=off. It has no effect on a server named by PARLEY_POSTGRES_DSN.
	Fsync bool
}

// Start returns the DSN of a fresh, empty database on the shared test server
// (fsync=off); it is dropped when tb ends.
func Start(tb testing.TB) string {
	tb.Helper()
	return StartWith(tb, Options{})
}

// StartWith is Start with options.
func StartWith(tb testing.TB, opts Options) string {
	tb.Helper()
	Require(tb)
	base := os.Getenv(EnvDSN)
	if base == "" {
		sh := &shared[0]
		if opts.Fsync {
			sh = &shared[1]
		}
		sh.once.Do(func() {
			sh.srv, sh.err = startServer(opts.Fsync)
		})
		if sh.err != nil {
			unavailable(tb, "no PostgreSQL: "+sh.err.Error())
		}
		base = sh.srv.DSN()
	}
	dsn, err := createDatabase(base)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() { dropDatabase(base, dsn) })
	return dsn
}

// shared holds the process's throwaway clusters: [0] fsync=off, [1] fsync=on.
var shared [2]struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shutdown stops the shared clusters started by this process (call it at the end
// of TestMain).
func Shutdown() {
	for i := range shared {
		if s := shared[i].srv; s != nil {
			s.destroy()
		}
	}
}

var dbSeq atomic.Int64

// createDatabase creates a database with a unique name on the server of base and
// returns base pointing at it.
func createDatabase(base string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(context.Background())
	name := fmt.Sprintf("parley_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, dbSeq.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return withDatabase(base, name)
}

// dropDatabase drops the database of dsn (created by createDatabase on base).
func dropDatabase(base, dsn string) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return // the server is gone (a stopped cluster): nothing to drop
	}
	defer conn.Close(context.Background())
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{cfg.Database}.Sanitize()+" WITH (FORCE)")
}

// withDatabase returns dsn (URL or keyword=value form) with its database set to db.
func withDatabase(dsn, db string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", EnvDSN, err)
		}
		u.Path = "/" + db
		return u.String(), nil
	}
	return strings.TrimSpace(dsn) + " dbname=" + db, nil // the last setting wins
}

// findBin returns the directory holding initdb and pg_ctl.
func findBin() (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, b)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv(EnvBin); dir != "" {
		if has(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("no initdb/pg_ctl/postgres in %s=%s", EnvBin, dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { // newest major version first
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if d := filepath.Dir(p); has(d) {
			return d, nil
		}
	}
	return "", errors.New("no initdb/pg_ctl in /usr/lib/postgresql/*/bin or PATH")
}

// runAs returns the user the cluster runs as: "" (this process's user) or, when
// running as root, "postgres".
func runAs() (string, error) {
	if os.Geteuid() != 0 {
		return "", nil
	}
	if _, err := user.Lookup("postgres"); err != nil {
		return "", errors.New("running as root and there is no postgres user to run initdb as")
	}
	if _, err := exec.LookPath("runuser"); err != nil {
		return "", errors.New("running as root and runuser is missing")
	}
	return "postgres", nil
}

// Server is a throwaway PostgreSQL cluster in a temp dir.
type Server struct {
	bin, dir, as string
	port         int
	fsync        bool
	watchdog     *os.Process
	destroyOnce  sync.Once
}

// NewServer starts a dedicated throwaway cluster (fsync=off) for tb, e.g. to stop
// and start it; it is destroyed when tb ends. It skips tb (fails it when CI=true)
// when no PostgreSQL binaries are available, even if PARLEY_POSTGRES_DSN is set.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	if _, err := findBin(); err != nil {
		unavailable(tb, "no PostgreSQL binaries (install postgresql): "+err.Error())
	}
	if _, err := runAs(); err != nil {
		unavailable(tb, "no PostgreSQL: "+err.Error())
	}
	s, err := startServer(false)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(s.destroy)
	return s
}

// DSN is the URL of the cluster's postgres database (user parley, no password).
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://parley@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Port is the TCP port the cluster listens on.
func (s *Server) Port() int { return s.port }

func startServer(fsync bool) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	as, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parley-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, dir: dir, as: as, fsync: fsync}
	if as != "" {
		u, err := user.Lookup(as)
		if err == nil {
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			err = os.Chown(dir, uid, gid)
		}
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("chown %s to %s: %w", dir, as, err)
		}
	}
	if out, err := s.cmd("initdb", "-D", s.dataDir(), "-U", "parley", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLines(out))
	}
	// A free port below the ephemeral range; another process may take it between the
	// check and the start, so try a few.
	for attempt := 0; ; attempt++ {
		s.port = freePort()
		err = s.Start()
		if err == nil {
			break
		}
		if attempt == 4 {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	s.startWatchdog()
	return s, nil
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }

// cmd runs a binary of the cluster as the cluster's user.
func (s *Server) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	var c *exec.Cmd
	if s.as != "" {
		c = exec.Command("runuser", append([]string{"-u", s.as, "--", path}, args...)...)
	} else {
		c = exec.Command(path, args...)
	}
	c.Dir = s.dir
	c.Env = append(os.Environ(), "LC_ALL=C")
	return c
}

// Start starts the (stopped) cluster and waits until it accepts connections.
func (s *Server) Start() error {
	fsync := "off"
	if s.fsync {
		fsync = "on"
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=%s -c max_connections=300 -c shared_buffers=64MB",
		s.port, s.dir, fsync)
	out, err := s.cmd("pg_ctl", "-D", s.dataDir(), "-l", filepath.Join(s.dir, "log"),
		"-o", opts, "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)), "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pg_ctl start (port %d): %v: %s %s", s.port, err, lastLines(out), lastLines(log))
	}
	// pg_ctl -w waited for the postmaster; check that TCP connections work too.
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, s.DSN())
		if err == nil {
			err = conn.Ping(ctx)
			_ = conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres on port %d not ready after %v: %w", s.port, startTimeout, err)
		}
		time.Sleep(50 * time.Millisecond) // poll interval of a deadline-bounded wait
	}
}

// Stop stops the cluster at once (as a crash would), keeping its data.
func (s *Server) Stop() error {
	out, err := s.cmd("pg_ctl", "-D", s.dataDir(), "-m", "immediate", "-w", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, lastLines(out))
	}
	return nil
}

// destroy stops the cluster and removes its directory.
func (s *Server) destroy() {
	s.destroyOnce.Do(func() {
		_ = s.cmd("pg_ctl", "-D", s.dataDir(), "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(s.dir)
		if s.watchdog != nil {
			_ = s.watchdog.Kill()
			_, _ = s.watchdog.Wait()
		}
	})
}

// startWatchdog starts a process that destroys the cluster once this process is
// gone (e.g. killed by go test's -timeout before TestMain could call Shutdown).
func (s *Server) startWatchdog() {
	stop := strings.Join(shellQuote(s.cmd("pg_ctl", "-D", s.dataDir(), "-m", "immediate", "stop").Args), " ")
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; %s >/dev/null 2>&1; rm -rf %s",
		os.Getpid(), stop, shellQuote([]string{s.dir})[0])
	c := exec.Command("sh", "-c", script)
	c.Dir = "/"
	if err := c.Start(); err == nil {
		s.watchdog = c.Process
	}
}

func shellQuote(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return out
}

// freePort returns a TCP port in [20000, 32768) that is free on 127.0.0.1 right now.
func freePort() int {
	base := 20000 + (os.Getpid()*7919+int(time.Now().UnixNano()/1000))%12768
	for i := range 12768 {
		p := 20000 + (base-20000+i*97)%12768
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			_ = l.Close()
			return p
		}
	}
	return base
}

// lastLines returns the end of a command's output, for error messages.
func lastLines(out []byte) string {
	s := strings.TrimSpace(string(out))
	if len(s) > 800 {
		s = "…" + s[len(s)-800:]
	}
	return s
}
