package messages

// Friends, blacklist and user rules (issue 14 part A): methods and events. Every method
// runs in the caller's user actor; a change that concerns another user is written for
// both users at once and pushed to the other user through its user actor.
var (
	EventFriendListChanged            = event[FriendListChangedEvent]("friendListChanged")
	EventFriendInfoUpdated            = event[FriendInfoUpdatedEvent]("friendInfoUpdated")
	EventFriendApplicationListChanged = event[FriendApplicationListChangedEvent]("friendApplicationListChanged")
	EventFriendApplicationUpdated     = event[FriendApplicationUpdatedEvent]("friendApplicationUpdated")
	EventBlacklistChanged             = event[BlacklistChangedEvent]("blacklistChanged")
	EventUserRuleUpdated              = event[UserRuleUpdatedEvent]("userRuleUpdated")
)

var (
	MethodAddFriend                  = method[AddFriendParams, FriendAddedResult]("addFriend", OwnerUser, EventFriendListChanged.Name, EventFriendApplicationUpdated.Name)
	MethodSendFriendApplication      = method[SendFriendApplicationParams, FriendApplicationSentResult]("sendFriendApplication", OwnerUser, EventFriendApplicationListChanged.Name)
	MethodAcceptFriendApplication    = method[AcceptFriendApplicationParams, FriendApplicationAcceptedResult]("acceptFriendApplication", OwnerUser, EventFriendApplicationUpdated.Name, EventFriendListChanged.Name)
	MethodRejectFriendApplication    = method[RejectFriendApplicationParams, FriendApplicationRejectedResult]("rejectFriendApplication", OwnerUser, EventFriendApplicationUpdated.Name)
	MethodDeleteFriends              = method[DeleteFriendsParams, FriendsDeletedResult]("deleteFriends", OwnerUser, EventFriendListChanged.Name)
	MethodCheckFriendsRelation       = method[CheckFriendsRelationParams, FriendsRelationCheckedResult]("checkFriendsRelation", OwnerUser).readOnly()
	MethodUpdateFriendAlias          = method[UpdateFriendAliasParams, FriendAliasUpdatedResult]("updateFriendAlias", OwnerUser, EventFriendInfoUpdated.Name).repeatable()
	MethodUpdateFriendAttributes     = method[UpdateFriendAttributesParams, FriendAttributesUpdatedResult]("updateFriendAttributes", OwnerUser, EventFriendInfoUpdated.Name).repeatable()
	MethodQueryFriendsInfo           = method[FriendUserIDsParams, FriendsInfoQueriedResult]("queryFriendsInfo", OwnerUser)
	MethodQueryFriendList            = method[FriendPageParams, FriendListQueriedResult]("queryFriendList", OwnerUser)
	MethodQueryFriendApplicationList = method[FriendPageParams, FriendApplicationListQueriedResult]("queryFriendApplicationList", OwnerUser)
	MethodAddUsersToBlacklist        = method[FriendUserIDsParams, BlacklistUsersAddedResult]("addUsersToBlacklist", OwnerUser, EventBlacklistChanged.Name)
	MethodRemoveUsersFromBlacklist   = method[FriendUserIDsParams, BlacklistUsersRemovedResult]("removeUsersFromBlacklist", OwnerUser, EventBlacklistChanged.Name)
	MethodQueryBlacklist             = method[FriendPageParams, BlacklistQueriedResult]("queryBlacklist", OwnerUser)
	MethodCheckUserIsInBlacklist     = method[FriendUserIDParams, BlacklistCheckedResult]("checkUserIsInBlacklist", OwnerUser).readOnly()
	MethodUpdateUserOfflinePushRule  = method[UpdateUserOfflinePushRuleParams, UserOfflinePushRuleUpdatedResult]("updateUserOfflinePushRule", OwnerUser, EventUserRuleUpdated.Name).repeatable()
	MethodUpdateUserBadge            = method[UpdateUserBadgeParams, Empty]("updateUserBadge", OwnerUser).repeatable()
)

// readOnly marks a method that changes nothing but whose name does not start with
// "query" (checkFriendsRelation, checkUserIsInBlacklist) as ReadOnly.
func (m Method[P, R]) readOnly() Method[P, R] {
	m.ReadOnly = true
	return m
}
