package actors

import (
	"fmt"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group application list's cursor paging (groupAppPosition).

// gcApply has user apply to join group gid at the world's current time.
func gcApply(tb testing.TB, w *unitWorld, gid, user string) {
	tb.Helper()
	w.users(user)
	err := w.grain(KindGroup, gid).call(user, "sendGroupJoinApplication", &messages.GroupJoinApplicationSendParams{GroupID: gid}, nil)
	if err != nil {
		tb.Fatalf("%s applies to %s: %v", user, gid, err)
	}
}

// gcGroups makes groups g1 and g2 (join mode auth) of owner, with bob an admin of both.
func gcGroups(t *testing.T) *unitWorld {
	w := newUnitWorld(t)
	g1 := guNewGroup(w, "owner", []string{"bob"}, &messages.GroupAdvancedConfig{JoinMode: GroupJoinAuth})
	guSetRole(t, g1, "owner", "bob", RoleAdmin)
	g2 := w.grain(KindGroup, "g2")
	g2.mustCall("owner", "createGroup", &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: "g2", GroupName: "group two"}, UserIDs: []string{"bob"},
		Config: &messages.GroupAdvancedConfig{JoinMode: GroupJoinAuth},
	}, nil)
	g2.mustCall("owner", "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: "g2", ForUserID: "bob", Role: RoleAdmin}, nil)
	return w
}

// TestUnitGroupApplicationCursorPaging pages through a manager's applications while
// applications appear (newer than the cursor, older than it, and in the cursor's own
// millisecond) and disappear (the manager loses a group) between pages: nothing is
// skipped, nothing is repeated, and the list stays newest first.
func TestUnitGroupApplicationCursorPaging(t *testing.T) {
	w := gcGroups(t)
	type app struct{ gid, user string }
	start := w.now
	var initial []app
	for i := range 40 {
		a := app{[]string{guID, "g2"}[i%2], fmt.Sprintf("app%02d", i)}
		gcApply(t, w, a.gid, a.user)
		initial = append(initial, a)
		if i%3 == 2 { // three applications in each millisecond: ties broken by the hash
			w.now = w.now.Add(time.Millisecond)
		}
	}
	latest := w.now

	seen := map[app]int{}
	var times []int64
	inserted := map[app]bool{} // inserted after the traversal's position: must show
	ahead := map[app]bool{}    // inserted before it (newer): must not show
	var g2Gone bool            // bob no longer manages g2: its unseen applications go
	var next, cursorTime int64
	for page := 0; ; page++ {
		res := guApps(t, w, "bob", 4, next)
		if len(res.ApplicationList) == 0 || len(res.ApplicationList) > 4 {
			t.Fatalf("page %d: %d applications", page, len(res.ApplicationList))
		}
		for _, a := range res.ApplicationList {
			k := app{a.GroupInfo.GroupID, a.ApplyUser.UserID}
			seen[k]++
			times = append(times, a.UpdateTime)
			if g2Gone && k.gid == "g2" {
				t.Fatalf("page %d: %v after bob left g2's managers", page, k)
			}
		}
		cursorTime = res.ApplicationList[len(res.ApplicationList)-1].UpdateTime
		if res.NextFlag == 0 {
			break
		}
		next = res.NextFlag
		switch page {
		case 0: // newer applications: ahead of the cursor
			w.now = latest.Add(time.Second)
			for _, u := range []string{"new0", "new1"} {
				gcApply(t, w, guID, u)
				ahead[app{guID, u}] = true
			}
		case 1: // an older one (an earlier clock): behind the cursor
			w.now = start
			gcApply(t, w, guID, "old0")
			inserted[app{guID, "old0"}] = true
		case 2, 3: // in the cursor's own millisecond: before or after it, by hash
			w.now = time.UnixMilli(cursorTime)
			gcApply(t, w, guID, fmt.Sprintf("same%d", page))
		case 4: // bob stops managing g2: its applications leave bob's list
			w.grain(KindGroup, "g2").mustCall("owner", "setGroupMemberRole", &messages.GroupSetMemberRoleParams{GroupID: "g2", ForUserID: "bob", Role: RoleMember}, nil)
			g2Gone = true
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("%v seen %d times", k, n)
		}
		if ahead[k] {
			t.Fatalf("%v, newer than the cursor, showed", k)
		}
	}
	for i := 1; i < len(times); i++ {
		if times[i] > times[i-1] {
			t.Fatalf("not newest first at %d: %v", i, times)
		}
	}
	for _, k := range initial {
		if seen[k] == 0 && !(k.gid == "g2" && g2Gone) {
			t.Fatalf("%v skipped", k)
		}
	}
	for k := range inserted {
		if seen[k] != 1 {
			t.Fatalf("%v, inserted behind the cursor, seen %d times", k, seen[k])
		}
	}
	if !g2Gone {
		t.Fatal("the traversal ended before g2's applications went")
	}

	// From the start again: every application bob still sees, once.
	all := guApps(t, w, "bob", 100, 0)
	if n := len(initial)/2 + 2 + 1 + 2; len(all.ApplicationList) != n || all.NextFlag != 0 {
		t.Fatalf("%d applications (nextFlag %d), want %d", len(all.ApplicationList), all.NextFlag, n)
	}
	// A cursor below every position (an old offset, say) ends the list.
	if res := guApps(t, w, "bob", 10, 3); len(res.ApplicationList) != 0 || res.NextFlag != 0 {
		t.Fatalf("after position 3: %v", res)
	}
}

// TestUnitGroupApplicationPositionTies: applications with equal positions (the same
// millisecond and a hash collision) are never split between two pages.
func TestUnitGroupApplicationPositionTies(t *testing.T) {
	rec := func() *messages.GroupApplicationRecord { return &messages.GroupApplicationRecord{UpdateTime: 5000} }
	byPos := map[int64]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		key := fmt.Sprintf("key%d", i)
		p := groupAppPosition(storedGroupApp{key, rec()})
		if other, ok := byPos[p]; ok {
			a, b = other, key
		}
		byPos[p] = key
	}
	tie := groupAppPosition(storedGroupApp{a, rec()})
	newer := storedGroupApp{"newer", &messages.GroupApplicationRecord{UpdateTime: 6000}}
	older := storedGroupApp{"older", &messages.GroupApplicationRecord{UpdateTime: 4000}}
	apps := []storedGroupApp{older, {b, rec()}, newer, {a, rec()}}

	page, next := groupAppPage(apps, 0, 1)
	if len(page) != 1 || page[0].key != "newer" || next != groupAppPosition(newer) {
		t.Fatalf("first page %v, next %d", page, next)
	}
	page, next = groupAppPage(apps, next, 1)
	if len(page) != 2 || next != tie || page[0].key != min(a, b) || page[1].key != max(a, b) {
		t.Fatalf("tied page %v, next %d (tie %d)", page, next, tie)
	}
	page, next = groupAppPage(apps, next, 1)
	if len(page) != 1 || page[0].key != "older" || next != 0 {
		t.Fatalf("last page %v, next %d", page, next)
	}
	if p := groupAppPosition(storedGroupApp{"x", &messages.GroupApplicationRecord{UpdateTime: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}}); p <= 0 {
		t.Fatalf("a position in 2100: %d", p)
	}
}
