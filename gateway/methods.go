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
	actor actorRoute
	// fills: the route may fill in params (a server-made ID), so the call carries them
	// encoded again rather than as the client sent them.
	fills bool
}

// actorRoute names the actor (kind, identity) that serves a call of user with params p.
// It may fill in params (a server-made ID); rt gives the limits and IDs.
type actorRoute func(rt *actors.Runtime, user string, p proto.Message) (kind, identity string, err error)

// routes is every method's route, made once from the method table (in init: the
// routes lead to code that reads routes).
var routes map[string]route

func init() { routes = buildRoutes() }

func buildRoutes() map[string]route {
	local := roomMethods()
	local[messages.MethodLogin.Name] = func(c *conn, id uint32, p proto.Message) { c.login(id, p.(*messages.LoginParams)) }
	local[messages.MethodLogout.Name] = func(c *conn, id uint32, _ proto.Message) { c.logout(id) }
	local[messages.MethodRenewToken.Name] = func(c *conn, id uint32, p proto.Message) {
		c.renewToken(id, p.(*messages.RenewTokenParams))
	}
	out := map[string]route{}
	for _, spec := range messages.Methods() {
		r := route{spec: spec}
		if spec.Owner == messages.OwnerGateway {
			r.local = local[spec.Name]
			delete(local, spec.Name)
		} else {
			r.actor = actorRouteOf(spec)
			r.fills = specialRoutes[spec.Name] != nil
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

// routesByOwner route a method by its owner.
var routesByOwner = map[messages.Owner]actorRoute{
	messages.OwnerUser:         toSelf,
	messages.OwnerConversation: toConversation,
	messages.OwnerGroup:        toGroup,
	messages.OwnerRoom:         toRoom,
	messages.OwnerCommunity:    toCommunity,
	messages.OwnerCall:         toCall,
}

// specialRoutes: methods that name an entity that may not exist yet get a server-made ID.
var specialRoutes = map[string]actorRoute{
	messages.MethodCreateGroup.Name:     toNewGroup,
	messages.MethodCreateCommunity.Name: toNewCommunity,
	messages.MethodCallInvite.Name:      toNewCall,
}

// actorRouteOf is the route of a method served by an actor (nil for gateway methods).
func actorRouteOf(spec *messages.MethodSpec) actorRoute {
	if r := specialRoutes[spec.Name]; r != nil {
		return r
	}
	return routesByOwner[spec.Owner]
}

// Route names the actor (kind, identity) that serves a call of method by userID with
// params, exactly as the gateway routes a client's request; internal methods (for
// in-process callers) are routed by their owner too. It may fill in params: createGroup
// and createCommunity without an ID get a server-made one, callInvite always does.
// Methods the gateway serves itself (session and room-membership methods) have no actor
// route: 6000013.
func Route(rt *actors.Runtime, method *messages.MethodSpec, userID string, params proto.Message) (kind, identity string, err error) {
	if method == nil {
		return "", "", errUnknownMethod
	}
	r := actorRouteOf(method)
	if r == nil {
		return "", "", errUnknownMethod
	}
	return r(rt, userID, params)
}

// toSelf routes a method to the caller's own user actor.
func toSelf(_ *actors.Runtime, user string, _ proto.Message) (string, string, error) {
	return actors.KindUser, user, nil
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

// messageParams are the params of the methods that name one message.
type messageParams interface {
	GetMessage() *messages.Message
}

// toConversation routes a conversation method by conversation type.
func toConversation(_ *actors.Runtime, user string, p proto.Message) (string, string, error) {
	var id string
	var ctype int32
	switch m := p.(type) {
	case *messages.SendMessageParams:
		id, ctype = m.ToConversationID, m.ConversationType
	case conversationParams:
		id, ctype = m.GetConversationID(), m.GetConversationType()
	case *messages.ReplyMessageParams: // the replied-to message names the conversation
		msg := m.GetToOriginalMessage()
		if msg == nil {
			return "", "", errBadParams
		}
		id, ctype = msg.GetConversationID(), msg.GetConversationType()
	case messageParams: // revoke, edit, pins, replies, combine, reactions, receipts: the message names it
		msg := m.GetMessage()
		if msg == nil {
			return "", "", errBadParams
		}
		id, ctype = msg.GetConversationID(), msg.GetConversationType()
	default:
		return "", "", errBadParams
	}
	if route, ok := convRoutes[ctype]; ok {
		return route(user, id)
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
