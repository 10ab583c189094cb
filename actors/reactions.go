package actors

import (
	"errors"
	"slices"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
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
	// batch: calls queue for one write per ReactionFlush (groups, channels)
	batch    bool
	pending  []reactionOp
	flushing bool
	// who reacted with what, for isSelfIncluded in shared pushes (reactions_self.go)
	who reactorCache
}

const reactionCache = 1024

// reactionOwner is what a conversation owner gives the shared reaction code.
type reactionOwner interface {
	reactionBook() *reactionBook
	chatLog() *msgLog
	readerView(g *grain, user string) (*readerView, error)
	convFor(user string) string
	// pushReactions sends messageReactionsChanged to the conversation's online readers
	// (but the calling connection when c is set: a write of one call).
	pushReactions(g *grain, c *messages.Call, ev func(reader string) *messages.MessageReactionsChangedEvent)
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

// reactionOp is one addMessageReaction / deleteMessageReaction /
// deleteMessageAllReactions call, checked, waiting for its write.
type reactionOp struct {
	call   *messages.Call
	caller runtime.Caller
	method string
	typ    string // "" with deleteMessageAllReactions
	inc    int64
	ref    *messages.Message
}

var reactionFlush = &messages.ReactionFlush{}

func reactionMethods[A reactionOwner](t methods[A]) {
	on(t, messages.MethodAddMessageReaction, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionAddParams) (*messages.MessageReactionAddedResult, error) {
		inc := int64(p.Config.GetIncreaseCount())
		if !validReactionType(g, p.ReactionType) || inc < 0 || inc > int64(g.rt.Limits().Rich.ReactionIncreaseMax) {
			return nil, ErrParamInvalid
		}
		res, err := reactionCall(g, a, reactionOp{call: c, method: c.Method, typ: p.ReactionType, inc: inc, ref: p.Message})
		if err != nil {
			return nil, err
		}
		return res.(*messages.MessageReactionAddedResult), nil
	})
	on(t, messages.MethodDeleteMessageReaction, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionDeleteParams) (*messages.MessageReactionDeletedResult, error) {
		if !validReactionType(g, p.ReactionType) {
			return nil, ErrParamInvalid
		}
		res, err := reactionCall(g, a, reactionOp{call: c, method: c.Method, typ: p.ReactionType, ref: p.Message})
		if err != nil {
			return nil, err
		}
		return res.(*messages.MessageReactionDeletedResult), nil
	})
	on(t, messages.MethodDeleteMessageAllReactions, func(a A, g *grain, c *messages.Call, p *messages.MessageAllReactionsDeleteParams) (*messages.Empty, error) {
		res, err := reactionCall(g, a, reactionOp{call: c, method: c.Method, ref: p.Message})
		if err != nil {
			return nil, err
		}
		return res.(*messages.Empty), nil
	})
	on(t, messages.MethodQueryMessageReactionUserList, func(a A, g *grain, c *messages.Call, p *messages.MessageReactionUserListQueryParams) (*messages.MessageReactionUserListQueriedResult, error) {
		return reactionUsers(g, a, c, p)
	})
}

// reactionCall runs op at once (peers), or queues it for the owner's next
// ReactionFlush (groups, channels: a busy message's reactions are stored with one write
// and pushed with one event per flush).
func reactionCall(g *grain, o reactionOwner, op reactionOp) (proto.Message, error) {
	b := o.reactionBook()
	if !b.batch {
		results, errs := runReactions(g, o, []reactionOp{op})
		return results[0], errs[0]
	}
	op.caller = g.Caller()
	b.pending = append(b.pending, op)
	if !b.flushing {
		b.flushing = true
		g.SendSelf(reactionFlush)
	}
	return nil, errLater
}

// flushReactions runs the queued reactions and answers their callers.
func (b *reactionBook) flushReactions(g *grain, o reactionOwner) {
	ops := b.pending
	b.pending, b.flushing = nil, false
	if len(ops) == 0 {
		return
	}
	results, errs := runReactions(g, o, ops)
	for i, op := range ops {
		g.Answer(op.caller, results[i], errs[i])
	}
}

// reactionTxn applies reaction calls to working copies of the summaries and user
// records; commit stores them all with one write.
type reactionTxn struct {
	g       *grain
	o       reactionOwner
	l       *msgLog
	b       *persistence.Batch
	sums    map[int64]*messages.StoredReactions
	msgs    map[int64]*messages.Message
	users   map[string]*messages.ReactionUserRecord // ry key → record (nil: none)
	changes map[int64][]*messages.MessageReactionUserChangeInfo
	order   []int64 // messages changed, in order
}

func (t *reactionTxn) summary(seq int64) (*messages.StoredReactions, error) {
	if s := t.sums[seq]; s != nil {
		return s, nil
	}
	old, err := t.o.reactionBook().summary(t.g, t.l, seq)
	if err != nil {
		return nil, err
	}
	s := proto.Clone(old).(*messages.StoredReactions)
	t.sums[seq] = s
	return s, nil
}

func (t *reactionTxn) user(seq int64, typ, user string) (*messages.ReactionUserRecord, error) {
	key := string(keyReactionUser(t.l.ctype, t.l.conv, seq, typ, user))
	if rec, ok := t.users[key]; ok {
		return rec, nil
	}
	ctx, cancel := t.g.CallCtx()
	rec, found, err := getRecord[messages.ReactionUserRecord](ctx, t.g.rt.Store(), []byte(key))
	cancel()
	if err != nil {
		return nil, err
	}
	if !found {
		rec = nil
	}
	t.users[key] = rec
	return rec, nil
}

func (t *reactionTxn) setUser(seq int64, typ, user string, rec *messages.ReactionUserRecord) error {
	key := keyReactionUser(t.l.ctype, t.l.conv, seq, typ, user)
	t.users[string(key)] = rec
	if rec == nil {
		t.b.Delete(key)
		return nil
	}
	raw, err := proto.Marshal(rec)
	if err != nil {
		return err
	}
	t.b.Put(key, raw)
	return nil
}

func (t *reactionTxn) changed(m *messages.Message, ch *messages.MessageReactionUserChangeInfo) {
	if _, ok := t.changes[m.MessageSeq]; !ok {
		t.order = append(t.order, m.MessageSeq)
		t.msgs[m.MessageSeq] = m
	}
	t.changes[m.MessageSeq] = append(t.changes[m.MessageSeq], ch)
}

// runReactions applies ops in order, stores what they changed with one write, pushes
// the changes and returns each op's result or refusal.
func runReactions(g *grain, o reactionOwner, ops []reactionOp) ([]proto.Message, []error) {
	t := &reactionTxn{g: g, o: o, l: o.chatLog(), b: &persistence.Batch{},
		sums: map[int64]*messages.StoredReactions{}, msgs: map[int64]*messages.Message{},
		users: map[string]*messages.ReactionUserRecord{}, changes: map[int64][]*messages.MessageReactionUserChangeInfo{}}
	results, errs := make([]proto.Message, len(ops)), make([]error, len(ops))
	for i, op := range ops {
		results[i], errs[i] = t.apply(op)
	}
	if len(t.order) == 0 {
		return results, errs
	}
	if err := t.commit(); err != nil {
		for i := range ops {
			if errs[i] == nil {
				results[i], errs[i] = nil, err
			}
		}
		return results, errs
	}
	t.push(ops)
	return results, errs
}

func (t *reactionTxn) apply(op reactionOp) (proto.Message, error) {
	g, c := t.g, op.call
	if r, ok := t.o.(interface{ mayReact(user string) error }); ok {
		if err := r.mayReact(c.UserID); err != nil {
			return nil, err
		}
	}
	m, err := reactionTarget(g, t.o, c, op.ref)
	if err != nil {
		return nil, err
	}
	sum, err := t.summary(m.MessageSeq)
	if err != nil {
		return nil, err
	}
	if op.method == messages.MethodAddMessageReaction.Name {
		return t.add(op, m, sum)
	}
	var deleted *messages.MessageReaction
	found := false
	for _, r := range slices.Clone(sum.Types) {
		if op.typ != "" && r.ReactionType != op.typ {
			continue
		}
		rec, err := t.user(m.MessageSeq, r.ReactionType, c.UserID)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			continue
		}
		found = true
		if err := t.setUser(m.MessageSeq, r.ReactionType, c.UserID, nil); err != nil {
			return nil, err
		}
		r.TotalCount--
		r.SumCount = max(0, r.SumCount-rec.Count)
		r.FirstUsers = slices.DeleteFunc(r.FirstUsers, func(u string) bool { return u == c.UserID })
		if r.TotalCount <= 0 {
			sum.Types = slices.DeleteFunc(sum.Types, func(x *messages.StoredReaction) bool { return x == r })
		} else if int64(len(r.FirstUsers)) < r.TotalCount && len(r.FirstUsers) < g.rt.Limits().Rich.ReactionUsersInView {
			if err := t.refill(m.MessageSeq, r); err != nil {
				return nil, err
			}
		}
		t.changed(m, &messages.MessageReactionUserChangeInfo{UserID: c.UserID, ReactionType: r.ReactionType, Action: 1, SumCount: r.SumCount})
		deleted = &messages.MessageReaction{
			ReactionType: r.ReactionType, ConversationID: t.o.convFor(c.UserID), ConversationType: t.l.ctype, MessageID: m.MessageID,
			TotalCount: max(0, r.TotalCount), SumCount: r.SumCount,
		}
		for _, u := range r.FirstUsers {
			deleted.UserList = append(deleted.UserList, &messages.MessageReactionUserInfo{UserID: u})
		}
	}
	if op.typ == "" {
		return &messages.Empty{}, nil // deleteMessageAllReactions (none: nothing to do)
	}
	if !found {
		return nil, ErrReactionNotMine
	}
	return &messages.MessageReactionDeletedResult{Reaction: deleted}, nil
}

func (t *reactionTxn) add(op reactionOp, m *messages.Message, sum *messages.StoredReactions) (proto.Message, error) {
	lim := t.g.rt.Limits().Rich
	user := op.call.UserID
	rec, err := t.user(m.MessageSeq, op.typ, user)
	if err != nil {
		return nil, err
	}
	if rec != nil && op.inc == 0 {
		return nil, ErrReactionExists
	}
	r := findReaction(sum, op.typ)
	if r == nil {
		if len(sum.Types) >= lim.ReactionTypesPerMessage {
			return nil, ErrReactionTypes
		}
		r = &messages.StoredReaction{ReactionType: op.typ}
		sum.Types = append(sum.Types, r)
	}
	add := max(op.inc, 1)
	if rec == nil {
		rec = &messages.ReactionUserRecord{}
		r.TotalCount++
		if len(r.FirstUsers) < lim.ReactionUsersInView {
			r.FirstUsers = append(r.FirstUsers, user)
		}
	} else {
		rec = &messages.ReactionUserRecord{Count: rec.Count}
	}
	r.SumCount += add
	rec.Count += add
	if err := t.setUser(m.MessageSeq, op.typ, user, rec); err != nil {
		return nil, err
	}
	t.changed(m, &messages.MessageReactionUserChangeInfo{UserID: user, ReactionType: op.typ, Action: 0, SumCount: r.SumCount})
	// The caller's view of the type it reacted with (it is one of the users).
	views, err := reactionViews(t.g, t.l, &messages.StoredReactions{Types: []*messages.StoredReaction{r}}, m, t.o.convFor(user), "")
	if err != nil {
		return nil, err
	}
	views[0].IsSelfIncluded = true
	return &messages.MessageReactionAddedResult{Reaction: views[0]}, nil
}

// refill adds to r's first users one who still reacts (after one left).
func (t *reactionTxn) refill(seq int64, r *messages.StoredReaction) error {
	ctx, cancel := t.g.CallCtx()
	defer cancel()
	prefix := keyReactionUserPrefix(t.l.ctype, t.l.conv, seq, r.ReactionType)
	return t.g.rt.Store().Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		parts, ok := keyStrs(prefix, k)
		if !ok || len(parts) != 1 || slices.Contains(r.FirstUsers, parts[0]) {
			return true
		}
		if rec, seen := t.users[string(k)]; seen && rec == nil {
			return true // deleted in this write
		}
		r.FirstUsers = append(r.FirstUsers, parts[0])
		return false
	})
}

// commit writes the summaries (with the user records), folding the last message's into
// the log head.
func (t *reactionTxn) commit() error {
	l := t.l
	var head *messages.LogHead
	var headRaw []byte
	for _, seq := range t.order {
		sum := t.sums[seq]
		sk := keyReactions(l.ctype, l.conv, seq)
		if len(sum.Types) == 0 {
			t.b.Delete(sk)
		} else {
			raw, err := proto.Marshal(sum)
			if err != nil {
				return err
			}
			t.b.Put(sk, raw)
		}
		if seq == l.lastSeq() && l.head.LastMessage != nil {
			last := copyMessage(l.head.LastMessage)
			views, err := reactionViews(t.g, l, sum, last, last.ConversationID, "")
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
			t.b.ExpectValue(hk, l.headRaw)
			t.b.Put(hk, headRaw)
		}
	}
	ctx, cancel := t.g.CallCtx()
	err := t.g.rt.Store().Write(ctx, t.b)
	cancel()
	if errors.Is(err, persistence.ErrConflict) {
		// Another activation appended: reload the head; the client may retry.
		ctx, cancel := t.g.CallCtx()
		_ = l.reload(ctx)
		cancel()
		return ErrMessageCommon
	}
	if err != nil {
		return err
	}
	for _, seq := range t.order {
		t.o.reactionBook().remember(seq, t.sums[seq])
	}
	if head != nil {
		l.head, l.headRaw = head, headRaw
		t.o.lastChanged(t.g, head.LastMessage)
	}
	return nil
}

// push sends messageReactionsChanged: per message the reactions and the changes of the
// write. Peers: each user its own view. Groups and channels: one encoding for the
// readers who did not react with a pushed type, their own view for those who did
// (reactions_self.go).
func (t *reactionTxn) push(ops []reactionOp) {
	l := t.l
	event := func(reader string) *messages.MessageReactionsChangedEvent {
		ev := &messages.MessageReactionsChangedEvent{}
		for _, seq := range t.order {
			m := t.msgs[seq]
			views, err := reactionViews(t.g, l, t.sums[seq], m, t.o.convFor(reader), reader)
			if err != nil {
				t.g.Log().Error("reaction views", "err", err)
				return nil
			}
			var mv *messages.Message
			if l.ctype == ConvPeer && reader != "" {
				mv = copyMessage(peerView(m, reader))
			} else {
				mv = copyMessage(m)
			}
			mv.Reactions = views
			ev.Reactions = append(ev.Reactions, views...)
			ev.ChangeInfoList = append(ev.ChangeInfoList, &messages.MessageReactionChangeInfo{Message: mv, UserChangeInfoList: t.changes[seq]})
		}
		return ev
	}
	var from *messages.Call
	if len(ops) == 1 {
		from = ops[0].call
	}
	t.o.pushReactions(t.g, from, event)
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

func (p *peerActor) pushReactions(g *grain, c *messages.Call, ev func(string) *messages.MessageReactionsChangedEvent) {
	for _, u := range []string{p.a, p.b} {
		var except *messages.ConnRef
		if c != nil && u == c.UserID {
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
func (s *storedChat) reactionBook() *reactionBook {
	s.reacts.batch = true
	return &s.reacts
}

func (s *storedChat) pushReactions(g *grain, c *messages.Call, ev func(string) *messages.MessageReactionsChangedEvent) {
	e := ev("")
	if e == nil {
		return
	}
	s.reacts.who.apply(e) // the reactor cache follows every stored change
	if s.online.len() == 0 {
		return
	}
	p, err := NewPush(messages.EventMessageReactionsChanged.With(e))
	if err != nil {
		g.Log().Error("encode reactions push", "err", err)
		return
	}
	// The readers who reacted with a pushed type get their own view (isSelfIncluded).
	mine, pairs, err := s.selfIncluded(g, e)
	if err != nil {
		g.Log().Error("reactions: own reactions", "err", err)
		mine = nil
	}
	var except *messages.ConnRef
	if c != nil { // one call: its connection has the reply (several: callers get it too)
		except = c.Conn
	}
	s.pushReactionsSelf(g, e, p, mine, pairs, except)
}

// lastChanged: the online members' conversations learn the new last message with the
// next flush (coalesced as for new messages: a busy message's reactions cost each
// online member at most one conversationChanged per flush interval).
func (s *storedChat) lastChanged(g *grain, _ *messages.Message) {
	s.headChanged = true
	s.scheduleFlush(g)
}

func (s *storedChat) convFor(string) string { return s.conv }

func groupReactionMethods(t methods[*groupActor]) { reactionMethods(t) }

func (a *channelActor) readerView(g *grain, user string) (*readerView, error) {
	return a.reader(g).view(user)
}

// reactionTarget is the message the call names, as the caller may see it.
func reactionTarget(g *grain, o reactionOwner, c *messages.Call, ref *messages.Message) (*messages.Message, error) {
	v, err := o.readerView(g, c.UserID)
	if err != nil {
		return nil, err
	}
	return messageTarget(g, o.chatLog(), v, ref)
}
