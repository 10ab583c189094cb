package gateway_test

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

func listIDs(t testing.TB, s *session, opt *m.ConversationFilterOption) []string {
	t.Helper()
	list, err := s.QueryConversationList(ctx(t), 100, nil, opt)
	gOK(t, "queryConversationList", err)
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ConversationID)
	}
	return ids
}

func pinnedConv(conv string, pinned bool) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if c.Conversation.GetConversationID() == conv && c.Conversation.IsPinned == pinned && c.Event == 1 {
				return true
			}
		}
		return false
	}
}

func TestConversationPinMarkAcrossDevicesAndRestart(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Conversations.PinnedMax = 3 }))
	e.registered("alice")
	bob := e.login("bob", false, 1)
	carol := e.login("carol", false, 1)
	dave := e.login("dave", false, 1)
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 2)
	grp := makeGroup(t, bob, "team", alice, alice2)
	club := makeCommunity(t, carol, "club", alice)
	for _, s := range []*session{bob, carol, dave} {
		_, err := s.SendText(ctx(t), "hi from "+s.user, "alice", 0)
		gOK(t, "send", err)
	}
	alice.rec.wait(t, "peerMessageReceived", isPeerText("hi from dave"))
	_, err := carol.SendText(ctx(t), "channel hello", club.ConversationID, actors.ConvChannel)
	gOK(t, "channel send", err)
	_ = grp

	// Pin carol's peer conversation, the group and the channel: all three sort first, and
	// alice's other device hears of each.
	gOK(t, "pin carol", alice.UpdateConversationPinnedState(ctx(t), true, "carol", actors.ConvPeer))
	gOK(t, "pin team", alice.UpdateConversationPinnedState(ctx(t), true, "team", actors.ConvGroup))
	gOK(t, "pin channel", alice.UpdateConversationPinnedState(ctx(t), true, club.ConversationID, actors.ConvChannel))
	alice2.rec.wait(t, "conversationChanged", pinnedConv("carol", true))
	alice2.rec.wait(t, "conversationChanged", pinnedConv("team", true))
	alice2.rec.wait(t, "conversationChanged", pinnedConv(club.ConversationID, true))
	ids := listIDs(t, alice, nil)
	if len(ids) != 5 || !slices.Contains(ids[:3], "carol") || !slices.Contains(ids[:3], "team") || !slices.Contains(ids[:3], club.ConversationID) {
		t.Fatalf("list with pins %v", ids)
	}
	if err := alice.UpdateConversationPinnedState(ctx(t), true, "dave", actors.ConvPeer); codeOf(err) != 6000604 {
		t.Fatalf("fourth pin: %v", err)
	}
	if err := alice.UpdateConversationPinnedState(ctx(t), true, "nobody", actors.ConvPeer); codeOf(err) != 6000603 {
		t.Fatalf("pin of an unknown conversation: %v", err)
	}
	pinned, err := alice2.QueryConversationPinnedList(ctx(t), 2, nil)
	gOK(t, "queryConversationPinnedList", err)
	more, err := alice2.QueryConversationPinnedList(ctx(t), 2, pinned[1])
	gOK(t, "queryConversationPinnedList page 2", err)
	if len(pinned) != 2 || len(more) != 1 || !pinned[0].IsPinned || pinned[0].PinnedTime == 0 {
		t.Fatalf("pinned pages %v / %v", pinned, more)
	}
	gOK(t, "unpin team", alice.UpdateConversationPinnedState(ctx(t), false, "team", actors.ConvGroup))
	alice2.rec.wait(t, "conversationChanged", pinnedConv("team", false))

	// Marks, on several conversations at once; an unknown one fails alone.
	failed, err := alice.SetConversationMark(ctx(t), 5, true, []*m.ConversationBaseInfo{
		{ConversationID: "bob", ConversationType: actors.ConvPeer}, {ConversationID: "team", ConversationType: actors.ConvGroup},
		{ConversationID: club.ConversationID, ConversationType: actors.ConvChannel}, {ConversationID: "ghost", ConversationType: actors.ConvPeer},
	})
	gOK(t, "setConversationMark", err)
	if len(failed) != 1 || failed[0].ConversationID != "ghost" {
		t.Fatalf("failed %v", failed)
	}
	alice2.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		return len(p.(*m.ConversationChangedEvent).InfoList) == 3 && slices.Equal(p.(*m.ConversationChangedEvent).InfoList[0].Conversation.Marks, []int32{5})
	})
	if _, err := alice.SetConversationMark(ctx(t), 21, true, []*m.ConversationBaseInfo{{ConversationID: "bob"}}); codeOf(err) != 6000001 {
		t.Fatalf("mark 21: %v", err)
	}
	if got := listIDs(t, alice, &m.ConversationFilterOption{Marks: []int32{5}}); len(got) != 3 || got[0] != club.ConversationID {
		t.Fatalf("marked 5: %v", got)
	}

	// Everything survives a restart.
	e.restart()
	alice = e.login("alice", false, 6)
	if got := listIDs(t, alice, &m.ConversationFilterOption{PinnedFilter: 1}); len(got) != 2 || !slices.Contains(got, "carol") || !slices.Contains(got, club.ConversationID) {
		t.Fatalf("pinned after restart: %v", got)
	}
	if got := listIDs(t, alice, &m.ConversationFilterOption{Marks: []int32{5}}); len(got) != 3 {
		t.Fatalf("marked after restart: %v", got)
	}
}

func TestConversationDeleteAndClearAcrossDevices(t *testing.T) {
	e := startEnv(t)
	e.registered("alice")
	bob := e.login("bob", false, 1)
	carol := e.login("carol", false, 1)
	for i := 0; i < 2; i++ {
		_, err := bob.SendText(ctx(t), "b", "alice", 0)
		gOK(t, "send", err)
	}
	_, err := carol.SendText(ctx(t), "c1", "alice", 0)
	gOK(t, "send", err)
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 2)

	// deleteConversation (server too): the other device gets the deletion and the new total.
	if err := alice.DeleteConversation(ctx(t), "nobody", actors.ConvPeer, true); codeOf(err) != 6000603 {
		t.Fatalf("delete unknown: %v", err)
	}
	gOK(t, "deleteConversation", alice.DeleteConversation(ctx(t), "bob", actors.ConvPeer, true))
	alice2.rec.wait(t, "conversationChanged", convChanged("bob", 3))
	alice2.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 1
	})
	if got := listIDs(t, alice2, nil); !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("after delete %v", got)
	}
	// Local only: nothing changes on the server.
	gOK(t, "deleteConversation local", alice.DeleteConversation(ctx(t), "carol", actors.ConvPeer, false))
	if got := listIDs(t, alice2, nil); !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("after a local delete %v", got)
	}
	// A new message brings bob back, with only itself unread.
	_, err = bob.SendText(ctx(t), "back", "alice", 0)
	gOK(t, "send", err)
	alice2.rec.wait(t, "conversationChanged", convChanged("bob", 0))
	c, err := alice2.QueryConversation(ctx(t), "bob", actors.ConvPeer)
	gOK(t, "queryConversation", err)
	if c.UnreadMessageCount != 1 {
		t.Fatalf("bob back %v", c)
	}

	// Clear every unread count.
	gOK(t, "clearConversationTotalUnreadMessageCount", alice.ClearConversationTotalUnreadMessageCount(ctx(t)))
	alice2.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 0
	})

	// Delete every message: alice's history is empty, carol's is not.
	_, err = carol.SendText(ctx(t), "c2", "alice", 0)
	gOK(t, "send", err)
	alice.rec.wait(t, "peerMessageReceived", isPeerText("c2"))
	gOK(t, "deleteAllConversationMessages", alice.DeleteAllConversationMessages(ctx(t), true))
	alice2.rec.wait(t, "messageDeleted", func(p proto.Message) bool {
		d := p.(*m.MessageDeletedEvent)
		return d.ConversationID == "carol" && d.MessageDeleteType == 2 && d.IsDeleteConversationAllMessage
	})
	h, err := alice.QueryHistoryMessage(ctx(t), "carol", actors.ConvPeer, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history", err)
	hc, err := carol.QueryHistoryMessage(ctx(t), "alice", actors.ConvPeer, &m.MessageQueryConfig{Count: 10})
	gOK(t, "history", err)
	if len(h.MessageList) != 0 || len(hc.MessageList) != 2 {
		t.Fatalf("histories after deleting all: alice %d, carol %d", len(h.MessageList), len(hc.MessageList))
	}

	// Offline catch-up and restart: alice2 is gone while alice deletes everything; after a
	// restart she logs in to an empty list.
	_ = alice2.Close()
	gOK(t, "deleteAllConversations", alice.DeleteAllConversations(ctx(t), true))
	if n := alice.rec.count("conversationsAllDeleted", nil); n != 0 {
		t.Fatalf("the calling device got conversationsAllDeleted %d times", n)
	}
	alice3 := e.login("alice", false, 3)
	if got := listIDs(t, alice3, nil); len(got) != 0 {
		t.Fatalf("after deleting all %v", got)
	}
	gOK(t, "deleteAllConversations again", alice3.DeleteAllConversations(ctx(t), true))
	alice.rec.wait(t, "conversationsAllDeleted", nil)
	e.restart()
	alice = e.login("alice", false, 6)
	if got := listIDs(t, alice, nil); len(got) != 0 {
		t.Fatalf("after restart %v", got)
	}
	// and a message after all that is the only one there
	bob = e.login("bob", false, 1)
	_, err = bob.SendText(ctx(t), "new", "alice", 0)
	gOK(t, "send", err)
	alice.rec.wait(t, "peerMessageReceived", isPeerText("new"))
	if got := listIDs(t, alice, nil); !slices.Equal(got, []string{"bob"}) {
		t.Fatalf("after a new message %v", got)
	}
}
