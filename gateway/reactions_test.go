package gateway_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

func reactionOfType(list []*m.MessageReaction, typ string) *m.MessageReaction {
	for _, r := range list {
		if r.ReactionType == typ {
			return r
		}
	}
	return nil
}

func historyMsg(t *testing.T, s *session, conv string, ctype int32, seq int64) *m.Message {
	t.Helper()
	h, err := s.QueryHistoryMessage(ctx(t), conv, ctype, &m.MessageQueryConfig{Count: 100})
	noErr(t, "queryHistoryMessage", err)
	for _, x := range h.MessageList {
		if x.MessageSeq == seq {
			return x
		}
	}
	t.Fatalf("message %d not in %s's history", seq, s.user)
	return nil
}

func TestPeerReactionsCountsUsersHistoryConversationAndRestart(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) {
		c.Limits = actors.DefaultLimits()
		c.Limits.Rich.ReactionTypesPerMessage = 2
	}))
	alice := e.login("alice", false, 0)
	alicePhone := e.login("alice", true, 2)
	bob := e.login("bob", true, 0)

	sent, err := alice.SendText(ctx(t), "react to me", "bob", 0)
	noErr(t, "send", err)
	got := bob.rec.wait(t, "peerMessageReceived", isPeerText("react to me")).(*m.ConversationMessageReceivedEvent).MessageList[0]

	r, err := bob.AddMessageReaction(ctx(t), "👍", got, nil)
	noErr(t, "addMessageReaction", err)
	if r.TotalCount != 1 || r.SumCount != 1 || !r.IsSelfIncluded || r.ConversationID != "alice" || r.MessageID != sent.MessageID || len(r.UserList) != 1 {
		t.Fatalf("added reaction: %v", r)
	}
	changed := func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		if len(ev.ChangeInfoList) != 1 || len(ev.ChangeInfoList[0].UserChangeInfoList) != 1 {
			return false
		}
		ch := ev.ChangeInfoList[0].UserChangeInfoList[0]
		return ch.UserID == "bob" && ch.ReactionType == "👍" && ch.Action == 0 && reactionOfType(ev.Reactions, "👍").GetTotalCount() == 1
	}
	ev := alice.rec.wait(t, "messageReactionsChanged", changed).(*m.MessageReactionsChangedEvent)
	if ev.Reactions[0].IsSelfIncluded || ev.Reactions[0].ConversationID != "bob" || ev.ChangeInfoList[0].Message.ConversationID != "bob" {
		t.Fatalf("alice's view of bob's reaction: %v", ev)
	}
	alicePhone.rec.wait(t, "messageReactionsChanged", changed)
	// The message is the conversation's last: the conversation shows the reaction.
	alice.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "bob" && reactionOfType(c.LastMessage.GetReactions(), "👍").GetTotalCount() == 1
	})

	// Again without increaseCount: 6000280; with it the sum grows, the users do not.
	_, err = bob.AddMessageReaction(ctx(t), "👍", got, nil)
	wantCode(t, "same type twice", err, 6000280)
	r, err = bob.AddMessageReaction(ctx(t), "👍", got, &m.MessageReactionAddConfig{IncreaseCount: 2})
	noErr(t, "increase", err)
	if r.TotalCount != 1 || r.SumCount != 3 {
		t.Fatalf("after increaseCount 2: %v", r)
	}
	r, err = alice.AddMessageReaction(ctx(t), "👍", sent, nil)
	noErr(t, "alice reacts", err)
	if r.TotalCount != 2 || r.SumCount != 4 || !r.IsSelfIncluded || r.ConversationID != "bob" {
		t.Fatalf("alice's reaction: %v", r)
	}
	// Limits: reaction type length, types per message (2 configured), room messages.
	_, err = alice.AddMessageReaction(ctx(t), strings.Repeat("x", 33), sent, nil)
	wantCode(t, "33-byte type", err, 6000001)
	_, err = alice.AddMessageReaction(ctx(t), "", sent, nil)
	wantCode(t, "empty type", err, 6000001)
	_, err = alice.AddMessageReaction(ctx(t), "❤", sent, nil)
	noErr(t, "second type", err)
	_, err = bob.AddMessageReaction(ctx(t), "😂", got, nil)
	wantCode(t, "third type", err, 6000201)
	_, err = bob.AddMessageReaction(ctx(t), "x", &m.Message{MessageSeq: 99, ConversationID: "alice"}, nil)
	wantCode(t, "no such message", err, 6000201)
	_, err = bob.AddMessageReaction(ctx(t), "x", &m.Message{MessageSeq: 1, MessageID: "1", ConversationID: "alice"}, nil)
	wantCode(t, "wrong message ID", err, 6000201)
	_, err = bob.AddMessageReaction(ctx(t), "x", &m.Message{MessageSeq: 1, ConversationID: "r1", ConversationType: 1}, nil)
	wantCode(t, "room message", err, 6000013)

	// History: each reader's view.
	hb := historyMsg(t, bob, "alice", 0, sent.MessageSeq)
	if like := reactionOfType(hb.Reactions, "👍"); like.GetTotalCount() != 2 || !like.IsSelfIncluded || like.SumCount != 4 {
		t.Fatalf("bob's history: %v", hb.Reactions)
	}
	if heart := reactionOfType(hb.Reactions, "❤"); heart.GetTotalCount() != 1 || heart.IsSelfIncluded {
		t.Fatalf("bob's history, alice's heart: %v", hb.Reactions)
	}
	// User list, one per page.
	p1, err := bob.QueryMessageReactionUserList(ctx(t), got, &m.MessageReactionUserQueryConfig{Count: 1, ReactionType: "👍"})
	noErr(t, "user list", err)
	if p1.TotalCount != 2 || len(p1.UserInfoList) != 1 || p1.NextFlag == 0 {
		t.Fatalf("page 1: %v", p1)
	}
	p2, err := bob.QueryMessageReactionUserList(ctx(t), got, &m.MessageReactionUserQueryConfig{Count: 1, NextFlag: p1.NextFlag, ReactionType: "👍"})
	noErr(t, "user list 2", err)
	if len(p2.UserInfoList) != 1 || p2.NextFlag != 0 || p2.UserInfoList[0].UserID == p1.UserInfoList[0].UserID {
		t.Fatalf("page 2: %v", p2)
	}
	for _, u := range append(p1.UserInfoList, p2.UserInfoList...) {
		if u.UserID == "bob" && u.Reactions[0].SumCount != 3 {
			t.Fatalf("bob's own count: %v", u)
		}
	}
	_, err = bob.QueryMessageReactionUserList(ctx(t), got, &m.MessageReactionUserQueryConfig{Count: 101, ReactionType: "👍"})
	wantCode(t, "page of 101", err, 6000001)

	// Delete: mine only; not twice.
	d, err := bob.DeleteMessageReaction(ctx(t), "👍", got)
	noErr(t, "delete", err)
	if d.TotalCount != 1 || d.SumCount != 1 {
		t.Fatalf("after bob's delete: %v", d)
	}
	alice.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ch := p.(*m.MessageReactionsChangedEvent).ChangeInfoList[0].UserChangeInfoList[0]
		return ch.UserID == "bob" && ch.Action == 1
	})
	_, err = bob.DeleteMessageReaction(ctx(t), "👍", got)
	wantCode(t, "delete twice", err, 6000201)
	noErr(t, "delete all (alice)", alice.DeleteMessageAllReactions(ctx(t), sent))
	noErr(t, "delete all with none left", alice.DeleteMessageAllReactions(ctx(t), sent))
	if h := historyMsg(t, bob, "alice", 0, sent.MessageSeq); len(h.Reactions) != 0 {
		t.Fatalf("every reaction deleted, history still shows %v", h.Reactions)
	}

	// Restart: reactions survive, on history and on the conversation's last message.
	_, err = bob.AddMessageReaction(ctx(t), "🎉", got, nil)
	noErr(t, "react again", err)
	e.restart()
	alice = e.login("alice", false, 0)
	if h := historyMsg(t, alice, "bob", 0, sent.MessageSeq); reactionOfType(h.Reactions, "🎉").GetTotalCount() != 1 {
		t.Fatalf("after a restart: %v", h.Reactions)
	}
	conv, err := alice.QueryConversation(ctx(t), "bob", 0)
	noErr(t, "queryConversation", err)
	if reactionOfType(conv.LastMessage.GetReactions(), "🎉").GetTotalCount() != 1 {
		t.Fatalf("conversation's last message after a restart: %v", conv.LastMessage)
	}
}

func TestGroupReactionsReachOnlineMembersAndOfflineMembersSeeThem(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "xg", bob, carol)
	noErr(t, "carol logs out", carol.Logout(ctx(t)))

	sent, err := alice.SendText(ctx(t), "vote here", "xg", 2)
	noErr(t, "send", err)
	got := bob.rec.wait(t, "groupMessageReceived", nil).(*m.ConversationMessageReceivedEvent).MessageList[0]
	if _, err := bob.AddMessageReaction(ctx(t), "yes", got, nil); err != nil {
		t.Fatal(err)
	}
	alice.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		return ev.ChangeInfoList[0].Message.MessageID == sent.MessageID && reactionOfType(ev.Reactions, "yes").GetTotalCount() == 1
	})
	alice.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "xg" && reactionOfType(c.LastMessage.GetReactions(), "yes") != nil
	})
	// Non-members may not react; former members neither (they still read their window).
	dave := e.login("dave", false, 0)
	_, err = dave.AddMessageReaction(ctx(t), "no", got, nil)
	wantCode(t, "non-member", err, 6000521)
	bob2 := e.login("bob", false, 2)
	bob2.rec.wait(t, "connectionStateChanged", nil)
	err = bob.LeaveGroup(ctx(t), "xg")
	noErr(t, "bob leaves", err)
	_, err = bob2.DeleteMessageReaction(ctx(t), "yes", got)
	wantCode(t, "former member", err, 6000521)
	if h := historyMsg(t, bob2, "xg", 2, sent.MessageSeq); reactionOfType(h.Reactions, "yes").GetTotalCount() != 1 {
		t.Fatalf("a former member still reads its window with reactions: %v", h.Reactions)
	}

	// Carol comes back: history and the conversation list show the reaction.
	carol = e.login("carol", false, 0)
	if h := historyMsg(t, carol, "xg", 2, sent.MessageSeq); reactionOfType(h.Reactions, "yes").GetTotalCount() != 1 {
		t.Fatalf("carol's history: %v", h.Reactions)
	}
	list, err := carol.QueryConversationList(ctx(t), 10, nil, nil)
	noErr(t, "conversation list", err)
	if len(list) != 1 || reactionOfType(list[0].LastMessage.GetReactions(), "yes") == nil {
		t.Fatalf("carol's conversation list: %v", list)
	}
}
