package actors

import (
	"errors"
	"slices"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Reactions (ZIM's message reactions) in peer, group and channel conversations; rooms
// do not take them (ZIM). A message's reactions are a small summary record (key rs:
// per type the user count, the sum of counts and the first few users, bounded by
// Limits.Rich.ReactionTypesPerMessage) plus one record per user and type (key ry),
// so a reaction reads and writes two small records whatever the number of users. The
// summary is also folded into the log head when the message is the conversation's last
// one, so the conversation list shows it (online members' user actors are touched).
// History pages read the summaries of the page with one range scan.

type reactionBook struct {
	cache map[int64]*messages.StoredReactions // seq → summary (a bounded cache)
}

const reactionCache = 1024

// reactionOwner is what a conversation owner gives the shared reaction code.
type reactionOwner interface {
	reactionBook() *reactionBook
	chatLog() *msgLog
	readerView(g *grain, user string) (*readerView, error)
	convFor(user string) string
	// pushReactions sends messageReactionsChanged to the conversation's online readers
	// but the calling connection.
	pushReactions(g *grain, c *messages.Call, m *messages.Message, ev func(reader string) *messages.MessageReactionsChangedEvent)
	// lastChanged tells the online readers' user actors the conversation's last
	// message changed (its reactions).
	lastChanged(g *grain, m *messages.Message)
}

func (b *reactionBook) summary(g *grain, l *msgLog, seq int64) (*messages.StoredReactions, error) {
	if s, ok := b.cache[seq]; ok {
		return s, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	s, _, err := getRecord[messages.StoredReactions](ctx, g.rt.Store(), keyReactions(l.ctype, l.conv, seq))
	if err != nil {
		return nil, err
	}
	b.remember(seq, s)
	return s, nil
}

func (b *reactionBook) remember(seq int64, s *messages.StoredReactions) {
	if b.cache == nil || len(b.cache) >= reactionCache {
		b.cache = map[int64]*messages.StoredReactions{}
	}
	b.cache[seq] = s
}

func findReaction(s *messages.StoredReactions, typ string) *messages.StoredReaction {
	for _, r := range s.Types {
		if r.ReactionType == typ {
			return r
		}
	}
	return nil
}

// reactionViews are a message's reactions as reader sees them ("" : nobody's own).
func reactionViews(g *grain, l *msgLog, s *messages.StoredReactions, m *messages.Message, convID, reader string) ([]*messages.MessageReaction, error) {
	out := make([]*messages.MessageReaction, 0, len(s.Types))
	for _, r := range s.Types {
		v := &messages.MessageReaction{
			ReactionType: r.ReactionType, ConversationID: convID, ConversationType: l.ctype, MessageID: m.MessageID,
			TotalCount: r.TotalCount, SumCount: r.SumCount,
		}
		for _, u := range r.FirstUsers {
			v.UserList = append(v.UserList, &messages.MessageReactionUserInfo{UserID: u})
			v.IsSelfIncluded = v.IsSelfIncluded || u == reader
		}
		if reader != "" && !v.IsSelfIncluded && r.TotalCount > int64(len(r.FirstUsers)) {
			ctx, cancel := g.CallCtx()
			_, found, err := getRecord[messages.ReactionUserRecord](ctx, g.rt.Store(), keyReactionUser(l.ctype, l.conv, m.MessageSeq, r.ReactionType, reader))
			cancel()
			if err != nil {
				return nil, err
			}
			v.IsSelfIncluded = found
		}
		out = append(out, v)
	}
	return out, nil
}

func validReactionType(g *grain, typ string) bool {
	return typ != "" && len(typ) <= g.rt.Limits().Rich.ReactionTypeBytes && utf8.ValidString(typ)
}

// reactionChange is one user's change of one message's reactions.
type reactionChange struct {
	m       *messages.Message
	sum     *messages.StoredReactions
	changes []*messages.MessageReactionUserChangeInfo
}

func reactionMethods[A reactionOwner](t methods[A]) {
	on(t, messages.MethodAddMessageReaction, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionAddParams) (*messages.MessageReactionAddedResult, error) {
		r, err := addReaction(g, a, c, p)
		if err != nil {
			return nil, err
		}
		return &messages.MessageReactionAddedResult{Reaction: r}, nil
	})
	on(t, messages.MethodDeleteMessageReaction, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionDeleteParams) (*messages.MessageReactionDeletedResult, error) {
		if !validReactionType(g, p.ReactionType) {
			return nil, ErrParamInvalid
		}
		r, err := deleteReactions(g, a, c, p.Message, p.ReactionType)
		if err != nil {
			return nil, err
		}
		return &messages.MessageReactionDeletedResult{Reaction: r}, nil
	})
	on(t, messages.MethodDeleteMessageAllReactions, func(a A, g *grain, c *messages.Call, p *messages.MessageAllReactionsDeleteParams) (*messages.Empty, error) {
		if _, err := deleteReactions(g, a, c, p.Message, ""); err != nil {
			return nil, err
		}
		return &messages.Empty{}, nil
	})
	on(t, messages.MethodQueryMessageReactionUserList, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionUserListQueryParams) (*messages.MessageReactionUserListQueriedResult, error) {
		return reactionUsers(g, a, c, p)
	})
}

// reactionTarget is the message the call names, as the caller may see it.
func reactionTarget(g *grain, o reactionOwner, c *messages.Call, ref *messages.Message) (*messages.Message, error) {
	v, err := o.readerView(g, c.UserID)
	if err != nil {
		return nil, err
	}
	if ref == nil || ref.MessageSeq <= 0 || !v.visible(ref.MessageSeq) {
		return nil, ErrMessageNotExist
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	m, err := o.chatLog().get(ctx, ref.MessageSeq)
	if err != nil {
		return nil, err
	}
	if m == nil || (ref.MessageID != "" && ref.MessageID != m.MessageID) {
		return nil, ErrMessageNotExist
	}
	return m, nil
}

func addReaction(g *grain, o reactionOwner, c *messages.Call, p *messages.MessageReactionAddParams) (*messages.MessageReaction, error) {
	lim := g.rt.Limits().Rich
	inc := int64(p.Config.GetIncreaseCount())
	if !validReactionType(g, p.ReactionType) || inc < 0 || inc > int64(lim.ReactionIncreaseMax) {
		return nil, ErrParamInvalid
	}
	m, err := reactionTarget(g, o, c, p.Message)
	if err != nil {
		return nil, err
	}
	l, book := o.chatLog(), o.reactionBook()
	old, err := book.summary(g, l, m.MessageSeq)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	rec, found, err := getRecord[messages.ReactionUserRecord](ctx, g.rt.Store(), keyReactionUser(l.ctype, l.conv, m.MessageSeq, p.ReactionType, c.UserID))
	cancel()
	if err != nil {
		return nil, err
	}
	if found && inc == 0 {
		return nil, ErrReactionExists
	}
	sum := proto.Clone(old).(*messages.StoredReactions)
	r := findReaction(sum, p.ReactionType)
	if r == nil {
		if len(sum.Types) >= lim.ReactionTypesPerMessage {
			return nil, ErrReactionTypes
		}
		r = &messages.StoredReaction{ReactionType: p.ReactionType}
		sum.Types = append(sum.Types, r)
	}
	add := max(inc, 1)
	if !found {
		r.TotalCount++
		if len(r.FirstUsers) < lim.ReactionUsersInView {
			r.FirstUsers = append(r.FirstUsers, c.UserID)
		}
	}
	r.SumCount += add
	rec.Count += add
	b := &persistence.Batch{}
	raw, err := proto.Marshal(rec)
	if err != nil {
		return nil, err
	}
	b.Put(keyReactionUser(l.ctype, l.conv, m.MessageSeq, p.ReactionType, c.UserID), raw)
	ch := &reactionChange{m: m, sum: sum, changes: []*messages.MessageReactionUserChangeInfo{{
		UserID: c.UserID, ReactionType: p.ReactionType, Action: 0, SumCount: r.SumCount,
	}}}
	if err := commitReactions(g, o, b, ch); err != nil {
		return nil, err
	}
	views, err := reactionViews(g, l, sum, m, o.convFor(c.UserID), c.UserID)
	if err != nil {
		return nil, err
	}
	reactionsChanged(g, o, c, ch)
	for _, v := range views {
		if v.ReactionType == p.ReactionType {
			v.IsSelfIncluded = true
			return v, nil
		}
	}
	return nil, ErrInternal
}

// deleteReactions removes the caller's reaction of type typ ("" : all of them).
func deleteReactions(g *grain, o reactionOwner, c *messages.Call, ref *messages.Message, typ string) (*messages.MessageReaction, error) {
	m, err := reactionTarget(g, o, c, ref)
	if err != nil {
		return nil, err
	}
	l, book := o.chatLog(), o.reactionBook()
	old, err := book.summary(g, l, m.MessageSeq)
	if err != nil {
		return nil, err
	}
	sum := proto.Clone(old).(*messages.StoredReactions)
	b := &persistence.Batch{}
	ch := &reactionChange{m: m, sum: sum}
	var deleted *messages.MessageReaction
	for _, r := range slices.Clone(sum.Types) {
		if typ != "" && r.ReactionType != typ {
			continue
		}
		key := keyReactionUser(l.ctype, l.conv, m.MessageSeq, r.ReactionType, c.UserID)
		ctx, cancel := g.CallCtx()
		rec, found, err := getRecord[messages.ReactionUserRecord](ctx, g.rt.Store(), key)
		cancel()
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		b.Delete(key)
		r.TotalCount--
		r.SumCount = max(0, r.SumCount-rec.Count)
		r.FirstUsers = slices.DeleteFunc(r.FirstUsers, func(u string) bool { return u == c.UserID })
		if r.TotalCount <= 0 {
			sum.Types = slices.DeleteFunc(sum.Types, func(x *messages.StoredReaction) bool { return x == r })
		} else if int64(len(r.FirstUsers)) < r.TotalCount && len(r.FirstUsers) < g.rt.Limits().Rich.ReactionUsersInView {
			if err := refillFirstUsers(g, l, m.MessageSeq, r, c.UserID); err != nil {
				return nil, err
			}
		}
		ch.changes = append(ch.changes, &messages.MessageReactionUserChangeInfo{UserID: c.UserID, ReactionType: r.ReactionType, Action: 1, SumCount: r.SumCount})
		deleted = &messages.MessageReaction{
			ReactionType: r.ReactionType, ConversationID: o.convFor(c.UserID), ConversationType: l.ctype, MessageID: m.MessageID,
			TotalCount: max(0, r.TotalCount), SumCount: r.SumCount,
		}
		for _, u := range r.FirstUsers {
			deleted.UserList = append(deleted.UserList, &messages.MessageReactionUserInfo{UserID: u})
		}
	}
	if len(ch.changes) == 0 {
		if typ != "" {
			return nil, ErrReactionNotMine
		}
		return nil, nil // deleteMessageAllReactions with none: nothing to do
	}
	if err := commitReactions(g, o, b, ch); err != nil {
		return nil, err
	}
	reactionsChanged(g, o, c, ch)
	return deleted, nil
}

// refillFirstUsers adds to r's first users one who still reacts (after one left).
func refillFirstUsers(g *grain, l *msgLog, seq int64, r *messages.StoredReaction, leaving string) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	prefix := keyReactionUserPrefix(l.ctype, l.conv, seq, r.ReactionType)
	return g.rt.Store().Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		parts, ok := keyStrs(prefix, k)
		if !ok || len(parts) != 1 || parts[0] == leaving || slices.Contains(r.FirstUsers, parts[0]) {
			return true
		}
		r.FirstUsers = append(r.FirstUsers, parts[0])
		return false
	})
}

// commitReactions writes the summary (with b's user records), folding it into the log
// head when the message is the last one.
func commitReactions(g *grain, o reactionOwner, b *persistence.Batch, ch *reactionChange) error {
	l := o.chatLog()
	sk := keyReactions(l.ctype, l.conv, ch.m.MessageSeq)
	if len(ch.sum.Types) == 0 {
		b.Delete(sk)
	} else {
		raw, err := proto.Marshal(ch.sum)
		if err != nil {
			return err
		}
		b.Put(sk, raw)
	}
	var head *messages.LogHead
	var headRaw []byte
	if ch.m.MessageSeq == l.lastSeq() && l.head.LastMessage != nil {
		last := copyMessage(l.head.LastMessage)
		views, err := reactionViews(g, l, ch.sum, last, last.ConversationID, "")
		if err != nil {
			return err
		}
		last.Reactions = views
		if len(views) == 0 {
			last.Reactions = nil
		}
		head = &messages.LogHead{LastSeq: l.lastSeq(), LastMessage: last}
		if headRaw, err = proto.Marshal(head); err != nil {
			return err
		}
		hk := keyHead(l.ctype, l.conv)
		b.ExpectValue(hk, l.headRaw)
		b.Put(hk, headRaw)
	}
	ctx, cancel := g.CallCtx()
	err := g.rt.Store().Write(ctx, b)
	cancel()
	if errors.Is(err, persistence.ErrConflict) {
		// Another activation appended: reload the head; the client may retry.
		ctx, cancel := g.CallCtx()
		_ = l.reload(ctx)
		cancel()
		return ErrMessageCommon
	}
	if err != nil {
		return err
	}
	o.reactionBook().remember(ch.m.MessageSeq, ch.sum)
	if head != nil {
		l.head, l.headRaw = head, headRaw
		o.lastChanged(g, head.LastMessage)
	}
	return nil
}

// reactionsChanged pushes messageReactionsChanged: the message's reactions and the
// change, each reader's own view for peers, one encoding for groups and channels
// (there isSelfIncluded is false: the push is the same for every reader).
func reactionsChanged(g *grain, o reactionOwner, c *messages.Call, ch *reactionChange) {
	l := o.chatLog()
	o.pushReactions(g, c, ch.m, func(reader string) *messages.MessageReactionsChangedEvent {
		conv := o.convFor(reader)
		views, err := reactionViews(g, l, ch.sum, ch.m, conv, reader)
		if err != nil {
			g.Log().Error("reaction views", "err", err)
			return nil
		}
		mv := copyMessage(ch.m)
		if l.ctype == ConvPeer && reader != "" {
			mv = peerView(ch.m, reader)
			mv = copyMessage(mv)
		}
		mv.Reactions = views
		return &messages.MessageReactionsChangedEvent{
			Reactions:      views,
			ChangeInfoList: []*messages.MessageReactionChangeInfo{{Message: mv, UserChangeInfoList: ch.changes}},
		}
	})
}

func reactionUsers(g *grain, o reactionOwner, c *messages.Call, p *messages.MessageReactionUserListQueryParams) (*messages.MessageReactionUserListQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || !validReactionType(g, cfg.ReactionType) || cfg.Count < 0 || int(cfg.Count) > g.rt.Limits().PageMax || cfg.NextFlag < 0 {
		return nil, ErrParamInvalid
	}
	count := int(cfg.Count)
	if count == 0 {
		count = g.rt.Limits().PageMax
	}
	m, err := reactionTarget(g, o, c, p.Message)
	if err != nil {
		return nil, err
	}
	l := o.chatLog()
	sum, err := o.reactionBook().summary(g, l, m.MessageSeq)
	if err != nil {
		return nil, err
	}
	res := &messages.MessageReactionUserListQueriedResult{ReactionType: cfg.ReactionType}
	mv := copyMessage(m)
	if l.ctype == ConvPeer {
		mv = copyMessage(peerView(m, c.UserID))
	} else if m.SenderUserID != c.UserID {
		mv.Direction = 1
	}
	if mv.Reactions, err = reactionViews(g, l, sum, m, o.convFor(c.UserID), c.UserID); err != nil {
		return nil, err
	}
	res.Message = mv
	r := findReaction(sum, cfg.ReactionType)
	if r == nil {
		return res, nil
	}
	res.TotalCount = r.TotalCount
	ctx, cancel := g.CallCtx()
	defer cancel()
	prefix := keyReactionUserPrefix(l.ctype, l.conv, m.MessageSeq, cfg.ReactionType)
	skip := cfg.NextFlag
	more := false
	var derr error
	err = g.rt.Store().Scan(ctx, persistence.PrefixRange(prefix), func(k, v []byte) bool {
		if skip > 0 {
			skip--
			return true
		}
		if len(res.UserInfoList) == count {
			more = true
			return false
		}
		parts, ok := keyStrs(prefix, k)
		if !ok || len(parts) != 1 {
			return true
		}
		rec := &messages.ReactionUserRecord{}
		if derr = proto.Unmarshal(v, rec); derr != nil {
			return false
		}
		res.UserInfoList = append(res.UserInfoList, &messages.MessageReactionUserFullInfo{
			UserID: parts[0], Reactions: []*messages.MessageReactionSimpleInfo{{ReactionType: cfg.ReactionType, SumCount: rec.Count}},
		})
		res.UserList = append(res.UserList, &messages.MessageReactionUserInfo{UserID: parts[0]})
		return true
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	if more {
		res.NextFlag = cfg.NextFlag + int64(count)
	}
	return res, nil
}

// decorateReactions sets the reactions of a history page's messages as reader sees
// them (one range scan of the page's summaries).
func decorateReactions(g *grain, o reactionOwner, reader string, list []*messages.Message) error {
	if len(list) == 0 {
		return nil
	}
	l := o.chatLog()
	lo, hi := list[0].MessageSeq, list[0].MessageSeq
	for _, m := range list {
		lo, hi = min(lo, m.MessageSeq), max(hi, m.MessageSeq)
	}
	found := map[int64]*messages.StoredReactions{}
	ctx, cancel := g.CallCtx()
	var derr error
	err := g.rt.Store().Scan(ctx, persistence.Range{Start: keyReactions(l.ctype, l.conv, lo), End: keyReactions(l.ctype, l.conv, hi+1)}, func(k, v []byte) bool {
		s := &messages.StoredReactions{}
		if derr = proto.Unmarshal(v, s); derr != nil {
			return false
		}
		found[int64(persistence.SeqFromKey(k))] = s
		return true
	})
	cancel()
	if err == nil {
		err = derr
	}
	if err != nil {
		return err
	}
	for i, m := range list {
		s := found[m.MessageSeq]
		if s == nil {
			if len(m.Reactions) > 0 { // a head copy with reactions since deleted
				v := copyMessage(m)
				v.Reactions = nil
				list[i] = v
			}
			continue
		}
		views, err := reactionViews(g, l, s, m, m.ConversationID, reader)
		if err != nil {
			return err
		}
		v := copyMessage(m)
		v.Reactions = views
		list[i] = v
	}
	return nil
}

// ---- owners ----

func (p *peerActor) reactionBook() *reactionBook { return &p.reacts }

func (p *peerActor) pushReactions(g *grain, c *messages.Call, _ *messages.Message, ev func(string) *messages.MessageReactionsChangedEvent) {
	for _, u := range []string{p.a, p.b} {
		var except *messages.ConnRef
		if u == c.UserID {
			except = c.Conn
		}
		if e := ev(u); e != nil {
			g.rt.pushToUser(u, except, messages.EventMessageReactionsChanged.With(e))
		}
	}
}

func (p *peerActor) lastChanged(g *grain, m *messages.Message) {
	p.touch(g, p.a, p.b, m, m.MessageSeq, nil, false)
	p.touch(g, p.b, p.a, m, m.MessageSeq, nil, false)
}

// storedChat owners (group, channel) share the push and the conversation update.
func (s *storedChat) reactionBook() *reactionBook { return &s.reacts }

func (s *storedChat) pushReactions(g *grain, c *messages.Call, _ *messages.Message, ev func(string) *messages.MessageReactionsChangedEvent) {
	if s.online.len() == 0 {
		return
	}
	e := ev("")
	if e == nil {
		return
	}
	p, err := NewPush(messages.EventMessageReactionsChanged.With(e))
	if err != nil {
		g.Log().Error("encode reactions push", "err", err)
		return
	}
	s.online.push(g.rt, p, c.UserID)
	if s.online.has(c.UserID) {
		s.online.pushUser(g.rt, c.UserID, p, exceptConn(c))
	}
}

func (s *storedChat) lastChanged(g *grain, m *messages.Message) {
	for _, u := range s.online.users() {
		s.touch(g, u, m)
	}
}

func (s *storedChat) convFor(string) string { return s.conv }

func groupReactionMethods(t methods[*groupActor]) { reactionMethods(t) }

func (a *channelActor) readerView(g *grain, user string) (*readerView, error) {
	return a.reader(g).view(user)
}
