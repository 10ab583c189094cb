package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group kind's membership: create, roles and permissions, kick,
// invite, transfer, leave, dismiss, limits and the paged member list. The helpers of
// every group_*_unit_test.go file are here (prefixed gu).

const guID = "g1"

// guEv is one decoded push.
type guEv struct {
	event   string
	payload proto.Message
}

// guDecode decodes an encoded push by its payload type.
func guDecode(tb testing.TB, p *messages.Push) guEv {
	tb.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(p.Type))
	if err != nil {
		tb.Fatalf("push %s of unknown type %s", p.Event, p.Type)
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(p.Data, m); err != nil {
		tb.Fatal(err)
	}
	return guEv{event: p.Event, payload: m}
}

// guConnPushes takes the pushes handed to gateway nodes and returns them by connection.
func guConnPushes(w *unitWorld) map[uint64][]guEv {
	w.tb.Helper()
	out := map[uint64][]guEv{}
	for _, d := range w.rec.takePushes() {
		ev := guDecode(w.tb, d.Push)
		for _, id := range d.ConnIDs {
			out[id] = append(out[id], ev)
		}
	}
	return out
}

// guConnsOf lists (sorted) the connections that got event.
func guConnsOf(byConn map[uint64][]guEv, event string) []uint64 {
	var out []uint64
	for id, evs := range byConn {
		for _, e := range evs {
			if e.event == event {
				out = append(out, id)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// guOne is the only event named event that conn got (fails otherwise).
func guOne[T proto.Message](tb testing.TB, byConn map[uint64][]guEv, conn uint64, event string) T {
	tb.Helper()
	var found []T
	for _, e := range byConn[conn] {
		if e.event == event {
			found = append(found, e.payload.(T))
		}
	}
	if len(found) != 1 {
		tb.Fatalf("conn %d: %d %s pushes (all: %v)", conn, len(found), event, byConn[conn])
	}
	return found[0]
}

// guUserNews is what the group sent to user actors since the last take: the events
// meant for each user's devices (UserPush, and the push of a GroupConversationUpdate)
// and the conversation updates themselves.
type guUserNews struct {
	events  map[string][]guEv
	updates map[string][]*messages.GroupConversationUpdate
}

func guTakeUserNews(w *unitWorld) guUserNews {
	w.tb.Helper()
	n := guUserNews{events: map[string][]guEv{}, updates: map[string][]*messages.GroupConversationUpdate{}}
	for _, s := range w.rec.takeSends() {
		if s.kind != KindUser {
			continue
		}
		switch m := s.msg.(type) {
		case *messages.UserPush:
			n.events[s.identity] = append(n.events[s.identity], guDecode(w.tb, m.Push))
		case *messages.GroupConversationUpdate:
			n.updates[s.identity] = append(n.updates[s.identity], m)
			if m.Push != nil {
				n.events[s.identity] = append(n.events[s.identity], guDecode(w.tb, m.Push))
			}
		}
	}
	return n
}

// usersWith lists (sorted) the users that got event.
func (n guUserNews) usersWith(event string) []string {
	var out []string
	for u, evs := range n.events {
		for _, e := range evs {
			if e.event == event {
				out = append(out, u)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// one is the only event named event that user got.
func guUserOne[T proto.Message](tb testing.TB, n guUserNews, user, event string) T {
	tb.Helper()
	var found []T
	for _, e := range n.events[user] {
		if e.event == event {
			found = append(found, e.payload.(T))
		}
	}
	if len(found) != 1 {
		tb.Fatalf("user %s: %d %s events (all: %v)", user, len(found), event, n.events[user])
	}
	return found[0]
}

// guNewGroup makes owner and members exist and creates group guID with them (cfg may be
// nil); what the creation sent is forgotten.
func guNewGroup(w *unitWorld, owner string, members []string, cfg *messages.GroupAdvancedConfig) *unitGrain {
	w.tb.Helper()
	w.users(append([]string{owner}, members...)...)
	g := w.grain(KindGroup, guID)
	g.mustCall(owner, "createGroup", &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: guID, GroupName: "group one"}, UserIDs: members, Config: cfg,
	}, nil)
	w.rec.takeSends()
	w.rec.takePushes()
	return g
}

// guOnline reports user online with one connection (as its user actor does).
func guOnline(g *unitGrain, user string, connID uint64) {
	g.Tell(&messages.GroupMemberPresence{UserID: user, Conns: []*messages.ConnRef{{Node: unitNode, ConnID: connID, Platform: 1}}})
}

func guIDp() *messages.GroupIDParams { return &messages.GroupIDParams{GroupID: guID} }

func guUsers(ids ...string) *messages.GroupUsersParams {
	return &messages.GroupUsersParams{GroupID: guID, UserIDs: ids}
}

// guCount is the member count as user reads it.
func guCount(tb testing.TB, g *unitGrain, user string) int32 {
	tb.Helper()
	var res messages.GroupMemberCountQueriedResult
	g.mustCall(user, "queryGroupMemberCount", guIDp(), &res)
	return res.Count
}

// guMember is the member info of id as user reads it.
func guMember(tb testing.TB, g *unitGrain, user, id string) *messages.GroupMemberInfo {
	tb.Helper()
	var res messages.GroupMemberInfoQueriedResult
	g.mustCall(user, "queryGroupMemberInfo", &messages.GroupMemberInfoQueryParams{GroupID: guID, UserID: id}, &res)
	return res.UserInfo
}

func guSetRole(tb testing.TB, g *unitGrain, owner, user string, role int32) {
	tb.Helper()
	g.mustCall(owner, "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: user, Role: role}, nil)
}

// guReasons maps an error user list to user -> reason.
func guReasons(list []*messages.ErrorUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, e := range list {
		out[e.UserID] = e.Reason
	}
	return out
}

func guWantReasons(tb testing.TB, got []*messages.ErrorUserInfo, want map[string]*CodeError) {
	tb.Helper()
	r := guReasons(got)
	if len(r) != len(want) || len(got) != len(want) {
		tb.Fatalf("error users %v, want %d", got, len(want))
	}
	for id, e := range want {
		if r[id] != e.Code {
			tb.Fatalf("error user %s: reason %d, want %d (%s); all %v", id, r[id], e.Code, e.Message, got)
		}
	}
}

// guMemberIDs pages through the whole member list (count per page) as user and returns
// the member IDs in order and the number of pages.
func guMemberIDs(tb testing.TB, g *unitGrain, user string, count int32) ([]string, int) {
	tb.Helper()
	var ids []string
	var next int64
	pages := 0
	for {
		var res messages.GroupMemberListQueriedResult
		g.mustCall(user, "queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: count, NextFlag: next}}, &res)
		pages++
		if len(res.UserList) > int(count) {
			tb.Fatalf("page %d: %d members, asked for %d", pages, len(res.UserList), count)
		}
		for _, m := range res.UserList {
			ids = append(ids, m.UserID)
		}
		if res.NextFlag == 0 {
			return ids, pages
		}
		if res.NextFlag <= next {
			tb.Fatalf("nextFlag %d does not move on from %d", res.NextFlag, next)
		}
		next = res.NextFlag
		if pages > 1000 {
			tb.Fatal("paging never ends")
		}
	}
}

// ---- create ----

func TestUnitGroupCreateSortsInviteesAndTellsMembers(t *testing.T) {
	w := newUnitWorld(t)
	w.users("owner", "bob", "carol")
	g := w.grain(KindGroup, guID)
	var res messages.GroupCreatedResult
	g.mustCall("owner", "createGroup", &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: guID, GroupName: "team", GroupAvatarUrl: "http://a/b.png"},
		UserIDs:   []string{"bob", "carol", "bob", "owner", "ghost", "bad id"},
		Config:    &messages.GroupAdvancedConfig{GroupNotice: "welcome", MaxMemberCount: 50, JoinMode: GroupJoinAuth, GroupAttributes: map[string]string{"k": "v"}},
	}, &res)
	fi := res.GroupInfo
	if fi.BaseInfo.GroupName != "team" || fi.BaseInfo.GroupAvatarUrl != "http://a/b.png" || fi.GroupNotice != "welcome" ||
		fi.MaxMemberCount != 50 || fi.VerifyInfo.JoinMode != GroupJoinAuth || fi.GroupAttributes["k"] != "v" || fi.CreateTime != w.now.UnixMilli() {
		t.Fatalf("created info %v", fi)
	}
	var got []string
	for _, m := range res.UserList {
		got = append(got, m.UserID)
		if m.MemberRole != RoleMember || m.GroupEnterInfo.EnterType != GroupEnterInvited || m.GroupEnterInfo.OperatedUser.GetUserID() != "owner" {
			t.Fatalf("invitee %v", m)
		}
	}
	if !slices.Equal(got, []string{"bob", "carol"}) {
		t.Fatalf("user list %v (the owner, repeats and refusals are not in it)", got)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"ghost": ErrUserNotExist, "bad id": ErrUserIDInvalid})

	// Each member's user actor learns the membership, the owner as creator.
	news := guTakeUserNews(w)
	if u := news.usersWith("groupStateChanged"); !slices.Equal(u, []string{"bob", "carol", "owner"}) {
		t.Fatalf("groupStateChanged to %v", u)
	}
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "owner", "groupStateChanged"); ev.Event != GroupEventCreated || ev.State != GroupStateEnter {
		t.Fatalf("owner's event %v", ev)
	}
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "bob", "groupStateChanged"); ev.Event != GroupEventInvited || ev.OperatedInfo.UserID != "owner" {
		t.Fatalf("bob's event %v", ev)
	}
	for _, u := range []string{"owner", "bob", "carol"} {
		if up := news.updates[u]; len(up) != 1 || !up[0].Member || up[0].Index == nil || up[0].Index.Since != 1 {
			t.Fatalf("%s's conversation update %v", u, up)
		}
	}

	// A fresh activation reads the members back, with their roles and how they came.
	g2 := w.grain(KindGroup, guID)
	if n := guCount(t, g2, "carol"); n != 3 {
		t.Fatalf("count %d", n)
	}
	if m := guMember(t, g2, "carol", "owner"); m.MemberRole != RoleOwner || m.GroupEnterInfo.EnterType != GroupEnterCreated {
		t.Fatalf("owner %v", m)
	}
	if m := guMember(t, g2, "owner", "carol"); m.MemberRole != RoleMember || m.GroupEnterInfo.EnterType != GroupEnterInvited ||
		m.GroupEnterInfo.OperatedUser.GetUserID() != "owner" || m.UserName != "carol" {
		t.Fatalf("carol %v", m)
	}
	wantCode(t, g2.call("ghost", "queryGroupMemberCount", guIDp(), nil), ErrNotGroupMember)
	wantCode(t, g2.call("owner", "queryGroupMemberInfo", &messages.GroupMemberInfoQueryParams{GroupID: guID, UserID: "ghost"}, nil), ErrNotGroupMember)
	// The ID is taken.
	wantCode(t, g2.call("bob", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: guID}}, nil), ErrGroupExists)
}

func TestUnitGroupCreateRefusals(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.GroupUsersPerCall = 3; c.Limits.GroupMembersMax = 4 })
	w.users("owner", "a", "b", "c", "d")
	create := func(id string, users []string, info *messages.GroupInfo, cfg *messages.GroupAdvancedConfig) error {
		if info == nil {
			info = &messages.GroupInfo{GroupID: id}
		}
		return w.grain(KindGroup, id).call("owner", "createGroup", &messages.GroupCreateParams{GroupInfo: info, UserIDs: users, Config: cfg}, nil)
	}
	long := func(n int) string { return strings.Repeat("x", n) }
	wantCode(t, create("c1", nil, &messages.GroupInfo{GroupID: "other"}, nil), ErrParamInvalid) // not this actor's ID
	wantCode(t, create("c1", nil, &messages.GroupInfo{GroupID: "c1", GroupName: long(101)}, nil), ErrParamInvalid)
	wantCode(t, create("c1", nil, &messages.GroupInfo{GroupID: "c1", GroupAvatarUrl: long(501)}, nil), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{GroupNotice: long(301)}), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{MaxMemberCount: 5}), ErrParamInvalid) // above the server's 4
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{MaxMemberCount: -1}), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{JoinMode: 3}), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{InviteMode: 2}), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{BeInviteMode: 2}), ErrParamInvalid)
	wantCode(t, create("c1", nil, nil, &messages.GroupAdvancedConfig{GroupAttributes: map[string]string{long(17): "v"}}), ErrGroupAttrKey)
	wantCode(t, create("c1", []string{"a", "b", "c", "d"}, nil, nil), ErrParamInvalid) // 4 users in one call, 3 allowed
	wantCode(t, create("c1", []string{"a", "b", "c"}, nil, &messages.GroupAdvancedConfig{MaxMemberCount: 3}), ErrGroupFull)
	// None of the refusals made the group: it can be created now, at the limits.
	if err := create("c1", []string{"a", "b", "c"}, &messages.GroupInfo{GroupID: "c1", GroupName: long(100)}, &messages.GroupAdvancedConfig{GroupNotice: long(300)}); err != nil {
		t.Fatal(err)
	}
	g := w.grain(KindGroup, "c1")
	var info messages.GroupInfoQueriedResult
	g.mustCall("a", "queryGroupInfo", &messages.GroupIDParams{GroupID: "c1"}, &info)
	if info.GroupInfo.MaxMemberCount != 4 || len(info.GroupInfo.BaseInfo.GroupName) != 100 {
		t.Fatalf("created with the server's limit: %v", info.GroupInfo)
	}
}

// ---- roles and permissions ----

func TestUnitGroupKickRolesPushesAndStore(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol", "dave", "erin", "frank"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	guSetRole(t, g, "owner", "carol", RoleAdmin)
	for i, u := range []string{"owner", "bob", "carol", "dave", "erin"} {
		guOnline(g, u, uint64(10+i))
	}
	w.rec.takeSends()
	w.rec.takePushes()

	wantCode(t, g.call("dave", "kickGroupMembers", guUsers("erin"), nil), ErrGroupNoPermission)
	wantCode(t, g.call("ghost", "kickGroupMembers", guUsers("erin"), nil), ErrNotGroupMember)
	wantCode(t, g.call("owner", "kickGroupMembers", guUsers(), nil), ErrParamInvalid)
	if len(w.rec.takePushes()) != 0 {
		t.Fatal("a refused kick pushed something")
	}

	// An admin kicks ordinary members only; kicking oneself or a non-member is refused per user.
	var res messages.GroupMemberKickedResult
	g.mustCall("bob", "kickGroupMembers", guUsers("owner", "carol", "dave", "bob", "ghost", "dave"), &res)
	if !slices.Equal(res.KickedUserIDs, []string{"dave"}) {
		t.Fatalf("kicked %v", res.KickedUserIDs)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{
		"owner": ErrGroupNoPermission, "carol": ErrGroupNoPermission, "bob": ErrParamInvalid, "ghost": ErrNotGroupMember,
	})
	// The remaining online members hear of it, the kicked one no longer.
	pushes := guConnPushes(w)
	if c := guConnsOf(pushes, "groupMemberStateChanged"); !slices.Equal(c, []uint64{10, 11, 12, 14}) {
		t.Fatalf("groupMemberStateChanged to %v", c)
	}
	ev := guOne[*messages.GroupMemberStateChangedEvent](t, pushes, 14, "groupMemberStateChanged")
	if ev.Event != GroupMemberEventKickedOut || ev.State != GroupStateQuit || len(ev.UserList) != 1 || ev.UserList[0].UserID != "dave" ||
		ev.OperatedInfo.UserID != "bob" || ev.OperatedInfo.MemberRole != RoleAdmin {
		t.Fatalf("member event %v", ev)
	}
	news := guTakeUserNews(w)
	if u := news.usersWith("groupStateChanged"); !slices.Equal(u, []string{"dave"}) {
		t.Fatalf("groupStateChanged to %v", u)
	}
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "dave", "groupStateChanged"); ev.Event != GroupEventKickedOut || ev.State != GroupStateQuit {
		t.Fatalf("dave's event %v", ev)
	}
	if up := news.updates["dave"]; len(up) != 1 || up[0].Member || up[0].Index != nil {
		t.Fatalf("dave's update %v (no message: no index left)", up)
	}
	wantCode(t, g.call("dave", "queryGroupMemberCount", guIDp(), nil), ErrNotGroupMember)

	// The owner kicks an admin; kicking only oneself changes nothing.
	g.mustCall("owner", "kickGroupMembers", guUsers("carol"), &res)
	if !slices.Equal(res.KickedUserIDs, []string{"carol"}) || len(res.ErrorUserList) != 0 {
		t.Fatalf("owner kicks admin: %v", &res)
	}
	g.mustCall("owner", "kickGroupMembers", guUsers("owner"), &res)
	if len(res.KickedUserIDs) != 0 {
		t.Fatalf("owner kicked himself: %v", &res)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"owner": ErrParamInvalid})

	// The store holds the result.
	g2 := w.grain(KindGroup, guID)
	if n := guCount(t, g2, "owner"); n != 4 {
		t.Fatalf("count after kicks %d", n)
	}
	ids, _ := guMemberIDs(t, g2, "erin", 100)
	if !slices.Equal(ids, []string{"owner", "bob", "erin", "frank"}) {
		t.Fatalf("members after kicks %v", ids)
	}
	// The kicked admin no longer acts as one.
	wantCode(t, g2.call("carol", "kickGroupMembers", guUsers("erin"), nil), ErrNotGroupMember)
}

func TestUnitGroupSetRoleAndTransferOwner(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol", "dave"}, nil)
	guOnline(g, "dave", 13)
	w.rec.takeSends()
	set := func(by, user string, role int32) error {
		return g.call(by, "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: user, Role: role}, nil)
	}
	wantCode(t, set("carol", "dave", RoleAdmin), ErrGroupNoPermission)
	var rr messages.GroupMemberRoleUpdatedResult
	g.mustCall("owner", "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: "bob", Role: RoleAdmin}, &rr)
	if rr.ForUserID != "bob" || rr.Role != RoleAdmin {
		t.Fatalf("role result %v", &rr)
	}
	ev := guOne[*messages.GroupMemberInfoUpdatedEvent](t, guConnPushes(w), 13, "groupMemberInfoUpdated")
	if len(ev.UserList) != 1 || ev.UserList[0].UserID != "bob" || ev.UserList[0].MemberRole != RoleAdmin || ev.OperatedInfo.UserID != "owner" {
		t.Fatalf("role push %v", ev)
	}
	wantCode(t, set("bob", "carol", RoleAdmin), ErrGroupNoPermission) // admins set no roles
	for _, bad := range []int32{RoleOwner, 0, 4, 99, -3} {
		wantCode(t, set("owner", "carol", bad), ErrParamInvalid)
	}
	wantCode(t, set("owner", "owner", RoleAdmin), ErrGroupNoPermission)
	wantCode(t, set("owner", "ghost", RoleAdmin), ErrNotGroupMember)
	if err := set("owner", "carol", 150); err != nil { // a custom role: an ordinary member's rights
		t.Fatal(err)
	}
	wantCode(t, g.call("carol", "kickGroupMembers", guUsers("dave"), nil), ErrGroupNoPermission)

	// Transfer: the owner only, to another member.
	transfer := func(by, to string) error {
		return g.call(by, "transferGroupOwner", &messages.GroupTransferOwnerParams{GroupID: guID, ToUserID: to}, nil)
	}
	wantCode(t, transfer("bob", "carol"), ErrGroupNoPermission)
	wantCode(t, transfer("owner", "owner"), ErrParamInvalid)
	wantCode(t, transfer("owner", ""), ErrParamInvalid)
	wantCode(t, transfer("owner", "ghost"), ErrNotGroupMember)
	w.rec.takePushes()
	var tr messages.GroupOwnerTransferredResult
	g.mustCall("owner", "transferGroupOwner", &messages.GroupTransferOwnerParams{GroupID: guID, ToUserID: "carol"}, &tr)
	if tr.ToUserID != "carol" {
		t.Fatalf("transfer result %v", &tr)
	}
	ev = guOne[*messages.GroupMemberInfoUpdatedEvent](t, guConnPushes(w), 13, "groupMemberInfoUpdated")
	roles := map[string]int32{}
	for _, m := range ev.UserList {
		roles[m.UserID] = m.MemberRole
	}
	if len(roles) != 2 || roles["carol"] != RoleOwner || roles["owner"] != RoleMember {
		t.Fatalf("transfer push %v", ev)
	}

	// After a reload: the old owner is an ordinary member, the new one rules.
	g = w.grain(KindGroup, guID)
	for u, want := range map[string]int32{"owner": RoleMember, "bob": RoleAdmin, "carol": RoleOwner, "dave": RoleMember} {
		if m := guMember(t, g, "dave", u); m.MemberRole != want {
			t.Fatalf("%s role %d, want %d", u, m.MemberRole, want)
		}
	}
	wantCode(t, g.call("owner", "dismissGroup", guIDp(), nil), ErrGroupNoPermission)
	wantCode(t, g.call("owner", "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: "dave", Role: RoleAdmin}, nil), ErrGroupNoPermission)
	var kr messages.GroupMemberKickedResult
	g.mustCall("bob", "kickGroupMembers", guUsers("carol", "owner"), &kr) // the admin kicks the old owner, not the new one
	if !slices.Equal(kr.KickedUserIDs, []string{"owner"}) {
		t.Fatalf("kicked %v", kr.KickedUserIDs)
	}
	guWantReasons(t, kr.ErrorUserList, map[string]*CodeError{"carol": ErrGroupNoPermission})
	g.mustCall("carol", "dismissGroup", guIDp(), nil)
}

func TestUnitGroupNicknames(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol", "dave"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	nick := func(by, user, name string) error {
		return g.call(by, "setGroupMemberNickname", &messages.GroupSetMemberNicknameParams{GroupID: guID, ForUserID: user, Nickname: name}, nil)
	}
	if err := nick("carol", "carol", "Caz"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, nick("carol", "dave", "D"), ErrGroupNoPermission)
	if err := nick("bob", "dave", "Dee"); err != nil { // an admin renames ordinary members
		t.Fatal(err)
	}
	wantCode(t, nick("bob", "owner", "O"), ErrGroupNoPermission)
	if err := nick("owner", "bob", "Bobby"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, nick("owner", "ghost", "G"), ErrNotGroupMember)
	wantCode(t, nick("ghost", "carol", "G"), ErrNotGroupMember)
	// The limit counts characters, not bytes.
	if err := nick("owner", "owner", strings.Repeat("é", 100)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, nick("owner", "owner", strings.Repeat("é", 101)), ErrParamInvalid)

	g = w.grain(KindGroup, guID)
	for u, want := range map[string]string{"carol": "Caz", "dave": "Dee", "bob": "Bobby", "owner": strings.Repeat("é", 100)} {
		if m := guMember(t, g, "carol", u); m.MemberNickname != want {
			t.Fatalf("%s nickname %q, want %q", u, m.MemberNickname, want)
		}
	}
}

func TestUnitGroupInviteModesErrorsAndLimits(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.GroupUsersPerCall = 4; c.Limits.GroupMembersMax = 6 })
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	w.users("ann", "ari", "amy", "abe", "ava")
	guOnline(g, "owner", 10)
	w.rec.takeSends()
	w.rec.takePushes()

	// Invite mode any: an ordinary member invites; the refusals come per user.
	var res messages.GroupUsersInvitedResult
	g.mustCall("carol", "inviteUsersIntoGroup", guUsers("ann", "ghost", "bob", "bad id"), &res)
	if len(res.UserList) != 1 || res.UserList[0].UserID != "ann" || res.UserList[0].GroupEnterInfo.EnterType != GroupEnterInvited ||
		res.UserList[0].GroupEnterInfo.OperatedUser.GetUserID() != "carol" {
		t.Fatalf("invited %v", res.UserList)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"ghost": ErrUserNotExist, "bob": ErrAlreadyGroupMember, "bad id": ErrUserIDInvalid})
	ev := guOne[*messages.GroupMemberStateChangedEvent](t, guConnPushes(w), 10, "groupMemberStateChanged")
	if ev.Event != GroupMemberEventInvited || ev.State != GroupStateEnter || len(ev.UserList) != 1 || ev.UserList[0].UserID != "ann" {
		t.Fatalf("invite push %v", ev)
	}
	news := guTakeUserNews(w)
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "ann", "groupStateChanged"); ev.Event != GroupEventInvited || ev.OperatedInfo.UserID != "carol" {
		t.Fatalf("ann's event %v", ev)
	}
	// Nobody invitable: an empty success.
	g.mustCall("carol", "inviteUsersIntoGroup", guUsers("ghost"), &res)
	if len(res.UserList) != 0 || len(res.ErrorUserList) != 1 {
		t.Fatalf("only refusals: %v", &res)
	}

	wantCode(t, g.call("carol", "inviteUsersIntoGroup", guUsers(), nil), ErrParamInvalid)
	wantCode(t, g.call("carol", "inviteUsersIntoGroup", guUsers("ari", "amy", "abe", "ava", "ann"), nil), ErrParamInvalid) // 5 > 4 per call
	wantCode(t, g.call("ghost", "inviteUsersIntoGroup", guUsers("ari"), nil), ErrNotGroupMember)

	// Invite mode admin: ordinary members may not.
	wantCode(t, g.call("carol", "updateGroupInviteMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupInviteAdmin}, nil), ErrGroupNoPermission)
	g.mustCall("bob", "updateGroupInviteMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupInviteAdmin}, nil)
	wantCode(t, g.call("carol", "inviteUsersIntoGroup", guUsers("ari"), nil), ErrGroupNoPermission)
	g.mustCall("bob", "inviteUsersIntoGroup", guUsers("ari"), nil)

	// The member limit (6): 5 members now; two more are refused as a whole.
	if n := guCount(t, g, "owner"); n != 5 {
		t.Fatalf("count %d", n)
	}
	wantCode(t, g.call("owner", "inviteUsersIntoGroup", guUsers("amy", "abe"), nil), ErrGroupFull)
	g2 := w.grain(KindGroup, guID)
	if n := guCount(t, g2, "owner"); n != 5 {
		t.Fatalf("a refused invitation stored members: count %d", n)
	}
	wantCode(t, g2.call("amy", "queryGroupMemberCount", guIDp(), nil), ErrNotGroupMember)
	g2.mustCall("owner", "inviteUsersIntoGroup", guUsers("amy"), nil)
	wantCode(t, g2.call("owner", "inviteUsersIntoGroup", guUsers("abe"), nil), ErrGroupFull)
	g2.mustCall("owner", "updateGroupJoinMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupJoinAny}, nil)
	wantCode(t, g2.call("abe", "joinGroup", guIDp(), nil), ErrGroupFull)
	// A place freed by a kick can be taken.
	g2.mustCall("owner", "kickGroupMembers", guUsers("amy"), nil)
	g2.mustCall("abe", "joinGroup", guIDp(), nil)
	if n := guCount(t, w.grain(KindGroup, guID), "abe"); n != 6 {
		t.Fatalf("count %d", n)
	}
}

func TestUnitGroupKickAndInviteUsersPerCall(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	var ids []string
	for i := range 101 {
		ids = append(ids, fmt.Sprintf("x%03d", i))
	}
	w.users(ids...)
	wantCode(t, g.call("owner", "kickGroupMembers", guUsers(ids...), nil), ErrParamInvalid)
	wantCode(t, g.call("owner", "inviteUsersIntoGroup", guUsers(ids...), nil), ErrParamInvalid)
	var res messages.GroupUsersInvitedResult
	g.mustCall("owner", "inviteUsersIntoGroup", guUsers(ids[:100]...), &res) // exactly the limit
	if len(res.UserList) != 100 {
		t.Fatalf("invited %d", len(res.UserList))
	}
	var kr messages.GroupMemberKickedResult
	g.mustCall("owner", "kickGroupMembers", guUsers(ids[:100]...), &kr)
	if len(kr.KickedUserIDs) != 100 || guCount(t, g, "bob") != 2 {
		t.Fatalf("kicked %d, left %d", len(kr.KickedUserIDs), guCount(t, g, "bob"))
	}
}

// ---- leaving and dismissing ----

func TestUnitGroupOwnerLeavesHeirThenDissolved(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guSetRole(t, g, "owner", "carol", RoleAdmin) // the heir is the earliest-joined, not an admin
	guOnline(g, "owner", 10)
	guOnline(g, "bob", 11)
	guOnline(g, "carol", 12)
	w.rec.takeSends()
	w.rec.takePushes()
	wantCode(t, g.call("ghost", "leaveGroup", guIDp(), nil), ErrNotGroupMember)

	var res messages.GroupIDResult
	g.mustCall("owner", "leaveGroup", guIDp(), &res)
	if res.GroupID != guID {
		t.Fatalf("leave result %v", &res)
	}
	pushes := guConnPushes(w)
	if c := guConnsOf(pushes, "groupMemberStateChanged"); !slices.Equal(c, []uint64{11, 12}) {
		t.Fatalf("groupMemberStateChanged to %v", c)
	}
	if ev := guOne[*messages.GroupMemberStateChangedEvent](t, pushes, 12, "groupMemberStateChanged"); ev.Event != GroupMemberEventLeft || ev.UserList[0].UserID != "owner" {
		t.Fatalf("left push %v", ev)
	}
	heir := guOne[*messages.GroupMemberInfoUpdatedEvent](t, pushes, 11, "groupMemberInfoUpdated")
	if len(heir.UserList) != 1 || heir.UserList[0].UserID != "bob" || heir.UserList[0].MemberRole != RoleOwner {
		t.Fatalf("heir push %v", heir)
	}
	news := guTakeUserNews(w)
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "owner", "groupStateChanged"); ev.Event != GroupEventLeft || ev.State != GroupStateQuit {
		t.Fatalf("owner's event %v", ev)
	}

	g = w.grain(KindGroup, guID)
	if m := guMember(t, g, "carol", "bob"); m.MemberRole != RoleOwner {
		t.Fatalf("bob after the owner left: %v", m)
	}
	if m := guMember(t, g, "carol", "carol"); m.MemberRole != RoleAdmin {
		t.Fatalf("carol after the owner left: %v", m)
	}
	g.mustCall("bob", "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: "carol", Role: RoleMember}, nil)
	g.mustCall("bob", "leaveGroup", guIDp(), nil)
	if m := guMember(t, g, "carol", "carol"); m.MemberRole != RoleOwner {
		t.Fatalf("carol alone: %v", m)
	}
	// The last member leaves: the group is gone, and its ID with it.
	g.mustCall("carol", "leaveGroup", guIDp(), nil)
	for _, gr := range []*unitGrain{g, w.grain(KindGroup, guID)} {
		wantCode(t, gr.call("carol", "queryGroupInfo", guIDp(), nil), ErrGroupNotExist)
		wantCode(t, gr.call("carol", "joinGroup", guIDp(), nil), ErrGroupNotExist)
		wantCode(t, gr.call("bob", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: guID}}, nil), ErrGroupDismissedID)
	}
}

func TestUnitGroupDismissRefusesEverythingAfter(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol", "dave"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	guOnline(g, "bob", 11)
	guOnline(g, "carol", 12) // dave is offline
	w.rec.takeSends()
	w.rec.takePushes()
	wantCode(t, g.call("bob", "dismissGroup", guIDp(), nil), ErrGroupNoPermission)
	wantCode(t, g.call("carol", "dismissGroup", guIDp(), nil), ErrGroupNoPermission)
	wantCode(t, g.call("ghost", "dismissGroup", guIDp(), nil), ErrNotGroupMember)
	if n := guCount(t, g, "carol"); n != 4 {
		t.Fatalf("a refused dismissal removed members: %d", n)
	}

	g.mustCall("owner", "dismissGroup", guIDp(), nil)
	// The online members and the owner learn it now; dave's user actor reads it later.
	news := guTakeUserNews(w)
	if u := news.usersWith("groupStateChanged"); !slices.Equal(u, []string{"bob", "carol", "owner"}) {
		t.Fatalf("dismissal told %v", u)
	}
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "carol", "groupStateChanged"); ev.Event != GroupEventDismissed || ev.State != GroupStateQuit || ev.OperatedInfo.UserID != "owner" {
		t.Fatalf("carol's event %v", ev)
	}
	if up := news.updates["bob"]; len(up) != 1 || up[0].Member {
		t.Fatalf("bob's update %v", up)
	}

	calls := []struct {
		method string
		params proto.Message
	}{
		{"dismissGroup", guIDp()},
		{"joinGroup", guIDp()},
		{"leaveGroup", guIDp()},
		{"queryGroupInfo", guIDp()},
		{"queryGroupMemberCount", guIDp()},
		{"kickGroupMembers", guUsers("carol")},
		{"inviteUsersIntoGroup", guUsers("carol")},
		{"transferGroupOwner", &messages.GroupTransferOwnerParams{GroupID: guID, ToUserID: "bob"}},
		{"setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: guID, ForUserID: "bob", Role: RoleAdmin}},
		{"setGroupMemberNickname", &messages.GroupSetMemberNicknameParams{GroupID: guID, ForUserID: "owner", Nickname: "x"}},
		{"queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: 10}}},
		{"updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: "x"}},
		{"updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: "x"}},
		{"updateGroupAvatarUrl", &messages.GroupUpdateAvatarUrlParams{GroupID: guID, GroupAvatarUrl: "x"}},
		{"updateGroupAlias", &messages.GroupUpdateAliasParams{GroupID: guID, GroupAlias: "x"}},
		{"setGroupAttributes", &messages.GroupSetAttributesParams{GroupID: guID, GroupAttributes: map[string]string{"k": "v"}}},
		{"queryGroupAllAttributes", guIDp()},
		{"updateGroupJoinMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupJoinAny}},
		{"muteGroup", &messages.GroupMuteParams{GroupID: guID, IsMute: true, Config: &messages.GroupMuteConfig{Mode: MuteAll, Duration: -1}}},
		{"muteGroupMembers", &messages.GroupMuteMembersParams{GroupID: guID, IsMute: true, UserIDs: []string{"carol"}, Config: &messages.GroupMemberMuteConfig{Duration: -1}}},
		{"sendGroupJoinApplication", &messages.GroupJoinApplicationSendParams{GroupID: guID}},
		{"sendGroupInviteApplications", &messages.GroupInviteApplicationsSendParams{GroupID: guID, UserIDs: []string{"carol"}}},
		{"acceptGroupInviteApplication", &messages.GroupInviteApplicationParams{GroupID: guID, InviterUserID: "owner"}},
		{"sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup, Message: &messages.Message{Type: MsgText, Message: "hi"}}},
	}
	for _, gr := range []*unitGrain{g, w.grain(KindGroup, guID)} {
		for _, c := range calls {
			for _, u := range []string{"owner", "dave", "ghost"} {
				err := gr.call(u, c.method, c.params, nil)
				if err == nil {
					t.Fatalf("%s as %s on a dismissed group succeeded", c.method, u)
				}
				wantCode(t, err, ErrGroupNotExist)
			}
		}
		wantCode(t, gr.call("owner", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: guID}}, nil), ErrGroupDismissedID)
	}
	if len(w.rec.takePushes()) != 0 {
		t.Fatal("a dismissed group pushed")
	}
}

// ---- paging ----

func TestUnitGroupMemberListPagingOver250(t *testing.T) {
	w := newUnitWorld(t)
	var ids []string
	for i := range 249 {
		ids = append(ids, fmt.Sprintf("u%03d", i))
	}
	w.users(ids...)
	g := guNewGroup(w, "owner", ids[:99], nil)
	for i := 99; i < len(ids); i += 75 {
		var res messages.GroupUsersInvitedResult
		g.mustCall("owner", "inviteUsersIntoGroup", guUsers(ids[i:min(i+75, len(ids))]...), &res)
		if len(res.UserList) != min(75, len(ids)-i) {
			t.Fatalf("invited %d at %d", len(res.UserList), i)
		}
	}
	want := append([]string{"owner"}, ids...) // join order
	if n := guCount(t, g, "u100"); n != 250 {
		t.Fatalf("count %d", n)
	}

	// Three pages of 100, 100 and 50 members.
	var next int64
	var got []string
	for page, size := range []int{100, 100, 50} {
		var res messages.GroupMemberListQueriedResult
		g.mustCall("u200", "queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: 100, NextFlag: next}}, &res)
		if len(res.UserList) != size || (page < 2) != (res.NextFlag != 0) {
			t.Fatalf("page %d: %d members, nextFlag %d", page, len(res.UserList), res.NextFlag)
		}
		for _, m := range res.UserList {
			got = append(got, m.UserID)
		}
		next = res.NextFlag
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged members differ from the join order:\n%v", got)
	}
	// More than the page maximum counts as the maximum.
	var big messages.GroupMemberListQueriedResult
	g.mustCall("owner", "queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: 1000}}, &big)
	if len(big.UserList) != 100 || big.NextFlag == 0 {
		t.Fatalf("count 1000: %d members, next %d", len(big.UserList), big.NextFlag)
	}
	for _, cfg := range []*messages.GroupPageConfig{nil, {Count: 0}, {Count: -1}, {Count: 10, NextFlag: -1}} {
		wantCode(t, g.call("owner", "queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: cfg}, nil), ErrParamInvalid)
	}
	wantCode(t, g.call("ghost", "queryGroupMemberList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: 10}}, nil), ErrNotGroupMember)

	// Kicks leave holes; small pages over a fresh activation still see everyone once, in order.
	g.mustCall("owner", "kickGroupMembers", guUsers(ids[50:60]...), nil)
	want = slices.DeleteFunc(want, func(id string) bool { return id >= "u050" && id <= "u059" })
	got, pages := guMemberIDs(t, w.grain(KindGroup, guID), "u000", 7)
	if !slices.Equal(got, want) || pages != 35 { // 240 members / 7 = 34.3
		t.Fatalf("%d pages of %d members, want 240 in join order", pages, len(got))
	}
}
