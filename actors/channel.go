package actors

import (
	"errors"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// KindChannel is the community channel actor kind; its identity is the channel's
// conversation ID (communityID + "/" + channelID).
const KindChannel = "channel"

// channelActor owns one channel's message log (conversation type 3) and the online
// channel members' connections, roles and member mutes, which its community actor
// keeps it told of (CommunityChannelSync). A message costs one write and one push per
// gateway node whatever the community's size: the work grows with online members,
// not with members. Members who are not online (in-process callers) are checked
// against the stored records.
type channelActor struct {
	communityID, channelID string
	rec                    *messages.CommunityChannelRecord // nil: no such channel
	// onlineMembers is the online channel members' records (role, mute, connections)
	// by user ID; storedChat.online holds the same connections for the pushes.
	onlineMembers map[string]*messages.CommunityChannelMember
	storedChat
	rcpt channelRich // receipts (channel_receipts.go)
}

func (a *channelActor) activate(g *grain) error {
	var ok bool
	a.communityID, a.channelID, ok = SplitChannelConversationID(g.ID())
	if !ok {
		return ErrChannelNotExist
	}
	a.onlineMembers = map[string]*messages.CommunityChannelMember{}
	a.storedChat.init(ConvChannel, g.ID(), messages.EventCommunityChannelMessageReceived, &messages.CommunityFlush{})
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	if rec, found, err := getRecord[messages.CommunityChannelRecord](ctx, st, keyChannel(a.communityID, a.channelID)); err != nil {
		return err
	} else if found {
		a.rec = rec
	}
	var err error
	if a.log, err = openLog(ctx, st, ConvChannel, g.ID()); err != nil {
		return err
	}
	a.touchedSeq = a.log.lastSeq()
	if a.live() { // ask the community for the online members
		g.rt.Send(KindCommunity, a.communityID, &messages.CommunityChannelHello{ChannelID: a.channelID})
	}
	return nil
}

func (a *channelActor) live() bool { return a.rec != nil && !a.rec.Dismissed }

// canPassivate: a channel with online members stays (it holds their connections).
func (a *channelActor) canPassivate(*grain) bool {
	return len(a.onlineMembers) == 0 && !a.flushPending && a.sends.empty() && len(a.reacts.pending) == 0 && len(a.rcpt.book.pending) == 0
}

// channelMethods are the conversation methods of a community channel.
var channelMethods = newMethods(func(t methods[*channelActor]) {
	on(t, messages.MethodSendMessage, (*channelActor).send)
	logMethods(t, (*channelActor).reader)
	on(t, messages.MethodDeleteMessages, func(a *channelActor, g *grain, c *messages.Call, p *messages.DeleteMessagesParams) (*messages.MessageDeletedResult, error) {
		return a.deleteMessages(g, c, p, a.readable(g))
	})
	on(t, messages.MethodDeleteAllMessage, func(a *channelActor, g *grain, c *messages.Call, _ *messages.DeleteAllMessageParams) (*messages.MessageDeletedResult, error) {
		return a.deleteAll(g, c, a.readable(g))
	})
	richMethods(t, (*channelActor).richHost)
	channelReceiptMethods(t)
	reactionMethods(t)
})

func (a *channelActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	if a.sends.before(g, msg, &a.storedChat) {
		return nil, nil
	}
	switch m := msg.(type) {
	case *messages.Call:
		return channelMethods.serve(a, g, m)
	case *messages.CommunityChannelSync:
		a.sync(g, m)
	case *messages.CommunityFlush:
		a.flush(g)
	case *messages.ChannelTip:
		a.channelTip(g, m)
	case *messages.ReactionFlush:
		a.reacts.flushReactions(g, a)
	case *messages.ReceiptFlush:
		a.rcpt.book.flushReads(g, a)
	case *messages.ChannelReaders:
		a.readersNotice(g, m)
	}
	return nil, nil
}

// sync applies the community's news: the channel record, online members.
func (a *channelActor) sync(g *grain, s *messages.CommunityChannelSync) {
	if s.Record != nil {
		a.rec = s.Record
	}
	if s.Full || !a.live() {
		clear(a.onlineMembers)
		a.onlineMembers = map[string]*messages.CommunityChannelMember{}
		a.storedChat.online = newOnlineSet()
	}
	if !a.live() {
		return
	}
	for _, m := range s.Members {
		if len(m.Conns) == 0 {
			delete(a.onlineMembers, m.UserID)
			a.storedChat.online.remove(m.UserID)
			continue
		}
		_, known := a.onlineMembers[m.UserID]
		a.onlineMembers[m.UserID] = m
		a.storedChat.online.set(m.UserID, m.Conns)
		if !known {
			a.touchIfBehind(g, m.UserID, 0)
		}
	}
}

// sender is what the channel knows of a member: from the online list, else from the
// stored records (an in-process caller without a connection).
func (a *channelActor) sender(g *grain, user string) (*messages.CommunityChannelMember, error) {
	if !a.live() {
		if a.rec == nil {
			return nil, ErrChannelNotExist
		}
		// A dismissed channel: alone (dismissCommunityChannel) or with its community.
		ctx, cancel := g.CallCtx()
		defer cancel()
		if com, ok, err := getRecord[messages.CommunityRecord](ctx, g.rt.Store(), keyCommunity(a.communityID)); err != nil {
			return nil, err
		} else if ok && !com.Dismissed {
			return nil, ErrChannelNotExist
		}
		return nil, ErrCommunityNotExist
	}
	if m := a.onlineMembers[user]; m != nil {
		return m, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	rec, ok, err := getRecord[messages.GroupMemberRecord](ctx, st, keyCommunityMember(a.communityID, user))
	if err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrNotCommunityMember
	}
	if a.rec.ChannelType == ChannelPrivate {
		if _, err := st.Get(ctx, keyChannelMember(a.communityID, a.channelID, user)); err != nil {
			if errors.Is(err, persistence.ErrNotFound) {
				return nil, ErrNotChannelMember
			}
			return nil, err
		}
	}
	return &messages.CommunityChannelMember{UserID: user, Role: rec.Role, MuteExpiredTime: rec.MuteExpiredTime}, nil
}

func (a *channelActor) send(g *grain, call *messages.Call, params *messages.SendMessageParams) (*messages.MessageSentResult, error) {
	me, err := a.sender(g, call.UserID)
	if err != nil {
		return nil, err
	}
	m, err := g.rt.outgoing(params.Message, call.UserID, g.ID(), ConvChannel, chatMessageTypes...)
	if err != nil {
		return nil, err
	}
	receiptAtSend(params, m)
	now := g.rt.now()
	if muteActive(me.MuteExpiredTime, now) || muteCovers(a.rec.Mute, me.Role, now) {
		return nil, ErrSenderMuted
	}
	if err := saveCombine(g, m, params.Message); err != nil {
		return nil, err
	}
	return a.post(g, m, call)
}

func (a *channelActor) readable(g *grain) func(string) error {
	return func(user string) error {
		_, err := a.sender(g, user)
		return err
	}
}

// reader: channel members read the whole history (a member who joins later can scroll
// back, as in Discord; unread counts start at the join).
func (a *channelActor) reader(g *grain) logReader {
	return logReader{log: a.log, result: a.result, view: func(user string) (*readerView, error) {
		if _, err := a.sender(g, user); err != nil {
			return nil, err
		}
		ctx, cancel := g.CallCtx()
		defer cancel()
		return a.log.view(ctx, user, 1, 0)
	}, decorate: richDecorator(g, a, a)}
}
