package actors

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// sendMessage sends a room message (text, command, barrage or custom) to every member
// connection but the sending one, as roomMessageReceived. With room history on, text and
// custom messages are stored first (sequence numbers, localMessageID idempotency);
// otherwise nothing is stored and messageSeq is 0. The message's priority (low by
// default) tells the gateways what they may drop for a connection that falls behind.
func (r *roomActor) sendMessage(g *grain, c *messages.Call, p *messages.SendMessageParams) (*messages.MessageSentResult, error) {
	priority := p.Config.GetPriority()
	switch {
	case priority == 0:
		priority = PriorityLow
	case priority < PriorityLow || priority > PriorityHigh:
		return nil, ErrParamInvalid
	}
	m, err := g.rt.outgoing(p.Message, c.UserID, r.id, ConvRoom, roomMessageTypes...)
	if err != nil {
		return nil, err
	}
	if g.rt.cfg.Rooms.History && (m.Type == MsgText || m.Type == MsgCustom) {
		log, err := r.history(g)
		if err != nil {
			return nil, err
		}
		ctx, cancel := g.CallCtx()
		defer cancel()
		stored, dup, err := log.append(ctx, m, nil)
		if err != nil {
			return nil, err
		}
		if dup { // a resend: stored and pushed the first time
			return &messages.MessageSentResult{Message: stored}, nil
		}
		m = stored
	}
	view := proto.Clone(m).(*messages.Message)
	view.Direction = 1
	r.push(g, messages.EventRoomMessageReceived.With(&messages.ConversationMessageReceivedEvent{
		MessageList: []*messages.Message{view}, FromConversationID: r.id, Info: &messages.MessageReceivedInfo{},
	}), priority, c.Conn)
	return &messages.MessageSentResult{Message: m}, nil
}

// history opens the room's message log (room history on only).
func (r *roomActor) history(g *grain) (*msgLog, error) {
	if r.log == nil {
		ctx, cancel := g.CallCtx()
		defer cancel()
		log, err := openLog(ctx, g.rt.Store(), ConvRoom, r.id)
		if err != nil {
			return nil, err
		}
		r.log = log
	}
	return r.log, nil
}

// queryHistory serves queryHistoryMessage for members: the stored room messages, or none
// when room history is off.
func (r *roomActor) queryHistory(g *grain, c *messages.Call, p *messages.QueryHistoryMessageParams) (*messages.MessageQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > g.rt.Limits().PageMax {
		return nil, ErrParamInvalid
	}
	res := &messages.MessageQueriedResult{ConversationID: r.id, ConversationType: ConvRoom}
	if !g.rt.cfg.Rooms.History {
		return res, nil
	}
	log, err := r.history(g)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	v, err := log.view(ctx, c.UserID, 1, 0)
	if err != nil {
		return nil, err
	}
	list, err := log.history(ctx, v, cfg.NextMessage.GetMessageSeq(), int(cfg.Count), cfg.Reverse)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		if m.SenderUserID != c.UserID {
			m.Direction = 1
		}
		res.MessageList = append(res.MessageList, m)
	}
	return res, nil
}
