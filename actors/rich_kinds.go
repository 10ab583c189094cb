package actors

import (
	"github.com/parley-chat/parley/messages"
)

// The message features' hosts: the peer, group and channel kinds (rich.go).

// Peer: both users see the whole log; pushes go through the users' actors.

func (p *peerActor) richHost(*grain) richHost { return p }
func (p *peerActor) richCtype() int32         { return ConvPeer }
func (p *peerActor) richView(g *grain, user string) (*readerView, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	return p.log.view(ctx, user, 1, 0)
}
func (p *peerActor) richRole(*grain, string) int32   { return 0 }
func (p *peerActor) richMember(*grain, string) error { return nil }
func (p *peerActor) richOutgoing(g *grain, call *messages.Call, in *messages.Message) (*messages.Message, error) {
	m, err := g.rt.outgoing(in, call.UserID, p.other(call.UserID), ConvPeer, MsgText, MsgCustom, MsgCombine)
	if err != nil {
		return nil, err
	}
	if err := p.checkTarget(g, p.other(call.UserID)); err != nil {
		return nil, err
	}
	return m, saveCombine(g, m, in)
}
func (p *peerActor) richMsgView(m *messages.Message, reader string) *messages.Message {
	return peerView(m, reader)
}
func (p *peerActor) richConvID(reader string) string { return p.other(reader) }
func (p *peerActor) richPush(g *grain, call *messages.Call, _ string, mk func(string) messages.Pushed) {
	for _, u := range []string{p.a, p.b} {
		var except *messages.ConnRef
		if call != nil && call.UserID == u {
			except = call.Conn
		}
		g.rt.pushToUser(u, except, mk(u))
	}
}
func (p *peerActor) richRevised(g *grain, head *messages.Message, uncounted []int64) {
	for _, u := range []string{p.a, p.b} {
		g.rt.Send(KindUser, u, &messages.ConversationRevised{
			ConversationID: p.other(u), ConversationType: ConvPeer, Head: head, Uncounted: uncounted,
		})
	}
}

// Group and channel: the stored chat pushes to the online members' connections, one
// encoding for the receivers and one for the message's sender.

// richMsgView is a stored message as reader sees it (the stored form is the sender's).
func (s *storedChat) richMsgView(m *messages.Message, reader string) *messages.Message {
	if m.SenderUserID == reader {
		return m
	}
	v := copyMessage(m)
	v.Direction = 1
	return v
}
func (s *storedChat) richConvID(string) string { return s.conv }
func (s *storedChat) richCtype() int32         { return s.ctype }
func (s *storedChat) richPush(g *grain, call *messages.Call, sender string, mk func(string) messages.Pushed) {
	if s.online.len() == 0 {
		return
	}
	skip := connSet{}
	skip.add(s.online.conns[sender]...)
	if call != nil && call.Conn != nil {
		skip.add(call.Conn)
	}
	others, err := NewPush(mk("\x00")) // no user's ID: a receiver's view
	if err != nil {
		g.Log().Error("encode push", "err", err)
		return
	}
	s.online.pushExcept(g.rt, others, skip)
	if sender != "" && s.online.has(sender) {
		own, err := NewPush(mk(sender))
		if err != nil {
			return
		}
		s.online.pushUser(g.rt, sender, own, exceptConn(orEmpty(call)))
	}
}

func orEmpty(c *messages.Call) *messages.Call {
	if c == nil {
		return &messages.Call{}
	}
	return c
}

// richRevised tells the online members' user actors (the others read the log's state
// when they load the conversation).
func (s *storedChat) richRevised(g *grain, head *messages.Message, uncounted []int64) {
	s.noteUncounted(uncounted)
	rev := &messages.ConversationRevised{ConversationID: s.conv, ConversationType: s.ctype, Head: head, Uncounted: uncounted}
	for _, u := range s.online.users() {
		g.rt.Send(KindUser, u, rev)
	}
}

func (a *groupActor) richHost(*grain) richHost { return a }
func (a *groupActor) richView(g *grain, user string) (*readerView, error) {
	return a.view(g, user)
}
func (a *groupActor) richRole(_ *grain, user string) int32 {
	if a.exists() {
		if m := a.members.get(user); m != nil {
			return m.Role
		}
	}
	return 0
}
func (a *groupActor) richMember(_ *grain, user string) error {
	_, err := a.member(user)
	return err
}
func (a *groupActor) richOutgoing(g *grain, call *messages.Call, in *messages.Message) (*messages.Message, error) {
	me, err := a.member(call.UserID)
	if err != nil {
		return nil, err
	}
	m, err := g.rt.outgoing(in, call.UserID, a.id, ConvGroup, MsgText, MsgCustom, MsgCombine)
	if err != nil {
		return nil, err
	}
	if a.senderMuted(me, g) {
		return nil, ErrSenderMuted
	}
	return m, saveCombine(g, m, in)
}

func (a *channelActor) richHost(*grain) richHost { return a }
func (a *channelActor) richView(g *grain, user string) (*readerView, error) {
	return a.reader(g).view(user)
}
func (a *channelActor) richRole(g *grain, user string) int32 {
	if m, err := a.sender(g, user); err == nil {
		return m.Role
	}
	return 0
}
func (a *channelActor) richMember(g *grain, user string) error {
	_, err := a.sender(g, user)
	return err
}
func (a *channelActor) richOutgoing(g *grain, call *messages.Call, in *messages.Message) (*messages.Message, error) {
	me, err := a.sender(g, call.UserID)
	if err != nil {
		return nil, err
	}
	m, err := g.rt.outgoing(in, call.UserID, g.ID(), ConvChannel, MsgText, MsgCustom, MsgCombine)
	if err != nil {
		return nil, err
	}
	now := g.rt.now()
	if muteActive(me.MuteExpiredTime, now) || muteCovers(a.rec.Mute, me.Role, now) {
		return nil, ErrSenderMuted
	}
	return m, saveCombine(g, m, in)
}
