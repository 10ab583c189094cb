package actors

import (
	"errors"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Group chat: sendMessage stores the message in the group's log (one write: message,
// head, the sender's read position) and pushes groupMessageReceived straight to the
// online members' connections, encoded once. The online members' user actors learn
// the conversation's new state once per burst of messages (flush); offline members
// cost nothing — their unread counts derive from the log head when they come back.

func groupChatMethods(t methods[*groupActor]) {
	on(t, messages.MethodSendMessage, (*groupActor).send)
	logMethods(t, (*groupActor).reader)
	on(t, messages.MethodDeleteMessages, (*groupActor).deleteMessages)
	on(t, messages.MethodDeleteAllMessage, (*groupActor).deleteAll)
	richMethods(t, (*groupActor).richHost)
}

// senderMuted reports whether m may not speak now (own mute, or a group mute covering
// its role).
func (a *groupActor) senderMuted(m *messages.GroupMemberRecord, g *grain) bool {
	now := g.rt.now()
	return muteActive(m.MuteExpiredTime, now) || muteCovers(a.rec.Mute, m.Role, now)
}

func (a *groupActor) send(g *grain, call *messages.Call, params *messages.SendMessageParams) (*messages.MessageSentResult, error) {
	me, err := a.member(call.UserID)
	if err != nil {
		return nil, err
	}
	m, err := g.rt.outgoing(params.Message, call.UserID, a.id, ConvGroup, chatMessageTypes...)
	if err != nil {
		return nil, err
	}
	receiptAtSend(params, m)
	if a.senderMuted(me, g) {
		return nil, ErrSenderMuted
	}
	if err := saveCombine(g, m, params.Message); err != nil {
		return nil, err
	}
	return a.post(g, m, call)
}

// window is the part of the log user may read: members from their join on, former
// members (kicked, left, dismissed) up to when they went.
func (a *groupActor) window(g *grain, user string) (since, until int64, err error) {
	if a.exists() {
		if m := a.members.get(user); m != nil {
			return m.Since, 0, nil
		}
	}
	ctx, cancel := g.CallCtx()
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
	ctx, cancel := g.CallCtx()
	defer cancel()
	return a.log.view(ctx, user, since, until)
}

// reader: a member sees its window of the log (from its join, up to a kick).
func (a *groupActor) reader(g *grain) logReader {
	return logReader{log: a.log, result: a.result, view: func(user string) (*readerView, error) { return a.view(g, user) },
		decorate: richDecorator(g, a, a)}
}

func (a *groupActor) readable(g *grain) func(string) error {
	return func(user string) error {
		_, _, err := a.window(g, user)
		return err
	}
}

func (a *groupActor) deleteMessages(g *grain, call *messages.Call, p *messages.DeleteMessagesParams) (*messages.MessageDeletedResult, error) {
	return a.storedChat.deleteMessages(g, call, p, a.readable(g))
}

func (a *groupActor) deleteAll(g *grain, call *messages.Call, _ *messages.DeleteAllMessageParams) (*messages.MessageDeletedResult, error) {
	return a.storedChat.deleteAll(g, call, a.readable(g))
}
