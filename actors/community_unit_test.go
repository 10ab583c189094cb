package actors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Unit tests of the community kind (community.go): create, join, leave, dismiss, the
// profile and its attributes, run on a TestGrain (see unit_test.go). Helpers shared by
// the community and channel unit tests are here.

// community creates community id as owner and makes members its members by invitation
// (invitees are not online: no presence). It returns the grain and GENERAL's ID.
func (w *unitWorld) community(id, owner string, members ...string) (*unitGrain, string) {
	w.tb.Helper()
	w.users(append([]string{owner}, members...)...)
	g := w.grain(KindCommunity, id)
	g.mustCall(owner, "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: id, CommunityName: "name-" + id}}, nil)
	if len(members) > 0 {
		var res messages.CommunityUsersInvitedResult
		g.mustCall(owner, "inviteUsersIntoCommunity", &messages.CommunityUsersParams{CommunityID: id, UserIDs: members}, &res)
		if len(res.ErrorUserList) > 0 {
			w.tb.Fatalf("invite refused %v", res.ErrorUserList)
		}
	}
	return g, g.generalID(owner)
}

// generalID is the ID of the community's GENERAL channel as user lists it.
func (u *unitGrain) generalID(user string) string {
	u.w.tb.Helper()
	var list messages.CommunityChannelListQueriedResult
	u.mustCall(user, "queryCommunityChannelList", &messages.CommunityChannelListQueryParams{Config: &messages.CommunityPageConfig{Count: 100}}, &list)
	for _, ch := range list.ChannelList {
		if ch.ChannelType == ChannelGeneral {
			return ch.ChannelID
		}
	}
	u.w.tb.Fatalf("no GENERAL channel in %v", list.ChannelList)
	return ""
}

// online reports user's one connection (connID on the unit node) to the community, as
// its user actor does.
func (u *unitGrain) online(user string, connID uint64) {
	u.Tell(&messages.CommunityMemberPresence{UserID: user, Conns: []*messages.ConnRef{conn(connID)}})
}

// info is the community's full info as user queries it.
func (u *unitGrain) info(user string) *messages.CommunityFullInfo {
	u.w.tb.Helper()
	var res messages.CommunityInfoQueriedResult
	u.mustCall(user, "queryCommunityInfo", &messages.CommunityIDParams{}, &res)
	return res.CommunityInfo
}

// memberRole is target's role as user sees it (0: refused).
func (u *unitGrain) memberRole(user, target string) int32 {
	u.w.tb.Helper()
	var res messages.CommunityMemberInfoQueriedResult
	if err := u.call(user, "queryCommunityMemberInfo", &messages.CommunityMemberInfoQueryParams{UserID: target}, &res); err != nil {
		return 0
	}
	return res.UserInfo.MemberRole
}

// stored reports whether the world's store holds key.
func (w *unitWorld) stored(key []byte) bool {
	w.tb.Helper()
	_, err := w.rt.Store().Get(context.Background(), key)
	if errors.Is(err, persistence.ErrNotFound) {
		return false
	}
	if err != nil {
		w.tb.Fatal(err)
	}
	return true
}

// pushesOf decodes the pushes of event (payload into a new T each) and the connections
// each went to.
func pushesOf[T proto.Message](tb testing.TB, ds []*messages.Deliver, event string, newT func() T) ([]T, [][]uint64) {
	tb.Helper()
	var out []T
	var conns [][]uint64
	for _, d := range ds {
		if d.Push.GetEvent() != event {
			continue
		}
		m := newT()
		if err := proto.Unmarshal(d.Push.Data, m); err != nil {
			tb.Fatal(err)
		}
		ids := slices.Clone(d.ConnIDs)
		slices.Sort(ids)
		out = append(out, m)
		conns = append(conns, ids)
	}
	return out, conns
}

// sendsTo are the messages sent to kind/identity, in order.
func sendsTo(ss []sent, kind, identity string) []proto.Message {
	var out []proto.Message
	for _, s := range ss {
		if s.kind == kind && s.identity == identity {
			out = append(out, s.msg)
		}
	}
	return out
}

// errorReasons renders an errorUserList as "user:code,..." sorted by user.
func errorReasons(list []*messages.ErrorUserInfo) string {
	var parts []string
	for _, e := range list {
		parts = append(parts, fmt.Sprintf("%s:%d", e.UserID, e.Reason))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// chars is n copies of a two-byte character (limits count characters, not bytes).
func chars(n int) string { return strings.Repeat("é", n) }

func TestUnitCommunityCreate(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.grain(KindCommunity, "club")
	create := func(info *messages.CommunityInfo, cfg *messages.CommunityCreateConfig) error {
		return g.call("alice", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: info, Config: cfg}, nil)
	}
	// The ID must be this grain's; names and notices count characters.
	wantCode(t, create(nil, nil), ErrParamInvalid)
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "other"}, nil), ErrParamInvalid)
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club", CommunityName: chars(301)}, nil), ErrParamInvalid)
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club", CommunityAvatarUrl: chars(101)}, nil), ErrParamInvalid)
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club"}, &messages.CommunityCreateConfig{CommunityNotice: chars(501)}), ErrParamInvalid)
	eleven := map[string]string{}
	for i := 0; i < 11; i++ {
		eleven[fmt.Sprintf("k%d", i)] = "v"
	}
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club"}, &messages.CommunityCreateConfig{CommunityAttributes: eleven}), ErrCommunityAttrCount)
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club"}, &messages.CommunityCreateConfig{CommunityAttributes: map[string]string{strings.Repeat("k", 17): "v"}}), ErrParamInvalid)
	if w.stored(keyCommunity("club")) {
		t.Fatal("a refused create stored the community")
	}
	wantCode(t, g.call("alice", "queryCommunityInfo", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)

	var created messages.CommunityCreatedResult
	g.mustCall("alice", "createCommunity", &messages.CommunityCreateParams{
		CommunityInfo: &messages.CommunityInfo{CommunityID: "club", CommunityName: chars(300), CommunityAvatarUrl: "https://a/b.png"},
		Config:        &messages.CommunityCreateConfig{CommunityNotice: chars(500), CommunityAttributes: map[string]string{"topic": "go"}},
	}, &created)
	info := created.CommunityInfo
	if info.BaseInfo.CommunityID != "club" || info.BaseInfo.CommunityName != chars(300) || info.CreatorUserID != "alice" ||
		info.OwnerUserID != "alice" || info.CurrentMemberCount != 1 || info.CreateTime != w.now.UnixMilli() ||
		info.CommunityNotice != chars(500) || info.CommunityAttributes["topic"] != "go" || info.NotificationStatus != NotifyOn {
		t.Fatalf("created %v", info)
	}
	// The creator's user actor learns of it.
	if got := sendsTo(w.rec.takeSends(), KindUser, "alice"); len(got) != 1 || got[0].(*messages.CommunityUserUpdate).CommunityID != "club" {
		t.Fatalf("notices to alice %v", got)
	}
	wantCode(t, create(&messages.CommunityInfo{CommunityID: "club"}, nil), ErrCommunityExists)

	// The owner's record, the user side, GENERAL and its conversation entry are stored.
	gen := g.generalID("alice")
	if !strings.HasPrefix(gen, "#C") {
		t.Fatalf("GENERAL's ID %q", gen)
	}
	for _, key := range [][]byte{keyCommunityMember("club", "alice"), keyCommunityUser("alice", "club"), keyChannel("club", gen),
		keyConvIndex("alice", ConvChannel, ChannelConversationID("club", gen))} {
		if !w.stored(key) {
			t.Fatalf("key %q not stored", key)
		}
	}
	// A fresh activation reads it all back.
	g2 := w.grain(KindCommunity, "club")
	if got := g2.info("bob"); got.BaseInfo.CommunityName != chars(300) || got.OwnerUserID != "alice" || got.CurrentMemberCount != 1 ||
		got.CommunityAttributes["topic"] != "go" || got.CreateTime != info.CreateTime {
		t.Fatalf("after reload %v", got)
	}
	if g2.generalID("alice") != gen || g2.memberRole("alice", "alice") != RoleOwner {
		t.Fatal("GENERAL or the owner's role changed across a reload")
	}
	wantCode(t, g2.call("alice", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: "club"}}, nil), ErrCommunityExists)
}

func TestUnitCommunityIDAlphabet(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	for _, id := range []string{"has space", "comma,no", "é", strings.Repeat("x", 33)} {
		g := w.grain(KindCommunity, id)
		err := g.call("alice", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: id}}, nil)
		wantCode(t, err, ErrParamInvalid)
	}
	id := "a!$%&()+-:;<=.>?@[]^_{}|~#" + strings.Repeat("x", 6) // 32 bytes
	g := w.grain(KindCommunity, id)
	g.mustCall("alice", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: id}}, nil)
}

func TestUnitCommunityJoinLeave(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	missing := w.grain(KindCommunity, "nowhere")
	wantCode(t, missing.call("bob", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)
	wantCode(t, missing.call("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)

	g, gen := w.community("club", "alice")
	g.online("alice", 10)
	w.rec.takePushes()
	w.rec.takeSends()
	var joined messages.CommunityJoinedResult
	g.mustCall("bob", "joinCommunity", &messages.CommunityIDParams{}, &joined)
	if joined.CommunityInfo.CurrentMemberCount != 2 || joined.CommunityInfo.NotificationStatus != NotifyOn {
		t.Fatalf("joined %v", joined.CommunityInfo)
	}
	// alice (online) learns of it; bob's joining device is online now, and GENERAL hears of it.
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityMemberStateChanged", func() *messages.CommunityMemberStateChangedEvent { return &messages.CommunityMemberStateChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{10}) || evs[0].State != GroupStateEnter || evs[0].Event != GroupMemberEventJoined ||
		len(evs[0].UserList) != 1 || evs[0].UserList[0].UserID != "bob" || evs[0].UserList[0].EnterType != CommunityEnterJoined {
		t.Fatalf("join events %v to %v", evs, conns)
	}
	ss := w.rec.takeSends()
	if len(sendsTo(ss, KindUser, "bob")) != 1 {
		t.Fatalf("bob's user actor not told: %v", ss)
	}
	var bobOnline bool
	for _, m := range sendsTo(ss, KindChannel, ChannelConversationID("club", gen)) {
		s, _ := m.(*messages.CommunityChannelSync) // ChannelReaders too (channel_receipts.go)
		for _, cm := range s.GetMembers() {
			bobOnline = bobOnline || (cm.UserID == "bob" && len(cm.Conns) == 1)
		}
	}
	if !bobOnline {
		t.Fatalf("GENERAL not told bob is online: %v", ss)
	}
	if !w.stored(keyConvIndex("bob", ConvChannel, ChannelConversationID("club", gen))) {
		t.Fatal("a joiner has no GENERAL conversation")
	}
	wantCode(t, g.call("bob", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrAlreadyCommunityMember)

	// The owner cannot leave (transfer or dismiss first); a member can, once.
	wantCode(t, g.call("alice", "leaveCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("carol", "leaveCommunity", &messages.CommunityIDParams{}, nil), ErrNotCommunityMember)
	w.rec.takePushes()
	g.mustCall("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil)
	g.Advance(noticeInterval) // the leave came within the notice interval after the join
	evs, conns = pushesOf(t, w.rec.takePushes(), "communityMemberStateChanged", func() *messages.CommunityMemberStateChangedEvent { return &messages.CommunityMemberStateChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{10}) || evs[0].State != GroupStateQuit || evs[0].Event != GroupMemberEventLeft || evs[0].UserList[0].UserID != "bob" {
		t.Fatalf("leave events %v to %v", evs, conns)
	}
	wantCode(t, g.call("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil), ErrNotCommunityMember)
	for _, key := range [][]byte{keyCommunityMember("club", "bob"), keyCommunityUser("bob", "club"), keyConvIndex("bob", ConvChannel, ChannelConversationID("club", gen))} {
		if w.stored(key) {
			t.Fatalf("key %q outlived the leave", key)
		}
	}
	wantCode(t, g.call("bob", "queryCommunityMemberList", &messages.CommunityMemberListQueryParams{Config: &messages.CommunityPageConfig{Count: 10}}, nil), ErrNotCommunityMember)
	if n := w.grain(KindCommunity, "club").info("bob").CurrentMemberCount; n != 1 {
		t.Fatalf("members after leave and reload %d", n)
	}
	// Joining again works.
	g.mustCall("bob", "joinCommunity", &messages.CommunityIDParams{}, nil)
	if n := w.grain(KindCommunity, "club").info("carol").CurrentMemberCount; n != 2 {
		t.Fatalf("members after rejoin %d", n)
	}
}

func TestUnitCommunityPerUserLimit(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Community.PerUser = 2 })
	w.community("one", "alice")
	w.community("two", "alice")
	w.users("bob")
	g := w.grain(KindCommunity, "three")
	err := g.call("alice", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: "three"}}, nil)
	wantCode(t, err, ErrCommunityUserLimit)
	g.mustCall("bob", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: "three"}}, nil)
	wantCode(t, g.call("alice", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityUserLimit)
	var res messages.CommunityUsersInvitedResult
	g.mustCall("bob", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"alice"}}, &res)
	if errorReasons(res.ErrorUserList) != fmt.Sprintf("alice:%d", ErrCommunityUserLimit.Code) || len(res.UserList) != 0 {
		t.Fatalf("invite beyond the per-user limit %v", &res)
	}
	// Dismissing one frees a place.
	w.grain(KindCommunity, "two").mustCall("alice", "dismissCommunity", &messages.CommunityIDParams{}, nil)
	g.mustCall("alice", "joinCommunity", &messages.CommunityIDParams{}, nil)
}

func TestUnitCommunityDismiss(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol")
	w.users("dave")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	var ch messages.CommunityChannelResult
	g.mustCall("alice", "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: &messages.CommunityChannelInfo{ChannelID: "news"}}, &ch)
	g.online("carol", 30)

	wantCode(t, g.call("bob", "dismissCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("carol", "dismissCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("dave", "dismissCommunity", &messages.CommunityIDParams{}, nil), ErrNotCommunityMember)
	w.rec.takeSends()
	g.mustCall("alice", "dismissCommunity", &messages.CommunityIDParams{}, nil)

	// Both channel actors get their dismissed record; carol (online) is told.
	ss := w.rec.takeSends()
	for _, id := range []string{gen, "news"} {
		got := sendsTo(ss, KindChannel, ChannelConversationID("club", id))
		if len(got) != 1 || !got[0].(*messages.CommunityChannelSync).Record.GetDismissed() {
			t.Fatalf("channel %s told %v", id, got)
		}
	}
	if len(sendsTo(ss, KindUser, "carol")) != 1 {
		t.Fatalf("carol not told: %v", ss)
	}
	for _, user := range []string{"alice", "bob", "carol"} {
		if w.stored(keyCommunityMember("club", user)) || w.stored(keyCommunityUser(user, "club")) {
			t.Fatalf("%s's membership outlived the dismissal", user)
		}
	}
	for _, g := range []*unitGrain{g, w.grain(KindCommunity, "club")} {
		wantCode(t, g.call("alice", "queryCommunityInfo", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)
		wantCode(t, g.call("dave", "joinCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)
		wantCode(t, g.call("alice", "dismissCommunity", &messages.CommunityIDParams{}, nil), ErrCommunityNotExist)
		wantCode(t, g.call("alice", "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: &messages.CommunityChannelInfo{ChannelID: "late"}}, nil), ErrCommunityNotExist)
		// The ID stays taken.
		wantCode(t, g.call("dave", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: "club"}}, nil), ErrCommunityExists)
	}
	// A channel actor activated now finds its channel dismissed with its community.
	chg := w.grain(KindChannel, ChannelConversationID("club", "news"))
	wantCode(t, chg.call("alice", "sendMessage", textParams("anyone?"), nil), ErrCommunityNotExist)
}

func TestUnitCommunityProfile(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	w.users("dave")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	g.online("carol", 30)
	w.rec.takePushes()

	type update struct {
		method string
		params func(v string) proto.Message
		limit  int
	}
	updates := []update{
		{"updateCommunityName", func(v string) proto.Message { return &messages.CommunityUpdateNameParams{CommunityName: v} }, 300},
		{"updateCommunityAvatarUrl", func(v string) proto.Message { return &messages.CommunityUpdateAvatarUrlParams{CommunityAvatarUrl: v} }, 100},
		{"updateCommunityNotice", func(v string) proto.Message { return &messages.CommunityUpdateNoticeParams{CommunityNotice: v} }, 500},
	}
	for _, u := range updates {
		wantCode(t, g.call("carol", u.method, u.params("x"), nil), ErrCommunityNoPermission)
		wantCode(t, g.call("dave", u.method, u.params("x"), nil), ErrNotCommunityMember)
		wantCode(t, g.call("alice", u.method, u.params(chars(u.limit+1)), nil), ErrParamInvalid)
		g.mustCall("alice", u.method, u.params(chars(u.limit)), nil)
		g.mustCall("bob", u.method, u.params("by bob "+u.method), nil) // an admin may
	}
	info := w.grain(KindCommunity, "club").info("carol")
	if info.BaseInfo.CommunityName != "by bob updateCommunityName" || info.BaseInfo.CommunityAvatarUrl != "by bob updateCommunityAvatarUrl" ||
		info.CommunityNotice != "by bob updateCommunityNotice" {
		t.Fatalf("profile after reload %v", info)
	}
	// carol, online, got communityInfoUpdated for each of the six changes, the last by bob.
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityInfoUpdated", func() *messages.CommunityInfoUpdatedEvent { return &messages.CommunityInfoUpdatedEvent{} })
	if len(evs) != 6 || !slices.Equal(conns[5], []uint64{30}) || evs[5].OperatedInfo.GetUserID() != "bob" ||
		evs[5].OperatedInfo.GetMemberRole() != RoleAdmin || evs[5].UpdateInfoList[0].CommunityInfo.CommunityNotice != "by bob updateCommunityNotice" {
		t.Fatalf("info events %v to %v", evs, conns)
	}
	// Anyone may look a community up.
	if w.grain(KindCommunity, "club").info("dave").CurrentMemberCount != 3 {
		t.Fatal("a non-member's look at the community")
	}
}

func TestUnitCommunityAttributes(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	w.users("dave")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	set := func(user string, attrs map[string]string) (*messages.CommunityAttributesOperatedResult, error) {
		var res messages.CommunityAttributesOperatedResult
		err := g.call(user, "setCommunityAttributes", &messages.CommunitySetAttributesParams{Attributes: attrs}, &res)
		return &res, err
	}
	_, err := set("carol", map[string]string{"a": "1"})
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = set("dave", map[string]string{"a": "1"})
	wantCode(t, err, ErrNotCommunityMember)
	_, err = set("alice", nil)
	wantCode(t, err, ErrParamInvalid)

	// Bad keys and values fail alone, listed in errorKeys (sorted); the rest is set.
	res, err := set("bob", map[string]string{"ok": "1", strings.Repeat("k", 17): "long key", "big": chars(1025), "": "empty", "max": chars(1024), strings.Repeat("é", 16): "16"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.ErrorKeys, "|") != "|big|"+strings.Repeat("k", 17) {
		t.Fatalf("errorKeys %q", res.ErrorKeys)
	}
	// Only bad keys: nothing changes, no error.
	res, err = set("alice", map[string]string{"": "x"})
	if err != nil || len(res.ErrorKeys) != 1 {
		t.Fatalf("all bad: %v %v", res, err)
	}
	if got := g.info("carol").CommunityAttributes; len(got) != 3 || got["ok"] != "1" || got["max"] != chars(1024) {
		t.Fatalf("attributes %v", got)
	}
	// More than 10 pairs in all refuses the whole call.
	eight := map[string]string{}
	for i := 0; i < 8; i++ {
		eight[fmt.Sprintf("n%d", i)] = "v"
	}
	_, err = set("alice", eight)
	wantCode(t, err, ErrCommunityAttrCount)
	delete(eight, "n7")
	if _, err = set("alice", eight); err != nil {
		t.Fatal(err)
	}
	_, err = set("alice", map[string]string{"eleventh": "v"})
	wantCode(t, err, ErrCommunityAttrCount)
	// Replacing an existing key does not count twice.
	if _, err = set("alice", map[string]string{"ok": "2"}); err != nil {
		t.Fatal(err)
	}

	var del messages.CommunityAttributesOperatedResult
	wantCode(t, g.call("carol", "deleteCommunityAttributes", &messages.CommunityAttributeKeysParams{Keys: []string{"ok"}}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("alice", "deleteCommunityAttributes", &messages.CommunityAttributeKeysParams{}, nil), ErrParamInvalid)
	g.mustCall("alice", "deleteCommunityAttributes", &messages.CommunityAttributeKeysParams{Keys: []string{"n0", "nope", "n0"}}, &del)
	if strings.Join(del.ErrorKeys, ",") != "nope" {
		t.Fatalf("delete errorKeys %q", del.ErrorKeys)
	}
	got := w.grain(KindCommunity, "club").info("alice").CommunityAttributes
	if len(got) != 9 || got["ok"] != "2" || got["n0"] != "" || got["n6"] != "v" {
		t.Fatalf("attributes after reload %v", got)
	}
}

// textParams is a sendMessage of a text message.
func textParams(text string) *messages.SendMessageParams {
	return &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: text}, ConversationType: ConvChannel}
}
