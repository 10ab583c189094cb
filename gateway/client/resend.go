package client

import (
	"strconv"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// What a reconnecting client (Options.Reconnect) sends again.
//
// A call written to a connection that dropped before its reply came may or may not have
// been carried out. It is re-sent on the next connection only when doing it twice has
// the effect of doing it once:
//
//   - every query* method (they read);
//   - sendMessage of a stored message (peer, group and channel conversations; text,
//     custom and other stored types) — it carries a localMessageID (one is generated
//     when the caller set none, before the first send) and the server answers a resend
//     with the message it already stored; replyMessage the same way;
//   - the methods the method table marks Repeatable (absolute setters: the same value
//     set twice).
//
// Every other call fails with ErrNotResent: login/logout/renewToken (the session is
// restored by the client itself), room methods (room membership belongs to the
// connection, and room messages are not stored by default), command (2) and barrage
// (20) messages (never stored: a resend would be delivered twice), and whatever creates,
// joins, leaves, invites, kicks, mutes, deletes or changes attributes.

// Message and conversation types whose messages are not stored (no idempotency).
const (
	convRoom   = 1
	msgCommand = 2
	msgBarrage = 20
)

// prepareResend decides whether a call may be re-sent after a reconnect; for a
// sendMessage without a localMessageID it returns params with a generated one (a copy:
// the caller's message is left as it is).
func (c *Client) prepareResend(method string, params proto.Message) (proto.Message, bool) {
	spec := m.LookupMethod(method)
	switch {
	case spec == nil:
		return params, false
	case spec.Name == m.MethodSendMessage.Name:
		p, ok := params.(*m.SendMessageParams)
		if !ok || p.Message == nil || p.ConversationType == convRoom ||
			p.Message.Type == msgCommand || p.Message.Type == msgBarrage {
			return params, false
		}
		if p.Message.LocalMessageID == "" {
			cp := proto.CloneOf(p)
			cp.Message.LocalMessageID = c.lidPre + strconv.FormatUint(c.lidSeq.Add(1), 10)
			return cp, true
		}
		return params, true
	case spec.Name == m.MethodReplyMessage.Name: // as sendMessage (replies are stored)
		p, ok := params.(*m.ReplyMessageParams)
		if !ok || p.Message == nil || p.GetToOriginalMessage().GetConversationType() == convRoom {
			return params, false
		}
		if p.Message.LocalMessageID == "" {
			cp := proto.CloneOf(p)
			cp.Message.LocalMessageID = c.lidPre + strconv.FormatUint(c.lidSeq.Add(1), 10)
			return cp, true
		}
		return params, true
	case spec.ReadOnly:
		// Room queries need the room membership of the dropped connection.
		return params, spec.Owner != m.OwnerRoom
	}
	return params, spec.Repeatable
}
