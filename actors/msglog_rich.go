package actors

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Stored messages change in place for the message features (revoke, edit, pins, reply
// counts): the record at the message's seq is rewritten, and the log head with it when
// the message is the conversation's last (the head's copy is what conversation lists
// show). Keys of the features:
//
//	cb messageID                    StoredCombine (a combine message's sub-messages)
//	uc ctype convID seq             the message does not count as unread (revoked, tips)
//	pn ctype convID seq             StoredPin (a pinned message)
//	rr ctype convID seq             seq of the thread root of reply seq
//	rt ctype convID rootSeq seq     reply seq is in the thread of rootSeq (empty)
//	rc ctype convID parentSeq seq   reply seq answers parentSeq directly (empty)

func keyCombine(id string) []byte { return persistence.NewKey("cb").Str(id).Bytes() }
func keyPin(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("pn").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyPinPrefix(ct int32, conv string) []byte {
	return persistence.NewKey("pn").Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyReplyRoot(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("rr").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyThread(ct int32, conv string, root, seq int64) []byte {
	return persistence.NewKey("rt").Str(ctypeStr(ct)).Str(conv).U64(uint64(root)).U64(uint64(seq)).Bytes()
}
func keyThreadPrefix(ct int32, conv string, root int64) []byte {
	return persistence.NewKey("rt").Str(ctypeStr(ct)).Str(conv).U64(uint64(root)).Bytes()
}
func keyReplyChild(ct int32, conv string, parent, seq int64) []byte {
	return persistence.NewKey("rc").Str(ctypeStr(ct)).Str(conv).U64(uint64(parent)).U64(uint64(seq)).Bytes()
}
func keyReplyChildPrefix(ct int32, conv string, parent int64) []byte {
	return persistence.NewKey("rc").Str(ctypeStr(ct)).Str(conv).U64(uint64(parent)).Bytes()
}

// rewrite stores changed forms of messages already in the log (each at its own seq) in
// one write with extra's records, and the head when one of them is the last message.
func (l *msgLog) rewrite(ctx context.Context, ms []*messages.Message, extra func(b *persistence.Batch)) error {
	for attempt := 0; attempt < 3; attempt++ {
		b := &persistence.Batch{}
		var headRaw []byte
		var head *messages.Message
		for _, m := range ms {
			if m.MessageSeq <= 0 || m.MessageSeq > l.head.LastSeq {
				return fmt.Errorf("log %s: rewrite of seq %d outside the log", l.conv, m.MessageSeq)
			}
			raw, err := proto.Marshal(m)
			if err != nil {
				return err
			}
			b.Put(keyMsg(l.ctype, l.conv, m.MessageSeq), raw)
			if m.MessageSeq == l.head.LastSeq {
				head, headRaw = m, headRecord(m.MessageSeq, raw)
			}
		}
		hk := keyHead(l.ctype, l.conv)
		if l.headRaw == nil {
			b.ExpectAbsent(hk)
		} else {
			b.ExpectValue(hk, l.headRaw)
		}
		if head != nil {
			b.Put(hk, headRaw)
		}
		if extra != nil {
			extra(b)
		}
		err := l.store.Write(ctx, b)
		if errors.Is(err, persistence.ErrConflict) { // another activation appended: read the head again
			if rerr := l.reload(ctx); rerr != nil {
				return rerr
			}
			continue
		}
		if err != nil {
			return err
		}
		if head != nil {
			l.head = &messages.LogHead{LastSeq: head.MessageSeq, LastMessage: head}
			l.headRaw = headRaw
		}
		return nil
	}
	return fmt.Errorf("log %s: rewrite kept conflicting", l.conv)
}
