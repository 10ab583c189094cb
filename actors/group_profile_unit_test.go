package actors

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group kind's profile: name, notice, avatar, alias and attributes.

func guInfo(tb testing.TB, g *unitGrain, user string) *messages.GroupFullInfo {
	tb.Helper()
	var res messages.GroupInfoQueriedResult
	g.mustCall(user, "queryGroupInfo", guIDp(), &res)
	return res.GroupInfo
}

func TestUnitGroupNameNoticeAvatar(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	guOnline(g, "owner", 10)
	guOnline(g, "carol", 12) // bob is offline
	w.rec.takeSends()
	w.rec.takePushes()

	// Any member changes the texts (an ordinary member too); outsiders do not.
	var nr messages.GroupNameUpdatedResult
	g.mustCall("carol", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: "renamed"}, &nr)
	if nr.GroupName != "renamed" {
		t.Fatalf("name result %v", &nr)
	}
	pushes := guConnPushes(w)
	if c := guConnsOf(pushes, "groupNameUpdated"); !slices.Equal(c, []uint64{10, 12}) {
		t.Fatalf("groupNameUpdated to %v", c)
	}
	if ev := guOne[*messages.GroupNameUpdatedEvent](t, pushes, 10, "groupNameUpdated"); ev.GroupName != "renamed" || ev.OperatedInfo.UserID != "carol" || ev.OperatedInfo.MemberRole != RoleMember {
		t.Fatalf("name push %v", ev)
	}
	// The online members' user actors rename the conversation.
	news := guTakeUserNews(w)
	if len(news.updates) != 2 || len(news.updates["owner"]) != 1 || !news.updates["owner"][0].ProfileChanged || len(news.updates["carol"]) != 1 {
		t.Fatalf("profile updates %v", news.updates)
	}

	g.mustCall("bob", "updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: "be nice"}, nil)
	if ev := guOne[*messages.GroupNoticeUpdatedEvent](t, guConnPushes(w), 12, "groupNoticeUpdated"); ev.GroupNotice != "be nice" || ev.OperatedInfo.UserID != "bob" {
		t.Fatalf("notice push %v", ev)
	}
	if news := guTakeUserNews(w); len(news.updates) != 0 { // the notice names no conversation
		t.Fatalf("a notice changed conversations: %v", news.updates)
	}
	g.mustCall("owner", "updateGroupAvatarUrl", &messages.GroupUpdateAvatarUrlParams{GroupID: guID, GroupAvatarUrl: "http://x/y.png"}, nil)
	if ev := guOne[*messages.GroupAvatarUrlUpdatedEvent](t, guConnPushes(w), 12, "groupAvatarUrlUpdated"); ev.GroupAvatarUrl != "http://x/y.png" {
		t.Fatalf("avatar push %v", ev)
	}
	if news := guTakeUserNews(w); len(news.updates) != 2 {
		t.Fatalf("avatar profile updates %v", news.updates)
	}

	wantCode(t, g.call("ghost", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: "x"}, nil), ErrNotGroupMember)
	wantCode(t, g.call("ghost", "updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: "x"}, nil), ErrNotGroupMember)
	wantCode(t, g.call("ghost", "updateGroupAvatarUrl", &messages.GroupUpdateAvatarUrlParams{GroupID: guID, GroupAvatarUrl: "x"}, nil), ErrNotGroupMember)
	// The byte limits: 100, 300 and 500.
	wantCode(t, g.call("owner", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: strings.Repeat("n", 101)}, nil), ErrParamInvalid)
	wantCode(t, g.call("owner", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: strings.Repeat("é", 51)}, nil), ErrParamInvalid)
	wantCode(t, g.call("owner", "updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: strings.Repeat("n", 301)}, nil), ErrParamInvalid)
	wantCode(t, g.call("owner", "updateGroupAvatarUrl", &messages.GroupUpdateAvatarUrlParams{GroupID: guID, GroupAvatarUrl: strings.Repeat("a", 501)}, nil), ErrParamInvalid)
	if len(w.rec.takePushes()) != 0 {
		t.Fatal("a refused update pushed")
	}
	g = w.grain(KindGroup, guID)
	fi := guInfo(t, g, "bob")
	if fi.BaseInfo.GroupName != "renamed" || fi.GroupNotice != "be nice" || fi.BaseInfo.GroupAvatarUrl != "http://x/y.png" {
		t.Fatalf("stored profile %v", fi)
	}
	// At the limits.
	g.mustCall("owner", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: strings.Repeat("é", 50)}, nil)
	g.mustCall("owner", "updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: strings.Repeat("n", 300)}, nil)
	g.mustCall("owner", "updateGroupAvatarUrl", &messages.GroupUpdateAvatarUrlParams{GroupID: guID, GroupAvatarUrl: strings.Repeat("a", 500)}, nil)
	fi = guInfo(t, w.grain(KindGroup, guID), "ghost") // outsiders read the profile
	if fi.BaseInfo.GroupName != strings.Repeat("é", 50) || len(fi.GroupNotice) != 300 || len(fi.BaseInfo.GroupAvatarUrl) != 500 {
		t.Fatalf("profile at the limits %v", fi)
	}
}

func TestUnitGroupAliasIsTheCallersOwn(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guOnline(g, "owner", 10)
	w.rec.takeSends()
	w.rec.takePushes()
	var ar messages.GroupAliasUpdatedResult
	g.mustCall("carol", "updateGroupAlias", &messages.GroupUpdateAliasParams{GroupID: guID, GroupAlias: "my crew"}, &ar)
	if ar.GroupAlias != "my crew" {
		t.Fatalf("alias result %v", &ar)
	}
	if len(w.rec.takePushes()) != 0 {
		t.Fatal("an alias was pushed to the online members")
	}
	news := guTakeUserNews(w)
	if u := news.usersWith("groupAliasUpdated"); !slices.Equal(u, []string{"carol"}) {
		t.Fatalf("groupAliasUpdated to %v", u)
	}
	if ev := guUserOne[*messages.GroupAliasUpdatedEvent](t, news, "carol", "groupAliasUpdated"); ev.GroupAlias != "my crew" || ev.OperatedUserID != "carol" {
		t.Fatalf("alias event %v", ev)
	}
	if up := news.updates["carol"]; len(up) != 1 || !up[0].ProfileChanged || len(news.updates) != 1 {
		t.Fatalf("alias conversation updates %v", news.updates)
	}
	wantCode(t, g.call("ghost", "updateGroupAlias", &messages.GroupUpdateAliasParams{GroupID: guID, GroupAlias: "x"}, nil), ErrNotGroupMember)
	wantCode(t, g.call("bob", "updateGroupAlias", &messages.GroupUpdateAliasParams{GroupID: guID, GroupAlias: strings.Repeat("a", 257)}, nil), ErrParamInvalid)

	g = w.grain(KindGroup, guID)
	if a := guInfo(t, g, "carol").GroupAlias; a != "my crew" {
		t.Fatalf("carol's alias %q", a)
	}
	if a := guInfo(t, g, "bob").GroupAlias; a != "" {
		t.Fatalf("bob sees carol's alias: %q", a)
	}
	// The alias survives other changes of the member (a nickname) and of the group.
	g.mustCall("carol", "setGroupMemberNickname", &messages.GroupSetMemberNicknameParams{GroupID: guID, ForUserID: "carol", Nickname: "C"}, nil)
	g.mustCall("owner", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: "other"}, nil)
	if a := guInfo(t, w.grain(KindGroup, guID), "carol").GroupAlias; a != "my crew" {
		t.Fatalf("carol's alias after other changes %q", a)
	}
}

func TestUnitGroupAttributesMembersAndLimits(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) {
		c.Limits.GroupAttributesMax = 4
		c.Limits.GroupAttributeKeyBytes = 4
		c.Limits.GroupAttributeValueBytes = 8
		c.Limits.GroupAttributesTotalBytes = 30
	})
	g := guNewGroup(w, "owner", []string{"bob"}, &messages.GroupAdvancedConfig{GroupAttributes: map[string]string{"a": "1"}})
	guOnline(g, "owner", 10)
	w.rec.takeSends()
	w.rec.takePushes()
	set := func(by string, attrs map[string]string) error {
		return g.call(by, "setGroupAttributes", &messages.GroupSetAttributesParams{GroupID: guID, GroupAttributes: attrs}, nil)
	}
	all := func(gr *unitGrain, by string) map[string]string {
		var res messages.GroupAttributesQueriedResult
		gr.mustCall(by, "queryGroupAllAttributes", guIDp(), &res)
		return res.GroupAttributes
	}

	// Any member sets attributes; the online members hear of it.
	if err := set("bob", map[string]string{"b": "2", "c": "3"}); err != nil {
		t.Fatal(err)
	}
	ev := guOne[*messages.GroupAttributesUpdatedEvent](t, guConnPushes(w), 10, "groupAttributesUpdated")
	if len(ev.InfoList) != 1 || ev.InfoList[0].Action != 0 || !maps.Equal(ev.InfoList[0].GroupAttributes, map[string]string{"b": "2", "c": "3"}) || ev.OperatedInfo.UserID != "bob" {
		t.Fatalf("set push %v", ev)
	}
	wantCode(t, set("ghost", map[string]string{"x": "1"}), ErrNotGroupMember)
	wantCode(t, g.call("ghost", "queryGroupAllAttributes", guIDp(), nil), ErrNotGroupMember)
	wantCode(t, g.call("ghost", "queryGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"a"}}, nil), ErrNotGroupMember)

	// The limits, each with its code; a refused set changes nothing.
	wantCode(t, set("owner", map[string]string{}), ErrParamInvalid)
	wantCode(t, set("owner", map[string]string{"": "v"}), ErrParamInvalid)
	wantCode(t, set("owner", map[string]string{"long1": "v"}), ErrGroupAttrKey)
	wantCode(t, set("owner", map[string]string{"d": "123456789"}), ErrGroupAttrValue)
	wantCode(t, set("owner", map[string]string{"d": "4", "e": "5"}), ErrGroupAttrCount) // 5 > 4
	if err := set("owner", map[string]string{"d": "4"}); err != nil {                   // 4: at the limit
		t.Fatal(err)
	}
	// Keys and values count together: 1+2 + 1+8 + 1+8 + 1+8 = 30 bytes fit into 30; one more byte does not.
	if err := set("owner", map[string]string{"a": "11", "b": "22222222", "c": "33333333", "d": "44444444"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, set("owner", map[string]string{"a": "111"}), ErrGroupAttrTotal)
	w.rec.takePushes()
	want := map[string]string{"a": "11", "b": "22222222", "c": "33333333", "d": "44444444"}
	if got := all(g, "bob"); !maps.Equal(got, want) {
		t.Fatalf("attributes %v, want %v", got, want)
	}

	// Delete: missing keys come back; only the removed pairs are pushed.
	var dr messages.GroupAttributesOperatedResult
	g.mustCall("bob", "deleteGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"a", "zz", "a"}}, &dr)
	if !slices.Equal(dr.ErrorKeys, []string{"zz"}) {
		t.Fatalf("error keys %v", dr.ErrorKeys)
	}
	ev = guOne[*messages.GroupAttributesUpdatedEvent](t, guConnPushes(w), 10, "groupAttributesUpdated")
	if ev.InfoList[0].Action != 1 || !maps.Equal(ev.InfoList[0].GroupAttributes, map[string]string{"a": "11"}) {
		t.Fatalf("delete push %v", ev)
	}
	g.mustCall("bob", "deleteGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"zz"}}, &dr)
	if !slices.Equal(dr.ErrorKeys, []string{"zz"}) || len(w.rec.takePushes()) != 0 {
		t.Fatalf("deleting nothing: %v", &dr)
	}
	wantCode(t, g.call("bob", "deleteGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID}, nil), ErrParamInvalid)
	wantCode(t, g.call("bob", "deleteGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"1", "2", "3", "4", "5"}}, nil), ErrParamInvalid)
	wantCode(t, g.call("ghost", "deleteGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"b"}}, nil), ErrNotGroupMember)

	// The store; queries of some keys; the full info shows attributes to members only.
	g = w.grain(KindGroup, guID)
	delete(want, "a")
	if got := all(g, "owner"); !maps.Equal(got, want) {
		t.Fatalf("stored attributes %v, want %v", got, want)
	}
	var qr messages.GroupAttributesQueriedResult
	g.mustCall("owner", "queryGroupAttributes", &messages.GroupAttributeKeysParams{GroupID: guID, Keys: []string{"a", "c"}}, &qr)
	if !maps.Equal(qr.GroupAttributes, map[string]string{"c": "33333333"}) {
		t.Fatalf("queried %v", qr.GroupAttributes)
	}
	if got := guInfo(t, g, "bob").GroupAttributes; !maps.Equal(got, want) {
		t.Fatalf("member's info attributes %v", got)
	}
	if got := guInfo(t, g, "ghost").GroupAttributes; len(got) != 0 {
		t.Fatalf("an outsider sees attributes %v", got)
	}
}
