package messages

import "google.golang.org/protobuf/proto"

func init() {
	RegisterEvents(map[string]func() proto.Message{
		"communityChannelMessageReceived": func() proto.Message { return &ConversationMessageReceivedEvent{} },
		"communityListChanged":            func() proto.Message { return &CommunityListChangedEvent{} },
		"communityInfoUpdated":            func() proto.Message { return &CommunityInfoUpdatedEvent{} },
		"communityMemberStateChanged":     func() proto.Message { return &CommunityMemberStateChangedEvent{} },
		"communityMemberInfoUpdated":      func() proto.Message { return &CommunityMemberInfoUpdatedEvent{} },
		"communityChannelListChanged":     func() proto.Message { return &CommunityChannelListChangedEvent{} },
		"communityChannelInfoUpdated":     func() proto.Message { return &CommunityChannelInfoUpdatedEvent{} },
	})
}
