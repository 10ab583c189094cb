package actors

import (
	"encoding/binary"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Receipts (ZIM's read receipts). A message sent with config.hasReceipt is stored with
// receiptStatus 1 (processing); everything else about its receipt is derived:
//
//   - sendConversationMessageReceiptRead moves the caller's receipt position in the
//     conversation (key rp: one record per reader and conversation, one write per call);
//   - sendMessageReceiptsRead marks single messages (key rm: one record per message
//     and reader, at most Limits.Rich.ReceiptsPerCall per call);
//   - a receiver has read a message when its position reaches the message's seq or it
//     marked the message; the receivers are the other user (peer) or the members who
//     were in the group at the message (joined before it), the sender excepted.
//
// A group's counts come from the positions of its members held in memory (loaded once
// per activation): a member counts as read for seq when since <= seq <= position, which
// for all members is two binary searches in sorted arrays (readCounter), plus the marks
// of that message. Nothing is written per message or per member at send time.

// receiptBook is one conversation's receipt state an owner keeps.
type receiptBook struct {
	ctype  int32
	conv   string
	loaded bool
	pos    map[string]*messages.ReceiptPosition
	marks  map[int64]map[string]int64 // seq → reader → time (ms); a cache of rm records
	// version counts position changes (readCounter caches by it).
	version int64
	// batch: conversation reads wait here for one write (groups; see queueRead)
	batch    bool
	pending  []pendingRead
	flushing bool
}

// pendingRead is a sendConversationMessageReceiptRead waiting for its write.
type pendingRead struct {
	call   *messages.Call
	caller runtime.Caller
	pos    *messages.ReceiptPosition
}

var receiptFlush = &messages.ReceiptFlush{}

const receiptMarkCache = 4096

func (r *receiptBook) init(ctype int32, conv string) { r.ctype, r.conv = ctype, conv }

func (r *receiptBook) load(g *grain) error {
	if r.loaded {
		return nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	pos := map[string]*messages.ReceiptPosition{}
	prefix := keyReceiptPosPrefix(r.ctype, r.conv)
	if err := scanRecords(ctx, g.rt.Store(), prefix, func(k []byte, p *messages.ReceiptPosition) bool {
		if parts, ok := keyStrs(prefix, k); ok && len(parts) == 1 {
			pos[parts[0]] = p
		}
		return true
	}); err != nil {
		return err
	}
	r.pos, r.marks, r.loaded = pos, map[int64]map[string]int64{}, true
	r.version++
	return nil
}

// position is how far user has read receipts.
func (r *receiptBook) position(user string) *messages.ReceiptPosition {
	if p := r.pos[user]; p != nil {
		return p
	}
	return &messages.ReceiptPosition{}
}

// marksOf returns the single-message reads of seq.
func (r *receiptBook) marksOf(g *grain, seq int64) (map[string]int64, error) {
	if m, ok := r.marks[seq]; ok {
		return m, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	m := map[string]int64{}
	prefix := keyReceiptMarkPrefix(r.ctype, r.conv, seq)
	err := g.rt.Store().Scan(ctx, persistence.PrefixRange(prefix), func(k, v []byte) bool {
		if parts, ok := keyStrs(prefix, k); ok && len(parts) == 1 && len(v) == 8 {
			m[parts[0]] = int64(binary.BigEndian.Uint64(v))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(r.marks) >= receiptMarkCache {
		clear(r.marks)
	}
	r.marks[seq] = m
	return m, nil
}

// readAt reports whether user has read the receipt of seq, and when (ms).
func (r *receiptBook) readAt(g *grain, user string, seq int64) (bool, int64, error) {
	if p := r.pos[user]; p != nil && p.Seq >= seq {
		return true, p.Time, nil
	}
	m, err := r.marksOf(g, seq)
	if err != nil {
		return false, 0, err
	}
	t, ok := m[user]
	return ok, t, nil
}

// receiptOwner is what a conversation owner (peer, group) gives the shared receipt code.
type receiptOwner interface {
	receipts() *receiptBook
	chatLog() *msgLog
	readerView(g *grain, user string) (*readerView, error)
	// convFor is the conversation's ID as user sees it.
	convFor(user string) string
	// receiptCounts counts m's receivers that read it and that did not.
	receiptCounts(g *grain, m *messages.Message) (read, unread int64, err error)
}

// receiptTarget loads the message ref names, as the reader of v may see it.
func receiptTarget(g *grain, o receiptOwner, v *readerView, ref *messages.Message) (*messages.Message, error) {
	return messageTarget(g, o.chatLog(), v, ref)
}

// messageTarget loads the message ref names (messageSeq; messageID when given), as the
// reader of v may see it: else 6000201.
func messageTarget(g *grain, l *msgLog, v *readerView, ref *messages.Message) (*messages.Message, error) {
	if ref == nil || ref.MessageSeq <= 0 || !v.visible(ref.MessageSeq) {
		return nil, ErrMessageNotExist
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	m, err := l.get(ctx, ref.MessageSeq)
	if err != nil {
		return nil, err
	}
	if m == nil || (ref.MessageID != "" && ref.MessageID != m.MessageID) {
		return nil, ErrMessageNotExist
	}
	return m, nil
}

func receiptExpired(g *grain, m *messages.Message) bool {
	return g.rt.now().UnixMilli()-m.Timestamp > g.rt.Limits().Rich.ReceiptTTL.Milliseconds()
}

// receiptInfo is m's receipt as reader sees it.
func receiptInfo(g *grain, o receiptOwner, m *messages.Message, reader string) (*messages.MessageReceiptInfo, error) {
	info := &messages.MessageReceiptInfo{MessageID: m.MessageID, ConversationID: o.convFor(reader), ConversationType: m.ConversationType}
	if m.ReceiptStatus == ReceiptNone {
		return info, nil
	}
	b := o.receipts()
	if err := b.load(g); err != nil {
		return nil, err
	}
	read, unread, err := o.receiptCounts(g, m)
	if err != nil {
		return nil, err
	}
	info.ReadMemberCount, info.UnreadMemberCount = read, unread
	if m.SenderUserID == reader {
		info.Status = ReceiptProcessing
		if unread == 0 {
			info.Status = ReceiptDone
		}
		if m.ConversationType == ConvPeer && unread == 0 {
			_, info.ReadTime, _ = b.readAt(g, peerOther(o, m.SenderUserID), m.MessageSeq)
		}
	} else {
		ok, at, err := b.readAt(g, reader, m.MessageSeq)
		if err != nil {
			return nil, err
		}
		info.Status = ReceiptProcessing
		if ok {
			info.Status, info.ReadTime = ReceiptDone, at
		}
	}
	if info.Status == ReceiptProcessing && receiptExpired(g, m) {
		info.Status = ReceiptExpired
	}
	return info, nil
}

func peerOther(o receiptOwner, user string) string {
	if p, ok := o.(*peerActor); ok {
		return p.other(user)
	}
	return ""
}

// ZIMMessageReceiptStatus.
const (
	ReceiptNone       = 0
	ReceiptProcessing = 1
	ReceiptDone       = 2
	ReceiptExpired    = 3
)

// receiptAtSend is the stored receipt status of a message sent with config.
func receiptAtSend(p *messages.SendMessageParams, m *messages.Message) {
	if p.GetConfig().GetHasReceipt() && m.Type != MsgCommand {
		m.ReceiptStatus = ReceiptProcessing
	}
}

// ---- methods ----

func receiptMethods[A receiptOwner](t methods[A]) {
	on(t, messages.MethodSendMessageReceiptsRead, func(a A, g *grain, c *messages.Call, p *messages.MessageReceiptsParams) (*messages.MessageReceiptsReadSentResult, error) {
		return sendReceiptsRead(g, a, c, p)
	})
	on(t, messages.MethodSendConversationMessageReceiptRead, func(a A, g *grain, c *messages.Call, p *messages.ConversationRef) (*messages.ConversationMessageReceiptReadSentResult, error) {
		return sendConversationReceiptRead(g, a, c)
	})
	on(t, messages.MethodQueryMessageReceiptsInfo, func(a A, g *grain, c *messages.Call, p *messages.MessageReceiptsParams) (*messages.MessageReceiptsInfoQueriedResult, error) {
		return queryReceipts(g, a, c, p)
	})
}

// sendReceiptsRead marks single messages read. Messages that cannot be (not found, no
// receipt, one's own, expired) are errorMessageIDs; none at all: 6000277.
func sendReceiptsRead(g *grain, o receiptOwner, c *messages.Call, p *messages.MessageReceiptsParams) (*messages.MessageReceiptsReadSentResult, error) {
	lim := g.rt.Limits().Rich
	if len(p.MessageList) == 0 {
		return nil, ErrParamInvalid
	}
	if len(p.MessageList) > lim.ReceiptsPerCall {
		return nil, ErrReceiptLimit
	}
	v, err := o.readerView(g, c.UserID)
	if err != nil {
		return nil, err
	}
	b := o.receipts()
	if err := b.load(g); err != nil {
		return nil, err
	}
	res := &messages.MessageReceiptsReadSentResult{ConversationID: o.convFor(c.UserID), ConversationType: b.ctype}
	now := g.rt.now().UnixMilli()
	batch := &persistence.Batch{}
	var fresh, ok []*messages.Message
	seen := map[int64]bool{}
	for _, ref := range p.MessageList {
		m, err := receiptTarget(g, o, v, ref)
		if err == ErrMessageNotExist || (err == nil && (m.ReceiptStatus == ReceiptNone || m.SenderUserID == c.UserID)) {
			res.ErrorMessageIDs = append(res.ErrorMessageIDs, ref.GetMessageID())
			continue
		}
		if err != nil {
			return nil, err
		}
		read, _, err := b.readAt(g, c.UserID, m.MessageSeq)
		if err != nil {
			return nil, err
		}
		if read || seen[m.MessageSeq] {
			ok = append(ok, m) // already read: nothing to do, not an error
			continue
		}
		if receiptExpired(g, m) {
			res.ErrorMessageIDs = append(res.ErrorMessageIDs, m.MessageID)
			continue
		}
		seen[m.MessageSeq] = true
		batch.Put(keyReceiptMark(b.ctype, b.conv, m.MessageSeq, c.UserID), u64(now))
		fresh = append(fresh, m)
	}
	if len(fresh) == 0 && len(ok) == 0 {
		return nil, ErrReceiptRead
	}
	if len(fresh) > 0 {
		done := peerHeadDone(o, batch, c.UserID, func(seq int64) bool { return seen[seq] })
		var marked func()
		if h, ok := o.(interface {
			marking(*persistence.Batch, string) func()
		}); ok {
			marked = h.marking(batch, c.UserID)
		}
		ctx, cancel := g.CallCtx()
		err := g.rt.Store().Write(ctx, batch)
		cancel()
		if err != nil {
			return nil, err
		}
		if done != nil {
			done(g)
		}
		if marked != nil {
			marked()
		}
		for _, m := range fresh {
			if marks, cached := b.marks[m.MessageSeq]; cached {
				marks[c.UserID] = now
			}
		}
		receiptsChanged(g, o, c, fresh)
	}
	return res, nil
}

// receiptsChanged pushes messageReceiptChanged to each message's sender, and to the
// reader's other devices (isSelfOperated).
func receiptsChanged(g *grain, o receiptOwner, c *messages.Call, list []*messages.Message) {
	bySender := map[string][]*messages.MessageReceiptInfo{}
	var self []*messages.MessageReceiptInfo
	for _, m := range list {
		info, err := receiptInfo(g, o, m, m.SenderUserID)
		if err != nil {
			g.Log().Error("receipt info", "err", err)
			return
		}
		bySender[m.SenderUserID] = append(bySender[m.SenderUserID], info)
		mine, err := receiptInfo(g, o, m, c.UserID)
		if err != nil {
			return
		}
		mine.IsSelfOperated = true
		self = append(self, mine)
	}
	for sender, infos := range bySender {
		g.rt.pushToUser(sender, nil, messages.EventMessageReceiptChanged.With(&messages.MessageReceiptChangedEvent{Infos: infos}))
	}
	g.rt.pushToUser(c.UserID, c.Conn, messages.EventMessageReceiptChanged.With(&messages.MessageReceiptChangedEvent{Infos: self}))
}

// sendConversationReceiptRead moves the caller's receipt position to the last message
// it may see: one write.
func sendConversationReceiptRead(g *grain, o receiptOwner, c *messages.Call) (*messages.ConversationMessageReceiptReadSentResult, error) {
	v, err := o.readerView(g, c.UserID)
	if err != nil {
		return nil, err
	}
	b := o.receipts()
	if err := b.load(g); err != nil {
		return nil, err
	}
	top := o.chatLog().lastSeq()
	if v.maxSeq > 0 && v.maxSeq < top {
		top = v.maxSeq
	}
	res := &messages.ConversationMessageReceiptReadSentResult{ConversationID: o.convFor(c.UserID), ConversationType: b.ctype}
	old := b.position(c.UserID)
	if top <= old.Seq {
		return res, nil
	}
	p := &messages.ReceiptPosition{Seq: top, Time: g.rt.now().UnixMilli()}
	if b.batch {
		// A busy group gets many reads at once: they queue for one write (flushReads).
		b.pending = append(b.pending, pendingRead{call: c, caller: g.Caller(), pos: p})
		if !b.flushing {
			b.flushing = true
			g.SendSelf(receiptFlush)
		}
		return nil, errLater
	}
	if err := b.writeReads(g, o, []pendingRead{{call: c, pos: p}}); err != nil {
		return nil, err
	}
	conversationRead(g, o, c, p)
	return res, nil
}

// writeReads stores the positions of reads in one write and applies them.
func (b *receiptBook) writeReads(g *grain, o receiptOwner, reads []pendingRead) error {
	batch := &persistence.Batch{}
	var done func(*grain)
	for _, r := range reads {
		raw, err := proto.Marshal(r.pos)
		if err != nil {
			return err
		}
		batch.Put(keyReceiptPos(b.ctype, b.conv, r.call.UserID), raw)
		if d := peerHeadDone(o, batch, r.call.UserID, func(seq int64) bool { return seq <= r.pos.Seq }); d != nil {
			done = d
		}
	}
	ctx, cancel := g.CallCtx()
	err := g.rt.Store().Write(ctx, batch)
	cancel()
	if err != nil {
		return err
	}
	if done != nil {
		done(g)
	}
	for _, r := range reads {
		if old := b.pos[r.call.UserID]; old == nil || old.Seq < r.pos.Seq {
			b.pos[r.call.UserID] = r.pos
		}
	}
	b.version++
	return nil
}

// flushReads stores the queued conversation reads with one write and answers them.
func (b *receiptBook) flushReads(g *grain, o receiptOwner) {
	reads := b.pending
	b.pending, b.flushing = nil, false
	if len(reads) == 0 {
		return
	}
	err := b.writeReads(g, o, reads)
	for _, r := range reads {
		if err != nil {
			g.Answer(r.caller, nil, err)
			continue
		}
		conversationRead(g, o, r.call, r.pos)
		g.Answer(r.caller, &messages.ConversationMessageReceiptReadSentResult{ConversationID: o.convFor(r.call.UserID), ConversationType: b.ctype}, nil)
	}
}

// conversationRead pushes conversationMessageReceiptChanged for a stored read.
func conversationRead(g *grain, o receiptOwner, c *messages.Call, p *messages.ReceiptPosition) {
	b := o.receipts()
	info := &messages.MessageReceiptInfo{Status: ReceiptDone, ConversationType: b.ctype, ReadTime: p.Time}
	if other := peerOther(o, c.UserID); other != "" {
		// The other user: its messages up to here are read.
		theirs := proto.Clone(info).(*messages.MessageReceiptInfo)
		theirs.ConversationID = o.convFor(other)
		theirs.ReadMemberCount = 1
		g.rt.pushToUser(other, nil, messages.EventConversationMessageReceiptChanged.With(&messages.MessageReceiptChangedEvent{Infos: []*messages.MessageReceiptInfo{theirs}}))
	}
	info.ConversationID, info.IsSelfOperated = o.convFor(c.UserID), true
	g.rt.pushToUser(c.UserID, c.Conn, messages.EventConversationMessageReceiptChanged.With(&messages.MessageReceiptChangedEvent{Infos: []*messages.MessageReceiptInfo{info}}))
}

func queryReceipts(g *grain, o receiptOwner, c *messages.Call, p *messages.MessageReceiptsParams) (*messages.MessageReceiptsInfoQueriedResult, error) {
	if len(p.MessageList) == 0 || len(p.MessageList) > g.rt.Limits().Rich.ReceiptQueryMax {
		return nil, ErrParamInvalid
	}
	v, err := o.readerView(g, c.UserID)
	if err != nil {
		return nil, err
	}
	if err := o.receipts().load(g); err != nil {
		return nil, err
	}
	res := &messages.MessageReceiptsInfoQueriedResult{}
	for _, ref := range p.MessageList {
		m, err := receiptTarget(g, o, v, ref)
		if err == ErrMessageNotExist || (err == nil && m.ReceiptStatus == ReceiptNone) {
			res.ErrorMessageIDs = append(res.ErrorMessageIDs, ref.GetMessageID())
			continue
		}
		if err != nil {
			return nil, err
		}
		info, err := receiptInfo(g, o, m, c.UserID)
		if err != nil {
			return nil, err
		}
		res.Infos = append(res.Infos, info)
	}
	return res, nil
}

// decorateReceipts sets the receipt status of each message of a history page as
// reader sees it (list holds reader's views; a view shared with the log is copied).
func decorateReceipts(g *grain, o receiptOwner, reader string, list []*messages.Message) error {
	for i, m := range list {
		if m.ReceiptStatus == ReceiptNone {
			continue
		}
		info, err := receiptInfo(g, o, m, reader)
		if err != nil {
			return err
		}
		if info.Status != m.ReceiptStatus {
			v := copyMessage(m)
			v.ReceiptStatus = info.Status
			list[i] = v
		}
	}
	return nil
}

// ---- group counts ----

// readCounter counts, for any seq, the members with since <= seq <= position: the
// members' [since, position] intervals (non-empty ones) sorted by start and by end.
type readCounter struct {
	version int64
	members int // roster size it was built for
	starts  []int64
	ends    []int64
	// sinces of all members, sorted: how many receivers a seq has
	sinces []int64
}

func (rc *readCounter) build(members []*messages.GroupMemberRecord, b *receiptBook) {
	rc.starts, rc.ends, rc.sinces = rc.starts[:0], rc.ends[:0], rc.sinces[:0]
	for _, m := range members {
		since := max(m.Since, 1)
		rc.sinces = append(rc.sinces, since)
		if p := b.pos[m.UserID]; p != nil && p.Seq >= since {
			rc.starts = append(rc.starts, since)
			rc.ends = append(rc.ends, p.Seq)
		}
	}
	sort.Slice(rc.starts, func(i, j int) bool { return rc.starts[i] < rc.starts[j] })
	sort.Slice(rc.ends, func(i, j int) bool { return rc.ends[i] < rc.ends[j] })
	sort.Slice(rc.sinces, func(i, j int) bool { return rc.sinces[i] < rc.sinces[j] })
	rc.version, rc.members = b.version, len(members)
}

// upTo is how many of sorted are <= v.
func upTo(sorted []int64, v int64) int {
	return sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
}

// count is (members who were in at seq, of them those whose position covers seq).
func (rc *readCounter) count(seq int64) (receivers, read int64) {
	receivers = int64(upTo(rc.sinces, seq))
	read = int64(upTo(rc.starts, seq) - upTo(rc.ends, seq-1))
	return receivers, read
}

// richDecorator completes history views with receipt status (r, nil: none) and
// reactions.
func richDecorator(g *grain, r receiptOwner, o reactionOwner) func(string, []*messages.Message) error {
	return func(user string, list []*messages.Message) error {
		if r != nil {
			if err := decorateReceipts(g, r, user, list); err != nil {
				return err
			}
		}
		return decorateReactions(g, o, user, list)
	}
}
