package load

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/embed"
	"github.com/parley-chat/parley/messages"
)

// In-process mode drives the actor kinds through the embedding API (gateway/embed): no
// WebSocket, but the gateway's own routing and fan-out. The bench process runs an
// embedded server on a temporary Badger directory; every user is an in-process session,
// and the deliveries counted are the events those sessions get — delivered by the same
// fan-out rules as WebSocket connections (connection lists, room epochs, exceptions). So
// a push that the actors or the fan-out address wrongly (a member missing from a list, a
// connection listed twice, a stale epoch) shows up as lost or duplicate, exactly as over
// WebSockets. One actor type is loaded at a time — what a game server embedding only
// some kinds wants to know.
//
// Sessions take their events with a callback (embed.OnEvent), on the pushing actor's
// goroutine: no queue of their own, as a game server forwarding events would.

// inprocTransport sends sendMessage as sender i's session.
type inprocTransport struct {
	sess []*embed.Session // by sender
	e    *engine
}

func (t *inprocTransport) send(i int, id uint32, p *messages.SendMessageParams) error {
	embed.Go(context.Background(), t.sess[i], messages.MethodSendMessage, p, func(_ *messages.MessageSentResult, err error) {
		code, _ := actors.Reply(err)
		t.e.acked(i, id, code)
	})
	return nil
}

// inproc is one in-process run: the embedded server and n users' sessions.
type inproc struct {
	srv   *embed.Server
	stop  func()
	e     *engine
	users []string
	sess  []*embed.Session
}

// startInproc starts an embedded server on a temporary directory and logs in n users
// (prefix0…), each receiver's pushes of event accounted to the engine, sent by senders.
func startInproc(ctx context.Context, cfg Config, event, prefix string, n, senders int) (*inproc, error) {
	dir, err := os.MkdirTemp("", "parley-inproc-*")
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := embed.Start(ctx, embed.Options{Dir: dir, Logger: log})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ip := &inproc{srv: srv, e: newEngine(cfg, senders, n), users: make([]string, n), sess: make([]*embed.Session, n)}
	ip.stop = func() {
		for _, s := range ip.sess {
			if s != nil {
				_ = s.Close()
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
		_ = os.RemoveAll(dir)
	}
	for i := range ip.users {
		ip.users[i] = prefix + strconv.Itoa(i)
	}
	// Each session is a device of its user, registered with the user actor as a gateway
	// login does.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		s, err := srv.Session(ip.users[i], embed.OnEvent(func(ev embed.Event) {
			if ev.Name != event {
				return
			}
			if m, ok := ev.Payload.(*messages.ConversationMessageReceivedEvent); ok && len(m.MessageList) > 0 {
				ip.e.delivered(i, bytesOf(m.MessageList[0].Message), time.Now())
			}
		}))
		if err != nil {
			return fmt.Errorf("session %s: %w", ip.users[i], err)
		}
		ip.sess[i] = s
		return nil
	}); err != nil {
		ip.stop()
		return nil, err
	}
	return ip, nil
}

// bytesOf is s's bytes without a copy (read-only).
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// callAs runs a method as user i (through its session) and waits for its answer.
func callAs[P, R proto.Message](ctx context.Context, ip *inproc, i int, method messages.Method[P, R], params P) error {
	if _, err := embed.Call(ctx, ip.sess[i], method, params); err != nil {
		return fmt.Errorf("%s by %s: %w", method.Name, ip.users[i], err)
	}
	return nil
}

func (ip *inproc) transport(senderUser func(si int) int) *inprocTransport {
	n := len(ip.e.states)
	tr := &inprocTransport{e: ip.e, sess: make([]*embed.Session, n)}
	for si := 0; si < n; si++ {
		tr.sess[si] = ip.sess[senderUser(si)]
	}
	return tr
}

// parallel runs f(0..n-1), conc at a time, and returns the first error.
func parallel(n, conc int, f func(i int) error) error {
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, min(conc, n)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return firstErr
}

// RunInproc executes a scenario against actors in this process.
func RunInproc(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	switch cfg.Scenario {
	case "peer":
		return runPeerInproc(ctx, cfg)
	case "room":
		return runRoomInproc(ctx, cfg)
	case "group":
		return runGroupInproc(ctx, cfg)
	case "channel":
		return runChannelInproc(ctx, cfg)
	}
	return nil, fmt.Errorf("load: scenario %q has no in-process mode (have: peer, room, group, channel)", cfg.Scenario)
}

// runPeerInproc: Conns users in pairs, each registered with its user actor; sends go to
// the peer actor of the pair.
func runPeerInproc(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns &^ 1
	if n < 2 {
		return nil, fmt.Errorf("load: peer needs at least 2 users")
	}
	ip, err := startInproc(ctx, cfg, messages.EventPeerMessageReceived.Name, cfg.Prefix+"u", n, n)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	tr := ip.transport(func(si int) int { return si })
	res, err := ip.e.run(ctx, "peer", "inproc", tr, func(i int) (string, int32, []int) {
		return ip.users[i^1], 0, []int{i ^ 1}
	})
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, peer"}
	}
	return res, err
}

// runRoomInproc: the room scenario (Conns members over Rooms rooms, Senders of each
// sending) at the room actors. Each member's session enters its room with enterRoom (the
// gateway's own room-membership code); the room actors keep the node fan-out's room
// lists with RoomFanout and push with RoomDeliver. Only the room kind is loaded by the
// messages (the user actors only hold the sessions' registrations).
func runRoomInproc(ctx context.Context, cfg Config) (*Result, error) {
	rooms := max(cfg.Rooms, 1)
	per := cfg.Conns / rooms
	if per < 2 {
		return nil, fmt.Errorf("load: room needs at least 2 members per room")
	}
	senders := min(max(cfg.Senders, 1), per)
	n := per * rooms
	if cfg.Priority == 0 {
		cfg.Priority = 3 // high, as over WebSockets: any loss is a real loss
	}
	ip, err := startInproc(ctx, cfg, messages.EventRoomMessageReceived.Name, cfg.Prefix+"r", n, senders*rooms)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	roomOf := func(i int) int { return i / per }
	roomID := func(r int) string { return cfg.Prefix + "room" + strconv.Itoa(r) }
	// The room actor sends each RoomFanout add before its reply, so once every enterRoom
	// is answered the fan-out's lists are complete for every later RoomDeliver.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		id := roomID(roomOf(i))
		return callAs(ctx, ip, i, messages.MethodEnterRoom, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: id}})
	}); err != nil {
		return nil, err
	}
	senderUser := func(si int) int { return (si/senders)*per + si%senders }
	tr := ip.transport(senderUser)
	res, err := ip.e.run(ctx, "room", "inproc", tr, func(si int) (string, int32, []int) {
		me := senderUser(si)
		r := roomOf(me)
		recv := make([]int, 0, per-1)
		for j := r * per; j < (r+1)*per; j++ {
			if j != me {
				recv = append(recv, j)
			}
		}
		return roomID(r), actors.ConvRoom, recv
	})
	if res != nil {
		res.Extra = map[string]any{"kinds": "room", "rooms": rooms, "members_per_room": per, "senders_per_room": senders}
	}
	return res, err
}

// runGroupInproc: the group scenario (Conns members in one group, the first Senders
// sending) straight at the group actor. Every member's connection is registered with its
// user actor as a gateway login does; the user actors report it to the group
// (GroupMemberPresence) when they learn the membership, and the group pushes each
// message to the online connections with one Deliver.
func runGroupInproc(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns
	if n < 2 {
		return nil, fmt.Errorf("load: group needs at least 2 members")
	}
	senders := min(max(cfg.Senders, 1), n)
	ip, err := startInproc(ctx, cfg, messages.EventGroupMessageReceived.Name, cfg.Prefix+"g", n, senders)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	groupID := cfg.Prefix + "grp"
	end := min(n, 101)
	if err := callAs(ctx, ip, 0, messages.MethodCreateGroup, &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: groupID, GroupName: "load"}, UserIDs: ip.users[1:end]}); err != nil {
		return nil, err
	}
	for start := end; start < n; start += 100 {
		if err := callAs(ctx, ip, 0, messages.MethodInviteUsersIntoGroup, &messages.GroupUsersParams{
			GroupID: groupID, UserIDs: ip.users[start:min(start+100, n)]}); err != nil {
			return nil, err
		}
	}
	// Settle: the group told each member's user actor before answering; a call to each
	// user actor returns after it sent its presence to the group, and a call to the group
	// after that returns once the group has them all.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		return callAs(ctx, ip, i, messages.MethodQuerySelfUserInfo, &messages.Empty{})
	}); err != nil {
		return nil, err
	}
	if err := callAs(ctx, ip, 0, messages.MethodQueryGroupMemberCount, &messages.GroupIDParams{GroupID: groupID}); err != nil {
		return nil, err
	}
	tr := ip.transport(func(si int) int { return si })
	res, err := ip.e.run(ctx, "group", "inproc", tr, everyoneElse(n, groupID, actors.ConvGroup))
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, group", "members": n, "senders": senders}
	}
	return res, err
}
