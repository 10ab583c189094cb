package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/messages"
)

// noticeModel is what each connection should receive when every member change is
// pushed at once to the connections online at that moment (the behaviour before
// notices were coalesced), next to what the grain really sent: member changes as
// "join:u1", "leave:u2", "kick:c", "invite:x,y" lines, messages as "message:text".
type noticeModel struct {
	conns map[string][]uint64 // the model's online connections by user
	want  map[uint64][]string
	got   map[uint64][]string
	// notices counts the member notice Deliver calls; ops their operators, in order.
	notices int
	ops     []string
}

func newNoticeModel() *noticeModel {
	return &noticeModel{conns: map[string][]uint64{}, want: map[uint64][]string{}, got: map[uint64][]string{}}
}

var memberKinds = map[[2]int32]string{
	{GroupStateEnter, GroupMemberEventJoined}: "join", {GroupStateEnter, GroupMemberEventInvited}: "invite",
	{GroupStateQuit, GroupMemberEventLeft}: "leave", {GroupStateQuit, GroupMemberEventKickedOut}: "kick",
}

// online sets user's connections in the model (none: offline).
func (m *noticeModel) online(user string, ids ...uint64) { m.conns[user] = ids }

// change is a member change everyone online hears of at once (but skip's connections).
func (m *noticeModel) change(line string, skip ...string) {
	for u, ids := range m.conns {
		if slices.Contains(skip, u) {
			continue
		}
		for _, id := range ids {
			m.want[id] = append(m.want[id], line)
		}
	}
}

// message is a message every online connection but the calling one (1) hears of.
func (m *noticeModel) message(text string) {
	for _, ids := range m.conns {
		for _, id := range ids {
			if id != 1 {
				m.want[id] = append(m.want[id], "message:"+text)
			}
		}
	}
}

// notice counts a member notice and returns its line: kind, then the users.
func notice[T memberInfo](m *noticeModel, state, event int32, operator string, users []T) string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.GetUserID()
	}
	m.notices++
	m.ops = append(m.ops, operator)
	return memberKinds[[2]int32{state, event}] + ":" + strings.Join(ids, ",")
}

// take records what the grain handed to the gateway nodes since the last take.
func (m *noticeModel) take(tb testing.TB, w *unitWorld) {
	tb.Helper()
	for _, d := range w.rec.takePushes() {
		ev := guDecode(tb, d.Push)
		var line string
		switch p := ev.payload.(type) {
		case *messages.GroupMemberStateChangedEvent:
			line = notice(m, p.State, p.Event, p.OperatedInfo.GetUserID(), p.UserList)
		case *messages.CommunityMemberStateChangedEvent:
			line = notice(m, p.State, p.Event, p.OperatedInfo.GetUserID(), p.UserList)
		case *messages.ConversationMessageReceivedEvent:
			line = "message:" + p.MessageList[0].Message
		default:
			line = ev.event
		}
		for _, id := range d.ConnIDs {
			m.got[id] = append(m.got[id], line)
		}
	}
}

// check compares every connection's flattened lines (consecutive notices of one kind
// merged: a client learns the same members either way).
func (m *noticeModel) check(t *testing.T) {
	t.Helper()
	var ids []uint64
	for id := range m.want {
		ids = append(ids, id)
	}
	for id := range m.got {
		if _, ok := m.want[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if got, want := flat(m.got[id]), flat(m.want[id]); got != want {
			t.Errorf("conn %d\n got %s\nwant %s", id, got, want)
		}
	}
}

// A storm of joins into a group with members online is announced in a few
// groupMemberStateChanged notices; every connection hears exactly the changes it heard
// when each was pushed at once (the joiners the joins after they came online, members
// that went offline and came back the changes after their return, a member's new device
// the changes after it was reported), and a message or a change of another kind is
// preceded by the changes before it.
func TestUnitGroupMemberNoticesAreCoalescedAndExact(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Rooms.NoticeUsers = 6 })
	var joiners []string
	for i := 1; i <= 20; i++ {
		joiners = append(joiners, fmt.Sprintf("u%d", i))
	}
	w.users(append(joiners, "x", "y")...)
	g := guNewGroup(w, "o", []string{"a", "b", "c"}, nil) // c stays offline
	m := newNoticeModel()
	guOnline(g, "o", 10)
	guOnline(g, "a", 11)
	guOnline(g, "b", 12)
	m.online("o", 10)
	m.online("a", 11)
	m.online("b", 12)
	w.rec.takePushes()
	w.rec.takeSends()

	join := func(i int) {
		u := joiners[i-1]
		g.mustCall(u, "joinGroup", guIDp(), nil)
		m.change("join:" + u)
	}
	comeOnline := func(i int) {
		u := joiners[i-1]
		guOnline(g, u, uint64(100+i))
		m.online(u, uint64(100+i))
	}
	join(1) // the group was quiet: at once
	comeOnline(1)
	join(2) // these gather
	join(3)
	comeOnline(2)
	join(4)
	comeOnline(3)
	// a's connection closes and a comes back on a new one (14), which hears the joins
	// from its return on.
	g.Tell(&messages.GroupMemberPresence{UserID: "a"})
	m.online("a")
	join(5)
	guOnline(g, "a", 14)
	m.online("a", 14)
	comeOnline(4)
	comeOnline(5)
	// b's second device is reported: what gathered goes out first.
	g.Tell(&messages.GroupMemberPresence{UserID: "b", Conns: []*messages.ConnRef{conn(12), conn(13)}})
	m.online("b", 12, 13)
	join(6)
	// A message: u6's join is announced before it.
	guMustSend(t, g, "o", "m1")
	m.message("m1")
	comeOnline(6)
	m.want[106] = append(m.want[106], "message:m1") // the catch-up of what was sent since u6 joined
	for i := 7; i <= 14; i++ {                      // six gather at most
		join(i)
		comeOnline(i)
	}
	// Leaves made by the leavers merge; a kick is another kind.
	g.mustCall("u5", "leaveGroup", guIDp(), nil)
	m.online("u5")
	m.change("leave:u5")
	g.mustCall("u6", "leaveGroup", guIDp(), nil)
	m.online("u6")
	m.change("leave:u6")
	g.mustCall("o", "kickGroupMembers", guUsers("c"), nil)
	m.change("kick:c")
	join(15)
	g.Advance(noticeInterval)
	// An invitation of two: one change, announced with the owner as operator.
	g.mustCall("o", "inviteUsersIntoGroup", guUsers("x", "y"), nil)
	m.change("invite:x,y")
	g.Advance(noticeInterval)
	m.take(t, w)
	// a's first connection closed before the joins it was there for went out: like any
	// push after a connection closed, they are lost to it.
	m.want[11] = []string{"join:u1"}
	m.check(t)

	// 17 changes: the owner had 17 notices before. Now: u1; u2-u5 (b's new device sends
	// them); u6 (the message sends it); u7-u12 (six gathered); u13-u14 (u5 leaves while
	// online); u5 (u6 leaves while online); u6; c (another kind); u15; x,y.
	if n := len(m.got[10]); n != 11 { // 10 notices and the message
		t.Errorf("the owner's connection got %d pushes, want 11: %v", n, m.got[10])
	}
	if ts := g.Timers(); slices.ContainsFunc(ts, func(tm runtime.Timer) bool { _, ok := tm.Msg.(*messages.MemberNoticesDue); return ok }) {
		t.Errorf("a notice timer is left: %v", ts)
	}
	// A merged notice of self-made joins names its first joiner as operator; the kick
	// and the invitation their operator.
	if !slices.Contains(m.ops, "u2") || !slices.Contains(m.ops, "u7") || !slices.Contains(m.ops, "o") {
		t.Errorf("operators %v", m.ops)
	}
}

// callOn runs method as user from connection connID.
func (u *unitGrain) callOn(user string, connID uint64, method string, params proto.Message) {
	u.w.tb.Helper()
	raw, _ := proto.Marshal(params)
	rep, _ := u.Request(&messages.Call{Method: method, UserID: user, Params: raw, Conn: conn(connID)})
	if rep.Code != 0 {
		u.w.tb.Fatalf("%s as %s: %d %s", method, user, rep.Code, rep.Message)
	}
}

// Communities likewise: a join storm makes a few communityMemberStateChanged notices;
// each joiner's device (online from its join on) hears the joins after its own, a
// member that leaves hears every change before its leave, and a change of the
// community's info is preceded by the joins before it.
func TestUnitCommunityMemberNoticesAreCoalescedAndExact(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Rooms.NoticeUsers = 5 })
	var joiners []string
	for i := 1; i <= 12; i++ {
		joiners = append(joiners, fmt.Sprintf("u%d", i))
	}
	w.users(joiners...)
	g, _ := w.community("club", "o", "a")
	g.online("o", 10)
	g.online("a", 11)
	m := newNoticeModel()
	m.online("o", 10)
	m.online("a", 11)
	w.rec.takePushes()
	join := func(i int) {
		u := joiners[i-1]
		g.callOn(u, uint64(100+i), "joinCommunity", &messages.CommunityIDParams{})
		m.change("join:" + u)
		m.online(u, uint64(100+i))
	}
	for i := 1; i <= 7; i++ { // u1 at once, u2-u6 (five), u7…
		join(i)
	}
	g.callOn("o", 10, "updateCommunityName", &messages.CommunityUpdateNameParams{CommunityName: "renamed"})
	m.change("communityInfoUpdated")
	for i := 8; i <= 10; i++ {
		join(i)
	}
	g.callOn("u9", 109, "leaveCommunity", &messages.CommunityIDParams{}) // online: u10's join goes first
	m.online("u9")
	m.change("leave:u9")
	g.callOn("u8", 108, "leaveCommunity", &messages.CommunityIDParams{})
	m.online("u8")
	m.change("leave:u8")
	join(11)
	join(12)
	g.Advance(noticeInterval)
	m.take(t, w)
	m.check(t)
	// o: u1; u2-u6; u7 (the rename); rename; u8-u10 (u9 leaves); u9 (u8 leaves); u8; u11-u12.
	t.Logf("the owner heard %v", m.got[10])
	if n := len(m.got[10]); n != 8 {
		t.Errorf("the owner's connection got %d pushes, want 8: %v", n, m.got[10])
	}
}

// With tips messages on, each join's tip (a group message) follows its notice: the
// notice gathered is sent before the tip, so members see "u joined" before its tip.
func TestUnitGroupMemberNoticesBeforeTips(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Message.Tips = true })
	w.users("u1", "u2", "u3")
	g := guNewGroup(w, "o", []string{"a"}, nil)
	guOnline(g, "o", 10)
	guOnline(g, "a", 11)
	w.rec.takePushes()
	m := newNoticeModel()
	for _, u := range []string{"u1", "u2", "u3"} {
		g.mustCall(u, "joinGroup", guIDp(), nil)
	}
	g.Advance(noticeInterval)
	m.take(t, w)
	want := "join:u1 message: join:u2 message: join:u3 message:"
	for _, id := range []uint64{10, 11} {
		if got := strings.Join(m.got[id], " "); got != want {
			t.Errorf("conn %d got %q, want %q", id, got, want)
		}
	}
}

// A notice holds at most NoticeUsers users: an invitation that would pass that goes in
// the next notice, whole.
func TestUnitGroupMemberNoticesCapped(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Rooms.NoticeUsers = 4 })
	w.users("x1", "x2", "x3", "y1", "y2", "y3", "z")
	g := guNewGroup(w, "o", []string{"a"}, nil)
	guOnline(g, "a", 11)
	w.rec.takePushes()
	m := newNoticeModel()
	g.mustCall("o", "inviteUsersIntoGroup", guUsers("z"), nil) // at once
	g.mustCall("o", "inviteUsersIntoGroup", guUsers("x1", "x2", "x3"), nil)
	g.mustCall("o", "inviteUsersIntoGroup", guUsers("y1", "y2", "y3"), nil)
	g.Advance(noticeInterval)
	m.take(t, w)
	if got, want := strings.Join(m.got[11], " "), "invite:z invite:x1,x2,x3 invite:y1,y2,y3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Pushes that filter the online connections (reactions with each reactor's own view,
// edits) also send the gathered member notices first.
func TestUnitGroupMemberNoticesBeforeReactions(t *testing.T) {
	w := newUnitWorld(t)
	w.users("u1", "u2")
	g := guNewGroup(w, "o", []string{"a"}, nil)
	guOnline(g, "o", 10)
	guOnline(g, "a", 11)
	sent := guMustSend(t, g, "o", "m1")
	w.rec.takePushes()
	m := newNoticeModel()
	g.mustCall("u1", "joinGroup", guIDp(), nil) // at once
	g.mustCall("u2", "joinGroup", guIDp(), nil) // gathered
	g.mustCall("a", "addMessageReaction", &messages.MessageReactionAddParams{ReactionType: "+1", Message: sent}, nil)
	m.take(t, w)
	want := "join:u1 join:u2 " + messages.EventMessageReactionsChanged.Name
	if got := strings.Join(m.got[10], " "); got != want {
		t.Errorf("the owner got %q, want %q", got, want)
	}
}
