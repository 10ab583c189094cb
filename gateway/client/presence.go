package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Presence (user status subscriptions, custom status) and conversation management
// (ZIM names).

// SubscribeUsersStatus subscribes to userIDs' status for durationMinutes; the refused
// IDs come back with their ZIM code.
func (c *Client) SubscribeUsersStatus(ctx context.Context, userIDs []string, durationMinutes int64) ([]*m.ErrorUserInfo, error) {
	r := &m.UsersStatusSubscribedResult{}
	err := c.Call(ctx, m.MethodSubscribeUsersStatus.Name, &m.SubscribeUsersStatusParams{UserIDs: userIDs, Config: &m.UserStatusSubscribeConfig{SubscriptionDuration: durationMinutes}}, r)
	return r.ErrorUserList, err
}

func (c *Client) UnsubscribeUsersStatus(ctx context.Context, userIDs []string) ([]*m.ErrorUserInfo, error) {
	r := &m.UsersStatusUnsubscribedResult{}
	err := c.Call(ctx, m.MethodUnsubscribeUsersStatus.Name, &m.UnsubscribeUsersStatusParams{UserIDs: userIDs}, r)
	return r.ErrorUserList, err
}

// QuerySubscribedUserStatusList lists the caller's subscriptions (all when userIDs is
// empty).
func (c *Client) QuerySubscribedUserStatusList(ctx context.Context, userIDs []string) ([]*m.UserStatusSubscription, error) {
	r := &m.SubscribedUserStatusListQueriedResult{}
	err := c.Call(ctx, m.MethodQuerySubscribedUserStatusList.Name, &m.QuerySubscribedUserStatusListParams{Config: &m.SubscribedUserStatusQueryConfig{UserIDs: userIDs}}, r)
	return r.UserStatusSubscriptionList, err
}

func (c *Client) QueryUsersStatus(ctx context.Context, userIDs []string) (*m.UsersStatusQueriedResult, error) {
	r := &m.UsersStatusQueriedResult{}
	err := c.Call(ctx, m.MethodQueryUsersStatus.Name, &m.QueryUsersStatusParams{UserIDs: userIDs}, r)
	return r, err
}

// UpdateUserCustomStatus sets the caller's custom status for durationSeconds (0: one day).
func (c *Client) UpdateUserCustomStatus(ctx context.Context, customStatus string, durationSeconds int64) error {
	return c.Call(ctx, m.MethodUpdateUserCustomStatus.Name, &m.UpdateUserCustomStatusParams{CustomStatus: customStatus, Config: &m.UserCustomStatusUpdateConfig{Duration: durationSeconds}}, &m.UserCustomStatusUpdatedResult{})
}

func (c *Client) OnUserStatusUpdated(fn func(*m.UserStatusUpdatedEvent)) {
	on(c, m.EventUserStatusUpdated.Name, fn)
}

func (c *Client) UpdateConversationPinnedState(ctx context.Context, isPinned bool, convID string, convType int32) error {
	return c.Call(ctx, m.MethodUpdateConversationPinnedState.Name, &m.UpdateConversationPinnedStateParams{IsPinned: isPinned, ConversationID: convID, ConversationType: convType}, &m.ConversationPinnedStateUpdatedResult{})
}

func (c *Client) QueryConversationPinnedList(ctx context.Context, count int32, next *m.Conversation) ([]*m.Conversation, error) {
	r := &m.ConversationPinnedListQueriedResult{}
	err := c.Call(ctx, m.MethodQueryConversationPinnedList.Name, &m.QueryConversationPinnedListParams{Config: &m.ConversationQueryConfig{Count: count, NextConversation: next}}, r)
	return r.ConversationList, err
}

// SetConversationMark sets (enable) or clears markType on convs; the conversations that
// could not be marked come back.
func (c *Client) SetConversationMark(ctx context.Context, markType int32, enable bool, convs []*m.ConversationBaseInfo) ([]*m.ConversationBaseInfo, error) {
	r := &m.ConversationMarkSetResult{}
	err := c.Call(ctx, m.MethodSetConversationMark.Name, &m.SetConversationMarkParams{MarkType: markType, Enable: enable, ConversationInfos: convs}, r)
	return r.FailedConversationInfos, err
}

func (c *Client) DeleteConversation(ctx context.Context, convID string, convType int32, alsoServer bool) error {
	return c.Call(ctx, m.MethodDeleteConversation.Name, &m.DeleteConversationParams{ConversationID: convID, ConversationType: convType, Config: &m.ConversationDeleteConfig{IsAlsoDeleteServerConversation: alsoServer}}, &m.ConversationDeletedResult{})
}

func (c *Client) DeleteAllConversations(ctx context.Context, alsoServer bool) error {
	return c.Call(ctx, m.MethodDeleteAllConversations.Name, &m.DeleteAllConversationsParams{Config: &m.ConversationDeleteConfig{IsAlsoDeleteServerConversation: alsoServer}}, &m.Empty{})
}

func (c *Client) DeleteAllConversationMessages(ctx context.Context, alsoServer bool) error {
	return c.Call(ctx, m.MethodDeleteAllConversationMessages.Name, &m.DeleteAllConversationMessagesParams{Config: &m.MessageDeleteConfig{IsAlsoDeleteServerMessage: alsoServer}}, &m.Empty{})
}

func (c *Client) ClearConversationTotalUnreadMessageCount(ctx context.Context) error {
	return c.Call(ctx, m.MethodClearConversationTotalUnreadMessageCount.Name, &m.Empty{}, &m.Empty{})
}

func (c *Client) OnConversationsAllDeleted(fn func(*m.ConversationsAllDeletedEvent)) {
	on(c, m.EventConversationsAllDeleted.Name, fn)
}
