package actors

import (
	"github.com/parley-chat/parley/messages"
)

// The roster: the members of a group, a community or a private channel with their roles
// and member mutes, and the rules every such kind shares (who is a member, who manages,
// who may act on whom, kick, mute, transfer, role changes, invitee screening). The kinds
// keep what really differs: what a membership writes, which events go to whom. Each
// kind answers with its own codes (rosterCodes).

// rosterCodes are the error codes a kind answers for the roster's refusals.
type rosterCodes struct {
	notMember    *CodeError // the caller or a target is not a member
	noPermission *CodeError // the caller's role does not allow it
	already      *CodeError // an invitee is a member already
	full         *CodeError // no room for another member (nil: no limit of its own)
}

var (
	groupRoster     = rosterCodes{ErrNotGroupMember, ErrGroupNoPermission, ErrAlreadyGroupMember, ErrGroupFull}
	communityRoster = rosterCodes{ErrNotCommunityMember, ErrCommunityNoPermission, ErrAlreadyCommunityMember, ErrCommunityFull}
	// A private channel's members are community members; the calls on them answer with
	// the community's codes but for "not in the channel".
	channelRoster = rosterCodes{ErrNotChannelMember, ErrCommunityNoPermission, ErrAlreadyCommunityMember, nil}
)

// roster is a member set with the rules of roles. in (nil: everyone in the set) narrows
// it to a subset sharing the records: a private channel is the community's members who
// are in the channel.
type roster struct {
	*memberSet
	codes rosterCodes
	in    func(user string) bool
}

func newRoster(codes rosterCodes) *roster {
	return &roster{memberSet: newMemberSet(), codes: codes}
}

// subset is the roster of the members of r for which in holds, answering with codes.
func (r *roster) subset(codes rosterCodes, in func(user string) bool) *roster {
	return &roster{memberSet: r.memberSet, codes: codes, in: in}
}

// get is user's member record (nil: not a member).
func (r *roster) get(user string) *messages.GroupMemberRecord {
	m := r.memberSet.get(user)
	if m == nil || (r.in != nil && !r.in(user)) {
		return nil
	}
	return m
}

// member is user's member record, or notMember.
func (r *roster) member(user string) (*messages.GroupMemberRecord, error) {
	m := r.get(user)
	if m == nil {
		return nil, r.codes.notMember
	}
	return m, nil
}

// manager is user's member record when it is the owner or an admin.
func (r *roster) manager(user string) (*messages.GroupMemberRecord, error) {
	m, err := r.member(user)
	if err != nil {
		return nil, err
	}
	if !isManager(m.Role) {
		return nil, r.codes.noPermission
	}
	return m, nil
}

// owner is user's member record when it is the owner.
func (r *roster) owner(user string) (*messages.GroupMemberRecord, error) {
	m, err := r.member(user)
	if err != nil {
		return nil, err
	}
	if m.Role != RoleOwner {
		return nil, r.codes.noPermission
	}
	return m, nil
}

func refusedUser(id string, err *CodeError) *messages.ErrorUserInfo {
	return &messages.ErrorUserInfo{UserID: id, Reason: err.Code}
}

// screen is why user cannot be invited (nil: it can): an invalid ID 6000124, already a
// member (already), never registered 6000011.
func (r *roster) screen(user string, idBytes int, prof *profileCache) (*CodeError, error) {
	if !ValidID(user, idBytes) {
		return ErrUserIDInvalid, nil
	}
	if r.get(user) != nil {
		return r.codes.already, nil
	}
	u, err := prof.get(user)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return ErrUserNotExist, nil
	}
	return nil, nil
}

// targets sorts the users (deduplicated) a manager me acts on into the members it may
// act on (canManage) and the refusals, in the order of ids: oneself (self, when not nil),
// not a member (notMember), one it may not act on (noPermission).
func (r *roster) targets(me *messages.GroupMemberRecord, ids []string, self *CodeError) ([]*messages.GroupMemberRecord, []*messages.ErrorUserInfo) {
	var ok []*messages.GroupMemberRecord
	var bad []*messages.ErrorUserInfo
	for _, id := range dedupe(ids) {
		t := r.get(id)
		switch {
		case self != nil && id == me.UserID:
			bad = append(bad, refusedUser(id, self))
		case t == nil:
			bad = append(bad, refusedUser(id, r.codes.notMember))
		case !canManage(me.Role, t.Role):
			bad = append(bad, refusedUser(id, r.codes.noPermission))
		default:
			ok = append(ok, t)
		}
	}
	return ok, bad
}

// kick sorts the users me (a manager) kicks into the members who go and the refusals.
//
// Kicking oneself is a bad parameter (6000001) in every kind, before any other check.
// ZIM's declarations (zego-zim-web 2.29.0: entity/ZIMErrorCode.d.ts, entity/ZIM.d.ts
// kickGroupMembers) have no code of their own for it and no community kick at all, so
// the group's answer (CommonModuleParamsInvalid: the caller cannot be its own target,
// whatever its role) is the rule of communities and private channels too; they
// answered 6001007 (no permission) before.
func (r *roster) kick(me *messages.GroupMemberRecord, ids []string) ([]*messages.GroupMemberRecord, []*messages.ErrorUserInfo) {
	return r.targets(me, ids, ErrParamInvalid)
}

// mute sorts the users me (a manager) mutes (expiry: an absolute stored expiry, 0 to
// unmute) into changed copies of their records and the refusals (oneself included: no
// role may act on itself).
func (r *roster) mute(me *messages.GroupMemberRecord, ids []string, expiry int64) ([]*messages.GroupMemberRecord, []*messages.ErrorUserInfo) {
	targets, bad := r.targets(me, ids, nil)
	changed := make([]*messages.GroupMemberRecord, len(targets))
	for i, t := range targets {
		m := cloneMember(t)
		m.MuteExpiredTime = expiry
		changed[i] = m
	}
	return changed, bad
}

// transfer makes member to the owner in place of me (the owner): it returns the changed
// copies of both records (the old owner becomes a member). Refusals: no or the own ID
// 6000001, not a member (notMember).
func (r *roster) transfer(me *messages.GroupMemberRecord, to string) (newOwner, old *messages.GroupMemberRecord, err error) {
	if to == "" || to == me.UserID {
		return nil, nil, ErrParamInvalid
	}
	t, err := r.member(to)
	if err != nil {
		return nil, nil, err
	}
	newOwner, old = cloneMember(t), cloneMember(me)
	newOwner.Role, old.Role = RoleOwner, RoleMember
	return newOwner, old, nil
}

// setRole gives member user role as me (the owner) asks: the changed copy of its record,
// nil when it has the role already. Refusals: a role nobody can be given (the owner's:
// ownership moves by transfer) 6000001, the owner's own role (noPermission), not a
// member (notMember). The role is checked before the caller, as every kind did.
func (r *roster) setRole(me *messages.GroupMemberRecord, user string, role int32) (*messages.GroupMemberRecord, error) {
	if !assignableRole(role) {
		return nil, ErrParamInvalid
	}
	if user == me.UserID {
		return nil, r.codes.noPermission
	}
	t, err := r.member(user)
	if err != nil {
		return nil, err
	}
	if t.Role == role {
		return nil, nil
	}
	m := cloneMember(t)
	m.Role = role
	return m, nil
}

// mayMuteAll checks a whole-group (or channel) mute me sets: admins never silence
// everyone, the owner or the admins.
func (r *roster) mayMuteAll(me *messages.GroupMemberRecord, mute *messages.GroupMuteInfo) error {
	if me.Role == RoleOwner {
		return nil
	}
	if mute.Mode == MuteAll {
		return r.codes.noPermission
	}
	for _, role := range mute.Roles {
		if isManager(role) {
			return r.codes.noPermission
		}
	}
	return nil
}

// heir is the member who becomes the owner when the owner leaves with leaving: the
// earliest-joined member who stays (nil: nobody stays).
func (r *roster) heir(leaving map[string]bool) *messages.GroupMemberRecord {
	for _, m := range r.order {
		if !leaving[m.UserID] && (r.in == nil || r.in(m.UserID)) {
			return m
		}
	}
	return nil
}

// muteRoles checks the roles of a custom mute (1..maxRoles valid roles) and returns them
// without repeats, in order.
func muteRoles(roles []int32, maxRoles int) ([]int32, error) {
	if len(roles) == 0 || len(roles) > maxRoles {
		return nil, ErrParamInvalid
	}
	var out []int32
	seen := map[int32]bool{}
	for _, r := range roles {
		if !validRole(r) {
			return nil, ErrParamInvalid
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out, nil
}
