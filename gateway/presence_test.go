package gateway_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// statusOf matches a userStatusUpdated about user that satisfies match.
func statusOf(user string, match func(*m.UserStatus) bool) func(proto.Message) bool {
	return func(p proto.Message) bool {
		for _, s := range p.(*m.UserStatusUpdatedEvent).UserStatusList {
			if s.UserID == user && match(s) {
				return true
			}
		}
		return false
	}
}

func isOnline(platforms ...int32) func(*m.UserStatus) bool {
	return func(s *m.UserStatus) bool {
		return s.OnlineStatus == actors.StatusOnline && slices.Equal(s.OnlinePlatforms, platforms)
	}
}

func hasStatus(status int32) func(*m.UserStatus) bool {
	return func(s *m.UserStatus) bool { return s.OnlineStatus == status && len(s.OnlinePlatforms) == 0 }
}

func custom(text string) func(*m.UserStatus) bool {
	return func(s *m.UserStatus) bool { return s.CustomStatus == text }
}

// mark is the number of events recorded so far: waitSince looks only at later ones.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// waitSince waits for an event named name matching match among those recorded after
// mark, failing the test after the deadline.
func (r *recorder) waitSince(t testing.TB, mark int, name string, match func(proto.Message) bool) proto.Message {
	t.Helper()
	var found proto.Message
	if !waitUntil(10*time.Second, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, e := range r.events[mark:] {
			if e.name == name && (match == nil || match(e.msg)) {
				found = e.msg
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no matching %s event within the deadline", name)
	}
	return found
}

func TestPresenceSubscriptionPushesStatusChanges(t *testing.T) {
	e := startEnv(t)
	e.registered("bob", "carol")
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 3) // her phone, on JSON

	// Refusals.
	many := make([]string, 101)
	for i := range many {
		many[i] = "u" + strconv.Itoa(i)
	}
	_, err := alice.SubscribeUsersStatus(ctx(t), many, 10)
	if codeOf(err) != 6000001 {
		t.Fatalf("101 IDs: %v", err)
	}
	_, err = alice.SubscribeUsersStatus(ctx(t), []string{"bob"}, 0)
	if codeOf(err) != 6000001 {
		t.Fatalf("duration 0: %v", err)
	}
	bad, err := alice.SubscribeUsersStatus(ctx(t), []string{"bob", "alice", "nobody"}, 60)
	gOK(t, "subscribeUsersStatus", err)
	if r := errorUsers(bad); len(r) != 2 || r["alice"] != 6000001 || r["nobody"] != 6000011 {
		t.Fatalf("errorUserList %v", bad)
	}
	// Both of alice's devices get bob's current status, then each change.
	alice.rec.wait(t, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusLogout)))
	alice2.rec.wait(t, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusLogout)))

	bob := e.login("bob", false, 1)
	alice.rec.wait(t, "userStatusUpdated", statusOf("bob", isOnline(1)))
	alice2.rec.wait(t, "userStatusUpdated", statusOf("bob", isOnline(1)))
	bob2 := e.login("bob", true, 2)
	alice.rec.wait(t, "userStatusUpdated", statusOf("bob", isOnline(1, 2)))
	bob.rec.wait(t, "userStatusUpdated", statusOf("bob", isOnline(1, 2))) // his other device

	// Custom status: subscribers and bob's other device; the rate limit and the size limit.
	gOK(t, "updateUserCustomStatus", bob2.UpdateUserCustomStatus(ctx(t), "in a meeting", 3600))
	st := alice.rec.wait(t, "userStatusUpdated", statusOf("bob", custom("in a meeting"))).(*m.UserStatusUpdatedEvent).UserStatusList[0]
	if st.CustomStatusExpiredTime < time.Now().Add(59*time.Minute).UnixMilli() || st.LastCustomStatusUpdateTime == 0 || st.LastUpdateTime < st.LastOnlineStatusUpdateTime {
		t.Fatalf("custom status %v", st)
	}
	bob.rec.wait(t, "userStatusUpdated", statusOf("bob", custom("in a meeting")))
	if err := bob2.UpdateUserCustomStatus(ctx(t), "again", 0); codeOf(err) != 6000005 {
		t.Fatalf("second update within a second: %v", err)
	}
	if err := bob2.UpdateUserCustomStatus(ctx(t), strings.Repeat("x", 65), 0); codeOf(err) != 6000001 {
		t.Fatalf("65-byte custom status: %v", err)
	}
	if n := bob2.rec.count("userStatusUpdated", statusOf("bob", custom("in a meeting"))); n != 0 {
		t.Fatalf("the updating device got its own change %d times", n)
	}

	// A lost connection is offline; a logout of the last device is logout.
	at, cat := alice.rec.mark(), 0
	_ = bob2.Close()
	alice.rec.waitSince(t, at, "userStatusUpdated", statusOf("bob", isOnline(1)))
	at = alice.rec.mark()
	gOK(t, "logout", bob.Logout(ctx(t)))
	alice.rec.waitSince(t, at, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusLogout)))
	carol := e.login("carol", false, 5)
	gOK(t, "carol subscribes", func() error { _, err := carol.SubscribeUsersStatus(ctx(t), []string{"bob"}, 60); return err }())
	carol.rec.wait(t, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusLogout)))
	bob = e.login("bob", false, 4)
	at, cat = alice.rec.mark(), carol.rec.mark()
	_ = bob.Close()
	alice.rec.waitSince(t, at, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusOffline)))
	carol.rec.waitSince(t, cat, "userStatusUpdated", statusOf("bob", hasStatus(actors.StatusOffline)))

	// queryUsersStatus reads anyone's status, without a subscription.
	res, err := carol.QueryUsersStatus(ctx(t), []string{"bob", "alice", "nobody"})
	gOK(t, "queryUsersStatus", err)
	if r := errorUsers(res.ErrorUserList); len(r) != 1 || r["nobody"] != 6000011 || len(res.UserStatusList) != 2 {
		t.Fatalf("queryUsersStatus %v", res)
	}
	if s := res.UserStatusList[0]; s.UserID != "bob" || s.OnlineStatus != actors.StatusOffline || s.CustomStatus != "in a meeting" {
		t.Fatalf("bob's status %v", s)
	}
	if s := res.UserStatusList[1]; s.UserID != "alice" || !isOnline(3, 6)(s) {
		t.Fatalf("alice's status %v", s)
	}

	// Unsubscribed: no more pushes to alice (carol still gets them).
	un, err := alice.UnsubscribeUsersStatus(ctx(t), []string{"bob", "carol"})
	gOK(t, "unsubscribeUsersStatus", err)
	if r := errorUsers(un); len(r) != 1 || r["carol"] != 6000001 {
		t.Fatalf("unsubscribe errors %v", un)
	}
	before := alice.rec.count("userStatusUpdated", nil)
	cat = carol.rec.mark()
	bob = e.login("bob", false, 7)
	carol.rec.waitSince(t, cat, "userStatusUpdated", statusOf("bob", isOnline(7)))
	if n := alice.rec.count("userStatusUpdated", nil); n != before {
		t.Fatalf("unsubscribed alice got %d more pushes", n-before)
	}
	list, err := alice.QuerySubscribedUserStatusList(ctx(t), nil)
	gOK(t, "querySubscribedUserStatusList", err)
	if len(list) != 0 {
		t.Fatalf("alice's subscriptions %v", list)
	}
}

func TestPresenceSurvivesRestartAndCatchesUp(t *testing.T) {
	e := startEnv(t)
	e.registered("bob", "carol")
	alice := e.login("alice", false, 6)
	_, err := alice.SubscribeUsersStatus(ctx(t), []string{"bob", "carol"}, 120)
	gOK(t, "subscribeUsersStatus", err)
	alice.rec.wait(t, "userStatusUpdated", statusOf("carol", hasStatus(actors.StatusLogout)))
	_ = alice.Close()

	// Alice offline: bob changes his custom status; she catches up by querying.
	bob := e.login("bob", false, 1)
	gOK(t, "updateUserCustomStatus", bob.UpdateUserCustomStatus(ctx(t), "away", 0))
	alice = e.login("alice", false, 6)
	list, err := alice.QuerySubscribedUserStatusList(ctx(t), nil)
	gOK(t, "querySubscribedUserStatusList", err)
	if len(list) != 2 || list[0].UserStatus.UserID != "bob" || !isOnline(1)(list[0].UserStatus) || list[0].UserStatus.CustomStatus != "away" ||
		list[0].SubscribeExpiredTime < time.Now().Add(119*time.Minute).UnixMilli() {
		t.Fatalf("subscriptions %v", list)
	}
	// and gets bob's changes again on her new connection
	gOK(t, "bob logout", bob.Logout(ctx(t)))
	alice.rec.wait(t, "userStatusUpdated", statusOf("bob", func(s *m.UserStatus) bool { return hasStatus(actors.StatusLogout)(s) && s.CustomStatus == "away" }))

	// A restart on the same directory keeps the subscriptions, the custom status and the
	// last status.
	e.restart()
	alice = e.login("alice", false, 6)
	list, err = alice.QuerySubscribedUserStatusList(ctx(t), []string{"bob"})
	gOK(t, "querySubscribedUserStatusList after restart", err)
	if len(list) != 1 || list[0].UserStatus.CustomStatus != "away" || list[0].UserStatus.OnlineStatus != actors.StatusLogout {
		t.Fatalf("after restart %v", list)
	}
	bob = e.login("bob", true, 2)
	alice.rec.wait(t, "userStatusUpdated", statusOf("bob", isOnline(2)))
	carol := e.login("carol", false, 3)
	alice.rec.wait(t, "userStatusUpdated", statusOf("carol", isOnline(3)))
	_ = bob
	_ = carol
}

func TestPresenceSubscriptionLimitReplacesTheOldest(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Presence.SubscriptionsMax = 2 }))
	e.registered("b1", "b2", "b3")
	alice := e.login("alice", false, 6)
	for _, id := range []string{"b1", "b2", "b3"} {
		_, err := alice.SubscribeUsersStatus(ctx(t), []string{id}, 5)
		gOK(t, "subscribe "+id, err)
	}
	list, err := alice.QuerySubscribedUserStatusList(ctx(t), nil)
	gOK(t, "querySubscribedUserStatusList", err)
	var ids []string
	for _, s := range list {
		ids = append(ids, s.UserStatus.UserID)
	}
	if !slices.Equal(ids, []string{"b2", "b3"}) {
		t.Fatalf("subscriptions %v", ids)
	}
	alice.rec.wait(t, "userStatusUpdated", statusOf("b3", hasStatus(actors.StatusLogout)))
	before := alice.rec.count("userStatusUpdated", statusOf("b1", func(*m.UserStatus) bool { return true }))
	e.login("b1", false, 1)
	e.login("b2", false, 1)
	alice.rec.wait(t, "userStatusUpdated", statusOf("b2", isOnline(1)))
	if n := alice.rec.count("userStatusUpdated", statusOf("b1", func(*m.UserStatus) bool { return true })); n != before {
		t.Fatal("the replaced subscription still pushes")
	}
}
