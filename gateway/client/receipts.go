package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Receipts, reactions (issue 13 part B). Messages are named by the Message a client
// holds (its messageSeq, messageID, conversationID and conversationType).

// SendMessageReceiptsRead sets the receipts of up to 10 received messages read.
func (c *Client) SendMessageReceiptsRead(ctx context.Context, list []*m.Message, convID string, convType int32) (*m.MessageReceiptsReadSentResult, error) {
	r := &m.MessageReceiptsReadSentResult{}
	return r, c.Call(ctx, m.MethodSendMessageReceiptsRead.Name, &m.MessageReceiptsParams{MessageList: list, ConversationID: convID, ConversationType: convType}, r)
}

// SendConversationMessageReceiptRead sets every received receipt of the conversation read.
func (c *Client) SendConversationMessageReceiptRead(ctx context.Context, convID string, convType int32) (*m.ConversationMessageReceiptReadSentResult, error) {
	r := &m.ConversationMessageReceiptReadSentResult{}
	return r, c.Call(ctx, m.MethodSendConversationMessageReceiptRead.Name, &m.ConversationRef{ConversationID: convID, ConversationType: convType}, r)
}

// QueryMessageReceiptsInfo returns the receipt state of messages.
func (c *Client) QueryMessageReceiptsInfo(ctx context.Context, list []*m.Message, convID string, convType int32) (*m.MessageReceiptsInfoQueriedResult, error) {
	r := &m.MessageReceiptsInfoQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryMessageReceiptsInfo.Name, &m.MessageReceiptsParams{MessageList: list, ConversationID: convID, ConversationType: convType}, r)
}

// QueryGroupMessageReceiptReadMemberList pages through the members who read msg.
func (c *Client) QueryGroupMessageReceiptReadMemberList(ctx context.Context, msg *m.Message, groupID string, cfg *m.GroupMessageReceiptMemberQueryConfig) (*m.GroupMessageReceiptMemberListQueriedResult, error) {
	r := &m.GroupMessageReceiptMemberListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupMessageReceiptReadMemberList.Name, &m.GroupMessageReceiptMemberListQueryParams{Message: msg, GroupID: groupID, Config: cfg}, r)
}

// QueryGroupMessageReceiptUnreadMemberList pages through the members who did not read msg.
func (c *Client) QueryGroupMessageReceiptUnreadMemberList(ctx context.Context, msg *m.Message, groupID string, cfg *m.GroupMessageReceiptMemberQueryConfig) (*m.GroupMessageReceiptMemberListQueriedResult, error) {
	r := &m.GroupMessageReceiptMemberListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupMessageReceiptUnreadMemberList.Name, &m.GroupMessageReceiptMemberListQueryParams{Message: msg, GroupID: groupID, Config: cfg}, r)
}

// AddMessageReaction adds the user's reaction to msg (cfg may be nil).
func (c *Client) AddMessageReaction(ctx context.Context, reactionType string, msg *m.Message, cfg *m.MessageReactionAddConfig) (*m.MessageReaction, error) {
	r := &m.MessageReactionAddedResult{}
	err := c.Call(ctx, m.MethodAddMessageReaction.Name, &m.MessageReactionAddParams{ReactionType: reactionType, Message: msg, Config: cfg}, r)
	return r.Reaction, err
}

// DeleteMessageReaction removes the user's reaction of one type from msg.
func (c *Client) DeleteMessageReaction(ctx context.Context, reactionType string, msg *m.Message) (*m.MessageReaction, error) {
	r := &m.MessageReactionDeletedResult{}
	err := c.Call(ctx, m.MethodDeleteMessageReaction.Name, &m.MessageReactionDeleteParams{ReactionType: reactionType, Message: msg}, r)
	return r.Reaction, err
}

// DeleteMessageAllReactions removes all of the user's reactions from msg.
func (c *Client) DeleteMessageAllReactions(ctx context.Context, msg *m.Message) error {
	return c.Call(ctx, m.MethodDeleteMessageAllReactions.Name, &m.MessageAllReactionsDeleteParams{Message: msg}, &m.Empty{})
}

// QueryMessageReactionUserList pages through the users who reacted to msg with one type.
func (c *Client) QueryMessageReactionUserList(ctx context.Context, msg *m.Message, cfg *m.MessageReactionUserQueryConfig) (*m.MessageReactionUserListQueriedResult, error) {
	r := &m.MessageReactionUserListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryMessageReactionUserList.Name, &m.MessageReactionUserListQueryParams{Message: msg, Config: cfg}, r)
}
