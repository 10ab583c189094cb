package actors

import "github.com/parley-chat/parley/actors/runtime"

// CodeError is a refusal with a ZIM error code and a fixed, readable message (the
// runtime's type). It is the only error text that ever reaches a client.
type CodeError = runtime.CodeError

func codeErr(code int32, msg string) *CodeError { return &CodeError{Code: code, Message: msg} }

// ZIM error codes (ZIMErrorCode in zego-zim-web) used by the actors.
var (
	ErrInternal        = runtime.ErrInternal
	ErrStorage         = runtime.ErrStorage
	ErrParamInvalid    = codeErr(6000001, "invalid parameter")
	ErrUnsupported     = codeErr(6000013, "unsupported request")
	ErrUserNotExist    = codeErr(6000011, "user does not exist")
	ErrUserQueryLimit  = codeErr(6000012, "too many users queried at once")
	ErrServerRate      = codeErr(6000005, "server frequency limit reached")
	ErrRequestTimeout  = runtime.ErrTimeout
	ErrMemberLost      = runtime.ErrMemberLost
	ErrNotLoggedIn     = codeErr(6000121, "not logged in")
	ErrLoginSuperseded = codeErr(6000101, "login failed: a newer login of this user on this platform replaced it")
	ErrUserIDInvalid   = codeErr(6000124, "invalid user ID")
	ErrMessageCommon   = codeErr(6000201, "message error")
	ErrMessageTooLong  = codeErr(6000203, "message content exceeds the size limit")
	// A missing (0) or unknown message type: ZIM has no code for it, so a bad parameter
	// (CommonModuleParamsInvalid); a ZIM type the conversation does not take (an image,
	// a barrage outside rooms): CommonModuleUnsupportedRequest.
	ErrMessageTypeInvalid     = codeErr(6000001, "invalid message type")
	ErrMessageTypeUnsupported = codeErr(6000013, "message type not supported in this conversation")
	ErrTargetNotExist         = codeErr(6000204, "target does not exist")
	ErrConvNotExist           = codeErr(6000603, "conversation does not exist")
	ErrSenderMuted            = codeErr(6000231, "sender is muted")
	ErrSenderBlacklisted      = codeErr(6000284, "sender is in the receiver's blacklist")

	// Receipts and reactions (issue 13 part B).
	ErrMessageNotExist     = codeErr(6000201, "the message does not exist")
	ErrReceiptRead         = codeErr(6000277, "none of the messages has a receipt this user can set read")
	ErrReceiptLimit        = codeErr(6000282, "too many messages at once to set their receipts read")
	ErrReceiptNone         = codeErr(6000201, "the message has no receipt")
	ErrReceiptsUnsupported = codeErr(6000013, "receipts are not supported in this conversation type")
	ErrReactionExists      = codeErr(6000280, "the user already reacted with this reaction type")
	ErrReactionTypes       = codeErr(6000201, "the message has reached its limit of reaction types")
	ErrReactionNotMine     = codeErr(6000201, "the user has no reaction of this type on the message")

	// Groups (and other member-holding kinds that use ZIM's group codes).
	ErrGroupApplication      = codeErr(6000501, "no pending group application")
	ErrNotGroupMember        = codeErr(6000521, "the user is not in the group")
	ErrAlreadyGroupMember    = codeErr(6000522, "the user is already in the group")
	ErrGroupNotExist         = codeErr(6000523, "the group does not exist")
	ErrGroupExists           = codeErr(6000524, "the group already exists")
	ErrGroupFull             = codeErr(6000525, "the group has reached its member limit")
	ErrGroupAttrNotExist     = codeErr(6000526, "the group attribute does not exist")
	ErrGroupDismissedID      = codeErr(6000527, "the group ID belongs to a dismissed group")
	ErrGroupAttrCount        = codeErr(6000531, "too many group attributes")
	ErrGroupAttrKey          = codeErr(6000532, "group attribute key too long")
	ErrGroupAttrValue        = codeErr(6000533, "group attribute value too long")
	ErrGroupAttrTotal        = codeErr(6000534, "group attributes too long in total")
	ErrGroupNoPermission     = codeErr(6000541, "no permission for this group operation")
	ErrGroupJoinForbidden    = codeErr(6000542, "the group does not accept new members")
	ErrGroupJoinNeedsApply   = codeErr(6000543, "joining this group needs an approved application")
	ErrGroupInviteNeedsApply = codeErr(6000544, "inviting to this group needs the invitee's approval")

	// Rooms.
	ErrRoomAlreadyIn       = codeErr(6000320, "the user is already in the room")
	ErrRoomNotIn           = codeErr(6000321, "the user is not in the room")
	ErrRoomNotExist        = codeErr(6000322, "the room does not exist")
	ErrRoomExists          = codeErr(6000323, "the room already exists")
	ErrRoomJoinedLimit     = codeErr(6000325, "the number of joined rooms has reached the limit")
	ErrRoomAttrNoBatch     = codeErr(6000330, "no room attribute batch operation is in progress")
	ErrRoomAttrFailed      = codeErr(6000331, "the room attribute operation failed for every key")
	ErrRoomAttrCount       = codeErr(6000334, "too many room attributes")
	ErrRoomAttrKey         = codeErr(6000335, "room attribute key too long")
	ErrRoomAttrValue       = codeErr(6000336, "room attribute value too long")
	ErrRoomAttrTotal       = codeErr(6000337, "room attributes too long in total")
	ErrRoomMemberAttrTotal = codeErr(6000351, "room member attributes too long in total")
	ErrRoomMemberAttrKey   = codeErr(6000352, "room member attribute key too long")
	ErrRoomMemberAttrValue = codeErr(6000353, "room member attribute value too long")
	ErrRoomMemberAttrCount = codeErr(6000357, "too many room member attributes")

	// Communities. 6001003/4/5/7/8 are the seed's; the others are parley's choice in
	// ZIM's community range (docs/PROTOCOL.md).
	ErrCommunityUserLimit     = codeErr(6001001, "the user has joined the maximum number of communities")
	ErrCommunityFull          = codeErr(6001002, "the community has reached its member limit")
	ErrCommunityExists        = codeErr(6001003, "the community already exists")
	ErrCommunityNotExist      = codeErr(6001004, "the community does not exist")
	ErrNotCommunityMember     = codeErr(6001005, "the user is not in the community")
	ErrCommunityChannelLimit  = codeErr(6001006, "the community has reached its channel limit")
	ErrCommunityNoPermission  = codeErr(6001007, "no permission for this community operation")
	ErrCommunityAttrCount     = codeErr(6001008, "too many community attributes")
	ErrChannelNotExist        = codeErr(6001009, "the channel does not exist")
	ErrChannelExists          = codeErr(6001010, "the channel already exists")
	ErrNotChannelMember       = codeErr(6001011, "the user is not in the channel")
	ErrAlreadyCommunityMember = codeErr(6001012, "the user is already a member")
)

// Reply maps any error to the (code, message) pair sent to a client. Unknown errors
// become "internal server error": internal error text never leaves the server.
func Reply(err error) (int32, string) { return runtime.Reply(err) }
