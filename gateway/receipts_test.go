package gateway_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
)

func receiptMsg(text string) (*m.Message, *m.MessageSendConfig) {
	return &m.Message{Type: 1, Message: text}, &m.MessageSendConfig{Priority: 2, HasReceipt: true}
}

func sendReceipt(t *testing.T, s *session, text, to string, ctype int32) *m.Message {
	t.Helper()
	msg, cfg := receiptMsg(text)
	sent, err := s.SendMessage(ctx(t), msg, to, ctype, cfg)
	noErr(t, "sendMessage with receipt", err)
	if sent.ReceiptStatus != 1 {
		t.Fatalf("a receipt message is sent processing (1), got %d", sent.ReceiptStatus)
	}
	return sent
}

func receiptOf(t *testing.T, s *session, msg *m.Message, conv string, ctype int32) *m.MessageReceiptInfo {
	t.Helper()
	res, err := s.QueryMessageReceiptsInfo(ctx(t), []*m.Message{msg}, conv, ctype)
	noErr(t, "queryMessageReceiptsInfo", err)
	if len(res.Infos) != 1 {
		t.Fatalf("want one receipt info, got %v", res)
	}
	return res.Infos[0]
}

func historyStatus(t *testing.T, s *session, conv string, ctype int32, seq int64) int32 {
	t.Helper()
	h, err := s.QueryHistoryMessage(ctx(t), conv, ctype, &m.MessageQueryConfig{Count: 100})
	noErr(t, "queryHistoryMessage", err)
	for _, x := range h.MessageList {
		if x.MessageSeq == seq {
			return x.ReceiptStatus
		}
	}
	t.Fatalf("message %d not in history", seq)
	return -1
}

func TestPeerReceiptsReadSingleAndWholeConversationAcrossDevicesAndRestart(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	alicePhone := e.login("alice", true, 2)
	bob := e.login("bob", true, 0)
	bobPhone := e.login("bob", false, 2)

	first := sendReceipt(t, alice, "read me", "bob", 0)
	plain, err := alice.SendText(ctx(t), "no receipt", "bob", 0)
	noErr(t, "send", err)

	if info := receiptOf(t, alice, first, "bob", 0); info.Status != 1 || info.ReadMemberCount != 0 || info.UnreadMemberCount != 1 || info.ConversationID != "bob" {
		t.Fatalf("sender's receipt before any read: %v", info)
	}
	if st := historyStatus(t, bob, "alice", 0, first.MessageSeq); st != 1 {
		t.Fatalf("receiver's history: status %d, want processing", st)
	}
	if st := historyStatus(t, bob, "alice", 0, plain.MessageSeq); st != 0 {
		t.Fatalf("a message without receipt has status none, got %d", st)
	}

	// Refusals: more than 10 at once; nothing that has a receipt; own messages.
	var eleven []*m.Message
	for i := 0; i < 11; i++ {
		eleven = append(eleven, first)
	}
	_, err = bob.SendMessageReceiptsRead(ctx(t), eleven, "alice", 0)
	wantCode(t, "11 messages", err, 6000282)
	_, err = bob.SendMessageReceiptsRead(ctx(t), []*m.Message{plain}, "alice", 0)
	wantCode(t, "no receipt message", err, 6000277)
	_, err = alice.SendMessageReceiptsRead(ctx(t), []*m.Message{first}, "bob", 0)
	wantCode(t, "own message", err, 6000277)
	_, err = bob.SendMessageReceiptsRead(ctx(t), nil, "alice", 0)
	wantCode(t, "empty list", err, 6000001)

	// Bob reads it from his phone: alice (both devices) learns it, bob's other device too.
	res, err := bobPhone.SendMessageReceiptsRead(ctx(t), []*m.Message{{MessageSeq: first.MessageSeq, MessageID: first.MessageID}, plain}, "alice", 0)
	noErr(t, "sendMessageReceiptsRead", err)
	if len(res.ErrorMessageIDs) != 1 || res.ErrorMessageIDs[0] != plain.MessageID || res.ConversationID != "alice" {
		t.Fatalf("the message without receipt is an error ID: %v", res)
	}
	done := func(p proto.Message) bool {
		ev := p.(*m.MessageReceiptChangedEvent)
		return len(ev.Infos) == 1 && ev.Infos[0].MessageID == first.MessageID && ev.Infos[0].Status == 2 && ev.Infos[0].ReadMemberCount == 1
	}
	alice.rec.wait(t, "messageReceiptChanged", done)
	alicePhone.rec.wait(t, "messageReceiptChanged", done)
	self := bob.rec.wait(t, "messageReceiptChanged", nil).(*m.MessageReceiptChangedEvent)
	if !self.Infos[0].IsSelfOperated || self.Infos[0].Status != 2 || self.Infos[0].ConversationID != "alice" {
		t.Fatalf("reader's other device: %v", self)
	}
	if info := receiptOf(t, alice, first, "bob", 0); info.Status != 2 || info.ReadMemberCount != 1 || info.UnreadMemberCount != 0 || info.ReadTime == 0 {
		t.Fatalf("sender's receipt after the read: %v", info)
	}
	// Reading it again is no error (and no second push).
	_, err = bob.SendMessageReceiptsRead(ctx(t), []*m.Message{first}, "alice", 0)
	noErr(t, "read twice", err)

	// The whole conversation: the later receipt messages become read.
	second := sendReceipt(t, alice, "and me", "bob", 0)
	third := sendReceipt(t, alice, "me too", "bob", 0)
	cres, err := bob.SendConversationMessageReceiptRead(ctx(t), "alice", 0)
	noErr(t, "sendConversationMessageReceiptRead", err)
	if cres.ConversationID != "alice" || cres.ConversationType != 0 {
		t.Fatalf("result: %v", cres)
	}
	alice.rec.wait(t, "conversationMessageReceiptChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReceiptChangedEvent)
		return len(ev.Infos) == 1 && ev.Infos[0].ConversationID == "bob" && ev.Infos[0].Status == 2
	})
	bobPhone.rec.wait(t, "conversationMessageReceiptChanged", func(p proto.Message) bool {
		return p.(*m.MessageReceiptChangedEvent).Infos[0].IsSelfOperated
	})
	// The conversation's last message (third) is done on both sides.
	alice.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "bob" && c.LastMessage.GetMessageSeq() == third.MessageSeq && c.LastMessage.GetReceiptStatus() == 2
	})
	bobPhone.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "alice" && c.LastMessage.GetMessageSeq() == third.MessageSeq && c.LastMessage.GetReceiptStatus() == 2
	})
	infos, err := alice.QueryMessageReceiptsInfo(ctx(t), []*m.Message{first, second, third, plain}, "bob", 0)
	noErr(t, "query", err)
	if len(infos.Infos) != 3 || len(infos.ErrorMessageIDs) != 1 {
		t.Fatalf("three receipts and one error ID: %v", infos)
	}
	for _, in := range infos.Infos {
		if in.Status != 2 {
			t.Fatalf("after the conversation read every receipt is done: %v", infos)
		}
	}

	// Restart on the same directory: the receipts stay read.
	e.restart()
	alice = e.login("alice", false, 0)
	bob = e.login("bob", false, 0)
	if info := receiptOf(t, alice, third, "bob", 0); info.Status != 2 {
		t.Fatalf("after a restart: %v", info)
	}
	if st := historyStatus(t, alice, "bob", 0, first.MessageSeq); st != 2 {
		t.Fatalf("sender's history after a restart: %d", st)
	}
	if st := historyStatus(t, bob, "alice", 0, second.MessageSeq); st != 2 {
		t.Fatalf("receiver's history after a restart: %d", st)
	}
	conv, err := alice.QueryConversation(ctx(t), "bob", 0)
	noErr(t, "queryConversation", err)
	if conv.LastMessage.GetReceiptStatus() != 2 {
		t.Fatalf("the conversation's last message after a restart: %v", conv.LastMessage)
	}
}

func TestGroupReceiptCountsAndMemberListsFromReadPositions(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	makeGroup(t, alice, "rg", bob, carol)

	msg := sendReceipt(t, alice, "team, read this", "rg", 2)
	if info := receiptOf(t, alice, msg, "rg", 2); info.Status != 1 || info.ReadMemberCount != 0 || info.UnreadMemberCount != 2 {
		t.Fatalf("before reads: %v", info)
	}
	// A member who joins later is no receiver of it.
	dave := e.login("dave", false, 0)
	_, err := alice.InviteUsersIntoGroup(ctx(t), []string{"dave"}, "rg")
	noErr(t, "invite", err)
	dave.rec.wait(t, "groupStateChanged", stateEvent("rg", 4))

	_, err = bob.SendConversationMessageReceiptRead(ctx(t), "rg", 2)
	noErr(t, "bob reads the conversation", err)
	if info := receiptOf(t, alice, msg, "rg", 2); info.Status != 1 || info.ReadMemberCount != 1 || info.UnreadMemberCount != 1 {
		t.Fatalf("after bob: %v", info)
	}
	if info := receiptOf(t, bob, msg, "rg", 2); info.Status != 2 {
		t.Fatalf("bob sees his own read: %v", info)
	}
	if info := receiptOf(t, carol, msg, "rg", 2); info.Status != 1 {
		t.Fatalf("carol has not read: %v", info)
	}
	readers, err := alice.QueryGroupMessageReceiptReadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{Count: 10})
	noErr(t, "read list", err)
	unread, err := alice.QueryGroupMessageReceiptUnreadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{Count: 10})
	noErr(t, "unread list", err)
	if len(readers.UserList) != 1 || readers.UserList[0].UserID != "bob" || len(unread.UserList) != 1 || unread.UserList[0].UserID != "carol" {
		t.Fatalf("lists: read %v unread %v", readers.UserList, unread.UserList)
	}
	_, err = bob.QueryGroupMessageReceiptReadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{Count: 10})
	wantCode(t, "member list of someone else's message", err, 6000201)
	_, err = alice.QueryGroupMessageReceiptReadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{})
	wantCode(t, "count 0", err, 6000001)

	// Carol reads the single message: alice is told, the receipt is done.
	_, err = carol.SendMessageReceiptsRead(ctx(t), []*m.Message{msg}, "rg", 2)
	noErr(t, "carol reads", err)
	alice.rec.wait(t, "messageReceiptChanged", func(p proto.Message) bool {
		in := p.(*m.MessageReceiptChangedEvent).Infos[0]
		return in.MessageID == msg.MessageID && in.Status == 2 && in.ReadMemberCount == 2 && in.UnreadMemberCount == 0
	})

	// Paging: two readers, one per page.
	p1, err := alice.QueryGroupMessageReceiptReadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{Count: 1})
	noErr(t, "page 1", err)
	if len(p1.UserList) != 1 || p1.NextFlag == 0 {
		t.Fatalf("page 1: %v", p1)
	}
	p2, err := alice.QueryGroupMessageReceiptReadMemberList(ctx(t), msg, "rg", &m.GroupMessageReceiptMemberQueryConfig{Count: 1, NextFlag: p1.NextFlag})
	noErr(t, "page 2", err)
	if len(p2.UserList) != 1 || p2.NextFlag != 0 || p2.UserList[0].UserID == p1.UserList[0].UserID {
		t.Fatalf("page 2: %v after %v", p2, p1)
	}

	// Restart: the counts come back from the stored positions and marks.
	e.restart()
	alice = e.login("alice", false, 0)
	if info := receiptOf(t, alice, msg, "rg", 2); info.Status != 2 || info.ReadMemberCount != 2 || info.UnreadMemberCount != 0 {
		t.Fatalf("after a restart: %v", info)
	}
}

func TestRoomRefusesReceiptsAndUnknownChannels(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	_, err := alice.SendConversationMessageReceiptRead(ctx(t), "nocomm/nochan", 3)
	wantCode(t, "receipts of a channel that does not exist", err, 6001009)
	_, err = alice.SendConversationMessageReceiptRead(ctx(t), "someroom", 1)
	wantCode(t, "room receipts", err, 6000013)
}

// Reading the conversation covers every receipt message before it.
func TestConversationReceiptReadCoversEveryEarlierMessage(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", false, 0)
	var last *m.Message
	for i := 0; i < 30; i++ {
		last = sendReceipt(t, alice, fmt.Sprintf("r%d", i), "bob", 0)
	}
	_, err := bob.SendConversationMessageReceiptRead(ctx(t), "alice", 0)
	noErr(t, "read", err)
	if info := receiptOf(t, alice, last, "bob", 0); info.Status != 2 {
		t.Fatalf("last: %v", info)
	}
	h, err := alice.QueryHistoryMessage(ctx(t), "bob", 0, &m.MessageQueryConfig{Count: 100})
	noErr(t, "history", err)
	for _, x := range h.MessageList {
		if x.ReceiptStatus != 2 {
			t.Fatalf("message %d: status %d after the conversation read", x.MessageSeq, x.ReceiptStatus)
		}
	}
}

// benchSendText sends a text message for the send benchmarks; PARLEY_BENCH_RICH=1 sends
// it with a receipt and a mention of the receiver (the A/B of issue 13 part B).
func benchSendText(c *client.Client, text, to string) (*m.Message, error) {
	if os.Getenv("PARLEY_BENCH_RICH") == "" {
		return c.SendText(context.Background(), text, to, 0)
	}
	return c.SendMessage(context.Background(), &m.Message{Type: 1, Message: text, MentionedUserIDs: []string{to}}, to, 0,
		&m.MessageSendConfig{Priority: 2, HasReceipt: true})
}
