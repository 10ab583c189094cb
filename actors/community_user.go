package actors

import (
	"context"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The user actor's side of communities: it knows the user's communities (their
// profiles, the user's notification status of each) and holds one conversation per
// channel the user is in (type 3, named after the channel, do-not-disturb until the
// user says otherwise). It tells its communities when its devices change, reloads a
// community when the community actor says the user's view of it changed, and serves
// queryCommunityList and setCommunityNotificationStatus.
//
// Which channels a member is in: GENERAL and PUBLIC channels of its communities, and
// PRIVATE channels with a conversation index entry (written by the community when the
// member was added). Unread counts of a channel start after its last message when the
// member came in (the index entry's since, written at the join); a channel created
// after the join has no entry and counts from its first message.

func communityUserMethods(t methods[*userActor]) {
	on(t, messages.MethodQueryCommunityList, (*userActor).queryCommunityList)
	on(t, messages.MethodSetCommunityNotificationStatus, (*userActor).setCommunityNotificationStatus)
}

// userCommunity is one of the user's communities as its user actor knows it.
type userCommunity struct {
	rec        *messages.CommunityRecord
	joined     *messages.CommunityUserRecord
	status     int32 // the user's notification status of the community
	lastUnread int64 // the unread count last pushed in communityListChanged
}

func communityOfConv(convID string) string {
	if i := strings.IndexByte(convID, '/'); i > 0 {
		return convID[:i]
	}
	return ""
}

// countsInTotal reports whether a conversation's unread count adds to the user's total:
// a channel only while its community is in notify status (seed 000).
func (u *userActor) countsInTotal(e *convEntry) bool {
	if e.ctype != ConvChannel {
		return true
	}
	c := u.communities[communityOfConv(e.id)]
	return c != nil && c.status == NotifyOn
}

// communityUnread is the community's unread count: the sum over its channels in notify
// status, 0 while the community itself is in do-not-disturb status.
func (u *userActor) communityUnread(id string) int64 {
	c := u.communities[id]
	if c == nil || c.status != NotifyOn {
		return 0
	}
	var n int64
	prefix := id + "/"
	for _, e := range u.convs {
		if e.ctype == ConvChannel && !e.deleted() && e.status() == NotifyOn && strings.HasPrefix(e.id, prefix) {
			n += e.unread()
		}
	}
	return n
}

func (u *userActor) communityView(id string) *messages.Community {
	c := u.communities[id]
	v := &messages.Community{BaseInfo: &messages.CommunityInfo{CommunityID: id}, NotificationStatus: NotifyOn}
	if c != nil {
		v.BaseInfo.CommunityName, v.BaseInfo.CommunityAvatarUrl = c.rec.CommunityName, c.rec.CommunityAvatarUrl
		v.NotificationStatus = c.status
		v.UnreadMessageCount = u.communityUnread(id)
	}
	return v
}

// loadCommunities (re)loads every community of the user and their channel
// conversations. justLoaded: the conversation index entries in u.convs were read from
// the store just now (activation), so they are not read again.
func (u *userActor) loadCommunities(ctx context.Context, g *grain, justLoaded bool) error {
	joined := map[string]*messages.CommunityUserRecord{}
	if err := scanRecords(ctx, g.rt.Store(), keyCommunityUserPrefix(u.id), func(_ []byte, r *messages.CommunityUserRecord) bool {
		joined[r.CommunityID] = r
		return true
	}); err != nil {
		return err
	}
	ids := map[string]bool{}
	for id := range joined {
		ids[id] = true
	}
	for id := range u.communities {
		ids[id] = true
	}
	var idxs map[string]*messages.StoredConvIndex
	if justLoaded {
		idxs = map[string]*messages.StoredConvIndex{}
	}
	for _, e := range u.convs { // index entries of communities the user is no longer in
		if e.ctype == ConvChannel {
			ids[communityOfConv(e.id)] = true
			if justLoaded {
				idxs[e.id] = e.idx
			}
		}
	}
	for id := range ids {
		if _, err := u.reloadCommunity(ctx, g, id, reloadHints{joined: joined[id], known: justLoaded, idxs: idxs}); err != nil {
			return err
		}
	}
	return nil
}

// reloadHints carries what a caller already read from the store: the user's side of
// the membership (joined; with known, nil means none) and the user's channel index
// entries (idxs, by conversation ID; nil: read them).
type reloadHints struct {
	joined *messages.CommunityUserRecord
	known  bool
	idxs   map[string]*messages.StoredConvIndex
}

// refreshCommunities reloads the communities when the user actor may hold a stale view
// (no device: the communities keep only online members' user actors told).
func (u *userActor) refreshCommunities(g *grain) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := u.loadCommunities(ctx, g, false); err != nil {
		g.Log().Error("reload communities", "err", err)
	}
	u.total = u.totalUnread(nil)
}

// convChange is one conversation event to push after a reload.
type convChange struct {
	e     *convEntry
	event int32
}

// reloadCommunity reads the user's membership of community id and its channels from
// the store and brings the channel conversations in line with it.
func (u *userActor) reloadCommunity(ctx context.Context, g *grain, id string, hints reloadHints) ([]convChange, error) {
	rec, joined, err := u.loadCommunityMembership(ctx, g, id, hints)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		delete(u.communities, id)
		return u.dropChannelConvs(id, func(string) bool { return true }), nil
	}
	c := u.rememberCommunity(id, rec, joined)
	if err := u.loadCommunityNotifyStatus(ctx, g, id, c); err != nil {
		return nil, err
	}
	idxs := hints.idxs
	if idxs == nil {
		if idxs, err = u.channelIndexes(ctx, g, id); err != nil {
			return nil, err
		}
	}
	visible, changes, err := u.syncChannelConvs(ctx, g, id, idxs)
	if err != nil {
		return nil, err
	}
	return append(changes, u.dropChannelConvs(id, func(conv string) bool { return !visible[conv] })...), nil
}

// loadCommunityMembership is community id's record and the user's side of its
// membership (from hints when known), or a nil record when the user is not a member
// of it or it is dismissed.
func (u *userActor) loadCommunityMembership(ctx context.Context, g *grain, id string, hints reloadHints) (*messages.CommunityRecord, *messages.CommunityUserRecord, error) {
	st := g.rt.Store()
	joined, member := hints.joined, hints.joined != nil
	var err error
	if !hints.known {
		if joined, member, err = getRecord[messages.CommunityUserRecord](ctx, st, keyCommunityUser(u.id, id)); err != nil {
			return nil, nil, err
		}
	}
	if !member {
		return nil, nil, nil
	}
	rec, member, err := getRecord[messages.CommunityRecord](ctx, st, keyCommunity(id))
	if err != nil {
		return nil, nil, err
	}
	if !member || rec.Dismissed {
		return nil, nil, nil
	}
	return rec, joined, nil
}

// rememberCommunity is the user's entry of community id (created, notifying, when
// missing), updated to rec and joined.
func (u *userActor) rememberCommunity(id string, rec *messages.CommunityRecord, joined *messages.CommunityUserRecord) *userCommunity {
	c := u.communities[id]
	if c == nil {
		c = &userCommunity{status: NotifyOn}
		u.communities[id] = c
	}
	c.rec, c.joined = rec, joined
	return c
}

// loadCommunityNotifyStatus sets c's notification status from the user's stored
// state of community id, when it has one.
func (u *userActor) loadCommunityNotifyStatus(ctx context.Context, g *grain, id string, c *userCommunity) error {
	us, ok, err := getRecord[messages.CommunityUserState](ctx, g.rt.Store(), keyCommunityUserState(u.id, id))
	if err == nil && ok && us.NotificationStatus != 0 {
		c.status = us.NotificationStatus
	}
	return err
}

// channelIndexes is the user's index entries of community id's channels (by
// conversation ID), read in one scan.
func (u *userActor) channelIndexes(ctx context.Context, g *grain, id string) (map[string]*messages.StoredConvIndex, error) {
	idxs := map[string]*messages.StoredConvIndex{}
	prefix := keyChannelConvIndexPrefix(u.id, id)
	err := scanRecords(ctx, g.rt.Store(), prefix, func(k []byte, idx *messages.StoredConvIndex) bool {
		if rest, ok := lastKeyPart(prefix, k); ok {
			idxs[id+"/"+rest] = idx
		}
		return true
	})
	return idxs, err
}

// syncChannelConvs brings the conversation of each channel of community id the user
// sees in line with the channel's record: it returns the visible channels'
// conversation IDs and the conversations that appeared (event 0) or changed (1).
func (u *userActor) syncChannelConvs(ctx context.Context, g *grain, id string, idxs map[string]*messages.StoredConvIndex) (map[string]bool, []convChange, error) {
	visible := map[string]bool{}
	var changes []convChange
	var serr error
	err := scanRecords(ctx, g.rt.Store(), keyChannelPrefix(id), func(_ []byte, ch *messages.CommunityChannelRecord) bool {
		if serr != nil {
			return false
		}
		conv := ChannelConversationID(id, ch.ChannelID)
		idx := channelIndexSeen(ch, idxs[conv])
		if idx == nil {
			return true
		}
		visible[conv] = true
		var change *convChange
		if change, serr = u.syncChannelConv(ctx, g, ch, conv, idx); change != nil {
			changes = append(changes, *change)
		}
		return true
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return nil, nil, err
	}
	return visible, changes, nil
}

// channelIndexSeen is the user's index entry of channel ch (idx, the stored one, or
// a fresh one from the start of a public channel), or nil when the user does not see
// the channel (dismissed, or private and not a member).
func channelIndexSeen(ch *messages.CommunityChannelRecord, idx *messages.StoredConvIndex) *messages.StoredConvIndex {
	switch {
	case ch.Dismissed:
		return nil
	case idx != nil:
		return idx
	case ch.ChannelType == ChannelPrivate:
		return nil
	}
	return &messages.StoredConvIndex{Since: 1, OrderKey: ch.CreateTime}
}

// syncChannelConv brings the user's conversation conv of channel ch (created when
// missing) in line with the channel and the index entry idx, and loads its log head;
// the change is nil when nothing the user sees changed.
func (u *userActor) syncChannelConv(ctx context.Context, g *grain, ch *messages.CommunityChannelRecord, conv string, idx *messages.StoredConvIndex) (*convChange, error) {
	key := convKey(ConvChannel, conv)
	e := u.convs[key]
	event := int32(1)
	if e == nil {
		event = 0
		cs, _, err := getRecord[messages.StoredConvState](ctx, g.rt.Store(), keyConvState(u.id, ConvChannel, conv))
		if err != nil {
			return nil, err
		}
		e = &convEntry{ctype: ConvChannel, id: conv, logID: conv, st: cs}
		u.convs[key] = e
	}
	changed := event == 0 || e.name != ch.ChannelName || e.avatar != ch.ChannelAvatarUrl || !proto.Equal(e.idx, idx)
	e.idx = idx
	e.name, e.avatar, e.named = ch.ChannelName, ch.ChannelAvatarUrl, true
	if err := u.loadHead(ctx, g, e); err != nil {
		return nil, err
	}
	if !changed {
		return nil, nil
	}
	return &convChange{e, event}, nil
}

// dropChannelConvs removes the user's conversations of community id's channels that
// drop says to, and returns them as removals (event 3).
func (u *userActor) dropChannelConvs(id string, drop func(conv string) bool) []convChange {
	prefix := id + "/"
	var changes []convChange
	for key, e := range u.convs {
		if e.ctype == ConvChannel && strings.HasPrefix(e.id, prefix) && drop(e.id) {
			delete(u.convs, key)
			changes = append(changes, convChange{e, 3})
		}
	}
	return changes
}

// communityUpdate applies a community actor's news: the user's view of the community
// changed (joined, left, channels, profile).
func (u *userActor) communityUpdate(g *grain, m *messages.CommunityUserUpdate) {
	_, was := u.communities[m.CommunityID]
	var before *messages.Community
	if was {
		before = u.communityView(m.CommunityID)
	}
	ctx, cancel := g.CallCtx()
	changes, err := u.reloadCommunity(ctx, g, m.CommunityID, reloadHints{})
	cancel()
	if err != nil {
		g.Log().Error("reload community", "community", m.CommunityID, "err", err)
		return
	}
	c, is := u.communities[m.CommunityID]
	if is && !was && len(u.devices) > 0 {
		g.rt.Send(KindCommunity, m.CommunityID, &messages.CommunityMemberPresence{UserID: u.id, Conns: append([]*messages.ConnRef(nil), u.devices...)})
	}
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return
	}
	if m.Push != nil {
		u.pushRaw(g, m.Push, 0)
	}
	if len(changes) > 0 {
		ev := &messages.ConversationChangedEvent{}
		for _, ch := range changes {
			ev.InfoList = append(ev.InfoList, &messages.ConversationChangeInfo{Event: ch.event, Conversation: u.view(g, ch.e)})
		}
		u.push(g, messages.EventConversationChanged.With(ev), 0)
	}
	action := int32(-1)
	after := u.communityView(m.CommunityID)
	switch {
	case is && !was:
		action = ListAdded
	case was && !is:
		action = ListDeleted
	case is && !proto.Equal(before, after):
		action = ListUpdated
	}
	if action >= 0 {
		if is {
			c.lastUnread = after.UnreadMessageCount
		}
		u.push(g, messages.EventCommunityListChanged.With(&messages.CommunityListChangedEvent{
			ChangeInfoList: []*messages.CommunityChangeInfo{{Action: action, Community: after}},
		}), 0)
	}
	u.totalChanged(g)
}

// totalChanged pushes the total unread count when it moved.
func (u *userActor) totalChanged(g *grain) {
	if t := u.totalUnread(nil); t != u.total {
		u.total = t
		if len(u.devices) > 0 {
			u.push(g, messages.EventConversationTotalUnreadMessageCountUpdated.With(
				&messages.ConversationTotalUnreadMessageCountUpdatedEvent{TotalUnreadMessageCount: t}), 0)
		}
	}
}

// communityChangedEvent appends communityListChanged to events when a channel
// conversation's change moved its community's unread count.
func (u *userActor) communityChangedEvent(e *convEntry, events []PushEvent) []PushEvent {
	id := communityOfConv(e.id)
	c := u.communities[id]
	if c == nil {
		return events
	}
	if n := u.communityUnread(id); n != c.lastUnread {
		c.lastUnread = n
		events = append(events, PushEvent{Pushed: messages.EventCommunityListChanged.With(&messages.CommunityListChangedEvent{
			ChangeInfoList: []*messages.CommunityChangeInfo{{Action: ListUpdated, Community: u.communityView(id)}},
		})})
	}
	return events
}

// communityPresence tells every community of the user its current connections.
func (u *userActor) communityPresence(g *grain) {
	conns := append([]*messages.ConnRef(nil), u.devices...)
	for id := range u.communities {
		g.rt.Send(KindCommunity, id, &messages.CommunityMemberPresence{UserID: u.id, Conns: conns})
	}
}

func (u *userActor) queryCommunityList(g *grain, c *messages.Call, p *messages.CommunityListQueryParams) (*messages.CommunityListQueriedResult, error) {
	lim := g.rt.Limits().Community
	var from int64
	if p.Config != nil {
		from = p.Config.NextFlag
	}
	if p.Count <= 0 || int(p.Count) > lim.PageMax || from < 0 {
		return nil, ErrParamInvalid
	}
	ids := make([]string, 0, len(u.communities))
	for id := range u.communities {
		ids = append(ids, id)
	}
	// In join order (the order the user came into them), ties by ID.
	sort.Slice(ids, func(i, j int) bool {
		a, b := u.communities[ids[i]].joined, u.communities[ids[j]].joined
		if a.JoinTime != b.JoinTime {
			return a.JoinTime < b.JoinTime
		}
		return ids[i] < ids[j]
	})
	start := min(int(from), len(ids))
	end := min(start+int(p.Count), len(ids))
	res := &messages.CommunityListQueriedResult{}
	for _, id := range ids[start:end] {
		res.CommunityList = append(res.CommunityList, u.communityView(id))
	}
	if end < len(ids) {
		res.NextFlag = int64(end)
	}
	return res, nil
}

func (u *userActor) setCommunityNotificationStatus(g *grain, c *messages.Call, p *messages.CommunityNotificationStatusParams) (*messages.CommunityNotificationStatusSetResult, error) {
	if p.Status != NotifyOn && p.Status != NotifyDND || !ValidCommunityID(p.CommunityID, g.rt.Limits().Community.IDBytes) {
		return nil, ErrParamInvalid
	}
	// (Online, the communities keep this actor told; without devices, call reloaded them.)
	com := u.communities[p.CommunityID]
	if com == nil {
		ctx, cancel := g.CallCtx()
		defer cancel()
		if rec, ok, err := getRecord[messages.CommunityRecord](ctx, g.rt.Store(), keyCommunity(p.CommunityID)); err != nil {
			return nil, err
		} else if !ok || rec.Dismissed {
			return nil, ErrCommunityNotExist
		}
		return nil, ErrNotCommunityMember
	}
	if com.status != p.Status {
		b := &persistence.Batch{}
		putProto(b, keyCommunityUserState(u.id, p.CommunityID), &messages.CommunityUserState{NotificationStatus: p.Status})
		ctx, cancel := g.CallCtx()
		err := g.rt.Store().Write(ctx, b)
		cancel()
		if err != nil {
			return nil, err
		}
		com.status = p.Status
		com.lastUnread = u.communityUnread(p.CommunityID)
		if len(u.devices) > 0 {
			u.push(g, messages.EventCommunityListChanged.With(&messages.CommunityListChangedEvent{
				ChangeInfoList: []*messages.CommunityChangeInfo{{Action: ListUpdated, Community: u.communityView(p.CommunityID)}},
			}), 0)
		}
		u.totalChanged(g)
	}
	return &messages.CommunityNotificationStatusSetResult{CommunityID: p.CommunityID, Status: p.Status}, nil
}
