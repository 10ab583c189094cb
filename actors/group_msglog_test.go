package actors

import (
	"context"
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
