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

	// History for members.
	h, err := bob.QueryHistoryMessage(ctx(t), general.ConversationID, actors.ConvChannel, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history", err)
	if texts(h.MessageList) != "hello club" {
		t.Fatalf("history %q", texts(h.MessageList))
	}
}
