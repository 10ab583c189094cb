package actors

import (
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Receipts in community channels (issue 13, rest). A channel's receivers of a message
// are its readers — the members who may read the channel now (GENERAL and PUBLIC
// channels: every community member; PRIVATE ones: the channel's members) — but the
// sender. Channel readers read the whole history (a member who joins later scrolls
// back), so a message's receivers are the current readers, not the readers of the
// moment it was sent: a reader who joins adds one unread to the open receipts, one who
// leaves takes its read or unread away.
//
// The state is the group's (receipts.go): one rp record per reader who ever read
// (sendConversationMessageReceiptRead, one write per call, queued for one write per
// flush), one rm record per single-message read. What a channel does not hold is its
// readers (a community may have 100,000 members, most offline): it asks the community
// once per activation for their number (ChannelReadersQuery) and the community keeps it
// current (ChannelReaders on every join, leave, channel invite or kick, with who left
// or came back). A reader who leaves keeps its rp record marked left (its position and
// marks stop counting; written only for readers with receipt state: a reader's first
// single-message read writes its rp record too), and it counts again when it comes
// back. So a count is: readers − sender, and read = the positions (not left) at or
// past the seq (a binary search in the sorted positions, rebuilt only when a position
// changed) plus the marks of that message by readers whose position does not cover it.

// channelRich is a channel's receipt state.
type channelRich struct {
	book    receiptBook
	readers int64 // readers of the channel (from the community)
	known   bool  // readers is known
	ends    []int64
	built   int64 // book.version ends were built for (0: never)
	// inReader caches whether a user without receipt state may read the channel
	// (senders of messages); entries go when the community says the user left or came.
	inReader map[string]bool
}

func (a *channelActor) receipts() *receiptBook {
	if a.rcpt.book.conv == "" {
		a.rcpt.book.init(ConvChannel, a.conv)
		a.rcpt.book.batch = true
	}
	return &a.rcpt.book
}

// readerCount is the number of channel readers, asked of the community once.
func (a *channelActor) readerCount(g *grain) (int64, error) {
	if a.rcpt.known {
		return a.rcpt.readers, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	res, err := g.rt.Request(ctx, KindCommunity, a.communityID, &messages.ChannelReadersQuery{ChannelID: a.channelID})
	if err != nil {
		return 0, err
	}
	r, ok := res.(*messages.ChannelReaders)
	if !ok {
		return 0, ErrMessageCommon
	}
	a.rcpt.readers, a.rcpt.known = r.Count, true
	return r.Count, nil
}

// positionEnds are the positions of the readers (not left), sorted.
func (a *channelActor) positionEnds() []int64 {
	b := &a.rcpt.book
	if a.rcpt.built == b.version && a.rcpt.ends != nil {
		return a.rcpt.ends
	}
	ends := a.rcpt.ends[:0]
	for _, p := range b.pos {
		if !p.Left && p.Seq > 0 {
			ends = append(ends, p.Seq)
		}
	}
	slices.Sort(ends)
	if ends == nil {
		ends = []int64{}
	}
	a.rcpt.ends, a.rcpt.built = ends, b.version
	return ends
}

// isReader reports whether user may read the channel now.
func (a *channelActor) isReader(g *grain, user string) (bool, error) {
	if p := a.rcpt.book.pos[user]; p != nil {
		return !p.Left, nil
	}
	if a.onlineMembers[user] != nil {
		return true, nil
	}
	if in, ok := a.rcpt.inReader[user]; ok {
		return in, nil
	}
	_, err := a.sender(g, user)
	switch err {
	case nil, ErrNotCommunityMember, ErrNotChannelMember:
	default:
		return false, err
	}
	if a.rcpt.inReader == nil || len(a.rcpt.inReader) > 10_000 {
		a.rcpt.inReader = map[string]bool{}
	}
	a.rcpt.inReader[user] = err == nil
	return err == nil, nil
}

func (a *channelActor) receiptCounts(g *grain, m *messages.Message) (int64, int64, error) {
	receivers, err := a.readerCount(g)
	if err != nil {
		return 0, 0, err
	}
	b := a.receipts()
	seq := m.MessageSeq
	ends := a.positionEnds()
	read := int64(len(ends) - upTo(ends, seq-1))
	senderIn, err := a.isReader(g, m.SenderUserID)
	if err != nil {
		return 0, 0, err
	}
	if senderIn {
		receivers--
		if p := b.pos[m.SenderUserID]; p != nil && p.Seq >= seq {
			read--
		}
	}
	marks, err := b.marksOf(g, seq)
	if err != nil {
		return 0, 0, err
	}
	for user := range marks {
		if user == m.SenderUserID {
			continue
		}
		if p := b.pos[user]; p != nil && (p.Left || p.Seq >= seq) {
			continue
		}
		read++
	}
	read = min(read, max(receivers, 0))
	return read, max(0, receivers-read), nil
}

// marking: a reader's first single-message read also writes its rp record (position 0),
// so that the channel knows every reader with receipt state (to mark it left).
func (a *channelActor) marking(batch *persistence.Batch, user string) func() {
	b := &a.rcpt.book
	old := b.pos[user]
	if old != nil && !old.Left {
		return nil
	}
	p := &messages.ReceiptPosition{}
	if old != nil {
		p.Seq, p.Time = old.Seq, old.Time
	}
	raw, err := proto.Marshal(p)
	if err != nil {
		return nil
	}
	batch.Put(keyReceiptPos(b.ctype, b.conv, user), raw)
	return func() {
		b.pos[user] = p
		b.version++
	}
}

// readersNotice applies a community's ChannelReaders: the count, and the readers who
// left (their receipt state stops counting) or came back (it counts again).
func (a *channelActor) readersNotice(g *grain, r *messages.ChannelReaders) {
	a.rcpt.readers, a.rcpt.known = r.Count, true
	if len(r.Left) == 0 && len(r.Joined) == 0 {
		return
	}
	for _, u := range r.Left {
		delete(a.rcpt.inReader, u)
	}
	for _, u := range r.Joined {
		delete(a.rcpt.inReader, u)
	}
	b := a.receipts()
	if err := b.load(g); err != nil {
		g.Log().Error("channel receipts: load", "err", err)
		return
	}
	batch := &persistence.Batch{}
	changed := map[string]*messages.ReceiptPosition{}
	mark := func(users []string, left bool) {
		for _, u := range users {
			p := b.pos[u]
			if p == nil || p.Left == left {
				continue
			}
			np := &messages.ReceiptPosition{Seq: p.Seq, Time: p.Time, Left: left}
			raw, err := proto.Marshal(np)
			if err != nil {
				continue
			}
			batch.Put(keyReceiptPos(b.ctype, b.conv, u), raw)
			changed[u] = np
		}
	}
	mark(r.Left, true)
	mark(r.Joined, false)
	if batch.Len() == 0 {
		return
	}
	ctx, cancel := g.CallCtx()
	err := g.rt.Store().Write(ctx, batch)
	cancel()
	if err != nil {
		g.Log().Error("channel receipts: readers", "err", err)
		return
	}
	for u, p := range changed {
		b.pos[u] = p
	}
	b.version++
}

func channelReceiptMethods(t methods[*channelActor]) { receiptMethods(t) }

// ---- the community's side ----

// readersChanged tells the channels whose readers changed their new count, with who
// left or came (privateToo: private channels as well — a member who leaves the
// community leaves them; one who joins it is in none).
func (a *communityActor) readersChanged(g *grain, left, joined []string, privateToo bool) {
	for _, ch := range a.channels {
		if ch.ChannelType == ChannelPrivate && !privateToo {
			continue
		}
		a.tellReaders(g, ch, left, joined)
	}
}

// tellReaders sends channel ch's actor its reader count (and who left or came).
func (a *communityActor) tellReaders(g *grain, ch *messages.CommunityChannelRecord, left, joined []string) {
	g.rt.Send(KindChannel, ChannelConversationID(a.id, ch.ChannelID), &messages.ChannelReaders{
		Count: int64(a.channelMemberCount(ch)), Left: left, Joined: joined,
	})
}

// readersQuery answers a channel actor's ChannelReadersQuery.
func (a *communityActor) readersQuery(q *messages.ChannelReadersQuery) *messages.ChannelReaders {
	ch := a.channels[q.ChannelID]
	if !a.exists() || ch == nil {
		return &messages.ChannelReaders{}
	}
	return &messages.ChannelReaders{Count: int64(a.channelMemberCount(ch))}
}
