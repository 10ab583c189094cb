package actors

import (
	"fmt"
	"strings"
	"time"
)

// Limits are the ZIM limits parley enforces, each with ZIM's number as default.
type Limits struct {
	TextMessageBytes    int // text/custom/barrage content; ZIM default 2 KB, at most 32 KB
	CommandMessageBytes int // command payload; 5 KB
	MessageExtendedData int // message extendedData; 1 KB
	UserNameBytes       int // 256
	UserAvatarURLBytes  int // 500
	UserExtendedData    int // user extendedData; 4 KB (not published by ZIM)
	QueryUsersMax       int // queryUsersInfo IDs per call; 10
	PageMax             int // history / conversation page size; 100
	UserIDBytes         int // 32
	DraftBytes          int // conversation draft; 1 KB (not published by ZIM)

	// Groups.
	GroupMembersMax           int           // members per group; 2000 (ZIM's default plan: 500)
	GroupUsersPerCall         int           // userIDs per createGroup/inviteUsersIntoGroup/kickGroupMembers; 100
	GroupInviteApplicationMax int           // userIDs per sendGroupInviteApplications; 20
	GroupMuteMembersMax       int           // userIDs per muteGroupMembers; 20 (ZIM server API)
	GroupMuteRolesMax         int           // roles per muteGroup; 20 (ZIM server API)
	GroupIDBytes              int           // 32
	GroupNameBytes            int           // 100
	GroupNoticeBytes          int           // 300
	GroupAvatarURLBytes       int           // 500
	GroupAliasBytes           int           // 256
	GroupNicknameChars        int           // member nickname; 100 characters
	GroupAttributesMax        int           // attributes per group; 10 (not published by ZIM)
	GroupAttributeKeyBytes    int           // 16 (not published by ZIM)
	GroupAttributeValueBytes  int           // 1 KB (not published by ZIM)
	GroupAttributesTotalBytes int           // keys + values of a group; 5 KB (not published by ZIM)
	GroupWordingBytes         int           // application wording; 300 (not published by ZIM)
	GroupApplicationTTL       time.Duration // a waiting application expires; 7 days (not published by ZIM)
	// GroupDefaultJoinMode is the join mode of a group whose createGroup sent no config:
	// GroupJoinAny 0 (ZIM's default: anyone who knows the ID joins), GroupJoinAuth 1 or
	// GroupJoinForbid 2. A config sent with createGroup always carries its own joinMode
	// (see groupActor.create).
	GroupDefaultJoinMode int32

	// Friends and blacklist (actors/friends.go).
	Friends FriendLimits
	// CallOfflineGrace: a user in a call (accepted) whose last device went away becomes
	// offline (ZIMCallUserState 4) when none came back within it; 30 s (not published by ZIM).
	CallOfflineGrace time.Duration

	Room RoomLimits // rooms (room_config.go)

	Community CommunityLimits // communities and channels (community_config.go)

	Presence      PresenceLimits     // user status subscriptions (presence.go)
	Conversations ConversationLimits // pinning and marks (conversation_ops.go)
}

// DefaultLimits returns ZIM's defaults.
func DefaultLimits() Limits {
	return Limits{
		TextMessageBytes:    2048,
		CommandMessageBytes: 5120,
		MessageExtendedData: 1024,
		UserNameBytes:       256,
		UserAvatarURLBytes:  500,
		UserExtendedData:    4096,
		QueryUsersMax:       10,
		PageMax:             100,
		UserIDBytes:         32,
		DraftBytes:          1024,

		GroupMembersMax:           2000,
		GroupUsersPerCall:         100,
		GroupInviteApplicationMax: 20,
		GroupMuteMembersMax:       20,
		GroupMuteRolesMax:         20,
		GroupIDBytes:              32,
		GroupNameBytes:            100,
		GroupNoticeBytes:          300,
		GroupAvatarURLBytes:       500,
		GroupAliasBytes:           256,
		GroupNicknameChars:        100,
		GroupAttributesMax:        10,
		GroupAttributeKeyBytes:    16,
		GroupAttributeValueBytes:  1024,
		GroupAttributesTotalBytes: 5120,
		GroupWordingBytes:         300,
		GroupApplicationTTL:       7 * 24 * time.Hour,
		CallOfflineGrace:          30 * time.Second,

		Room: defaultRoomLimits(),

		Community: defaultCommunityLimits(),

		Friends:       defaultFriendLimits(),
		Presence:      defaultPresenceLimits(),
		Conversations: defaultConversationLimits(),
	}
}

func (l *Limits) validate() error {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.TextMessageBytes, d.TextMessageBytes)
	fill(&l.CommandMessageBytes, d.CommandMessageBytes)
	fill(&l.MessageExtendedData, d.MessageExtendedData)
	fill(&l.UserNameBytes, d.UserNameBytes)
	fill(&l.UserAvatarURLBytes, d.UserAvatarURLBytes)
	fill(&l.UserExtendedData, d.UserExtendedData)
	fill(&l.QueryUsersMax, d.QueryUsersMax)
	fill(&l.PageMax, d.PageMax)
	fill(&l.UserIDBytes, d.UserIDBytes)
	fill(&l.DraftBytes, d.DraftBytes)
	fill(&l.GroupMembersMax, d.GroupMembersMax)
	fill(&l.GroupUsersPerCall, d.GroupUsersPerCall)
	fill(&l.GroupInviteApplicationMax, d.GroupInviteApplicationMax)
	fill(&l.GroupMuteMembersMax, d.GroupMuteMembersMax)
	fill(&l.GroupMuteRolesMax, d.GroupMuteRolesMax)
	fill(&l.GroupIDBytes, d.GroupIDBytes)
	fill(&l.GroupNameBytes, d.GroupNameBytes)
	fill(&l.GroupNoticeBytes, d.GroupNoticeBytes)
	fill(&l.GroupAvatarURLBytes, d.GroupAvatarURLBytes)
	fill(&l.GroupAliasBytes, d.GroupAliasBytes)
	fill(&l.GroupNicknameChars, d.GroupNicknameChars)
	fill(&l.GroupAttributesMax, d.GroupAttributesMax)
	fill(&l.GroupAttributeKeyBytes, d.GroupAttributeKeyBytes)
	fill(&l.GroupAttributeValueBytes, d.GroupAttributeValueBytes)
	fill(&l.GroupAttributesTotalBytes, d.GroupAttributesTotalBytes)
	fill(&l.GroupWordingBytes, d.GroupWordingBytes)
	if l.CallOfflineGrace <= 0 {
		l.CallOfflineGrace = d.CallOfflineGrace
	}
	if l.GroupApplicationTTL <= 0 {
		l.GroupApplicationTTL = d.GroupApplicationTTL
	}
	if !validMode(l.GroupDefaultJoinMode, GroupJoinForbid) {
		return fmt.Errorf("actors: GroupDefaultJoinMode %d is not a join mode (any 0, auth 1, forbid 2)", l.GroupDefaultJoinMode)
	}
	if err := l.Room.validate(); err != nil {
		return err
	}
	l.Community.validate()
	l.Friends.validate()
	l.Presence.validate()
	l.Conversations.validate()
	if l.TextMessageBytes > 32*1024 {
		return fmt.Errorf("actors: TextMessageBytes %d above ZIM's maximum of 32 KB", l.TextMessageBytes)
	}
	return nil
}

// ParseGroupJoinMode reads a join mode by name (any, auth, forbid) or number (0, 1, 2).
func ParseGroupJoinMode(s string) (int32, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "any", "0":
		return GroupJoinAny, nil
	case "auth", "1":
		return GroupJoinAuth, nil
	case "forbid", "2":
		return GroupJoinForbid, nil
	}
	return 0, fmt.Errorf("group join mode %q: want any, auth or forbid", s)
}
