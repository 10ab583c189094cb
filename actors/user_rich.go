package actors

import (
	"context"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// A user's side of the message features: a conversation's stored messages changed
// (ConversationRevised from the conversation's owner). Unread counts stay derived from
// sequence numbers, less the messages that do not count: revoked ones and tips
// (keyUncounted records, written by the owner with the message). A user actor reads
// those above its read position when it loads a conversation's head, and learns new
// ones from ConversationRevised.

func keyUncounted(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("uc").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}

// uncountedUnread is how many of the unread seqs do not count.
func (e *convEntry) uncountedUnread() int64 {
	if len(e.uncounted) == 0 {
		return 0
	}
	lo, hi := e.readSeq(), e.top()
	var n int64
	for _, s := range e.uncounted {
		if s > lo && s <= hi {
			n++
		}
	}
	return n
}

// addUncounted records seqs that do not count (those above the read position only).
func (e *convEntry) addUncounted(seqs []int64) {
	read := e.readSeq()
	kept := e.uncounted[:0]
	for _, s := range e.uncounted {
		if s > read {
			kept = append(kept, s)
		}
	}
	for _, s := range seqs {
		if s > read && !slices.Contains(kept, s) {
			kept = append(kept, s)
		}
	}
	e.uncounted = kept
}

// loadUncounted reads the seqs above the read position that do not count.
func loadUncounted(ctx context.Context, st persistence.Store, e *convEntry) error {
	e.uncounted = nil
	lo, hi := e.readSeq(), e.top()
	if hi <= lo {
		return nil
	}
	r := persistence.Range{Start: keyUncounted(e.ctype, e.logID, lo+1), End: keyUncounted(e.ctype, e.logID, hi+1)}
	return st.Scan(ctx, r, func(k, _ []byte) bool {
		e.uncounted = append(e.uncounted, int64(persistence.SeqFromKey(k)))
		return true
	})
}

// revised applies a conversation owner's news about changed messages and pushes the
// conversation's new state when what the user sees of it moved.
func (u *userActor) revised(g *grain, r *messages.ConversationRevised) {
	e := u.convs[convKey(r.ConversationType, r.ConversationID)]
	if e == nil {
		return // not (yet) the user's: the conversation's first touch brings it
	}
	before := e.unread()
	headMoved := false
	if h := r.Head; h != nil && h.MessageSeq >= e.lastSeq {
		e.lastSeq, e.last = h.MessageSeq, h
		headMoved = true
	}
	e.addUncounted(r.Uncounted)
	cleared := r.ClearedSeq > e.st.ClearedSeq && u.clear(g, e, r.ClearedSeq)
	if e.st.Deleted || (!headMoved && !cleared && e.unread() == before) {
		return
	}
	u.conversationChanged(g, e, 1)
}

// clear stores that the user deleted every message of e up to seq (deleteAllMessage:
// the conversation's last message and unread count go with them) and reports whether it
// did. Refused by the store, the log's watermark still hides the messages from history;
// the conversation shows them until the user's next deleteAllMessage.
func (u *userActor) clear(g *grain, e *convEntry, seq int64) bool {
	st := proto.Clone(e.st).(*messages.StoredConvState)
	st.ClearedSeq = seq
	if err := u.saveStates(g, []*convEntry{e}, []*messages.StoredConvState{st}, nil); err != nil {
		g.Log().Warn("conversation clear not stored", "conversation", e.id, "err", err)
		return false
	}
	return true
}

// recentUncountedMax bounds the recent uncounted seqs a stored chat sends along with
// every conversation update (ConversationTouched.uncounted): a member's user actor that
// was not among the online members when a tip was written or a message revoked learns
// of it with the next update. One that was away longer read them when it loaded the
// conversation.
const recentUncountedMax = 32

// noteUncounted adds seqs to the recent uncounted ones (a new slice: the old one may be
// in flight to user actors).
func (s *storedChat) noteUncounted(seqs []int64) {
	if len(seqs) == 0 {
		return
	}
	next := make([]int64, 0, min(len(s.uncounted)+len(seqs), recentUncountedMax))
	all := append(append([]int64(nil), s.uncounted...), seqs...)
	if len(all) > recentUncountedMax {
		all = all[len(all)-recentUncountedMax:]
	}
	s.uncounted = append(next, all...)
}
