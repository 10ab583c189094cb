package actors

import (
	"errors"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Group lifecycle and members: create, join, leave, dismiss, kick, invite, transfer,
// roles, nicknames and the member queries.

func groupMembersMethods(t methods[*groupActor]) {
	on(t, messages.MethodCreateGroup, (*groupActor).create)
	on(t, messages.MethodJoinGroup, (*groupActor).join)
	on(t, messages.MethodLeaveGroup, (*groupActor).leave)
	on(t, messages.MethodDismissGroup, (*groupActor).dismiss)
	on(t, messages.MethodKickGroupMembers, (*groupActor).kick)
	on(t, messages.MethodInviteUsersIntoGroup, (*groupActor).invite)
	on(t, messages.MethodTransferGroupOwner, (*groupActor).transfer)
	on(t, messages.MethodSetGroupMemberRole, (*groupActor).setRole)
	on(t, messages.MethodSetGroupMemberNickname, (*groupActor).setNickname)
	on(t, messages.MethodQueryGroupMemberInfo, (*groupActor).queryMember)
	on(t, messages.MethodQueryGroupMemberList, (*groupActor).queryMembers)
	on(t, messages.MethodQueryGroupMemberCount, (*groupActor).queryCount)
}

// checkInvitees sorts invitees into those who can become members and the refusals
// (roster.screen: invalid ID 6000124, already a member 6000522, never registered 6000011).
func (a *groupActor) checkInvitees(g *grain, p *profileCache, ids []string, skip string) ([]string, []*messages.ErrorUserInfo, error) {
	lim := g.rt.Limits()
	var ok []string
	var bad []*messages.ErrorUserInfo
	for _, id := range dedupe(ids) {
		if id == skip {
			continue
		}
		why, err := a.members.screen(id, lim.UserIDBytes, p)
		if err != nil {
			return nil, nil, err
		}
		if why != nil {
			bad = append(bad, refusedUser(id, why))
			continue
		}
		ok = append(ok, id)
	}
	return ok, bad, nil
}

func validMode(v, maxV int32) bool { return v >= 0 && v <= maxV }

func (a *groupActor) create(g *grain, c *messages.Call, p *messages.GroupCreateParams) (*messages.GroupCreatedResult, error) {
	lim := g.rt.Limits()
	info := p.GroupInfo
	if info == nil || info.GroupID != a.id {
		return nil, ErrParamInvalid
	}
	if !validText(info.GroupName, lim.GroupNameBytes) || !validText(info.GroupAvatarUrl, lim.GroupAvatarURLBytes) {
		return nil, ErrParamInvalid
	}
	// The server's default join mode applies only when the client sent no config: the
	// config's joinMode is a proto3 int32, so 0 (any) cannot be told from a joinMode left
	// out, and ZIM declares joinMode a required member of ZIMGroupAdvancedConfig, so a
	// config a ZIM client sends states its join mode (0 included).
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.GroupAdvancedConfig{JoinMode: lim.GroupDefaultJoinMode}
	}
	if !validText(cfg.GroupNotice, lim.GroupNoticeBytes) || cfg.MaxMemberCount < 0 || int(cfg.MaxMemberCount) > lim.GroupMembersMax ||
		!validMode(cfg.JoinMode, GroupJoinForbid) || !validMode(cfg.InviteMode, GroupInviteAdmin) || !validMode(cfg.BeInviteMode, GroupBeInviteAuth) {
		return nil, ErrParamInvalid
	}
	if len(p.UserIDs) > lim.GroupUsersPerCall {
		return nil, ErrParamInvalid
	}
	var attrs map[string]string
	if len(cfg.GroupAttributes) > 0 {
		var err error
		if attrs, err = groupAttrRules(lim).set(nil, cfg.GroupAttributes); err != nil {
			return nil, err
		}
	}
	if a.rec != nil {
		if a.rec.Dismissed {
			return nil, ErrGroupDismissedID
		}
		return nil, ErrGroupExists
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	ok, bad, err := a.checkInvitees(g, prof, p.UserIDs, c.UserID)
	if err != nil {
		return nil, err
	}
	maxCount := int(cfg.MaxMemberCount)
	if maxCount == 0 {
		maxCount = lim.GroupMembersMax
	}
	if 1+len(ok) > maxCount {
		return nil, ErrGroupFull
	}
	now := g.rt.now()
	rec := &messages.GroupRecord{
		Version: 1, GroupID: a.id, GroupName: info.GroupName, GroupAvatarUrl: info.GroupAvatarUrl,
		GroupNotice: cfg.GroupNotice, Attributes: attrs, CreateTime: now.UnixMilli(), MaxMemberCount: int32(maxCount),
		VerifyInfo: &messages.GroupVerifyInfo{JoinMode: cfg.JoinMode, InviteMode: cfg.InviteMode, BeInviteMode: cfg.BeInviteMode},
		Mute:       &messages.GroupMuteInfo{},
	}
	list := []admission{{user: c.UserID, role: RoleOwner, enterType: GroupEnterCreated, operator: c.UserID}}
	for _, id := range ok {
		list = append(list, admission{user: id, role: RoleMember, enterType: GroupEnterInvited, operator: c.UserID})
	}
	b := &persistence.Batch{}
	b.ExpectAbsent(keyGroup(a.id)) // a second activation cannot create it twice
	js := a.admit(g, b, rec, now, list)
	a.putRecord(b, rec)
	if err := a.write(g, b, func() {
		a.rec = rec
		for _, j := range js {
			a.members.put(j.m)
		}
	}); err != nil {
		if errors.Is(err, persistence.ErrConflict) {
			return nil, ErrGroupExists
		}
		return nil, err
	}
	op := a.operated(prof, c.UserID)
	fi := a.info(now, "", NotifyOn, true)
	created, _ := NewPush(messages.EventGroupStateChanged.With(&messages.GroupStateChangedEvent{State: GroupStateEnter, Event: GroupEventCreated, OperatedInfo: op, GroupInfo: fi}))
	invited, _ := NewPush(messages.EventGroupStateChanged.With(&messages.GroupStateChangedEvent{State: GroupStateEnter, Event: GroupEventInvited, OperatedInfo: op, GroupInfo: fi}))
	var users []*messages.GroupMemberRecord
	for i, j := range js {
		push := invited
		if i == 0 {
			push = created
		} else {
			users = append(users, j.m)
		}
		a.tellMember(g, j.m.UserID, j.idx, true, push)
	}
	a.tip(g, TipsGroupCreated, c.UserID, ok, nil)
	return &messages.GroupCreatedResult{GroupInfo: fi, UserList: a.memberInfos(prof, users, now), ErrorUserList: bad}, nil
}

// enter makes users members (checks done by the caller) and tells everyone: each new
// member gets groupStateChanged with event, the online members groupMemberStateChanged
// with memberEvent. It returns the new records.
func (a *groupActor) enter(g *grain, prof *profileCache, operator string, list []admission, event, memberEvent int32, extra func(b *persistence.Batch)) ([]*messages.GroupMemberRecord, error) {
	if a.members.count()+len(list) > a.maxMembers(g) {
		return nil, ErrGroupFull
	}
	now := g.rt.now()
	rec := a.cloneRec()
	b := &persistence.Batch{}
	js := a.admit(g, b, rec, now, list)
	a.putRecord(b, rec)
	if extra != nil {
		extra(b)
	}
	if err := a.write(g, b, func() {
		a.rec = rec
		for _, j := range js {
			a.members.put(j.m)
		}
	}); err != nil {
		return nil, err
	}
	op := a.operated(prof, operator)
	out := make([]*messages.GroupMemberRecord, 0, len(js))
	for _, j := range js {
		out = append(out, j.m)
	}
	// The members online before the change get groupMemberStateChanged (the new members'
	// connections are not known yet), coalesced with the changes that follow.
	a.memberChanged(g, GroupStateEnter, memberEvent, operator, op, a.memberInfos(prof, out, now))
	push, _ := NewPush(messages.EventGroupStateChanged.With(&messages.GroupStateChangedEvent{
		State: GroupStateEnter, Event: event, OperatedInfo: op, GroupInfo: a.info(now, "", NotifyOn, true),
	}))
	ids := make([]string, len(out))
	for i, j := range js {
		a.tellMember(g, j.m.UserID, j.idx, true, push)
		ids[i] = j.m.UserID
	}
	a.tip(g, event, operator, ids, nil) // the group events joined 3, invited 4 are the tips events
	return out, nil
}

func (a *groupActor) join(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupJoinedResult, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	if a.members.get(c.UserID) == nil { // joining twice succeeds
		switch a.verifyInfo().JoinMode {
		case GroupJoinAuth:
			return nil, ErrGroupJoinNeedsApply
		case GroupJoinForbid:
			return nil, ErrGroupJoinForbidden
		}
		ctx, cancel := g.CallCtx()
		defer cancel()
		prof := newProfiles(ctx, g)
		list := []admission{{user: c.UserID, role: RoleMember, enterType: GroupEnterJoined, operator: c.UserID}}
		if _, err := a.enter(g, prof, c.UserID, list, GroupEventJoined, GroupMemberEventJoined, nil); err != nil {
			return nil, err
		}
	}
	fi, err := a.infoFor(g, c.UserID)
	if err != nil {
		return nil, err
	}
	return &messages.GroupJoinedResult{GroupInfo: fi}, nil
}

// exit ends the memberships of users (members, checks done) and tells everyone: each
// gets groupStateChanged (quit, event), the remaining online members
// groupMemberStateChanged (quit, memberEvent). When the owner goes, the earliest-joined
// member becomes the owner; when nobody is left the group is dissolved.
func (a *groupActor) exit(g *grain, prof *profileCache, operator string, gone []*messages.GroupMemberRecord, event, memberEvent int32) error {
	now := g.rt.now()
	b := &persistence.Batch{}
	leaving := map[string]bool{}
	idxs := make([]*messages.StoredConvIndex, len(gone))
	ownerGone := false
	for i, m := range gone {
		leaving[m.UserID] = true
		idxs[i] = a.dropMember(b, m)
		ownerGone = ownerGone || m.Role == RoleOwner
	}
	rec := a.rec
	var heir *messages.GroupMemberRecord
	if a.members.count() == len(gone) { // the last member went: the group is dissolved
		rec = a.cloneRec()
		rec.Dismissed, rec.DismissTime = true, now.UnixMilli()
		a.putRecord(b, rec)
	} else if ownerGone {
		if m := a.members.heir(leaving); m != nil {
			heir = cloneMember(m)
			heir.Role = RoleOwner
			a.putMember(b, heir)
		}
	}
	op := a.operated(prof, operator)
	infos := a.memberInfos(prof, gone, now)
	for _, m := range gone {
		a.notices.leaving(g, m.UserID)
	}
	if err := a.write(g, b, func() {
		a.rec = rec
		for _, m := range gone {
			a.members.remove(m.UserID)
			a.online.remove(m.UserID)
		}
		if heir != nil {
			a.members.put(heir)
		}
	}); err != nil {
		return err
	}
	push, _ := NewPush(messages.EventGroupStateChanged.With(&messages.GroupStateChangedEvent{
		State: GroupStateQuit, Event: event, OperatedInfo: op, GroupInfo: a.info(now, "", NotifyOn, false),
	}))
	for i, m := range gone {
		a.tellMember(g, m.UserID, idxs[i], false, push)
	}
	a.memberChanged(g, GroupStateQuit, memberEvent, operator, op, infos)
	if heir != nil {
		a.pushAll(g, messages.EventGroupMemberInfoUpdated.With(&messages.GroupMemberInfoUpdatedEvent{
			GroupID: a.id, UserList: []*messages.GroupMemberInfo{a.memberInfo(prof, heir, now)}, OperatedInfo: op,
		}))
	}
	ids := make([]string, len(gone))
	for i, m := range gone {
		ids[i] = m.UserID
	}
	a.tip(g, event, operator, ids, nil) // left 5, kicked out 6
	if heir != nil {
		a.tipMembers(g, operator, TipsChangeOwnerTransferred, []*messages.GroupMemberRecord{heir})
	}
	return nil
}

func (a *groupActor) leave(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupIDResult, error) {
	me, err := a.member(c.UserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := a.exit(g, newProfiles(ctx, g), c.UserID, []*messages.GroupMemberRecord{me}, GroupEventLeft, GroupMemberEventLeft); err != nil {
		return nil, err
	}
	return &messages.GroupIDResult{GroupID: a.id}, nil
}

func (a *groupActor) dismiss(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupIDResult, error) {
	if _, err := a.owner(c.UserID); err != nil {
		return nil, err
	}
	// The member notices not sent yet and the tip go first: the members' history ends
	// with it.
	a.notices.flush(g)
	a.tip(g, TipsGroupDismissed, c.UserID, nil, nil)
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	now := g.rt.now()
	rec := a.cloneRec()
	rec.Dismissed, rec.DismissTime = true, now.UnixMilli()
	b := &persistence.Batch{}
	a.putRecord(b, rec)
	all := append([]*messages.GroupMemberRecord(nil), a.members.order...)
	idxs := make([]*messages.StoredConvIndex, len(all))
	for i, m := range all {
		idxs[i] = a.dropMember(b, m)
	}
	op := a.operated(prof, c.UserID)
	online := map[string]bool{}
	for _, u := range a.online.users() {
		online[u] = true
	}
	if err := a.write(g, b, func() {
		a.rec = rec
		a.members = newRoster(groupRoster)
		a.online = newOnlineSet()
		a.notices.attach(g, a.online)
	}); err != nil {
		return nil, err
	}
	push, _ := NewPush(messages.EventGroupStateChanged.With(&messages.GroupStateChangedEvent{
		State: GroupStateQuit, Event: GroupEventDismissed, OperatedInfo: op, GroupInfo: a.info(now, "", NotifyOn, false),
	}))
	// Online members learn it now; the others' user actors read the closed index when
	// they next come online.
	for i, m := range all {
		if online[m.UserID] || m.UserID == c.UserID {
			a.tellMember(g, m.UserID, idxs[i], false, push)
		}
	}
	return &messages.GroupIDResult{GroupID: a.id}, nil
}

func (a *groupActor) kick(g *grain, c *messages.Call, p *messages.GroupUsersParams) (*messages.GroupMemberKickedResult, error) {
	if len(p.UserIDs) == 0 || len(p.UserIDs) > g.rt.Limits().GroupUsersPerCall {
		return nil, ErrParamInvalid
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, err
	}
	gone, refused := a.members.kick(me, p.UserIDs)
	res := &messages.GroupMemberKickedResult{GroupID: a.id, ErrorUserList: refused}
	for _, m := range gone {
		res.KickedUserIDs = append(res.KickedUserIDs, m.UserID)
	}
	if len(gone) > 0 {
		ctx, cancel := g.CallCtx()
		defer cancel()
		if err := a.exit(g, newProfiles(ctx, g), c.UserID, gone, GroupEventKickedOut, GroupMemberEventKickedOut); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// mayInvite checks that the caller may bring others in (invite mode).
func (a *groupActor) mayInvite(user string) (*messages.GroupMemberRecord, error) {
	me, err := a.member(user)
	if err != nil {
		return nil, err
	}
	if a.verifyInfo().InviteMode == GroupInviteAdmin && !isManager(me.Role) {
		return nil, ErrGroupNoPermission
	}
	return me, nil
}

func (a *groupActor) invite(g *grain, c *messages.Call, p *messages.GroupUsersParams) (*messages.GroupUsersInvitedResult, error) {
	if len(p.UserIDs) == 0 || len(p.UserIDs) > g.rt.Limits().GroupUsersPerCall {
		return nil, ErrParamInvalid
	}
	if _, err := a.mayInvite(c.UserID); err != nil {
		return nil, err
	}
	if a.verifyInfo().BeInviteMode == GroupBeInviteAuth {
		return nil, ErrGroupInviteNeedsApply
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	ok, bad, err := a.checkInvitees(g, prof, p.UserIDs, c.UserID)
	if err != nil {
		return nil, err
	}
	res := &messages.GroupUsersInvitedResult{GroupID: a.id, ErrorUserList: bad}
	if len(ok) == 0 {
		return res, nil
	}
	list := make([]admission, 0, len(ok))
	for _, id := range ok {
		list = append(list, admission{user: id, role: RoleMember, enterType: GroupEnterInvited, operator: c.UserID})
	}
	added, err := a.enter(g, prof, c.UserID, list, GroupEventInvited, GroupMemberEventInvited, nil)
	if err != nil {
		return nil, err
	}
	res.UserList = a.memberInfos(prof, added, g.rt.now())
	return res, nil
}

// updateMembers writes changed member records and pushes groupMemberInfoUpdated.
func (a *groupActor) updateMembers(g *grain, operator string, changed ...*messages.GroupMemberRecord) error {
	b := &persistence.Batch{}
	for _, m := range changed {
		a.putMember(b, m)
	}
	if err := a.write(g, b, func() {
		for _, m := range changed {
			a.members.put(m)
		}
	}); err != nil {
		return err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	a.pushAll(g, messages.EventGroupMemberInfoUpdated.With(&messages.GroupMemberInfoUpdatedEvent{
		GroupID: a.id, UserList: a.memberInfos(prof, changed, g.rt.now()), OperatedInfo: a.operated(prof, operator),
	}))
	return nil
}

func cloneMember(m *messages.GroupMemberRecord) *messages.GroupMemberRecord {
	return proto.Clone(m).(*messages.GroupMemberRecord)
}

func (a *groupActor) transfer(g *grain, c *messages.Call, p *messages.GroupTransferOwnerParams) (*messages.GroupOwnerTransferredResult, error) {
	me, err := a.owner(c.UserID)
	if err != nil {
		return nil, err
	}
	newOwner, old, err := a.members.transfer(me, p.ToUserID)
	if err != nil {
		return nil, err
	}
	if err := a.updateMembers(g, c.UserID, newOwner, old); err != nil {
		return nil, err
	}
	a.tipMembers(g, c.UserID, TipsChangeOwnerTransferred, []*messages.GroupMemberRecord{newOwner})
	return &messages.GroupOwnerTransferredResult{GroupID: a.id, ToUserID: p.ToUserID}, nil
}

func (a *groupActor) setRole(g *grain, c *messages.Call, p *messages.GroupSetMemberRoleParams) (*messages.GroupMemberRoleUpdatedResult, error) {
	if !assignableRole(p.Role) { // before the caller's rights
		return nil, ErrParamInvalid
	}
	me, err := a.owner(c.UserID)
	if err != nil {
		return nil, err
	}
	m, err := a.members.setRole(me, p.ForUserID, p.Role)
	if err != nil {
		return nil, err
	}
	if m != nil {
		if err := a.updateMembers(g, c.UserID, m); err != nil {
			return nil, err
		}
		a.tipMembers(g, c.UserID, TipsChangeMemberRole, []*messages.GroupMemberRecord{m})
	}
	return &messages.GroupMemberRoleUpdatedResult{GroupID: a.id, ForUserID: p.ForUserID, Role: p.Role}, nil
}

func (a *groupActor) setNickname(g *grain, c *messages.Call, p *messages.GroupSetMemberNicknameParams) (*messages.GroupMemberNicknameUpdatedResult, error) {
	if !utf8.ValidString(p.Nickname) || utf8.RuneCountInString(p.Nickname) > g.rt.Limits().GroupNicknameChars {
		return nil, ErrParamInvalid
	}
	me, err := a.member(c.UserID)
	if err != nil {
		return nil, err
	}
	t, err := a.members.member(p.ForUserID)
	if err != nil {
		return nil, err
	}
	if t.UserID != me.UserID && !canManage(me.Role, t.Role) {
		return nil, ErrGroupNoPermission
	}
	m := cloneMember(t)
	m.Nickname = p.Nickname
	if err := a.updateMembers(g, c.UserID, m); err != nil {
		return nil, err
	}
	return &messages.GroupMemberNicknameUpdatedResult{GroupID: a.id, ForUserID: p.ForUserID, Nickname: p.Nickname}, nil
}

func (a *groupActor) queryMember(g *grain, c *messages.Call, p *messages.GroupMemberInfoQueryParams) (*messages.GroupMemberInfoQueriedResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	t, err := a.members.member(p.UserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	return &messages.GroupMemberInfoQueriedResult{GroupID: a.id, UserInfo: a.memberInfo(newProfiles(ctx, g), t, g.rt.now())}, nil
}

// pageSize checks a page config: count 1.., more than the page maximum counts as the
// maximum (as in ZIM).
func pageSize(cfg *messages.GroupPageConfig, maxCount int) (int, int64, error) {
	if cfg == nil || cfg.Count <= 0 || cfg.NextFlag < 0 {
		return 0, 0, ErrParamInvalid
	}
	return min(int(cfg.Count), maxCount), cfg.NextFlag, nil
}

func (a *groupActor) memberPage(g *grain, c *messages.Call, p *messages.GroupMemberListQueryParams, keep func(*messages.GroupMemberRecord) bool) ([]*messages.GroupMemberInfo, int64, error) {
	count, from, err := pageSize(p.Config, g.rt.Limits().PageMax)
	if err != nil {
		return nil, 0, err
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, 0, err
	}
	list, next := a.members.page(from, count, keep)
	ctx, cancel := g.CallCtx()
	defer cancel()
	return a.memberInfos(newProfiles(ctx, g), list, g.rt.now()), next, nil
}

func (a *groupActor) queryMembers(g *grain, c *messages.Call, p *messages.GroupMemberListQueryParams) (*messages.GroupMemberListQueriedResult, error) {
	list, next, err := a.memberPage(g, c, p, nil)
	if err != nil {
		return nil, err
	}
	return &messages.GroupMemberListQueriedResult{GroupID: a.id, UserList: list, NextFlag: next}, nil
}

func (a *groupActor) queryCount(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupMemberCountQueriedResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	return &messages.GroupMemberCountQueriedResult{GroupID: a.id, Count: int32(a.members.count())}, nil
}
