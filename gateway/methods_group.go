package gateway

import (
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Group methods. Every method that names a group runs in that group's actor (identity:
// the group ID); group messages (conversation type 2) go there through convRoutes. The
// two user-wide queries (queryGroupList, queryGroupApplicationList) run in the caller's
// user actor.

type groupIDer interface{ GetGroupID() string }

// toGroup routes a method to the actor of the group its params name.
func toGroup(c *conn, p proto.Message) (string, string, error) {
	id := p.(groupIDer).GetGroupID()
	if !actors.ValidID(id, c.srv.rt.Limits().GroupIDBytes) {
		return "", "", errBadParams
	}
	return actors.KindGroup, id, nil
}

// toNewGroup routes createGroup. An empty groupID gets a server-made one (starting with
// "#", which client-made IDs may not).
func toNewGroup(c *conn, p proto.Message) (string, string, error) {
	params := p.(*messages.GroupCreateParams)
	if params.GroupInfo == nil {
		params.GroupInfo = &messages.GroupInfo{}
	}
	if params.GroupInfo.GroupID == "" {
		params.GroupInfo.GroupID = "#" + strconv.FormatUint(c.srv.rt.NewMessageID(), 36)
	} else if strings.HasPrefix(params.GroupInfo.GroupID, "#") {
		return "", "", errBadParams
	}
	return toGroup(c, params.GroupInfo)
}

func init() {
	convRoutes[actors.ConvGroup] = func(_, id string) (string, string, error) {
		if !actors.ValidID(id, 32) {
			return "", "", errBadParams
		}
		return actors.KindGroup, id, nil
	}
	routed := func(params, result func() proto.Message) methodSpec {
		return methodSpec{params: params, result: result, route: toGroup}
	}
	groupID := newOf[messages.GroupIDParams]()
	idResult := newOf[messages.GroupIDResult]()
	users := newOf[messages.GroupUsersParams]()
	mode := newOf[messages.GroupUpdateModeParams]()
	modeResult := newOf[messages.GroupModeUpdatedResult]()
	memberList := newOf[messages.GroupMemberListQueryParams]()
	attrsOperated := newOf[messages.GroupAttributesOperatedResult]()
	attrsQueried := newOf[messages.GroupAttributesQueriedResult]()
	joinApp := newOf[messages.GroupJoinApplicationParams]()
	joinAppResult := newOf[messages.GroupJoinApplicationResult]()
	inviteApp := newOf[messages.GroupInviteApplicationParams]()
	registerMethods(map[string]methodSpec{
		"createGroup":           {params: newOf[messages.GroupCreateParams](), result: newOf[messages.GroupCreatedResult](), route: toNewGroup},
		"joinGroup":             routed(groupID, newOf[messages.GroupJoinedResult]()),
		"leaveGroup":            routed(groupID, idResult),
		"dismissGroup":          routed(groupID, idResult),
		"kickGroupMembers":      routed(users, newOf[messages.GroupMemberKickedResult]()),
		"inviteUsersIntoGroup":  routed(users, newOf[messages.GroupUsersInvitedResult]()),
		"transferGroupOwner":    routed(newOf[messages.GroupTransferOwnerParams](), newOf[messages.GroupOwnerTransferredResult]()),
		"queryGroupInfo":        routed(groupID, newOf[messages.GroupInfoQueriedResult]()),
		"queryGroupList":        selfMethod(newOf[messages.GroupListQueryParams](), newOf[messages.GroupListQueriedResult]()),
		"queryGroupMemberCount": routed(groupID, newOf[messages.GroupMemberCountQueriedResult]()),

		"updateGroupName":         routed(newOf[messages.GroupUpdateNameParams](), newOf[messages.GroupNameUpdatedResult]()),
		"updateGroupNotice":       routed(newOf[messages.GroupUpdateNoticeParams](), newOf[messages.GroupNoticeUpdatedResult]()),
		"updateGroupAvatarUrl":    routed(newOf[messages.GroupUpdateAvatarUrlParams](), newOf[messages.GroupAvatarUrlUpdatedResult]()),
		"updateGroupAlias":        routed(newOf[messages.GroupUpdateAliasParams](), newOf[messages.GroupAliasUpdatedResult]()),
		"setGroupAttributes":      routed(newOf[messages.GroupSetAttributesParams](), attrsOperated),
		"deleteGroupAttributes":   routed(newOf[messages.GroupAttributeKeysParams](), attrsOperated),
		"queryGroupAttributes":    routed(newOf[messages.GroupAttributeKeysParams](), attrsQueried),
		"queryGroupAllAttributes": routed(groupID, attrsQueried),

		"setGroupMemberRole":        routed(newOf[messages.GroupSetMemberRoleParams](), newOf[messages.GroupMemberRoleUpdatedResult]()),
		"setGroupMemberNickname":    routed(newOf[messages.GroupSetMemberNicknameParams](), newOf[messages.GroupMemberNicknameUpdatedResult]()),
		"queryGroupMemberInfo":      routed(newOf[messages.GroupMemberInfoQueryParams](), newOf[messages.GroupMemberInfoQueriedResult]()),
		"queryGroupMemberList":      routed(memberList, newOf[messages.GroupMemberListQueriedResult]()),
		"queryGroupMemberMutedList": routed(memberList, newOf[messages.GroupMemberMutedListQueriedResult]()),
		"muteGroup":                 routed(newOf[messages.GroupMuteParams](), newOf[messages.GroupMutedResult]()),
		"muteGroupMembers":          routed(newOf[messages.GroupMuteMembersParams](), newOf[messages.GroupMembersMutedResult]()),

		"updateGroupJoinMode":          routed(mode, modeResult),
		"updateGroupInviteMode":        routed(mode, modeResult),
		"updateGroupBeInviteMode":      routed(mode, modeResult),
		"sendGroupJoinApplication":     routed(newOf[messages.GroupJoinApplicationSendParams](), idResult),
		"acceptGroupJoinApplication":   routed(joinApp, joinAppResult),
		"rejectGroupJoinApplication":   routed(joinApp, joinAppResult),
		"sendGroupInviteApplications":  routed(newOf[messages.GroupInviteApplicationsSendParams](), newOf[messages.GroupInviteApplicationsSentResult]()),
		"acceptGroupInviteApplication": routed(inviteApp, newOf[messages.GroupInviteApplicationAcceptedResult]()),
		"rejectGroupInviteApplication": routed(inviteApp, newOf[messages.GroupInviteApplicationRejectedResult]()),
		"queryGroupApplicationList":    selfMethod(newOf[messages.GroupApplicationListQueryParams](), newOf[messages.GroupApplicationListQueriedResult]()),
	})
}
