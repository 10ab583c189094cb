package actors

import (
	"errors"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Group chat: sendMessage stores the message in the group's log (one write: message,
// head, the sender's read position) and pushes groupMessageReceived straight to the
// online members' connections, encoded once. The online members' user actors learn
// the conversation's new state once per burst of messages (flush); offline members
// cost nothing — their unread counts derive from the log head when they come back.

func init() {
	registerGroupMethods(map[string]groupMethod{
		"sendMessage": (*groupActor).send,
		"queryHistoryMessage": func(a *groupActor, g *grain, c *messages.Call) (proto.Message, error) {
			return a.reader(g).queryHistory(g, c)
		},
		"queryMessages": func(a *groupActor, g *grain, c *messages.Call) (proto.Message, error) {
			return a.reader(g).queryMessages(g, c)
		},
		"deleteMessages":   (*groupActor).deleteMessages,
		"deleteAllMessage": (*groupActor).deleteAll,
	})
}

// readerView is a stored group message as reader sees it.
func groupView(m *messages.Message, reader string) *messages.Message {
	v := proto.Clone(m).(*messages.Message)
	if m.SenderUserID != reader {
		v.Direction = 1
	}
	return v
}

// senderMuted reports whether m may not speak now (own mute, or a group mute covering
// its role).
func (a *groupActor) senderMuted(m *messages.GroupMemberRecord, g *grain) bool {
	now := g.rt.now()
	return muteActive(m.MuteExpiredTime, now) || muteCovers(a.rec.Mute, m.Role, now)
}

func (a *groupActor) send(g *grain, call *messages.Call) (proto.Message, error) {
	params := &messages.SendMessageParams{}
	if err := decodeParams(call, params); err != nil {
		return nil, err
	}
	me, err := a.member(call.UserID)
	if err != nil {
		return nil, err
	}
	m, err := g.rt.outgoing(params.Message, call.UserID, a.id, ConvGroup, MsgText, MsgCommand, MsgCustom)
	if err != nil {
		return nil, err
	}
	if a.senderMuted(me, g) {
		return nil, ErrSenderMuted
	}
	var except uint64
	if call.Conn != nil {
		except = call.Conn.ConnID
	}
	if m.Type == MsgCommand {
		// Command messages reach online members only and are never stored.
		a.deliver(g, m, except)
		return &messages.MessageSentResult{Message: m}, nil
	}
	ctx, cancel := g.bg()
	defer cancel()
	stored, dup, err := a.log.append(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	if dup { // a resend: the message stored the first time
		return &messages.MessageSentResult{Message: groupView(stored, me.UserID)}, nil
	}
	a.deliver(g, stored, except)
	a.ownLast[stored.SenderUserID] = stored
	a.scheduleFlush(g)
	// The stored form is the sender's view (direction 0); nothing changes it.
	return &messages.MessageSentResult{Message: stored}, nil
}

// deliver pushes groupMessageReceived to every online connection: the receivers' view
// to the other members, the sender's view to the sender's other devices.
func (a *groupActor) deliver(g *grain, m *messages.Message, except uint64) {
	if a.online.len() == 0 {
		return
	}
	m.Direction = 1 // the receivers' view, encoded at once (m is this actor's only)
	p, err := NewPush("groupMessageReceived", &messages.ConversationMessageReceivedEvent{
		MessageList: []*messages.Message{m}, FromConversationID: a.id, Info: &messages.MessageReceivedInfo{},
	})
	m.Direction = 0
	if err != nil {
		g.log.Error("encode group message", "err", err)
		return
	}
	a.online.push(g.rt, p, m.SenderUserID)
	if a.online.has(m.SenderUserID) {
		own, err := NewPush("groupMessageReceived", &messages.ConversationMessageReceivedEvent{
			MessageList: []*messages.Message{m}, FromConversationID: a.id, Info: &messages.MessageReceivedInfo{},
		})
		if err == nil {
			a.online.pushUser(g.rt, m.SenderUserID, own, except)
		}
	}
}

// groupFlushEvery bounds how often a busy group updates its online members'
// conversations: a quiet group does it after each message, a busy one at most this
// often (each update costs every online member's user actor a conversationChanged).
const groupFlushEvery = 20 * time.Millisecond

// scheduleFlush makes sure a flush follows: at once behind the messages already in the
// mailbox when the last flush is old enough, else when groupFlushEvery has passed.
func (a *groupActor) scheduleFlush(g *grain) {
	if a.flushPending {
		return
	}
	a.flushPending = true
	wait := groupFlushEvery - time.Since(a.flushedAt)
	if wait <= 0 {
		g.ctx.Send(g.ctx.Self(), &messages.GroupFlush{})
		return
	}
	self, sys := g.ctx.Self(), g.rt.sys
	time.AfterFunc(wait, func() { sys.Root.Send(self, &messages.GroupFlush{}) })
}

// flush tells every online member's user actor the conversation's new last message
// (and each sender its own last one first, which moves its read position).
func (a *groupActor) flush(g *grain) {
	a.flushPending = false
	a.flushedAt = time.Now()
	last := a.log.head.LastMessage
	if last == nil || a.log.lastSeq() <= a.touchedSeq {
		clear(a.ownLast)
		return
	}
	a.touchedSeq = a.log.lastSeq()
	raw, err := proto.Marshal(last)
	if err != nil {
		g.log.Error("encode touched message", "err", err)
		return
	}
	for _, u := range a.online.users() {
		if own := a.ownLast[u]; own != nil && own.MessageSeq != last.MessageSeq {
			if ownRaw, err := proto.Marshal(own); err == nil {
				a.touch(g, u, own.MessageSeq, ownRaw)
			}
		}
		a.touch(g, u, last.MessageSeq, raw)
	}
	clear(a.ownLast)
}

// touch tells one member's user actor the conversation's last message (no message push:
// the group pushed it to the connections already).
func (a *groupActor) touch(g *grain, user string, seq int64, raw []byte) {
	g.rt.Send(KindUser, user, &messages.ConversationTouched{
		ConversationID: a.id, ConversationType: ConvGroup, LastSeq: seq, LastMessage: raw,
	})
}

// window is the part of the log user may read: members from their join on, former
// members (kicked, left, dismissed) up to when they went.
func (a *groupActor) window(g *grain, user string) (since, until int64, err error) {
	if a.exists() {
		if m := a.members.get(user); m != nil {
			return m.Since, 0, nil
		}
	}
	ctx, cancel := g.bg()
	defer cancel()
	raw, err := g.rt.Store().Get(ctx, keyConvIndex(user, ConvGroup, a.id))
	if errors.Is(err, persistence.ErrNotFound) {
		if !a.exists() {
			return 0, 0, ErrGroupNotExist
		}
		return 0, 0, ErrNotGroupMember
	}
	if err != nil {
		return 0, 0, err
	}
	idx := &messages.StoredConvIndex{}
	if err := proto.Unmarshal(raw, idx); err != nil {
		return 0, 0, err
	}
	until = idx.Until
	if until == 0 { // no longer a member but the index was not closed: nothing after now
		until = max(a.log.lastSeq(), idx.Since-1)
		if until == 0 {
			return 0, 0, ErrNotGroupMember
		}
	}
	return idx.Since, until, nil
}

func (a *groupActor) view(g *grain, user string) (*readerView, error) {
	since, until, err := a.window(g, user)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.bg()
	defer cancel()
	return a.log.view(ctx, user, since, until)
}

// reader: a member sees its window of the log (from its join, up to a kick).
func (a *groupActor) reader(g *grain) logReader {
	return logReader{log: a.log, result: a.result, view: func(user string) (*readerView, error) { return a.view(g, user) }}
}

func (a *groupActor) result(reader string, list []*messages.Message) *messages.MessageQueriedResult {
	res := &messages.MessageQueriedResult{ConversationID: a.id, ConversationType: ConvGroup}
	for _, m := range list {
		res.MessageList = append(res.MessageList, groupView(m, reader))
	}
	return res
}

func (a *groupActor) deleteMessages(g *grain, call *messages.Call) (proto.Message, error) {
	params, seqs, err := deleteParams(g, call)
	if err != nil {
		return nil, err
	}
	if _, _, err := a.window(g, call.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.bg()
	defer cancel()
	if err := a.log.deleteFor(ctx, call.UserID, seqs); err != nil {
		return nil, err
	}
	g.rt.pushToUser(call.UserID, call.Conn, "messageDeleted", &messages.MessageDeletedEvent{
		ConversationID: a.id, ConversationType: ConvGroup, MessageList: params.MessageList,
	})
	return &messages.MessageDeletedResult{ConversationID: a.id, ConversationType: ConvGroup}, nil
}

func (a *groupActor) deleteAll(g *grain, call *messages.Call) (proto.Message, error) {
	params := &messages.DeleteAllMessageParams{}
	if err := decodeParams(call, params); err != nil {
		return nil, err
	}
	if _, _, err := a.window(g, call.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.bg()
	defer cancel()
	if err := a.log.clearFor(ctx, call.UserID); err != nil {
		return nil, err
	}
	g.rt.pushToUser(call.UserID, call.Conn, "messageDeleted", &messages.MessageDeletedEvent{
		ConversationID: a.id, ConversationType: ConvGroup, IsDeleteConversationAllMessage: true, MessageDeleteType: 1,
	})
	return &messages.MessageDeletedResult{ConversationID: a.id, ConversationType: ConvGroup}, nil
}
