package load

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// In-process mode drives the actor kinds directly: no WebSocket, no gateway. The bench
// process runs a cluster member on a temporary Badger directory; a stand-in fan-out
// actor (registered under the gateway's name) receives what the actors push and does
// the delivery accounting. One actor type is loaded in isolation — what a game server
// embedding only some kinds wants to know.

// inprocFanout accounts for Deliver messages: connection ID n+1 is receiver n.
type inprocFanout struct {
	e     *engine
	event string
}

func (f *inprocFanout) Receive(ctx actor.Context) {
	d, ok := ctx.Message().(*messages.Deliver)
	if !ok || d.Push == nil || d.Push.Event != f.event {
		return
	}
	body := messageBody(d.Push.Data)
	for _, id := range d.ConnIDs {
		if id == d.ExceptConnID || id == 0 || int(id) > len(f.e.ledgers) {
			continue
		}
		f.e.delivered(int(id-1), body)
	}
}

type inprocTransport struct {
	rt    *actors.Runtime
	users []string
	conns []*messages.ConnRef
	route func(i int, p *messages.SendMessageParams) (kind, identity string)
	e     *engine
}

func (t *inprocTransport) send(i int, id uint32, p *messages.SendMessageParams) error {
	raw, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	kind, identity := t.route(i, p)
	call := &messages.Call{Method: "sendMessage", UserID: t.users[i], Params: raw, Conn: t.conns[i]}
	t.rt.Go(context.Background(), kind, identity, call, func(_ proto.Message, err error) {
		code, _ := actors.Reply(err)
		t.e.acked(i, id, code)
	})
	return nil
}

// startInproc starts a one-member cluster on a temporary directory.
func startInproc() (*actors.Runtime, func(), error) {
	dir, err := os.MkdirTemp("", "parley-inproc-*")
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: dir, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	rt, err := actors.Start(actors.Config{Store: store, Logger: log})
	if err != nil {
		_ = store.Close()
		return nil, nil, err
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = rt.Shutdown(ctx)
		_ = store.Close()
		_ = os.RemoveAll(dir)
	}
	return rt, stop, nil
}

// RunInproc executes a scenario against actors in this process.
func RunInproc(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	switch cfg.Scenario {
	case "peer":
		return runPeerInproc(ctx, cfg)
	}
	return nil, fmt.Errorf("load: scenario %q has no in-process mode (have: peer)", cfg.Scenario)
}

func runPeerInproc(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns &^ 1
	if n < 2 {
		return nil, fmt.Errorf("load: peer needs at least 2 users")
	}
	rt, stop, err := startInproc()
	if err != nil {
		return nil, err
	}
	defer stop()
	e := newEngine(cfg, n, n)
	if _, err := rt.System().Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor {
		return &inprocFanout{e: e, event: "peerMessageReceived"}
	}), actors.FanoutActorName); err != nil {
		return nil, err
	}
	tr := &inprocTransport{rt: rt, e: e, users: make([]string, n), conns: make([]*messages.ConnRef, n)}
	for i := 0; i < n; i++ {
		tr.users[i] = cfg.Prefix + "u" + strconv.Itoa(i)
		tr.conns[i] = &messages.ConnRef{Node: rt.Address(), ConnID: uint64(i + 1), Platform: 6}
		reg := &messages.RegisterDevice{Conn: tr.conns[i]}
		if _, err := rt.Request(ctx, actors.KindUser, tr.users[i], reg); err != nil {
			return nil, fmt.Errorf("register %s: %w", tr.users[i], err)
		}
	}
	tr.route = func(i int, p *messages.SendMessageParams) (string, string) {
		return actors.KindPeer, actors.PeerIdentity(tr.users[i], p.ToConversationID)
	}
	res, err := e.run(ctx, "peer", "inproc", tr, func(i int) (string, int32, []int) {
		return tr.users[i^1], 0, []int{i ^ 1}
	})
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, peer"}
	}
	return res, err
}
