package actors

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Pushes of user actors to connections of their own node: the gateway registers a
// LocalDelivery with the runtime, and a user actor hands it all the events of one change
// (a new message: peerMessageReceived, conversationChanged and the total unread count).
// The gateway encodes them on the user actor's goroutine, once per subprotocol, straight
// into WebSocket frames, and its fan-out actor queues each connection's frames with one
// queue operation (usually one write). Connections on other nodes get one Deliver per
// node and event, as before.

// PushEvent is one event a user actor pushes to its devices.
type PushEvent struct {
	messages.Pushed                // the event and its payload (read-only once handed over); empty when Push is set
	Push            *messages.Push // an event encoded elsewhere (UserPush, group pushes)
	Except          uint64         // a connection that does not get this event (0: none)
}

// LocalDelivery takes pushes for the connections of this node. DeliverLocal delivers the
// events, in order, to each listed connection (but each event's Except), after whatever
// the caller delivered before; it must not block, and it is called from many actors at
// once.
//
// DeliverPush hands one Deliver meant for this node to its connections at once, in the
// caller's order with the caller's other deliveries.
type LocalDelivery interface {
	DeliverLocal(connIDs []uint64, events []PushEvent)
	DeliverPush(d *messages.Deliver)
}

// SetLocalDelivery registers the gateway of this node (nil: none; pushes then go through
// the fan-out process).
func (r *Runtime) SetLocalDelivery(d LocalDelivery) {
	if d == nil {
		r.local.Store(nil)
		return
	}
	r.local.Store(&localDeliveryRef{d})
}

func (r *Runtime) localDelivery() LocalDelivery {
	if ref := r.local.Load(); ref != nil {
		return ref.LocalDelivery
	}
	return nil
}

// pushEvents hands events to conns: this node's connections through the LocalDelivery
// (all events in one call), others with one Deliver per node and event.
func (r *Runtime) pushEvents(conns []*messages.ConnRef, events []PushEvent) {
	if len(conns) == 0 || len(events) == 0 {
		return
	}
	local := r.localDelivery()
	var ids []uint64
	remote := conns
	if local != nil {
		self := r.Address()
		remote = nil
		for _, c := range conns {
			if c.Node == self {
				ids = append(ids, c.ConnID)
			} else {
				remote = append(remote, c)
			}
		}
	}
	if len(ids) > 0 {
		local.DeliverLocal(ids, events)
	}
	if len(remote) == 0 {
		return
	}
	for i := range events {
		ev := &events[i]
		p := ev.Push
		if p == nil {
			var err error
			if p, err = NewPush(ev.Pushed); err != nil {
				r.log.Error("encode push", "event", ev.Name, "err", err)
				continue
			}
		}
		r.deliverTo(remote, p, ev.Except)
	}
}

// changedEvents appends the conversation's new state (conversationChanged) and, when it
// moved, the total unread count to events. lastView, when not nil, is the reader's view
// of e.last, already built for another event of the same push.
func (u *userActor) changedEvents(g *grain, e *convEntry, event int32, lastView *messages.Message, events []PushEvent) []PushEvent {
	events = append(events, PushEvent{Pushed: messages.EventConversationChanged.With(&messages.ConversationChangedEvent{
		InfoList: []*messages.ConversationChangeInfo{{Event: event, Conversation: u.viewWith(g, e, lastView)}},
	})})
	if t := u.totalUnread(nil); t != u.total {
		u.total = t
		events = append(events, PushEvent{Pushed: messages.EventConversationTotalUnreadMessageCountUpdated.With(&messages.ConversationTotalUnreadMessageCountUpdatedEvent{TotalUnreadMessageCount: t})})
	}
	if e.ctype == ConvChannel {
		events = u.communityChangedEvent(e, events)
	}
	return events
}

// viewWith is view; lastView, when not nil, is the reader's view of e.last (shared,
// read-only).
func (u *userActor) viewWith(g *grain, e *convEntry, lastView *messages.Message) *messages.Conversation {
	if !e.named && e.ctype == ConvPeer {
		ctx, cancel := g.CallCtx()
		if raw, err := g.rt.Store().Get(ctx, keyUser(e.id)); err == nil {
			p := &messages.StoredUser{}
			if proto.Unmarshal(raw, p) == nil {
				e.name, e.avatar = p.UserName, p.UserAvatarUrl
			}
		}
		cancel()
		e.named = true
	}
	if !e.named && e.ctype == ConvGroup {
		u.loadGroupProfile(g, e)
	}
	c := &messages.Conversation{
		ConversationID:        e.id,
		Type:                  e.ctype,
		ConversationName:      e.name,
		ConversationAvatarUrl: e.avatar,
		ConversationAlias:     e.alias,
		NotificationStatus:    e.status(),
		UnreadMessageCount:    e.unread(),
		ReadMessageSeq:        e.readSeq(),
		OrderKey:              e.orderKey(),
		IsPinned:              e.st.IsPinned,
		PinnedTime:            e.st.PinnedTime,
		Draft:                 e.st.Draft,
		Marks:                 e.st.Marks,
		MentionedInfoList:     u.mentionsOf(g, e),
	}
	if e.last != nil && e.last.MessageSeq > e.st.ClearedSeq && e.last.MessageSeq <= e.top() {
		if lastView == nil {
			lastView = u.msgView(e, e.last)
		}
		c.LastMessage = u.selfReactions(g, e, lastView) // isSelfIncluded (reactions_self.go)
	}
	return c
}
