package actors

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// forwardPresence hands the PresenceSubscribe messages sent to users to their grains.
func forwardPresence(t *testing.T, w *unitWorld, grains map[string]*unitGrain) []*messages.PresenceSubscribe {
	t.Helper()
	var out []*messages.PresenceSubscribe
	for _, s := range w.rec.takeSends() {
		m, ok := s.msg.(*messages.PresenceSubscribe)
		if !ok || s.kind != KindUser {
			continue
		}
		out = append(out, m)
		if g := grains[s.identity]; g != nil {
			g.Tell(m)
		}
	}
	return out
}

// statusPushes are the userStatusUpdated pushes taken from the recorder, with their
// connections.
func statusPushes(t *testing.T, w *unitWorld) ([]*messages.UserStatusUpdatedEvent, [][]uint64) {
	t.Helper()
	return pushesOf(t, w.rec.takePushes(), messages.EventUserStatusUpdated.Name, func() *messages.UserStatusUpdatedEvent { return &messages.UserStatusUpdatedEvent{} })
}

func subscribe(u *unitGrain, user string, ids []string, minutes int64) (*messages.UsersStatusSubscribedResult, error) {
	var res messages.UsersStatusSubscribedResult
	err := u.call(user, "subscribeUsersStatus", &messages.SubscribeUsersStatusParams{UserIDs: ids, Config: &messages.UserStatusSubscribeConfig{SubscriptionDuration: minutes}}, &res)
	return &res, err
}

func reasons(list []*messages.ErrorUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, e := range list {
		out[e.UserID] = e.Reason
	}
	return out
}

func TestUnitPresenceSubscribeAndPush(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	grains := map[string]*unitGrain{"alice": w.grain(KindUser, "alice"), "bob": w.grain(KindUser, "bob")}
	alice, bob := grains["alice"], grains["bob"]
	alice.register(device(11, 6), "")
	alice.register(device(12, 2), "") // her second device
	forwardPresence(t, w, grains)
	w.rec.takePushes()

	// Refusals: duration out of range, too many IDs, none.
	_, err := subscribe(alice, "alice", []string{"bob"}, 0)
	wantCode(t, err, ErrPresenceDuration)
	_, err = subscribe(alice, "alice", []string{"bob"}, 43201)
	wantCode(t, err, ErrPresenceDuration)
	many := make([]string, 101)
	for i := range many {
		many[i] = "u" + strconv.Itoa(i)
	}
	_, err = subscribe(alice, "alice", many, 10)
	wantCode(t, err, ErrPresenceTooMany)
	_, err = subscribe(alice, "alice", nil, 10)
	wantCode(t, err, ErrPresenceTooMany)

	// Oneself, unregistered and invalid IDs are listed with their codes; bob is subscribed.
	res, err := subscribe(alice, "alice", []string{"bob", "alice", "nobody", "bad id"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if r := reasons(res.ErrorUserList); len(r) != 3 || r["alice"] != 6000001 || r["nobody"] != 6000011 || r["bad id"] != 6000124 {
		t.Fatalf("errorUserList %v", res.ErrorUserList)
	}
	subs := forwardPresence(t, w, grains)
	if len(subs) != 1 || subs[0].Subscriber != "alice" || subs[0].ExpiresAt != w.now.Add(10*time.Minute).UnixMilli() || len(subs[0].Conns) != 2 {
		t.Fatalf("subscribe sent %v", subs)
	}
	// The new subscriber gets bob's current status at once (offline: he never logged in here).
	evs, conns := statusPushes(t, w)
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{11, 12}) || evs[0].UserStatusList[0].UserID != "bob" || evs[0].UserStatusList[0].OnlineStatus != StatusOffline {
		t.Fatalf("initial status %v %v", evs, conns)
	}

	// Bob comes online on two platforms, then logs out: each change is pushed to both of
	// alice's devices and bob's other devices, one push per node.
	w.now = w.now.Add(time.Second)
	bob.register(device(21, 1), "")
	evs, conns = statusPushes(t, w)
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{11, 12}) {
		t.Fatalf("bob online: %v %v", evs, conns)
	}
	if st := evs[0].UserStatusList[0]; st.OnlineStatus != StatusOnline || !slices.Equal(st.OnlinePlatforms, []int32{1}) || st.LastOnlineStatusUpdateTime != w.now.UnixMilli() || st.LastUpdateTime != w.now.UnixMilli() {
		t.Fatalf("bob online status %v", st)
	}
	bob.register(device(22, 3), "")
	evs, conns = statusPushes(t, w)
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{11, 12, 21}) || !slices.Equal(evs[0].UserStatusList[0].OnlinePlatforms, []int32{1, 3}) {
		t.Fatalf("bob's second platform: %v %v", evs, conns)
	}
	bob.register(device(22, 3), "") // the same device again: nothing new
	if evs, _ := statusPushes(t, w); len(evs) != 0 {
		t.Fatalf("re-registration pushed %v", evs)
	}
	bob.Request(&messages.UnregisterDevice{Conn: device(22, 3)})
	bob.Request(&messages.UnregisterDevice{Conn: device(21, 1), Logout: true})
	evs, _ = statusPushes(t, w)
	if len(evs) != 2 || evs[1].UserStatusList[0].OnlineStatus != StatusLogout || len(evs[1].UserStatusList[0].OnlinePlatforms) != 0 {
		t.Fatalf("bob logout: %v", evs)
	}

	// The subscription survives both actors' reactivation; bob's actor learns alice's
	// connections again when her devices change.
	grains["bob"] = w.grain(KindUser, "bob")
	grains["alice"] = w.grain(KindUser, "alice")
	alice, bob = grains["alice"], grains["bob"]
	if !bob.CanPassivate() {
		t.Fatal("bob's actor with no online subscriber cannot passivate")
	}
	alice.register(device(13, 6), "")
	subs = forwardPresence(t, w, grains)
	if len(subs) != 1 || !subs[0].ConnsOnly || len(subs[0].Conns) != 1 {
		t.Fatalf("alice's devices to bob: %v", subs)
	}
	if bob.CanPassivate() {
		t.Fatal("bob's actor passivates with an online subscriber")
	}
	w.rec.takePushes()
	bob.register(device(23, 1), "")
	if _, conns = statusPushes(t, w); len(conns) != 1 || !slices.Equal(conns[0], []uint64{13}) {
		t.Fatalf("after reactivation: %v", conns)
	}
	var list messages.SubscribedUserStatusListQueriedResult
	alice.mustCall("alice", "querySubscribedUserStatusList", &messages.QuerySubscribedUserStatusListParams{}, &list)
	if len(list.UserStatusSubscriptionList) != 1 || list.UserStatusSubscriptionList[0].UserStatus.OnlineStatus != StatusOnline ||
		list.UserStatusSubscriptionList[0].SubscribeExpiredTime != subs[0].ExpiresAt && subs[0].ExpiresAt != 0 {
		t.Fatalf("subscribed list %v", list.UserStatusSubscriptionList)
	}

	// Expired: bob's changes reach alice no more, and her list is empty.
	w.now = w.now.Add(10 * time.Minute)
	bob.Request(&messages.UnregisterDevice{Conn: device(23, 1)})
	if _, conns = statusPushes(t, w); len(conns) != 0 {
		t.Fatalf("pushed after the subscription expired: %v", conns)
	}
	if !bob.CanPassivate() {
		t.Fatal("an expired online subscriber keeps bob's actor")
	}
	alice.mustCall("alice", "querySubscribedUserStatusList", &messages.QuerySubscribedUserStatusListParams{}, &list)
	if len(list.UserStatusSubscriptionList) != 0 {
		t.Fatalf("expired subscription listed: %v", list.UserStatusSubscriptionList)
	}
	// and the expired records go at the next activation
	w.grain(KindUser, "bob")
	if w.stored(keyPresenceSubscriber("bob", "alice")) {
		t.Fatal("expired subscriber record kept")
	}
}

func TestUnitPresenceUnsubscribeAndLimit(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Presence.SubscriptionsMax = 3 })
	w.users("alice", "b1", "b2", "b3", "b4")
	alice := w.grain(KindUser, "alice")
	grains := map[string]*unitGrain{"alice": alice}
	for _, id := range []string{"b1", "b2", "b3", "b4"} {
		grains[id] = w.grain(KindUser, id)
	}
	if _, err := subscribe(alice, "alice", []string{"b1", "b2"}, 60); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(time.Second)
	if _, err := subscribe(alice, "alice", []string{"b3", "b4"}, 60); err != nil {
		t.Fatal(err)
	}
	// Over the limit of 3, the oldest (b1) gave way.
	subs := forwardPresence(t, w, grains)
	var evicted []string
	for _, s := range subs {
		if s.ExpiresAt == 0 {
			evicted = append(evicted, s.Subscriber)
		}
	}
	if w.stored(keyPresenceTarget("alice", "b1")) || w.stored(keyPresenceSubscriber("b1", "alice")) || !w.stored(keyPresenceTarget("alice", "b4")) {
		t.Fatal("eviction not stored")
	}
	if len(grains["b1"].user().pres.subscribers) != 0 || len(grains["b4"].user().pres.subscribers) != 1 {
		t.Fatal("subscribers in the targets' actors")
	}
	var list messages.SubscribedUserStatusListQueriedResult
	alice.mustCall("alice", "querySubscribedUserStatusList", &messages.QuerySubscribedUserStatusListParams{}, &list)
	var ids []string
	for _, s := range list.UserStatusSubscriptionList {
		ids = append(ids, s.UserStatus.UserID)
	}
	if !slices.Equal(ids, []string{"b2", "b3", "b4"}) {
		t.Fatalf("list after eviction %v (sent %v)", ids, evicted)
	}
	alice.mustCall("alice", "querySubscribedUserStatusList", &messages.QuerySubscribedUserStatusListParams{Config: &messages.SubscribedUserStatusQueryConfig{UserIDs: []string{"b3", "b1"}}}, &list)
	if len(list.UserStatusSubscriptionList) != 1 || list.UserStatusSubscriptionList[0].UserStatus.UserID != "b3" {
		t.Fatalf("filtered list %v", list.UserStatusSubscriptionList)
	}

	// Unsubscribe: b1 is not subscribed any more.
	var un messages.UsersStatusUnsubscribedResult
	alice.mustCall("alice", "unsubscribeUsersStatus", &messages.UnsubscribeUsersStatusParams{UserIDs: []string{"b2", "b1"}}, &un)
	if r := reasons(un.ErrorUserList); len(r) != 1 || r["b1"] != ErrPresenceNotSub.Code {
		t.Fatalf("unsubscribe errors %v", un.ErrorUserList)
	}
	forwardPresence(t, w, grains)
	if w.stored(keyPresenceTarget("alice", "b2")) || w.stored(keyPresenceSubscriber("b2", "alice")) || len(grains["b2"].user().pres.subscribers) != 0 {
		t.Fatal("unsubscribe left b2")
	}
	// A fresh activation reads the list back.
	again := w.grain(KindUser, "alice")
	again.mustCall("alice", "querySubscribedUserStatusList", &messages.QuerySubscribedUserStatusListParams{}, &list)
	if len(list.UserStatusSubscriptionList) != 2 {
		t.Fatalf("after reactivation %v", list.UserStatusSubscriptionList)
	}
}

func TestUnitPresenceCustomStatusAndQuery(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	alice, bob := w.grain(KindUser, "alice"), w.grain(KindUser, "bob")
	bob.register(device(21, 1), "")
	bob.register(device(22, 2), "")
	w.rec.takePushes()
	up := func(s string, d int64) error {
		return bob.call("bob", "updateUserCustomStatus", &messages.UpdateUserCustomStatusParams{CustomStatus: s, Config: &messages.UserCustomStatusUpdateConfig{Duration: d}}, &messages.UserCustomStatusUpdatedResult{})
	}
	wantCode(t, up(string(make([]byte, 65)), 0), ErrCustomStatusInvalid)
	wantCode(t, up("busy", -1), ErrCustomStatusInvalid)
	if err := up("busy", 60); err != nil {
		t.Fatal(err)
	}
	// bob's other device hears of it (the caller's connection is 1 in unit calls).
	evs, conns := statusPushes(t, w)
	if len(evs) != 1 || !slices.Equal(conns[0], []uint64{21, 22}) || evs[0].UserStatusList[0].CustomStatus != "busy" ||
		evs[0].UserStatusList[0].CustomStatusExpiredTime != w.now.Add(time.Minute).UnixMilli() {
		t.Fatalf("custom status push %v %v", evs, conns)
	}
	wantCode(t, up("away", 0), ErrServerRate) // 1 per second
	w.now = w.now.Add(time.Second)

	query := func(ids ...string) *messages.UsersStatusQueriedResult {
		var res messages.UsersStatusQueriedResult
		alice.mustCall("alice", "queryUsersStatus", &messages.QueryUsersStatusParams{UserIDs: ids}, &res)
		return &res
	}
	res := query("bob", "nobody", "alice")
	if r := reasons(res.ErrorUserList); len(r) != 1 || r["nobody"] != 6000011 {
		t.Fatalf("query errors %v", res.ErrorUserList)
	}
	if len(res.UserStatusList) != 2 || res.UserStatusList[0].CustomStatus != "busy" || !slices.Equal(res.UserStatusList[0].OnlinePlatforms, []int32{1, 2}) {
		t.Fatalf("queried %v", res.UserStatusList)
	}
	// The custom status ends on time.
	w.now = w.now.Add(time.Minute)
	if st := query("bob").UserStatusList[0]; st.CustomStatus != "" || st.CustomStatusExpiredTime != 0 || st.LastCustomStatusUpdateTime == 0 {
		t.Fatalf("expired custom status %v", st)
	}
	// A status that says online while the actor is not active is from a node that
	// stopped without telling: the next activation stores offline.
	fresh := w.grain(KindUser, "bob")
	if st := query("bob").UserStatusList[0]; st.OnlineStatus != StatusOffline {
		t.Fatalf("stale online status kept: %v", st)
	}
	_ = fresh
}

// user is the grain's user actor.
func (u *unitGrain) user() *userActor { return u.H.(*kindAdapter).h.(*userActor) }

// CanPassivate is what the runtime asks before passivating the grain.
func (u *unitGrain) CanPassivate() bool { return u.H.CanPassivate(u.G) }

// A status change is one push per gateway node for all subscriber connections on it.
func TestUnitPresencePushIsOnePerNode(t *testing.T) {
	w := newUnitWorld(t)
	users := []string{"bob", "s1", "s2", "s3"}
	w.users(users...)
	grains := map[string]*unitGrain{}
	for _, u := range users {
		grains[u] = w.grain(KindUser, u)
	}
	on := func(node string, id uint64) *messages.ConnRef {
		return &messages.ConnRef{Node: node, ConnID: id, Platform: int32(id)} // one platform each: no kicks
	}
	grains["s1"].register(on(unitNode, 1), "")
	grains["s2"].register(on("node-b", 2), "")
	grains["s3"].register(on("node-b", 3), "")
	grains["s3"].register(on(unitNode, 4), "")
	for _, s := range []string{"s1", "s2", "s3"} {
		if _, err := subscribe(grains[s], s, []string{"bob"}, 5); err != nil {
			t.Fatal(err)
		}
	}
	forwardPresence(t, w, grains)
	w.rec.mu.Lock()
	w.rec.processes = nil
	w.rec.mu.Unlock()
	grains["bob"].register(device(9, 1), "")
	w.rec.mu.Lock()
	byNode := map[string][]uint64{}
	for _, p := range w.rec.processes {
		if d, ok := p.msg.(*messages.Deliver); ok && d.Push.Event == messages.EventUserStatusUpdated.Name {
			if _, dup := byNode[p.kind]; dup {
				t.Errorf("two pushes to node %s", p.kind)
			}
			ids := slices.Clone(d.ConnIDs)
			slices.Sort(ids)
			byNode[p.kind] = ids
		}
	}
	w.rec.mu.Unlock()
	if len(byNode) != 2 || !slices.Equal(byNode[unitNode], []uint64{1, 4}) || !slices.Equal(byNode["node-b"], []uint64{2, 3}) {
		t.Fatalf("pushes by node %v", byNode)
	}
}
