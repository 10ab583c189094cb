package messages

// Receipts, reactions and mentions (issue 13 part B): their table entries.

// Events.
var (
	EventMessageReceiptChanged             = event[MessageReceiptChangedEvent]("messageReceiptChanged")
	EventConversationMessageReceiptChanged = event[MessageReceiptChangedEvent]("conversationMessageReceiptChanged")
	EventMessageReactionsChanged           = event[MessageReactionsChangedEvent]("messageReactionsChanged")
)

// Methods.
var (
	MethodSendMessageReceiptsRead                  = method[MessageReceiptsParams, MessageReceiptsReadSentResult]("sendMessageReceiptsRead", OwnerConversation, EventMessageReceiptChanged.Name).repeatable()
	MethodSendConversationMessageReceiptRead       = method[ConversationRef, ConversationMessageReceiptReadSentResult]("sendConversationMessageReceiptRead", OwnerConversation, EventConversationMessageReceiptChanged.Name).repeatable()
	MethodQueryMessageReceiptsInfo                 = method[MessageReceiptsParams, MessageReceiptsInfoQueriedResult]("queryMessageReceiptsInfo", OwnerConversation)
	MethodQueryGroupMessageReceiptReadMemberList   = method[GroupMessageReceiptMemberListQueryParams, GroupMessageReceiptMemberListQueriedResult]("queryGroupMessageReceiptReadMemberList", OwnerGroup)
	MethodQueryGroupMessageReceiptUnreadMemberList = method[GroupMessageReceiptMemberListQueryParams, GroupMessageReceiptMemberListQueriedResult]("queryGroupMessageReceiptUnreadMemberList", OwnerGroup)
	MethodAddMessageReaction                       = method[MessageReactionAddParams, MessageReactionAddedResult]("addMessageReaction", OwnerConversation, EventMessageReactionsChanged.Name, EventConversationChanged.Name)
	MethodDeleteMessageReaction                    = method[MessageReactionDeleteParams, MessageReactionDeletedResult]("deleteMessageReaction", OwnerConversation, EventMessageReactionsChanged.Name, EventConversationChanged.Name)
	MethodDeleteMessageAllReactions                = method[MessageAllReactionsDeleteParams, Empty]("deleteMessageAllReactions", OwnerConversation, EventMessageReactionsChanged.Name, EventConversationChanged.Name)
	MethodQueryMessageReactionUserList             = method[MessageReactionUserListQueryParams, MessageReactionUserListQueriedResult]("queryMessageReactionUserList", OwnerConversation)
)
