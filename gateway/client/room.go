package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Rooms (ZIM's room methods and events).

func roomInfo(r *m.RoomInfoResult) *m.RoomInfo { return r.GetRoomInfo().GetBaseInfo() }

// CreateRoom creates the room and joins it; it fails with 6000323 when the room exists.
// config may be nil.
func (c *Client) CreateRoom(ctx context.Context, info *m.RoomInfo, config *m.RoomAdvancedConfig) (*m.RoomInfo, error) {
	r := &m.RoomInfoResult{}
	err := c.Call(ctx, m.MethodCreateRoom.Name, &m.RoomCreateParams{RoomInfo: info, Config: config}, r)
	return roomInfo(r), err
}

// JoinRoom joins an existing room; it fails with 6000322 when the room does not exist.
func (c *Client) JoinRoom(ctx context.Context, roomID string) (*m.RoomInfo, error) {
	r := &m.RoomInfoResult{}
	err := c.Call(ctx, m.MethodJoinRoom.Name, &m.RoomIDParams{RoomID: roomID}, r)
	return roomInfo(r), err
}

// EnterRoom joins the room, creating it when it does not exist (only the first entrant's
// name and config take effect).
func (c *Client) EnterRoom(ctx context.Context, info *m.RoomInfo, config *m.RoomAdvancedConfig) (*m.RoomInfo, error) {
	r := &m.RoomInfoResult{}
	err := c.Call(ctx, m.MethodEnterRoom.Name, &m.RoomCreateParams{RoomInfo: info, Config: config}, r)
	return roomInfo(r), err
}

// SwitchRoom moves from fromRoomID to the room of toRoomInfo (created with config when
// it does not exist and isCreateWhenRoomNotExisted).
func (c *Client) SwitchRoom(ctx context.Context, fromRoomID string, toRoomInfo *m.RoomInfo, isCreateWhenRoomNotExisted bool, config *m.RoomAdvancedConfig) (*m.RoomInfo, error) {
	r := &m.RoomInfoResult{}
	err := c.Call(ctx, m.MethodSwitchRoom.Name, &m.RoomSwitchParams{FromRoomID: fromRoomID, ToRoomInfo: toRoomInfo,
		IsCreateWhenRoomNotExisted: isCreateWhenRoomNotExisted, Config: config}, r)
	return roomInfo(r), err
}

func (c *Client) LeaveRoom(ctx context.Context, roomID string) error {
	return c.Call(ctx, m.MethodLeaveRoom.Name, &m.RoomIDParams{RoomID: roomID}, &m.RoomLeftResult{})
}

// LeaveAllRoom leaves every room this connection is in and returns their IDs.
func (c *Client) LeaveAllRoom(ctx context.Context) ([]string, error) {
	r := &m.RoomAllLeftResult{}
	err := c.Call(ctx, m.MethodLeaveAllRoom.Name, &m.Empty{}, r)
	return r.RoomIDs, err
}

// QueryRoomMemberList returns a page of members; pass the result's nextFlag for the next
// page ("" when there is none).
func (c *Client) QueryRoomMemberList(ctx context.Context, roomID, nextFlag string, count int32) (*m.RoomMemberQueriedResult, error) {
	r := &m.RoomMemberQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryRoomMemberList.Name, &m.RoomMemberListParams{RoomID: roomID, Config: &m.RoomQueryConfig{NextFlag: nextFlag, Count: count}}, r)
}

func (c *Client) QueryRoomMembers(ctx context.Context, userIDs []string, roomID string) (*m.RoomMembersQueriedResult, error) {
	r := &m.RoomMembersQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryRoomMembers.Name, &m.RoomUsersParams{UserIDs: userIDs, RoomID: roomID}, r)
}

func (c *Client) QueryRoomOnlineMemberCount(ctx context.Context, roomID string) (int32, error) {
	r := &m.RoomOnlineMemberCountQueriedResult{}
	err := c.Call(ctx, m.MethodQueryRoomOnlineMemberCount.Name, &m.RoomIDParams{RoomID: roomID}, r)
	return r.Count, err
}

// SetRoomAttributes returns the keys that were not set (owned by another member; use
// isForce). config may be nil.
func (c *Client) SetRoomAttributes(ctx context.Context, attrs map[string]string, roomID string, config *m.RoomAttributesSetConfig) ([]string, error) {
	r := &m.RoomAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodSetRoomAttributes.Name, &m.RoomAttributesSetParams{RoomAttributes: attrs, RoomID: roomID, Config: config}, r)
	return r.ErrorKeys, err
}

// DeleteRoomAttributes returns the keys that were not deleted.
func (c *Client) DeleteRoomAttributes(ctx context.Context, keys []string, roomID string, isForce bool) ([]string, error) {
	r := &m.RoomAttributesOperatedResult{}
	err := c.Call(ctx, m.MethodDeleteRoomAttributes.Name, &m.RoomAttributesDeleteParams{Keys: keys, RoomID: roomID,
		Config: &m.RoomAttributesDeleteConfig{IsForce: isForce}}, r)
	return r.ErrorKeys, err
}

// BeginRoomAttributesBatchOperation starts collecting this connection's attribute
// operations on the room; EndRoomAttributesBatchOperation applies them together.
func (c *Client) BeginRoomAttributesBatchOperation(ctx context.Context, roomID string, config *m.RoomAttributesSetConfig) error {
	return c.Call(ctx, m.MethodBeginRoomAttributesBatchOperation.Name, &m.RoomAttributesBatchBeginParams{RoomID: roomID, Config: config}, &m.Empty{})
}

func (c *Client) EndRoomAttributesBatchOperation(ctx context.Context, roomID string) error {
	return c.Call(ctx, m.MethodEndRoomAttributesBatchOperation.Name, &m.RoomIDParams{RoomID: roomID}, &m.RoomAttributesBatchOperatedResult{})
}

func (c *Client) QueryRoomAllAttributes(ctx context.Context, roomID string) (map[string]string, error) {
	r := &m.RoomAttributesQueriedResult{}
	err := c.Call(ctx, m.MethodQueryRoomAllAttributes.Name, &m.RoomIDParams{RoomID: roomID}, r)
	return r.RoomAttributes, err
}

// SetRoomMembersAttributes sets attributes on members of the room. config nil means
// isDeleteAfterOwnerLeft true (ZIM's default).
func (c *Client) SetRoomMembersAttributes(ctx context.Context, attrs map[string]string, userIDs []string, roomID string, config *m.RoomMemberAttributesSetConfig) (*m.RoomMembersAttributesOperatedResult, error) {
	r := &m.RoomMembersAttributesOperatedResult{}
	return r, c.Call(ctx, m.MethodSetRoomMembersAttributes.Name, &m.RoomMembersAttributesSetParams{Attributes: attrs, UserIDs: userIDs, RoomID: roomID, Config: config}, r)
}

func (c *Client) QueryRoomMembersAttributes(ctx context.Context, userIDs []string, roomID string) ([]*m.RoomMemberAttributesInfo, error) {
	r := &m.RoomMembersAttributesQueriedResult{}
	err := c.Call(ctx, m.MethodQueryRoomMembersAttributes.Name, &m.RoomUsersParams{UserIDs: userIDs, RoomID: roomID}, r)
	return r.Infos, err
}

func (c *Client) QueryRoomMemberAttributesList(ctx context.Context, roomID, nextFlag string, count int32) (*m.RoomMemberAttributesListQueriedResult, error) {
	r := &m.RoomMemberAttributesListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryRoomMemberAttributesList.Name, &m.RoomMemberAttributesListParams{RoomID: roomID,
		Config: &m.RoomQueryConfig{NextFlag: nextFlag, Count: count}}, r)
}

// SendRoomMessage is SendMessage to a room (conversation type 1) with the given
// ZIMMessagePriority (low 1, medium 2, high 3).
func (c *Client) SendRoomMessage(ctx context.Context, msg *m.Message, roomID string, priority int32) (*m.Message, error) {
	return c.SendMessage(ctx, msg, roomID, 1, &m.MessageSendConfig{Priority: priority})
}

// Room event callbacks.

func (c *Client) OnRoomStateChanged(fn func(*m.RoomStateChangedEvent)) {
	on(c, m.EventRoomStateChanged.Name, fn)
}
func (c *Client) OnRoomMemberJoined(fn func(*m.RoomMemberChangedEvent)) {
	on(c, m.EventRoomMemberJoined.Name, fn)
}
func (c *Client) OnRoomMemberLeft(fn func(*m.RoomMemberChangedEvent)) {
	on(c, m.EventRoomMemberLeft.Name, fn)
}
func (c *Client) OnRoomAttributesUpdated(fn func(*m.RoomAttributesUpdatedEvent)) {
	on(c, m.EventRoomAttributesUpdated.Name, fn)
}
func (c *Client) OnRoomAttributesBatchUpdated(fn func(*m.RoomAttributesUpdatedEvent)) {
	on(c, m.EventRoomAttributesBatchUpdated.Name, fn)
}
func (c *Client) OnRoomMemberAttributesUpdated(fn func(*m.RoomMembersAttributesUpdatedEvent)) {
	on(c, m.EventRoomMemberAttributesUpdated.Name, fn)
}
func (c *Client) OnRoomMessageReceived(fn func(*m.ConversationMessageReceivedEvent)) {
	on(c, m.EventRoomMessageReceived.Name, fn)
}
