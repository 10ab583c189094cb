package actors

// Member roles (ZIM group roles, reused by every kind with members): the owner 1, admins
// 2, ordinary members 3, and custom roles (>= 100) with the rights of ordinary members.
const (
	RoleOwner  = 1
	RoleAdmin  = 2
	RoleMember = 3
	// RoleCustomMin is the lowest custom role.
	RoleCustomMin = 100
)

// isManager reports whether role may manage the group (the owner and admins).
func isManager(role int32) bool { return role == RoleOwner || role == RoleAdmin }

// isOrdinary reports whether role has ordinary member rights (members and custom roles).
func isOrdinary(role int32) bool { return role == RoleMember || role >= RoleCustomMin }

// validRole reports whether role is a role a member can have.
func validRole(role int32) bool { return role == RoleOwner || role == RoleAdmin || isOrdinary(role) }

// assignableRole reports whether setGroupMemberRole may give role: anything but the
// owner's role (ownership moves by transfer).
func assignableRole(role int32) bool { return role == RoleAdmin || isOrdinary(role) }

// canManage reports whether a member with role actor may act on a member with role
// target (kick, mute, rename): the owner on anyone else, an admin on ordinary members
// only (never on the owner or another admin).
func canManage(actor, target int32) bool {
	switch actor {
	case RoleOwner:
		return target != RoleOwner
	case RoleAdmin:
		return isOrdinary(target)
	}
	return false
}
