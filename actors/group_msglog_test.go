package actors

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// append stores a message once per (sender, localMessageID) without reading first,
// and continues across a reopen.
func TestLogAppendOnceRefusesResends(t *testing.T) {
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	l, err := openLog(ctx, st, ConvGroup, "g")
	if err != nil {
		t.Fatal(err)
	}
	msg := func(local, text string) *messages.Message {
		return &messages.Message{Type: MsgText, MessageID: text, SenderUserID: "a", ConversationID: "g", ConversationType: ConvGroup, LocalMessageID: local, Message: text}
	}
	first, dup, err := l.append(ctx, msg("l1", "one"), nil)
	if err != nil || dup || first.MessageSeq != 1 {
		t.Fatalf("first append: %v %v %v", first, dup, err)
	}
	again, dup, err := l.append(ctx, msg("l1", "one again"), nil)
	if err != nil || !dup || again.MessageSeq != 1 || again.Message != "one" || l.lastSeq() != 1 {
		t.Fatalf("resend: %v %v %v (last %d)", again, dup, err, l.lastSeq())
	}
	plain, dup, err := l.append(ctx, msg("", "two"), nil)
	if err != nil || dup || plain.MessageSeq != 2 {
		t.Fatalf("without a local ID: %v %v %v", plain, dup, err)
	}
	// A second activation appended meanwhile: the head conflict is not a resend.
	other, _ := openLog(ctx, st, ConvGroup, "g")
	if _, _, err := other.append(ctx, msg("l9", "three"), nil); err != nil {
		t.Fatal(err)
	}
	next, dup, err := l.append(ctx, msg("l2", "four"), nil)
	if err != nil || dup || next.MessageSeq != 4 {
		t.Fatalf("after another activation's append: %v %v %v", next, dup, err)
	}
	reopened, _ := openLog(ctx, st, ConvGroup, "g")
	if got, dup, err := reopened.append(ctx, msg("l2", "four"), nil); err != nil || !dup || got.MessageSeq != 4 {
		t.Fatalf("resend after reopen: %v %v %v", got, dup, err)
	}
}

// appendAll stores several messages in one write, all or none: a resend among them, or
// two with one sender's same localMessageID, leaves the log as it was.
func TestLogAppendAllIsAllOrNone(t *testing.T) {
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	l, err := openLog(ctx, st, ConvPeer, "a\x1fb")
	if err != nil {
		t.Fatal(err)
	}
	msg := func(sender, local, text string) *messages.Message {
		return &messages.Message{Type: MsgText, MessageID: text, SenderUserID: sender, ConversationType: ConvPeer, LocalMessageID: local, Message: text}
	}
	var firsts []int64
	extra := func(_ *persistence.Batch, first, last int64) { firsts = append(firsts, first, last) }
	stored, err := l.appendAll(ctx, []*messages.Message{msg("a", "l1", "one"), msg("b", "l1", "two"), msg("a", "", "three")}, extra)
	if err != nil || len(stored) != 3 || stored[2].MessageSeq != 3 || stored[1].Message != "two" || l.lastSeq() != 3 {
		t.Fatalf("three at once: %v %v (last %d)", stored, err, l.lastSeq())
	}
	if len(firsts) != 2 || firsts[0] != 1 || firsts[1] != 3 {
		t.Fatalf("extra saw first/last %v, want [1 3]", firsts)
	}
	// Each sender's own last message is recorded (unread counts leave it out).
	for sender, want := range map[string]int64{"a": 3, "b": 2} {
		raw, err := st.Get(ctx, keyOwnSeq(ConvPeer, "a\x1fb", sender))
		if err != nil || int64(binary.BigEndian.Uint64(raw)) != want {
			t.Fatalf("own seq of %s: %v %v, want %d", sender, raw, err, want)
		}
	}
	for name, batch := range map[string][]*messages.Message{
		"a resend among them":         {msg("a", "l2", "four"), msg("b", "l1", "two again")},
		"one local ID twice":          {msg("a", "l3", "five"), msg("a", "l3", "five again")},
		"a resend of the batch's 1st": {msg("a", "l1", "one again")},
	} {
		if got, err := l.appendAll(ctx, batch, nil); !errors.Is(err, persistence.ErrConflict) {
			t.Fatalf("%s: %v %v, want a conflict", name, got, err)
		}
		if l.lastSeq() != 3 {
			t.Fatalf("%s: last seq %d", name, l.lastSeq())
		}
	}
	if m, err := l.get(ctx, 4); err != nil || m != nil {
		t.Fatalf("a refused batch left message 4: %v %v", m, err)
	}
	// One at a time sorts the same input out: the resend gets the first one's message.
	next, dup, err := l.append(ctx, msg("a", "l2", "four"), nil)
	if err != nil || dup || next.MessageSeq != 4 {
		t.Fatalf("after refusals: %v %v %v", next, dup, err)
	}
	again, dup, err := l.append(ctx, msg("b", "l1", "two again"), nil)
	if err != nil || !dup || again.MessageSeq != 2 || again.Message != "two" {
		t.Fatalf("resend one at a time: %v %v %v", again, dup, err)
	}
}
