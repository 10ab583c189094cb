import type { ZIMError } from './types';
import type { ZIM } from './zim';
export declare enum ZIMConnectionState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
    Reconnecting = 3
}
export declare enum ZIMConnectionEvent {
    Success = 0,
    ActiveLogin = 1,
    LoginTimeout = 2,
    LoginInterrupted = 3,
    KickedOut = 4,
    TokenExpired = 5,
    Unregistered = 6
}
export declare enum ZIMConversationEvent {
    Added = 0,
    Updated = 1,
    Disabled = 2,
    Deleted = 3
}
export declare enum ZIMConversationNotificationStatus {
    Notify = 1,
    DoNotDisturb = 2
}
export declare enum ZIMConversationType {
    Unknown = -1,
    Peer = 0,
    Room = 1,
    Group = 2,
    CommunityChannel = 3
}
export declare enum ZIMConversationSyncState {
    Started = 0,
    Finished = 1,
    Failed = 2
}
export declare enum ZIMConversationPinnedFilter {
    All = 0,
    OnlyPinned = 1,
    OnlyUnpinned = 2
}
export declare enum ZIMConversationSearchMode {
    MatchMessage = 0,
    MatchConversationName = 1
}
export declare enum ZIMMediaFileType {
    OriginalFile = 1,
    LargeImage = 2,
    Thumbnail = 3,
    VideoFirstFrame = 4
}
export declare enum ZIMMessageDirection {
    Send = 0,
    Receive = 1
}
export declare enum ZIMMessageOrder {
    Descending = 0,
    Ascending = 1
}
export declare enum ZIMMessagePriority {
    Low = 1,
    Medium = 2,
    High = 3
}
export declare enum ZIMMessageReceiptStatus {
    Unknown = -1,
    None = 0,
    Processing = 1,
    Done = 2,
    Expired = 3,
    Failed = 4
}
export declare enum ZIMMessageRevokeStatus {
    Unknown = -1,
    SelfRevoke = 0,
    SystemRevoke = 1,
    ServerAPIRevoke = 2,
    GroupAdminRevoke = 3,
    GroupOwnerRevoke = 4,
    AuditRejectRevoke = 5
}
export declare enum ZIMMessageSentStatus {
    Sending = 0,
    Success = 1,
    Failed = 2
}
export declare enum ZIMMessageType {
    Unknown = 0,
    Text = 1,
    Command = 2,
    Multiple = 10,
    Image = 11,
    File = 12,
    Audio = 13,
    Video = 14,
    Barrage = 20,
    System = 30,
    Revoke = 31,
    Tips = 32,
    Combine = 100,
    Custom = 200
}
export declare enum ZIMRevokeType {
    Unknown = -1,
    TwoWay = 0,
    OneWay = 1
}
export declare enum ZIMTipsMessageEvent {
    Unknown = 0,
    GroupCreated = 1,
    GroupDismissed = 2,
    GroupJoined = 3,
    GroupInvited = 4,
    GroupLeft = 5,
    GroupKickedOut = 6,
    GroupInfoChanged = 7,
    GroupMemberInfoChanged = 8,
    GroupMessagePinned = 9,
    CommunityCreated = 101,
    CommunityJoined = 103,
    CommunityInvited = 104,
    CommunityChannelCreated = 151
}
export declare enum ZIMTipsMessageChangeInfoType {
    Unknown = 0,
    GroupDataChanged = 1,
    GroupNoticeChanged = 2,
    GroupNameChanged = 3,
    GroupAvatarUrlChanged = 4,
    GroupMuteChanged = 5,
    GroupOwnerTransferred = 10,
    GroupMemberRoleChanged = 11,
    GroupMemberMuteChanged = 12,
    GroupMessagePinInfoChanged = 21
}
export declare enum ZIMMessageMentionedType {
    Unknown = 0,
    MentionMe = 1,
    MentionAll = 2,
    MentionAllAndMe = 3
}
export declare enum ZIMMessageDeleteType {
    MessageListDeleted = 0,
    ConversationAllMessagesDeleted = 1,
    AllConversationMessagesDeleted = 2
}
export declare enum ZIMMessageRepliedInfoState {
    Normal = 0,
    Deleted = 1,
    NotFound = 2
}
export declare enum ZIMMessagePinStatus {
    NotPinned = 0,
    Pinned = 1,
    Updated = 2
}
export declare enum ZIMMessageReactionUserChangeAction {
    Added = 0,
    Deleted = 1
}
export declare enum ZIMRoomEvent {
    Success = 0,
    NetworkInterrupted = 1,
    NetworkDisconnected = 2,
    RoomNotExist = 3,
    ActiveCreate = 4,
    CreateFailed = 5,
    ActiveEnter = 6,
    EnterFailed = 7,
    KickedOut = 8,
    ConnectTimeout = 9,
    KickedOutByOtherDevice = 10,
    ActiveSwitch = 11,
    SwitchFailed = 12
}
export declare enum ZIMRoomState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2
}
export declare enum ZIMRoomAttributesUpdateAction {
    Set = 0,
    Delete = 1
}
export declare enum ZIMRoomMemberAttributesUpdateAction {
    Set = 0
}
export declare enum ZIMGroupState {
    Quit = 0,
    Enter = 1
}
export declare enum ZIMGroupEvent {
    Unknown = -1,
    Created = 1,
    Dismissed = 2,
    Joined = 3,
    Invited = 4,
    Left = 5,
    KickedOut = 6
}
export declare enum ZIMGroupMemberEvent {
    Unknown = -1,
    Joined = 1,
    Left = 2,
    KickedOut = 4,
    Invited = 5
}
export declare enum ZIMGroupMemberState {
    Quit = 0,
    Enter = 1
}
export declare enum ZIMGroupMessageNotificationStatus {
    Notify = 1,
    Disturb = 2
}
export declare enum ZIMGroupAttributesUpdateAction {
    Set = 0,
    Delete = 1
}
export declare enum ZIMGroupMuteMode {
    None = 0,
    Normal = 1,
    All = 2,
    Custom = 3
}
export declare enum ZIMGroupJoinMode {
    Any = 0,
    Auth = 1,
    Forbid = 2
}
export declare enum ZIMGroupInviteMode {
    Any = 0,
    Admin = 1
}
export declare enum ZIMGroupBeInviteMode {
    None = 0,
    Auth = 1
}
export declare enum ZIMGroupEnterType {
    Unknown = 0,
    Created = 1,
    JoinApply = 2,
    Joined = 3,
    Invited = 4,
    InviteApply = 5
}
export declare enum ZIMGroupApplicationType {
    Unknown = -1,
    None = 0,
    Join = 1,
    Invite = 2,
    BeInvite = 3
}
export declare enum ZIMGroupApplicationState {
    Unknown = -1,
    Waiting = 1,
    Accepted = 2,
    Rejected = 3,
    Expired = 4,
    Disabled = 5
}
export declare enum ZIMGroupApplicationListChangeAction {
    Added = 0
}
export declare enum ZIMCallInvitationMode {
    Unknown = -1,
    General = 0,
    Advanced = 1
}
export declare enum ZIMCallState {
    Unknown = -1,
    Started = 1,
    Ended = 2
}
export declare enum ZIMCallUserState {
    Unknown = -1,
    Inviting = 0,
    Accepted = 1,
    Rejected = 2,
    Cancelled = 3,
    Offline = 4,
    Received = 5,
    Timeout = 6,
    Quit = 7,
    Ended = 8,
    NotYetReceived = 9,
    BeCancelled = 10
}
export declare enum ZIMFriendListChangeAction {
    Added = 0,
    Deleted = 1
}
export declare enum ZIMFriendApplicationListChangeAction {
    Added = 0,
    Deleted = 1
}
export declare enum ZIMFriendApplicationType {
    Unknown = -1,
    None = 0,
    Received = 1,
    Sent = 2,
    Both = 3
}
export declare enum ZIMFriendApplicationState {
    Unknown = -1,
    Waiting = 1,
    Accepted = 2,
    Rejected = 3,
    Expired = 4,
    Disabled = 5
}
export declare enum ZIMFriendRelationCheckType {
    Both = 0,
    Single = 1
}
export declare enum ZIMFriendDeleteType {
    Both = 0,
    Single = 1
}
export declare enum ZIMUserRelationType {
    Unknown = 0,
    SingleNo = 1,
    SingleHave = 2,
    BothAllNo = 3,
    BothSelfHave = 4,
    BothOtherHave = 5,
    BothAllHave = 6
}
export declare enum ZIMBlacklistChangeAction {
    Added = 0,
    Removed = 1
}
export declare enum ZIMCXHandleType {
    Generic = 1,
    PhoneNumber = 2,
    EmailAddress = 3
}
export declare enum ZIMGeofencingType {
    None = 0,
    Include = 1,
    Exclude = 2
}
export declare enum ZIMPlatformType {
    Win = 1,
    IPhoneOS = 2,
    Android = 3,
    MacOS = 4,
    Linux = 5,
    Web = 6,
    MiniProgram = 7,
    IPadOS = 9,
    OHOS = 10,
    Unknown = 32
}
export declare enum ZIMUserOnlineStatus {
    Online = 0,
    Offline = 1,
    Logout = 2,
    Unknown = 99
}
export declare enum ZIMMessageQueryMode {
    General = 0,
    PreferServer = 1,
    OnlyLocal = 2
}
export declare enum ZIMErrorCode {
    Success = 0,
    Failed = 1,
    CommonModuleParamsInvalid = 6000001,
    CommonModuleNotInit = 6000002,
    CommonModuleInvalidAppID = 6000003,
    CommonModuleTriggerSDKFrequencyLimit = 6000004,
    CommonModuleTriggerServerFrequencyLimit = 6000005,
    CommonModuleSwitchServerError = 6000006,
    CommonModuleIMServerError = 6000007,
    CommonModuleIMDatabaseError = 6000008,
    CommonModuleIMServerDisconnect = 6000009,
    CommonModuleUploadLogError = 6000010,
    CommonModuleUserIsNotExist = 6000011,
    CommonModuleUserInfoQueriedLimit = 6000012,
    CommonModuleUnsupportedRequest = 6000013,
    CommonModuleUnactivatedIMServer = 6000014,
    CommonModuleExceedDAULimit = 6000015,
    CommonModuleExceedMAULimit = 6000016,
    CommonModuleBlacklistLimit = 6000021,
    NetworkModuleCommonError = 6000101,
    NetworkModuleServerError = 6000102,
    NetworkModuleTokenInvalid = 6000103,
    NetworkModuleNetworkError = 6000104,
    NetworkModuleRequestTimeout = 6000105,
    NetworkModuleTokenExpired = 6000106,
    NetworkModuleTokenVersionError = 6000107,
    NetworkModuleTokenTimeIsTooShort = 6000108,
    NetworkModuleRspProtoParseError = 6000109,
    NetworkModuleUserHasAlreadyLogged = 6000111,
    NetworkModuleUserIsNotLogged = 6000121,
    NetworkModuleUserHasAlreadyLoggedOut = 6000122,
    NetworkModuleUserOffline = 6000123,
    NetworkModuleUserIDError = 6000124,
    MessageModuleCommonError = 6000201,
    MessageModuleServerError = 6000202,
    MessageModuleSendMessageFailed = 6000203,
    MessageModuleTargetDoesNotExist = 6000204,
    MessageModuleEditMessageFailed = 6000205,
    MessageModuleSendMessageFailedForCancelled = 6000206,
    MessageModuleCancelSendingMessageFailed = 6000207,
    MessageModuleMessageIsNotPinned = 6000208,
    MessageModuleFileError = 6000210,
    MessageModuleFileNotExist = 6000211,
    MessageModuleFileServerError = 6000212,
    MessageModuleFileTypeUnsupported = 6000213,
    MessageModuleFileSizeInvalid = 6000214,
    MessageModuleFileDurationInvalid = 6000215,
    MessageModuleFilePermissionDenied = 6000216,
    MessageModuleFileDownloadFailed = 6000217,
    MessageModuleFileDownloadLimit = 6000218,
    MessageModuleFileDownloadUrlNotFound = 6000219,
    MessageModuleFileDownloadHttpRequestServerError = 6000220,
    MessageModuleAuditRejected = 6000221,
    MessageModuleAuditFailed = 6000222,
    MessageModuleAuditCustomSentRejected = 6000230,
    MessageModuleCacheFileOpenFailed = 6000240,
    MessageModuleCacheFileExportOrImportIsInProgressCurrently = 6000241,
    MessageModuleCacheFileOnlyCanImportCacheOfOneself = 6000242,
    MessageModuleCacheFileExportFailed = 6000243,
    MessageModuleCacheFileImportFailed = 6000244,
    MessageModuleCacheFileJsonParseFailed = 6000245,
    MessageModuleFileConnectError = 6000251,
    MessageModuleFileHttpError = 6000252,
    MessageModuleFileVerificationError = 6000253,
    MessageModuleFileClientError = 6000254,
    CallModuleCommonError = 6000270,
    CallModuleCancelError = 6000271,
    CallModuleServerError = 6000272,
    CallModuleIsNotInvitor = 6000273,
    CallModuleIsNotInvitee = 6000274,
    CallModuleAlreadyExists = 6000275,
    CallModuleDoesNotExist = 6000276,
    MessageModuleReceiptReadError = 6000277,
    MessageModuleMessageExceedsRevokeTime = 6000278,
    MessageModuleMessageHasBeenRevoked = 6000279,
    MessageModuleMessageReactionTypeExisted = 6000280,
    CallModuleInviteUserDoesNotExist = 6000281,
    MessageModuleMessageReceiptLimit = 6000282,
    CallModuleUserAlreadyInTheCall = 6000283,
    MessageModuleSenderInBlacklist = 6000284,
    MessageModuleEditNoCorrespondingOperationAuthority = 6000285,
    MessageModuleMessageExceedsEditTime = 6000286,
    MessageModuleTheNumberOfPinnedMessagesExceedsLimit = 6000287,
    RoomModuleCommonError = 6000301,
    RoomModuleServerError = 6000302,
    RoomModuleCreateRoomError = 6000303,
    RoomModuleJoinRoomError = 6000304,
    RoomModuleLeaveRoomError = 6000306,
    RoomModuleTheRoomMemberQueryFailed = 6000310,
    RoomModuleTheRoomMembersQueryFailedCompletely = 6000311,
    RoomModuleUserIsAlreadyInTheRoom = 6000320,
    RoomModuleUserIsNotInTheRoom = 6000321,
    RoomModuleTheRoomDoesNotExist = 6000322,
    RoomModuleTheRoomAlreadyExists = 6000323,
    RoomModuleTheNumberOfExistingRoomsHasReachedLimit = 6000324,
    RoomModuleTheNumberOfJoinedRoomsHasReachedLimit = 6000325,
    RoomModuleTheRoomIsConnecting = 6000326,
    RoomModuleRoomMemberIsBlocked = 6000327,
    RoomModuleRoomAttributesCommonError = 6000330,
    RoomModuleRoomAttributesOperationFailedCompletely = 6000331,
    RoomModuleRoomAttributesOperationFailedPartly = 6000332,
    RoomModuleRoomAttributesQueryFailed = 6000333,
    RoomModuleTheNumberOfRoomAttributesExceedsLimit = 6000334,
    RoomModuleTheLengthOfRoomAttributeKeyExceedsLimit = 6000335,
    RoomModuleTheLengthOfRoomAttributeValueExceedsLimit = 6000336,
    RoomModuleTheTotalLengthOfRoomAttributesValueExceedsLimit = 6000337,
    RoomModuleRoomMemberAttributesCommonError = 6000350,
    RoomModuleTheTotalLengthOfRoomMemberAttributesExceedsLimit = 6000351,
    RoomModuleTheLengthOfRoomMemberAttributesKeyExceedsLimit = 6000352,
    RoomModuleTheLengthOfRoomMemberAttributesValueExceedsLimit = 6000353,
    RoomModuleTheMemberNumberOfRoomMemberAttributesExceedsLimit = 6000357,
    ZpnsModulePushIDInvalid = 6000401,
    GroupModuleCommonError = 6000501,
    GroupModuleServerError = 6000502,
    GroupModuleCreateGroupError = 6000503,
    GroupModuleDismissGroupError = 6000504,
    GroupModuleJoinGroupError = 6000505,
    GroupModuleLeaveGroupError = 6000506,
    GroupModuleKickoutGroupMemberError = 6000507,
    GroupModuleInviteUserIntoGroupError = 6000508,
    GroupModuleTransferOwnerError = 6000509,
    GroupModuleUpdateGroupInfoError = 6000510,
    GroupModuleQueryGroupInfoError = 6000511,
    GroupModuleGroupAttributesOperationFailed = 6000512,
    GroupModuleGroupAttributesQueryFailed = 6000513,
    GroupModuleUpdateGroupMemberInfoError = 6000514,
    GroupModuleQueryGroupMemberInfoError = 6000515,
    GroupModuleQueryGroupListError = 6000516,
    GroupModuleQueryGroupMemberListError = 6000517,
    GroupModuleUserIsNotInTheGroup = 6000521,
    GroupModuleMemberIsAlreadyInTheGroup = 6000522,
    GroupModuleGroupDoesNotExist = 6000523,
    GroupModuleGroupAlreadyExists = 6000524,
    GroupModuleGroupMemberHasReachedLimit = 6000525,
    GroupModuleGroupAttributeDoesNotExist = 6000526,
    GroupModuleCreateGroupWithDismissed = 6000527,
    GroupModuleTheNumberOfGroupAttributesExceedsLimit = 6000531,
    GroupModuleTheLengthOfGroupAttributeKeyExceedsLimit = 6000532,
    GroupModuleTheLengthOfGroupAttributeValueExceedsLimit = 6000533,
    GroupModuleTheTotalLengthOfGroupAttributesValueExceedsLimit = 6000534,
    GroupModuleGroupNoCorrespondingOperationAuthority = 6000541,
    GroupModuleForbidJoinGroupError = 6000542,
    GroupModuleNeedApplyJoinGroupError = 6000543,
    GroupModuleNeedApplyInviteGroupError = 6000544,
    ConversationModuleCommonError = 6000601,
    ConversationModuleServerError = 6000602,
    ConversationModuleConversationDoesNotExist = 6000603,
    ConversationModuleConversationPinnedListReachedLimit = 6000604,
    DatabaseModuleOpenDatabaseError = 6000701,
    DatabaseModuleModifyDatabaseError = 6000702,
    DatabaseModuleDeleteDatabaseError = 6000703,
    DatabaseModuleSeleteDatabaseError = 6000704,
    DatabaseModuleDbIsNotOpened = 6000710,
    FriendModuleFriendNumsLimit = 6000801,
    FriendModuleFriendApplicationStatusError = 6000802,
    FriendModuleIsAlreadyYourFriend = 6000803,
    FriendModuleAlreadyAddToBlacklist = 6000804,
    FriendModuleCannotAddSelfToBlacklist = 6000805,
    FriendModuleAlreadyDeleteFromBlacklist = 6000806,
    FriendModuleUserNotInBlacklist = 6000807,
    FriendModuleBlacklistListQuantityLimit = 6000808,
    FriendModuleFriendOperationLimitExceeded = 6000809,
    FriendModuleCannotAddSelfToFriendList = 6000810,
    FriendModuleFriendAreUnregistered = 6000811,
    FriendModuleNotYourFriend = 6000812,
    FriendModuleCannotDeleteSelf = 6000813,
    FriendModuleFriendApplicationExpired = 6000814,
    FriendModuleAddBlacklistFail = 6000815,
    FriendModuleDelBlacklistFail = 6000816
}
export type ZIMAudioMessage = any;
export type ZIMAudioMessageLiteInfo = any;
export type ZIMBarrageMessage = any;
export type ZIMBlacklistCheckedResult = any;
export type ZIMBlacklistQueriedResult = any;
export type ZIMBlacklistQueryConfig = any;
export type ZIMBlacklistUsersAddedResult = any;
export type ZIMBlacklistUsersRemovedResult = any;
export type ZIMCallAcceptConfig = any;
export type ZIMCallAcceptanceSentResult = any;
export type ZIMCallCancelConfig = any;
export type ZIMCallCancelSentResult = any;
export type ZIMCallEndConfig = any;
export type ZIMCallEndSentResult = any;
export type ZIMCallEndedSentInfo = any;
export type ZIMCallInfo = any;
export type ZIMCallInvitationAcceptedInfo = any;
export type ZIMCallInvitationCancelledInfo = any;
export type ZIMCallInvitationCreatedInfo = any;
export type ZIMCallInvitationEndedInfo = any;
export type ZIMCallInvitationListQueriedResult = any;
export type ZIMCallInvitationQueryConfig = any;
export type ZIMCallInvitationReceivedInfo = any;
export type ZIMCallInvitationRejectedInfo = any;
export type ZIMCallInvitationSentInfo = any;
export type ZIMCallInvitationSentResult = any;
export type ZIMCallInvitationTimeoutInfo = any;
export type ZIMCallInviteConfig = any;
export type ZIMCallJoinConfig = any;
export type ZIMCallJoinSentInfo = any;
export type ZIMCallJoinSentResult = any;
export type ZIMCallQuitConfig = any;
export type ZIMCallQuitSentInfo = any;
export type ZIMCallQuitSentResult = any;
export type ZIMCallRejectConfig = any;
export type ZIMCallRejectionSentResult = any;
export type ZIMCallUserInfo = any;
export type ZIMCallUserStateChangeInfo = any;
export type ZIMCallingInvitationSentInfo = any;
export type ZIMCallingInvitationSentResult = any;
export type ZIMCallingInviteConfig = any;
export type ZIMCombineMessage = any;
export type ZIMCombineMessageDetailQueriedResult = any;
export type ZIMCombineMessageLiteInfo = any;
export type ZIMCommandMessage = any;
export type ZIMConversation = any;
export type ZIMConversationBaseInfo = any;
export type ZIMConversationChangeInfo = any;
export type ZIMConversationDeleteConfig = any;
export type ZIMConversationDeletedResult = any;
export type ZIMConversationDraftSetResult = any;
export type ZIMConversationFilterOption = any;
export type ZIMConversationListQueriedResult = any;
export type ZIMConversationMarkSetResult = any;
export type ZIMConversationMessageReceiptReadSentResult = any;
export type ZIMConversationMessagesAllDeletedResult = any;
export type ZIMConversationNotificationStatusSetResult = any;
export type ZIMConversationPinnedListQueriedResult = any;
export type ZIMConversationPinnedStateUpdatedResult = any;
export type ZIMConversationQueriedResult = any;
export type ZIMConversationQueryConfig = any;
export type ZIMConversationSearchConfig = any;
export type ZIMConversationSearchInfo = any;
export type ZIMConversationTotalUnreadMessageCountClearedResult = any;
export type ZIMConversationTotalUnreadMessageCountQueriedResult = any;
export type ZIMConversationTotalUnreadMessageCountQueryConfig = any;
export type ZIMConversationUnreadMessageCountClearedResult = any;
export type ZIMConversationsAllDeletedResult = any;
export type ZIMConversationsSearchedResult = any;
export type ZIMCustomMessage = any;
export type ZIMCustomMessageLiteInfo = any;
export type ZIMErrorUserInfo = any;
export type ZIMEventOfBlacklistChangedResult = any;
export type ZIMEventOfBroadcastMessageReceivedResult = any;
export type ZIMEventOfCallInvitationAcceptedResult = any;
export type ZIMEventOfCallInvitationCancelledResult = any;
export type ZIMEventOfCallInvitationCreatedResult = any;
export type ZIMEventOfCallInvitationEndedResult = any;
export type ZIMEventOfCallInvitationReceivedResult = any;
export type ZIMEventOfCallInvitationRejectedResult = any;
export type ZIMEventOfCallInvitationTimeoutResult = any;
export type ZIMEventOfCallInviteesAnsweredTimeoutResult = any;
export type ZIMEventOfCallUserStateChangedResult = any;
export type ZIMEventOfConnectionStateChangedResult = any;
export type ZIMEventOfConversationChangedResult = any;
export type ZIMEventOfConversationMessageReceiptChangedResult = any;
export type ZIMEventOfConversationMessageReceivedResult = any;
export type ZIMEventOfConversationSyncStateChangedResult = any;
export type ZIMEventOfConversationTotalUnreadMessageCountUpdatedResult = any;
export type ZIMEventOfConversationsAllDeletedResult = any;
export type ZIMEventOfFriendApplicationListChangedResult = any;
export type ZIMEventOfFriendApplicationUpdatedResult = any;
export type ZIMEventOfFriendInfoUpdatedResult = any;
export type ZIMEventOfFriendListChangedResult = any;
export type ZIMEventOfGroupAliasUpdatedResult = any;
export type ZIMEventOfGroupApplicationListChangedResult = any;
export type ZIMEventOfGroupApplicationUpdatedResult = any;
export type ZIMEventOfGroupAttributesUpdatedResult = any;
export type ZIMEventOfGroupAvatarUrlUpdatedResult = any;
export type ZIMEventOfGroupMemberInfoUpdatedResult = any;
export type ZIMEventOfGroupMemberStateChangedResult = any;
export type ZIMEventOfGroupMutedInfoUpdatedResult = any;
export type ZIMEventOfGroupNameUpdatedResult = any;
export type ZIMEventOfGroupNoticeUpdatedResult = any;
export type ZIMEventOfGroupStateChangedResult = any;
export type ZIMEventOfGroupVerifyInfoUpdatedResult = any;
export type ZIMEventOfMessageDeletedResult = any;
export type ZIMEventOfMessageEditedResult = any;
export type ZIMEventOfMessagePinStatusChangedResult = any;
export type ZIMEventOfMessageReactionsChangedResult = any;
export type ZIMEventOfMessageReceiptChangedResult = any;
export type ZIMEventOfMessageRepliedCountChangedResult = any;
export type ZIMEventOfMessageRepliedInfoChangedResult = any;
export type ZIMEventOfMessageRevokeReceivedResult = any;
export type ZIMEventOfMessageSentStatusChangedResult = any;
export type ZIMEventOfReceiveConversationMessageResult = any;
export type ZIMEventOfRoomAttributesUpdatedResult = any;
export type ZIMEventOfRoomMemberChangedResult = any;
export type ZIMEventOfRoomMembersAttributesUpdatedResult = any;
export type ZIMEventOfRoomStateChangedResult = any;
export type ZIMEventOfTokenWillExpireResult = any;
export type ZIMEventOfUserInfoUpdatedResult = any;
export type ZIMEventOfUserRuleUpdatedResult = any;
export type ZIMEventOfUserStatusUpdatedResult = any;
export type ZIMFileMessage = any;
export type ZIMFileMessageLiteInfo = any;
export type ZIMFriendAddConfig = any;
export type ZIMFriendAddedResult = any;
export type ZIMFriendAliasUpdatedResult = any;
export type ZIMFriendApplicationAcceptConfig = any;
export type ZIMFriendApplicationAcceptedResult = any;
export type ZIMFriendApplicationInfo = any;
export type ZIMFriendApplicationListQueriedResult = any;
export type ZIMFriendApplicationListQueryConfig = any;
export type ZIMFriendApplicationRejectConfig = any;
export type ZIMFriendApplicationRejectedResult = any;
export type ZIMFriendApplicationSendConfig = any;
export type ZIMFriendApplicationSentResult = any;
export type ZIMFriendAttributesUpdatedResult = any;
export type ZIMFriendDeleteConfig = any;
export type ZIMFriendInfo = any;
export type ZIMFriendListQueriedResult = any;
export type ZIMFriendListQueryConfig = any;
export type ZIMFriendRelationCheckConfig = any;
export type ZIMFriendRelationInfo = any;
export type ZIMFriendSearchConfig = any;
export type ZIMFriendsDeletedResult = any;
export type ZIMFriendsInfoQueriedResult = any;
export type ZIMFriendsRelationCheckedResult = any;
export type ZIMFriendsSearchedResult = any;
export type ZIMGroup = any;
export type ZIMGroupAdvancedConfig = any;
export type ZIMGroupAliasUpdatedResult = any;
export type ZIMGroupApplicationInfo = any;
export type ZIMGroupApplicationListQueriedResult = any;
export type ZIMGroupApplicationListQueryConfig = any;
export type ZIMGroupAttributesOperatedResult = any;
export type ZIMGroupAttributesQueriedResult = any;
export type ZIMGroupAttributesUpdateInfo = any;
export type ZIMGroupAvatarUrlUpdatedResult = any;
export type ZIMGroupBeInviteModeUpdatedResult = any;
export type ZIMGroupConversation = any;
export type ZIMGroupCreatedResult = any;
export type ZIMGroupDismissedResult = any;
export type ZIMGroupEnterInfo = any;
export type ZIMGroupFullInfo = any;
export type ZIMGroupInfo = any;
export type ZIMGroupInfoQueriedResult = any;
export type ZIMGroupInviteApplicationAcceptConfig = any;
export type ZIMGroupInviteApplicationAcceptedResult = any;
export type ZIMGroupInviteApplicationRejectConfig = any;
export type ZIMGroupInviteApplicationRejectedResult = any;
export type ZIMGroupInviteApplicationSendConfig = any;
export type ZIMGroupInviteApplicationsSentResult = any;
export type ZIMGroupInviteModeUpdatedResult = any;
export type ZIMGroupJoinApplicationAcceptConfig = any;
export type ZIMGroupJoinApplicationAcceptedResult = any;
export type ZIMGroupJoinApplicationRejectConfig = any;
export type ZIMGroupJoinApplicationRejectedResult = any;
export type ZIMGroupJoinApplicationSendConfig = any;
export type ZIMGroupJoinApplicationSentResult = any;
export type ZIMGroupJoinModeUpdatedResult = any;
export type ZIMGroupJoinedResult = any;
export type ZIMGroupLeftResult = any;
export type ZIMGroupListQueriedResult = any;
export type ZIMGroupListQueryConfig = any;
export type ZIMGroupMemberCountQueriedResult = any;
export type ZIMGroupMemberInfo = any;
export type ZIMGroupMemberInfoQueriedResult = any;
export type ZIMGroupMemberKickedResult = any;
export type ZIMGroupMemberListQueriedResult = any;
export type ZIMGroupMemberMuteConfig = any;
export type ZIMGroupMemberMutedListQueriedResult = any;
export type ZIMGroupMemberMutedListQueryConfig = any;
export type ZIMGroupMemberNicknameUpdatedResult = any;
export type ZIMGroupMemberQueryConfig = any;
export type ZIMGroupMemberRoleUpdatedResult = any;
export type ZIMGroupMemberSearchConfig = any;
export type ZIMGroupMemberSimpleInfo = any;
export type ZIMGroupMembersMutedResult = any;
export type ZIMGroupMembersSearchedResult = any;
export type ZIMGroupMessageReceiptMemberListQueriedResult = any;
export type ZIMGroupMessageReceiptMemberQueryConfig = any;
export type ZIMGroupMuteConfig = any;
export type ZIMGroupMuteInfo = any;
export type ZIMGroupMutedResult = any;
export type ZIMGroupNameUpdatedResult = any;
export type ZIMGroupNoticeUpdatedResult = any;
export type ZIMGroupOperatedInfo = any;
export type ZIMGroupOwnerTransferredResult = any;
export type ZIMGroupSearchConfig = any;
export type ZIMGroupSearchInfo = any;
export type ZIMGroupUsersInvitedResult = any;
export type ZIMGroupVerifyInfo = any;
export type ZIMGroupsSearchedResult = any;
export type ZIMImageMessage = any;
export type ZIMImageMessageLiteInfo = any;
export type ZIMLogConfig = any;
export type ZIMLogUploadedResult = any;
export type ZIMLoggedInResult = any;
export type ZIMMediaMessage = any;
export type ZIMMediaMessageLiteInfo = any;
export type ZIMMediaMessageSendNotification = any;
export type ZIMMediaUploadingProgress = any;
export type ZIMMessage = any;
export type ZIMMessageAttachedResult = any;
export type ZIMMessageDeleteConfig = any;
export type ZIMMessageDeletedResult = any;
export type ZIMMessageEditConfig = any;
export type ZIMMessageEditedResult = any;
export type ZIMMessageInsertedResult = any;
export type ZIMMessageLiteInfo = any;
export type ZIMMessageLocalExtendedDataUpdatedResult = any;
export type ZIMMessageMentionedInfo = any;
export type ZIMMessagePinConfig = any;
export type ZIMMessagePinStatusChangeInfo = any;
export type ZIMMessagePinnedResult = any;
export type ZIMMessageQueriedResult = any;
export type ZIMMessageQueryConfig = any;
export type ZIMMessageReaction = any;
export type ZIMMessageReactionAddConfig = any;
export type ZIMMessageReactionAddedResult = any;
export type ZIMMessageReactionChangeInfo = any;
export type ZIMMessageReactionDeletedResult = any;
export type ZIMMessageReactionSimpleInfo = any;
export type ZIMMessageReactionUserChangeInfo = any;
export type ZIMMessageReactionUserFullInfo = any;
export type ZIMMessageReactionUserInfo = any;
export type ZIMMessageReactionUserListQueriedResult = any;
export type ZIMMessageReactionUserQueryConfig = any;
export type ZIMMessageReceiptInfo = any;
export type ZIMMessageReceiptsInfoQueriedResult = any;
export type ZIMMessageReceiptsReadSentResult = any;
export type ZIMMessageReceivedInfo = any;
export type ZIMMessageRepliedInfo = any;
export type ZIMMessageRepliedListQueriedResult = any;
export type ZIMMessageRepliedListQueryConfig = any;
export type ZIMMessageRevokeConfig = any;
export type ZIMMessageRevokedResult = any;
export type ZIMMessageRootRepliedCountInfo = any;
export type ZIMMessageRootRepliedInfo = any;
export type ZIMMessageSearchConfig = any;
export type ZIMMessageSendConfig = any;
export type ZIMMessageSendNotification = any;
export type ZIMMessageSentResult = any;
export type ZIMMessageSentStatusChangeInfo = any;
export type ZIMMessagesGlobalSearchedResult = any;
export type ZIMMessagesSearchedResult = any;
export type ZIMMultipleMediaUploadingProgress = any;
export type ZIMMultipleMessage = any;
export type ZIMMultipleMessageLiteInfo = any;
export type ZIMOfflinePushPrivateMessageTemplate = any;
export type ZIMPinnedMessageListQueriedResult = any;
export type ZIMPushConfig = any;
export type ZIMRevokeMessage = any;
export type ZIMRevokeMessageLiteInfo = any;
export type ZIMRoomAdvancedConfig = any;
export type ZIMRoomAllLeftResult = any;
export type ZIMRoomAttributesBatchOperatedResult = any;
export type ZIMRoomAttributesBatchOperationConfig = any;
export type ZIMRoomAttributesDeleteConfig = any;
export type ZIMRoomAttributesOperatedResult = any;
export type ZIMRoomAttributesQueriedResult = any;
export type ZIMRoomAttributesSetConfig = any;
export type ZIMRoomAttributesUpdateInfo = any;
export type ZIMRoomCreatedResult = any;
export type ZIMRoomEnteredResult = any;
export type ZIMRoomFullInfo = any;
export type ZIMRoomInfo = any;
export type ZIMRoomJoinedResult = any;
export type ZIMRoomLeftResult = any;
export type ZIMRoomMemberAttributesInfo = any;
export type ZIMRoomMemberAttributesListQueriedResult = any;
export type ZIMRoomMemberAttributesOperatedInfo = any;
export type ZIMRoomMemberAttributesQueryConfig = any;
export type ZIMRoomMemberAttributesSetConfig = any;
export type ZIMRoomMemberAttributesUpdateInfo = any;
export type ZIMRoomMemberInfo = any;
export type ZIMRoomMemberQueriedResult = any;
export type ZIMRoomMemberQueryConfig = any;
export type ZIMRoomMembersAttributesOperatedResult = any;
export type ZIMRoomMembersAttributesQueriedResult = any;
export type ZIMRoomMembersQueriedResult = any;
export type ZIMRoomOnlineMemberCountQueriedResult = any;
export type ZIMRoomOperatedInfo = any;
export type ZIMRoomSwitchedResult = any;
export type ZIMSelfUserInfo = any;
export type ZIMSelfUserInfoQueriedResult = any;
export type ZIMSendingMessageCancelConfig = any;
export type ZIMSendingMessageCancelledResult = any;
export type ZIMSubscribedUserStatusListQueriedResult = any;
export type ZIMSubscribedUserStatusQueryConfig = any;
export type ZIMSystemMessage = any;
export type ZIMTextMessage = any;
export type ZIMTextMessageLiteInfo = any;
export type ZIMTipsMessage = any;
export type ZIMTipsMessageChangeInfo = any;
export type ZIMTipsMessageGroupChangeInfo = any;
export type ZIMTipsMessageGroupMemberChangeInfo = any;
export type ZIMTipsMessagePinStatusChangeInfo = any;
export type ZIMTokenRenewedResult = any;
export type ZIMUserAvatarUrlUpdatedResult = any;
export type ZIMUserCustomStatusUpdateConfig = any;
export type ZIMUserCustomStatusUpdatedResult = any;
export type ZIMUserExtendedDataUpdatedResult = any;
export type ZIMUserFullInfo = any;
export type ZIMUserNameUpdatedResult = any;
export type ZIMUserOfflinePushRule = any;
export type ZIMUserOfflinePushRuleUpdatedResult = any;
export type ZIMUserRule = any;
export type ZIMUserStatus = any;
export type ZIMUserStatusSubscribeConfig = any;
export type ZIMUserStatusSubscription = any;
export type ZIMUsersInfoQueriedResult = any;
export type ZIMUsersInfoQueryConfig = any;
export type ZIMUsersStatusQueriedResult = any;
export type ZIMUsersStatusSubscribedResult = any;
export type ZIMUsersStatusUnsubscribedResult = any;
export type ZIMVideoMessage = any;
export type ZIMVideoMessageLiteInfo = any;
export type ZIMVoIPConfig = any;
/** Every ZIM event and its listener; parley adds its community events (see types.ts). */
export interface ZIMEventHandler {
    error: (zim: ZIM, errorInfo: ZIMError) => void;
    experimentalEventReceived: (zim: ZIM, content: string) => void;
    tokenWillExpire: (zim: ZIM, data: ZIMEventOfTokenWillExpireResult) => void;
    connectionStateChanged: (zim: ZIM, data: ZIMEventOfConnectionStateChangedResult) => void;
    userInfoUpdated: (zim: ZIM, data: ZIMEventOfUserInfoUpdatedResult) => void;
    userRuleUpdated: (zim: ZIM, data: ZIMEventOfUserRuleUpdatedResult) => void;
    userStatusUpdated: (zim: ZIM, data: ZIMEventOfUserStatusUpdatedResult) => void;
    conversationChanged: (zim: ZIM, data: ZIMEventOfConversationChangedResult) => void;
    conversationTotalUnreadMessageCountUpdated: (zim: ZIM, data: ZIMEventOfConversationTotalUnreadMessageCountUpdatedResult) => void;
    conversationMessageReceiptChanged: (zim: ZIM, data: ZIMEventOfConversationMessageReceiptChangedResult) => void;
    conversationsAllDeleted: (zim: ZIM, data: ZIMEventOfConversationsAllDeletedResult) => void;
    conversationSyncStateChanged: (zim: ZIM, data: ZIMEventOfConversationSyncStateChangedResult) => void;
    receivePeerMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    receiveRoomMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    receiveGroupMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    peerMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    roomMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    groupMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    broadcastMessageReceived: (zim: ZIM, data: ZIMEventOfBroadcastMessageReceivedResult) => void;
    messageSentStatusChanged: (zim: ZIM, data: ZIMEventOfMessageSentStatusChangedResult) => void;
    messageReceiptChanged: (zim: ZIM, data: ZIMEventOfMessageReceiptChangedResult) => void;
    messageRevokeReceived: (zim: ZIM, data: ZIMEventOfMessageRevokeReceivedResult) => void;
    messageReactionsChanged: (zim: ZIM, data: ZIMEventOfMessageReactionsChangedResult) => void;
    messageDeleted: (zim: ZIM, data: ZIMEventOfMessageDeletedResult) => void;
    messageRepliedInfoChanged: (zim: ZIM, data: ZIMEventOfMessageRepliedInfoChangedResult) => void;
    messageRepliedCountChanged: (zim: ZIM, data: ZIMEventOfMessageRepliedCountChangedResult) => void;
    messageEdited: (zim: ZIM, data: ZIMEventOfMessageEditedResult) => void;
    messagePinStatusChanged: (zim: ZIM, data: ZIMEventOfMessagePinStatusChangedResult) => void;
    roomStateChanged: (zim: ZIM, data: ZIMEventOfRoomStateChangedResult) => void;
    roomMemberJoined: (zim: ZIM, data: ZIMEventOfRoomMemberChangedResult) => void;
    roomMemberLeft: (zim: ZIM, data: ZIMEventOfRoomMemberChangedResult) => void;
    roomAttributesUpdated: (zim: ZIM, data: ZIMEventOfRoomAttributesUpdatedResult) => void;
    roomAttributesBatchUpdated: (zim: ZIM, data: ZIMEventOfRoomAttributesUpdatedResult) => void;
    roomMemberAttributesUpdated: (zim: ZIM, data: ZIMEventOfRoomMembersAttributesUpdatedResult) => void;
    groupStateChanged: (zim: ZIM, data: ZIMEventOfGroupStateChangedResult) => void;
    groupNameUpdated: (zim: ZIM, data: ZIMEventOfGroupNameUpdatedResult) => void;
    groupAvatarUrlUpdated: (zim: ZIM, data: ZIMEventOfGroupAvatarUrlUpdatedResult) => void;
    groupNoticeUpdated: (zim: ZIM, data: ZIMEventOfGroupNoticeUpdatedResult) => void;
    groupAliasUpdated: (zim: ZIM, data: ZIMEventOfGroupAliasUpdatedResult) => void;
    groupAttributesUpdated: (zim: ZIM, data: ZIMEventOfGroupAttributesUpdatedResult) => void;
    groupMutedInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupMutedInfoUpdatedResult) => void;
    groupVerifyInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupVerifyInfoUpdatedResult) => void;
    groupMemberStateChanged: (zim: ZIM, data: ZIMEventOfGroupMemberStateChangedResult) => void;
    groupMemberInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupMemberInfoUpdatedResult) => void;
    groupApplicationListChanged: (zim: ZIM, data: ZIMEventOfGroupApplicationListChangedResult) => void;
    groupApplicationUpdated: (zim: ZIM, data: ZIMEventOfGroupApplicationUpdatedResult) => void;
    callInvitationCreated: (zim: ZIM, data: ZIMEventOfCallInvitationCreatedResult) => void;
    callInvitationReceived: (zim: ZIM, data: ZIMEventOfCallInvitationReceivedResult) => void;
    callInvitationCancelled: (zim: ZIM, data: ZIMEventOfCallInvitationCancelledResult) => void;
    callInvitationEnded: (zim: ZIM, data: ZIMEventOfCallInvitationEndedResult) => void;
    callInvitationRejected: (zim: ZIM, data: ZIMEventOfCallInvitationRejectedResult) => void;
    callInvitationAccepted: (zim: ZIM, data: ZIMEventOfCallInvitationAcceptedResult) => void;
    callInvitationTimeout: (zim: ZIM, data: ZIMEventOfCallInvitationTimeoutResult) => void;
    callInviteesAnsweredTimeout: (zim: ZIM, data: ZIMEventOfCallInviteesAnsweredTimeoutResult) => void;
    callUserStateChanged: (zim: ZIM, data: ZIMEventOfCallUserStateChangedResult) => void;
    friendListChanged: (zim: ZIM, data: ZIMEventOfFriendListChangedResult) => void;
    friendInfoUpdated: (zim: ZIM, data: ZIMEventOfFriendInfoUpdatedResult) => void;
    friendApplicationListChanged: (zim: ZIM, data: ZIMEventOfFriendApplicationListChangedResult) => void;
    friendApplicationUpdated: (zim: ZIM, data: ZIMEventOfFriendApplicationUpdatedResult) => void;
    blacklistChanged: (zim: ZIM, data: ZIMEventOfBlacklistChangedResult) => void;
}
export declare const ZIM_EVENTS: readonly string[];
/** The ZIM methods that forward their parameters by name to the server. */
export declare abstract class ZIMForwardedAPI {
    /** Sends one request (method name, params by ZIM parameter name) and resolves its result. */
    protected abstract _invoke(method: string, params: Record<string, unknown>): Promise<any>;
    updateUserName(userName: string): Promise<ZIMUserNameUpdatedResult>;
    updateUserAvatarUrl(userAvatarUrl: string): Promise<ZIMUserAvatarUrlUpdatedResult>;
    updateUserExtendedData(extendedData: string): Promise<ZIMUserExtendedDataUpdatedResult>;
    updateUserOfflinePushRule(offlinePushRule: ZIMUserOfflinePushRule): Promise<ZIMUserOfflinePushRuleUpdatedResult>;
    updateUserCustomStatus(customStatus: string, config?: ZIMUserCustomStatusUpdateConfig): Promise<ZIMUserCustomStatusUpdatedResult>;
    updateUserBadge(badge: number): Promise<void>;
    queryUsersInfo(userIDs: string[], config: ZIMUsersInfoQueryConfig): Promise<ZIMUsersInfoQueriedResult>;
    queryUsersStatus(userIDs: string[]): Promise<ZIMUsersStatusQueriedResult>;
    querySelfUserInfo(): Promise<ZIMSelfUserInfoQueriedResult>;
    subscribeUsersStatus(userIDs: string[], config: ZIMUserStatusSubscribeConfig): Promise<ZIMUsersStatusSubscribedResult>;
    unsubscribeUsersStatus(userIDs: string[]): Promise<ZIMUsersStatusUnsubscribedResult>;
    querySubscribedUserStatusList(config: ZIMSubscribedUserStatusQueryConfig): Promise<ZIMSubscribedUserStatusListQueriedResult>;
    queryConversationList(config: ZIMConversationQueryConfig, option?: ZIMConversationFilterOption): Promise<ZIMConversationListQueriedResult>;
    queryConversation(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationQueriedResult>;
    queryConversationPinnedList(config: ZIMConversationQueryConfig): Promise<ZIMConversationPinnedListQueriedResult>;
    updateConversationPinnedState(isPinned: boolean, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationPinnedStateUpdatedResult>;
    deleteConversation(conversationID: string, conversationType: ZIMConversationType, config: ZIMConversationDeleteConfig): Promise<ZIMConversationDeletedResult>;
    deleteAllConversations(config: ZIMConversationDeleteConfig): Promise<void>;
    clearConversationUnreadMessageCount(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationUnreadMessageCountClearedResult>;
    clearConversationTotalUnreadMessageCount(): Promise<void>;
    queryConversationTotalUnreadMessageCount(config: ZIMConversationTotalUnreadMessageCountQueryConfig): Promise<ZIMConversationTotalUnreadMessageCountQueriedResult>;
    setConversationNotificationStatus(status: ZIMConversationNotificationStatus, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationNotificationStatusSetResult>;
    sendConversationMessageReceiptRead(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationMessageReceiptReadSentResult>;
    setConversationDraft(draft: string, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationDraftSetResult>;
    setConversationMark(markType: number, enable: boolean, conversationInfos: ZIMConversationBaseInfo[]): Promise<ZIMConversationMarkSetResult>;
    queryHistoryMessage(conversationID: string, conversationType: ZIMConversationType, config: ZIMMessageQueryConfig): Promise<ZIMMessageQueriedResult>;
    queryMessages(messageSeqs: number[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageQueriedResult>;
    deleteMessages(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType, config: ZIMMessageDeleteConfig): Promise<ZIMMessageDeletedResult>;
    deleteAllMessage(conversationID: string, conversationType: ZIMConversationType, config: ZIMMessageDeleteConfig): Promise<ZIMMessageDeletedResult>;
    deleteAllConversationMessages(config: ZIMMessageDeleteConfig): Promise<void>;
    sendMessageReceiptsRead(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageReceiptsReadSentResult>;
    queryMessageReceiptsInfo(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageReceiptsInfoQueriedResult>;
    revokeMessage(message: ZIMMessage, config?: ZIMMessageRevokeConfig): Promise<ZIMMessageRevokedResult>;
    editMessage(message: ZIMMessage, config: ZIMMessageEditConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageEditedResult>;
    addMessageReaction(reactionType: string, message: ZIMMessage, config?: ZIMMessageReactionAddConfig): Promise<ZIMMessageReactionAddedResult>;
    deleteMessageReaction(reactionType: string, message: ZIMMessage): Promise<ZIMMessageReactionDeletedResult>;
    deleteMessageAllReactions(message: ZIMMessage): Promise<void>;
    queryMessageReactionUserList(message: ZIMMessage, config: ZIMMessageReactionUserQueryConfig): Promise<ZIMMessageReactionUserListQueriedResult>;
    queryCombineMessageDetail(message: ZIMCombineMessage): Promise<ZIMCombineMessageDetailQueriedResult>;
    queryMessageRepliedList(message: ZIMMessage, config: ZIMMessageRepliedListQueryConfig): Promise<ZIMMessageRepliedListQueriedResult>;
    pinMessage(message: ZIMMessage, isPinned: boolean, config?: ZIMMessagePinConfig): Promise<void>;
    queryPinnedMessageList(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMPinnedMessageListQueriedResult>;
    createRoom(roomInfo: ZIMRoomInfo, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomCreatedResult>;
    joinRoom(roomID: string): Promise<ZIMRoomJoinedResult>;
    enterRoom(roomInfo: ZIMRoomInfo, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomEnteredResult>;
    switchRoom(fromRoomID: string, toRoomInfo: ZIMRoomInfo, isCreateWhenRoomNotExisted: boolean, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomSwitchedResult>;
    leaveRoom(roomID: string): Promise<ZIMRoomLeftResult>;
    leaveAllRoom(): Promise<ZIMRoomAllLeftResult>;
    queryRoomMemberList(roomID: string, config: ZIMRoomMemberQueryConfig): Promise<ZIMRoomMemberQueriedResult>;
    queryRoomMembers(userIDs: string[], roomID: string): Promise<ZIMRoomMembersQueriedResult>;
    queryRoomOnlineMemberCount(roomID: string): Promise<ZIMRoomOnlineMemberCountQueriedResult>;
    setRoomAttributes(roomAttributes: Record<string, string>, roomID: string, config: ZIMRoomAttributesSetConfig): Promise<ZIMRoomAttributesOperatedResult>;
    deleteRoomAttributes(keys: string[], roomID: string, config: ZIMRoomAttributesDeleteConfig): Promise<ZIMRoomAttributesOperatedResult>;
    endRoomAttributesBatchOperation(roomID: string): Promise<ZIMRoomAttributesBatchOperatedResult>;
    queryRoomAllAttributes(roomID: string): Promise<ZIMRoomAttributesQueriedResult>;
    setRoomMembersAttributes(attributes: Record<string, string>, userIDs: string[], roomID: string, config: ZIMRoomMemberAttributesSetConfig): Promise<ZIMRoomMembersAttributesOperatedResult>;
    queryRoomMembersAttributes(userIDs: string[], roomID: string): Promise<ZIMRoomMembersAttributesQueriedResult>;
    queryRoomMemberAttributesList(roomID: string, config: ZIMRoomMemberAttributesQueryConfig): Promise<ZIMRoomMemberAttributesListQueriedResult>;
    createGroup(groupInfo: ZIMGroupInfo, userIDs: string[], config?: ZIMGroupAdvancedConfig): Promise<ZIMGroupCreatedResult>;
    dismissGroup(groupID: string): Promise<ZIMGroupDismissedResult>;
    joinGroup(groupID: string): Promise<ZIMGroupJoinedResult>;
    leaveGroup(groupID: string): Promise<ZIMGroupLeftResult>;
    inviteUsersIntoGroup(userIDs: string[], groupID: string): Promise<ZIMGroupUsersInvitedResult>;
    kickGroupMembers(userIDs: string[], groupID: string): Promise<ZIMGroupMemberKickedResult>;
    transferGroupOwner(toUserID: string, groupID: string): Promise<ZIMGroupOwnerTransferredResult>;
    queryGroupInfo(groupID: string): Promise<ZIMGroupInfoQueriedResult>;
    queryGroupMemberInfo(userID: string, groupID: string): Promise<ZIMGroupMemberInfoQueriedResult>;
    queryGroupMemberList(groupID: string, config: ZIMGroupMemberQueryConfig): Promise<ZIMGroupMemberListQueriedResult>;
    queryGroupMemberCount(groupID: string): Promise<ZIMGroupMemberCountQueriedResult>;
    updateGroupName(groupName: string, groupID: string): Promise<ZIMGroupNameUpdatedResult>;
    updateGroupAvatarUrl(groupAvatarUrl: string, groupID: string): Promise<ZIMGroupAvatarUrlUpdatedResult>;
    updateGroupNotice(groupNotice: string, groupID: string): Promise<ZIMGroupNoticeUpdatedResult>;
    updateGroupAlias(groupAlias: string, groupID: string): Promise<ZIMGroupAliasUpdatedResult>;
    updateGroupJoinMode(mode: ZIMGroupJoinMode, groupID: string): Promise<ZIMGroupJoinModeUpdatedResult>;
    updateGroupInviteMode(mode: ZIMGroupInviteMode, groupID: string): Promise<ZIMGroupInviteModeUpdatedResult>;
    updateGroupBeInviteMode(mode: ZIMGroupBeInviteMode, groupID: string): Promise<ZIMGroupBeInviteModeUpdatedResult>;
    setGroupAttributes(groupAttributes: Record<string, string>, groupID: string): Promise<ZIMGroupAttributesOperatedResult>;
    deleteGroupAttributes(keys: string[], groupID: string): Promise<ZIMGroupAttributesOperatedResult>;
    queryGroupAttributes(keys: string[], groupID: string): Promise<ZIMGroupAttributesQueriedResult>;
    queryGroupAllAttributes(groupID: string): Promise<ZIMGroupAttributesQueriedResult>;
    setGroupMemberRole(role: number, forUserID: string, groupID: string): Promise<ZIMGroupMemberRoleUpdatedResult>;
    setGroupMemberNickname(nickname: string, forUserID: string, groupID: string): Promise<ZIMGroupMemberNicknameUpdatedResult>;
    muteGroup(isMute: boolean, groupID: string, config: ZIMGroupMuteConfig): Promise<ZIMGroupMutedResult>;
    muteGroupMembers(isMute: boolean, userIDs: string[], groupID: string, config: ZIMGroupMemberMuteConfig): Promise<ZIMGroupMembersMutedResult>;
    queryGroupMemberMutedList(groupID: string, config: ZIMGroupMemberQueryConfig): Promise<ZIMGroupMemberMutedListQueriedResult>;
    queryGroupMessageReceiptReadMemberList(message: ZIMMessage, groupID: string, config: ZIMGroupMessageReceiptMemberQueryConfig): Promise<ZIMGroupMessageReceiptMemberListQueriedResult>;
    queryGroupMessageReceiptUnreadMemberList(message: ZIMMessage, groupID: string, config: ZIMGroupMessageReceiptMemberQueryConfig): Promise<ZIMGroupMessageReceiptMemberListQueriedResult>;
    sendGroupJoinApplication(groupID: string, config: ZIMGroupJoinApplicationSendConfig): Promise<ZIMGroupJoinApplicationSentResult>;
    acceptGroupJoinApplication(userID: string, groupID: string, config: ZIMGroupJoinApplicationAcceptConfig): Promise<ZIMGroupJoinApplicationAcceptedResult>;
    rejectGroupJoinApplication(userID: string, groupID: string, config: ZIMGroupJoinApplicationRejectConfig): Promise<ZIMGroupJoinApplicationRejectedResult>;
    sendGroupInviteApplications(userIDs: string[], groupID: string, config: ZIMGroupInviteApplicationSendConfig): Promise<ZIMGroupInviteApplicationsSentResult>;
    acceptGroupInviteApplication(inviterUserID: string, groupID: string, config: ZIMGroupInviteApplicationAcceptConfig): Promise<ZIMGroupInviteApplicationAcceptedResult>;
    rejectGroupInviteApplication(inviterUserID: string, groupID: string, config: ZIMGroupInviteApplicationRejectConfig): Promise<ZIMGroupInviteApplicationRejectedResult>;
    queryGroupApplicationList(config: ZIMGroupApplicationListQueryConfig): Promise<ZIMGroupApplicationListQueriedResult>;
    callInvite(invitees: string[], config: ZIMCallInviteConfig): Promise<ZIMCallInvitationSentResult>;
    callCancel(invitees: string[], callID: string, config: ZIMCallCancelConfig): Promise<ZIMCallCancelSentResult>;
    callAccept(callID: string, config: ZIMCallAcceptConfig): Promise<ZIMCallAcceptanceSentResult>;
    callReject(callID: string, config: ZIMCallRejectConfig): Promise<ZIMCallRejectionSentResult>;
    callingInvite(invitees: string[], callID: string, config: ZIMCallingInviteConfig): Promise<ZIMCallingInvitationSentResult>;
    callJoin(callID: string, config: ZIMCallJoinConfig): Promise<ZIMCallJoinSentResult>;
    callQuit(callID: string, config: ZIMCallQuitConfig): Promise<ZIMCallQuitSentResult>;
    callEnd(callID: string, config: ZIMCallEndConfig): Promise<ZIMCallEndSentResult>;
    queryCallInvitationList(config: ZIMCallInvitationQueryConfig): Promise<ZIMCallInvitationListQueriedResult>;
    addFriend(userID: string, config: ZIMFriendAddConfig): Promise<ZIMFriendAddedResult>;
    deleteFriends(userIDs: string[], config: ZIMFriendDeleteConfig): Promise<ZIMFriendsDeletedResult>;
    checkFriendsRelation(userIDs: string[], config: ZIMFriendRelationCheckConfig): Promise<ZIMFriendsRelationCheckedResult>;
    updateFriendAlias(friendAlias: string, userID: string): Promise<ZIMFriendAliasUpdatedResult>;
    updateFriendAttributes(friendAttributes: Record<string, string>, userID: string): Promise<ZIMFriendAttributesUpdatedResult>;
    queryFriendsInfo(userIDs: string[]): Promise<ZIMFriendsInfoQueriedResult>;
    queryFriendList(config: ZIMFriendListQueryConfig): Promise<ZIMFriendListQueriedResult>;
    sendFriendApplication(userID: string, config: ZIMFriendApplicationSendConfig): Promise<ZIMFriendApplicationSentResult>;
    acceptFriendApplication(userID: string, config: ZIMFriendApplicationAcceptConfig): Promise<ZIMFriendApplicationAcceptedResult>;
    rejectFriendApplication(userID: string, config: ZIMFriendApplicationRejectConfig): Promise<ZIMFriendApplicationRejectedResult>;
    queryFriendApplicationList(config: ZIMFriendApplicationListQueryConfig): Promise<ZIMFriendApplicationListQueriedResult>;
    addUsersToBlacklist(userIDs: string[]): Promise<ZIMBlacklistUsersAddedResult>;
    removeUsersFromBlacklist(userIDs: string[]): Promise<ZIMBlacklistUsersRemovedResult>;
    queryBlacklist(config: ZIMBlacklistQueryConfig): Promise<ZIMBlacklistQueriedResult>;
    checkUserIsInBlacklist(userID: string): Promise<ZIMBlacklistCheckedResult>;
}
/** Parameter names of the forwarded methods, in ZIM's order. */
export declare const FORWARDED_PARAMS: Readonly<Record<string, readonly string[]>>;
