package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the community's member management (community_members.go): invite,
// kick, roles, ownership, member queries and member mutes.

func manyUserIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%03d", i)
	}
	return ids
}

func TestUnitCommunityInvite(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol")
	w.users("dave", "erin", "frank")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	invite := func(user string, ids ...string) (*messages.CommunityUsersInvitedResult, error) {
		var res messages.CommunityUsersInvitedResult
		err := g.call(user, "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: ids}, &res)
		return &res, err
	}
	_, err := invite("carol", "dave")
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = invite("dave", "erin")
	wantCode(t, err, ErrNotCommunityMember)
	_, err = invite("alice")
	wantCode(t, err, ErrParamInvalid)
	_, err = invite("alice", manyUserIDs(101)...)
	wantCode(t, err, ErrParamInvalid)
	err = w.grain(KindCommunity, "nowhere").call("alice", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"dave"}}, nil)
	wantCode(t, err, ErrCommunityNotExist)

	g.online("carol", 30)
	w.rec.takePushes()
	w.rec.takeSends()
	// An admin invites; refusals are per user.
	res, err := invite("bob", "dave", "carol", "ghost", "bad id", "dave", "erin")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.UserList {
		got = append(got, u.UserID)
		if u.EnterType != CommunityEnterInvited || u.OperatedUserID != "bob" || u.MemberRole != RoleMember || u.UserName != u.UserID {
			t.Fatalf("invited %v", u)
		}
	}
	if strings.Join(got, ",") != "dave,erin" {
		t.Fatalf("invited %v", got)
	}
	want := fmt.Sprintf("bad id:%d,carol:%d,ghost:%d", ErrUserIDInvalid.Code, ErrAlreadyCommunityMember.Code, ErrUserNotExist.Code)
	if errorReasons(res.ErrorUserList) != want {
		t.Fatalf("refusals %s, want %s", errorReasons(res.ErrorUserList), want)
	}
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityMemberStateChanged", func() *messages.CommunityMemberStateChangedEvent { return &messages.CommunityMemberStateChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{30}) || evs[0].Event != GroupMemberEventInvited || len(evs[0].UserList) != 2 || evs[0].OperatedInfo.GetUserID() != "bob" {
		t.Fatalf("invite events %v to %v", evs, conns)
	}
	ss := w.rec.takeSends()
	if len(sendsTo(ss, KindUser, "dave")) != 1 || len(sendsTo(ss, KindUser, "erin")) != 1 {
		t.Fatalf("invitees not told: %v", ss)
	}
	if !w.stored(keyConvIndex("erin", ConvChannel, ChannelConversationID("club", gen))) {
		t.Fatal("an invitee has no GENERAL conversation")
	}
	if n := w.grain(KindCommunity, "club").info("frank").CurrentMemberCount; n != 5 {
		t.Fatalf("members after reload %d", n)
	}
}

func TestUnitCommunityFull(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Community.Members = 3 })
	g, _ := w.community("club", "alice", "bob")
	w.users("carol", "dave", "erin")
	var res messages.CommunityUsersInvitedResult
	g.mustCall("alice", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"carol", "dave"}}, &res)
	if len(res.UserList) != 1 || res.UserList[0].UserID != "carol" || errorReasons(res.ErrorUserList) != fmt.Sprintf("dave:%d", ErrCommunityFull.Code) {
		t.Fatalf("invite into a nearly full community %v", &res)
	}
	wantCode(t, g.call("erin", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityFull)
	// The limit holds across activations, and a place freed is a place taken again.
	g2 := w.grain(KindCommunity, "club")
	wantCode(t, g2.call("erin", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityFull)
	g2.mustCall("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil)
	g2.mustCall("erin", "joinCommunity", &messages.CommunityIDParams{}, nil)
	wantCode(t, g2.call("dave", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityFull)
}

func TestUnitCommunityKick(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol", "dave", "erin")
	for _, admin := range []string{"bob", "carol"} {
		g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: admin, Role: RoleAdmin}, nil)
	}
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "erin", Role: 100}, nil)
	kick := func(user string, ids ...string) (*messages.CommunityMembersKickedResult, error) {
		var res messages.CommunityMembersKickedResult
		err := g.call(user, "kickCommunityMembers", &messages.CommunityUsersParams{UserIDs: ids}, &res)
		return &res, err
	}
	// Ordinary members and custom roles may not kick at all, not even themselves.
	for _, user := range []string{"dave", "erin"} {
		_, err := kick(user, "dave")
		wantCode(t, err, ErrCommunityNoPermission)
	}
	_, err := kick("nobody", "dave")
	wantCode(t, err, ErrNotCommunityMember)
	_, err = kick("alice", manyUserIDs(101)...)
	wantCode(t, err, ErrParamInvalid)
	_, err = kick("alice")
	wantCode(t, err, ErrParamInvalid)

	g.online("dave", 40)
	g.online("alice", 10)
	w.rec.takeSends()
	w.rec.takePushes()
	// An admin kicks ordinary members only; kicking oneself is 6000001 (a bad
	// parameter), as in groups (roster.kick).
	res, err := kick("bob", "carol", "alice", "dave", "nobody", "bob", "dave")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("alice:%d,bob:%d,carol:%d,nobody:%d", ErrCommunityNoPermission.Code, ErrParamInvalid.Code, ErrCommunityNoPermission.Code, ErrNotCommunityMember.Code)
	if strings.Join(res.KickedUserIDList, ",") != "dave" || errorReasons(res.ErrorUserList) != want {
		t.Fatalf("admin kicks: kicked %v, refused %s (want %s)", res.KickedUserIDList, errorReasons(res.ErrorUserList), want)
	}
	// dave's channels hear that it is gone, its user actor is told, alice gets the event.
	ss := w.rec.takeSends()
	var goneFromGeneral, readersTold bool
	for _, m := range sendsTo(ss, KindChannel, ChannelConversationID("club", gen)) {
		if r, ok := m.(*messages.ChannelReaders); ok { // the channel's receipt readers (channel_receipts.go)
			readersTold = readersTold || (slices.Contains(r.Left, "dave") && r.Count == 4) // alice, bob, carol, erin
			continue
		}
		for _, cm := range m.(*messages.CommunityChannelSync).Members {
			goneFromGeneral = goneFromGeneral || (cm.UserID == "dave" && len(cm.Conns) == 0)
		}
	}
	if !goneFromGeneral || !readersTold || len(sendsTo(ss, KindUser, "dave")) != 1 {
		t.Fatalf("sends after the kick %v", ss)
	}
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityMemberStateChanged", func() *messages.CommunityMemberStateChangedEvent { return &messages.CommunityMemberStateChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{10}) || evs[0].Event != GroupMemberEventKickedOut || evs[0].State != GroupStateQuit ||
		evs[0].UserList[0].UserID != "dave" || evs[0].OperatedInfo.GetUserID() != "bob" || evs[0].OperatedInfo.GetMemberRole() != RoleAdmin {
		t.Fatalf("kick events %v to %v", evs, conns)
	}
	if w.stored(keyCommunityMember("club", "dave")) || w.stored(keyCommunityUser("dave", "club")) {
		t.Fatal("the kicked member's records remain")
	}
	wantCode(t, g.call("dave", "queryCommunityChannelList", &messages.CommunityChannelListQueryParams{Config: &messages.CommunityPageConfig{Count: 10}}, nil), ErrNotCommunityMember)

	// The owner kicks admins and custom roles, never itself.
	res, err = kick("alice", "carol", "erin", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.KickedUserIDList, ",") != "carol,erin" || errorReasons(res.ErrorUserList) != fmt.Sprintf("alice:%d", ErrParamInvalid.Code) {
		t.Fatalf("owner kicks: %v %s", res.KickedUserIDList, errorReasons(res.ErrorUserList))
	}
	g2 := w.grain(KindCommunity, "club")
	var list messages.CommunityMemberListQueriedResult
	g2.mustCall("alice", "queryCommunityMemberList", &messages.CommunityMemberListQueryParams{Config: &messages.CommunityPageConfig{Count: 10}}, &list)
	var ids []string
	for _, u := range list.UserList {
		ids = append(ids, u.UserID)
	}
	if strings.Join(ids, ",") != "alice,bob" {
		t.Fatalf("members after kicks and reload %v", ids)
	}
	// A kicked member may be invited back.
	var inv messages.CommunityUsersInvitedResult
	g2.mustCall("alice", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"dave"}}, &inv)
	if len(inv.UserList) != 1 {
		t.Fatalf("invite back %v", &inv)
	}
}

func TestUnitCommunityMemberRoles(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	setRole := func(user, target string, role int32) error {
		return g.call(user, "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: target, Role: role}, nil)
	}
	for _, role := range []int32{RoleOwner, 0, 4, 99, -1} {
		wantCode(t, setRole("alice", "carol", role), ErrParamInvalid)
	}
	wantCode(t, setRole("bob", "carol", RoleAdmin), ErrCommunityNoPermission)
	wantCode(t, setRole("nobody", "carol", RoleAdmin), ErrNotCommunityMember)
	wantCode(t, setRole("alice", "alice", RoleAdmin), ErrCommunityNoPermission)
	wantCode(t, setRole("alice", "nobody", RoleAdmin), ErrNotCommunityMember)
	wantCode(t, w.grain(KindCommunity, "nowhere").call("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil), ErrCommunityNotExist)

	g.online("carol", 30)
	w.rec.takePushes()
	var res messages.CommunityMemberRoleUpdatedResult
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, &res)
	if res.ForUserID != "bob" || res.Role != RoleAdmin {
		t.Fatalf("result %v", &res)
	}
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityMemberInfoUpdated", func() *messages.CommunityMemberInfoUpdatedEvent { return &messages.CommunityMemberInfoUpdatedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{30}) || evs[0].UserList[0].UserID != "bob" || evs[0].UserList[0].MemberRole != RoleAdmin || evs[0].OperatedInfo.GetUserID() != "alice" {
		t.Fatalf("role events %v to %v", evs, conns)
	}
	// The role counts at once (an admin manages), and holds across a reload.
	var muted messages.CommunityMembersMutedResult
	g.mustCall("bob", "muteCommunityMembers", &messages.CommunityMuteMembersParams{IsMute: true, UserIDs: []string{"carol"}, Config: &messages.CommunityMemberMuteConfig{Duration: 60}}, &muted)
	if strings.Join(muted.MutedUserIDList, ",") != "carol" {
		t.Fatalf("admin mutes %v", &muted)
	}
	g2 := w.grain(KindCommunity, "club")
	if r := g2.memberRole("carol", "bob"); r != RoleAdmin {
		t.Fatalf("bob's role after reload %d", r)
	}
	// A custom role has member rights.
	g2.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "carol", Role: 150}, nil)
	if r := g2.memberRole("bob", "carol"); r != 150 {
		t.Fatalf("carol's role %d", r)
	}
	wantCode(t, g2.call("carol", "kickCommunityMembers", &messages.CommunityUsersParams{UserIDs: []string{"bob"}}, nil), ErrCommunityNoPermission)
	// Back to member: the admin rights go.
	g2.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleMember}, nil)
	wantCode(t, g2.call("bob", "muteCommunityMembers", &messages.CommunityMuteMembersParams{UserIDs: []string{"carol"}}, nil), ErrCommunityNoPermission)
	wantCode(t, g2.call("bob", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"alice"}}, nil), ErrCommunityNoPermission)
}

func TestUnitCommunityTransferOwner(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	transfer := func(user, to string) error {
		return g.call(user, "transferCommunityOwner", &messages.CommunityTransferOwnerParams{ToUserID: to}, nil)
	}
	wantCode(t, transfer("bob", "carol"), ErrCommunityNoPermission)
	wantCode(t, transfer("nobody", "carol"), ErrNotCommunityMember)
	wantCode(t, transfer("alice", "alice"), ErrParamInvalid)
	wantCode(t, transfer("alice", ""), ErrParamInvalid)
	wantCode(t, transfer("alice", "nobody"), ErrNotCommunityMember)

	// A muted member becomes owner unmuted (nobody could lift it afterwards).
	g.mustCall("alice", "muteCommunityMembers", &messages.CommunityMuteMembersParams{IsMute: true, UserIDs: []string{"bob"}, Config: &messages.CommunityMemberMuteConfig{Duration: -1}}, nil)
	g.online("carol", 30)
	w.rec.takePushes()
	var res messages.CommunityOwnerTransferredResult
	g.mustCall("alice", "transferCommunityOwner", &messages.CommunityTransferOwnerParams{ToUserID: "bob"}, &res)
	if res.ToUserID != "bob" || res.CommunityID != "club" {
		t.Fatalf("result %v", &res)
	}
	ps := w.rec.takePushes()
	infoEvs, _ := pushesOf(t, ps, "communityInfoUpdated", func() *messages.CommunityInfoUpdatedEvent { return &messages.CommunityInfoUpdatedEvent{} })
	if len(infoEvs) != 1 || infoEvs[0].UpdateInfoList[0].CommunityInfo.OwnerUserID != "bob" || infoEvs[0].UpdateInfoList[0].CommunityInfo.CreatorUserID != "alice" {
		t.Fatalf("info events %v", infoEvs)
	}
	memberEvs, _ := pushesOf(t, ps, "communityMemberInfoUpdated", func() *messages.CommunityMemberInfoUpdatedEvent { return &messages.CommunityMemberInfoUpdatedEvent{} })
	if len(memberEvs) != 1 || len(memberEvs[0].UserList) != 2 {
		t.Fatalf("member events %v", memberEvs)
	}

	for _, g := range []*unitGrain{g, w.grain(KindCommunity, "club")} {
		if info := g.info("carol"); info.OwnerUserID != "bob" || info.CreatorUserID != "alice" {
			t.Fatalf("info after transfer %v", info)
		}
		var bob messages.CommunityMemberInfoQueriedResult
		g.mustCall("carol", "queryCommunityMemberInfo", &messages.CommunityMemberInfoQueryParams{UserID: "bob"}, &bob)
		if bob.UserInfo.MemberRole != RoleOwner || bob.UserInfo.MuteExpiredTime != 0 {
			t.Fatalf("new owner %v", bob.UserInfo)
		}
		if r := g.memberRole("carol", "alice"); r != RoleMember {
			t.Fatalf("old owner's role %d", r)
		}
	}
	g = w.grain(KindCommunity, "club")
	wantCode(t, g.call("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "carol", Role: RoleAdmin}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("alice", "dismissCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNoPermission)
	g.mustCall("bob", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "carol", Role: RoleAdmin}, nil)
	wantCode(t, g.call("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNoPermission)
	g.mustCall("alice", "leaveCommunity", &messages.CommunityIDParams{}, nil)
	if n := g.info("bob").CurrentMemberCount; n != 2 {
		t.Fatalf("members %d", n)
	}
}

func TestUnitCommunityMemberListPaging(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice")
	ids := manyUserIDs(250)
	w.users(ids...)
	w.users("outsider")
	for start := 0; start < len(ids); start += 100 {
		var res messages.CommunityUsersInvitedResult
		g.mustCall("alice", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: ids[start:min(start+100, len(ids))]}, &res)
		if len(res.ErrorUserList) > 0 {
			t.Fatalf("invite refusals %v", res.ErrorUserList)
		}
	}
	page := func(g *unitGrain, user string, count int32, next int64) (*messages.CommunityMemberListQueriedResult, error) {
		var res messages.CommunityMemberListQueriedResult
		err := g.call(user, "queryCommunityMemberList", &messages.CommunityMemberListQueryParams{Config: &messages.CommunityPageConfig{Count: count, NextFlag: next}}, &res)
		return &res, err
	}
	want := append([]string{"alice"}, ids...)
	for _, g := range []*unitGrain{g, w.grain(KindCommunity, "club")} {
		var got []string
		var sizes []int
		next := int64(0)
		for i := 0; ; i++ {
			res, err := page(g, "u100", 100, next)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(res.UserList))
			for _, u := range res.UserList {
				got = append(got, u.UserID)
			}
			if res.NextFlag == 0 {
				break
			}
			if res.NextFlag <= next || i == 3 {
				t.Fatalf("nextFlag %d after %d", res.NextFlag, next)
			}
			next = res.NextFlag
		}
		if !slices.Equal(got, want) || !slices.Equal(sizes, []int{100, 100, 51}) {
			t.Fatalf("pages of %v: %d members, first %v", sizes, len(got), got[:3])
		}
	}
	// A member leaving between pages does not break the paging.
	first, err := page(g, "alice", 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	g.mustCall("alice", "kickCommunityMembers", &messages.CommunityUsersParams{UserIDs: []string{"u099", "u100"}}, nil)
	second, err := page(g, "alice", 100, first.NextFlag)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.UserList) != 100 || second.UserList[0].UserID != "u101" || second.NextFlag == 0 {
		t.Fatalf("second page after kicks: %d from %s", len(second.UserList), second.UserList[0].UserID)
	}
	if last := first.UserList[len(first.UserList)-1].UserID; last != "u098" {
		t.Fatalf("first page ends with %s", last)
	}

	for _, count := range []int32{0, -1, 101} {
		_, err := page(g, "alice", count, 0)
		wantCode(t, err, ErrParamInvalid)
	}
	_, err = page(g, "alice", 10, -5)
	wantCode(t, err, ErrParamInvalid)
	_, err = page(g, "outsider", 10, 0)
	wantCode(t, err, ErrNotCommunityMember)
	_, err = page(w.grain(KindCommunity, "nowhere"), "alice", 10, 0)
	wantCode(t, err, ErrCommunityNotExist)
}

func TestUnitCommunityMemberInfo(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice")
	w.users("bob", "carol")
	w.now = w.now.Add(time.Minute)
	g.mustCall("bob", "joinCommunity", &messages.CommunityIDParams{}, nil)
	query := func(user, target string) (*messages.CommunityMemberInfo, error) {
		var res messages.CommunityMemberInfoQueriedResult
		err := g.call(user, "queryCommunityMemberInfo", &messages.CommunityMemberInfoQueryParams{UserID: target}, &res)
		return res.UserInfo, err
	}
	info, err := query("bob", "alice")
	if err != nil || info.UserID != "alice" || info.UserName != "alice" || info.MemberRole != RoleOwner || info.EnterType != CommunityEnterCreated ||
		info.JoinTime != w.now.Add(-time.Minute).UnixMilli() || info.OperatedUserID != "alice" {
		t.Fatalf("owner info %v %v", info, err)
	}
	info, err = query("alice", "bob")
	if err != nil || info.MemberRole != RoleMember || info.EnterType != CommunityEnterJoined || info.OperatedUserID != "bob" ||
		info.JoinTime != w.now.UnixMilli() || info.MuteExpiredTime != 0 {
		t.Fatalf("member info %v %v", info, err)
	}
	_, err = query("alice", "carol")
	wantCode(t, err, ErrNotCommunityMember)
	_, err = query("carol", "alice")
	wantCode(t, err, ErrNotCommunityMember)
}

func TestUnitCommunityMuteMembers(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol", "dave")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	mute := func(user string, isMute bool, duration int64, ids ...string) (*messages.CommunityMembersMutedResult, error) {
		var res messages.CommunityMembersMutedResult
		err := g.call(user, "muteCommunityMembers", &messages.CommunityMuteMembersParams{IsMute: isMute, UserIDs: ids, Config: &messages.CommunityMemberMuteConfig{Duration: duration}}, &res)
		return &res, err
	}
	_, err := mute("dave", true, 60, "carol")
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = mute("nobody", true, 60, "carol")
	wantCode(t, err, ErrNotCommunityMember)
	for _, d := range []int64{0, -2, 2_592_001} {
		_, err = mute("bob", true, d, "carol")
		wantCode(t, err, ErrParamInvalid)
	}
	_, err = mute("bob", true, 60, manyUserIDs(101)...)
	wantCode(t, err, ErrParamInvalid)

	res, err := mute("bob", true, 3600, "carol", "alice", "nobody", "bob")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("alice:%d,bob:%d,nobody:%d", ErrCommunityNoPermission.Code, ErrCommunityNoPermission.Code, ErrNotCommunityMember.Code)
	if !res.IsMute || res.Duration != 3600 || strings.Join(res.MutedUserIDList, ",") != "carol" || errorReasons(res.ErrorUserList) != want {
		t.Fatalf("mute result %v (refusals %s)", res, errorReasons(res.ErrorUserList))
	}
	expiry := w.now.Add(time.Hour).UnixMilli()
	var info messages.CommunityMemberInfoQueriedResult
	w.grain(KindCommunity, "club").mustCall("dave", "queryCommunityMemberInfo", &messages.CommunityMemberInfoQueryParams{UserID: "carol"}, &info)
	if info.UserInfo.MuteExpiredTime != expiry {
		t.Fatalf("stored expiry %d, want %d", info.UserInfo.MuteExpiredTime, expiry)
	}

	// The channel (reading the stored member records) refuses carol's messages until the
	// expiry, not dave's.
	ch := w.grain(KindChannel, ChannelConversationID("club", gen))
	wantCode(t, ch.call("carol", "sendMessage", textParams("muted?"), nil), ErrSenderMuted)
	ch.mustCall("dave", "sendMessage", textParams("not muted"), nil)
	w.now = w.now.Add(time.Hour - time.Millisecond)
	wantCode(t, ch.call("carol", "sendMessage", textParams("still muted just before the expiry"), nil), ErrSenderMuted)
	w.now = w.now.Add(time.Millisecond) // the expiry itself: over
	ch.mustCall("carol", "sendMessage", textParams("free again"), nil)
	// Expired mutes show as 0.
	g.mustCall("dave", "queryCommunityMemberInfo", &messages.CommunityMemberInfoQueryParams{UserID: "carol"}, &info)
	if info.UserInfo.MuteExpiredTime != 0 {
		t.Fatalf("expired mute shows %d", info.UserInfo.MuteExpiredTime)
	}

	// Permanent, then lifted.
	if _, err = mute("alice", true, -1, "carol", "bob"); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(365 * 24 * time.Hour)
	wantCode(t, ch.call("carol", "sendMessage", textParams("forever"), nil), ErrSenderMuted)
	wantCode(t, ch.call("bob", "sendMessage", textParams("admin muted"), nil), ErrSenderMuted)
	res, err = mute("alice", false, 0, "carol")
	if err != nil || res.IsMute || strings.Join(res.MutedUserIDList, ",") != "carol" {
		t.Fatalf("unmute %v %v", res, err)
	}
	ch.mustCall("carol", "sendMessage", textParams("unmuted"), nil)
	wantCode(t, ch.call("bob", "sendMessage", textParams("still muted"), nil), ErrSenderMuted)
}
