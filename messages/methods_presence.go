package messages

// Presence (user status subscriptions, custom status) and conversation management:
// issue 14, part B.

// Events.
var (
	EventUserStatusUpdated       = event[UserStatusUpdatedEvent]("userStatusUpdated")
	EventConversationsAllDeleted = event[ConversationsAllDeletedEvent]("conversationsAllDeleted")
)

// Methods.
var (
	MethodSubscribeUsersStatus          = method[SubscribeUsersStatusParams, UsersStatusSubscribedResult]("subscribeUsersStatus", OwnerUser, EventUserStatusUpdated.Name)
	MethodUnsubscribeUsersStatus        = method[UnsubscribeUsersStatusParams, UsersStatusUnsubscribedResult]("unsubscribeUsersStatus", OwnerUser).repeatable()
	MethodQuerySubscribedUserStatusList = method[QuerySubscribedUserStatusListParams, SubscribedUserStatusListQueriedResult]("querySubscribedUserStatusList", OwnerUser)
	MethodQueryUsersStatus              = method[QueryUsersStatusParams, UsersStatusQueriedResult]("queryUsersStatus", OwnerUser)
	MethodUpdateUserCustomStatus        = method[UpdateUserCustomStatusParams, UserCustomStatusUpdatedResult]("updateUserCustomStatus", OwnerUser, EventUserStatusUpdated.Name)

	MethodUpdateConversationPinnedState            = method[UpdateConversationPinnedStateParams, ConversationPinnedStateUpdatedResult]("updateConversationPinnedState", OwnerUser, EventConversationChanged.Name).repeatable()
	MethodQueryConversationPinnedList              = method[QueryConversationPinnedListParams, ConversationPinnedListQueriedResult]("queryConversationPinnedList", OwnerUser)
	MethodSetConversationMark                      = method[SetConversationMarkParams, ConversationMarkSetResult]("setConversationMark", OwnerUser, EventConversationChanged.Name).repeatable()
	MethodDeleteConversation                       = method[DeleteConversationParams, ConversationDeletedResult]("deleteConversation", OwnerUser, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodDeleteAllConversations                   = method[DeleteAllConversationsParams, Empty]("deleteAllConversations", OwnerUser, EventConversationsAllDeleted.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodDeleteAllConversationMessages            = method[DeleteAllConversationMessagesParams, Empty]("deleteAllConversationMessages", OwnerUser, EventMessageDeleted.Name, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
	MethodClearConversationTotalUnreadMessageCount = method[Empty, Empty]("clearConversationTotalUnreadMessageCount", OwnerUser, EventConversationChanged.Name, EventConversationTotalUnreadMessageCountUpdated.Name).repeatable()
)
