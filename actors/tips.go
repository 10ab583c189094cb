package actors

import (
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Tips messages (type 32): the notices a group writes into its own history when its
// members or profile change, as ZIM's server does (ZIMTipsMessage: event, operatedUser,
// targetUserList, changeInfo). They are stored, pushed (groupMessageReceived) and read
// like any message, may be the conversation's last message, and never count as unread
// (keyUncounted): nobody wrote them. Their senderUserID is empty (the server's): as the
// operator's own message a tip would move the operator's read position past what it
// has not read; operatedUser says who acted.

// ZIMTipsMessageEvent. The group ones 1-6 have the numbers of ZIMGroupEvent.
const (
	TipsGroupCreated          = 1
	TipsGroupDismissed        = 2
	TipsGroupJoined           = 3
	TipsGroupInvited          = 4
	TipsGroupLeft             = 5
	TipsGroupKickedOut        = 6
	TipsGroupInfoChanged      = 7
	TipsGroupMemberInfoChange = 8
	TipsGroupMessagePinned    = 9
)

// ZIMTipsMessageChangeInfoType.
const (
	TipsChangeGroupNotice      = 2
	TipsChangeGroupName        = 3
	TipsChangeGroupAvatarUrl   = 4
	TipsChangeGroupMute        = 5
	TipsChangeOwnerTransferred = 10
	TipsChangeMemberRole       = 11
	TipsChangeMemberMute       = 12
	TipsChangeMessagePin       = 21
)

// groupDataFlag bits of a group info tip (parley's: ZIM declares the field, not its
// values): name 1, notice 2, avatar 4.
const (
	tipsFlagName   = 1
	tipsFlagNotice = 2
	tipsFlagAvatar = 4
)

// tipUser is a user as tips carry it (ZIMUserInfo).
func tipUser(p *profileCache, id string) *messages.UserInfo {
	u := p.profileOrBlank(id)
	return &messages.UserInfo{UserID: id, UserName: u.UserName, UserAvatarUrl: u.UserAvatarUrl, UserExtendedData: u.ExtendedData}
}

// tip stores a tips message in the group's history and delivers it to every online
// device (the operator's calling one included). The change
// it notes is stored already: a tip that fails to store is logged, not reported to the
// caller, whose change stands.
func (a *groupActor) tip(g *grain, event int32, operator string, targets []string, change *messages.TipsMessageChangeInfo) {
	if !g.rt.Limits().Message.Tips || !a.exists() {
		return // off, or dissolved: nobody reads the history on
	}
	ctx, cancel := g.CallCtx()
	prof := newProfiles(ctx, g)
	m := &messages.Message{
		Type: MsgTips, MessageID: strconv.FormatUint(g.rt.NewMessageID(), 10),
		ConversationID: a.id, ConversationType: ConvGroup, SentStatus: 1, Timestamp: g.rt.now().UnixMilli(),
		IsServerMessage: true, Event: proto.Int32(event), OperatedUser: tipUser(prof, operator), ChangeInfo: change,
	}
	for _, t := range targets {
		m.TargetUserList = append(m.TargetUserList, tipUser(prof, t))
	}
	cancel()
	a.storedChat.appendTip(g, m)
}

// appendTip stores a tips message (not counted as unread) and delivers it.
func (s *storedChat) appendTip(g *grain, m *messages.Message) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	l := s.log
	stored, _, err := l.append(ctx, m, func(b *persistence.Batch, first, last int64) {
		s.logExtra(b, first, last)
		b.Put(keyUncounted(l.ctype, l.conv, first), nil)
	})
	if err != nil {
		g.Log().Error("store tips message", "conversation", s.conv, "event", m.GetEvent(), "err", err)
		return
	}
	// The online members' user actors learn that it does not count before the flush
	// tells them the conversation's new last message.
	s.richRevised(g, nil, []int64{stored.MessageSeq})
	s.stored(g, queuedSend{call: &messages.Call{}}, stored)
}

// Community tips, written into the community's GENERAL channel (ZIMTipsMessageEvent).
const (
	TipsCommunityCreated        = 101
	TipsCommunityJoined         = 103
	TipsCommunityInvited        = 104
	TipsCommunityChannelCreated = 151
)

// tipGeneral asks the community's GENERAL channel to note event.
func (a *communityActor) tipGeneral(g *grain, event int32, operator string, targets []string) {
	if !g.rt.Limits().Message.Tips {
		return
	}
	for id, ch := range a.channels {
		if ch.ChannelType == ChannelGeneral && !ch.Dismissed {
			g.rt.Send(KindChannel, ChannelConversationID(a.id, id), &messages.ChannelTip{Event: event, OperatorUserID: operator, TargetUserIDs: targets})
			return
		}
	}
}

// channelTip writes the tips message a community asked for.
func (a *channelActor) channelTip(g *grain, t *messages.ChannelTip) {
	if !a.live() {
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	m := &messages.Message{
		Type: MsgTips, MessageID: strconv.FormatUint(g.rt.NewMessageID(), 10),
		ConversationID: g.ID(), ConversationType: ConvChannel, SentStatus: 1, Timestamp: g.rt.now().UnixMilli(),
		IsServerMessage: true, Event: proto.Int32(t.Event), OperatedUser: tipUser(prof, t.OperatorUserID),
	}
	for _, u := range t.TargetUserIDs {
		m.TargetUserList = append(m.TargetUserList, tipUser(prof, u))
	}
	a.appendTip(g, m)
}

// tipMembers notes members' role, mute or ownership changes.
func (a *groupActor) tipMembers(g *grain, operator string, changeType int32, changed []*messages.GroupMemberRecord) {
	if len(changed) == 0 {
		return
	}
	ids := make([]string, len(changed))
	for i, m := range changed {
		ids[i] = m.UserID
	}
	ci := &messages.TipsMessageChangeInfo{Type: changeType, MemberRole: changed[0].Role, MuteExpiredTime: changed[0].MuteExpiredTime}
	if changeType == TipsChangeOwnerTransferred {
		ctx, cancel := g.CallCtx()
		s := a.simple(newProfiles(ctx, g), changed[0].UserID)
		cancel()
		ci.GroupNewOwner = &messages.TipsGroupMemberSimpleInfo{UserID: s.UserID, UserName: s.UserName, UserAvatarUrl: s.UserAvatarUrl,
			UserExtendedData: s.UserExtendedData, MemberNickname: s.MemberNickname, MemberRole: s.MemberRole}
		ids = ids[:1]
	}
	a.tip(g, TipsGroupMemberInfoChange, operator, ids, ci)
}

// tipInfo notes a change of the group's name, notice, avatar or mute.
func (a *groupActor) tipInfo(g *grain, operator string, changeType int32) {
	r := a.rec
	ci := &messages.TipsMessageChangeInfo{Type: changeType}
	switch changeType {
	case TipsChangeGroupName:
		ci.GroupDataFlag, ci.GroupName = tipsFlagName, r.GroupName
	case TipsChangeGroupNotice:
		ci.GroupDataFlag, ci.GroupNotice = tipsFlagNotice, r.GroupNotice
	case TipsChangeGroupAvatarUrl:
		ci.GroupDataFlag, ci.GroupAvatarUrl = tipsFlagAvatar, r.GroupAvatarUrl
	case TipsChangeGroupMute:
		if v := muteView(r.Mute, g.rt.now()); v != nil {
			ci.GroupMutedInfo = &messages.TipsGroupMuteInfo{Mode: v.Mode, ExpiredTime: v.ExpiredTime, Roles: v.Roles}
		}
	}
	a.tip(g, TipsGroupInfoChanged, operator, nil, ci)
}

// pinTip notes a message pinned or unpinned in a group (richHost's optional pinTipper).
func (a *groupActor) pinTip(g *grain, operator string, pinned bool) {
	a.tip(g, TipsGroupMessagePinned, operator, nil, &messages.TipsMessageChangeInfo{Type: TipsChangeMessagePin, IsPinned: pinned})
}

// pinTipper is a host that notes pins in its history (groups).
type pinTipper interface {
	pinTip(g *grain, operator string, pinned bool)
}
