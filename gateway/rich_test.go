package gateway_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// End-to-end tests of the message features (issue 13 part A) over real WebSockets:
// revoke, edit, reply threads, pins and combine messages in 1:1, group and channel
// conversations, with other devices of the same user, offline users catching up, a
// restart on the same Badger directory, and the permission, window and limit errors.

func msgRef(msg *m.Message, conv string, ct int32) *m.Message {
	return &m.Message{MessageSeq: msg.MessageSeq, MessageID: msg.MessageID, ConversationID: conv, ConversationType: ct}
}

// seqIs matches a message event (revoke, edit, replied info) carrying seq.
func seqIs(seq int64) func(proto.Message) bool {
	return func(p proto.Message) bool {
		var list []*m.Message
		switch e := p.(type) {
		case *m.MessageRevokeReceivedEvent:
			list = e.MessageList
		case *m.MessageEditedEvent:
			list = e.MessageList
		case *m.MessageRepliedInfoChangedEvent:
			list = e.MessageList
		}
		for _, x := range list {
			if x.MessageSeq == seq {
				return true
			}
		}
		return false
	}
}

// lastIs matches a conversationChanged whose conversation's last message is seq of type typ.
func lastIs(conv string, seq int64, typ int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if l := c.Conversation.GetLastMessage(); c.Conversation.GetConversationID() == conv && l.GetMessageSeq() == seq && l.GetType() == typ {
				return true
			}
		}
		return false
	}
}

func richHistory(t testing.TB, s *session, conv string, ct int32) []*m.Message {
	t.Helper()
	res, err := s.QueryHistoryMessage(ctx(t), conv, ct, &m.MessageQueryConfig{Count: 100})
	gOK(t, "queryHistoryMessage as "+s.user, err)
	return res.MessageList
}

func types(list []*m.Message) []int32 {
	out := make([]int32, len(list))
	for i, x := range list {
		out[i] = x.Type
	}
	return out
}

func eqTypes(a []int32, b ...int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRichPeerRevokeAndEdit(t *testing.T) {
	clk := &testClock{}
	e := startEnv(t, withClock(clk))
	alice, alice2 := e.login("alice", false, 1), e.login("alice", true, 6) // two devices, proto and JSON
	bob := e.login("bob", true, 1)

	first, err := alice.SendText(ctx(t), "hello", "bob", actors.ConvPeer)
	gOK(t, "send", err)
	second, err := alice.SendText(ctx(t), "secnd", "bob", actors.ConvPeer)
	gOK(t, "send", err)
	bob.rec.wait(t, "peerMessageReceived", nil)

	// Edit: the sender only; the other side and the sender's other device are told.
	gWant(t, "bob edits alice's", func() error {
		_, err := bob.EditMessage(ctx(t), &m.Message{Type: 1, Message: "x", MessageSeq: second.MessageSeq, ConversationID: "alice", ConversationType: actors.ConvPeer})
		return err
	}(), 6000285)
	edit := msgRef(second, "bob", actors.ConvPeer)
	edit.Type, edit.Message = 1, "second"
	edited, err := alice.EditMessage(ctx(t), edit)
	gOK(t, "edit", err)
	if edited.Message != "second" || edited.GetEditorUserID() != "alice" || edited.GetEditedTime() == 0 {
		t.Fatalf("edited %v", edited)
	}
	for _, s := range []*session{bob, alice2} {
		ev := s.rec.wait(t, "messageEdited", seqIs(second.MessageSeq)).(*m.MessageEditedEvent)
		if ev.MessageList[0].Message != "second" {
			t.Fatalf("%s's edit event %v", s.user, ev)
		}
	}
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if c.Conversation.GetLastMessage().GetMessage() == "second" {
				return true
			}
		}
		return false
	})
	if alice.rec.count("messageEdited", nil) != 0 {
		t.Fatal("the editing connection got its own edit")
	}

	// Revoke: bob may not revoke alice's; alice revokes both within the window.
	_, err = bob.RevokeMessage(ctx(t), &m.Message{MessageSeq: first.MessageSeq, ConversationID: "alice", ConversationType: actors.ConvPeer}, nil)
	gWant(t, "bob revokes alice's", err, 6000285)
	clk.advance(time.Minute)
	r, err := alice.RevokeMessage(ctx(t), msgRef(first, "bob", actors.ConvPeer), &m.MessageRevokeConfig{RevokeExtendedData: "oops"})
	gOK(t, "revoke", err)
	if r.Type != 31 || r.GetOriginalTextMessageContent() != "hello" || r.GetRevokeExtendedData() != "oops" || r.GetOperatedUserID() != "alice" || r.ConversationID != "bob" {
		t.Fatalf("revoked %v", r)
	}
	for _, s := range []*session{bob, alice2} {
		ev := s.rec.wait(t, "messageRevokeReceived", seqIs(first.MessageSeq)).(*m.MessageRevokeReceivedEvent)
		if x := ev.MessageList[0]; x.Type != 31 || x.GetRevokeStatus() != 0 || x.GetOriginalMessageType() != 1 {
			t.Fatalf("%s's revoke event %v", s.user, x)
		}
	}
	_, err = alice.RevokeMessage(ctx(t), msgRef(first, "bob", actors.ConvPeer), nil)
	gWant(t, "revoked twice", err, 6000279)
	_, err = alice.RevokeMessage(ctx(t), msgRef(second, "bob", actors.ConvPeer), nil)
	gOK(t, "revoke the last", err)
	bob.rec.wait(t, "conversationChanged", lastIs("alice", second.MessageSeq, 31))
	alice2.rec.wait(t, "conversationChanged", lastIs("bob", second.MessageSeq, 31))
	// Both were unread for bob: revoked, they no longer count.
	bob.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 0
	})
	if c, err := bob.QueryConversation(ctx(t), "alice", actors.ConvPeer); err != nil || c.UnreadMessageCount != 0 {
		t.Fatalf("bob's conversation after the revokes %v %v", c, err)
	}

	// The window: 2 minutes by default.
	third, err := alice.SendText(ctx(t), "third", "bob", actors.ConvPeer)
	gOK(t, "send", err)
	clk.advance(2*time.Minute + time.Second)
	_, err = alice.RevokeMessage(ctx(t), msgRef(third, "bob", actors.ConvPeer), nil)
	gWant(t, "revoke after the window", err, 6000278)
	_, err = alice.EditMessage(ctx(t), &m.Message{Type: 1, Message: "x", MessageSeq: first.MessageSeq, ConversationID: "bob", ConversationType: actors.ConvPeer})
	gWant(t, "edit a revoked message", err, 6000279)
	_, err = alice.RevokeMessage(ctx(t), &m.Message{MessageSeq: 99, ConversationID: "bob", ConversationType: actors.ConvPeer}, nil)
	gWant(t, "no such message", err, 6000204)

	// After a restart, bob catches up through history and the conversation list.
	e.restart()
	bob = e.login("bob", false, 1)
	if h := richHistory(t, bob, "alice", actors.ConvPeer); !eqTypes(types(h), 31, 31, 1) || h[1].GetOriginalTextMessageContent() != "second" || h[0].Direction != 1 {
		t.Fatalf("bob's history after the restart %v", h)
	}
	conv, err := bob.QueryConversation(ctx(t), "alice", actors.ConvPeer)
	gOK(t, "queryConversation", err)
	if conv.LastMessage.GetMessage() != "third" || conv.UnreadMessageCount != 1 {
		t.Fatalf("conversation %v", conv)
	}
}

func TestRichGroupRevokeRepliesPinsCombine(t *testing.T) {
	e := startEnv(t)
	e.registered("carol") // offline throughout; catches up after the restart
	owner, bob, bob2 := e.login("owner", false, 1), e.login("bob", true, 1), e.login("bob", false, 6)
	res, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "g", GroupName: "g"}, []string{"bob", "carol"}, nil)
	gOK(t, "createGroup", err)
	if len(res.ErrorUserList) != 0 {
		t.Fatalf("create %v", res)
	}
	owner.rec.wait(t, "groupStateChanged", stateEvent("g", 1))
	bob.rec.wait(t, "groupStateChanged", stateEvent("g", 4))
	bob2.rec.wait(t, "groupStateChanged", stateEvent("g", 4))
	g := int32(actors.ConvGroup)

	root, err := bob.SendText(ctx(t), "root", "g", g)
	gOK(t, "send", err)
	owner.rec.wait(t, "groupMessageReceived", nil)

	// A reply: everyone online gets it with its reply info and the new count.
	reply, err := owner.ReplyMessage(ctx(t), &m.Message{Type: 1, Message: "answer"}, msgRef(root, "g", g), nil)
	gOK(t, "reply", err)
	if ri := reply.RepliedInfo; ri.GetMessageSeq() != root.MessageSeq || ri.GetMessageInfo().GetMessage() != "root" || ri.GetSenderUserID() != "bob" {
		t.Fatalf("reply %v", reply)
	}
	for _, s := range []*session{bob, bob2} {
		s.rec.wait(t, "groupMessageReceived", func(p proto.Message) bool {
			return p.(*m.ConversationMessageReceivedEvent).MessageList[0].GetRepliedInfo().GetMessageSeq() == root.MessageSeq
		})
		s.rec.wait(t, "messageRepliedCountChanged", func(p proto.Message) bool {
			i := p.(*m.MessageRepliedCountChangedEvent).Infos[0]
			return i.MessageID == root.MessageID && i.Count == 1 && i.ConversationID == "g"
		})
	}
	reply2, err := bob.ReplyMessage(ctx(t), &m.Message{Type: 1, Message: "and again"}, msgRef(reply, "g", g), nil)
	gOK(t, "reply to the reply", err)

	// Pins: anyone in the group; pushed to every online device.
	gOK(t, "pin", owner.PinMessage(ctx(t), msgRef(root, "g", g), true, nil))
	for _, s := range []*session{bob, bob2} {
		s.rec.wait(t, "messagePinStatusChanged", func(p proto.Message) bool {
			i := p.(*m.MessagePinStatusChangedEvent).Infos[0]
			return i.PinStatus == 1 && i.Message.MessageSeq == root.MessageSeq && i.Message.GetPinnedUserID() == "owner"
		})
	}
	gWant(t, "unpin an unpinned", bob.PinMessage(ctx(t), msgRef(reply, "g", g), false, nil), 6000208)

	// A combine message: who received it reads its sub-messages.
	comb, err := bob.SendMessage(ctx(t), &m.Message{Type: 100, Title: proto.String("forwarded"), Summary: proto.String("root; answer"),
		MessageList: []*m.Message{root, reply}}, "g", g, nil)
	gOK(t, "send combine", err)
	if comb.Type != 100 || comb.GetTitle() != "forwarded" || len(comb.MessageList) != 0 {
		t.Fatalf("combine %v", comb)
	}
	got := owner.rec.wait(t, "groupMessageReceived", func(p proto.Message) bool {
		return p.(*m.ConversationMessageReceivedEvent).MessageList[0].Type == 100
	}).(*m.ConversationMessageReceivedEvent).MessageList[0]
	det, err := owner.QueryCombineMessageDetail(ctx(t), msgRef(got, "g", g))
	gOK(t, "queryCombineMessageDetail", err)
	if len(det.MessageList) != 2 || det.MessageList[1].Message != "answer" || det.GetTitle() != "forwarded" {
		t.Fatalf("detail %v", det)
	}

	// Revoke: a member may not revoke another's; the owner may, any time.
	_, err = bob.RevokeMessage(ctx(t), msgRef(reply, "g", g), nil)
	gWant(t, "member revokes the owner's", err, 6000285)
	r, err := owner.RevokeMessage(ctx(t), msgRef(root, "g", g), nil)
	gOK(t, "owner revokes bob's", err)
	if r.GetRevokeStatus() != 4 || r.GetOperatedUserID() != "owner" {
		t.Fatalf("revoke %v", r)
	}
	for _, s := range []*session{bob, bob2} {
		s.rec.wait(t, "messageRevokeReceived", seqIs(root.MessageSeq))
		s.rec.wait(t, "messageRepliedInfoChanged", seqIs(reply.MessageSeq)) // the reply's original is revoked
		s.rec.wait(t, "messagePinStatusChanged", func(p proto.Message) bool {
			i := p.(*m.MessagePinStatusChangedEvent).Infos[0]
			return i.PinStatus == 0 && i.Message.MessageSeq == root.MessageSeq
		})
	}
	_, err = owner.RevokeMessage(ctx(t), &m.Message{MessageSeq: comb.MessageSeq, ConversationID: "r1", ConversationType: actors.ConvRoom}, nil)
	gWant(t, "room message revoke", err, 6000013)

	// After a restart, carol (offline all along) catches up.
	e.restart()
	carol := e.login("carol", false, 1)
	h := richHistory(t, carol, "g", g)
	if !eqTypes(types(h), 31, 1, 1, 100) || h[1].RepliedInfo.GetMessageInfo().GetType() != 31 || h[2].RepliedInfo.GetMessageSeq() != reply.MessageSeq {
		t.Fatalf("carol's history %v", h)
	}
	thread, err := carol.QueryMessageRepliedList(ctx(t), msgRef(reply2, "g", g), 0, 1)
	gOK(t, "queryMessageRepliedList", err)
	if ri := thread.RootRepliedInfo; ri.RepliedCount != 2 || ri.Message.GetType() != 31 || len(thread.MessageList) != 1 || thread.NextFlag == 0 {
		t.Fatalf("thread page 1 %v", thread)
	}
	thread, err = carol.QueryMessageRepliedList(ctx(t), msgRef(reply2, "g", g), thread.NextFlag, 1)
	gOK(t, "queryMessageRepliedList page 2", err)
	if len(thread.MessageList) != 1 || thread.MessageList[0].MessageSeq != reply2.MessageSeq || thread.NextFlag != 0 {
		t.Fatalf("thread page 2 %v", thread)
	}
	pins, err := carol.QueryPinnedMessageList(ctx(t), "g", g)
	gOK(t, "queryPinnedMessageList", err)
	if len(pins) != 0 {
		t.Fatalf("the revoked message is still pinned: %v", pins)
	}
	det, err = carol.QueryCombineMessageDetail(ctx(t), msgRef(comb, "g", g))
	gOK(t, "carol's combine detail", err)
	if len(det.MessageList) != 2 {
		t.Fatalf("carol's detail %v", det)
	}
	conv, err := carol.QueryConversation(ctx(t), "g", g)
	gOK(t, "queryConversation", err)
	if conv.LastMessage.GetType() != 100 {
		t.Fatalf("carol's conversation %v", conv)
	}
}

func TestRichPinLimitAndChannel(t *testing.T) {
	e := startEnv(t)
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	makeCommunity(t, alice, "club", bob)
	online(t, "club", alice, bob)
	newChannel(t, alice, "club", "news", 0)
	conv, ch := "club/news", int32(actors.ConvChannel)
	var sent []*m.Message
	for i := range 11 {
		x, err := bob.SendText(ctx(t), "n"+itoa(i), conv, ch)
		gOK(t, "send", err)
		sent = append(sent, x)
	}
	for i := range 10 {
		gOK(t, "pin", bob.PinMessage(ctx(t), msgRef(sent[i], conv, ch), true, nil))
	}
	gWant(t, "the 11th without replacing", bob.PinMessage(ctx(t), msgRef(sent[10], conv, ch), true, &m.MessagePinConfig{DisableAutoReplace: true}), 6000287)
	gOK(t, "the 11th replacing", alice.PinMessage(ctx(t), msgRef(sent[10], conv, ch), true, nil))
	pins, err := bob.QueryPinnedMessageList(ctx(t), conv, ch)
	gOK(t, "queryPinnedMessageList", err)
	if len(pins) != 10 || pins[0].MessageSeq != sent[10].MessageSeq || pins[0].GetPinnedUserID() != "alice" || pins[9].MessageSeq != sent[1].MessageSeq {
		t.Fatalf("pins %v", pins)
	}
	bob.rec.wait(t, "messagePinStatusChanged", func(p proto.Message) bool {
		infos := p.(*m.MessagePinStatusChangedEvent).Infos
		return len(infos) == 2 && infos[0].PinStatus == 0 && infos[0].Message.MessageSeq == sent[0].MessageSeq && infos[1].PinStatus == 1
	})

	// Channel managers revoke members' messages; members do not revoke others'.
	_, err = bob.RevokeMessage(ctx(t), msgRef(sent[3], conv, ch), nil)
	gOK(t, "own revoke", err)
	a, err := alice.SendText(ctx(t), "from the owner", conv, ch)
	gOK(t, "send", err)
	_, err = bob.RevokeMessage(ctx(t), msgRef(a, conv, ch), nil)
	gWant(t, "member revokes the owner's", err, 6000285)
	r, err := alice.RevokeMessage(ctx(t), msgRef(sent[4], conv, ch), nil)
	gOK(t, "owner revokes bob's", err)
	if r.GetRevokeStatus() != 4 {
		t.Fatalf("revoke %v", r)
	}
	bob.rec.wait(t, "messageRevokeReceived", seqIs(sent[4].MessageSeq))
	edit := msgRef(sent[5], conv, ch)
	edit.Type, edit.Message = 1, "edited"
	_, err = bob.EditMessage(ctx(t), edit)
	gOK(t, "edit in a channel", err)
	alice.rec.wait(t, "messageEdited", seqIs(sent[5].MessageSeq))
}

func TestRichGroupTips(t *testing.T) {
	e := startEnv(t, withActors(func(a *actors.Config) { a.Limits.Message.Tips = true }))
	e.registered("carol", "dan")
	owner, bob := e.login("owner", false, 1), e.login("bob", true, 1)
	g := int32(actors.ConvGroup)
	_, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "tg", GroupName: "tips"}, []string{"bob", "carol"}, nil)
	gOK(t, "createGroup", err)
	bob.rec.wait(t, "groupStateChanged", stateEvent("tg", 4))
	isTip := func(event int32) func(proto.Message) bool {
		return func(p proto.Message) bool {
			x := p.(*m.ConversationMessageReceivedEvent).MessageList[0]
			return x.Type == 32 && x.GetEvent() == event
		}
	}
	gOK(t, "rename", owner.UpdateGroupName(ctx(t), "renamed", "tg"))
	tip := bob.rec.wait(t, "groupMessageReceived", isTip(actors.TipsGroupInfoChanged)).(*m.ConversationMessageReceivedEvent).MessageList[0]
	if tip.ChangeInfo.GetType() != actors.TipsChangeGroupName || tip.ChangeInfo.GetGroupName() != "renamed" || tip.OperatedUser.GetUserID() != "owner" {
		t.Fatalf("rename tip %v", tip)
	}
	owner.rec.wait(t, "groupMessageReceived", isTip(actors.TipsGroupInfoChanged)) // the operator's calling device too
	_, err = owner.KickGroupMembers(ctx(t), []string{"carol"}, "tg")
	gOK(t, "kick", err)
	bob.rec.wait(t, "groupMessageReceived", isTip(actors.TipsGroupKickedOut))
	conv, err := bob.QueryConversation(ctx(t), "tg", g)
	gOK(t, "queryConversation", err)
	if conv.UnreadMessageCount != 0 || conv.LastMessage.GetType() != 32 {
		t.Fatalf("tips counted as unread: %v", conv)
	}
	_, err = owner.SendText(ctx(t), "hi", "tg", g)
	gOK(t, "send", err)
	eventually(t, "bob's unread is 1", func() bool {
		c, err := bob.QueryConversation(ctx(t), "tg", g)
		return err == nil && c.UnreadMessageCount == 1
	})

	// After a restart, dan joins and sees the history of his membership: his join tip.
	e.restart()
	dan := e.login("dan", false, 1)
	_, err = dan.JoinGroup(ctx(t), "tg")
	gOK(t, "join", err)
	h := richHistory(t, dan, "tg", g)
	if len(h) != 1 || h[0].GetEvent() != actors.TipsGroupJoined || h[0].TargetUserList[0].GetUserID() != "dan" {
		t.Fatalf("dan's history %v", h)
	}
	bob = e.login("bob", false, 1)
	eventually(t, "bob's history has 5 entries", func() bool { return len(richHistory(t, bob, "tg", g)) == 5 })
	if h := richHistory(t, bob, "tg", g); !eqTypes(types(h), 32, 32, 32, 1, 32) || h[0].GetEvent() != actors.TipsGroupCreated {
		t.Fatalf("bob's history %v", h)
	}
	c, err := bob.QueryConversation(ctx(t), "tg", g)
	gOK(t, "queryConversation", err)
	if c.UnreadMessageCount != 1 {
		t.Fatalf("bob's unread after the restart %v", c)
	}
}

func TestRichCommunityTipsInGeneral(t *testing.T) {
	e := startEnv(t, withActors(func(a *actors.Config) { a.Limits.Message.Tips = true }))
	alice, bob := e.login("alice", false, 1), e.login("bob", true, 1)
	gen := makeCommunity(t, alice, "club", bob) // created, bob joined
	online(t, "club", alice, bob)
	newChannel(t, alice, "club", "news", 0)
	ch := int32(actors.ConvChannel)
	var h []*m.Message
	eventually(t, "three tips in GENERAL", func() bool {
		res, err := bob.QueryHistoryMessage(ctx(t), gen.ConversationID, ch, &m.MessageQueryConfig{Count: 10})
		h = res.GetMessageList()
		return err == nil && len(h) == 3
	})
	if h[0].GetEvent() != actors.TipsCommunityCreated || h[1].GetEvent() != actors.TipsCommunityJoined || h[1].TargetUserList[0].GetUserID() != "bob" ||
		h[2].GetEvent() != actors.TipsCommunityChannelCreated || h[2].OperatedUser.GetUserID() != "alice" || !eqTypes(types(h), 32, 32, 32) {
		t.Fatalf("GENERAL's tips %v", h)
	}
	bob.rec.wait(t, "communityChannelMessageReceived", func(p proto.Message) bool {
		x := p.(*m.ConversationMessageReceivedEvent).MessageList[0]
		return x.Type == 32 && x.GetEvent() == actors.TipsCommunityChannelCreated
	})
	// The conversation follows (its update is coalesced, so it may come a moment after
	// the push); the tips never count.
	var c *m.Conversation
	if !waitUntil(10*time.Second, func() bool {
		var err error
		c, err = bob.QueryConversation(ctx(t), gen.ConversationID, ch)
		return err == nil && c.LastMessage.GetEvent() == actors.TipsCommunityChannelCreated
	}) || c.UnreadMessageCount != 0 {
		t.Fatalf("bob's GENERAL %v", c)
	}
}
