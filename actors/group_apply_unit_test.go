package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group kind's join and invite modes and applications.

func guMode(tb testing.TB, g *unitGrain, by, method string, mode int32) {
	tb.Helper()
	var res messages.GroupModeUpdatedResult
	g.mustCall(by, method, &messages.GroupUpdateModeParams{GroupID: guID, Mode: mode}, &res)
	if res.Mode != mode || res.GroupID != guID {
		tb.Fatalf("%s result %v", method, &res)
	}
}

func guApply(g *unitGrain, user, wording string) error {
	return g.call(user, "sendGroupJoinApplication", &messages.GroupJoinApplicationSendParams{GroupID: guID, Config: &messages.GroupApplicationConfig{Wording: wording}}, nil)
}

func guDecideJoin(g *unitGrain, by, method, user string) error {
	return g.call(by, method, &messages.GroupJoinApplicationParams{GroupID: guID, UserID: user}, nil)
}

func guDecideInvite(g *unitGrain, by, method, inviter string) error {
	return g.call(by, method, &messages.GroupInviteApplicationParams{GroupID: guID, InviterUserID: inviter}, nil)
}

// guApps lists the group applications user sees (a user actor's query), one page.
func guApps(tb testing.TB, w *unitWorld, user string, count int32, next int64) *messages.GroupApplicationListQueriedResult {
	tb.Helper()
	var res messages.GroupApplicationListQueriedResult
	w.grain(KindUser, user).mustCall(user, "queryGroupApplicationList", &messages.GroupApplicationListQueryParams{Config: &messages.GroupPageConfig{Count: count, NextFlag: next}}, &res)
	return &res
}

func guIsMember(tb testing.TB, g *unitGrain, by, user string) bool {
	tb.Helper()
	err := g.call(by, "queryGroupMemberInfo", &messages.GroupMemberInfoQueryParams{GroupID: guID, UserID: user}, nil)
	if err == nil {
		return true
	}
	wantCode(tb, err, ErrNotGroupMember)
	return false
}

func TestUnitGroupJoinModes(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	w.users("sam", "tina", "uma", "vic")
	guOnline(g, "owner", 10)
	w.rec.takeSends()

	// Join mode any (the default): anyone joins, twice is once.
	var jr messages.GroupJoinedResult
	g.mustCall("sam", "joinGroup", guIDp(), &jr)
	if jr.GroupInfo.BaseInfo.GroupName != "group one" || jr.GroupInfo.VerifyInfo.JoinMode != GroupJoinAny {
		t.Fatalf("joined %v", jr.GroupInfo)
	}
	if ev := guOne[*messages.GroupMemberStateChangedEvent](t, guConnPushes(w), 10, "groupMemberStateChanged"); ev.Event != GroupMemberEventJoined || ev.UserList[0].UserID != "sam" {
		t.Fatalf("join push %v", ev)
	}
	news := guTakeUserNews(w)
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "sam", "groupStateChanged"); ev.Event != GroupEventJoined || ev.State != GroupStateEnter {
		t.Fatalf("sam's event %v", ev)
	}
	g.mustCall("sam", "joinGroup", guIDp(), nil)
	if len(w.rec.takePushes()) != 0 || guCount(t, g, "sam") != 3 {
		t.Fatal("joining twice joined twice")
	}
	if m := guMember(t, g, "owner", "sam"); m.GroupEnterInfo.EnterType != GroupEnterJoined || m.GroupEnterInfo.OperatedUser.GetUserID() != "sam" {
		t.Fatalf("sam %v", m)
	}
	// An application to a group of join mode any is a join.
	if err := guApply(g, "vic", ""); err != nil {
		t.Fatal(err)
	}
	if !guIsMember(t, g, "owner", "vic") {
		t.Fatal("vic's application did not make him a member")
	}
	wantCode(t, guApply(g, "vic", ""), ErrAlreadyGroupMember)

	// Only managers change the mode, to a known one.
	wantCode(t, g.call("bob", "updateGroupJoinMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupJoinAuth}, nil), ErrGroupNoPermission)
	wantCode(t, g.call("ghost", "updateGroupJoinMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: GroupJoinAuth}, nil), ErrNotGroupMember)
	for _, bad := range []int32{-1, 3} {
		wantCode(t, g.call("owner", "updateGroupJoinMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: bad}, nil), ErrParamInvalid)
	}
	w.rec.takePushes()
	guMode(t, g, "owner", "updateGroupJoinMode", GroupJoinAuth)
	if ev := guOne[*messages.GroupVerifyInfoUpdatedEvent](t, guConnPushes(w), 10, "groupVerifyInfoUpdated"); ev.VerifyInfo.JoinMode != GroupJoinAuth || ev.OperatedInfo.UserID != "owner" {
		t.Fatalf("mode push %v", ev)
	}
	wantCode(t, g.call("tina", "joinGroup", guIDp(), nil), ErrGroupJoinNeedsApply)
	g.mustCall("sam", "joinGroup", guIDp(), nil) // a member "joins" whatever the mode

	guMode(t, g, "owner", "updateGroupJoinMode", GroupJoinForbid)
	g = w.grain(KindGroup, guID) // the mode is stored
	wantCode(t, g.call("tina", "joinGroup", guIDp(), nil), ErrGroupJoinForbidden)
	wantCode(t, guApply(g, "tina", ""), ErrGroupJoinForbidden)
	var info messages.GroupInfoQueriedResult
	g.mustCall("uma", "queryGroupInfo", guIDp(), &info) // outsiders see the settings
	if info.GroupInfo.VerifyInfo.JoinMode != GroupJoinForbid {
		t.Fatalf("verify info %v", info.GroupInfo.VerifyInfo)
	}
	if guCount(t, g, "owner") != 4 {
		t.Fatal("a refused join added a member")
	}
}

func TestUnitGroupJoinApplicationsAcceptRejectExpire(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, &messages.GroupAdvancedConfig{JoinMode: GroupJoinAuth})
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	w.users("amy", "ben", "cal")
	w.rec.takeSends()

	wantCode(t, guApply(g, "amy", strings.Repeat("w", 301)), ErrParamInvalid)
	wantCode(t, guApply(g, "carol", ""), ErrAlreadyGroupMember)
	if err := guApply(g, "amy", "let me in"); err != nil {
		t.Fatal(err)
	}
	// The applicant and the managers hear of it, the ordinary members do not.
	news := guTakeUserNews(w)
	if u := news.usersWith("groupApplicationListChanged"); !slices.Equal(u, []string{"amy", "bob", "owner"}) {
		t.Fatalf("application told %v", u)
	}
	ev := guUserOne[*messages.GroupApplicationListChangedEvent](t, news, "bob", "groupApplicationListChanged")
	if len(ev.ApplicationList) != 1 {
		t.Fatalf("application event %v", ev)
	}
	app := ev.ApplicationList[0]
	if app.Type != GroupAppJoin || app.State != GroupAppWaiting || app.ApplyUser.UserID != "amy" || app.Wording != "let me in" ||
		app.GroupInfo.GroupID != guID || app.CreateTime != w.now.UnixMilli() {
		t.Fatalf("application %v", app)
	}
	if guIsMember(t, g, "owner", "amy") {
		t.Fatal("an application made a member")
	}

	wantCode(t, guDecideJoin(g, "carol", "acceptGroupJoinApplication", "amy"), ErrGroupNoPermission)
	wantCode(t, guDecideJoin(g, "carol", "rejectGroupJoinApplication", "amy"), ErrGroupNoPermission)
	wantCode(t, guDecideJoin(g, "bob", "acceptGroupJoinApplication", "ben"), ErrGroupApplication) // ben never applied
	w.now = w.now.Add(time.Minute)
	var ar messages.GroupJoinApplicationResult
	g.mustCall("bob", "acceptGroupJoinApplication", &messages.GroupJoinApplicationParams{GroupID: guID, UserID: "amy"}, &ar)
	if ar.UserID != "amy" {
		t.Fatalf("accept result %v", &ar)
	}
	news = guTakeUserNews(w)
	if u := news.usersWith("groupApplicationUpdated"); !slices.Equal(u, []string{"amy", "bob", "owner"}) {
		t.Fatalf("acceptance told %v", u)
	}
	up := guUserOne[*messages.GroupApplicationUpdatedEvent](t, news, "amy", "groupApplicationUpdated").ApplicationList[0]
	if up.State != GroupAppAccepted || up.OperatedUser.GetUserID() != "bob" || up.UpdateTime != w.now.UnixMilli() {
		t.Fatalf("accepted application %v", up)
	}
	if ev := guUserOne[*messages.GroupStateChangedEvent](t, news, "amy", "groupStateChanged"); ev.Event != GroupEventJoined || ev.OperatedInfo.UserID != "bob" {
		t.Fatalf("amy's event %v", ev)
	}
	wantCode(t, guDecideJoin(g, "owner", "acceptGroupJoinApplication", "amy"), ErrGroupApplication) // decided already

	// Rejection.
	if err := guApply(g, "ben", ""); err != nil {
		t.Fatal(err)
	}
	if err := guDecideJoin(g, "owner", "rejectGroupJoinApplication", "ben"); err != nil {
		t.Fatal(err)
	}
	news = guTakeUserNews(w)
	if st := guUserOne[*messages.GroupApplicationUpdatedEvent](t, news, "ben", "groupApplicationUpdated").ApplicationList[0].State; st != GroupAppRejected {
		t.Fatalf("rejected state %d", st)
	}
	wantCode(t, guDecideJoin(g, "owner", "acceptGroupJoinApplication", "ben"), ErrGroupApplication)
	wantCode(t, guDecideJoin(g, "owner", "rejectGroupJoinApplication", "ben"), ErrGroupApplication)

	// Expiry: a waiting application lapses after the TTL; applying again starts anew.
	if err := guApply(g, "cal", ""); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(DefaultLimits().GroupApplicationTTL + time.Millisecond)
	wantCode(t, guDecideJoin(g, "owner", "acceptGroupJoinApplication", "cal"), ErrGroupApplication)
	wantCode(t, guDecideJoin(g, "owner", "rejectGroupJoinApplication", "cal"), ErrGroupApplication)
	if err := guApply(g, "cal", "again"); err != nil {
		t.Fatal(err)
	}
	if err := guDecideJoin(g, "owner", "acceptGroupJoinApplication", "cal"); err != nil {
		t.Fatal(err)
	}

	// The store: amy joined by application through bob, cal through the owner, ben not.
	g = w.grain(KindGroup, guID)
	if m := guMember(t, g, "carol", "amy"); m.GroupEnterInfo.EnterType != GroupEnterJoinApply || m.GroupEnterInfo.OperatedUser.GetUserID() != "bob" {
		t.Fatalf("amy %v", m)
	}
	if m := guMember(t, g, "carol", "cal"); m.GroupEnterInfo.OperatedUser.GetUserID() != "owner" {
		t.Fatalf("cal %v", m)
	}
	if guIsMember(t, g, "carol", "ben") || guCount(t, g, "carol") != 5 {
		t.Fatal("members after the applications")
	}
}

func TestUnitGroupJoinApplicationAcceptedIntoFullGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, &messages.GroupAdvancedConfig{JoinMode: GroupJoinAuth, MaxMemberCount: 3})
	w.users("amy", "cal")
	for _, u := range []string{"amy", "cal"} {
		if err := guApply(g, u, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := guDecideJoin(g, "owner", "acceptGroupJoinApplication", "amy"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, guDecideJoin(g, "owner", "acceptGroupJoinApplication", "cal"), ErrGroupFull)
	// The refused acceptance left the application waiting.
	g = w.grain(KindGroup, guID)
	g.mustCall("owner", "kickGroupMembers", guUsers("bob"), nil)
	if err := guDecideJoin(g, "owner", "acceptGroupJoinApplication", "cal"); err != nil {
		t.Fatal(err)
	}
	if !guIsMember(t, g, "owner", "cal") || guCount(t, g, "cal") != 3 {
		t.Fatal("cal after the place was freed")
	}
}

func TestUnitGroupApplicationListPagingAndExpiry(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, &messages.GroupAdvancedConfig{JoinMode: GroupJoinAuth})
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	var applicants []string
	for i := range 7 {
		u := fmt.Sprintf("app%d", i)
		applicants = append(applicants, u)
		w.users(u)
		w.now = w.now.Add(time.Second) // each later than the one before
		if err := guApply(g, u, u); err != nil {
			t.Fatal(err)
		}
	}
	// A manager sees every join application, newest first, in pages.
	var got []string
	var next int64
	for page, size := range []int{3, 3, 1} {
		res := guApps(t, w, "bob", 3, next)
		if len(res.ApplicationList) != size || (page < 2) != (res.NextFlag != 0) {
			t.Fatalf("page %d: %d applications, nextFlag %d", page, len(res.ApplicationList), res.NextFlag)
		}
		for _, a := range res.ApplicationList {
			if a.Type != GroupAppJoin || a.State != GroupAppWaiting || a.GroupInfo.GroupName != "group one" || a.Wording != a.ApplyUser.UserID {
				t.Fatalf("application %v", a)
			}
			got = append(got, a.ApplyUser.UserID)
		}
		next = res.NextFlag
	}
	want := slices.Clone(applicants)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Fatalf("applications %v, want newest first %v", got, want)
	}
	// An applicant sees its own; an ordinary member none.
	if res := guApps(t, w, "app3", 10, 0); len(res.ApplicationList) != 1 || res.ApplicationList[0].ApplyUser.UserID != "app3" {
		t.Fatalf("app3's list %v", res.ApplicationList)
	}
	if res := guApps(t, w, "carol", 10, 0); len(res.ApplicationList) != 0 {
		t.Fatalf("carol's list %v", res.ApplicationList)
	}
	// A decision moves the application to the front with its new state.
	w.now = w.now.Add(time.Second)
	if err := guDecideJoin(g, "owner", "rejectGroupJoinApplication", "app0"); err != nil {
		t.Fatal(err)
	}
	if res := guApps(t, w, "owner", 1, 0); res.ApplicationList[0].ApplyUser.UserID != "app0" || res.ApplicationList[0].State != GroupAppRejected ||
		res.ApplicationList[0].OperatedUser.GetUserID() != "owner" {
		t.Fatalf("first after the rejection %v", res.ApplicationList)
	}
	// Past the TTL the waiting ones read as expired; the decided one stays rejected.
	w.now = w.now.Add(DefaultLimits().GroupApplicationTTL)
	res := guApps(t, w, "owner", 10, 0)
	states := map[string]int32{}
	for _, a := range res.ApplicationList {
		states[a.ApplyUser.UserID] = a.State
	}
	if len(states) != 7 || states["app0"] != GroupAppRejected || states["app6"] != GroupAppExpired || states["app1"] != GroupAppExpired {
		t.Fatalf("states after the TTL %v", states)
	}
	var bad messages.GroupApplicationListQueriedResult
	wantCode(t, w.grain(KindUser, "owner").call("owner", "queryGroupApplicationList", &messages.GroupApplicationListQueryParams{}, &bad), ErrParamInvalid)
}

func TestUnitGroupInviteApplications(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.GroupInviteApplicationMax = 4 })
	g := guNewGroup(w, "owner", []string{"bob"}, &messages.GroupAdvancedConfig{BeInviteMode: GroupBeInviteAuth})
	w.users("ann", "ari", "ivy", "joe")
	w.rec.takeSends()

	// With be-invite mode auth, direct invitations are refused: the invitee decides.
	wantCode(t, g.call("bob", "inviteUsersIntoGroup", guUsers("ann"), nil), ErrGroupInviteNeedsApply)
	send := func(by string, users ...string) (*messages.GroupInviteApplicationsSentResult, error) {
		var res messages.GroupInviteApplicationsSentResult
		err := g.call(by, "sendGroupInviteApplications", &messages.GroupInviteApplicationsSendParams{GroupID: guID, UserIDs: users, Config: &messages.GroupApplicationConfig{Wording: "join us"}}, &res)
		return &res, err
	}
	_, err := send("bob", "ann", "ari", "ivy", "joe", "owner")
	wantCode(t, err, ErrParamInvalid) // 5 > 4
	_, err = send("bob")
	wantCode(t, err, ErrParamInvalid)
	_, err = send("ghost", "ann")
	wantCode(t, err, ErrNotGroupMember)
	res, err := send("bob", "ann", "ari", "ghost", "owner")
	if err != nil {
		t.Fatal(err)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"ghost": ErrUserNotExist, "owner": ErrAlreadyGroupMember})
	// Each invitee sees the inviter (be-invite); the inviter sees the invitees (invite).
	news := guTakeUserNews(w)
	if u := news.usersWith("groupApplicationListChanged"); !slices.Equal(u, []string{"ann", "ari", "bob"}) {
		t.Fatalf("invitations told %v", u)
	}
	annApp := guUserOne[*messages.GroupApplicationListChangedEvent](t, news, "ann", "groupApplicationListChanged").ApplicationList
	if len(annApp) != 1 || annApp[0].Type != GroupAppBeInvite || annApp[0].ApplyUser.UserID != "bob" || annApp[0].Wording != "join us" {
		t.Fatalf("ann's invitation %v", annApp)
	}
	bobApps := guUserOne[*messages.GroupApplicationListChangedEvent](t, news, "bob", "groupApplicationListChanged").ApplicationList
	if len(bobApps) != 2 || bobApps[0].Type != GroupAppInvite || bobApps[0].ApplyUser.UserID != "ann" || bobApps[1].ApplyUser.UserID != "ari" {
		t.Fatalf("bob's invitations %v", bobApps)
	}
	if guIsMember(t, g, "owner", "ann") {
		t.Fatal("an invitation made a member")
	}

	// ann accepts bob's invitation.
	wantCode(t, guDecideInvite(g, "ann", "acceptGroupInviteApplication", "owner"), ErrGroupApplication) // not the owner's
	w.now = w.now.Add(time.Minute)
	var acc messages.GroupInviteApplicationAcceptedResult
	g.mustCall("ann", "acceptGroupInviteApplication", &messages.GroupInviteApplicationParams{GroupID: guID, InviterUserID: "bob"}, &acc)
	if acc.InviterUserID != "bob" || acc.GroupInfo.BaseInfo.GroupID != guID || acc.GroupInfo.VerifyInfo.BeInviteMode != GroupBeInviteAuth {
		t.Fatalf("accept result %v", &acc)
	}
	news = guTakeUserNews(w)
	if u := news.usersWith("groupApplicationUpdated"); !slices.Equal(u, []string{"ann", "bob"}) {
		t.Fatalf("acceptance told %v", u)
	}
	if a := guUserOne[*messages.GroupApplicationUpdatedEvent](t, news, "bob", "groupApplicationUpdated").ApplicationList[0]; a.State != GroupAppAccepted || a.Type != GroupAppInvite {
		t.Fatalf("bob's view of the acceptance %v", a)
	}
	wantCode(t, guDecideInvite(g, "ann", "acceptGroupInviteApplication", "bob"), ErrGroupApplication)

	// ari rejects.
	if err := guDecideInvite(g, "ari", "rejectGroupInviteApplication", "bob"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, guDecideInvite(g, "ari", "acceptGroupInviteApplication", "bob"), ErrGroupApplication)
	wantCode(t, guDecideInvite(g, "ari", "rejectGroupInviteApplication", "bob"), ErrGroupApplication)

	// An invitation lapses after the TTL.
	if _, err := send("owner", "ivy"); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(DefaultLimits().GroupApplicationTTL + time.Millisecond)
	wantCode(t, guDecideInvite(g, "ivy", "acceptGroupInviteApplication", "owner"), ErrGroupApplication)

	// The invitee's list: ari sees bob's invitation, rejected, as be-invite.
	list := guApps(t, w, "ari", 10, 0).ApplicationList
	if len(list) != 1 || list[0].Type != GroupAppBeInvite || list[0].State != GroupAppRejected || list[0].ApplyUser.UserID != "bob" {
		t.Fatalf("ari's list %v", list)
	}

	// Invite mode admin: ordinary members invite nobody, not even by application.
	guMode(t, g, "owner", "updateGroupInviteMode", GroupInviteAdmin)
	_, err = send("bob", "joe")
	wantCode(t, err, ErrGroupNoPermission)
	wantCode(t, g.call("bob", "inviteUsersIntoGroup", guUsers("joe"), nil), ErrGroupNoPermission)

	// Be-invite mode none: an invitation brings the invitee in at once.
	wantCode(t, g.call("owner", "updateGroupBeInviteMode", &messages.GroupUpdateModeParams{GroupID: guID, Mode: 2}, nil), ErrParamInvalid)
	guMode(t, g, "owner", "updateGroupBeInviteMode", GroupBeInviteNone)
	if res, err := send("owner", "ivy"); err != nil || len(res.ErrorUserList) != 0 {
		t.Fatalf("invite ivy: %v %v", res, err)
	}

	g = w.grain(KindGroup, guID)
	if m := guMember(t, g, "bob", "ann"); m.GroupEnterInfo.EnterType != GroupEnterInviteApply || m.GroupEnterInfo.OperatedUser.GetUserID() != "bob" {
		t.Fatalf("ann %v", m)
	}
	if m := guMember(t, g, "bob", "ivy"); m.GroupEnterInfo.EnterType != GroupEnterInvited || m.GroupEnterInfo.OperatedUser.GetUserID() != "owner" {
		t.Fatalf("ivy %v", m)
	}
	if guIsMember(t, g, "bob", "ari") || guIsMember(t, g, "bob", "joe") || guCount(t, g, "bob") != 4 {
		t.Fatal("members after the invitations")
	}
	var info messages.GroupInfoQueriedResult
	g.mustCall("joe", "queryGroupInfo", guIDp(), &info)
	if v := info.GroupInfo.VerifyInfo; v.InviteMode != GroupInviteAdmin || v.BeInviteMode != GroupBeInviteNone {
		t.Fatalf("stored modes %v", v)
	}
}
