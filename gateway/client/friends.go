package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Friend, blacklist and user-rule methods (ZIM names and parameter order).

func (c *Client) AddFriend(ctx context.Context, userID string, cfg *m.FriendAddConfig) (*m.FriendInfo, error) {
	r := &m.FriendAddedResult{}
	err := c.Call(ctx, m.MethodAddFriend.Name, &m.AddFriendParams{UserID: userID, Config: cfg}, r)
	return r.FriendInfo, err
}

func (c *Client) SendFriendApplication(ctx context.Context, userID string, cfg *m.FriendApplicationSendConfig) (*m.FriendApplicationInfo, error) {
	r := &m.FriendApplicationSentResult{}
	err := c.Call(ctx, m.MethodSendFriendApplication.Name, &m.SendFriendApplicationParams{UserID: userID, Config: cfg}, r)
	return r.ApplicationInfo, err
}

func (c *Client) AcceptFriendApplication(ctx context.Context, userID string, cfg *m.FriendApplicationAcceptConfig) (*m.FriendInfo, error) {
	r := &m.FriendApplicationAcceptedResult{}
	err := c.Call(ctx, m.MethodAcceptFriendApplication.Name, &m.AcceptFriendApplicationParams{UserID: userID, Config: cfg}, r)
	return r.FriendInfo, err
}

func (c *Client) RejectFriendApplication(ctx context.Context, userID string) (*m.UserInfo, error) {
	r := &m.FriendApplicationRejectedResult{}
	err := c.Call(ctx, m.MethodRejectFriendApplication.Name, &m.RejectFriendApplicationParams{UserID: userID, Config: &m.FriendApplicationRejectConfig{}}, r)
	return r.UserInfo, err
}

// DeleteFriends deletes friends; deleteType is ZIMFriendDeleteType (both 0, single 1).
func (c *Client) DeleteFriends(ctx context.Context, userIDs []string, deleteType int32) ([]*m.ErrorUserInfo, error) {
	r := &m.FriendsDeletedResult{}
	err := c.Call(ctx, m.MethodDeleteFriends.Name, &m.DeleteFriendsParams{UserIDs: userIDs, Config: &m.FriendDeleteConfig{Type: deleteType}}, r)
	return r.ErrorUserList, err
}

// CheckFriendsRelation checks relations; checkType is ZIMFriendRelationCheckType (both 0, single 1).
func (c *Client) CheckFriendsRelation(ctx context.Context, userIDs []string, checkType int32) (*m.FriendsRelationCheckedResult, error) {
	r := &m.FriendsRelationCheckedResult{}
	return r, c.Call(ctx, m.MethodCheckFriendsRelation.Name, &m.CheckFriendsRelationParams{UserIDs: userIDs, Config: &m.FriendRelationCheckConfig{Type: checkType}}, r)
}

func (c *Client) UpdateFriendAlias(ctx context.Context, friendAlias, userID string) (*m.FriendInfo, error) {
	r := &m.FriendAliasUpdatedResult{}
	err := c.Call(ctx, m.MethodUpdateFriendAlias.Name, &m.UpdateFriendAliasParams{FriendAlias: friendAlias, UserID: userID}, r)
	return r.FriendInfo, err
}

func (c *Client) UpdateFriendAttributes(ctx context.Context, attrs map[string]string, userID string) (*m.FriendInfo, error) {
	r := &m.FriendAttributesUpdatedResult{}
	err := c.Call(ctx, m.MethodUpdateFriendAttributes.Name, &m.UpdateFriendAttributesParams{FriendAttributes: attrs, UserID: userID}, r)
	return r.FriendInfo, err
}

func (c *Client) QueryFriendsInfo(ctx context.Context, userIDs []string) (*m.FriendsInfoQueriedResult, error) {
	r := &m.FriendsInfoQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryFriendsInfo.Name, &m.FriendUserIDsParams{UserIDs: userIDs}, r)
}

func (c *Client) QueryFriendList(ctx context.Context, count int32, nextFlag int64) (*m.FriendListQueriedResult, error) {
	r := &m.FriendListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryFriendList.Name, &m.FriendPageParams{Config: &m.FriendPageConfig{Count: count, NextFlag: nextFlag}}, r)
}

func (c *Client) QueryFriendApplicationList(ctx context.Context, count int32, nextFlag int64) (*m.FriendApplicationListQueriedResult, error) {
	r := &m.FriendApplicationListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryFriendApplicationList.Name, &m.FriendPageParams{Config: &m.FriendPageConfig{Count: count, NextFlag: nextFlag}}, r)
}

func (c *Client) AddUsersToBlacklist(ctx context.Context, userIDs []string) ([]*m.ErrorUserInfo, error) {
	r := &m.BlacklistUsersAddedResult{}
	err := c.Call(ctx, m.MethodAddUsersToBlacklist.Name, &m.FriendUserIDsParams{UserIDs: userIDs}, r)
	return r.ErrorUserList, err
}

func (c *Client) RemoveUsersFromBlacklist(ctx context.Context, userIDs []string) ([]*m.ErrorUserInfo, error) {
	r := &m.BlacklistUsersRemovedResult{}
	err := c.Call(ctx, m.MethodRemoveUsersFromBlacklist.Name, &m.FriendUserIDsParams{UserIDs: userIDs}, r)
	return r.ErrorUserList, err
}

func (c *Client) QueryBlacklist(ctx context.Context, count int32, nextFlag int64) (*m.BlacklistQueriedResult, error) {
	r := &m.BlacklistQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryBlacklist.Name, &m.FriendPageParams{Config: &m.FriendPageConfig{Count: count, NextFlag: nextFlag}}, r)
}

func (c *Client) CheckUserIsInBlacklist(ctx context.Context, userID string) (bool, error) {
	r := &m.BlacklistCheckedResult{}
	err := c.Call(ctx, m.MethodCheckUserIsInBlacklist.Name, &m.FriendUserIDParams{UserID: userID}, r)
	return r.IsUserInBlacklist, err
}

func (c *Client) UpdateUserOfflinePushRule(ctx context.Context, rule *m.UserOfflinePushRule) (*m.UserOfflinePushRule, error) {
	r := &m.UserOfflinePushRuleUpdatedResult{}
	err := c.Call(ctx, m.MethodUpdateUserOfflinePushRule.Name, &m.UpdateUserOfflinePushRuleParams{OfflinePushRule: rule}, r)
	return r.OfflinePushRule, err
}

func (c *Client) UpdateUserBadge(ctx context.Context, badge int32) error {
	return c.Call(ctx, m.MethodUpdateUserBadge.Name, &m.UpdateUserBadgeParams{Badge: badge}, &m.Empty{})
}

// Typed friend, blacklist and user-rule event callbacks.

func (c *Client) OnFriendListChanged(fn func(*m.FriendListChangedEvent)) {
	on(c, m.EventFriendListChanged.Name, fn)
}
func (c *Client) OnFriendInfoUpdated(fn func(*m.FriendInfoUpdatedEvent)) {
	on(c, m.EventFriendInfoUpdated.Name, fn)
}
func (c *Client) OnFriendApplicationListChanged(fn func(*m.FriendApplicationListChangedEvent)) {
	on(c, m.EventFriendApplicationListChanged.Name, fn)
}
func (c *Client) OnFriendApplicationUpdated(fn func(*m.FriendApplicationUpdatedEvent)) {
	on(c, m.EventFriendApplicationUpdated.Name, fn)
}
func (c *Client) OnBlacklistChanged(fn func(*m.BlacklistChangedEvent)) {
	on(c, m.EventBlacklistChanged.Name, fn)
}
func (c *Client) OnUserRuleUpdated(fn func(*m.UserRuleUpdatedEvent)) {
	on(c, m.EventUserRuleUpdated.Name, fn)
}
