package actors

import (
	"bytes"
	"slices"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Mention records of read messages (issue 13, rest). A user's mention records of a
// conversation (key mu: user, conversation, seq) matter only above the user's read
// position. They are deleted at or below it when the position moves by the user's
// conversation state (reading the conversation, clearing all unread counts, deleting
// the conversation: in the same write as the state, saveConvState), and when a
// conversation view is built after it moved otherwise (the user's own later message; a
// first view after an activation). Each is one range scan of the user's own keys of
// the conversation (usually empty or a few keys), at most once per position change,
// and none while the user is known to have no record of the conversation (after a scan
// that left none above the read position, until a message with mentions comes): a
// conversation without mentions costs one scan per activation, not one per message.
// The mention-everyone records (key ma) are one per message, not per member: other
// members still need them, so they stay with the message as its other records do.

// dropReadMentionsMax bounds the deletions of one write (a store batch has a limit);
// what is left goes with the next position change or view.
const dropReadMentionsMax = 1000

// readMentionDeletes adds to b the deletion of the user's mention records of e up to
// read; the returned function (nil: nothing to record) is run once b is written.
func (u *userActor) readMentionDeletes(g *grain, e *convEntry, read int64, b *persistence.Batch) (func(), error) {
	if read <= e.mentionsGone {
		return nil, nil
	}
	if e.mentionsNone { // nothing to delete: no scan (a conversation without mentions never scans again)
		return func() { e.mentionsGone = max(e.mentionsGone, read) }, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	start := keyMentionUser(u.id, e.ctype, e.logID, e.mentionsGone+1)
	end := keyMentionUser(u.id, e.ctype, e.logID, read+1)
	n, more := 0, false
	err := g.rt.Store().Scan(ctx, persistence.Range{Start: start, End: end}, func(k, _ []byte) bool {
		if n >= dropReadMentionsMax {
			more = true
			return false
		}
		b.Delete(bytes.Clone(k))
		n++
		return true
	})
	if err != nil || more {
		return nil, err
	}
	// Records above read, if any, are the unread mentions (loaded up to mentionsTo).
	none := e.mentionsTo >= e.top() && !slices.ContainsFunc(e.mentions, func(i *messages.MessageMentionedInfo) bool { return i.MessageSeq > read })
	return func() {
		e.mentionsGone = max(e.mentionsGone, read)
		e.mentionsNone = none
	}, nil
}

// dropReadMentions deletes the user's mention records of e up to read (one write when
// there are any).
func (u *userActor) dropReadMentions(g *grain, e *convEntry, read int64) {
	b := &persistence.Batch{}
	done, err := u.readMentionDeletes(g, e, read, b)
	if err == nil && b.Len() > 0 {
		ctx, cancel := g.CallCtx()
		err = g.rt.Store().Write(ctx, b)
		cancel()
	}
	if err != nil {
		g.Log().Error("drop read mentions", "err", err)
		return
	}
	if done != nil {
		done()
	}
}
