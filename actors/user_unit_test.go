package actors

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the user kind (user.go, user_push.go): the profile and its limits,
// queryUsersInfo, device registration, and the conversation index fed by peer actors
// (unread counts, read position, notification status, drafts, list paging).

// device is a connection on the unit node with the given platform.
func device(id uint64, platform int32) *messages.ConnRef {
	return &messages.ConnRef{Node: unitNode, ConnID: id, Platform: platform}
}

// register registers a device with the user grain and fails the test on a refusal.
func (u *unitGrain) register(c *messages.ConnRef, name string) {
	u.w.tb.Helper()
	rep, res := u.Request(&messages.RegisterDevice{Conn: c, UserName: name})
	if rep != nil && rep.Code != 0 {
		u.w.tb.Fatalf("register %v: %d %s", c, rep.Code, rep.Message)
	}
	if _, ok := res.(*messages.RegisterDeviceReply); !ok {
		u.w.tb.Fatalf("register %v: reply %v", c, res)
	}
}

// self is the user's own info as querySelfUserInfo returns it.
func (u *unitGrain) self(user string) *messages.SelfUserInfo {
	u.w.tb.Helper()
	var res messages.SelfUserInfoQueriedResult
	u.mustCall(user, "querySelfUserInfo", &messages.Empty{}, &res)
	return res.SelfUserInfo
}

// conversation is one conversation as user sees it.
func (u *unitGrain) conversation(user, id string, ct int32) *messages.Conversation {
	u.w.tb.Helper()
	var res messages.ConversationQueriedResult
	u.mustCall(user, "queryConversation", &messages.ConversationRef{ConversationID: id, ConversationType: ct}, &res)
	return res.Conversation
}

// totalUnread is user's total unread count over the given conversation types.
func (u *unitGrain) totalUnread(user string, types ...int32) int64 {
	u.w.tb.Helper()
	var res messages.ConversationTotalUnreadMessageCountQueriedResult
	u.mustCall(user, "queryConversationTotalUnreadMessageCount", &messages.QueryConversationTotalUnreadMessageCountParams{
		Config: &messages.ConversationTotalUnreadMessageCountQueryConfig{ConversationTypes: types}}, &res)
	return res.UnreadMessageCount
}

// convList is one page of user's conversation list, as conversation IDs.
func (u *unitGrain) convList(user string, count int32, next *messages.Conversation, opt *messages.ConversationFilterOption) []*messages.Conversation {
	u.w.tb.Helper()
	var res messages.ConversationListQueriedResult
	u.mustCall(user, "queryConversationList", &messages.QueryConversationListParams{
		Config: &messages.ConversationQueryConfig{Count: count, NextConversation: next}, Option: opt}, &res)
	return res.ConversationList
}

func convIDs(list []*messages.Conversation) string {
	ids := make([]string, 0, len(list))
	for _, c := range list {
		ids = append(ids, c.ConversationID)
	}
	return strings.Join(ids, ",")
}

func TestUnitUserProfileLimits(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	g := w.grain(KindUser, "alice")
	g.register(device(1, 1), "")
	g.register(device(2, 2), "")
	w.rec.takePushes()

	var name messages.UserNameUpdatedResult
	g.mustCall("alice", "updateUserName", &messages.UpdateUserNameParams{UserName: "Alice A."}, &name)
	if name.UserName != "Alice A." {
		t.Fatalf("result %v", &name)
	}
	// The other device hears of it, the calling one (conn 1) does not.
	evs, conns := pushesOf(t, w.rec.takePushes(), "userInfoUpdated", func() *messages.UserInfoUpdatedEvent { return &messages.UserInfoUpdatedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{2}) || evs[0].Info.BaseInfo.UserName != "Alice A." {
		t.Fatalf("userInfoUpdated %v to %v", evs, conns)
	}
	g.mustCall("alice", "updateUserName", &messages.UpdateUserNameParams{UserName: strings.Repeat("n", 256)}, nil)
	wantCode(t, g.call("alice", "updateUserName", &messages.UpdateUserNameParams{UserName: strings.Repeat("n", 257)}, nil), ErrParamInvalid)
	g.mustCall("alice", "updateUserName", &messages.UpdateUserNameParams{UserName: "Alice A."}, nil)

	var avatar messages.UserAvatarUrlUpdatedResult
	g.mustCall("alice", "updateUserAvatarUrl", &messages.UpdateUserAvatarUrlParams{UserAvatarUrl: "https://a/" + strings.Repeat("x", 490)}, &avatar)
	if len(avatar.UserAvatarUrl) != 500 {
		t.Fatalf("avatar result %d bytes", len(avatar.UserAvatarUrl))
	}
	wantCode(t, g.call("alice", "updateUserAvatarUrl", &messages.UpdateUserAvatarUrlParams{UserAvatarUrl: strings.Repeat("x", 501)}, nil), ErrParamInvalid)
	g.mustCall("alice", "updateUserAvatarUrl", &messages.UpdateUserAvatarUrlParams{UserAvatarUrl: "https://example.com/a.png"}, nil)

	var ext messages.UserExtendedDataUpdatedResult
	g.mustCall("alice", "updateUserExtendedData", &messages.UpdateUserExtendedDataParams{ExtendedData: strings.Repeat("e", 4096)}, &ext)
	if len(ext.ExtendedData) != 4096 {
		t.Fatalf("extended data result %d bytes", len(ext.ExtendedData))
	}
	wantCode(t, g.call("alice", "updateUserExtendedData", &messages.UpdateUserExtendedDataParams{ExtendedData: strings.Repeat("e", 4097)}, nil), ErrParamInvalid)
	g.mustCall("alice", "updateUserExtendedData", &messages.UpdateUserExtendedDataParams{ExtendedData: `{"k":1}`}, nil)

	check := func(who string, info *messages.UserFullInfo) {
		t.Helper()
		if info.BaseInfo.UserID != "alice" || info.BaseInfo.UserName != "Alice A." || info.UserAvatarUrl != "https://example.com/a.png" ||
			info.BaseInfo.UserAvatarUrl != info.UserAvatarUrl || info.ExtendedData != `{"k":1}` || info.BaseInfo.UserExtendedData != info.ExtendedData {
			t.Fatalf("%s: %v", who, info)
		}
	}
	check("self", g.self("alice").UserFullInfo)
	// Stored: a fresh activation and another user's query read it back.
	check("after reactivation", w.grain(KindUser, "alice").self("alice").UserFullInfo)
	w.users("bob")
	var q messages.UsersInfoQueriedResult
	w.grain(KindUser, "bob").mustCall("bob", "queryUsersInfo", &messages.QueryUsersInfoParams{UserIDs: []string{"alice"}}, &q)
	if len(q.UserList) != 1 {
		t.Fatalf("queryUsersInfo %v", &q)
	}
	check("queried by bob", q.UserList[0])

	// A user that never logged in has no profile to update.
	wantCode(t, w.grain(KindUser, "ghost").call("ghost", "updateUserName", &messages.UpdateUserNameParams{UserName: "G"}, nil), ErrUserNotExist)
}

func TestUnitUserQueryUsersInfo(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8")
	g := w.grain(KindUser, "alice")
	wantCode(t, g.call("alice", "queryUsersInfo", &messages.QueryUsersInfoParams{}, nil), ErrParamInvalid)
	eleven := []string{"alice", "bob", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "x"}
	wantCode(t, g.call("alice", "queryUsersInfo", &messages.QueryUsersInfoParams{UserIDs: eleven}, nil), ErrUserQueryLimit)
	var res messages.UsersInfoQueriedResult
	g.mustCall("alice", "queryUsersInfo", &messages.QueryUsersInfoParams{UserIDs: eleven[:10]}, &res)
	if len(res.UserList) != 10 || len(res.ErrorUserList) != 0 {
		t.Fatalf("ten users: %d found, errors %v", len(res.UserList), res.ErrorUserList)
	}
	res.Reset()
	g.mustCall("alice", "queryUsersInfo", &messages.QueryUsersInfoParams{UserIDs: []string{"bob", "nobody", "has space", strings.Repeat("l", 33)}}, &res)
	if len(res.UserList) != 1 || res.UserList[0].BaseInfo.UserID != "bob" || res.UserList[0].BaseInfo.UserName != "bob" {
		t.Fatalf("found %v", res.UserList)
	}
	want := []string{
		"nobody:" + itoa32(ErrUserNotExist.Code),
		"has space:" + itoa32(ErrUserIDInvalid.Code),
		strings.Repeat("l", 33) + ":" + itoa32(ErrUserIDInvalid.Code),
	}
	var got []string
	for _, e := range res.ErrorUserList {
		got = append(got, e.UserID+":"+itoa32(e.Reason))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
}

func itoa32(v int32) string { return strconv.Itoa(int(v)) }

func TestUnitUserDevices(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindUser, "alice")
	// Refusals: no connection, a user name over the limit.
	rep, _ := g.Request(&messages.RegisterDevice{})
	if rep == nil || rep.Code != ErrParamInvalid.Code {
		t.Fatalf("register without a connection: %v", rep)
	}
	rep, _ = g.Request(&messages.RegisterDevice{Conn: device(1, 1), UserName: strings.Repeat("n", 257)})
	if rep == nil || rep.Code != ErrParamInvalid.Code {
		t.Fatalf("register with a long name: %v", rep)
	}
	if w.stored(keyUser("alice")) {
		t.Fatal("a refused registration stored a profile")
	}
	// The first login creates the profile with its name.
	g.register(device(1, 1), "Alice")
	if !w.stored(keyUser("alice")) || g.self("alice").UserFullInfo.BaseInfo.UserName != "Alice" {
		t.Fatal("first login did not store the profile")
	}
	g.register(device(2, 2), "Renamed") // a later login keeps the stored name
	self := g.self("alice")
	if self.UserFullInfo.BaseInfo.UserName != "Alice" || self.UserStatus.OnlineStatus != 0 || !slices.Equal(self.UserStatus.OnlinePlatforms, []int32{1, 2}) {
		t.Fatalf("two devices: %v", self)
	}
	if ps := withoutStatus(w.rec.takePushes()); len(ps) != 0 {
		t.Fatalf("devices of different platforms kicked: %v", ps)
	}
	// A second device of platform 1 kicks the first.
	g.register(device(3, 1), "")
	ps := withoutStatus(w.rec.takePushes())
	evs, conns := pushesOf(t, ps, "connectionStateChanged", func() *messages.ConnectionStateChangedEvent { return &messages.ConnectionStateChangedEvent{} })
	if len(ps) != 1 || len(evs) != 1 || !slices.Equal(conns[0], []uint64{1}) || ps[0].CloseCode != CloseKicked ||
		evs[0].State != ConnDisconnected || evs[0].Event != ConnEventKicked {
		t.Fatalf("kick: %v %v", ps, evs)
	}
	self = g.self("alice")
	if !slices.Equal(self.UserStatus.OnlinePlatforms, []int32{1, 2}) {
		t.Fatalf("after the kick: platforms %v", self.UserStatus.OnlinePlatforms)
	}
	// The same connection registering again neither kicks itself nor counts twice.
	g.register(device(3, 1), "")
	if ps := withoutStatus(w.rec.takePushes()); len(ps) != 0 {
		t.Fatalf("re-registration kicked: %v", ps)
	}
	if n := len(g.self("alice").UserStatus.OnlinePlatforms); n != 2 {
		t.Fatalf("re-registration: %d devices", n)
	}
	// A profile update reaches the devices but the caller's (conn 1 is the caller, gone).
	g.mustCall("alice", "updateUserName", &messages.UpdateUserNameParams{UserName: "A"}, nil)
	_, conns = pushesOf(t, w.rec.takePushes(), "userInfoUpdated", func() *messages.UserInfoUpdatedEvent { return &messages.UserInfoUpdatedEvent{} })
	if len(conns) != 1 || !slices.Equal(conns[0], []uint64{2, 3}) {
		t.Fatalf("userInfoUpdated to %v", conns)
	}

	if g.CanPassivate() {
		t.Fatal("a user actor with devices must not passivate")
	}
	g.Tell(&messages.UnregisterDevice{Conn: device(2, 2)})
	g.Tell(&messages.UnregisterDevice{Conn: device(9, 2)}) // unknown: ignored
	g.Tell(&messages.UnregisterDevice{})                   // none: ignored
	if p := g.self("alice").UserStatus.OnlinePlatforms; !slices.Equal(p, []int32{1}) {
		t.Fatalf("after unregistering conn 2: %v", p)
	}
	g.Tell(&messages.UnregisterDevice{Conn: device(3, 1)})
	self = g.self("alice")
	if self.UserStatus.OnlineStatus != 1 || len(self.UserStatus.OnlinePlatforms) != 0 || !g.CanPassivate() {
		t.Fatalf("offline: %v, can passivate %v", self.UserStatus, g.CanPassivate())
	}
	// Devices are not stored: a fresh activation is offline, with the stored profile.
	self = w.grain(KindUser, "alice").self("alice")
	if self.UserStatus.OnlineStatus != 1 || self.UserFullInfo.BaseInfo.UserName != "A" {
		t.Fatalf("after reactivation: %v", self)
	}
}

// chatWorld is alice, bob and carol with their user actors, and the peer actors between
// alice and the others; messages sent are handed to the user actors.
type chatWorld struct {
	*unitWorld
	users map[string]*unitGrain
	peers map[string]*unitGrain
}

func newChatWorld(t *testing.T, names ...string) *chatWorld {
	w := newUnitWorld(t)
	w.users(names...)
	cw := &chatWorld{unitWorld: w, users: map[string]*unitGrain{}, peers: map[string]*unitGrain{}}
	for _, n := range names {
		cw.users[n] = w.grain(KindUser, n)
	}
	return cw
}

// send stores a text from one user to another and hands the touches to the user actors.
func (cw *chatWorld) send(from, to, text string) *messages.Message {
	cw.tb.Helper()
	id := PeerIdentity(from, to)
	p := cw.peers[id]
	if p == nil {
		p = cw.grain(KindPeer, id)
		cw.peers[id] = p
	}
	cw.now = cw.now.Add(time.Second) // message IDs (the list's order keys) far apart
	m := p.peerSend(from, text)
	cw.forwardToUsers(cw.users)
	return m
}

// reload re-activates user's actor from the store.
func (cw *chatWorld) reload(user string) *unitGrain {
	cw.users[user] = cw.grain(KindUser, user)
	return cw.users[user]
}

func TestUnitUserConversationUnread(t *testing.T) {
	cw := newChatWorld(t, "alice", "bob", "carol")
	alice := cw.users["alice"]
	alice.register(device(5, 1), "")
	cw.rec.takePushes()

	for _, text := range []string{"b1", "b2", "b3"} {
		cw.send("bob", "alice", text)
	}
	// Each message reaches alice's device with the conversation's new state and the
	// total unread count.
	ps := cw.rec.takePushes()
	recv, _ := pushesOf(t, ps, "peerMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	changed, _ := pushesOf(t, ps, "conversationChanged", func() *messages.ConversationChangedEvent { return &messages.ConversationChangedEvent{} })
	totals, conns := pushesOf(t, ps, "conversationTotalUnreadMessageCountUpdated", func() *messages.ConversationTotalUnreadMessageCountUpdatedEvent {
		return &messages.ConversationTotalUnreadMessageCountUpdatedEvent{}
	})
	if len(recv) != 3 || recv[2].MessageList[0].Message != "b3" || recv[2].MessageList[0].Direction != 1 || recv[2].FromConversationID != "bob" {
		t.Fatalf("peerMessageReceived %v", recv)
	}
	if len(changed) != 3 || changed[0].InfoList[0].Event != 0 || changed[1].InfoList[0].Event != 1 || changed[2].InfoList[0].Conversation.UnreadMessageCount != 3 {
		t.Fatalf("conversationChanged %v", changed)
	}
	if len(totals) != 3 || totals[2].TotalUnreadMessageCount != 3 || !slices.Equal(conns[2], []uint64{5}) {
		t.Fatalf("total unread pushes %v to %v", totals, conns)
	}

	cw.send("carol", "alice", "c1")
	cw.send("carol", "alice", "c2")
	cw.rec.takePushes()
	if n := alice.totalUnread("alice"); n != 5 {
		t.Fatalf("total unread %d, want 5", n)
	}
	if n := alice.totalUnread("alice", ConvPeer); n != 5 {
		t.Fatalf("peer unread %d, want 5", n)
	}
	if n := alice.totalUnread("alice", ConvGroup, ConvRoom); n != 0 {
		t.Fatalf("group unread %d, want 0", n)
	}
	c := alice.conversation("alice", "bob", ConvPeer)
	if c.UnreadMessageCount != 3 || c.ConversationName != "bob" || c.Type != ConvPeer || c.NotificationStatus != NotifyOn ||
		c.LastMessage.GetMessage() != "b3" || c.LastMessage.Direction != 1 || c.LastMessage.ConversationID != "bob" || c.ReadMessageSeq != 0 {
		t.Fatalf("alice's conversation with bob %v", c)
	}
	// The sender's own messages are read.
	if c := cw.users["bob"].conversation("bob", "alice", ConvPeer); c.UnreadMessageCount != 0 || c.ReadMessageSeq != 3 || c.LastMessage.Direction != 0 {
		t.Fatalf("bob's conversation with alice %v", c)
	}

	var ref messages.ConversationRef
	alice.mustCall("alice", "clearConversationUnreadMessageCount", &messages.ConversationRef{ConversationID: "bob", ConversationType: ConvPeer}, &ref)
	if ref.ConversationID != "bob" {
		t.Fatalf("clear result %v", &ref)
	}
	totals, _ = pushesOf(t, cw.rec.takePushes(), "conversationTotalUnreadMessageCountUpdated", func() *messages.ConversationTotalUnreadMessageCountUpdatedEvent {
		return &messages.ConversationTotalUnreadMessageCountUpdatedEvent{}
	})
	if len(totals) != 1 || totals[0].TotalUnreadMessageCount != 2 {
		t.Fatalf("total after clear %v", totals)
	}
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 0 || c.ReadMessageSeq != 3 {
		t.Fatalf("after clear %v", c)
	}
	alice.mustCall("alice", "clearConversationUnreadMessageCount", &messages.ConversationRef{ConversationID: "bob", ConversationType: ConvPeer}, nil)
	if ps := cw.rec.takePushes(); len(ps) != 0 {
		t.Fatalf("clearing a read conversation pushed %v", ps)
	}

	// Do-not-disturb conversations do not count in the total.
	for _, bad := range []int32{0, 3, -1} {
		wantCode(t, alice.call("alice", "setConversationNotificationStatus", &messages.SetConversationNotificationStatusParams{Status: bad, ConversationID: "carol"}, nil), ErrParamInvalid)
	}
	alice.mustCall("alice", "setConversationNotificationStatus", &messages.SetConversationNotificationStatusParams{Status: NotifyDND, ConversationID: "carol"}, nil)
	if n := alice.totalUnread("alice"); n != 0 {
		t.Fatalf("total with carol muted %d, want 0", n)
	}
	if c := alice.conversation("alice", "carol", ConvPeer); c.UnreadMessageCount != 2 || c.NotificationStatus != NotifyDND {
		t.Fatalf("muted conversation %v", c)
	}

	// Drafts: up to 1 KB.
	alice.mustCall("alice", "setConversationDraft", &messages.SetConversationDraftParams{Draft: strings.Repeat("d", 1024), ConversationID: "carol"}, nil)
	wantCode(t, alice.call("alice", "setConversationDraft", &messages.SetConversationDraftParams{Draft: strings.Repeat("d", 1025), ConversationID: "carol"}, nil), ErrParamInvalid)
	alice.mustCall("alice", "setConversationDraft", &messages.SetConversationDraftParams{Draft: "later", ConversationID: "carol"}, nil)

	// Unknown conversations (and known IDs of another type).
	for _, ref := range []*messages.ConversationRef{{ConversationID: "nobody"}, {ConversationID: "bob", ConversationType: ConvGroup}} {
		wantCode(t, alice.call("alice", "queryConversation", ref, nil), ErrConvNotExist)
		wantCode(t, alice.call("alice", "clearConversationUnreadMessageCount", ref, nil), ErrConvNotExist)
		wantCode(t, alice.call("alice", "setConversationNotificationStatus", &messages.SetConversationNotificationStatusParams{Status: NotifyOn, ConversationID: ref.ConversationID, ConversationType: ref.ConversationType}, nil), ErrConvNotExist)
		wantCode(t, alice.call("alice", "setConversationDraft", &messages.SetConversationDraftParams{Draft: "x", ConversationID: ref.ConversationID, ConversationType: ref.ConversationType}, nil), ErrConvNotExist)
	}

	// All of it is stored: a fresh activation sees the same.
	alice = cw.reload("alice")
	if c := alice.conversation("alice", "carol", ConvPeer); c.UnreadMessageCount != 2 || c.NotificationStatus != NotifyDND || c.Draft != "later" || c.LastMessage.GetMessage() != "c2" {
		t.Fatalf("carol after reactivation %v", c)
	}
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 0 || c.LastMessage.GetMessage() != "b3" {
		t.Fatalf("bob after reactivation %v", c)
	}
	if n := alice.totalUnread("alice"); n != 0 {
		t.Fatalf("total after reactivation %d", n)
	}
	// New messages count from the read position; a reply moves it to the end.
	cw.send("bob", "alice", "b4")
	cw.send("bob", "alice", "b5")
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 2 {
		t.Fatalf("two new messages: unread %d", c.UnreadMessageCount)
	}
	cw.send("alice", "bob", "a1")
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 0 || c.ReadMessageSeq != 6 || c.LastMessage.GetMessage() != "a1" {
		t.Fatalf("after replying %v", c)
	}
	if c := cw.reload("alice").conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 0 || c.ReadMessageSeq != 6 {
		t.Fatalf("reply's read position after reactivation %v", c)
	}
	alice = cw.users["alice"]
	alice.mustCall("alice", "setConversationNotificationStatus", &messages.SetConversationNotificationStatusParams{Status: NotifyOn, ConversationID: "carol"}, nil)
	if n := alice.totalUnread("alice"); n != 2 {
		t.Fatalf("carol unmuted: total %d, want 2", n)
	}
}

func TestUnitUserCommandMessageDoesNotCount(t *testing.T) {
	cw := newChatWorld(t, "alice", "bob")
	alice := cw.users["alice"]
	alice.register(device(5, 1), "")
	cw.rec.takePushes()
	p := cw.grain(KindPeer, PeerIdentity("alice", "bob"))
	cmd := &messages.SendMessageParams{Message: &messages.Message{Type: MsgCommand, Message: "cGluZw=="}}
	p.mustCall("bob", "sendMessage", cmd, nil)
	cw.forwardToUsers(cw.users)
	ps := cw.rec.takePushes()
	recv, _ := pushesOf(t, ps, "peerMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	if len(ps) != 1 || len(recv) != 1 || recv[0].MessageList[0].Message != "cGluZw==" || recv[0].MessageList[0].Direction != 1 {
		t.Fatalf("command push %v", ps)
	}
	if n := alice.totalUnread("alice"); n != 0 {
		t.Fatalf("command counted: %d", n)
	}
	wantCode(t, alice.call("alice", "queryConversation", &messages.ConversationRef{ConversationID: "bob"}, nil), ErrConvNotExist)
}

func TestUnitUserConversationListPaging(t *testing.T) {
	cw := newChatWorld(t, "erin", "p1", "p2", "p3", "p4", "p5")
	for _, from := range []string{"p1", "p2", "p3", "p4", "p5"} {
		cw.send(from, "erin", "hi from "+from)
	}
	erin := cw.users["erin"]
	for _, cfg := range []*messages.ConversationQueryConfig{nil, {Count: 0}, {Count: -1}, {Count: 101}} {
		wantCode(t, erin.call("erin", "queryConversationList", &messages.QueryConversationListParams{Config: cfg}, nil), ErrParamInvalid)
	}
	check := func(erin *unitGrain) {
		t.Helper()
		var ids []string
		var next *messages.Conversation
		for page := 0; page < 5; page++ {
			list := erin.convList("erin", 2, next, nil)
			if len(list) == 0 {
				break
			}
			if len(list) > 2 {
				t.Fatalf("page of %d", len(list))
			}
			for _, c := range list {
				ids = append(ids, c.ConversationID)
			}
			// The anchor the client passes back is the last conversation it got.
			next = &messages.Conversation{ConversationID: list[len(list)-1].ConversationID, Type: list[len(list)-1].Type, OrderKey: list[len(list)-1].OrderKey}
		}
		if got := strings.Join(ids, ","); got != "p5,p4,p3,p2,p1" {
			t.Fatalf("paging gave %s, want newest first", got)
		}
	}
	check(erin)
	check(cw.reload("erin"))
	erin = cw.users["erin"]

	// A new message moves its conversation to the top.
	cw.send("p2", "erin", "again")
	if got := convIDs(erin.convList("erin", 3, nil, nil)); got != "p2,p5,p4" {
		t.Fatalf("after p2 wrote again: %s", got)
	}
	// Filters: type, unread only.
	if got := erin.convList("erin", 10, nil, &messages.ConversationFilterOption{ConversationTypes: []int32{ConvGroup}}); len(got) != 0 {
		t.Fatalf("group filter gave %s", convIDs(got))
	}
	if got := convIDs(erin.convList("erin", 10, nil, &messages.ConversationFilterOption{ConversationTypes: []int32{ConvPeer}})); got != "p2,p5,p4,p3,p1" {
		t.Fatalf("peer filter gave %s", got)
	}
	erin.mustCall("erin", "clearConversationUnreadMessageCount", &messages.ConversationRef{ConversationID: "p4"}, nil)
	if got := convIDs(erin.convList("erin", 10, nil, &messages.ConversationFilterOption{IsOnlyUnreadConversation: true})); got != "p2,p5,p3,p1" {
		t.Fatalf("unread filter gave %s", got)
	}
	if n := erin.totalUnread("erin"); n != 5 {
		t.Fatalf("total unread %d, want 5 (p2 has 2)", n)
	}
	// An anchor that is not in the list pages by its order key.
	p3 := erin.conversation("erin", "p3", ConvPeer)
	gone := &messages.Conversation{ConversationID: "gone", Type: ConvPeer, OrderKey: p3.OrderKey + 1}
	if got := convIDs(erin.convList("erin", 10, gone, nil)); got != "p3,p1" {
		t.Fatalf("after a missing anchor: %s", got)
	}
	// Each conversation shows its unread count and last message.
	for _, c := range erin.convList("erin", 10, nil, nil) {
		want := int64(1)
		switch c.ConversationID {
		case "p2":
			want = 2
		case "p4":
			want = 0
		}
		if c.UnreadMessageCount != want || c.LastMessage == nil || c.ConversationName != c.ConversationID {
			t.Fatalf("%s: %v", c.ConversationID, c)
		}
	}
}

// TestUnitUserStaleRegistrationDoesNotKickANewerLogin: a registration of an older
// connection of the same node that arrives after a newer one registered (a delayed
// login whose client gave up and logged in again) is refused; the newer stays.
func TestUnitUserStaleRegistrationDoesNotKickANewerLogin(t *testing.T) {
	w := newUnitWorld(t)
	g := w.grain(KindUser, "alice")
	g.register(device(7, 1), "Alice")
	w.rec.takePushes()
	rep, _ := g.Request(&messages.RegisterDevice{Conn: device(5, 1), UserName: "Alice"})
	if rep == nil || rep.Code != ErrLoginSuperseded.Code {
		t.Fatalf("older connection's late registration: %v", rep)
	}
	if ps := w.rec.takePushes(); len(ps) != 0 {
		t.Fatalf("the newer login was kicked: %v", ps)
	}
	if p := g.self("alice").UserStatus.OnlinePlatforms; !slices.Equal(p, []int32{1}) {
		t.Fatalf("devices %v", p)
	}
	// Another node's connection is not comparable by ID: the later registration wins.
	g.register(&messages.ConnRef{Node: "other-node:1", ConnID: 1, Platform: 1}, "")
	if ps := w.rec.takePushes(); len(ps) != 1 || ps[0].CloseCode != CloseKicked {
		t.Fatalf("a login on another node did not replace the older: %v", ps)
	}
}

// withoutStatus drops the userStatusUpdated pushes (a user's other devices get one when
// its platform set changes: presence_unit_test.go checks them).
func withoutStatus(ps []*messages.Deliver) []*messages.Deliver {
	return slices.DeleteFunc(ps, func(d *messages.Deliver) bool { return d.Push.Event == messages.EventUserStatusUpdated.Name })
}
