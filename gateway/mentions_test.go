package gateway_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

func mentionsIn(c *m.Conversation) map[int64]int32 {
	out := map[int64]int32{}
	for _, i := range c.GetMentionedInfoList() {
		out[i.MessageSeq] = i.Type
	}
	return out
}

func TestMentionsReachMentionedMembersUntilTheyRead(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "mg", bob, carol)
	noErr(t, "carol logs out", carol.Logout(ctx(t)))

	send := func(text string, ids []string, all bool) *m.Message {
		t.Helper()
		s, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: text, MentionedUserIDs: ids, IsMentionAll: all}, "mg", 2, nil)
		noErr(t, "send "+text, err)
		return s
	}
	plain := send("hello", nil, false)
	toBob := send("@bob look", []string{"bob"}, false)
	toAll := send("@all and @bob", []string{"bob"}, true)
	everyone := send("@all", nil, true)

	// Bob (online) sees his mentions on the conversation as they arrive.
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		got := mentionsIn(c)
		return c.ConversationID == "mg" && len(got) == 3 && got[toBob.MessageSeq] == 1 && got[toAll.MessageSeq] == 3 && got[everyone.MessageSeq] == 2
	})
	// The sender is not mentioned by its own messages.
	conv, err := alice.QueryConversation(ctx(t), "mg", 2)
	noErr(t, "alice's conversation", err)
	if len(conv.MentionedInfoList) != 0 {
		t.Fatalf("sender's own mentions: %v", conv.MentionedInfoList)
	}
	if got := mentionsIn(conv); got[plain.MessageSeq] != 0 {
		t.Fatal("a plain message mentions nobody")
	}

	// Carol was offline: after a restart she logs in and finds the @all ones.
	e.restart()
	carol = e.login("carol", false, 0)
	list, err := carol.QueryConversationList(ctx(t), 10, nil, nil)
	noErr(t, "carol's list", err)
	got := mentionsIn(list[0])
	if len(got) != 2 || got[toAll.MessageSeq] != 2 || got[everyone.MessageSeq] != 2 {
		t.Fatalf("carol's mentions: %v", list[0].MentionedInfoList)
	}
	if i := list[0].MentionedInfoList[0]; i.FromUserID != "alice" || i.MessageID == "" {
		t.Fatalf("mention info: %v", i)
	}
	// Reading clears them.
	noErr(t, "clear unread", carol.ClearConversationUnreadMessageCount(ctx(t), "mg", 2))
	c2, err := carol.QueryConversation(ctx(t), "mg", 2)
	noErr(t, "query", err)
	if len(c2.MentionedInfoList) != 0 {
		t.Fatalf("after reading: %v", c2.MentionedInfoList)
	}
	// A later mention shows again.
	alice = e.login("alice", false, 0)
	again := send("@carol", []string{"carol"}, false)
	carol.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		got := mentionsIn(p.(*m.ConversationChangedEvent).InfoList[0].Conversation)
		return len(got) == 1 && got[again.MessageSeq] == 1
	})
}

func TestPeerMentionShowsOnTheReceiversConversation(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	e.registered("bob")
	sent, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: "@bob hi", MentionedUserIDs: []string{"bob"}}, "bob", 0, nil)
	noErr(t, "send", err)
	bob := e.login("bob", false, 0)
	c, err := bob.QueryConversation(ctx(t), "alice", 0)
	noErr(t, "query", err)
	if got := mentionsIn(c); len(got) != 1 || got[sent.MessageSeq] != 1 {
		t.Fatalf("bob's mentions: %v", c.MentionedInfoList)
	}
	// Bob answering reads the conversation: the mention is gone.
	_, err = bob.SendText(ctx(t), "yes?", "alice", 0)
	noErr(t, "reply", err)
	c, err = bob.QueryConversation(ctx(t), "alice", 0)
	noErr(t, "query", err)
	if len(c.MentionedInfoList) != 0 {
		t.Fatalf("after answering: %v", c.MentionedInfoList)
	}
}
