package gateway_test

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// storedKeys counts the keys under each prefix in the env's Badger directory (the node
// is stopped for it and started again).
func (e *env) storedKeys(prefixes ...[]byte) []int {
	e.t.Helper()
	e.stop()
	defer func() {
		e.start()
		// A node stopped right after it started can wait forever for its Serve to
		// return (Gateway.Shutdown before Serve began): serve one login first.
		e.login("storeprobe", false, 0)
	}()
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: e.dir, Logger: testLogger()})
	if err != nil {
		e.t.Fatalf("open badger: %v", err)
	}
	defer st.Close()
	out := make([]int, len(prefixes))
	for i, prefix := range prefixes {
		if err := st.Scan(context.Background(), persistence.PrefixRange(prefix), func(_, _ []byte) bool { out[i]++; return true }); err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

// A member's mention records go once it read past them (clearing the unread count, or
// its own later message); the conversation shows no mention after a restart. The
// mention-everyone records are the message's, not the member's: they stay.
func TestReadMentionRecordsAreDeletedFromTheStore(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	makeGroup(t, alice, "mc", bob)
	bobKeys := persistence.NewKey("mu").Str("bob").Bytes()
	allKeys := persistence.NewKey("ma").Bytes()

	var last *m.Message
	for _, text := range []string{"@bob one", "@bob two", "@bob three"} {
		s, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: text, MentionedUserIDs: []string{"bob"}}, "mc", 2, nil)
		noErr(t, "send", err)
		last = s
	}
	_, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: "@all", IsMentionAll: true}, "mc", 2, nil)
	noErr(t, "send @all", err)
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		return len(mentionsIn(p.(*m.ConversationChangedEvent).InfoList[0].Conversation)) == 4
	})
	if n := e.storedKeys(bobKeys)[0]; n != 3 {
		t.Fatalf("before reading: %d mention records of bob, want 3", n)
	}

	bob = e.login("bob", true, 0)
	noErr(t, "bob reads", bob.ClearConversationUnreadMessageCount(ctx(t), "mc", 2))
	if c, err := bob.QueryConversation(ctx(t), "mc", 2); err != nil || len(c.MentionedInfoList) != 0 {
		t.Fatalf("after reading: %v %v", c.GetMentionedInfoList(), err)
	}
	if n := e.storedKeys(bobKeys, allKeys); n[0] != 0 || n[1] != 1 {
		t.Fatalf("after reading: %d mention records of bob remain, %d @all records (want 0, 1)", n[0], n[1])
	}
	// After the restarts (storedKeys restarts the node) bob's conversation has none.
	bob = e.login("bob", true, 0)
	c, err := bob.QueryConversation(ctx(t), "mc", 2)
	noErr(t, "query after restart", err)
	if len(c.MentionedInfoList) != 0 {
		t.Fatalf("after a restart: %v (last mention was %d)", c.MentionedInfoList, last.MessageSeq)
	}

	// A new mention, then bob's own message: reading by writing drops it as well.
	alice = e.login("alice", false, 0)
	_, err = alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: "@bob again", MentionedUserIDs: []string{"bob"}}, "mc", 2, nil)
	noErr(t, "send again", err)
	bob.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		return len(mentionsIn(p.(*m.ConversationChangedEvent).InfoList[0].Conversation)) == 1
	})
	_, err = bob.SendMessage(ctx(t), &m.Message{Type: 1, Message: "got it"}, "mc", 2, nil)
	noErr(t, "bob answers", err)
	eventually(t, "bob's own message read past the mention", func() bool {
		c, err := bob.QueryConversation(ctx(t), "mc", 2)
		return err == nil && len(c.MentionedInfoList) == 0
	})
	if n := e.storedKeys(bobKeys)[0]; n != 0 {
		t.Fatalf("after bob's own message: %d mention records of bob remain", n)
	}
}
