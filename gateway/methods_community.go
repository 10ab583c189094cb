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
func toCommunity(rt *actors.Runtime, _ string, p proto.Message) (string, string, error) {
	id := p.(communityIDer).GetCommunityID()
	if !actors.ValidCommunityID(id, rt.Limits().Community.IDBytes) {
		return "", "", errBadParams
	}
	return actors.KindCommunity, id, nil
}

// toNewCommunity routes createCommunity. An empty communityID gets a server-made one
// starting with "#B"; client-made IDs may not start with "#" (seed 000).
func toNewCommunity(rt *actors.Runtime, user string, p proto.Message) (string, string, error) {
	params := p.(*messages.CommunityCreateParams)
	if params.CommunityInfo == nil {
		params.CommunityInfo = &messages.CommunityInfo{}
	}
	if params.CommunityInfo.CommunityID == "" {
		params.CommunityInfo.CommunityID = "#B" + strconv.FormatUint(rt.NewMessageID(), 36)
	} else if strings.HasPrefix(params.CommunityInfo.CommunityID, "#") {
		return "", "", errBadParams
	}
	return toCommunity(rt, user, params.CommunityInfo)
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
