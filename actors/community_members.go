package actors

import (
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Community member management: invite, kick, roles, ownership transfer, member queries
// and member mutes. Only the invite call's details are ZIM's (reference/community.md
// §4.1); the other names and shapes are the group analogues messages/community.proto
// fixes, and so are the rules, with the community codes (6001xxx).
//
// Who may do what:
//   - inviteUsersIntoCommunity: the owner and the admins. ZIM leaves it unconfirmed;
//     its error table has the permission error, and a community has no invite mode to
//     open invitations to everyone (as a group has), so parley takes the stricter
//     reading: managers bring people in, everybody else joins by themselves.
//   - kickCommunityMembers, muteCommunityMembers: the owner on anyone but itself, the
//     admins on ordinary members (members and custom roles) only (canManage).
//   - setCommunityMemberRole, transferCommunityOwner: the owner.
//   - queryCommunityMemberList, queryCommunityMemberInfo: members.

func communityMembersMethods(t methods[*communityActor]) {
	on(t, messages.MethodInviteUsersIntoCommunity, (*communityActor).invite)
	on(t, messages.MethodKickCommunityMembers, (*communityActor).kick)
	on(t, messages.MethodSetCommunityMemberRole, (*communityActor).setRole)
	on(t, messages.MethodTransferCommunityOwner, (*communityActor).transfer)
	on(t, messages.MethodQueryCommunityMemberList, (*communityActor).queryMembers)
	on(t, messages.MethodQueryCommunityMemberInfo, (*communityActor).queryMember)
	on(t, messages.MethodMuteCommunityMembers, (*communityActor).muteMembers)
}

// checkUserCount checks the size of a user ID list (1..UsersPerCall).
func checkUserCount(g *grain, ids []string) error {
	if len(ids) == 0 || len(ids) > g.rt.Limits().Community.UsersPerCall {
		return ErrParamInvalid
	}
	return nil
}

func (a *communityActor) memberInfoList(prof *profileCache, list []*messages.GroupMemberRecord, g *grain) []*messages.CommunityMemberInfo {
	out := make([]*messages.CommunityMemberInfo, len(list))
	for i, m := range list {
		out[i] = a.memberInfo(prof, m, g)
	}
	return out
}

func (a *communityActor) putMember(b *persistence.Batch, m *messages.GroupMemberRecord) {
	putProto(b, keyCommunityMember(a.id, m.UserID), m)
}

// updateMembers writes changed member records (and rec, the community record, when
// given) in one batch, tells the channels the members' new role and mute, and pushes
// communityMemberInfoUpdated to the online members.
func (a *communityActor) updateMembers(g *grain, operator string, rec *messages.CommunityRecord, changed ...*messages.GroupMemberRecord) error {
	b := &persistence.Batch{}
	for _, m := range changed {
		a.putMember(b, m)
	}
	if rec != nil {
		putProto(b, keyCommunity(a.id), rec)
	}
	if err := a.write(g, b); err != nil {
		return err
	}
	if rec != nil {
		a.rec = rec
	}
	for _, m := range changed {
		a.members.put(m)
		a.syncMember(g, m.UserID, false)
	}
	if a.online.len() == 0 {
		return nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	a.pushAll(g, messages.EventCommunityMemberInfoUpdated.With(&messages.CommunityMemberInfoUpdatedEvent{
		CommunityID: a.id, UserList: a.memberInfoList(prof, changed, g), OperatedInfo: a.operated(prof, operator),
	}), "")
	return nil
}

// invite makes registered users members at once (no consent, seed 000), in one write.
// Refusals per user in errorUserList: invalid ID 6000124, already a member 6001012,
// never registered 6000011 (roster.screen), community full 6001002, the user's
// community limit 6001001.
func (a *communityActor) invite(g *grain, c *messages.Call, p *messages.CommunityUsersParams) (*messages.CommunityUsersInvitedResult, error) {
	if err := checkUserCount(g, p.UserIDs); err != nil {
		return nil, err
	}
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	lim := g.rt.Limits()
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	prof := newProfiles(ctx, g)
	heads, err := a.channelHeads(ctx, g)
	if err != nil {
		return nil, err
	}
	res := &messages.CommunityUsersInvitedResult{CommunityID: a.id}
	refuse := func(id string, e *CodeError) { res.ErrorUserList = append(res.ErrorUserList, refusedUser(id, e)) }
	rec := cloneCommunity(a.rec)
	now := g.rt.now().UnixMilli()
	b := &persistence.Batch{}
	var added []*messages.GroupMemberRecord
	for _, id := range dedupe(p.UserIDs) {
		why, err := a.members.screen(id, lim.UserIDBytes, prof)
		if err != nil {
			return nil, err
		}
		if why != nil {
			refuse(id, why)
			continue
		}
		if a.members.count()+len(added) >= lim.Community.Members {
			refuse(id, ErrCommunityFull)
			continue
		}
		if n, err := userCommunityCount(ctx, st, id, lim.Community.PerUser); err != nil {
			return nil, err
		} else if n >= lim.Community.PerUser {
			refuse(id, ErrCommunityUserLimit)
			continue
		}
		added = append(added, a.admit(b, rec, heads, now, id, RoleMember, CommunityEnterInvited, c.UserID))
	}
	if len(added) == 0 {
		return res, nil
	}
	putProto(b, keyCommunity(a.id), rec)
	if err := st.Write(ctx, b); err != nil {
		return nil, err
	}
	a.rec = rec
	joined := make([]string, len(added))
	for i, m := range added {
		a.members.put(m)
		joined[i] = m.UserID
	}
	a.readersChanged(g, nil, joined, false)
	res.UserList = a.memberInfoList(prof, added, g)
	// The invitees are not online members yet (their user actors report their devices
	// when told below), so the event reaches the members who were there before.
	a.memberChanged(g, GroupStateEnter, GroupMemberEventInvited, c.UserID, a.operated(prof, c.UserID), res.UserList)
	ids := make([]string, len(added))
	for i, m := range added {
		a.tellUser(g, m.UserID, nil)
		ids[i] = m.UserID
	}
	a.tipGeneral(g, TipsCommunityInvited, c.UserID, ids)
	return res, nil
}

// kick removes members. An ordinary member may not kick at all (6001007 for the call);
// per user: oneself 6000001, not a member 6001005, not one the caller may manage
// 6001007 (roster.kick).
func (a *communityActor) kick(g *grain, c *messages.Call, p *messages.CommunityUsersParams) (*messages.CommunityMembersKickedResult, error) {
	if err := checkUserCount(g, p.UserIDs); err != nil {
		return nil, err
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, err
	}
	gone, refused := a.members.kick(me, p.UserIDs)
	res := &messages.CommunityMembersKickedResult{CommunityID: a.id, ErrorUserList: refused}
	for _, m := range gone {
		res.KickedUserIDList = append(res.KickedUserIDList, m.UserID)
	}
	if len(gone) > 0 {
		if err := a.exit(g, c.UserID, gone, GroupMemberEventKickedOut); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// setRole gives a member another role: admin 2, member 3 or a custom role >= 100 (the
// owner's role 1 moves only by transfer: 6000001). The owner's own role cannot change
// (6001007).
func (a *communityActor) setRole(g *grain, c *messages.Call, p *messages.CommunitySetMemberRoleParams) (*messages.CommunityMemberRoleUpdatedResult, error) {
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
		if err := a.updateMembers(g, c.UserID, nil, m); err != nil {
			return nil, err
		}
	}
	return &messages.CommunityMemberRoleUpdatedResult{CommunityID: a.id, ForUserID: p.ForUserID, Role: p.Role}, nil
}

// transfer makes another member the owner; the old owner becomes a member (3). A member
// mute of the new owner is lifted: nobody could lift it afterwards (canManage).
func (a *communityActor) transfer(g *grain, c *messages.Call, p *messages.CommunityTransferOwnerParams) (*messages.CommunityOwnerTransferredResult, error) {
	me, err := a.owner(c.UserID)
	if err != nil {
		return nil, err
	}
	newOwner, old, err := a.members.transfer(me, p.ToUserID)
	if err != nil {
		return nil, err
	}
	newOwner.MuteExpiredTime = 0
	rec := cloneCommunity(a.rec)
	rec.OwnerUserID = p.ToUserID
	if err := a.updateMembers(g, c.UserID, rec, newOwner, old); err != nil {
		return nil, err
	}
	a.infoUpdated(g, c.UserID)
	return &messages.CommunityOwnerTransferredResult{CommunityID: a.id, ToUserID: p.ToUserID}, nil
}

// queryMembers pages through the members in join order: nextFlag 0 asks for the first
// page; a non-zero nextFlag in the result continues, 0 means the end. count 1..PageMax.
func (a *communityActor) queryMembers(g *grain, c *messages.Call, p *messages.CommunityMemberListQueryParams) (*messages.CommunityMemberListQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > g.rt.Limits().Community.PageMax || cfg.NextFlag < 0 {
		return nil, ErrParamInvalid
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	// nextFlag is the joinOrder of the next member (join orders start at 1).
	list, next := a.members.page(cfg.NextFlag, int(cfg.Count), nil)
	ctx, cancel := g.CallCtx()
	defer cancel()
	return &messages.CommunityMemberListQueriedResult{
		CommunityID: a.id, UserList: a.memberInfoList(newProfiles(ctx, g), list, g), NextFlag: next,
	}, nil
}

func (a *communityActor) queryMember(g *grain, c *messages.Call, p *messages.CommunityMemberInfoQueryParams) (*messages.CommunityMemberInfoQueriedResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	t, err := a.members.member(p.UserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	return &messages.CommunityMemberInfoQueriedResult{CommunityID: a.id, UserInfo: a.memberInfo(newProfiles(ctx, g), t, g)}, nil
}

// muteMembers mutes (duration 1..2,592,000 s or -1 permanent) or unmutes members. The
// stored expiry is absolute, so a mute ends on time and holds across restarts; the
// channels learn it (syncMember) and refuse a muted member's messages with 6000231.
// Per user: not a member 6001005, not one the caller may manage 6001007.
func (a *communityActor) muteMembers(g *grain, c *messages.Call, p *messages.CommunityMuteMembersParams) (*messages.CommunityMembersMutedResult, error) {
	if err := checkUserCount(g, p.UserIDs); err != nil {
		return nil, err
	}
	var duration, exp int64
	if p.IsMute {
		if p.Config != nil {
			duration = p.Config.Duration
		}
		var ok bool
		if exp, ok = muteExpiry(g.rt.now(), duration); !ok {
			return nil, ErrParamInvalid
		}
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, err
	}
	changed, refused := a.members.mute(me, p.UserIDs, exp)
	res := &messages.CommunityMembersMutedResult{CommunityID: a.id, IsMute: p.IsMute, Duration: duration, ErrorUserList: refused}
	for _, m := range changed {
		res.MutedUserIDList = append(res.MutedUserIDList, m.UserID)
	}
	if len(changed) > 0 {
		if err := a.updateMembers(g, c.UserID, nil, changed...); err != nil {
			return nil, err
		}
	}
	return res, nil
}
