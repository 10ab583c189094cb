package client

import (
	"context"
	"errors"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// ZIM-style methods. Each sends the ZIM method of the same name.

// Login logs in userID with a token04 token (empty in development mode). platform 0
// means Web (6). The client keeps the credentials to log in again after a reconnect
// (Options.Reconnect; Options.TokenProvider renews the token).
func (c *Client) Login(ctx context.Context, userID, userName, token string, platform int32) error {
	if c.ConnectionState() == StateDisconnected {
		c.emitState(StateConnecting, EventActiveLogin)
	}
	err := c.Call(ctx, m.MethodLogin.Name, &m.LoginParams{UserID: userID, UserName: userName, Token: token, Platform: platform}, nil)
	if err != nil {
		if c.ConnectionState() == StateConnecting {
			c.emitState(StateDisconnected, EventLoginInterrupted)
		}
		return err
	}
	c.mu.Lock()
	c.creds = &credentials{userID: userID, userName: userName, token: token, platform: platform}
	c.mu.Unlock()
	return nil
}

// Logout ends the session; the client does not reconnect from then on.
func (c *Client) Logout(ctx context.Context) error {
	c.mu.Lock()
	cr := c.creds
	c.creds = nil // a drop during the logout must not log in again
	c.mu.Unlock()
	err := c.Call(ctx, m.MethodLogout.Name, &m.Empty{}, nil)
	if err != nil && !errors.Is(err, ErrNotResent) && !errors.Is(err, ErrClosed) {
		c.mu.Lock()
		if c.creds == nil {
			c.creds = cr
		}
		c.mu.Unlock()
	}
	return err
}

func (c *Client) RenewToken(ctx context.Context, token string) (*m.TokenRenewedResult, error) {
	r := &m.TokenRenewedResult{}
	err := c.Call(ctx, m.MethodRenewToken.Name, &m.RenewTokenParams{Token: token}, r)
	if err == nil {
		c.mu.Lock()
		if c.creds != nil {
			cr := *c.creds
			cr.token = token
			c.creds = &cr
		}
		c.mu.Unlock()
	}
	return r, err
}

func (c *Client) QuerySelfUserInfo(ctx context.Context) (*m.SelfUserInfo, error) {
	r := &m.SelfUserInfoQueriedResult{}
	err := c.Call(ctx, m.MethodQuerySelfUserInfo.Name, &m.Empty{}, r)
	return r.SelfUserInfo, err
}

func (c *Client) UpdateUserName(ctx context.Context, name string) error {
	return c.Call(ctx, m.MethodUpdateUserName.Name, &m.UpdateUserNameParams{UserName: name}, &m.UserNameUpdatedResult{})
}

func (c *Client) UpdateUserAvatarUrl(ctx context.Context, url string) error {
	return c.Call(ctx, m.MethodUpdateUserAvatarUrl.Name, &m.UpdateUserAvatarUrlParams{UserAvatarUrl: url}, &m.UserAvatarUrlUpdatedResult{})
}

func (c *Client) UpdateUserExtendedData(ctx context.Context, data string) error {
	return c.Call(ctx, m.MethodUpdateUserExtendedData.Name, &m.UpdateUserExtendedDataParams{ExtendedData: data}, &m.UserExtendedDataUpdatedResult{})
}

func (c *Client) QueryUsersInfo(ctx context.Context, userIDs []string) (*m.UsersInfoQueriedResult, error) {
	r := &m.UsersInfoQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryUsersInfo.Name, &m.QueryUsersInfoParams{UserIDs: userIDs, Config: &m.UsersInfoQueryConfig{IsQueryFromServer: true}}, r)
}

// SendMessage sends msg to a conversation and returns the stored message (messageID,
// messageSeq, timestamp… filled in).
func (c *Client) SendMessage(ctx context.Context, msg *m.Message, to string, conversationType int32, cfg *m.MessageSendConfig) (*m.Message, error) {
	if cfg == nil {
		cfg = &m.MessageSendConfig{Priority: 2}
	}
	r := &m.MessageSentResult{}
	err := c.Call(ctx, m.MethodSendMessage.Name, &m.SendMessageParams{Message: msg, ToConversationID: to, ConversationType: conversationType, Config: cfg}, r)
	return r.Message, err
}

// SendText is SendMessage of a text message.
func (c *Client) SendText(ctx context.Context, text, to string, conversationType int32) (*m.Message, error) {
	return c.SendMessage(ctx, &m.Message{Type: 1, Message: text}, to, conversationType, nil)
}

func (c *Client) QueryHistoryMessage(ctx context.Context, convID string, convType int32, cfg *m.MessageQueryConfig) (*m.MessageQueriedResult, error) {
	r := &m.MessageQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryHistoryMessage.Name, &m.QueryHistoryMessageParams{ConversationID: convID, ConversationType: convType, Config: cfg}, r)
}

func (c *Client) QueryMessages(ctx context.Context, seqs []int64, convID string, convType int32) (*m.MessageQueriedResult, error) {
	r := &m.MessageQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryMessages.Name, &m.QueryMessagesParams{MessageSeqs: seqs, ConversationID: convID, ConversationType: convType}, r)
}

func (c *Client) DeleteMessages(ctx context.Context, list []*m.Message, convID string, convType int32) error {
	return c.Call(ctx, m.MethodDeleteMessages.Name, &m.DeleteMessagesParams{MessageList: list, ConversationID: convID, ConversationType: convType,
		Config: &m.MessageDeleteConfig{IsAlsoDeleteServerMessage: true}}, &m.MessageDeletedResult{})
}

func (c *Client) DeleteAllMessage(ctx context.Context, convID string, convType int32) error {
	return c.Call(ctx, m.MethodDeleteAllMessage.Name, &m.DeleteAllMessageParams{ConversationID: convID, ConversationType: convType,
		Config: &m.MessageDeleteConfig{IsAlsoDeleteServerMessage: true}}, &m.MessageDeletedResult{})
}

func (c *Client) QueryConversationList(ctx context.Context, count int32, next *m.Conversation, opt *m.ConversationFilterOption) ([]*m.Conversation, error) {
	r := &m.ConversationListQueriedResult{}
	err := c.Call(ctx, m.MethodQueryConversationList.Name, &m.QueryConversationListParams{Config: &m.ConversationQueryConfig{Count: count, NextConversation: next}, Option: opt}, r)
	return r.ConversationList, err
}

func (c *Client) QueryConversation(ctx context.Context, convID string, convType int32) (*m.Conversation, error) {
	r := &m.ConversationQueriedResult{}
	err := c.Call(ctx, m.MethodQueryConversation.Name, &m.ConversationRef{ConversationID: convID, ConversationType: convType}, r)
	return r.Conversation, err
}

func (c *Client) ClearConversationUnreadMessageCount(ctx context.Context, convID string, convType int32) error {
	return c.Call(ctx, m.MethodClearConversationUnreadMessageCount.Name, &m.ConversationRef{ConversationID: convID, ConversationType: convType}, &m.ConversationRef{})
}

func (c *Client) QueryConversationTotalUnreadMessageCount(ctx context.Context, types ...int32) (int64, error) {
	r := &m.ConversationTotalUnreadMessageCountQueriedResult{}
	err := c.Call(ctx, m.MethodQueryConversationTotalUnreadMessageCount.Name, &m.QueryConversationTotalUnreadMessageCountParams{
		Config: &m.ConversationTotalUnreadMessageCountQueryConfig{ConversationTypes: types}}, r)
	return r.UnreadMessageCount, err
}

func (c *Client) SetConversationNotificationStatus(ctx context.Context, status int32, convID string, convType int32) error {
	return c.Call(ctx, m.MethodSetConversationNotificationStatus.Name, &m.SetConversationNotificationStatusParams{Status: status, ConversationID: convID, ConversationType: convType}, &m.ConversationRef{})
}

func (c *Client) SetConversationDraft(ctx context.Context, draft, convID string, convType int32) error {
	return c.Call(ctx, m.MethodSetConversationDraft.Name, &m.SetConversationDraftParams{Draft: draft, ConversationID: convID, ConversationType: convType}, &m.ConversationRef{})
}

// Typed event callbacks.

func on[T proto.Message](c *Client, event string, fn func(T)) {
	c.On(event, func(p proto.Message) {
		if v, ok := p.(T); ok {
			fn(v)
		}
	})
}

func (c *Client) OnPeerMessageReceived(fn func(*m.ConversationMessageReceivedEvent)) {
	on(c, m.EventPeerMessageReceived.Name, fn)
}
func (c *Client) OnConversationChanged(fn func(*m.ConversationChangedEvent)) {
	on(c, m.EventConversationChanged.Name, fn)
}
func (c *Client) OnConversationTotalUnreadMessageCountUpdated(fn func(*m.ConversationTotalUnreadMessageCountUpdatedEvent)) {
	on(c, m.EventConversationTotalUnreadMessageCountUpdated.Name, fn)
}

// OnConnectionStateChanged reports ZIM connection states (StateDisconnected 0,
// StateConnecting 1, StateConnected 2, StateReconnecting 3): the server's pushes
// (connected after a login; disconnected on logout, kick, token expiry) and what the
// client sees itself: connecting when Login starts, reconnecting when a connection
// drops and Reconnect restores it (then connected again), disconnected when a
// logged-in client's connection ends for good.
func (c *Client) OnConnectionStateChanged(fn func(*m.ConnectionStateChangedEvent)) {
	on(c, m.EventConnectionStateChanged.Name, fn)
}
func (c *Client) OnTokenWillExpire(fn func(*m.TokenWillExpireEvent)) {
	on(c, m.EventTokenWillExpire.Name, fn)
}
func (c *Client) OnUserInfoUpdated(fn func(*m.UserInfoUpdatedEvent)) {
	on(c, m.EventUserInfoUpdated.Name, fn)
}
func (c *Client) OnMessageDeleted(fn func(*m.MessageDeletedEvent)) {
	on(c, m.EventMessageDeleted.Name, fn)
}
