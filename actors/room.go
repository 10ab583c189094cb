package actors

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// KindRoom is the room actor kind (identity: the room ID).
const KindRoom = "room"

// ZIMRoomState and ZIMRoomEvent values of roomStateChanged.
const (
	RoomStateDisconnected = 0
	RoomStateConnecting   = 1
	RoomStateConnected    = 2

	RoomEventSuccess      = 0
	RoomEventActiveCreate = 4
	RoomEventCreateFailed = 5
	RoomEventActiveEnter  = 6
	RoomEventEnterFailed  = 7
	RoomEventActiveSwitch = 11
	RoomEventSwitchFailed = 12
)

// ZIMMessagePriority. Room messages default to low, as in ZIM.
const (
	PriorityLow    = 1
	PriorityMedium = 2
	PriorityHigh   = 3
)

// RoomTimer kinds.
const (
	roomTimerGrace   = 1
	roomTimerDestroy = 2
	roomTimerNotices = 3
)

// compactAfter is the number of left members' slots in the join order after which the
// order is compacted (when they are also more than half of it): amortised O(1) per leave.
const compactAfter = 64

// connKey is a member connection: gateway node and connection ID.
type connKey struct {
	node string
	id   uint64
}

// roomMember is one user in the room, with the connections it joined from (usually one;
// one per device when the user joined from several).
type roomMember struct {
	userID   string
	userName string
	conns    []connKey
	seq      uint64 // join order; the queryRoomMemberList cursor
	slot     int    // index in roomActor.order
	grace    uint64 // generation of the running grace timer; 0 while connected
}

func (m *roomMember) info() *messages.UserInfo {
	return &messages.UserInfo{UserID: m.userID, UserName: m.userName}
}

// roomNode is a gateway node with member connections: its fan-out actor and how many of
// the room's connections it has.
type roomNode struct {
	name  string // interned: every connKey of the node shares it
	conns int
}

// roomActor owns one room: members by connection, room attributes, member attributes and
// the destroy timer. A room lives in memory only: it is created by createRoom/enterRoom
// and destroyed when its last member leaves (after roomDestroyDelayTime when its creator
// set one); an activation that stops or is lost with its node takes the room with it.
//
// Every push is encoded once and sent as one RoomDeliver per gateway node with members;
// that node's fan-out actor keeps the room's local connections (RoomFanout, sent in order
// with the pushes). So a join or a leave is O(1) here, whatever the room's size, and a
// message costs O(nodes).
type roomActor struct {
	id           string
	exists       bool
	epoch        uint64 // this incarnation of the room (larger for a later one)
	name         string
	destroyDelay time.Duration

	members           map[string]*roomMember // by user ID
	conns             map[connKey]*roomMember
	nodes             map[string]*roomNode
	order             []*roomMember // join order; nil where a member left (compacted now and then)
	seqs              []uint64      // seqs[i] is the join seq of order[i], tombstones included
	dead              int           // nil slots in order
	nextSeq           uint64
	onlineMemberCount int // members with at least one connection

	gen        uint64 // timer generations
	destroyGen uint64 // generation of the running destroy timer; 0 when none

	notices    *noticeRun // member changes not announced yet (room_notices.go)
	noticeGen  uint64     // generation of their timer
	noticeSent time.Time  // when the last member notice went out

	attrs       map[string]*roomAttr
	memberAttrs map[string]*memberAttrs
	batches     map[connKey]*attrBatch

	log *msgLog // room history; opened on first use when history is on
}

func (r *roomActor) activate(g *grain) error {
	r.id = g.ID()
	return nil
}

// canPassivate: a room is kept in memory only, so its actor stays while it exists.
func (r *roomActor) canPassivate(*grain) bool { return !r.exists }

// roomMethods are the client methods a room serves. Only members may call those of
// memberMethods (memberOf is checked before their params are read).
var roomMethods = newMethods(func(t methods[*roomActor]) {
	on(t, messages.MethodCreateRoom, func(r *roomActor, g *grain, c *messages.Call, p *messages.RoomCreateParams) (*messages.RoomInfoResult, error) {
		return r.enter(g, c, p, true)
	})
	on(t, messages.MethodEnterRoom, func(r *roomActor, g *grain, c *messages.Call, p *messages.RoomCreateParams) (*messages.RoomInfoResult, error) {
		return r.enter(g, c, p, false)
	})
	on(t, messages.MethodJoinRoom, func(r *roomActor, g *grain, c *messages.Call, _ *messages.RoomIDParams) (*messages.RoomInfoResult, error) {
		if !r.exists {
			return nil, ErrRoomNotExist
		}
		return r.addConn(g, c)
	})
	on(t, messages.MethodLeaveRoom, func(r *roomActor, g *grain, c *messages.Call, _ *messages.RoomIDParams) (*messages.RoomLeftResult, error) {
		if _, err := r.memberOf(c); err != nil {
			return nil, err
		}
		r.dropConn(g, r.key(c.Conn), true)
		return &messages.RoomLeftResult{RoomID: r.id}, nil
	})
}, roomMemberMethods)

// roomMemberMethods are the methods only the room's members may call.
func roomMemberMethods(t methods[*roomActor]) {
	on(t, messages.MethodSendMessage, (*roomActor).sendMessage)
	on(t, messages.MethodQueryHistoryMessage, (*roomActor).queryHistory)
	on(t, messages.MethodQueryRoomMemberList, (*roomActor).memberList)
	on(t, messages.MethodQueryRoomMembers, (*roomActor).queryMembers)
	on(t, messages.MethodQueryRoomOnlineMemberCount, (*roomActor).onlineCount)
	on(t, messages.MethodSetRoomAttributes, (*roomActor).setAttributes)
	on(t, messages.MethodDeleteRoomAttributes, (*roomActor).deleteAttributes)
	on(t, messages.MethodBeginRoomAttributesBatchOperation, (*roomActor).beginBatch)
	on(t, messages.MethodEndRoomAttributesBatchOperation, (*roomActor).endBatch)
	on(t, messages.MethodQueryRoomAllAttributes, (*roomActor).queryAttributes)
	on(t, messages.MethodSetRoomMembersAttributes, (*roomActor).setMemberAttributes)
	on(t, messages.MethodQueryRoomMembersAttributes, (*roomActor).queryMemberAttributes)
	on(t, messages.MethodQueryRoomMemberAttributesList, (*roomActor).memberAttributesList)
}

// memberOnly reports whether method is one of roomMemberMethods.
var memberOnly = func() map[string]bool {
	t := methods[*roomActor]{}
	roomMemberMethods(t)
	out := map[string]bool{}
	for name := range t {
		out[name] = true
	}
	return out
}()

func (r *roomActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *messages.Call:
		return r.call(g, m)
	case *messages.RoomConnClosed:
		if r.exists && m.Conn != nil {
			r.dropConn(g, r.key(m.Conn), m.Leave)
		}
	case *messages.RoomTimer:
		r.timer(g, m)
	}
	return nil, nil
}

func (r *roomActor) call(g *grain, c *messages.Call) (proto.Message, error) {
	if c.Conn == nil {
		return nil, ErrParamInvalid
	}
	if memberOnly[c.Method] {
		if _, err := r.memberOf(c); err != nil {
			return nil, err
		}
	}
	return roomMethods.serve(r, g, c)
}

// memberOf returns the member the calling connection belongs to: only members can send,
// query and touch attributes.
func (r *roomActor) memberOf(c *messages.Call) (*roomMember, error) {
	if !r.exists {
		return nil, ErrRoomNotExist
	}
	m := r.conns[r.key(c.Conn)]
	if m == nil || m.userID != c.UserID {
		return nil, ErrRoomNotIn
	}
	return m, nil
}

func (r *roomActor) key(c *messages.ConnRef) connKey {
	if n := r.nodes[c.Node]; n != nil {
		return connKey{node: n.name, id: c.ConnID}
	}
	return connKey{node: c.Node, id: c.ConnID}
}

// enter serves createRoom (create: the room must not exist) and enterRoom (creates the
// room when it does not exist; only the first entrant's name and config take effect).
func (r *roomActor) enter(g *grain, c *messages.Call, p *messages.RoomCreateParams, create bool) (*messages.RoomInfoResult, error) {
	lim := g.rt.Limits().Room
	if p.RoomInfo == nil || p.RoomInfo.RoomID != r.id || !validText(p.RoomInfo.RoomName, lim.NameBytes) {
		return nil, ErrParamInvalid
	}
	if r.exists {
		if create {
			return nil, ErrRoomExists
		}
		return r.addConn(g, c)
	}
	if err := r.create(g, c.UserID, p.RoomInfo.RoomName, p.Config); err != nil {
		return nil, err
	}
	return r.addConn(g, c)
}

func (r *roomActor) create(g *grain, creator, name string, cfg *messages.RoomAdvancedConfig) error {
	lim := g.rt.Limits().Room
	attrs := map[string]*roomAttr{}
	var delay time.Duration
	if cfg != nil {
		if cfg.RoomDestroyDelayTime < 0 || int(cfg.RoomDestroyDelayTime) > lim.DestroyDelayMax {
			return ErrParamInvalid
		}
		delay = time.Duration(cfg.RoomDestroyDelayTime) * g.rt.cfg.Rooms.DestroyDelayUnit
		if len(cfg.RoomAttributes) > 0 {
			if err := checkAttrInput(cfg.RoomAttributes, lim); err != nil {
				return err
			}
			for k, v := range cfg.RoomAttributes {
				attrs[k] = &roomAttr{value: v, owner: creator}
			}
			if err := checkAttrLimits(attrs, lim); err != nil {
				return err
			}
		}
	}
	*r = roomActor{
		id:           r.id,
		exists:       true,
		epoch:        g.rt.NewMessageID(),
		name:         name,
		destroyDelay: delay,
		members:      map[string]*roomMember{},
		conns:        map[connKey]*roomMember{},
		nodes:        map[string]*roomNode{},
		attrs:        attrs,
		memberAttrs:  map[string]*memberAttrs{},
		batches:      map[connKey]*attrBatch{},
		gen:          r.gen,
		log:          r.log,
	}
	g.Log().Debug("room created", "creator", creator)
	return nil
}

// destroy forgets the room: members, attributes and member attributes go with it (its
// stored history, when history is on, stays).
func (r *roomActor) destroy(g *grain) {
	*r = roomActor{id: r.id, gen: r.gen, log: r.log}
	g.Log().Debug("room destroyed")
}

func (r *roomActor) roomInfo() *messages.RoomInfoResult {
	return &messages.RoomInfoResult{RoomInfo: &messages.RoomFullInfo{BaseInfo: &messages.RoomInfo{RoomID: r.id, RoomName: r.name}}}
}

// addConn makes the calling connection a member connection. The user's first
// connection makes the user a member (roomMemberJoined to the others); a user who is
// still a member — from another device, or within the grace period after a dropped
// connection — just gains the connection.
func (r *roomActor) addConn(g *grain, c *messages.Call) (*messages.RoomInfoResult, error) {
	k := r.key(c.Conn)
	if m := r.conns[k]; m != nil {
		if m.userID == c.UserID {
			return nil, ErrRoomAlreadyIn
		}
		// The connection logged out and in as another user before its close reached us.
		r.dropConn(g, k, true)
	}
	m := r.members[c.UserID]
	if m == nil {
		m = &roomMember{userID: c.UserID, userName: r.userName(g, c.UserID), seq: r.nextSeq + 1, slot: len(r.order)}
		r.nextSeq++
		r.members[m.userID] = m
		r.order = append(r.order, m)
		r.seqs = append(r.seqs, m.seq)
		r.memberChanged(g, m, false)
	}
	if len(m.conns) == 0 {
		r.onlineMemberCount++
		m.grace = 0
	}
	n := r.nodes[c.Conn.Node]
	if n == nil {
		n = &roomNode{name: c.Conn.Node}
		r.nodes[n.name] = n
	}
	k.node = n.name
	n.conns++
	m.conns = append(m.conns, k)
	r.conns[k] = m
	g.rt.node.SendProcess(n.name, FanoutActorName, &messages.RoomFanout{RoomID: r.id, Epoch: r.epoch, Add: []uint64{k.id}})
	r.destroyGen = 0 // a pending destroy is off
	return r.roomInfo(), nil
}

// dropConn removes a member connection. When it was the member's last one, the member
// leaves at once (leave: leaveRoom, logout) or after the grace period (a dropped
// connection), unless the user joins again in time.
func (r *roomActor) dropConn(g *grain, k connKey, leave bool) {
	m := r.conns[k]
	if m == nil {
		return
	}
	delete(r.conns, k)
	delete(r.batches, k)
	for i, x := range m.conns {
		if x == k {
			last := len(m.conns) - 1
			m.conns[i] = m.conns[last]
			m.conns = m.conns[:last]
			break
		}
	}
	if n := r.nodes[k.node]; n != nil {
		g.rt.node.SendProcess(n.name, FanoutActorName, &messages.RoomFanout{RoomID: r.id, Epoch: r.epoch, Remove: []uint64{k.id}})
		if n.conns--; n.conns == 0 {
			delete(r.nodes, k.node)
		}
	}
	if len(m.conns) > 0 {
		return
	}
	r.onlineMemberCount--
	if leave {
		r.removeMember(g, m)
		return
	}
	r.gen++
	m.grace = r.gen
	g.After(g.rt.cfg.Rooms.Grace, &messages.RoomTimer{Kind: roomTimerGrace, UserID: m.userID, Generation: r.gen})
}

// removeMember: the member leaves (roomMemberLeft to the others); room attributes it owns
// with isDeleteAfterOwnerLeft and its member attributes set with isDeleteAfterOwnerLeft
// go with it. The last member leaving destroys the room (after its destroy delay).
func (r *roomActor) removeMember(g *grain, m *roomMember) {
	delete(r.members, m.userID)
	r.order[m.slot] = nil
	r.dead++
	if r.dead > compactAfter && 2*r.dead > len(r.order) {
		r.compact()
	}
	r.memberChanged(g, m, true)
	if ma := r.memberAttrs[m.userID]; ma != nil && ma.deleteAfterLeft {
		delete(r.memberAttrs, m.userID)
	}
	deleted := map[string]string{}
	for k, a := range r.attrs { // at most Limits.Room.Attributes entries
		if a.owner == m.userID && a.deleteAfterOwnerLeft {
			deleted[k] = ""
		}
	}
	if len(deleted) > 0 {
		next := make(map[string]*roomAttr, len(r.attrs))
		for k, a := range r.attrs {
			if _, gone := deleted[k]; !gone {
				next[k] = a
			}
		}
		r.attrs = next
		r.push(g, messages.EventRoomAttributesUpdated.With(&messages.RoomAttributesUpdatedEvent{RoomID: r.id,
			Infos: []*messages.RoomAttributesUpdateInfo{{Action: attrActionDelete, RoomAttributes: deleted}}}), 0, nil)
	}
	if len(r.members) > 0 {
		return
	}
	if r.destroyDelay <= 0 {
		r.destroy(g)
		return
	}
	r.gen++
	r.destroyGen = r.gen
	g.After(r.destroyDelay, &messages.RoomTimer{Kind: roomTimerDestroy, Generation: r.gen})
}

// compact drops the left members' slots from the join order.
func (r *roomActor) compact() {
	order, seqs := r.order[:0], r.seqs[:0]
	for i, m := range r.order {
		if m != nil {
			m.slot = len(order)
			order = append(order, m)
			seqs = append(seqs, r.seqs[i])
		}
	}
	clear(r.order[len(order):])
	r.order, r.seqs, r.dead = order, seqs, 0
}

func (r *roomActor) timer(g *grain, t *messages.RoomTimer) {
	if !r.exists {
		return
	}
	switch t.Kind {
	case roomTimerGrace:
		if m := r.members[t.UserID]; m != nil && m.grace == t.Generation && len(m.conns) == 0 {
			r.removeMember(g, m)
		}
	case roomTimerDestroy:
		if r.destroyGen == t.Generation && len(r.members) == 0 {
			r.destroy(g)
		}
	case roomTimerNotices:
		r.noticesDue(g, t.Generation)
	}
}

// push sends one event to every member connection but except, after the member
// changes not announced yet.
func (r *roomActor) push(g *grain, ev messages.Pushed, priority int32, except *messages.ConnRef) {
	r.flushNotices(g)
	r.deliver(g, ev, priority, except, nil)
}

// deliver sends one event to every member connection but except and those of exceptIDs
// (connection IDs by node), encoded once, one RoomDeliver per node; false when it sent
// nothing.
func (r *roomActor) deliver(g *grain, ev messages.Pushed, priority int32, except *messages.ConnRef, exceptIDs map[string][]uint64) bool {
	if len(r.nodes) == 0 {
		return false
	}
	p, err := NewPush(ev)
	if err != nil {
		g.Log().Error("encode push", "event", ev.Name, "err", err)
		return false
	}
	return r.deliverPush(g, p, priority, except, exceptIDs)
}

// deliverPush is deliver of an encoded push.
func (r *roomActor) deliverPush(g *grain, p *messages.Push, priority int32, except *messages.ConnRef, exceptIDs map[string][]uint64) bool {
	if len(r.nodes) == 0 {
		return false
	}
	for name := range r.nodes {
		d := &messages.RoomDeliver{RoomID: r.id, Epoch: r.epoch, Push: p, Priority: priority, ExceptConnIDs: exceptIDs[name]}
		if except != nil && except.Node == name {
			d.ExceptConnID = except.ConnID
		}
		g.rt.node.SendProcess(name, FanoutActorName, d)
	}
	return true
}

// deliverTo sends one push to the given member connections only.
func (r *roomActor) deliverTo(g *grain, p *messages.Push, conns []connKey) {
	byNode := map[string][]uint64{}
	for _, k := range conns {
		byNode[k.node] = append(byNode[k.node], k.id)
	}
	for name, ids := range byNode {
		g.rt.node.SendProcess(name, FanoutActorName, &messages.RoomDeliver{RoomID: r.id, Epoch: r.epoch, Push: p, OnlyConnIDs: ids})
	}
}

// userName is the user's profile name, or "" when it cannot be read.
func (r *roomActor) userName(g *grain, user string) string {
	ctx, cancel := g.CallCtx()
	defer cancel()
	raw, err := g.rt.Store().Get(ctx, keyUser(user))
	if err != nil {
		if !errors.Is(err, persistence.ErrNotFound) {
			g.Log().Warn("read user profile", "user", user, "err", err)
		}
		return ""
	}
	p := &messages.StoredUser{}
	if proto.Unmarshal(raw, p) != nil {
		return ""
	}
	return p.UserName
}

// ---- member queries ----

func pageCount(cfg *messages.RoomQueryConfig, max int) (int, error) {
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > max {
		return 0, ErrParamInvalid
	}
	return int(cfg.Count), nil
}

// memberList pages through the members in join order; nextFlag is the join sequence
// number of the page's last member.
func (r *roomActor) memberList(g *grain, c *messages.Call, p *messages.RoomMemberListParams) (*messages.RoomMemberQueriedResult, error) {
	count, err := pageCount(p.Config, g.rt.Limits().Room.PageMax)
	if err != nil {
		return nil, err
	}
	var after uint64
	if p.Config.NextFlag != "" {
		if after, err = strconv.ParseUint(p.Config.NextFlag, 10, 64); err != nil {
			return nil, ErrParamInvalid
		}
	}
	res := &messages.RoomMemberQueriedResult{RoomID: r.id}
	i := sort.Search(len(r.seqs), func(i int) bool { return r.seqs[i] > after })
	var last *roomMember
	for ; i < len(r.order) && len(res.MemberList) < count; i++ {
		if m := r.order[i]; m != nil {
			res.MemberList = append(res.MemberList, m.info())
			last = m
		}
	}
	if last != nil && len(res.MemberList) == count && r.liveFrom(i) {
		res.NextFlag = strconv.FormatUint(last.seq, 10)
	}
	return res, nil
}

// liveFrom reports whether a member still in the room joined at or after slot i (the
// join order keeps left members' slots until it is compacted).
func (r *roomActor) liveFrom(i int) bool {
	for ; i < len(r.order); i++ {
		if r.order[i] != nil {
			return true
		}
	}
	return false
}

func (r *roomActor) queryMembers(g *grain, c *messages.Call, p *messages.RoomUsersParams) (*messages.RoomMembersQueriedResult, error) {
	if len(p.UserIDs) == 0 {
		return nil, ErrParamInvalid
	}
	if len(p.UserIDs) > g.rt.Limits().Room.QueryMembers {
		return nil, ErrUserQueryLimit
	}
	res := &messages.RoomMembersQueriedResult{RoomID: r.id}
	for _, id := range p.UserIDs {
		if m := r.members[id]; m != nil {
			res.MemberList = append(res.MemberList, m.info())
		} else {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrRoomNotIn.Code})
		}
	}
	return res, nil
}

// onlineCount counts the members with a connection (members within their grace period
// are not online).
func (r *roomActor) onlineCount(_ *grain, _ *messages.Call, _ *messages.RoomIDParams) (*messages.RoomOnlineMemberCountQueriedResult, error) {
	return &messages.RoomOnlineMemberCountQueriedResult{RoomID: r.id, Count: int32(r.onlineMemberCount)}, nil
}
