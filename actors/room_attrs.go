package actors

import (
	"sort"

	"github.com/parley-chat/parley/messages"
)

// ZIMRoomAttributesUpdateAction.
const (
	attrActionSet    = 0
	attrActionDelete = 1
)

// roomAttr is one room attribute. The user who set it first owns it; another user may
// overwrite or delete it only with isForce (and takes it over with isUpdateOwner).
type roomAttr struct {
	value                string
	owner                string
	deleteAfterOwnerLeft bool
}

// attrOp is one setRoomAttributes or deleteRoomAttributes call, applied at once or, inside
// a batch operation, at endRoomAttributesBatchOperation.
type attrOp struct {
	set map[string]string
	del []string
	cfg *messages.RoomAttributesSetConfig
}

// attrBatch collects one connection's operations between begin and end.
type attrBatch struct {
	cfg *messages.RoomAttributesSetConfig
	ops []attrOp
}

// memberAttrs are one member's room member attributes.
type memberAttrs struct {
	kv              map[string]string
	bytes           int
	deleteAfterLeft bool
}

// checkAttrInput checks the keys and values a call sets.
func checkAttrInput(kv map[string]string, lim RoomLimits) error {
	for k, v := range kv {
		switch {
		case k == "":
			return ErrParamInvalid
		case len(k) > lim.AttributeKeyBytes:
			return ErrRoomAttrKey
		case len(v) > lim.AttributeValBytes:
			return ErrRoomAttrValue
		}
	}
	return nil
}

// checkAttrLimits checks a room's attributes as they would be after an operation.
func checkAttrLimits(attrs map[string]*roomAttr, lim RoomLimits) error {
	if len(attrs) > lim.Attributes {
		return ErrRoomAttrCount
	}
	total := 0
	for k, a := range attrs {
		total += len(k) + len(a.value)
	}
	if total > lim.AttributesBytes {
		return ErrRoomAttrTotal
	}
	return nil
}

func sortedKeys(kv map[string]string) []string {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// applyAttrOps computes the attributes after user's operations (under cfg) without
// changing the room, and the keys refused for ownership (or, deleting, for not existing).
func (r *roomActor) applyAttrOps(user string, ops []attrOp, cfg *messages.RoomAttributesSetConfig) (map[string]*roomAttr, []string) {
	next := make(map[string]*roomAttr, len(r.attrs)+4)
	for k, a := range r.attrs {
		next[k] = a
	}
	var refused []string
	for _, op := range ops {
		for _, k := range sortedKeys(op.set) {
			v := op.set[k]
			switch a := next[k]; {
			case a == nil || a.owner == user:
				next[k] = &roomAttr{value: v, owner: user, deleteAfterOwnerLeft: cfg.IsDeleteAfterOwnerLeft}
			case cfg.IsForce && cfg.IsUpdateOwner:
				next[k] = &roomAttr{value: v, owner: user, deleteAfterOwnerLeft: cfg.IsDeleteAfterOwnerLeft}
			case cfg.IsForce:
				next[k] = &roomAttr{value: v, owner: a.owner, deleteAfterOwnerLeft: a.deleteAfterOwnerLeft}
			default:
				refused = append(refused, k)
			}
		}
		for _, k := range op.del {
			a := next[k]
			if a == nil || (a.owner != user && !cfg.IsForce) {
				refused = append(refused, k)
				continue
			}
			delete(next, k)
		}
	}
	return next, refused
}

// commitAttrs makes next the room's attributes and pushes what changed to every member
// connection but the caller's: roomAttributesUpdated for one kind of change,
// roomAttributesBatchUpdated (with a set and a delete info) for a batch.
func (r *roomActor) commitAttrs(g *grain, next map[string]*roomAttr, batch bool, caller *messages.ConnRef) {
	set, del := map[string]string{}, map[string]string{}
	for k, a := range next {
		if old := r.attrs[k]; old == nil || old.value != a.value {
			set[k] = a.value
		}
	}
	for k := range r.attrs {
		if next[k] == nil {
			del[k] = ""
		}
	}
	r.attrs = next
	var infos []*messages.RoomAttributesUpdateInfo
	if len(set) > 0 {
		infos = append(infos, &messages.RoomAttributesUpdateInfo{Action: attrActionSet, RoomAttributes: set})
	}
	if len(del) > 0 {
		infos = append(infos, &messages.RoomAttributesUpdateInfo{Action: attrActionDelete, RoomAttributes: del})
	}
	if len(infos) == 0 {
		return
	}
	event := messages.EventRoomAttributesUpdated
	if batch {
		event = messages.EventRoomAttributesBatchUpdated
	}
	r.push(g, event.With(&messages.RoomAttributesUpdatedEvent{RoomID: r.id, Infos: infos}), 0, caller)
}

// queue adds op to the caller's batch operation, if one is in progress.
func (r *roomActor) queue(g *grain, c *messages.Call, op attrOp) (bool, error) {
	b := r.batches[r.key(c.Conn)]
	if b == nil {
		return false, nil
	}
	if len(b.ops) >= g.rt.Limits().Room.BatchOps {
		return true, ErrParamInvalid
	}
	b.ops = append(b.ops, op)
	return true, nil
}

func (r *roomActor) setAttributes(g *grain, c *messages.Call, p *messages.RoomAttributesSetParams) (*messages.RoomAttributesOperatedResult, error) {
	lim := g.rt.Limits().Room
	if len(p.RoomAttributes) == 0 {
		return nil, ErrParamInvalid
	}
	if err := checkAttrInput(p.RoomAttributes, lim); err != nil {
		return nil, err
	}
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.RoomAttributesSetConfig{}
	}
	op := attrOp{set: p.RoomAttributes, cfg: cfg}
	res := &messages.RoomAttributesOperatedResult{RoomID: r.id}
	if queued, err := r.queue(g, c, op); queued {
		return res, err
	}
	next, refused := r.applyAttrOps(c.UserID, []attrOp{op}, cfg)
	if len(refused) == len(p.RoomAttributes) {
		return nil, ErrRoomAttrFailed
	}
	if err := checkAttrLimits(next, lim); err != nil {
		return nil, err
	}
	r.commitAttrs(g, next, false, c.Conn)
	res.ErrorKeys = refused
	return res, nil
}

func (r *roomActor) deleteAttributes(g *grain, c *messages.Call, p *messages.RoomAttributesDeleteParams) (*messages.RoomAttributesOperatedResult, error) {
	if len(p.Keys) == 0 || len(p.Keys) > g.rt.Limits().Room.Attributes {
		return nil, ErrParamInvalid
	}
	seen := map[string]bool{}
	keys := make([]string, 0, len(p.Keys))
	for _, k := range p.Keys {
		if k == "" {
			return nil, ErrParamInvalid
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	cfg := &messages.RoomAttributesSetConfig{IsForce: p.Config.GetIsForce()}
	op := attrOp{del: keys, cfg: cfg}
	res := &messages.RoomAttributesOperatedResult{RoomID: r.id}
	if queued, err := r.queue(g, c, op); queued {
		return res, err
	}
	next, refused := r.applyAttrOps(c.UserID, []attrOp{op}, cfg)
	if len(refused) == len(keys) {
		return nil, ErrRoomAttrFailed
	}
	r.commitAttrs(g, next, false, c.Conn)
	res.ErrorKeys = refused
	return res, nil
}

// beginBatch starts collecting the connection's set/delete operations (a second begin
// starts over). The batch's config applies to all of them.
func (r *roomActor) beginBatch(g *grain, c *messages.Call, p *messages.RoomAttributesBatchBeginParams) (*messages.Empty, error) {
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.RoomAttributesSetConfig{}
	}
	r.batches[r.key(c.Conn)] = &attrBatch{cfg: cfg}
	return &messages.Empty{}, nil
}

// endBatch applies the collected operations together: the limits hold for the result or
// nothing is applied, keys refused for ownership are skipped, and the members get one
// roomAttributesBatchUpdated.
func (r *roomActor) endBatch(g *grain, c *messages.Call, _ *messages.RoomIDParams) (*messages.RoomAttributesBatchOperatedResult, error) {
	k := r.key(c.Conn)
	b := r.batches[k]
	if b == nil {
		return nil, ErrRoomAttrNoBatch
	}
	delete(r.batches, k)
	next, _ := r.applyAttrOps(c.UserID, b.ops, b.cfg)
	if err := checkAttrLimits(next, g.rt.Limits().Room); err != nil {
		return nil, err
	}
	r.commitAttrs(g, next, true, c.Conn)
	return &messages.RoomAttributesBatchOperatedResult{RoomID: r.id}, nil
}

func (r *roomActor) queryAttributes(g *grain, c *messages.Call, _ *messages.RoomIDParams) (*messages.RoomAttributesQueriedResult, error) {
	kv := make(map[string]string, len(r.attrs))
	for k, a := range r.attrs {
		kv[k] = a.value
	}
	return &messages.RoomAttributesQueriedResult{RoomID: r.id, RoomAttributes: kv}, nil
}

// ---- room member attributes ----

func (r *roomActor) memberAttrInfo(user string) *messages.RoomMemberAttributesInfo {
	info := &messages.RoomMemberAttributesInfo{UserID: user, Attributes: map[string]string{}}
	if ma := r.memberAttrs[user]; ma != nil {
		for k, v := range ma.kv {
			info.Attributes[k] = v
		}
	}
	return info
}

// setMemberAttributes sets attributes on members of the room (any member may set them on
// any member). Users who are not members are listed in errorUserList; a limit exceeded
// for any target refuses the whole call.
func (r *roomActor) setMemberAttributes(g *grain, c *messages.Call, p *messages.RoomMembersAttributesSetParams) (*messages.RoomMembersAttributesOperatedResult, error) {
	lim := g.rt.Limits().Room
	if len(p.Attributes) == 0 || len(p.UserIDs) == 0 || len(p.UserIDs) > lim.MemberAttrUsers {
		return nil, ErrParamInvalid
	}
	for k, v := range p.Attributes {
		switch {
		case k == "":
			return nil, ErrParamInvalid
		case len(k) > lim.MemberAttrKeyBytes:
			return nil, ErrRoomMemberAttrKey
		case len(v) > lim.MemberAttrValBytes:
			return nil, ErrRoomMemberAttrValue
		}
	}
	deleteAfterLeft := true // ZIM's default when no config is given
	if p.Config != nil {
		deleteAfterLeft = p.Config.IsDeleteAfterOwnerLeft
	}
	res := &messages.RoomMembersAttributesOperatedResult{RoomID: r.id}
	var targets []string
	seen := map[string]bool{}
	holders := len(r.memberAttrs)
	for _, u := range p.UserIDs {
		if seen[u] {
			continue
		}
		seen[u] = true
		if r.members[u] == nil {
			res.ErrorUserList = append(res.ErrorUserList, u)
			continue
		}
		cur := r.memberAttrs[u]
		pairs, bytes := 0, 0
		if cur != nil {
			pairs, bytes = len(cur.kv), cur.bytes
		} else {
			holders++
		}
		for k, v := range p.Attributes {
			if old, ok := cur.get(k); ok {
				bytes += len(v) - len(old)
			} else {
				pairs++
				bytes += len(k) + len(v)
			}
		}
		switch {
		case pairs > lim.MemberAttrPairs || holders > lim.MemberAttrMembers:
			return nil, ErrRoomMemberAttrCount
		case bytes > lim.MemberAttrBytes:
			return nil, ErrRoomMemberAttrTotal
		}
		targets = append(targets, u)
	}
	ev := &messages.RoomMembersAttributesUpdatedEvent{RoomID: r.id, OperatedInfo: &messages.RoomOperatedInfo{UserID: c.UserID}}
	for _, u := range targets {
		ma := r.memberAttrs[u]
		if ma == nil {
			ma = &memberAttrs{kv: map[string]string{}}
			r.memberAttrs[u] = ma
		}
		for k, v := range p.Attributes {
			ma.bytes -= len(ma.kv[k])
			if _, ok := ma.kv[k]; !ok {
				ma.bytes += len(k)
			}
			ma.kv[k] = v
			ma.bytes += len(v)
		}
		ma.deleteAfterLeft = deleteAfterLeft
		res.Infos = append(res.Infos, &messages.RoomMemberAttributesOperatedInfo{AttributesInfo: r.memberAttrInfo(u), ErrorKeys: []string{}})
		ev.Infos = append(ev.Infos, &messages.RoomMemberAttributesUpdateInfo{AttributesInfo: r.memberAttrInfo(u)})
	}
	if len(ev.Infos) > 0 {
		r.push(g, messages.EventRoomMemberAttributesUpdated.With(ev), 0, c.Conn)
	}
	return res, nil
}

func (ma *memberAttrs) get(k string) (string, bool) {
	if ma == nil {
		return "", false
	}
	v, ok := ma.kv[k]
	return v, ok
}

// queryMemberAttributes returns the attributes of the given users that have any.
func (r *roomActor) queryMemberAttributes(g *grain, c *messages.Call, p *messages.RoomUsersParams) (*messages.RoomMembersAttributesQueriedResult, error) {
	if len(p.UserIDs) == 0 || len(p.UserIDs) > g.rt.Limits().Room.MemberAttrUsers {
		return nil, ErrParamInvalid
	}
	res := &messages.RoomMembersAttributesQueriedResult{RoomID: r.id}
	seen := map[string]bool{}
	for _, u := range p.UserIDs {
		if !seen[u] && r.memberAttrs[u] != nil {
			res.Infos = append(res.Infos, r.memberAttrInfo(u))
		}
		seen[u] = true
	}
	return res, nil
}

// memberAttributesList pages through the users with member attributes by user ID (at
// most Limits.Room.MemberAttrMembers of them); nextFlag is the page's last user ID.
func (r *roomActor) memberAttributesList(g *grain, c *messages.Call, p *messages.RoomMemberAttributesListParams) (*messages.RoomMemberAttributesListQueriedResult, error) {
	count, err := pageCount(p.Config, g.rt.Limits().Room.PageMax)
	if err != nil {
		return nil, err
	}
	users := make([]string, 0, len(r.memberAttrs))
	for u := range r.memberAttrs {
		if u > p.Config.NextFlag {
			users = append(users, u)
		}
	}
	sort.Strings(users)
	res := &messages.RoomMemberAttributesListQueriedResult{RoomID: r.id}
	for i, u := range users {
		if i == count {
			res.NextFlag = users[i-1]
			break
		}
		res.Infos = append(res.Infos, r.memberAttrInfo(u))
	}
	return res, nil
}
