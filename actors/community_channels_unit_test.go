package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of channel management in the community actor (community_channels.go):
// create and dismiss, private channel membership, lists and info, attributes, mutes.

// newChannel creates a channel as user (typ 0: PUBLIC) with the listed members (private).
func (u *unitGrain) newChannel(user, id string, typ int32, members ...string) *messages.CommunityChannel {
	u.w.tb.Helper()
	var res messages.CommunityChannelResult
	u.mustCall(user, "createCommunityChannel", &messages.CommunityChannelCreateParams{
		ChannelInfo: &messages.CommunityChannelInfo{ChannelID: id, ChannelName: "name-" + id},
		Config:      &messages.CommunityChannelCreateConfig{ChannelType: typ, UserIDs: members},
	}, &res)
	return res.Channel
}

// channelIDs lists the channels user sees, in one page of 100.
func (u *unitGrain) channelIDs(user string) string {
	u.w.tb.Helper()
	var res messages.CommunityChannelListQueriedResult
	u.mustCall(user, "queryCommunityChannelList", &messages.CommunityChannelListQueryParams{Config: &messages.CommunityPageConfig{Count: 100}}, &res)
	var ids []string
	for _, ch := range res.ChannelList {
		ids = append(ids, ch.ChannelID)
	}
	return strings.Join(ids, ",")
}

// channelMembers lists a channel's members as user sees them, in one page of 100.
func (u *unitGrain) channelMembers(user, channel string) (string, error) {
	var res messages.CommunityChannelMemberListQueriedResult
	err := u.call(user, "queryCommunityChannelMemberList", &messages.CommunityChannelMemberListQueryParams{ChannelID: channel, Config: &messages.CommunityPageConfig{Count: 100}}, &res)
	var ids []string
	for _, m := range res.UserList {
		ids = append(ids, m.UserID)
	}
	return strings.Join(ids, ","), err
}

func TestUnitChannelCreateRules(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Community.Channels = 3 })
	g, gen := w.community("club", "alice", "bob", "carol")
	w.users("dave")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	create := func(user string, info *messages.CommunityChannelInfo, cfg *messages.CommunityChannelCreateConfig) error {
		return g.call(user, "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: info, Config: cfg}, nil)
	}
	ok := &messages.CommunityChannelInfo{ChannelID: "ok"}
	wantCode(t, create("carol", ok, nil), ErrCommunityNoPermission)
	wantCode(t, create("dave", ok, nil), ErrNotCommunityMember)
	wantCode(t, w.grain(KindCommunity, "nowhere").call("alice", "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: ok}, nil), ErrCommunityNotExist)
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{ChannelType: ChannelGeneral}), ErrParamInvalid)
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{ChannelType: 9}), ErrParamInvalid)
	for _, id := range []string{"#mine", "a/b", strings.Repeat("x", 33)} {
		wantCode(t, create("alice", &messages.CommunityChannelInfo{ChannelID: id}, nil), ErrParamInvalid)
	}
	wantCode(t, create("alice", &messages.CommunityChannelInfo{ChannelID: "ok", ChannelName: chars(301)}, nil), ErrParamInvalid)
	wantCode(t, create("alice", &messages.CommunityChannelInfo{ChannelID: "ok", ChannelAvatarUrl: chars(101)}, nil), ErrParamInvalid)
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{ChannelNotice: chars(501)}), ErrParamInvalid)
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{UserIDs: manyUserIDs(101), ChannelType: ChannelPrivate}), ErrParamInvalid)
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{ChannelAttributes: map[string]string{strings.Repeat("k", 17): "v"}}), ErrParamInvalid)
	eleven := map[string]string{}
	for i := 0; i < 11; i++ {
		eleven[fmt.Sprintf("k%d", i)] = "v"
	}
	wantCode(t, create("alice", ok, &messages.CommunityChannelCreateConfig{ChannelAttributes: eleven}), ErrCommunityAttrCount)

	// An admin creates; the type defaults to PUBLIC; limits count characters.
	w.rec.takeSends()
	var res messages.CommunityChannelResult
	g.mustCall("bob", "createCommunityChannel", &messages.CommunityChannelCreateParams{
		ChannelInfo: &messages.CommunityChannelInfo{ChannelID: "ok", ChannelName: chars(300), ChannelAvatarUrl: chars(100)},
		Config:      &messages.CommunityChannelCreateConfig{ChannelNotice: chars(500), ChannelAttributes: map[string]string{"a": "1"}},
	}, &res)
	ch := res.Channel
	if ch.ChannelID != "ok" || ch.ConversationID != "club/ok" || ch.ChannelType != ChannelPublic || ch.CreatorUserID != "bob" ||
		ch.MemberCount != 3 || ch.ChannelAttributes["a"] != "1" || ch.CreateTime != w.now.UnixMilli() || ch.MutedInfo.GetMode() != MuteNone {
		t.Fatalf("created %v", ch)
	}
	// The channel actor gets its record and the online members (none yet).
	got := sendsTo(w.rec.takeSends(), KindChannel, "club/ok")
	if len(got) != 1 || !got[0].(*messages.CommunityChannelSync).Full || got[0].(*messages.CommunityChannelSync).Record.GetChannelName() != chars(300) {
		t.Fatalf("channel actor told %v", got)
	}
	wantCode(t, create("alice", ok, nil), ErrChannelExists)

	// GENERAL + 2 is the limit of 3, server-made IDs included.
	priv := g.newChannel("alice", "", ChannelPrivate)
	if !strings.HasPrefix(priv.ChannelID, "#C") || priv.MemberCount != 1 {
		t.Fatalf("server-made private channel %v", priv)
	}
	wantCode(t, create("alice", &messages.CommunityChannelInfo{ChannelID: "three"}, nil), ErrCommunityChannelLimit)
	wantCode(t, create("alice", &messages.CommunityChannelInfo{}, nil), ErrCommunityChannelLimit)

	// Dismissing frees the place, not the ID.
	g.mustCall("alice", "dismissCommunityChannel", &messages.CommunityChannelIDParams{ChannelID: "ok"}, nil)
	wantCode(t, create("alice", ok, nil), ErrChannelExists)
	g.newChannel("alice", "three", 0)

	g2 := w.grain(KindCommunity, "club")
	wantCode(t, g2.call("alice", "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: ok}, nil), ErrChannelExists)
	wantCode(t, g2.call("alice", "createCommunityChannel", &messages.CommunityChannelCreateParams{ChannelInfo: &messages.CommunityChannelInfo{ChannelID: "four"}}, nil), ErrCommunityChannelLimit)
	if got, want := g2.channelIDs("alice"), gen+","+priv.ChannelID+",three"; got != want {
		t.Fatalf("channels after reload %s, want %s", got, want)
	}
}

func TestUnitChannelDismiss(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	g.newChannel("alice", "news", 0)
	g.newChannel("alice", "secret", ChannelPrivate, "carol")
	dismiss := func(user, id string) error {
		return g.call(user, "dismissCommunityChannel", &messages.CommunityChannelIDParams{ChannelID: id}, nil)
	}
	wantCode(t, dismiss("alice", gen), ErrCommunityNoPermission)
	wantCode(t, dismiss("carol", "news"), ErrCommunityNoPermission)
	wantCode(t, dismiss("nobody", "news"), ErrNotCommunityMember)
	wantCode(t, dismiss("alice", "nope"), ErrChannelNotExist)

	g.online("carol", 30)
	w.rec.takePushes()
	w.rec.takeSends()
	g.mustCall("bob", "dismissCommunityChannel", &messages.CommunityChannelIDParams{ChannelID: "news"}, nil)
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityChannelListChanged", func() *messages.CommunityChannelListChangedEvent { return &messages.CommunityChannelListChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{30}) || evs[0].ChangeInfoList[0].Action != ListDeleted || evs[0].ChangeInfoList[0].Channel.ChannelID != "news" {
		t.Fatalf("dismiss events %v to %v", evs, conns)
	}
	got := sendsTo(w.rec.takeSends(), KindChannel, "club/news")
	if len(got) != 1 || !got[0].(*messages.CommunityChannelSync).Record.GetDismissed() {
		t.Fatalf("channel actor told %v", got)
	}
	for _, user := range []string{"alice", "bob", "carol"} {
		if w.stored(keyConvIndex(user, ConvChannel, "club/news")) {
			t.Fatalf("%s's conversation of the dismissed channel remains", user)
		}
	}
	wantCode(t, dismiss("alice", "news"), ErrChannelNotExist)
	// A private channel: its members' entries go.
	g.mustCall("alice", "dismissCommunityChannel", &messages.CommunityChannelIDParams{ChannelID: "secret"}, nil)
	if w.stored(keyChannelMember("club", "secret", "carol")) || w.stored(keyConvIndex("carol", ConvChannel, "club/secret")) {
		t.Fatal("the private channel's member entries remain")
	}
	g2 := w.grain(KindCommunity, "club")
	if got := g2.channelIDs("carol"); got != gen {
		t.Fatalf("channels after reload %s", got)
	}
	wantCode(t, g2.call("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "news"}, nil), ErrChannelNotExist)
	// The channel actor, activated now, refuses messages.
	wantCode(t, w.grain(KindChannel, "club/news").call("carol", "sendMessage", textParams("after"), nil), ErrChannelNotExist)
}

func TestUnitChannelPrivateMembership(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol", "dave", "erin")
	w.users("outsider")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "erin", Role: RoleAdmin}, nil)
	// Non-members of the community are left out; the creator is in.
	secret := g.newChannel("alice", "secret", ChannelPrivate, "bob", "outsider", "bob")
	if secret.MemberCount != 2 || secret.ChannelType != ChannelPrivate {
		t.Fatalf("private channel %v", secret)
	}
	if !w.stored(keyConvIndex("bob", ConvChannel, "club/secret")) || w.stored(keyConvIndex("carol", ConvChannel, "club/secret")) {
		t.Fatal("conversation entries of the private channel")
	}

	// carol (not in it) does not see it: not listed, no info, no member list, no management.
	if got := g.channelIDs("carol"); got != gen {
		t.Fatalf("carol lists %s", got)
	}
	wantCode(t, g.call("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "secret"}, nil), ErrChannelNotExist)
	_, err := g.channelMembers("carol", "secret")
	wantCode(t, err, ErrChannelNotExist)
	// The admin erin, not in it, sees and manages it.
	if got := g.channelIDs("erin"); got != gen+",secret" {
		t.Fatalf("erin lists %s", got)
	}
	if got, err := g.channelMembers("erin", "secret"); err != nil || got != "alice,bob" {
		t.Fatalf("members %q %v", got, err)
	}

	invite := func(user, channel string, ids ...string) (*messages.CommunityChannelUsersResult, error) {
		var res messages.CommunityChannelUsersResult
		err := g.call(user, "inviteUsersIntoCommunityChannel", &messages.CommunityChannelUsersParams{ChannelID: channel, UserIDs: ids}, &res)
		return &res, err
	}
	kick := func(user, channel string, ids ...string) (*messages.CommunityChannelUsersResult, error) {
		var res messages.CommunityChannelUsersResult
		err := g.call(user, "kickCommunityChannelMembers", &messages.CommunityChannelUsersParams{ChannelID: channel, UserIDs: ids}, &res)
		return &res, err
	}
	_, err = invite("bob", "secret", "carol")
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = invite("alice", gen, "carol")
	wantCode(t, err, ErrParamInvalid)
	_, err = invite("alice", "secret")
	wantCode(t, err, ErrParamInvalid)
	_, err = invite("alice", "secret", manyUserIDs(101)...)
	wantCode(t, err, ErrParamInvalid)
	_, err = invite("alice", "nope", "carol")
	wantCode(t, err, ErrChannelNotExist)

	g.online("carol", 30)
	g.online("dave", 40)
	w.rec.takePushes()
	w.rec.takeSends()
	res, err := invite("erin", "secret", "carol", "bob", "outsider", "carol")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("bob:%d,outsider:%d", ErrAlreadyCommunityMember.Code, ErrNotCommunityMember.Code)
	if strings.Join(res.UserIDList, ",") != "carol" || errorReasons(res.ErrorUserList) != want {
		t.Fatalf("invite %v (refusals %s)", res, errorReasons(res.ErrorUserList))
	}
	// carol (online) gets the channel listed; dave does not; the channel actor learns carol's connection.
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityChannelListChanged", func() *messages.CommunityChannelListChangedEvent { return &messages.CommunityChannelListChangedEvent{} })
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{30}) || evs[0].ChangeInfoList[0].Action != ListAdded {
		t.Fatalf("invite events %v to %v", evs, conns)
	}
	var carolIn bool
	for _, m := range sendsTo(w.rec.takeSends(), KindChannel, "club/secret") {
		s, _ := m.(*messages.CommunityChannelSync) // ChannelReaders too (channel_receipts.go)
		for _, cm := range s.GetMembers() {
			carolIn = carolIn || (cm.UserID == "carol" && len(cm.Conns) == 1 && cm.Conns[0].ConnID == 30)
		}
	}
	if !carolIn {
		t.Fatal("the channel actor was not told of carol")
	}
	if got, _ := g.channelMembers("carol", "secret"); got != "alice,bob,carol" {
		t.Fatalf("members %q", got)
	}

	// Kick: per user, the channel's members the caller may manage.
	_, err = kick("bob", "secret", "carol")
	wantCode(t, err, ErrCommunityNoPermission)
	res, err = kick("erin", "secret", "carol", "dave", "alice", "outsider")
	if err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("alice:%d,dave:%d,outsider:%d", ErrCommunityNoPermission.Code, ErrNotChannelMember.Code, ErrNotChannelMember.Code)
	if strings.Join(res.UserIDList, ",") != "carol" || errorReasons(res.ErrorUserList) != want {
		t.Fatalf("kick %v (refusals %s)", res, errorReasons(res.ErrorUserList))
	}
	if w.stored(keyChannelMember("club", "secret", "carol")) || w.stored(keyConvIndex("carol", ConvChannel, "club/secret")) {
		t.Fatal("the kicked channel member's entries remain")
	}
	// Kicking oneself is a bad parameter, as in groups (roster.kick).
	res, err = kick("alice", "secret", "alice")
	if err != nil || errorReasons(res.ErrorUserList) != fmt.Sprintf("alice:%d", ErrParamInvalid.Code) {
		t.Fatalf("owner kicks itself %v %v", res, err)
	}

	// Stored: a fresh activation has the same members; leaving the community leaves the channel.
	g2 := w.grain(KindCommunity, "club")
	if got, _ := g2.channelMembers("alice", "secret"); got != "alice,bob" {
		t.Fatalf("members after reload %q", got)
	}
	wantCode(t, g2.call("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "secret"}, nil), ErrChannelNotExist)
	g2.mustCall("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil)
	if w.stored(keyChannelMember("club", "secret", "bob")) {
		t.Fatal("a member who left is still in the private channel")
	}
	var info messages.CommunityChannelResult
	g2.mustCall("alice", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "secret"}, &info)
	if info.Channel.MemberCount != 1 {
		t.Fatalf("member count %d", info.Channel.MemberCount)
	}
}

func TestUnitChannelListPaging(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob")
	w.users("dave")
	want := []string{gen}
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("c%d", i)
		g.newChannel("alice", id, 0)
		want = append(want, id)
		if i == 3 { // a private channel bob is not in, between pages
			g.newChannel("alice", "hidden", ChannelPrivate)
		}
	}
	page := func(g *unitGrain, user string, count int32, next int64) (*messages.CommunityChannelListQueriedResult, error) {
		var res messages.CommunityChannelListQueriedResult
		err := g.call(user, "queryCommunityChannelList", &messages.CommunityChannelListQueryParams{Config: &messages.CommunityPageConfig{Count: count, NextFlag: next}}, &res)
		return &res, err
	}
	for _, g := range []*unitGrain{g, w.grain(KindCommunity, "club")} {
		var got []string
		var sizes []int
		next := int64(0)
		for {
			res, err := page(g, "bob", 3, next)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(res.ChannelList))
			for _, ch := range res.ChannelList {
				got = append(got, ch.ChannelID)
			}
			if res.NextFlag == 0 {
				break
			}
			if res.NextFlag <= next || len(sizes) > 4 {
				t.Fatalf("nextFlag %d after %d", res.NextFlag, next)
			}
			next = res.NextFlag
		}
		if !slices.Equal(got, want) || !slices.Equal(sizes, []int{3, 3, 1}) {
			t.Fatalf("bob's pages %v: %v, want %v", sizes, got, want)
		}
	}
	if got := g.channelIDs("alice"); got != gen+",c1,c2,c3,hidden,c4,c5,c6" {
		t.Fatalf("alice's list %s", got)
	}
	for _, count := range []int32{0, 101} {
		_, err := page(g, "bob", count, 0)
		wantCode(t, err, ErrParamInvalid)
	}
	_, err := page(g, "bob", 3, -1)
	wantCode(t, err, ErrParamInvalid)
	_, err = page(g, "dave", 3, 0)
	wantCode(t, err, ErrNotCommunityMember)
	wantCode(t, g.call("dave", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "c1"}, nil), ErrNotCommunityMember)

	var info messages.CommunityChannelResult
	g.mustCall("bob", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "c2"}, &info)
	if info.Channel.ChannelName != "name-c2" || info.Channel.ConversationID != "club/c2" || info.Channel.MemberCount != 2 {
		t.Fatalf("info %v", info.Channel)
	}

	// The member list of a public channel is the community's, paged by nextFlag.
	w.users("m1", "m2", "m3")
	g.mustCall("alice", "inviteUsersIntoCommunity", &messages.CommunityUsersParams{UserIDs: []string{"m1", "m2", "m3"}}, nil)
	var ml messages.CommunityChannelMemberListQueriedResult
	g.mustCall("bob", "queryCommunityChannelMemberList", &messages.CommunityChannelMemberListQueryParams{ChannelID: "c1", Config: &messages.CommunityPageConfig{Count: 3}}, &ml)
	if len(ml.UserList) != 3 || ml.UserList[2].UserID != "m1" || ml.NextFlag == 0 {
		t.Fatalf("member page 1 %v", &ml)
	}
	g.mustCall("bob", "queryCommunityChannelMemberList", &messages.CommunityChannelMemberListQueryParams{ChannelID: "c1", Config: &messages.CommunityPageConfig{Count: 3, NextFlag: ml.NextFlag}}, &ml)
	if len(ml.UserList) != 2 || ml.UserList[0].UserID != "m2" || ml.NextFlag != 0 {
		t.Fatalf("member page 2 %v", &ml)
	}
}

func TestUnitChannelProfileAndAttributes(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	g.newChannel("alice", "news", 0)
	g.newChannel("alice", "secret", ChannelPrivate)

	wantCode(t, g.call("carol", "updateCommunityChannelName", &messages.CommunityChannelUpdateNameParams{ChannelID: "news", ChannelName: "x"}, nil), ErrCommunityNoPermission)
	wantCode(t, g.call("alice", "updateCommunityChannelName", &messages.CommunityChannelUpdateNameParams{ChannelID: "news", ChannelName: chars(301)}, nil), ErrParamInvalid)
	wantCode(t, g.call("alice", "updateCommunityChannelNotice", &messages.CommunityChannelUpdateNoticeParams{ChannelID: "news", ChannelNotice: chars(501)}, nil), ErrParamInvalid)
	wantCode(t, g.call("alice", "updateCommunityChannelAvatarUrl", &messages.CommunityChannelUpdateAvatarUrlParams{ChannelID: "news", ChannelAvatarUrl: chars(101)}, nil), ErrParamInvalid)
	wantCode(t, g.call("alice", "updateCommunityChannelName", &messages.CommunityChannelUpdateNameParams{ChannelID: "nope", ChannelName: "x"}, nil), ErrChannelNotExist)
	g.online("carol", 30)
	w.rec.takePushes()
	var res messages.CommunityChannelResult
	g.mustCall("bob", "updateCommunityChannelName", &messages.CommunityChannelUpdateNameParams{ChannelID: "news", ChannelName: chars(300)}, &res)
	g.mustCall("bob", "updateCommunityChannelNotice", &messages.CommunityChannelUpdateNoticeParams{ChannelID: "news", ChannelNotice: "be nice"}, nil)
	g.mustCall("bob", "updateCommunityChannelAvatarUrl", &messages.CommunityChannelUpdateAvatarUrlParams{ChannelID: "secret", ChannelAvatarUrl: "https://a/b.png"}, nil)
	if res.Channel.ChannelName != chars(300) {
		t.Fatalf("renamed %v", res.Channel)
	}
	// carol sees the public channel's updates, not the private one's.
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityChannelInfoUpdated", func() *messages.CommunityChannelInfoUpdatedEvent { return &messages.CommunityChannelInfoUpdatedEvent{} })
	if len(evs) != 2 || !slices.Equal(conns[1], []uint64{30}) || evs[1].ChannelList[0].ChannelNotice != "be nice" || evs[1].OperatedInfo.GetUserID() != "bob" {
		t.Fatalf("info events %v to %v", evs, conns)
	}

	set := func(user, channel string, attrs map[string]string) (*messages.CommunityChannelAttributesOperatedResult, error) {
		var res messages.CommunityChannelAttributesOperatedResult
		err := g.call(user, "setCommunityChannelAttributes", &messages.CommunityChannelSetAttributesParams{ChannelID: channel, Attributes: attrs}, &res)
		return &res, err
	}
	_, err := set("carol", "news", map[string]string{"a": "1"})
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = set("alice", "nope", map[string]string{"a": "1"})
	wantCode(t, err, ErrChannelNotExist)
	_, err = set("alice", "news", nil)
	wantCode(t, err, ErrParamInvalid)
	ares, err := set("bob", "news", map[string]string{"ok": "1", strings.Repeat("k", 17): "v", "big": chars(1025), "": "e"})
	if err != nil || strings.Join(ares.ErrorKeys, "|") != "|big|"+strings.Repeat("k", 17) || ares.ChannelID != "news" {
		t.Fatalf("set %v %v", ares, err)
	}
	nine := map[string]string{}
	for i := 0; i < 9; i++ {
		nine[fmt.Sprintf("n%d", i)] = "v"
	}
	nine["extra"] = "v"
	_, err = set("alice", "news", nine)
	wantCode(t, err, ErrCommunityAttrCount)
	delete(nine, "extra")
	if _, err = set("alice", "news", nine); err != nil {
		t.Fatal(err)
	}
	var del messages.CommunityChannelAttributesOperatedResult
	wantCode(t, g.call("carol", "deleteCommunityChannelAttributes", &messages.CommunityChannelAttributeKeysParams{ChannelID: "news", Keys: []string{"ok"}}, nil), ErrCommunityNoPermission)
	g.mustCall("alice", "deleteCommunityChannelAttributes", &messages.CommunityChannelAttributeKeysParams{ChannelID: "news", Keys: []string{"n0", "nope"}}, &del)
	if strings.Join(del.ErrorKeys, ",") != "nope" {
		t.Fatalf("delete errorKeys %q", del.ErrorKeys)
	}
	var info messages.CommunityChannelResult
	w.grain(KindCommunity, "club").mustCall("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "news"}, &info)
	ch := info.Channel
	if ch.ChannelName != chars(300) || ch.ChannelNotice != "be nice" || len(ch.ChannelAttributes) != 9 || ch.ChannelAttributes["ok"] != "1" || ch.ChannelAttributes["n0"] != "" {
		t.Fatalf("channel after reload %v", ch)
	}
}

func TestUnitChannelMuteRules(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "bob", Role: RoleAdmin}, nil)
	g.newChannel("alice", "news", 0)
	mute := func(user string, isMute bool, cfg *messages.CommunityChannelMuteConfig, ids ...string) (*messages.CommunityChannelsMutedResult, error) {
		var res messages.CommunityChannelsMutedResult
		err := g.call(user, "muteCommunityChannels", &messages.CommunityMuteChannelsParams{IsMute: isMute, ChannelIDs: ids, Config: cfg}, &res)
		return &res, err
	}
	for _, cfg := range []*messages.CommunityChannelMuteConfig{
		{Mode: MuteNormal, Duration: 0}, {Mode: MuteNormal, Duration: -2}, {Mode: MuteNormal, Duration: 2_592_002},
		{Mode: 4, Duration: 60}, {Mode: -1, Duration: 60}, {Mode: MuteCustom, Duration: 60},
		{Mode: MuteCustom, Duration: 60, Roles: []int32{0}},
		{Mode: MuteCustom, Duration: 60, Roles: []int32{100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120}},
	} {
		_, err := mute("alice", true, cfg, "news")
		wantCode(t, err, ErrParamInvalid)
	}
	_, err := mute("alice", true, &messages.CommunityChannelMuteConfig{Mode: MuteAll, Duration: 60})
	wantCode(t, err, ErrParamInvalid)
	_, err = mute("carol", true, &messages.CommunityChannelMuteConfig{Mode: MuteNormal, Duration: 60}, "news")
	wantCode(t, err, ErrCommunityNoPermission)
	// An admin may not mute everyone, nor the managers' roles.
	_, err = mute("bob", true, &messages.CommunityChannelMuteConfig{Mode: MuteAll, Duration: 60}, "news")
	wantCode(t, err, ErrCommunityNoPermission)
	_, err = mute("bob", true, &messages.CommunityChannelMuteConfig{Mode: MuteCustom, Duration: 60, Roles: []int32{RoleMember, RoleAdmin}}, "news")
	wantCode(t, err, ErrCommunityNoPermission)

	// The longest duration is one second over a group's; unknown channels are listed.
	res, err := mute("bob", true, &messages.CommunityChannelMuteConfig{Mode: MuteNormal, Duration: 2_592_001}, "news", "nope", gen)
	if err != nil || !res.IsMute || strings.Join(res.MutedChannelIDList, ",") != "news,"+gen || strings.Join(res.ErrorChannelIDList, ",") != "nope" {
		t.Fatalf("mute %v %v", res, err)
	}
	var info messages.CommunityChannelResult
	w.grain(KindCommunity, "club").mustCall("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "news"}, &info)
	if m := info.Channel.MutedInfo; m.GetMode() != MuteNormal || m.GetExpiredTime() != w.now.UnixMilli()+2_592_001_000 {
		t.Fatalf("muted info after reload %v", m)
	}
	// Mode NONE (or isMute false) lifts it.
	res, err = mute("alice", false, &messages.CommunityChannelMuteConfig{Mode: MuteAll, Duration: 60}, "news")
	if err != nil || res.IsMute {
		t.Fatalf("unmute %v %v", res, err)
	}
	g.mustCall("carol", "queryCommunityChannelInfo", &messages.CommunityChannelIDParams{ChannelID: "news"}, &info)
	if info.Channel.MutedInfo.GetMode() != MuteNone {
		t.Fatalf("after unmute %v", info.Channel.MutedInfo)
	}
}
