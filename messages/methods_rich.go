package messages

// Message features (issue 13 part A): revoke, edit, reply threads, pins, combine
// messages. Every method names its conversation through the message it is about
// (message.conversationID, message.conversationType) or, for queryPinnedMessageList,
// directly; the gateway routes it to the conversation's owner.

// Events.
var (
	EventMessageRevokeReceived      = event[MessageRevokeReceivedEvent]("messageRevokeReceived")
	EventMessageEdited              = event[MessageEditedEvent]("messageEdited")
	EventMessagePinStatusChanged    = event[MessagePinStatusChangedEvent]("messagePinStatusChanged")
	EventMessageRepliedCountChanged = event[MessageRepliedCountChangedEvent]("messageRepliedCountChanged")
	EventMessageRepliedInfoChanged  = event[MessageRepliedInfoChangedEvent]("messageRepliedInfoChanged")
)

// Methods.
var (
	MethodRevokeMessage = method[RevokeMessageParams, MessageRevokedResult]("revokeMessage", OwnerConversation,
		EventMessageRevokeReceived.Name, EventMessageRepliedInfoChanged.Name, EventMessagePinStatusChanged.Name,
		EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodEditMessage = method[EditMessageParams, MessageEditedResult]("editMessage", OwnerConversation,
		EventMessageEdited.Name, EventConversationChanged.Name).repeatable()
	MethodReplyMessage = method[ReplyMessageParams, MessageSentResult]("replyMessage", OwnerConversation,
		EventPeerMessageReceived.Name, EventGroupMessageReceived.Name, EventCommunityChannelMessageReceived.Name,
		EventMessageRepliedCountChanged.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name)
	MethodQueryMessageRepliedList   = method[QueryMessageRepliedListParams, MessageRepliedListQueriedResult]("queryMessageRepliedList", OwnerConversation)
	MethodPinMessage                = method[PinMessageParams, Empty]("pinMessage", OwnerConversation, EventMessagePinStatusChanged.Name).repeatable()
	MethodQueryPinnedMessageList    = method[QueryPinnedMessageListParams, PinnedMessageListQueriedResult]("queryPinnedMessageList", OwnerConversation)
	MethodQueryCombineMessageDetail = method[QueryCombineMessageDetailParams, CombineMessageDetailQueriedResult]("queryCombineMessageDetail", OwnerConversation)
)
