package actors

import (
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Group profile and settings: info, name, notice, avatar, the caller's alias,
// attributes, and the join/invite/be-invite modes.

func groupProfileMethods(t methods[*groupActor]) {
	on(t, messages.MethodQueryGroupInfo, (*groupActor).queryInfo)
	on(t, messages.MethodUpdateGroupName, (*groupActor).updateName)
	on(t, messages.MethodUpdateGroupNotice, (*groupActor).updateNotice)
	on(t, messages.MethodUpdateGroupAvatarUrl, (*groupActor).updateAvatar)
	on(t, messages.MethodUpdateGroupAlias, (*groupActor).updateAlias)
	on(t, messages.MethodSetGroupAttributes, (*groupActor).setAttributes)
	on(t, messages.MethodDeleteGroupAttributes, (*groupActor).deleteAttributes)
	on(t, messages.MethodQueryGroupAttributes, (*groupActor).queryAttributes)
	on(t, messages.MethodQueryGroupAllAttributes, (*groupActor).queryAllAttributes)
	on(t, messages.MethodUpdateGroupJoinMode, (*groupActor).updateJoinMode)
	on(t, messages.MethodUpdateGroupInviteMode, (*groupActor).updateInviteMode)
	on(t, messages.MethodUpdateGroupBeInviteMode, (*groupActor).updateBeInviteMode)
}

func (a *groupActor) queryInfo(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupInfoQueriedResult, error) {
	if err := a.requireGroup(); err != nil {
		return nil, err
	}
	fi, err := a.infoFor(g, c.UserID)
	if err != nil {
		return nil, err
	}
	return &messages.GroupInfoQueriedResult{GroupInfo: fi}, nil
}

// updateRecord writes the group record changed by change (the caller checked rights).
func (a *groupActor) updateRecord(g *grain, change func(*messages.GroupRecord)) error {
	rec := a.cloneRec()
	change(rec)
	b := &persistence.Batch{}
	a.putRecord(b, rec)
	return a.write(g, b, func() { a.rec = rec })
}

func (a *groupActor) operatedBy(g *grain, user string) *messages.GroupOperatedInfo {
	ctx, cancel := g.CallCtx()
	defer cancel()
	return a.operated(newProfiles(ctx, g), user)
}

// updateText checks and stores one text of the group's profile (value of at most limit
// bytes, set by a member): the shared part of the name, notice and avatar updates.
func (a *groupActor) updateText(g *grain, c *messages.Call, value string, limit int, set func(*messages.GroupRecord, string)) error {
	if !validText(value, limit) {
		return ErrParamInvalid
	}
	if _, err := a.member(c.UserID); err != nil {
		return err
	}
	return a.updateRecord(g, func(r *messages.GroupRecord) { set(r, value) })
}

func (a *groupActor) updateName(g *grain, c *messages.Call, p *messages.GroupUpdateNameParams) (*messages.GroupNameUpdatedResult, error) {
	if err := a.updateText(g, c, p.GroupName, g.rt.Limits().GroupNameBytes, func(r *messages.GroupRecord, v string) { r.GroupName = v }); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupNameUpdated.With(&messages.GroupNameUpdatedEvent{GroupID: a.id, GroupName: p.GroupName, OperatedInfo: a.operatedBy(g, c.UserID)}))
	a.tipInfo(g, c.UserID, TipsChangeGroupName)
	a.profileChanged(g)
	return &messages.GroupNameUpdatedResult{GroupID: a.id, GroupName: p.GroupName}, nil
}

func (a *groupActor) updateNotice(g *grain, c *messages.Call, p *messages.GroupUpdateNoticeParams) (*messages.GroupNoticeUpdatedResult, error) {
	if err := a.updateText(g, c, p.GroupNotice, g.rt.Limits().GroupNoticeBytes, func(r *messages.GroupRecord, v string) { r.GroupNotice = v }); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupNoticeUpdated.With(&messages.GroupNoticeUpdatedEvent{GroupID: a.id, GroupNotice: p.GroupNotice, OperatedInfo: a.operatedBy(g, c.UserID)}))
	a.tipInfo(g, c.UserID, TipsChangeGroupNotice)
	return &messages.GroupNoticeUpdatedResult{GroupID: a.id, GroupNotice: p.GroupNotice}, nil
}

func (a *groupActor) updateAvatar(g *grain, c *messages.Call, p *messages.GroupUpdateAvatarUrlParams) (*messages.GroupAvatarUrlUpdatedResult, error) {
	if err := a.updateText(g, c, p.GroupAvatarUrl, g.rt.Limits().GroupAvatarURLBytes, func(r *messages.GroupRecord, v string) { r.GroupAvatarUrl = v }); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupAvatarUrlUpdated.With(&messages.GroupAvatarUrlUpdatedEvent{GroupID: a.id, GroupAvatarUrl: p.GroupAvatarUrl, OperatedInfo: a.operatedBy(g, c.UserID)}))
	a.tipInfo(g, c.UserID, TipsChangeGroupAvatarUrl)
	a.profileChanged(g)
	return &messages.GroupAvatarUrlUpdatedResult{GroupID: a.id, GroupAvatarUrl: p.GroupAvatarUrl}, nil
}

// updateAlias sets the caller's own name for the group; only the caller's devices hear
// of it.
func (a *groupActor) updateAlias(g *grain, c *messages.Call, p *messages.GroupUpdateAliasParams) (*messages.GroupAliasUpdatedResult, error) {
	if !validText(p.GroupAlias, g.rt.Limits().GroupAliasBytes) {
		return nil, ErrParamInvalid
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	gu, _, err := getRecord[messages.GroupUserRecord](ctx, st, keyGroupUser(c.UserID, a.id))
	if err != nil {
		return nil, err
	}
	if gu.GroupID == "" {
		gu.GroupID = a.id
	}
	gu.Alias = p.GroupAlias
	b := &persistence.Batch{}
	putProto(b, keyGroupUser(c.UserID, a.id), gu)
	if err := st.Write(ctx, b); err != nil {
		return nil, err
	}
	g.rt.pushToUser(c.UserID, nil, messages.EventGroupAliasUpdated.With(&messages.GroupAliasUpdatedEvent{GroupID: a.id, GroupAlias: p.GroupAlias, OperatedUserID: c.UserID}))
	g.rt.Send(KindUser, c.UserID, &messages.GroupConversationUpdate{GroupID: a.id, ProfileChanged: true, Member: true})
	return &messages.GroupAliasUpdatedResult{GroupID: a.id, GroupAlias: p.GroupAlias}, nil
}

func (a *groupActor) setAttributes(g *grain, c *messages.Call, p *messages.GroupSetAttributesParams) (*messages.GroupAttributesOperatedResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	attrs, err := groupAttrRules(g.rt.Limits()).set(a.rec.Attributes, p.GroupAttributes)
	if err != nil {
		return nil, err
	}
	if err := a.updateRecord(g, func(r *messages.GroupRecord) { r.Attributes = attrs }); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupAttributesUpdated.With(&messages.GroupAttributesUpdatedEvent{
		GroupID:      a.id,
		InfoList:     []*messages.GroupAttributesUpdateInfo{{Action: 0, GroupAttributes: p.GroupAttributes}},
		OperatedInfo: a.operatedBy(g, c.UserID),
	}))
	return &messages.GroupAttributesOperatedResult{GroupID: a.id}, nil
}

// deleteAttributes removes keys; keys the group does not have come back in errorKeys.
func (a *groupActor) deleteAttributes(g *grain, c *messages.Call, p *messages.GroupAttributeKeysParams) (*messages.GroupAttributesOperatedResult, error) {
	if len(p.Keys) == 0 || len(p.Keys) > g.rt.Limits().GroupAttributesMax {
		return nil, ErrParamInvalid
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	attrs, removed, missing := groupAttrRules(g.rt.Limits()).remove(a.rec.Attributes, p.Keys)
	res := &messages.GroupAttributesOperatedResult{GroupID: a.id, ErrorKeys: missing}
	if len(removed) == 0 {
		return res, nil
	}
	if err := a.updateRecord(g, func(r *messages.GroupRecord) { r.Attributes = attrs }); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupAttributesUpdated.With(&messages.GroupAttributesUpdatedEvent{
		GroupID:      a.id,
		InfoList:     []*messages.GroupAttributesUpdateInfo{{Action: 1, GroupAttributes: removed}},
		OperatedInfo: a.operatedBy(g, c.UserID),
	}))
	return res, nil
}

func (a *groupActor) queryAttributes(g *grain, c *messages.Call, p *messages.GroupAttributeKeysParams) (*messages.GroupAttributesQueriedResult, error) {
	if len(p.Keys) == 0 || len(p.Keys) > g.rt.Limits().GroupAttributesMax {
		return nil, ErrParamInvalid
	}
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range p.Keys {
		if v, ok := a.rec.Attributes[k]; ok {
			out[k] = v
		}
	}
	return &messages.GroupAttributesQueriedResult{GroupID: a.id, GroupAttributes: out}, nil
}

func (a *groupActor) queryAllAttributes(g *grain, c *messages.Call, p *messages.GroupIDParams) (*messages.GroupAttributesQueriedResult, error) {
	if _, err := a.member(c.UserID); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range a.rec.Attributes {
		out[k] = v
	}
	return &messages.GroupAttributesQueriedResult{GroupID: a.id, GroupAttributes: out}, nil
}

// updateMode changes one of the verification modes (owner and admins).
func (a *groupActor) updateMode(g *grain, c *messages.Call, p *messages.GroupUpdateModeParams, maxMode int32, set func(*messages.GroupVerifyInfo, int32)) (*messages.GroupModeUpdatedResult, error) {
	if !validMode(p.Mode, maxMode) {
		return nil, ErrParamInvalid
	}
	if _, err := a.manager(c.UserID); err != nil {
		return nil, err
	}
	if err := a.updateRecord(g, func(r *messages.GroupRecord) {
		if r.VerifyInfo == nil {
			r.VerifyInfo = &messages.GroupVerifyInfo{}
		}
		set(r.VerifyInfo, p.Mode)
	}); err != nil {
		return nil, err
	}
	a.pushAll(g, messages.EventGroupVerifyInfoUpdated.With(&messages.GroupVerifyInfoUpdatedEvent{GroupID: a.id, VerifyInfo: a.verifyInfo(), OperatedInfo: a.operatedBy(g, c.UserID)}))
	return &messages.GroupModeUpdatedResult{GroupID: a.id, Mode: p.Mode}, nil
}

func (a *groupActor) updateJoinMode(g *grain, c *messages.Call, p *messages.GroupUpdateModeParams) (*messages.GroupModeUpdatedResult, error) {
	return a.updateMode(g, c, p, GroupJoinForbid, func(v *messages.GroupVerifyInfo, m int32) { v.JoinMode = m })
}

func (a *groupActor) updateInviteMode(g *grain, c *messages.Call, p *messages.GroupUpdateModeParams) (*messages.GroupModeUpdatedResult, error) {
	return a.updateMode(g, c, p, GroupInviteAdmin, func(v *messages.GroupVerifyInfo, m int32) { v.InviteMode = m })
}

func (a *groupActor) updateBeInviteMode(g *grain, c *messages.Call, p *messages.GroupUpdateModeParams) (*messages.GroupModeUpdatedResult, error) {
	return a.updateMode(g, c, p, GroupBeInviteAuth, func(v *messages.GroupVerifyInfo, m int32) { v.BeInviteMode = m })
}
