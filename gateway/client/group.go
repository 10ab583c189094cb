package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Group methods (ZIM names). Group messages are SendMessage with conversation type 2.

func (c *Client) CreateGroup(ctx context.Context, info *m.GroupInfo, userIDs []string, cfg *m.GroupAdvancedConfig) (*m.GroupCreatedResult, error) {
	r := &m.GroupCreatedResult{}
	return r, c.Call(ctx, m.MethodCreateGroup.Name, &m.GroupCreateParams{GroupInfo: info, UserIDs: userIDs, Config: cfg}, r)
}

func (c *Client) JoinGroup(ctx context.Context, groupID string) (*m.GroupJoinedResult, error) {
	r := &m.GroupJoinedResult{}
	return r, c.Call(ctx, m.MethodJoinGroup.Name, &m.GroupIDParams{GroupID: groupID}, r)
}

func (c *Client) LeaveGroup(ctx context.Context, groupID string) error {
	return c.Call(ctx, m.MethodLeaveGroup.Name, &m.GroupIDParams{GroupID: groupID}, &m.GroupIDResult{})
}

func (c *Client) DismissGroup(ctx context.Context, groupID string) error {
	return c.Call(ctx, m.MethodDismissGroup.Name, &m.GroupIDParams{GroupID: groupID}, &m.GroupIDResult{})
}

func (c *Client) KickGroupMembers(ctx context.Context, userIDs []string, groupID string) (*m.GroupMemberKickedResult, error) {
	r := &m.GroupMemberKickedResult{}
	return r, c.Call(ctx, m.MethodKickGroupMembers.Name, &m.GroupUsersParams{UserIDs: userIDs, GroupID: groupID}, r)
}

func (c *Client) InviteUsersIntoGroup(ctx context.Context, userIDs []string, groupID string) (*m.GroupUsersInvitedResult, error) {
	r := &m.GroupUsersInvitedResult{}
	return r, c.Call(ctx, m.MethodInviteUsersIntoGroup.Name, &m.GroupUsersParams{UserIDs: userIDs, GroupID: groupID}, r)
}

func (c *Client) TransferGroupOwner(ctx context.Context, toUserID, groupID string) error {
	return c.Call(ctx, m.MethodTransferGroupOwner.Name, &m.GroupTransferOwnerParams{ToUserID: toUserID, GroupID: groupID}, &m.GroupOwnerTransferredResult{})
}

func (c *Client) QueryGroupInfo(ctx context.Context, groupID string) (*m.GroupFullInfo, error) {
	r := &m.GroupInfoQueriedResult{}
	err := c.Call(ctx, m.MethodQueryGroupInfo.Name, &m.GroupIDParams{GroupID: groupID}, r)
	return r.GroupInfo, err
}

// QueryGroupList lists the caller's groups; count 0 lists them all.
func (c *Client) QueryGroupList(ctx context.Context, count int32, cfg *m.GroupListQueryConfig) (*m.GroupListQueriedResult, error) {
	r := &m.GroupListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupList.Name, &m.GroupListQueryParams{Count: count, Config: cfg}, r)
}

func (c *Client) QueryGroupMemberCount(ctx context.Context, groupID string) (int32, error) {
	r := &m.GroupMemberCountQueriedResult{}
	err := c.Call(ctx, m.MethodQueryGroupMemberCount.Name, &m.GroupIDParams{GroupID: groupID}, r)
	return r.Count, err
}

func (c *Client) UpdateGroupName(ctx context.Context, name, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupName.Name, &m.GroupUpdateNameParams{GroupName: name, GroupID: groupID}, &m.GroupNameUpdatedResult{})
}

func (c *Client) UpdateGroupNotice(ctx context.Context, notice, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupNotice.Name, &m.GroupUpdateNoticeParams{GroupNotice: notice, GroupID: groupID}, &m.GroupNoticeUpdatedResult{})
}

func (c *Client) UpdateGroupAvatarUrl(ctx context.Context, url, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupAvatarUrl.Name, &m.GroupUpdateAvatarUrlParams{GroupAvatarUrl: url, GroupID: groupID}, &m.GroupAvatarUrlUpdatedResult{})
}

func (c *Client) UpdateGroupAlias(ctx context.Context, alias, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupAlias.Name, &m.GroupUpdateAliasParams{GroupAlias: alias, GroupID: groupID}, &m.GroupAliasUpdatedResult{})
}

func (c *Client) SetGroupAttributes(ctx context.Context, attrs map[string]string, groupID string) (*m.GroupAttributesOperatedResult, error) {
	r := &m.GroupAttributesOperatedResult{}
	return r, c.Call(ctx, m.MethodSetGroupAttributes.Name, &m.GroupSetAttributesParams{GroupAttributes: attrs, GroupID: groupID}, r)
}

func (c *Client) DeleteGroupAttributes(ctx context.Context, keys []string, groupID string) (*m.GroupAttributesOperatedResult, error) {
	r := &m.GroupAttributesOperatedResult{}
	return r, c.Call(ctx, m.MethodDeleteGroupAttributes.Name, &m.GroupAttributeKeysParams{Keys: keys, GroupID: groupID}, r)
}

func (c *Client) QueryGroupAttributes(ctx context.Context, keys []string, groupID string) (map[string]string, error) {
	r := &m.GroupAttributesQueriedResult{}
	err := c.Call(ctx, m.MethodQueryGroupAttributes.Name, &m.GroupAttributeKeysParams{Keys: keys, GroupID: groupID}, r)
	return r.GroupAttributes, err
}

func (c *Client) QueryGroupAllAttributes(ctx context.Context, groupID string) (map[string]string, error) {
	r := &m.GroupAttributesQueriedResult{}
	err := c.Call(ctx, m.MethodQueryGroupAllAttributes.Name, &m.GroupIDParams{GroupID: groupID}, r)
	return r.GroupAttributes, err
}

func (c *Client) SetGroupMemberRole(ctx context.Context, role int32, forUserID, groupID string) error {
	return c.Call(ctx, m.MethodSetGroupMemberRole.Name, &m.GroupSetMemberRoleParams{Role: role, ForUserID: forUserID, GroupID: groupID}, &m.GroupMemberRoleUpdatedResult{})
}

func (c *Client) SetGroupMemberNickname(ctx context.Context, nickname, forUserID, groupID string) error {
	return c.Call(ctx, m.MethodSetGroupMemberNickname.Name, &m.GroupSetMemberNicknameParams{Nickname: nickname, ForUserID: forUserID, GroupID: groupID}, &m.GroupMemberNicknameUpdatedResult{})
}

func (c *Client) QueryGroupMemberInfo(ctx context.Context, userID, groupID string) (*m.GroupMemberInfo, error) {
	r := &m.GroupMemberInfoQueriedResult{}
	err := c.Call(ctx, m.MethodQueryGroupMemberInfo.Name, &m.GroupMemberInfoQueryParams{UserID: userID, GroupID: groupID}, r)
	return r.UserInfo, err
}

func (c *Client) QueryGroupMemberList(ctx context.Context, groupID string, cfg *m.GroupPageConfig) (*m.GroupMemberListQueriedResult, error) {
	r := &m.GroupMemberListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupMemberList.Name, &m.GroupMemberListQueryParams{GroupID: groupID, Config: cfg}, r)
}

func (c *Client) QueryGroupMemberMutedList(ctx context.Context, groupID string, cfg *m.GroupPageConfig) (*m.GroupMemberMutedListQueriedResult, error) {
	r := &m.GroupMemberMutedListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupMemberMutedList.Name, &m.GroupMemberListQueryParams{GroupID: groupID, Config: cfg}, r)
}

func (c *Client) MuteGroup(ctx context.Context, isMute bool, groupID string, cfg *m.GroupMuteConfig) (*m.GroupMutedResult, error) {
	r := &m.GroupMutedResult{}
	return r, c.Call(ctx, m.MethodMuteGroup.Name, &m.GroupMuteParams{IsMute: isMute, GroupID: groupID, Config: cfg}, r)
}

func (c *Client) MuteGroupMembers(ctx context.Context, isMute bool, userIDs []string, groupID string, cfg *m.GroupMemberMuteConfig) (*m.GroupMembersMutedResult, error) {
	r := &m.GroupMembersMutedResult{}
	return r, c.Call(ctx, m.MethodMuteGroupMembers.Name, &m.GroupMuteMembersParams{IsMute: isMute, UserIDs: userIDs, GroupID: groupID, Config: cfg}, r)
}

func (c *Client) UpdateGroupJoinMode(ctx context.Context, mode int32, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupJoinMode.Name, &m.GroupUpdateModeParams{Mode: mode, GroupID: groupID}, &m.GroupModeUpdatedResult{})
}

func (c *Client) UpdateGroupInviteMode(ctx context.Context, mode int32, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupInviteMode.Name, &m.GroupUpdateModeParams{Mode: mode, GroupID: groupID}, &m.GroupModeUpdatedResult{})
}

func (c *Client) UpdateGroupBeInviteMode(ctx context.Context, mode int32, groupID string) error {
	return c.Call(ctx, m.MethodUpdateGroupBeInviteMode.Name, &m.GroupUpdateModeParams{Mode: mode, GroupID: groupID}, &m.GroupModeUpdatedResult{})
}

func (c *Client) SendGroupJoinApplication(ctx context.Context, groupID, wording string) error {
	return c.Call(ctx, m.MethodSendGroupJoinApplication.Name, &m.GroupJoinApplicationSendParams{GroupID: groupID,
		Config: &m.GroupApplicationConfig{Wording: wording}}, &m.GroupIDResult{})
}

func (c *Client) AcceptGroupJoinApplication(ctx context.Context, userID, groupID string) error {
	return c.Call(ctx, m.MethodAcceptGroupJoinApplication.Name, &m.GroupJoinApplicationParams{UserID: userID, GroupID: groupID}, &m.GroupJoinApplicationResult{})
}

func (c *Client) RejectGroupJoinApplication(ctx context.Context, userID, groupID string) error {
	return c.Call(ctx, m.MethodRejectGroupJoinApplication.Name, &m.GroupJoinApplicationParams{UserID: userID, GroupID: groupID}, &m.GroupJoinApplicationResult{})
}

func (c *Client) SendGroupInviteApplications(ctx context.Context, userIDs []string, groupID, wording string) (*m.GroupInviteApplicationsSentResult, error) {
	r := &m.GroupInviteApplicationsSentResult{}
	return r, c.Call(ctx, m.MethodSendGroupInviteApplications.Name, &m.GroupInviteApplicationsSendParams{UserIDs: userIDs, GroupID: groupID,
		Config: &m.GroupApplicationConfig{Wording: wording}}, r)
}

func (c *Client) AcceptGroupInviteApplication(ctx context.Context, inviterUserID, groupID string) (*m.GroupInviteApplicationAcceptedResult, error) {
	r := &m.GroupInviteApplicationAcceptedResult{}
	return r, c.Call(ctx, m.MethodAcceptGroupInviteApplication.Name, &m.GroupInviteApplicationParams{InviterUserID: inviterUserID, GroupID: groupID}, r)
}

func (c *Client) RejectGroupInviteApplication(ctx context.Context, inviterUserID, groupID string) error {
	return c.Call(ctx, m.MethodRejectGroupInviteApplication.Name, &m.GroupInviteApplicationParams{InviterUserID: inviterUserID, GroupID: groupID}, &m.GroupInviteApplicationRejectedResult{})
}

func (c *Client) QueryGroupApplicationList(ctx context.Context, cfg *m.GroupPageConfig) (*m.GroupApplicationListQueriedResult, error) {
	r := &m.GroupApplicationListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryGroupApplicationList.Name, &m.GroupApplicationListQueryParams{Config: cfg}, r)
}

// Typed group event callbacks.

func (c *Client) OnGroupMessageReceived(fn func(*m.ConversationMessageReceivedEvent)) {
	on(c, m.EventGroupMessageReceived.Name, fn)
}
func (c *Client) OnGroupStateChanged(fn func(*m.GroupStateChangedEvent)) {
	on(c, m.EventGroupStateChanged.Name, fn)
}
func (c *Client) OnGroupMemberStateChanged(fn func(*m.GroupMemberStateChangedEvent)) {
	on(c, m.EventGroupMemberStateChanged.Name, fn)
}
func (c *Client) OnGroupNameUpdated(fn func(*m.GroupNameUpdatedEvent)) {
	on(c, m.EventGroupNameUpdated.Name, fn)
}
func (c *Client) OnGroupNoticeUpdated(fn func(*m.GroupNoticeUpdatedEvent)) {
	on(c, m.EventGroupNoticeUpdated.Name, fn)
}
func (c *Client) OnGroupAvatarUrlUpdated(fn func(*m.GroupAvatarUrlUpdatedEvent)) {
	on(c, m.EventGroupAvatarUrlUpdated.Name, fn)
}
func (c *Client) OnGroupAliasUpdated(fn func(*m.GroupAliasUpdatedEvent)) {
	on(c, m.EventGroupAliasUpdated.Name, fn)
}
func (c *Client) OnGroupAttributesUpdated(fn func(*m.GroupAttributesUpdatedEvent)) {
	on(c, m.EventGroupAttributesUpdated.Name, fn)
}
func (c *Client) OnGroupMemberInfoUpdated(fn func(*m.GroupMemberInfoUpdatedEvent)) {
	on(c, m.EventGroupMemberInfoUpdated.Name, fn)
}
func (c *Client) OnGroupMutedInfoUpdated(fn func(*m.GroupMutedInfoUpdatedEvent)) {
	on(c, m.EventGroupMutedInfoUpdated.Name, fn)
}
func (c *Client) OnGroupVerifyInfoUpdated(fn func(*m.GroupVerifyInfoUpdatedEvent)) {
	on(c, m.EventGroupVerifyInfoUpdated.Name, fn)
}
func (c *Client) OnGroupApplicationListChanged(fn func(*m.GroupApplicationListChangedEvent)) {
	on(c, m.EventGroupApplicationListChanged.Name, fn)
}
func (c *Client) OnGroupApplicationUpdated(fn func(*m.GroupApplicationUpdatedEvent)) {
	on(c, m.EventGroupApplicationUpdated.Name, fn)
}
