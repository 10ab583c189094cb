package actors

import (
	"context"
	"sort"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// KindCommunity is the community actor kind; its identity is the community ID.
const KindCommunity = "community"

// Community enums (values modelled on the group ones where ZIM's are unconfirmed;
// docs/PROTOCOL.md lists them).
const (
	ChannelGeneral = 1 // ZIMCommunityChannelType
	ChannelPublic  = 2
	ChannelPrivate = 3

	ListAdded   = 0 // ZIMCommunityListChangeAction, channel list actions
	ListDeleted = 1
	ListUpdated = 2

	CommunityEnterCreated = 1 // ZIMCommunityMemberEnterType
	CommunityEnterJoined  = 3
	CommunityEnterInvited = 4
)

// ChannelConversationID is the conversation ID of a channel: what message and
// conversation calls take with conversation type 3. The separator cannot appear in
// community IDs (seed 000's alphabet has no '/').
func ChannelConversationID(communityID, channelID string) string {
	return communityID + "/" + channelID
}

// SplitChannelConversationID reads a channel conversation ID back.
func SplitChannelConversationID(id string) (communityID, channelID string, ok bool) {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			return id[:i], id[i+1:], i > 0 && i < len(id)-1
		}
	}
	return "", "", false
}

// communityActor owns one community: its record, its members (with roles and member
// mutes), its channels' records and private channels' member lists, and the online
// members' connections. Channel messages live in the channel actors (channel.go); the
// community keeps them told of what they need (channel record, online members).
type communityActor struct {
	id       string
	rec      *messages.CommunityRecord // nil: never created
	members  *roster
	online   *onlineSet
	channels map[string]*messages.CommunityChannelRecord // live channels
	private  map[string]map[string]bool                  // private channel -> its members
	notices  *memberNotices                              // communityMemberStateChanged, coalesced (member_notices.go)
}

// communityMethods are the client methods a community serves (channel management
// included); each community_*.go file registers its own.
var communityMethods = newMethods(communityCoreMethods, communityMembersMethods, communityChannelsMethods)

func communityCoreMethods(t methods[*communityActor]) {
	on(t, messages.MethodCreateCommunity, (*communityActor).create)
	on(t, messages.MethodJoinCommunity, (*communityActor).join)
	on(t, messages.MethodLeaveCommunity, (*communityActor).leave)
	on(t, messages.MethodDismissCommunity, (*communityActor).dismiss)
	on(t, messages.MethodQueryCommunityInfo, (*communityActor).queryInfo)
	on(t, messages.MethodUpdateCommunityName, (*communityActor).updateName)
	on(t, messages.MethodUpdateCommunityAvatarUrl, (*communityActor).updateAvatar)
	on(t, messages.MethodUpdateCommunityNotice, (*communityActor).updateNotice)
	on(t, messages.MethodSetCommunityAttributes, (*communityActor).setAttributes)
	on(t, messages.MethodDeleteCommunityAttributes, (*communityActor).deleteAttributes)
	on(t, messages.MethodImportCommunityMembers, (*communityActor).importMembers)
}

func (a *communityActor) activate(g *grain) error {
	a.id = g.ID()
	a.members = newRoster(communityRoster)
	a.online = newOnlineSet()
	a.notices = newMemberNotices(messages.EventCommunityMemberStateChanged.With(&messages.CommunityMemberStateChangedEvent{}), 4, nil)
	a.notices.attach(g, a.online)
	a.channels = map[string]*messages.CommunityChannelRecord{}
	a.private = map[string]map[string]bool{}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	rec, ok, err := getRecord[messages.CommunityRecord](ctx, st, keyCommunity(a.id))
	if err != nil || !ok {
		return err
	}
	a.rec = rec
	if rec.Dismissed {
		return nil
	}
	var list []*messages.GroupMemberRecord
	if err := scanRecords(ctx, st, keyCommunityMemberPrefix(a.id), func(_ []byte, m *messages.GroupMemberRecord) bool {
		list = append(list, m)
		return true
	}); err != nil {
		return err
	}
	a.members.load(list)
	if err := scanRecords(ctx, st, keyChannelPrefix(a.id), func(_ []byte, ch *messages.CommunityChannelRecord) bool {
		if !ch.Dismissed {
			a.channels[ch.ChannelID] = ch
		}
		return true
	}); err != nil {
		return err
	}
	for id, ch := range a.channels {
		if ch.ChannelType != ChannelPrivate {
			continue
		}
		set := map[string]bool{}
		prefix := keyChannelMemberPrefix(a.id, id)
		if err := st.Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
			if user, ok := lastKeyPart(prefix, k); ok {
				set[user] = true
			}
			return true
		}); err != nil {
			return err
		}
		a.private[id] = set
	}
	return nil
}

// canPassivate: a community with online members stays (it holds their connections).
func (a *communityActor) canPassivate(*grain) bool { return a.online.len() == 0 }

func (a *communityActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *messages.Call:
		return communityMethods.serve(a, g, m)
	case *messages.CommunityMemberPresence:
		a.presence(g, m)
	case *messages.ChannelReadersQuery:
		return a.readersQuery(m), nil
	case *messages.MemberNoticesDue:
		a.notices.due(g, m.Generation)
	case *messages.CommunityChannelHello:
		if ch := a.channels[m.ChannelID]; ch != nil {
			a.syncChannel(g, ch, true)
		}
	}
	return nil, nil
}

// ---- stored records ----

// lastKeyPart reads the one string component after prefix in a key.
func lastKeyPart(prefix, key []byte) (string, bool) {
	rest := key[len(prefix):]
	if len(rest) == 0 || rest[len(rest)-1] != 0 {
		return "", false
	}
	return string(rest[:len(rest)-1]), true
}

func (a *communityActor) write(g *grain, b *persistence.Batch) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	return g.rt.Store().Write(ctx, b)
}

// ---- checks ----

func (a *communityActor) exists() bool { return a.rec != nil && !a.rec.Dismissed }

// member is the caller's member record, or why there is none.
func (a *communityActor) member(user string) (*messages.GroupMemberRecord, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	return a.members.member(user)
}

// manager is the caller's member record when it is the owner or an admin.
func (a *communityActor) manager(user string) (*messages.GroupMemberRecord, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	return a.members.manager(user)
}

// owner is the caller's member record when it is the owner.
func (a *communityActor) owner(user string) (*messages.GroupMemberRecord, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	return a.members.owner(user)
}

func cloneCommunity(r *messages.CommunityRecord) *messages.CommunityRecord {
	return proto.Clone(r).(*messages.CommunityRecord)
}

// ---- views ----

func (a *communityActor) fullInfo(g *grain, user string) *messages.CommunityFullInfo {
	r := a.rec
	status := int32(NotifyOn)
	ctx, cancel := g.CallCtx()
	defer cancel()
	if us, _, _ := getRecord[messages.CommunityUserState](ctx, g.rt.Store(), keyCommunityUserState(user, a.id)); us.GetNotificationStatus() != 0 {
		status = us.NotificationStatus
	}
	attrs := make(map[string]string, len(r.Attributes))
	for k, v := range r.Attributes {
		attrs[k] = v
	}
	return &messages.CommunityFullInfo{
		BaseInfo:        &messages.CommunityInfo{CommunityID: a.id, CommunityName: r.CommunityName, CommunityAvatarUrl: r.CommunityAvatarUrl},
		CommunityNotice: r.CommunityNotice, CommunityAttributes: attrs, CreateTime: r.CreateTime,
		CreatorUserID: r.CreatorUserID, CurrentMemberCount: int32(a.members.count()), NotificationStatus: status,
		OwnerUserID: r.OwnerUserID,
	}
}

func (a *communityActor) memberInfo(prof *profileCache, m *messages.GroupMemberRecord, g *grain) *messages.CommunityMemberInfo {
	info := &messages.CommunityMemberInfo{
		UserID: m.UserID, MemberRole: m.Role, MuteExpiredTime: shownExpiry(m.MuteExpiredTime, g.rt.now()),
		JoinTime: m.EnterTime, EnterType: m.EnterType, OperatedUserID: m.OperatedUserID,
	}
	if prof != nil {
		if p, _ := prof.get(m.UserID); p != nil {
			info.UserName, info.UserAvatarUrl = p.UserName, p.UserAvatarUrl
		}
	}
	return info
}

func (a *communityActor) operated(prof *profileCache, user string) *messages.CommunityOperatedInfo {
	op := &messages.CommunityOperatedInfo{UserID: user}
	if m := a.members.get(user); m != nil {
		op.MemberRole = m.Role
	}
	if p, _ := prof.get(user); p != nil {
		op.UserName = p.UserName
	}
	return op
}

// channelView is a channel as clients see it.
func (a *communityActor) channelView(g *grain, ch *messages.CommunityChannelRecord) *messages.CommunityChannel {
	return channelView(ch, a.channelMemberCount(ch), g)
}

func channelView(ch *messages.CommunityChannelRecord, members int, g *grain) *messages.CommunityChannel {
	attrs := make(map[string]string, len(ch.Attributes))
	for k, v := range ch.Attributes {
		attrs[k] = v
	}
	return &messages.CommunityChannel{
		CommunityID: ch.CommunityID, ChannelID: ch.ChannelID,
		ConversationID: ChannelConversationID(ch.CommunityID, ch.ChannelID),
		ChannelName:    ch.ChannelName, ChannelAvatarUrl: ch.ChannelAvatarUrl, ChannelNotice: ch.ChannelNotice,
		ChannelType: ch.ChannelType, ChannelAttributes: attrs, CreateTime: ch.CreateTime, CreatorUserID: ch.CreatorUserID,
		MutedInfo: muteView(ch.Mute, g.rt.now()), MemberCount: int32(members),
	}
}

func (a *communityActor) channelMemberCount(ch *messages.CommunityChannelRecord) int {
	if ch.ChannelType == ChannelPrivate {
		return len(a.private[ch.ChannelID])
	}
	return a.members.count()
}

// canSee reports whether user (a member) is in channel ch.
func (a *communityActor) canSee(ch *messages.CommunityChannelRecord, user string) bool {
	return ch.ChannelType != ChannelPrivate || a.private[ch.ChannelID][user]
}

// sortedChannels lists the live channels in creation order.
func (a *communityActor) sortedChannels() []*messages.CommunityChannelRecord {
	out := make([]*messages.CommunityChannelRecord, 0, len(a.channels))
	for _, ch := range a.channels {
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// ---- pushes and actor notices ----

// pushAll hands an event to every online member (but skip's connections).
func (a *communityActor) pushAll(g *grain, ev messages.Pushed, skip string) {
	event := ev.Name
	if a.online.len() == 0 {
		return
	}
	p, err := NewPush(ev)
	if err != nil {
		g.Log().Error("encode community event", "event", event, "err", err)
		return
	}
	a.online.push(g.rt, p, skip)
}

// pushChannelMembers hands an event to the online members who see channel ch.
func (a *communityActor) pushChannelMembers(g *grain, ch *messages.CommunityChannelRecord, ev messages.Pushed) {
	if ch.ChannelType != ChannelPrivate {
		a.pushAll(g, ev, "")
		return
	}
	p, err := NewPush(ev)
	if err != nil {
		return
	}
	for user := range a.private[ch.ChannelID] {
		a.online.pushUser(g.rt, user, p, 0)
	}
}

// tellUser tells a user actor that its view of the community changed (it reloads it
// from the store, so the notice may come in any order: the community does not wait for
// a user actor that is not active to be placed).
func (a *communityActor) tellUser(g *grain, user string, push *messages.Push) {
	g.rt.notify(KindUser, user, &messages.CommunityUserUpdate{CommunityID: a.id, Push: push})
}

// tellOnline tells the user actors of the online members (those who see ch, when given).
func (a *communityActor) tellOnline(g *grain, ch *messages.CommunityChannelRecord) {
	for _, user := range a.online.users() {
		if ch == nil || a.canSee(ch, user) {
			a.tellUser(g, user, nil)
		}
	}
}

// channelMember is what a channel actor needs to know of an online member.
func (a *communityActor) channelMember(user string) *messages.CommunityChannelMember {
	cm := &messages.CommunityChannelMember{UserID: user, Conns: a.online.conns[user]}
	if m := a.members.get(user); m != nil {
		cm.Role, cm.MuteExpiredTime = m.Role, m.MuteExpiredTime
	} else {
		cm.Conns = nil
	}
	return cm
}

// tellChannel sends channel ch's actor a sync.
func (a *communityActor) tellChannel(g *grain, ch *messages.CommunityChannelRecord, s *messages.CommunityChannelSync) {
	g.rt.Send(KindChannel, ChannelConversationID(a.id, ch.ChannelID), s)
}

// syncChannel sends a channel actor its record and (reset) the whole online list.
func (a *communityActor) syncChannel(g *grain, ch *messages.CommunityChannelRecord, reset bool) {
	s := &messages.CommunityChannelSync{Record: ch, Full: reset}
	if reset && !ch.Dismissed {
		for _, user := range a.online.users() {
			if a.canSee(ch, user) {
				s.Members = append(s.Members, a.channelMember(user))
			}
		}
	}
	a.tellChannel(g, ch, s)
}

// syncMember tells every channel user is in about it: its connections, role and mute
// (gone: every channel, that it is not there any more).
func (a *communityActor) syncMember(g *grain, user string, gone bool) {
	if !gone && !a.online.has(user) {
		return
	}
	cm := a.channelMember(user)
	if gone {
		cm.Conns = nil
	}
	for _, ch := range a.channels {
		if gone || a.canSee(ch, user) {
			a.tellChannel(g, ch, &messages.CommunityChannelSync{Members: []*messages.CommunityChannelMember{cm}})
		}
	}
}

// presence records a member's online connections and passes them to its channels.
func (a *communityActor) presence(g *grain, p *messages.CommunityMemberPresence) {
	if !a.exists() || a.members.get(p.UserID) == nil {
		a.online.remove(p.UserID)
		return
	}
	was := a.online.has(p.UserID)
	a.notices.setOnline(g, p.UserID, p.Conns)
	if was || len(p.Conns) > 0 {
		a.syncMember(g, p.UserID, len(p.Conns) == 0)
	}
}

// ---- membership writes ----

// userCommunityCount counts the communities user is in. The user's side of a
// membership can outlive a community whose dismissal was cut short by a crash (see
// dismiss); at the limit, such leftovers are checked against the community records and
// not counted.
func userCommunityCount(ctx context.Context, st persistence.Store, user string, limit int) (int, error) {
	var ids []string
	prefix := keyCommunityUserPrefix(user)
	err := st.Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		if id, ok := lastKeyPart(prefix, k); ok {
			ids = append(ids, id)
		}
		return true
	})
	if err != nil || len(ids) < limit {
		return len(ids), err
	}
	n := 0
	for _, id := range ids {
		rec, ok, err := getRecord[messages.CommunityRecord](ctx, st, keyCommunity(id))
		if err != nil {
			return 0, err
		}
		if ok && !rec.Dismissed {
			n++
		}
	}
	return n, nil
}

// channelHeads reads the last seq of every channel a new member enters (GENERAL and
// PUBLIC ones).
func (a *communityActor) channelHeads(ctx context.Context, g *grain) (map[string]int64, error) {
	heads := make(map[string]int64, len(a.channels))
	for _, ch := range a.channels {
		if ch.ChannelType == ChannelPrivate {
			continue
		}
		seq, err := channelHead(ctx, g, ch)
		if err != nil {
			return nil, err
		}
		heads[ch.ChannelID] = seq
	}
	return heads, nil
}

func channelHead(ctx context.Context, g *grain, ch *messages.CommunityChannelRecord) (int64, error) {
	head, _, err := getRecord[messages.LogHead](ctx, g.rt.Store(), keyHead(ConvChannel, ChannelConversationID(ch.CommunityID, ch.ChannelID)))
	return head.GetLastSeq(), err
}

// admit writes (into b) a new member: the member record, the user's side, and a
// conversation index entry for each channel the member is in from now on (heads: the
// channels' last seqs; unread counts start after them). Channels created later have no
// entry: the member sees them from their first message (the user actor adds them).
func (a *communityActor) admit(b *persistence.Batch, rec *messages.CommunityRecord, heads map[string]int64, now int64, user string, role, enterType int32, operator string) *messages.GroupMemberRecord {
	rec.NextJoinOrder++
	m := &messages.GroupMemberRecord{
		UserID: user, Role: role, EnterTime: now, EnterType: enterType, OperatedUserID: operator, JoinOrder: rec.NextJoinOrder,
	}
	putProto(b, keyCommunityMember(a.id, user), m)
	putProto(b, keyCommunityUser(user, a.id), &messages.CommunityUserRecord{CommunityID: a.id, JoinTime: now, JoinOrder: m.JoinOrder})
	for id, seq := range heads {
		a.openConversation(b, a.channels[id], user, seq)
	}
	return m
}

// openConversation writes user's conversation index entry for channel ch: unread
// counts start after seq (the channel's last message when the user came in).
func (a *communityActor) openConversation(b *persistence.Batch, ch *messages.CommunityChannelRecord, user string, seq int64) {
	conv := ChannelConversationID(a.id, ch.ChannelID)
	putProto(b, keyConvIndex(user, ConvChannel, conv), &messages.StoredConvIndex{Since: seq + 1, OrderKey: ch.CreateTime})
}

// drop writes (into b) the end of user's membership: member record, the user's side,
// its channel conversations and private channel memberships.
func (a *communityActor) drop(b *persistence.Batch, user string) {
	b.Delete(keyCommunityMember(a.id, user))
	b.Delete(keyCommunityUser(user, a.id))
	for _, ch := range a.channels {
		b.Delete(keyConvIndex(user, ConvChannel, ChannelConversationID(a.id, ch.ChannelID)))
		if ch.ChannelType == ChannelPrivate && a.private[ch.ChannelID][user] {
			b.Delete(keyChannelMember(a.id, ch.ChannelID, user))
		}
	}
}

// forget updates memory after drop was written.
func (a *communityActor) forget(g *grain, user string) {
	a.syncMember(g, user, true)
	a.members.remove(user)
	a.online.remove(user)
	for _, set := range a.private {
		delete(set, user)
	}
}

// ---- management ----

func (a *communityActor) create(g *grain, c *messages.Call, p *messages.CommunityCreateParams) (*messages.CommunityCreatedResult, error) {
	lim := g.rt.Limits().Community
	info := p.CommunityInfo
	if info == nil || info.CommunityID != a.id || !ValidCommunityID(a.id, lim.IDBytes) {
		return nil, ErrParamInvalid
	}
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.CommunityCreateConfig{}
	}
	if !validChars(info.CommunityName, lim.NameChars) || !validChars(info.CommunityAvatarUrl, lim.AvatarURLChars) ||
		!validChars(cfg.CommunityNotice, lim.NoticeChars) {
		return nil, ErrParamInvalid
	}
	var attrs map[string]string
	if len(cfg.CommunityAttributes) > 0 {
		out, bad, err := communityAttrs(lim, nil, cfg.CommunityAttributes)
		if err != nil {
			return nil, err
		}
		if len(bad) > 0 {
			return nil, ErrParamInvalid
		}
		attrs = out
	}
	if a.rec != nil {
		return nil, ErrCommunityExists
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if n, err := userCommunityCount(ctx, g.rt.Store(), c.UserID, lim.PerUser); err != nil {
		return nil, err
	} else if n >= lim.PerUser {
		return nil, ErrCommunityUserLimit
	}
	now := g.rt.now().UnixMilli()
	rec := &messages.CommunityRecord{
		Version: 1, CommunityID: a.id, CommunityName: info.CommunityName, CommunityAvatarUrl: info.CommunityAvatarUrl,
		CommunityNotice: cfg.CommunityNotice, Attributes: attrs, CreateTime: now, CreatorUserID: c.UserID, OwnerUserID: c.UserID,
	}
	rec.ChannelOrder++
	general := &messages.CommunityChannelRecord{
		CommunityID: a.id, ChannelID: "#C" + strconv.FormatUint(g.rt.NewMessageID(), 36), ChannelName: "general",
		ChannelType: ChannelGeneral, CreateTime: now, CreatorUserID: c.UserID, Mute: &messages.GroupMuteInfo{}, Order: rec.ChannelOrder,
	}
	b := &persistence.Batch{}
	putProto(b, keyChannel(a.id, general.ChannelID), general)
	a.channels = map[string]*messages.CommunityChannelRecord{general.ChannelID: general}
	m := a.admit(b, rec, map[string]int64{general.ChannelID: 0}, now, c.UserID, RoleOwner, CommunityEnterCreated, c.UserID)
	putProto(b, keyCommunity(a.id), rec)
	if err := g.rt.Store().Write(ctx, b); err != nil {
		a.channels = map[string]*messages.CommunityChannelRecord{}
		return nil, err
	}
	a.rec = rec
	a.members.put(m)
	a.tellUser(g, c.UserID, nil)
	a.tipGeneral(g, TipsCommunityCreated, c.UserID, nil)
	return &messages.CommunityCreatedResult{CommunityInfo: a.fullInfo(g, c.UserID)}, nil
}

func (a *communityActor) join(g *grain, c *messages.Call, p *messages.CommunityIDParams) (*messages.CommunityJoinedResult, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	if a.members.get(c.UserID) != nil {
		return nil, ErrAlreadyCommunityMember
	}
	if _, err := a.enter(g, c.UserID, c.UserID, CommunityEnterJoined, GroupMemberEventJoined); err != nil {
		return nil, err
	}
	if c.Conn != nil && !a.online.has(c.UserID) {
		// The joining device is online now; the user actor reports all of its devices
		// once it learned of the join.
		a.presence(g, &messages.CommunityMemberPresence{UserID: c.UserID, Conns: []*messages.ConnRef{c.Conn}})
	}
	return &messages.CommunityJoinedResult{CommunityInfo: a.fullInfo(g, c.UserID)}, nil
}

// enter makes user a member (checks of the limits included), tells the online members
// and the user's actor.
func (a *communityActor) enter(g *grain, user, operator string, enterType, event int32) (*messages.GroupMemberRecord, error) {
	lim := g.rt.Limits().Community
	if a.members.count() >= lim.Members {
		return nil, ErrCommunityFull
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if n, err := userCommunityCount(ctx, g.rt.Store(), user, lim.PerUser); err != nil {
		return nil, err
	} else if n >= lim.PerUser {
		return nil, ErrCommunityUserLimit
	}
	heads, err := a.channelHeads(ctx, g)
	if err != nil {
		return nil, err
	}
	rec := cloneCommunity(a.rec)
	b := &persistence.Batch{}
	m := a.admit(b, rec, heads, g.rt.now().UnixMilli(), user, RoleMember, enterType, operator)
	putProto(b, keyCommunity(a.id), rec)
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return nil, err
	}
	a.rec = rec
	a.members.put(m)
	a.readersChanged(g, nil, []string{user}, false)
	prof := newProfiles(ctx, g)
	a.memberChanged(g, GroupStateEnter, event, operator, a.operated(prof, operator), []*messages.CommunityMemberInfo{a.memberInfo(prof, m, g)})
	a.tellUser(g, user, nil)
	a.tipGeneral(g, TipsCommunityJoined, operator, []string{user})
	return m, nil
}

func (a *communityActor) leave(g *grain, c *messages.Call, p *messages.CommunityIDParams) (*messages.CommunityIDResult, error) {
	m, err := a.member(c.UserID)
	if err != nil {
		return nil, err
	}
	if m.Role == RoleOwner { // the owner transfers or dismisses first (seed 000)
		return nil, ErrCommunityNoPermission
	}
	if err := a.exit(g, c.UserID, []*messages.GroupMemberRecord{m}, GroupMemberEventLeft); err != nil {
		return nil, err
	}
	return &messages.CommunityIDResult{CommunityID: a.id}, nil
}

// exit ends the memberships of gone (checked members), tells the remaining online
// members and the users' actors.
func (a *communityActor) exit(g *grain, operator string, gone []*messages.GroupMemberRecord, event int32) error {
	b := &persistence.Batch{}
	for _, m := range gone {
		a.drop(b, m.UserID)
		a.notices.leaving(g, m.UserID)
	}
	if err := a.write(g, b); err != nil {
		return err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	op := a.operated(prof, operator)
	infos := make([]*messages.CommunityMemberInfo, len(gone))
	left := make([]string, len(gone))
	for i, m := range gone {
		infos[i] = a.memberInfo(prof, m, g)
		a.forget(g, m.UserID)
		a.tellUser(g, m.UserID, nil)
		left[i] = m.UserID
	}
	a.readersChanged(g, left, nil, true)
	a.memberChanged(g, GroupStateQuit, event, operator, op, infos)
	return nil
}

// dismissChunk bounds the per-member deletions of one write when a community is
// dismissed.
const dismissChunk = 5000

func (a *communityActor) dismiss(g *grain, c *messages.Call, p *messages.CommunityIDParams) (*messages.CommunityIDResult, error) {
	if _, err := a.owner(c.UserID); err != nil {
		return nil, err
	}
	a.notices.flush(g) // the member notices not sent yet go before the community does
	// First the record and the channels (from here on the community is gone for
	// everyone), then the members' sides in chunks. A crash in between leaves member
	// sides of a dismissed community: the user actors ignore and drop those.
	rec := cloneCommunity(a.rec)
	rec.Dismissed = true
	b := &persistence.Batch{}
	putProto(b, keyCommunity(a.id), rec)
	chans := a.sortedChannels()
	for i, ch := range chans {
		ch = proto.Clone(ch).(*messages.CommunityChannelRecord)
		ch.Dismissed = true
		chans[i] = ch
		putProto(b, keyChannel(a.id, ch.ChannelID), ch)
	}
	if err := a.write(g, b); err != nil {
		return nil, err
	}
	a.rec = rec
	for _, ch := range chans {
		a.syncChannel(g, ch, false)
	}
	online := a.online.users()
	members := a.members.order
	for start := 0; start < len(members); start += dismissChunk {
		b := &persistence.Batch{}
		for _, m := range members[start:min(start+dismissChunk, len(members))] {
			b.Delete(keyCommunityMember(a.id, m.UserID))
			b.Delete(keyCommunityUser(m.UserID, a.id))
		}
		if err := a.write(g, b); err != nil {
			g.Log().Error("dismiss community: member cleanup", "community", a.id, "err", err)
			break
		}
	}
	a.members = newRoster(communityRoster)
	a.online = newOnlineSet()
	a.notices.attach(g, a.online)
	a.channels = map[string]*messages.CommunityChannelRecord{}
	a.private = map[string]map[string]bool{}
	for _, user := range online {
		a.tellUser(g, user, nil)
	}
	return &messages.CommunityIDResult{CommunityID: a.id}, nil
}

func (a *communityActor) queryInfo(g *grain, c *messages.Call, p *messages.CommunityIDParams) (*messages.CommunityInfoQueriedResult, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	// Anyone may look a community up (to decide whether to join it).
	return &messages.CommunityInfoQueriedResult{CommunityInfo: a.fullInfo(g, c.UserID)}, nil
}

// updateProfile applies a profile change of the owner or an admin and tells everyone.
// listed: the change shows in the members' community lists (name, avatar).
func (a *communityActor) updateProfile(g *grain, c *messages.Call, change func(*messages.CommunityRecord), listed bool) error {
	if _, err := a.manager(c.UserID); err != nil {
		return err
	}
	rec := cloneCommunity(a.rec)
	change(rec)
	b := &persistence.Batch{}
	putProto(b, keyCommunity(a.id), rec)
	if err := a.write(g, b); err != nil {
		return err
	}
	a.rec = rec
	a.infoUpdated(g, c.UserID)
	if listed {
		a.tellOnline(g, nil)
	}
	return nil
}

// infoUpdated pushes communityInfoUpdated to the online members, each with its own
// notification status.
func (a *communityActor) infoUpdated(g *grain, operator string) {
	if a.online.len() == 0 {
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	op := a.operated(newProfiles(ctx, g), operator)
	for _, user := range a.online.users() {
		p, err := NewPush(messages.EventCommunityInfoUpdated.With(&messages.CommunityInfoUpdatedEvent{
			UpdateInfoList: []*messages.CommunityUpdateInfo{{CommunityInfo: a.fullInfo(g, user)}}, OperatedInfo: op,
		}))
		if err == nil {
			a.online.pushUser(g.rt, user, p, 0)
		}
	}
}

// updateText serves the three profile text updates: value checked against limit
// characters, then set by set. listed: the change shows in the members' community lists.
func (a *communityActor) updateText(g *grain, c *messages.Call, value string, limit int, set func(*messages.CommunityRecord, string), listed bool) error {
	if !validChars(value, limit) {
		return ErrParamInvalid
	}
	return a.updateProfile(g, c, func(r *messages.CommunityRecord) { set(r, value) }, listed)
}

func (a *communityActor) updateName(g *grain, c *messages.Call, p *messages.CommunityUpdateNameParams) (*messages.CommunityNameUpdatedResult, error) {
	err := a.updateText(g, c, p.CommunityName, g.rt.Limits().Community.NameChars,
		func(r *messages.CommunityRecord, v string) { r.CommunityName = v }, true)
	return &messages.CommunityNameUpdatedResult{CommunityID: a.id, CommunityName: p.CommunityName}, err
}

func (a *communityActor) updateAvatar(g *grain, c *messages.Call, p *messages.CommunityUpdateAvatarUrlParams) (*messages.CommunityAvatarUrlUpdatedResult, error) {
	err := a.updateText(g, c, p.CommunityAvatarUrl, g.rt.Limits().Community.AvatarURLChars,
		func(r *messages.CommunityRecord, v string) { r.CommunityAvatarUrl = v }, true)
	return &messages.CommunityAvatarUrlUpdatedResult{CommunityID: a.id, CommunityAvatarUrl: p.CommunityAvatarUrl}, err
}

func (a *communityActor) updateNotice(g *grain, c *messages.Call, p *messages.CommunityUpdateNoticeParams) (*messages.CommunityNoticeUpdatedResult, error) {
	err := a.updateText(g, c, p.CommunityNotice, g.rt.Limits().Community.NoticeChars,
		func(r *messages.CommunityRecord, v string) { r.CommunityNotice = v }, false)
	return &messages.CommunityNoticeUpdatedResult{CommunityID: a.id, CommunityNotice: p.CommunityNotice}, err
}

func (a *communityActor) setAttributes(g *grain, c *messages.Call, p *messages.CommunitySetAttributesParams) (*messages.CommunityAttributesOperatedResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	out, bad, err := communityAttrs(g.rt.Limits().Community, a.rec.Attributes, p.Attributes)
	if err != nil {
		return nil, err
	}
	if len(bad) < len(p.Attributes) {
		if err := a.updateProfile(g, c, func(r *messages.CommunityRecord) { r.Attributes = out }, false); err != nil {
			return nil, err
		}
	}
	return &messages.CommunityAttributesOperatedResult{CommunityID: a.id, ErrorKeys: bad}, nil
}

func (a *communityActor) deleteAttributes(g *grain, c *messages.Call, p *messages.CommunityAttributeKeysParams) (*messages.CommunityAttributesOperatedResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	out, bad, err := communityAttrsDelete(a.rec.Attributes, dedupe(p.Keys))
	if err != nil {
		return nil, err
	}
	if len(bad) < len(dedupe(p.Keys)) {
		if err := a.updateProfile(g, c, func(r *messages.CommunityRecord) { r.Attributes = out }, false); err != nil {
			return nil, err
		}
	}
	return &messages.CommunityAttributesOperatedResult{CommunityID: a.id, ErrorKeys: bad}, nil
}

// ImportCommunityMembers is the in-process bulk import method
// (messages.MethodImportCommunityMembers, not on the wire): it makes many users members
// at once, in batches, without events — for seeding a large community (tests,
// benchmarks, migrations by an embedding server).
var ImportCommunityMembers = messages.MethodImportCommunityMembers.Name

// importKeys bounds the keys of one import write (a store batch has a size limit).
const importKeys = 10_000

func (a *communityActor) importMembers(g *grain, c *messages.Call, p *messages.CommunityUsersParams) (*messages.CommunityUsersInvitedResult, error) {
	if !a.exists() {
		return nil, ErrCommunityNotExist
	}
	lim := g.rt.Limits()
	res := &messages.CommunityUsersInvitedResult{CommunityID: a.id}
	ctx, cancel := g.CallCtx()
	defer cancel()
	ids := dedupe(p.UserIDs)
	heads, err := a.channelHeads(ctx, g)
	if err != nil {
		return nil, err
	}
	now := g.rt.now().UnixMilli()
	chunk := max(1, importKeys/(2+len(heads))) // member, user side, one index entry per channel
	for start := 0; start < len(ids); start += chunk {
		rec := cloneCommunity(a.rec)
		b := &persistence.Batch{}
		var added []*messages.GroupMemberRecord
		for _, id := range ids[start:min(start+chunk, len(ids))] {
			if !ValidID(id, lim.UserIDBytes) || a.members.get(id) != nil {
				res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrParamInvalid.Code})
				continue
			}
			if a.members.count()+len(added) >= lim.Community.Members {
				res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrCommunityFull.Code})
				continue
			}
			m := a.admit(b, rec, heads, now, id, RoleMember, CommunityEnterInvited, c.UserID)
			added = append(added, m)
		}
		putProto(b, keyCommunity(a.id), rec)
		if err := g.rt.Store().Write(ctx, b); err != nil {
			return nil, err
		}
		a.rec = rec
		ids := make([]string, len(added))
		for i, m := range added {
			a.members.put(m)
			ids[i] = m.UserID
		}
		if len(ids) > 0 {
			a.readersChanged(g, nil, ids, false)
		}
	}
	return res, nil
}
