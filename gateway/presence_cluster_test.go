//go:build !race

// Several members in one process: out of -race runs (see cluster_test.go).

package gateway_test

import (
	"fmt"
	"testing"

	"github.com/parley-chat/parley/actors"
)

// Subscribers connected to both members get a user's status changes: the subscribed
// user's actor on one member pushes to the connections of each member.
func TestClusterPresenceReachesSubscribersOnEveryMember(t *testing.T) {
	nodes := startCluster(t, 2)
	a, b := nodes[0], nodes[1]
	// A target whose user actor is on member A.
	target := ""
	for i := 0; i < 200 && target == ""; i++ {
		id := fmt.Sprintf("tgt%d", i)
		addr, err := a.Runtime.Locate(actors.KindUser, id)
		if err != nil {
			t.Fatal(err)
		}
		if addr == a.Runtime.Address() {
			target = id
		}
	}
	if target == "" {
		t.Fatal("no user placed on member A")
	}
	reg := loginAt(t, b.URL(), target, false, 1)
	gOK(t, "logout", reg.Logout(ctx(t)))
	onA := loginAt(t, a.URL(), "sa", false, 6)
	onB := loginAt(t, b.URL(), "sb", false, 6)
	onB2 := loginAt(t, a.URL(), "sb", false, 3) // sb's second device, on the other member
	for _, s := range []*session{onA, onB} {
		_, err := s.SubscribeUsersStatus(ctx(t), []string{target}, 30)
		gOK(t, "subscribe", err)
	}
	for _, s := range []*session{onA, onB, onB2} {
		s.rec.wait(t, "userStatusUpdated", statusOf(target, hasStatus(actors.StatusLogout)))
	}
	// The target logs in on member B (its actor is on A).
	tgt := loginAt(t, b.URL(), target, true, 2)
	for _, s := range []*session{onA, onB, onB2} {
		s.rec.wait(t, "userStatusUpdated", statusOf(target, isOnline(2)))
	}
	gOK(t, "updateUserCustomStatus", tgt.UpdateUserCustomStatus(ctx(t), "on call", 0))
	for _, s := range []*session{onA, onB, onB2} {
		s.rec.wait(t, "userStatusUpdated", statusOf(target, custom("on call")))
	}
	res, err := onB.QueryUsersStatus(ctx(t), []string{target})
	gOK(t, "queryUsersStatus", err)
	if len(res.UserStatusList) != 1 || !isOnline(2)(res.UserStatusList[0]) || res.UserStatusList[0].CustomStatus != "on call" {
		t.Fatalf("queried %v", res)
	}
}
