package actors

import (
	"context"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

func (w *unitWorld) countKeys(prefix []byte) int {
	w.tb.Helper()
	n := 0
	if err := w.rt.Store().Scan(context.Background(), persistence.PrefixRange(prefix), func(_, _ []byte) bool { n++; return true }); err != nil {
		w.tb.Fatal(err)
	}
	return n
}

// TestUnitReadMentionRecordsAreDeleted: bob's mention records of a group go when he
// clears the conversation's unread count; a fresh activation shows no mention.
func TestUnitReadMentionRecordsAreDeleted(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "alice", []string{"bob", "carol"}, nil)
	bob := w.grain(KindUser, "bob")
	for _, text := range []string{"@bob 1", "@bob 2", "@bob and carol"} {
		ids := []string{"bob"}
		if text == "@bob and carol" {
			ids = append(ids, "carol")
		}
		g.mustCall("alice", "sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup,
			Message: &messages.Message{Type: MsgText, Message: text, MentionedUserIDs: ids}}, nil)
	}
	g.Advance(time.Second) // the flush tells the members' user actors
	w.forwardToUsers(map[string]*unitGrain{"bob": bob})
	ref := &messages.ConversationRef{ConversationID: guID, ConversationType: ConvGroup}
	var res messages.ConversationQueriedResult
	bob.mustCall("bob", "queryConversation", ref, &res)
	if n := len(res.Conversation.MentionedInfoList); n != 3 {
		t.Fatalf("bob sees %d mentions, want 3", n)
	}
	bobKeys, carolKeys := keyMentionUserPrefix("bob", ConvGroup, guID), keyMentionUserPrefix("carol", ConvGroup, guID)
	if b, c := w.countKeys(bobKeys), w.countKeys(carolKeys); b != 3 || c != 1 {
		t.Fatalf("before reading: %d records of bob, %d of carol", b, c)
	}
	bob.mustCall("bob", "clearConversationUnreadMessageCount", ref, nil)
	if b, c := w.countKeys(bobKeys), w.countKeys(carolKeys); b != 0 || c != 1 {
		t.Fatalf("after bob read: %d records of bob, %d of carol (carol's stay)", b, c)
	}
	w.grain(KindUser, "bob").mustCall("bob", "queryConversation", ref, &res)
	if n := len(res.Conversation.MentionedInfoList); n != 0 {
		t.Fatalf("a fresh activation shows %d mentions", n)
	}
}
