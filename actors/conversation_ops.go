package actors

import (
	"container/heap"
	"slices"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Conversation management in the user actor: pinning, marks, deleting conversations,
// clearing every unread count, deleting every message (issue 14, part B). Every change
// is one store batch of the user's conversation states ("cs" keys) written before the
// reply; nothing here touches a conversation's log but the user's own clear watermark.

// ConversationLimits are ZIM's limits on conversation management.
type ConversationLimits struct {
	PinnedMax        int   // pinned conversations per user; 100
	MarkMin, MarkMax int32 // setConversationMark markType range; [1, 20]
	MarkPerCall      int   // conversationInfos per setConversationMark; 100
}

func defaultConversationLimits() ConversationLimits {
	return ConversationLimits{PinnedMax: 100, MarkMin: 1, MarkMax: 20, MarkPerCall: 100}
}

func (l *ConversationLimits) validate() {
	d := defaultConversationLimits()
	if l.PinnedMax <= 0 {
		l.PinnedMax = d.PinnedMax
	}
	if l.MarkMin <= 0 || l.MarkMax < l.MarkMin {
		l.MarkMin, l.MarkMax = d.MarkMin, d.MarkMax
	}
	if l.MarkPerCall <= 0 {
		l.MarkPerCall = d.MarkPerCall
	}
}

// Conversation management refusals.
var (
	ErrConvPinnedLimit = codeErr(6000604, "the pinned conversation list has reached its limit")
	ErrConvMarkInvalid = codeErr(6000001, "markType out of range")
	ErrConvMarkCount   = codeErr(6000001, "conversationInfos must list 1 to 100 conversations")
)

// ZIMConversationEvent values.
const (
	convEventUpdated = 1
	convEventDeleted = 3
)

// deleted: deleteConversation hid the conversation and nothing came since. Deleting sets
// ReadSeq to the last visible seq, so a later message shows it again (with only the new
// messages unread), also after a restart.
func (e *convEntry) deleted() bool { return e.st.Deleted && e.top() <= e.st.ReadSeq }

func conversationOpsMethods(t methods[*userActor]) {
	on(t, messages.MethodUpdateConversationPinnedState, (*userActor).updatePinned)
	on(t, messages.MethodQueryConversationPinnedList, func(u *userActor, g *grain, c *messages.Call, p *messages.QueryConversationPinnedListParams) (*messages.ConversationPinnedListQueriedResult, error) {
		res, err := u.conversationList(g, c, &messages.QueryConversationListParams{Config: p.Config, Option: &messages.ConversationFilterOption{PinnedFilter: 1}})
		if err != nil {
			return nil, err
		}
		return &messages.ConversationPinnedListQueriedResult{ConversationList: res.ConversationList}, nil
	})
	on(t, messages.MethodSetConversationMark, (*userActor).setMark)
	on(t, messages.MethodDeleteConversation, (*userActor).deleteConversation)
	on(t, messages.MethodDeleteAllConversations, (*userActor).deleteAllConversations)
	on(t, messages.MethodClearConversationTotalUnreadMessageCount, (*userActor).clearTotalUnread)
	on(t, messages.MethodDeleteAllConversationMessages, (*userActor).deleteAllConversationMessages)
}

// saveStates stores the new states of entries (next[i] for entries[i]) in one batch,
// plus extra records, and keeps them on success.
func (u *userActor) saveStates(g *grain, entries []*convEntry, next []*messages.StoredConvState, extra func(*persistence.Batch)) error {
	b := &persistence.Batch{}
	for i, e := range entries {
		raw, err := proto.Marshal(next[i])
		if err != nil {
			return err
		}
		b.Put(keyConvState(u.id, e.ctype, e.id), raw)
	}
	if extra != nil {
		extra(b)
	}
	if b.Len() == 0 {
		return nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	for i, e := range entries {
		e.st = next[i]
	}
	return nil
}

// pushChanged pushes one conversationChanged listing entries (with event), the total
// unread count when it moved, and the communities whose unread counts moved, to the
// user's devices but except.
func (u *userActor) pushChanged(g *grain, entries []*convEntry, event int32, except uint64) {
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return
	}
	var events []PushEvent
	if len(entries) > 0 {
		infos := make([]*messages.ConversationChangeInfo, 0, len(entries))
		for _, e := range entries {
			infos = append(infos, &messages.ConversationChangeInfo{Event: event, Conversation: u.view(g, e)})
		}
		events = append(events, PushEvent{Pushed: messages.EventConversationChanged.With(&messages.ConversationChangedEvent{InfoList: infos}), Except: except})
	}
	events = u.totalEvents(entries, events)
	g.rt.pushEvents(u.devices, events)
}

// totalEvents appends the total unread count when it moved and the community list
// changes of the channel entries among entries.
func (u *userActor) totalEvents(entries []*convEntry, events []PushEvent) []PushEvent {
	if t := u.totalUnread(nil); t != u.total {
		u.total = t
		events = append(events, PushEvent{Pushed: messages.EventConversationTotalUnreadMessageCountUpdated.With(&messages.ConversationTotalUnreadMessageCountUpdatedEvent{TotalUnreadMessageCount: t})})
	}
	done := map[string]bool{}
	for _, e := range entries {
		if e.ctype == ConvChannel && !done[communityOfConv(e.id)] {
			done[communityOfConv(e.id)] = true
			events = u.communityChangedEvent(e, events)
		}
	}
	return events
}

func (u *userActor) updatePinned(g *grain, _ *messages.Call, p *messages.UpdateConversationPinnedStateParams) (*messages.ConversationPinnedStateUpdatedResult, error) {
	e, err := u.entry(p.ConversationID, p.ConversationType)
	if err != nil {
		return nil, err
	}
	res := &messages.ConversationPinnedStateUpdatedResult{ConversationID: e.id, ConversationType: e.ctype}
	if e.st.IsPinned == p.IsPinned {
		return res, nil // already so
	}
	if p.IsPinned {
		n := 0
		for _, o := range u.convs {
			if o.st.IsPinned && !o.deleted() {
				n++
			}
		}
		if n >= g.rt.Limits().Conversations.PinnedMax {
			return nil, ErrConvPinnedLimit
		}
	}
	st := proto.Clone(e.st).(*messages.StoredConvState)
	st.IsPinned, st.PinnedTime = p.IsPinned, 0
	if p.IsPinned {
		st.PinnedTime = g.rt.now().UnixMilli()
	}
	if err := u.saveStates(g, []*convEntry{e}, []*messages.StoredConvState{st}, nil); err != nil {
		return nil, err
	}
	u.pushChanged(g, []*convEntry{e}, convEventUpdated, 0)
	return res, nil
}

func (u *userActor) setMark(g *grain, _ *messages.Call, p *messages.SetConversationMarkParams) (*messages.ConversationMarkSetResult, error) {
	lim := g.rt.Limits().Conversations
	if p.MarkType < lim.MarkMin || p.MarkType > lim.MarkMax {
		return nil, ErrConvMarkInvalid
	}
	if len(p.ConversationInfos) == 0 || len(p.ConversationInfos) > lim.MarkPerCall {
		return nil, ErrConvMarkCount
	}
	res := &messages.ConversationMarkSetResult{}
	var entries []*convEntry
	var next []*messages.StoredConvState
	for _, info := range p.ConversationInfos {
		if info == nil {
			return nil, ErrParamInvalid
		}
		e, err := u.entry(info.ConversationID, info.ConversationType)
		if err != nil {
			res.FailedConversationInfos = append(res.FailedConversationInfos, info)
			continue
		}
		if slices.Contains(entries, e) || slices.Contains(e.st.Marks, p.MarkType) == p.Enable {
			continue // listed twice, or already so
		}
		st := proto.Clone(e.st).(*messages.StoredConvState)
		if p.Enable {
			st.Marks = append(st.Marks, p.MarkType)
			slices.Sort(st.Marks)
		} else {
			st.Marks = slices.DeleteFunc(st.Marks, func(m int32) bool { return m == p.MarkType })
		}
		entries, next = append(entries, e), append(next, st)
	}
	if err := u.saveStates(g, entries, next, nil); err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		u.pushChanged(g, entries, convEventUpdated, 0)
	}
	return res, nil
}

// deletedState is e's state once deleted: read up to the last visible message, not
// pinned, no marks or draft (a conversation that comes back starts afresh).
func deletedState(e *convEntry) *messages.StoredConvState {
	st := proto.Clone(e.st).(*messages.StoredConvState)
	st.Deleted, st.ReadSeq = true, max(st.ReadSeq, e.top())
	st.IsPinned, st.PinnedTime, st.Marks, st.Draft = false, 0, nil, ""
	return st
}

func (u *userActor) deleteConversation(g *grain, _ *messages.Call, p *messages.DeleteConversationParams) (*messages.ConversationDeletedResult, error) {
	if e := u.convs[convKey(p.ConversationType, p.ConversationID)]; e != nil && e.deleted() {
		// deleted already (a resend): done
		return &messages.ConversationDeletedResult{ConversationID: e.id, ConversationType: e.ctype}, nil
	}
	e, err := u.entry(p.ConversationID, p.ConversationType)
	if err != nil {
		return nil, err
	}
	res := &messages.ConversationDeletedResult{ConversationID: e.id, ConversationType: e.ctype}
	if p.Config == nil || !p.Config.IsAlsoDeleteServerConversation {
		return res, nil // the calling device's copy only: the server keeps it
	}
	if err := u.saveStates(g, []*convEntry{e}, []*messages.StoredConvState{deletedState(e)}, nil); err != nil {
		return nil, err
	}
	u.pushChanged(g, []*convEntry{e}, convEventDeleted, 0)
	return res, nil
}

func (u *userActor) deleteAllConversations(g *grain, c *messages.Call, p *messages.DeleteAllConversationsParams) (*messages.Empty, error) {
	if p.Config == nil || !p.Config.IsAlsoDeleteServerConversation {
		return &messages.Empty{}, nil // the calling device's copies only
	}
	var entries []*convEntry
	var next []*messages.StoredConvState
	for _, e := range u.convs {
		if !e.deleted() {
			entries, next = append(entries, e), append(next, deletedState(e))
		}
	}
	if err := u.saveStates(g, entries, next, nil); err != nil {
		return nil, err
	}
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return &messages.Empty{}, nil
	}
	var except uint64
	if c.Conn != nil {
		except = c.Conn.ConnID
	}
	events := []PushEvent{{Pushed: messages.EventConversationsAllDeleted.With(&messages.ConversationsAllDeletedEvent{Count: int32(len(entries))}), Except: except}}
	g.rt.pushEvents(u.devices, u.totalEvents(entries, events))
	return &messages.Empty{}, nil
}

func (u *userActor) clearTotalUnread(g *grain, _ *messages.Call, _ *messages.Empty) (*messages.Empty, error) {
	var entries []*convEntry
	var next []*messages.StoredConvState
	for _, e := range u.convs {
		if !e.deleted() && e.unread() > 0 {
			st := proto.Clone(e.st).(*messages.StoredConvState)
			st.ReadSeq = e.top()
			entries, next = append(entries, e), append(next, st)
		}
	}
	if err := u.saveStates(g, entries, next, nil); err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		u.pushChanged(g, entries, convEventUpdated, 0)
	}
	return &messages.Empty{}, nil
}

// deleteAllConversationMessages clears every conversation's messages for this user: its
// clear watermark in each log (what history queries read) and in its conversation state
// (unread count and last message), in one batch.
func (u *userActor) deleteAllConversationMessages(g *grain, _ *messages.Call, p *messages.DeleteAllConversationMessagesParams) (*messages.Empty, error) {
	if p.Config == nil || !p.Config.IsAlsoDeleteServerMessage {
		return &messages.Empty{}, nil // the calling device's copies only
	}
	var entries []*convEntry
	var next []*messages.StoredConvState
	for _, e := range u.convs {
		if e.top() > e.st.ClearedSeq {
			st := proto.Clone(e.st).(*messages.StoredConvState)
			st.ClearedSeq = e.top()
			entries, next = append(entries, e), append(next, st)
		}
	}
	err := u.saveStates(g, entries, next, func(b *persistence.Batch) {
		for i, e := range entries {
			b.Put(keyCleared(e.ctype, e.logID, u.id), u64(next[i].ClearedSeq))
		}
	})
	if err != nil {
		return nil, err
	}
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return &messages.Empty{}, nil
	}
	var events []PushEvent
	for _, e := range entries {
		events = append(events, PushEvent{Pushed: messages.EventMessageDeleted.With(&messages.MessageDeletedEvent{
			ConversationID: e.id, ConversationType: e.ctype, IsDeleteConversationAllMessage: true, MessageDeleteType: 2,
		})})
	}
	if len(entries) > 0 {
		infos := make([]*messages.ConversationChangeInfo, 0, len(entries))
		for _, e := range entries {
			infos = append(infos, &messages.ConversationChangeInfo{Event: convEventUpdated, Conversation: u.view(g, e)})
		}
		events = append(events, PushEvent{Pushed: messages.EventConversationChanged.With(&messages.ConversationChangedEvent{InfoList: infos})})
	}
	g.rt.pushEvents(u.devices, u.totalEvents(entries, events))
	return &messages.Empty{}, nil
}

// convOrder is a conversation's place in the list: pinned first, then newest first
// (order key), ties by type and ID.
type convOrder struct {
	e      *convEntry
	pinned bool
	key    int64
}

func orderOf(e *convEntry) convOrder {
	return convOrder{e: e, pinned: e.st.IsPinned, key: e.orderKey()}
}

func (a convOrder) before(b convOrder) bool {
	if a.pinned != b.pinned {
		return a.pinned
	}
	if a.key != b.key {
		return a.key > b.key
	}
	if a.e.ctype != b.e.ctype {
		return a.e.ctype < b.e.ctype
	}
	return a.e.id < b.e.id
}

// lastFirst is a heap of convOrders whose root is the one that comes last.
type lastFirst []convOrder

func (h lastFirst) Len() int           { return len(h) }
func (h lastFirst) Less(i, j int) bool { return h[j].before(h[i]) }
func (h lastFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *lastFirst) Push(x any)        { *h = append(*h, x.(convOrder)) }
func (h *lastFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// convPage returns the first count entries of list that come after anchor (nil: from the
// start), in list order. It keeps the best count in a heap instead of sorting the whole
// list: O(n log count) for a page of a long list.
func convPage(list []*convEntry, anchor *convEntry, count int) []*convEntry {
	var an convOrder
	if anchor != nil {
		an = orderOf(anchor)
	}
	h := make(lastFirst, 0, min(count, len(list)))
	for _, e := range list {
		o := orderOf(e)
		if anchor != nil && !an.before(o) {
			continue
		}
		if len(h) < count {
			heap.Push(&h, o)
			continue
		}
		if o.before(h[0]) {
			h[0] = o
			heap.Fix(&h, 0)
		}
	}
	sort.Slice(h, func(i, j int) bool { return h[i].before(h[j]) })
	out := make([]*convEntry, len(h))
	for i, o := range h {
		out[i] = o.e
	}
	return out
}
