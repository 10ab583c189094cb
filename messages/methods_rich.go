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

// MessageConversation names the conversation of a method's params through the message
// the method is about (the gateway routes by it).
type MessageConversation interface {
	MessageConversation() (conversationID string, conversationType int32)
}

func msgConv(m *Message) (string, int32) { return m.GetConversationID(), m.GetConversationType() }

// MessageConversation implements MessageConversation.
func (p *RevokeMessageParams) MessageConversation() (string, int32) { return msgConv(p.GetMessage()) }

// MessageConversation implements MessageConversation.
func (p *EditMessageParams) MessageConversation() (string, int32) { return msgConv(p.GetMessage()) }

// MessageConversation implements MessageConversation: the replied-to message's.
func (p *ReplyMessageParams) MessageConversation() (string, int32) {
	return msgConv(p.GetToOriginalMessage())
}

// MessageConversation implements MessageConversation.
func (p *QueryMessageRepliedListParams) MessageConversation() (string, int32) {
	return msgConv(p.GetMessage())
}

// MessageConversation implements MessageConversation.
func (p *PinMessageParams) MessageConversation() (string, int32) { return msgConv(p.GetMessage()) }

// MessageConversation implements MessageConversation.
func (p *QueryCombineMessageDetailParams) MessageConversation() (string, int32) {
	return msgConv(p.GetMessage())
}
