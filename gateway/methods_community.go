package gateway

import (
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Community methods. Every method that names a community runs in that community's
// actor (identity: the community ID), channel management included; channel messages
// (conversation type 3, conversation ID communityID + "/" + channelID) go to the
// channel's actor through convRoutes. queryCommunityList and
// setCommunityNotificationStatus run in the caller's user actor.

type communityIDer interface{ GetCommunityID() string }

// toCommunity routes a method to the actor of the community its params name.
func toCommunity(c *conn, p proto.Message) (string, string, error) {
	id := p.(communityIDer).GetCommunityID()
	if !actors.ValidCommunityID(id, c.srv.rt.Limits().Community.IDBytes) {
		return "", "", errBadParams
	}
	return actors.KindCommunity, id, nil
}

// toNewCommunity routes createCommunity. An empty communityID gets a server-made one
// starting with "#B"; client-made IDs may not start with "#" (seed 000).
func toNewCommunity(c *conn, p proto.Message) (string, string, error) {
	params := p.(*messages.CommunityCreateParams)
	if params.CommunityInfo == nil {
		params.CommunityInfo = &messages.CommunityInfo{}
	}
	if params.CommunityInfo.CommunityID == "" {
		params.CommunityInfo.CommunityID = "#B" + strconv.FormatUint(c.srv.rt.NewMessageID(), 36)
	} else if strings.HasPrefix(params.CommunityInfo.CommunityID, "#") {
		return "", "", errBadParams
	}
	return toCommunity(c, params.CommunityInfo)
}

// channelRoute checks a channel conversation ID and names the channel's actor.
func channelRoute(_, id string) (string, string, error) {
	// A loose bound (the route has no limits at hand): a part longer than the configured
	// ID length names no channel, and its actor answers 6001009.
	const max = 128
	community, channel, ok := actors.SplitChannelConversationID(id)
	if !ok || !actors.ValidCommunityID(community, max) || !actors.ValidCommunityID(channel, max) {
		return "", "", errBadParams
	}
	return actors.KindChannel, id, nil
}

func init() {
	convRoutes[actors.ConvChannel] = channelRoute
	routed := func(params, result func() proto.Message) methodSpec {
		return methodSpec{params: params, result: result, route: toCommunity}
	}
	communityID := newOf[messages.CommunityIDParams]()
	idResult := newOf[messages.CommunityIDResult]()
	attrs := newOf[messages.CommunityAttributesOperatedResult]()
	channelID := newOf[messages.CommunityChannelIDParams]()
	channelResult := newOf[messages.CommunityChannelResult]()
	channelAttrs := newOf[messages.CommunityChannelAttributesOperatedResult]()
	channelUsers := newOf[messages.CommunityChannelUsersParams]()
	channelUsersResult := newOf[messages.CommunityChannelUsersResult]()
	registerMethods(map[string]methodSpec{
		"createCommunity":                {params: newOf[messages.CommunityCreateParams](), result: newOf[messages.CommunityCreatedResult](), route: toNewCommunity},
		"dismissCommunity":               routed(communityID, idResult),
		"joinCommunity":                  routed(communityID, newOf[messages.CommunityJoinedResult]()),
		"leaveCommunity":                 routed(communityID, idResult),
		"queryCommunityList":             selfMethod(newOf[messages.CommunityListQueryParams](), newOf[messages.CommunityListQueriedResult]()),
		"queryCommunityInfo":             routed(communityID, newOf[messages.CommunityInfoQueriedResult]()),
		"updateCommunityName":            routed(newOf[messages.CommunityUpdateNameParams](), newOf[messages.CommunityNameUpdatedResult]()),
		"updateCommunityAvatarUrl":       routed(newOf[messages.CommunityUpdateAvatarUrlParams](), newOf[messages.CommunityAvatarUrlUpdatedResult]()),
		"updateCommunityNotice":          routed(newOf[messages.CommunityUpdateNoticeParams](), newOf[messages.CommunityNoticeUpdatedResult]()),
		"setCommunityAttributes":         routed(newOf[messages.CommunitySetAttributesParams](), attrs),
		"deleteCommunityAttributes":      routed(newOf[messages.CommunityAttributeKeysParams](), attrs),
		"setCommunityNotificationStatus": selfMethod(newOf[messages.CommunityNotificationStatusParams](), newOf[messages.CommunityNotificationStatusSetResult]()),

		"inviteUsersIntoCommunity": routed(newOf[messages.CommunityUsersParams](), newOf[messages.CommunityUsersInvitedResult]()),
		"kickCommunityMembers":     routed(newOf[messages.CommunityUsersParams](), newOf[messages.CommunityMembersKickedResult]()),
		"setCommunityMemberRole":   routed(newOf[messages.CommunitySetMemberRoleParams](), newOf[messages.CommunityMemberRoleUpdatedResult]()),
		"transferCommunityOwner":   routed(newOf[messages.CommunityTransferOwnerParams](), newOf[messages.CommunityOwnerTransferredResult]()),
		"queryCommunityMemberList": routed(newOf[messages.CommunityMemberListQueryParams](), newOf[messages.CommunityMemberListQueriedResult]()),
		"queryCommunityMemberInfo": routed(newOf[messages.CommunityMemberInfoQueryParams](), newOf[messages.CommunityMemberInfoQueriedResult]()),
		"muteCommunityMembers":     routed(newOf[messages.CommunityMuteMembersParams](), newOf[messages.CommunityMembersMutedResult]()),

		"createCommunityChannel":           routed(newOf[messages.CommunityChannelCreateParams](), channelResult),
		"dismissCommunityChannel":          routed(channelID, newOf[messages.CommunityChannelIDResult]()),
		"updateCommunityChannelName":       routed(newOf[messages.CommunityChannelUpdateNameParams](), channelResult),
		"updateCommunityChannelAvatarUrl":  routed(newOf[messages.CommunityChannelUpdateAvatarUrlParams](), channelResult),
		"updateCommunityChannelNotice":     routed(newOf[messages.CommunityChannelUpdateNoticeParams](), channelResult),
		"setCommunityChannelAttributes":    routed(newOf[messages.CommunityChannelSetAttributesParams](), channelAttrs),
		"deleteCommunityChannelAttributes": routed(newOf[messages.CommunityChannelAttributeKeysParams](), channelAttrs),
		"queryCommunityChannelList":        routed(newOf[messages.CommunityChannelListQueryParams](), newOf[messages.CommunityChannelListQueriedResult]()),
		"queryCommunityChannelInfo":        routed(channelID, channelResult),
		"muteCommunityChannels":            routed(newOf[messages.CommunityMuteChannelsParams](), newOf[messages.CommunityChannelsMutedResult]()),
		"inviteUsersIntoCommunityChannel":  routed(channelUsers, channelUsersResult),
		"kickCommunityChannelMembers":      routed(channelUsers, channelUsersResult),
		"queryCommunityChannelMemberList":  routed(newOf[messages.CommunityChannelMemberListQueryParams](), newOf[messages.CommunityChannelMemberListQueriedResult]()),
	})
}
