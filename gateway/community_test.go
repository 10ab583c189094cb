package gateway_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// ---- helpers shared by the community tests ----

// makeCommunity creates community id owned by owner; members join it. It returns the
// GENERAL channel.
func makeCommunity(t testing.TB, owner *session, id string, members ...*session) *m.CommunityChannel {
	t.Helper()
	info, err := owner.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: id, CommunityName: "name of " + id}, nil)
	gOK(t, "createCommunity", err)
	if info.BaseInfo.CommunityID != id {
		t.Fatalf("created %q, want %q", info.BaseInfo.CommunityID, id)
	}
	for _, s := range members {
		_, err := s.JoinCommunity(ctx(t), id)
		gOK(t, "joinCommunity "+s.user, err)
	}
	return generalChannel(t, owner, id)
}

// generalChannel finds a community's GENERAL channel through a member's conversation
// list (channel management may not be served yet by every build of these tests).
func generalChannel(t testing.TB, s *session, id string) *m.CommunityChannel {
	t.Helper()
	var conv *m.Conversation
	eventually(t, "general channel conversation of "+id, func() bool {
		list, err := s.QueryConversationList(ctx(t), 100, nil, &m.ConversationFilterOption{ConversationTypes: []int32{actors.ConvChannel}})
		gOK(t, "queryConversationList", err)
		for _, c := range list {
			if cid, _, _ := actors.SplitChannelConversationID(c.ConversationID); cid == id {
				conv = c
				return true
			}
		}
		return false
	})
	_, ch, _ := actors.SplitChannelConversationID(conv.ConversationID)
	return &m.CommunityChannel{CommunityID: id, ChannelID: ch, ConversationID: conv.ConversationID, ChannelName: conv.ConversationName}
}

func channelText(conv, text string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.ConversationMessageReceivedEvent)
		return ev.FromConversationID == conv && len(ev.MessageList) == 1 && ev.MessageList[0].Message == text
	}
}

func communityUnread(id string, n int64) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.CommunityListChangedEvent).ChangeInfoList {
			if c.Community.GetBaseInfo().GetCommunityID() == id && c.Community.UnreadMessageCount == n {
				return true
			}
		}
		return false
	}
}

func communityByID(t testing.TB, s *session, id string) *m.Community {
	t.Helper()
	res, err := s.QueryCommunityList(ctx(t), 100, 0)
	gOK(t, "queryCommunityList", err)
	for _, c := range res.CommunityList {
		if c.BaseInfo.CommunityID == id {
			return c
		}
	}
	return nil
}

// ---- core ----

func TestCommunityChannelChatAndNotificationRules(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	general := makeCommunity(t, alice, "club", bob)
	if general.ChannelName != "general" {
		t.Fatalf("general channel named %q", general.ChannelName)
	}
	bob.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
		c := p.(*m.CommunityListChangedEvent).ChangeInfoList[0]
		return c.Action == actors.ListAdded && c.Community.BaseInfo.CommunityID == "club"
	})

	// A channel message reaches the other member; it is stored with the channel's seq.
	sent, err := alice.SendText(ctx(t), "hello club", general.ConversationID, actors.ConvChannel)
	gOK(t, "send", err)
	if sent.MessageSeq != 1 || sent.ConversationType != actors.ConvChannel {
		t.Fatalf("sent %+v", sent)
	}
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "hello club"))

	// Channels are do-not-disturb by default: the unread count is kept but does not
	// count towards the community's or the total unread count.
	var conv *m.Conversation
	eventually(t, "bob's channel conversation has 1 unread", func() bool {
		conv, err = bob.QueryConversation(ctx(t), general.ConversationID, actors.ConvChannel)
		return err == nil && conv.UnreadMessageCount == 1
	})
	if conv.NotificationStatus != actors.NotifyDND {
		t.Fatalf("channel notification status %d, want do-not-disturb", conv.NotificationStatus)
	}
	if total, _ := bob.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 0 {
		t.Fatalf("total unread %d with the channel in DND", total)
	}
	if c := communityByID(t, bob, "club"); c == nil || c.NotificationStatus != actors.NotifyOn || c.UnreadMessageCount != 0 {
		t.Fatalf("community entry %+v: want notify status and 0 unread", c)
	}

	// The channel in notify status: it counts (the community notifies by default).
	gOK(t, "notify channel", bob.SetConversationNotificationStatus(ctx(t), actors.NotifyOn, general.ConversationID, actors.ConvChannel))
	bob.rec.wait(t, "communityListChanged", communityUnread("club", 1))
	if total, _ := bob.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 1 {
		t.Fatalf("total unread %d, want 1", total)
	}
	// The community in do-not-disturb status: nothing counts.
	gOK(t, "community DND", bob.SetCommunityNotificationStatus(ctx(t), actors.NotifyDND, "club"))
	if total, _ := bob.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 0 {
		t.Fatalf("total unread %d with the community in DND", total)
	}
	if c := communityByID(t, bob, "club"); c.UnreadMessageCount != 0 || c.NotificationStatus != actors.NotifyDND {
		t.Fatalf("community entry %+v in DND", c)
	}
	gOK(t, "community notify", bob.SetCommunityNotificationStatus(ctx(t), actors.NotifyOn, "club"))
	if c := communityByID(t, bob, "club"); c.UnreadMessageCount != 1 {
		t.Fatalf("community entry %+v back in notify", c)
	}
	gOK(t, "clear", bob.ClearConversationUnreadMessageCount(ctx(t), general.ConversationID, actors.ConvChannel))
	bob.rec.wait(t, "communityListChanged", communityUnread("club", 0))

	// Drafts work on channel conversations too.
	gOK(t, "draft", bob.SetConversationDraft(ctx(t), "half a thought", general.ConversationID, actors.ConvChannel))
	if c, err := bob.QueryConversation(ctx(t), general.ConversationID, actors.ConvChannel); err != nil || c.Draft != "half a thought" {
		t.Fatalf("draft: %+v, %v", c, err)
	}

	// History for members.
	h, err := bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history", err)
	if texts(h.MessageList) != "hello club" {
		t.Fatalf("history %q", texts(h.MessageList))
	}
}

// ---- seed 000, one rule per test ----

func TestCommunityIDRules(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 1)
	for _, id := range []string{"#mine", "has space", "slash/no", "comma,no", "é", "0123456789012345678901234567890123"} {
		_, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: id}, nil)
		gWant(t, "create "+id, err, 6000001)
	}
	// Every special character of the seed's alphabet is accepted.
	info, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "a!$%&()+-:;<=.>?@[]^_{}|~#"}, nil)
	gOK(t, "create with specials", err)
	if info.CreatorUserID != "alice" || info.OwnerUserID != "alice" || info.CurrentMemberCount != 1 || info.CreateTime == 0 {
		t.Fatalf("full info %+v", info)
	}
	// An empty ID gets a server-made one starting with #B.
	auto, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityName: "auto"}, nil)
	gOK(t, "create auto", err)
	if id := auto.BaseInfo.CommunityID; len(id) < 3 || id[:2] != "#B" {
		t.Fatalf("server-made ID %q", id)
	}
	// The same ID twice: 6001003 (also once dismissed).
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "taken"}, nil)
	gOK(t, "create taken", err)
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "taken"}, nil)
	gWant(t, "create twice", err, 6001003)
	gOK(t, "dismiss", alice.DismissCommunity(ctx(t), "taken"))
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "taken"}, nil)
	gWant(t, "create dismissed ID", err, 6001003)
}

func TestCommunityProfileLimits(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", false, 1)
	long := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = 'é' // characters, not bytes, are counted
		}
		return string(b)
	}
	_, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c", CommunityName: long(301)}, nil)
	gWant(t, "name 301", err, 6000001)
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c", CommunityAvatarUrl: long(101)}, nil)
	gWant(t, "avatar 101", err, 6000001)
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c"}, &m.CommunityCreateConfig{CommunityNotice: long(501)})
	gWant(t, "notice 501", err, 6000001)
	attrs := map[string]string{}
	for i := 0; i < 11; i++ {
		attrs[string(rune('a'+i))] = "v"
	}
	_, err = alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c"}, &m.CommunityCreateConfig{CommunityAttributes: attrs})
	gWant(t, "11 attributes", err, 6001008)
	delete(attrs, "k")
	info, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c", CommunityName: long(300), CommunityAvatarUrl: long(100)},
		&m.CommunityCreateConfig{CommunityNotice: long(500), CommunityAttributes: attrs})
	gOK(t, "create at the limits", err)
	if len(info.CommunityAttributes) != 10 || info.CommunityNotice != long(500) {
		t.Fatalf("created %+v", info)
	}
	_, err = bob.JoinCommunity(ctx(t), "c")
	gOK(t, "join", err)
	bob.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
		return p.(*m.CommunityListChangedEvent).ChangeInfoList[0].Action == actors.ListAdded
	})

	// Owner and admins update the profile; members get communityInfoUpdated, and
	// communityListChanged for name and avatar.
	gWant(t, "member renames", bob.UpdateCommunityName(ctx(t), "x", "c"), 6001007)
	gOK(t, "rename", alice.UpdateCommunityName(ctx(t), "renamed", "c"))
	bob.rec.wait(t, "communityInfoUpdated", func(p proto.Message) bool {
		return p.(*m.CommunityInfoUpdatedEvent).UpdateInfoList[0].CommunityInfo.BaseInfo.CommunityName == "renamed"
	})
	bob.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
		c := p.(*m.CommunityListChangedEvent).ChangeInfoList[0]
		return c.Action == actors.ListUpdated && c.Community.BaseInfo.CommunityName == "renamed"
	})
	gWant(t, "name 301", alice.UpdateCommunityName(ctx(t), long(301), "c"), 6000001)
	gOK(t, "avatar", alice.UpdateCommunityAvatarUrl(ctx(t), "https://a/b.png", "c"))
	gWant(t, "avatar 101", alice.UpdateCommunityAvatarUrl(ctx(t), long(101), "c"), 6000001)
	gOK(t, "notice", alice.UpdateCommunityNotice(ctx(t), "be nice", "c"))
	gWant(t, "notice 501", alice.UpdateCommunityNotice(ctx(t), long(501), "c"), 6000001)
	got, err := bob.QueryCommunityInfo(ctx(t), "c")
	gOK(t, "info", err)
	if got.BaseInfo.CommunityName != "renamed" || got.BaseInfo.CommunityAvatarUrl != "https://a/b.png" || got.CommunityNotice != "be nice" || got.CurrentMemberCount != 2 {
		t.Fatalf("info %+v", got)
	}
}

func TestCommunityAttributes(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", false, 1)
	makeCommunity(t, alice, "c", bob)
	_, err := bob.SetCommunityAttributes(ctx(t), map[string]string{"a": "1"}, "c")
	gWant(t, "member sets", err, 6001007)
	// Too long keys or values fail alone, listed in errorKeys; the rest is set.
	bad, err := alice.SetCommunityAttributes(ctx(t), map[string]string{
		"ok": "1", "abcdefghijklmnopq": "17-char key", "big": string(make([]byte, 1025)), "": "empty key",
	}, "c")
	gOK(t, "set", err)
	if len(bad) != 3 || bad[0] != "" || bad[1] != "abcdefghijklmnopq" || bad[2] != "big" {
		t.Fatalf("errorKeys %q", bad)
	}
	info, _ := alice.QueryCommunityInfo(ctx(t), "c")
	if len(info.CommunityAttributes) != 1 || info.CommunityAttributes["ok"] != "1" {
		t.Fatalf("attributes %v", info.CommunityAttributes)
	}
	// More than 10 pairs in all: the whole call is refused with 6001008.
	ten := map[string]string{}
	for i := 0; i < 10; i++ {
		ten[string(rune('a'+i))] = "v"
	}
	_, err = alice.SetCommunityAttributes(ctx(t), ten, "c")
	gWant(t, "11 pairs", err, 6001008)
	delete(ten, "j")
	_, err = alice.SetCommunityAttributes(ctx(t), ten, "c")
	gOK(t, "10 pairs", err)
	bob.rec.wait(t, "communityInfoUpdated", func(p proto.Message) bool {
		return len(p.(*m.CommunityInfoUpdatedEvent).UpdateInfoList[0].CommunityInfo.CommunityAttributes) == 10
	})
	bad, err = alice.DeleteCommunityAttributes(ctx(t), []string{"a", "nope"}, "c")
	gOK(t, "delete", err)
	if len(bad) != 1 || bad[0] != "nope" {
		t.Fatalf("delete errorKeys %q", bad)
	}
	info, _ = alice.QueryCommunityInfo(ctx(t), "c")
	if len(info.CommunityAttributes) != 9 {
		t.Fatalf("attributes after delete %v", info.CommunityAttributes)
	}
}

func TestCommunityJoinLeaveAndOwner(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", false, 1)
	_, err := bob.JoinCommunity(ctx(t), "nope")
	gWant(t, "join missing", err, 6001004)
	general := makeCommunity(t, alice, "c")
	info, err := bob.JoinCommunity(ctx(t), "c")
	gOK(t, "join", err)
	if info.CurrentMemberCount != 2 || info.NotificationStatus != actors.NotifyOn {
		t.Fatalf("joined info %+v", info)
	}
	alice.rec.wait(t, "communityMemberStateChanged", func(p proto.Message) bool {
		ev := p.(*m.CommunityMemberStateChangedEvent)
		return ev.State == 1 && ev.Event == 1 && ev.UserList[0].UserID == "bob" && ev.UserList[0].EnterType == 3
	})
	_, err = bob.JoinCommunity(ctx(t), "c")
	gWant(t, "join twice", err, 6001012)
	// Joining puts the member into GENERAL at once.
	if g := generalChannel(t, bob, "c"); g.ConversationID != general.ConversationID {
		t.Fatalf("bob's general %q, want %q", g.ConversationID, general.ConversationID)
	}
	// The owner cannot leave; a member can, and leaves every channel.
	gWant(t, "owner leaves", alice.LeaveCommunity(ctx(t), "c"), 6001007)
	gOK(t, "bob leaves", bob.LeaveCommunity(ctx(t), "c"))
	gWant(t, "bob leaves twice", bob.LeaveCommunity(ctx(t), "c"), 6001005)
	bob.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
		return p.(*m.CommunityListChangedEvent).ChangeInfoList[0].Action == actors.ListDeleted
	})
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		i := p.(*m.ConversationChangedEvent).InfoList[0]
		return i.Event == 3 && i.Conversation.ConversationID == general.ConversationID
	})
	_, err = bob.SendText(ctx(t), "still here?", general.ConversationID, actors.ConvChannel)
	gWant(t, "send after leaving", err, 6001005)
	_, err = bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gWant(t, "history after leaving", err, 6001005)
	if c := communityByID(t, bob, "c"); c != nil {
		t.Fatalf("left community still listed: %+v", c)
	}
}

func TestCommunityDismissCascades(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", false, 1)
	general := makeCommunity(t, alice, "c", bob)
	gWant(t, "member dismisses", bob.DismissCommunity(ctx(t), "c"), 6001007)
	gOK(t, "dismiss", alice.DismissCommunity(ctx(t), "c"))
	for _, s := range []*session{alice, bob} {
		s.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
			return p.(*m.CommunityListChangedEvent).ChangeInfoList[0].Action == actors.ListDeleted
		})
		_, err := s.SendText(ctx(t), "anyone?", general.ConversationID, actors.ConvChannel)
		gWant(t, s.user+" sends into a dismissed community", err, 6001004)
		_, err = s.QueryCommunityInfo(ctx(t), "c")
		gWant(t, "info", err, 6001004)
		_, err = s.QueryConversation(ctx(t), general.ConversationID, actors.ConvChannel)
		gWant(t, "conversation", err, 6000603)
	}
	_, err := bob.JoinCommunity(ctx(t), "c")
	gWant(t, "join dismissed", err, 6001004)
}

func TestCommunityListPaging(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 1)
	want := []string{}
	for i := 0; i < 7; i++ {
		id := "c" + string(rune('0'+i))
		_, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: id}, nil)
		gOK(t, "create", err)
		want = append(want, id)
	}
	_, err := alice.QueryCommunityList(ctx(t), 101, 0)
	gWant(t, "count 101", err, 6000001)
	_, err = alice.QueryCommunityList(ctx(t), 0, 0)
	gWant(t, "count 0", err, 6000001)
	var got []string
	var flags []int64
	next := int64(0)
	for {
		res, err := alice.QueryCommunityList(ctx(t), 3, next)
		gOK(t, "page", err)
		for _, c := range res.CommunityList {
			got = append(got, c.BaseInfo.CommunityID)
		}
		flags = append(flags, res.NextFlag)
		if res.NextFlag == 0 {
			break
		}
		next = res.NextFlag
	}
	if len(flags) != 3 || flags[2] != 0 || len(got) != 7 {
		t.Fatalf("pages: flags %v, communities %v", flags, got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

func TestCommunityUserLimit(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Community.PerUser = 2 }))
	alice, bob := e.login("alice", false, 1), e.login("bob", false, 1)
	for _, id := range []string{"a", "b"} {
		_, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: id}, nil)
		gOK(t, "create", err)
	}
	_, err := alice.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c"}, nil)
	gWant(t, "third community", err, 6001001)
	_, err = bob.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "c"}, nil)
	gOK(t, "bob creates", err)
	_, err = alice.JoinCommunity(ctx(t), "c")
	gWant(t, "alice joins a third", err, 6001001)
}

// Unread counts of channel conversations survive a restart; a member who joins later
// does not count the messages sent before.
func TestCommunityUnreadAfterRestart(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 1)
	general := makeCommunity(t, alice, "c")
	for i := 0; i < 3; i++ {
		_, err := alice.SendText(ctx(t), "early", general.ConversationID, actors.ConvChannel)
		gOK(t, "send", err)
	}
	bob := e.login("bob", false, 1)
	_, err := bob.JoinCommunity(ctx(t), "c")
	gOK(t, "join", err)
	for i := 0; i < 2; i++ {
		_, err := alice.SendText(ctx(t), "late", general.ConversationID, actors.ConvChannel)
		gOK(t, "send", err)
	}
	gOK(t, "notify", bob.SetConversationNotificationStatus(ctx(t), actors.NotifyOn, general.ConversationID, actors.ConvChannel))
	_ = bob.Close()
	_ = alice.Close()
	e.restart()
	bob = e.login("bob", false, 1)
	conv, err := bob.QueryConversation(ctx(t), general.ConversationID, actors.ConvChannel)
	gOK(t, "conversation", err)
	if conv.UnreadMessageCount != 2 || conv.NotificationStatus != actors.NotifyOn || conv.ConversationName != "general" {
		t.Fatalf("after restart %+v", conv)
	}
	if c := communityByID(t, bob, "c"); c.UnreadMessageCount != 2 {
		t.Fatalf("community unread %d", c.UnreadMessageCount)
	}
	if total, _ := bob.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 2 {
		t.Fatalf("total %d", total)
	}
	h, err := bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history", err)
	if len(h.MessageList) != 5 {
		t.Fatalf("history has %d messages, want the whole channel (5)", len(h.MessageList))
	}
}

// Channel messages through the ordinary message APIs: queryMessages by sequence
// numbers, deletions for the caller only, command messages pushed but never stored.
func TestCommunityChannelMessageAPIs(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	general := makeCommunity(t, alice, "c", bob)
	for _, text := range []string{"one", "two", "three"} {
		_, err := alice.SendText(ctx(t), text, general.ConversationID, actors.ConvChannel)
		gOK(t, "send "+text, err)
	}
	bob.rec.wait(t, "communityChannelMessageReceived", channelText(general.ConversationID, "three"))
	cmd, err := alice.SendMessage(ctx(t), &m.Message{Type: 2, Message: "AAECAw=="}, general.ConversationID, actors.ConvChannel, nil)
	gOK(t, "command", err)
	if cmd.MessageSeq != 0 {
		t.Fatalf("a command message got seq %d: it is not stored", cmd.MessageSeq)
	}
	bob.rec.wait(t, "communityChannelMessageReceived", func(p proto.Message) bool {
		l := p.(*m.ConversationMessageReceivedEvent).MessageList
		return len(l) == 1 && l[0].Type == 2
	})

	res, err := bob.QueryMessages(ctx(t), []int64{1, 3}, general.ConversationID, actors.ConvChannel)
	gOK(t, "queryMessages", err)
	if texts(res.MessageList) != "one,three" || res.MessageList[0].Direction != 1 {
		t.Fatalf("queryMessages %q", texts(res.MessageList))
	}
	// bob deletes "two" for himself; alice still sees it.
	gOK(t, "delete", bob.DeleteMessages(ctx(t), []*m.Message{{MessageSeq: 2, ConversationID: general.ConversationID, ConversationType: actors.ConvChannel}}, general.ConversationID, actors.ConvChannel))
	h, err := bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "bob's history", err)
	if texts(h.MessageList) != "one,three" {
		t.Fatalf("bob's history after deleting two: %q", texts(h.MessageList))
	}
	h, err = alice.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "alice's history", err)
	if texts(h.MessageList) != "one,two,three" {
		t.Fatalf("alice's history: %q", texts(h.MessageList))
	}
	gOK(t, "delete all", alice.DeleteAllMessage(ctx(t), general.ConversationID, actors.ConvChannel))
	h, err = alice.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "alice's history after clearing", err)
	if len(h.MessageList) != 0 {
		t.Fatalf("alice's history after deleteAllMessage: %q", texts(h.MessageList))
	}
	if h, _ = bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10}); texts(h.MessageList) != "one,three" {
		t.Fatalf("bob's history after alice cleared hers: %q", texts(h.MessageList))
	}
}
