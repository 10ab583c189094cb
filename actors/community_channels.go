package actors

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Channel management in the community actor: creating and dismissing channels, their
// profile, attributes and mute, the member lists of private channels, and the channel
// list and info queries. The community actor owns every channel record; after each
// change it tells the channel actor (syncChannel: record, online members), the online
// members who see the channel (communityChannelListChanged / communityChannelInfoUpdated)
// and their user actors (tellOnline / tellUser: they add, rename or remove the channel
// conversation).
//
// Who sees a channel: every member sees GENERAL and PUBLIC channels; a PRIVATE channel
// its members and the owner and admins, who manage it (in lists, info, member lists and
// management calls; they read it and get its messages only once they are in it). To
// everyone else a private channel is invisible: every call that names it answers as if
// it did not exist (6001009).

func communityChannelsMethods(t methods[*communityActor]) {
	on(t, messages.MethodCreateCommunityChannel, (*communityActor).createChannel)
	on(t, messages.MethodDismissCommunityChannel, (*communityActor).dismissChannel)
	on(t, messages.MethodUpdateCommunityChannelName, (*communityActor).updateChannelName)
	on(t, messages.MethodUpdateCommunityChannelAvatarUrl, (*communityActor).updateChannelAvatar)
	on(t, messages.MethodUpdateCommunityChannelNotice, (*communityActor).updateChannelNotice)
	on(t, messages.MethodSetCommunityChannelAttributes, (*communityActor).setChannelAttributes)
	on(t, messages.MethodDeleteCommunityChannelAttributes, (*communityActor).deleteChannelAttributes)
	on(t, messages.MethodQueryCommunityChannelList, (*communityActor).queryChannelList)
	on(t, messages.MethodQueryCommunityChannelInfo, (*communityActor).queryChannelInfo)
	on(t, messages.MethodMuteCommunityChannels, (*communityActor).muteChannels)
	on(t, messages.MethodInviteUsersIntoCommunityChannel, (*communityActor).inviteChannelUsers)
	on(t, messages.MethodKickCommunityChannelMembers, (*communityActor).kickChannelUsers)
	on(t, messages.MethodQueryCommunityChannelMemberList, (*communityActor).queryChannelMembers)
}

// channelMuteMaxSeconds: a channel mute lasts 1..2,592,001 seconds (seed 000's community
// mute page), one second more than a group mute (muteMaxSeconds).
const channelMuteMaxSeconds = muteMaxSeconds + 1

// channelMuteExpiry is muteExpiry with the channel range.
func channelMuteExpiry(now time.Time, seconds int64) (int64, bool) {
	if seconds >= 1 && seconds <= channelMuteMaxSeconds {
		return now.Add(time.Duration(seconds) * time.Second).UnixMilli(), true
	}
	return muteExpiry(now, seconds) // -1 permanent; anything else refused
}

// channelPage checks a page config of the channel and channel member lists: count
// 1..max, nextFlag >= 0.
func channelPage(cfg *messages.CommunityPageConfig, max int) (int, int64, error) {
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > max || cfg.NextFlag < 0 {
		return 0, 0, ErrParamInvalid
	}
	return int(cfg.Count), cfg.NextFlag, nil
}

// seenChannel is live channel id when user (a member) sees it.
func (a *communityActor) seenChannel(id, user string) (*messages.CommunityChannelRecord, error) {
	ch := a.channels[id]
	if ch == nil || !a.sees(ch, user) {
		return nil, ErrChannelNotExist
	}
	return ch, nil
}

// sees reports whether user (a member) sees channel ch: it is in it, or manages the
// community.
func (a *communityActor) sees(ch *messages.CommunityChannelRecord, user string) bool {
	if a.canSee(ch, user) {
		return true
	}
	m := a.members.get(user)
	return m != nil && isManager(m.Role)
}

func cloneChannel(ch *messages.CommunityChannelRecord) *messages.CommunityChannelRecord {
	return proto.Clone(ch).(*messages.CommunityChannelRecord)
}

// channelListChanged is a communityChannelListChanged payload for one channel.
func (a *communityActor) channelListChanged(g *grain, ch *messages.CommunityChannelRecord, action int32) *messages.CommunityChannelListChangedEvent {
	return &messages.CommunityChannelListChangedEvent{CommunityID: a.id, ChangeInfoList: []*messages.CommunityChannelChangeInfo{
		{Action: action, Channel: a.channelView(g, ch)},
	}}
}

// pushUsers hands an event to the online ones of users.
func (a *communityActor) pushUsers(g *grain, users []string, ev messages.Pushed) {
	event := ev.Name
	var p *messages.Push
	for _, user := range users {
		if !a.online.has(user) {
			continue
		}
		if p == nil {
			var err error
			if p, err = NewPush(ev); err != nil {
				g.Log().Error("encode community event", "event", event, "err", err)
				return
			}
		}
		a.online.pushUser(g.rt, user, p, 0)
	}
}

// channelsUpdated pushes communityChannelInfoUpdated for changed channels to the online
// members who see them: the GENERAL and PUBLIC ones in one event to everyone, each
// private one to its members.
func (a *communityActor) channelsUpdated(g *grain, chans []*messages.CommunityChannelRecord, operator string) {
	if a.online.len() == 0 || len(chans) == 0 {
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	op := a.operated(newProfiles(ctx, g), operator)
	var open []*messages.CommunityChannel
	for _, ch := range chans {
		if ch.ChannelType == ChannelPrivate {
			a.pushChannelMembers(g, ch, messages.EventCommunityChannelInfoUpdated.With(&messages.CommunityChannelInfoUpdatedEvent{
				CommunityID: a.id, ChannelList: []*messages.CommunityChannel{a.channelView(g, ch)}, OperatedInfo: op,
			}))
			continue
		}
		open = append(open, a.channelView(g, ch))
	}
	if len(open) > 0 {
		a.pushAll(g, messages.EventCommunityChannelInfoUpdated.With(&messages.CommunityChannelInfoUpdatedEvent{CommunityID: a.id, ChannelList: open, OperatedInfo: op}), "")
	}
}

// syncChannelMember tells channel ch's actor about one member: its connections (gone:
// none, the member left the channel).
func (a *communityActor) syncChannelMember(g *grain, ch *messages.CommunityChannelRecord, user string, gone bool) {
	cm := a.channelMember(user)
	if gone {
		cm.Conns = nil
	}
	a.tellChannel(g, ch, &messages.CommunityChannelSync{Members: []*messages.CommunityChannelMember{cm}})
}

// ---- create and dismiss ----

func (a *communityActor) createChannel(g *grain, c *messages.Call, p *messages.CommunityChannelCreateParams) (*messages.CommunityChannelResult, error) {
	lim := g.rt.Limits().Community
	info, cfg := p.ChannelInfo, p.Config
	if info == nil {
		info = &messages.CommunityChannelInfo{}
	}
	if cfg == nil {
		cfg = &messages.CommunityChannelCreateConfig{}
	}
	typ := cfg.ChannelType
	if typ == 0 {
		typ = ChannelPublic
	}
	if typ != ChannelPublic && typ != ChannelPrivate { // GENERAL comes with the community only
		return nil, ErrParamInvalid
	}
	if id := info.ChannelID; id != "" && (id[0] == '#' || !ValidCommunityID(id, lim.IDBytes)) {
		return nil, ErrParamInvalid
	}
	if !validChars(info.ChannelName, lim.NameChars) || !validChars(info.ChannelAvatarUrl, lim.AvatarURLChars) ||
		!validChars(cfg.ChannelNotice, lim.NoticeChars) || len(cfg.UserIDs) > lim.ChannelUsersCall {
		return nil, ErrParamInvalid
	}
	var attrs map[string]string
	if len(cfg.ChannelAttributes) > 0 {
		out, bad, err := communityAttrs(lim, nil, cfg.ChannelAttributes)
		if err != nil {
			return nil, err
		}
		if len(bad) > 0 {
			return nil, ErrParamInvalid
		}
		attrs = out
	}
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	id := info.ChannelID
	if id == "" {
		id = "#C" + strconv.FormatUint(g.rt.NewMessageID(), 36)
	} else if a.channels[id] != nil {
		return nil, ErrChannelExists
	} else if _, found, err := getRecord[messages.CommunityChannelRecord](ctx, g.rt.Store(), keyChannel(a.id, id)); err != nil {
		return nil, err
	} else if found { // a dismissed channel: its ID is not reused
		return nil, ErrChannelExists
	}
	if len(a.channels) >= lim.Channels {
		return nil, ErrCommunityChannelLimit
	}
	now := g.rt.now().UnixMilli()
	rec := cloneCommunity(a.rec)
	rec.ChannelOrder++
	ch := &messages.CommunityChannelRecord{
		CommunityID: a.id, ChannelID: id, ChannelName: info.ChannelName, ChannelAvatarUrl: info.ChannelAvatarUrl,
		ChannelNotice: cfg.ChannelNotice, ChannelType: typ, Attributes: attrs, CreateTime: now, CreatorUserID: c.UserID,
		Mute: &messages.GroupMuteInfo{}, Order: rec.ChannelOrder,
	}
	b := &persistence.Batch{}
	b.ExpectAbsent(keyChannel(a.id, id)) // a second activation cannot create it twice
	putProto(b, keyChannel(a.id, id), ch)
	putProto(b, keyCommunity(a.id), rec)
	var set map[string]bool
	if typ == ChannelPrivate {
		// The creator and the listed members (others are left out); public channels need
		// no entries: every member sees them from their first message.
		set = map[string]bool{}
		for _, user := range append([]string{c.UserID}, cfg.UserIDs...) {
			if set[user] || a.members.get(user) == nil {
				continue
			}
			set[user] = true
			b.Put(keyChannelMember(a.id, id, user), []byte{})
			a.openConversation(b, ch, user, 0)
		}
	}
	if err := g.rt.Store().Write(ctx, b); err != nil {
		if errors.Is(err, persistence.ErrConflict) {
			return nil, ErrChannelExists
		}
		return nil, err
	}
	a.rec = rec
	a.channels[id] = ch
	if set != nil {
		a.private[id] = set
	}
	a.syncChannel(g, ch, true)
	a.pushChannelMembers(g, ch, messages.EventCommunityChannelListChanged.With(a.channelListChanged(g, ch, ListAdded)))
	a.tellOnline(g, ch)
	a.tipGeneral(g, TipsCommunityChannelCreated, c.UserID, nil)
	return &messages.CommunityChannelResult{Channel: a.channelView(g, ch)}, nil
}

func (a *communityActor) dismissChannel(g *grain, c *messages.Call, p *messages.CommunityChannelIDParams) (*messages.CommunityChannelIDResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, err
	}
	if ch.ChannelType == ChannelGeneral {
		return nil, ErrCommunityNoPermission
	}
	// First the record (from here on the channel is gone, its ID taken for good), then
	// the members' index entries in chunks. A crash in between leaves index entries of a
	// dismissed channel: the user actors ignore them.
	gone := cloneChannel(ch)
	gone.Dismissed = true
	b := &persistence.Batch{}
	putProto(b, keyChannel(a.id, gone.ChannelID), gone)
	if err := a.write(g, b); err != nil {
		return nil, err
	}
	a.pushChannelMembers(g, ch, messages.EventCommunityChannelListChanged.With(a.channelListChanged(g, ch, ListDeleted)))
	a.syncChannel(g, gone, false)
	var users []string
	if ch.ChannelType == ChannelPrivate {
		for user := range a.private[ch.ChannelID] {
			users = append(users, user)
		}
	} else {
		for _, m := range a.members.order {
			users = append(users, m.UserID)
		}
	}
	a.tellOnline(g, ch) // (before forgetting who was in a private channel)
	delete(a.channels, ch.ChannelID)
	delete(a.private, ch.ChannelID)
	conv := ChannelConversationID(a.id, ch.ChannelID)
	for start := 0; start < len(users); start += dismissChunk {
		b := &persistence.Batch{}
		for _, user := range users[start:min(start+dismissChunk, len(users))] {
			b.Delete(keyConvIndex(user, ConvChannel, conv))
			if ch.ChannelType == ChannelPrivate {
				b.Delete(keyChannelMember(a.id, ch.ChannelID, user))
			}
		}
		if err := a.write(g, b); err != nil {
			g.Log().Error("dismiss channel: index cleanup", "community", a.id, "channel", ch.ChannelID, "err", err)
			break
		}
	}
	return &messages.CommunityChannelIDResult{CommunityID: a.id, ChannelID: ch.ChannelID}, nil
}

// ---- profile and attributes ----

// updateChannel applies a change of the owner or an admin to a channel the caller
// sees, and tells everyone who sees it. listed: the channel conversation shows the
// change (name, avatar).
func (a *communityActor) updateChannel(g *grain, c *messages.Call, id string, change func(*messages.CommunityChannelRecord), listed bool) (*messages.CommunityChannelRecord, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(id, c.UserID)
	if err != nil {
		return nil, err
	}
	ch = cloneChannel(ch)
	change(ch)
	b := &persistence.Batch{}
	putProto(b, keyChannel(a.id, ch.ChannelID), ch)
	if err := a.write(g, b); err != nil {
		return nil, err
	}
	a.channels[ch.ChannelID] = ch
	a.syncChannel(g, ch, false)
	a.channelsUpdated(g, []*messages.CommunityChannelRecord{ch}, c.UserID)
	if listed {
		a.tellOnline(g, ch)
	}
	return ch, nil
}

// updateChannelText serves the three channel text updates: value checked against
// limit characters, then set by set on the channel params names.
func (a *communityActor) updateChannelText(g *grain, c *messages.Call, channelID, value string, limit int, set func(*messages.CommunityChannelRecord, string), listed bool) (*messages.CommunityChannelResult, error) {
	if !validChars(value, limit) {
		return nil, ErrParamInvalid
	}
	ch, err := a.updateChannel(g, c, channelID, func(r *messages.CommunityChannelRecord) { set(r, value) }, listed)
	if err != nil {
		return nil, err
	}
	return &messages.CommunityChannelResult{Channel: a.channelView(g, ch)}, nil
}

func (a *communityActor) updateChannelName(g *grain, c *messages.Call, p *messages.CommunityChannelUpdateNameParams) (*messages.CommunityChannelResult, error) {
	return a.updateChannelText(g, c, p.ChannelID, p.ChannelName, g.rt.Limits().Community.NameChars,
		func(r *messages.CommunityChannelRecord, v string) { r.ChannelName = v }, true)
}

func (a *communityActor) updateChannelAvatar(g *grain, c *messages.Call, p *messages.CommunityChannelUpdateAvatarUrlParams) (*messages.CommunityChannelResult, error) {
	return a.updateChannelText(g, c, p.ChannelID, p.ChannelAvatarUrl, g.rt.Limits().Community.AvatarURLChars,
		func(r *messages.CommunityChannelRecord, v string) { r.ChannelAvatarUrl = v }, true)
}

func (a *communityActor) updateChannelNotice(g *grain, c *messages.Call, p *messages.CommunityChannelUpdateNoticeParams) (*messages.CommunityChannelResult, error) {
	return a.updateChannelText(g, c, p.ChannelID, p.ChannelNotice, g.rt.Limits().Community.NoticeChars,
		func(r *messages.CommunityChannelRecord, v string) { r.ChannelNotice = v }, false)
}

func (a *communityActor) setChannelAttributes(g *grain, c *messages.Call, p *messages.CommunityChannelSetAttributesParams) (*messages.CommunityChannelAttributesOperatedResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, err
	}
	out, bad, err := communityAttrs(g.rt.Limits().Community, ch.Attributes, p.Attributes)
	if err != nil {
		return nil, err
	}
	if len(bad) < len(p.Attributes) {
		if _, err := a.updateChannel(g, c, ch.ChannelID, func(r *messages.CommunityChannelRecord) { r.Attributes = out }, false); err != nil {
			return nil, err
		}
	}
	return &messages.CommunityChannelAttributesOperatedResult{CommunityID: a.id, ChannelID: ch.ChannelID, ErrorKeys: bad}, nil
}

func (a *communityActor) deleteChannelAttributes(g *grain, c *messages.Call, p *messages.CommunityChannelAttributeKeysParams) (*messages.CommunityChannelAttributesOperatedResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, err
	}
	keys := dedupe(p.Keys)
	out, bad, err := communityAttrsDelete(ch.Attributes, keys)
	if err != nil {
		return nil, err
	}
	if len(bad) < len(keys) {
		if _, err := a.updateChannel(g, c, ch.ChannelID, func(r *messages.CommunityChannelRecord) { r.Attributes = out }, false); err != nil {
			return nil, err
		}
	}
	return &messages.CommunityChannelAttributesOperatedResult{CommunityID: a.id, ChannelID: ch.ChannelID, ErrorKeys: bad}, nil
}

// ---- queries ----

// queryChannelList lists the channels the caller sees in creation order; nextFlag is
// the creation order of the first channel of the next page (orders start at 1).
func (a *communityActor) queryChannelList(g *grain, c *messages.Call, p *messages.CommunityChannelListQueryParams) (*messages.CommunityChannelListQueriedResult, error) {
	count, from, err := channelPage(p.Config, g.rt.Limits().Community.PageMax)
	if err != nil {
		return nil, err
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	res := &messages.CommunityChannelListQueriedResult{CommunityID: a.id}
	for _, ch := range a.sortedChannels() {
		if ch.Order < from || !a.sees(ch, c.UserID) {
			continue
		}
		if len(res.ChannelList) == count {
			res.NextFlag = ch.Order
			break
		}
		res.ChannelList = append(res.ChannelList, a.channelView(g, ch))
	}
	return res, nil
}

func (a *communityActor) queryChannelInfo(g *grain, c *messages.Call, p *messages.CommunityChannelIDParams) (*messages.CommunityChannelResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, err
	}
	return &messages.CommunityChannelResult{Channel: a.channelView(g, ch)}, nil
}

// queryChannelMembers pages a channel's members in community join order: a private
// channel's own members, the community's members for the others.
func (a *communityActor) queryChannelMembers(g *grain, c *messages.Call, p *messages.CommunityChannelMemberListQueryParams) (*messages.CommunityChannelMemberListQueriedResult, error) {
	count, from, err := channelPage(p.Config, g.rt.Limits().Community.PageMax)
	if err != nil {
		return nil, err
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, err
	}
	var list []*messages.GroupMemberRecord
	var next int64
	if ch.ChannelType == ChannelPrivate {
		// Its own members only, in join order: O(channel members), whatever the community's size.
		in := newMemberSet()
		for user := range a.private[ch.ChannelID] {
			if m := a.members.get(user); m != nil {
				in.order = append(in.order, m)
			}
		}
		sort.Slice(in.order, func(i, j int) bool { return in.order[i].JoinOrder < in.order[j].JoinOrder })
		list, next = in.page(from, count, nil)
	} else {
		list, next = a.members.page(from, count, nil)
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	res := &messages.CommunityChannelMemberListQueriedResult{CommunityID: a.id, ChannelID: ch.ChannelID, NextFlag: next}
	for _, m := range list {
		res.UserList = append(res.UserList, a.memberInfo(prof, m, g))
	}
	return res, nil
}

// ---- mute ----

// muteChannels sets (or lifts) the mute of several channels. As for groups, an admin
// may not mute everyone (ALL) nor the owner's or admins' roles.
func (a *communityActor) muteChannels(g *grain, c *messages.Call, p *messages.CommunityMuteChannelsParams) (*messages.CommunityChannelsMutedResult, error) {
	lim := g.rt.Limits().Community
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.CommunityChannelMuteConfig{}
	}
	ids := dedupe(p.ChannelIDs)
	if cfg.Mode < MuteNone || cfg.Mode > MuteCustom || len(ids) == 0 || len(ids) > lim.Channels {
		return nil, ErrParamInvalid
	}
	now := g.rt.now()
	mute := &messages.GroupMuteInfo{Mode: MuteNone}
	if p.IsMute && cfg.Mode != MuteNone {
		exp, ok := channelMuteExpiry(now, cfg.Duration)
		if !ok {
			return nil, ErrParamInvalid
		}
		mute = &messages.GroupMuteInfo{Mode: cfg.Mode, ExpiredTime: exp}
		if cfg.Mode == MuteCustom {
			var err error
			if mute.Roles, err = muteRoles(cfg.Roles, lim.MuteRoles); err != nil {
				return nil, err
			}
		}
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, err
	}
	if err := a.members.mayMuteAll(me, mute); err != nil {
		return nil, err
	}
	res := &messages.CommunityChannelsMutedResult{CommunityID: a.id, IsMute: mute.Mode != MuteNone}
	b := &persistence.Batch{}
	var changed []*messages.CommunityChannelRecord
	for _, id := range ids {
		ch, err := a.seenChannel(id, c.UserID)
		if err != nil {
			res.ErrorChannelIDList = append(res.ErrorChannelIDList, id)
			continue
		}
		ch = cloneChannel(ch)
		ch.Mute = proto.Clone(mute).(*messages.GroupMuteInfo)
		putProto(b, keyChannel(a.id, ch.ChannelID), ch)
		changed = append(changed, ch)
		res.MutedChannelIDList = append(res.MutedChannelIDList, id)
	}
	if len(changed) == 0 {
		return res, nil
	}
	if err := a.write(g, b); err != nil {
		return nil, err
	}
	for _, ch := range changed {
		a.channels[ch.ChannelID] = ch
		a.syncChannel(g, ch, false)
	}
	a.channelsUpdated(g, changed, c.UserID)
	return res, nil
}

// ---- private channel members ----

// channelRoster is the roster of private channel ch: the community's members who are in
// it.
func (a *communityActor) channelRoster(ch *messages.CommunityChannelRecord) *roster {
	set := a.private[ch.ChannelID]
	return a.members.subset(channelRoster, func(user string) bool { return set[user] })
}

// channelUsers checks the params of a private channel member call: the caller manages,
// the channel is private and seen by the caller.
func (a *communityActor) channelUsers(g *grain, c *messages.Call, p *messages.CommunityChannelUsersParams) (*messages.GroupMemberRecord, *messages.CommunityChannelRecord, []string, error) {
	ids := dedupe(p.UserIDs)
	if len(ids) == 0 || len(ids) > g.rt.Limits().Community.ChannelUsersCall {
		return nil, nil, nil, ErrParamInvalid
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, nil, nil, err
	}
	ch, err := a.seenChannel(p.ChannelID, c.UserID)
	if err != nil {
		return nil, nil, nil, err
	}
	if ch.ChannelType != ChannelPrivate { // everyone is in the others
		return nil, nil, nil, ErrParamInvalid
	}
	return me, ch, ids, nil
}

func (a *communityActor) inviteChannelUsers(g *grain, c *messages.Call, p *messages.CommunityChannelUsersParams) (*messages.CommunityChannelUsersResult, error) {
	_, ch, ids, err := a.channelUsers(g, c, p)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	head, err := channelHead(ctx, g, ch) // older messages do not count as unread
	if err != nil {
		return nil, err
	}
	res := &messages.CommunityChannelUsersResult{CommunityID: a.id, ChannelID: ch.ChannelID}
	set := a.private[ch.ChannelID]
	in := a.channelRoster(ch)
	b := &persistence.Batch{}
	for _, user := range ids {
		switch {
		case a.members.get(user) == nil:
			res.ErrorUserList = append(res.ErrorUserList, refusedUser(user, a.members.codes.notMember))
		case in.get(user) != nil:
			res.ErrorUserList = append(res.ErrorUserList, refusedUser(user, in.codes.already))
		default:
			b.Put(keyChannelMember(a.id, ch.ChannelID, user), []byte{})
			a.openConversation(b, ch, user, head)
			res.UserIDList = append(res.UserIDList, user)
		}
	}
	if len(res.UserIDList) == 0 {
		return res, nil
	}
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return nil, err
	}
	if set == nil {
		set = map[string]bool{}
		a.private[ch.ChannelID] = set
	}
	for _, user := range res.UserIDList {
		set[user] = true
		a.tellUser(g, user, nil)
		if a.online.has(user) {
			a.syncChannelMember(g, ch, user, false)
		}
	}
	a.tellReaders(g, ch, nil, res.UserIDList)
	a.pushUsers(g, res.UserIDList, messages.EventCommunityChannelListChanged.With(a.channelListChanged(g, ch, ListAdded)))
	return res, nil
}

func (a *communityActor) kickChannelUsers(g *grain, c *messages.Call, p *messages.CommunityChannelUsersParams) (*messages.CommunityChannelUsersResult, error) {
	me, ch, ids, err := a.channelUsers(g, c, p)
	if err != nil {
		return nil, err
	}
	gone, refused := a.channelRoster(ch).kick(me, ids)
	res := &messages.CommunityChannelUsersResult{CommunityID: a.id, ChannelID: ch.ChannelID, ErrorUserList: refused}
	set := a.private[ch.ChannelID]
	conv := ChannelConversationID(a.id, ch.ChannelID)
	b := &persistence.Batch{}
	for _, m := range gone {
		b.Delete(keyChannelMember(a.id, ch.ChannelID, m.UserID))
		b.Delete(keyConvIndex(m.UserID, ConvChannel, conv))
		res.UserIDList = append(res.UserIDList, m.UserID)
	}
	if len(res.UserIDList) == 0 {
		return res, nil
	}
	if err := a.write(g, b); err != nil {
		return nil, err
	}
	for _, user := range res.UserIDList {
		delete(set, user)
		a.syncChannelMember(g, ch, user, true)
		a.tellUser(g, user, nil)
	}
	a.tellReaders(g, ch, res.UserIDList, nil)
	a.pushUsers(g, res.UserIDList, messages.EventCommunityChannelListChanged.With(a.channelListChanged(g, ch, ListDeleted)))
	return res, nil
}
