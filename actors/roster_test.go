package actors

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// testRoster is owner o, admins a1 a2, member m, custom role c (100), in join order.
func testRoster(codes rosterCodes) *roster {
	r := newRoster(codes)
	r.load([]*messages.GroupMemberRecord{
		{UserID: "o", Role: RoleOwner, JoinOrder: 1},
		{UserID: "a1", Role: RoleAdmin, JoinOrder: 2},
		{UserID: "a2", Role: RoleAdmin, JoinOrder: 3},
		{UserID: "m", Role: RoleMember, JoinOrder: 4},
		{UserID: "c", Role: RoleCustomMin, JoinOrder: 5},
	})
	return r
}

func refusals(list []*messages.ErrorUserInfo) string {
	var out []string
	for _, e := range list {
		out = append(out, fmt.Sprintf("%s:%d", e.UserID, e.Reason))
	}
	return strings.Join(out, ",")
}

func rosterIDs(list []*messages.GroupMemberRecord) string {
	var out []string
	for _, m := range list {
		out = append(out, m.UserID)
	}
	return strings.Join(out, ",")
}

func TestRosterChecksAnswerTheKindsCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		codes rosterCodes
	}{{"group", groupRoster}, {"community", communityRoster}} {
		r := testRoster(tc.codes)
		if _, err := r.member("x"); err != tc.codes.notMember {
			t.Fatalf("%s: member of a stranger: %v", tc.name, err)
		}
		for user, want := range map[string][3]bool{ // member, manager, owner
			"o": {true, true, true}, "a1": {true, true, false}, "m": {true, false, false}, "c": {true, false, false},
		} {
			_, e1 := r.member(user)
			_, e2 := r.manager(user)
			_, e3 := r.owner(user)
			for i, err := range []error{e1, e2, e3} {
				if want[i] != (err == nil) || (err != nil && err != tc.codes.noPermission) {
					t.Fatalf("%s: %s check %d: %v", tc.name, user, i, err)
				}
			}
		}
	}
}

// The permission matrix: who may act on whom (kick, mute).
func TestRosterPermissionMatrix(t *testing.T) {
	r := testRoster(groupRoster)
	all := []string{"o", "a1", "a2", "m", "c"}
	want := map[string]string{ // actor -> the others it may act on
		"o":  "a1,a2,m,c",
		"a1": "m,c",
		"a2": "m,c",
		"m":  "",
		"c":  "",
	}
	for _, actor := range all {
		me := r.get(actor)
		var others []string
		for _, id := range all {
			if id != actor {
				others = append(others, id)
			}
		}
		ok, bad := r.mute(me, others, 0)
		if got := rosterIDs(ok); got != want[actor] {
			t.Fatalf("%s acts on %q, want %q", actor, got, want[actor])
		}
		for _, e := range bad {
			if e.Reason != ErrGroupNoPermission.Code {
				t.Fatalf("%s on %s: %d", actor, e.UserID, e.Reason)
			}
		}
	}
}

func TestRosterKick(t *testing.T) {
	for _, tc := range []struct {
		name  string
		codes rosterCodes
	}{{"group", groupRoster}, {"community", communityRoster}} {
		r := testRoster(tc.codes)
		// An admin: oneself is a bad parameter (every kind), the owner and another admin
		// are refused, a stranger is not a member, repeats count once.
		gone, bad := r.kick(r.get("a1"), []string{"m", "a1", "o", "a2", "x", "c", "m"})
		if rosterIDs(gone) != "m,c" {
			t.Fatalf("%s: admin kicked %s", tc.name, rosterIDs(gone))
		}
		want := fmt.Sprintf("a1:%d,o:%d,a2:%d,x:%d", ErrParamInvalid.Code, tc.codes.noPermission.Code, tc.codes.noPermission.Code, tc.codes.notMember.Code)
		if refusals(bad) != want {
			t.Fatalf("%s: admin refusals %s, want %s", tc.name, refusals(bad), want)
		}
		// The owner kicks admins, never itself.
		gone, bad = r.kick(r.get("o"), []string{"o", "a1", "a2"})
		if rosterIDs(gone) != "a1,a2" || refusals(bad) != fmt.Sprintf("o:%d", ErrParamInvalid.Code) {
			t.Fatalf("%s: owner kicks %s / %s", tc.name, rosterIDs(gone), refusals(bad))
		}
		// kick decides, it does not remove.
		if r.count() != 5 {
			t.Fatalf("%s: kick changed the set", tc.name)
		}
	}
}

func TestRosterSubsetIsAPrivateChannel(t *testing.T) {
	r := testRoster(communityRoster)
	in := map[string]bool{"o": true, "m": true}
	ch := r.subset(channelRoster, func(u string) bool { return in[u] })
	if ch.get("c") != nil || ch.get("m") == nil || r.get("c") == nil {
		t.Fatal("subset membership")
	}
	// a1 manages the community without being in the channel.
	gone, bad := ch.kick(r.get("a1"), []string{"m", "c", "a1", "o"})
	want := fmt.Sprintf("c:%d,a1:%d,o:%d", ErrNotChannelMember.Code, ErrParamInvalid.Code, ErrCommunityNoPermission.Code)
	if rosterIDs(gone) != "m" || refusals(bad) != want {
		t.Fatalf("channel kick %s / %s (want %s)", rosterIDs(gone), refusals(bad), want)
	}
	if h := ch.heir(map[string]bool{"o": true}); h == nil || h.UserID != "m" {
		t.Fatalf("channel heir %v", h)
	}
}

func TestRosterTransfer(t *testing.T) {
	r := testRoster(communityRoster)
	o := r.get("o")
	for to, want := range map[string]error{"": ErrParamInvalid, "o": ErrParamInvalid, "x": ErrNotCommunityMember} {
		if _, _, err := r.transfer(o, to); err != want {
			t.Fatalf("transfer to %q: %v", to, err)
		}
	}
	newOwner, old, err := r.transfer(o, "m")
	if err != nil || newOwner.UserID != "m" || newOwner.Role != RoleOwner || old.UserID != "o" || old.Role != RoleMember {
		t.Fatalf("transfer: %v %v %v", newOwner, old, err)
	}
	if r.get("m").Role != RoleMember || r.get("o").Role != RoleOwner {
		t.Fatal("transfer changed the stored records (it returns copies)")
	}
}

func TestRosterSetRoleLimits(t *testing.T) {
	r := testRoster(groupRoster)
	o := r.get("o")
	for _, tc := range []struct {
		user string
		role int32
		want error
	}{
		{"m", RoleOwner, ErrParamInvalid}, // ownership moves by transfer
		{"m", 0, ErrParamInvalid},
		{"m", 4, ErrParamInvalid},
		{"m", RoleCustomMin - 1, ErrParamInvalid},
		{"o", RoleAdmin, ErrGroupNoPermission}, // the owner's own role
		{"x", RoleAdmin, ErrNotGroupMember},
	} {
		if _, err := r.setRole(o, tc.user, tc.role); err != tc.want {
			t.Fatalf("setRole(%s, %d): %v, want %v", tc.user, tc.role, err, tc.want)
		}
	}
	if m, err := r.setRole(o, "a1", RoleAdmin); m != nil || err != nil {
		t.Fatalf("same role: %v %v", m, err)
	}
	for _, role := range []int32{RoleAdmin, RoleMember, RoleCustomMin, 1000} {
		m, err := r.setRole(o, "c", role)
		if role == RoleCustomMin {
			if m != nil || err != nil {
				t.Fatalf("unchanged custom role: %v %v", m, err)
			}
			continue
		}
		if err != nil || m.Role != role || r.get("c").Role != RoleCustomMin {
			t.Fatalf("setRole(c, %d): %v %v", role, m, err)
		}
	}
}

func TestRosterMuteExpiry(t *testing.T) {
	r := testRoster(groupRoster)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	exp, ok := muteExpiry(now, 60)
	if !ok || exp != now.Add(time.Minute).UnixMilli() {
		t.Fatalf("expiry %d %v", exp, ok)
	}
	for _, bad := range []int64{0, -2, muteMaxSeconds + 1} {
		if _, ok := muteExpiry(now, bad); ok {
			t.Fatalf("duration %d accepted", bad)
		}
	}
	changed, refused := r.mute(r.get("a1"), []string{"m", "a1", "x"}, exp)
	if rosterIDs(changed) != "m" || changed[0].MuteExpiredTime != exp || r.get("m").MuteExpiredTime != 0 {
		t.Fatalf("mute: %v", changed)
	}
	// Muting oneself is no permission (not the kick's bad parameter).
	if want := fmt.Sprintf("a1:%d,x:%d", ErrGroupNoPermission.Code, ErrNotGroupMember.Code); refusals(refused) != want {
		t.Fatalf("mute refusals %s, want %s", refusals(refused), want)
	}
	r.put(changed[0])
	m := r.get("m")
	if !muteActive(m.MuteExpiredTime, now) || !muteActive(m.MuteExpiredTime, now.Add(59*time.Second)) {
		t.Fatal("mute not active before its expiry")
	}
	if muteActive(m.MuteExpiredTime, now.Add(time.Minute)) || shownExpiry(m.MuteExpiredTime, now.Add(time.Minute)) != 0 {
		t.Fatal("mute active at its expiry")
	}
	if !muteActive(mutePermanent, now.Add(1000*time.Hour)) {
		t.Fatal("a permanent mute ended")
	}
}

func TestRosterWholeMuteRules(t *testing.T) {
	r := testRoster(communityRoster)
	o, a := r.get("o"), r.get("a1")
	for _, tc := range []struct {
		mute  *messages.GroupMuteInfo
		admin bool
	}{
		{&messages.GroupMuteInfo{Mode: MuteNormal}, true},
		{&messages.GroupMuteInfo{Mode: MuteAll}, false},
		{&messages.GroupMuteInfo{Mode: MuteCustom, Roles: []int32{RoleMember, RoleCustomMin}}, true},
		{&messages.GroupMuteInfo{Mode: MuteCustom, Roles: []int32{RoleMember, RoleAdmin}}, false},
		{&messages.GroupMuteInfo{Mode: MuteCustom, Roles: []int32{RoleOwner}}, false},
	} {
		if err := r.mayMuteAll(o, tc.mute); err != nil {
			t.Fatalf("owner %v: %v", tc.mute, err)
		}
		if err := r.mayMuteAll(a, tc.mute); (err == nil) != tc.admin || (err != nil && err != ErrCommunityNoPermission) {
			t.Fatalf("admin %v: %v", tc.mute, err)
		}
	}
	roles, err := muteRoles([]int32{RoleMember, 100, RoleMember, 200}, 4)
	if err != nil || fmt.Sprint(roles) != "[3 100 200]" {
		t.Fatalf("roles %v %v", roles, err)
	}
	for _, bad := range [][]int32{nil, {RoleMember, 100, 101, 102, 103}, {4}, {0}} {
		if _, err := muteRoles(bad, 4); !errors.Is(err, ErrParamInvalid) {
			t.Fatalf("roles %v: %v", bad, err)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &messages.GroupMuteInfo{Mode: MuteCustom, Roles: roles, ExpiredTime: now.Add(time.Hour).UnixMilli()}
	if !muteCovers(m, 100, now) || muteCovers(m, RoleAdmin, now) || muteCovers(m, 100, now.Add(time.Hour)) {
		t.Fatal("custom mute coverage")
	}
}

func TestRosterHeirIsTheEarliestWhoStays(t *testing.T) {
	r := testRoster(groupRoster)
	if h := r.heir(map[string]bool{"o": true, "a1": true}); h == nil || h.UserID != "a2" {
		t.Fatalf("heir %v", h)
	}
	everyone := map[string]bool{}
	for _, m := range r.order {
		everyone[m.UserID] = true
	}
	if h := r.heir(everyone); h != nil {
		t.Fatalf("heir of nobody %v", h)
	}
}

func TestRosterScreen(t *testing.T) {
	w := newUnitWorld(t)
	w.users("m", "new")
	prof := &profileCache{ctx: t.Context(), st: w.rt.Store(), m: map[string]*messages.StoredUser{}}
	for _, tc := range []struct {
		name  string
		codes rosterCodes
	}{{"group", groupRoster}, {"community", communityRoster}} {
		r := testRoster(tc.codes)
		for user, want := range map[string]*CodeError{
			"new": nil, "m": tc.codes.already, "ghost": ErrUserNotExist, "bad id": ErrUserIDInvalid,
		} {
			got, err := r.screen(user, 32, prof)
			if err != nil || got != want {
				t.Fatalf("%s: screen %q: %v %v, want %v", tc.name, user, got, err, want)
			}
		}
	}
}
