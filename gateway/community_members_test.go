package gateway_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// ---- helpers ----

// communityListed matches communityListChanged with action for community id.
func communityListed(id string, action int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.CommunityListChangedEvent).ChangeInfoList {
			if c.Action == action && c.Community.GetBaseInfo().GetCommunityID() == id {
				return true
			}
		}
		return false
	}
}

// inCommunity waits until each session's devices know they are in community id (its
// user actor then is an online member of the community).
func inCommunity(t testing.TB, id string, sessions ...*session) {
	t.Helper()
	for _, s := range sessions {
		s.rec.wait(t, "communityListChanged", communityListed(id, actors.ListAdded))
	}
}

// memberState matches communityMemberStateChanged of community id with state and event.
func memberState(id string, state, ev int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.CommunityMemberStateChangedEvent)
		return e.CommunityID == id && e.State == state && e.Event == ev
	}
}

// memberUpdated matches communityMemberInfoUpdated of community id listing user with
// which holding.
func memberUpdated(id, user string, which func(*m.CommunityMemberInfo) bool) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.CommunityMemberInfoUpdatedEvent)
		if e.CommunityID != id {
			return false
		}
		for _, u := range e.UserList {
			if u.UserID == user && which(u) {
				return true
			}
		}
		return false
	}
}

func reasonsOf(list []*m.ErrorUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, e := range list {
		out[e.UserID] = e.Reason
	}
	return out
}

func wantReasons(t testing.TB, what string, list []*m.ErrorUserInfo, want map[string]int32) {
	t.Helper()
	got := reasonsOf(list)
	if len(got) != len(want) || len(list) != len(want) {
		t.Fatalf("%s: errorUserList %v, want %v", what, list, want)
	}
	for id, code := range want {
		if got[id] != code {
			t.Fatalf("%s: errorUserList %v, want %v", what, list, want)
		}
	}
}

func memberIDs(list []*m.CommunityMemberInfo) string {
	var ids []string
	for _, u := range list {
		ids = append(ids, u.UserID)
	}
	return strings.Join(ids, ",")
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "user" + itoa(i)
	}
	return ids
}

// hasChannelConv reports whether s's conversation list holds a channel of community id.
func hasChannelConv(t testing.TB, s *session, id string) bool {
	t.Helper()
	list, err := s.QueryConversationList(ctx(t), 100, nil, &m.ConversationFilterOption{ConversationTypes: []int32{actors.ConvChannel}})
	gOK(t, "queryConversationList", err)
	for _, c := range list {
		if cid, _, _ := actors.SplitChannelConversationID(c.ConversationID); cid == id {
			return true
		}
	}
	return false
}

func memberRoleIn(t testing.TB, s *session, user, community string) int32 {
	t.Helper()
	info, err := s.QueryCommunityMemberInfo(ctx(t), user, community)
	gOK(t, "queryCommunityMemberInfo "+user, err)
	return info.MemberRole
}

// ---- invite ----

func TestCommunityInviteUsers(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	carol, dave := e.login("carol", true, 1), e.login("dave", false, 1)
	general := makeCommunity(t, alice, "club", bob)
	inCommunity(t, "club", alice, bob)

	res, err := alice.InviteUsersIntoCommunity(ctx(t), []string{"carol", "ghost", "bob", "bad id", "carol"}, "club")
	gOK(t, "invite", err)
	if res.CommunityID != "club" || len(res.UserList) != 1 {
		t.Fatalf("invite result %v", res)
	}
	if u := res.UserList[0]; u.UserID != "carol" || u.UserName != "name-carol" || u.MemberRole != actors.RoleMember ||
		u.EnterType != actors.CommunityEnterInvited || u.OperatedUserID != "alice" || u.JoinTime == 0 || u.MuteExpiredTime != 0 {
		t.Fatalf("invited member %v", u)
	}
	wantReasons(t, "invite", res.ErrorUserList, map[string]int32{"ghost": 6000011, "bob": 6001012, "bad id": 6000124})

	// The online members learn it; the invitee's devices get the community and its
	// channel conversations.
	for _, s := range []*session{alice, bob} {
		ev := s.rec.wait(t, "communityMemberStateChanged", memberState("club", 1, 5)).(*m.CommunityMemberStateChangedEvent)
		if memberIDs(ev.UserList) != "carol" || ev.OperatedInfo.GetUserID() != "alice" || ev.OperatedInfo.MemberRole != actors.RoleOwner ||
			ev.UserList[0].EnterType != actors.CommunityEnterInvited {
			t.Fatalf("%s: member state event %v", s.user, ev)
		}
	}
	inCommunity(t, "club", carol)
	if !hasChannelConv(t, carol, "club") {
		t.Fatal("the invitee has no channel conversation")
	}
	if info, err := carol.QueryCommunityInfo(ctx(t), "club"); err != nil || info.CurrentMemberCount != 3 {
		t.Fatalf("community info after invite: %v %v", info, err)
	}
	_, err = carol.SendText(ctx(t), "hi from carol", general.ConversationID, actors.ConvChannel)
	gOK(t, "invitee sends in general", err)
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "hi from carol"))

	// Refusals of the whole call.
	_, err = bob.InviteUsersIntoCommunity(ctx(t), []string{"dave"}, "club")
	gWant(t, "ordinary member invites", err, 6001007)
	_, err = dave.InviteUsersIntoCommunity(ctx(t), []string{"dave"}, "club")
	gWant(t, "non-member invites", err, 6001005)
	_, err = alice.InviteUsersIntoCommunity(ctx(t), []string{"dave"}, "nowhere")
	gWant(t, "invite into a missing community", err, 6001004)
	_, err = alice.InviteUsersIntoCommunity(ctx(t), manyIDs(101), "club")
	gWant(t, "101 invitees", err, 6000001)
	_, err = alice.InviteUsersIntoCommunity(ctx(t), nil, "club")
	gWant(t, "no invitees", err, 6000001)
	if n := dave.rec.count("communityListChanged", nil); n != 0 {
		t.Fatalf("dave got %d community list events from refused invitations", n)
	}

	// 100 IDs is allowed; an admin may invite.
	gOK(t, "make bob admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "club"))
	res, err = bob.InviteUsersIntoCommunity(ctx(t), append(manyIDs(99), "dave"), "club")
	gOK(t, "admin invites 100", err)
	if memberIDs(res.UserList) != "dave" || len(res.ErrorUserList) != 99 || res.ErrorUserList[0].Reason != 6000011 {
		t.Fatalf("admin invite result: users %q, %d errors", memberIDs(res.UserList), len(res.ErrorUserList))
	}
	inCommunity(t, "club", dave)
}

func TestCommunityInviteLimits(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) {
		c.Limits.Community.PerUser = 2
		c.Limits.Community.Members = 3
	}))
	alice, _ := e.login("alice", false, 1), e.login("bob", true, 1)
	carol, dave := e.login("carol", false, 1), e.login("dave", true, 1)

	// carol is in two communities already: the limit.
	makeCommunity(t, carol, "c1")
	makeCommunity(t, carol, "c2")
	makeCommunity(t, alice, "club")
	res, err := alice.InviteUsersIntoCommunity(ctx(t), []string{"carol", "bob"}, "club")
	gOK(t, "invite", err)
	if memberIDs(res.UserList) != "bob" {
		t.Fatalf("invited %q", memberIDs(res.UserList))
	}
	wantReasons(t, "per-user limit", res.ErrorUserList, map[string]int32{"carol": 6001001})
	_, err = carol.JoinCommunity(ctx(t), "club")
	gWant(t, "join beyond the per-user limit", err, 6001001)

	// club has 2 members of 3: one more fits, the rest is refused.
	_ = e.login("erin", true, 1)
	res, err = alice.InviteUsersIntoCommunity(ctx(t), []string{"dave", "erin"}, "club")
	gOK(t, "invite into a nearly full community", err)
	if memberIDs(res.UserList) != "dave" {
		t.Fatalf("invited %q", memberIDs(res.UserList))
	}
	wantReasons(t, "community full", res.ErrorUserList, map[string]int32{"erin": 6001002})
	inCommunity(t, "club", dave)
	if info, err := dave.QueryCommunityInfo(ctx(t), "club"); err != nil || info.CurrentMemberCount != 3 {
		t.Fatalf("community info: %v %v", info, err)
	}
}

// ---- kick ----

func TestCommunityKickMembers(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	dave, erin := e.login("dave", true, 1), e.login("erin", false, 1)
	general := makeCommunity(t, alice, "club", bob, carol, dave, erin)
	inCommunity(t, "club", alice, bob, carol, dave, erin)
	gOK(t, "bob admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "club"))
	gOK(t, "carol admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "carol", "club"))

	_, err := erin.KickCommunityMembers(ctx(t), []string{"dave"}, "club")
	gWant(t, "ordinary member kicks", err, 6001007)
	_, err = alice.KickCommunityMembers(ctx(t), manyIDs(101), "club")
	gWant(t, "101 IDs", err, 6000001)

	// An admin kicks ordinary members only.
	res, err := bob.KickCommunityMembers(ctx(t), []string{"carol", "alice", "dave", "nobody", "bob"}, "club")
	gOK(t, "admin kicks", err)
	if strings.Join(res.KickedUserIDList, ",") != "dave" || res.CommunityID != "club" {
		t.Fatalf("kicked %v", res.KickedUserIDList)
	}
	// Kicking oneself is 6000001 (a bad parameter), as in groups.
	wantReasons(t, "admin kicks", res.ErrorUserList, map[string]int32{"carol": 6001007, "alice": 6001007, "nobody": 6001005, "bob": 6000001})

	// The kicked member loses the community and its channels; the others learn it.
	dave.rec.wait(t, "communityListChanged", communityListed("club", actors.ListDeleted))
	if hasChannelConv(t, dave, "club") {
		t.Fatal("the kicked member still has the channel conversation")
	}
	_, err = dave.SendText(ctx(t), "still here?", general.ConversationID, actors.ConvChannel)
	gWant(t, "kicked member sends", err, 6001005)
	_, err = dave.QueryCommunityMemberList(ctx(t), "club", 10, 0)
	gWant(t, "kicked member lists members", err, 6001005)
	for _, s := range []*session{alice, erin} {
		ev := s.rec.wait(t, "communityMemberStateChanged", memberState("club", 0, 4)).(*m.CommunityMemberStateChangedEvent)
		if memberIDs(ev.UserList) != "dave" || ev.OperatedInfo.GetUserID() != "bob" || ev.OperatedInfo.MemberRole != actors.RoleAdmin {
			t.Fatalf("%s: kick event %v", s.user, ev)
		}
	}

	// The owner kicks an admin; nobody kicks the owner.
	res, err = alice.KickCommunityMembers(ctx(t), []string{"carol", "alice"}, "club")
	gOK(t, "owner kicks", err)
	if strings.Join(res.KickedUserIDList, ",") != "carol" {
		t.Fatalf("kicked %v", res.KickedUserIDList)
	}
	wantReasons(t, "owner kicks", res.ErrorUserList, map[string]int32{"alice": 6000001})
	carol.rec.wait(t, "communityListChanged", communityListed("club", actors.ListDeleted))
	list, err := alice.QueryCommunityMemberList(ctx(t), "club", 10, 0)
	gOK(t, "member list", err)
	if memberIDs(list.UserList) != "alice,bob,erin" {
		t.Fatalf("members after kicks: %q", memberIDs(list.UserList))
	}

	// A kicked member can be invited back.
	res2, err := alice.InviteUsersIntoCommunity(ctx(t), []string{"dave"}, "club")
	gOK(t, "invite back", err)
	if memberIDs(res2.UserList) != "dave" {
		t.Fatalf("invited back %q", memberIDs(res2.UserList))
	}
	eventually(t, "dave back in club", func() bool { return communityByID(t, dave, "club") != nil })
	_, err = dave.SendText(ctx(t), "back", general.ConversationID, actors.ConvChannel)
	gOK(t, "send after coming back", err)
}

// ---- roles and ownership ----

func TestCommunityMemberRoles(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	makeCommunity(t, alice, "club", bob, carol)
	inCommunity(t, "club", alice, bob, carol)

	gOK(t, "set admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "club"))
	for _, s := range []*session{alice, bob, carol} {
		ev := s.rec.wait(t, "communityMemberInfoUpdated", memberUpdated("club", "bob", func(u *m.CommunityMemberInfo) bool {
			return u.MemberRole == actors.RoleAdmin
		})).(*m.CommunityMemberInfoUpdatedEvent)
		if ev.OperatedInfo.GetUserID() != "alice" || len(ev.UserList) != 1 {
			t.Fatalf("%s: member info event %v", s.user, ev)
		}
	}
	if r := memberRoleIn(t, carol, "bob", "club"); r != actors.RoleAdmin {
		t.Fatalf("bob's role %d", r)
	}
	// The new role counts at once: the admin may kick and mute ordinary members.
	res, err := bob.MuteCommunityMembers(ctx(t), true, []string{"carol"}, "club", 60)
	gOK(t, "admin mutes", err)
	if strings.Join(res.MutedUserIDList, ",") != "carol" {
		t.Fatalf("muted %v", res.MutedUserIDList)
	}

	// A custom role has member rights.
	gOK(t, "custom role", alice.SetCommunityMemberRole(ctx(t), 100, "carol", "club"))
	if r := memberRoleIn(t, bob, "carol", "club"); r != 100 {
		t.Fatalf("carol's role %d", r)
	}
	_, err = carol.KickCommunityMembers(ctx(t), []string{"bob"}, "club")
	gWant(t, "custom role kicks", err, 6001007)

	for _, role := range []int32{1, 0, 4, 99, -1} {
		gWant(t, "role "+itoa(int(role)), alice.SetCommunityMemberRole(ctx(t), role, "carol", "club"), 6000001)
	}
	gWant(t, "admin sets a role", bob.SetCommunityMemberRole(ctx(t), actors.RoleMember, "carol", "club"), 6001007)
	gWant(t, "owner sets its own role", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "alice", "club"), 6001007)
	gWant(t, "role of a non-member", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "nobody", "club"), 6001005)
	gWant(t, "role in a missing community", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "nowhere"), 6001004)

	// Back to member: the admin rights go.
	gOK(t, "set member", alice.SetCommunityMemberRole(ctx(t), actors.RoleMember, "bob", "club"))
	_, err = bob.MuteCommunityMembers(ctx(t), false, []string{"carol"}, "club", 0)
	gWant(t, "former admin mutes", err, 6001007)
}

func TestCommunityTransferOwner(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	makeCommunity(t, alice, "club", bob, carol)
	inCommunity(t, "club", alice, bob, carol)

	gWant(t, "owner cannot leave", alice.LeaveCommunity(ctx(t), "club"), 6001007)
	gWant(t, "member transfers", bob.TransferCommunityOwner(ctx(t), "carol", "club"), 6001007)
	gWant(t, "transfer to self", alice.TransferCommunityOwner(ctx(t), "alice", "club"), 6000001)
	gWant(t, "transfer to a non-member", alice.TransferCommunityOwner(ctx(t), "nobody", "club"), 6001005)

	gOK(t, "transfer", alice.TransferCommunityOwner(ctx(t), "bob", "club"))
	carol.rec.wait(t, "communityMemberInfoUpdated", memberUpdated("club", "bob", func(u *m.CommunityMemberInfo) bool {
		return u.MemberRole == actors.RoleOwner
	}))
	carol.rec.wait(t, "communityMemberInfoUpdated", memberUpdated("club", "alice", func(u *m.CommunityMemberInfo) bool {
		return u.MemberRole == actors.RoleMember
	}))
	ev := carol.rec.wait(t, "communityInfoUpdated", func(p proto.Message) bool {
		l := p.(*m.CommunityInfoUpdatedEvent).UpdateInfoList
		return len(l) == 1 && l[0].CommunityInfo.OwnerUserID == "bob"
	}).(*m.CommunityInfoUpdatedEvent)
	if ev.OperatedInfo.GetUserID() != "alice" || ev.UpdateInfoList[0].CommunityInfo.CreatorUserID != "alice" {
		t.Fatalf("info event %v", ev)
	}
	if info, err := alice.QueryCommunityInfo(ctx(t), "club"); err != nil || info.OwnerUserID != "bob" {
		t.Fatalf("community info after transfer: %v %v", info, err)
	}
	if r := memberRoleIn(t, carol, "alice", "club"); r != actors.RoleMember {
		t.Fatalf("old owner's role %d", r)
	}

	// The new owner has the owner's rights, the old one not any more.
	gWant(t, "old owner sets a role", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "carol", "club"), 6001007)
	gOK(t, "new owner sets a role", bob.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "carol", "club"))
	gWant(t, "new owner cannot leave", bob.LeaveCommunity(ctx(t), "club"), 6001007)
	gOK(t, "old owner leaves", alice.LeaveCommunity(ctx(t), "club"))
	alice.rec.wait(t, "communityListChanged", communityListed("club", actors.ListDeleted))
	carol.rec.wait(t, "communityMemberStateChanged", memberState("club", 0, 2))

	// Ownership holds across a restart (the record and both member records).
	e.restart()
	bob = e.login("bob", true, 1)
	if info, err := bob.QueryCommunityInfo(ctx(t), "club"); err != nil || info.OwnerUserID != "bob" || info.CurrentMemberCount != 2 {
		t.Fatalf("community info after restart: %v %v", info, err)
	}
	if r := memberRoleIn(t, bob, "bob", "club"); r != actors.RoleOwner {
		t.Fatalf("new owner's role after restart %d", r)
	}
}

// ---- queries ----

func TestCommunityMemberListPaging(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 1)
	var ids []string
	for i := 1; i <= 6; i++ {
		s := e.login("u"+itoa(i), i%2 == 0, 1)
		ids = append(ids, s.user)
	}
	outsider := e.login("outsider", true, 1)
	makeCommunity(t, alice, "club")
	res, err := alice.InviteUsersIntoCommunity(ctx(t), ids, "club")
	gOK(t, "invite", err)
	if len(res.UserList) != 6 {
		t.Fatalf("invited %q", memberIDs(res.UserList))
	}

	var pages []string
	var next int64
	for i := 0; ; i++ {
		page, err := alice.QueryCommunityMemberList(ctx(t), "club", 3, next)
		gOK(t, "page", err)
		if page.CommunityID != "club" {
			t.Fatalf("page of %q", page.CommunityID)
		}
		pages = append(pages, memberIDs(page.UserList))
		for _, u := range page.UserList {
			if u.UserName != "name-"+u.UserID {
				t.Fatalf("member %s named %q", u.UserID, u.UserName)
			}
		}
		if page.NextFlag == 0 {
			break
		}
		if i == 2 {
			t.Fatalf("more than 3 pages: %v, next %d", pages, page.NextFlag)
		}
		next = page.NextFlag
	}
	if got := strings.Join(pages, " | "); got != "alice,u1,u2 | u3,u4,u5 | u6" {
		t.Fatalf("pages %q", got)
	}
	all, err := alice.QueryCommunityMemberList(ctx(t), "club", 100, 0)
	gOK(t, "one page", err)
	if memberIDs(all.UserList) != "alice,u1,u2,u3,u4,u5,u6" || all.NextFlag != 0 {
		t.Fatalf("whole list %q next %d", memberIDs(all.UserList), all.NextFlag)
	}
	if r := all.UserList[0]; r.MemberRole != actors.RoleOwner || r.EnterType != actors.CommunityEnterCreated {
		t.Fatalf("owner entry %v", r)
	}

	// A member leaving between pages does not break the paging.
	first, err := alice.QueryCommunityMemberList(ctx(t), "club", 3, 0)
	gOK(t, "first page", err)
	_, err = alice.KickCommunityMembers(ctx(t), []string{"u3"}, "club")
	gOK(t, "kick u3", err)
	second, err := alice.QueryCommunityMemberList(ctx(t), "club", 3, first.NextFlag)
	gOK(t, "second page", err)
	if memberIDs(second.UserList) != "u4,u5,u6" || second.NextFlag != 0 {
		t.Fatalf("second page after a kick %q next %d", memberIDs(second.UserList), second.NextFlag)
	}

	for _, count := range []int32{0, -1, 101} {
		_, err = alice.QueryCommunityMemberList(ctx(t), "club", count, 0)
		gWant(t, "count "+itoa(int(count)), err, 6000001)
	}
	_, err = alice.QueryCommunityMemberList(ctx(t), "club", 3, -5)
	gWant(t, "negative nextFlag", err, 6000001)
	_, err = outsider.QueryCommunityMemberList(ctx(t), "club", 3, 0)
	gWant(t, "non-member", err, 6001005)
	_, err = alice.QueryCommunityMemberList(ctx(t), "nowhere", 3, 0)
	gWant(t, "missing community", err, 6001004)
}

func TestCommunityMemberInfo(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", true, 1)
	makeCommunity(t, alice, "club", bob)

	info, err := bob.QueryCommunityMemberInfo(ctx(t), "alice", "club")
	gOK(t, "owner info", err)
	if info.UserID != "alice" || info.UserName != "name-alice" || info.MemberRole != actors.RoleOwner ||
		info.EnterType != actors.CommunityEnterCreated || info.JoinTime == 0 {
		t.Fatalf("owner info %v", info)
	}
	info, err = alice.QueryCommunityMemberInfo(ctx(t), "bob", "club")
	gOK(t, "member info", err)
	if info.UserID != "bob" || info.MemberRole != actors.RoleMember || info.EnterType != actors.CommunityEnterJoined ||
		info.OperatedUserID != "bob" || info.MuteExpiredTime != 0 {
		t.Fatalf("member info %v", info)
	}
	_, err = alice.QueryCommunityMemberInfo(ctx(t), "carol", "club")
	gWant(t, "info of a non-member", err, 6001005)
	_, err = carol.QueryCommunityMemberInfo(ctx(t), "alice", "club")
	gWant(t, "non-member asks", err, 6001005)
	_, err = alice.QueryCommunityMemberInfo(ctx(t), "alice", "nowhere")
	gWant(t, "missing community", err, 6001004)
}

// ---- mute ----

func TestCommunityMuteMembers(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol, dave := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1), e.login("dave", true, 1)
	general := makeCommunity(t, alice, "club", bob, carol, dave)
	inCommunity(t, "club", alice, bob, carol, dave)
	gOK(t, "bob admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "club"))

	_, err := dave.MuteCommunityMembers(ctx(t), true, []string{"carol"}, "club", 60)
	gWant(t, "ordinary member mutes", err, 6001007)
	for _, d := range []int64{0, -2, 2_592_001} {
		_, err = bob.MuteCommunityMembers(ctx(t), true, []string{"carol"}, "club", d)
		gWant(t, "duration "+itoa(int(d)), err, 6000001)
	}
	_, err = bob.MuteCommunityMembers(ctx(t), true, manyIDs(101), "club", 60)
	gWant(t, "101 IDs", err, 6000001)

	before := time.Now()
	res, err := bob.MuteCommunityMembers(ctx(t), true, []string{"carol", "alice", "nobody", "bob"}, "club", 3600)
	gOK(t, "admin mutes", err)
	if !res.IsMute || res.Duration != 3600 || strings.Join(res.MutedUserIDList, ",") != "carol" {
		t.Fatalf("mute result %v", res)
	}
	wantReasons(t, "admin mutes", res.ErrorUserList, map[string]int32{"alice": 6001007, "nobody": 6001005, "bob": 6001007})
	ev := dave.rec.wait(t, "communityMemberInfoUpdated", memberUpdated("club", "carol", func(u *m.CommunityMemberInfo) bool {
		return u.MuteExpiredTime > 0
	})).(*m.CommunityMemberInfoUpdatedEvent)
	if exp := time.UnixMilli(ev.UserList[0].MuteExpiredTime); exp.Before(before.Add(time.Hour-time.Minute)) || exp.After(time.Now().Add(time.Hour+time.Minute)) {
		t.Fatalf("mute expiry %v", exp)
	}
	if ev.OperatedInfo.GetUserID() != "bob" {
		t.Fatalf("operated by %v", ev.OperatedInfo)
	}

	// The channel refuses the muted member's messages, not the others'.
	_, err = carol.SendText(ctx(t), "muted?", general.ConversationID, actors.ConvChannel)
	gWant(t, "muted member sends", err, 6000231)
	_, err = dave.SendText(ctx(t), "dave speaks", general.ConversationID, actors.ConvChannel)
	gOK(t, "unmuted member sends", err)

	// Unmuting lets the messages through.
	res, err = alice.MuteCommunityMembers(ctx(t), false, []string{"carol"}, "club", 0)
	gOK(t, "unmute", err)
	if res.IsMute || strings.Join(res.MutedUserIDList, ",") != "carol" {
		t.Fatalf("unmute result %v", res)
	}
	dave.rec.wait(t, "communityMemberInfoUpdated", memberUpdated("club", "carol", func(u *m.CommunityMemberInfo) bool {
		return u.MuteExpiredTime == 0
	}))
	_, err = carol.SendText(ctx(t), "free again", general.ConversationID, actors.ConvChannel)
	gOK(t, "send after unmute", err)
	dave.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "free again"))

	// The owner mutes an admin for good; the mute holds across a restart.
	_, err = alice.MuteCommunityMembers(ctx(t), true, []string{"bob"}, "club", -1)
	gOK(t, "owner mutes an admin", err)
	_, err = bob.SendText(ctx(t), "admin muted?", general.ConversationID, actors.ConvChannel)
	gWant(t, "muted admin sends", err, 6000231)

	e.restart()
	alice, bob = e.login("alice", false, 1), e.login("bob", true, 1)
	info, err := alice.QueryCommunityMemberInfo(ctx(t), "bob", "club")
	gOK(t, "member info after restart", err)
	if info.MuteExpiredTime != -1 || info.MemberRole != actors.RoleAdmin {
		t.Fatalf("bob after restart %v", info)
	}
	_, err = bob.SendText(ctx(t), "after restart", general.ConversationID, actors.ConvChannel)
	gWant(t, "muted admin sends after restart", err, 6000231)
	_, err = alice.MuteCommunityMembers(ctx(t), false, []string{"bob"}, "club", 0)
	gOK(t, "unmute after restart", err)
	_, err = bob.SendText(ctx(t), "after restart", general.ConversationID, actors.ConvChannel)
	gOK(t, "send after unmute after restart", err)
}
