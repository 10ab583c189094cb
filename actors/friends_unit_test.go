package actors

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Unit tests of friends, the blacklist and user rules (friends.go, blacklist.go,
// user_rules.go) on user grains: both users' records, the pushes handed to the other
// user's actor, the limits and refusals, paging, and a fresh activation reading back.

// userPushes are the events (by name) sent to user's actor as UserPush.
func userPushes(t *testing.T, ss []sent, user string) map[string][]proto.Message {
	t.Helper()
	out := map[string][]proto.Message{}
	for _, s := range sendsTo(ss, KindUser, user) {
		up, ok := s.(*messages.UserPush)
		if !ok {
			continue
		}
		spec := messages.LookupEvent(up.Push.Event)
		m := spec.NewPayload()
		if err := proto.Unmarshal(up.Push.Data, m); err != nil {
			t.Fatal(err)
		}
		out[up.Push.Event] = append(out[up.Push.Event], m)
	}
	return out
}

func relation(t *testing.T, g *unitGrain, user, other string, typ int32) int32 {
	t.Helper()
	var res messages.FriendsRelationCheckedResult
	g.mustCall(user, "checkFriendsRelation", &messages.CheckFriendsRelationParams{UserIDs: []string{other}, Config: &messages.FriendRelationCheckConfig{Type: typ}}, &res)
	if len(res.RelationInfos) != 1 {
		t.Fatalf("relation %s→%s: %v", user, other, res.String())
	}
	return res.RelationInfos[0].Type
}

func friendIDs(t *testing.T, g *unitGrain, user string, count int32, next int64) ([]string, int64) {
	t.Helper()
	var res messages.FriendListQueriedResult
	g.mustCall(user, "queryFriendList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: count, NextFlag: next}}, &res)
	ids := make([]string, 0, len(res.FriendList))
	for _, f := range res.FriendList {
		ids = append(ids, f.UserID)
	}
	return ids, res.NextFlag
}

func TestFriendApplicationFlow(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	alice, bob := w.grain(KindUser, "alice"), w.grain(KindUser, "bob")

	var sentRes messages.FriendApplicationSentResult
	alice.mustCall("alice", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "bob",
		Config: &messages.FriendApplicationSendConfig{Wording: "hi", FriendAlias: "Bobby", FriendAttributes: map[string]string{"k0": "x"}}}, &sentRes)
	if a := sentRes.ApplicationInfo; a.Type != FriendAppSent || a.State != FriendAppWaiting || a.ApplyUser.UserID != "bob" || a.Wording != "hi" {
		t.Fatalf("sent application: %v", a)
	}
	ev := userPushes(t, w.rec.takeSends(), "bob")["friendApplicationListChanged"]
	if len(ev) != 1 || ev[0].(*messages.FriendApplicationListChangedEvent).ApplicationList[0].ApplyUser.UserID != "alice" {
		t.Fatalf("bob's friendApplicationListChanged: %v", ev)
	}
	// a second application while one waits: already-friend checks and self are refused
	wantCode(t, alice.call("alice", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "alice"}, nil), ErrFriendSelf)
	wantCode(t, alice.call("alice", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "nobody"}, nil), ErrFriendUnregistered)
	// only the receiver may accept
	wantCode(t, alice.call("alice", "acceptFriendApplication", &messages.AcceptFriendApplicationParams{UserID: "bob"}, nil), ErrFriendAppState)

	var apps messages.FriendApplicationListQueriedResult
	bob.mustCall("bob", "queryFriendApplicationList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 10}}, &apps)
	if len(apps.ApplicationList) != 1 || apps.ApplicationList[0].Type != FriendAppReceived || apps.ApplicationList[0].ApplyUser.UserName != "alice" {
		t.Fatalf("bob's applications: %v", apps.String())
	}

	var acc messages.FriendApplicationAcceptedResult
	bob.mustCall("bob", "acceptFriendApplication", &messages.AcceptFriendApplicationParams{UserID: "alice",
		Config: &messages.FriendApplicationAcceptConfig{FriendAlias: "Al"}}, &acc)
	if acc.FriendInfo.UserID != "alice" || acc.FriendInfo.FriendAlias != "Al" || acc.FriendInfo.Wording != "hi" {
		t.Fatalf("accepted: %v", acc.FriendInfo)
	}
	got := userPushes(t, w.rec.takeSends(), "alice")
	if len(got["friendListChanged"]) != 1 || len(got["friendApplicationUpdated"]) != 1 {
		t.Fatalf("alice's pushes after accept: %v", got)
	}
	if f := got["friendListChanged"][0].(*messages.FriendListChangedEvent).FriendList[0]; f.UserID != "bob" || f.FriendAlias != "Bobby" || f.FriendAttributes["k0"] != "x" {
		t.Fatalf("alice's new friend: %v", f)
	}
	wantCode(t, bob.call("bob", "acceptFriendApplication", &messages.AcceptFriendApplicationParams{UserID: "alice"}, nil), ErrFriendAppState)
	wantCode(t, alice.call("alice", "addFriend", &messages.AddFriendParams{UserID: "bob"}, nil), ErrAlreadyFriend)

	// a fresh activation reads it all back
	alice2 := w.grain(KindUser, "alice")
	if ids, next := friendIDs(t, alice2, "alice", 10, 0); len(ids) != 1 || ids[0] != "bob" || next != 0 {
		t.Fatalf("alice's friends: %v %d", ids, next)
	}
	var info messages.FriendsInfoQueriedResult
	alice2.mustCall("alice", "queryFriendsInfo", &messages.FriendUserIDsParams{UserIDs: []string{"bob", "carol"}}, &info)
	if len(info.FriendInfos) != 1 || info.FriendInfos[0].FriendAlias != "Bobby" || len(info.ErrorUserList) != 1 || info.ErrorUserList[0].Reason != ErrNotFriend.Code {
		t.Fatalf("friends info: %v", info.String())
	}
	alice2.mustCall("alice", "queryFriendApplicationList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 10}}, &apps)
	if len(apps.ApplicationList) != 1 || apps.ApplicationList[0].State != FriendAppAccepted {
		t.Fatalf("alice's applications: %v", apps.String())
	}
	if r := relation(t, alice2, "alice", "bob", FriendTypeBoth); r != RelationBothAllHave {
		t.Fatalf("relation %d", r)
	}
}

func TestFriendRejectExpireAndLimits(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Friends.MaxFriends = 1 })
	w.users("alice", "bob", "carol", "dave")
	alice, bob, carol := w.grain(KindUser, "alice"), w.grain(KindUser, "bob"), w.grain(KindUser, "carol")

	alice.mustCall("alice", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "bob"}, nil)
	var rej messages.FriendApplicationRejectedResult
	bob.mustCall("bob", "rejectFriendApplication", &messages.RejectFriendApplicationParams{UserID: "alice"}, &rej)
	if rej.UserInfo.UserID != "alice" {
		t.Fatalf("rejected: %v", rej.UserInfo)
	}
	if up := userPushes(t, w.rec.takeSends(), "alice")["friendApplicationUpdated"]; len(up) != 1 ||
		up[0].(*messages.FriendApplicationUpdatedEvent).ApplicationList[0].State != FriendAppRejected {
		t.Fatalf("alice's friendApplicationUpdated: %v", up)
	}
	wantCode(t, bob.call("bob", "acceptFriendApplication", &messages.AcceptFriendApplicationParams{UserID: "alice"}, nil), ErrFriendAppState)

	// an application expires after the TTL
	carol.mustCall("carol", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "bob"}, nil)
	w.now = w.now.Add(7*24*time.Hour + time.Second)
	wantCode(t, bob.call("bob", "acceptFriendApplication", &messages.AcceptFriendApplicationParams{UserID: "carol"}, nil), ErrFriendAppExpired)
	var apps messages.FriendApplicationListQueriedResult
	bob.mustCall("bob", "queryFriendApplicationList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 10}}, &apps)
	if len(apps.ApplicationList) != 2 || apps.ApplicationList[0].State != FriendAppExpired || apps.ApplicationList[1].State != FriendAppRejected {
		t.Fatalf("bob's applications (newest first): %v", apps.String())
	}

	// limits: the caller's own list, the other's (6000801 both)
	alice.mustCall("alice", "addFriend", &messages.AddFriendParams{UserID: "dave"}, nil)
	wantCode(t, alice.call("alice", "addFriend", &messages.AddFriendParams{UserID: "carol"}, nil), ErrFriendLimit)
	wantCode(t, carol.call("carol", "addFriend", &messages.AddFriendParams{UserID: "alice"}, nil), ErrOtherFriendLimit)
	wantCode(t, carol.call("carol", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "bob", Config: &messages.FriendApplicationSendConfig{
		FriendAttributes: map[string]string{"k5": "no"}}}, nil), ErrParamInvalid)
	long := make([]byte, 257)
	for i := range long {
		long[i] = 'a'
	}
	wantCode(t, carol.call("carol", "addFriend", &messages.AddFriendParams{UserID: "bob", Config: &messages.FriendAddConfig{FriendAlias: string(long)}}, nil), ErrParamInvalid)
}

func TestFriendDeleteAndUpdate(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	alice, bob := w.grain(KindUser, "alice"), w.grain(KindUser, "bob")
	alice.mustCall("alice", "addFriend", &messages.AddFriendParams{UserID: "bob", Config: &messages.FriendAddConfig{Wording: "yo"}}, nil)
	alice.mustCall("alice", "addFriend", &messages.AddFriendParams{UserID: "carol"}, nil)
	if ev := userPushes(t, w.rec.takeSends(), "bob")["friendListChanged"]; len(ev) != 1 {
		t.Fatalf("bob's friendListChanged on addFriend: %v", ev)
	}

	var upd messages.FriendAliasUpdatedResult
	alice.mustCall("alice", "updateFriendAlias", &messages.UpdateFriendAliasParams{FriendAlias: "B", UserID: "bob"}, &upd)
	var attrs messages.FriendAttributesUpdatedResult
	alice.mustCall("alice", "updateFriendAttributes", &messages.UpdateFriendAttributesParams{FriendAttributes: map[string]string{"k1": "v", "k2": "w"}, UserID: "bob"}, &attrs)
	alice.mustCall("alice", "updateFriendAttributes", &messages.UpdateFriendAttributesParams{FriendAttributes: map[string]string{"k2": ""}, UserID: "bob"}, &attrs)
	if f := attrs.FriendInfo; f.FriendAlias != "B" || len(f.FriendAttributes) != 1 || f.FriendAttributes["k1"] != "v" {
		t.Fatalf("updated friend: %v", f)
	}
	wantCode(t, alice.call("alice", "updateFriendAlias", &messages.UpdateFriendAliasParams{FriendAlias: "x", UserID: "nobody"}, nil), ErrNotFriend)
	wantCode(t, alice.call("alice", "updateFriendAttributes", &messages.UpdateFriendAttributesParams{FriendAttributes: map[string]string{"name": "v"}, UserID: "bob"}, nil), ErrParamInvalid)

	// single: only alice's side goes
	var del messages.FriendsDeletedResult
	alice.mustCall("alice", "deleteFriends", &messages.DeleteFriendsParams{UserIDs: []string{"bob", "alice", "nobody"}, Config: &messages.FriendDeleteConfig{Type: FriendTypeSingle}}, &del)
	if len(del.ErrorUserList) != 2 || del.ErrorUserList[0].Reason != ErrDeleteSelf.Code || del.ErrorUserList[1].Reason != ErrNotFriend.Code {
		t.Fatalf("delete errors: %v", del.String())
	}
	if ev := userPushes(t, w.rec.takeSends(), "bob")["friendListChanged"]; len(ev) != 0 {
		t.Fatalf("bob got friendListChanged on a single delete: %v", ev)
	}
	if r := relation(t, alice, "alice", "bob", FriendTypeBoth); r != RelationBothOtherHave {
		t.Fatalf("relation after single delete: %d", r)
	}
	if r := relation(t, bob, "bob", "alice", FriendTypeSingle); r != RelationSingleHave {
		t.Fatalf("bob's single relation: %d", r)
	}
	// bob still has alice: alice's application makes her bob's friend again at once
	var sentRes messages.FriendApplicationSentResult
	alice.mustCall("alice", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "bob"}, &sentRes)
	if sentRes.ApplicationInfo.State != FriendAppAccepted || relation(t, alice, "alice", "bob", FriendTypeBoth) != RelationBothAllHave {
		t.Fatalf("application to a one-way friend: %v", sentRes.ApplicationInfo)
	}
	w.rec.takeSends()
	// both: bob's side goes too, and bob is told
	alice.mustCall("alice", "deleteFriends", &messages.DeleteFriendsParams{UserIDs: []string{"bob"}, Config: &messages.FriendDeleteConfig{Type: FriendTypeBoth}}, &del)
	if ev := userPushes(t, w.rec.takeSends(), "bob")["friendListChanged"]; len(ev) != 1 || ev[0].(*messages.FriendListChangedEvent).Action != FriendActionDeleted {
		t.Fatalf("bob's friendListChanged on a both delete: %v", ev)
	}
	if r := relation(t, bob, "bob", "alice", FriendTypeBoth); r != RelationBothAllNo {
		t.Fatalf("relation after both delete: %d", r)
	}
	if ids, _ := friendIDs(t, alice, "alice", 10, 0); len(ids) != 1 || ids[0] != "carol" {
		t.Fatalf("alice's friends: %v", ids)
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint("u", i)
	}
	wantCode(t, alice.call("alice", "deleteFriends", &messages.DeleteFriendsParams{UserIDs: many}, nil), ErrFriendUsersPerCall)
	wantCode(t, alice.call("alice", "deleteFriends", &messages.DeleteFriendsParams{UserIDs: []string{"bob"}, Config: &messages.FriendDeleteConfig{Type: 7}}, nil), ErrParamInvalid)
}

func TestFriendListPaging(t *testing.T) {
	w := newUnitWorld(t)
	const n = 250
	ids := []string{"alice"}
	for i := 0; i < n; i++ {
		ids = append(ids, fmt.Sprintf("f%03d", i))
	}
	w.users(ids...)
	alice := w.grain(KindUser, "alice")
	for _, id := range ids[1:] {
		alice.mustCall("alice", "addFriend", &messages.AddFriendParams{UserID: id}, nil)
	}
	var all []string
	var next int64
	pages := 0
	for {
		page, after := friendIDs(t, w.grain(KindUser, "alice"), "alice", 100, next)
		all = append(all, page...)
		pages++
		if after == 0 {
			break
		}
		next = after
	}
	if pages != 3 || len(all) != n || all[0] != "f000" || all[n-1] != "f249" {
		t.Fatalf("pages %d, %d friends, first %v last %v", pages, len(all), all[0], all[len(all)-1])
	}
	wantCode(t, alice.call("alice", "queryFriendList", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 101}}, nil), ErrParamInvalid)
	wantCode(t, alice.call("alice", "queryFriendList", &messages.FriendPageParams{}, nil), ErrParamInvalid)
}

func TestBlacklist(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Friends.MaxBlacklist = 2 })
	w.users("alice", "bob", "carol", "dave")
	alice, bob := w.grain(KindUser, "alice"), w.grain(KindUser, "bob")

	// the peer actor is told (a request) before the call is answered
	peer := w.peerGrain("alice", "bob")
	peer.peerSend("bob", "before")
	var notes []string
	w.rec.answer = func(kind, identity string, msg proto.Message) (proto.Message, error) {
		notes = append(notes, kind+"/"+identity)
		if identity != PeerIdentity("alice", "bob") {
			return &messages.Empty{}, nil
		}
		rep, res := peer.Request(msg)
		if rep != nil && rep.Code != 0 {
			return nil, &CodeError{Code: rep.Code, Message: rep.Message}
		}
		return res, nil
	}
	var added messages.BlacklistUsersAddedResult
	alice.mustCall("alice", "addUsersToBlacklist", &messages.FriendUserIDsParams{UserIDs: []string{"bob", "alice", "nobody", "bob"}}, &added)
	if len(added.ErrorUserList) != 2 || added.ErrorUserList[0].Reason != ErrBlockSelf.Code || added.ErrorUserList[1].Reason != ErrFriendUnregistered.Code {
		t.Fatalf("add errors: %v", added.String())
	}
	if len(notes) != 1 || notes[0] != KindPeer+"/"+PeerIdentity("alice", "bob") {
		t.Fatalf("peer notices: %v", notes)
	}
	alice.mustCall("alice", "addUsersToBlacklist", &messages.FriendUserIDsParams{UserIDs: []string{"bob", "carol", "dave"}}, &added)
	if len(added.ErrorUserList) != 2 || added.ErrorUserList[0].Reason != ErrAlreadyBlocked.Code || added.ErrorUserList[1].Reason != ErrBlacklistLimit.Code {
		t.Fatalf("add errors: %v", added.String())
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint("u", i)
	}
	wantCode(t, alice.call("alice", "addUsersToBlacklist", &messages.FriendUserIDsParams{UserIDs: many}, nil), ErrBlacklistPerCall)

	// bob's 1:1 messages to alice are refused (the active peer actor was told); alice's
	// to bob are not, and a fresh activation reads the block from the store
	wantCode(t, w.peerGrain("alice", "bob").call("bob", "sendMessage", peerParams("hi", ""), nil), ErrSenderBlacklisted)
	wantCode(t, peer.call("bob", "sendMessage", peerParams("hi", ""), nil), ErrSenderBlacklisted)
	if m := peer.peerSend("alice", "to bob"); m.MessageSeq != 2 {
		t.Fatalf("alice to bob: %v", m)
	}
	// bob cannot befriend alice
	wantCode(t, bob.call("bob", "addFriend", &messages.AddFriendParams{UserID: "alice"}, nil), ErrBlockedByUser)
	wantCode(t, bob.call("bob", "sendFriendApplication", &messages.SendFriendApplicationParams{UserID: "alice"}, nil), ErrBlockedByUser)

	var q messages.BlacklistQueriedResult
	w.grain(KindUser, "alice").mustCall("alice", "queryBlacklist", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 1}}, &q)
	if len(q.Blacklist) != 1 || q.Blacklist[0].UserID != "bob" || q.NextFlag == 0 {
		t.Fatalf("blacklist page 1: %v", q.String())
	}
	alice.mustCall("alice", "queryBlacklist", &messages.FriendPageParams{Config: &messages.FriendPageConfig{Count: 1, NextFlag: q.NextFlag}}, &q)
	if len(q.Blacklist) != 1 || q.Blacklist[0].UserID != "carol" || q.NextFlag != 0 {
		t.Fatalf("blacklist page 2: %v", q.String())
	}

	var removed messages.BlacklistUsersRemovedResult
	w.rec.takeSends()
	alice.mustCall("alice", "removeUsersFromBlacklist", &messages.FriendUserIDsParams{UserIDs: []string{"bob", "dave"}}, &removed)
	if len(removed.ErrorUserList) != 1 || removed.ErrorUserList[0].Reason != ErrNotBlocked.Code {
		t.Fatalf("remove errors: %v", removed.String())
	}
	if m := peer.peerSend("bob", "to alice"); m.MessageSeq != 3 {
		t.Fatalf("bob to alice after removal: %v", m)
	}
	var chk messages.BlacklistCheckedResult
	alice.mustCall("alice", "checkUserIsInBlacklist", &messages.FriendUserIDParams{UserID: "carol"}, &chk)
	if !chk.IsUserInBlacklist {
		t.Fatal("carol should be in alice's blacklist")
	}
	alice.mustCall("alice", "checkUserIsInBlacklist", &messages.FriendUserIDParams{UserID: "bob"}, &chk)
	if chk.IsUserInBlacklist {
		t.Fatal("bob should no longer be in alice's blacklist")
	}
}

func TestUserRules(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	alice := w.grain(KindUser, "alice")
	alice.register(device(1, 6), "alice")
	alice.register(device(2, 1), "alice")
	w.rec.takePushes()
	var res messages.UserOfflinePushRuleUpdatedResult
	alice.mustCall("alice", "updateUserOfflinePushRule", &messages.UpdateUserOfflinePushRuleParams{OfflinePushRule: &messages.UserOfflinePushRule{
		OnlinePlatforms: []int32{1, 6, 1}, NotToReceiveOfflinePushPlatforms: []int32{2}}}, &res)
	if len(res.OfflinePushRule.OnlinePlatforms) != 2 {
		t.Fatalf("rule: %v", res.OfflinePushRule)
	}
	pushes := w.rec.takePushes()
	if len(pushes) != 1 || pushes[0].Push.Event != "userRuleUpdated" || len(pushes[0].ConnIDs) != 2 {
		t.Fatalf("userRuleUpdated pushes: %v", pushes)
	}
	wantCode(t, alice.call("alice", "updateUserOfflinePushRule", &messages.UpdateUserOfflinePushRuleParams{OfflinePushRule: &messages.UserOfflinePushRule{OnlinePlatforms: []int32{8}}}, nil), ErrParamInvalid)
	wantCode(t, alice.call("alice", "updateUserOfflinePushRule", &messages.UpdateUserOfflinePushRuleParams{}, nil), ErrParamInvalid)
	alice.mustCall("alice", "updateUserBadge", &messages.UpdateUserBadgeParams{Badge: 5}, nil)
	wantCode(t, alice.call("alice", "updateUserBadge", &messages.UpdateUserBadgeParams{Badge: -1}, nil), ErrParamInvalid)

	fresh := w.grain(KindUser, "alice")
	rule := fresh.self("alice").UserRule.OfflinePushRule
	if len(rule.OnlinePlatforms) != 2 || rule.OnlinePlatforms[0] != 1 || rule.OnlinePlatforms[1] != 6 || len(rule.NotToReceiveOfflinePushPlatforms) != 1 {
		t.Fatalf("rule after reactivation: %v", rule)
	}
	r, _, err := getRecord[messages.StoredUserRule](t.Context(), w.rt.Store(), keyUserRule("alice"))
	if err != nil || r.Badge != 5 {
		t.Fatalf("stored badge: %v %v", r, err)
	}
}

// TestFriendTxRetriesOnConflict: a change of a head between friendTx's read and its
// write fails the write's condition; friendTx reads again and writes on the new head,
// so neither change is lost.
func TestFriendTxRetriesOnConflict(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	ug := w.grain(KindUser, "alice")
	g := &grain{Grain: ug.G, rt: w.rt}
	runs := 0
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		runs++
		h, err := loadFriendHead(ctx, st, "alice")
		if err != nil {
			return err
		}
		if runs == 1 { // another writer bumps the head in between
			other, _ := loadFriendHead(ctx, st, "alice")
			ob := &persistence.Batch{}
			other.meta.Blocked = 5
			other.write(ob)
			if err := st.Write(ctx, ob); err != nil {
				return err
			}
		}
		h.meta.Friends++
		h.write(b)
		return nil
	})
	if err != nil || runs != 2 {
		t.Fatalf("friendTx: %v after %d runs", err, runs)
	}
	h, _ := loadFriendHead(t.Context(), w.rt.Store(), "alice")
	if h.meta.Friends != 1 || h.meta.Blocked != 5 || h.meta.Version != 2 {
		t.Fatalf("head: %v", h.meta)
	}
}
