package actors

import (
	"errors"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// PeerSep separates the two user IDs of a peer actor's identity. It is not part of the
// user-ID alphabet.
const PeerSep = "\x1f"

// PeerIdentity is the identity of the peer actor of users a and b: min + sep + max.
func PeerIdentity(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + PeerSep + b
}

// peerActor owns one 1:1 conversation's message log and its sequence. Sends are stored
// in batches (sendQueue).
type peerActor struct {
	a, b  string
	log   *msgLog
	sends sendQueue
	// exists caches, per user of the pair, that the user exists (logged in once: its
	// profile record is stored). Only a yes is kept: a user never stops existing, but one
	// that does not exist yet may log in later, so a no is asked again on the next send.
	exists map[string]bool
	// blocks says, per user of the pair, whether it blocks the other (blacklist.go); nil
	// until the first send reads it.
	blocks map[string]bool
	rcpt   receiptBook  // receipts (receipts.go)
	reacts reactionBook // reactions (reactions.go)
}

func (p *peerActor) activate(g *grain) error {
	a, b, ok := strings.Cut(g.ID(), PeerSep)
	if !ok {
		return ErrParamInvalid
	}
	p.a, p.b = a, b
	ctx, cancel := g.CallCtx()
	defer cancel()
	var err error
	p.log, err = openLog(ctx, g.rt.Store(), ConvPeer, g.ID())
	return err
}

func (p *peerActor) canPassivate(*grain) bool { return p.sends.empty() }

func (p *peerActor) other(user string) string {
	if user == p.a {
		return p.b
	}
	return p.a
}

// peerView is a stored peer message as reader sees it: the conversation is named after
// the other user, and the direction is relative to the reader.
//
// Views are read-only, and the stored form already is the sender's view, so the sender
// gets m itself (m is shared read-only by the log owner and the readers anyway).
func peerView(m *messages.Message, reader string) *messages.Message {
	if m.SenderUserID == reader && m.Direction == 0 {
		return m
	}
	v := copyMessage(m)
	if m.SenderUserID == reader {
		v.Direction = 0
	} else {
		v.Direction = 1
		v.ConversationID = m.SenderUserID
	}
	return v
}

// copyMessage returns a copy of m for a reader's view. Views are read-only, so the
// mentioned-user list is shared. Much cheaper than proto.Clone, which went through
// reflection (and grew the goroutine's stack) for every view; TestCopyMessage checks
// that no field is missed.
func copyMessage(m *messages.Message) *messages.Message {
	return &messages.Message{
		Type:             m.Type,
		MessageID:        m.MessageID,
		LocalMessageID:   m.LocalMessageID,
		MessageSeq:       m.MessageSeq,
		SenderUserID:     m.SenderUserID,
		ConversationID:   m.ConversationID,
		ConversationType: m.ConversationType,
		Direction:        m.Direction,
		SentStatus:       m.SentStatus,
		Timestamp:        m.Timestamp,
		OrderKey:         m.OrderKey,
		ExtendedData:     m.ExtendedData,
		Message:          m.Message,
		SubType:          m.SubType,
		SearchedContent:  m.SearchedContent,
		MentionedUserIDs: m.MentionedUserIDs,
		IsMentionAll:     m.IsMentionAll,
		ConversationSeq:  m.ConversationSeq,
		IsServerMessage:  m.IsServerMessage,

		FileDownloadUrl:            m.FileDownloadUrl,
		FileUID:                    m.FileUID,
		FileName:                   m.FileName,
		FileSize:                   m.FileSize,
		ThumbnailDownloadUrl:       m.ThumbnailDownloadUrl,
		LargeImageDownloadUrl:      m.LargeImageDownloadUrl,
		OriginalImageWidth:         m.OriginalImageWidth,
		OriginalImageHeight:        m.OriginalImageHeight,
		LargeImageWidth:            m.LargeImageWidth,
		LargeImageHeight:           m.LargeImageHeight,
		ThumbnailWidth:             m.ThumbnailWidth,
		ThumbnailHeight:            m.ThumbnailHeight,
		AudioDuration:              m.AudioDuration,
		VideoDuration:              m.VideoDuration,
		VideoFirstFrameDownloadUrl: m.VideoFirstFrameDownloadUrl,
		VideoFirstFrameWidth:       m.VideoFirstFrameWidth,
		VideoFirstFrameHeight:      m.VideoFirstFrameHeight,
		RepliedInfo:                m.RepliedInfo,
		RootRepliedCount:           m.RootRepliedCount,
		EditorUserID:               m.EditorUserID,
		EditedTime:                 m.EditedTime,
		PinnedUserID:               m.PinnedUserID,
		PinnedTime:                 m.PinnedTime,
		RevokeType:                 m.RevokeType,
		RevokeStatus:               m.RevokeStatus,
		RevokeTimestamp:            m.RevokeTimestamp,
		OperatedUserID:             m.OperatedUserID,
		OriginalMessageType:        m.OriginalMessageType,
		OriginalTextMessageContent: m.OriginalTextMessageContent,
		RevokeExtendedData:         m.RevokeExtendedData,
		Title:                      m.Title,
		Summary:                    m.Summary,
		Event:                      m.Event,
		MessageList:                m.MessageList,
		OperatedUser:               m.OperatedUser,
		TargetUserList:             m.TargetUserList,
		ChangeInfo:                 m.ChangeInfo,
		ReceiptStatus:              m.ReceiptStatus,
		Reactions:                  m.Reactions,
	}
}

func (p *peerActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	if p.sends.before(g, msg, p) {
		return nil, nil
	}
	if m, ok := msg.(*messages.PeerBlockChanged); ok {
		p.blockChanged(g, m)
		return &messages.Empty{}, nil
	}
	call, ok := msg.(*messages.Call)
	if !ok {
		return nil, nil
	}
	if call.UserID != p.a && call.UserID != p.b {
		return nil, ErrParamInvalid
	}
	return peerMethods.serve(p, g, call)
}

// peerMethods are the conversation methods of a 1:1 conversation.
var peerMethods = newMethods(func(t methods[*peerActor]) {
	on(t, messages.MethodSendMessage, (*peerActor).send)
	logMethods(t, (*peerActor).reader)
	on(t, messages.MethodDeleteMessages, (*peerActor).deleteMessages)
	on(t, messages.MethodDeleteAllMessage, (*peerActor).deleteAll)
	richMethods(t, (*peerActor).richHost)
	receiptMethods(t)
	reactionMethods(t)
})

// send checks a message and queues it for the next flush (a command message with none
// queued before it goes out at once: it is never stored).
func (p *peerActor) send(g *grain, call *messages.Call, params *messages.SendMessageParams) (*messages.MessageSentResult, error) {
	m, err := g.rt.outgoing(params.Message, call.UserID, p.other(call.UserID), ConvPeer, chatMessageTypes...)
	if err != nil {
		return nil, err
	}
	receiptAtSend(params, m)
	if err := p.checkTarget(g, p.other(call.UserID)); err != nil {
		return nil, err
	}
	if err := p.checkBlocked(g, call.UserID); err != nil {
		return nil, err
	}
	if err := saveCombine(g, m, params.Message); err != nil {
		return nil, err
	}
	if m.Type == MsgCommand && p.sends.empty() {
		return p.sendOne(g, queuedSend{call: call, m: m})
	}
	p.sends.add(g, call, m)
	return nil, errLater
}

// checkTarget refuses a send to a user that does not exist (never logged in) with
// 6000204, as ZIM does. The store is read once per activation and user: a yes is cached.
func (p *peerActor) checkTarget(g *grain, user string) error {
	if p.exists[user] {
		return nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	_, err := g.rt.Store().Get(ctx, keyUser(user))
	switch {
	case errors.Is(err, persistence.ErrNotFound):
		return ErrTargetNotExist
	case err != nil:
		return err
	}
	if p.exists == nil {
		p.exists = make(map[string]bool, 2)
	}
	p.exists[user] = true
	return nil
}

func (p *peerActor) chatLog() *msgLog { return p.log }

// logExtra adds both users' conversation index entries to the write that stores a
// conversation's first message.
func (p *peerActor) logExtra(b *persistence.Batch, first, _ int64) {
	if first == 1 {
		idx, _ := proto.Marshal(&messages.StoredConvIndex{Since: 1})
		b.Put(keyConvIndex(p.a, ConvPeer, p.b), idx)
		b.Put(keyConvIndex(p.b, ConvPeer, p.a), idx)
	}
}

// stored tells both users' actors about a message the batch stored.
func (p *peerActor) stored(g *grain, s queuedSend, m *messages.Message) *messages.MessageSentResult {
	me := s.call.UserID
	p.touch(g, p.other(me), me, m, m.MessageSeq, s.call.Conn, false)
	p.touch(g, me, p.other(me), m, m.MessageSeq, s.call.Conn, false)
	return &messages.MessageSentResult{Message: peerView(m, me)}
}

// sendOne sends one checked message on its own: a command message is pushed to the
// online devices only, any other is stored (the first one's result for a resend).
func (p *peerActor) sendOne(g *grain, s queuedSend) (*messages.MessageSentResult, error) {
	me, m := s.call.UserID, s.m
	other := p.other(me)
	if m.Type == MsgCommand {
		p.touch(g, other, me, m, 0, s.call.Conn, true)
		p.touch(g, me, other, m, 0, s.call.Conn, true)
		return &messages.MessageSentResult{Message: peerView(m, me)}, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	stored, dup, err := p.log.append(ctx, m, p.logExtra)
	if err != nil {
		return nil, err
	}
	if dup { // a resend: the message stored the first time, nobody told again
		return &messages.MessageSentResult{Message: peerView(stored, me)}, nil
	}
	return p.stored(g, s, stored), nil
}

// touch tells user's actor about a new message in its conversation with peer.
// The message is passed as a message (read-only from here on): in process it is not
// encoded again; across nodes the remote layer encodes it once.
func (p *peerActor) touch(g *grain, user, peer string, m *messages.Message, seq int64, from *messages.ConnRef, notifyOnly bool) {
	g.rt.Send(KindUser, user, &messages.ConversationTouched{
		ConversationID:   peer,
		ConversationType: ConvPeer,
		LastSeq:          seq,
		Message:          m,
		SenderConn:       from,
		NotifyOnly:       notifyOnly,
		PushEvent:        messages.EventPeerMessageReceived.Name,
		HasMentions:      slices.Contains(m.MentionedUserIDs, user),
	})
}

// reader: both users see the whole log (less what they deleted).
func (p *peerActor) reader(g *grain) logReader {
	return logReader{log: p.log, result: p.result, view: func(user string) (*readerView, error) {
		ctx, cancel := g.CallCtx()
		defer cancel()
		return p.log.view(ctx, user, 1, 0)
	}, decorate: richDecorator(g, p, p)}
}

func (p *peerActor) result(reader string, list []*messages.Message) *messages.MessageQueriedResult {
	res := &messages.MessageQueriedResult{ConversationID: p.other(reader), ConversationType: ConvPeer}
	for _, m := range list {
		res.MessageList = append(res.MessageList, peerView(m, reader))
	}
	return res
}

func (p *peerActor) deleteMessages(g *grain, call *messages.Call, params *messages.DeleteMessagesParams) (*messages.MessageDeletedResult, error) {
	seqs, err := deleteSeqs(g, params)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := p.log.deleteFor(ctx, call.UserID, seqs); err != nil {
		return nil, err
	}
	p.releaseDeletedByBoth(ctx, g, call.UserID, seqs)
	g.rt.pushToUser(call.UserID, call.Conn, messages.EventMessageDeleted.With(&messages.MessageDeletedEvent{
		ConversationID: p.other(call.UserID), ConversationType: ConvPeer,
		MessageDeleteType: 0, MessageList: params.MessageList,
	}))
	return &messages.MessageDeletedResult{ConversationID: p.other(call.UserID), ConversationType: ConvPeer}, nil
}

func (p *peerActor) deleteAll(g *grain, call *messages.Call, _ *messages.DeleteAllMessageParams) (*messages.MessageDeletedResult, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := p.log.clearFor(ctx, call.UserID); err != nil {
		return nil, err
	}
	clearedFor(g, call, p.other(call.UserID), ConvPeer, p.log.lastSeq())
	return &messages.MessageDeletedResult{ConversationID: p.other(call.UserID), ConversationType: ConvPeer}, nil
}
