package gateway_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
)

func isPeerText(text string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.ConversationMessageReceivedEvent)
		return len(ev.MessageList) == 1 && ev.MessageList[0].Message == text
	}
}

func TestTwoUsersChatOverBothSubprotocols(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", true, 0) // JSON
	bob := e.login("bob", false, 0)    // protobuf

	sent, err := alice.SendText(ctx(t), "hello bob", "bob", 0)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID == "" || sent.MessageSeq != 1 || sent.ConversationSeq != 1 || sent.Timestamp == 0 || sent.SenderUserID != "alice" {
		t.Fatalf("reply lacks server fields: %v", sent)
	}
	if sent.ConversationID != "bob" || sent.Direction != 0 {
		t.Fatalf("sender's view wrong: %v", sent)
	}
	ev := bob.rec.wait(t, "peerMessageReceived", isPeerText("hello bob")).(*m.ConversationMessageReceivedEvent)
	got := ev.MessageList[0]
	if ev.FromConversationID != "alice" || got.ConversationID != "alice" || got.Direction != 1 || got.MessageID != sent.MessageID || got.MessageSeq != 1 {
		t.Fatalf("receiver's view wrong: %v", ev)
	}

	back, err := bob.SendText(ctx(t), "hi alice", "alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	if back.MessageSeq != 2 {
		t.Fatalf("second message of the conversation got seq %d", back.MessageSeq)
	}
	alice.rec.wait(t, "peerMessageReceived", isPeerText("hi alice"))
	alice.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		c := p.(*m.ConversationChangedEvent).InfoList[0].Conversation
		return c.ConversationID == "bob" && c.UnreadMessageCount == 1 && c.LastMessage.GetMessage() == "hi alice"
	})
}

func TestSenderOtherDevicesGetTheMessage(t *testing.T) {
	e := startEnv(t)
	webAlice := e.login("alice", true, 6)
	phoneAlice := e.login("alice", false, 2) // another platform: both stay online
	bob := e.login("bob", false, 0)

	if _, err := webAlice.SendText(ctx(t), "from the web", "bob", 0); err != nil {
		t.Fatal(err)
	}
	bob.rec.wait(t, "peerMessageReceived", isPeerText("from the web"))
	ev := phoneAlice.rec.wait(t, "peerMessageReceived", isPeerText("from the web")).(*m.ConversationMessageReceivedEvent)
	if ev.MessageList[0].Direction != 0 || ev.MessageList[0].ConversationID != "bob" {
		t.Fatalf("sync to the sender's other device must be the sender's view: %v", ev)
	}
	// The sending connection does not get its own message pushed back.
	webAlice.rec.wait(t, "conversationChanged", nil)
	if n := webAlice.rec.count("peerMessageReceived", nil); n != 0 {
		t.Fatalf("sending connection got %d peerMessageReceived pushes", n)
	}
}

func TestCommandMessagesReachOnlineDevicesAndAreNotStored(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	cmd := &m.Message{Type: 2, Message: "AAECAw=="} // base64 of 0,1,2,3
	sent, err := alice.SendMessage(ctx(t), cmd, "bob", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageSeq != 0 || sent.MessageID == "" {
		t.Fatalf("command message must not get a sequence number: %v", sent)
	}
	bob.rec.wait(t, "peerMessageReceived", func(p proto.Message) bool {
		mm := p.(*m.ConversationMessageReceivedEvent).MessageList[0]
		return mm.Type == 2 && mm.Message == "AAECAw=="
	})
	hist, err := bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.MessageList) != 0 {
		t.Fatalf("command message was stored: %v", hist.MessageList)
	}
	// A conversation with only command messages does not exist.
	if _, err := bob.QueryConversation(ctx(t), "alice", 0); codeOf(err) != 6000603 {
		t.Fatalf("queryConversation after a command message: %v", err)
	}
	big := &m.Message{Type: 2, Message: b64(make([]byte, 5121))}
	if _, err := alice.SendMessage(ctx(t), big, "bob", 0, nil); codeOf(err) != 6000203 {
		t.Fatalf("command over 5 KB: want 6000203, got %v", err)
	}
}

func TestResendWithSameLocalMessageIDIsStoredOnce(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	e.login("bob", false, 0)
	msg := &m.Message{Type: 1, Message: "once", LocalMessageID: "local-42"}
	first, err := alice.SendMessage(ctx(t), msg, "bob", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := alice.SendMessage(ctx(t), msg, "bob", 0, &m.MessageSendConfig{IsRetrySend: true})
	if err != nil {
		t.Fatal(err)
	}
	if again.MessageID != first.MessageID || again.MessageSeq != first.MessageSeq {
		t.Fatalf("resend made a new message: %v vs %v", first, again)
	}
	next, err := alice.SendText(ctx(t), "next", "bob", 0)
	if err != nil || next.MessageSeq != 2 {
		t.Fatalf("next message seq %d (err %v), want 2", next.GetMessageSeq(), err)
	}
	hist, err := alice.QueryHistoryMessage(ctx(t), "bob", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil || len(hist.MessageList) != 2 {
		t.Fatalf("history has %d messages (err %v), want 2", len(hist.GetMessageList()), err)
	}
}

// Sends written back to back are stored together (one write for what queued at the
// conversation's owner) yet keep their order with each other and with a command message
// among them, and a resend queued behind the original is still stored once: 1:1 and
// group conversations (channels share the group's code).
func TestPipelinedSendsKeepOrderAndStoreResendsOnce(t *testing.T) {
	t.Run("peer", func(t *testing.T) {
		e := startEnv(t)
		alice := e.login("alice", true, 0)
		bob := e.login("bob", false, 0)
		pipelinedSends(t, alice, bob, "bob", 0, "alice", "peerMessageReceived")
	})
	t.Run("group", func(t *testing.T) {
		e := startEnv(t)
		alice := e.login("alice", true, 0)
		bob := e.login("bob", false, 0)
		makeGroup(t, alice, "g", bob)
		pipelinedSends(t, alice, bob, "g", 2, "g", "groupMessageReceived")
	})
}

// pipelinedSends: alice writes sends to (to, ctype) back to back; bob sees the
// conversation as bobConv and gets event.
func pipelinedSends(t *testing.T, alice, bob *session, to string, ctype int32, bobConv, event string) {
	send := func(id int, message string) {
		frame := fmt.Sprintf(`{"id":%d,"method":"sendMessage","params":{"message":%s,"toConversationID":%q,"conversationType":%d}}`, id, message, to, ctype)
		if err := alice.SendRaw([]byte(frame)); err != nil {
			t.Fatal(err)
		}
	}
	send(9001, `{"type":1,"message":"t1","localMessageID":"l1"}`)
	send(9002, `{"type":1,"message":"t2","localMessageID":"l2"}`)
	send(9003, `{"type":2,"message":"`+b64([]byte("c1"))+`"}`)
	again, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: "t2 again", LocalMessageID: "l2"}, to, ctype, nil)
	if err != nil || again.MessageSeq != 2 || again.Message != "t2" {
		t.Fatalf("resend behind the original: %v %v", again, err)
	}
	last, err := alice.SendText(ctx(t), "t3", to, ctype)
	if err != nil || last.MessageSeq != 3 {
		t.Fatalf("next message: %v %v", last, err)
	}
	bob.rec.wait(t, event, func(p proto.Message) bool {
		l := p.(*m.ConversationMessageReceivedEvent).MessageList
		return len(l) == 1 && l[0].Message == "t3"
	})
	var got []string
	bob.rec.mu.Lock()
	for _, ev := range bob.rec.events {
		if ev.name == event {
			for _, msg := range ev.msg.(*m.ConversationMessageReceivedEvent).MessageList {
				text := msg.Message
				if msg.Type == 2 {
					text = "command"
				}
				got = append(got, fmt.Sprintf("%s@%d", text, msg.MessageSeq))
			}
		}
	}
	bob.rec.mu.Unlock()
	if strings.Join(got, ",") != "t1@1,t2@2,command@0,t3@3" {
		t.Fatalf("bob received %v", got)
	}
	hist, err := bob.QueryHistoryMessage(ctx(t), bobConv, ctype, &m.MessageQueryConfig{Count: 10})
	if err != nil || texts(hist.MessageList) != "t1,t2,t3" {
		t.Fatalf("history: %v %v", hist, err)
	}
	eventually(t, "bob's unread count is 3", func() bool {
		c, err := bob.QueryConversation(ctx(t), bobConv, ctype)
		return err == nil && c.UnreadMessageCount == 3
	})
}

func TestOfflineUserSeesHistoryAndUnreadAfterLogin(t *testing.T) {
	e := startEnv(t)
	e.registered("carol")
	alice := e.login("alice", false, 0)
	for _, text := range []string{"one", "two", "three"} {
		if _, err := alice.SendText(ctx(t), text, "carol", 0); err != nil {
			t.Fatal(err)
		}
	}
	carol := e.login("carol", true, 0)
	list, err := carol.QueryConversationList(ctx(t), 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ConversationID != "alice" || list[0].UnreadMessageCount != 3 || list[0].LastMessage.GetMessage() != "three" {
		t.Fatalf("conversation list: %v", list)
	}
	if list[0].ConversationName != "name-alice" {
		t.Fatalf("peer conversation is named after the peer: %q", list[0].ConversationName)
	}
	total, err := carol.QueryConversationTotalUnreadMessageCount(ctx(t))
	if err != nil || total != 3 {
		t.Fatalf("total unread %d (err %v), want 3", total, err)
	}
	hist, err := carol.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if texts(hist.MessageList) != "one,two,three" {
		t.Fatalf("history: %s", texts(hist.MessageList))
	}
	if err := carol.ClearConversationUnreadMessageCount(ctx(t), "alice", 0); err != nil {
		t.Fatal(err)
	}
	carol.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 0
	})
	// Replying counts as reading: alice's unread stays 0 after carol's answer is read by her.
	if _, err := carol.SendText(ctx(t), "four", "alice", 0); err != nil {
		t.Fatal(err)
	}
	c, err := alice.QueryConversation(ctx(t), "carol", 0)
	if err != nil || c.UnreadMessageCount != 1 {
		t.Fatalf("alice's unread with carol: %v %v", c, err)
	}
	c, err = carol.QueryConversation(ctx(t), "alice", 0)
	if err != nil || c.UnreadMessageCount != 0 || c.ReadMessageSeq != 4 {
		t.Fatalf("carol's own message must not count as unread: %v %v", c, err)
	}
}

func TestRestartKeepsHistorySequenceUnreadAndProfiles(t *testing.T) {
	e := startEnv(t)
	e.registered("dave")
	alice := e.login("alice", false, 0)
	if err := alice.UpdateUserName(ctx(t), "Alice A."); err != nil {
		t.Fatal(err)
	}
	if err := alice.UpdateUserAvatarUrl(ctx(t), "https://example.com/a.png"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"a", "b", "c"} {
		if _, err := alice.SendText(ctx(t), text, "dave", 0); err != nil {
			t.Fatal(err)
		}
	}
	dave := e.login("dave", false, 0)
	if err := dave.SetConversationNotificationStatus(ctx(t), 2, "alice", 0); err != nil {
		t.Fatal(err)
	}
	if err := dave.SetConversationDraft(ctx(t), "half a thought", "alice", 0); err != nil {
		t.Fatal(err)
	}

	e.restart()

	dave = e.login("dave", true, 0)
	c, err := dave.QueryConversation(ctx(t), "alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.UnreadMessageCount != 3 || c.NotificationStatus != 2 || c.Draft != "half a thought" || c.LastMessage.GetMessageSeq() != 3 {
		t.Fatalf("conversation after restart: %v", c)
	}
	if total, _ := dave.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 0 {
		t.Fatalf("do-not-disturb conversation counted in the total after restart: %d", total)
	}
	hist, err := dave.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil || texts(hist.MessageList) != "a,b,c" {
		t.Fatalf("history after restart: %v %v", texts(hist.GetMessageList()), err)
	}
	next, err := dave.SendText(ctx(t), "d", "alice", 0)
	if err != nil || next.MessageSeq != 4 {
		t.Fatalf("next message after restart has seq %d (err %v), want 4", next.GetMessageSeq(), err)
	}
	info, err := dave.QueryUsersInfo(ctx(t), []string{"alice"})
	if err != nil || len(info.UserList) != 1 || info.UserList[0].BaseInfo.UserName != "Alice A." || info.UserList[0].UserAvatarUrl != "https://example.com/a.png" {
		t.Fatalf("profile after restart: %v %v", info, err)
	}
}

func TestHistoryPagingQueryAndDeleteForCallerOnly(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	for i := 1; i <= 25; i++ {
		if _, err := alice.SendText(ctx(t), itoa(i), "bob", 0); err != nil {
			t.Fatal(err)
		}
	}
	page, err := bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil || texts(page.MessageList) != "16,17,18,19,20,21,22,23,24,25" {
		t.Fatalf("newest page: %v %v", texts(page.GetMessageList()), err)
	}
	page, err = bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10, NextMessage: page.MessageList[0]})
	if err != nil || texts(page.MessageList) != "6,7,8,9,10,11,12,13,14,15" {
		t.Fatalf("older page: %v %v", texts(page.GetMessageList()), err)
	}
	page, err = bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 10, NextMessage: page.MessageList[0]})
	if err != nil || texts(page.MessageList) != "1,2,3,4,5" {
		t.Fatalf("oldest page: %v %v", texts(page.GetMessageList()), err)
	}
	page, err = bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 3, Reverse: true, NextMessage: &m.Message{MessageSeq: 20}})
	if err != nil || texts(page.MessageList) != "21,22,23" {
		t.Fatalf("forward page: %v %v", texts(page.GetMessageList()), err)
	}
	if _, err := bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 101}); codeOf(err) != 6000001 {
		t.Fatalf("count 101: want 6000001, got %v", err)
	}
	got, err := bob.QueryMessages(ctx(t), []int64{3, 7, 99}, "alice", 0)
	if err != nil || texts(got.MessageList) != "3,7" {
		t.Fatalf("queryMessages: %v %v", texts(got.GetMessageList()), err)
	}

	if err := bob.DeleteMessages(ctx(t), []*m.Message{{MessageSeq: 3}, {MessageSeq: 4}}, "alice", 0); err != nil {
		t.Fatal(err)
	}
	got, _ = bob.QueryMessages(ctx(t), []int64{2, 3, 4, 5}, "alice", 0)
	if texts(got.MessageList) != "2,5" {
		t.Fatalf("deleted messages still shown to the deleter: %s", texts(got.MessageList))
	}
	got, _ = alice.QueryMessages(ctx(t), []int64{2, 3, 4, 5}, "bob", 0)
	if texts(got.MessageList) != "2,3,4,5" {
		t.Fatalf("deleting must not touch the other side: %s", texts(got.MessageList))
	}
	if err := bob.DeleteAllMessage(ctx(t), "alice", 0); err != nil {
		t.Fatal(err)
	}
	page, _ = bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 100})
	if len(page.MessageList) != 0 {
		t.Fatalf("deleteAllMessage left %d messages", len(page.MessageList))
	}
	page, _ = alice.QueryHistoryMessage(ctx(t), "bob", 0, &m.MessageQueryConfig{Count: 100})
	if len(page.MessageList) != 25 {
		t.Fatalf("the other side lost messages: %d", len(page.MessageList))
	}
	// New messages after deleteAllMessage show again.
	if _, err := alice.SendText(ctx(t), "26", "bob", 0); err != nil {
		t.Fatal(err)
	}
	page, _ = bob.QueryHistoryMessage(ctx(t), "alice", 0, &m.MessageQueryConfig{Count: 100})
	if texts(page.MessageList) != "26" {
		t.Fatalf("after deleteAllMessage: %s", texts(page.MessageList))
	}
}

func TestConversationListPagingAndNotificationStatus(t *testing.T) {
	e := startEnv(t)
	erin := e.login("erin", false, 0)
	for _, from := range []string{"p1", "p2", "p3", "p4", "p5"} {
		s := e.login(from, false, 0)
		if _, err := s.SendText(ctx(t), "hi from "+from, "erin", 0); err != nil {
			t.Fatal(err)
		}
	}
	first, err := erin.QueryConversationList(ctx(t), 2, nil, nil)
	if err != nil || len(first) != 2 {
		t.Fatalf("first page: %v %v", first, err)
	}
	var ids []string
	next := first[len(first)-1]
	ids = append(ids, first[0].ConversationID, first[1].ConversationID)
	for len(ids) < 6 {
		page, err := erin.QueryConversationList(ctx(t), 2, next, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			ids = append(ids, c.ConversationID)
		}
		next = page[len(page)-1]
	}
	if len(ids) != 5 || ids[0] != "p5" || ids[4] != "p1" {
		t.Fatalf("paging gave %v, want newest first p5..p1 without repeats", ids)
	}
	if total, _ := erin.QueryConversationTotalUnreadMessageCount(ctx(t)); total != 5 {
		t.Fatalf("total unread %d, want 5", total)
	}
	if err := erin.SetConversationNotificationStatus(ctx(t), 2, "p1", 0); err != nil {
		t.Fatal(err)
	}
	erin.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 4
	})
	if err := erin.SetConversationNotificationStatus(ctx(t), 3, "p1", 0); codeOf(err) != 6000001 {
		t.Fatalf("status 3: want 6000001, got %v", err)
	}
	if _, err := erin.QueryConversation(ctx(t), "nobody", 0); codeOf(err) != 6000603 {
		t.Fatalf("unknown conversation: want 6000603, got %v", err)
	}
	if err := erin.SetConversationDraft(ctx(t), "draft", "nobody", 0); codeOf(err) != 6000603 {
		t.Fatalf("draft on unknown conversation: want 6000603, got %v", err)
	}
	unreadOnly, _ := erin.QueryConversationList(ctx(t), 10, nil, &m.ConversationFilterOption{IsOnlyUnreadConversation: true})
	if len(unreadOnly) != 5 {
		t.Fatalf("unread filter: %d", len(unreadOnly))
	}
}

// A message to a user that never logged in is refused with 6000204 and leaves nothing:
// no conversation, no history. Once the user has logged in (and left) it goes through.
func TestSendToUnknownUserIsRefused(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", true, 0)
	_, err := alice.SendText(ctx(t), "hello?", "nobody-xyz", 0)
	wantCode(t, "text to a user who never logged in", err, 6000204)
	_, err = alice.SendMessage(ctx(t), &m.Message{Type: 2, Message: "cGluZw=="}, "nobody-xyz", 0, nil)
	wantCode(t, "command to a user who never logged in", err, 6000204)
	hist, err := alice.QueryHistoryMessage(ctx(t), "nobody-xyz", 0, &m.MessageQueryConfig{Count: 10})
	if err != nil || len(hist.MessageList) != 0 {
		t.Fatalf("history of the refused conversation: %v %v", hist, err)
	}
	list, err := alice.QueryConversationList(ctx(t), 10, nil, nil)
	if err != nil || len(list) != 0 {
		t.Fatalf("a refused send made a conversation: %v %v", list, err)
	}

	e.registered("nobody-xyz")
	sent, err := alice.SendText(ctx(t), "hello", "nobody-xyz", 0)
	if err != nil || sent.MessageSeq != 1 {
		t.Fatalf("send after the user logged in: %v %v", sent, err)
	}
}

// A missing or unknown message type is a bad parameter (6000001, ZIM has no code of its
// own for it); a type ZIM declares that the conversation does not take is an
// unsupported request (6000013). Each with its fixed message.
func TestMessageTypeRefusals(t *testing.T) {
	e := startEnv(t)
	e.registered("bob")
	alice := e.login("alice", true, 0)
	for i, tc := range []struct {
		name  string
		frame string
		code  int32
		text  string
	}{ // frame i has id i+1
		{"missing type", `{"id":1,"method":"sendMessage","params":{"message":{"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000001, "invalid message type"},
		{"type 0", `{"id":2,"method":"sendMessage","params":{"message":{"type":0,"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000001, "invalid message type"},
		{"unknown type", `{"id":3,"method":"sendMessage","params":{"message":{"type":99,"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000001, "invalid message type"},
		{"image", `{"id":4,"method":"sendMessage","params":{"message":{"type":11,"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000013, "message type not supported in this conversation"},
		{"barrage in a peer chat", `{"id":5,"method":"sendMessage","params":{"message":{"type":20,"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000013, "message type not supported in this conversation"},
	} {
		err := alice.CallRaw(ctx(t), uint32(i+1), []byte(tc.frame))
		var ce *client.Error
		if !errors.As(err, &ce) || ce.Code != tc.code || ce.Message != tc.text {
			t.Errorf("%s: want %d %q, got %v", tc.name, tc.code, tc.text, err)
		}
	}
	if _, err := alice.SendText(ctx(t), "still fine", "bob", 0); err != nil {
		t.Fatal(err)
	}
}

// deleteAllMessage clears the caller's conversation too, as ZIM says: conversationChanged
// without a last message and with no unread, the total unread count updated, and so it
// stays after a restart; a later message shows again. The same for a group.
func TestDeleteAllMessageClearsTheConversation(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", false, 0)
	if _, err := alice.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "g-clear"}, []string{"bob"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"a", "b", "c"} {
		if _, err := alice.SendText(ctx(t), text, "bob", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := alice.SendText(ctx(t), "g"+text, "g-clear", 2); err != nil {
			t.Fatal(err)
		}
	}
	bob.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 6
	})
	cleared := func(conv string) func(proto.Message) bool {
		return func(p proto.Message) bool {
			for _, c := range p.(*m.ConversationChangedEvent).InfoList {
				if c.Conversation.GetConversationID() == conv && c.Conversation.UnreadMessageCount == 0 && c.Conversation.LastMessage == nil {
					return true
				}
			}
			return false
		}
	}
	if err := bob.DeleteAllMessage(ctx(t), "alice", 0); err != nil {
		t.Fatal(err)
	}
	bob.rec.wait(t, "conversationChanged", cleared("alice"))
	bob.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 3
	})
	if err := bob.DeleteAllMessage(ctx(t), "g-clear", 2); err != nil {
		t.Fatal(err)
	}
	bob.rec.wait(t, "conversationChanged", cleared("g-clear"))
	bob.rec.wait(t, "conversationTotalUnreadMessageCountUpdated", func(p proto.Message) bool {
		return p.(*m.ConversationTotalUnreadMessageCountUpdatedEvent).TotalUnreadMessageCount == 0
	})
	// alice's side is untouched.
	if c, err := alice.QueryConversation(ctx(t), "bob", 0); err != nil || c.LastMessage.GetMessage() != "c" {
		t.Fatalf("the sender's conversation changed: %v %v", c, err)
	}

	e.restart()

	bob = e.login("bob", false, 0)
	for _, id := range []struct {
		conv  string
		ctype int32
	}{{"alice", 0}, {"g-clear", 2}} {
		c, err := bob.QueryConversation(ctx(t), id.conv, id.ctype)
		if err != nil || c.UnreadMessageCount != 0 || c.LastMessage != nil {
			t.Fatalf("%s after deleteAllMessage and a restart: %v %v", id.conv, c, err)
		}
	}
	if total, err := bob.QueryConversationTotalUnreadMessageCount(ctx(t)); err != nil || total != 0 {
		t.Fatalf("total unread after restart: %d %v", total, err)
	}
	alice = e.login("alice", false, 0)
	if _, err := alice.SendText(ctx(t), "d", "bob", 0); err != nil {
		t.Fatal(err)
	}
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		for _, c := range p.(*m.ConversationChangedEvent).InfoList {
			if c.Conversation.GetConversationID() == "alice" && c.Conversation.UnreadMessageCount == 1 && c.Conversation.LastMessage.GetMessage() == "d" {
				return true
			}
		}
		return false
	})
}
