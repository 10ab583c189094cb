package gateway_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Calls through a real server: real WebSocket clients (JSON and protobuf), a real Badger
// directory, restarts on it.

func callStates(list []*messages.CallUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, u := range list {
		out[u.UserID] = u.State
	}
	return out
}

// stateIs matches a callUserStateChanged of call id in which user has state.
func stateIs(id, user string, state int32) func(proto.Message) bool {
	return func(m proto.Message) bool {
		ev := m.(*messages.CallUserStateChangedEvent)
		s, ok := callStates(ev.CallUserList)[user]
		return ev.CallID == id && ok && s == state
	}
}

func ofCall(id string) func(proto.Message) bool {
	return func(m proto.Message) bool {
		type callEv interface{ GetCallID() string }
		return m.(callEv).GetCallID() == id
	}
}

// waitEvent waits (15 s at most: the machine may be loaded) for an event of s.
func waitEvent(t *testing.T, s *session, name string, match func(proto.Message) bool) proto.Message {
	t.Helper()
	m, ok := s.rec.waitFor(name, match, 15*time.Second)
	if !ok {
		t.Fatalf("%s: no %s event within 15 s", s.user, name)
	}
	return m
}

func general(timeout int32) *messages.CallInviteConfig {
	return &messages.CallInviteConfig{Mode: actors.CallModeGeneral, Timeout: timeout, ExtendedData: "video"}
}

func TestCallTwoPartyEachWay(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", true, 0) // JSON
	bob := e.login("bob", false, 0)    // protobuf

	// accept
	res, err := alice.CallInvite(ctx(t), []string{"bob"}, general(30))
	noErr(t, "callInvite", err)
	if res.CallID == "" || res.Timeout != 30 || len(res.ErrorUserList) != 0 {
		t.Fatalf("invite result %+v", res)
	}
	recv := waitEvent(t, bob, "callInvitationReceived", ofCall(res.CallID)).(*messages.CallInvitationReceivedEvent)
	if recv.Caller != "alice" || recv.Inviter != "alice" || recv.ExtendedData != "video" || recv.Timeout != 30 || recv.Mode != actors.CallModeGeneral {
		t.Fatalf("received %+v", recv)
	}
	// bob's device got it: alice sees him as received
	waitEvent(t, alice, "callUserStateChanged", stateIs(res.CallID, "bob", actors.CallUserReceived))
	_, err = bob.CallAccept(ctx(t), res.CallID, &messages.CallActionConfig{ExtendedData: "ok"})
	noErr(t, "callAccept", err)
	acc := waitEvent(t, alice, "callInvitationAccepted", ofCall(res.CallID)).(*messages.CallInvitationAnsweredEvent)
	if acc.Invitee != "bob" || acc.ExtendedData != "ok" {
		t.Fatalf("accepted %+v", acc)
	}
	waitEvent(t, alice, "callUserStateChanged", stateIs(res.CallID, "bob", actors.CallUserAccepted))
	_, err = bob.CallReject(ctx(t), res.CallID, nil)
	wantCode(t, "answer an ended general call", err, 6000276)

	// reject, the other way round
	res2, err := bob.CallInvite(ctx(t), []string{"alice"}, general(30))
	noErr(t, "callInvite", err)
	waitEvent(t, alice, "callInvitationReceived", ofCall(res2.CallID))
	_, err = alice.CallReject(ctx(t), res2.CallID, &messages.CallActionConfig{ExtendedData: "busy"})
	noErr(t, "callReject", err)
	rej := waitEvent(t, bob, "callInvitationRejected", ofCall(res2.CallID)).(*messages.CallInvitationAnsweredEvent)
	if rej.Invitee != "alice" || rej.ExtendedData != "busy" {
		t.Fatalf("rejected %+v", rej)
	}
	waitEvent(t, bob, "callUserStateChanged", stateIs(res2.CallID, "alice", actors.CallUserRejected))

	// cancel
	res3, err := alice.CallInvite(ctx(t), []string{"bob"}, general(30))
	noErr(t, "callInvite", err)
	waitEvent(t, bob, "callInvitationReceived", ofCall(res3.CallID))
	_, err = bob.CallCancel(ctx(t), nil, res3.CallID, nil)
	wantCode(t, "an invitee cancels", err, 6000273)
	cres, err := alice.CallCancel(ctx(t), []string{"bob"}, res3.CallID, &messages.CallActionConfig{ExtendedData: "sorry"})
	noErr(t, "callCancel", err)
	if len(cres.ErrorInvitees) != 0 {
		t.Fatalf("cancel result %+v", cres)
	}
	canc := waitEvent(t, bob, "callInvitationCancelled", ofCall(res3.CallID)).(*messages.CallInvitationCancelledEvent)
	if canc.Inviter != "alice" || canc.ExtendedData != "sorry" {
		t.Fatalf("cancelled %+v", canc)
	}
	waitEvent(t, bob, "callUserStateChanged", stateIs(res3.CallID, "bob", actors.CallUserBeCancelled))
	_, err = bob.CallAccept(ctx(t), res3.CallID, nil)
	wantCode(t, "accept a cancelled call", err, 6000276)

	// timeout
	res4, err := bob.CallInvite(ctx(t), []string{"alice"}, general(1))
	noErr(t, "callInvite", err)
	waitEvent(t, alice, "callInvitationTimeout", ofCall(res4.CallID))
	ans := waitEvent(t, bob, "callInviteesAnsweredTimeout", ofCall(res4.CallID)).(*messages.CallInviteesAnsweredTimeoutEvent)
	if len(ans.Invitees) != 1 || ans.Invitees[0] != "alice" {
		t.Fatalf("answered timeout %+v", ans)
	}
	waitEvent(t, bob, "callUserStateChanged", stateIs(res4.CallID, "alice", actors.CallUserTimeout))
	_, err = alice.CallAccept(ctx(t), res4.CallID, nil)
	wantCode(t, "accept after the timeout", err, 6000276)

	// the list, newest first, with every call's outcome
	list, err := alice.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 10})
	noErr(t, "queryCallInvitationList", err)
	if len(list.CallList) != 4 || list.NextFlag != 0 {
		t.Fatalf("list %+v", list)
	}
	want := []struct {
		id    string
		state int32 // alice's
	}{{res4.CallID, actors.CallUserTimeout}, {res3.CallID, actors.CallUserCancelled}, {res2.CallID, actors.CallUserRejected}, {res.CallID, actors.CallUserAccepted}}
	for i, w := range want {
		c := list.CallList[i]
		if c.CallID != w.id || c.State != actors.CallStateEnded || c.EndTime == 0 || callStates(c.CallUserList)["alice"] != w.state {
			t.Fatalf("list[%d] = %+v, want %s with alice %d", i, c, w.id, w.state)
		}
	}
}

func TestCallErrorsOverTheWire(t *testing.T) {
	e := startEnv(t)
	e.registered("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
	alice := e.login("alice", false, 0)
	eve := e.login("eve", true, 0)
	_, err := alice.CallInvite(ctx(t), []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"}, general(30))
	wantCode(t, "ten users", err, 6000270)
	_, err = alice.CallInvite(ctx(t), []string{"ghost"}, general(30))
	wantCode(t, "unregistered invitee", err, 6000281)
	_, err = alice.CallInvite(ctx(t), []string{"u1"}, general(0))
	wantCode(t, "no timeout", err, 6000001)
	err = alice.Call(ctx(t), messages.MethodCallInvite.Name, &messages.CallInviteParams{CallID: "123", Invitees: []string{"u1"}, Config: general(30)}, &messages.CallInvitationSentResult{})
	wantCode(t, "a client-made call ID", err, 6000001)
	_, err = alice.CallAccept(ctx(t), "12345", nil)
	wantCode(t, "unknown call", err, 6000276)
	_, err = alice.CallAccept(ctx(t), "not-a-number", nil)
	wantCode(t, "bad call ID", err, 6000001)
	res, err := alice.CallInvite(ctx(t), []string{"u1", "ghost"}, &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 30})
	noErr(t, "callInvite", err)
	if len(res.ErrorUserList) != 1 || res.ErrorUserList[0].UserID != "ghost" || res.ErrorUserList[0].Reason != 6000281 {
		t.Fatalf("errorUserList %+v", res.ErrorUserList)
	}
	_, err = eve.CallAccept(ctx(t), res.CallID, nil)
	wantCode(t, "not invited", err, 6000274)
	_, err = eve.CallingInvite(ctx(t), []string{"u2"}, res.CallID, nil)
	wantCode(t, "callingInvite from outside", err, 6000274)
	_, err = eve.CallEnd(ctx(t), res.CallID, nil)
	wantCode(t, "callEnd from outside", err, 6000274)
	_, err = alice.CallJoin(ctx(t), res.CallID, nil)
	wantCode(t, "join from the device already in the call", err, 6000283)
	// parley has no experimental API
	err = alice.Call(ctx(t), "callExperimentalAPI", &messages.Empty{}, &messages.Empty{})
	wantCode(t, "callExperimentalAPI", err, 6000013)
}

func TestCallAdvancedFourPartyWithLateInvite(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	carol := e.login("carol", false, 0)
	dave := e.login("dave", true, 0)
	erin := e.login("erin", false, 0)
	res, err := alice.CallInvite(ctx(t), []string{"bob", "carol"}, &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 60, ExtendedData: "meet"})
	noErr(t, "callInvite", err)
	id := res.CallID
	for _, s := range []*session{bob, carol} {
		waitEvent(t, s, "callInvitationReceived", ofCall(id))
		_, err := s.CallAccept(ctx(t), id, nil)
		noErr(t, "callAccept "+s.user, err)
	}
	waitEvent(t, alice, "callUserStateChanged", stateIs(id, "carol", actors.CallUserAccepted))
	// a late invitation by bob, who is in the call
	inv, err := bob.CallingInvite(ctx(t), []string{"dave"}, id, nil)
	noErr(t, "callingInvite", err)
	if len(inv.ErrorUserList) != 0 {
		t.Fatalf("callingInvite %+v", inv)
	}
	recv := waitEvent(t, dave, "callInvitationReceived", ofCall(id)).(*messages.CallInvitationReceivedEvent)
	if recv.Inviter != "bob" || recv.Caller != "alice" || recv.Mode != actors.CallModeAdvanced || len(recv.CallUserList) != 4 {
		t.Fatalf("late invitation %+v", recv)
	}
	waitEvent(t, carol, "callUserStateChanged", stateIs(id, "dave", actors.CallUserInviting))
	_, err = dave.CallAccept(ctx(t), id, nil)
	noErr(t, "dave accepts", err)
	waitEvent(t, alice, "callUserStateChanged", stateIs(id, "dave", actors.CallUserAccepted))
	// erin joins uninvited; bob quits; the call goes on with four
	join, err := erin.CallJoin(ctx(t), id, &messages.CallActionConfig{ExtendedData: "hi"})
	noErr(t, "callJoin", err)
	if join.ExtendedData != "meet" || len(join.CallUserList) != 5 || join.JoinTime == 0 {
		t.Fatalf("join %+v", join)
	}
	waitEvent(t, dave, "callUserStateChanged", stateIs(id, "erin", actors.CallUserAccepted))
	quit, err := bob.CallQuit(ctx(t), id, nil)
	noErr(t, "callQuit", err)
	if quit.QuitTime < quit.AcceptTime || quit.CreateTime == 0 {
		t.Fatalf("quit %+v", quit)
	}
	waitEvent(t, erin, "callUserStateChanged", stateIs(id, "bob", actors.CallUserQuit))
	// bob may come back
	_, err = bob.CallJoin(ctx(t), id, nil)
	noErr(t, "bob joins again", err)
	waitEvent(t, alice, "callUserStateChanged", stateIs(id, "bob", actors.CallUserAccepted))
	end, err := dave.CallEnd(ctx(t), id, &messages.CallActionConfig{ExtendedData: "done"})
	noErr(t, "callEnd", err)
	for _, s := range []*session{alice, bob, carol, dave, erin} {
		ev := waitEvent(t, s, "callInvitationEnded", ofCall(id)).(*messages.CallInvitationEndedEvent)
		if ev.OperatedUserID != "dave" || ev.ExtendedData != "done" || ev.EndTime != end.EndTime || ev.Caller != "alice" {
			t.Fatalf("%s: ended %+v", s.user, ev)
		}
	}
	_, err = erin.CallQuit(ctx(t), id, nil)
	wantCode(t, "quit an ended call", err, 6000276)
	list, err := carol.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 1})
	noErr(t, "queryCallInvitationList", err)
	if len(list.CallList) != 1 || list.CallList[0].State != actors.CallStateEnded || callStates(list.CallList[0].CallUserList)["carol"] != actors.CallUserEnded {
		t.Fatalf("list %+v", list)
	}
}

func TestCallInviteeWithTwoDevicesAndOfflineInvitee(t *testing.T) {
	e := startEnv(t)
	e.registered("carol")
	alice := e.login("alice", false, 0)
	alice2 := e.login("alice", true, 2) // the caller's other device
	web := e.login("bob", true, 6)
	phone := e.login("bob", false, 2)
	res, err := alice.CallInvite(ctx(t), []string{"bob", "carol"}, general(60))
	noErr(t, "callInvite", err)
	created := waitEvent(t, alice2, "callInvitationCreated", ofCall(res.CallID)).(*messages.CallInvitationCreatedEvent)
	if created.Caller != "alice" || len(created.CallUserList) != 3 {
		t.Fatalf("created %+v", created)
	}
	waitEvent(t, web, "callInvitationReceived", ofCall(res.CallID))
	waitEvent(t, phone, "callInvitationReceived", ofCall(res.CallID))
	_, err = phone.CallAccept(ctx(t), res.CallID, nil)
	noErr(t, "accept on the phone", err)
	// the web device learns the call was answered elsewhere
	waitEvent(t, web, "callUserStateChanged", stateIs(res.CallID, "bob", actors.CallUserAccepted))
	_, err = web.CallAccept(ctx(t), res.CallID, nil)
	wantCode(t, "answer twice", err, 6000270)
	if n := alice.rec.count("callInvitationCreated", nil); n != 0 {
		t.Fatalf("the calling device got callInvitationCreated %d times", n)
	}
	// carol was offline: she finds the live invitation when she comes back
	carol := e.login("carol", false, 0)
	// her new device is told of the call going on (everyone's states at once), and the
	// caller sees her invitation received
	sync := waitEvent(t, carol, "callUserStateChanged", stateIs(res.CallID, "carol", actors.CallUserInviting)).(*messages.CallUserStateChangedEvent)
	if s := callStates(sync.CallUserList); len(s) != 3 || s["bob"] != actors.CallUserAccepted || s["alice"] != actors.CallUserAccepted {
		t.Fatalf("sync on login %+v", sync)
	}
	waitEvent(t, alice, "callUserStateChanged", stateIs(res.CallID, "carol", actors.CallUserReceived))
	list, err := carol.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 10})
	noErr(t, "queryCallInvitationList", err)
	if len(list.CallList) != 1 || list.CallList[0].CallID != res.CallID || list.CallList[0].State != actors.CallStateStarted ||
		callStates(list.CallList[0].CallUserList)["carol"] != actors.CallUserReceived || list.CallList[0].Inviter != "alice" {
		t.Fatalf("carol's list %+v", list)
	}
	_, err = carol.CallReject(ctx(t), res.CallID, nil)
	noErr(t, "carol rejects", err)
	waitEvent(t, alice2, "callUserStateChanged", stateIs(res.CallID, "carol", actors.CallUserRejected))
}

func TestCallTimeoutAcrossRestart(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	e.registered("bob")
	res, err := alice.CallInvite(ctx(t), []string{"bob"}, general(3))
	noErr(t, "callInvite", err)
	accepted, err := alice.CallInvite(ctx(t), []string{"bob"}, &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 60})
	noErr(t, "callInvite", err)
	e.restart()
	// only the caller comes back: nothing talks to the first call, whose timer died with
	// the node; the sweeper wakes it
	alice = e.login("alice", false, 0)
	m, ok := alice.rec.waitFor("callInviteesAnsweredTimeout", ofCall(res.CallID), 20*time.Second)
	if !ok {
		t.Fatal("no callInviteesAnsweredTimeout after the restart")
	}
	if inv := m.(*messages.CallInviteesAnsweredTimeoutEvent).Invitees; len(inv) != 1 || inv[0] != "bob" {
		t.Fatalf("answered timeout %+v", m)
	}
	waitEvent(t, alice, "callUserStateChanged", stateIs(res.CallID, "bob", actors.CallUserTimeout))
	bob := e.login("bob", true, 0)
	// bob's device is told of the advanced call still waiting for him, not of the other
	waitEvent(t, bob, "callUserStateChanged", stateIs(accepted.CallID, "bob", actors.CallUserInviting))
	_, err = bob.CallAccept(ctx(t), accepted.CallID, nil)
	noErr(t, "accept after the restart", err)
	if n := bob.rec.count("callUserStateChanged", ofCall(res.CallID)); n != 0 {
		t.Fatalf("bob was told of the call that timed out (%d)", n)
	}
	list, err := bob.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 10})
	noErr(t, "queryCallInvitationList", err)
	if len(list.CallList) != 2 {
		t.Fatalf("list %+v", list)
	}
	byID := map[string]*messages.CallInfo{}
	for _, c := range list.CallList {
		byID[c.CallID] = c
	}
	if c := byID[res.CallID]; c.State != actors.CallStateEnded || callStates(c.CallUserList)["bob"] != actors.CallUserTimeout {
		t.Fatalf("timed out call %+v", c)
	}
	if c := byID[accepted.CallID]; c.State != actors.CallStateStarted || callStates(c.CallUserList)["bob"] != actors.CallUserAccepted {
		t.Fatalf("accepted call %+v", c)
	}
	// after another restart both calls read back as they were stored; bob leaves the
	// advanced call, which ends it (alice would be alone)
	e.restart()
	alice = e.login("alice", false, 0)
	bob = e.login("bob", false, 0)
	_, err = bob.CallQuit(ctx(t), accepted.CallID, nil)
	noErr(t, "quit after the second restart", err)
	waitEvent(t, alice, "callInvitationEnded", ofCall(accepted.CallID))
	list, err = alice.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 10})
	noErr(t, "queryCallInvitationList", err)
	if len(list.CallList) != 2 || list.CallList[0].State != actors.CallStateEnded || list.CallList[1].State != actors.CallStateEnded ||
		callStates(list.CallList[1].CallUserList)["bob"] != actors.CallUserTimeout {
		t.Fatalf("list after the second restart %+v", list)
	}
}

// TestCallTimeoutAfterPassivation: the call actor passivates (idle 100 ms) long before its
// invitee's 2 s timeout; the timer reaches the next activation, which times the
// invitation out once.
func TestCallTimeoutAfterPassivation(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.IdleTimeout = 100 * time.Millisecond }))
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	res, err := alice.CallInvite(ctx(t), []string{"bob"}, &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 2})
	noErr(t, "callInvite", err)
	waitEvent(t, bob, "callInvitationReceived", ofCall(res.CallID))
	if _, ok := bob.rec.waitFor("callInvitationTimeout", ofCall(res.CallID), 10*time.Second); !ok {
		t.Fatal("no callInvitationTimeout")
	}
	// alone in an advanced call: it ended with the timeout
	ended := waitEvent(t, alice, "callInvitationEnded", ofCall(res.CallID)).(*messages.CallInvitationEndedEvent)
	if ended.OperatedUserID != "" {
		t.Fatalf("ended %+v", ended)
	}
	_, err = bob.CallAccept(ctx(t), res.CallID, nil)
	wantCode(t, "accept after the timeout", err, 6000276)
	if n := bob.rec.count("callInvitationTimeout", nil); n != 1 {
		t.Fatalf("%d callInvitationTimeout events", n)
	}
}

// TestCallUserOffline: a user in an advanced call whose only device disconnects becomes
// offline after the grace (here 300 ms); with one user left the call ends.
func TestCallUserOffline(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.CallOfflineGrace = 300 * time.Millisecond }))
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	res, err := alice.CallInvite(ctx(t), []string{"bob"}, &messages.CallInviteConfig{Mode: actors.CallModeAdvanced, Timeout: 60})
	noErr(t, "callInvite", err)
	waitEvent(t, bob, "callInvitationReceived", ofCall(res.CallID))
	_, err = bob.CallAccept(ctx(t), res.CallID, nil)
	noErr(t, "callAccept", err)
	_ = bob.Close()
	waitEvent(t, alice, "callUserStateChanged", stateIs(res.CallID, "bob", actors.CallUserOffline))
	ended := waitEvent(t, alice, "callInvitationEnded", ofCall(res.CallID)).(*messages.CallInvitationEndedEvent)
	if ended.OperatedUserID != "" {
		t.Fatalf("ended %+v", ended)
	}
	list, err := alice.QueryCallInvitationList(ctx(t), &messages.CallInvitationQueryConfig{Count: 1})
	noErr(t, "queryCallInvitationList", err)
	if s := callStates(list.CallList[0].CallUserList); list.CallList[0].State != actors.CallStateEnded || s["bob"] != actors.CallUserOffline || s["alice"] != actors.CallUserEnded {
		t.Fatalf("list %+v", list)
	}
}
