package actors

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The receipt owners: peer and group conversations here, community channels in
// channel_receipts.go.

// ---- peer ----

func (p *peerActor) receipts() *receiptBook {
	if p.rcpt.conv == "" {
		p.rcpt.init(ConvPeer, p.log.conv)
	}
	return &p.rcpt
}

func (p *peerActor) readerView(g *grain, user string) (*readerView, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	return p.log.view(ctx, user, 1, 0)
}

func (p *peerActor) convFor(user string) string { return p.other(user) }

func (p *peerActor) receiptCounts(g *grain, m *messages.Message) (int64, int64, error) {
	read, _, err := p.receipts().readAt(g, p.other(m.SenderUserID), m.MessageSeq)
	if err != nil || !read {
		return 0, 1, err
	}
	return 1, 0, nil
}

// ---- group ----

// groupRich is the group's receipt state (and reaction cache).
type groupRich struct {
	book    receiptBook
	counter readCounter
	sig     int64 // memberSet.changes counter was built for
}

func (a *groupActor) receipts() *receiptBook {
	if a.rich.book.conv == "" {
		a.rich.book.init(ConvGroup, a.id)
		a.rich.book.batch = true
	}
	return &a.rich.book
}

func (a *groupActor) readerView(g *grain, user string) (*readerView, error) { return a.view(g, user) }

func (a *groupActor) convFor(string) string { return a.id }

// counter returns the read counter of the current members and positions.
func (a *groupActor) counter() *readCounter {
	rc := &a.rich.counter
	if rc.version != a.rich.book.version || a.rich.sig != a.members.changes || rc.sinces == nil {
		rc.build(a.members.order, &a.rich.book)
		a.rich.sig = a.members.changes
	}
	return rc
}

func (a *groupActor) receiptCounts(g *grain, m *messages.Message) (int64, int64, error) {
	b := a.receipts()
	receivers, read := a.counter().count(m.MessageSeq)
	// the sender is no receiver of its own message
	if s := a.members.get(m.SenderUserID); s != nil && max(s.Since, 1) <= m.MessageSeq {
		receivers--
		if p := b.pos[s.UserID]; p != nil && p.Seq >= m.MessageSeq {
			read--
		}
	}
	marks, err := b.marksOf(g, m.MessageSeq)
	if err != nil {
		return 0, 0, err
	}
	for user := range marks {
		mem := a.members.get(user)
		if mem == nil || user == m.SenderUserID || max(mem.Since, 1) > m.MessageSeq {
			continue
		}
		if p := b.pos[user]; p == nil || p.Seq < m.MessageSeq {
			read++
		}
	}
	return read, max(0, receivers-read), nil
}

// receiptMembers answers queryGroupMessageReceiptRead/UnreadMemberList: the sender
// pages through the receivers of its message that read it (wantRead) or did not.
func (a *groupActor) receiptMembers(g *grain, c *messages.Call, p *messages.GroupMessageReceiptMemberListQueryParams, wantRead bool) (*messages.GroupMessageReceiptMemberListQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || cfg.Count <= 0 || cfg.NextFlag < 0 {
		return nil, ErrParamInvalid
	}
	count := min(int(cfg.Count), g.rt.Limits().PageMax)
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	v, err := a.view(g, c.UserID)
	if err != nil {
		return nil, err
	}
	m, err := receiptTarget(g, a, v, p.Message)
	if err != nil {
		return nil, err
	}
	if m.ReceiptStatus == ReceiptNone || m.SenderUserID != c.UserID {
		return nil, ErrReceiptNone
	}
	b := a.receipts()
	if err := b.load(g); err != nil {
		return nil, err
	}
	marks, err := b.marksOf(g, m.MessageSeq)
	if err != nil {
		return nil, err
	}
	keep := func(mem *messages.GroupMemberRecord) bool {
		if mem.UserID == m.SenderUserID || max(mem.Since, 1) > m.MessageSeq {
			return false
		}
		_, marked := marks[mem.UserID]
		read := marked || b.position(mem.UserID).Seq >= m.MessageSeq
		return read == wantRead
	}
	list, next := a.members.page(cfg.NextFlag, count, keep)
	ctx, cancel := g.CallCtx()
	defer cancel()
	return &messages.GroupMessageReceiptMemberListQueriedResult{
		GroupID: a.id, UserList: a.memberInfos(newProfiles(ctx, g), list, g.rt.now()), NextFlag: next,
	}, nil
}

func groupReceiptMethods(t methods[*groupActor]) {
	receiptMethods(t)
	on(t, messages.MethodQueryGroupMessageReceiptReadMemberList, func(a *groupActor, g *grain, c *messages.Call, p *messages.GroupMessageReceiptMemberListQueryParams) (*messages.GroupMessageReceiptMemberListQueriedResult, error) {
		return a.receiptMembers(g, c, p, true)
	})
	on(t, messages.MethodQueryGroupMessageReceiptUnreadMemberList, func(a *groupActor, g *grain, c *messages.Call, p *messages.GroupMessageReceiptMemberListQueryParams) (*messages.GroupMessageReceiptMemberListQueriedResult, error) {
		return a.receiptMembers(g, c, p, false)
	})
}

// mayReact: only current members react (former members still read their window).
func (a *groupActor) mayReact(user string) error {
	_, err := a.member(user)
	return err
}

// peerHeadDone keeps a peer conversation's last message current: when reader's read
// covers the last message and that one's receipt was still processing, the log head's
// copy becomes done in the same write (conditional on the head), and the returned
// function, run after the write, applies it and tells both users' actors
// (conversationChanged). Groups: the sender's view needs every member, so their head
// keeps the status it was sent with.
func peerHeadDone(o receiptOwner, batch *persistence.Batch, reader string, covers func(int64) bool) func(*grain) {
	p, ok := o.(*peerActor)
	if !ok {
		return nil
	}
	l := p.log
	last := l.head.LastMessage
	if last == nil || l.headRaw == nil || last.ReceiptStatus != ReceiptProcessing || last.SenderUserID == reader || !covers(last.MessageSeq) {
		return nil
	}
	nm := copyMessage(last)
	nm.ReceiptStatus = ReceiptDone
	head := &messages.LogHead{LastSeq: l.lastSeq(), LastMessage: nm}
	raw, err := proto.Marshal(head)
	if err != nil {
		return nil
	}
	hk := keyHead(l.ctype, l.conv)
	batch.ExpectValue(hk, l.headRaw)
	batch.Put(hk, raw)
	return func(g *grain) {
		l.head, l.headRaw = head, raw
		p.lastChanged(g, nm)
	}
}
