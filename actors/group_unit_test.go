package actors

import (
	"testing"

	"github.com/parley-chat/parley/messages"
)

func TestUnitGroupKickSelfAndOutsiders(t *testing.T) {
	w := newUnitWorld(t)
	w.users("owner", "bob", "stranger")
	g := w.grain(KindGroup, "g1")
	var created messages.GroupCreatedResult
	g.mustCall("owner", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: "g1", GroupName: "one"}, UserIDs: []string{"bob"}}, &created)
	if created.GroupInfo.GetBaseInfo().GetGroupID() != "g1" {
		t.Fatalf("created %v", &created)
	}
	wantCode(t, g.call("stranger", "queryGroupMemberCount", &messages.GroupIDParams{GroupID: "g1"}, nil), ErrNotGroupMember)
	var count messages.GroupMemberCountQueriedResult
	g.mustCall("bob", "queryGroupMemberCount", &messages.GroupIDParams{GroupID: "g1"}, &count)
	if count.Count != 2 {
		t.Fatalf("count %d", count.Count)
	}
	wantCode(t, g.call("bob", "kickGroupMembers", &messages.GroupUsersParams{GroupID: "g1", UserIDs: []string{"owner"}}, nil), ErrGroupNoPermission)
	// A fresh activation reads the same group back from the store.
	g2 := w.grain(KindGroup, "g1")
	g2.mustCall("owner", "queryGroupMemberCount", &messages.GroupIDParams{GroupID: "g1"}, &count)
	if count.Count != 2 {
		t.Fatalf("count after reload %d", count.Count)
	}
}

// A group created without a config gets the server's default join mode (ZIM's any by
// default: anyone who knows the ID joins); a config states its own joinMode, 0 included.
func TestUnitGroupDefaultJoinMode(t *testing.T) {
	create := func(w *unitWorld, id string, cfg *messages.GroupAdvancedConfig) *unitGrain {
		t.Helper()
		g := w.grain(KindGroup, id)
		var created messages.GroupCreatedResult
		g.mustCall("owner", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: id}, Config: cfg}, &created)
		return g
	}
	joinMode := func(g *unitGrain, id string) int32 {
		t.Helper()
		var info messages.GroupInfoQueriedResult
		g.mustCall("owner", "queryGroupInfo", &messages.GroupIDParams{GroupID: id}, &info)
		return info.GroupInfo.GetVerifyInfo().GetJoinMode()
	}

	// ZIM's default: open.
	w := newUnitWorld(t)
	w.users("owner", "stranger")
	g := create(w, "open", nil)
	if m := joinMode(g, "open"); m != GroupJoinAny {
		t.Fatalf("default join mode %d, want any", m)
	}
	g.mustCall("stranger", "joinGroup", &messages.GroupIDParams{GroupID: "open"}, nil)

	// A server default of auth: groups created without a config need an application.
	w = newUnitWorld(t, func(c *Config) { c.Limits.GroupDefaultJoinMode = GroupJoinAuth })
	w.users("owner", "stranger")
	g = create(w, "closed", nil)
	if m := joinMode(g, "closed"); m != GroupJoinAuth {
		t.Fatalf("join mode %d under the server default auth", m)
	}
	wantCode(t, g.call("stranger", "joinGroup", &messages.GroupIDParams{GroupID: "closed"}, nil), ErrGroupJoinNeedsApply)
	// A fresh activation keeps it (it is stored, not re-derived).
	if m := joinMode(w.grain(KindGroup, "closed"), "closed"); m != GroupJoinAuth {
		t.Fatalf("join mode %d after reload", m)
	}
	// A config's joinMode stands, any (0) included.
	g = create(w, "chosen-open", &messages.GroupAdvancedConfig{GroupNotice: "hi"})
	g.mustCall("stranger", "joinGroup", &messages.GroupIDParams{GroupID: "chosen-open"}, nil)
	g = create(w, "chosen-forbid", &messages.GroupAdvancedConfig{JoinMode: GroupJoinForbid})
	wantCode(t, g.call("stranger", "joinGroup", &messages.GroupIDParams{GroupID: "chosen-forbid"}, nil), ErrGroupJoinForbidden)

	// Only join modes are accepted as the default.
	l := DefaultLimits()
	l.GroupDefaultJoinMode = 3
	if l.validate() == nil {
		t.Fatal("join mode 3 accepted as the server default")
	}
	for in, want := range map[string]int32{"any": 0, "AUTH": 1, "forbid": 2, "2": 2} {
		if got, err := ParseGroupJoinMode(in); err != nil || got != want {
			t.Fatalf("ParseGroupJoinMode(%q) = %d, %v", in, got, err)
		}
	}
	if _, err := ParseGroupJoinMode("open"); err == nil {
		t.Fatal(`ParseGroupJoinMode("open") accepted`)
	}
}
