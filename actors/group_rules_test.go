package actors

import (
	"errors"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// The reusable member pieces: roles, mute, attributes, member set.

func TestRolesMuteAndAttributes(t *testing.T) {
	for _, c := range []struct {
		actor, target int32
		ok            bool
	}{
		{RoleOwner, RoleAdmin, true}, {RoleOwner, RoleMember, true}, {RoleOwner, 150, true}, {RoleOwner, RoleOwner, false},
		{RoleAdmin, RoleMember, true}, {RoleAdmin, 100, true}, {RoleAdmin, RoleAdmin, false}, {RoleAdmin, RoleOwner, false},
		{RoleMember, RoleMember, false}, {100, RoleMember, false},
	} {
		if canManage(c.actor, c.target) != c.ok {
			t.Errorf("canManage(%d, %d) != %v", c.actor, c.target, c.ok)
		}
	}
	for role, ok := range map[int32]bool{1: false, 2: true, 3: true, 4: false, 99: false, 100: true, 0: false, -1: false} {
		if assignableRole(role) != ok {
			t.Errorf("assignableRole(%d) != %v", role, ok)
		}
	}

	now := time.Now()
	exp, ok := muteExpiry(now, 60)
	if !ok || exp != now.Add(time.Minute).UnixMilli() || !muteActive(exp, now) || muteActive(exp, now.Add(61*time.Second)) {
		t.Fatalf("60 s mute: %d %v", exp, ok)
	}
	if _, ok := muteExpiry(now, 0); ok {
		t.Fatal("a 0 s mute is no mute")
	}
	if e, ok := muteExpiry(now, -1); !ok || !muteActive(e, now.Add(1000*time.Hour)) {
		t.Fatal("permanent mute")
	}
	normal := &messages.GroupMuteInfo{Mode: MuteNormal, ExpiredTime: exp}
	custom := &messages.GroupMuteInfo{Mode: MuteCustom, ExpiredTime: -1, Roles: []int32{RoleAdmin}}
	all := &messages.GroupMuteInfo{Mode: MuteAll, ExpiredTime: -1}
	if !muteCovers(normal, RoleMember, now) || !muteCovers(normal, 120, now) || muteCovers(normal, RoleAdmin, now) ||
		muteCovers(normal, RoleMember, now.Add(2*time.Minute)) || !muteCovers(custom, RoleAdmin, now) || muteCovers(custom, RoleMember, now) ||
		!muteCovers(all, RoleOwner, now) {
		t.Fatal("mute coverage")
	}
	if v := muteView(normal, now.Add(2*time.Minute)); v.Mode != MuteNone || v.ExpiredTime != 0 {
		t.Fatalf("expired mute view: %v", v)
	}

	r := groupAttrRules(DefaultLimits())
	got, err := r.set(map[string]string{"a": "1"}, map[string]string{"b": "2"})
	if err != nil || len(got) != 2 {
		t.Fatalf("set: %v %v", got, err)
	}
	if _, err := r.set(nil, map[string]string{"": "x"}); !errors.Is(err, ErrParamInvalid) {
		t.Fatalf("empty key: %v", err)
	}
	big := map[string]string{}
	for _, k := range []string{"k0", "k1", "k2", "k3", "k4"} {
		big[k] = string(make([]byte, 1024))
	}
	if _, err := r.set(nil, big); !errors.Is(err, ErrGroupAttrTotal) {
		t.Fatalf("5 KB in all: %v", err)
	}
	out, removed, missing := r.remove(got, []string{"a", "zz", "zz"})
	if len(out) != 1 || removed["a"] != "1" || len(missing) != 1 || len(got) != 2 {
		t.Fatalf("remove: %v %v %v (original %v)", out, removed, missing, got)
	}
}

func TestMemberSetOrderPagingAndEarliest(t *testing.T) {
	s := newMemberSet()
	s.load([]*messages.GroupMemberRecord{{UserID: "c", JoinOrder: 3}, {UserID: "a", JoinOrder: 1}, {UserID: "b", JoinOrder: 2}})
	s.put(&messages.GroupMemberRecord{UserID: "d", JoinOrder: 4})
	s.put(&messages.GroupMemberRecord{UserID: "b", JoinOrder: 2, Role: RoleAdmin}) // replaced in place
	if s.count() != 4 || s.get("b").Role != RoleAdmin || s.earliest("a").UserID != "b" {
		t.Fatalf("set: %d %v", s.count(), s.earliest("a"))
	}
	page, next := s.page(0, 3, nil)
	if len(page) != 3 || page[0].UserID != "a" || page[2].UserID != "c" || next != 4 {
		t.Fatalf("first page: %v next %d", page, next)
	}
	page, next = s.page(next, 3, nil)
	if len(page) != 1 || page[0].UserID != "d" || next != 0 {
		t.Fatalf("last page: %v next %d", page, next)
	}
	s.remove("a")
	if s.earliest("").UserID != "b" || s.count() != 3 {
		t.Fatal("remove")
	}
	admins, _ := s.page(0, 10, func(m *messages.GroupMemberRecord) bool { return m.Role == RoleAdmin })
	if len(admins) != 1 || admins[0].UserID != "b" {
		t.Fatalf("filtered page: %v", admins)
	}
}
