package messages

import "google.golang.org/protobuf/proto"

// RegisterEvents adds push events (called from init of a feature's file).
func RegisterEvents(events map[string]func() proto.Message) {
	for name, mk := range events {
		if _, dup := Events[name]; dup {
			panic("messages: event registered twice: " + name)
		}
		Events[name] = mk
	}
}

// Events maps every push event parley sends to a constructor of its payload type.
var Events = map[string]func() proto.Message{
	"connectionStateChanged":                     func() proto.Message { return &ConnectionStateChangedEvent{} },
	"tokenWillExpire":                            func() proto.Message { return &TokenWillExpireEvent{} },
	"peerMessageReceived":                        func() proto.Message { return &ConversationMessageReceivedEvent{} },
	"conversationChanged":                        func() proto.Message { return &ConversationChangedEvent{} },
	"conversationTotalUnreadMessageCountUpdated": func() proto.Message { return &ConversationTotalUnreadMessageCountUpdatedEvent{} },
	"userInfoUpdated":                            func() proto.Message { return &UserInfoUpdatedEvent{} },
	"messageDeleted":                             func() proto.Message { return &MessageDeletedEvent{} },
}
