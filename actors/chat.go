package actors

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// storedChat is what every many-member conversation owner (group, community channel)
// shares: its message log, its online members' connections, the push of a message to
// them (encoded once, one Deliver per node), the coalesced conversation updates of the
// online members' user actors (flush), and the per-user deletions. The owner decides
// who may send and read.
type storedChat struct {
	ctype    int32
	conv     string                                                     // conversation ID
	event    messages.Event[*messages.ConversationMessageReceivedEvent] // the message push, e.g. groupMessageReceived
	flushMsg proto.Message                                              // the owner's message to itself that runs flush

	log    *msgLog
	online *onlineSet
	sends  sendQueue    // sends waiting for their write (sendqueue.go)
	reacts reactionBook // reactions (reactions.go)

	flushPending bool
	flushedAt    time.Time                    // last flush (wall clock: a rate, not a date)
	touchedSeq   int64                        // last seq the online members' user actors were told
	ownLast      map[string]*messages.Message // senders' last own message since the last flush
	uncounted    []int64                      // recent seqs that do not count as unread (user_rich.go); shared read-only
	mentionAll   bool                         // a message since the last flush mentions everyone (mentions.go)
	mentioned    map[string]bool              // users a message since the last flush mentions
	headChanged  bool                         // the last message changed in place (its reactions: reactions.go)
}

func (s *storedChat) init(ctype int32, conv string, event messages.Event[*messages.ConversationMessageReceivedEvent], flushMsg proto.Message) {
	s.ctype, s.conv, s.event, s.flushMsg = ctype, conv, event, flushMsg
	s.online = newOnlineSet()
	s.ownLast = map[string]*messages.Message{}
}

// chatView is a stored message as reader sees it.
func chatView(m *messages.Message, reader string) *messages.Message {
	v := proto.Clone(m).(*messages.Message)
	if m.SenderUserID != reader {
		v.Direction = 1
	}
	return v
}

// post queues a checked message for the owner's next LogFlush (a command message with
// none queued before it is only pushed, at once); the reply carries the stored message
// (the first one, for a resend).
func (s *storedChat) post(g *grain, m *messages.Message, call *messages.Call) (*messages.MessageSentResult, error) {
	if m.Type == MsgCommand && s.sends.empty() {
		return s.sendOne(g, queuedSend{call: call, m: m})
	}
	s.sends.add(g, call, m)
	return nil, errLater
}

func (s *storedChat) chatLog() *msgLog { return s.log }

func (s *storedChat) logExtra(*persistence.Batch, int64, int64) {}

// sendOne stores one message on its own (a command message is only pushed).
func (s *storedChat) sendOne(g *grain, q queuedSend) (*messages.MessageSentResult, error) {
	m, call := q.m, q.call
	if m.Type == MsgCommand {
		// Command messages reach online members only and are never stored.
		s.deliver(g, m, exceptConn(call))
		return &messages.MessageSentResult{Message: m}, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	stored, dup, err := s.log.append(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	if dup { // a resend: the message stored the first time
		return &messages.MessageSentResult{Message: chatView(stored, call.UserID)}, nil
	}
	return s.stored(g, q, stored), nil
}

// stored pushes a message just stored and schedules the conversation updates.
func (s *storedChat) stored(g *grain, q queuedSend, m *messages.Message) *messages.MessageSentResult {
	s.deliver(g, m, exceptConn(q.call))
	s.ownLast[m.SenderUserID] = m
	s.noteMentions(m)
	s.scheduleFlush(g)
	// The stored form is the sender's view (direction 0); nothing changes it.
	return &messages.MessageSentResult{Message: m}
}

// exceptConn is the calling connection's ID (0: none), which gets no push of its own
// message.
func exceptConn(call *messages.Call) uint64 {
	if call.Conn != nil {
		return call.Conn.ConnID
	}
	return 0
}

// deliver pushes the message event to every online connection: the receivers' view
// to the other members, the sender's view to the sender's other devices.
func (s *storedChat) deliver(g *grain, m *messages.Message, except uint64) {
	if s.online.len() == 0 {
		return
	}
	m.Direction = 1 // the receivers' view, encoded at once (m is this actor's only)
	p, err := NewPush(s.event.With(&messages.ConversationMessageReceivedEvent{
		MessageList: []*messages.Message{m}, FromConversationID: s.conv, Info: &messages.MessageReceivedInfo{},
	}))
	m.Direction = 0
	if err != nil {
		g.Log().Error("encode message push", "err", err)
		return
	}
	s.online.push(g.rt, p, m.SenderUserID)
	if s.online.has(m.SenderUserID) {
		own, err := NewPush(s.event.With(&messages.ConversationMessageReceivedEvent{
			MessageList: []*messages.Message{m}, FromConversationID: s.conv, Info: &messages.MessageReceivedInfo{},
		}))
		if err == nil {
			s.online.pushUser(g.rt, m.SenderUserID, own, except)
		}
	}
}

// chatFlushEvery bounds how often a busy conversation updates its online members'
// conversations: a quiet one does it after each message, a busy one at most this often
// per chatFlushMembers online members (each update costs every online member's user
// actor a conversationChanged push), and at least every chatFlushMax. The messages
// themselves are pushed at once; only the conversation list's state lags.
const (
	chatFlushEvery   = 20 * time.Millisecond
	chatFlushMembers = 100
	chatFlushMax     = 500 * time.Millisecond
)

// flushInterval is the shortest time between two flushes with online members online.
func flushInterval(online int) time.Duration {
	return min(chatFlushMax, chatFlushEvery*time.Duration(max(1, online/chatFlushMembers)))
}

// scheduleFlush makes sure a flush follows: at once behind the messages already in the
// mailbox when the last flush is old enough, else when chatFlushEvery has passed.
func (s *storedChat) scheduleFlush(g *grain) {
	if s.flushPending {
		return
	}
	s.flushPending = true
	wait := flushInterval(s.online.len()) - time.Since(s.flushedAt)
	if wait <= 0 {
		g.SendSelf(s.flushMsg)
		return
	}
	g.After(wait, s.flushMsg)
}

// flush tells every online member's user actor the conversation's new last message
// (and each sender its own last one first, which moves its read position).
func (s *storedChat) flush(g *grain) {
	s.flushPending = false
	s.flushedAt = time.Now()
	last := s.log.head.LastMessage
	changed := s.headChanged
	s.headChanged = false
	if last == nil || (s.log.lastSeq() <= s.touchedSeq && !changed) {
		clear(s.ownLast)
		return
	}
	s.touchedSeq = s.log.lastSeq()
	for _, u := range s.online.users() {
		if own := s.ownLast[u]; own != nil && own.MessageSeq != last.MessageSeq {
			s.touch(g, u, own)
		}
		s.touch(g, u, last)
	}
	clear(s.ownLast)
	s.mentionAll = false
	clear(s.mentioned)
}

// touch tells one member's user actor the conversation's last message (no message
// push: the owner pushed it to the connections already). The message is shared
// read-only with the user actors in process.
func (s *storedChat) touch(g *grain, user string, m *messages.Message) {
	g.rt.Send(KindUser, user, &messages.ConversationTouched{
		ConversationID: s.conv, ConversationType: s.ctype, LastSeq: m.MessageSeq, Message: m, Uncounted: s.uncounted,
		HasMentions: s.mentionAll || s.mentioned[user],
	})
}

// touchIfBehind brings a member's user actor that knows an older head up to date.
func (s *storedChat) touchIfBehind(g *grain, user string, knownSeq int64) {
	if last := s.log.head.LastMessage; last != nil && s.log.lastSeq() > knownSeq {
		// what the user missed may mention it: the user actor looks (mentions.go)
		g.rt.Send(KindUser, user, &messages.ConversationTouched{
			ConversationID: s.conv, ConversationType: s.ctype, LastSeq: last.MessageSeq, Message: last, HasMentions: true,
		})
	}
}

func (s *storedChat) result(reader string, list []*messages.Message) *messages.MessageQueriedResult {
	res := &messages.MessageQueriedResult{ConversationID: s.conv, ConversationType: s.ctype}
	for _, m := range list {
		res.MessageList = append(res.MessageList, chatView(m, reader))
	}
	return res
}

// deleteMessages deletes messages for the caller only (may: whether it may read the log).
func (s *storedChat) deleteMessages(g *grain, call *messages.Call, params *messages.DeleteMessagesParams, may func(user string) error) (*messages.MessageDeletedResult, error) {
	seqs, err := deleteSeqs(g, params)
	if err != nil {
		return nil, err
	}
	if err := may(call.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := s.log.deleteFor(ctx, call.UserID, seqs); err != nil {
		return nil, err
	}
	g.rt.pushToUser(call.UserID, call.Conn, messages.EventMessageDeleted.With(&messages.MessageDeletedEvent{
		ConversationID: s.conv, ConversationType: s.ctype, MessageList: params.MessageList,
	}))
	return &messages.MessageDeletedResult{ConversationID: s.conv, ConversationType: s.ctype}, nil
}

// deleteAll clears the whole conversation for the caller only.
func (s *storedChat) deleteAll(g *grain, call *messages.Call, may func(user string) error) (*messages.MessageDeletedResult, error) {
	if err := may(call.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := s.log.clearFor(ctx, call.UserID); err != nil {
		return nil, err
	}
	clearedFor(g, call, s.conv, s.ctype, s.log.lastSeq())
	return &messages.MessageDeletedResult{ConversationID: s.conv, ConversationType: s.ctype}, nil
}

// clearedFor tells the caller of a deleteAllMessage of its conversation conv (as the
// caller names it) that its messages up to seq are cleared for it: a messageDeleted to
// its other devices, and its user actor, which drops the conversation's last message and
// unread count (conversationChanged, and the total unread count when it moved).
func clearedFor(g *grain, call *messages.Call, conv string, ctype int32, seq int64) {
	g.rt.pushToUser(call.UserID, call.Conn, messages.EventMessageDeleted.With(&messages.MessageDeletedEvent{
		ConversationID: conv, ConversationType: ctype, IsDeleteConversationAllMessage: true, MessageDeleteType: 1,
	}))
	g.rt.Send(KindUser, call.UserID, &messages.ConversationRevised{ConversationID: conv, ConversationType: ctype, ClearedSeq: seq})
}
