package gateway_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// channelReceipt waits until the sender's view of msg's receipt has read/unread counts
// (the reader counts reach the channel actor from the community asynchronously).
func channelReceipt(t *testing.T, s *session, msg *m.Message, conv string, status int32, read, unread int64) {
	t.Helper()
	var last *m.MessageReceiptInfo
	eventually(t, "channel receipt counts", func() bool {
		last = receiptOf(t, s, msg, conv, 3)
		return last.Status == status && last.ReadMemberCount == read && last.UnreadMemberCount == unread
	})
}

// Receipts in a community channel: the receivers are the channel's readers (here the
// community's members) but the sender; reads move the counts, readers who join or
// leave change them, and all of it survives a restart.
func TestChannelReceiptsCountReadersAcrossJoinsLeavesDevicesAndRestart(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	bobPhone := e.login("bob", false, 2)
	carol := e.login("carol", false, 0)
	ch := makeCommunity(t, alice, "rc", bob, carol)
	conv := ch.ConversationID

	msg := sendReceipt(t, alice, "channel, read this", conv, 3)
	channelReceipt(t, alice, msg, conv, 1, 0, 2)
	if st := historyStatus(t, carol, conv, 3, msg.MessageSeq); st != 1 {
		t.Fatalf("carol's history shows status %d, want processing", st)
	}

	// bob reads the conversation: one reader more; his other device is told.
	_, err := bob.SendConversationMessageReceiptRead(ctx(t), conv, 3)
	noErr(t, "bob reads the channel", err)
	bobPhone.rec.wait(t, "conversationMessageReceiptChanged", func(p proto.Message) bool {
		in := p.(*m.MessageReceiptChangedEvent).Infos[0]
		return in.ConversationID == conv && in.ConversationType == 3 && in.IsSelfOperated && in.Status == 2
	})
	channelReceipt(t, alice, msg, conv, 1, 1, 1)
	if info := receiptOf(t, bob, msg, conv, 3); info.Status != 2 {
		t.Fatalf("bob sees his own read: %v", info)
	}
	if info := receiptOf(t, carol, msg, conv, 3); info.Status != 1 {
		t.Fatalf("carol has not read: %v", info)
	}

	// dave joins: a reader more, who can read the whole history, so one unread more.
	dave := e.login("dave", false, 0)
	_, err = dave.JoinCommunity(ctx(t), "rc")
	noErr(t, "dave joins", err)
	channelReceipt(t, alice, msg, conv, 1, 1, 2)

	// carol marks the single message: alice (the sender) is told.
	_, err = carol.SendMessageReceiptsRead(ctx(t), []*m.Message{msg}, conv, 3)
	noErr(t, "carol reads the message", err)
	alice.rec.wait(t, "messageReceiptChanged", func(p proto.Message) bool {
		in := p.(*m.MessageReceiptChangedEvent).Infos[0]
		return in.MessageID == msg.MessageID && in.ConversationType == 3 && in.ReadMemberCount == 2 && in.UnreadMemberCount == 1
	})
	_, err = carol.SendMessageReceiptsRead(ctx(t), []*m.Message{msg}, conv, 3)
	noErr(t, "reading it again is no error", err)
	_, err = alice.SendMessageReceiptsRead(ctx(t), []*m.Message{msg}, conv, 3)
	wantCode(t, "the sender reads its own message", err, 6000277)

	// dave leaves unread: the receipt is done.
	noErr(t, "dave leaves", dave.LeaveCommunity(ctx(t), "rc"))
	channelReceipt(t, alice, msg, conv, 2, 2, 0)
	if st := historyStatus(t, alice, conv, 3, msg.MessageSeq); st != 2 {
		t.Fatalf("alice's history shows status %d, want done", st)
	}

	// bob (read by position) and carol (read by mark) leave: their reads stop counting.
	noErr(t, "bob leaves", bob.LeaveCommunity(ctx(t), "rc"))
	channelReceipt(t, alice, msg, conv, 2, 1, 0)
	second := sendReceipt(t, alice, "second", conv, 3)
	channelReceipt(t, alice, second, conv, 1, 0, 1)
	// bob comes back: his old position counts again (he read the first message).
	_, err = bob.JoinCommunity(ctx(t), "rc")
	noErr(t, "bob joins again", err)
	channelReceipt(t, alice, msg, conv, 2, 2, 0)
	channelReceipt(t, alice, second, conv, 1, 0, 2)

	// Who may not read the channel may not set or query its receipts.
	erin := e.login("erin", false, 0)
	_, err = erin.SendConversationMessageReceiptRead(ctx(t), conv, 3)
	wantCode(t, "an outsider reads", err, 6001005)
	_, err = erin.QueryMessageReceiptsInfo(ctx(t), []*m.Message{msg}, conv, 3)
	wantCode(t, "an outsider queries", err, 6001005)
	_, err = erin.SendMessageReceiptsRead(ctx(t), []*m.Message{msg}, conv, 3)
	wantCode(t, "an outsider marks", err, 6001005)

	// Restart on the same store: positions, marks, left and returned readers come back.
	e.restart()
	alice = e.login("alice", false, 0)
	channelReceipt(t, alice, msg, conv, 2, 2, 0)
	channelReceipt(t, alice, second, conv, 1, 0, 2)
	carol = e.login("carol", false, 0)
	_, err = carol.SendConversationMessageReceiptRead(ctx(t), conv, 3)
	noErr(t, "carol reads after the restart", err)
	channelReceipt(t, alice, second, conv, 1, 1, 1)
}

// A private channel's readers are its members: inviting and kicking them moves the
// counts.
func TestPrivateChannelReceiptsFollowChannelMembers(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", false, 0)
	carol := e.login("carol", false, 0)
	makeCommunity(t, alice, "pc", bob, carol)
	ch := newChannel(t, alice, "pc", "secret", 3, "bob")
	conv := ch.ConversationID

	msg := sendReceipt(t, alice, "for bob only", conv, 3)
	channelReceipt(t, alice, msg, conv, 1, 0, 1)
	_, err := carol.SendConversationMessageReceiptRead(ctx(t), conv, 3)
	wantCode(t, "not in the private channel", err, 6001011)
	_, err = bob.SendConversationMessageReceiptRead(ctx(t), conv, 3)
	noErr(t, "bob reads", err)
	channelReceipt(t, alice, msg, conv, 2, 1, 0)

	_, err = alice.InviteUsersIntoCommunityChannel(ctx(t), []string{"carol"}, "secret", "pc")
	noErr(t, "invite carol", err)
	channelReceipt(t, alice, msg, conv, 1, 1, 1)
	_, err = alice.KickCommunityChannelMembers(ctx(t), []string{"bob"}, "secret", "pc")
	noErr(t, "kick bob", err)
	channelReceipt(t, alice, msg, conv, 1, 0, 1)
}
