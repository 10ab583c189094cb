package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/gateway/load"
	"github.com/parley-chat/parley/internal/procstat"
)

const benchUsage = `usage: parley bench SCENARIO [flags]

scenarios: %s
Runs against --target (with --app-id/--secret to mint tokens; none for a --dev server),
or --spawn starts a throwaway server on a temporary directory. Exits non-zero when a
message was lost or duplicated or a request failed.

`

func bench(args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(os.Stderr, benchUsage, strings.Join(load.Scenarios, ", "))
		return fmt.Errorf("bench needs a scenario")
	}
	scenario := args[0]
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var cfg load.Config
	cfg.Scenario = scenario
	fs.StringVar(&cfg.Target, "target", "", "gateway WebSocket URL, e.g. ws://127.0.0.1:7480/ws, or a comma-separated list of a cluster's nodes (connections round robin)")
	appID := fs.Uint("app-id", 0, "app ID for minting tokens")
	fs.StringVar(&cfg.Secret, "secret", "", "server secret for minting tokens (empty: token-less login, --dev servers)")
	spawn := fs.Bool("spawn", false, "start a throwaway server (this binary, --dev, temporary directory)")
	spawnBin := fs.String("spawn-bin", "", "with --spawn: start this parley binary instead (A/B runs against another build)")
	inproc := fs.Bool("inproc", false, "peer, room, group, channel: drive the actor kinds in this process, without WebSockets")
	fs.IntVar(&cfg.Conns, "conns", 100, "connections (users)")
	fs.IntVar(&cfg.Rooms, "rooms", 1, "room: number of rooms (the connections are split over them); idle: rooms the connections are in (0: none)")
	fs.IntVar(&cfg.Senders, "senders", 1, "room, group, channel: senders per room / group / channel; presence: users changing status (each with every --conns user subscribed)")
	fs.IntVar(&cfg.Members, "members", 0, "channel --inproc: community size; members beyond --conns are offline (imported)")
	priority := fs.Int("priority", 0, "message priority: low 1, medium 2, high 3 (0: scenario default)")
	receipts := fs.Bool("receipts", false, "send every message with a receipt (config.hasReceipt; peer, group, channel)")
	fs.IntVar(&cfg.Rate, "rate", 0, "total messages per second (0: open loop)")
	fs.IntVar(&cfg.InFlight, "inflight", 8, "requests in flight per sender in open loop")
	fs.IntVar(&cfg.Concurrency, "concurrency", 200, "connections dialled and logged in at a time")
	fs.IntVar(&cfg.Size, "size", 200, "message size in bytes")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "sending time")
	fs.IntVar(&cfg.Count, "count", 0, "total messages (0: bounded by --duration only)")
	fs.BoolVar(&cfg.Warmup, "warmup", true, "one acknowledged message per sender before measuring")
	fs.DurationVar(&cfg.Drain, "drain", 10*time.Second, "how long to wait for deliveries after sending")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	quiet := fs.Bool("quiet", false, "no progress line")
	cpuProfile := fs.String("cpuprofile", "", "write this process's CPU profile here (with --inproc: the actors' too)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := envDefaults(fs); err != nil {
		return err
	}
	cfg.AppID = uint32(*appID)
	cfg.Priority = int32(*priority)
	cfg.Receipts = *receipts
	if !*quiet && !*asJSON {
		cfg.Progress = os.Stderr
	}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}
	if *inproc {
		res, err := load.RunInproc(ctx, cfg)
		if err != nil {
			return err
		}
		return report(res, *asJSON)
	}
	if *spawn {
		url, stop, err := spawnServer(ctx, &cfg, *spawnBin)
		if err != nil {
			return err
		}
		defer stop()
		cfg.Target = url
	}
	if cfg.Target == "" {
		return fmt.Errorf("--target or --spawn is required")
	}
	cpuBefore, cpuErr := load.ScrapeCPU(ctx, cfg.Target)
	ownBefore := ownCPU()
	cfg.OnMeasure = func() {
		cpuBefore, cpuErr = load.ScrapeCPU(ctx, cfg.Target)
		ownBefore = ownCPU()
	}
	res, err := load.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if res.Delivered > 0 {
		if res.Extra == nil {
			res.Extra = map[string]any{}
		}
		// Over the measured phase (senders' runs), or the whole run.
		if cpuAfter, err := load.ScrapeCPU(ctx, cfg.Target); err == nil && cpuErr == nil {
			cpu := cpuAfter - cpuBefore
			res.Extra["server_cpu_s"] = cpu
			res.Extra["server_cpu_us_per_delivery"] = cpu * 1e6 / float64(res.Delivered)
		}
		// The bench's own CPU: on a shared machine, CPU per delivery compares runs
		// better than rates do.
		own := ownCPU() - ownBefore
		res.Extra["bench_cpu_s"] = own
		res.Extra["bench_cpu_us_per_delivery"] = own * 1e6 / float64(res.Delivered)
	}
	return report(res, *asJSON)
}

// report prints a result and fails the command when the run was not clean.
func report(res *load.Result, asJSON bool) error {
	if asJSON {
		_ = res.WriteJSON(os.Stdout)
	} else {
		res.WriteText(os.Stdout)
	}
	if !res.OK() {
		return fmt.Errorf("run was not clean: %d lost, %d duplicates, %d error kinds", res.Lost, res.Duplicates, len(res.Errors))
	}
	return nil
}

// spawnServer starts `parley serve --dev` from this binary (or bin) on a free port and a
// temporary directory, without request rate limits, and waits until it is ready.
func spawnServer(ctx context.Context, cfg *load.Config, bin string) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	if bin != "" {
		exe = bin
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	dir, err := os.MkdirTemp("", "parley-bench-*")
	if err != nil {
		return "", nil, err
	}
	secret, _ := auth.GenerateSecret()
	cfg.AppID, cfg.Secret = 1, secret
	cmd := exec.CommandContext(ctx, exe, "serve", "--dev", "--addr", addr, "--data", dir, "--app-id", "1", "--secret", secret, "--log-level", "warn",
		"--rate-limits=false") // a load test floods on purpose
	cmd.Stdout, cmd.Stderr = nil, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
		_ = os.RemoveAll(dir)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return "ws://" + addr + "/ws", stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("spawned server not ready within 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ownCPU is this process's CPU time (user + system) in seconds.
func ownCPU() float64 {
	cpu, _ := procstat.CPUSeconds()
	return cpu
}
