package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Message features (issue 13 part A): revoke, edit, reply threads, pins, combine
// messages. A message argument names a stored message as ZIM's do: its
// conversationID and conversationType (as the caller sees them: a 1:1 conversation is
// named after the other user) and its messageSeq (and messageID, checked when set).

// RevokeMessage turns a stored message into a revoke message for everyone (config may
// be nil).
func (c *Client) RevokeMessage(ctx context.Context, msg *m.Message, cfg *m.MessageRevokeConfig) (*m.Message, error) {
	r := &m.MessageRevokedResult{}
	err := c.Call(ctx, m.MethodRevokeMessage.Name, &m.RevokeMessageParams{Message: msg, Config: cfg}, r)
	return r.Message, err
}

// EditMessage replaces the content of the caller's own text or custom message: msg is
// the message with its new message, extendedData, mentions (and subType).
func (c *Client) EditMessage(ctx context.Context, msg *m.Message) (*m.Message, error) {
	r := &m.MessageEditedResult{}
	err := c.Call(ctx, m.MethodEditMessage.Name, &m.EditMessageParams{Message: msg, Config: &m.MessageEditConfig{}}, r)
	return r.Message, err
}

// ReplyMessage sends msg into the conversation of original, as a reply to it.
func (c *Client) ReplyMessage(ctx context.Context, msg, original *m.Message, cfg *m.MessageSendConfig) (*m.Message, error) {
	if cfg == nil {
		cfg = &m.MessageSendConfig{Priority: 2}
	}
	r := &m.MessageSentResult{}
	err := c.Call(ctx, m.MethodReplyMessage.Name, &m.ReplyMessageParams{Message: msg, ToOriginalMessage: original, Config: cfg}, r)
	return r.Message, err
}

// QueryMessageRepliedList pages the thread msg (its root or any reply) is in: nextFlag
// 0 first, then the result's until it is 0.
func (c *Client) QueryMessageRepliedList(ctx context.Context, msg *m.Message, nextFlag int64, count int32) (*m.MessageRepliedListQueriedResult, error) {
	r := &m.MessageRepliedListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryMessageRepliedList.Name, &m.QueryMessageRepliedListParams{
		Message: msg, Config: &m.MessageRepliedListQueryConfig{NextFlag: nextFlag, Count: count},
	}, r)
}

// PinMessage pins (isPinned) or unpins a message for the whole conversation (config
// may be nil).
func (c *Client) PinMessage(ctx context.Context, msg *m.Message, isPinned bool, cfg *m.MessagePinConfig) error {
	return c.Call(ctx, m.MethodPinMessage.Name, &m.PinMessageParams{Message: msg, IsPinned: isPinned, Config: cfg}, &m.Empty{})
}

// QueryPinnedMessageList lists a conversation's pinned messages, the latest pinned first.
func (c *Client) QueryPinnedMessageList(ctx context.Context, convID string, convType int32) ([]*m.Message, error) {
	r := &m.PinnedMessageListQueriedResult{}
	err := c.Call(ctx, m.MethodQueryPinnedMessageList.Name, &m.QueryPinnedMessageListParams{ConversationID: convID, ConversationType: convType}, r)
	return r.MessageList, err
}

// QueryCombineMessageDetail returns the combine message with its sub-messages.
func (c *Client) QueryCombineMessageDetail(ctx context.Context, msg *m.Message) (*m.Message, error) {
	r := &m.CombineMessageDetailQueriedResult{}
	err := c.Call(ctx, m.MethodQueryCombineMessageDetail.Name, &m.QueryCombineMessageDetailParams{Message: msg}, r)
	return r.Message, err
}
