package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Community methods (ZIM names). Channel messages are SendMessage with conversation
// type 3 and the channel's conversationID.

func (c *Client) CreateCommunity(ctx context.Context, info *m.CommunityInfo, cfg *m.CommunityCreateConfig) (*m.CommunityFullInfo, error) {
	r := &m.CommunityCreatedResult{}
	err := c.Call(ctx, m.MethodCreateCommunity.Name, &m.CommunityCreateParams{CommunityInfo: info, Config: cfg}, r)
	return r.CommunityInfo, err
}

func (c *Client) DismissCommunity(ctx context.Context, communityID string) error {
	return c.Call(ctx, m.MethodDismissCommunity.Name, &m.CommunityIDParams{CommunityID: communityID}, &m.CommunityIDResult{})
}

func (c *Client) JoinCommunity(ctx context.Context, communityID string) (*m.CommunityFullInfo, error) {
	r := &m.CommunityJoinedResult{}
	err := c.Call(ctx, m.MethodJoinCommunity.Name, &m.CommunityIDParams{CommunityID: communityID}, r)
	return r.CommunityInfo, err
}

func (c *Client) LeaveCommunity(ctx context.Context, communityID string) error {
	return c.Call(ctx, m.MethodLeaveCommunity.Name, &m.CommunityIDParams{CommunityID: communityID}, &m.CommunityIDResult{})
}

func (c *Client) QueryCommunityList(ctx context.Context, count int32, nextFlag int64) (*m.CommunityListQueriedResult, error) {
	r := &m.CommunityListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryCommunityList.Name, &m.CommunityListQueryParams{Count: count, Config: &m.CommunityListQueryConfig{NextFlag: nextFlag}}, r)
}

func (c *Client) QueryCommunityInfo(ctx context.Context, communityID string) (*m.CommunityFullInfo, error) {
	r := &m.CommunityInfoQueriedResult{}
	err := c.Call(ctx, m.MethodQueryCommunityInfo.Name, &m.CommunityIDParams{CommunityID: communityID}, r)
	return r.CommunityInfo, err
}

func (c *Client) UpdateCommunityName(ctx context.Context, name, communityID string) error {
	return c.Call(ctx, m.MethodUpdateCommunityName.Name, &m.CommunityUpdateNameParams{CommunityName: name, CommunityID: communityID}, &m.CommunityNameUpdatedResult{})
}

func (c *Client) UpdateCommunityAvatarUrl(ctx context.Context, url, communityID string) error {
	return c.Call(ctx, m.MethodUpdateCommunityAvatarUrl.Name, &m.CommunityUpdateAvatarUrlParams{CommunityAvatarUrl: url, CommunityID: communityID}, &m.CommunityAvatarUrlUpdatedResult{})
}

func (c *Client) UpdateCommunityNotice(ctx context.Context, notice, communityID string) error {
	return c.Call(ctx, m.MethodUpdateCommunityNotice.Name, &m.CommunityUpdateNoticeParams{CommunityNotice: notice, CommunityID: communityID}, &m.CommunityNoticeUpdatedResult{})
}

func (c *Client) SetCommunityAttributes(ctx context.Context, attrs map[string]string, communityID string) ([]string, error) {
	r := &m.CommunityAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodSetCommunityAttributes.Name, &m.CommunitySetAttributesParams{Attributes: attrs, CommunityID: communityID}, r)
	return r.ErrorKeys, err
}

func (c *Client) DeleteCommunityAttributes(ctx context.Context, keys []string, communityID string) ([]string, error) {
	r := &m.CommunityAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodDeleteCommunityAttributes.Name, &m.CommunityAttributeKeysParams{Keys: keys, CommunityID: communityID}, r)
	return r.ErrorKeys, err
}

func (c *Client) SetCommunityNotificationStatus(ctx context.Context, status int32, communityID string) error {
	return c.Call(ctx, m.MethodSetCommunityNotificationStatus.Name, &m.CommunityNotificationStatusParams{Status: status, CommunityID: communityID}, &m.CommunityNotificationStatusSetResult{})
}

// ---- members ----

func (c *Client) InviteUsersIntoCommunity(ctx context.Context, userIDs []string, communityID string) (*m.CommunityUsersInvitedResult, error) {
	r := &m.CommunityUsersInvitedResult{}
	return r, c.Call(ctx, m.MethodInviteUsersIntoCommunity.Name, &m.CommunityUsersParams{UserIDs: userIDs, CommunityID: communityID}, r)
}

func (c *Client) KickCommunityMembers(ctx context.Context, userIDs []string, communityID string) (*m.CommunityMembersKickedResult, error) {
	r := &m.CommunityMembersKickedResult{}
	return r, c.Call(ctx, m.MethodKickCommunityMembers.Name, &m.CommunityUsersParams{UserIDs: userIDs, CommunityID: communityID}, r)
}

func (c *Client) SetCommunityMemberRole(ctx context.Context, role int32, forUserID, communityID string) error {
	return c.Call(ctx, m.MethodSetCommunityMemberRole.Name, &m.CommunitySetMemberRoleParams{Role: role, ForUserID: forUserID, CommunityID: communityID}, &m.CommunityMemberRoleUpdatedResult{})
}

func (c *Client) TransferCommunityOwner(ctx context.Context, toUserID, communityID string) error {
	return c.Call(ctx, m.MethodTransferCommunityOwner.Name, &m.CommunityTransferOwnerParams{ToUserID: toUserID, CommunityID: communityID}, &m.CommunityOwnerTransferredResult{})
}

func (c *Client) QueryCommunityMemberList(ctx context.Context, communityID string, count int32, nextFlag int64) (*m.CommunityMemberListQueriedResult, error) {
	r := &m.CommunityMemberListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryCommunityMemberList.Name, &m.CommunityMemberListQueryParams{CommunityID: communityID, Config: &m.CommunityPageConfig{Count: count, NextFlag: nextFlag}}, r)
}

func (c *Client) QueryCommunityMemberInfo(ctx context.Context, userID, communityID string) (*m.CommunityMemberInfo, error) {
	r := &m.CommunityMemberInfoQueriedResult{}
	err := c.Call(ctx, m.MethodQueryCommunityMemberInfo.Name, &m.CommunityMemberInfoQueryParams{UserID: userID, CommunityID: communityID}, r)
	return r.UserInfo, err
}

func (c *Client) MuteCommunityMembers(ctx context.Context, isMute bool, userIDs []string, communityID string, duration int64) (*m.CommunityMembersMutedResult, error) {
	r := &m.CommunityMembersMutedResult{}
	return r, c.Call(ctx, m.MethodMuteCommunityMembers.Name, &m.CommunityMuteMembersParams{IsMute: isMute, UserIDs: userIDs, CommunityID: communityID, Config: &m.CommunityMemberMuteConfig{Duration: duration}}, r)
}

// ---- channels ----

func (c *Client) CreateCommunityChannel(ctx context.Context, info *m.CommunityChannelInfo, cfg *m.CommunityChannelCreateConfig, communityID string) (*m.CommunityChannel, error) {
	r := &m.CommunityChannelResult{}
	err := c.Call(ctx, m.MethodCreateCommunityChannel.Name, &m.CommunityChannelCreateParams{ChannelInfo: info, Config: cfg, CommunityID: communityID}, r)
	return r.Channel, err
}

func (c *Client) DismissCommunityChannel(ctx context.Context, channelID, communityID string) error {
	return c.Call(ctx, m.MethodDismissCommunityChannel.Name, &m.CommunityChannelIDParams{ChannelID: channelID, CommunityID: communityID}, &m.CommunityChannelIDResult{})
}

func (c *Client) UpdateCommunityChannelName(ctx context.Context, name, channelID, communityID string) (*m.CommunityChannel, error) {
	r := &m.CommunityChannelResult{}
	err := c.Call(ctx, m.MethodUpdateCommunityChannelName.Name, &m.CommunityChannelUpdateNameParams{ChannelName: name, ChannelID: channelID, CommunityID: communityID}, r)
	return r.Channel, err
}

func (c *Client) UpdateCommunityChannelAvatarUrl(ctx context.Context, url, channelID, communityID string) (*m.CommunityChannel, error) {
	r := &m.CommunityChannelResult{}
	err := c.Call(ctx, m.MethodUpdateCommunityChannelAvatarUrl.Name, &m.CommunityChannelUpdateAvatarUrlParams{ChannelAvatarUrl: url, ChannelID: channelID, CommunityID: communityID}, r)
	return r.Channel, err
}

func (c *Client) UpdateCommunityChannelNotice(ctx context.Context, notice, channelID, communityID string) (*m.CommunityChannel, error) {
	r := &m.CommunityChannelResult{}
	err := c.Call(ctx, m.MethodUpdateCommunityChannelNotice.Name, &m.CommunityChannelUpdateNoticeParams{ChannelNotice: notice, ChannelID: channelID, CommunityID: communityID}, r)
	return r.Channel, err
}

func (c *Client) SetCommunityChannelAttributes(ctx context.Context, attrs map[string]string, channelID, communityID string) ([]string, error) {
	r := &m.CommunityChannelAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodSetCommunityChannelAttributes.Name, &m.CommunityChannelSetAttributesParams{Attributes: attrs, ChannelID: channelID, CommunityID: communityID}, r)
	return r.ErrorKeys, err
}

func (c *Client) DeleteCommunityChannelAttributes(ctx context.Context, keys []string, channelID, communityID string) ([]string, error) {
	r := &m.CommunityChannelAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodDeleteCommunityChannelAttributes.Name, &m.CommunityChannelAttributeKeysParams{Keys: keys, ChannelID: channelID, CommunityID: communityID}, r)
	return r.ErrorKeys, err
}

func (c *Client) QueryCommunityChannelList(ctx context.Context, communityID string, count int32, nextFlag int64) (*m.CommunityChannelListQueriedResult, error) {
	r := &m.CommunityChannelListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryCommunityChannelList.Name, &m.CommunityChannelListQueryParams{CommunityID: communityID, Config: &m.CommunityPageConfig{Count: count, NextFlag: nextFlag}}, r)
}

func (c *Client) QueryCommunityChannelInfo(ctx context.Context, channelID, communityID string) (*m.CommunityChannel, error) {
	r := &m.CommunityChannelResult{}
	err := c.Call(ctx, m.MethodQueryCommunityChannelInfo.Name, &m.CommunityChannelIDParams{ChannelID: channelID, CommunityID: communityID}, r)
	return r.Channel, err
}

func (c *Client) MuteCommunityChannels(ctx context.Context, isMute bool, channelIDs []string, communityID string, cfg *m.CommunityChannelMuteConfig) (*m.CommunityChannelsMutedResult, error) {
	r := &m.CommunityChannelsMutedResult{}
	return r, c.Call(ctx, m.MethodMuteCommunityChannels.Name, &m.CommunityMuteChannelsParams{IsMute: isMute, ChannelIDs: channelIDs, CommunityID: communityID, Config: cfg}, r)
}

func (c *Client) InviteUsersIntoCommunityChannel(ctx context.Context, userIDs []string, channelID, communityID string) (*m.CommunityChannelUsersResult, error) {
	r := &m.CommunityChannelUsersResult{}
	return r, c.Call(ctx, m.MethodInviteUsersIntoCommunityChannel.Name, &m.CommunityChannelUsersParams{UserIDs: userIDs, ChannelID: channelID, CommunityID: communityID}, r)
}

func (c *Client) KickCommunityChannelMembers(ctx context.Context, userIDs []string, channelID, communityID string) (*m.CommunityChannelUsersResult, error) {
	r := &m.CommunityChannelUsersResult{}
	return r, c.Call(ctx, m.MethodKickCommunityChannelMembers.Name, &m.CommunityChannelUsersParams{UserIDs: userIDs, ChannelID: channelID, CommunityID: communityID}, r)
}

func (c *Client) QueryCommunityChannelMemberList(ctx context.Context, channelID, communityID string, count int32, nextFlag int64) (*m.CommunityChannelMemberListQueriedResult, error) {
	r := &m.CommunityChannelMemberListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryCommunityChannelMemberList.Name, &m.CommunityChannelMemberListQueryParams{ChannelID: channelID, CommunityID: communityID, Config: &m.CommunityPageConfig{Count: count, NextFlag: nextFlag}}, r)
}
