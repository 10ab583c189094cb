package gateway

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// methodSpec describes one client method: how to decode its params, where it runs, and
// the type of its result (for the JSON encoding of actor replies).
type methodSpec struct {
	public bool // allowed before login
	params func() proto.Message
	result func() proto.Message
	// local methods are served by the gateway itself.
	local func(c *conn, id uint32, p proto.Message)
	// route names the actor (kind, identity) that serves the call.
	route func(c *conn, p proto.Message) (string, string, error)
}

func newOf[T any, PT interface {
	*T
	proto.Message
}]() func() proto.Message {
	return func() proto.Message { return PT(new(T)) }
}

// toSelf routes a method to the caller's own user actor.
func toSelf(c *conn, _ proto.Message) (string, string, error) {
	return actors.KindUser, c.userID(), nil
}

// convRoute names the actor serving conversation methods (sendMessage, history…) of one
// conversation type for the caller me.
type convRoute func(me, conversationID string) (kind, identity string, err error)

// convRoutes holds a route per conversation type; each feature's file registers its own.
// A known type without a route answers "unsupported request".
var convRoutes = map[int32]convRoute{
	actors.ConvPeer: func(me, id string) (string, string, error) {
		if !actors.ValidID(id, 32) || id == me {
			return "", "", errBadParams
		}
		return actors.KindPeer, actors.PeerIdentity(me, id), nil
	},
}

// toConversation routes a conversation method by conversation type.
func toConversation(get func(proto.Message) (string, int32)) func(*conn, proto.Message) (string, string, error) {
	return func(c *conn, p proto.Message) (string, string, error) {
		id, ctype := get(p)
		if route, ok := convRoutes[ctype]; ok {
			return route(c.userID(), id)
		}
		switch ctype {
		case actors.ConvRoom, actors.ConvGroup, actors.ConvChannel:
			return "", "", errUnknownMethod
		}
		return "", "", errBadParams
	}
}

// registerMethods adds client methods to the table (called from init of a feature's file).
func registerMethods(specs map[string]methodSpec) {
	for name, spec := range specs {
		if _, dup := methodTable[name]; dup {
			panic("gateway: method registered twice: " + name)
		}
		methodTable[name] = spec
	}
}

func selfMethod(params, result func() proto.Message) methodSpec {
	return methodSpec{params: params, result: result, route: toSelf}
}

var methodTable = map[string]methodSpec{}

func init() {
	convRef := newOf[messages.ConversationRef]()
	registerMethods(map[string]methodSpec{
		"login": {public: true, params: newOf[messages.LoginParams](), local: func(c *conn, id uint32, p proto.Message) {
			c.login(id, p.(*messages.LoginParams))
		}},
		"logout": {params: newOf[messages.Empty](), local: func(c *conn, id uint32, _ proto.Message) { c.logout(id) }},
		"renewToken": {params: newOf[messages.RenewTokenParams](), local: func(c *conn, id uint32, p proto.Message) {
			c.renewToken(id, p.(*messages.RenewTokenParams))
		}},
		"querySelfUserInfo":      selfMethod(newOf[messages.Empty](), newOf[messages.SelfUserInfoQueriedResult]()),
		"updateUserName":         selfMethod(newOf[messages.UpdateUserNameParams](), newOf[messages.UserNameUpdatedResult]()),
		"updateUserAvatarUrl":    selfMethod(newOf[messages.UpdateUserAvatarUrlParams](), newOf[messages.UserAvatarUrlUpdatedResult]()),
		"updateUserExtendedData": selfMethod(newOf[messages.UpdateUserExtendedDataParams](), newOf[messages.UserExtendedDataUpdatedResult]()),
		"queryUsersInfo":         selfMethod(newOf[messages.QueryUsersInfoParams](), newOf[messages.UsersInfoQueriedResult]()),

		"queryConversationList":                    selfMethod(newOf[messages.QueryConversationListParams](), newOf[messages.ConversationListQueriedResult]()),
		"queryConversation":                        selfMethod(convRef, newOf[messages.ConversationQueriedResult]()),
		"clearConversationUnreadMessageCount":      selfMethod(convRef, convRef),
		"queryConversationTotalUnreadMessageCount": selfMethod(newOf[messages.QueryConversationTotalUnreadMessageCountParams](), newOf[messages.ConversationTotalUnreadMessageCountQueriedResult]()),
		"setConversationNotificationStatus":        selfMethod(newOf[messages.SetConversationNotificationStatusParams](), convRef),
		"setConversationDraft":                     selfMethod(newOf[messages.SetConversationDraftParams](), convRef),

		"sendMessage": {params: newOf[messages.SendMessageParams](), result: newOf[messages.MessageSentResult](),
			route: toConversation(func(p proto.Message) (string, int32) {
				m := p.(*messages.SendMessageParams)
				return m.ToConversationID, m.ConversationType
			})},
		"queryHistoryMessage": {params: newOf[messages.QueryHistoryMessageParams](), result: newOf[messages.MessageQueriedResult](),
			route: toConversation(func(p proto.Message) (string, int32) {
				m := p.(*messages.QueryHistoryMessageParams)
				return m.ConversationID, m.ConversationType
			})},
		"queryMessages": {params: newOf[messages.QueryMessagesParams](), result: newOf[messages.MessageQueriedResult](),
			route: toConversation(func(p proto.Message) (string, int32) {
				m := p.(*messages.QueryMessagesParams)
				return m.ConversationID, m.ConversationType
			})},
		"deleteMessages": {params: newOf[messages.DeleteMessagesParams](), result: newOf[messages.MessageDeletedResult](),
			route: toConversation(func(p proto.Message) (string, int32) {
				m := p.(*messages.DeleteMessagesParams)
				return m.ConversationID, m.ConversationType
			})},
		"deleteAllMessage": {params: newOf[messages.DeleteAllMessageParams](), result: newOf[messages.MessageDeletedResult](),
			route: toConversation(func(p proto.Message) (string, int32) {
				m := p.(*messages.DeleteAllMessageParams)
				return m.ConversationID, m.ConversationType
			})},
	})
}

// Methods lists the client methods this gateway serves (for docs and tests).
func Methods() []string {
	out := make([]string, 0, len(methodTable))
	for m := range methodTable {
		out = append(out, m)
	}
	return out
}
