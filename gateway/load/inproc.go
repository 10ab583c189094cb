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
//
// Connection ID n+1 is receiver n. The stand-in does what a gateway node's fan-out actor
// does with the messages it gets, minus the sockets:
//   - Deliver (peer, group): each listed connection but ExceptConnID gets the push;
//   - RoomFanout / RoomDeliver (room): it keeps each room's connections as the gateway's
//     roomHub does (add/remove in order with the pushes, epochs), and a RoomDeliver
//     reaches the connections in the room's list when it arrives, but ExceptConnID.
// So a push that the actors address wrongly (a member missing from a list, a connection
// listed twice, a stale epoch) shows up as lost or duplicate, exactly as over WebSockets.

// inprocFanout is the stand-in fan-out actor. Only its goroutine touches rooms.
type inprocFanout struct {
	e     *engine
	event string
	rooms map[string]*inprocRoom
	ris   []int // scratch: receivers of one push
}

// inprocRoom is one room's connections on the stand-in node (index-backed, like the
// gateway's roomConns).
type inprocRoom struct {
	epoch uint64
	list  []uint64
	pos   map[uint64]int
}

func (r *inprocRoom) add(id uint64) {
	if _, in := r.pos[id]; in {
		return
	}
	r.pos[id] = len(r.list)
	r.list = append(r.list, id)
}

func (r *inprocRoom) remove(id uint64) {
	i, in := r.pos[id]
	if !in {
		return
	}
	last := len(r.list) - 1
	moved := r.list[last]
	r.list[i] = moved
	r.pos[moved] = i
	r.list = r.list[:last]
	delete(r.pos, id)
}

func (f *inprocFanout) receive(msg proto.Message) {
	switch m := msg.(type) {
	case *messages.Deliver:
		if m.Push != nil && m.Push.Event == f.event {
			f.account(m.Push.Data, m.ConnIDs, m.ExceptConnID)
		}
	case *messages.RoomFanout:
		f.roomUpdate(m)
	case *messages.RoomDeliver:
		if rc := f.rooms[m.RoomID]; rc != nil && rc.epoch == m.Epoch && m.Push != nil && m.Push.Event == f.event {
			f.account(m.Push.Data, rc.list, m.ExceptConnID)
		}
	}
}

// roomUpdate applies a room actor's change to a room's connections, with the epoch rules
// of the gateway's fan-out actor (gateway/room_fanout.go roomUpdate).
func (f *inprocFanout) roomUpdate(m *messages.RoomFanout) {
	if f.rooms == nil {
		f.rooms = map[string]*inprocRoom{}
	}
	rc := f.rooms[m.RoomID]
	switch {
	case m.Epoch == 0:
		if rc == nil {
			return
		}
	case rc != nil && rc.epoch > m.Epoch:
		return
	case rc == nil || rc.epoch < m.Epoch:
		rc = &inprocRoom{epoch: m.Epoch, pos: map[uint64]int{}}
		f.rooms[m.RoomID] = rc
	}
	for _, id := range m.Remove {
		rc.remove(id)
	}
	for _, id := range m.Add {
		rc.add(id)
	}
	if len(rc.list) == 0 {
		delete(f.rooms, m.RoomID)
	}
}

// account records one push reaching each of ids but except.
func (f *inprocFanout) account(data []byte, ids []uint64, except uint64) {
	ris := f.ris[:0]
	for _, id := range ids {
		if id == except || id == 0 || int(id) > len(f.e.ledgers) {
			continue
		}
		ris = append(ris, int(id-1))
	}
	f.ris = ris
	f.e.deliveredMany(ris, messageBody(data))
}

type inprocTransport struct {
	rt    *actors.Runtime
	users []string
	conns []*messages.ConnRef
	kind  string
	ident func(i int, p *messages.SendMessageParams) string
	e     *engine
}

func (t *inprocTransport) send(i int, id uint32, p *messages.SendMessageParams) error {
	raw, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	call := &messages.Call{Method: "sendMessage", UserID: t.users[i], Params: raw, Conn: t.conns[i]}
	t.rt.Go(context.Background(), t.kind, t.ident(i, p), call, func(_ proto.Message, err error) {
		code, _ := actors.Reply(err)
		t.e.acked(i, id, code)
	})
	return nil
}

// inproc is one in-process run: the runtime, the stand-in fan-out actor and n users,
// user i on connection i+1.
type inproc struct {
	rt    *actors.Runtime
	stop  func()
	e     *engine
	users []string
	conns []*messages.ConnRef
}

// startInproc starts a one-member cluster on a temporary directory with the stand-in
// fan-out actor accounting pushes of event to n receivers, sent by senders.
func startInproc(cfg Config, event, prefix string, n, senders int) (*inproc, error) {
	dir, err := os.MkdirTemp("", "parley-inproc-*")
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: dir, Logger: log})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	rt, err := actors.Start(actors.Config{Store: store, Logger: log})
	if err != nil {
		_ = store.Close()
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ip := &inproc{rt: rt, e: newEngine(cfg, senders, n), users: make([]string, n), conns: make([]*messages.ConnRef, n)}
	ip.stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = rt.Shutdown(ctx)
		_ = store.Close()
		_ = os.RemoveAll(dir)
	}
	for i := range ip.users {
		ip.users[i] = prefix + strconv.Itoa(i)
		ip.conns[i] = &messages.ConnRef{Node: rt.Address(), ConnID: uint64(i + 1), Platform: 6}
	}
	if _, err := rt.Node().Spawn(actors.FanoutActorName, (&inprocFanout{e: ip.e, event: event}).receive); err != nil {
		ip.stop()
		return nil, err
	}
	return ip, nil
}

// register registers every user's connection with its user actor, as a gateway
// connection does when it logs in.
func (ip *inproc) register(ctx context.Context, conc int) error {
	return parallel(len(ip.users), conc, func(i int) error {
		reg := &messages.RegisterDevice{Conn: ip.conns[i], UserName: ip.users[i]}
		if _, err := ip.rt.Request(ctx, actors.KindUser, ip.users[i], reg); err != nil {
			return fmt.Errorf("register %s: %w", ip.users[i], err)
		}
		return nil
	})
}

// call runs a client method as user i and waits for its answer.
func (ip *inproc) call(ctx context.Context, kind, identity string, i int, method string, params proto.Message) error {
	raw, err := proto.Marshal(params)
	if err != nil {
		return err
	}
	_, err = ip.rt.Call(ctx, kind, identity, &messages.Call{Method: method, UserID: ip.users[i], Params: raw, Conn: ip.conns[i]})
	if err != nil {
		return fmt.Errorf("%s by %s: %w", method, ip.users[i], err)
	}
	return nil
}

func (ip *inproc) transport(kind string, ident func(int, *messages.SendMessageParams) string, senderUser func(si int) int) *inprocTransport {
	n := len(ip.e.states)
	tr := &inprocTransport{rt: ip.rt, e: ip.e, kind: kind, ident: ident, users: make([]string, n), conns: make([]*messages.ConnRef, n)}
	for si := 0; si < n; si++ {
		u := senderUser(si)
		tr.users[si], tr.conns[si] = ip.users[u], ip.conns[u]
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
	ip, err := startInproc(cfg, messages.EventPeerMessageReceived.Name, cfg.Prefix+"u", n, n)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	if err := ip.register(ctx, cfg.Concurrency); err != nil {
		return nil, err
	}
	tr := ip.transport(actors.KindPeer, func(i int, p *messages.SendMessageParams) string {
		return actors.PeerIdentity(ip.users[i], p.ToConversationID)
	}, func(si int) int { return si })
	res, err := ip.e.run(ctx, "peer", "inproc", tr, func(i int) (string, int32, []int) {
		return ip.users[i^1], 0, []int{i ^ 1}
	})
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, peer"}
	}
	return res, err
}

// runRoomInproc: the room scenario (Conns members over Rooms rooms, Senders of each
// sending) straight at the room actors. Members enter through the room actor as the
// gateway's enterRoom does; the room actors keep the stand-in's room lists with
// RoomFanout and push with RoomDeliver. Only the room kind is loaded (rooms need no
// user actor).
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
	ip, err := startInproc(cfg, messages.EventRoomMessageReceived.Name, cfg.Prefix+"r", n, senders*rooms)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	roomOf := func(i int) int { return i / per }
	roomID := func(r int) string { return cfg.Prefix + "room" + strconv.Itoa(r) }
	// The room actor sends each RoomFanout add before its reply, so once every enterRoom
	// is answered the stand-in's lists are complete for every later RoomDeliver.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		id := roomID(roomOf(i))
		return ip.call(ctx, actors.KindRoom, id, i, "enterRoom", &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: id}})
	}); err != nil {
		return nil, err
	}
	senderUser := func(si int) int { return (si/senders)*per + si%senders }
	tr := ip.transport(actors.KindRoom, func(_ int, p *messages.SendMessageParams) string { return p.ToConversationID }, senderUser)
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
	ip, err := startInproc(cfg, messages.EventGroupMessageReceived.Name, cfg.Prefix+"g", n, senders)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	if err := ip.register(ctx, cfg.Concurrency); err != nil {
		return nil, err
	}
	groupID := cfg.Prefix + "grp"
	end := min(n, 101)
	if err := ip.call(ctx, actors.KindGroup, groupID, 0, "createGroup", &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: groupID, GroupName: "load"}, UserIDs: ip.users[1:end]}); err != nil {
		return nil, err
	}
	for start := end; start < n; start += 100 {
		if err := ip.call(ctx, actors.KindGroup, groupID, 0, "inviteUsersIntoGroup", &messages.GroupUsersParams{
			GroupID: groupID, UserIDs: ip.users[start:min(start+100, n)]}); err != nil {
			return nil, err
		}
	}
	// Settle: the group told each member's user actor before answering; a call to each
	// user actor returns after it sent its presence to the group, and a call to the group
	// after that returns once the group has them all.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		return ip.call(ctx, actors.KindUser, ip.users[i], i, "querySelfUserInfo", &messages.Empty{})
	}); err != nil {
		return nil, err
	}
	if err := ip.call(ctx, actors.KindGroup, groupID, 0, "queryGroupMemberCount", &messages.GroupIDParams{GroupID: groupID}); err != nil {
		return nil, err
	}
	tr := ip.transport(actors.KindGroup, func(int, *messages.SendMessageParams) string { return groupID }, func(si int) int { return si })
	res, err := ip.e.run(ctx, "group", "inproc", tr, everyoneElse(n, groupID, actors.ConvGroup))
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, group", "members": n, "senders": senders}
	}
	return res, err
}
