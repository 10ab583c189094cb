package gateway_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// ---- helpers of the channel management tests ----

// online waits until each session's user actor has taken community id in (it pushed
// communityListChanged added) and the community actor has its connections (a call to
// the community queues behind the presence message the user actor sent first).
func online(t testing.TB, id string, sessions ...*session) {
	t.Helper()
	for _, s := range sessions {
		s.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
			for _, c := range p.(*m.CommunityListChangedEvent).ChangeInfoList {
				if c.Action == actors.ListAdded && c.Community.GetBaseInfo().GetCommunityID() == id {
					return true
				}
			}
			return false
		})
		_, err := s.QueryCommunityChannelList(ctx(t), id, 1, 0)
		gOK(t, "settle "+s.user, err)
	}
}

func channelListEvent(channelID string, action int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.CommunityChannelListChangedEvent).ChangeInfoList {
			if c.Action == action && c.Channel.GetChannelID() == channelID {
				return true
			}
		}
		return false
	}
}

func channelInfoEvent(channelID string, match func(*m.CommunityChannel) bool) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.CommunityChannelInfoUpdatedEvent).ChannelList {
			if c.ChannelID == channelID && match(c) {
				return true
			}
		}
		return false
	}
}

func convChanged(conv string, event int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if c.Conversation.GetConversationID() == conv && c.Event == event {
				return true
			}
		}
		return false
	}
}

func fromConv(conv string) func(proto.Message) bool {
	return func(p proto.Message) bool { return p.(*m.ConversationMessageReceivedEvent).FromConversationID == conv }
}

func channelIDList(list []*m.CommunityChannel) string {
	var out []string
	for _, c := range list {
		out = append(out, c.ChannelID)
	}
	return strings.Join(out, ",")
}

func errorUsers(list []*m.ErrorUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, e := range list {
		out[e.UserID] = e.Reason
	}
	return out
}

func newChannel(t testing.TB, s *session, community, id string, typ int32, users ...string) *m.CommunityChannel {
	t.Helper()
	ch, err := s.CreateCommunityChannel(ctx(t), &m.CommunityChannelInfo{ChannelID: id, ChannelName: "name of " + id},
		&m.CommunityChannelCreateConfig{ChannelType: typ, UserIDs: users}, community)
	gOK(t, "createCommunityChannel "+id, err)
	return ch
}

// ---- create ----

func TestCommunityChannelCreatePublic(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)

	ch, err := alice.CreateCommunityChannel(ctx(t), &m.CommunityChannelInfo{ChannelName: "news", ChannelAvatarUrl: "https://a/n.png"},
		&m.CommunityChannelCreateConfig{ChannelNotice: "read me", ChannelAttributes: map[string]string{"k": "v"}}, "club")
	gOK(t, "createCommunityChannel", err)
	if !strings.HasPrefix(ch.ChannelID, "#C") || ch.ConversationID != "club/"+ch.ChannelID || ch.ConversationID == ch.ChannelID {
		t.Fatalf("channel IDs %q / %q", ch.ChannelID, ch.ConversationID)
	}
	if ch.ChannelType != actors.ChannelPublic || ch.ChannelName != "news" || ch.ChannelAvatarUrl != "https://a/n.png" ||
		ch.ChannelNotice != "read me" || ch.ChannelAttributes["k"] != "v" || ch.CreatorUserID != "alice" ||
		ch.MemberCount != 2 || ch.CommunityID != "club" || ch.CreateTime == 0 || ch.MutedInfo.GetMode() != actors.MuteNone {
		t.Fatalf("created %+v", ch)
	}

	// A member who was in already: the list event and the conversation.
	bob.rec.wait(t, "communityChannelListChanged", channelListEvent(ch.ChannelID, actors.ListAdded))
	bob.rec.wait(t, "conversationChanged", convChanged(ch.ConversationID, 0))
	alice.rec.wait(t, "communityChannelListChanged", channelListEvent(ch.ChannelID, actors.ListAdded))
	conv, err := bob.QueryConversation(ctx(t), ch.ConversationID, actors.ConvChannel)
	gOK(t, "bob's conversation", err)
	if conv.ConversationName != "news" || conv.NotificationStatus != actors.NotifyDND {
		t.Fatalf("bob's conversation %+v", conv)
	}

	// A later joiner has it too, and both receive its messages.
	_, err = carol.JoinCommunity(ctx(t), "club")
	gOK(t, "carol joins", err)
	online(t, "club", carol)
	_, err = carol.QueryConversation(ctx(t), ch.ConversationID, actors.ConvChannel)
	gOK(t, "carol's conversation", err)
	list, err := carol.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "carol's channel list", err)
	if len(list.ChannelList) != 2 || list.ChannelList[0].ChannelType != actors.ChannelGeneral || list.ChannelList[1].ChannelID != ch.ChannelID || list.NextFlag != 0 {
		t.Fatalf("channel list %+v", list)
	}
	info, err := carol.QueryCommunityChannelInfo(ctx(t), ch.ChannelID, "club")
	gOK(t, "queryCommunityChannelInfo", err)
	if info.MemberCount != 3 || info.ConversationID != ch.ConversationID {
		t.Fatalf("info %+v", info)
	}
	_, err = alice.SendText(ctx(t), "first news", ch.ConversationID, actors.ConvChannel)
	gOK(t, "send", err)
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(ch.ConversationID, "first news"))
	carol.rec.wait(t, "communityChannelMessageReceived", channelText(ch.ConversationID, "first news"))

	// Members list of a public channel: the community's members in join order.
	ml, err := carol.QueryCommunityChannelMemberList(ctx(t), ch.ChannelID, "club", 2, 0)
	gOK(t, "member list", err)
	if len(ml.UserList) != 2 || ml.UserList[0].UserID != "alice" || ml.UserList[1].UserID != "bob" || ml.NextFlag == 0 {
		t.Fatalf("member list page 1 %+v", ml)
	}
	ml, err = carol.QueryCommunityChannelMemberList(ctx(t), ch.ChannelID, "club", 2, ml.NextFlag)
	gOK(t, "member list", err)
	if len(ml.UserList) != 1 || ml.UserList[0].UserID != "carol" || ml.NextFlag != 0 {
		t.Fatalf("member list page 2 %+v", ml)
	}
}

func TestCommunityChannelCreateRules(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Community.Channels = 3 }))
	alice, bob, dave := e.login("alice", false, 1), e.login("bob", true, 1), e.login("dave", false, 1)
	general := makeCommunity(t, alice, "club", bob)
	create := func(s *session, info *m.CommunityChannelInfo, cfg *m.CommunityChannelCreateConfig, community string) error {
		_, err := s.CreateCommunityChannel(ctx(t), info, cfg, community)
		return err
	}
	ok := &m.CommunityChannelInfo{ChannelID: "ok"}

	gWant(t, "ordinary member creates", create(bob, ok, nil, "club"), 6001007)
	gWant(t, "non-member creates", create(dave, ok, nil, "club"), 6001005)
	gWant(t, "no such community", create(alice, ok, nil, "nowhere"), 6001004)
	gWant(t, "GENERAL type", create(alice, ok, &m.CommunityChannelCreateConfig{ChannelType: actors.ChannelGeneral}, "club"), 6000001)
	gWant(t, "unknown type", create(alice, ok, &m.CommunityChannelCreateConfig{ChannelType: 9}, "club"), 6000001)
	gWant(t, "leading #", create(alice, &m.CommunityChannelInfo{ChannelID: "#mine"}, nil, "club"), 6000001)
	gWant(t, "bad character", create(alice, &m.CommunityChannelInfo{ChannelID: "a/b"}, nil, "club"), 6000001)
	gWant(t, "too long ID", create(alice, &m.CommunityChannelInfo{ChannelID: strings.Repeat("x", 33)}, nil, "club"), 6000001)
	gWant(t, "too long name", create(alice, &m.CommunityChannelInfo{ChannelID: "ok", ChannelName: strings.Repeat("é", 301)}, nil, "club"), 6000001)
	gWant(t, "too long avatar", create(alice, &m.CommunityChannelInfo{ChannelID: "ok", ChannelAvatarUrl: strings.Repeat("a", 101)}, nil, "club"), 6000001)
	gWant(t, "too long notice", create(alice, ok, &m.CommunityChannelCreateConfig{ChannelNotice: strings.Repeat("n", 501)}, "club"), 6000001)
	gWant(t, "bad attribute key", create(alice, ok, &m.CommunityChannelCreateConfig{ChannelAttributes: map[string]string{strings.Repeat("k", 17): "v"}}, "club"), 6000001)
	many := map[string]string{}
	for i := 0; i < 11; i++ {
		many["k"+itoa(i)] = "v"
	}
	gWant(t, "11 attributes", create(alice, ok, &m.CommunityChannelCreateConfig{ChannelAttributes: many}, "club"), 6001008)
	// Names count characters: 300 two-byte characters are fine.
	ch := newChannel(t, alice, "club", "ok", 0)
	if ch.ChannelID != "ok" || ch.ConversationID != "club/ok" || ch.ChannelType != actors.ChannelPublic {
		t.Fatalf("created %+v", ch)
	}
	_, err := alice.UpdateCommunityChannelName(ctx(t), strings.Repeat("é", 300), "ok", "club")
	gOK(t, "300-character name", err)

	gWant(t, "duplicate ID", create(alice, ok, nil, "club"), 6001010)
	newChannel(t, alice, "club", "two", actors.ChannelPrivate)
	// GENERAL + 2 = the limit of 3.
	gWant(t, "channel limit", create(alice, &m.CommunityChannelInfo{ChannelID: "three"}, nil, "club"), 6001006)
	gWant(t, "channel limit, server-made ID", create(alice, &m.CommunityChannelInfo{}, nil, "club"), 6001006)

	// Dismissing: GENERAL never; ordinary members not; unknown channels do not exist.
	gWant(t, "dismiss GENERAL", alice.DismissCommunityChannel(ctx(t), general.ChannelID, "club"), 6001007)
	gWant(t, "member dismisses", bob.DismissCommunityChannel(ctx(t), "ok", "club"), 6001007)
	gWant(t, "dismiss unknown", alice.DismissCommunityChannel(ctx(t), "nope", "club"), 6001009)
	gOK(t, "dismiss", alice.DismissCommunityChannel(ctx(t), "ok", "club"))
	gWant(t, "dismiss again", alice.DismissCommunityChannel(ctx(t), "ok", "club"), 6001009)
	// A dismissed channel's ID stays taken; its place counts no more.
	gWant(t, "reuse dismissed ID", create(alice, ok, nil, "club"), 6001010)
	newChannel(t, alice, "club", "three", 0)

	e.restart() // all of it is stored
	alice = e.login("alice", false, 1)
	gWant(t, "reuse dismissed ID after restart", create(alice, ok, nil, "club"), 6001010)
	gWant(t, "limit after restart", create(alice, &m.CommunityChannelInfo{ChannelID: "four"}, nil, "club"), 6001006)
	list, err := alice.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "channel list", err)
	if got := channelIDList(list.ChannelList); got != general.ChannelID+",two,three" {
		t.Fatalf("channels after restart %s", got)
	}
}

// ---- dismiss ----

func TestCommunityChannelDismiss(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	general := makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)
	ch := newChannel(t, alice, "club", "news", 0)
	bob.rec.wait(t, "conversationChanged", convChanged(ch.ConversationID, 0))
	_, err := bob.SendText(ctx(t), "before", ch.ConversationID, actors.ConvChannel)
	gOK(t, "send before", err)

	gOK(t, "dismiss", alice.DismissCommunityChannel(ctx(t), "news", "club"))
	bob.rec.wait(t, "communityChannelListChanged", channelListEvent("news", actors.ListDeleted))
	bob.rec.wait(t, "conversationChanged", convChanged(ch.ConversationID, 3))
	_, err = bob.QueryConversation(ctx(t), ch.ConversationID, actors.ConvChannel)
	gWant(t, "conversation of a dismissed channel", err, 6000603)
	_, err = bob.SendText(ctx(t), "after", ch.ConversationID, actors.ConvChannel)
	gWant(t, "send to a dismissed channel", err, 6001009)
	_, err = bob.QueryHistoryMessage(ctx(t), ch.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "history of a dismissed channel", err, 6001009)
	_, err = bob.QueryCommunityChannelInfo(ctx(t), "news", "club")
	gWant(t, "info of a dismissed channel", err, 6001009)
	list, err := bob.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "list", err)
	if got := channelIDList(list.ChannelList); got != general.ChannelID {
		t.Fatalf("channels %s", got)
	}
	// The general channel works on.
	_, err = bob.SendText(ctx(t), "still here", general.ConversationID, actors.ConvChannel)
	gOK(t, "send general", err)
}

func TestCommunityDismissAlsoDismissesChannels(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	general := makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)
	pub := newChannel(t, alice, "club", "news", 0)
	priv := newChannel(t, alice, "club", "secret", actors.ChannelPrivate, "bob")
	bob.rec.wait(t, "conversationChanged", convChanged(priv.ConversationID, 0))

	gOK(t, "dismissCommunity", alice.DismissCommunity(ctx(t), "club"))
	for _, ch := range []*m.CommunityChannel{general, pub, priv} {
		bob.rec.wait(t, "conversationChanged", convChanged(ch.ConversationID, 3))
		_, err := bob.SendText(ctx(t), "anyone?", ch.ConversationID, actors.ConvChannel)
		gWant(t, "send to "+ch.ChannelID+" of a dismissed community", err, 6001004)
	}
	_, err := bob.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gWant(t, "channel list of a dismissed community", err, 6001004)
	_, err = alice.CreateCommunityChannel(ctx(t), &m.CommunityChannelInfo{ChannelID: "late"}, nil, "club")
	gWant(t, "create in a dismissed community", err, 6001004)
}

// ---- queries ----

func TestCommunityChannelListPaging(t *testing.T) {
	e := startEnv(t)
	alice, bob, dave := e.login("alice", false, 1), e.login("bob", true, 1), e.login("dave", false, 1)
	general := makeCommunity(t, alice, "club", bob)
	want := []string{general.ChannelID}
	for i := 1; i <= 6; i++ {
		id := "c" + itoa(i)
		newChannel(t, alice, "club", id, 0)
		want = append(want, id)
	}
	// A private channel bob is not in is not listed for him (nor counted in a page).
	newChannel(t, alice, "club", "hidden", actors.ChannelPrivate)

	var got []string
	var flags []int64
	next, pages := int64(0), 0
	for {
		res, err := bob.QueryCommunityChannelList(ctx(t), "club", 3, next)
		gOK(t, "page", err)
		pages++
		for _, c := range res.ChannelList {
			got = append(got, c.ChannelID)
		}
		flags = append(flags, res.NextFlag)
		if res.NextFlag == 0 {
			break
		}
		next = res.NextFlag
		if pages > 5 {
			t.Fatalf("paging does not end: %v", flags)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Fatalf("pages %d: %v (flags %v), want %v", pages, got, flags, want)
	}
	all, err := alice.QueryCommunityChannelList(ctx(t), "club", 100, 0)
	gOK(t, "alice's list", err)
	if len(all.ChannelList) != 8 || all.ChannelList[7].ChannelID != "hidden" || all.NextFlag != 0 {
		t.Fatalf("alice's list %s", channelIDList(all.ChannelList))
	}
	_, err = bob.QueryCommunityChannelList(ctx(t), "club", 0, 0)
	gWant(t, "count 0", err, 6000001)
	_, err = bob.QueryCommunityChannelList(ctx(t), "club", 101, 0)
	gWant(t, "count 101", err, 6000001)
	_, err = bob.QueryCommunityChannelList(ctx(t), "club", 3, -1)
	gWant(t, "negative nextFlag", err, 6000001)
	_, err = dave.QueryCommunityChannelList(ctx(t), "club", 3, 0)
	gWant(t, "non-member", err, 6001005)
	_, err = dave.QueryCommunityChannelInfo(ctx(t), "c1", "club")
	gWant(t, "non-member info", err, 6001005)
	_, err = bob.QueryCommunityChannelInfo(ctx(t), "nope", "club")
	gWant(t, "unknown channel", err, 6001009)
}

// ---- private channels ----

func TestCommunityPrivateChannelIsolation(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	general := makeCommunity(t, alice, "club", bob, carol)
	online(t, "club", alice, bob, carol)

	secret := newChannel(t, alice, "club", "secret", actors.ChannelPrivate, "bob", "nobody", "bob")
	if secret.ChannelType != actors.ChannelPrivate || secret.MemberCount != 2 {
		t.Fatalf("private channel %+v", secret)
	}
	bob.rec.wait(t, "communityChannelListChanged", channelListEvent("secret", actors.ListAdded))
	bob.rec.wait(t, "conversationChanged", convChanged(secret.ConversationID, 0))

	// carol: not listed, no info, no history, no sending, no conversation.
	list, err := carol.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "carol's list", err)
	if got := channelIDList(list.ChannelList); got != general.ChannelID {
		t.Fatalf("carol sees %s", got)
	}
	_, err = carol.QueryCommunityChannelInfo(ctx(t), "secret", "club")
	gWant(t, "carol's info", err, 6001009)
	_, err = carol.QueryCommunityChannelMemberList(ctx(t), "secret", "club", 10, 0)
	gWant(t, "carol's member list", err, 6001009)
	_, err = carol.QueryConversation(ctx(t), secret.ConversationID, actors.ConvChannel)
	gWant(t, "carol's conversation", err, 6000603)

	_, err = alice.SendText(ctx(t), "psst", secret.ConversationID, actors.ConvChannel)
	gOK(t, "send psst", err)
	_, err = carol.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "carol's history", err, 6001011)
	_, err = carol.SendText(ctx(t), "let me in", secret.ConversationID, actors.ConvChannel)
	gWant(t, "carol sends", err, 6001011)
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(secret.ConversationID, "psst"))
	// A later message in GENERAL reaches carol: the private one, pushed before it, did not.
	_, err = alice.SendText(ctx(t), "hello all", general.ConversationID, actors.ConvChannel)
	gOK(t, "send general", err)
	carol.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "hello all"))
	if n := carol.rec.count("communityChannelMessageReceived", fromConv(secret.ConversationID)); n != 0 {
		t.Fatalf("carol received %d private channel messages", n)
	}
	if n := carol.rec.count("communityChannelListChanged", nil); n != 0 {
		t.Fatalf("carol received %d channel list events", n)
	}

	// Invites: members only, once; private channels only.
	res, err := alice.InviteUsersIntoCommunityChannel(ctx(t), []string{"carol", "bob", "dave"}, "secret", "club")
	gOK(t, "invite", err)
	if strings.Join(res.UserIDList, ",") != "carol" || len(res.ErrorUserList) != 2 ||
		errorUsers(res.ErrorUserList)["bob"] != 6001012 || errorUsers(res.ErrorUserList)["dave"] != 6001005 {
		t.Fatalf("invite result %+v", res)
	}
	_, err = alice.InviteUsersIntoCommunityChannel(ctx(t), []string{"carol"}, general.ChannelID, "club")
	gWant(t, "invite into GENERAL", err, 6000001)
	_, err = bob.InviteUsersIntoCommunityChannel(ctx(t), []string{"carol"}, "secret", "club")
	gWant(t, "member invites", err, 6001007)
	_, err = alice.InviteUsersIntoCommunityChannel(ctx(t), nil, "secret", "club")
	gWant(t, "invite nobody", err, 6000001)

	carol.rec.wait(t, "communityChannelListChanged", channelListEvent("secret", actors.ListAdded))
	carol.rec.wait(t, "conversationChanged", convChanged(secret.ConversationID, 0))
	conv, err := carol.QueryConversation(ctx(t), secret.ConversationID, actors.ConvChannel)
	gOK(t, "carol's conversation", err)
	if conv.UnreadMessageCount != 0 {
		t.Fatalf("older messages count as unread: %d", conv.UnreadMessageCount)
	}
	h, err := carol.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "carol's history", err)
	if texts(h.MessageList) != "psst" {
		t.Fatalf("carol's history %q", texts(h.MessageList))
	}
	_, err = alice.SendText(ctx(t), "welcome carol", secret.ConversationID, actors.ConvChannel)
	gOK(t, "send welcome", err)
	carol.rec.wait(t, "communityChannelMessageReceived", channelText(secret.ConversationID, "welcome carol"))
	_, err = carol.SendText(ctx(t), "thanks", secret.ConversationID, actors.ConvChannel)
	gOK(t, "carol sends", err)
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(secret.ConversationID, "thanks"))

	ml, err := bob.QueryCommunityChannelMemberList(ctx(t), "secret", "club", 10, 0)
	gOK(t, "member list", err)
	var ids []string
	for _, u := range ml.UserList {
		ids = append(ids, u.UserID)
	}
	if strings.Join(ids, ",") != "alice,bob,carol" || ml.NextFlag != 0 || ml.UserList[0].MemberRole != actors.RoleOwner {
		t.Fatalf("member list %v %+v", ids, ml)
	}
	ml, err = bob.QueryCommunityChannelMemberList(ctx(t), "secret", "club", 2, 0)
	gOK(t, "member list page", err)
	if len(ml.UserList) != 2 || ml.NextFlag == 0 {
		t.Fatalf("member list page 1 %+v", ml)
	}
	ml, err = bob.QueryCommunityChannelMemberList(ctx(t), "secret", "club", 2, ml.NextFlag)
	gOK(t, "member list page 2", err)
	if len(ml.UserList) != 1 || ml.UserList[0].UserID != "carol" || ml.NextFlag != 0 {
		t.Fatalf("member list page 2 %+v", ml)
	}

	// Kick: carol is out again.
	kres, err := alice.KickCommunityChannelMembers(ctx(t), []string{"carol", "dave", "alice"}, "secret", "club")
	gOK(t, "kick", err)
	if strings.Join(kres.UserIDList, ",") != "carol" || errorUsers(kres.ErrorUserList)["dave"] != 6001011 ||
		errorUsers(kres.ErrorUserList)["alice"] != 6000001 { // oneself: a bad parameter, as in groups
		t.Fatalf("kick result %+v", kres)
	}
	_, err = bob.KickCommunityChannelMembers(ctx(t), []string{"carol"}, "secret", "club")
	gWant(t, "member kicks", err, 6001007)
	carol.rec.wait(t, "communityChannelListChanged", channelListEvent("secret", actors.ListDeleted))
	carol.rec.wait(t, "conversationChanged", convChanged(secret.ConversationID, 3))
	_, err = carol.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "history after the kick", err, 6001011)
	_, err = carol.QueryCommunityChannelInfo(ctx(t), "secret", "club")
	gWant(t, "info after the kick", err, 6001009)
	_, err = alice.SendText(ctx(t), "carol is gone", secret.ConversationID, actors.ConvChannel)
	gOK(t, "send after the kick", err)
	_, err = alice.SendText(ctx(t), "hello again", general.ConversationID, actors.ConvChannel)
	gOK(t, "send general", err)
	carol.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "hello again"))
	if n := carol.rec.count("communityChannelMessageReceived", channelText(secret.ConversationID, "carol is gone")); n != 0 {
		t.Fatal("carol received a private channel message after the kick")
	}
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(secret.ConversationID, "carol is gone"))
	info, err := bob.QueryCommunityChannelInfo(ctx(t), "secret", "club")
	gOK(t, "info", err)
	if info.MemberCount != 2 {
		t.Fatalf("member count %d", info.MemberCount)
	}

	// Stored: after a restart carol is still out and bob still in.
	e.restart()
	bob, carol = e.login("bob", true, 1), e.login("carol", false, 1)
	_, err = carol.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "carol's history after restart", err, 6001011)
	h, err = bob.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "bob's history after restart", err)
	if len(h.MessageList) != 4 {
		t.Fatalf("bob's history %q", texts(h.MessageList))
	}
	_, err = bob.QueryConversation(ctx(t), secret.ConversationID, actors.ConvChannel)
	gOK(t, "bob's conversation after restart", err)
	_, err = carol.QueryConversation(ctx(t), secret.ConversationID, actors.ConvChannel)
	gWant(t, "carol's conversation after restart", err, 6000603)
}

// ---- mute ----

func TestCommunityChannelMute(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)
	newChannel(t, alice, "club", "news", 0)
	conv := "club/news"
	mute := func(isMute bool, mode int32, roles []int32, duration int64, ids ...string) (*m.CommunityChannelsMutedResult, error) {
		return alice.MuteCommunityChannels(ctx(t), isMute, ids, "club", &m.CommunityChannelMuteConfig{Mode: mode, Roles: roles, Duration: duration})
	}
	sends := func(what string, s *session, code int32) {
		t.Helper()
		_, err := s.SendText(ctx(t), what, conv, actors.ConvChannel)
		if code == 0 {
			gOK(t, what, err)
		} else {
			gWant(t, what, err, code)
		}
	}

	// Refused configurations.
	for _, c := range []struct {
		what     string
		mode     int32
		roles    []int32
		duration int64
	}{
		{"duration 0", actors.MuteNormal, nil, 0},
		{"duration -2", actors.MuteNormal, nil, -2},
		{"duration 2,592,002", actors.MuteNormal, nil, 2_592_002},
		{"mode 4", 4, nil, 60},
		{"mode -1", -1, nil, 60},
		{"custom without roles", actors.MuteCustom, nil, 60},
		{"custom with a bad role", actors.MuteCustom, []int32{0}, 60},
		{"custom with 21 roles", actors.MuteCustom, []int32{100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120}, 60},
	} {
		_, err := mute(true, c.mode, c.roles, c.duration, "news")
		gWant(t, c.what, err, 6000001)
	}
	_, err := mute(true, actors.MuteAll, nil, 60)
	gWant(t, "no channels", err, 6000001)
	_, err = bob.MuteCommunityChannels(ctx(t), true, []string{"news"}, "club", &m.CommunityChannelMuteConfig{Mode: actors.MuteAll, Duration: 60})
	gWant(t, "ordinary member mutes", err, 6001007)

	// NORMAL: ordinary members, not the owner. The longest channel duration is allowed.
	res, err := mute(true, actors.MuteNormal, nil, 2_592_001, "news", "nope")
	gOK(t, "mute normal", err)
	if !res.IsMute || strings.Join(res.MutedChannelIDList, ",") != "news" || strings.Join(res.ErrorChannelIDList, ",") != "nope" {
		t.Fatalf("mute result %+v", res)
	}
	bob.rec.wait(t, "communityChannelInfoUpdated", channelInfoEvent("news", func(c *m.CommunityChannel) bool {
		return c.MutedInfo.GetMode() == actors.MuteNormal && c.MutedInfo.GetExpiredTime() > 0
	}))
	sends("bob while normal", bob, 6000231)
	sends("alice while normal", alice, 0)
	info, err := bob.QueryCommunityChannelInfo(ctx(t), "news", "club")
	gOK(t, "info", err)
	if info.MutedInfo.GetMode() != actors.MuteNormal {
		t.Fatalf("muted info %+v", info.MutedInfo)
	}

	// ALL: everyone, permanently.
	_, err = mute(true, actors.MuteAll, nil, -1, "news")
	gOK(t, "mute all", err)
	sends("alice while all", alice, 6000231)
	sends("bob while all", bob, 6000231)

	// CUSTOM: the listed roles only.
	_, err = mute(true, actors.MuteCustom, []int32{actors.RoleMember}, 60, "news")
	gOK(t, "mute members", err)
	sends("bob while members muted", bob, 6000231)
	sends("alice while members muted", alice, 0)
	_, err = mute(true, actors.MuteCustom, []int32{actors.RoleOwner}, 60, "news")
	gOK(t, "mute owner", err)
	sends("alice while owner muted", alice, 6000231)
	sends("bob while owner muted", bob, 0)

	// The mute holds across a restart.
	e.restart()
	alice, bob = e.login("alice", false, 1), e.login("bob", true, 1)
	sends("alice after restart", alice, 6000231)

	// Lifted: by isMute false, or by mode NONE.
	res, err = mute(false, actors.MuteAll, nil, 60, "news")
	gOK(t, "unmute", err)
	if res.IsMute {
		t.Fatalf("unmute result %+v", res)
	}
	sends("alice unmuted", alice, 0)
	sends("bob unmuted", bob, 0)
	_, err = mute(true, actors.MuteAll, nil, 60, "news")
	gOK(t, "mute all again", err)
	sends("bob muted again", bob, 6000231)
	_, err = mute(true, actors.MuteNone, nil, 0, "news")
	gOK(t, "mode none", err)
	sends("bob after mode none", bob, 0)
	info, err = bob.QueryCommunityChannelInfo(ctx(t), "news", "club")
	gOK(t, "info", err)
	if info.MutedInfo.GetMode() != actors.MuteNone {
		t.Fatalf("muted info %+v", info.MutedInfo)
	}
}

// ---- profile and attributes ----

func TestCommunityChannelProfileAndAttributes(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)
	newChannel(t, alice, "club", "news", 0)
	bob.rec.wait(t, "conversationChanged", convChanged("club/news", 0))

	ch, err := alice.UpdateCommunityChannelName(ctx(t), "headlines", "news", "club")
	gOK(t, "rename", err)
	if ch.ChannelName != "headlines" {
		t.Fatalf("renamed %+v", ch)
	}
	bob.rec.wait(t, "communityChannelInfoUpdated", channelInfoEvent("news", func(c *m.CommunityChannel) bool { return c.ChannelName == "headlines" }))
	ev := bob.rec.wait(t, "communityChannelInfoUpdated", nil).(*m.CommunityChannelInfoUpdatedEvent)
	if ev.CommunityID != "club" || ev.OperatedInfo.GetUserID() != "alice" || ev.OperatedInfo.GetMemberRole() != actors.RoleOwner {
		t.Fatalf("info updated event %+v", ev)
	}
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if c.Conversation.ConversationID == "club/news" && c.Conversation.ConversationName == "headlines" {
				return true
			}
		}
		return false
	})
	ch, err = alice.UpdateCommunityChannelAvatarUrl(ctx(t), "https://a/h.png", "news", "club")
	gOK(t, "avatar", err)
	if ch.ChannelAvatarUrl != "https://a/h.png" {
		t.Fatalf("avatar %+v", ch)
	}
	bob.rec.wait(t, "communityChannelInfoUpdated", channelInfoEvent("news", func(c *m.CommunityChannel) bool { return c.ChannelAvatarUrl == "https://a/h.png" }))
	ch, err = alice.UpdateCommunityChannelNotice(ctx(t), "be nice", "news", "club")
	gOK(t, "notice", err)
	if ch.ChannelNotice != "be nice" || ch.ChannelName != "headlines" {
		t.Fatalf("notice %+v", ch)
	}
	bob.rec.wait(t, "communityChannelInfoUpdated", channelInfoEvent("news", func(c *m.CommunityChannel) bool { return c.ChannelNotice == "be nice" }))

	_, err = alice.UpdateCommunityChannelName(ctx(t), strings.Repeat("n", 301), "news", "club")
	gWant(t, "too long name", err, 6000001)
	_, err = alice.UpdateCommunityChannelAvatarUrl(ctx(t), strings.Repeat("a", 101), "news", "club")
	gWant(t, "too long avatar", err, 6000001)
	_, err = alice.UpdateCommunityChannelNotice(ctx(t), strings.Repeat("n", 501), "news", "club")
	gWant(t, "too long notice", err, 6000001)
	_, err = bob.UpdateCommunityChannelName(ctx(t), "mine", "news", "club")
	gWant(t, "member renames", err, 6001007)
	_, err = alice.UpdateCommunityChannelName(ctx(t), "x", "nope", "club")
	gWant(t, "rename unknown", err, 6001009)

	// Attributes: bad keys alone fail (errorKeys); too many pairs fail the call.
	bad := strings.Repeat("k", 17)
	keys, err := alice.SetCommunityChannelAttributes(ctx(t), map[string]string{"a": "1", "b": "2", bad: "x", "c": strings.Repeat("v", 1025)}, "news", "club")
	gOK(t, "set attributes", err)
	if strings.Join(keys, ",") != "c,"+bad {
		t.Fatalf("errorKeys %v", keys)
	}
	bob.rec.wait(t, "communityChannelInfoUpdated", channelInfoEvent("news", func(c *m.CommunityChannel) bool {
		return c.ChannelAttributes["a"] == "1" && c.ChannelAttributes["b"] == "2"
	}))
	many := map[string]string{}
	for i := 0; i < 9; i++ {
		many["m"+itoa(i)] = "v"
	}
	_, err = alice.SetCommunityChannelAttributes(ctx(t), many, "news", "club") // 2 + 9 > 10
	gWant(t, "11 attributes", err, 6001008)
	_, err = bob.SetCommunityChannelAttributes(ctx(t), map[string]string{"z": "1"}, "news", "club")
	gWant(t, "member sets attributes", err, 6001007)
	_, err = alice.SetCommunityChannelAttributes(ctx(t), nil, "news", "club")
	gWant(t, "no attributes", err, 6000001)
	keys, err = alice.DeleteCommunityChannelAttributes(ctx(t), []string{"a", "nope"}, "news", "club")
	gOK(t, "delete attributes", err)
	if strings.Join(keys, ",") != "nope" {
		t.Fatalf("errorKeys %v", keys)
	}
	_, err = bob.DeleteCommunityChannelAttributes(ctx(t), []string{"b"}, "news", "club")
	gWant(t, "member deletes attributes", err, 6001007)

	e.restart()
	bob = e.login("bob", true, 1)
	info, err := bob.QueryCommunityChannelInfo(ctx(t), "news", "club")
	gOK(t, "info after restart", err)
	if info.ChannelName != "headlines" || info.ChannelAvatarUrl != "https://a/h.png" || info.ChannelNotice != "be nice" ||
		len(info.ChannelAttributes) != 1 || info.ChannelAttributes["b"] != "2" {
		t.Fatalf("info after restart %+v", info)
	}
	conv, err := bob.QueryConversation(ctx(t), "club/news", actors.ConvChannel)
	gOK(t, "conversation after restart", err)
	if conv.ConversationName != "headlines" || conv.ConversationAvatarUrl != "https://a/h.png" {
		t.Fatalf("conversation after restart %+v", conv)
	}
}

// The owner and admins see and manage private channels they are not in; they read them
// and get their messages only once they are in.
func TestCommunityManagersManagePrivateChannels(t *testing.T) {
	e := startEnv(t)
	alice, bob, carol := e.login("alice", false, 1), e.login("bob", true, 1), e.login("carol", false, 1)
	makeCommunity(t, alice, "club", bob, carol)
	online(t, "club", alice, bob, carol)
	gOK(t, "bob admin", alice.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, "bob", "club"))
	secret := newChannel(t, alice, "club", "secret", actors.ChannelPrivate)

	list, err := bob.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "admin's list", err)
	if !strings.Contains(channelIDList(list.ChannelList), "secret") {
		t.Fatalf("the admin does not see the private channel: %s", channelIDList(list.ChannelList))
	}
	_, err = bob.QueryHistoryMessage(ctx(t), secret.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "admin reads before being in", err, 6001011)
	res, err := bob.InviteUsersIntoCommunityChannel(ctx(t), []string{"carol"}, "secret", "club")
	gOK(t, "admin invites", err)
	if len(res.ErrorUserList) != 0 {
		t.Fatalf("invite errors %v", res.ErrorUserList)
	}
	carol.rec.wait(t, "conversationChanged", convChanged(secret.ConversationID, 0))
	_, err = carol.QueryCommunityChannelInfo(ctx(t), "secret", "club")
	gOK(t, "carol's info once in", err)
	list, err = carol.QueryCommunityChannelList(ctx(t), "club", 10, 0)
	gOK(t, "carol's list", err)
	if !strings.Contains(channelIDList(list.ChannelList), "secret") {
		t.Fatalf("carol, now in it, does not see it")
	}
}
