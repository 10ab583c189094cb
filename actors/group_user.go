package actors

import (
	"context"
	"errors"
	"hash/fnv"
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
// also the others' join applications and their own invitations of others. Newest
// first, paged by groupAppPosition: nextFlag is the position of the page's last
// application and the next page starts after it.
func (u *userActor) queryGroupApplications(g *grain, c *messages.Call, p *messages.GroupApplicationListQueryParams) (*messages.GroupApplicationListQueriedResult, error) {
	count, after, err := pageSize(p.Config, g.rt.Limits().PageMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	managed, err := u.managedGroups(g)
	if err != nil {
		return nil, err
	}
	apps, err := u.visibleGroupApps(ctx, g, managed)
	if err != nil {
		return nil, err
	}
	page, next := groupAppPage(apps, after, count)
	list, err := u.groupAppInfos(ctx, g, page)
	if err != nil {
		return nil, err
	}
	return &messages.GroupApplicationListQueriedResult{ApplicationList: list, NextFlag: next}, nil
}

// managedGroups is the set of groups the user owns or administers.
func (u *userActor) managedGroups(g *grain) (map[string]bool, error) {
	groups, err := u.memberships(g)
	if err != nil {
		return nil, err
	}
	managed := map[string]bool{}
	for _, r := range groups {
		m, err := u.groupMember(g, r.GroupID, u.id)
		if err != nil {
			return nil, err
		}
		if m != nil && isManager(m.Role) {
			managed[r.GroupID] = true
		}
	}
	return managed, nil
}

// storedGroupApp is an application with its store key.
type storedGroupApp struct {
	key string
	rec *messages.GroupApplicationRecord
}

// groupAppSet gathers applications, each once.
type groupAppSet struct {
	seen map[string]bool
	apps []storedGroupApp
}

func (s *groupAppSet) add(key, val []byte) error {
	if s.seen[string(key)] {
		return nil
	}
	r := &messages.GroupApplicationRecord{}
	if err := proto.Unmarshal(val, r); err != nil {
		return err
	}
	s.seen[string(key)] = true
	s.apps = append(s.apps, storedGroupApp{string(key), r})
	return nil
}

// visibleGroupApps is every application the user sees (in no particular order): the
// join applications of the managed groups and the applications referenced under the
// user.
func (u *userActor) visibleGroupApps(ctx context.Context, g *grain, managed map[string]bool) ([]storedGroupApp, error) {
	st := g.rt.Store()
	set := &groupAppSet{seen: map[string]bool{}}
	for gid := range managed {
		var derr error
		err := st.Scan(ctx, persistence.PrefixRange(keyGroupAppPrefix(gid, GroupAppJoin)), func(k, v []byte) bool {
			derr = set.add(k, v)
			return derr == nil
		})
		if err == nil {
			err = derr
		}
		if err != nil {
			return nil, err
		}
	}
	refs, err := u.groupAppRefs(ctx, g, managed)
	if err != nil {
		return nil, err
	}
	for _, key := range refs {
		if set.seen[string(key)] {
			continue
		}
		raw, err := st.Get(ctx, key)
		if errors.Is(err, persistence.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := set.add(key, raw); err != nil {
			return nil, err
		}
	}
	return set.apps, nil
}

// groupAppRefs is the keys of the applications referenced under the user, but for the
// invitations the user sent in groups it does not manage (those do not show).
func (u *userActor) groupAppRefs(ctx context.Context, g *grain, managed map[string]bool) ([][]byte, error) {
	var refs [][]byte
	err := g.rt.Store().Scan(ctx, persistence.PrefixRange(keyGroupAppRefPrefix(u.id)), func(k, v []byte) bool {
		if ref, ok := parseGroupAppRef(u.id, k); ok && ref.typ == GroupAppInvite && !managed[ref.groupID] {
			return true
		}
		refs = append(refs, append([]byte(nil), v...))
		return true
	})
	return refs, err
}

// groupAppHashBits is how many low bits of a groupAppPosition tell apart the
// applications updated in the same millisecond; the 42 bits above them hold the update
// time in ms (until the year 2109), so that a position is a positive int64.
const groupAppHashBits = 21

// groupAppPosition is where application app sorts in a user's list and the nextFlag
// that continues after it: its update time (ms) above a 21-bit FNV-1a hash of its store
// key. The list runs from the highest position to the lowest (newest first; equal
// positions, which need equal update times and a hash collision, by key). A position
// names the application itself, not a rank, so applications that appear or go between
// two pages shift nothing: the next page starts after the cursor's position whether or
// not that application is still there. An application updated (accepted, rejected,
// applied for again) gets a new, higher position: a client paging through meanwhile
// does not see it again, but learns of it by groupApplicationUpdated or
// groupApplicationListChanged.
func groupAppPosition(app storedGroupApp) int64 {
	h := fnv.New64a()
	h.Write([]byte(app.key))
	const timeMask = 1<<(63-groupAppHashBits) - 1
	pos := (app.rec.UpdateTime&timeMask)<<groupAppHashBits | int64(h.Sum64()&(1<<groupAppHashBits-1))
	return max(pos, 1) // 0 is "from the start"
}

// groupAppPage sorts apps newest first and returns the page of at most count of them
// after position after (0: from the start), with the position of the page's last
// application as nextFlag (0 when no application follows). An application whose
// position equals the last one's (a hash collision in the same millisecond) joins the
// page: a position never splits between two pages.
func groupAppPage(apps []storedGroupApp, after int64, count int) ([]storedGroupApp, int64) {
	pos := make(map[string]int64, len(apps))
	for _, a := range apps {
		pos[a.key] = groupAppPosition(a)
	}
	sort.Slice(apps, func(i, j int) bool {
		if pi, pj := pos[apps[i].key], pos[apps[j].key]; pi != pj {
			return pi > pj
		}
		return apps[i].key < apps[j].key
	})
	start := 0
	if after > 0 {
		start = sort.Search(len(apps), func(i int) bool { return pos[apps[i].key] < after })
	}
	end := min(start+count, len(apps))
	for end < len(apps) && end > start && pos[apps[end].key] == pos[apps[end-1].key] {
		end++
	}
	var next int64
	if end < len(apps) && end > start {
		next = pos[apps[end-1].key]
	}
	return apps[start:end], next
}

// groupAppInfos is page as the user sees it, with each group's name and avatar and
// the members' profiles.
func (u *userActor) groupAppInfos(ctx context.Context, g *grain, page []storedGroupApp) ([]*messages.GroupApplicationInfo, error) {
	prof := newProfiles(ctx, g)
	infos := map[string]*messages.GroupInfo{}
	now := g.rt.now()
	var list []*messages.GroupApplicationInfo
	for _, a := range page {
		gid := a.rec.GroupID
		gi := infos[gid]
		if gi == nil {
			var err error
			if gi, err = u.groupBaseInfo(g, gid); err != nil {
				return nil, err
			}
			infos[gid] = gi
		}
		simple := func(id string) *messages.GroupMemberSimpleInfo { return u.groupMemberSimple(g, prof, gid, id) }
		list = append(list, groupAppInfo(a.rec, u.id, gi, prof, simple, now))
	}
	return list, nil
}

// groupBaseInfo is group gid's ID, name and avatar (only the ID when it has no record).
func (u *userActor) groupBaseInfo(g *grain, gid string) (*messages.GroupInfo, error) {
	gi := &messages.GroupInfo{GroupID: gid}
	rec, err := u.groupRecord(g, gid)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		gi.GroupName, gi.GroupAvatarUrl = rec.GroupName, rec.GroupAvatarUrl
	}
	return gi, nil
}

// groupMemberSimple is user id's profile, with its nickname and role in group gid
// when it is a member.
func (u *userActor) groupMemberSimple(g *grain, prof *profileCache, gid, id string) *messages.GroupMemberSimpleInfo {
	pu := prof.profileOrBlank(id)
	s := &messages.GroupMemberSimpleInfo{UserID: id, UserName: pu.UserName, UserAvatarUrl: pu.UserAvatarUrl, UserExtendedData: pu.ExtendedData}
	if m, _ := u.groupMember(g, gid, id); m != nil {
		s.MemberNickname, s.MemberRole = m.Nickname, m.Role
	}
	return s
}
