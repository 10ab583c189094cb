package gateway_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// ---- helpers ----

func isGroupText(text string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.ConversationMessageReceivedEvent)
		return len(ev.MessageList) == 1 && ev.MessageList[0].Message == text
	}
}

// testClock is the actors' clock in tests that need time to pass (mute expiry,
// application expiry): real time plus an offset the test advances.
type testClock struct{ off atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *testClock) advance(d time.Duration) { c.off.Add(int64(d)) }
func withClock(c *testClock) envOption {
	return withActors(func(a *actors.Config) { a.Now = c.now })
}

func gWant(t testing.TB, what string, err error, code int32) {
	t.Helper()
	got := codeOf(err)
	var ce *actors.CodeError
	if errors.As(err, &ce) { // an in-process call
		got = ce.Code
	}
	if got != code {
		t.Fatalf("%s: want %d, got %v", what, code, err)
	}
}

func gOK(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// stateEvent matches groupStateChanged of group id with event ev.
func stateEvent(id string, ev int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.GroupStateChangedEvent)
		return e.GroupInfo.GetBaseInfo().GetGroupID() == id && e.Event == ev
	}
}

// makeGroup creates group id owned by owner with members invited, and waits until
// every member's devices know (so that they are online members of the group).
func makeGroup(t testing.TB, owner *session, id string, members ...*session) *m.GroupCreatedResult {
	t.Helper()
	var ids []string
	for _, s := range members {
		ids = append(ids, s.user)
	}
	res, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: id, GroupName: "name of " + id}, ids, nil)
	gOK(t, "createGroup", err)
	owner.rec.wait(t, "groupStateChanged", stateEvent(id, 1))
	for _, s := range members {
		s.rec.wait(t, "groupStateChanged", stateEvent(id, 4))
	}
	return res
}

func memberRole(t testing.TB, s *session, user, group string) int32 {
	t.Helper()
	info, err := s.QueryGroupMemberInfo(ctx(t), user, group)
	gOK(t, "queryGroupMemberInfo", err)
	return info.MemberRole
}

// ---- lifecycle ----

func TestGroupCreateWithConfigAndServerMadeID(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)

	cfg := &m.GroupAdvancedConfig{GroupNotice: "read me", GroupAttributes: map[string]string{"topic": "go"}, JoinMode: 1}
	res, err := alice.CreateGroup(ctx(t), &m.GroupInfo{GroupName: "Team", GroupAvatarUrl: "https://a/x.png"}, []string{"bob", "nobody-here", "bad id", "alice"}, cfg)
	gOK(t, "createGroup", err)
	gi := res.GroupInfo
	id := gi.BaseInfo.GroupID
	if !strings.HasPrefix(id, "#") || len(id) > 32 {
		t.Fatalf("server-made group ID %q", id)
	}
	if gi.BaseInfo.GroupName != "Team" || gi.GroupNotice != "read me" || gi.GroupAttributes["topic"] != "go" ||
		gi.VerifyInfo.JoinMode != 1 || gi.CreateTime == 0 || gi.MaxMemberCount != 2000 || gi.NotificationStatus != 1 {
		t.Fatalf("group info: %v", gi)
	}
	if len(res.UserList) != 1 || res.UserList[0].UserID != "bob" || res.UserList[0].MemberRole != 3 ||
		res.UserList[0].GroupEnterInfo.EnterType != 4 || res.UserList[0].GroupEnterInfo.OperatedUser.GetUserID() != "alice" {
		t.Fatalf("user list: %v", res.UserList)
	}
	reasons := map[string]int32{}
	for _, eu := range res.ErrorUserList {
		reasons[eu.UserID] = eu.Reason
	}
	if reasons["nobody-here"] != 6000011 || reasons["bad id"] != 6000124 || len(reasons) != 2 {
		t.Fatalf("error user list: %v", res.ErrorUserList)
	}
	ev := bob.rec.wait(t, "groupStateChanged", stateEvent(id, 4)).(*m.GroupStateChangedEvent)
	if ev.State != 1 || ev.OperatedInfo.UserID != "alice" || ev.OperatedInfo.MemberRole != 1 || ev.GroupInfo.BaseInfo.GroupName != "Team" {
		t.Fatalf("invitee's groupStateChanged: %v", ev)
	}
	alice.rec.wait(t, "groupStateChanged", stateEvent(id, 1))
	if r := memberRole(t, bob, "alice", id); r != 1 {
		t.Fatalf("creator's role %d", r)
	}

	// Refusals.
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: id}, nil, nil)
	gWant(t, "client-made ID starting with #", err, 6000001)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "dup"}, nil, nil)
	gOK(t, "createGroup dup", err)
	_, err = bob.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "dup"}, nil, nil)
	gWant(t, "existing group", err, 6000524)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "long", GroupName: strings.Repeat("n", 101)}, nil, nil)
	gWant(t, "name over 100 bytes", err, 6000001)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: strings.Repeat("x", 33)}, nil, nil)
	gWant(t, "ID over 32 bytes", err, 6000001)
	many := make([]string, 101)
	for i := range many {
		many[i] = "u" + itoa(i)
	}
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "many"}, many, nil)
	gWant(t, "101 invitees", err, 6000001)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "small"}, []string{"bob"}, &m.GroupAdvancedConfig{MaxMemberCount: 1})
	gWant(t, "more invitees than the group's maximum", err, 6000525)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "attrs"}, nil, &m.GroupAdvancedConfig{GroupAttributes: map[string]string{strings.Repeat("k", 17): "v"}})
	gWant(t, "attribute key over the limit", err, 6000532)
	_, err = alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "mode"}, nil, &m.GroupAdvancedConfig{JoinMode: 3})
	gWant(t, "join mode 3", err, 6000001)
}

func TestGroupJoinLeaveOwnerHandOverAndDissolve(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	dave := e.login("dave", false, 0)
	makeGroup(t, alice, "g")

	_, err := bob.JoinGroup(ctx(t), "nope")
	gWant(t, "join a group that does not exist", err, 6000523)
	res, err := bob.JoinGroup(ctx(t), "g")
	gOK(t, "join", err)
	if res.GroupInfo.BaseInfo.GroupName != "name of g" {
		t.Fatalf("joined result: %v", res)
	}
	bob.rec.wait(t, "groupStateChanged", stateEvent("g", 3))
	ev := alice.rec.wait(t, "groupMemberStateChanged", nil).(*m.GroupMemberStateChangedEvent)
	if ev.GroupID != "g" || ev.State != 1 || ev.Event != 1 || len(ev.UserList) != 1 || ev.UserList[0].UserID != "bob" {
		t.Fatalf("groupMemberStateChanged on join: %v", ev)
	}
	_, err = bob.JoinGroup(ctx(t), "g")
	gOK(t, "joining twice", err)
	_, err = carol.JoinGroup(ctx(t), "g")
	gOK(t, "carol joins", err)
	carol.rec.wait(t, "groupStateChanged", stateEvent("g", 3))
	if n, err := alice.QueryGroupMemberCount(ctx(t), "g"); err != nil || n != 3 {
		t.Fatalf("member count %d %v", n, err)
	}
	_, err = dave.QueryGroupMemberCount(ctx(t), "g")
	gWant(t, "count by a non-member", err, 6000521)
	gWant(t, "leave by a non-member", dave.LeaveGroup(ctx(t), "g"), 6000521)

	// The owner leaves: the earliest-joined member (bob) becomes the owner.
	gOK(t, "owner leaves", alice.LeaveGroup(ctx(t), "g"))
	alice.rec.wait(t, "groupStateChanged", stateEvent("g", 5))
	carol.rec.wait(t, "groupMemberStateChanged", func(p proto.Message) bool {
		e := p.(*m.GroupMemberStateChangedEvent)
		return e.Event == 2 && e.State == 0 && e.UserList[0].UserID == "alice"
	})
	carol.rec.wait(t, "groupMemberInfoUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupMemberInfoUpdatedEvent)
		return e.UserList[0].UserID == "bob" && e.UserList[0].MemberRole == 1
	})
	if r := memberRole(t, carol, "bob", "g"); r != 1 {
		t.Fatalf("bob's role after the owner left: %d", r)
	}
	list, err := alice.QueryGroupList(ctx(t), 0, nil)
	gOK(t, "queryGroupList", err)
	if len(list.GroupList) != 0 {
		t.Fatalf("a group left is still listed: %v", list)
	}
	list, _ = carol.QueryGroupList(ctx(t), 0, nil)
	if len(list.GroupList) != 1 || list.GroupList[0].BaseInfo.GroupID != "g" || list.GroupList[0].NotificationStatus != 1 {
		t.Fatalf("carol's group list: %v", list)
	}

	// The last members leave: the group is dissolved.
	gOK(t, "bob leaves", bob.LeaveGroup(ctx(t), "g"))
	if r := memberRole(t, carol, "carol", "g"); r != 1 {
		t.Fatalf("the last member is the owner: %d", r)
	}
	gOK(t, "carol leaves", carol.LeaveGroup(ctx(t), "g"))
	_, err = carol.QueryGroupInfo(ctx(t), "g")
	gWant(t, "info of a dissolved group", err, 6000523)
	_, err = dave.JoinGroup(ctx(t), "g")
	gWant(t, "join a dissolved group", err, 6000523)
	_, err = dave.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "g"}, nil, nil)
	gWant(t, "reuse a dissolved group's ID", err, 6000527)

	// A dissolved group survives a restart as gone.
	e.restart()
	dave = e.login("dave", false, 0)
	_, err = dave.QueryGroupInfo(ctx(t), "g")
	gWant(t, "info of a dissolved group after restart", err, 6000523)
}

func TestGroupDismiss(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "g", bob)
	gWant(t, "dismiss by a member", bob.DismissGroup(ctx(t), "g"), 6000541)
	gWant(t, "dismiss by a non-member", carol.DismissGroup(ctx(t), "g"), 6000521)
	gWant(t, "dismiss a group that does not exist", alice.DismissGroup(ctx(t), "nope"), 6000523)
	_, err := alice.SendText(ctx(t), "before", "g", 2)
	gOK(t, "send", err)
	gOK(t, "dismiss", alice.DismissGroup(ctx(t), "g"))
	ev := bob.rec.wait(t, "groupStateChanged", stateEvent("g", 2)).(*m.GroupStateChangedEvent)
	if ev.State != 0 || ev.OperatedInfo.UserID != "alice" {
		t.Fatalf("dismissed event: %v", ev)
	}
	alice.rec.wait(t, "groupStateChanged", stateEvent("g", 2))
	_, err = bob.SendText(ctx(t), "after", "g", 2)
	gWant(t, "send to a dismissed group", err, 6000523)
	_, err = bob.QueryGroupInfo(ctx(t), "g")
	gWant(t, "info of a dismissed group", err, 6000523)
	// The former members keep what they saw.
	hist, err := bob.QueryHistoryMessage(ctx(t), "g", 2, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history after dismiss", err)
	if texts(hist.MessageList) != "before" {
		t.Fatalf("history after dismiss: %s", texts(hist.MessageList))
	}
	list, _ := bob.QueryGroupList(ctx(t), 0, nil)
	if len(list.GroupList) != 0 {
		t.Fatalf("dismissed group listed: %v", list)
	}
}

// ---- members and roles ----

func TestGroupKickInviteTransferAndRoles(t *testing.T) {
	e := startEnv(t)
	owner := e.login("owner", false, 0)
	admin := e.login("admin", true, 0)
	mem := e.login("mem", false, 0)
	mem2 := e.login("mem2", false, 0)
	other := e.login("other", false, 0)
	makeGroup(t, owner, "g", admin, mem, mem2)

	// Roles: only the owner sets them, never to 1, custom roles >= 100.
	gWant(t, "role 1", owner.SetGroupMemberRole(ctx(t), 1, "admin", "g"), 6000001)
	gWant(t, "role 50", owner.SetGroupMemberRole(ctx(t), 50, "admin", "g"), 6000001)
	gWant(t, "role by a member", mem.SetGroupMemberRole(ctx(t), 2, "mem2", "g"), 6000541)
	gWant(t, "role of a non-member", owner.SetGroupMemberRole(ctx(t), 2, "other", "g"), 6000521)
	gWant(t, "owner's own role", owner.SetGroupMemberRole(ctx(t), 3, "owner", "g"), 6000541)
	gOK(t, "make admin", owner.SetGroupMemberRole(ctx(t), 2, "admin", "g"))
	mem.rec.wait(t, "groupMemberInfoUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupMemberInfoUpdatedEvent)
		return e.UserList[0].UserID == "admin" && e.UserList[0].MemberRole == 2 && e.OperatedInfo.UserID == "owner"
	})
	gOK(t, "custom role", owner.SetGroupMemberRole(ctx(t), 100, "mem2", "g"))
	gWant(t, "admin sets roles", admin.SetGroupMemberRole(ctx(t), 3, "mem", "g"), 6000541)

	// Nicknames: one's own, the owner anyone's, an admin ordinary members'.
	gOK(t, "own nickname", mem.SetGroupMemberNickname(ctx(t), "Memo", "mem", "g"))
	gWant(t, "member renames another", mem.SetGroupMemberNickname(ctx(t), "x", "mem2", "g"), 6000541)
	gOK(t, "admin renames a member", admin.SetGroupMemberNickname(ctx(t), "Custom", "mem2", "g"))
	gWant(t, "admin renames the owner", admin.SetGroupMemberNickname(ctx(t), "x", "owner", "g"), 6000541)
	gOK(t, "owner renames the admin", owner.SetGroupMemberNickname(ctx(t), "Boss2", "admin", "g"))
	gWant(t, "nickname of 101 characters", mem.SetGroupMemberNickname(ctx(t), strings.Repeat("é", 101), "mem", "g"), 6000001)
	gOK(t, "nickname of 100 characters", mem.SetGroupMemberNickname(ctx(t), strings.Repeat("é", 100), "mem", "g"))
	info, err := other.QueryGroupMemberInfo(ctx(t), "mem", "g")
	gWant(t, "member info by a non-member", err, 6000521)
	info, err = owner.QueryGroupMemberInfo(ctx(t), "mem2", "g")
	gOK(t, "member info", err)
	if info.MemberNickname != "Custom" || info.MemberRole != 100 || info.UserName != "name-mem2" {
		t.Fatalf("member info: %v", info)
	}

	// Invites: inviteMode admin keeps ordinary members from inviting.
	gOK(t, "invite mode admin", admin.UpdateGroupInviteMode(ctx(t), 1, "g"))
	_, err = mem.InviteUsersIntoGroup(ctx(t), []string{"other"}, "g")
	gWant(t, "member invites in admin mode", err, 6000541)
	many := make([]string, 101)
	for i := range many {
		many[i] = "u" + itoa(i)
	}
	_, err = admin.InviteUsersIntoGroup(ctx(t), many, "g")
	gWant(t, "101 invitees", err, 6000001)
	_, err = other.InviteUsersIntoGroup(ctx(t), []string{"other"}, "g")
	gWant(t, "invite by a non-member", err, 6000521)
	inv, err := admin.InviteUsersIntoGroup(ctx(t), []string{"other", "mem", "ghost"}, "g")
	gOK(t, "invite", err)
	if len(inv.UserList) != 1 || inv.UserList[0].UserID != "other" || len(inv.ErrorUserList) != 2 {
		t.Fatalf("invite result: %v", inv)
	}
	other.rec.wait(t, "groupStateChanged", stateEvent("g", 4))
	mem.rec.wait(t, "groupMemberStateChanged", func(p proto.Message) bool {
		e := p.(*m.GroupMemberStateChangedEvent)
		return e.Event == 5 && e.State == 1 && e.UserList[0].UserID == "other"
	})

	// Kicks: managers only; an admin never kicks the owner or an admin.
	_, err = mem.KickGroupMembers(ctx(t), []string{"other"}, "g")
	gWant(t, "kick by a member", err, 6000541)
	kr, err := admin.KickGroupMembers(ctx(t), []string{"owner", "admin", "nobody", "other"}, "g")
	gOK(t, "admin kicks", err)
	reasons := map[string]int32{}
	for _, eu := range kr.ErrorUserList {
		reasons[eu.UserID] = eu.Reason
	}
	if len(kr.KickedUserIDs) != 1 || kr.KickedUserIDs[0] != "other" || reasons["owner"] != 6000541 || reasons["admin"] != 6000001 || reasons["nobody"] != 6000521 {
		t.Fatalf("kick result: %v", kr)
	}
	other.rec.wait(t, "groupStateChanged", stateEvent("g", 6))
	mem.rec.wait(t, "groupMemberStateChanged", func(p proto.Message) bool {
		e := p.(*m.GroupMemberStateChangedEvent)
		return e.Event == 4 && e.State == 0 && e.UserList[0].UserID == "other"
	})
	_, err = other.SendText(ctx(t), "still here?", "g", 2)
	gWant(t, "send after being kicked", err, 6000521)

	// Transfer: the owner only, to a member.
	gWant(t, "transfer by the admin", admin.TransferGroupOwner(ctx(t), "mem", "g"), 6000541)
	gWant(t, "transfer to a non-member", owner.TransferGroupOwner(ctx(t), "other", "g"), 6000521)
	gOK(t, "transfer", owner.TransferGroupOwner(ctx(t), "mem", "g"))
	if memberRole(t, admin, "mem", "g") != 1 || memberRole(t, admin, "owner", "g") != 3 {
		t.Fatal("roles after transfer")
	}
	gWant(t, "the old owner dismisses", owner.DismissGroup(ctx(t), "g"), 6000541)

	// Paged member list in join order.
	page, err := mem.QueryGroupMemberList(ctx(t), "g", &m.GroupPageConfig{Count: 2})
	gOK(t, "member list", err)
	var ids []string
	for {
		for _, u := range page.UserList {
			ids = append(ids, u.UserID)
		}
		if page.NextFlag == 0 {
			break
		}
		page, err = mem.QueryGroupMemberList(ctx(t), "g", &m.GroupPageConfig{Count: 2, NextFlag: page.NextFlag})
		gOK(t, "member list page", err)
	}
	if strings.Join(ids, ",") != "owner,admin,mem,mem2" {
		t.Fatalf("member list: %v", ids)
	}
	_, err = mem.QueryGroupMemberList(ctx(t), "g", &m.GroupPageConfig{Count: 0})
	gWant(t, "member list count 0", err, 6000001)
}

// ---- profile and attributes ----

func TestGroupProfileAliasAndAttributes(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "g", bob)

	gOK(t, "rename by a member", bob.UpdateGroupName(ctx(t), "New name", "g"))
	ev := alice.rec.wait(t, "groupNameUpdated", nil).(*m.GroupNameUpdatedEvent)
	if ev.GroupName != "New name" || ev.GroupID != "g" || ev.OperatedInfo.UserID != "bob" || ev.OperatedInfo.UserName != "name-bob" {
		t.Fatalf("groupNameUpdated: %v", ev)
	}
	alice.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "g" && c.ConversationName == "New name"
	})
	gWant(t, "name of 101 bytes", bob.UpdateGroupName(ctx(t), strings.Repeat("n", 101), "g"), 6000001)
	gWant(t, "rename by a non-member", carol.UpdateGroupName(ctx(t), "x", "g"), 6000521)
	gWant(t, "rename a group that does not exist", carol.UpdateGroupName(ctx(t), "x", "nope"), 6000523)
	gOK(t, "notice", alice.UpdateGroupNotice(ctx(t), "Be nice", "g"))
	bob.rec.wait(t, "groupNoticeUpdated", func(p proto.Message) bool { return p.(*m.GroupNoticeUpdatedEvent).GroupNotice == "Be nice" })
	gWant(t, "notice of 301 bytes", alice.UpdateGroupNotice(ctx(t), strings.Repeat("n", 301), "g"), 6000001)
	gOK(t, "avatar", alice.UpdateGroupAvatarUrl(ctx(t), "https://x/y.png", "g"))
	bob.rec.wait(t, "groupAvatarUrlUpdated", func(p proto.Message) bool {
		return p.(*m.GroupAvatarUrlUpdatedEvent).GroupAvatarUrl == "https://x/y.png"
	})
	gWant(t, "avatar of 501 bytes", alice.UpdateGroupAvatarUrl(ctx(t), strings.Repeat("u", 501), "g"), 6000001)

	// The alias is the caller's own.
	gOK(t, "alias", bob.UpdateGroupAlias(ctx(t), "my team", "g"))
	bob.rec.wait(t, "groupAliasUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupAliasUpdatedEvent)
		return e.GroupAlias == "my team" && e.OperatedUserID == "bob"
	})
	gWant(t, "alias of 257 bytes", bob.UpdateGroupAlias(ctx(t), strings.Repeat("a", 257), "g"), 6000001)
	bi, err := bob.QueryGroupInfo(ctx(t), "g")
	gOK(t, "bob's info", err)
	ai, err := alice.QueryGroupInfo(ctx(t), "g")
	gOK(t, "alice's info", err)
	if bi.GroupAlias != "my team" || ai.GroupAlias != "" || ai.GroupNotice != "Be nice" || ai.BaseInfo.GroupAvatarUrl != "https://x/y.png" {
		t.Fatalf("info: bob %v alice %v", bi, ai)
	}
	conv, err := bob.QueryConversation(ctx(t), "g", 2)
	gOK(t, "conversation", err)
	if conv.ConversationAlias != "my team" || conv.ConversationName != "New name" || conv.ConversationAvatarUrl != "https://x/y.png" {
		t.Fatalf("group conversation: %v", conv)
	}
	if n := alice.rec.count("groupAliasUpdated", nil); n != 0 {
		t.Fatalf("another member heard of bob's alias: %d", n)
	}
	ci, err := carol.QueryGroupInfo(ctx(t), "g")
	gOK(t, "info by a non-member", err)
	if len(ci.GroupAttributes) != 0 || ci.BaseInfo.GroupName != "New name" {
		t.Fatalf("non-member's info: %v", ci)
	}

	// Attributes: members only.
	_, err = bob.SetGroupAttributes(ctx(t), map[string]string{"a": "1", "b": "2"}, "g")
	gOK(t, "set attributes", err)
	ae := alice.rec.wait(t, "groupAttributesUpdated", nil).(*m.GroupAttributesUpdatedEvent)
	if ae.InfoList[0].Action != 0 || ae.InfoList[0].GroupAttributes["a"] != "1" || ae.OperatedInfo.UserID != "bob" {
		t.Fatalf("groupAttributesUpdated: %v", ae)
	}
	_, err = carol.SetGroupAttributes(ctx(t), map[string]string{"a": "1"}, "g")
	gWant(t, "set by a non-member", err, 6000521)
	_, err = carol.QueryGroupAllAttributes(ctx(t), "g")
	gWant(t, "query all by a non-member", err, 6000521)
	_, err = bob.SetGroupAttributes(ctx(t), map[string]string{strings.Repeat("k", 17): "v"}, "g")
	gWant(t, "key of 17 bytes", err, 6000532)
	_, err = bob.SetGroupAttributes(ctx(t), map[string]string{"k": strings.Repeat("v", 1025)}, "g")
	gWant(t, "value of 1025 bytes", err, 6000533)
	tooMany := map[string]string{}
	for i := 0; i < 9; i++ {
		tooMany["k"+itoa(i)] = "v"
	}
	_, err = bob.SetGroupAttributes(ctx(t), tooMany, "g")
	gWant(t, "11 attributes", err, 6000531)
	got, err := alice.QueryGroupAttributes(ctx(t), []string{"a", "zz"}, "g")
	gOK(t, "query attributes", err)
	if len(got) != 1 || got["a"] != "1" {
		t.Fatalf("query attributes: %v", got)
	}
	del, err := alice.DeleteGroupAttributes(ctx(t), []string{"a", "zz"}, "g")
	gOK(t, "delete attributes", err)
	if len(del.ErrorKeys) != 1 || del.ErrorKeys[0] != "zz" {
		t.Fatalf("delete result: %v", del)
	}
	bob.rec.wait(t, "groupAttributesUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupAttributesUpdatedEvent)
		_, ok := e.InfoList[0].GroupAttributes["a"]
		return e.InfoList[0].Action == 1 && ok
	})
	all, err := bob.QueryGroupAllAttributes(ctx(t), "g")
	gOK(t, "query all", err)
	if len(all) != 1 || all["b"] != "2" {
		t.Fatalf("all attributes: %v", all)
	}

	// Everything survives a restart.
	e.restart()
	bob = e.login("bob", false, 0)
	bi, err = bob.QueryGroupInfo(ctx(t), "g")
	gOK(t, "info after restart", err)
	if bi.BaseInfo.GroupName != "New name" || bi.GroupAlias != "my team" || bi.GroupAttributes["b"] != "2" || bi.GroupNotice != "Be nice" {
		t.Fatalf("info after restart: %v", bi)
	}
}

// ---- mute ----

func TestGroupMuteModesMembersAndExpiry(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, withClock(clock))
	owner := e.login("owner", false, 0)
	admin := e.login("admin", true, 0)
	mem := e.login("mem", false, 0)
	vip := e.login("vip", false, 0)
	makeGroup(t, owner, "g", admin, mem, vip)
	gOK(t, "admin", owner.SetGroupMemberRole(ctx(t), 2, "admin", "g"))
	gOK(t, "custom role", owner.SetGroupMemberRole(ctx(t), 101, "vip", "g"))

	send := func(s *session, text string) error {
		_, err := s.SendText(ctx(t), text, "g", 2)
		return err
	}
	_, err := mem.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 1, Duration: 60})
	gWant(t, "mute by a member", err, 6000541)
	_, err = admin.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 2, Duration: 60})
	gWant(t, "admin mutes everyone", err, 6000541)
	_, err = admin.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 3, Roles: []int32{2}, Duration: 60})
	gWant(t, "admin mutes the admins", err, 6000541)
	_, err = owner.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 1, Duration: 0})
	gWant(t, "duration 0", err, 6000001)
	_, err = owner.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 1, Duration: 2592001})
	gWant(t, "duration over 30 days", err, 6000001)
	_, err = owner.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 4, Duration: 60})
	gWant(t, "mode 4", err, 6000001)

	// Normal: ordinary members (and custom roles) are muted, managers speak.
	res, err := admin.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 1, Duration: 60})
	gOK(t, "mute normal", err)
	if res.MutedInfo.Mode != 1 || res.MutedInfo.ExpiredTime <= clock.now().UnixMilli() || !res.IsMute {
		t.Fatalf("mute result: %v", res)
	}
	mem.rec.wait(t, "groupMutedInfoUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupMutedInfoUpdatedEvent)
		return e.MutedInfo.Mode == 1 && e.OperatedInfo.UserID == "admin"
	})
	gWant(t, "muted member sends", send(mem, "hi"), 6000231)
	gWant(t, "muted custom role sends", send(vip, "hi"), 6000231)
	gOK(t, "admin sends", send(admin, "admin speaks"))
	gOK(t, "owner sends", send(owner, "owner speaks"))
	// The mute ends on time.
	clock.advance(61 * time.Second)
	gOK(t, "send after the mute ended", send(mem, "free again"))
	info, _ := mem.QueryGroupInfo(ctx(t), "g")
	if info.MutedInfo.Mode != 0 {
		t.Fatalf("expired mute still shown: %v", info.MutedInfo)
	}

	// Custom roles; then all (the owner too); then unmute.
	_, err = owner.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 3, Roles: []int32{101}, Duration: -1})
	gOK(t, "mute custom", err)
	gWant(t, "role 101 muted", send(vip, "x"), 6000231)
	gOK(t, "role 3 speaks", send(mem, "member speaks"))
	_, err = owner.MuteGroup(ctx(t), true, "g", &m.GroupMuteConfig{Mode: 2, Duration: -1})
	gOK(t, "mute all", err)
	gWant(t, "the owner under mute all", send(owner, "x"), 6000231)
	_, err = owner.MuteGroup(ctx(t), false, "g", nil)
	gOK(t, "unmute", err)
	gOK(t, "owner after unmute", send(owner, "back"))

	// Members: managers mute ordinary members only.
	_, err = mem.MuteGroupMembers(ctx(t), true, []string{"vip"}, "g", &m.GroupMemberMuteConfig{Duration: 30})
	gWant(t, "member mutes", err, 6000541)
	mr, err := admin.MuteGroupMembers(ctx(t), true, []string{"mem", "owner", "ghost"}, "g", &m.GroupMemberMuteConfig{Duration: 30})
	gOK(t, "mute members", err)
	if len(mr.MutedUserIDs) != 1 || mr.MutedUserIDs[0] != "mem" || len(mr.ErrorUserList) != 2 || mr.Duration != 30 {
		t.Fatalf("mute members result: %v", mr)
	}
	vip.rec.wait(t, "groupMemberInfoUpdated", func(p proto.Message) bool {
		e := p.(*m.GroupMemberInfoUpdatedEvent)
		return e.UserList[0].UserID == "mem" && e.UserList[0].MuteExpiredTime > 0
	})
	gWant(t, "muted member", send(mem, "x"), 6000231)
	ml, err := vip.QueryGroupMemberMutedList(ctx(t), "g", &m.GroupPageConfig{Count: 10})
	gOK(t, "muted list", err)
	if len(ml.UserList) != 1 || ml.UserList[0].UserID != "mem" {
		t.Fatalf("muted list: %v", ml)
	}
	_, err = admin.MuteGroupMembers(ctx(t), true, []string{"vip"}, "g", &m.GroupMemberMuteConfig{Duration: -1})
	gOK(t, "permanent member mute", err)

	// Mutes hold across a restart and end on time after it.
	e.restart()
	mem = e.login("mem", false, 0)
	vip = e.login("vip", false, 0)
	gWant(t, "muted member after restart", send(mem, "x"), 6000231)
	clock.advance(31 * time.Second)
	gOK(t, "member mute ended after restart", send(mem, "free"))
	gWant(t, "permanent mute after restart", send(vip, "x"), 6000231)
	ml, _ = vip.QueryGroupMemberMutedList(ctx(t), "g", &m.GroupPageConfig{Count: 10})
	if len(ml.UserList) != 1 || ml.UserList[0].UserID != "vip" || ml.UserList[0].MuteExpiredTime != -1 {
		t.Fatalf("muted list after expiry: %v", ml)
	}
	_, err = e.login("admin", false, 0).MuteGroupMembers(ctx(t), false, []string{"vip"}, "g", nil)
	gOK(t, "unmute member", err)
	gOK(t, "vip after unmute", send(vip, "free too"))
}

// ---- applications ----

func TestGroupJoinApplications(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, withClock(clock))
	owner := e.login("owner", false, 0)
	admin := e.login("admin", true, 0)
	mem := e.login("mem", false, 0)
	ann := e.login("ann", false, 0)
	ben := e.login("ben", false, 0)
	makeGroup(t, owner, "g", admin, mem)
	gOK(t, "admin", owner.SetGroupMemberRole(ctx(t), 2, "admin", "g"))

	gWant(t, "join mode by a member", mem.UpdateGroupJoinMode(ctx(t), 1, "g"), 6000541)
	gWant(t, "join mode 3", admin.UpdateGroupJoinMode(ctx(t), 3, "g"), 6000001)
	gOK(t, "forbid", admin.UpdateGroupJoinMode(ctx(t), 2, "g"))
	mem.rec.wait(t, "groupVerifyInfoUpdated", func(p proto.Message) bool { return p.(*m.GroupVerifyInfoUpdatedEvent).VerifyInfo.JoinMode == 2 })
	_, err := ann.JoinGroup(ctx(t), "g")
	gWant(t, "join a forbidding group", err, 6000542)
	gWant(t, "apply to a forbidding group", ann.SendGroupJoinApplication(ctx(t), "g", "hi"), 6000542)
	gOK(t, "auth", owner.UpdateGroupJoinMode(ctx(t), 1, "g"))
	_, err = ann.JoinGroup(ctx(t), "g")
	gWant(t, "join an auth group", err, 6000543)
	gWant(t, "member applies", mem.SendGroupJoinApplication(ctx(t), "g", ""), 6000522)
	gWant(t, "wording of 301 bytes", ann.SendGroupJoinApplication(ctx(t), "g", strings.Repeat("w", 301)), 6000001)

	gOK(t, "ann applies", ann.SendGroupJoinApplication(ctx(t), "g", "let me in"))
	gOK(t, "ben applies", ben.SendGroupJoinApplication(ctx(t), "g", "me too"))
	for _, s := range []*session{owner, admin, ann} {
		ev := s.rec.wait(t, "groupApplicationListChanged", nil).(*m.GroupApplicationListChangedEvent)
		a := ev.ApplicationList[0]
		if a.Type != 1 || a.State != 1 || a.ApplyUser.UserID != "ann" || a.Wording != "let me in" || a.GroupInfo.GroupID != "g" {
			t.Fatalf("%s's groupApplicationListChanged: %v", s.user, ev)
		}
	}
	if n := mem.rec.count("groupApplicationListChanged", nil); n != 0 {
		t.Fatalf("an ordinary member heard of join applications")
	}
	list, err := admin.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 1})
	gOK(t, "admin's application list", err)
	if len(list.ApplicationList) != 1 || list.NextFlag == 0 {
		t.Fatalf("first page: %v", list)
	}
	list2, _ := admin.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10, NextFlag: list.NextFlag})
	if len(list2.ApplicationList) != 1 || list2.NextFlag != 0 {
		t.Fatalf("second page: %v", list2)
	}
	mine, _ := ann.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10})
	if len(mine.ApplicationList) != 1 || mine.ApplicationList[0].ApplyUser.UserID != "ann" {
		t.Fatalf("ann's application list: %v", mine)
	}
	none, _ := mem.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10})
	if len(none.ApplicationList) != 0 {
		t.Fatalf("an ordinary member sees join applications: %v", none)
	}

	gWant(t, "accept by a member", mem.AcceptGroupJoinApplication(ctx(t), "ann", "g"), 6000541)
	gWant(t, "accept without an application", owner.AcceptGroupJoinApplication(ctx(t), "mem", "g"), 6000501)
	gOK(t, "accept", admin.AcceptGroupJoinApplication(ctx(t), "ann", "g"))
	ann.rec.wait(t, "groupStateChanged", stateEvent("g", 3))
	ann.rec.wait(t, "groupApplicationUpdated", func(p proto.Message) bool {
		a := p.(*m.GroupApplicationUpdatedEvent).ApplicationList[0]
		return a.State == 2 && a.OperatedUser.GetUserID() == "admin"
	})
	info, err := ann.QueryGroupMemberInfo(ctx(t), "ann", "g")
	gOK(t, "ann is a member", err)
	if info.GroupEnterInfo.EnterType != 2 || info.GroupEnterInfo.OperatedUser.GetUserID() != "admin" {
		t.Fatalf("enter info: %v", info.GroupEnterInfo)
	}
	gWant(t, "accept twice", admin.AcceptGroupJoinApplication(ctx(t), "ann", "g"), 6000501)

	gOK(t, "reject", owner.RejectGroupJoinApplication(ctx(t), "ben", "g"))
	ben.rec.wait(t, "groupApplicationUpdated", func(p proto.Message) bool {
		return p.(*m.GroupApplicationUpdatedEvent).ApplicationList[0].State == 3
	})
	_, err = ben.QueryGroupMemberCount(ctx(t), "g")
	gWant(t, "rejected applicant", err, 6000521)

	// A waiting application expires.
	gOK(t, "ben applies again", ben.SendGroupJoinApplication(ctx(t), "g", "please"))
	clock.advance(8 * 24 * time.Hour)
	mine, _ = ben.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10})
	if len(mine.ApplicationList) != 1 || mine.ApplicationList[0].State != 4 {
		t.Fatalf("expired application: %v", mine)
	}
	gWant(t, "accept an expired application", owner.AcceptGroupJoinApplication(ctx(t), "ben", "g"), 6000501)
}

func TestGroupInviteApplications(t *testing.T) {
	e := startEnv(t)
	owner := e.login("owner", false, 0)
	mem := e.login("mem", true, 0)
	ann := e.login("ann", false, 0)
	ben := e.login("ben", false, 0)
	makeGroup(t, owner, "g", mem)

	gOK(t, "be-invite auth", owner.UpdateGroupBeInviteMode(ctx(t), 1, "g"))
	_, err := mem.InviteUsersIntoGroup(ctx(t), []string{"ann"}, "g")
	gWant(t, "direct invite needs the invitee's approval", err, 6000544)
	many := make([]string, 21)
	for i := range many {
		many[i] = "u" + itoa(i)
	}
	_, err = owner.SendGroupInviteApplications(ctx(t), many, "g", "")
	gWant(t, "21 invitations", err, 6000001)

	res, err := owner.SendGroupInviteApplications(ctx(t), []string{"ann", "ben", "mem", "ghost"}, "g", "join us")
	gOK(t, "send invitations", err)
	if len(res.ErrorUserList) != 2 {
		t.Fatalf("invitation errors: %v", res.ErrorUserList)
	}
	ev := ann.rec.wait(t, "groupApplicationListChanged", nil).(*m.GroupApplicationListChangedEvent)
	if a := ev.ApplicationList[0]; a.Type != 3 || a.State != 1 || a.ApplyUser.UserID != "owner" || a.Wording != "join us" {
		t.Fatalf("invitee's application: %v", a)
	}
	own := owner.rec.wait(t, "groupApplicationListChanged", nil).(*m.GroupApplicationListChangedEvent)
	if len(own.ApplicationList) != 2 || own.ApplicationList[0].Type != 2 {
		t.Fatalf("inviter's applications: %v", own)
	}
	list, _ := owner.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10})
	if len(list.ApplicationList) != 2 {
		t.Fatalf("owner's list: %v", list)
	}
	list, _ = ann.QueryGroupApplicationList(ctx(t), &m.GroupPageConfig{Count: 10})
	if len(list.ApplicationList) != 1 || list.ApplicationList[0].Type != 3 {
		t.Fatalf("ann's list: %v", list)
	}

	_, err = ann.AcceptGroupInviteApplication(ctx(t), "mem", "g")
	gWant(t, "accept an invitation nobody sent", err, 6000501)
	acc, err := ann.AcceptGroupInviteApplication(ctx(t), "owner", "g")
	gOK(t, "accept invitation", err)
	if acc.InviterUserID != "owner" || acc.GroupInfo.BaseInfo.GroupID != "g" {
		t.Fatalf("accepted result: %v", acc)
	}
	ann.rec.wait(t, "groupStateChanged", stateEvent("g", 4))
	mem.rec.wait(t, "groupMemberStateChanged", func(p proto.Message) bool {
		return p.(*m.GroupMemberStateChangedEvent).UserList[0].UserID == "ann"
	})
	owner.rec.wait(t, "groupApplicationUpdated", func(p proto.Message) bool {
		a := p.(*m.GroupApplicationUpdatedEvent).ApplicationList[0]
		return a.State == 2 && a.Type == 2 && a.ApplyUser.UserID == "ann"
	})
	info, _ := owner.QueryGroupMemberInfo(ctx(t), "ann", "g")
	if info.GroupEnterInfo.EnterType != 5 || info.GroupEnterInfo.OperatedUser.GetUserID() != "owner" {
		t.Fatalf("enter info: %v", info.GroupEnterInfo)
	}
	gOK(t, "reject invitation", ben.RejectGroupInviteApplication(ctx(t), "owner", "g"))
	owner.rec.wait(t, "groupApplicationUpdated", func(p proto.Message) bool {
		a := p.(*m.GroupApplicationUpdatedEvent).ApplicationList[0]
		return a.State == 3 && a.ApplyUser.UserID == "ben"
	})
	_, err = ben.AcceptGroupInviteApplication(ctx(t), "owner", "g")
	gWant(t, "accept a rejected invitation", err, 6000501)

	// With be-invite mode none, invitations bring users in at once.
	gOK(t, "be-invite none", owner.UpdateGroupBeInviteMode(ctx(t), 0, "g"))
	_, err = mem.SendGroupInviteApplications(ctx(t), []string{"ben"}, "g", "")
	gOK(t, "invitation without approval", err)
	ben.rec.wait(t, "groupStateChanged", stateEvent("g", 4))
}

// ---- chat ----

func TestGroupChatHistoryUnreadAndDoNotDisturb(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	alicePhone := e.login("alice", true, 2)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "g", bob)
	alicePhone.rec.wait(t, "groupStateChanged", stateEvent("g", 1))

	sent, err := alice.SendText(ctx(t), "one", "g", 2)
	gOK(t, "send", err)
	if sent.MessageSeq != 1 || sent.ConversationID != "g" || sent.ConversationType != 2 || sent.Direction != 0 {
		t.Fatalf("sent: %v", sent)
	}
	got := bob.rec.wait(t, "groupMessageReceived", isGroupText("one")).(*m.ConversationMessageReceivedEvent)
	if got.FromConversationID != "g" || got.MessageList[0].Direction != 1 || got.MessageList[0].SenderUserID != "alice" {
		t.Fatalf("received: %v", got)
	}
	mine := alicePhone.rec.wait(t, "groupMessageReceived", isGroupText("one")).(*m.ConversationMessageReceivedEvent)
	if mine.MessageList[0].Direction != 0 {
		t.Fatalf("sender's other device: %v", mine)
	}
	_, err = carol.SendText(ctx(t), "x", "g", 2)
	gWant(t, "send by a non-member", err, 6000521)
	_, err = carol.SendText(ctx(t), "x", "nope", 2)
	gWant(t, "send to a group that does not exist", err, 6000523)
	_, err = carol.QueryHistoryMessage(ctx(t), "g", 2, &m.MessageQueryConfig{Count: 10})
	gWant(t, "history by a non-member", err, 6000521)
	cmd, err := bob.SendMessage(ctx(t), &m.Message{Type: 2, Message: "AQID"}, "g", 2, nil)
	gOK(t, "command", err)
	if cmd.MessageSeq != 0 {
		t.Fatalf("command message stored: %v", cmd)
	}
	alice.rec.wait(t, "groupMessageReceived", func(p proto.Message) bool {
		return p.(*m.ConversationMessageReceivedEvent).MessageList[0].Type == 2
	})
	_, err = bob.SendMessage(ctx(t), &m.Message{Type: 20, Message: "barrage"}, "g", 2, nil)
	gWant(t, "barrage in a group", err, 6000013)
	custom, err := bob.SendMessage(ctx(t), &m.Message{Type: 200, Message: "c", SubType: 7, LocalMessageID: "l1"}, "g", 2, nil)
	gOK(t, "custom", err)
	again, err := bob.SendMessage(ctx(t), &m.Message{Type: 200, Message: "c", SubType: 7, LocalMessageID: "l1"}, "g", 2, nil)
	gOK(t, "resend", err)
	if again.MessageID != custom.MessageID || custom.MessageSeq != 2 {
		t.Fatalf("resend stored twice: %v %v", custom, again)
	}

	// A late joiner sees only what came after joining.
	_, err = carol.JoinGroup(ctx(t), "g")
	gOK(t, "carol joins", err)
	carol.rec.wait(t, "groupStateChanged", stateEvent("g", 3))
	_, err = alice.SendText(ctx(t), "three", "g", 2)
	gOK(t, "send", err)
	carol.rec.wait(t, "groupMessageReceived", isGroupText("three"))
	hist, err := carol.QueryHistoryMessage(ctx(t), "g", 2, &m.MessageQueryConfig{Count: 10})
	gOK(t, "carol's history", err)
	if texts(hist.MessageList) != "three" || hist.MessageList[0].Direction != 1 {
		t.Fatalf("late joiner's history: %s", texts(hist.MessageList))
	}
	q, err := carol.QueryMessages(ctx(t), []int64{1, 2, 3}, "g", 2)
	gOK(t, "queryMessages", err)
	if texts(q.MessageList) != "three" {
		t.Fatalf("late joiner's queryMessages: %s", texts(q.MessageList))
	}
	hist, _ = bob.QueryHistoryMessage(ctx(t), "g", 2, &m.MessageQueryConfig{Count: 10})
	if texts(hist.MessageList) != "one,c,three" {
		t.Fatalf("bob's history: %s", texts(hist.MessageList))
	}

	// Unread counts: bob read his own custom message, so only "three" is unread. (The
	// conversation follows the message push: at most 20 ms later for a busy group.)
	for _, s := range []*session{bob, carol} {
		s.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
			return p.(*m.ConversationChangedEvent).InfoList[0].Conversation.LastMessage.GetMessage() == "three"
		})
	}
	c, err := bob.QueryConversation(ctx(t), "g", 2)
	gOK(t, "bob's conversation", err)
	if c.UnreadMessageCount != 1 || c.LastMessage.GetMessage() != "three" || c.ConversationName != "name of g" || c.Type != 2 {
		t.Fatalf("bob's conversation: %v", c)
	}
	if n, _ := carol.QueryConversationTotalUnreadMessageCount(ctx(t)); n != 1 {
		t.Fatalf("carol's total unread %d", n)
	}
	gOK(t, "clear", bob.ClearConversationUnreadMessageCount(ctx(t), "g", 2))
	gOK(t, "dnd", carol.SetConversationNotificationStatus(ctx(t), 2, "g", 2))
	carol.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 0
	})
	gi, _ := carol.QueryGroupInfo(ctx(t), "g")
	if gi.NotificationStatus != 2 {
		t.Fatalf("group info notification status: %d", gi.NotificationStatus)
	}
	gl, _ := carol.QueryGroupList(ctx(t), 0, nil)
	if len(gl.GroupList) != 1 || gl.GroupList[0].NotificationStatus != 2 {
		t.Fatalf("group list notification status: %v", gl)
	}
	_, err = alice.SendText(ctx(t), "four", "g", 2)
	gOK(t, "send", err)
	carol.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "g" && c.UnreadMessageCount == 2
	})
	if n, _ := carol.QueryConversationTotalUnreadMessageCount(ctx(t)); n != 0 {
		t.Fatalf("do-not-disturb group counted in the total: %d", n)
	}

	// A kicked member keeps the history up to the kick and sees nothing after.
	_, err = alice.KickGroupMembers(ctx(t), []string{"bob"}, "g")
	gOK(t, "kick", err)
	bob.rec.wait(t, "groupStateChanged", stateEvent("g", 6))
	_, err = alice.SendText(ctx(t), "after the kick", "g", 2)
	gOK(t, "send", err)
	carol.rec.wait(t, "groupMessageReceived", isGroupText("after the kick"))
	hist, err = bob.QueryHistoryMessage(ctx(t), "g", 2, &m.MessageQueryConfig{Count: 10})
	gOK(t, "kicked member's history", err)
	if texts(hist.MessageList) != "one,c,three,four" {
		t.Fatalf("kicked member's history: %s", texts(hist.MessageList))
	}
	if n := bob.rec.count("groupMessageReceived", isGroupText("after the kick")); n != 0 {
		t.Fatal("a kicked member got a message")
	}
	c, err = bob.QueryConversation(ctx(t), "g", 2)
	gOK(t, "kicked member's conversation", err)
	if c.UnreadMessageCount != 1 || c.LastMessage.GetMessage() != "four" {
		t.Fatalf("kicked member's conversation: %v", c)
	}
	// Still right after a restart.
	e.restart()
	bob = e.login("bob", false, 0)
	c, err = bob.QueryConversation(ctx(t), "g", 2)
	gOK(t, "kicked member's conversation after restart", err)
	if c.UnreadMessageCount != 1 {
		t.Fatalf("kicked member's unread after restart: %v", c)
	}
	carol = e.login("carol", false, 0)
	c, _ = carol.QueryConversation(ctx(t), "g", 2)
	if c.UnreadMessageCount != 3 || c.NotificationStatus != 2 {
		t.Fatalf("carol's conversation after restart: %v", c)
	}
}

// ---- a large group ----

// countingStore counts the writes that reach the store.
type countingStore struct {
	persistence.Store
	writes, ops atomic.Int64
}

func (s *countingStore) Write(c context.Context, b *persistence.Batch) error {
	s.writes.Add(1)
	s.ops.Add(int64(len(b.Ops)))
	return s.Store.Write(c, b)
}

// startCountingEnv is startEnv whose first node counts its store writes (a restart
// runs on the plain store).
func startCountingEnv(t *testing.T) (*env, *countingStore) {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), acfg: actors.Config{Logger: testLogger()},
		gcfg: gateway.Config{AppID: testAppID, Secret: testSecret, Logger: testLogger()}}
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: e.dir, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{Store: st}
	if e.node, err = gateway.StartNode(cs, e.acfg, e.gcfg, "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if e.node != nil {
			e.stop()
		}
	})
	return e, cs
}

// registerUsers makes users known to the server through the in-process API (a device
// registers and leaves again), without a socket per user.
func registerUsers(t testing.TB, rt *actors.Runtime, ids []string) {
	t.Helper()
	for i, id := range ids {
		conn := &m.ConnRef{Node: rt.Address(), ConnID: 1<<40 + uint64(i), Platform: 6}
		if _, err := rt.Request(ctx(t), actors.KindUser, id, &m.RegisterDevice{Conn: conn, UserName: "name-" + id}); err != nil {
			t.Fatalf("register %s: %v", id, err)
		}
		rt.Send(actors.KindUser, id, &m.UnregisterDevice{Conn: conn})
	}
}

// callAs runs a client method as user through the in-process API.
func callAs(t testing.TB, rt *actors.Runtime, kind, identity, user, method string, params, result proto.Message) error {
	t.Helper()
	raw, err := proto.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	data, err := rt.Call(ctx(t), kind, identity, &m.Call{Method: method, UserID: user, Params: raw})
	if err != nil {
		return err
	}
	return proto.Unmarshal(data, result)
}

// unreadOf is user's unread count of group g, asked in process.
func unreadOf(t testing.TB, rt *actors.Runtime, user, g string) int64 {
	t.Helper()
	res := &m.ConversationQueriedResult{}
	if err := callAs(t, rt, actors.KindUser, user, user, "queryConversation", &m.ConversationRef{ConversationID: g, ConversationType: 2}, res); err != nil {
		t.Fatalf("queryConversation of %s: %v", user, err)
	}
	return res.Conversation.UnreadMessageCount
}

// A message to a group of 2,000 members with 10 online reaches those 10, costs one
// write, and every member's unread count is right afterwards and after a restart.
func TestGroupOfTwoThousandWithTenOnline(t *testing.T) {
	e, store := startCountingEnv(t)
	rt := e.node.Runtime
	owner := e.login("owner", false, 0)
	online := make([]*session, 10)
	for i := range online {
		online[i] = e.login("on"+itoa(i), i%2 == 0, 0)
	}
	var offline []string
	for i := 0; i < 1989; i++ { // owner + 10 online + 1989 offline = 2000
		offline = append(offline, "off"+itoa(i))
	}
	registerUsers(t, rt, append(offline, "late1", "late2"))

	makeGroup(t, owner, "big", online...)
	for start := 0; start < len(offline); start += 100 {
		end := min(start+100, len(offline))
		res, err := owner.InviteUsersIntoGroup(ctx(t), offline[start:end], "big")
		gOK(t, "invite a chunk", err)
		if len(res.UserList) != end-start {
			t.Fatalf("chunk at %d: %d invited, errors %v", start, len(res.UserList), res.ErrorUserList)
		}
	}
	if n, err := owner.QueryGroupMemberCount(ctx(t), "big"); err != nil || n != 2000 {
		t.Fatalf("member count %d %v", n, err)
	}
	_, err := owner.InviteUsersIntoGroup(ctx(t), []string{"late1"}, "big")
	gWant(t, "invite into a full group", err, 6000525)
	err = callAs(t, rt, actors.KindGroup, "big", "late2", "joinGroup", &m.GroupIDParams{GroupID: "big"}, &m.GroupJoinedResult{})
	gWant(t, "join a full group", err, 6000525)

	// 20 messages: 10 from the owner, 5 from an online member, 5 from an offline one
	// (in process).
	writes, ops := store.writes.Load(), store.ops.Load()
	for i := 0; i < 10; i++ {
		_, err := owner.SendText(ctx(t), "o"+itoa(i), "big", 2)
		gOK(t, "owner sends", err)
	}
	for i := 0; i < 5; i++ {
		_, err := online[1].SendText(ctx(t), "m"+itoa(i), "big", 2)
		gOK(t, "online member sends", err)
	}
	for i := 0; i < 5; i++ {
		msg := &m.SendMessageParams{Message: &m.Message{Type: 1, Message: "f" + itoa(i)}, ToConversationID: "big", ConversationType: 2}
		gOK(t, "offline member sends", callAs(t, rt, actors.KindGroup, "big", "off7", "sendMessage", msg, &m.MessageSentResult{}))
	}
	if w, o := store.writes.Load()-writes, store.ops.Load()-ops; w != 20 || o > 20*3 {
		t.Fatalf("20 messages to 2,000 members cost %d writes (%d records); want 20 writes", w, o)
	}
	want := func(s *session) int {
		switch s.user {
		case "owner":
			return 10
		case "on1":
			return 15
		}
		return 20
	}
	for _, s := range append([]*session{owner}, online...) {
		eventually(t, s.user+" receives every message", func() bool {
			return s.rec.count("groupMessageReceived", nil) == want(s)
		})
	}
	expected := func(user string) int64 {
		switch user {
		case "owner":
			return 10 // read up to its own last message
		case "on1":
			return 5
		case "off7":
			return 0
		}
		return 20
	}
	all := []string{"owner"}
	for _, s := range online {
		all = append(all, s.user)
	}
	all = append(all, offline...)
	eventually(t, "online members' unread counts", func() bool {
		for _, u := range all[:11] {
			if unreadOf(t, rt, u, "big") != expected(u) {
				return false
			}
		}
		return true
	})
	check := func(when string) {
		t.Helper()
		for _, u := range all {
			if got := unreadOf(t, rt, u, "big"); got != expected(u) {
				t.Fatalf("%s: %s has %d unread, want %d", when, u, got, expected(u))
			}
		}
	}
	check("after sending")
	list, err := online[0].QueryConversationList(ctx(t), 10, nil, nil)
	gOK(t, "conversation list", err)
	if len(list) != 1 || list[0].UnreadMessageCount != 20 || list[0].LastMessage.GetMessage() != "f4" {
		t.Fatalf("conversation list: %v", list)
	}

	e.restart()
	rt = e.node.Runtime
	check("after a restart")
}

// The remaining refusals, each with its code, and the paged group list.
func TestGroupMoreRefusalsAndGroupListPaging(t *testing.T) {
	e := startEnv(t)
	owner := e.login("owner", false, 0)
	mem := e.login("mem", true, 0)
	out := e.login("out", false, 0)
	makeGroup(t, owner, "g1", mem)
	makeGroup(t, owner, "g2", mem)
	makeGroup(t, owner, "g3")

	gWant(t, "invite mode by a member", mem.UpdateGroupInviteMode(ctx(t), 1, "g1"), 6000541)
	gWant(t, "be-invite mode by a member", mem.UpdateGroupBeInviteMode(ctx(t), 1, "g1"), 6000541)
	gWant(t, "be-invite mode 2", owner.UpdateGroupBeInviteMode(ctx(t), 2, "g1"), 6000001)
	gWant(t, "invite mode by a non-member", out.UpdateGroupInviteMode(ctx(t), 1, "g1"), 6000521)
	gWant(t, "reject by a member", mem.RejectGroupJoinApplication(ctx(t), "out", "g1"), 6000541)
	gWant(t, "reject without an application", owner.RejectGroupJoinApplication(ctx(t), "out", "g1"), 6000501)
	gWant(t, "reject an invitation nobody sent", out.RejectGroupInviteApplication(ctx(t), "owner", "g1"), 6000501)
	gWant(t, "transfer to oneself", owner.TransferGroupOwner(ctx(t), "owner", "g1"), 6000001)
	_, err := out.SendGroupInviteApplications(ctx(t), []string{"owner"}, "g1", "")
	gWant(t, "invitations by a non-member", err, 6000521)
	_, err = owner.MuteGroupMembers(ctx(t), true, []string{"mem"}, "g1", &m.GroupMemberMuteConfig{Duration: 0})
	gWant(t, "member mute of 0 seconds", err, 6000001)
	many := make([]string, 21)
	for i := range many {
		many[i] = "u" + itoa(i)
	}
	_, err = owner.MuteGroupMembers(ctx(t), true, many, "g1", &m.GroupMemberMuteConfig{Duration: 5})
	gWant(t, "21 members muted at once", err, 6000001)
	_, err = out.QueryGroupMemberMutedList(ctx(t), "g1", &m.GroupPageConfig{Count: 10})
	gWant(t, "muted list by a non-member", err, 6000521)
	_, err = out.QueryGroupAttributes(ctx(t), []string{"a"}, "g1")
	gWant(t, "attributes by a non-member", err, 6000521)
	_, err = out.DeleteGroupAttributes(ctx(t), []string{"a"}, "g1")
	gWant(t, "delete attributes by a non-member", err, 6000521)
	gWant(t, "alias by a non-member", out.UpdateGroupAlias(ctx(t), "x", "g1"), 6000521)
	gWant(t, "nickname of a non-member", owner.SetGroupMemberNickname(ctx(t), "x", "out", "g1"), 6000521)
	_, err = owner.QueryGroupMemberInfo(ctx(t), "out", "g1")
	gWant(t, "info of a non-member", err, 6000521)
	_, err = out.KickGroupMembers(ctx(t), []string{"mem"}, "g1")
	gWant(t, "kick by a non-member", err, 6000521)
	_, err = owner.KickGroupMembers(ctx(t), nil, "g1")
	gWant(t, "kick nobody", err, 6000001)
	_, err = out.JoinGroup(ctx(t), "bad id")
	gWant(t, "join with an invalid group ID", err, 6000001)

	// Paging the group list; filtering it by members.
	var ids []string
	var next int64
	for {
		page, err := owner.QueryGroupList(ctx(t), 2, &m.GroupListQueryConfig{NextFlag: next})
		gOK(t, "group list page", err)
		for _, gr := range page.GroupList {
			ids = append(ids, gr.BaseInfo.GroupID)
		}
		if next = page.NextFlag; next == 0 {
			break
		}
	}
	if strings.Join(ids, ",") != "g1,g2,g3" {
		t.Fatalf("group list pages: %v", ids)
	}
	shared, err := owner.QueryGroupList(ctx(t), 10, &m.GroupListQueryConfig{UserIDs: []string{"mem"}})
	gOK(t, "group list shared with mem", err)
	if len(shared.GroupList) != 2 || shared.GroupList[0].BaseInfo.GroupName != "name of g1" {
		t.Fatalf("groups shared with mem: %v", shared)
	}
}
