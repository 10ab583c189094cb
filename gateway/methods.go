package gateway

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// The gateway routes every method of the method table (messages/methods.go) by its
// owner: session and room-membership methods it serves itself, everything else goes to
// the owning actor as a messages.Call.

// route is how the gateway serves one method.
type route struct {
	spec *messages.MethodSpec
	// local methods are served by the gateway itself.
	local func(c *conn, id uint32, p proto.Message)
	// actor names the actor (kind, identity) that serves the call.
	actor func(c *conn, p proto.Message) (string, string, error)
}

// routes is every method's route, made once from the method table.
var routes = buildRoutes()

func buildRoutes() map[string]route {
	local := roomMethods()
	local[messages.MethodLogin.Name] = func(c *conn, id uint32, p proto.Message) { c.login(id, p.(*messages.LoginParams)) }
	local[messages.MethodLogout.Name] = func(c *conn, id uint32, _ proto.Message) { c.logout(id) }
	local[messages.MethodRenewToken.Name] = func(c *conn, id uint32, p proto.Message) {
		c.renewToken(id, p.(*messages.RenewTokenParams))
	}
	byOwner := map[messages.Owner]func(*conn, proto.Message) (string, string, error){
		messages.OwnerUser:         toSelf,
		messages.OwnerConversation: toConversation,
		messages.OwnerGroup:        toGroup,
		messages.OwnerRoom:         toRoom,
		messages.OwnerCommunity:    toCommunity,
	}
	// Methods that name an entity that may not exist yet get a server-made ID.
	special := map[string]func(*conn, proto.Message) (string, string, error){
		messages.MethodCreateGroup.Name:     toNewGroup,
		messages.MethodCreateCommunity.Name: toNewCommunity,
	}
	out := map[string]route{}
	for _, spec := range messages.Methods() {
		r := route{spec: spec}
		switch {
		case spec.Owner == messages.OwnerGateway:
			r.local = local[spec.Name]
			delete(local, spec.Name)
		case special[spec.Name] != nil:
			r.actor = special[spec.Name]
		default:
			r.actor = byOwner[spec.Owner]
		}
		if r.local == nil && r.actor == nil {
			panic(fmt.Sprintf("gateway: method %s (owner %s) has no route", spec.Name, spec.Owner))
		}
		out[spec.Name] = r
	}
	if len(local) > 0 {
		panic(fmt.Sprintf("gateway: local methods not in the method table: %v", local))
	}
	return out
}

// toSelf routes a method to the caller's own user actor.
func toSelf(c *conn, _ proto.Message) (string, string, error) {
	return actors.KindUser, c.userID(), nil
}

// convRoute names the actor serving conversation methods (sendMessage, history…) of one
// conversation type for the caller me.
type convRoute func(me, conversationID string) (kind, identity string, err error)

// convRoutes holds a route per conversation type.
var convRoutes = map[int32]convRoute{
	actors.ConvPeer: func(me, id string) (string, string, error) {
		if !actors.ValidID(id, 32) || id == me {
			return "", "", errBadParams
		}
		return actors.KindPeer, actors.PeerIdentity(me, id), nil
	},
	actors.ConvRoom:    roomRoute,
	actors.ConvGroup:   groupRoute,
	actors.ConvChannel: channelRoute,
}

// conversationParams are the params of every conversation method: they name the
// conversation by ID and type.
type conversationParams interface {
	GetConversationID() string
	GetConversationType() int32
}

// toConversation routes a conversation method by conversation type.
func toConversation(c *conn, p proto.Message) (string, string, error) {
	var id string
	var ctype int32
	switch m := p.(type) {
	case *messages.SendMessageParams:
		id, ctype = m.ToConversationID, m.ConversationType
	case conversationParams:
		id, ctype = m.GetConversationID(), m.GetConversationType()
	default:
		return "", "", errBadParams
	}
	if route, ok := convRoutes[ctype]; ok {
		return route(c.userID(), id)
	}
	return "", "", errBadParams
}

// Methods lists the client methods this gateway serves (for docs and tests).
func Methods() []string {
	out := make([]string, 0, len(routes))
	for m := range routes {
		out = append(out, m)
	}
	return out
}
