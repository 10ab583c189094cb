package messages

import "google.golang.org/protobuf/proto"

func init() {
	RegisterEvents(map[string]func() proto.Message{
		"groupMessageReceived":        func() proto.Message { return &ConversationMessageReceivedEvent{} },
		"groupStateChanged":           func() proto.Message { return &GroupStateChangedEvent{} },
		"groupMemberStateChanged":     func() proto.Message { return &GroupMemberStateChangedEvent{} },
		"groupNameUpdated":            func() proto.Message { return &GroupNameUpdatedEvent{} },
		"groupNoticeUpdated":          func() proto.Message { return &GroupNoticeUpdatedEvent{} },
		"groupAvatarUrlUpdated":       func() proto.Message { return &GroupAvatarUrlUpdatedEvent{} },
		"groupAliasUpdated":           func() proto.Message { return &GroupAliasUpdatedEvent{} },
		"groupAttributesUpdated":      func() proto.Message { return &GroupAttributesUpdatedEvent{} },
		"groupMemberInfoUpdated":      func() proto.Message { return &GroupMemberInfoUpdatedEvent{} },
		"groupMutedInfoUpdated":       func() proto.Message { return &GroupMutedInfoUpdatedEvent{} },
		"groupVerifyInfoUpdated":      func() proto.Message { return &GroupVerifyInfoUpdatedEvent{} },
		"groupApplicationListChanged": func() proto.Message { return &GroupApplicationListChangedEvent{} },
		"groupApplicationUpdated":     func() proto.Message { return &GroupApplicationUpdatedEvent{} },
	})
}
