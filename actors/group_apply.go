package actors

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Group applications: a user applies to join a group whose join mode is auth (the owner
// or an admin accepts or rejects); a member invites users into a group whose be-invite
// mode is auth (the invitee accepts or rejects). An application is waiting, accepted,
// rejected, or expired (a waiting one past its expiry time).

func groupApplyMethods(t methods[*groupActor]) {
	on(t, messages.MethodSendGroupJoinApplication, (*groupActor).sendJoinApp)
	on(t, messages.MethodAcceptGroupJoinApplication, (*groupActor).acceptJoinApp)
	on(t, messages.MethodRejectGroupJoinApplication, (*groupActor).rejectJoinApp)
	on(t, messages.MethodSendGroupInviteApplications, (*groupActor).sendInviteApps)
	on(t, messages.MethodAcceptGroupInviteApplication, (*groupActor).acceptInviteApp)
	on(t, messages.MethodRejectGroupInviteApplication, (*groupActor).rejectInviteApp)
}

// appState is the state a reader sees (waiting turns expired after expireTime).
func appState(r *messages.GroupApplicationRecord, now time.Time) int32 {
	if r.State == GroupAppWaiting && r.ExpireTime > 0 && now.UnixMilli() > r.ExpireTime {
		return GroupAppExpired
	}
	return r.State
}

// groupAppInfo is an application as viewer sees it: a join application shows the
// applicant; an invite application shows the invitee to the inviter (type invite) and
// the inviter to everyone else (type be-invite).
func groupAppInfo(r *messages.GroupApplicationRecord, viewer string, gi *messages.GroupInfo, prof *profileCache,
	simple func(string) *messages.GroupMemberSimpleInfo, now time.Time) *messages.GroupApplicationInfo {
	typ, apply := int32(GroupAppJoin), r.UserID
	if r.Type == GroupAppInvite {
		typ, apply = GroupAppBeInvite, r.InviterUserID
		if viewer == r.InviterUserID {
			typ, apply = GroupAppInvite, r.UserID
		}
	}
	u := prof.profileOrBlank(apply)
	info := &messages.GroupApplicationInfo{
		Type: typ, State: appState(r, now), GroupInfo: gi,
		ApplyUser:  &messages.UserInfo{UserID: apply, UserName: u.UserName, UserAvatarUrl: u.UserAvatarUrl, UserExtendedData: u.ExtendedData},
		CreateTime: r.CreateTime, UpdateTime: r.UpdateTime, Wording: r.Wording,
	}
	if r.OperatedUserID != "" {
		info.OperatedUser = simple(r.OperatedUserID)
	}
	return info
}

func (a *groupActor) appKey(r *messages.GroupApplicationRecord) []byte {
	return keyGroupApp(a.id, r.Type, r.UserID, r.InviterUserID)
}

// putApp writes r and its references under the users it concerns.
func (a *groupActor) putApp(b *persistence.Batch, r *messages.GroupApplicationRecord) {
	key := a.appKey(r)
	putProto(b, key, r)
	if r.Type == GroupAppJoin {
		b.Put(keyGroupAppRef(r.UserID, a.id, GroupAppJoin, ""), key)
		return
	}
	b.Put(keyGroupAppRef(r.UserID, a.id, GroupAppBeInvite, r.InviterUserID), key)
	b.Put(keyGroupAppRef(r.InviterUserID, a.id, GroupAppInvite, r.UserID), key)
}

func (a *groupActor) loadApp(g *grain, typ int32, user, inviter string) (*messages.GroupApplicationRecord, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	r, found, err := getRecord[messages.GroupApplicationRecord](ctx, g.rt.Store(), keyGroupApp(a.id, typ, user, inviter))
	if !found || err != nil {
		return nil, err
	}
	return r, nil
}

// pendingApp is the waiting, unexpired application, or ErrGroupApplication.
func (a *groupActor) pendingApp(g *grain, typ int32, user, inviter string) (*messages.GroupApplicationRecord, error) {
	r, err := a.loadApp(g, typ, user, inviter)
	if err != nil {
		return nil, err
	}
	if r == nil || appState(r, g.rt.now()) != GroupAppWaiting {
		return nil, ErrGroupApplication
	}
	return r, nil
}

// appPush sends an application event to each user, in that user's view.
func (a *groupActor) appPush(g *grain, prof *profileCache, event string, users []string, apps ...*messages.GroupApplicationRecord) {
	listChanged := event == messages.EventGroupApplicationListChanged.Name
	now := g.rt.now()
	for _, u := range dedupe(users) {
		var list []*messages.GroupApplicationInfo
		for _, r := range apps {
			list = append(list, groupAppInfo(r, u, a.baseInfo(), prof, func(id string) *messages.GroupMemberSimpleInfo { return a.simple(prof, id) }, now))
		}
		if listChanged {
			g.rt.pushToUser(u, nil, messages.EventGroupApplicationListChanged.With(&messages.GroupApplicationListChangedEvent{Action: 0, ApplicationList: list}))
		} else {
			g.rt.pushToUser(u, nil, messages.EventGroupApplicationUpdated.With(&messages.GroupApplicationUpdatedEvent{ApplicationList: list}))
		}
	}
}

func (a *groupActor) wording(g *grain, cfg *messages.GroupApplicationConfig) (string, error) {
	if cfg == nil {
		return "", nil
	}
	if !validText(cfg.Wording, g.rt.Limits().GroupWordingBytes) {
		return "", ErrParamInvalid
	}
	return cfg.Wording, nil
}

func (a *groupActor) newApp(g *grain, typ int32, user, inviter, wording string) *messages.GroupApplicationRecord {
	now := g.rt.now()
	return &messages.GroupApplicationRecord{
		Type: typ, State: GroupAppWaiting, GroupID: a.id, UserID: user, InviterUserID: inviter, Wording: wording,
		CreateTime: now.UnixMilli(), UpdateTime: now.UnixMilli(), ExpireTime: now.Add(g.rt.Limits().GroupApplicationTTL).UnixMilli(),
	}
}

// decided is r accepted or rejected by operator.
func decided(g *grain, r *messages.GroupApplicationRecord, state int32, operator string) *messages.GroupApplicationRecord {
	d := proto.Clone(r).(*messages.GroupApplicationRecord)
	d.State, d.OperatedUserID, d.UpdateTime = state, operator, g.rt.now().UnixMilli()
	return d
}

func (a *groupActor) sendJoinApp(g *grain, c *messages.Call, p *messages.GroupJoinApplicationSendParams) (*messages.GroupIDResult, error) {
	wording, err := a.wording(g, p.Config)
	if err != nil {
		return nil, err
	}
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	if a.members.get(c.UserID) != nil {
		return nil, ErrAlreadyGroupMember
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	switch a.verifyInfo().JoinMode {
	case GroupJoinForbid:
		return nil, ErrGroupJoinForbidden
	case GroupJoinAny: // nothing to approve: the user joins
		list := []admission{{user: c.UserID, role: RoleMember, enterType: GroupEnterJoined, operator: c.UserID}}
		if _, err := a.enter(g, prof, c.UserID, list, GroupEventJoined, GroupMemberEventJoined, nil); err != nil {
			return nil, err
		}
		return &messages.GroupIDResult{GroupID: a.id}, nil
	}
	r := a.newApp(g, GroupAppJoin, c.UserID, "", wording)
	b := &persistence.Batch{}
	a.putApp(b, r)
	if err := a.write(g, b, nil); err != nil {
		return nil, err
	}
	a.appPush(g, prof, messages.EventGroupApplicationListChanged.Name, append([]string{c.UserID}, a.managers()...), r)
	return &messages.GroupIDResult{GroupID: a.id}, nil
}

func (a *groupActor) acceptJoinApp(g *grain, c *messages.Call, p *messages.GroupJoinApplicationParams) (*messages.GroupJoinApplicationResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	r, err := a.pendingApp(g, GroupAppJoin, p.UserID, "")
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	d := decided(g, r, GroupAppAccepted, c.UserID)
	if err := a.accept(g, prof, d, admission{user: p.UserID, role: RoleMember, enterType: GroupEnterJoinApply, operator: c.UserID}, GroupEventJoined, GroupMemberEventJoined); err != nil {
		return nil, err
	}
	a.appPush(g, prof, messages.EventGroupApplicationUpdated.Name, append([]string{p.UserID}, a.managers()...), d)
	return &messages.GroupJoinApplicationResult{GroupID: a.id, UserID: p.UserID}, nil
}

func (a *groupActor) rejectJoinApp(g *grain, c *messages.Call, p *messages.GroupJoinApplicationParams) (*messages.GroupJoinApplicationResult, error) {
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	r, err := a.pendingApp(g, GroupAppJoin, p.UserID, "")
	if err != nil {
		return nil, err
	}
	d := decided(g, r, GroupAppRejected, c.UserID)
	b := &persistence.Batch{}
	a.putApp(b, d)
	if err := a.write(g, b, nil); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	a.appPush(g, newProfiles(ctx, g), messages.EventGroupApplicationUpdated.Name, append([]string{p.UserID}, a.managers()...), d)
	return &messages.GroupJoinApplicationResult{GroupID: a.id, UserID: p.UserID}, nil
}

func (a *groupActor) sendInviteApps(g *grain, c *messages.Call, p *messages.GroupInviteApplicationsSendParams) (*messages.GroupInviteApplicationsSentResult, error) {
	if len(p.UserIDs) == 0 || len(p.UserIDs) > g.rt.Limits().GroupInviteApplicationMax {
		return nil, ErrParamInvalid
	}
	wording, err := a.wording(g, p.Config)
	if err != nil {
		return nil, err
	}
	if _, err := a.mayInvite(c.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	ok, bad, err := a.checkInvitees(g, prof, p.UserIDs, c.UserID)
	if err != nil {
		return nil, err
	}
	res := &messages.GroupInviteApplicationsSentResult{GroupID: a.id, ErrorUserList: bad}
	if len(ok) == 0 {
		return res, nil
	}
	if a.verifyInfo().BeInviteMode == GroupBeInviteNone { // nothing to approve: they join
		list := make([]admission, 0, len(ok))
		for _, id := range ok {
			list = append(list, admission{user: id, role: RoleMember, enterType: GroupEnterInvited, operator: c.UserID})
		}
		if _, err := a.enter(g, prof, c.UserID, list, GroupEventInvited, GroupMemberEventInvited, nil); err != nil {
			return nil, err
		}
		return res, nil
	}
	b := &persistence.Batch{}
	apps := make([]*messages.GroupApplicationRecord, 0, len(ok))
	for _, id := range ok {
		r := a.newApp(g, GroupAppInvite, id, c.UserID, wording)
		a.putApp(b, r)
		apps = append(apps, r)
	}
	if err := a.write(g, b, nil); err != nil {
		return nil, err
	}
	for _, r := range apps {
		a.appPush(g, prof, messages.EventGroupApplicationListChanged.Name, []string{r.UserID}, r)
	}
	a.appPush(g, prof, messages.EventGroupApplicationListChanged.Name, []string{c.UserID}, apps...)
	return res, nil
}

func (a *groupActor) acceptInviteApp(g *grain, c *messages.Call, p *messages.GroupInviteApplicationParams) (*messages.GroupInviteApplicationAcceptedResult, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	r, err := a.pendingApp(g, GroupAppInvite, c.UserID, p.InviterUserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	prof := newProfiles(ctx, g)
	d := decided(g, r, GroupAppAccepted, c.UserID)
	if err := a.accept(g, prof, d, admission{user: c.UserID, role: RoleMember, enterType: GroupEnterInviteApply, operator: p.InviterUserID}, GroupEventInvited, GroupMemberEventInvited); err != nil {
		return nil, err
	}
	a.appPush(g, prof, messages.EventGroupApplicationUpdated.Name, []string{c.UserID, p.InviterUserID}, d)
	fi, err := a.infoFor(g, c.UserID)
	if err != nil {
		return nil, err
	}
	return &messages.GroupInviteApplicationAcceptedResult{GroupInfo: fi, InviterUserID: p.InviterUserID}, nil
}

func (a *groupActor) rejectInviteApp(g *grain, c *messages.Call, p *messages.GroupInviteApplicationParams) (*messages.GroupInviteApplicationRejectedResult, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	r, err := a.pendingApp(g, GroupAppInvite, c.UserID, p.InviterUserID)
	if err != nil {
		return nil, err
	}
	d := decided(g, r, GroupAppRejected, c.UserID)
	b := &persistence.Batch{}
	a.putApp(b, d)
	if err := a.write(g, b, nil); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	a.appPush(g, newProfiles(ctx, g), messages.EventGroupApplicationUpdated.Name, []string{c.UserID, p.InviterUserID}, d)
	return &messages.GroupInviteApplicationRejectedResult{GroupID: a.id, InviterUserID: p.InviterUserID}, nil
}

// accept stores an accepted application d: with the applicant's entry into the group
// (adm) in one write, or alone when the applicant is a member already.
func (a *groupActor) accept(g *grain, prof *profileCache, d *messages.GroupApplicationRecord, adm admission, event, memberEvent int32) error {
	if a.members.get(adm.user) != nil {
		b := &persistence.Batch{}
		a.putApp(b, d)
		return a.write(g, b, nil)
	}
	_, err := a.enter(g, prof, adm.operator, []admission{adm}, event, memberEvent, func(b *persistence.Batch) { a.putApp(b, d) })
	return err
}
