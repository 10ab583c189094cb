package messages

import (
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
)

// The method table: every client method parley serves, with the actor kind that owns
// it, its Params and Result messages, and the events it may push. The gateway routes by
// it, the actor kinds register typed handlers against it (actors/methods.go), and the Go
// client and the load tool call through it; docs/FEATURES.md is checked against it.

// Owner is where a method runs.
type Owner string

// Owners.
const (
	// OwnerGateway: the gateway serves it (session methods, and room membership, which
	// the gateway tracks per connection before it asks the room actor).
	OwnerGateway Owner = "gateway"
	// OwnerUser: the caller's own user actor.
	OwnerUser Owner = "user"
	// OwnerConversation: the actor of the conversation the params name, by its type
	// (peer, group, room or community channel).
	OwnerConversation Owner = "conversation"
	// OwnerGroup, OwnerRoom, OwnerCommunity: the actor of the group, room or community
	// the params name.
	OwnerGroup     Owner = "group"
	OwnerRoom      Owner = "room"
	OwnerCommunity Owner = "community"
	// OwnerCall: the actor of the call the params name (callInvite: a server-made ID).
	OwnerCall Owner = "call"
)

// MethodSpec describes one client method.
type MethodSpec struct {
	Name   string
	Owner  Owner
	Public bool // allowed before login
	// ReadOnly methods change nothing (every query): running one twice is harmless.
	ReadOnly bool
	// Repeatable methods set an absolute value: running one twice has the effect of
	// running it once (its event may be pushed twice). A client may resend it after a
	// reconnect, and a server resends it when the node it waited at died.
	Repeatable bool
	// Internal methods are for in-process callers (the embedding API, the load tool):
	// the gateway does not serve them and Methods does not list them.
	Internal bool
	Events   []string // the events a call may push (to the caller or others)
	params   func() proto.Message
	result   func() proto.Message
}

// NewParams returns an empty Params message of the method.
func (m *MethodSpec) NewParams() proto.Message { return m.params() }

// NewResult returns an empty Result message of the method.
func (m *MethodSpec) NewResult() proto.Message { return m.result() }

// Method is a method with its Params and Result types: handlers and callers written
// against it are checked by the compiler.
type Method[P, R proto.Message] struct{ *MethodSpec }

// EventSpec describes one push event.
type EventSpec struct {
	Name    string
	payload func() proto.Message
}

// NewPayload returns an empty payload message of the event.
func (e *EventSpec) NewPayload() proto.Message { return e.payload() }

// Event is an event with its payload type.
type Event[P proto.Message] struct{ *EventSpec }

var (
	methodIndex = map[string]*MethodSpec{}
	eventIndex  = map[string]*EventSpec{}
)

func method[P, R any, PP interface {
	*P
	proto.Message
}, RP interface {
	*R
	proto.Message
}](name string, owner Owner, events ...string) Method[PP, RP] {
	if _, dup := methodIndex[name]; dup {
		panic("messages: method defined twice: " + name)
	}
	s := &MethodSpec{Name: name, Owner: owner, Events: events, ReadOnly: strings.HasPrefix(name, "query"),
		params: func() proto.Message { return PP(new(P)) },
		result: func() proto.Message { return RP(new(R)) }}
	methodIndex[name] = s
	return Method[PP, RP]{s}
}

func publicMethod[P, R any, PP interface {
	*P
	proto.Message
}, RP interface {
	*R
	proto.Message
}](name string, owner Owner, events ...string) Method[PP, RP] {
	m := method[P, R, PP, RP](name, owner, events...)
	m.Public = true
	return m
}

func internalMethod[P, R any, PP interface {
	*P
	proto.Message
}, RP interface {
	*R
	proto.Message
}](name string, owner Owner) Method[PP, RP] {
	m := method[P, R, PP, RP](name, owner)
	m.Internal = true
	return m
}

func event[P any, PP interface {
	*P
	proto.Message
}](name string) Event[PP] {
	if _, dup := eventIndex[name]; dup {
		panic("messages: event defined twice: " + name)
	}
	e := &EventSpec{Name: name, payload: func() proto.Message { return PP(new(P)) }}
	eventIndex[name] = e
	return Event[PP]{e}
}

// repeatable marks a method as Repeatable.
func (m Method[P, R]) repeatable() Method[P, R] {
	m.Repeatable = true
	return m
}

// LookupMethod returns the method named name, or nil.
func LookupMethod(name string) *MethodSpec { return methodIndex[name] }

// Methods lists every method clients may call, sorted by name.
func Methods() []*MethodSpec {
	out := make([]*MethodSpec, 0, len(methodIndex))
	for _, m := range methodIndex {
		if m.Internal {
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupEvent returns the event named name, or nil.
func LookupEvent(name string) *EventSpec { return eventIndex[name] }

// EventNames lists every event name, sorted.
func EventNames() []string {
	out := make([]string, 0, len(eventIndex))
	for n := range eventIndex {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Events.
var (
	EventConnectionStateChanged                     = event[ConnectionStateChangedEvent]("connectionStateChanged")
	EventTokenWillExpire                            = event[TokenWillExpireEvent]("tokenWillExpire")
	EventPeerMessageReceived                        = event[ConversationMessageReceivedEvent]("peerMessageReceived")
	EventConversationChanged                        = event[ConversationChangedEvent]("conversationChanged")
	EventConversationTotalUnreadMessageCountUpdated = event[ConversationTotalUnreadMessageCountUpdatedEvent]("conversationTotalUnreadMessageCountUpdated")
	EventUserInfoUpdated                            = event[UserInfoUpdatedEvent]("userInfoUpdated")
	EventMessageDeleted                             = event[MessageDeletedEvent]("messageDeleted")
	EventGroupMessageReceived                       = event[ConversationMessageReceivedEvent]("groupMessageReceived")
	EventGroupStateChanged                          = event[GroupStateChangedEvent]("groupStateChanged")
	EventGroupMemberStateChanged                    = event[GroupMemberStateChangedEvent]("groupMemberStateChanged")
	EventGroupNameUpdated                           = event[GroupNameUpdatedEvent]("groupNameUpdated")
	EventGroupNoticeUpdated                         = event[GroupNoticeUpdatedEvent]("groupNoticeUpdated")
	EventGroupAvatarUrlUpdated                      = event[GroupAvatarUrlUpdatedEvent]("groupAvatarUrlUpdated")
	EventGroupAliasUpdated                          = event[GroupAliasUpdatedEvent]("groupAliasUpdated")
	EventGroupAttributesUpdated                     = event[GroupAttributesUpdatedEvent]("groupAttributesUpdated")
	EventGroupMemberInfoUpdated                     = event[GroupMemberInfoUpdatedEvent]("groupMemberInfoUpdated")
	EventGroupMutedInfoUpdated                      = event[GroupMutedInfoUpdatedEvent]("groupMutedInfoUpdated")
	EventGroupVerifyInfoUpdated                     = event[GroupVerifyInfoUpdatedEvent]("groupVerifyInfoUpdated")
	EventGroupApplicationListChanged                = event[GroupApplicationListChangedEvent]("groupApplicationListChanged")
	EventGroupApplicationUpdated                    = event[GroupApplicationUpdatedEvent]("groupApplicationUpdated")
	EventCommunityChannelMessageReceived            = event[ConversationMessageReceivedEvent]("communityChannelMessageReceived")
	EventCommunityListChanged                       = event[CommunityListChangedEvent]("communityListChanged")
	EventCommunityInfoUpdated                       = event[CommunityInfoUpdatedEvent]("communityInfoUpdated")
	EventCommunityMemberStateChanged                = event[CommunityMemberStateChangedEvent]("communityMemberStateChanged")
	EventCommunityMemberInfoUpdated                 = event[CommunityMemberInfoUpdatedEvent]("communityMemberInfoUpdated")
	EventCommunityChannelListChanged                = event[CommunityChannelListChangedEvent]("communityChannelListChanged")
	EventCommunityChannelInfoUpdated                = event[CommunityChannelInfoUpdatedEvent]("communityChannelInfoUpdated")
	EventRoomStateChanged                           = event[RoomStateChangedEvent]("roomStateChanged")
	EventRoomMemberJoined                           = event[RoomMemberChangedEvent]("roomMemberJoined")
	EventRoomMemberLeft                             = event[RoomMemberChangedEvent]("roomMemberLeft")
	EventRoomAttributesUpdated                      = event[RoomAttributesUpdatedEvent]("roomAttributesUpdated")
	EventRoomAttributesBatchUpdated                 = event[RoomAttributesUpdatedEvent]("roomAttributesBatchUpdated")
	EventRoomMemberAttributesUpdated                = event[RoomMembersAttributesUpdatedEvent]("roomMemberAttributesUpdated")
	EventRoomMessageReceived                        = event[ConversationMessageReceivedEvent]("roomMessageReceived")
)

// Methods.
var (
	MethodAcceptGroupInviteApplication             = method[GroupInviteApplicationParams, GroupInviteApplicationAcceptedResult]("acceptGroupInviteApplication", OwnerGroup, EventGroupApplicationUpdated.Name, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodAcceptGroupJoinApplication               = method[GroupJoinApplicationParams, GroupJoinApplicationResult]("acceptGroupJoinApplication", OwnerGroup, EventGroupApplicationUpdated.Name, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodBeginRoomAttributesBatchOperation        = method[RoomAttributesBatchBeginParams, Empty]("beginRoomAttributesBatchOperation", OwnerRoom)
	MethodClearConversationUnreadMessageCount      = method[ConversationRef, ConversationRef]("clearConversationUnreadMessageCount", OwnerUser, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodCreateCommunity                          = method[CommunityCreateParams, CommunityCreatedResult]("createCommunity", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodCreateCommunityChannel                   = method[CommunityChannelCreateParams, CommunityChannelResult]("createCommunityChannel", OwnerCommunity, EventCommunityChannelListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodCreateGroup                              = method[GroupCreateParams, GroupCreatedResult]("createGroup", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodCreateRoom                               = method[RoomCreateParams, RoomInfoResult]("createRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberJoined.Name, EventRoomMemberLeft.Name)
	MethodDeleteAllMessage                         = method[DeleteAllMessageParams, MessageDeletedResult]("deleteAllMessage", OwnerConversation, EventMessageDeleted.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodDeleteCommunityAttributes                = method[CommunityAttributeKeysParams, CommunityAttributesOperatedResult]("deleteCommunityAttributes", OwnerCommunity, EventCommunityInfoUpdated.Name, EventCommunityListChanged.Name)
	MethodDeleteCommunityChannelAttributes         = method[CommunityChannelAttributeKeysParams, CommunityChannelAttributesOperatedResult]("deleteCommunityChannelAttributes", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodDeleteGroupAttributes                    = method[GroupAttributeKeysParams, GroupAttributesOperatedResult]("deleteGroupAttributes", OwnerGroup, EventGroupAttributesUpdated.Name)
	MethodDeleteMessages                           = method[DeleteMessagesParams, MessageDeletedResult]("deleteMessages", OwnerConversation, EventMessageDeleted.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodDeleteRoomAttributes                     = method[RoomAttributesDeleteParams, RoomAttributesOperatedResult]("deleteRoomAttributes", OwnerRoom, EventRoomAttributesUpdated.Name)
	MethodDismissCommunity                         = method[CommunityIDParams, CommunityIDResult]("dismissCommunity", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodDismissCommunityChannel                  = method[CommunityChannelIDParams, CommunityChannelIDResult]("dismissCommunityChannel", OwnerCommunity, EventCommunityChannelListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodDismissGroup                             = method[GroupIDParams, GroupIDResult]("dismissGroup", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodEndRoomAttributesBatchOperation          = method[RoomIDParams, RoomAttributesBatchOperatedResult]("endRoomAttributesBatchOperation", OwnerRoom, EventRoomAttributesBatchUpdated.Name)
	MethodEnterRoom                                = method[RoomCreateParams, RoomInfoResult]("enterRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberJoined.Name, EventRoomMemberLeft.Name)
	MethodInviteUsersIntoCommunity                 = method[CommunityUsersParams, CommunityUsersInvitedResult]("inviteUsersIntoCommunity", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodInviteUsersIntoCommunityChannel          = method[CommunityChannelUsersParams, CommunityChannelUsersResult]("inviteUsersIntoCommunityChannel", OwnerCommunity, EventCommunityChannelListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodInviteUsersIntoGroup                     = method[GroupUsersParams, GroupUsersInvitedResult]("inviteUsersIntoGroup", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodJoinCommunity                            = method[CommunityIDParams, CommunityJoinedResult]("joinCommunity", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodJoinGroup                                = method[GroupIDParams, GroupJoinedResult]("joinGroup", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodJoinRoom                                 = method[RoomIDParams, RoomInfoResult]("joinRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberJoined.Name, EventRoomMemberLeft.Name)
	MethodKickCommunityChannelMembers              = method[CommunityChannelUsersParams, CommunityChannelUsersResult]("kickCommunityChannelMembers", OwnerCommunity, EventCommunityChannelListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodKickCommunityMembers                     = method[CommunityUsersParams, CommunityMembersKickedResult]("kickCommunityMembers", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodKickGroupMembers                         = method[GroupUsersParams, GroupMemberKickedResult]("kickGroupMembers", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodLeaveAllRoom                             = method[Empty, RoomAllLeftResult]("leaveAllRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberLeft.Name)
	MethodLeaveCommunity                           = method[CommunityIDParams, CommunityIDResult]("leaveCommunity", OwnerCommunity, EventCommunityMemberStateChanged.Name, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodLeaveGroup                               = method[GroupIDParams, GroupIDResult]("leaveGroup", OwnerGroup, EventGroupStateChanged.Name, EventGroupMemberStateChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodLeaveRoom                                = method[RoomIDParams, RoomLeftResult]("leaveRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberLeft.Name)
	MethodLogin                                    = publicMethod[LoginParams, Empty]("login", OwnerGateway, EventConnectionStateChanged.Name, EventTokenWillExpire.Name)
	MethodLogout                                   = method[Empty, Empty]("logout", OwnerGateway, EventConnectionStateChanged.Name)
	MethodMuteCommunityChannels                    = method[CommunityMuteChannelsParams, CommunityChannelsMutedResult]("muteCommunityChannels", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodMuteCommunityMembers                     = method[CommunityMuteMembersParams, CommunityMembersMutedResult]("muteCommunityMembers", OwnerCommunity, EventCommunityMemberInfoUpdated.Name)
	MethodMuteGroup                                = method[GroupMuteParams, GroupMutedResult]("muteGroup", OwnerGroup, EventGroupMutedInfoUpdated.Name)
	MethodMuteGroupMembers                         = method[GroupMuteMembersParams, GroupMembersMutedResult]("muteGroupMembers", OwnerGroup, EventGroupMemberInfoUpdated.Name)
	MethodQueryCommunityChannelInfo                = method[CommunityChannelIDParams, CommunityChannelResult]("queryCommunityChannelInfo", OwnerCommunity)
	MethodQueryCommunityChannelList                = method[CommunityChannelListQueryParams, CommunityChannelListQueriedResult]("queryCommunityChannelList", OwnerCommunity)
	MethodQueryCommunityChannelMemberList          = method[CommunityChannelMemberListQueryParams, CommunityChannelMemberListQueriedResult]("queryCommunityChannelMemberList", OwnerCommunity)
	MethodQueryCommunityInfo                       = method[CommunityIDParams, CommunityInfoQueriedResult]("queryCommunityInfo", OwnerCommunity)
	MethodQueryCommunityList                       = method[CommunityListQueryParams, CommunityListQueriedResult]("queryCommunityList", OwnerUser)
	MethodQueryCommunityMemberInfo                 = method[CommunityMemberInfoQueryParams, CommunityMemberInfoQueriedResult]("queryCommunityMemberInfo", OwnerCommunity)
	MethodQueryCommunityMemberList                 = method[CommunityMemberListQueryParams, CommunityMemberListQueriedResult]("queryCommunityMemberList", OwnerCommunity)
	MethodQueryConversation                        = method[ConversationRef, ConversationQueriedResult]("queryConversation", OwnerUser)
	MethodQueryConversationList                    = method[QueryConversationListParams, ConversationListQueriedResult]("queryConversationList", OwnerUser)
	MethodQueryConversationTotalUnreadMessageCount = method[QueryConversationTotalUnreadMessageCountParams, ConversationTotalUnreadMessageCountQueriedResult]("queryConversationTotalUnreadMessageCount", OwnerUser)
	MethodQueryGroupAllAttributes                  = method[GroupIDParams, GroupAttributesQueriedResult]("queryGroupAllAttributes", OwnerGroup)
	MethodQueryGroupApplicationList                = method[GroupApplicationListQueryParams, GroupApplicationListQueriedResult]("queryGroupApplicationList", OwnerUser)
	MethodQueryGroupAttributes                     = method[GroupAttributeKeysParams, GroupAttributesQueriedResult]("queryGroupAttributes", OwnerGroup)
	MethodQueryGroupInfo                           = method[GroupIDParams, GroupInfoQueriedResult]("queryGroupInfo", OwnerGroup)
	MethodQueryGroupList                           = method[GroupListQueryParams, GroupListQueriedResult]("queryGroupList", OwnerUser)
	MethodQueryGroupMemberCount                    = method[GroupIDParams, GroupMemberCountQueriedResult]("queryGroupMemberCount", OwnerGroup)
	MethodQueryGroupMemberInfo                     = method[GroupMemberInfoQueryParams, GroupMemberInfoQueriedResult]("queryGroupMemberInfo", OwnerGroup)
	MethodQueryGroupMemberList                     = method[GroupMemberListQueryParams, GroupMemberListQueriedResult]("queryGroupMemberList", OwnerGroup)
	MethodQueryGroupMemberMutedList                = method[GroupMemberListQueryParams, GroupMemberMutedListQueriedResult]("queryGroupMemberMutedList", OwnerGroup)
	MethodQueryHistoryMessage                      = method[QueryHistoryMessageParams, MessageQueriedResult]("queryHistoryMessage", OwnerConversation)
	MethodQueryMessages                            = method[QueryMessagesParams, MessageQueriedResult]("queryMessages", OwnerConversation)
	MethodQueryRoomAllAttributes                   = method[RoomIDParams, RoomAttributesQueriedResult]("queryRoomAllAttributes", OwnerRoom)
	MethodQueryRoomMemberAttributesList            = method[RoomMemberAttributesListParams, RoomMemberAttributesListQueriedResult]("queryRoomMemberAttributesList", OwnerRoom)
	MethodQueryRoomMemberList                      = method[RoomMemberListParams, RoomMemberQueriedResult]("queryRoomMemberList", OwnerRoom)
	MethodQueryRoomMembers                         = method[RoomUsersParams, RoomMembersQueriedResult]("queryRoomMembers", OwnerRoom)
	MethodQueryRoomMembersAttributes               = method[RoomUsersParams, RoomMembersAttributesQueriedResult]("queryRoomMembersAttributes", OwnerRoom)
	MethodQueryRoomOnlineMemberCount               = method[RoomIDParams, RoomOnlineMemberCountQueriedResult]("queryRoomOnlineMemberCount", OwnerRoom)
	MethodQuerySelfUserInfo                        = method[Empty, SelfUserInfoQueriedResult]("querySelfUserInfo", OwnerUser)
	MethodQueryUsersInfo                           = method[QueryUsersInfoParams, UsersInfoQueriedResult]("queryUsersInfo", OwnerUser)
	MethodRejectGroupInviteApplication             = method[GroupInviteApplicationParams, GroupInviteApplicationRejectedResult]("rejectGroupInviteApplication", OwnerGroup, EventGroupApplicationUpdated.Name)
	MethodRejectGroupJoinApplication               = method[GroupJoinApplicationParams, GroupJoinApplicationResult]("rejectGroupJoinApplication", OwnerGroup, EventGroupApplicationUpdated.Name)
	MethodRenewToken                               = method[RenewTokenParams, TokenRenewedResult]("renewToken", OwnerGateway)
	MethodSendGroupInviteApplications              = method[GroupInviteApplicationsSendParams, GroupInviteApplicationsSentResult]("sendGroupInviteApplications", OwnerGroup, EventGroupApplicationListChanged.Name)
	MethodSendGroupJoinApplication                 = method[GroupJoinApplicationSendParams, GroupIDResult]("sendGroupJoinApplication", OwnerGroup, EventGroupApplicationListChanged.Name)
	MethodSendMessage                              = method[SendMessageParams, MessageSentResult]("sendMessage", OwnerConversation, EventPeerMessageReceived.Name, EventGroupMessageReceived.Name, EventRoomMessageReceived.Name, EventCommunityChannelMessageReceived.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name, EventCommunityListChanged.Name)
	MethodSetCommunityAttributes                   = method[CommunitySetAttributesParams, CommunityAttributesOperatedResult]("setCommunityAttributes", OwnerCommunity, EventCommunityInfoUpdated.Name, EventCommunityListChanged.Name)
	MethodSetCommunityChannelAttributes            = method[CommunityChannelSetAttributesParams, CommunityChannelAttributesOperatedResult]("setCommunityChannelAttributes", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodSetCommunityMemberRole                   = method[CommunitySetMemberRoleParams, CommunityMemberRoleUpdatedResult]("setCommunityMemberRole", OwnerCommunity, EventCommunityMemberInfoUpdated.Name)
	MethodSetCommunityNotificationStatus           = method[CommunityNotificationStatusParams, CommunityNotificationStatusSetResult]("setCommunityNotificationStatus", OwnerUser, EventCommunityListChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodSetConversationDraft                     = method[SetConversationDraftParams, ConversationRef]("setConversationDraft", OwnerUser, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodSetConversationNotificationStatus        = method[SetConversationNotificationStatusParams, ConversationRef]("setConversationNotificationStatus", OwnerUser, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodSetGroupAttributes                       = method[GroupSetAttributesParams, GroupAttributesOperatedResult]("setGroupAttributes", OwnerGroup, EventGroupAttributesUpdated.Name)
	MethodSetGroupMemberNickname                   = method[GroupSetMemberNicknameParams, GroupMemberNicknameUpdatedResult]("setGroupMemberNickname", OwnerGroup, EventGroupMemberInfoUpdated.Name)
	MethodSetGroupMemberRole                       = method[GroupSetMemberRoleParams, GroupMemberRoleUpdatedResult]("setGroupMemberRole", OwnerGroup, EventGroupMemberInfoUpdated.Name)
	MethodSetRoomAttributes                        = method[RoomAttributesSetParams, RoomAttributesOperatedResult]("setRoomAttributes", OwnerRoom, EventRoomAttributesUpdated.Name)
	MethodSetRoomMembersAttributes                 = method[RoomMembersAttributesSetParams, RoomMembersAttributesOperatedResult]("setRoomMembersAttributes", OwnerRoom, EventRoomMemberAttributesUpdated.Name)
	MethodSwitchRoom                               = method[RoomSwitchParams, RoomInfoResult]("switchRoom", OwnerGateway, EventRoomStateChanged.Name, EventRoomMemberJoined.Name, EventRoomMemberLeft.Name)
	MethodTransferCommunityOwner                   = method[CommunityTransferOwnerParams, CommunityOwnerTransferredResult]("transferCommunityOwner", OwnerCommunity, EventCommunityMemberInfoUpdated.Name)
	MethodTransferGroupOwner                       = method[GroupTransferOwnerParams, GroupOwnerTransferredResult]("transferGroupOwner", OwnerGroup, EventGroupMemberInfoUpdated.Name)
	MethodUpdateCommunityAvatarUrl                 = method[CommunityUpdateAvatarUrlParams, CommunityAvatarUrlUpdatedResult]("updateCommunityAvatarUrl", OwnerCommunity, EventCommunityInfoUpdated.Name, EventCommunityListChanged.Name)
	MethodUpdateCommunityChannelAvatarUrl          = method[CommunityChannelUpdateAvatarUrlParams, CommunityChannelResult]("updateCommunityChannelAvatarUrl", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodUpdateCommunityChannelName               = method[CommunityChannelUpdateNameParams, CommunityChannelResult]("updateCommunityChannelName", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodUpdateCommunityChannelNotice             = method[CommunityChannelUpdateNoticeParams, CommunityChannelResult]("updateCommunityChannelNotice", OwnerCommunity, EventCommunityChannelInfoUpdated.Name)
	MethodUpdateCommunityName                      = method[CommunityUpdateNameParams, CommunityNameUpdatedResult]("updateCommunityName", OwnerCommunity, EventCommunityInfoUpdated.Name, EventCommunityListChanged.Name)
	MethodUpdateCommunityNotice                    = method[CommunityUpdateNoticeParams, CommunityNoticeUpdatedResult]("updateCommunityNotice", OwnerCommunity, EventCommunityInfoUpdated.Name, EventCommunityListChanged.Name)
	MethodUpdateGroupAlias                         = method[GroupUpdateAliasParams, GroupAliasUpdatedResult]("updateGroupAlias", OwnerGroup, EventGroupAliasUpdated.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodUpdateGroupAvatarUrl                     = method[GroupUpdateAvatarUrlParams, GroupAvatarUrlUpdatedResult]("updateGroupAvatarUrl", OwnerGroup, EventGroupAvatarUrlUpdated.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodUpdateGroupBeInviteMode                  = method[GroupUpdateModeParams, GroupModeUpdatedResult]("updateGroupBeInviteMode", OwnerGroup, EventGroupVerifyInfoUpdated.Name)
	MethodUpdateGroupInviteMode                    = method[GroupUpdateModeParams, GroupModeUpdatedResult]("updateGroupInviteMode", OwnerGroup, EventGroupVerifyInfoUpdated.Name)
	MethodUpdateGroupJoinMode                      = method[GroupUpdateModeParams, GroupModeUpdatedResult]("updateGroupJoinMode", OwnerGroup, EventGroupVerifyInfoUpdated.Name)
	MethodUpdateGroupName                          = method[GroupUpdateNameParams, GroupNameUpdatedResult]("updateGroupName", OwnerGroup, EventGroupNameUpdated.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodUpdateGroupNotice                        = method[GroupUpdateNoticeParams, GroupNoticeUpdatedResult]("updateGroupNotice", OwnerGroup, EventGroupNoticeUpdated.Name)
	MethodUpdateUserAvatarUrl                      = method[UpdateUserAvatarUrlParams, UserAvatarUrlUpdatedResult]("updateUserAvatarUrl", OwnerUser, EventUserInfoUpdated.Name).repeatable()
	MethodUpdateUserExtendedData                   = method[UpdateUserExtendedDataParams, UserExtendedDataUpdatedResult]("updateUserExtendedData", OwnerUser, EventUserInfoUpdated.Name).repeatable()
	MethodUpdateUserName                           = method[UpdateUserNameParams, UserNameUpdatedResult]("updateUserName", OwnerUser, EventUserInfoUpdated.Name).repeatable()

	// MethodImportCommunityMembers makes many users members of a community at once, for
	// in-process callers only (benchmarks and embedders importing an existing community);
	// no events are pushed and no limits but the community's size apply.
	MethodImportCommunityMembers = internalMethod[CommunityUsersParams, CommunityUsersInvitedResult]("parley.importCommunityMembers", OwnerCommunity)
)

// Pushed is an event with its payload, made by Event.With: the payload is of the
// event's type, checked by the compiler.
type Pushed struct {
	Name    string
	Payload proto.Message
}

// With is the event carrying payload.
func (e Event[P]) With(payload P) Pushed { return Pushed{Name: e.Name, Payload: payload} }
