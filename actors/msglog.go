package actors

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// msgLog is one conversation's stored message log, owned by exactly one actor (peer,
// group, channel, or room with history). Only its owner's goroutine may use it.
//
// Sequence numbers are dense (1, 2, 3…). Every append compare-and-sets the log head, so
// a second activation of the same conversation during cluster churn cannot fork it.
type msgLog struct {
	store   persistence.Store
	ctype   int32
	conv    string
	head    *messages.LogHead
	headRaw []byte // as stored; nil when the log is empty
}

func openLog(ctx context.Context, store persistence.Store, ctype int32, conv string) (*msgLog, error) {
	l := &msgLog{store: store, ctype: ctype, conv: conv}
	return l, l.reload(ctx)
}

func (l *msgLog) reload(ctx context.Context) error {
	raw, err := l.store.Get(ctx, keyHead(l.ctype, l.conv))
	l.head = &messages.LogHead{}
	l.headRaw = nil
	if errors.Is(err, persistence.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := proto.Unmarshal(raw, l.head); err != nil {
		return fmt.Errorf("log head %s: %w", l.conv, err)
	}
	l.headRaw = raw
	return nil
}

func (l *msgLog) lastSeq() int64 { return l.head.LastSeq }

// headRecord is the stored form of LogHead{LastSeq: seq, LastMessage: m} built from m's
// stored form, so that an append encodes its message once (TestHeadRecord).
func headRecord(seq int64, m []byte) []byte {
	b := make([]byte, 0, len(m)+16)
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(seq))
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

// findLocal returns the message an earlier send with the same (sender, localMessageID)
// stored, or nil.
func (l *msgLog) findLocal(ctx context.Context, sender, localID string) (*messages.Message, error) {
	if localID == "" {
		return nil, nil
	}
	raw, err := l.store.Get(ctx, keyLocalID(l.ctype, l.conv, sender, localID))
	if errors.Is(err, persistence.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(raw) != 8 {
		return nil, fmt.Errorf("bad local-id record")
	}
	return l.get(ctx, int64(binary.BigEndian.Uint64(raw)))
}

// get reads one message, or nil when it does not exist.
func (l *msgLog) get(ctx context.Context, seq int64) (*messages.Message, error) {
	raw, err := l.store.Get(ctx, keyMsg(l.ctype, l.conv, seq))
	if errors.Is(err, persistence.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m := &messages.Message{}
	if err := proto.Unmarshal(raw, m); err != nil {
		return nil, err
	}
	return m, nil
}

func u64(v int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	return b[:]
}

// readerView bounds and filters what one user sees of the log.
type readerView struct {
	user    string
	minSeq  int64 // first visible seq (1 for peers; join point for groups)
	maxSeq  int64 // last visible seq, 0 = no bound (kicked members)
	cleared int64 // deleteAllMessage watermark
	deleted map[int64]bool
}

func (l *msgLog) view(ctx context.Context, user string, minSeq, maxSeq int64) (*readerView, error) {
	v := &readerView{user: user, minSeq: max(minSeq, 1), maxSeq: maxSeq, deleted: map[int64]bool{}}
	raw, err := l.store.Get(ctx, keyCleared(l.ctype, l.conv, user))
	switch {
	case err == nil && len(raw) == 8:
		v.cleared = int64(binary.BigEndian.Uint64(raw))
	case err != nil && !errors.Is(err, persistence.ErrNotFound):
		return nil, err
	}
	prefix := keyDeletedPrefix(l.ctype, l.conv, user)
	err = l.store.Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		v.deleted[int64(persistence.SeqFromKey(k))] = true
		return true
	})
	return v, err
}

func (v *readerView) visible(seq int64) bool {
	if seq < v.minSeq || seq <= v.cleared || v.deleted[seq] {
		return false
	}
	return v.maxSeq == 0 || seq <= v.maxSeq
}

// history returns up to count visible messages before the anchor (reverse=false: the
// newest ones older than the anchor) or after it (reverse=true), in ascending order.
func (l *msgLog) history(ctx context.Context, v *readerView, anchor int64, count int, reverse bool) ([]*messages.Message, error) {
	top := l.head.LastSeq
	if v.maxSeq > 0 && v.maxSeq < top {
		top = v.maxSeq
	}
	bottom := max(v.minSeq, v.cleared+1)
	var r persistence.Range
	if !reverse {
		hi := top
		if anchor > 0 && anchor-1 < hi {
			hi = anchor - 1
		}
		if hi < bottom {
			return nil, nil
		}
		r = persistence.Range{Start: keyMsg(l.ctype, l.conv, bottom), End: keyMsg(l.ctype, l.conv, hi+1), Reverse: true}
	} else {
		lo := bottom
		if anchor+1 > lo {
			lo = anchor + 1
		}
		if lo > top {
			return nil, nil
		}
		r = persistence.Range{Start: keyMsg(l.ctype, l.conv, lo), End: keyMsg(l.ctype, l.conv, top+1)}
	}
	var out []*messages.Message
	var derr error
	err := l.store.Scan(ctx, r, func(k, val []byte) bool {
		seq := int64(persistence.SeqFromKey(k))
		if !v.visible(seq) {
			return true
		}
		m := &messages.Message{}
		if derr = proto.Unmarshal(val, m); derr != nil {
			return false
		}
		out = append(out, m)
		return len(out) < count
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	if !reverse {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// bySeqs returns the visible messages with the given sequence numbers, in the given order
// (unknown or invisible ones are left out).
func (l *msgLog) bySeqs(ctx context.Context, v *readerView, seqs []int64) ([]*messages.Message, error) {
	var out []*messages.Message
	for _, s := range seqs {
		if !v.visible(s) {
			continue
		}
		m, err := l.get(ctx, s)
		if err != nil {
			return nil, err
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// deleteFor hides the messages with the given seqs from user only.
func (l *msgLog) deleteFor(ctx context.Context, user string, seqs []int64) error {
	b := &persistence.Batch{}
	for _, s := range seqs {
		if s > 0 && s <= l.head.LastSeq {
			b.Put(keyDeleted(l.ctype, l.conv, user, s), nil)
		}
	}
	return l.store.Write(ctx, b)
}

// clearFor hides every message up to the current last one from user only, and drops the
// per-message markers the watermark makes redundant.
func (l *msgLog) clearFor(ctx context.Context, user string) error {
	b := &persistence.Batch{}
	b.Put(keyCleared(l.ctype, l.conv, user), u64(l.head.LastSeq))
	prefix := keyDeletedPrefix(l.ctype, l.conv, user)
	err := l.store.Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		b.Delete(append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return err
	}
	return l.store.Write(ctx, b)
}

// append stores m as the next message of the log. m must have every field but the
// sequence numbers filled in. extra adds records to the same atomic batch (conversation
// index entries, read positions…). It returns the stored message.
//
// A message with a localMessageID may be a resend: the batch itself requires that the
// sender's localMessageID is new, so the usual case costs no read before the write, and
// a resend gets the message stored first with dup set.
func (l *msgLog) append(ctx context.Context, m *messages.Message, extra func(b *persistence.Batch, first, last int64)) (stored *messages.Message, dup bool, err error) {
	one := []*messages.Message{m}
	for attempt := 0; attempt < 3; attempt++ {
		all, err := l.appendAll(ctx, one, extra)
		if errors.Is(err, persistence.ErrConflict) {
			// A resend, or another activation appended meanwhile.
			if first, ferr := l.findLocal(ctx, m.SenderUserID, m.LocalMessageID); ferr != nil || first != nil {
				return first, first != nil, ferr
			}
			if rerr := l.reload(ctx); rerr != nil {
				return nil, false, rerr
			}
			continue
		}
		if err != nil {
			return nil, false, err
		}
		return all[0], false, nil
	}
	return nil, false, fmt.Errorf("log %s: append kept conflicting", l.conv)
}

// appendAll stores ms (at least one, each as append takes it) as the next messages of
// the log in one atomic write: all of them or none. extra adds records to the write
// (first and last are the sequence numbers the messages get). It returns the stored
// messages, or persistence.ErrConflict with nothing stored when a condition of the write
// failed (a resend of one of them, another activation appended) or when two of ms are
// one sender's with the same localMessageID; append, one at a time, sorts those out.
func (l *msgLog) appendAll(ctx context.Context, ms []*messages.Message, extra func(b *persistence.Batch, first, last int64)) ([]*messages.Message, error) {
	b := &persistence.Batch{}
	hk := keyHead(l.ctype, l.conv)
	if l.headRaw == nil {
		b.ExpectAbsent(hk)
	} else {
		b.ExpectValue(hk, l.headRaw)
	}
	first := l.head.LastSeq + 1
	stored := make([]*messages.Message, len(ms))
	var raw []byte
	for i, m := range ms {
		seq := first + int64(i)
		s := copyMessage(m)
		s.MessageSeq, s.ConversationSeq, s.OrderKey = seq, seq, seq
		var err error
		if raw, err = proto.Marshal(s); err != nil {
			return nil, err
		}
		b.Put(keyMsg(l.ctype, l.conv, seq), raw)
		mentionRecords(b, l.ctype, l.conv, s) // mentions.go
		later := ms[i+1:]
		if m.LocalMessageID != "" {
			for _, o := range later {
				if o.LocalMessageID == m.LocalMessageID && o.SenderUserID == m.SenderUserID {
					return nil, persistence.ErrConflict
				}
			}
			lk := keyLocalID(l.ctype, l.conv, m.SenderUserID, m.LocalMessageID)
			b.ExpectAbsent(lk)
			b.Put(lk, u64(seq))
		}
		if !slices.ContainsFunc(later, func(o *messages.Message) bool { return o.SenderUserID == m.SenderUserID }) {
			b.Put(keyOwnSeq(l.ctype, l.conv, m.SenderUserID), u64(seq)) // the sender's last
		}
		stored[i] = s
	}
	last := first + int64(len(ms)) - 1
	headRaw := headRecord(last, raw)
	b.Put(hk, headRaw)
	if extra != nil {
		extra(b, first, last)
	}
	if err := l.store.Write(ctx, b); err != nil {
		return nil, err
	}
	l.head = &messages.LogHead{LastSeq: last, LastMessage: stored[len(stored)-1]}
	l.headRaw = headRaw
	return stored, nil
}
