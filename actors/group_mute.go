package actors

import (
	"github.com/parley-chat/parley/messages"
)

// Group mute: the whole group (by mode or roles) and single members, each with an
// absolute expiry that sendMessage checks against the clock (so mutes end on time, also
// across restarts; no event is pushed when one ends — clients have expiredTime).

func groupMuteMethods(t methods[*groupActor]) {
	on(t, messages.MethodMuteGroup, (*groupActor).muteGroup)
	on(t, messages.MethodMuteGroupMembers, (*groupActor).muteMembers)
	on(t, messages.MethodQueryGroupMemberMutedList, (*groupActor).queryMuted)
}

func (a *groupActor) muteGroup(g *grain, c *messages.Call, p *messages.GroupMuteParams) (*messages.GroupMutedResult, error) {
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.GroupMuteConfig{}
	}
	now := g.rt.now()
	mute := &messages.GroupMuteInfo{Mode: MuteNone}
	if p.IsMute && cfg.Mode != MuteNone {
		if cfg.Mode < MuteNormal || cfg.Mode > MuteCustom {
			return nil, ErrParamInvalid
		}
		exp, ok := muteExpiry(now, cfg.Duration)
		if !ok {
			return nil, ErrParamInvalid
		}
		mute = &messages.GroupMuteInfo{Mode: cfg.Mode, ExpiredTime: exp}
		if cfg.Mode == MuteCustom {
			var err error
			if mute.Roles, err = muteRoles(cfg.Roles, g.rt.Limits().GroupMuteRolesMax); err != nil {
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
	if err := a.updateRecord(g, func(r *messages.GroupRecord) { r.Mute = mute }); err != nil {
		return nil, err
	}
	view := muteView(mute, now)
	a.pushAll(g, messages.EventGroupMutedInfoUpdated.With(&messages.GroupMutedInfoUpdatedEvent{GroupID: a.id, MutedInfo: view, OperatedInfo: a.operatedBy(g, c.UserID)}))
	a.tipInfo(g, c.UserID, TipsChangeGroupMute)
	return &messages.GroupMutedResult{GroupID: a.id, IsMute: mute.Mode != MuteNone, MutedInfo: view}, nil
}

func (a *groupActor) muteMembers(g *grain, c *messages.Call, p *messages.GroupMuteMembersParams) (*messages.GroupMembersMutedResult, error) {
	if len(p.UserIDs) == 0 || len(p.UserIDs) > g.rt.Limits().GroupMuteMembersMax {
		return nil, ErrParamInvalid
	}
	var duration int64
	if p.Config != nil {
		duration = p.Config.Duration
	}
	now := g.rt.now()
	var exp int64
	if p.IsMute {
		var ok bool
		if exp, ok = muteExpiry(now, duration); !ok {
			return nil, ErrParamInvalid
		}
	}
	me, err := a.manager(c.UserID)
	if err != nil {
		return nil, err
	}
	changed, refused := a.members.mute(me, p.UserIDs, exp)
	res := &messages.GroupMembersMutedResult{GroupID: a.id, IsMute: p.IsMute, Duration: duration, ErrorUserList: refused}
	for _, m := range changed {
		res.MutedUserIDs = append(res.MutedUserIDs, m.UserID)
	}
	if len(changed) > 0 {
		if err := a.updateMembers(g, c.UserID, changed...); err != nil {
			return nil, err
		}
		a.tipMembers(g, c.UserID, TipsChangeMemberMute, changed)
	}
	return res, nil
}

func (a *groupActor) queryMuted(g *grain, c *messages.Call, p *messages.GroupMemberListQueryParams) (*messages.GroupMemberMutedListQueriedResult, error) {
	now := g.rt.now()
	list, next, err := a.memberPage(g, c, p, func(m *messages.GroupMemberRecord) bool { return muteActive(m.MuteExpiredTime, now) })
	if err != nil {
		return nil, err
	}
	return &messages.GroupMemberMutedListQueriedResult{GroupID: a.id, UserList: list, NextFlag: next}, nil
}
