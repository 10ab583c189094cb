package actors

import (
	"slices"
	"testing"

	"github.com/parley-chat/parley/messages"
)

func (u *unitGrain) pin(user, conv string, pinned bool) error {
	return u.call(user, "updateConversationPinnedState", &messages.UpdateConversationPinnedStateParams{IsPinned: pinned, ConversationID: conv, ConversationType: ConvPeer}, &messages.ConversationPinnedStateUpdatedResult{})
}

func changedOf(t *testing.T, ps []*messages.Deliver) []*messages.ConversationChangedEvent {
	t.Helper()
	evs, _ := pushesOf(t, ps, "conversationChanged", func() *messages.ConversationChangedEvent { return &messages.ConversationChangedEvent{} })
	return evs
}

func TestUnitConversationPinAndMark(t *testing.T) {
	cw := newChatWorld(t, "alice", "bob", "carol", "dave")
	cw.rt.cfg.Limits.Conversations.PinnedMax = 2
	alice := cw.users["alice"]
	alice.register(device(5, 1), "")
	cw.send("bob", "alice", "b1")
	cw.send("carol", "alice", "c1")
	cw.send("dave", "alice", "d1")
	cw.rec.takePushes()
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "dave,carol,bob" {
		t.Fatalf("list %s", got)
	}
	// Pinning: refused for an unknown conversation; bob pinned comes first.
	wantCode(t, alice.pin("alice", "nobody", true), ErrConvNotExist)
	if err := alice.pin("alice", "bob", true); err != nil {
		t.Fatal(err)
	}
	ch := changedOf(t, cw.rec.takePushes())
	if len(ch) != 1 || !ch[0].InfoList[0].Conversation.IsPinned || ch[0].InfoList[0].Conversation.PinnedTime != cw.now.UnixMilli() {
		t.Fatalf("pin pushed %v", ch)
	}
	if err := alice.pin("alice", "carol", true); err != nil {
		t.Fatal(err)
	}
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "carol,bob,dave" {
		t.Fatalf("list with pins %s", got)
	}
	// Paging through the pinned boundary.
	page := alice.convList("alice", 2, nil, nil)
	if got := convIDs(alice.convList("alice", 2, page[1], nil)); got != "dave" {
		t.Fatalf("second page %s", got)
	}
	// The pinned limit (2 here) refuses a third.
	wantCode(t, alice.pin("alice", "dave", true), ErrConvPinnedLimit)
	var pinned messages.ConversationPinnedListQueriedResult
	alice.mustCall("alice", "queryConversationPinnedList", &messages.QueryConversationPinnedListParams{Config: &messages.ConversationQueryConfig{Count: 1}}, &pinned)
	if convIDs(pinned.ConversationList) != "carol" {
		t.Fatalf("pinned page %s", convIDs(pinned.ConversationList))
	}
	alice.mustCall("alice", "queryConversationPinnedList", &messages.QueryConversationPinnedListParams{Config: &messages.ConversationQueryConfig{Count: 5, NextConversation: pinned.ConversationList[0]}}, &pinned)
	if convIDs(pinned.ConversationList) != "bob" {
		t.Fatalf("pinned second page %s", convIDs(pinned.ConversationList))
	}
	// A new message does not move an unpinned conversation above the pinned ones.
	cw.send("dave", "alice", "d2")
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "carol,bob,dave" {
		t.Fatalf("list after a new message %s", got)
	}
	if err := alice.pin("alice", "carol", false); err != nil {
		t.Fatal(err)
	}
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "bob,dave,carol" {
		t.Fatalf("list after unpinning %s", got)
	}

	// Marks.
	mark := func(typ int32, enable bool, ids ...string) (*messages.ConversationMarkSetResult, error) {
		var infos []*messages.ConversationBaseInfo
		for _, id := range ids {
			infos = append(infos, &messages.ConversationBaseInfo{ConversationID: id, ConversationType: ConvPeer})
		}
		var res messages.ConversationMarkSetResult
		err := alice.call("alice", "setConversationMark", &messages.SetConversationMarkParams{MarkType: typ, Enable: enable, ConversationInfos: infos}, &res)
		return &res, err
	}
	_, err := mark(0, true, "bob")
	wantCode(t, err, ErrConvMarkInvalid)
	_, err = mark(21, true, "bob")
	wantCode(t, err, ErrConvMarkInvalid)
	_, err = mark(3, true)
	wantCode(t, err, ErrConvMarkCount)
	cw.rec.takePushes()
	res, err := mark(3, true, "bob", "dave", "nobody")
	if err != nil || len(res.FailedConversationInfos) != 1 || res.FailedConversationInfos[0].ConversationID != "nobody" {
		t.Fatalf("mark: %v %v", res, err)
	}
	if ch := changedOf(t, cw.rec.takePushes()); len(ch) != 1 || len(ch[0].InfoList) != 2 {
		t.Fatalf("mark pushed %v", ch)
	}
	if _, err := mark(7, true, "bob"); err != nil {
		t.Fatal(err)
	}
	if got := convIDs(alice.convList("alice", 10, nil, &messages.ConversationFilterOption{Marks: []int32{3}})); got != "bob,dave" {
		t.Fatalf("marked 3: %s", got)
	}
	if _, err := mark(3, false, "bob"); err != nil {
		t.Fatal(err)
	}
	// All of it is read back by a fresh activation.
	again := cw.reload("alice")
	if c := again.conversation("alice", "bob", ConvPeer); !c.IsPinned || !slices.Equal(c.Marks, []int32{7}) {
		t.Fatalf("after reload bob %v", c)
	}
	if got := convIDs(again.convList("alice", 10, nil, &messages.ConversationFilterOption{Marks: []int32{3}})); got != "dave" {
		t.Fatalf("after reload marked 3: %s", got)
	}
}

func TestUnitConversationDelete(t *testing.T) {
	cw := newChatWorld(t, "alice", "bob", "carol")
	alice := cw.users["alice"]
	alice.register(device(5, 1), "")
	alice.register(device(6, 2), "")
	cw.send("bob", "alice", "b1")
	cw.send("bob", "alice", "b2")
	cw.send("carol", "alice", "c1")
	cw.rec.takePushes()
	del := func(id string, server bool) error {
		return alice.call("alice", "deleteConversation", &messages.DeleteConversationParams{ConversationID: id, ConversationType: ConvPeer, Config: &messages.ConversationDeleteConfig{IsAlsoDeleteServerConversation: server}}, &messages.ConversationDeletedResult{})
	}
	wantCode(t, del("nobody", true), ErrConvNotExist)
	// Local only: the server keeps it.
	if err := del("bob", false); err != nil {
		t.Fatal(err)
	}
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "carol,bob" {
		t.Fatalf("after a local delete %s", got)
	}
	if err := alice.pin("alice", "bob", true); err != nil {
		t.Fatal(err)
	}
	cw.rec.takePushes()
	if err := del("bob", true); err != nil {
		t.Fatal(err)
	}
	ps := cw.rec.takePushes()
	ch := changedOf(t, ps)
	totals, _ := pushesOf(t, ps, "conversationTotalUnreadMessageCountUpdated", func() *messages.ConversationTotalUnreadMessageCountUpdatedEvent {
		return &messages.ConversationTotalUnreadMessageCountUpdatedEvent{}
	})
	if len(ch) != 1 || ch[0].InfoList[0].Event != convEventDeleted || len(totals) != 1 || totals[0].TotalUnreadMessageCount != 1 {
		t.Fatalf("delete pushed %v %v", ch, totals)
	}
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "carol" {
		t.Fatalf("after delete %s", got)
	}
	if err := del("bob", true); err != nil { // a resend is answered as done, nothing pushed
		t.Fatalf("second delete: %v", err)
	}
	if ps := cw.rec.takePushes(); len(ps) != 0 {
		t.Fatalf("second delete pushed %v", ps)
	}
	wantCode(t, alice.call("alice", "queryConversation", &messages.ConversationRef{ConversationID: "bob", ConversationType: ConvPeer}, nil), ErrConvNotExist)
	// Still deleted after a reload; a new message brings it back with only itself unread.
	alice = cw.reload("alice")
	alice.register(device(5, 1), "")
	if got := convIDs(alice.convList("alice", 10, nil, nil)); got != "carol" {
		t.Fatalf("after reload %s", got)
	}
	cw.send("bob", "alice", "b3")
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 1 || c.IsPinned {
		t.Fatalf("back: %v", c)
	}
	alice = cw.reload("alice")
	if c := alice.conversation("alice", "bob", ConvPeer); c.UnreadMessageCount != 1 {
		t.Fatalf("back after reload: %v", c)
	}

	// Clear every unread count.
	alice.register(device(5, 1), "")
	alice.register(device(6, 2), "")
	cw.rec.takePushes()
	alice.mustCall("alice", "clearConversationTotalUnreadMessageCount", &messages.Empty{}, &messages.Empty{})
	if n := alice.totalUnread("alice"); n != 0 {
		t.Fatalf("total after clearing %d", n)
	}
	if ch := changedOf(t, cw.rec.takePushes()); len(ch) != 1 || len(ch[0].InfoList) != 2 {
		t.Fatalf("clear pushed %v", ch)
	}
	if n := cw.reload("alice").totalUnread("alice"); n != 0 {
		t.Fatalf("total after clearing and reload %d", n)
	}

	// Delete every message: history and last message go, for alice only.
	alice = cw.users["alice"]
	alice.register(device(5, 1), "")
	cw.send("carol", "alice", "c2")
	cw.rec.takePushes()
	alice.mustCall("alice", "deleteAllConversationMessages", &messages.DeleteAllConversationMessagesParams{Config: &messages.MessageDeleteConfig{IsAlsoDeleteServerMessage: true}}, &messages.Empty{})
	dels, _ := pushesOf(t, cw.rec.takePushes(), "messageDeleted", func() *messages.MessageDeletedEvent { return &messages.MessageDeletedEvent{} })
	if len(dels) != 2 || dels[0].MessageDeleteType != 2 {
		t.Fatalf("messageDeleted %v", dels)
	}
	peer := cw.peers[PeerIdentity("carol", "alice")]
	if h := peer.peerHistory("alice", &messages.MessageQueryConfig{Count: 10}); len(h) != 0 {
		t.Fatalf("alice's history after deleting all: %v", h)
	}
	if h := peer.peerHistory("carol", &messages.MessageQueryConfig{Count: 10}); len(h) != 2 {
		t.Fatalf("carol's history: %v", h)
	}
	if c := cw.reload("alice").conversation("alice", "carol", ConvPeer); c.LastMessage != nil || c.UnreadMessageCount != 0 {
		t.Fatalf("conversation after deleting all messages %v", c)
	}

	// Delete every conversation: the other devices hear conversationsAllDeleted.
	alice = cw.users["alice"]
	alice.register(device(5, 1), "")
	alice.register(device(6, 2), "")
	cw.send("bob", "alice", "b4")
	cw.rec.takePushes()
	alice.mustCall("alice", "deleteAllConversations", &messages.DeleteAllConversationsParams{Config: &messages.ConversationDeleteConfig{IsAlsoDeleteServerConversation: true}}, &messages.Empty{})
	ps = cw.rec.takePushes()
	all, conns := pushesOf(t, ps, "conversationsAllDeleted", func() *messages.ConversationsAllDeletedEvent { return &messages.ConversationsAllDeletedEvent{} })
	if len(all) != 1 || all[0].Count != 2 || !slices.Equal(conns[0], []uint64{5, 6}) {
		t.Fatalf("conversationsAllDeleted %v %v", all, conns)
	}
	if got := convIDs(cw.reload("alice").convList("alice", 10, nil, nil)); got != "" {
		t.Fatalf("after deleting all: %s", got)
	}
}
