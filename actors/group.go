package actors

import (
	"context"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// KindGroup is the group actor kind; its identity is the group ID.
const KindGroup = "group"

// ZIM group enums.
const (
	GroupStateQuit  = 0 // ZIMGroupState / ZIMGroupMemberState
	GroupStateEnter = 1

	GroupEventCreated   = 1 // ZIMGroupEvent
	GroupEventDismissed = 2
	GroupEventJoined    = 3
	GroupEventInvited   = 4
	GroupEventLeft      = 5
	GroupEventKickedOut = 6

	GroupMemberEventJoined    = 1 // ZIMGroupMemberEvent
	GroupMemberEventLeft      = 2
	GroupMemberEventKickedOut = 4
	GroupMemberEventInvited   = 5

	GroupEnterCreated     = 1 // ZIMGroupEnterType
	GroupEnterJoinApply   = 2
	GroupEnterJoined      = 3
	GroupEnterInvited     = 4
	GroupEnterInviteApply = 5

	GroupJoinAny    = 0 // ZIMGroupJoinMode
	GroupJoinAuth   = 1
	GroupJoinForbid = 2

	GroupInviteAny   = 0 // ZIMGroupInviteMode
	GroupInviteAdmin = 1

	GroupBeInviteNone = 0 // ZIMGroupBeInviteMode
	GroupBeInviteAuth = 1

	GroupAppJoin     = 1 // ZIMGroupApplicationType
	GroupAppInvite   = 2
	GroupAppBeInvite = 3

	GroupAppWaiting  = 1 // ZIMGroupApplicationState
	GroupAppAccepted = 2
	GroupAppRejected = 3
	GroupAppExpired  = 4
)

// groupActor owns one group: its record (profile, settings, whole-group mute,
// attributes), its members and their roles, the online connections of its members, and
// the group's message log. Every accepted change is written (one batch) before the
// reply; a message costs one write whatever the group's size.
type groupActor struct {
	id         string
	rec        *messages.GroupRecord // nil: the group was never created
	members    *roster
	storedChat // log, online members, pushes and flushes (chat.go)

	// New members whose connections the group does not know yet, with the first seq they
	// may see: what is sent before their user actor reports them is pushed on the report.
	awaiting map[string]int64

	rich groupRich // receipts and reactions (receipts_owners.go)

	notices *memberNotices // groupMemberStateChanged, coalesced (member_notices.go)
}

// groupMethods are the client methods a group serves; each group_*.go file registers
// its own.
var groupMethods = newMethods(groupMembersMethods, groupProfileMethods, groupApplyMethods, groupMuteMethods, groupChatMethods, groupReceiptMethods, groupReactionMethods)

func (a *groupActor) activate(g *grain) error {
	a.id = g.ID()
	a.members = newRoster(groupRoster)
	a.storedChat.init(ConvGroup, a.id, messages.EventGroupMessageReceived, &messages.GroupFlush{})
	a.awaiting = map[string]int64{}
	a.notices = newMemberNotices(messages.EventGroupMemberStateChanged.With(&messages.GroupMemberStateChangedEvent{}), 4, nil)
	a.notices.attach(g, a.online)
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	rec, found, err := getRecord[messages.GroupRecord](ctx, st, keyGroup(a.id))
	if err != nil {
		return err
	}
	if found {
		a.rec = rec
		var list []*messages.GroupMemberRecord
		if err := scanRecords(ctx, st, keyGroupMemberPrefix(a.id), func(_ []byte, m *messages.GroupMemberRecord) bool {
			list = append(list, m)
			return true
		}); err != nil {
			return err
		}
		a.members.load(list)
	}
	a.log, err = openLog(ctx, st, ConvGroup, a.id)
	if err != nil {
		return err
	}
	a.touchedSeq = a.log.lastSeq()
	return nil
}

// canPassivate: a group with online members stays (it holds their connections).
func (a *groupActor) canPassivate(*grain) bool {
	return a.online.len() == 0 && !a.flushPending && a.sends.empty() && len(a.rich.book.pending) == 0 && len(a.reacts.pending) == 0
}

func (a *groupActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	if a.sends.before(g, msg, &a.storedChat) {
		return nil, nil
	}
	switch m := msg.(type) {
	case *messages.Call:
		return groupMethods.serve(a, g, m)
	case *messages.GroupMemberPresence:
		a.presence(g, m)
	case *messages.GroupFlush:
		a.flush(g)
	case *messages.MemberNoticesDue:
		a.notices.due(g, m.Generation)
	case *messages.ReceiptFlush:
		a.rich.book.flushReads(g, a)
	case *messages.ReactionFlush:
		a.reacts.flushReactions(g, a)
	}
	return nil, nil
}

// presence records a member's online connections (sent by its user actor). A user actor
// that knows an older head than the log's gets the newer one.
func (a *groupActor) presence(g *grain, p *messages.GroupMemberPresence) {
	if !a.exists() || a.members.get(p.UserID) == nil {
		a.online.remove(p.UserID)
		return
	}
	a.notices.setOnline(g, p.UserID, p.Conns)
	if since, ok := a.awaiting[p.UserID]; ok {
		delete(a.awaiting, p.UserID)
		if len(p.Conns) > 0 {
			a.catchUp(g, p.UserID, since)
		}
	}
	if len(p.Conns) > 0 {
		a.touchIfBehind(g, p.UserID, p.KnownSeq)
	}
}

func (a *groupActor) exists() bool { return a.rec != nil && !a.rec.Dismissed }

func (a *groupActor) requireGroup() error {
	if !a.exists() {
		return ErrGroupNotExist
	}
	return nil
}

// member is the caller's member record, or why there is none.
func (a *groupActor) member(user string) (*messages.GroupMemberRecord, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	return a.members.member(user)
}

// manager is the caller's member record when the caller is the owner or an admin.
func (a *groupActor) manager(user string) (*messages.GroupMemberRecord, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	return a.members.manager(user)
}

// owner is the caller's member record when the caller is the owner.
func (a *groupActor) owner(user string) (*messages.GroupMemberRecord, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	return a.members.owner(user)
}

func (a *groupActor) maxMembers(g *grain) int {
	if a.rec != nil && a.rec.MaxMemberCount > 0 {
		return int(a.rec.MaxMemberCount)
	}
	return g.rt.Limits().GroupMembersMax
}

func (a *groupActor) cloneRec() *messages.GroupRecord {
	return proto.Clone(a.rec).(*messages.GroupRecord)
}

func (a *groupActor) putRecord(b *persistence.Batch, rec *messages.GroupRecord) {
	putProto(b, keyGroup(a.id), rec)
}

func (a *groupActor) putMember(b *persistence.Batch, m *messages.GroupMemberRecord) {
	putProto(b, keyGroupMember(a.id, m.UserID), m)
}

// write applies b and, once it is durable, runs apply (the in-memory change).
func (a *groupActor) write(g *grain, b *persistence.Batch, apply func()) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	if apply != nil {
		apply()
	}
	return nil
}

// ---- membership changes ----

// admission is one user becoming a member.
type admission struct {
	user      string
	role      int32
	enterType int32
	operator  string
}

// joined is an admitted member with its new conversation index entry.
type joined struct {
	m   *messages.GroupMemberRecord
	idx *messages.StoredConvIndex
}

// admit adds the writes that make list members to b (member record, the user's side of
// the membership, and the conversation index entry that starts the member's view of
// the log at the next message) and advances rec's join counter.
func (a *groupActor) admit(g *grain, b *persistence.Batch, rec *messages.GroupRecord, now time.Time, list []admission) []joined {
	since := a.log.lastSeq() + 1
	out := make([]joined, 0, len(list))
	for _, ad := range list {
		rec.NextJoinOrder++
		m := &messages.GroupMemberRecord{
			UserID: ad.user, Role: ad.role, EnterTime: now.UnixMilli(), EnterType: ad.enterType,
			OperatedUserID: ad.operator, JoinOrder: rec.NextJoinOrder, Since: since,
		}
		idx := &messages.StoredConvIndex{Since: since, OrderKey: int64(g.rt.NewMessageID())}
		a.putMember(b, m)
		putProto(b, keyGroupUser(ad.user, a.id), &messages.GroupUserRecord{GroupID: a.id, EnterTime: m.EnterTime})
		putProto(b, keyConvIndex(ad.user, ConvGroup, a.id), idx)
		out = append(out, joined{m: m, idx: idx})
	}
	return out
}

// catchUp pushes to a member who just joined while online the messages sent between
// the join and the moment its user actor reported its connections (at most a page).
func (a *groupActor) catchUp(g *grain, user string, since int64) {
	if a.log.lastSeq() < since {
		return
	}
	v, err := a.view(g, user)
	if err != nil {
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	list, err := a.log.history(ctx, v, since-1, g.rt.Limits().PageMax, true)
	if err != nil {
		g.Log().Error("group catch-up", "user", user, "err", err)
		return
	}
	for _, m := range list {
		p, err := NewPush(messages.EventGroupMessageReceived.With(&messages.ConversationMessageReceivedEvent{
			MessageList: []*messages.Message{chatView(m, user)}, FromConversationID: a.id, Info: &messages.MessageReceivedInfo{},
		}))
		if err == nil {
			a.online.pushUser(g.rt, user, p, 0)
		}
	}
}

// dropMember adds the writes that end m's membership to b: the member keeps the
// conversation and the history up to the last message so far (index until), or loses
// an index with no message in it. It returns the new index (nil: removed).
func (a *groupActor) dropMember(b *persistence.Batch, m *messages.GroupMemberRecord) *messages.StoredConvIndex {
	b.Delete(keyGroupMember(a.id, m.UserID))
	b.Delete(keyGroupUser(m.UserID, a.id))
	last := a.log.lastSeq()
	if last < m.Since {
		b.Delete(keyConvIndex(m.UserID, ConvGroup, a.id))
		return nil
	}
	idx := &messages.StoredConvIndex{Since: m.Since, Until: last}
	putProto(b, keyConvIndex(m.UserID, ConvGroup, a.id), idx)
	return idx
}

// tellMember sends a member's user actor its conversation change and, with it, an
// event for its devices.
func (a *groupActor) tellMember(g *grain, user string, idx *messages.StoredConvIndex, member bool, push *messages.Push) {
	if member && idx != nil {
		a.awaiting[user] = idx.Since
	} else {
		delete(a.awaiting, user)
	}
	g.rt.Send(KindUser, user, &messages.GroupConversationUpdate{GroupID: a.id, Index: idx, Member: member, Push: push})
}

// ---- views ----

// profileCache reads user profiles once per request.
type profileCache struct {
	ctx context.Context
	st  persistence.Store
	m   map[string]*messages.StoredUser
}

func newProfiles(ctx context.Context, g *grain) *profileCache {
	return &profileCache{ctx: ctx, st: g.rt.Store(), m: map[string]*messages.StoredUser{}}
}

// get returns id's profile, nil when the user never registered.
func (p *profileCache) get(id string) (*messages.StoredUser, error) {
	if u, ok := p.m[id]; ok {
		return u, nil
	}
	u, found, err := getRecord[messages.StoredUser](p.ctx, p.st, keyUser(id))
	if err != nil {
		return nil, err
	}
	if !found {
		u = nil
	}
	p.m[id] = u
	return u, nil
}

// profileOrBlank is a user's stored profile, or a blank one holding only the ID when
// the user is unknown or cannot be read.
func (p *profileCache) profileOrBlank(id string) *messages.StoredUser {
	u, _ := p.get(id)
	if u == nil {
		return &messages.StoredUser{UserID: id}
	}
	return u
}

func (a *groupActor) baseInfo() *messages.GroupInfo {
	return &messages.GroupInfo{GroupID: a.id, GroupName: a.rec.GroupName, GroupAvatarUrl: a.rec.GroupAvatarUrl}
}

func (a *groupActor) verifyInfo() *messages.GroupVerifyInfo {
	if a.rec.VerifyInfo == nil {
		return &messages.GroupVerifyInfo{}
	}
	return proto.Clone(a.rec.VerifyInfo).(*messages.GroupVerifyInfo)
}

// info is the group's full info with the reader's own alias and notification status;
// attributes only for members.
func (a *groupActor) info(now time.Time, alias string, status int32, attrs bool) *messages.GroupFullInfo {
	fi := &messages.GroupFullInfo{
		BaseInfo:           a.baseInfo(),
		GroupNotice:        a.rec.GroupNotice,
		GroupAlias:         alias,
		NotificationStatus: status,
		MutedInfo:          muteView(a.rec.Mute, now),
		CreateTime:         a.rec.CreateTime,
		MaxMemberCount:     a.rec.MaxMemberCount,
		VerifyInfo:         a.verifyInfo(),
	}
	if attrs {
		fi.GroupAttributes = map[string]string{}
		for k, v := range a.rec.Attributes {
			fi.GroupAttributes[k] = v
		}
	}
	return fi
}

// infoFor is the full info as user sees it (reads the user's alias and do-not-disturb
// setting).
func (a *groupActor) infoFor(g *grain, user string) (*messages.GroupFullInfo, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	member := a.members.get(user) != nil
	alias := ""
	// Records that do not decode read as none (as they always did here).
	if member {
		gu, _, err := getRecord[messages.GroupUserRecord](ctx, st, keyGroupUser(user, a.id))
		if err != nil && !isDecodeError(err) {
			return nil, err
		}
		alias = gu.GetAlias()
	}
	status := int32(NotifyOn)
	cs, _, err := getRecord[messages.StoredConvState](ctx, st, keyConvState(user, ConvGroup, a.id))
	if err != nil && !isDecodeError(err) {
		return nil, err
	}
	if cs.GetNotificationStatus() != 0 {
		status = cs.NotificationStatus
	}
	return a.info(g.rt.now(), alias, status, member), nil
}

// simple is a user as ZIMGroupMemberSimpleInfo (nickname and role when a member).
func (a *groupActor) simple(p *profileCache, id string) *messages.GroupMemberSimpleInfo {
	if id == "" {
		return nil
	}
	u := p.profileOrBlank(id)
	s := &messages.GroupMemberSimpleInfo{UserID: id, UserName: u.UserName, UserAvatarUrl: u.UserAvatarUrl, UserExtendedData: u.ExtendedData}
	if m := a.members.get(id); m != nil {
		s.MemberNickname, s.MemberRole = m.Nickname, m.Role
	}
	return s
}

// operated is who made a change (ZIMGroupOperatedInfo).
func (a *groupActor) operated(p *profileCache, id string) *messages.GroupOperatedInfo {
	s := a.simple(p, id)
	return &messages.GroupOperatedInfo{UserID: s.UserID, UserName: s.UserName, MemberNickname: s.MemberNickname, MemberRole: s.MemberRole}
}

// memberInfo is a member as ZIMGroupMemberInfo.
func (a *groupActor) memberInfo(p *profileCache, m *messages.GroupMemberRecord, now time.Time) *messages.GroupMemberInfo {
	u := p.profileOrBlank(m.UserID)
	return &messages.GroupMemberInfo{
		UserID: m.UserID, UserName: u.UserName, UserAvatarUrl: u.UserAvatarUrl, UserExtendedData: u.ExtendedData,
		MemberNickname: m.Nickname, MemberRole: m.Role, MemberAvatarUrl: u.UserAvatarUrl,
		MuteExpiredTime: shownExpiry(m.MuteExpiredTime, now),
		GroupEnterInfo: &messages.GroupEnterInfo{
			EnterTime: m.EnterTime, EnterType: m.EnterType, OperatedUser: a.simple(p, m.OperatedUserID),
		},
	}
}

func (a *groupActor) memberInfos(p *profileCache, list []*messages.GroupMemberRecord, now time.Time) []*messages.GroupMemberInfo {
	out := make([]*messages.GroupMemberInfo, 0, len(list))
	for _, m := range list {
		out = append(out, a.memberInfo(p, m, now))
	}
	return out
}

// ---- pushes ----

// pushAll sends an event to every online member (one encoding, one Deliver per node).
func (a *groupActor) pushAll(g *grain, ev messages.Pushed) {
	event := ev.Name
	if a.online.len() == 0 {
		return
	}
	p, err := NewPush(ev)
	if err != nil {
		g.Log().Error("encode push", "event", event, "err", err)
		return
	}
	a.online.push(g.rt, p, "")
}

// managers are the owner and the admins.
func (a *groupActor) managers() []string {
	var out []string
	for _, m := range a.members.filter(func(m *messages.GroupMemberRecord) bool { return isManager(m.Role) }) {
		out = append(out, m.UserID)
	}
	return out
}

// profileChanged tells online members' user actors to reload the group's name/avatar.
func (a *groupActor) profileChanged(g *grain) {
	for _, u := range a.online.users() {
		g.rt.Send(KindUser, u, &messages.GroupConversationUpdate{GroupID: a.id, ProfileChanged: true, Member: true})
	}
}

// dedupe returns ids without repeats, in order.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
