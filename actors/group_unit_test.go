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
