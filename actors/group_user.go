package actors

import (
	"bytes"
	"errors"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The user actor's side of groups: it tells its groups when its devices change (so that
// a group actor knows its online members' connections), learns its memberships from
// the group actors, names group conversations after the group, and serves the
// user-wide group queries (queryGroupList, queryGroupApplicationList).

func groupUserMethods(t methods[*userActor]) {
	on(t, messages.MethodQueryGroupList, (*userActor).queryGroupList)
	on(t, messages.MethodQueryGroupApplicationList, (*userActor).queryGroupApplications)
}

// devicesChanged runs after a device registered or unregistered (before: the number of
// devices before). Each group the user is a member of gets the current connections.
// When the first device comes online, the group conversations are reloaded first.
func (u *userActor) devicesChanged(g *grain, before int) {
	now := len(u.devices)
	if before == 0 && now == 0 {
		return
	}
	if before == 0 {
		u.refreshGroups(g)
		u.refreshCommunities(g)
	}
	u.communityPresence(g)
	conns := append([]*messages.ConnRef(nil), u.devices...)
	for _, e := range u.convs {
		if e.ctype == ConvGroup && e.idx.Until == 0 {
			g.rt.Send(KindGroup, e.id, &messages.GroupMemberPresence{UserID: u.id, Conns: conns, KnownSeq: e.lastSeq})
		}
	}
}

// refreshGroups reloads the group conversations from the store. A group keeps only its
// online members' user actors up to date, so a user actor without devices may hold
// stale group conversations: they are reloaded when a device comes, or before a call
// made without one (in process).
func (u *userActor) refreshGroups(g *grain) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	for key, e := range u.convs {
		if e.ctype != ConvGroup {
			continue
		}
		raw, err := g.rt.Store().Get(ctx, keyConvIndex(u.id, ConvGroup, e.id))
		if errors.Is(err, persistence.ErrNotFound) {
			delete(u.convs, key)
			continue
		}
		idx := &messages.StoredConvIndex{}
		if err == nil {
			err = proto.Unmarshal(raw, idx)
		}
		if err == nil {
			e.idx = idx
			err = u.loadHead(ctx, g, e)
		}
		if err != nil {
			g.Log().Error("reload group conversation", "group", e.id, "err", err)
		}
		e.named = false
	}
	u.total = u.totalUnread(nil)
}

// groupConversationUpdate applies a group actor's news about the user's membership.
func (u *userActor) groupConversationUpdate(g *grain, m *messages.GroupConversationUpdate) {
	key := convKey(ConvGroup, m.GroupID)
	e := u.convs[key]
	event := int32(1) // updated
	switch {
	case m.Index != nil:
		ctx, cancel := g.CallCtx()
		if e == nil {
			event = 0 // added
			e = &convEntry{ctype: ConvGroup, id: m.GroupID, logID: m.GroupID, st: &messages.StoredConvState{}}
			raw, err := g.rt.Store().Get(ctx, keyConvState(u.id, ConvGroup, m.GroupID))
			if err == nil {
				_ = proto.Unmarshal(raw, e.st)
			}
			u.convs[key] = e
		}
		e.idx = m.Index
		if err := u.loadHead(ctx, g, e); err != nil {
			g.Log().Error("load group head", "group", m.GroupID, "err", err)
		}
		cancel()
		e.named = false
		if m.Member && len(u.devices) > 0 {
			g.rt.Send(KindGroup, m.GroupID, &messages.GroupMemberPresence{
				UserID: u.id, Conns: append([]*messages.ConnRef(nil), u.devices...), KnownSeq: e.lastSeq,
			})
		}
	case !m.Member && !m.ProfileChanged: // the membership ended and left no history
		if e != nil {
			delete(u.convs, key)
			event = 3 // deleted
		}
	case e != nil:
		e.named = false
	}
	if m.Push != nil {
		u.pushRaw(g, m.Push, 0)
	}
	if e != nil {
		u.conversationChanged(g, e, event)
	}
}

// loadGroupProfile names a group conversation: the group's name and avatar, and the
// user's alias of it.
func (u *userActor) loadGroupProfile(g *grain, e *convEntry) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	if raw, err := st.Get(ctx, keyGroup(e.id)); err == nil {
		rec := &messages.GroupRecord{}
		if proto.Unmarshal(raw, rec) == nil {
			e.name, e.avatar = rec.GroupName, rec.GroupAvatarUrl
		}
	}
	e.alias = ""
	if raw, err := st.Get(ctx, keyGroupUser(u.id, e.id)); err == nil {
		gu := &messages.GroupUserRecord{}
		if proto.Unmarshal(raw, gu) == nil {
			e.alias = gu.Alias
		}
	}
	e.named = true
}

// memberships lists the user's groups (in group-ID order).
func (u *userActor) memberships(g *grain) ([]*messages.GroupUserRecord, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	var out []*messages.GroupUserRecord
	err := scanRecords(ctx, g.rt.Store(), keyGroupUserPrefix(u.id), func(_ []byte, r *messages.GroupUserRecord) bool {
		out = append(out, r)
		return true
	})
	return out, err
}

// groupRecord reads a group's record (nil when absent).
func (u *userActor) groupRecord(g *grain, id string) (*messages.GroupRecord, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	rec, ok, err := getRecord[messages.GroupRecord](ctx, g.rt.Store(), keyGroup(id))
	if !ok || err != nil {
		return nil, err
	}
	return rec, nil
}

// groupMember reads a member record (nil when not a member).
func (u *userActor) groupMember(g *grain, groupID, userID string) (*messages.GroupMemberRecord, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	m, ok, err := getRecord[messages.GroupMemberRecord](ctx, g.rt.Store(), keyGroupMember(groupID, userID))
	if !ok || err != nil {
		return nil, err
	}
	return m, nil
}

func (u *userActor) queryGroupList(g *grain, c *messages.Call, p *messages.GroupListQueryParams) (*messages.GroupListQueriedResult, error) {
	lim := g.rt.Limits()
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.GroupListQueryConfig{}
	}
	if p.Count < 0 || cfg.NextFlag < 0 || len(cfg.UserIDs) > lim.QueryUsersMax {
		return nil, ErrParamInvalid
	}
	for _, id := range cfg.UserIDs {
		if !ValidID(id, lim.UserIDBytes) {
			return nil, ErrParamInvalid
		}
	}
	all, err := u.memberships(g)
	if err != nil {
		return nil, err
	}
	if len(cfg.UserIDs) > 0 { // only the groups these users share with the caller
		kept := all[:0]
	next:
		for _, r := range all {
			for _, id := range cfg.UserIDs {
				m, err := u.groupMember(g, r.GroupID, id)
				if err != nil {
					return nil, err
				}
				if m == nil {
					continue next
				}
			}
			kept = append(kept, r)
		}
		all = kept
	}
	start := min(int(cfg.NextFlag), len(all))
	end := len(all)
	if p.Count > 0 {
		end = min(start+min(int(p.Count), lim.PageMax), len(all))
	}
	res := &messages.GroupListQueriedResult{}
	if end < len(all) {
		res.NextFlag = int64(end)
	}
	for _, r := range all[start:end] {
		rec, err := u.groupRecord(g, r.GroupID)
		if err != nil {
			return nil, err
		}
		if rec == nil || rec.Dismissed {
			continue
		}
		status := int32(NotifyOn)
		if e := u.convs[convKey(ConvGroup, r.GroupID)]; e != nil {
			status = e.status()
		}
		res.GroupList = append(res.GroupList, &messages.Group{
			BaseInfo:   &messages.GroupInfo{GroupID: r.GroupID, GroupName: rec.GroupName, GroupAvatarUrl: rec.GroupAvatarUrl},
			GroupAlias: r.Alias, NotificationStatus: status,
		})
	}
	return res, nil
}

// queryGroupApplications lists the applications the user sees: their own join
// applications and the invitations they received; in groups they own or administer,
// also the others' join applications and their own invitations of others.
func (u *userActor) queryGroupApplications(g *grain, c *messages.Call, p *messages.GroupApplicationListQueryParams) (*messages.GroupApplicationListQueriedResult, error) {
	count, from, err := pageSize(p.Config, g.rt.Limits().PageMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	type app struct {
		key string
		rec *messages.GroupApplicationRecord
	}
	seen := map[string]bool{}
	var apps []app
	var derr error
	add := func(key, val []byte) bool {
		if seen[string(key)] {
			return true
		}
		r := &messages.GroupApplicationRecord{}
		if derr = proto.Unmarshal(val, r); derr != nil {
			return false
		}
		seen[string(key)] = true
		apps = append(apps, app{string(key), r})
		return true
	}
	managed := map[string]bool{}
	groups, err := u.memberships(g)
	if err != nil {
		return nil, err
	}
	for _, r := range groups {
		m, err := u.groupMember(g, r.GroupID, u.id)
		if err != nil {
			return nil, err
		}
		if m == nil || !isManager(m.Role) {
			continue
		}
		managed[r.GroupID] = true
		if err := st.Scan(ctx, persistence.PrefixRange(keyGroupAppPrefix(r.GroupID, GroupAppJoin)), add); err != nil {
			return nil, err
		}
		if derr != nil {
			return nil, derr
		}
	}
	var refs [][]byte
	prefix := keyGroupAppRefPrefix(u.id)
	err = st.Scan(ctx, persistence.PrefixRange(prefix), func(k, v []byte) bool {
		// An invitation the user sent shows only in groups the user manages.
		parts := bytes.Split(k[len(prefix):], []byte{0})
		if len(parts) >= 2 && string(parts[1]) == ctypeStr(GroupAppInvite) && !managed[string(parts[0])] {
			return true
		}
		refs = append(refs, append([]byte(nil), v...))
		return true
	})
	if err != nil {
		return nil, err
	}
	for _, key := range refs {
		if seen[string(key)] {
			continue
		}
		raw, err := st.Get(ctx, key)
		if errors.Is(err, persistence.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !add(key, raw) {
			return nil, derr
		}
	}
	sort.Slice(apps, func(i, j int) bool {
		if apps[i].rec.UpdateTime != apps[j].rec.UpdateTime {
			return apps[i].rec.UpdateTime > apps[j].rec.UpdateTime
		}
		return apps[i].key < apps[j].key
	})
	start := min(int(from), len(apps))
	end := min(start+count, len(apps))
	res := &messages.GroupApplicationListQueriedResult{}
	if end < len(apps) {
		res.NextFlag = int64(end)
	}
	prof := &profileCache{ctx: ctx, st: st, m: map[string]*messages.StoredUser{}}
	infos := map[string]*messages.GroupInfo{}
	now := g.rt.now()
	for _, a := range apps[start:end] {
		gid := a.rec.GroupID
		gi := infos[gid]
		if gi == nil {
			gi = &messages.GroupInfo{GroupID: gid}
			if rec, err := u.groupRecord(g, gid); err != nil {
				return nil, err
			} else if rec != nil {
				gi.GroupName, gi.GroupAvatarUrl = rec.GroupName, rec.GroupAvatarUrl
			}
			infos[gid] = gi
		}
		simple := func(id string) *messages.GroupMemberSimpleInfo {
			pu := prof.name(id)
			s := &messages.GroupMemberSimpleInfo{UserID: id, UserName: pu.UserName, UserAvatarUrl: pu.UserAvatarUrl, UserExtendedData: pu.ExtendedData}
			if m, _ := u.groupMember(g, gid, id); m != nil {
				s.MemberNickname, s.MemberRole = m.Nickname, m.Role
			}
			return s
		}
		res.ApplicationList = append(res.ApplicationList, groupAppInfo(a.rec, u.id, gi, prof, simple, now))
	}
	return res, nil
}
