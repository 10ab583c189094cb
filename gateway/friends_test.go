package gateway_test

import (
	"fmt"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// Friends end to end: real server, real WebSocket clients (JSON and protobuf), both
// sides of every relation, the caller's other device, users offline at the time, a
// restart on the same Badger directory, and the refusals.

const (
	appReceived = 1
	appSent     = 2
	appWaiting  = 1
	appAccepted = 2
	appRejected = 3
)

func friendAdded(id string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.FriendListChangedEvent)
		return e.Action == 0 && len(e.FriendList) == 1 && e.FriendList[0].UserID == id
	}
}

func friendDeleted(id string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.FriendListChangedEvent)
		return e.Action == 1 && len(e.FriendList) == 1 && e.FriendList[0].UserID == id
	}
}

func appFrom(id string, typ, state int32) func(proto.Message) bool {
	return func(p proto.Message) bool {
		var list []*m.FriendApplicationInfo
		switch e := p.(type) {
		case *m.FriendApplicationListChangedEvent:
			list = e.ApplicationList
		case *m.FriendApplicationUpdatedEvent:
			list = e.ApplicationList
		}
		return len(list) == 1 && list[0].ApplyUser.GetUserID() == id && list[0].Type == typ && list[0].State == state
	}
}

func friendList(t *testing.T, s *session) []string {
	t.Helper()
	var ids []string
	var next int64
	for {
		res, err := s.QueryFriendList(ctx(t), 100, next)
		if err != nil {
			t.Fatalf("queryFriendList as %s: %v", s.user, err)
		}
		for _, f := range res.FriendList {
			ids = append(ids, f.UserID)
		}
		if res.NextFlag == 0 {
			return ids
		}
		next = res.NextFlag
	}
}

func relationOf(t *testing.T, s *session, other string, typ int32) int32 {
	t.Helper()
	res, err := s.CheckFriendsRelation(ctx(t), []string{other}, typ)
	if err != nil || len(res.RelationInfos) != 1 {
		t.Fatalf("checkFriendsRelation %s→%s: %v %v", s.user, other, res, err)
	}
	return res.RelationInfos[0].Type
}

func TestFriendApplicationsEndToEnd(t *testing.T) {
	e := startEnv(t)
	e.registered("dave")
	alice := e.login("alice", true, 6)
	alice2 := e.login("alice", false, 1) // alice's other device
	bob := e.login("bob", false, 6)

	app, err := alice.SendFriendApplication(ctx(t), "bob", &m.FriendApplicationSendConfig{Wording: "hello", FriendAlias: "Bobby", FriendAttributes: map[string]string{"k0": "work"}})
	if err != nil || app.Type != appSent || app.State != appWaiting || app.ApplyUser.UserID != "bob" {
		t.Fatalf("sendFriendApplication: %v %v", app, err)
	}
	bob.rec.wait(t, "friendApplicationListChanged", appFrom("alice", appReceived, appWaiting))
	alice.rec.wait(t, "friendApplicationListChanged", appFrom("bob", appSent, appWaiting))
	alice2.rec.wait(t, "friendApplicationListChanged", appFrom("bob", appSent, appWaiting))

	// the receiver sees it in its list, with the applicant's current name
	list, err := bob.QueryFriendApplicationList(ctx(t), 10, 0)
	if err != nil || len(list.ApplicationList) != 1 || list.ApplicationList[0].ApplyUser.UserName != "name-alice" || list.ApplicationList[0].Wording != "hello" {
		t.Fatalf("bob's applications: %v %v", list, err)
	}
	if _, err := alice.AcceptFriendApplication(ctx(t), "bob", nil); codeOf(err) != 6000802 {
		t.Fatalf("the applicant accepting: want 6000802, got %v", err)
	}

	f, err := bob.AcceptFriendApplication(ctx(t), "alice", &m.FriendApplicationAcceptConfig{FriendAlias: "Al"})
	if err != nil || f.UserID != "alice" || f.FriendAlias != "Al" || f.Wording != "hello" {
		t.Fatalf("acceptFriendApplication: %v %v", f, err)
	}
	bob.rec.wait(t, "friendListChanged", friendAdded("alice"))
	bob.rec.wait(t, "friendApplicationUpdated", appFrom("alice", appReceived, appAccepted))
	for _, s := range []*session{alice, alice2} {
		ev := s.rec.wait(t, "friendListChanged", friendAdded("bob")).(*m.FriendListChangedEvent)
		if fi := ev.FriendList[0]; fi.FriendAlias != "Bobby" || fi.FriendAttributes["k0"] != "work" || fi.UserName != "name-bob" {
			t.Fatalf("alice's new friend: %v", fi)
		}
		s.rec.wait(t, "friendApplicationUpdated", appFrom("bob", appSent, appAccepted))
	}
	if _, err := bob.AcceptFriendApplication(ctx(t), "alice", nil); codeOf(err) != 6000802 {
		t.Fatalf("accepting twice: want 6000802, got %v", err)
	}
	if _, err := alice.SendFriendApplication(ctx(t), "bob", nil); codeOf(err) != 6000803 {
		t.Fatalf("applying to a friend: want 6000803, got %v", err)
	}

	// dave is offline: he finds alice's application after login, and rejects it
	if _, err := alice.SendFriendApplication(ctx(t), "dave", &m.FriendApplicationSendConfig{Wording: "me again"}); err != nil {
		t.Fatal(err)
	}
	dave := e.login("dave", true, 6)
	dl, err := dave.QueryFriendApplicationList(ctx(t), 10, 0)
	if err != nil || len(dl.ApplicationList) != 1 || dl.ApplicationList[0].ApplyUser.UserID != "alice" || dl.ApplicationList[0].State != appWaiting {
		t.Fatalf("dave's applications after login: %v %v", dl, err)
	}
	u, err := dave.RejectFriendApplication(ctx(t), "alice")
	if err != nil || u.UserID != "alice" {
		t.Fatalf("reject: %v %v", u, err)
	}
	alice2.rec.wait(t, "friendApplicationUpdated", appFrom("dave", appSent, appRejected))
	if _, err := dave.AcceptFriendApplication(ctx(t), "alice", nil); codeOf(err) != 6000802 {
		t.Fatalf("accepting a rejected application: want 6000802, got %v", err)
	}

	// refusals
	if _, err := alice.SendFriendApplication(ctx(t), "alice", nil); codeOf(err) != 6000810 {
		t.Fatalf("applying to oneself: want 6000810, got %v", err)
	}
	if _, err := alice.SendFriendApplication(ctx(t), "ghost", nil); codeOf(err) != 6000811 {
		t.Fatalf("applying to an unregistered user: want 6000811, got %v", err)
	}
	if _, err := alice.SendFriendApplication(ctx(t), "dave", &m.FriendApplicationSendConfig{FriendAttributes: map[string]string{"color": "red"}}); codeOf(err) != 6000001 {
		t.Fatalf("a bad attribute key: want 6000001, got %v", err)
	}

	// newest first, and all of it across a restart
	e.restart()
	alice = e.login("alice", false, 6)
	al, err := alice.QueryFriendApplicationList(ctx(t), 1, 0)
	if err != nil || len(al.ApplicationList) != 1 || al.ApplicationList[0].ApplyUser.UserID != "dave" || al.NextFlag == 0 {
		t.Fatalf("alice's applications page 1: %v %v", al, err)
	}
	al, err = alice.QueryFriendApplicationList(ctx(t), 1, al.NextFlag)
	if err != nil || len(al.ApplicationList) != 1 || al.ApplicationList[0].ApplyUser.UserID != "bob" || al.ApplicationList[0].State != appAccepted || al.NextFlag != 0 {
		t.Fatalf("alice's applications page 2: %v %v", al, err)
	}
	if ids := friendList(t, alice); len(ids) != 1 || ids[0] != "bob" {
		t.Fatalf("alice's friends after restart: %v", ids)
	}
}

func TestFriendsEndToEnd(t *testing.T) {
	e := startEnv(t)
	e.registered("carol")
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 1)
	bob := e.login("bob", true, 6)

	f, err := alice.AddFriend(ctx(t), "bob", &m.FriendAddConfig{FriendAlias: "B", Wording: "hi bob"})
	if err != nil || f.UserID != "bob" || f.FriendAlias != "B" || f.Wording != "hi bob" {
		t.Fatalf("addFriend: %v %v", f, err)
	}
	alice2.rec.wait(t, "friendListChanged", friendAdded("bob"))
	ev := bob.rec.wait(t, "friendListChanged", friendAdded("alice")).(*m.FriendListChangedEvent)
	if ev.FriendList[0].Wording != "hi bob" || ev.FriendList[0].FriendAlias != "" {
		t.Fatalf("bob's side: %v", ev.FriendList[0])
	}
	// carol is offline: she finds alice in her list after login
	if _, err := alice.AddFriend(ctx(t), "carol", nil); err != nil {
		t.Fatal(err)
	}
	carol := e.login("carol", false, 6)
	if ids := friendList(t, carol); len(ids) != 1 || ids[0] != "alice" {
		t.Fatalf("carol's friends: %v", ids)
	}
	if ids := friendList(t, alice); len(ids) != 2 || ids[0] != "bob" || ids[1] != "carol" {
		t.Fatalf("alice's friends: %v", ids)
	}

	// alias and attributes: the caller's other devices are told
	if f, err := alice.UpdateFriendAlias(ctx(t), "Bobby", "bob"); err != nil || f.FriendAlias != "Bobby" {
		t.Fatalf("updateFriendAlias: %v %v", f, err)
	}
	alice2.rec.wait(t, "friendInfoUpdated", func(p proto.Message) bool {
		l := p.(*m.FriendInfoUpdatedEvent).FriendList
		return len(l) == 1 && l[0].FriendAlias == "Bobby"
	})
	if f, err := alice.UpdateFriendAttributes(ctx(t), map[string]string{"k3": "x"}, "bob"); err != nil || f.FriendAttributes["k3"] != "x" || f.FriendAlias != "Bobby" {
		t.Fatalf("updateFriendAttributes: %v %v", f, err)
	}
	if _, err := alice.UpdateFriendAlias(ctx(t), "x", "dave"); codeOf(err) != 6000812 {
		t.Fatalf("alias of a non-friend: want 6000812, got %v", err)
	}
	if _, err := alice.UpdateFriendAttributes(ctx(t), map[string]string{"k9": "x"}, "bob"); codeOf(err) != 6000001 {
		t.Fatalf("attribute key k9: want 6000001, got %v", err)
	}
	info, err := alice.QueryFriendsInfo(ctx(t), []string{"bob", "dave"})
	if err != nil || len(info.FriendInfos) != 1 || info.FriendInfos[0].FriendAttributes["k3"] != "x" || len(info.ErrorUserList) != 1 || info.ErrorUserList[0].Reason != 6000812 {
		t.Fatalf("queryFriendsInfo: %v %v", info, err)
	}
	if _, err := alice.AddFriend(ctx(t), "bob", nil); codeOf(err) != 6000803 {
		t.Fatalf("adding a friend again: want 6000803, got %v", err)
	}
	if _, err := alice.AddFriend(ctx(t), "alice", nil); codeOf(err) != 6000810 {
		t.Fatalf("adding oneself: want 6000810, got %v", err)
	}

	// single delete: bob keeps alice and is not told; both: carol is told
	errs, err := alice.DeleteFriends(ctx(t), []string{"bob", "alice", "ghost"}, 1)
	if err != nil || len(errs) != 2 || errs[0].Reason != 6000813 || errs[1].Reason != 6000812 {
		t.Fatalf("deleteFriends single: %v %v", errs, err)
	}
	alice2.rec.wait(t, "friendListChanged", friendDeleted("bob"))
	if r := relationOf(t, alice, "bob", 0); r != 5 { // BothOtherHave
		t.Fatalf("relation after a single delete: %d", r)
	}
	if r := relationOf(t, bob, "alice", 1); r != 2 { // SingleHave
		t.Fatalf("bob's relation: %d", r)
	}
	if _, err := alice.DeleteFriends(ctx(t), []string{"carol"}, 0); err != nil {
		t.Fatal(err)
	}
	carol.rec.wait(t, "friendListChanged", friendDeleted("alice"))
	if r := relationOf(t, carol, "alice", 0); r != 3 { // BothAllNo
		t.Fatalf("relation after a both delete: %d", r)
	}
	if bob.rec.count("friendListChanged", friendDeleted("alice")) != 0 {
		t.Fatal("bob was told of a single delete")
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint("u", i)
	}
	if _, err := alice.DeleteFriends(ctx(t), many, 0); codeOf(err) != 6000809 {
		t.Fatalf("21 users: want 6000809, got %v", err)
	}
	if _, err := alice.CheckFriendsRelation(ctx(t), many, 0); codeOf(err) != 6000809 {
		t.Fatalf("21 users: want 6000809, got %v", err)
	}
	if _, err := alice.QueryFriendsInfo(ctx(t), many); codeOf(err) != 6000809 {
		t.Fatalf("21 users: want 6000809, got %v", err)
	}

	// alice applies to bob, who still has her: she is his friend again at once
	app, err := alice.SendFriendApplication(ctx(t), "bob", nil)
	if err != nil || app.State != appAccepted {
		t.Fatalf("applying to a one-way friend: %v %v", app, err)
	}
	alice2.rec.wait(t, "friendListChanged", func(p proto.Message) bool {
		return friendAdded("bob")(p) && p.(*m.FriendListChangedEvent).FriendList[0].FriendAlias == ""
	})

	e.restart()
	alice = e.login("alice", true, 6)
	if ids := friendList(t, alice); len(ids) != 1 || ids[0] != "bob" {
		t.Fatalf("alice's friends after restart: %v", ids)
	}
	if r := relationOf(t, alice, "bob", 0); r != 6 { // BothAllHave
		t.Fatalf("relation after restart: %d", r)
	}
}

func TestFriendLimitsEndToEnd(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Friends.MaxFriends = 2 }))
	e.registered("u1", "u2", "u3")
	alice := e.login("alice", false, 6)
	for _, u := range []string{"u1", "u2"} {
		if _, err := alice.AddFriend(ctx(t), u, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := alice.AddFriend(ctx(t), "u3", nil); codeOf(err) != 6000801 {
		t.Fatalf("a third friend: want 6000801, got %v", err)
	}
	if _, err := alice.SendFriendApplication(ctx(t), "u3", nil); codeOf(err) != 6000801 {
		t.Fatalf("an application with a full list: want 6000801, got %v", err)
	}
	u3 := e.login("u3", false, 6)
	if _, err := u3.AddFriend(ctx(t), "alice", nil); codeOf(err) != 6000801 {
		t.Fatalf("befriending a user with a full list: want 6000801, got %v", err)
	}
	if _, err := alice.QueryFriendList(ctx(t), 101, 0); codeOf(err) != 6000001 {
		t.Fatalf("page of 101: want 6000001, got %v", err)
	}
}

// TestFriendsConcurrentPairs: ten users add each other all at once (both directions of
// every pair race): each pair ends up friends exactly once, every list has the nine
// others, and the counts the limits use agree with the lists.
func TestFriendsConcurrentPairs(t *testing.T) {
	const n = 10
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Friends.MaxFriends = n - 1 }))
	users := make([]*session, n)
	for i := range users {
		users[i] = e.login(fmt.Sprintf("c%d", i), false, 6)
	}
	var mu sync.Mutex
	added, already := 0, 0
	var wg sync.WaitGroup
	for i := range users {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := range users {
				if j == i {
					continue
				}
				_, err := users[i].AddFriend(ctx(t), users[j].user, nil)
				mu.Lock()
				switch codeOf(err) {
				case 0:
					added++
				case 6000803:
					already++
				default:
					t.Errorf("%s adds %s: %v", users[i].user, users[j].user, err)
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if added != n*(n-1)/2 || already != n*(n-1)/2 {
		t.Fatalf("added %d, already friends %d; want %d each", added, already, n*(n-1)/2)
	}
	e.registered("extra")
	for _, s := range users {
		if ids := friendList(t, s); len(ids) != n-1 {
			t.Fatalf("%s has %d friends: %v", s.user, len(ids), ids)
		}
		// the count is exact: the list is full now
		if _, err := s.AddFriend(ctx(t), "extra", nil); codeOf(err) != 6000801 {
			t.Fatalf("%s adding a tenth friend: want 6000801, got %v", s.user, err)
		}
	}
}

// TestFriendApplicationsToOnePopularUser: thirty users apply to one user at the same
// moment (every write conditions on the popular user's friend head): all are stored,
// each once, and the popular user accepts them all.
func TestFriendApplicationsToOnePopularUser(t *testing.T) {
	const n = 30
	e := startEnv(t)
	star := e.login("star", true, 6) // JSON: nextFlag (int64) round-trips
	fans := make([]*session, n)
	for i := range fans {
		fans[i] = e.login(fmt.Sprintf("fan%02d", i), false, 6)
	}
	var wg sync.WaitGroup
	for _, f := range fans {
		wg.Add(1)
		go func(f *session) {
			defer wg.Done()
			if _, err := f.SendFriendApplication(ctx(t), "star", &m.FriendApplicationSendConfig{Wording: "from " + f.user}); err != nil {
				t.Errorf("%s applies: %v", f.user, err)
			}
		}(f)
	}
	wg.Wait()
	seen := map[string]bool{}
	var next int64
	for {
		page, err := star.QueryFriendApplicationList(ctx(t), 7, next)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.ApplicationList {
			if seen[a.ApplyUser.UserID] || a.Wording != "from "+a.ApplyUser.UserID || a.State != appWaiting {
				t.Fatalf("application %v (seen before: %v)", a, seen[a.ApplyUser.UserID])
			}
			seen[a.ApplyUser.UserID] = true
		}
		if page.NextFlag == 0 {
			break
		}
		next = page.NextFlag
	}
	if len(seen) != n {
		t.Fatalf("%d applications listed, want %d", len(seen), n)
	}
	for _, f := range fans {
		if _, err := star.AcceptFriendApplication(ctx(t), f.user, nil); err != nil {
			t.Fatal(err)
		}
	}
	if ids := friendList(t, star); len(ids) != n {
		t.Fatalf("star has %d friends", len(ids))
	}
}
