package messages

import "google.golang.org/protobuf/proto"

func init() {
	RegisterEvents(map[string]func() proto.Message{
		"roomStateChanged":            func() proto.Message { return &RoomStateChangedEvent{} },
		"roomMemberJoined":            func() proto.Message { return &RoomMemberChangedEvent{} },
		"roomMemberLeft":              func() proto.Message { return &RoomMemberChangedEvent{} },
		"roomAttributesUpdated":       func() proto.Message { return &RoomAttributesUpdatedEvent{} },
		"roomAttributesBatchUpdated":  func() proto.Message { return &RoomAttributesUpdatedEvent{} },
		"roomMemberAttributesUpdated": func() proto.Message { return &RoomMembersAttributesUpdatedEvent{} },
		"roomMessageReceived":         func() proto.Message { return &ConversationMessageReceivedEvent{} },
	})
}
