package gateway

import (
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Call methods. Every method that names a call runs in that call's actor (identity: the
// call ID); callInvite gets a server-made call ID here. queryCallInvitationList runs in
// the caller's user actor.

type callIDer interface{ GetCallID() string }

// toCall routes a method to the actor of the call its params name.
func toCall(_ *actors.Runtime, _ string, p proto.Message) (string, string, error) {
	id := p.(callIDer).GetCallID()
	if !actors.ValidCallID(id) {
		return "", "", errBadParams
	}
	return actors.KindCall, id, nil
}

// toNewCall routes callInvite to a new call actor: the call ID is server-made (a
// time-ordered, globally unique number in decimal); a client may not choose one.
func toNewCall(rt *actors.Runtime, user string, p proto.Message) (string, string, error) {
	params := p.(*messages.CallInviteParams)
	if params.CallID != "" {
		return "", "", errBadParams
	}
	params.CallID = strconv.FormatUint(rt.NewMessageID(), 10)
	return toCall(rt, user, params)
}
