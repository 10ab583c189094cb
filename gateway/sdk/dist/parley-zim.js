// src/api.gen.ts
var ZIMConnectionState = /* @__PURE__ */ ((ZIMConnectionState2) => {
  ZIMConnectionState2[ZIMConnectionState2["Disconnected"] = 0] = "Disconnected";
  ZIMConnectionState2[ZIMConnectionState2["Connecting"] = 1] = "Connecting";
  ZIMConnectionState2[ZIMConnectionState2["Connected"] = 2] = "Connected";
  ZIMConnectionState2[ZIMConnectionState2["Reconnecting"] = 3] = "Reconnecting";
  return ZIMConnectionState2;
})(ZIMConnectionState || {});
var ZIMConnectionEvent = /* @__PURE__ */ ((ZIMConnectionEvent2) => {
  ZIMConnectionEvent2[ZIMConnectionEvent2["Success"] = 0] = "Success";
  ZIMConnectionEvent2[ZIMConnectionEvent2["ActiveLogin"] = 1] = "ActiveLogin";
  ZIMConnectionEvent2[ZIMConnectionEvent2["LoginTimeout"] = 2] = "LoginTimeout";
  ZIMConnectionEvent2[ZIMConnectionEvent2["LoginInterrupted"] = 3] = "LoginInterrupted";
  ZIMConnectionEvent2[ZIMConnectionEvent2["KickedOut"] = 4] = "KickedOut";
  ZIMConnectionEvent2[ZIMConnectionEvent2["TokenExpired"] = 5] = "TokenExpired";
  ZIMConnectionEvent2[ZIMConnectionEvent2["Unregistered"] = 6] = "Unregistered";
  return ZIMConnectionEvent2;
})(ZIMConnectionEvent || {});
var ZIMConversationEvent = /* @__PURE__ */ ((ZIMConversationEvent2) => {
  ZIMConversationEvent2[ZIMConversationEvent2["Added"] = 0] = "Added";
  ZIMConversationEvent2[ZIMConversationEvent2["Updated"] = 1] = "Updated";
  ZIMConversationEvent2[ZIMConversationEvent2["Disabled"] = 2] = "Disabled";
  ZIMConversationEvent2[ZIMConversationEvent2["Deleted"] = 3] = "Deleted";
  return ZIMConversationEvent2;
})(ZIMConversationEvent || {});
var ZIMConversationNotificationStatus = /* @__PURE__ */ ((ZIMConversationNotificationStatus2) => {
  ZIMConversationNotificationStatus2[ZIMConversationNotificationStatus2["Notify"] = 1] = "Notify";
  ZIMConversationNotificationStatus2[ZIMConversationNotificationStatus2["DoNotDisturb"] = 2] = "DoNotDisturb";
  return ZIMConversationNotificationStatus2;
})(ZIMConversationNotificationStatus || {});
var ZIMConversationType = /* @__PURE__ */ ((ZIMConversationType2) => {
  ZIMConversationType2[ZIMConversationType2["Unknown"] = -1] = "Unknown";
  ZIMConversationType2[ZIMConversationType2["Peer"] = 0] = "Peer";
  ZIMConversationType2[ZIMConversationType2["Room"] = 1] = "Room";
  ZIMConversationType2[ZIMConversationType2["Group"] = 2] = "Group";
  ZIMConversationType2[ZIMConversationType2["CommunityChannel"] = 3] = "CommunityChannel";
  return ZIMConversationType2;
})(ZIMConversationType || {});
var ZIMConversationSyncState = /* @__PURE__ */ ((ZIMConversationSyncState2) => {
  ZIMConversationSyncState2[ZIMConversationSyncState2["Started"] = 0] = "Started";
  ZIMConversationSyncState2[ZIMConversationSyncState2["Finished"] = 1] = "Finished";
  ZIMConversationSyncState2[ZIMConversationSyncState2["Failed"] = 2] = "Failed";
  return ZIMConversationSyncState2;
})(ZIMConversationSyncState || {});
var ZIMConversationPinnedFilter = /* @__PURE__ */ ((ZIMConversationPinnedFilter2) => {
  ZIMConversationPinnedFilter2[ZIMConversationPinnedFilter2["All"] = 0] = "All";
  ZIMConversationPinnedFilter2[ZIMConversationPinnedFilter2["OnlyPinned"] = 1] = "OnlyPinned";
  ZIMConversationPinnedFilter2[ZIMConversationPinnedFilter2["OnlyUnpinned"] = 2] = "OnlyUnpinned";
  return ZIMConversationPinnedFilter2;
})(ZIMConversationPinnedFilter || {});
var ZIMConversationSearchMode = /* @__PURE__ */ ((ZIMConversationSearchMode2) => {
  ZIMConversationSearchMode2[ZIMConversationSearchMode2["MatchMessage"] = 0] = "MatchMessage";
  ZIMConversationSearchMode2[ZIMConversationSearchMode2["MatchConversationName"] = 1] = "MatchConversationName";
  return ZIMConversationSearchMode2;
})(ZIMConversationSearchMode || {});
var ZIMMediaFileType = /* @__PURE__ */ ((ZIMMediaFileType2) => {
  ZIMMediaFileType2[ZIMMediaFileType2["OriginalFile"] = 1] = "OriginalFile";
  ZIMMediaFileType2[ZIMMediaFileType2["LargeImage"] = 2] = "LargeImage";
  ZIMMediaFileType2[ZIMMediaFileType2["Thumbnail"] = 3] = "Thumbnail";
  ZIMMediaFileType2[ZIMMediaFileType2["VideoFirstFrame"] = 4] = "VideoFirstFrame";
  return ZIMMediaFileType2;
})(ZIMMediaFileType || {});
var ZIMMessageDirection = /* @__PURE__ */ ((ZIMMessageDirection2) => {
  ZIMMessageDirection2[ZIMMessageDirection2["Send"] = 0] = "Send";
  ZIMMessageDirection2[ZIMMessageDirection2["Receive"] = 1] = "Receive";
  return ZIMMessageDirection2;
})(ZIMMessageDirection || {});
var ZIMMessageOrder = /* @__PURE__ */ ((ZIMMessageOrder2) => {
  ZIMMessageOrder2[ZIMMessageOrder2["Descending"] = 0] = "Descending";
  ZIMMessageOrder2[ZIMMessageOrder2["Ascending"] = 1] = "Ascending";
  return ZIMMessageOrder2;
})(ZIMMessageOrder || {});
var ZIMMessagePriority = /* @__PURE__ */ ((ZIMMessagePriority2) => {
  ZIMMessagePriority2[ZIMMessagePriority2["Low"] = 1] = "Low";
  ZIMMessagePriority2[ZIMMessagePriority2["Medium"] = 2] = "Medium";
  ZIMMessagePriority2[ZIMMessagePriority2["High"] = 3] = "High";
  return ZIMMessagePriority2;
})(ZIMMessagePriority || {});
var ZIMMessageReceiptStatus = /* @__PURE__ */ ((ZIMMessageReceiptStatus2) => {
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["Unknown"] = -1] = "Unknown";
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["None"] = 0] = "None";
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["Processing"] = 1] = "Processing";
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["Done"] = 2] = "Done";
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["Expired"] = 3] = "Expired";
  ZIMMessageReceiptStatus2[ZIMMessageReceiptStatus2["Failed"] = 4] = "Failed";
  return ZIMMessageReceiptStatus2;
})(ZIMMessageReceiptStatus || {});
var ZIMMessageRevokeStatus = /* @__PURE__ */ ((ZIMMessageRevokeStatus2) => {
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["Unknown"] = -1] = "Unknown";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["SelfRevoke"] = 0] = "SelfRevoke";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["SystemRevoke"] = 1] = "SystemRevoke";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["ServerAPIRevoke"] = 2] = "ServerAPIRevoke";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["GroupAdminRevoke"] = 3] = "GroupAdminRevoke";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["GroupOwnerRevoke"] = 4] = "GroupOwnerRevoke";
  ZIMMessageRevokeStatus2[ZIMMessageRevokeStatus2["AuditRejectRevoke"] = 5] = "AuditRejectRevoke";
  return ZIMMessageRevokeStatus2;
})(ZIMMessageRevokeStatus || {});
var ZIMMessageSentStatus = /* @__PURE__ */ ((ZIMMessageSentStatus2) => {
  ZIMMessageSentStatus2[ZIMMessageSentStatus2["Sending"] = 0] = "Sending";
  ZIMMessageSentStatus2[ZIMMessageSentStatus2["Success"] = 1] = "Success";
  ZIMMessageSentStatus2[ZIMMessageSentStatus2["Failed"] = 2] = "Failed";
  return ZIMMessageSentStatus2;
})(ZIMMessageSentStatus || {});
var ZIMMessageType = /* @__PURE__ */ ((ZIMMessageType2) => {
  ZIMMessageType2[ZIMMessageType2["Unknown"] = 0] = "Unknown";
  ZIMMessageType2[ZIMMessageType2["Text"] = 1] = "Text";
  ZIMMessageType2[ZIMMessageType2["Command"] = 2] = "Command";
  ZIMMessageType2[ZIMMessageType2["Multiple"] = 10] = "Multiple";
  ZIMMessageType2[ZIMMessageType2["Image"] = 11] = "Image";
  ZIMMessageType2[ZIMMessageType2["File"] = 12] = "File";
  ZIMMessageType2[ZIMMessageType2["Audio"] = 13] = "Audio";
  ZIMMessageType2[ZIMMessageType2["Video"] = 14] = "Video";
  ZIMMessageType2[ZIMMessageType2["Barrage"] = 20] = "Barrage";
  ZIMMessageType2[ZIMMessageType2["System"] = 30] = "System";
  ZIMMessageType2[ZIMMessageType2["Revoke"] = 31] = "Revoke";
  ZIMMessageType2[ZIMMessageType2["Tips"] = 32] = "Tips";
  ZIMMessageType2[ZIMMessageType2["Combine"] = 100] = "Combine";
  ZIMMessageType2[ZIMMessageType2["Custom"] = 200] = "Custom";
  return ZIMMessageType2;
})(ZIMMessageType || {});
var ZIMRevokeType = /* @__PURE__ */ ((ZIMRevokeType2) => {
  ZIMRevokeType2[ZIMRevokeType2["Unknown"] = -1] = "Unknown";
  ZIMRevokeType2[ZIMRevokeType2["TwoWay"] = 0] = "TwoWay";
  ZIMRevokeType2[ZIMRevokeType2["OneWay"] = 1] = "OneWay";
  return ZIMRevokeType2;
})(ZIMRevokeType || {});
var ZIMTipsMessageEvent = /* @__PURE__ */ ((ZIMTipsMessageEvent2) => {
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["Unknown"] = 0] = "Unknown";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupCreated"] = 1] = "GroupCreated";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupDismissed"] = 2] = "GroupDismissed";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupJoined"] = 3] = "GroupJoined";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupInvited"] = 4] = "GroupInvited";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupLeft"] = 5] = "GroupLeft";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupKickedOut"] = 6] = "GroupKickedOut";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupInfoChanged"] = 7] = "GroupInfoChanged";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupMemberInfoChanged"] = 8] = "GroupMemberInfoChanged";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["GroupMessagePinned"] = 9] = "GroupMessagePinned";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["CommunityCreated"] = 101] = "CommunityCreated";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["CommunityJoined"] = 103] = "CommunityJoined";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["CommunityInvited"] = 104] = "CommunityInvited";
  ZIMTipsMessageEvent2[ZIMTipsMessageEvent2["CommunityChannelCreated"] = 151] = "CommunityChannelCreated";
  return ZIMTipsMessageEvent2;
})(ZIMTipsMessageEvent || {});
var ZIMTipsMessageChangeInfoType = /* @__PURE__ */ ((ZIMTipsMessageChangeInfoType2) => {
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["Unknown"] = 0] = "Unknown";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupDataChanged"] = 1] = "GroupDataChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupNoticeChanged"] = 2] = "GroupNoticeChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupNameChanged"] = 3] = "GroupNameChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupAvatarUrlChanged"] = 4] = "GroupAvatarUrlChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupMuteChanged"] = 5] = "GroupMuteChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupOwnerTransferred"] = 10] = "GroupOwnerTransferred";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupMemberRoleChanged"] = 11] = "GroupMemberRoleChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupMemberMuteChanged"] = 12] = "GroupMemberMuteChanged";
  ZIMTipsMessageChangeInfoType2[ZIMTipsMessageChangeInfoType2["GroupMessagePinInfoChanged"] = 21] = "GroupMessagePinInfoChanged";
  return ZIMTipsMessageChangeInfoType2;
})(ZIMTipsMessageChangeInfoType || {});
var ZIMMessageMentionedType = /* @__PURE__ */ ((ZIMMessageMentionedType2) => {
  ZIMMessageMentionedType2[ZIMMessageMentionedType2["Unknown"] = 0] = "Unknown";
  ZIMMessageMentionedType2[ZIMMessageMentionedType2["MentionMe"] = 1] = "MentionMe";
  ZIMMessageMentionedType2[ZIMMessageMentionedType2["MentionAll"] = 2] = "MentionAll";
  ZIMMessageMentionedType2[ZIMMessageMentionedType2["MentionAllAndMe"] = 3] = "MentionAllAndMe";
  return ZIMMessageMentionedType2;
})(ZIMMessageMentionedType || {});
var ZIMMessageDeleteType = /* @__PURE__ */ ((ZIMMessageDeleteType2) => {
  ZIMMessageDeleteType2[ZIMMessageDeleteType2["MessageListDeleted"] = 0] = "MessageListDeleted";
  ZIMMessageDeleteType2[ZIMMessageDeleteType2["ConversationAllMessagesDeleted"] = 1] = "ConversationAllMessagesDeleted";
  ZIMMessageDeleteType2[ZIMMessageDeleteType2["AllConversationMessagesDeleted"] = 2] = "AllConversationMessagesDeleted";
  return ZIMMessageDeleteType2;
})(ZIMMessageDeleteType || {});
var ZIMMessageRepliedInfoState = /* @__PURE__ */ ((ZIMMessageRepliedInfoState2) => {
  ZIMMessageRepliedInfoState2[ZIMMessageRepliedInfoState2["Normal"] = 0] = "Normal";
  ZIMMessageRepliedInfoState2[ZIMMessageRepliedInfoState2["Deleted"] = 1] = "Deleted";
  ZIMMessageRepliedInfoState2[ZIMMessageRepliedInfoState2["NotFound"] = 2] = "NotFound";
  return ZIMMessageRepliedInfoState2;
})(ZIMMessageRepliedInfoState || {});
var ZIMMessagePinStatus = /* @__PURE__ */ ((ZIMMessagePinStatus2) => {
  ZIMMessagePinStatus2[ZIMMessagePinStatus2["NotPinned"] = 0] = "NotPinned";
  ZIMMessagePinStatus2[ZIMMessagePinStatus2["Pinned"] = 1] = "Pinned";
  ZIMMessagePinStatus2[ZIMMessagePinStatus2["Updated"] = 2] = "Updated";
  return ZIMMessagePinStatus2;
})(ZIMMessagePinStatus || {});
var ZIMMessageReactionUserChangeAction = /* @__PURE__ */ ((ZIMMessageReactionUserChangeAction2) => {
  ZIMMessageReactionUserChangeAction2[ZIMMessageReactionUserChangeAction2["Added"] = 0] = "Added";
  ZIMMessageReactionUserChangeAction2[ZIMMessageReactionUserChangeAction2["Deleted"] = 1] = "Deleted";
  return ZIMMessageReactionUserChangeAction2;
})(ZIMMessageReactionUserChangeAction || {});
var ZIMRoomEvent = /* @__PURE__ */ ((ZIMRoomEvent2) => {
  ZIMRoomEvent2[ZIMRoomEvent2["Success"] = 0] = "Success";
  ZIMRoomEvent2[ZIMRoomEvent2["NetworkInterrupted"] = 1] = "NetworkInterrupted";
  ZIMRoomEvent2[ZIMRoomEvent2["NetworkDisconnected"] = 2] = "NetworkDisconnected";
  ZIMRoomEvent2[ZIMRoomEvent2["RoomNotExist"] = 3] = "RoomNotExist";
  ZIMRoomEvent2[ZIMRoomEvent2["ActiveCreate"] = 4] = "ActiveCreate";
  ZIMRoomEvent2[ZIMRoomEvent2["CreateFailed"] = 5] = "CreateFailed";
  ZIMRoomEvent2[ZIMRoomEvent2["ActiveEnter"] = 6] = "ActiveEnter";
  ZIMRoomEvent2[ZIMRoomEvent2["EnterFailed"] = 7] = "EnterFailed";
  ZIMRoomEvent2[ZIMRoomEvent2["KickedOut"] = 8] = "KickedOut";
  ZIMRoomEvent2[ZIMRoomEvent2["ConnectTimeout"] = 9] = "ConnectTimeout";
  ZIMRoomEvent2[ZIMRoomEvent2["KickedOutByOtherDevice"] = 10] = "KickedOutByOtherDevice";
  ZIMRoomEvent2[ZIMRoomEvent2["ActiveSwitch"] = 11] = "ActiveSwitch";
  ZIMRoomEvent2[ZIMRoomEvent2["SwitchFailed"] = 12] = "SwitchFailed";
  return ZIMRoomEvent2;
})(ZIMRoomEvent || {});
var ZIMRoomState = /* @__PURE__ */ ((ZIMRoomState2) => {
  ZIMRoomState2[ZIMRoomState2["Disconnected"] = 0] = "Disconnected";
  ZIMRoomState2[ZIMRoomState2["Connecting"] = 1] = "Connecting";
  ZIMRoomState2[ZIMRoomState2["Connected"] = 2] = "Connected";
  return ZIMRoomState2;
})(ZIMRoomState || {});
var ZIMRoomAttributesUpdateAction = /* @__PURE__ */ ((ZIMRoomAttributesUpdateAction2) => {
  ZIMRoomAttributesUpdateAction2[ZIMRoomAttributesUpdateAction2["Set"] = 0] = "Set";
  ZIMRoomAttributesUpdateAction2[ZIMRoomAttributesUpdateAction2["Delete"] = 1] = "Delete";
  return ZIMRoomAttributesUpdateAction2;
})(ZIMRoomAttributesUpdateAction || {});
var ZIMRoomMemberAttributesUpdateAction = /* @__PURE__ */ ((ZIMRoomMemberAttributesUpdateAction2) => {
  ZIMRoomMemberAttributesUpdateAction2[ZIMRoomMemberAttributesUpdateAction2["Set"] = 0] = "Set";
  return ZIMRoomMemberAttributesUpdateAction2;
})(ZIMRoomMemberAttributesUpdateAction || {});
var ZIMGroupState = /* @__PURE__ */ ((ZIMGroupState2) => {
  ZIMGroupState2[ZIMGroupState2["Quit"] = 0] = "Quit";
  ZIMGroupState2[ZIMGroupState2["Enter"] = 1] = "Enter";
  return ZIMGroupState2;
})(ZIMGroupState || {});
var ZIMGroupEvent = /* @__PURE__ */ ((ZIMGroupEvent2) => {
  ZIMGroupEvent2[ZIMGroupEvent2["Unknown"] = -1] = "Unknown";
  ZIMGroupEvent2[ZIMGroupEvent2["Created"] = 1] = "Created";
  ZIMGroupEvent2[ZIMGroupEvent2["Dismissed"] = 2] = "Dismissed";
  ZIMGroupEvent2[ZIMGroupEvent2["Joined"] = 3] = "Joined";
  ZIMGroupEvent2[ZIMGroupEvent2["Invited"] = 4] = "Invited";
  ZIMGroupEvent2[ZIMGroupEvent2["Left"] = 5] = "Left";
  ZIMGroupEvent2[ZIMGroupEvent2["KickedOut"] = 6] = "KickedOut";
  return ZIMGroupEvent2;
})(ZIMGroupEvent || {});
var ZIMGroupMemberEvent = /* @__PURE__ */ ((ZIMGroupMemberEvent2) => {
  ZIMGroupMemberEvent2[ZIMGroupMemberEvent2["Unknown"] = -1] = "Unknown";
  ZIMGroupMemberEvent2[ZIMGroupMemberEvent2["Joined"] = 1] = "Joined";
  ZIMGroupMemberEvent2[ZIMGroupMemberEvent2["Left"] = 2] = "Left";
  ZIMGroupMemberEvent2[ZIMGroupMemberEvent2["KickedOut"] = 4] = "KickedOut";
  ZIMGroupMemberEvent2[ZIMGroupMemberEvent2["Invited"] = 5] = "Invited";
  return ZIMGroupMemberEvent2;
})(ZIMGroupMemberEvent || {});
var ZIMGroupMemberState = /* @__PURE__ */ ((ZIMGroupMemberState2) => {
  ZIMGroupMemberState2[ZIMGroupMemberState2["Quit"] = 0] = "Quit";
  ZIMGroupMemberState2[ZIMGroupMemberState2["Enter"] = 1] = "Enter";
  return ZIMGroupMemberState2;
})(ZIMGroupMemberState || {});
var ZIMGroupMessageNotificationStatus = /* @__PURE__ */ ((ZIMGroupMessageNotificationStatus2) => {
  ZIMGroupMessageNotificationStatus2[ZIMGroupMessageNotificationStatus2["Notify"] = 1] = "Notify";
  ZIMGroupMessageNotificationStatus2[ZIMGroupMessageNotificationStatus2["Disturb"] = 2] = "Disturb";
  return ZIMGroupMessageNotificationStatus2;
})(ZIMGroupMessageNotificationStatus || {});
var ZIMGroupAttributesUpdateAction = /* @__PURE__ */ ((ZIMGroupAttributesUpdateAction2) => {
  ZIMGroupAttributesUpdateAction2[ZIMGroupAttributesUpdateAction2["Set"] = 0] = "Set";
  ZIMGroupAttributesUpdateAction2[ZIMGroupAttributesUpdateAction2["Delete"] = 1] = "Delete";
  return ZIMGroupAttributesUpdateAction2;
})(ZIMGroupAttributesUpdateAction || {});
var ZIMGroupMuteMode = /* @__PURE__ */ ((ZIMGroupMuteMode2) => {
  ZIMGroupMuteMode2[ZIMGroupMuteMode2["None"] = 0] = "None";
  ZIMGroupMuteMode2[ZIMGroupMuteMode2["Normal"] = 1] = "Normal";
  ZIMGroupMuteMode2[ZIMGroupMuteMode2["All"] = 2] = "All";
  ZIMGroupMuteMode2[ZIMGroupMuteMode2["Custom"] = 3] = "Custom";
  return ZIMGroupMuteMode2;
})(ZIMGroupMuteMode || {});
var ZIMGroupJoinMode = /* @__PURE__ */ ((ZIMGroupJoinMode2) => {
  ZIMGroupJoinMode2[ZIMGroupJoinMode2["Any"] = 0] = "Any";
  ZIMGroupJoinMode2[ZIMGroupJoinMode2["Auth"] = 1] = "Auth";
  ZIMGroupJoinMode2[ZIMGroupJoinMode2["Forbid"] = 2] = "Forbid";
  return ZIMGroupJoinMode2;
})(ZIMGroupJoinMode || {});
var ZIMGroupInviteMode = /* @__PURE__ */ ((ZIMGroupInviteMode2) => {
  ZIMGroupInviteMode2[ZIMGroupInviteMode2["Any"] = 0] = "Any";
  ZIMGroupInviteMode2[ZIMGroupInviteMode2["Admin"] = 1] = "Admin";
  return ZIMGroupInviteMode2;
})(ZIMGroupInviteMode || {});
var ZIMGroupBeInviteMode = /* @__PURE__ */ ((ZIMGroupBeInviteMode2) => {
  ZIMGroupBeInviteMode2[ZIMGroupBeInviteMode2["None"] = 0] = "None";
  ZIMGroupBeInviteMode2[ZIMGroupBeInviteMode2["Auth"] = 1] = "Auth";
  return ZIMGroupBeInviteMode2;
})(ZIMGroupBeInviteMode || {});
var ZIMGroupEnterType = /* @__PURE__ */ ((ZIMGroupEnterType2) => {
  ZIMGroupEnterType2[ZIMGroupEnterType2["Unknown"] = 0] = "Unknown";
  ZIMGroupEnterType2[ZIMGroupEnterType2["Created"] = 1] = "Created";
  ZIMGroupEnterType2[ZIMGroupEnterType2["JoinApply"] = 2] = "JoinApply";
  ZIMGroupEnterType2[ZIMGroupEnterType2["Joined"] = 3] = "Joined";
  ZIMGroupEnterType2[ZIMGroupEnterType2["Invited"] = 4] = "Invited";
  ZIMGroupEnterType2[ZIMGroupEnterType2["InviteApply"] = 5] = "InviteApply";
  return ZIMGroupEnterType2;
})(ZIMGroupEnterType || {});
var ZIMGroupApplicationType = /* @__PURE__ */ ((ZIMGroupApplicationType2) => {
  ZIMGroupApplicationType2[ZIMGroupApplicationType2["Unknown"] = -1] = "Unknown";
  ZIMGroupApplicationType2[ZIMGroupApplicationType2["None"] = 0] = "None";
  ZIMGroupApplicationType2[ZIMGroupApplicationType2["Join"] = 1] = "Join";
  ZIMGroupApplicationType2[ZIMGroupApplicationType2["Invite"] = 2] = "Invite";
  ZIMGroupApplicationType2[ZIMGroupApplicationType2["BeInvite"] = 3] = "BeInvite";
  return ZIMGroupApplicationType2;
})(ZIMGroupApplicationType || {});
var ZIMGroupApplicationState = /* @__PURE__ */ ((ZIMGroupApplicationState2) => {
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Unknown"] = -1] = "Unknown";
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Waiting"] = 1] = "Waiting";
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Accepted"] = 2] = "Accepted";
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Rejected"] = 3] = "Rejected";
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Expired"] = 4] = "Expired";
  ZIMGroupApplicationState2[ZIMGroupApplicationState2["Disabled"] = 5] = "Disabled";
  return ZIMGroupApplicationState2;
})(ZIMGroupApplicationState || {});
var ZIMGroupApplicationListChangeAction = /* @__PURE__ */ ((ZIMGroupApplicationListChangeAction2) => {
  ZIMGroupApplicationListChangeAction2[ZIMGroupApplicationListChangeAction2["Added"] = 0] = "Added";
  return ZIMGroupApplicationListChangeAction2;
})(ZIMGroupApplicationListChangeAction || {});
var ZIMCallInvitationMode = /* @__PURE__ */ ((ZIMCallInvitationMode2) => {
  ZIMCallInvitationMode2[ZIMCallInvitationMode2["Unknown"] = -1] = "Unknown";
  ZIMCallInvitationMode2[ZIMCallInvitationMode2["General"] = 0] = "General";
  ZIMCallInvitationMode2[ZIMCallInvitationMode2["Advanced"] = 1] = "Advanced";
  return ZIMCallInvitationMode2;
})(ZIMCallInvitationMode || {});
var ZIMCallState = /* @__PURE__ */ ((ZIMCallState2) => {
  ZIMCallState2[ZIMCallState2["Unknown"] = -1] = "Unknown";
  ZIMCallState2[ZIMCallState2["Started"] = 1] = "Started";
  ZIMCallState2[ZIMCallState2["Ended"] = 2] = "Ended";
  return ZIMCallState2;
})(ZIMCallState || {});
var ZIMCallUserState = /* @__PURE__ */ ((ZIMCallUserState2) => {
  ZIMCallUserState2[ZIMCallUserState2["Unknown"] = -1] = "Unknown";
  ZIMCallUserState2[ZIMCallUserState2["Inviting"] = 0] = "Inviting";
  ZIMCallUserState2[ZIMCallUserState2["Accepted"] = 1] = "Accepted";
  ZIMCallUserState2[ZIMCallUserState2["Rejected"] = 2] = "Rejected";
  ZIMCallUserState2[ZIMCallUserState2["Cancelled"] = 3] = "Cancelled";
  ZIMCallUserState2[ZIMCallUserState2["Offline"] = 4] = "Offline";
  ZIMCallUserState2[ZIMCallUserState2["Received"] = 5] = "Received";
  ZIMCallUserState2[ZIMCallUserState2["Timeout"] = 6] = "Timeout";
  ZIMCallUserState2[ZIMCallUserState2["Quit"] = 7] = "Quit";
  ZIMCallUserState2[ZIMCallUserState2["Ended"] = 8] = "Ended";
  ZIMCallUserState2[ZIMCallUserState2["NotYetReceived"] = 9] = "NotYetReceived";
  ZIMCallUserState2[ZIMCallUserState2["BeCancelled"] = 10] = "BeCancelled";
  return ZIMCallUserState2;
})(ZIMCallUserState || {});
var ZIMFriendListChangeAction = /* @__PURE__ */ ((ZIMFriendListChangeAction2) => {
  ZIMFriendListChangeAction2[ZIMFriendListChangeAction2["Added"] = 0] = "Added";
  ZIMFriendListChangeAction2[ZIMFriendListChangeAction2["Deleted"] = 1] = "Deleted";
  return ZIMFriendListChangeAction2;
})(ZIMFriendListChangeAction || {});
var ZIMFriendApplicationListChangeAction = /* @__PURE__ */ ((ZIMFriendApplicationListChangeAction2) => {
  ZIMFriendApplicationListChangeAction2[ZIMFriendApplicationListChangeAction2["Added"] = 0] = "Added";
  ZIMFriendApplicationListChangeAction2[ZIMFriendApplicationListChangeAction2["Deleted"] = 1] = "Deleted";
  return ZIMFriendApplicationListChangeAction2;
})(ZIMFriendApplicationListChangeAction || {});
var ZIMFriendApplicationType = /* @__PURE__ */ ((ZIMFriendApplicationType2) => {
  ZIMFriendApplicationType2[ZIMFriendApplicationType2["Unknown"] = -1] = "Unknown";
  ZIMFriendApplicationType2[ZIMFriendApplicationType2["None"] = 0] = "None";
  ZIMFriendApplicationType2[ZIMFriendApplicationType2["Received"] = 1] = "Received";
  ZIMFriendApplicationType2[ZIMFriendApplicationType2["Sent"] = 2] = "Sent";
  ZIMFriendApplicationType2[ZIMFriendApplicationType2["Both"] = 3] = "Both";
  return ZIMFriendApplicationType2;
})(ZIMFriendApplicationType || {});
var ZIMFriendApplicationState = /* @__PURE__ */ ((ZIMFriendApplicationState2) => {
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Unknown"] = -1] = "Unknown";
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Waiting"] = 1] = "Waiting";
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Accepted"] = 2] = "Accepted";
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Rejected"] = 3] = "Rejected";
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Expired"] = 4] = "Expired";
  ZIMFriendApplicationState2[ZIMFriendApplicationState2["Disabled"] = 5] = "Disabled";
  return ZIMFriendApplicationState2;
})(ZIMFriendApplicationState || {});
var ZIMFriendRelationCheckType = /* @__PURE__ */ ((ZIMFriendRelationCheckType2) => {
  ZIMFriendRelationCheckType2[ZIMFriendRelationCheckType2["Both"] = 0] = "Both";
  ZIMFriendRelationCheckType2[ZIMFriendRelationCheckType2["Single"] = 1] = "Single";
  return ZIMFriendRelationCheckType2;
})(ZIMFriendRelationCheckType || {});
var ZIMFriendDeleteType = /* @__PURE__ */ ((ZIMFriendDeleteType2) => {
  ZIMFriendDeleteType2[ZIMFriendDeleteType2["Both"] = 0] = "Both";
  ZIMFriendDeleteType2[ZIMFriendDeleteType2["Single"] = 1] = "Single";
  return ZIMFriendDeleteType2;
})(ZIMFriendDeleteType || {});
var ZIMUserRelationType = /* @__PURE__ */ ((ZIMUserRelationType2) => {
  ZIMUserRelationType2[ZIMUserRelationType2["Unknown"] = 0] = "Unknown";
  ZIMUserRelationType2[ZIMUserRelationType2["SingleNo"] = 1] = "SingleNo";
  ZIMUserRelationType2[ZIMUserRelationType2["SingleHave"] = 2] = "SingleHave";
  ZIMUserRelationType2[ZIMUserRelationType2["BothAllNo"] = 3] = "BothAllNo";
  ZIMUserRelationType2[ZIMUserRelationType2["BothSelfHave"] = 4] = "BothSelfHave";
  ZIMUserRelationType2[ZIMUserRelationType2["BothOtherHave"] = 5] = "BothOtherHave";
  ZIMUserRelationType2[ZIMUserRelationType2["BothAllHave"] = 6] = "BothAllHave";
  return ZIMUserRelationType2;
})(ZIMUserRelationType || {});
var ZIMBlacklistChangeAction = /* @__PURE__ */ ((ZIMBlacklistChangeAction2) => {
  ZIMBlacklistChangeAction2[ZIMBlacklistChangeAction2["Added"] = 0] = "Added";
  ZIMBlacklistChangeAction2[ZIMBlacklistChangeAction2["Removed"] = 1] = "Removed";
  return ZIMBlacklistChangeAction2;
})(ZIMBlacklistChangeAction || {});
var ZIMCXHandleType = /* @__PURE__ */ ((ZIMCXHandleType2) => {
  ZIMCXHandleType2[ZIMCXHandleType2["Generic"] = 1] = "Generic";
  ZIMCXHandleType2[ZIMCXHandleType2["PhoneNumber"] = 2] = "PhoneNumber";
  ZIMCXHandleType2[ZIMCXHandleType2["EmailAddress"] = 3] = "EmailAddress";
  return ZIMCXHandleType2;
})(ZIMCXHandleType || {});
var ZIMGeofencingType = /* @__PURE__ */ ((ZIMGeofencingType2) => {
  ZIMGeofencingType2[ZIMGeofencingType2["None"] = 0] = "None";
  ZIMGeofencingType2[ZIMGeofencingType2["Include"] = 1] = "Include";
  ZIMGeofencingType2[ZIMGeofencingType2["Exclude"] = 2] = "Exclude";
  return ZIMGeofencingType2;
})(ZIMGeofencingType || {});
var ZIMPlatformType = /* @__PURE__ */ ((ZIMPlatformType2) => {
  ZIMPlatformType2[ZIMPlatformType2["Win"] = 1] = "Win";
  ZIMPlatformType2[ZIMPlatformType2["IPhoneOS"] = 2] = "IPhoneOS";
  ZIMPlatformType2[ZIMPlatformType2["Android"] = 3] = "Android";
  ZIMPlatformType2[ZIMPlatformType2["MacOS"] = 4] = "MacOS";
  ZIMPlatformType2[ZIMPlatformType2["Linux"] = 5] = "Linux";
  ZIMPlatformType2[ZIMPlatformType2["Web"] = 6] = "Web";
  ZIMPlatformType2[ZIMPlatformType2["MiniProgram"] = 7] = "MiniProgram";
  ZIMPlatformType2[ZIMPlatformType2["IPadOS"] = 9] = "IPadOS";
  ZIMPlatformType2[ZIMPlatformType2["OHOS"] = 10] = "OHOS";
  ZIMPlatformType2[ZIMPlatformType2["Unknown"] = 32] = "Unknown";
  return ZIMPlatformType2;
})(ZIMPlatformType || {});
var ZIMUserOnlineStatus = /* @__PURE__ */ ((ZIMUserOnlineStatus2) => {
  ZIMUserOnlineStatus2[ZIMUserOnlineStatus2["Online"] = 0] = "Online";
  ZIMUserOnlineStatus2[ZIMUserOnlineStatus2["Offline"] = 1] = "Offline";
  ZIMUserOnlineStatus2[ZIMUserOnlineStatus2["Logout"] = 2] = "Logout";
  ZIMUserOnlineStatus2[ZIMUserOnlineStatus2["Unknown"] = 99] = "Unknown";
  return ZIMUserOnlineStatus2;
})(ZIMUserOnlineStatus || {});
var ZIMMessageQueryMode = /* @__PURE__ */ ((ZIMMessageQueryMode2) => {
  ZIMMessageQueryMode2[ZIMMessageQueryMode2["General"] = 0] = "General";
  ZIMMessageQueryMode2[ZIMMessageQueryMode2["PreferServer"] = 1] = "PreferServer";
  ZIMMessageQueryMode2[ZIMMessageQueryMode2["OnlyLocal"] = 2] = "OnlyLocal";
  return ZIMMessageQueryMode2;
})(ZIMMessageQueryMode || {});
var ZIMErrorCode = /* @__PURE__ */ ((ZIMErrorCode2) => {
  ZIMErrorCode2[ZIMErrorCode2["Success"] = 0] = "Success";
  ZIMErrorCode2[ZIMErrorCode2["Failed"] = 1] = "Failed";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleParamsInvalid"] = 6000001] = "CommonModuleParamsInvalid";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleNotInit"] = 6000002] = "CommonModuleNotInit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleInvalidAppID"] = 6000003] = "CommonModuleInvalidAppID";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleTriggerSDKFrequencyLimit"] = 6000004] = "CommonModuleTriggerSDKFrequencyLimit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleTriggerServerFrequencyLimit"] = 6000005] = "CommonModuleTriggerServerFrequencyLimit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleSwitchServerError"] = 6000006] = "CommonModuleSwitchServerError";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleIMServerError"] = 6000007] = "CommonModuleIMServerError";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleIMDatabaseError"] = 6000008] = "CommonModuleIMDatabaseError";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleIMServerDisconnect"] = 6000009] = "CommonModuleIMServerDisconnect";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleUploadLogError"] = 6000010] = "CommonModuleUploadLogError";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleUserIsNotExist"] = 6000011] = "CommonModuleUserIsNotExist";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleUserInfoQueriedLimit"] = 6000012] = "CommonModuleUserInfoQueriedLimit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleUnsupportedRequest"] = 6000013] = "CommonModuleUnsupportedRequest";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleUnactivatedIMServer"] = 6000014] = "CommonModuleUnactivatedIMServer";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleExceedDAULimit"] = 6000015] = "CommonModuleExceedDAULimit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleExceedMAULimit"] = 6000016] = "CommonModuleExceedMAULimit";
  ZIMErrorCode2[ZIMErrorCode2["CommonModuleBlacklistLimit"] = 6000021] = "CommonModuleBlacklistLimit";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleCommonError"] = 6000101] = "NetworkModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleServerError"] = 6000102] = "NetworkModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleTokenInvalid"] = 6000103] = "NetworkModuleTokenInvalid";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleNetworkError"] = 6000104] = "NetworkModuleNetworkError";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleRequestTimeout"] = 6000105] = "NetworkModuleRequestTimeout";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleTokenExpired"] = 6000106] = "NetworkModuleTokenExpired";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleTokenVersionError"] = 6000107] = "NetworkModuleTokenVersionError";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleTokenTimeIsTooShort"] = 6000108] = "NetworkModuleTokenTimeIsTooShort";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleRspProtoParseError"] = 6000109] = "NetworkModuleRspProtoParseError";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleUserHasAlreadyLogged"] = 6000111] = "NetworkModuleUserHasAlreadyLogged";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleUserIsNotLogged"] = 6000121] = "NetworkModuleUserIsNotLogged";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleUserHasAlreadyLoggedOut"] = 6000122] = "NetworkModuleUserHasAlreadyLoggedOut";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleUserOffline"] = 6000123] = "NetworkModuleUserOffline";
  ZIMErrorCode2[ZIMErrorCode2["NetworkModuleUserIDError"] = 6000124] = "NetworkModuleUserIDError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCommonError"] = 6000201] = "MessageModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleServerError"] = 6000202] = "MessageModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleSendMessageFailed"] = 6000203] = "MessageModuleSendMessageFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleTargetDoesNotExist"] = 6000204] = "MessageModuleTargetDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleEditMessageFailed"] = 6000205] = "MessageModuleEditMessageFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleSendMessageFailedForCancelled"] = 6000206] = "MessageModuleSendMessageFailedForCancelled";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCancelSendingMessageFailed"] = 6000207] = "MessageModuleCancelSendingMessageFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageIsNotPinned"] = 6000208] = "MessageModuleMessageIsNotPinned";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileError"] = 6000210] = "MessageModuleFileError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileNotExist"] = 6000211] = "MessageModuleFileNotExist";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileServerError"] = 6000212] = "MessageModuleFileServerError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileTypeUnsupported"] = 6000213] = "MessageModuleFileTypeUnsupported";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileSizeInvalid"] = 6000214] = "MessageModuleFileSizeInvalid";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileDurationInvalid"] = 6000215] = "MessageModuleFileDurationInvalid";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFilePermissionDenied"] = 6000216] = "MessageModuleFilePermissionDenied";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileDownloadFailed"] = 6000217] = "MessageModuleFileDownloadFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileDownloadLimit"] = 6000218] = "MessageModuleFileDownloadLimit";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileDownloadUrlNotFound"] = 6000219] = "MessageModuleFileDownloadUrlNotFound";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileDownloadHttpRequestServerError"] = 6000220] = "MessageModuleFileDownloadHttpRequestServerError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleAuditRejected"] = 6000221] = "MessageModuleAuditRejected";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleAuditFailed"] = 6000222] = "MessageModuleAuditFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleAuditCustomSentRejected"] = 6000230] = "MessageModuleAuditCustomSentRejected";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileOpenFailed"] = 6000240] = "MessageModuleCacheFileOpenFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileExportOrImportIsInProgressCurrently"] = 6000241] = "MessageModuleCacheFileExportOrImportIsInProgressCurrently";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileOnlyCanImportCacheOfOneself"] = 6000242] = "MessageModuleCacheFileOnlyCanImportCacheOfOneself";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileExportFailed"] = 6000243] = "MessageModuleCacheFileExportFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileImportFailed"] = 6000244] = "MessageModuleCacheFileImportFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleCacheFileJsonParseFailed"] = 6000245] = "MessageModuleCacheFileJsonParseFailed";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileConnectError"] = 6000251] = "MessageModuleFileConnectError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileHttpError"] = 6000252] = "MessageModuleFileHttpError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileVerificationError"] = 6000253] = "MessageModuleFileVerificationError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleFileClientError"] = 6000254] = "MessageModuleFileClientError";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleCommonError"] = 6000270] = "CallModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleCancelError"] = 6000271] = "CallModuleCancelError";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleServerError"] = 6000272] = "CallModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleIsNotInvitor"] = 6000273] = "CallModuleIsNotInvitor";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleIsNotInvitee"] = 6000274] = "CallModuleIsNotInvitee";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleAlreadyExists"] = 6000275] = "CallModuleAlreadyExists";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleDoesNotExist"] = 6000276] = "CallModuleDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleReceiptReadError"] = 6000277] = "MessageModuleReceiptReadError";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageExceedsRevokeTime"] = 6000278] = "MessageModuleMessageExceedsRevokeTime";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageHasBeenRevoked"] = 6000279] = "MessageModuleMessageHasBeenRevoked";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageReactionTypeExisted"] = 6000280] = "MessageModuleMessageReactionTypeExisted";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleInviteUserDoesNotExist"] = 6000281] = "CallModuleInviteUserDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageReceiptLimit"] = 6000282] = "MessageModuleMessageReceiptLimit";
  ZIMErrorCode2[ZIMErrorCode2["CallModuleUserAlreadyInTheCall"] = 6000283] = "CallModuleUserAlreadyInTheCall";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleSenderInBlacklist"] = 6000284] = "MessageModuleSenderInBlacklist";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleEditNoCorrespondingOperationAuthority"] = 6000285] = "MessageModuleEditNoCorrespondingOperationAuthority";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleMessageExceedsEditTime"] = 6000286] = "MessageModuleMessageExceedsEditTime";
  ZIMErrorCode2[ZIMErrorCode2["MessageModuleTheNumberOfPinnedMessagesExceedsLimit"] = 6000287] = "MessageModuleTheNumberOfPinnedMessagesExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleCommonError"] = 6000301] = "RoomModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleServerError"] = 6000302] = "RoomModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleCreateRoomError"] = 6000303] = "RoomModuleCreateRoomError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleJoinRoomError"] = 6000304] = "RoomModuleJoinRoomError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleLeaveRoomError"] = 6000306] = "RoomModuleLeaveRoomError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheRoomMemberQueryFailed"] = 6000310] = "RoomModuleTheRoomMemberQueryFailed";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheRoomMembersQueryFailedCompletely"] = 6000311] = "RoomModuleTheRoomMembersQueryFailedCompletely";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleUserIsAlreadyInTheRoom"] = 6000320] = "RoomModuleUserIsAlreadyInTheRoom";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleUserIsNotInTheRoom"] = 6000321] = "RoomModuleUserIsNotInTheRoom";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheRoomDoesNotExist"] = 6000322] = "RoomModuleTheRoomDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheRoomAlreadyExists"] = 6000323] = "RoomModuleTheRoomAlreadyExists";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheNumberOfExistingRoomsHasReachedLimit"] = 6000324] = "RoomModuleTheNumberOfExistingRoomsHasReachedLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheNumberOfJoinedRoomsHasReachedLimit"] = 6000325] = "RoomModuleTheNumberOfJoinedRoomsHasReachedLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheRoomIsConnecting"] = 6000326] = "RoomModuleTheRoomIsConnecting";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomMemberIsBlocked"] = 6000327] = "RoomModuleRoomMemberIsBlocked";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomAttributesCommonError"] = 6000330] = "RoomModuleRoomAttributesCommonError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomAttributesOperationFailedCompletely"] = 6000331] = "RoomModuleRoomAttributesOperationFailedCompletely";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomAttributesOperationFailedPartly"] = 6000332] = "RoomModuleRoomAttributesOperationFailedPartly";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomAttributesQueryFailed"] = 6000333] = "RoomModuleRoomAttributesQueryFailed";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheNumberOfRoomAttributesExceedsLimit"] = 6000334] = "RoomModuleTheNumberOfRoomAttributesExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheLengthOfRoomAttributeKeyExceedsLimit"] = 6000335] = "RoomModuleTheLengthOfRoomAttributeKeyExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheLengthOfRoomAttributeValueExceedsLimit"] = 6000336] = "RoomModuleTheLengthOfRoomAttributeValueExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheTotalLengthOfRoomAttributesValueExceedsLimit"] = 6000337] = "RoomModuleTheTotalLengthOfRoomAttributesValueExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleRoomMemberAttributesCommonError"] = 6000350] = "RoomModuleRoomMemberAttributesCommonError";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheTotalLengthOfRoomMemberAttributesExceedsLimit"] = 6000351] = "RoomModuleTheTotalLengthOfRoomMemberAttributesExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheLengthOfRoomMemberAttributesKeyExceedsLimit"] = 6000352] = "RoomModuleTheLengthOfRoomMemberAttributesKeyExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheLengthOfRoomMemberAttributesValueExceedsLimit"] = 6000353] = "RoomModuleTheLengthOfRoomMemberAttributesValueExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["RoomModuleTheMemberNumberOfRoomMemberAttributesExceedsLimit"] = 6000357] = "RoomModuleTheMemberNumberOfRoomMemberAttributesExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["ZpnsModulePushIDInvalid"] = 6000401] = "ZpnsModulePushIDInvalid";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleCommonError"] = 6000501] = "GroupModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleServerError"] = 6000502] = "GroupModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleCreateGroupError"] = 6000503] = "GroupModuleCreateGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleDismissGroupError"] = 6000504] = "GroupModuleDismissGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleJoinGroupError"] = 6000505] = "GroupModuleJoinGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleLeaveGroupError"] = 6000506] = "GroupModuleLeaveGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleKickoutGroupMemberError"] = 6000507] = "GroupModuleKickoutGroupMemberError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleInviteUserIntoGroupError"] = 6000508] = "GroupModuleInviteUserIntoGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleTransferOwnerError"] = 6000509] = "GroupModuleTransferOwnerError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleUpdateGroupInfoError"] = 6000510] = "GroupModuleUpdateGroupInfoError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleQueryGroupInfoError"] = 6000511] = "GroupModuleQueryGroupInfoError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupAttributesOperationFailed"] = 6000512] = "GroupModuleGroupAttributesOperationFailed";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupAttributesQueryFailed"] = 6000513] = "GroupModuleGroupAttributesQueryFailed";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleUpdateGroupMemberInfoError"] = 6000514] = "GroupModuleUpdateGroupMemberInfoError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleQueryGroupMemberInfoError"] = 6000515] = "GroupModuleQueryGroupMemberInfoError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleQueryGroupListError"] = 6000516] = "GroupModuleQueryGroupListError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleQueryGroupMemberListError"] = 6000517] = "GroupModuleQueryGroupMemberListError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleUserIsNotInTheGroup"] = 6000521] = "GroupModuleUserIsNotInTheGroup";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleMemberIsAlreadyInTheGroup"] = 6000522] = "GroupModuleMemberIsAlreadyInTheGroup";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupDoesNotExist"] = 6000523] = "GroupModuleGroupDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupAlreadyExists"] = 6000524] = "GroupModuleGroupAlreadyExists";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupMemberHasReachedLimit"] = 6000525] = "GroupModuleGroupMemberHasReachedLimit";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupAttributeDoesNotExist"] = 6000526] = "GroupModuleGroupAttributeDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleCreateGroupWithDismissed"] = 6000527] = "GroupModuleCreateGroupWithDismissed";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleTheNumberOfGroupAttributesExceedsLimit"] = 6000531] = "GroupModuleTheNumberOfGroupAttributesExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleTheLengthOfGroupAttributeKeyExceedsLimit"] = 6000532] = "GroupModuleTheLengthOfGroupAttributeKeyExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleTheLengthOfGroupAttributeValueExceedsLimit"] = 6000533] = "GroupModuleTheLengthOfGroupAttributeValueExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleTheTotalLengthOfGroupAttributesValueExceedsLimit"] = 6000534] = "GroupModuleTheTotalLengthOfGroupAttributesValueExceedsLimit";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleGroupNoCorrespondingOperationAuthority"] = 6000541] = "GroupModuleGroupNoCorrespondingOperationAuthority";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleForbidJoinGroupError"] = 6000542] = "GroupModuleForbidJoinGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleNeedApplyJoinGroupError"] = 6000543] = "GroupModuleNeedApplyJoinGroupError";
  ZIMErrorCode2[ZIMErrorCode2["GroupModuleNeedApplyInviteGroupError"] = 6000544] = "GroupModuleNeedApplyInviteGroupError";
  ZIMErrorCode2[ZIMErrorCode2["ConversationModuleCommonError"] = 6000601] = "ConversationModuleCommonError";
  ZIMErrorCode2[ZIMErrorCode2["ConversationModuleServerError"] = 6000602] = "ConversationModuleServerError";
  ZIMErrorCode2[ZIMErrorCode2["ConversationModuleConversationDoesNotExist"] = 6000603] = "ConversationModuleConversationDoesNotExist";
  ZIMErrorCode2[ZIMErrorCode2["ConversationModuleConversationPinnedListReachedLimit"] = 6000604] = "ConversationModuleConversationPinnedListReachedLimit";
  ZIMErrorCode2[ZIMErrorCode2["DatabaseModuleOpenDatabaseError"] = 6000701] = "DatabaseModuleOpenDatabaseError";
  ZIMErrorCode2[ZIMErrorCode2["DatabaseModuleModifyDatabaseError"] = 6000702] = "DatabaseModuleModifyDatabaseError";
  ZIMErrorCode2[ZIMErrorCode2["DatabaseModuleDeleteDatabaseError"] = 6000703] = "DatabaseModuleDeleteDatabaseError";
  ZIMErrorCode2[ZIMErrorCode2["DatabaseModuleSeleteDatabaseError"] = 6000704] = "DatabaseModuleSeleteDatabaseError";
  ZIMErrorCode2[ZIMErrorCode2["DatabaseModuleDbIsNotOpened"] = 6000710] = "DatabaseModuleDbIsNotOpened";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleFriendNumsLimit"] = 6000801] = "FriendModuleFriendNumsLimit";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleFriendApplicationStatusError"] = 6000802] = "FriendModuleFriendApplicationStatusError";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleIsAlreadyYourFriend"] = 6000803] = "FriendModuleIsAlreadyYourFriend";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleAlreadyAddToBlacklist"] = 6000804] = "FriendModuleAlreadyAddToBlacklist";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleCannotAddSelfToBlacklist"] = 6000805] = "FriendModuleCannotAddSelfToBlacklist";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleAlreadyDeleteFromBlacklist"] = 6000806] = "FriendModuleAlreadyDeleteFromBlacklist";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleUserNotInBlacklist"] = 6000807] = "FriendModuleUserNotInBlacklist";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleBlacklistListQuantityLimit"] = 6000808] = "FriendModuleBlacklistListQuantityLimit";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleFriendOperationLimitExceeded"] = 6000809] = "FriendModuleFriendOperationLimitExceeded";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleCannotAddSelfToFriendList"] = 6000810] = "FriendModuleCannotAddSelfToFriendList";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleFriendAreUnregistered"] = 6000811] = "FriendModuleFriendAreUnregistered";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleNotYourFriend"] = 6000812] = "FriendModuleNotYourFriend";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleCannotDeleteSelf"] = 6000813] = "FriendModuleCannotDeleteSelf";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleFriendApplicationExpired"] = 6000814] = "FriendModuleFriendApplicationExpired";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleAddBlacklistFail"] = 6000815] = "FriendModuleAddBlacklistFail";
  ZIMErrorCode2[ZIMErrorCode2["FriendModuleDelBlacklistFail"] = 6000816] = "FriendModuleDelBlacklistFail";
  return ZIMErrorCode2;
})(ZIMErrorCode || {});
var ZIM_EVENTS = ["error", "experimentalEventReceived", "tokenWillExpire", "connectionStateChanged", "userInfoUpdated", "userRuleUpdated", "userStatusUpdated", "conversationChanged", "conversationTotalUnreadMessageCountUpdated", "conversationMessageReceiptChanged", "conversationsAllDeleted", "conversationSyncStateChanged", "receivePeerMessage", "receiveRoomMessage", "receiveGroupMessage", "peerMessageReceived", "roomMessageReceived", "groupMessageReceived", "broadcastMessageReceived", "messageSentStatusChanged", "messageReceiptChanged", "messageRevokeReceived", "messageReactionsChanged", "messageDeleted", "messageRepliedInfoChanged", "messageRepliedCountChanged", "messageEdited", "messagePinStatusChanged", "roomStateChanged", "roomMemberJoined", "roomMemberLeft", "roomAttributesUpdated", "roomAttributesBatchUpdated", "roomMemberAttributesUpdated", "groupStateChanged", "groupNameUpdated", "groupAvatarUrlUpdated", "groupNoticeUpdated", "groupAliasUpdated", "groupAttributesUpdated", "groupMutedInfoUpdated", "groupVerifyInfoUpdated", "groupMemberStateChanged", "groupMemberInfoUpdated", "groupApplicationListChanged", "groupApplicationUpdated", "callInvitationCreated", "callInvitationReceived", "callInvitationCancelled", "callInvitationEnded", "callInvitationRejected", "callInvitationAccepted", "callInvitationTimeout", "callInviteesAnsweredTimeout", "callUserStateChanged", "friendListChanged", "friendInfoUpdated", "friendApplicationListChanged", "friendApplicationUpdated", "blacklistChanged"];
var ZIMForwardedAPI = class {
  updateUserName(userName) {
    return this._invoke("updateUserName", { userName });
  }
  updateUserAvatarUrl(userAvatarUrl) {
    return this._invoke("updateUserAvatarUrl", { userAvatarUrl });
  }
  updateUserExtendedData(extendedData) {
    return this._invoke("updateUserExtendedData", { extendedData });
  }
  updateUserOfflinePushRule(offlinePushRule) {
    return this._invoke("updateUserOfflinePushRule", { offlinePushRule });
  }
  updateUserCustomStatus(customStatus, config) {
    return this._invoke("updateUserCustomStatus", { customStatus, config });
  }
  updateUserBadge(badge) {
    return this._invoke("updateUserBadge", { badge });
  }
  queryUsersInfo(userIDs, config) {
    return this._invoke("queryUsersInfo", { userIDs, config });
  }
  queryUsersStatus(userIDs) {
    return this._invoke("queryUsersStatus", { userIDs });
  }
  querySelfUserInfo() {
    return this._invoke("querySelfUserInfo", {});
  }
  subscribeUsersStatus(userIDs, config) {
    return this._invoke("subscribeUsersStatus", { userIDs, config });
  }
  unsubscribeUsersStatus(userIDs) {
    return this._invoke("unsubscribeUsersStatus", { userIDs });
  }
  querySubscribedUserStatusList(config) {
    return this._invoke("querySubscribedUserStatusList", { config });
  }
  queryConversationList(config, option) {
    return this._invoke("queryConversationList", { config, option });
  }
  queryConversation(conversationID, conversationType) {
    return this._invoke("queryConversation", { conversationID, conversationType });
  }
  queryConversationPinnedList(config) {
    return this._invoke("queryConversationPinnedList", { config });
  }
  updateConversationPinnedState(isPinned, conversationID, conversationType) {
    return this._invoke("updateConversationPinnedState", { isPinned, conversationID, conversationType });
  }
  deleteConversation(conversationID, conversationType, config) {
    return this._invoke("deleteConversation", { conversationID, conversationType, config });
  }
  deleteAllConversations(config) {
    return this._invoke("deleteAllConversations", { config });
  }
  clearConversationUnreadMessageCount(conversationID, conversationType) {
    return this._invoke("clearConversationUnreadMessageCount", { conversationID, conversationType });
  }
  clearConversationTotalUnreadMessageCount() {
    return this._invoke("clearConversationTotalUnreadMessageCount", {});
  }
  queryConversationTotalUnreadMessageCount(config) {
    return this._invoke("queryConversationTotalUnreadMessageCount", { config });
  }
  setConversationNotificationStatus(status, conversationID, conversationType) {
    return this._invoke("setConversationNotificationStatus", { status, conversationID, conversationType });
  }
  sendConversationMessageReceiptRead(conversationID, conversationType) {
    return this._invoke("sendConversationMessageReceiptRead", { conversationID, conversationType });
  }
  setConversationDraft(draft, conversationID, conversationType) {
    return this._invoke("setConversationDraft", { draft, conversationID, conversationType });
  }
  setConversationMark(markType, enable, conversationInfos) {
    return this._invoke("setConversationMark", { markType, enable, conversationInfos });
  }
  queryHistoryMessage(conversationID, conversationType, config) {
    return this._invoke("queryHistoryMessage", { conversationID, conversationType, config });
  }
  queryMessages(messageSeqs, conversationID, conversationType) {
    return this._invoke("queryMessages", { messageSeqs, conversationID, conversationType });
  }
  deleteMessages(messageList, conversationID, conversationType, config) {
    return this._invoke("deleteMessages", { messageList, conversationID, conversationType, config });
  }
  deleteAllMessage(conversationID, conversationType, config) {
    return this._invoke("deleteAllMessage", { conversationID, conversationType, config });
  }
  deleteAllConversationMessages(config) {
    return this._invoke("deleteAllConversationMessages", { config });
  }
  sendMessageReceiptsRead(messageList, conversationID, conversationType) {
    return this._invoke("sendMessageReceiptsRead", { messageList, conversationID, conversationType });
  }
  queryMessageReceiptsInfo(messageList, conversationID, conversationType) {
    return this._invoke("queryMessageReceiptsInfo", { messageList, conversationID, conversationType });
  }
  revokeMessage(message, config) {
    return this._invoke("revokeMessage", { message, config });
  }
  editMessage(message, config, notification) {
    return this._invoke("editMessage", { message, config, notification });
  }
  addMessageReaction(reactionType, message, config) {
    return this._invoke("addMessageReaction", { reactionType, message, config });
  }
  deleteMessageReaction(reactionType, message) {
    return this._invoke("deleteMessageReaction", { reactionType, message });
  }
  deleteMessageAllReactions(message) {
    return this._invoke("deleteMessageAllReactions", { message });
  }
  queryMessageReactionUserList(message, config) {
    return this._invoke("queryMessageReactionUserList", { message, config });
  }
  queryCombineMessageDetail(message) {
    return this._invoke("queryCombineMessageDetail", { message });
  }
  queryMessageRepliedList(message, config) {
    return this._invoke("queryMessageRepliedList", { message, config });
  }
  pinMessage(message, isPinned, config) {
    return this._invoke("pinMessage", { message, isPinned, config });
  }
  queryPinnedMessageList(conversationID, conversationType) {
    return this._invoke("queryPinnedMessageList", { conversationID, conversationType });
  }
  createRoom(roomInfo, config) {
    return this._invoke("createRoom", { roomInfo, config });
  }
  joinRoom(roomID) {
    return this._invoke("joinRoom", { roomID });
  }
  enterRoom(roomInfo, config) {
    return this._invoke("enterRoom", { roomInfo, config });
  }
  switchRoom(fromRoomID, toRoomInfo, isCreateWhenRoomNotExisted, config) {
    return this._invoke("switchRoom", { fromRoomID, toRoomInfo, isCreateWhenRoomNotExisted, config });
  }
  leaveRoom(roomID) {
    return this._invoke("leaveRoom", { roomID });
  }
  leaveAllRoom() {
    return this._invoke("leaveAllRoom", {});
  }
  queryRoomMemberList(roomID, config) {
    return this._invoke("queryRoomMemberList", { roomID, config });
  }
  queryRoomMembers(userIDs, roomID) {
    return this._invoke("queryRoomMembers", { userIDs, roomID });
  }
  queryRoomOnlineMemberCount(roomID) {
    return this._invoke("queryRoomOnlineMemberCount", { roomID });
  }
  setRoomAttributes(roomAttributes, roomID, config) {
    return this._invoke("setRoomAttributes", { roomAttributes, roomID, config });
  }
  deleteRoomAttributes(keys, roomID, config) {
    return this._invoke("deleteRoomAttributes", { keys, roomID, config });
  }
  endRoomAttributesBatchOperation(roomID) {
    return this._invoke("endRoomAttributesBatchOperation", { roomID });
  }
  queryRoomAllAttributes(roomID) {
    return this._invoke("queryRoomAllAttributes", { roomID });
  }
  setRoomMembersAttributes(attributes, userIDs, roomID, config) {
    return this._invoke("setRoomMembersAttributes", { attributes, userIDs, roomID, config });
  }
  queryRoomMembersAttributes(userIDs, roomID) {
    return this._invoke("queryRoomMembersAttributes", { userIDs, roomID });
  }
  queryRoomMemberAttributesList(roomID, config) {
    return this._invoke("queryRoomMemberAttributesList", { roomID, config });
  }
  createGroup(groupInfo, userIDs, config) {
    return this._invoke("createGroup", { groupInfo, userIDs, config });
  }
  dismissGroup(groupID) {
    return this._invoke("dismissGroup", { groupID });
  }
  joinGroup(groupID) {
    return this._invoke("joinGroup", { groupID });
  }
  leaveGroup(groupID) {
    return this._invoke("leaveGroup", { groupID });
  }
  inviteUsersIntoGroup(userIDs, groupID) {
    return this._invoke("inviteUsersIntoGroup", { userIDs, groupID });
  }
  kickGroupMembers(userIDs, groupID) {
    return this._invoke("kickGroupMembers", { userIDs, groupID });
  }
  transferGroupOwner(toUserID, groupID) {
    return this._invoke("transferGroupOwner", { toUserID, groupID });
  }
  queryGroupInfo(groupID) {
    return this._invoke("queryGroupInfo", { groupID });
  }
  queryGroupMemberInfo(userID, groupID) {
    return this._invoke("queryGroupMemberInfo", { userID, groupID });
  }
  queryGroupMemberList(groupID, config) {
    return this._invoke("queryGroupMemberList", { groupID, config });
  }
  queryGroupMemberCount(groupID) {
    return this._invoke("queryGroupMemberCount", { groupID });
  }
  updateGroupName(groupName, groupID) {
    return this._invoke("updateGroupName", { groupName, groupID });
  }
  updateGroupAvatarUrl(groupAvatarUrl, groupID) {
    return this._invoke("updateGroupAvatarUrl", { groupAvatarUrl, groupID });
  }
  updateGroupNotice(groupNotice, groupID) {
    return this._invoke("updateGroupNotice", { groupNotice, groupID });
  }
  updateGroupAlias(groupAlias, groupID) {
    return this._invoke("updateGroupAlias", { groupAlias, groupID });
  }
  updateGroupJoinMode(mode, groupID) {
    return this._invoke("updateGroupJoinMode", { mode, groupID });
  }
  updateGroupInviteMode(mode, groupID) {
    return this._invoke("updateGroupInviteMode", { mode, groupID });
  }
  updateGroupBeInviteMode(mode, groupID) {
    return this._invoke("updateGroupBeInviteMode", { mode, groupID });
  }
  setGroupAttributes(groupAttributes, groupID) {
    return this._invoke("setGroupAttributes", { groupAttributes, groupID });
  }
  deleteGroupAttributes(keys, groupID) {
    return this._invoke("deleteGroupAttributes", { keys, groupID });
  }
  queryGroupAttributes(keys, groupID) {
    return this._invoke("queryGroupAttributes", { keys, groupID });
  }
  queryGroupAllAttributes(groupID) {
    return this._invoke("queryGroupAllAttributes", { groupID });
  }
  setGroupMemberRole(role, forUserID, groupID) {
    return this._invoke("setGroupMemberRole", { role, forUserID, groupID });
  }
  setGroupMemberNickname(nickname, forUserID, groupID) {
    return this._invoke("setGroupMemberNickname", { nickname, forUserID, groupID });
  }
  muteGroup(isMute, groupID, config) {
    return this._invoke("muteGroup", { isMute, groupID, config });
  }
  muteGroupMembers(isMute, userIDs, groupID, config) {
    return this._invoke("muteGroupMembers", { isMute, userIDs, groupID, config });
  }
  queryGroupMemberMutedList(groupID, config) {
    return this._invoke("queryGroupMemberMutedList", { groupID, config });
  }
  queryGroupMessageReceiptReadMemberList(message, groupID, config) {
    return this._invoke("queryGroupMessageReceiptReadMemberList", { message, groupID, config });
  }
  queryGroupMessageReceiptUnreadMemberList(message, groupID, config) {
    return this._invoke("queryGroupMessageReceiptUnreadMemberList", { message, groupID, config });
  }
  sendGroupJoinApplication(groupID, config) {
    return this._invoke("sendGroupJoinApplication", { groupID, config });
  }
  acceptGroupJoinApplication(userID, groupID, config) {
    return this._invoke("acceptGroupJoinApplication", { userID, groupID, config });
  }
  rejectGroupJoinApplication(userID, groupID, config) {
    return this._invoke("rejectGroupJoinApplication", { userID, groupID, config });
  }
  sendGroupInviteApplications(userIDs, groupID, config) {
    return this._invoke("sendGroupInviteApplications", { userIDs, groupID, config });
  }
  acceptGroupInviteApplication(inviterUserID, groupID, config) {
    return this._invoke("acceptGroupInviteApplication", { inviterUserID, groupID, config });
  }
  rejectGroupInviteApplication(inviterUserID, groupID, config) {
    return this._invoke("rejectGroupInviteApplication", { inviterUserID, groupID, config });
  }
  queryGroupApplicationList(config) {
    return this._invoke("queryGroupApplicationList", { config });
  }
  callInvite(invitees, config) {
    return this._invoke("callInvite", { invitees, config });
  }
  callCancel(invitees, callID, config) {
    return this._invoke("callCancel", { invitees, callID, config });
  }
  callAccept(callID, config) {
    return this._invoke("callAccept", { callID, config });
  }
  callReject(callID, config) {
    return this._invoke("callReject", { callID, config });
  }
  callingInvite(invitees, callID, config) {
    return this._invoke("callingInvite", { invitees, callID, config });
  }
  callJoin(callID, config) {
    return this._invoke("callJoin", { callID, config });
  }
  callQuit(callID, config) {
    return this._invoke("callQuit", { callID, config });
  }
  callEnd(callID, config) {
    return this._invoke("callEnd", { callID, config });
  }
  queryCallInvitationList(config) {
    return this._invoke("queryCallInvitationList", { config });
  }
  addFriend(userID, config) {
    return this._invoke("addFriend", { userID, config });
  }
  deleteFriends(userIDs, config) {
    return this._invoke("deleteFriends", { userIDs, config });
  }
  checkFriendsRelation(userIDs, config) {
    return this._invoke("checkFriendsRelation", { userIDs, config });
  }
  updateFriendAlias(friendAlias, userID) {
    return this._invoke("updateFriendAlias", { friendAlias, userID });
  }
  updateFriendAttributes(friendAttributes, userID) {
    return this._invoke("updateFriendAttributes", { friendAttributes, userID });
  }
  queryFriendsInfo(userIDs) {
    return this._invoke("queryFriendsInfo", { userIDs });
  }
  queryFriendList(config) {
    return this._invoke("queryFriendList", { config });
  }
  sendFriendApplication(userID, config) {
    return this._invoke("sendFriendApplication", { userID, config });
  }
  acceptFriendApplication(userID, config) {
    return this._invoke("acceptFriendApplication", { userID, config });
  }
  rejectFriendApplication(userID, config) {
    return this._invoke("rejectFriendApplication", { userID, config });
  }
  queryFriendApplicationList(config) {
    return this._invoke("queryFriendApplicationList", { config });
  }
  addUsersToBlacklist(userIDs) {
    return this._invoke("addUsersToBlacklist", { userIDs });
  }
  removeUsersFromBlacklist(userIDs) {
    return this._invoke("removeUsersFromBlacklist", { userIDs });
  }
  queryBlacklist(config) {
    return this._invoke("queryBlacklist", { config });
  }
  checkUserIsInBlacklist(userID) {
    return this._invoke("checkUserIsInBlacklist", { userID });
  }
};
var FORWARDED_PARAMS = { "updateUserName": ["userName"], "updateUserAvatarUrl": ["userAvatarUrl"], "updateUserExtendedData": ["extendedData"], "updateUserOfflinePushRule": ["offlinePushRule"], "updateUserCustomStatus": ["customStatus", "config"], "updateUserBadge": ["badge"], "queryUsersInfo": ["userIDs", "config"], "queryUsersStatus": ["userIDs"], "querySelfUserInfo": [], "subscribeUsersStatus": ["userIDs", "config"], "unsubscribeUsersStatus": ["userIDs"], "querySubscribedUserStatusList": ["config"], "queryConversationList": ["config", "option"], "queryConversation": ["conversationID", "conversationType"], "queryConversationPinnedList": ["config"], "updateConversationPinnedState": ["isPinned", "conversationID", "conversationType"], "deleteConversation": ["conversationID", "conversationType", "config"], "deleteAllConversations": ["config"], "clearConversationUnreadMessageCount": ["conversationID", "conversationType"], "clearConversationTotalUnreadMessageCount": [], "queryConversationTotalUnreadMessageCount": ["config"], "setConversationNotificationStatus": ["status", "conversationID", "conversationType"], "sendConversationMessageReceiptRead": ["conversationID", "conversationType"], "setConversationDraft": ["draft", "conversationID", "conversationType"], "setConversationMark": ["markType", "enable", "conversationInfos"], "queryHistoryMessage": ["conversationID", "conversationType", "config"], "queryMessages": ["messageSeqs", "conversationID", "conversationType"], "deleteMessages": ["messageList", "conversationID", "conversationType", "config"], "deleteAllMessage": ["conversationID", "conversationType", "config"], "deleteAllConversationMessages": ["config"], "sendMessageReceiptsRead": ["messageList", "conversationID", "conversationType"], "queryMessageReceiptsInfo": ["messageList", "conversationID", "conversationType"], "revokeMessage": ["message", "config"], "editMessage": ["message", "config", "notification"], "addMessageReaction": ["reactionType", "message", "config"], "deleteMessageReaction": ["reactionType", "message"], "deleteMessageAllReactions": ["message"], "queryMessageReactionUserList": ["message", "config"], "queryCombineMessageDetail": ["message"], "queryMessageRepliedList": ["message", "config"], "pinMessage": ["message", "isPinned", "config"], "queryPinnedMessageList": ["conversationID", "conversationType"], "createRoom": ["roomInfo", "config"], "joinRoom": ["roomID"], "enterRoom": ["roomInfo", "config"], "switchRoom": ["fromRoomID", "toRoomInfo", "isCreateWhenRoomNotExisted", "config"], "leaveRoom": ["roomID"], "leaveAllRoom": [], "queryRoomMemberList": ["roomID", "config"], "queryRoomMembers": ["userIDs", "roomID"], "queryRoomOnlineMemberCount": ["roomID"], "setRoomAttributes": ["roomAttributes", "roomID", "config"], "deleteRoomAttributes": ["keys", "roomID", "config"], "endRoomAttributesBatchOperation": ["roomID"], "queryRoomAllAttributes": ["roomID"], "setRoomMembersAttributes": ["attributes", "userIDs", "roomID", "config"], "queryRoomMembersAttributes": ["userIDs", "roomID"], "queryRoomMemberAttributesList": ["roomID", "config"], "createGroup": ["groupInfo", "userIDs", "config"], "dismissGroup": ["groupID"], "joinGroup": ["groupID"], "leaveGroup": ["groupID"], "inviteUsersIntoGroup": ["userIDs", "groupID"], "kickGroupMembers": ["userIDs", "groupID"], "transferGroupOwner": ["toUserID", "groupID"], "queryGroupInfo": ["groupID"], "queryGroupMemberInfo": ["userID", "groupID"], "queryGroupMemberList": ["groupID", "config"], "queryGroupMemberCount": ["groupID"], "updateGroupName": ["groupName", "groupID"], "updateGroupAvatarUrl": ["groupAvatarUrl", "groupID"], "updateGroupNotice": ["groupNotice", "groupID"], "updateGroupAlias": ["groupAlias", "groupID"], "updateGroupJoinMode": ["mode", "groupID"], "updateGroupInviteMode": ["mode", "groupID"], "updateGroupBeInviteMode": ["mode", "groupID"], "setGroupAttributes": ["groupAttributes", "groupID"], "deleteGroupAttributes": ["keys", "groupID"], "queryGroupAttributes": ["keys", "groupID"], "queryGroupAllAttributes": ["groupID"], "setGroupMemberRole": ["role", "forUserID", "groupID"], "setGroupMemberNickname": ["nickname", "forUserID", "groupID"], "muteGroup": ["isMute", "groupID", "config"], "muteGroupMembers": ["isMute", "userIDs", "groupID", "config"], "queryGroupMemberMutedList": ["groupID", "config"], "queryGroupMessageReceiptReadMemberList": ["message", "groupID", "config"], "queryGroupMessageReceiptUnreadMemberList": ["message", "groupID", "config"], "sendGroupJoinApplication": ["groupID", "config"], "acceptGroupJoinApplication": ["userID", "groupID", "config"], "rejectGroupJoinApplication": ["userID", "groupID", "config"], "sendGroupInviteApplications": ["userIDs", "groupID", "config"], "acceptGroupInviteApplication": ["inviterUserID", "groupID", "config"], "rejectGroupInviteApplication": ["inviterUserID", "groupID", "config"], "queryGroupApplicationList": ["config"], "callInvite": ["invitees", "config"], "callCancel": ["invitees", "callID", "config"], "callAccept": ["callID", "config"], "callReject": ["callID", "config"], "callingInvite": ["invitees", "callID", "config"], "callJoin": ["callID", "config"], "callQuit": ["callID", "config"], "callEnd": ["callID", "config"], "queryCallInvitationList": ["config"], "addFriend": ["userID", "config"], "deleteFriends": ["userIDs", "config"], "checkFriendsRelation": ["userIDs", "config"], "updateFriendAlias": ["friendAlias", "userID"], "updateFriendAttributes": ["friendAttributes", "userID"], "queryFriendsInfo": ["userIDs"], "queryFriendList": ["config"], "sendFriendApplication": ["userID", "config"], "acceptFriendApplication": ["userID", "config"], "rejectFriendApplication": ["userID", "config"], "queryFriendApplicationList": ["config"], "addUsersToBlacklist": ["userIDs"], "removeUsersFromBlacklist": ["userIDs"], "queryBlacklist": ["config"], "checkUserIsInBlacklist": ["userID"] };

// src/community.ts
var ParleyCommunityAPI = class extends ZIMForwardedAPI {
  createCommunity(communityInfo, config) {
    return this._invoke("createCommunity", { communityInfo, config });
  }
  dismissCommunity(communityID) {
    return this._invoke("dismissCommunity", { communityID });
  }
  joinCommunity(communityID) {
    return this._invoke("joinCommunity", { communityID });
  }
  leaveCommunity(communityID) {
    return this._invoke("leaveCommunity", { communityID });
  }
  queryCommunityList(count, config) {
    return this._invoke("queryCommunityList", { count, config });
  }
  queryCommunityInfo(communityID) {
    return this._invoke("queryCommunityInfo", { communityID });
  }
  updateCommunityName(communityName, communityID) {
    return this._invoke("updateCommunityName", { communityName, communityID });
  }
  updateCommunityAvatarUrl(communityAvatarUrl, communityID) {
    return this._invoke("updateCommunityAvatarUrl", { communityAvatarUrl, communityID });
  }
  updateCommunityNotice(communityNotice, communityID) {
    return this._invoke("updateCommunityNotice", { communityNotice, communityID });
  }
  setCommunityAttributes(attributes, communityID) {
    return this._invoke("setCommunityAttributes", { attributes, communityID });
  }
  deleteCommunityAttributes(keys, communityID) {
    return this._invoke("deleteCommunityAttributes", { keys, communityID });
  }
  setCommunityNotificationStatus(status, communityID) {
    return this._invoke("setCommunityNotificationStatus", { status, communityID });
  }
  inviteUsersIntoCommunity(userIDs, communityID) {
    return this._invoke("inviteUsersIntoCommunity", { userIDs, communityID });
  }
  kickCommunityMembers(userIDs, communityID) {
    return this._invoke("kickCommunityMembers", { userIDs, communityID });
  }
  setCommunityMemberRole(role, forUserID, communityID) {
    return this._invoke("setCommunityMemberRole", { role, forUserID, communityID });
  }
  transferCommunityOwner(toUserID, communityID) {
    return this._invoke("transferCommunityOwner", { toUserID, communityID });
  }
  queryCommunityMemberList(communityID, config) {
    return this._invoke("queryCommunityMemberList", { communityID, config });
  }
  queryCommunityMemberInfo(userID, communityID) {
    return this._invoke("queryCommunityMemberInfo", { userID, communityID });
  }
  muteCommunityMembers(isMute, userIDs, communityID, config) {
    return this._invoke("muteCommunityMembers", { isMute, userIDs, communityID, config });
  }
  createCommunityChannel(channelInfo, config, communityID) {
    return this._invoke("createCommunityChannel", { channelInfo, config, communityID });
  }
  dismissCommunityChannel(channelID, communityID) {
    return this._invoke("dismissCommunityChannel", { channelID, communityID });
  }
  updateCommunityChannelName(channelName, channelID, communityID) {
    return this._invoke("updateCommunityChannelName", { channelName, channelID, communityID });
  }
  updateCommunityChannelAvatarUrl(channelAvatarUrl, channelID, communityID) {
    return this._invoke("updateCommunityChannelAvatarUrl", { channelAvatarUrl, channelID, communityID });
  }
  updateCommunityChannelNotice(channelNotice, channelID, communityID) {
    return this._invoke("updateCommunityChannelNotice", { channelNotice, channelID, communityID });
  }
  setCommunityChannelAttributes(attributes, channelID, communityID) {
    return this._invoke("setCommunityChannelAttributes", { attributes, channelID, communityID });
  }
  deleteCommunityChannelAttributes(keys, channelID, communityID) {
    return this._invoke("deleteCommunityChannelAttributes", { keys, channelID, communityID });
  }
  queryCommunityChannelList(communityID, config) {
    return this._invoke("queryCommunityChannelList", { communityID, config });
  }
  queryCommunityChannelInfo(channelID, communityID) {
    return this._invoke("queryCommunityChannelInfo", { channelID, communityID });
  }
  muteCommunityChannels(isMute, channelIDs, communityID, config) {
    return this._invoke("muteCommunityChannels", { isMute, channelIDs, communityID, config });
  }
  inviteUsersIntoCommunityChannel(userIDs, channelID, communityID) {
    return this._invoke("inviteUsersIntoCommunityChannel", { userIDs, channelID, communityID });
  }
  kickCommunityChannelMembers(userIDs, channelID, communityID) {
    return this._invoke("kickCommunityChannelMembers", { userIDs, channelID, communityID });
  }
  queryCommunityChannelMemberList(channelID, communityID, config) {
    return this._invoke("queryCommunityChannelMemberList", { channelID, communityID, config });
  }
};

// src/zim.ts
var VERSION = "2.29.0-parley.0.1.0";
var ADVANCED_KEYS = {
  /** The server: `ws://host:7480/ws`, `wss://…/ws`, or an http(s) base URL (`/ws` is added). */
  server: "parley_server",
  /** How long a request may wait for its reply, queued time included (ms, default 60000). */
  requestTimeout: "parley_request_timeout_ms",
  /** The platform the session logs in as (ZIMPlatformType number; default 6, Web). */
  platform: "parley_platform"
};
var advanced = {};
var instance = null;
var SUBPROTOCOL = "parley.json";
var MAX_IN_FLIGHT = 128;
var SDK_MESSAGE_FIELDS = /* @__PURE__ */ new Set([
  "sentStatus",
  "direction",
  "senderUserID",
  "conversationID",
  "conversationType",
  "timestamp",
  "messageID",
  "messageSeq",
  "conversationSeq",
  "orderKey",
  "isUserInserted",
  "receiptStatus",
  "localExtendedData"
]);
var SEEN_WINDOW = 1e3;
var MEDIA_TYPES = /* @__PURE__ */ new Set([11, 12, 13, 14]);
var ROOM_METHODS = /* @__PURE__ */ new Set(["createRoom", "enterRoom", "joinRoom", "switchRoom", "leaveRoom", "leaveAllRoom"]);
var KEEPALIVE_MS = 25e3;
var DEAD_AFTER_MS = 2e4;
var BACKOFF_MIN_MS = 100;
var BACKOFF_MAX_MS = 5e3;
var CLOSE_KICKED = 4001;
var CLOSE_TOKEN_EXPIRED = 4002;
var CLOSE_PROTOCOL = 4004;
var CLOSE_TOO_BIG = 1009;
var E = {
  unsupported: (what) => ({ code: 6000013 /* CommonModuleUnsupportedRequest */, message: `not supported by parley: ${what}` }),
  params: (what) => ({ code: 6000001 /* CommonModuleParamsInvalid */, message: `invalid parameter: ${what}` }),
  notLoggedIn: () => ({ code: 6000121 /* NetworkModuleUserIsNotLogged */, message: "not logged in" }),
  alreadyLoggedIn: () => ({ code: 6000111 /* NetworkModuleUserHasAlreadyLogged */, message: "already logged in" }),
  timeout: () => ({ code: 6000105 /* NetworkModuleRequestTimeout */, message: "request timed out" }),
  lost: () => ({ code: 6000104 /* NetworkModuleNetworkError */, message: "connection lost with the call in flight; not resent (not idempotent): query before trying again" }),
  cancelled: () => ({ code: 6000206 /* MessageModuleSendMessageFailedForCancelled */, message: "sending was cancelled" }),
  notCancellable: () => ({ code: 6000207 /* MessageModuleCancelSendingMessageFailed */, message: "the message is not waiting to be sent" }),
  destroyed: () => ({ code: 6000002 /* CommonModuleNotInit */, message: "the ZIM instance was destroyed" })
};
var REPEATABLE = /* @__PURE__ */ new Set([
  "updateUserName",
  "updateUserAvatarUrl",
  "updateUserExtendedData",
  "updateUserOfflinePushRule",
  "updateUserCustomStatus",
  "updateUserBadge",
  "setConversationDraft",
  "setConversationNotificationStatus",
  "clearConversationUnreadMessageCount",
  "clearConversationTotalUnreadMessageCount",
  "updateConversationPinnedState",
  "updateGroupName",
  "updateGroupAvatarUrl",
  "updateGroupNotice",
  "updateGroupAlias",
  "updateGroupJoinMode",
  "updateGroupInviteMode",
  "updateGroupBeInviteMode",
  "setGroupMemberRole",
  "setGroupMemberNickname",
  "updateCommunityName",
  "updateCommunityAvatarUrl",
  "updateCommunityNotice",
  "setCommunityNotificationStatus",
  "setCommunityMemberRole",
  "updateCommunityChannelName",
  "updateCommunityChannelAvatarUrl",
  "updateCommunityChannelNotice",
  "updateFriendAlias"
]);
function serverURL() {
  let u = advanced[ADVANCED_KEYS.server];
  if (!u) {
    const loc = globalThis.location;
    if (loc && loc.host) return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws`;
    return "ws://127.0.0.1:7480/ws";
  }
  if (u.startsWith("http://")) u = "ws://" + u.slice(7);
  else if (u.startsWith("https://")) u = "wss://" + u.slice(8);
  if (!/\/ws\/?$/.test(u)) u = u.replace(/\/$/, "") + "/ws";
  return u;
}
function httpBase() {
  return serverURL().replace(/^ws/, "http").replace(/\/ws\/?$/, "");
}
function num(v, d) {
  const n = v === void 0 ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : d;
}
function isError(e) {
  return e && typeof e === "object" && typeof e.code === "number" && typeof e.message === "string";
}
function convKey(id, type) {
  return `${type}${id}`;
}
var ZIM = class _ZIM extends ParleyCommunityAPI {
  constructor(appConfig) {
    super();
    this.listeners = /* @__PURE__ */ new Map();
    this.state = 0 /* Disconnected */;
    this.session = null;
    this.ws = null;
    this.loggedIn = false;
    // the current socket's login succeeded
    this.nextID = 1;
    this.queue = [];
    // waiting for a logged-in socket or a free slot
    this.inflight = /* @__PURE__ */ new Map();
    // sent on the current socket
    this.loginWaiters = null;
    this.attempt = 0;
    this.reconnectTimer = null;
    this.ticker = null;
    this.lastSent = 0;
    this.lastReceived = 0;
    this.keepaliveAt = 0;
    // when the unanswered keepalive was sent (0: none)
    this.lidSeq = 0;
    this.lidPrefix = `${Date.now()}${Math.floor(Math.random() * 1e6).toString().padStart(6, "0")}`;
    this.everConnected = false;
    this.loginStartedAt = 0;
    this.destroyed = false;
    /** The last message sequence number seen per conversation (to catch up after a reconnect). */
    this.lastSeq = /* @__PURE__ */ new Map();
    /** The rooms this session is in (room membership belongs to the connection: re-entered after a reconnect). */
    this.rooms = /* @__PURE__ */ new Map();
    // roomID → roomName
    this.reentering = /* @__PURE__ */ new Set();
    this.appID = typeof appConfig === "number" ? appConfig : appConfig?.appID;
  }
  // ---- statics ----
  static getVersion() {
    return VERSION;
  }
  /** Creates the instance (ZIM keeps one); null when one exists (use getInstance) or the app ID is invalid. */
  static create(appConfig) {
    if (instance) return null;
    const appID = typeof appConfig === "number" ? appConfig : appConfig?.appID;
    if (typeof appID !== "number" || !Number.isInteger(appID) || appID < 0) return null;
    instance = new _ZIM(appConfig);
    return instance;
  }
  static getInstance() {
    return instance;
  }
  /** ZIM's advanced settings; parley reads `parley_server` (the server URL) and the keys of ADVANCED_KEYS. */
  static setAdvancedConfig(key, value) {
    advanced[key] = value;
  }
  /** Geofencing is a ZEGO cloud feature: not applied (returns false). */
  static setGeofencingConfig(_areaList, _type) {
    return false;
  }
  // ---- instance basics ----
  /** Logging happens in the browser console; the config is accepted and ignored. */
  setLogConfig(_config) {
  }
  destroy() {
    this.logout();
    this.destroyed = true;
    this.listeners.clear();
    if (instance === this) instance = null;
  }
  on(type, listener) {
    if (typeof listener !== "function") return;
    const l = this.listeners.get(type) ?? [];
    l.push(listener);
    this.listeners.set(type, l);
  }
  off(type) {
    this.listeners.delete(type);
  }
  emit(type, data) {
    const l = this.listeners.get(type);
    if (!l) return;
    for (const fn of [...l]) {
      try {
        fn(this, data);
      } catch (e) {
        console.error(`parley: a ${type} listener threw`, e);
      }
    }
  }
  uploadLog() {
    return Promise.reject(E.unsupported("uploadLog (logs stay in the browser console)"));
  }
  callExperimentalAPI(_params) {
    return Promise.reject(E.unsupported("callExperimentalAPI"));
  }
  /** The connection state (parley addition; ZIM reports it through connectionStateChanged only). */
  getConnectionState() {
    return this.state;
  }
  login(a, b) {
    if (this.destroyed) return Promise.reject(E.destroyed());
    let s;
    const platform = num(advanced[ADVANCED_KEYS.platform], 6);
    if (typeof a === "string") {
      const cfg = b ?? {};
      if (typeof cfg !== "object") return Promise.reject(E.params("config"));
      s = { userID: a, userName: cfg.userName ?? "", token: cfg.token ?? "", platform };
    } else if (a && typeof a === "object" && typeof a.userID === "string") {
      if (b !== void 0 && typeof b !== "string") return Promise.reject(E.params("token"));
      s = { userID: a.userID, userName: a.userName ?? "", token: b ?? "", platform };
    } else {
      return Promise.reject(E.params("userID"));
    }
    if (!s.userID) return Promise.reject({ code: 6000124 /* NetworkModuleUserIDError */, message: "invalid user ID" });
    if (this.session) {
      if (this.session.userID === s.userID && this.state === 2 /* Connected */) return Promise.resolve();
      return Promise.reject(E.alreadyLoggedIn());
    }
    this.session = s;
    this.lastSeq.clear();
    this.rooms.clear();
    this.everConnected = false;
    this.attempt = 0;
    this.loginStartedAt = Date.now();
    this.setState(1 /* Connecting */, 1 /* ActiveLogin */);
    this.startTicker();
    return new Promise((resolve, reject) => {
      this.loginWaiters = { resolve, reject };
      this.connect();
    });
  }
  logout(_config) {
    if (!this.session) return;
    const ws = this.ws;
    if (ws && this.loggedIn) {
      try {
        ws.send(JSON.stringify({ id: this.nextID++, method: "logout", params: {} }));
      } catch {
      }
    }
    this.endSession(E.notLoggedIn(), 0 /* Success */, 1e3);
  }
  async renewToken(token) {
    if (typeof token !== "string" || !token) throw E.params("token");
    const res = await this._invoke("renewToken", { token });
    if (this.session) this.session.token = token;
    return { token, ...res ?? {} };
  }
  // ---- transport ----
  setState(state, event, extendedData = "") {
    this.state = state;
    this.emit("connectionStateChanged", { state, event, extendedData });
  }
  startTicker() {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), 1e3);
    this.ticker.unref?.();
  }
  connect() {
    if (!this.session || this.destroyed) return;
    const WS = globalThis.WebSocket;
    if (!WS) {
      this.failLogin({ code: 6000104 /* NetworkModuleNetworkError */, message: "no WebSocket in this environment" });
      return;
    }
    let ws;
    try {
      ws = new WS(serverURL(), SUBPROTOCOL);
    } catch {
      this.failLogin(E.params(`server URL ${serverURL()}`));
      return;
    }
    this.ws = ws;
    this.loggedIn = false;
    ws.onopen = () => {
      if (this.ws !== ws || !this.session) return;
      const s = this.session;
      this.lastReceived = Date.now();
      const loginID = this.nextID++;
      this.inflight.set(loginID, {
        id: loginID,
        method: "login",
        params: {},
        deadline: Date.now() + 3e4,
        resendable: false,
        internal: true,
        resolve: () => this.onLoggedIn(ws),
        reject: (e) => this.onLoginRefused(ws, e)
      });
      this.sendFrame(ws, { id: loginID, method: "login", params: { userID: s.userID, userName: s.userName, token: s.token, platform: s.platform } });
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastReceived = Date.now();
      this.keepaliveAt = 0;
      let f;
      try {
        f = JSON.parse(typeof ev.data === "string" ? ev.data : new TextDecoder().decode(ev.data));
      } catch {
        return;
      }
      if (typeof f.event === "string") this.onPush(f.event, f.data ?? {});
      else if (typeof f.id === "number") this.onReply(f);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.onClosed(ev.code);
    };
    ws.onerror = () => {
      if (this.ws !== ws) return;
      try {
        ws.close();
      } catch {
      }
      this.onClosed(1006);
    };
    const opening = setTimeout(() => {
      if (this.ws === ws && ws.readyState !== 1) ws.onerror?.(new Event("error"));
    }, 1e4);
    opening.unref?.();
  }
  sendFrame(ws, frame) {
    ws.send(JSON.stringify(frame));
    this.lastSent = Date.now();
  }
  onLoggedIn(ws) {
    if (this.ws !== ws) return;
    this.loggedIn = true;
    this.attempt = 0;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.setState(2 /* Connected */, 0 /* Success */);
    const w = this.loginWaiters;
    this.loginWaiters = null;
    w?.resolve();
    if (reconnected) this.reenterRooms();
    this.pump();
    if (reconnected) void this.catchUp();
  }
  /**
   * After a re-login: enters this session's rooms again, ahead of the calls that waited
   * for the connection (room messages among them). The server answers with
   * roomStateChanged Connected (2/Success); a room that cannot be entered again is
   * reported Disconnected (0/EnterFailed) and forgotten.
   */
  reenterRooms() {
    const entries = [...this.rooms];
    for (const [roomID, roomName] of entries.reverse()) {
      this.reentering.add(roomID);
      this._invoke("enterRoom", { roomInfo: { roomID, roomName } }, { resendable: false, front: true }).then(
        () => this.reentering.delete(roomID),
        (e) => {
          this.reentering.delete(roomID);
          if (e.code === 6000320 /* RoomModuleUserIsAlreadyInTheRoom */) return;
          if (this.rooms.delete(roomID)) {
            this.emit("roomStateChanged", { roomID, state: 0 /* Disconnected */, event: 7 /* EnterFailed */, extendedData: "" });
          }
        }
      );
    }
  }
  /** Keeps the set of rooms this session is in from the room calls' results. */
  trackRooms(method, p, res) {
    const info = res?.roomInfo?.baseInfo;
    switch (method) {
      case "createRoom":
      case "enterRoom":
      case "joinRoom":
        if (info?.roomID) this.rooms.set(info.roomID, info.roomName ?? "");
        return;
      case "switchRoom":
        this.rooms.delete(p.fromRoomID);
        if (info?.roomID) this.rooms.set(info.roomID, info.roomName ?? "");
        return;
      case "leaveRoom":
        this.rooms.delete(p.roomID);
        return;
      case "leaveAllRoom":
        this.rooms.clear();
    }
  }
  onLoginRefused(ws, e) {
    if (this.ws !== ws) return;
    if (this.loginWaiters) {
      this.failLogin(e);
      return;
    }
    const ev = e.code === 6000106 /* NetworkModuleTokenExpired */ ? 5 /* TokenExpired */ : 3 /* LoginInterrupted */;
    this.endSession(e, ev, 1e3);
  }
  failLogin(e, event = 3 /* LoginInterrupted */) {
    const w = this.loginWaiters;
    this.loginWaiters = null;
    this.endSession(e, event, 1e3);
    w?.reject(e);
  }
  /** Ends the session: closes the socket, fails every request, reports Disconnected. */
  endSession(err, event, closeCode) {
    const ws = this.ws;
    this.ws = null;
    this.loggedIn = false;
    this.session = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (ws) {
      try {
        ws.close(closeCode);
      } catch {
      }
    }
    const all = [...this.inflight.values(), ...this.queue];
    this.inflight.clear();
    this.queue = [];
    for (const r of all) if (!r.internal) r.reject(err);
    const w = this.loginWaiters;
    this.loginWaiters = null;
    w?.reject(err);
    if (this.state !== 0 /* Disconnected */) this.setState(0 /* Disconnected */, event);
  }
  onClosed(code) {
    this.ws = null;
    this.loggedIn = false;
    if (!this.session) return;
    if (code === CLOSE_KICKED) return this.endSession(E.notLoggedIn(), 4 /* KickedOut */, 1e3);
    if (code === CLOSE_TOKEN_EXPIRED) return this.endSession({ code: 6000106 /* NetworkModuleTokenExpired */, message: "token expired" }, 5 /* TokenExpired */, 1e3);
    if (code === CLOSE_PROTOCOL || code === CLOSE_TOO_BIG) {
      return this.endSession({ code: 6000101 /* NetworkModuleCommonError */, message: `the server closed the connection (${code})` }, 3 /* LoginInterrupted */, 1e3);
    }
    const lost = [...this.inflight.values()].sort((x, y) => x.id - y.id);
    this.inflight.clear();
    const again = [];
    for (const r of lost) {
      if (r.internal) continue;
      if (r.resendable) again.push(r);
      else r.reject(E.lost());
    }
    this.queue = again.concat(this.queue);
    if (this.everConnected && this.state !== 3 /* Reconnecting */) {
      this.setState(3 /* Reconnecting */, 3 /* LoginInterrupted */);
      for (const roomID of this.rooms.keys()) {
        this.emit("roomStateChanged", { roomID, state: 1 /* Connecting */, event: 1 /* NetworkInterrupted */, extendedData: "" });
      }
    }
    this.scheduleReconnect();
  }
  scheduleReconnect() {
    if (this.reconnectTimer || !this.session) return;
    const d = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.attempt, 10));
    this.attempt++;
    const wait = d / 2 + Math.random() * (d / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, wait);
  }
  tick() {
    const now = Date.now();
    const expired = (r) => r.deadline <= now;
    for (const [id, r] of this.inflight) {
      if (expired(r) && !r.internal) {
        this.inflight.delete(id);
        r.reject(E.timeout());
      }
    }
    if (this.queue.some(expired)) {
      const keep = [];
      for (const r of this.queue) {
        if (expired(r)) r.reject(E.timeout());
        else keep.push(r);
      }
      this.queue = keep;
    }
    if (this.loginWaiters && !this.everConnected && this.session && now - this.loginStartedAt > 3e4) {
      this.failLogin({ code: 6000104 /* NetworkModuleNetworkError */, message: "could not reach the server" }, 2 /* LoginTimeout */);
      return;
    }
    const ws = this.ws;
    if (!ws || !this.loggedIn) return;
    if (this.keepaliveAt && now - this.keepaliveAt > DEAD_AFTER_MS) {
      this.keepaliveAt = 0;
      try {
        ws.close();
      } catch {
      }
      this.ws = null;
      this.onClosed(1006);
      return;
    }
    if (!this.keepaliveAt && now - Math.max(this.lastSent, this.lastReceived) > KEEPALIVE_MS) {
      this.keepaliveAt = now;
      const id = this.nextID++;
      this.inflight.set(id, { id, method: "querySelfUserInfo", params: {}, deadline: now + DEAD_AFTER_MS * 2, resendable: false, internal: true, resolve: () => {
      }, reject: () => {
      } });
      this.sendFrame(ws, { id, method: "querySelfUserInfo", params: {} });
    }
  }
  pump() {
    const ws = this.ws;
    if (!ws || !this.loggedIn) return;
    while (this.queue.length && this.inflight.size < MAX_IN_FLIGHT) {
      const r = this.queue.shift();
      r.id = this.nextID++;
      this.inflight.set(r.id, r);
      try {
        this.sendFrame(ws, { id: r.id, method: r.method, params: r.params });
      } catch {
        return;
      }
    }
  }
  onReply(f) {
    const r = this.inflight.get(f.id);
    if (!r) return;
    this.inflight.delete(f.id);
    if (!f.code) r.resolve(f.data ?? {});
    else r.reject({ code: f.code, message: f.message || `error ${f.code}` });
    this.pump();
  }
  /** Sends a request by ZIM method name with ZIM parameter names; rejects with ZIM's error object. */
  _invoke(method, params, opts = {}) {
    if (this.destroyed) return Promise.reject(E.destroyed());
    if (!this.session) return Promise.reject(E.notLoggedIn());
    const clean = {};
    for (const [k, v] of Object.entries(params)) if (v !== void 0) clean[k] = v;
    const resendable = opts.resendable ?? (method.startsWith("query") && !method.startsWith("queryRoom") || REPEATABLE.has(method));
    const p = new Promise((resolve, reject) => {
      const timeout = num(advanced[ADVANCED_KEYS.requestTimeout], 6e4);
      const r = { id: 0, method, params: clean, resolve, reject, deadline: Date.now() + timeout, resendable, localMessageID: opts.localMessageID };
      if (opts.front) this.queue.unshift(r);
      else this.queue.push(r);
      this.pump();
    });
    if (!ROOM_METHODS.has(method)) return p;
    return p.then((res) => {
      this.trackRooms(method, clean, res);
      return res;
    });
  }
  // ---- pushes ----
  onPush(event, data) {
    switch (event) {
      case "connectionStateChanged":
        if (data.state === 0 /* Disconnected */) {
          const ev = data.event;
          const err = ev === 5 /* TokenExpired */ ? { code: 6000106 /* NetworkModuleTokenExpired */, message: "token expired" } : E.notLoggedIn();
          this.endSession(err, ev, 1e3);
        }
        return;
      case "peerMessageReceived":
      case "groupMessageReceived":
      case "roomMessageReceived":
      case "communityChannelMessageReceived": {
        const fresh = (data.messageList ?? []).filter((m) => this.firstDelivery(m));
        if (!fresh.length) return;
        data = { ...data, messageList: fresh };
        this.emit(event, data);
        if (event !== "communityChannelMessageReceived") {
          const old = event === "peerMessageReceived" ? "receivePeerMessage" : event === "groupMessageReceived" ? "receiveGroupMessage" : "receiveRoomMessage";
          this.emit(old, { messageList: data.messageList, fromConversationID: data.fromConversationID });
        }
        return;
      }
      case "roomStateChanged":
        if (this.reentering.has(data.roomID) && data.state === 1 /* Connecting */) return;
        if (data.state === 0 /* Disconnected */) this.rooms.delete(data.roomID);
        this.emit(event, data);
        return;
      default:
        this.emit(event, data);
    }
  }
  /**
   * Whether a received message is delivered for the first time (and notes it): a live
   * push and the catch-up after a reconnect may both carry it. The sequence numbers of
   * the last SEEN_WINDOW messages of each conversation are kept.
   */
  firstDelivery(m) {
    if (!m?.messageSeq || m.conversationType === 1 /* Room */) return true;
    const k = convKey(m.conversationID, m.conversationType);
    let e = this.lastSeq.get(k);
    if (!e) {
      e = { seq: 0, recent: /* @__PURE__ */ new Set() };
      this.lastSeq.set(k, e);
    }
    const seq = m.messageSeq;
    if (e.recent.has(seq) || e.seq > SEEN_WINDOW && seq <= e.seq - SEEN_WINDOW) return false;
    e.recent.add(seq);
    if (seq > e.seq) e.seq = seq;
    if (e.recent.size > SEEN_WINDOW + SEEN_WINDOW / 4) {
      for (const x of e.recent) if (x <= e.seq - SEEN_WINDOW) e.recent.delete(x);
    }
    return true;
  }
  /**
   * After a reconnect: what arrived while the connection was down is delivered as ZIM
   * delivers offline messages, as message-received events (for the conversations this
   * instance has seen messages of), then the conversation list and total unread count
   * are reported again.
   */
  async catchUp() {
    const events = {
      [0 /* Peer */]: "peerMessageReceived",
      [2 /* Group */]: "groupMessageReceived",
      [3 /* CommunityChannel */]: "communityChannelMessageReceived"
    };
    const from0 = new Map([...this.lastSeq].map(([k, v]) => [k, v.seq]));
    try {
      const list = await this._invoke("queryConversationList", { config: { count: 100 } });
      const changed = [];
      for (const c of list?.conversationList ?? []) {
        const type = c.type ?? c.conversationType;
        const seen = from0.get(convKey(c.conversationID, type));
        const last = c.lastMessage?.messageSeq ?? 0;
        if (seen === void 0 || last <= seen) continue;
        changed.push({ event: 1, conversation: c });
        let from = seen;
        for (let pages = 0; pages < 10 && from < last; pages++) {
          const h = await this._invoke("queryHistoryMessage", {
            conversationID: c.conversationID,
            conversationType: type,
            config: { count: 100, reverse: true, nextMessage: { messageSeq: from } }
          });
          const all = h?.messageList ?? [];
          if (!all.length) break;
          const missed = all.filter((m) => m.messageSeq > from && m.direction === 1);
          from = Math.max(from, ...all.map((m) => m.messageSeq));
          if (missed.length && events[type]) {
            this.onPush(events[type], { messageList: missed, fromConversationID: c.conversationID, info: {} });
          }
        }
      }
      if (changed.length) this.emit("conversationChanged", { infoList: changed });
      const t = await this._invoke("queryConversationTotalUnreadMessageCount", { config: {} });
      if (t && typeof t.totalUnreadMessageCount === "number") this.emit("conversationTotalUnreadMessageCountUpdated", t);
    } catch (e) {
      if (isError(e)) this.emit("error", e);
    }
  }
  // ---- messages ----
  newLocalMessageID() {
    return `${this.lidPrefix}${++this.lidSeq}`;
  }
  sendMessage(message, toConversationID, conversationType, config, notification) {
    return this.send("sendMessage", message, { toConversationID, conversationType, config }, toConversationID, conversationType, notification);
  }
  replyMessage(message, toOriginalMessage, config, notification) {
    if (!toOriginalMessage || typeof toOriginalMessage !== "object") return Promise.reject(E.params("toOriginalMessage"));
    return this.send("replyMessage", message, { toOriginalMessage, config }, toOriginalMessage.conversationID, toOriginalMessage.conversationType, notification);
  }
  /** Deprecated ZIM form: sendMessage to a user. */
  sendPeerMessage(message, toUserID, config) {
    return this.sendMessage(message, toUserID, 0 /* Peer */, config);
  }
  /** Deprecated ZIM form: sendMessage to a group. */
  sendGroupMessage(message, toGroupID, config) {
    return this.sendMessage(message, toGroupID, 2 /* Group */, config);
  }
  /** Deprecated ZIM form: sendMessage to a room. */
  sendRoomMessage(message, toRoomID, config) {
    return this.sendMessage(message, toRoomID, 1 /* Room */, config);
  }
  /** Deprecated ZIM form for media messages: sendMessage (which uploads a local file first). */
  sendMediaMessage(message, toConversationID, conversationType, config, notification) {
    return this.sendMessage(message, toConversationID, conversationType, config, notification);
  }
  /**
   * Uploads a media message's local file (a File or Blob in `fileLocalPath`, and a
   * video's `videoFirstFrameLocalPath`) to the server's upload endpoint
   * (POST /media/upload, docs/PROTOCOL.md "Media"), keyed by the localMessageID so that
   * a retry gets the same file, and fills the message's fileUID and URLs.
   */
  async uploadMedia(m, notification) {
    const put = async (file2, type, key, name2) => {
      const s = this.session;
      if (!s) throw E.notLoggedIn();
      const q = new URLSearchParams({ userID: s.userID, type: String(type), fileName: name2, uploadKey: key });
      let res;
      try {
        res = await fetch(`${httpBase()}/media/upload?${q}`, { method: "POST", headers: s.token ? { Authorization: `Bearer ${s.token}` } : {}, body: file2 });
      } catch {
        throw { code: 6000104 /* NetworkModuleNetworkError */, message: "the upload could not reach the server" };
      }
      let body = {};
      try {
        body = await res.json();
      } catch {
      }
      if (!res.ok) throw { code: typeof body.code === "number" ? body.code : 6000212 /* MessageModuleFileServerError */, message: body.message || `upload failed (HTTP ${res.status})` };
      return body;
    };
    const file = m.fileLocalPath;
    if (typeof Blob === "undefined" || !(file instanceof Blob)) throw E.params("fileLocalPath (a File or Blob)");
    const name = m.fileName || file.name || "file";
    const total = file.size;
    notification?.onMediaUploadingProgress?.(m, 0, total);
    if (m.type === 14 /* Video */ && m.videoFirstFrameLocalPath instanceof Blob) {
      const ff = await put(m.videoFirstFrameLocalPath, 11 /* Image */, `${m.localMessageID}-ff`, "first-frame");
      m.videoFirstFrameDownloadUrl = ff.fileDownloadUrl;
    }
    const up = await put(file, m.type, m.localMessageID, name);
    for (const k of [
      "fileUID",
      "fileName",
      "fileSize",
      "fileDownloadUrl",
      "originalImageWidth",
      "originalImageHeight",
      "largeImageDownloadUrl",
      "largeImageWidth",
      "largeImageHeight",
      "thumbnailDownloadUrl",
      "thumbnailWidth",
      "thumbnailHeight"
    ]) {
      if (up[k] !== void 0) m[k] = up[k];
    }
    notification?.onMediaUploadingProgress?.(m, total, total);
  }
  send(method, message, rest, convID, convType, notification) {
    if (!message || typeof message !== "object") return Promise.reject(E.params("message"));
    if (typeof convID !== "string" || !convID) return Promise.reject(E.params("toConversationID"));
    const m = message;
    if (!m.localMessageID) m.localMessageID = this.newLocalMessageID();
    const media = MEDIA_TYPES.has(m.type) && m.fileLocalPath !== void 0 && !m.fileUID;
    const wireOf = () => {
      const wire2 = {};
      for (const [k, v] of Object.entries(m)) if (!SDK_MESSAGE_FIELDS.has(k) && typeof v !== "function" && !(typeof Blob !== "undefined" && v instanceof Blob)) wire2[k] = v;
      return wire2;
    };
    const wire = media ? {} : wireOf();
    m.sentStatus = 0 /* Sending */;
    m.direction = 0;
    m.conversationID = convID;
    m.conversationType = convType;
    if (this.session) m.senderUserID = this.session.userID;
    if (!m.timestamp) m.timestamp = Date.now();
    try {
      notification?.onMessageAttached?.(m);
    } catch (e) {
      console.error("parley: onMessageAttached threw", e);
    }
    this.emit("messageSentStatusChanged", { infos: [{ status: 0 /* Sending */, message: m, reason: "" }] });
    const resendable = convType !== 1 /* Room */ && m.type !== 2 /* Command */ && m.type !== 20 /* Barrage */;
    const sent = media ? this.uploadMedia(m, notification).then(() => this._invoke(method, { message: wireOf(), ...rest }, { resendable, localMessageID: m.localMessageID })) : this._invoke(method, { message: wire, ...rest }, { resendable, localMessageID: m.localMessageID });
    return sent.then(
      (res) => {
        Object.assign(m, res?.message ?? {});
        m.sentStatus = 1 /* Success */;
        this.emit("messageSentStatusChanged", { infos: [{ status: 1 /* Success */, message: m, reason: "" }] });
        return { message: m };
      },
      (e) => {
        m.sentStatus = 2 /* Failed */;
        this.emit("messageSentStatusChanged", { infos: [{ status: 2 /* Failed */, message: m, reason: e.message }] });
        throw e;
      }
    );
  }
  /** Cancels a message still waiting to be sent (queued while reconnecting or behind the window). */
  cancelSendingMessage(message, _config) {
    const lid = message?.localMessageID;
    const i = this.queue.findIndex((r2) => r2.localMessageID && r2.localMessageID === lid);
    if (!lid || i < 0) return Promise.reject(E.notCancellable());
    const [r] = this.queue.splice(i, 1);
    r.reject(E.cancelled());
    return Promise.resolve();
  }
  /** Sets the message's local extended data on the object (the SDK keeps no local database). */
  updateMessageLocalExtendedData(localExtendedData, message) {
    if (!message || typeof message !== "object") return Promise.reject(E.params("message"));
    message.localExtendedData = localExtendedData;
    return Promise.resolve({ message });
  }
  async queryGroupList(count, config) {
    if (count !== void 0) return this._invoke("queryGroupList", { count, config });
    const groupList = [];
    let nextFlag = 0;
    for (let i = 0; i < 1e3; i++) {
      const r = await this._invoke("queryGroupList", { count: 100, config: { nextFlag } });
      groupList.push(...r?.groupList ?? []);
      nextFlag = r?.nextFlag ?? 0;
      if (!nextFlag) break;
    }
    return { groupList, nextFlag: 0 };
  }
  /** ZIM's return type is void: failures are reported through the `error` event. */
  beginRoomAttributesBatchOperation(roomID, config) {
    this._invoke("beginRoomAttributesBatchOperation", { roomID, config }, { resendable: false }).catch((e) => {
      if (isError(e)) this.emit("error", e);
    });
  }
  insertMessageToLocalDB(_message, _conversationID, _conversationType, _senderUserID) {
    return Promise.reject(E.unsupported("insertMessageToLocalDB (no local database)"));
  }
  searchLocalConversations(_config) {
    return Promise.reject(E.unsupported("searchLocalConversations (no local database)"));
  }
  searchLocalMessages(_conversationID, _conversationType, _config) {
    return Promise.reject(E.unsupported("searchLocalMessages (no local database)"));
  }
  searchGlobalLocalMessages(_config) {
    return Promise.reject(E.unsupported("searchGlobalLocalMessages (no local database)"));
  }
  searchLocalGroups(_config) {
    return Promise.reject(E.unsupported("searchLocalGroups (no local database)"));
  }
  searchLocalGroupMembers(_groupID, _config) {
    return Promise.reject(E.unsupported("searchLocalGroupMembers (no local database)"));
  }
  searchLocalFriends(_config) {
    return Promise.reject(E.unsupported("searchLocalFriends (no local database)"));
  }
};

// src/index.ts
var index_default = ZIM;
export {
  ADVANCED_KEYS,
  FORWARDED_PARAMS,
  VERSION,
  ZIM,
  ZIMBlacklistChangeAction,
  ZIMCXHandleType,
  ZIMCallInvitationMode,
  ZIMCallState,
  ZIMCallUserState,
  ZIMConnectionEvent,
  ZIMConnectionState,
  ZIMConversationEvent,
  ZIMConversationNotificationStatus,
  ZIMConversationPinnedFilter,
  ZIMConversationSearchMode,
  ZIMConversationSyncState,
  ZIMConversationType,
  ZIMErrorCode,
  ZIMForwardedAPI,
  ZIMFriendApplicationListChangeAction,
  ZIMFriendApplicationState,
  ZIMFriendApplicationType,
  ZIMFriendDeleteType,
  ZIMFriendListChangeAction,
  ZIMFriendRelationCheckType,
  ZIMGeofencingType,
  ZIMGroupApplicationListChangeAction,
  ZIMGroupApplicationState,
  ZIMGroupApplicationType,
  ZIMGroupAttributesUpdateAction,
  ZIMGroupBeInviteMode,
  ZIMGroupEnterType,
  ZIMGroupEvent,
  ZIMGroupInviteMode,
  ZIMGroupJoinMode,
  ZIMGroupMemberEvent,
  ZIMGroupMemberState,
  ZIMGroupMessageNotificationStatus,
  ZIMGroupMuteMode,
  ZIMGroupState,
  ZIMMediaFileType,
  ZIMMessageDeleteType,
  ZIMMessageDirection,
  ZIMMessageMentionedType,
  ZIMMessageOrder,
  ZIMMessagePinStatus,
  ZIMMessagePriority,
  ZIMMessageQueryMode,
  ZIMMessageReactionUserChangeAction,
  ZIMMessageReceiptStatus,
  ZIMMessageRepliedInfoState,
  ZIMMessageRevokeStatus,
  ZIMMessageSentStatus,
  ZIMMessageType,
  ZIMPlatformType,
  ZIMRevokeType,
  ZIMRoomAttributesUpdateAction,
  ZIMRoomEvent,
  ZIMRoomMemberAttributesUpdateAction,
  ZIMRoomState,
  ZIMTipsMessageChangeInfoType,
  ZIMTipsMessageEvent,
  ZIMUserOnlineStatus,
  ZIMUserRelationType,
  ZIM_EVENTS,
  index_default as default
};
