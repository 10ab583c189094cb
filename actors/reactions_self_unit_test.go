package actors

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// TestUnitGroupReactionPushSelfIncluded: a group's reaction push is one encoding for the
// online members who did not react with a pushed type and one per distinct set of own
// reactions among those who did; each connection gets exactly one push, with its
// user's isSelfIncluded. The reactor cache follows deletions, and a fresh activation
// reads it back from the store.
func TestUnitGroupReactionPushSelfIncluded(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "alice", []string{"bob", "carol", "dave"}, nil)
	conns := map[string]uint64{"alice": 10, "bob": 20, "carol": 30, "dave": 40}
	setup := func(g *unitGrain) {
		for u, id := range conns {
			guOnline(g, u, id)
		}
		w.rec.takePushes()
		w.rec.takeSends()
	}
	setup(g)
	var sent messages.MessageSentResult
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup,
		Message: &messages.Message{Type: MsgText, Message: "vote"}}, &sent)
	react := func(g *unitGrain, user, typ string, add bool) map[uint64]string {
		t.Helper()
		w.rec.takePushes()
		if add {
			g.mustCall(user, "addMessageReaction", &messages.MessageReactionAddParams{ReactionType: typ, Message: sent.Message}, nil)
		} else {
			g.mustCall(user, "deleteMessageReaction", &messages.MessageReactionDeleteParams{ReactionType: typ, Message: sent.Message}, nil)
		}
		evs, ids := pushesOf(t, w.rec.takePushes(), "messageReactionsChanged", func() *messages.MessageReactionsChangedEvent { return &messages.MessageReactionsChangedEvent{} })
		got := map[uint64]string{} // connection → its types with isSelfIncluded, sorted
		for i, ev := range evs {
			var self []string
			for _, r := range ev.Reactions {
				if r.IsSelfIncluded {
					self = append(self, r.ReactionType)
				}
				in := ev.ChangeInfoList[0].Message.Reactions
				if j := slices.IndexFunc(in, func(x *messages.MessageReaction) bool { return x.ReactionType == r.ReactionType }); j < 0 || in[j].IsSelfIncluded != r.IsSelfIncluded {
					t.Fatalf("the message's reactions differ from the event's: %v", ev)
				}
			}
			for _, id := range ids[i] {
				if _, twice := got[id]; twice {
					t.Fatalf("connection %d got two pushes", id)
				}
				slices.Sort(self)
				got[id] = fmt.Sprint(self)
			}
		}
		return got
	}
	want := func(what string, got map[uint64]string, w map[uint64]string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Fatalf("%s: pushes %v, want %v", what, got, w)
		}
	}
	want("bob reacts yes", react(g, "bob", "yes", true), map[uint64]string{10: "[]", 20: "[yes]", 30: "[]", 40: "[]"})
	want("carol reacts yes", react(g, "carol", "yes", true), map[uint64]string{10: "[]", 20: "[yes]", 30: "[yes]", 40: "[]"})
	want("carol reacts no", react(g, "carol", "no", true), map[uint64]string{10: "[]", 20: "[yes]", 30: "[no yes]", 40: "[]"})
	want("bob takes yes back", react(g, "bob", "yes", false), map[uint64]string{10: "[]", 20: "[]", 30: "[no yes]", 40: "[]"})
	// A fresh activation loads who reacted from the store.
	g2 := w.grain(KindGroup, guID)
	setup(g2)
	want("dave reacts no", react(g2, "dave", "no", true), map[uint64]string{10: "[]", 20: "[]", 30: "[no yes]", 40: "[no]"})
}
