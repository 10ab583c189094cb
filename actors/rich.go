package actors

import (
	"encoding/binary"
	"errors"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Message features (issue 13 part A): revokeMessage, editMessage, replyMessage,
// queryMessageRepliedList, pinMessage, queryPinnedMessageList and
// queryCombineMessageDetail, served by every stored conversation's owner (peer, group,
// community channel) through a richHost. Rooms keep no such history: the room kind does
// not serve them (6000013, "Room message revoke is not supported").

// Errors of the message features (ZIMErrorCode).
var (
	ErrMessageNotFound    = codeErr(6000204, "the message does not exist")
	ErrMessageNotPinned   = codeErr(6000208, "the message is not pinned")
	ErrRevokeTimeExceeded = codeErr(6000278, "the message is too old to revoke")
	ErrMessageRevoked     = codeErr(6000279, "the message has been revoked")
	ErrMessageNoAuthority = codeErr(6000285, "no permission for this message operation")
	ErrEditTimeExceeded   = codeErr(6000286, "the message is too old to edit")
	ErrPinLimit           = codeErr(6000287, "the conversation has reached its pinned message limit")
)

// ZIM enums of the features.
const (
	revokeStatusSelf       = 0 // ZIMMessageRevokeStatus
	revokeStatusGroupAdmin = 3
	revokeStatusGroupOwner = 4
	repliedNormal          = 0 // ZIMMessageRepliedInfoState
	repliedDeleted         = 1
	repliedNotFound        = 2
	pinNot                 = 0 // ZIMMessagePinStatus
	pinPinned              = 1
	pinUpdated             = 2
)

// richHost is what a stored conversation's owner gives the message features.
type richHost interface {
	sendConsumer
	richCtype() int32
	// richView is what user may see of the log; an error refuses the call.
	richView(g *grain, user string) (*readerView, error)
	// richRole is user's role in the conversation (RoleOwner…; 0 in a 1:1 chat or for a
	// user no longer in it).
	richRole(g *grain, user string) int32
	// richMember refuses a user who is no longer in the conversation (a former group
	// member still reads its part of the history, but changes nothing).
	richMember(g *grain, user string) error
	// richOutgoing checks a message user sends now (membership, mutes, types) as
	// sendMessage does, and returns it ready to store.
	richOutgoing(g *grain, call *messages.Call, m *messages.Message) (*messages.Message, error)
	// richMsgView is a stored message as reader sees it.
	richMsgView(m *messages.Message, reader string) *messages.Message
	// richConvID is the conversation's ID as reader sees it.
	richConvID(reader string) string
	// richPush pushes to every participant's devices but the calling connection the
	// event mk builds for each reader; views differ between the message's sender and
	// the others only.
	richPush(g *grain, call *messages.Call, sender string, mk func(reader string) messages.Pushed)
	// richRevised tells the participants' user actors that stored messages changed:
	// head is the conversation's last message when it changed (else nil), uncounted
	// the messages that stopped counting as unread.
	richRevised(g *grain, head *messages.Message, uncounted []int64)
}

// richMethods registers the message features of a stored conversation's owner.
func richMethods[A any](t methods[A], host func(A, *grain) richHost) {
	on(t, messages.MethodRevokeMessage, func(a A, g *grain, c *messages.Call, p *messages.RevokeMessageParams) (*messages.MessageRevokedResult, error) {
		return revokeMessage(host(a, g), g, c, p)
	})
	on(t, messages.MethodEditMessage, func(a A, g *grain, c *messages.Call, p *messages.EditMessageParams) (*messages.MessageEditedResult, error) {
		return editMessage(host(a, g), g, c, p)
	})
	on(t, messages.MethodReplyMessage, func(a A, g *grain, c *messages.Call, p *messages.ReplyMessageParams) (*messages.MessageSentResult, error) {
		return replyMessage(host(a, g), g, c, p)
	})
	on(t, messages.MethodQueryMessageRepliedList, func(a A, g *grain, c *messages.Call, p *messages.QueryMessageRepliedListParams) (*messages.MessageRepliedListQueriedResult, error) {
		return queryRepliedList(host(a, g), g, c, p)
	})
	on(t, messages.MethodPinMessage, func(a A, g *grain, c *messages.Call, p *messages.PinMessageParams) (*messages.Empty, error) {
		return pinMessage(host(a, g), g, c, p)
	})
	on(t, messages.MethodQueryPinnedMessageList, func(a A, g *grain, c *messages.Call, p *messages.QueryPinnedMessageListParams) (*messages.PinnedMessageListQueriedResult, error) {
		return queryPinned(host(a, g), g, c)
	})
	on(t, messages.MethodQueryCombineMessageDetail, func(a A, g *grain, c *messages.Call, p *messages.QueryCombineMessageDetailParams) (*messages.CombineMessageDetailQueriedResult, error) {
		return queryCombine(host(a, g), g, c, p)
	})
}

// target reads the message ref names (by messageSeq; its messageID, when given, must
// match) as user may see it.
func target(h richHost, g *grain, user string, ref *messages.Message) (*messages.Message, *readerView, error) {
	if ref == nil || ref.MessageSeq <= 0 {
		return nil, nil, ErrParamInvalid
	}
	v, err := h.richView(g, user)
	if err != nil {
		return nil, nil, err
	}
	if !v.visible(ref.MessageSeq) {
		return nil, nil, ErrMessageNotFound
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	m, err := h.chatLog().get(ctx, ref.MessageSeq)
	if err != nil {
		return nil, nil, err
	}
	if m == nil || (ref.MessageID != "" && ref.MessageID != m.MessageID) {
		return nil, nil, ErrMessageNotFound
	}
	return m, v, nil
}

// liteInfo is the summary of m a reply carries.
func liteInfo(m *messages.Message) *messages.MessageLiteInfo {
	li := &messages.MessageLiteInfo{Type: m.Type}
	switch m.Type {
	case MsgText:
		li.Message = m.Message
	case MsgCustom:
		li.Message, li.SearchedContent, li.SubType = m.Message, m.SearchedContent, m.SubType
	case MsgCombine:
		li.Title, li.Summary = m.GetTitle(), m.GetSummary()
	}
	return li
}

// childrenMax bounds the direct replies whose reply info a revoke or an edit of their
// original rewrites (one write); later ones keep the info they had.
const childrenMax = 1000

// children returns the stored replies that answer parent directly (the first
// childrenMax), with their reply info brought up to date by change.
func children(g *grain, h richHost, parent int64, change func(*messages.Message)) ([]*messages.Message, error) {
	l := h.chatLog()
	ctx, cancel := g.CallCtx()
	defer cancel()
	var seqs []int64
	if err := l.store.Scan(ctx, persistence.PrefixRange(keyReplyChildPrefix(l.ctype, l.conv, parent)), func(k, _ []byte) bool {
		seqs = append(seqs, int64(persistence.SeqFromKey(k)))
		return len(seqs) < childrenMax
	}); err != nil {
		return nil, err
	}
	var out []*messages.Message
	for _, s := range seqs {
		c, err := l.get(ctx, s)
		if err != nil {
			return nil, err
		}
		if c == nil || c.RepliedInfo == nil {
			continue
		}
		c.RepliedInfo = proto.Clone(c.RepliedInfo).(*messages.MessageRepliedInfo)
		change(c)
		out = append(out, c)
	}
	return out, nil
}

// announce pushes the results of a change to stored messages: each event mk builds
// (nil: none), and to the participants' user actors the conversation's new last
// message when it is among them and the messages that stopped counting as unread.
func announce(h richHost, g *grain, call *messages.Call, changed []*messages.Message, uncounted []int64, events ...func(reader string) messages.Pushed) {
	for _, mk := range events {
		if mk != nil {
			h.richPush(g, call, changed[0].SenderUserID, mk)
		}
	}
	var head *messages.Message
	last := h.chatLog().head.LastMessage
	for _, m := range changed {
		if last != nil && m.MessageSeq == last.MessageSeq {
			head = last
		}
	}
	if head != nil || len(uncounted) > 0 {
		h.richRevised(g, head, uncounted)
	}
}

// viewsOf is the reader's view of each message.
func viewsOf(h richHost, ms []*messages.Message, reader string) []*messages.Message {
	out := make([]*messages.Message, len(ms))
	for i, m := range ms {
		out[i] = h.richMsgView(m, reader)
	}
	return out
}

func repliedInfoEvent(h richHost, ms []*messages.Message) func(string) messages.Pushed {
	if len(ms) == 0 {
		return nil
	}
	return func(reader string) messages.Pushed {
		return messages.EventMessageRepliedInfoChanged.With(&messages.MessageRepliedInfoChangedEvent{MessageList: viewsOf(h, ms, reader)})
	}
}

func revokeMessage(h richHost, g *grain, call *messages.Call, p *messages.RevokeMessageParams) (*messages.MessageRevokedResult, error) {
	lim := g.rt.Limits()
	ext := p.Config.GetRevokeExtendedData()
	if len(ext) > lim.MessageExtendedData {
		return nil, ErrMessageTooLong
	}
	m, _, err := target(h, g, call.UserID, p.Message)
	if err != nil {
		return nil, err
	}
	if err := h.richMember(g, call.UserID); err != nil {
		return nil, err
	}
	switch m.Type {
	case MsgRevoke:
		return nil, ErrMessageRevoked
	case MsgTips:
		return nil, ErrMessageTypeUnsupported
	}
	now := g.rt.now()
	status := int32(revokeStatusSelf)
	if m.SenderUserID == call.UserID {
		if now.UnixMilli()-m.Timestamp > lim.Message.RevokeWindow.Milliseconds() {
			return nil, ErrRevokeTimeExceeded
		}
	} else {
		switch role := h.richRole(g, call.UserID); {
		case role == RoleOwner:
			status = revokeStatusGroupOwner
		case role == RoleAdmin && h.richRole(g, m.SenderUserID) != RoleOwner && h.richRole(g, m.SenderUserID) != RoleAdmin:
			status = revokeStatusGroupAdmin
		default:
			return nil, ErrMessageNoAuthority
		}
	}
	r := &messages.Message{
		Type: MsgRevoke, MessageID: m.MessageID, LocalMessageID: m.LocalMessageID, MessageSeq: m.MessageSeq,
		SenderUserID: m.SenderUserID, ConversationID: m.ConversationID, ConversationType: m.ConversationType,
		SentStatus: m.SentStatus, Timestamp: m.Timestamp, OrderKey: m.OrderKey, ConversationSeq: m.ConversationSeq,
		IsServerMessage: m.IsServerMessage, RepliedInfo: m.RepliedInfo, RootRepliedCount: m.RootRepliedCount,
		RevokeType: proto.Int32(0), RevokeStatus: proto.Int32(status), RevokeTimestamp: proto.Int64(now.UnixMilli()),
		OperatedUserID: proto.String(call.UserID), OriginalMessageType: proto.Int32(m.Type), RevokeExtendedData: proto.String(ext),
	}
	if m.Type == MsgText {
		r.OriginalTextMessageContent = proto.String(m.Message)
	} else {
		r.OriginalTextMessageContent = proto.String("")
	}
	kids, err := children(g, h, m.MessageSeq, func(c *messages.Message) {
		c.RepliedInfo.MessageInfo = &messages.MessageLiteInfo{Type: MsgRevoke}
	})
	if err != nil {
		return nil, err
	}
	l := h.chatLog()
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := l.rewrite(ctx, append([]*messages.Message{r}, kids...), func(b *persistence.Batch) {
		if m.GetPinnedUserID() != "" {
			b.Delete(keyPin(l.ctype, l.conv, m.MessageSeq))
		}
		b.Put(keyUncounted(l.ctype, l.conv, m.MessageSeq), nil)
	}); err != nil {
		return nil, err
	}
	if m.Type >= MsgImage && m.Type <= MsgVideo {
		g.rt.releaseMedia(ctx, []*messages.Message{m}) // gone for everyone: its file is collected later (media/)
	}
	var unpinned func(string) messages.Pushed
	if m.GetPinnedUserID() != "" {
		unpinned = func(reader string) messages.Pushed {
			return messages.EventMessagePinStatusChanged.With(&messages.MessagePinStatusChangedEvent{Infos: []*messages.MessagePinStatusChangeInfo{
				{PinStatus: pinNot, Message: h.richMsgView(r, reader)},
			}})
		}
	}
	announce(h, g, call, append([]*messages.Message{r}, kids...), []int64{r.MessageSeq},
		func(reader string) messages.Pushed {
			return messages.EventMessageRevokeReceived.With(&messages.MessageRevokeReceivedEvent{MessageList: []*messages.Message{h.richMsgView(r, reader)}})
		}, unpinned, repliedInfoEvent(h, kids))
	return &messages.MessageRevokedResult{Message: h.richMsgView(r, call.UserID)}, nil
}

func editMessage(h richHost, g *grain, call *messages.Call, p *messages.EditMessageParams) (*messages.MessageEditedResult, error) {
	m, _, err := target(h, g, call.UserID, p.Message)
	if err != nil {
		return nil, err
	}
	if m.Type == MsgRevoke {
		return nil, ErrMessageRevoked
	}
	if m.SenderUserID != call.UserID {
		return nil, ErrMessageNoAuthority
	}
	if m.Type != MsgText && m.Type != MsgCustom {
		return nil, ErrMessageTypeUnsupported
	}
	if p.Message.Type != m.Type { // the type stays
		return nil, ErrParamInvalid
	}
	now := g.rt.now()
	if now.UnixMilli()-m.Timestamp > g.rt.Limits().Message.EditWindow.Milliseconds() {
		return nil, ErrEditTimeExceeded
	}
	checked, err := h.richOutgoing(g, call, p.Message) // the content as a send would take it (and the sender may still speak)
	if err != nil {
		return nil, err
	}
	e := copyMessage(m)
	e.Message, e.ExtendedData, e.SubType, e.SearchedContent = checked.Message, checked.ExtendedData, checked.SubType, checked.SearchedContent
	e.MentionedUserIDs, e.IsMentionAll = checked.MentionedUserIDs, checked.IsMentionAll
	e.EditorUserID, e.EditedTime = proto.String(call.UserID), proto.Int64(now.UnixMilli())
	kids, err := children(g, h, m.MessageSeq, func(c *messages.Message) { c.RepliedInfo.MessageInfo = liteInfo(e) })
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := h.chatLog().rewrite(ctx, append([]*messages.Message{e}, kids...), nil); err != nil {
		return nil, err
	}
	announce(h, g, call, append([]*messages.Message{e}, kids...), nil,
		func(reader string) messages.Pushed {
			return messages.EventMessageEdited.With(&messages.MessageEditedEvent{MessageList: []*messages.Message{h.richMsgView(e, reader)}})
		}, repliedInfoEvent(h, kids))
	return &messages.MessageEditedResult{Message: h.richMsgView(e, call.UserID)}, nil
}

// replyable reports whether a message of type t may be replied to or sent as a reply
// (ZIM: text, image, file, audio, video, combine, custom).
func replyable(t int32) bool {
	switch t {
	case MsgText, 11, 12, 13, 14, MsgCombine, MsgCustom:
		return true
	}
	return false
}

// threadRoot is the seq of the root of the thread m is in (m's own when it is no reply).
func threadRoot(g *grain, l *msgLog, m *messages.Message) (int64, error) {
	if m.RepliedInfo == nil {
		return m.MessageSeq, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	raw, err := l.store.Get(ctx, keyReplyRoot(l.ctype, l.conv, m.MessageSeq))
	if errors.Is(err, persistence.ErrNotFound) || (err == nil && len(raw) != 8) {
		return m.MessageSeq, nil
	}
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(raw)), nil
}

func replyMessage(h richHost, g *grain, call *messages.Call, p *messages.ReplyMessageParams) (*messages.MessageSentResult, error) {
	if p.Message == nil || !replyable(p.Message.Type) {
		if p.Message != nil && zimMessageType(p.Message.Type) {
			return nil, ErrMessageTypeUnsupported
		}
		return nil, ErrParamInvalid
	}
	orig, _, err := target(h, g, call.UserID, p.ToOriginalMessage)
	if err != nil {
		return nil, err
	}
	if orig.Type == MsgRevoke {
		return nil, ErrMessageRevoked
	}
	if !replyable(orig.Type) {
		return nil, ErrMessageTypeUnsupported
	}
	m, err := h.richOutgoing(g, call, p.Message)
	if err != nil {
		return nil, err
	}
	m.RepliedInfo = &messages.MessageRepliedInfo{
		State: repliedNormal, MessageInfo: liteInfo(orig), SenderUserID: orig.SenderUserID,
		SentTime: orig.Timestamp, MessageID: orig.MessageID, MessageSeq: orig.MessageSeq,
	}
	l := h.chatLog()
	rootSeq, err := threadRoot(g, l, orig)
	if err != nil {
		return nil, err
	}
	root := orig
	if rootSeq != orig.MessageSeq {
		ctx, cancel := g.CallCtx()
		root, err = l.get(ctx, rootSeq)
		cancel()
		if err != nil {
			return nil, err
		}
	}
	var counted *messages.Message
	if root != nil {
		counted = copyMessage(root)
		counted.RootRepliedCount = proto.Int64(root.GetRootRepliedCount() + 1)
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	stored, dup, err := l.append(ctx, m, func(b *persistence.Batch, first, last int64) {
		h.logExtra(b, first, last)
		b.Put(keyReplyRoot(l.ctype, l.conv, first), u64(rootSeq))
		b.Put(keyThread(l.ctype, l.conv, rootSeq, first), nil)
		b.Put(keyReplyChild(l.ctype, l.conv, orig.MessageSeq, first), nil)
		if counted != nil {
			raw, err := proto.Marshal(counted)
			if err == nil {
				b.Put(keyMsg(l.ctype, l.conv, rootSeq), raw)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if dup { // a resend: the reply stored the first time
		return &messages.MessageSentResult{Message: h.richMsgView(stored, call.UserID)}, nil
	}
	res := h.stored(g, queuedSend{call: call, m: m}, stored)
	if counted != nil {
		h.richPush(g, nil, "", func(reader string) messages.Pushed {
			return messages.EventMessageRepliedCountChanged.With(&messages.MessageRepliedCountChangedEvent{Infos: []*messages.MessageRootRepliedCountInfo{{
				MessageID: counted.MessageID, ConversationID: h.richConvID(reader), ConversationType: h.richCtype(), Count: counted.GetRootRepliedCount(),
			}}})
		})
	}
	return res, nil
}

func queryRepliedList(h richHost, g *grain, call *messages.Call, p *messages.QueryMessageRepliedListParams) (*messages.MessageRepliedListQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > g.rt.Limits().PageMax || cfg.NextFlag < 0 {
		return nil, ErrParamInvalid
	}
	m, v, err := target(h, g, call.UserID, p.Message)
	if err != nil {
		return nil, err
	}
	l := h.chatLog()
	rootSeq, err := threadRoot(g, l, m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	info := &messages.MessageRootRepliedInfo{State: repliedNormal}
	root := m
	if rootSeq != m.MessageSeq {
		if root, err = l.get(ctx, rootSeq); err != nil {
			return nil, err
		}
	}
	switch {
	case root == nil || (!v.visible(rootSeq) && !v.deleted[rootSeq]):
		info.State = repliedNotFound
	case v.deleted[rootSeq]:
		info.State = repliedDeleted
	}
	if root != nil {
		info.SenderUserID, info.SentTime, info.RepliedCount = root.SenderUserID, root.Timestamp, root.GetRootRepliedCount()
		if info.State == repliedNormal {
			info.Message = h.richMsgView(root, call.UserID)
		}
	}
	res := &messages.MessageRepliedListQueriedResult{RootRepliedInfo: info}
	prefix := keyThreadPrefix(l.ctype, l.conv, rootSeq)
	r := persistence.PrefixRange(prefix)
	if cfg.NextFlag > 0 {
		r.Start = keyThread(l.ctype, l.conv, rootSeq, cfg.NextFlag+1)
	}
	var seqs []int64
	more := false
	if err := l.store.Scan(ctx, r, func(k, _ []byte) bool {
		s := int64(persistence.SeqFromKey(k))
		if !v.visible(s) {
			return true
		}
		if len(seqs) == int(cfg.Count) {
			more = true
			return false
		}
		seqs = append(seqs, s)
		return true
	}); err != nil {
		return nil, err
	}
	list, err := l.bySeqs(ctx, v, seqs)
	if err != nil {
		return nil, err
	}
	res.MessageList = viewsOf(h, repliedStates(v, list), call.UserID)
	if more {
		res.NextFlag = seqs[len(seqs)-1]
	}
	return res, nil
}

// repliedStates is list as v's reader sees the replies in it: a reply whose original
// the reader deleted (deleteMessages, deleteAllMessage) says so (state deleted), one
// whose original the reader cannot see (before the reader joined) says not found. The
// stored replies are not changed (copies, only for such replies).
func repliedStates(v *readerView, list []*messages.Message) []*messages.Message {
	var out []*messages.Message
	for i, m := range list {
		ri := m.RepliedInfo
		if ri == nil || ri.State != repliedNormal {
			continue
		}
		state := int32(repliedNormal)
		switch s := ri.MessageSeq; {
		case v.deleted[s] || s <= v.cleared:
			state = repliedDeleted
		case s < v.minSeq:
			state = repliedNotFound
		}
		if state == repliedNormal {
			continue
		}
		if out == nil {
			out = append([]*messages.Message(nil), list...)
		}
		c := copyMessage(m)
		c.RepliedInfo = proto.Clone(ri).(*messages.MessageRepliedInfo)
		c.RepliedInfo.State = state
		out[i] = c
	}
	if out == nil {
		return list
	}
	return out
}

// pinnable reports whether a message of type t may be pinned (ZIM: text, multiple,
// image, file, audio, video, combine, custom).
func pinnable(t int32) bool { return replyable(t) || t == 10 }

type pinEntry struct {
	seq int64
	pin *messages.StoredPin
}

func pinsOf(g *grain, l *msgLog) ([]pinEntry, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	var out []pinEntry
	err := scanRecords(ctx, l.store, keyPinPrefix(l.ctype, l.conv), func(k []byte, p *messages.StoredPin) bool {
		out = append(out, pinEntry{seq: int64(persistence.SeqFromKey(k)), pin: p})
		return true
	})
	// Earliest pinned first.
	sort.Slice(out, func(i, j int) bool {
		if out[i].pin.PinnedTime != out[j].pin.PinnedTime {
			return out[i].pin.PinnedTime < out[j].pin.PinnedTime
		}
		return out[i].seq < out[j].seq
	})
	return out, err
}

func pinMessage(h richHost, g *grain, call *messages.Call, p *messages.PinMessageParams) (*messages.Empty, error) {
	m, _, err := target(h, g, call.UserID, p.Message)
	if err != nil {
		return nil, err
	}
	if err := h.richMember(g, call.UserID); err != nil {
		return nil, err
	}
	if m.Type == MsgRevoke {
		return nil, ErrMessageRevoked
	}
	if !pinnable(m.Type) {
		return nil, ErrMessageTypeUnsupported
	}
	l := h.chatLog()
	pins, err := pinsOf(g, l)
	if err != nil {
		return nil, err
	}
	now := g.rt.now().UnixMilli()
	n := copyMessage(m)
	changed := []*messages.Message{n}
	var infos []func(reader string) *messages.MessagePinStatusChangeInfo
	var replaced *messages.Message
	dropOldest := false
	status := int32(pinPinned)
	switch {
	case p.IsPinned:
		if m.GetPinnedUserID() != "" {
			status = pinUpdated
		} else if len(pins) >= g.rt.Limits().Message.PinnedMax {
			if p.Config.GetDisableAutoReplace() {
				return nil, ErrPinLimit
			}
			dropOldest = true
			ctx, cancel := g.CallCtx()
			old, err := l.get(ctx, pins[0].seq)
			cancel()
			if err != nil {
				return nil, err
			}
			if old != nil {
				replaced = copyMessage(old)
				replaced.PinnedUserID, replaced.PinnedTime = nil, nil
				changed = append(changed, replaced)
			}
		}
		n.PinnedUserID, n.PinnedTime = proto.String(call.UserID), proto.Int64(now)
	default:
		if m.GetPinnedUserID() == "" {
			return nil, ErrMessageNotPinned
		}
		status = pinNot
		n.PinnedUserID, n.PinnedTime = nil, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := l.rewrite(ctx, changed, func(b *persistence.Batch) {
		if p.IsPinned {
			putProto(b, keyPin(l.ctype, l.conv, n.MessageSeq), &messages.StoredPin{PinnedUserID: n.GetPinnedUserID(), PinnedTime: n.GetPinnedTime()})
		} else {
			b.Delete(keyPin(l.ctype, l.conv, n.MessageSeq))
		}
		if dropOldest {
			b.Delete(keyPin(l.ctype, l.conv, pins[0].seq))
		}
	}); err != nil {
		return nil, err
	}
	if replaced != nil {
		infos = append(infos, func(reader string) *messages.MessagePinStatusChangeInfo {
			return &messages.MessagePinStatusChangeInfo{PinStatus: pinNot, Message: h.richMsgView(replaced, reader)}
		})
	}
	infos = append(infos, func(reader string) *messages.MessagePinStatusChangeInfo {
		return &messages.MessagePinStatusChangeInfo{PinStatus: status, Message: h.richMsgView(n, reader)}
	})
	announce(h, g, call, changed, nil, func(reader string) messages.Pushed {
		ev := &messages.MessagePinStatusChangedEvent{}
		for _, f := range infos {
			ev.Infos = append(ev.Infos, f(reader))
		}
		return messages.EventMessagePinStatusChanged.With(ev)
	})
	if t, ok := h.(pinTipper); ok && status != pinUpdated {
		t.pinTip(g, call.UserID, status == pinPinned)
	}
	return &messages.Empty{}, nil
}

func queryPinned(h richHost, g *grain, call *messages.Call) (*messages.PinnedMessageListQueriedResult, error) {
	v, err := h.richView(g, call.UserID)
	if err != nil {
		return nil, err
	}
	l := h.chatLog()
	pins, err := pinsOf(g, l)
	if err != nil {
		return nil, err
	}
	seqs := make([]int64, 0, len(pins))
	for i := len(pins) - 1; i >= 0; i-- { // the latest pinned first
		seqs = append(seqs, pins[i].seq)
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	list, err := l.bySeqs(ctx, v, seqs)
	if err != nil {
		return nil, err
	}
	return &messages.PinnedMessageListQueriedResult{MessageList: viewsOf(h, list, call.UserID)}, nil
}

func queryCombine(h richHost, g *grain, call *messages.Call, p *messages.QueryCombineMessageDetailParams) (*messages.CombineMessageDetailQueriedResult, error) {
	m, _, err := target(h, g, call.UserID, p.Message)
	if err != nil {
		return nil, err
	}
	if m.Type == MsgRevoke {
		return nil, ErrMessageRevoked
	}
	if m.Type != MsgCombine {
		return nil, ErrParamInvalid
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	rec, found, err := getRecord[messages.StoredCombine](ctx, g.rt.Store(), keyCombine(m.MessageID))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrMessageNotFound
	}
	v := copyMessage(h.richMsgView(m, call.UserID))
	v.MessageList = rec.MessageList
	return &messages.CombineMessageDetailQueriedResult{Message: v}, nil
}

// checkCombine checks a combine message's own fields and sub-messages (outgoing) and
// gives the stored form its title, summary and combine ID.
func (r *Runtime) checkCombine(in, out *messages.Message) error {
	lim := r.cfg.Limits
	if len(in.MessageList) == 0 || len(in.MessageList) > lim.Message.CombineMessagesMax {
		return ErrParamInvalid
	}
	if len(in.GetTitle()) > lim.TextMessageBytes || len(in.GetSummary()) > lim.TextMessageBytes {
		return ErrMessageTooLong
	}
	size := 0
	for _, s := range in.MessageList {
		if s == nil || !zimMessageType(s.Type) || s.Type == MsgCommand || s.Type == MsgBarrage {
			return ErrParamInvalid
		}
		size += proto.Size(s)
	}
	if size > lim.Message.CombineBytes {
		return ErrMessageTooLong
	}
	out.Title, out.Summary = proto.String(in.GetTitle()), proto.String(in.GetSummary())
	return nil
}

// saveCombine stores a combine message's sub-messages under its message ID (nothing for
// other messages). It runs before the message is stored: a combine message that
// failed to store leaves an unreferenced record, never a message without its
// sub-messages.
func saveCombine(g *grain, m, in *messages.Message) error {
	if m.Type != MsgCombine {
		return nil
	}
	list := make([]*messages.Message, len(in.MessageList))
	for i, s := range in.MessageList {
		c := copyMessage(s)
		c.MessageList = nil // a nested combine message keeps its combineID, not its list
		list[i] = c
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	b := &persistence.Batch{}
	putProto(b, keyCombine(m.MessageID), &messages.StoredCombine{MessageList: list})
	return g.rt.Store().Write(ctx, b)
}
