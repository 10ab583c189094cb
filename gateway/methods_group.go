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
func toGroup(rt *actors.Runtime, _ string, p proto.Message) (string, string, error) {
	id := p.(groupIDer).GetGroupID()
	if !actors.ValidID(id, rt.Limits().GroupIDBytes) {
		return "", "", errBadParams
	}
	return actors.KindGroup, id, nil
}

// toNewGroup routes createGroup. An empty groupID gets a server-made one (starting with
// "#", which client-made IDs may not).
func toNewGroup(rt *actors.Runtime, user string, p proto.Message) (string, string, error) {
	params := p.(*messages.GroupCreateParams)
	if params.GroupInfo == nil {
		params.GroupInfo = &messages.GroupInfo{}
	}
	if params.GroupInfo.GroupID == "" {
		params.GroupInfo.GroupID = "#" + strconv.FormatUint(rt.NewMessageID(), 36)
	} else if strings.HasPrefix(params.GroupInfo.GroupID, "#") {
		return "", "", errBadParams
	}
	return toGroup(rt, user, params.GroupInfo)
}

// groupRoute checks a group conversation ID and names the group's actor.
func groupRoute(_, id string) (string, string, error) {
	if !actors.ValidID(id, 32) {
		return "", "", errBadParams
	}
	return actors.KindGroup, id, nil
}
