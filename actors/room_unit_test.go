package actors

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the room kind (room.go, room_attrs.go, room_messages.go): create, enter,
// join and leave, member paging, room and member attributes with their ownership rules
// and limits, the grace period of a dropped connection and the destroy timer. Rooms live
// in memory only, so nothing here survives a fresh activation.

// roomCall runs method as user calling from connection connID of the unit node.
func (u *unitGrain) roomCall(user string, connID uint64, method string, params, result proto.Message) error {
	u.w.tb.Helper()
	raw, err := proto.Marshal(params)
	if err != nil {
		u.w.tb.Fatal(err)
	}
	rep, _ := u.Request(&messages.Call{Method: method, UserID: user, Params: raw, Conn: conn(connID)})
	if rep.Code != 0 {
		return &CodeError{Code: rep.Code, Message: rep.Message}
	}
	if result != nil {
		if err := proto.Unmarshal(rep.Data, result); err != nil {
			u.w.tb.Fatal(err)
		}
	}
	return nil
}

func (u *unitGrain) mustRoom(user string, connID uint64, method string, params, result proto.Message) {
	u.w.tb.Helper()
	if err := u.roomCall(user, connID, method, params, result); err != nil {
		u.w.tb.Fatalf("%s as %s (conn %d): %v", method, user, connID, err)
	}
}

// roomParams are createRoom/enterRoom params of room id.
func roomParams(id, name string, cfg *messages.RoomAdvancedConfig) *messages.RoomCreateParams {
	return &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: id, RoomName: name}, Config: cfg}
}

// roomTraffic takes what the room sent to gateway nodes: pushes (RoomDeliver) and the
// fan-out's connection changes (RoomFanout).
func (w *unitWorld) roomTraffic() (pushes []*messages.RoomDeliver, fanouts []*messages.RoomFanout) {
	w.rec.mu.Lock()
	defer w.rec.mu.Unlock()
	for _, p := range w.rec.processes {
		if p.identity != FanoutActorName || p.kind != unitNode {
			w.tb.Fatalf("room sent %T to %s/%s", p.msg, p.kind, p.identity)
		}
		switch m := p.msg.(type) {
		case *messages.RoomDeliver:
			pushes = append(pushes, m)
		case *messages.RoomFanout:
			fanouts = append(fanouts, m)
		}
	}
	w.rec.processes = nil
	return pushes, fanouts
}

// roomEvents decodes the pushes of event.
func roomEvents[T proto.Message](tb testing.TB, ps []*messages.RoomDeliver, event string, newT func() T) []T {
	tb.Helper()
	ds := make([]*messages.Deliver, 0, len(ps))
	for _, p := range ps {
		ds = append(ds, &messages.Deliver{Push: p.Push, ExceptConnID: p.ExceptConnID})
	}
	out, _ := pushesOf(tb, ds, event, newT)
	return out
}

func memberEvents(tb testing.TB, ps []*messages.RoomDeliver, event string) []string {
	tb.Helper()
	var out []string
	for _, e := range roomEvents(tb, ps, event, func() *messages.RoomMemberChangedEvent { return &messages.RoomMemberChangedEvent{} }) {
		for _, u := range e.MemberList {
			out = append(out, u.UserID)
		}
	}
	return out
}

// roomMembers lists the room's members in join order as user (calling from connID) sees them.
func (u *unitGrain) roomMembers(user string, connID uint64) string {
	u.w.tb.Helper()
	var res messages.RoomMemberQueriedResult
	u.mustRoom(user, connID, "queryRoomMemberList", &messages.RoomMemberListParams{Config: &messages.RoomQueryConfig{Count: 100}}, &res)
	ids := make([]string, 0, len(res.MemberList))
	for _, m := range res.MemberList {
		ids = append(ids, m.UserID)
	}
	return strings.Join(ids, ",")
}

func (u *unitGrain) onlineCount(user string, connID uint64) int32 {
	u.w.tb.Helper()
	var res messages.RoomOnlineMemberCountQueriedResult
	u.mustRoom(user, connID, "queryRoomOnlineMemberCount", &messages.RoomIDParams{}, &res)
	return res.Count
}

func (u *unitGrain) roomAttrs(user string, connID uint64) map[string]string {
	u.w.tb.Helper()
	var res messages.RoomAttributesQueriedResult
	u.mustRoom(user, connID, "queryRoomAllAttributes", &messages.RoomIDParams{}, &res)
	if res.RoomAttributes == nil {
		return map[string]string{}
	}
	return res.RoomAttributes
}

// noticeInterval is the default RoomConfig.NoticeInterval: advancing a grain's clock by it
// sends the member notices gathered.
const noticeInterval = 100 * time.Millisecond

func TestUnitRoomCreateEnterJoinLeave(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	g := w.grain(KindRoom, "r1")
	// Nothing works in a room that does not exist.
	wantCode(t, g.roomCall("alice", 1, "joinRoom", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomNotExist)
	wantCode(t, g.roomCall("alice", 1, "leaveRoom", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomNotExist)
	wantCode(t, g.roomCall("alice", 1, "queryRoomOnlineMemberCount", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomNotExist)
	// Bad create params, none of which creates the room.
	for _, p := range []*messages.RoomCreateParams{
		{},
		roomParams("other", "x", nil),
		roomParams("r1", strings.Repeat("n", 65), nil),
		roomParams("r1", "x", &messages.RoomAdvancedConfig{RoomDestroyDelayTime: -1}),
		roomParams("r1", "x", &messages.RoomAdvancedConfig{RoomDestroyDelayTime: 10801}),
		roomParams("r1", "x", &messages.RoomAdvancedConfig{RoomAttributes: map[string]string{"": "v"}}),
	} {
		wantCode(t, g.roomCall("alice", 1, "createRoom", p, nil), ErrParamInvalid)
	}
	wantCode(t, g.roomCall("alice", 1, "createRoom", roomParams("r1", "x", &messages.RoomAdvancedConfig{RoomAttributes: map[string]string{strings.Repeat("k", 17): "v"}}), nil), ErrRoomAttrKey)
	wantCode(t, g.roomCall("alice", 1, "joinRoom", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomNotExist)
	wantCode(t, g.callWithoutConn(), ErrParamInvalid)

	var info messages.RoomInfoResult
	g.mustRoom("alice", 1, "createRoom", roomParams("r1", strings.Repeat("n", 64), nil), &info)
	if info.RoomInfo.BaseInfo.RoomID != "r1" || info.RoomInfo.BaseInfo.RoomName != strings.Repeat("n", 64) {
		t.Fatalf("created %v", &info)
	}
	ps, fs := w.roomTraffic()
	if len(ps) != 0 || len(fs) != 1 || !slices.Equal(fs[0].Add, []uint64{1}) || fs[0].RoomID != "r1" || fs[0].Epoch == 0 {
		t.Fatalf("create sent pushes %v fanouts %v", ps, fs)
	}
	epoch := fs[0].Epoch
	wantCode(t, g.roomCall("bob", 2, "createRoom", roomParams("r1", "x", nil), nil), ErrRoomExists)
	wantCode(t, g.roomCall("alice", 1, "enterRoom", roomParams("r1", "x", nil), nil), ErrRoomAlreadyIn)
	wantCode(t, g.roomCall("alice", 1, "joinRoom", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomAlreadyIn)

	// bob enters (the first entrant's name stays), carol joins.
	g.mustRoom("bob", 2, "enterRoom", roomParams("r1", "renamed", nil), &info)
	if info.RoomInfo.BaseInfo.RoomName != strings.Repeat("n", 64) {
		t.Fatalf("enter renamed the room: %v", &info)
	}
	g.mustRoom("carol", 3, "joinRoom", &messages.RoomIDParams{RoomID: "r1"}, nil)
	g.Advance(noticeInterval) // carol's join came within the interval after bob's
	ps, fs = w.roomTraffic()
	if got := memberEvents(t, ps, "roomMemberJoined"); !slices.Equal(got, []string{"bob", "carol"}) {
		t.Fatalf("joined pushes %v", got)
	}
	if len(fs) != 2 || !slices.Equal(fs[1].Add, []uint64{3}) || fs[1].Epoch != epoch {
		t.Fatalf("fanouts %v", fs)
	}
	if got := g.roomMembers("bob", 2); got != "alice,bob,carol" {
		t.Fatalf("members %s", got)
	}
	if n := g.onlineCount("carol", 3); n != 3 {
		t.Fatalf("online %d", n)
	}

	// Only a member's own connection may call.
	wantCode(t, g.roomCall("bob", 9, "queryRoomOnlineMemberCount", &messages.RoomIDParams{}, nil), ErrRoomNotIn)
	wantCode(t, g.roomCall("carol", 2, "queryRoomOnlineMemberCount", &messages.RoomIDParams{}, nil), ErrRoomNotIn)
	wantCode(t, g.roomCall("alice", 1, "noSuchMethod", &messages.RoomIDParams{}, nil), ErrUnsupported)

	// queryRoomMembers.
	var q messages.RoomMembersQueriedResult
	g.mustRoom("alice", 1, "queryRoomMembers", &messages.RoomUsersParams{UserIDs: []string{"bob", "zed"}}, &q)
	if len(q.MemberList) != 1 || q.MemberList[0].UserID != "bob" || q.MemberList[0].UserName != "bob" ||
		len(q.ErrorUserList) != 1 || q.ErrorUserList[0].UserID != "zed" || q.ErrorUserList[0].Reason != ErrRoomNotIn.Code {
		t.Fatalf("queryRoomMembers %v", &q)
	}
	wantCode(t, g.roomCall("alice", 1, "queryRoomMembers", &messages.RoomUsersParams{}, nil), ErrParamInvalid)
	wantCode(t, g.roomCall("alice", 1, "queryRoomMembers", &messages.RoomUsersParams{UserIDs: make([]string, 11)}, nil), ErrUserQueryLimit)

	// bob leaves: the others hear it; a second leave is refused.
	var left messages.RoomLeftResult
	g.mustRoom("bob", 2, "leaveRoom", &messages.RoomIDParams{RoomID: "r1"}, &left)
	if left.RoomID != "r1" {
		t.Fatalf("left %v", &left)
	}
	g.Advance(noticeInterval)
	ps, fs = w.roomTraffic()
	if got := memberEvents(t, ps, "roomMemberLeft"); !slices.Equal(got, []string{"bob"}) || len(fs) != 1 || !slices.Equal(fs[0].Remove, []uint64{2}) {
		t.Fatalf("leave pushes %v fanouts %v", got, fs)
	}
	wantCode(t, g.roomCall("bob", 2, "leaveRoom", &messages.RoomIDParams{RoomID: "r1"}, nil), ErrRoomNotIn)

	// alice joins from a second device: still one member, no roomMemberJoined.
	g.mustRoom("alice", 4, "joinRoom", &messages.RoomIDParams{RoomID: "r1"}, nil)
	ps, _ = w.roomTraffic()
	if len(ps) != 0 || g.roomMembers("alice", 4) != "alice,carol" || g.onlineCount("alice", 1) != 2 {
		t.Fatalf("second device: pushes %v members %s", ps, g.roomMembers("alice", 4))
	}
	g.mustRoom("alice", 1, "leaveRoom", &messages.RoomIDParams{}, nil)
	if got := g.roomMembers("alice", 4); got != "alice,carol" {
		t.Fatalf("alice left one device only: %s", got)
	}
	wantCode(t, g.roomCall("alice", 1, "queryRoomMemberList", &messages.RoomMemberListParams{Config: &messages.RoomQueryConfig{Count: 1}}, nil), ErrRoomNotIn)

	// A connection that logged in as another user before its close arrived: the old
	// user's connection goes, the new one joins.
	g.mustRoom("bob", 4, "joinRoom", &messages.RoomIDParams{}, nil)
	if got := g.roomMembers("bob", 4); got != "carol,bob" {
		t.Fatalf("conn 4 switched users: %s", got)
	}
	g.Advance(noticeInterval)
	ps, _ = w.roomTraffic()
	if l, j := memberEvents(t, ps, "roomMemberLeft"), memberEvents(t, ps, "roomMemberJoined"); !slices.Equal(l, []string{"alice"}) || !slices.Equal(j, []string{"bob"}) {
		t.Fatalf("switch: left %v joined %v", l, j)
	}

	// The last member leaving destroys the room at once (no destroy delay).
	if g.CanPassivate() {
		t.Fatal("an existing room must not passivate")
	}
	g.mustRoom("carol", 3, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.mustRoom("bob", 4, "leaveRoom", &messages.RoomIDParams{}, nil)
	wantCode(t, g.roomCall("carol", 3, "joinRoom", &messages.RoomIDParams{}, nil), ErrRoomNotExist)
	g.Advance(noticeInterval) // the notice timer of carol's leave finds nothing to send
	if !g.CanPassivate() || len(g.Timers()) != 0 {
		t.Fatalf("destroyed room: can passivate %v, timers %v", g.CanPassivate(), g.Timers())
	}
	// A new room of the same ID is a new incarnation.
	g.mustRoom("carol", 3, "enterRoom", roomParams("r1", "again", nil), &info)
	_, fs = w.roomTraffic()
	if info.RoomInfo.BaseInfo.RoomName != "again" || fs[len(fs)-1].Epoch == epoch {
		t.Fatalf("recreated %v epoch %v", &info, fs)
	}
	// Rooms are in memory only: a fresh activation has no room.
	wantCode(t, w.grain(KindRoom, "r1").roomCall("carol", 3, "queryRoomOnlineMemberCount", &messages.RoomIDParams{}, nil), ErrRoomNotExist)
}

// callWithoutConn makes a room call without a connection (the gateway always sends one).
func (u *unitGrain) callWithoutConn() error {
	rep, _ := u.Request(&messages.Call{Method: "createRoom", UserID: "alice"})
	if rep.Code != 0 {
		return &CodeError{Code: rep.Code, Message: rep.Message}
	}
	return nil
}

func TestUnitRoomMemberListPaging(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindRoom, "r")
	for i := 1; i <= 7; i++ {
		g.mustRoom("u"+strconv.Itoa(i), uint64(i), "enterRoom", roomParams("r", "", nil), nil)
	}
	page := func(flag string, count int32) (string, string) {
		t.Helper()
		var res messages.RoomMemberQueriedResult
		g.mustRoom("u1", 1, "queryRoomMemberList", &messages.RoomMemberListParams{Config: &messages.RoomQueryConfig{NextFlag: flag, Count: count}}, &res)
		var ids []string
		for _, m := range res.MemberList {
			ids = append(ids, m.UserID)
		}
		return strings.Join(ids, ","), res.NextFlag
	}
	var got []string
	flag := ""
	for i := 0; i < 4; i++ {
		ids, next := page(flag, 3)
		got = append(got, ids+"|"+next)
		if next == "" {
			break
		}
		flag = next
	}
	if s := strings.Join(got, " "); s != "u1,u2,u3|3 u4,u5,u6|6 u7|" {
		t.Fatalf("pages %s", s)
	}
	// A member leaving does not shift the others' cursor.
	g.mustRoom("u2", 2, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.mustRoom("u5", 5, "leaveRoom", &messages.RoomIDParams{}, nil)
	if ids, next := page("", 3); ids != "u1,u3,u4" || next != "4" {
		t.Fatalf("after leaves: %s next %s", ids, next)
	}
	if ids, next := page("4", 3); ids != "u6,u7" || next != "" {
		t.Fatalf("second page after leaves: %s next %s", ids, next)
	}
	// A member who comes back joins at the end.
	g.mustRoom("u2", 2, "joinRoom", &messages.RoomIDParams{}, nil)
	if ids, _ := page("", 10); ids != "u1,u3,u4,u6,u7,u2" {
		t.Fatalf("after rejoin: %s", ids)
	}
	if ids, next := page("", 6); ids != "u1,u3,u4,u6,u7,u2" || next != "" {
		t.Fatalf("exact page: %s next %q", ids, next)
	}
	for _, cfg := range []*messages.RoomQueryConfig{nil, {Count: 0}, {Count: 101}, {Count: 1, NextFlag: "x"}} {
		wantCode(t, g.roomCall("u1", 1, "queryRoomMemberList", &messages.RoomMemberListParams{Config: cfg}, nil), ErrParamInvalid)
	}
	// Many leaves compact the join order without changing what the pages show.
	for i := 8; i <= 150; i++ {
		g.mustRoom("v"+strconv.Itoa(i), uint64(i), "enterRoom", roomParams("r", "", nil), nil)
	}
	for i := 8; i <= 149; i++ {
		g.mustRoom("v"+strconv.Itoa(i), uint64(i), "leaveRoom", &messages.RoomIDParams{}, nil)
	}
	if ids, next := page("", 100); ids != "u1,u3,u4,u6,u7,u2,v150" || next != "" {
		t.Fatalf("after compaction: %s next %q", ids, next)
	}
	if ids, next := page("6", 2); ids != "u7,u2" || next == "" {
		t.Fatalf("cursor after compaction: %s next %q", ids, next)
	}
}

func TestUnitRoomMemberListNoTrailingNextFlag(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindRoom, "r")
	for i := 1; i <= 4; i++ {
		g.mustRoom("u"+strconv.Itoa(i), uint64(i), "enterRoom", roomParams("r", "", nil), nil)
	}
	g.mustRoom("u4", 4, "leaveRoom", &messages.RoomIDParams{}, nil)
	var res messages.RoomMemberQueriedResult
	g.mustRoom("u1", 1, "queryRoomMemberList", &messages.RoomMemberListParams{Config: &messages.RoomQueryConfig{Count: 3}}, &res)
	if len(res.MemberList) != 3 {
		t.Fatalf("members %v", res.MemberList)
	}
	if res.NextFlag != "" {
		t.Fatalf("nextFlag %q for a page that holds every remaining member (the join order ends with a left member's slot)", res.NextFlag)
	}
}

func TestUnitRoomGracePeriod(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Rooms.Grace = 30 * time.Second })
	g := w.grain(KindRoom, "r")
	g.mustRoom("alice", 1, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("bob", 2, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("alice", 1, "setRoomMembersAttributes", &messages.RoomMembersAttributesSetParams{Attributes: map[string]string{"seat": "1"}, UserIDs: []string{"bob"}}, nil)
	w.roomTraffic()

	// bob's connection drops: he stays a member, offline, for the grace period.
	g.Tell(&messages.RoomConnClosed{Conn: conn(2)})
	if got := g.roomMembers("alice", 1); got != "alice,bob" || g.onlineCount("alice", 1) != 1 {
		t.Fatalf("in grace: members %s online %d", got, g.onlineCount("alice", 1))
	}
	ps, fs := w.roomTraffic()
	if len(ps) != 0 || len(fs) != 1 || !slices.Equal(fs[0].Remove, []uint64{2}) {
		t.Fatalf("drop: pushes %v fanouts %v", ps, fs)
	}
	if ts := g.Timers(); len(ts) != 1 || ts[0].Due != g.Now.Add(30*time.Second) {
		t.Fatalf("grace timer %v", ts)
	}
	g.Advance(29 * time.Second)
	if got := g.roomMembers("alice", 1); got != "alice,bob" {
		t.Fatalf("before the grace ends: %s", got)
	}
	// He comes back in time from a new connection: no roomMemberJoined, attributes kept.
	g.mustRoom("bob", 5, "joinRoom", &messages.RoomIDParams{}, nil)
	ps, _ = w.roomTraffic()
	if len(ps) != 0 || g.onlineCount("bob", 5) != 2 {
		t.Fatalf("rejoin in grace: pushes %v", ps)
	}
	var attrs messages.RoomMembersAttributesQueriedResult
	g.mustRoom("bob", 5, "queryRoomMembersAttributes", &messages.RoomUsersParams{UserIDs: []string{"bob"}}, &attrs)
	if len(attrs.Infos) != 1 || attrs.Infos[0].Attributes["seat"] != "1" {
		t.Fatalf("attributes after rejoin %v", &attrs)
	}

	// Dropped again (a new grace period): the first drop's timer firing now does not
	// remove him, the second one's does, with his attributes.
	g.Tell(&messages.RoomConnClosed{Conn: conn(5)})
	g.Tell(&messages.RoomConnClosed{Conn: conn(5)}) // twice: ignored
	w.roomTraffic()
	g.Advance(2 * time.Second)
	if got := g.roomMembers("alice", 1); got != "alice,bob" {
		t.Fatalf("the first grace timer removed bob: %s", got)
	}
	g.Advance(27 * time.Second)
	if got := g.roomMembers("alice", 1); got != "alice,bob" {
		t.Fatalf("bob removed before his second grace period ended: %s", got)
	}
	g.Advance(time.Second)
	ps, _ = w.roomTraffic()
	if got := memberEvents(t, ps, "roomMemberLeft"); !slices.Equal(got, []string{"bob"}) || g.roomMembers("alice", 1) != "alice" {
		t.Fatalf("grace over: left %v members %s", got, g.roomMembers("alice", 1))
	}
	attrs.Reset()
	g.mustRoom("alice", 1, "queryRoomMembersAttributes", &messages.RoomUsersParams{UserIDs: []string{"bob"}}, &attrs)
	if len(attrs.Infos) != 0 {
		t.Fatalf("bob's attributes outlived him: %v", &attrs)
	}
	// A closed connection with leave set (logout) leaves at once.
	g.mustRoom("carol", 3, "joinRoom", &messages.RoomIDParams{}, nil)
	g.Tell(&messages.RoomConnClosed{Conn: conn(3), Leave: true})
	g.Advance(noticeInterval) // her join and leave are announced
	if got := g.roomMembers("alice", 1); got != "alice" || len(g.Timers()) != 0 {
		t.Fatalf("logout: members %s timers %v", got, g.Timers())
	}
	// The last member's grace ending destroys the room.
	g.Tell(&messages.RoomConnClosed{Conn: conn(1)})
	if g.CanPassivate() {
		t.Fatal("room destroyed before alice's grace ended")
	}
	g.Advance(30 * time.Second)
	if !g.CanPassivate() {
		t.Fatal("room not destroyed after the last member's grace")
	}
	wantCode(t, g.roomCall("alice", 1, "joinRoom", &messages.RoomIDParams{}, nil), ErrRoomNotExist)
}

func TestUnitRoomDestroyDelay(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindRoom, "r")
	cfg := &messages.RoomAdvancedConfig{RoomDestroyDelayTime: 10, RoomAttributes: map[string]string{"topic": "go"}}
	g.mustRoom("alice", 1, "createRoom", roomParams("r", "", cfg), nil)
	g.mustRoom("alice", 1, "leaveRoom", &messages.RoomIDParams{}, nil)
	if ts := g.Timers(); len(ts) != 1 || ts[0].Due != g.Now.Add(10*time.Second) {
		t.Fatalf("destroy timer %v", ts)
	}
	if g.CanPassivate() {
		t.Fatal("room gone before its destroy delay")
	}
	// Someone joining within the delay keeps the room (and its attributes).
	g.Advance(5 * time.Second)
	g.mustRoom("bob", 2, "joinRoom", &messages.RoomIDParams{}, nil)
	g.Advance(10 * time.Second)
	if got := g.roomAttrs("bob", 2); got["topic"] != "go" {
		t.Fatalf("attributes after the old destroy timer %v", got)
	}
	// Empty again: the delay runs from the last leave.
	g.mustRoom("bob", 2, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.Advance(9 * time.Second)
	g.mustRoom("carol", 3, "joinRoom", &messages.RoomIDParams{}, nil)
	g.mustRoom("carol", 3, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.Advance(9 * time.Second)
	if g.CanPassivate() {
		t.Fatal("destroyed before the delay since the last leave")
	}
	g.Advance(time.Second)
	if !g.CanPassivate() {
		t.Fatal("not destroyed after the delay")
	}
	wantCode(t, g.roomCall("bob", 2, "joinRoom", &messages.RoomIDParams{}, nil), ErrRoomNotExist)
	// The delay's unit is configurable, its maximum is 3 hours.
	w2 := newUnitWorld(t, func(c *Config) { c.Rooms.DestroyDelayUnit = time.Millisecond })
	g2 := w2.grain(KindRoom, "r")
	g2.mustRoom("alice", 1, "createRoom", roomParams("r", "", &messages.RoomAdvancedConfig{RoomDestroyDelayTime: 10800}), nil)
	g2.mustRoom("alice", 1, "leaveRoom", &messages.RoomIDParams{}, nil)
	if ts := g2.Timers(); len(ts) != 1 || ts[0].Due != g2.Now.Add(10800*time.Millisecond) {
		t.Fatalf("destroy timer with a ms unit %v", ts)
	}
}

func TestUnitRoomAttributes(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindRoom, "r")
	g.mustRoom("alice", 1, "createRoom", roomParams("r", "", &messages.RoomAdvancedConfig{RoomAttributes: map[string]string{"a": "1"}}), nil)
	g.mustRoom("bob", 2, "enterRoom", roomParams("r", "", nil), nil)
	w.roomTraffic()
	set := func(user string, connID uint64, kv map[string]string, cfg *messages.RoomAttributesSetConfig) ([]string, error) {
		t.Helper()
		var res messages.RoomAttributesOperatedResult
		err := g.roomCall(user, connID, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: kv, Config: cfg}, &res)
		return res.ErrorKeys, err
	}
	del := func(user string, connID uint64, keys []string, force bool) ([]string, error) {
		t.Helper()
		var res messages.RoomAttributesOperatedResult
		err := g.roomCall(user, connID, "deleteRoomAttributes", &messages.RoomAttributesDeleteParams{Keys: keys, Config: &messages.RoomAttributesDeleteConfig{IsForce: force}}, &res)
		return res.ErrorKeys, err
	}

	// alice owns "a" (set at creation): bob may not overwrite it without isForce.
	_, err := set("bob", 2, map[string]string{"a": "2"}, nil)
	wantCode(t, err, ErrRoomAttrFailed)
	refused, err := set("bob", 2, map[string]string{"a": "2", "b": "x"}, nil)
	if err != nil || !slices.Equal(refused, []string{"a"}) {
		t.Fatalf("partial set: %v %v", refused, err)
	}
	if got := g.roomAttrs("alice", 1); !maps.Equal(got, map[string]string{"a": "1", "b": "x"}) {
		t.Fatalf("attrs %v", got)
	}
	ps, _ := w.roomTraffic()
	evs := roomEvents(t, ps, "roomAttributesUpdated", func() *messages.RoomAttributesUpdatedEvent { return &messages.RoomAttributesUpdatedEvent{} })
	if len(evs) != 1 || len(evs[0].Infos) != 1 || evs[0].Infos[0].Action != attrActionSet || !maps.Equal(evs[0].Infos[0].RoomAttributes, map[string]string{"b": "x"}) || ps[0].ExceptConnID != 2 {
		t.Fatalf("set push %v except %d", evs, ps[0].ExceptConnID)
	}
	// isForce overwrites but keeps the owner; isForce+isUpdateOwner takes it over.
	if _, err := set("bob", 2, map[string]string{"a": "3"}, &messages.RoomAttributesSetConfig{IsForce: true}); err != nil {
		t.Fatal(err)
	}
	_, err = del("bob", 2, []string{"a"}, false)
	wantCode(t, err, ErrRoomAttrFailed)
	if _, err := set("bob", 2, map[string]string{"a": "4"}, &messages.RoomAttributesSetConfig{IsForce: true, IsUpdateOwner: true}); err != nil {
		t.Fatal(err)
	}
	_, err = del("alice", 1, []string{"a"}, false)
	wantCode(t, err, ErrRoomAttrFailed)
	if got := g.roomAttrs("alice", 1); got["a"] != "4" {
		t.Fatalf("a = %q", got["a"])
	}
	// Setting the same value again pushes nothing.
	w.roomTraffic()
	if _, err := set("bob", 2, map[string]string{"a": "4"}, nil); err != nil {
		t.Fatal(err)
	}
	if ps, _ := w.roomTraffic(); len(ps) != 0 {
		t.Fatalf("unchanged value pushed %v", ps)
	}
	// Deleting: own keys, others' with isForce; unknown keys are refused.
	refused, err = del("alice", 1, []string{"b", "nope", "b"}, true)
	if err != nil || !slices.Equal(refused, []string{"nope"}) {
		t.Fatalf("forced delete: %v %v", refused, err)
	}
	ps, _ = w.roomTraffic()
	evs = roomEvents(t, ps, "roomAttributesUpdated", func() *messages.RoomAttributesUpdatedEvent { return &messages.RoomAttributesUpdatedEvent{} })
	if len(evs) != 1 || evs[0].Infos[0].Action != attrActionDelete || !maps.Equal(evs[0].Infos[0].RoomAttributes, map[string]string{"b": ""}) || ps[0].ExceptConnID != 1 {
		t.Fatalf("delete push %v", evs)
	}
	_, err = del("alice", 1, []string{"nope"}, true)
	wantCode(t, err, ErrRoomAttrFailed)
	_, err = del("alice", 1, nil, false)
	wantCode(t, err, ErrParamInvalid)
	_, err = del("alice", 1, []string{""}, false)
	wantCode(t, err, ErrParamInvalid)
	_, err = del("alice", 1, make([]string, 21), false)
	wantCode(t, err, ErrParamInvalid)

	// Limits.
	for _, tc := range []struct {
		kv   map[string]string
		want *CodeError
	}{
		{nil, ErrParamInvalid},
		{map[string]string{"": "v"}, ErrParamInvalid},
		{map[string]string{strings.Repeat("k", 17): "v"}, ErrRoomAttrKey},
		{map[string]string{"k": strings.Repeat("v", 1025)}, ErrRoomAttrValue},
	} {
		_, err := set("alice", 1, tc.kv, nil)
		wantCode(t, err, tc.want)
	}
	if _, err := set("alice", 1, map[string]string{strings.Repeat("k", 16): strings.Repeat("v", 1024)}, nil); err != nil {
		t.Fatalf("attribute at the limits: %v", err)
	}
	big := map[string]string{}
	for i := 0; i < 5; i++ {
		big["big"+strconv.Itoa(i)] = strings.Repeat("v", 1000)
	}
	_, err = set("alice", 1, big, nil) // 2 + 1040 + 5×1004 > 5120
	wantCode(t, err, ErrRoomAttrTotal)
	many := map[string]string{}
	for i := 0; i < 19; i++ {
		many["m"+strconv.Itoa(i)] = "v"
	}
	_, err = set("alice", 1, many, nil) // a, the 16-byte key and 19 more: 21
	wantCode(t, err, ErrRoomAttrCount)
	delete(many, "m0")
	if _, err := set("alice", 1, many, nil); err != nil {
		t.Fatalf("20 attributes: %v", err)
	}
	if n := len(g.roomAttrs("bob", 2)); n != 20 {
		t.Fatalf("%d attributes", n)
	}

	// isDeleteAfterOwnerLeft: the owner's keys go when the owner leaves.
	g.mustRoom("carol", 3, "joinRoom", &messages.RoomIDParams{}, nil)
	if _, err := set("bob", 2, map[string]string{"m1": "bob's"}, &messages.RoomAttributesSetConfig{IsForce: true, IsUpdateOwner: true, IsDeleteAfterOwnerLeft: true}); err != nil {
		t.Fatal(err)
	}
	w.roomTraffic()
	g.mustRoom("bob", 2, "leaveRoom", &messages.RoomIDParams{}, nil)
	ps, _ = w.roomTraffic()
	evs = roomEvents(t, ps, "roomAttributesUpdated", func() *messages.RoomAttributesUpdatedEvent { return &messages.RoomAttributesUpdatedEvent{} })
	if len(evs) != 1 || !maps.Equal(evs[0].Infos[0].RoomAttributes, map[string]string{"m1": ""}) {
		t.Fatalf("owner left push %v", evs)
	}
	got := g.roomAttrs("carol", 3)
	if _, ok := got["m1"]; ok || got["a"] != "4" {
		t.Fatalf("after bob left: %v", got)
	}
	// Attribute calls need membership.
	_, err = set("bob", 2, map[string]string{"x": "y"}, nil)
	wantCode(t, err, ErrRoomNotIn)
}

func TestUnitRoomAttributeBatch(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Room.BatchOps = 3; c.Limits.Room.Attributes = 4 })
	g := w.grain(KindRoom, "r")
	g.mustRoom("alice", 1, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("bob", 2, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"old": "1"}}, nil)
	w.roomTraffic()
	wantCode(t, g.roomCall("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil), ErrRoomAttrNoBatch)

	g.mustRoom("alice", 1, "beginRoomAttributesBatchOperation", &messages.RoomAttributesBatchBeginParams{}, nil)
	g.mustRoom("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"x": "1"}}, nil)
	g.mustRoom("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"y": "2"}}, nil)
	g.mustRoom("alice", 1, "deleteRoomAttributes", &messages.RoomAttributesDeleteParams{Keys: []string{"old"}}, nil)
	wantCode(t, g.roomCall("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"z": "3"}}, nil), ErrParamInvalid) // BatchOps
	// Nothing applied yet; another connection's calls apply at once.
	if got := g.roomAttrs("bob", 2); !maps.Equal(got, map[string]string{"old": "1"}) {
		t.Fatalf("during the batch %v", got)
	}
	g.mustRoom("bob", 2, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"bob": "b"}}, nil)
	w.roomTraffic()
	var end messages.RoomAttributesBatchOperatedResult
	g.mustRoom("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, &end)
	if end.RoomID != "r" {
		t.Fatalf("end %v", &end)
	}
	if got := g.roomAttrs("bob", 2); !maps.Equal(got, map[string]string{"x": "1", "y": "2", "bob": "b"}) {
		t.Fatalf("after the batch %v", got)
	}
	ps, _ := w.roomTraffic()
	evs := roomEvents(t, ps, "roomAttributesBatchUpdated", func() *messages.RoomAttributesUpdatedEvent { return &messages.RoomAttributesUpdatedEvent{} })
	if len(ps) != 1 || len(evs) != 1 || len(evs[0].Infos) != 2 || ps[0].ExceptConnID != 1 ||
		!maps.Equal(evs[0].Infos[0].RoomAttributes, map[string]string{"x": "1", "y": "2"}) || !maps.Equal(evs[0].Infos[1].RoomAttributes, map[string]string{"old": ""}) {
		t.Fatalf("batch push %v", evs)
	}
	wantCode(t, g.roomCall("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil), ErrRoomAttrNoBatch)

	// A batch whose result breaks a limit applies nothing; ownership refusals are skipped.
	g.mustRoom("alice", 1, "beginRoomAttributesBatchOperation", &messages.RoomAttributesBatchBeginParams{}, nil)
	g.mustRoom("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"p": "1", "q": "2"}}, nil)
	wantCode(t, g.roomCall("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil), ErrRoomAttrCount)
	if got := g.roomAttrs("alice", 1); len(got) != 3 {
		t.Fatalf("refused batch applied: %v", got)
	}
	g.mustRoom("alice", 1, "beginRoomAttributesBatchOperation", &messages.RoomAttributesBatchBeginParams{}, nil)
	g.mustRoom("alice", 1, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"bob": "mine", "x": "9"}}, nil)
	g.mustRoom("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil)
	if got := g.roomAttrs("alice", 1); got["bob"] != "b" || got["x"] != "9" {
		t.Fatalf("ownership in a batch: %v", got)
	}
	// The batch's config (isForce) applies to its operations.
	g.mustRoom("alice", 1, "beginRoomAttributesBatchOperation", &messages.RoomAttributesBatchBeginParams{Config: &messages.RoomAttributesSetConfig{IsForce: true}}, nil)
	g.mustRoom("alice", 1, "deleteRoomAttributes", &messages.RoomAttributesDeleteParams{Keys: []string{"bob"}}, nil)
	g.mustRoom("alice", 1, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil)
	if _, ok := g.roomAttrs("alice", 1)["bob"]; ok {
		t.Fatal("forced batch delete did not apply")
	}
	// A connection that drops loses its batch.
	g.mustRoom("bob", 2, "beginRoomAttributesBatchOperation", &messages.RoomAttributesBatchBeginParams{}, nil)
	g.mustRoom("bob", 2, "setRoomAttributes", &messages.RoomAttributesSetParams{RoomAttributes: map[string]string{"lost": "1"}}, nil)
	g.Tell(&messages.RoomConnClosed{Conn: conn(2)})
	g.mustRoom("bob", 3, "joinRoom", &messages.RoomIDParams{}, nil)
	wantCode(t, g.roomCall("bob", 3, "endRoomAttributesBatchOperation", &messages.RoomIDParams{}, nil), ErrRoomAttrNoBatch)
	if _, ok := g.roomAttrs("bob", 3)["lost"]; ok {
		t.Fatal("a dropped connection's batch applied")
	}
}

func TestUnitRoomMemberAttributes(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Room.MemberAttrMembers = 3 })
	g := w.grain(KindRoom, "r")
	for i, u := range []string{"alice", "bob", "carol", "dave"} {
		g.mustRoom(u, uint64(i+1), "enterRoom", roomParams("r", "", nil), nil)
	}
	g.Advance(noticeInterval)
	w.roomTraffic()
	setM := func(user string, connID uint64, kv map[string]string, targets []string, cfg *messages.RoomMemberAttributesSetConfig) (*messages.RoomMembersAttributesOperatedResult, error) {
		t.Helper()
		var res messages.RoomMembersAttributesOperatedResult
		err := g.roomCall(user, connID, "setRoomMembersAttributes", &messages.RoomMembersAttributesSetParams{Attributes: kv, UserIDs: targets, Config: cfg}, &res)
		return &res, err
	}
	res, err := setM("alice", 1, map[string]string{"role": "host"}, []string{"alice", "bob", "zed", "bob"}, nil)
	if err != nil || len(res.Infos) != 2 || !slices.Equal(res.ErrorUserList, []string{"zed"}) ||
		res.Infos[0].AttributesInfo.UserID != "alice" || res.Infos[1].AttributesInfo.Attributes["role"] != "host" {
		t.Fatalf("set: %v %v", res, err)
	}
	ps, _ := w.roomTraffic()
	evs := roomEvents(t, ps, "roomMemberAttributesUpdated", func() *messages.RoomMembersAttributesUpdatedEvent {
		return &messages.RoomMembersAttributesUpdatedEvent{}
	})
	if len(evs) != 1 || len(evs[0].Infos) != 2 || evs[0].OperatedInfo.UserID != "alice" || ps[0].ExceptConnID != 1 {
		t.Fatalf("member attributes push %v", evs)
	}
	for _, tc := range []struct {
		kv      map[string]string
		targets []string
		want    *CodeError
	}{
		{nil, []string{"bob"}, ErrParamInvalid},
		{map[string]string{"k": "v"}, nil, ErrParamInvalid},
		{map[string]string{"k": "v"}, make([]string, 101), ErrParamInvalid},
		{map[string]string{"": "v"}, []string{"bob"}, ErrParamInvalid},
		{map[string]string{"123456789": "v"}, []string{"bob"}, ErrRoomMemberAttrKey},
		{map[string]string{"k": strings.Repeat("v", 65)}, []string{"bob"}, ErrRoomMemberAttrValue},
		{map[string]string{"k1": strings.Repeat("v", 64), "k2": strings.Repeat("v", 64), "k3": "vvvv"}, []string{"bob"}, ErrRoomMemberAttrTotal}, // 8 + 66 + 66 + 6 > 144
		{map[string]string{"k": "v"}, []string{"carol", "dave"}, ErrRoomMemberAttrCount},                                                         // a 4th holder
	} {
		_, err := setM("alice", 1, tc.kv, tc.targets, nil)
		wantCode(t, err, tc.want)
	}
	// A refused call changes nobody (carol was fine, dave broke the limit).
	var q messages.RoomMembersAttributesQueriedResult
	g.mustRoom("dave", 4, "queryRoomMembersAttributes", &messages.RoomUsersParams{UserIDs: []string{"alice", "bob", "carol", "dave", "alice"}}, &q)
	if len(q.Infos) != 2 || q.Infos[0].UserID != "alice" || q.Infos[1].UserID != "bob" {
		t.Fatalf("query %v", &q)
	}
	wantCode(t, g.roomCall("dave", 4, "queryRoomMembersAttributes", &messages.RoomUsersParams{}, nil), ErrParamInvalid)
	// Overwriting a key counts its new length only: bob has "role" (4+4).
	if _, err := setM("alice", 1, map[string]string{"role": strings.Repeat("r", 64), "seat": strings.Repeat("s", 64)}, []string{"bob"}, nil); err != nil {
		t.Fatalf("at the total limit: %v", err)
	}
	if _, err := setM("alice", 1, map[string]string{"x": "1234567"}, []string{"bob"}, nil); err != nil { // 136 + 8
		t.Fatalf("exactly at the total: %v", err)
	}
	_, err = setM("alice", 1, map[string]string{"y": ""}, []string{"bob"}, nil)
	wantCode(t, err, ErrRoomMemberAttrTotal)
	if _, err := setM("alice", 1, map[string]string{"x": "123456"}, []string{"bob"}, nil); err != nil { // a shorter value frees a byte
		t.Fatalf("shorter value: %v", err)
	}
	if _, err := setM("alice", 1, map[string]string{"y": ""}, []string{"bob"}, nil); err != nil {
		t.Fatalf("the freed byte: %v", err)
	}
	// carol's attributes stay after she leaves (isDeleteAfterOwnerLeft false); bob's go.
	if _, err := setM("bob", 2, map[string]string{"k": "c"}, []string{"carol"}, &messages.RoomMemberAttributesSetConfig{}); err != nil {
		t.Fatal(err)
	}
	g.mustRoom("carol", 3, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.mustRoom("bob", 2, "leaveRoom", &messages.RoomIDParams{}, nil)
	q.Reset()
	g.mustRoom("alice", 1, "queryRoomMembersAttributes", &messages.RoomUsersParams{UserIDs: []string{"bob", "carol"}}, &q)
	if len(q.Infos) != 1 || q.Infos[0].UserID != "carol" || q.Infos[0].Attributes["k"] != "c" {
		t.Fatalf("after leaving %v", &q)
	}
	// Paging through the holders by user ID.
	list := func(flag string) (string, string) {
		t.Helper()
		var res messages.RoomMemberAttributesListQueriedResult
		g.mustRoom("alice", 1, "queryRoomMemberAttributesList", &messages.RoomMemberAttributesListParams{Config: &messages.RoomQueryConfig{Count: 1, NextFlag: flag}}, &res)
		var ids []string
		for _, i := range res.Infos {
			ids = append(ids, i.UserID)
		}
		return strings.Join(ids, ","), res.NextFlag
	}
	if ids, next := list(""); ids != "alice" || next != "alice" {
		t.Fatalf("first page %s next %s", ids, next)
	}
	if ids, next := list("alice"); ids != "carol" || next != "" {
		t.Fatalf("second page %s next %q", ids, next)
	}
	wantCode(t, g.roomCall("alice", 1, "queryRoomMemberAttributesList", &messages.RoomMemberAttributesListParams{}, nil), ErrParamInvalid)
}

func TestUnitRoomMessages(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindRoom, "r")
	g.mustRoom("alice", 1, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("bob", 2, "enterRoom", roomParams("r", "", nil), nil)
	w.roomTraffic()
	var res messages.MessageSentResult
	g.mustRoom("alice", 1, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgBarrage, Message: "wow"}, Config: &messages.MessageSendConfig{Priority: PriorityHigh}}, &res)
	if res.Message.MessageSeq != 0 || res.Message.ConversationID != "r" || res.Message.ConversationType != ConvRoom || res.Message.Direction != 0 {
		t.Fatalf("sent %v", res.Message)
	}
	ps, _ := w.roomTraffic()
	evs := roomEvents(t, ps, "roomMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	if len(ps) != 1 || ps[0].Priority != PriorityHigh || ps[0].ExceptConnID != 1 || evs[0].MessageList[0].Direction != 1 || evs[0].MessageList[0].Message != "wow" {
		t.Fatalf("message push %v", ps)
	}
	g.mustRoom("bob", 2, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: "hi"}}, nil)
	if ps, _ := w.roomTraffic(); len(ps) != 1 || ps[0].Priority != PriorityLow {
		t.Fatalf("default priority %v", ps)
	}
	wantCode(t, g.roomCall("bob", 2, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: "hi"}, Config: &messages.MessageSendConfig{Priority: 4}}, nil), ErrParamInvalid)
	wantCode(t, g.roomCall("bob", 2, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: strings.Repeat("x", 2049)}}, nil), ErrMessageTooLong)
	wantCode(t, g.roomCall("carol", 3, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: "hi"}}, nil), ErrRoomNotIn)
	// History is off by default: nothing stored, an empty page.
	var hist messages.MessageQueriedResult
	g.mustRoom("bob", 2, "queryHistoryMessage", &messages.QueryHistoryMessageParams{Config: &messages.MessageQueryConfig{Count: 10}}, &hist)
	if len(hist.MessageList) != 0 || hist.ConversationID != "r" {
		t.Fatalf("history %v", &hist)
	}
	wantCode(t, g.roomCall("bob", 2, "queryHistoryMessage", &messages.QueryHistoryMessageParams{Config: &messages.MessageQueryConfig{Count: 101}}, nil), ErrParamInvalid)
}
