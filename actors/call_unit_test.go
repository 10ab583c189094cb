package actors

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// userEvent is one event a call actor asked a user actor to push.
type userEvent struct {
	user, name string
	payload    proto.Message
	except     uint64
	invitation bool // a CallInvitationPush (the user actor reports a device that got it)
}

// takeUserEvents decodes what the kinds sent to user actors to push.
func (w *unitWorld) takeUserEvents() []userEvent {
	w.tb.Helper()
	var out []userEvent
	for _, s := range w.rec.takeSends() {
		var push *messages.Push
		ev := userEvent{user: s.identity}
		switch m := s.msg.(type) {
		case *messages.UserPush:
			push, ev.except = m.Push, m.ExceptConnID
		case *messages.CallInvitationPush:
			push, ev.invitation = m.Push, true
		default:
			continue
		}
		spec := messages.LookupEvent(push.Event)
		if spec == nil {
			w.tb.Fatalf("unknown event %s", push.Event)
		}
		ev.name, ev.payload = push.Event, spec.NewPayload()
		if err := proto.Unmarshal(push.Data, ev.payload); err != nil {
			w.tb.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// eventsTo lists the names of the events for user, in order.
func eventsTo(evs []userEvent, user string) []string {
	var out []string
	for _, e := range evs {
		if e.user == user {
			out = append(out, e.name)
		}
	}
	return out
}

func findEvent(evs []userEvent, user, name string) proto.Message {
	for _, e := range evs {
		if e.user == user && e.name == name {
			return e.payload
		}
	}
	return nil
}

func wantEvents(t *testing.T, evs []userEvent, user string, want ...string) {
	t.Helper()
	got := eventsTo(evs, user)
	if len(got) != len(want) {
		t.Fatalf("events to %s: got %v, want %v", user, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("events to %s: got %v, want %v", user, got, want)
		}
	}
}

// states maps each user of a callUserList to its state.
func states(list []*messages.CallUserInfo) map[string]int32 {
	out := map[string]int32{}
	for _, u := range list {
		out[u.UserID] = u.State
	}
	return out
}

// advance moves the world's clock and the grain's timers together.
func (u *unitGrain) advance(d time.Duration) {
	u.w.now = u.w.now.Add(d)
	u.Advance(d)
	u.Drain()
}

func (w *unitWorld) invite(id, caller string, mode, timeout int32, invitees ...string) (*unitGrain, *messages.CallInvitationSentResult) {
	w.tb.Helper()
	g := w.grain(KindCall, id)
	res := &messages.CallInvitationSentResult{}
	g.mustCall(caller, "callInvite", &messages.CallInviteParams{CallID: id, Invitees: invitees,
		Config: &messages.CallInviteConfig{Mode: mode, Timeout: timeout, ExtendedData: "x"}}, res)
	return g, res
}

func callState(t *testing.T, w *unitWorld, id string) *messages.CallRecord {
	t.Helper()
	g := w.grain(KindCall, id)
	return g.H.(*kindAdapter).h.(*callActor).rec
}

func TestCallInviteAcceptGeneral(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g, res := w.invite("100", "alice", CallModeGeneral, 30, "bob", "ghost")
	if res.CallID != "100" || res.Timeout != 30 || len(res.ErrorUserList) != 1 || res.ErrorUserList[0].UserID != "ghost" || res.ErrorUserList[0].Reason != 6000281 {
		t.Fatalf("result %+v", res)
	}
	evs := w.takeUserEvents()
	wantEvents(t, evs, "bob", "callInvitationReceived")
	wantEvents(t, evs, "alice", "callInvitationCreated")
	recv := findEvent(evs, "bob", "callInvitationReceived").(*messages.CallInvitationReceivedEvent)
	if recv.Caller != "alice" || recv.Inviter != "alice" || recv.Timeout != 30 || recv.ExtendedData != "x" ||
		states(recv.CallUserList)["bob"] != CallUserInviting || states(recv.CallUserList)["alice"] != CallUserAccepted {
		t.Fatalf("received %+v", recv)
	}
	if evs[1].except != 1 {
		t.Fatalf("callInvitationCreated should skip the calling connection: %+v", evs[1])
	}
	// bob's device got it: received
	g.Tell(&messages.CallReceived{UserID: "bob"})
	evs = w.takeUserEvents()
	wantEvents(t, evs, "alice", "callUserStateChanged")
	wantEvents(t, evs, "bob", "callUserStateChanged")
	if s := states(findEvent(evs, "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent).CallUserList); s["bob"] != CallUserReceived {
		t.Fatalf("states %v", s)
	}
	// someone not invited cannot answer
	w.users("carol")
	wantCode(t, g.call("carol", "callAccept", &messages.CallActionParams{CallID: "100"}, nil), ErrCallNotInvitee)
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "100", Config: &messages.CallActionConfig{ExtendedData: "yes"}}, nil)
	evs = w.takeUserEvents()
	wantEvents(t, evs, "alice", "callInvitationAccepted", "callUserStateChanged")
	wantEvents(t, evs, "bob", "callUserStateChanged") // bob's other devices learn it was answered
	// a general call ends once no one is waiting for an answer: answering again fails
	wantCode(t, g.call("bob", "callReject", &messages.CallActionParams{CallID: "100"}, nil), ErrCallNotExist)
	rec := callState(t, w, "100")
	if rec.State != CallStateEnded || findUser(rec, "bob").State != CallUserAccepted || findUser(rec, "bob").ExtendedData != "yes" || rec.Wake != 0 {
		t.Fatalf("record %+v", rec)
	}
	// the deadline index entry is gone
	if n := w.rt.sweepCalls(w.now.Add(time.Hour)); n != 0 {
		t.Fatalf("sweeper woke %d calls", n)
	}
}

func TestCallInviteChecks(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8")
	g := w.grain(KindCall, "7")
	inv := func(invitees []string, cfg *messages.CallInviteConfig) error {
		return g.call("alice", "callInvite", &messages.CallInviteParams{CallID: "7", Invitees: invitees, Config: cfg}, nil)
	}
	ok := &messages.CallInviteConfig{Timeout: 10}
	wantCode(t, inv(nil, ok), ErrParamInvalid)
	wantCode(t, inv([]string{"bob"}, nil), ErrParamInvalid)
	wantCode(t, inv([]string{"bob"}, &messages.CallInviteConfig{Timeout: 0}), ErrParamInvalid)
	wantCode(t, inv([]string{"bob"}, &messages.CallInviteConfig{Timeout: 601}), ErrParamInvalid)
	wantCode(t, inv([]string{"bob"}, &messages.CallInviteConfig{Timeout: 10, Mode: 2}), ErrParamInvalid)
	wantCode(t, inv([]string{"alice"}, ok), ErrParamInvalid)
	wantCode(t, inv([]string{"ghost", "nobody"}, ok), ErrCallInviteesNotExist)
	wantCode(t, inv([]string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "bob"}, ok), ErrCallTooManyUsers)
	// duplicates count once
	if err := inv([]string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u8", "u1"}, ok); err != nil {
		t.Fatal(err)
	}
	// the call exists now: someone else cannot make it again
	wantCode(t, g.call("bob", "callInvite", &messages.CallInviteParams{CallID: "7", Invitees: []string{"u1"}, Config: ok}, nil), ErrCallExists)
	// unknown call
	wantCode(t, w.grain(KindCall, "8").call("bob", "callAccept", &messages.CallActionParams{CallID: "8"}, nil), ErrCallNotExist)
	// general mode: no callingInvite, callJoin, callQuit, callEnd
	for _, m := range []string{"callJoin", "callQuit", "callEnd"} {
		wantCode(t, g.call("alice", m, &messages.CallActionParams{CallID: "7"}, nil), ErrCallNotAdvanced)
	}
	wantCode(t, g.call("alice", "callingInvite", &messages.CallingInviteParams{CallID: "7", Invitees: []string{"bob"}}, nil), ErrCallNotAdvanced)
	// cancelling: only the caller or an inviter
	wantCode(t, g.call("u1", "callCancel", &messages.CallCancelParams{CallID: "7"}, nil), ErrCallNotInviter)
	wantCode(t, g.call("alice", "callCancel", &messages.CallCancelParams{CallID: "7", Invitees: []string{"bob"}}, nil), ErrCallCancel)
}

func TestCallRejectAndCancel(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	g, _ := w.invite("1", "alice", CallModeGeneral, 30, "bob", "carol")
	w.takeUserEvents()
	g.mustCall("bob", "callReject", &messages.CallActionParams{CallID: "1", Config: &messages.CallActionConfig{ExtendedData: "busy"}}, nil)
	evs := w.takeUserEvents()
	wantEvents(t, evs, "alice", "callInvitationRejected", "callUserStateChanged")
	wantEvents(t, evs, "carol", "callUserStateChanged")
	wantCode(t, g.call("bob", "callAccept", &messages.CallActionParams{CallID: "1"}, nil), ErrCallNotPending)
	res := &messages.CallCancelSentResult{}
	g.mustCall("alice", "callCancel", &messages.CallCancelParams{CallID: "1", Invitees: []string{"bob", "carol"}}, res)
	if len(res.ErrorInvitees) != 1 || res.ErrorInvitees[0] != "bob" {
		t.Fatalf("cancel result %+v", res)
	}
	evs = w.takeUserEvents()
	wantEvents(t, evs, "carol", "callInvitationCancelled", "callUserStateChanged")
	s := states(findEvent(evs, "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent).CallUserList)
	if s["carol"] != CallUserBeCancelled || s["alice"] != CallUserCancelled {
		t.Fatalf("states %v", s)
	}
	if rec := callState(t, w, "1"); rec.State != CallStateEnded || rec.EndTime == 0 {
		t.Fatalf("call %+v", rec)
	}
	wantCode(t, g.call("alice", "callCancel", &messages.CallCancelParams{CallID: "1"}, nil), ErrCallNotExist)
}

func TestCallTimeoutOnceAcrossActivations(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g, _ := w.invite("5", "alice", CallModeGeneral, 10, "bob")
	w.takeUserEvents()
	g.advance(9 * time.Second)
	if evs := w.takeUserEvents(); len(evs) != 0 {
		t.Fatalf("early events %+v", evs)
	}
	// the actor passivates; its deadline passes while it sleeps; the next activation
	// acts at once
	w.now = w.now.Add(2 * time.Second)
	g2 := w.grain(KindCall, "5")
	g2.Drain()
	evs := w.takeUserEvents()
	wantEvents(t, evs, "bob", "callInvitationTimeout", "callUserStateChanged")
	wantEvents(t, evs, "alice", "callInviteesAnsweredTimeout", "callUserStateChanged")
	if s := states(findEvent(evs, "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent).CallUserList); s["bob"] != CallUserTimeout {
		t.Fatalf("states %v", s)
	}
	// the old activation's timer and another activation do nothing more
	g.advance(5 * time.Second)
	g3 := w.grain(KindCall, "5")
	g3.Drain()
	g3.Tell(&messages.CallWake{})
	if evs := w.takeUserEvents(); len(evs) != 0 {
		t.Fatalf("the timeout was acted on twice: %+v", evs)
	}
	wantCode(t, g3.call("bob", "callAccept", &messages.CallActionParams{CallID: "5"}, nil), ErrCallNotExist)
}

func TestCallTimerFiresInTheActivation(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	g, _ := w.invite("6", "alice", CallModeAdvanced, 10, "bob", "carol")
	w.takeUserEvents()
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "6"}, nil)
	w.takeUserEvents()
	g.advance(10 * time.Second)
	evs := w.takeUserEvents()
	wantEvents(t, evs, "carol", "callInvitationTimeout", "callUserStateChanged")
	// alice and bob are still in the call
	if rec := callState(t, w, "6"); rec.State != CallStateStarted || findUser(rec, "carol").State != CallUserTimeout {
		t.Fatalf("call %+v", rec)
	}
}

func TestCallNotReceivedCheck(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.grain(KindCall, "9")
	g.mustCall("alice", "callInvite", &messages.CallInviteParams{CallID: "9", Invitees: []string{"bob"},
		Config: &messages.CallInviteConfig{Timeout: 60, EnableNotReceivedCheck: true}}, nil)
	w.takeUserEvents()
	g.advance(CallNotReceivedDelay)
	evs := w.takeUserEvents()
	if s := states(findEvent(evs, "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent).CallUserList); s["bob"] != CallUserNotYetReceived {
		t.Fatalf("states %v", s)
	}
	// it arrives later: received; and it can still be answered
	g.Tell(&messages.CallReceived{UserID: "bob"})
	if s := states(findEvent(w.takeUserEvents(), "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent).CallUserList); s["bob"] != CallUserReceived {
		t.Fatalf("states %v", s)
	}
	g.mustCall("bob", "callReject", &messages.CallActionParams{CallID: "9"}, nil)
}

func TestCallAdvancedFourParty(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol", "dave", "erin")
	g, _ := w.invite("42", "alice", CallModeAdvanced, 30, "bob", "carol")
	w.takeUserEvents()
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "42"}, nil)
	g.mustCall("carol", "callAccept", &messages.CallActionParams{CallID: "42"}, nil)
	w.takeUserEvents()
	// a late invitation by a user in the call
	wantCode(t, g.call("dave", "callingInvite", &messages.CallingInviteParams{CallID: "42", Invitees: []string{"erin"}}, nil), ErrCallNotInvitee)
	res := &messages.CallingInvitationSentResult{}
	g.mustCall("bob", "callingInvite", &messages.CallingInviteParams{CallID: "42", Invitees: []string{"dave", "carol", "ghost"}}, res)
	if len(res.ErrorUserList) != 2 {
		t.Fatalf("callingInvite result %+v", res)
	}
	evs := w.takeUserEvents()
	recv := findEvent(evs, "dave", "callInvitationReceived").(*messages.CallInvitationReceivedEvent)
	if recv.Inviter != "bob" || recv.Caller != "alice" || len(recv.CallUserList) != 4 {
		t.Fatalf("received %+v", recv)
	}
	for _, u := range []string{"alice", "bob", "carol"} {
		wantEvents(t, evs, u, "callUserStateChanged")
	}
	g.mustCall("dave", "callAccept", &messages.CallActionParams{CallID: "42"}, nil)
	w.takeUserEvents()
	// erin joins without an invitation; joining again from the same device is refused,
	// from another device switches the device
	join := &messages.CallJoinSentResult{}
	g.mustCall("erin", "callJoin", &messages.CallActionParams{CallID: "42"}, join)
	if len(join.CallUserList) != 5 || states(join.CallUserList)["erin"] != CallUserAccepted || join.ExtendedData != "x" {
		t.Fatalf("join %+v", join)
	}
	wantCode(t, g.call("erin", "callJoin", &messages.CallActionParams{CallID: "42"}, nil), ErrCallAlreadyIn)
	raw, _ := proto.Marshal(&messages.CallActionParams{CallID: "42"})
	rep, _ := g.Request(&messages.Call{Method: "callJoin", UserID: "erin", Params: raw, Conn: conn(2)})
	if rep.Code != 0 {
		t.Fatalf("join from another device: %d %s", rep.Code, rep.Message)
	}
	w.takeUserEvents()
	// bob quits; carol ends the call for everyone
	quit := &messages.CallQuitSentResult{}
	g.mustCall("bob", "callQuit", &messages.CallActionParams{CallID: "42"}, quit)
	if quit.QuitTime == 0 || quit.AcceptTime == 0 {
		t.Fatalf("quit %+v", quit)
	}
	wantCode(t, g.call("bob", "callEnd", &messages.CallActionParams{CallID: "42"}, nil), ErrCallNotAccepted)
	w.takeUserEvents()
	end := &messages.CallEndSentResult{}
	g.mustCall("carol", "callEnd", &messages.CallActionParams{CallID: "42", Config: &messages.CallActionConfig{ExtendedData: "bye"}}, end)
	evs = w.takeUserEvents()
	for _, u := range []string{"alice", "carol", "dave", "erin"} {
		wantEvents(t, evs, u, "callUserStateChanged", "callInvitationEnded")
		ended := findEvent(evs, u, "callInvitationEnded").(*messages.CallInvitationEndedEvent)
		if ended.OperatedUserID != "carol" || ended.ExtendedData != "bye" || ended.EndTime != end.EndTime || ended.Caller != "alice" {
			t.Fatalf("ended %+v", ended)
		}
	}
	wantEvents(t, evs, "bob")
	rec := callState(t, w, "42")
	if rec.State != CallStateEnded || findUser(rec, "bob").State != CallUserQuit || findUser(rec, "dave").State != CallUserEnded {
		t.Fatalf("call %+v", rec)
	}
}

func TestCallCancelByAnotherInviter(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol", "dave")
	g, _ := w.invite("77", "alice", CallModeAdvanced, 30, "bob", "carol")
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "77"}, nil)
	g.mustCall("bob", "callingInvite", &messages.CallingInviteParams{CallID: "77", Invitees: []string{"dave"}}, nil)
	w.takeUserEvents()
	// bob may cancel the invitation he made, not alice's
	res := &messages.CallCancelSentResult{}
	g.mustCall("bob", "callCancel", &messages.CallCancelParams{CallID: "77", Invitees: []string{"dave", "carol"}}, res)
	if len(res.ErrorInvitees) != 1 || res.ErrorInvitees[0] != "carol" {
		t.Fatalf("cancel %+v", res)
	}
	evs := w.takeUserEvents()
	canc := findEvent(evs, "dave", "callInvitationCancelled").(*messages.CallInvitationCancelledEvent)
	if canc.Inviter != "bob" || canc.Mode != CallModeAdvanced {
		t.Fatalf("cancelled %+v", canc)
	}
	wantCode(t, g.call("carol", "callCancel", &messages.CallCancelParams{CallID: "77"}, nil), ErrCallNotInviter)
	// the caller cancels the rest (carol); alice and bob are still in the call
	g.mustCall("alice", "callCancel", &messages.CallCancelParams{CallID: "77"}, nil)
	rec := callState(t, w, "77")
	if rec.State != CallStateStarted || findUser(rec, "carol").State != CallUserBeCancelled || findUser(rec, "alice").State != CallUserAccepted {
		t.Fatalf("call %+v", rec)
	}
}

func TestCallAdvancedEndsWhenAlone(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g, _ := w.invite("3", "alice", CallModeAdvanced, 30, "bob")
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "3"}, nil)
	w.takeUserEvents()
	g.mustCall("alice", "callQuit", &messages.CallActionParams{CallID: "3"}, nil)
	evs := w.takeUserEvents()
	wantEvents(t, evs, "bob", "callUserStateChanged", "callInvitationEnded")
	if rec := callState(t, w, "3"); rec.State != CallStateEnded || findUser(rec, "bob").State != CallUserEnded {
		t.Fatalf("call %+v", rec)
	}
}

func TestCallInvitationListAndSweeper(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	for i, id := range []string{"11", "12", "13"} {
		w.invite(id, "alice", CallModeGeneral, int32(10+i), "bob")
		w.now = w.now.Add(time.Millisecond)
	}
	w.takeUserEvents()
	u := w.grain(KindUser, "bob")
	page := &messages.CallInvitationListQueriedResult{}
	u.mustCall("bob", "queryCallInvitationList", &messages.CallInvitationListQueryParams{Config: &messages.CallInvitationQueryConfig{Count: 2}}, page)
	if len(page.CallList) != 2 || page.CallList[0].CallID != "13" || page.CallList[1].CallID != "12" || page.NextFlag == 0 {
		t.Fatalf("page 1 %+v", page)
	}
	first := page.CallList[0]
	if first.Caller != "alice" || first.Inviter != "alice" || first.State != CallStateStarted || states(first.CallUserList)["bob"] != CallUserInviting {
		t.Fatalf("call info %+v", first)
	}
	next := &messages.CallInvitationListQueriedResult{}
	u.mustCall("bob", "queryCallInvitationList", &messages.CallInvitationListQueryParams{Config: &messages.CallInvitationQueryConfig{Count: 2, NextFlag: page.NextFlag}}, next)
	if len(next.CallList) != 1 || next.CallList[0].CallID != "11" || next.NextFlag != 0 {
		t.Fatalf("page 2 %+v", next)
	}
	wantCode(t, u.call("bob", "queryCallInvitationList", &messages.CallInvitationListQueryParams{}, nil), ErrParamInvalid)
	// the sweeper wakes the calls whose deadline passed, and only those
	w.rec.takeSends()
	if n := w.rt.sweepCalls(w.now.Add(10 * time.Second)); n != 1 {
		t.Fatalf("swept %d calls, want 1", n)
	}
	s := w.rec.takeSends()
	if len(s) != 1 || s[0].kind != KindCall || s[0].identity != "11" {
		t.Fatalf("sweeper sent %+v", s)
	}
	if _, ok := s[0].msg.(*messages.CallWake); !ok {
		t.Fatalf("sweeper sent %T", s[0].msg)
	}
}

func TestCallInvitationPushReportsReceived(t *testing.T) {
	w := newUnitWorld(t)
	w.users("bob")
	u := w.grain(KindUser, "bob")
	push := &messages.Push{Event: "callInvitationReceived"}
	u.Tell(&messages.CallInvitationPush{CallID: "1", Push: push})
	if s := w.rec.takeSends(); len(s) != 0 {
		t.Fatalf("an offline user reported receiving: %+v", s)
	}
	rep, _ := u.Request(&messages.RegisterDevice{Conn: conn(5)})
	_ = rep
	w.rec.takeSends()
	u.Tell(&messages.CallInvitationPush{CallID: "1", Push: push})
	s := w.rec.takeSends()
	found := false
	for _, m := range s {
		if r, ok := m.msg.(*messages.CallReceived); ok && m.identity == "1" && r.UserID == "bob" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no CallReceived: %+v", s)
	}
}

func TestCallDeviceSyncOnLogin(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	g, _ := w.invite("21", "alice", CallModeGeneral, 60, "bob")
	w.invite("22", "alice", CallModeGeneral, 60, "carol") // not bob's
	g3, _ := w.invite("23", "alice", CallModeGeneral, 60, "bob")
	g3.mustCall("bob", "callReject", &messages.CallActionParams{CallID: "23"}, nil) // ended
	w.takeUserEvents()
	w.rec.takePushes()
	u := w.grain(KindUser, "bob")
	u.Request(&messages.RegisterDevice{Conn: conn(9)})
	u.Drain()
	var got []*messages.CallUserStateChangedEvent
	for _, d := range w.rec.takePushes() {
		if d.Push.Event != "callUserStateChanged" {
			continue
		}
		if len(d.ConnIDs) != 1 || d.ConnIDs[0] != 9 {
			t.Fatalf("sync went to %v", d.ConnIDs)
		}
		ev := &messages.CallUserStateChangedEvent{}
		if err := proto.Unmarshal(d.Push.Data, ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if len(got) != 1 || got[0].CallID != "21" || states(got[0].CallUserList)["bob"] != CallUserInviting || len(got[0].CallUserList) != 2 {
		t.Fatalf("sync %+v", got)
	}
	var received []sent
	for _, s := range w.rec.takeSends() {
		if _, ok := s.msg.(*messages.CallReceived); ok {
			received = append(received, s)
		}
	}
	if len(received) != 1 || received[0].identity != "21" {
		t.Fatalf("CallReceived sent %+v", received)
	}
	g.Tell(received[0].msg)
	if rec := callState(t, w, "21"); findUser(rec, "bob").State != CallUserReceived {
		t.Fatalf("call %+v", rec)
	}
	// the same device registering again is not synced again
	u.Request(&messages.RegisterDevice{Conn: conn(9)})
	u.Drain()
	for _, d := range w.rec.takePushes() {
		if d.Push.Event == "callUserStateChanged" {
			t.Fatal("synced twice")
		}
	}
}

func TestCallUserOffline(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob", "carol")
	g, _ := w.invite("31", "alice", CallModeAdvanced, 60, "bob", "carol")
	g.mustCall("bob", "callAccept", &messages.CallActionParams{CallID: "31"}, nil)
	g.mustCall("carol", "callAccept", &messages.CallActionParams{CallID: "31"}, nil)
	w.takeUserEvents()
	grace := w.rt.Limits().CallOfflineGrace
	// bob's last device goes away and comes back within the grace: nothing happens
	g.Tell(&messages.CallUserDevices{UserID: "bob"})
	g.advance(grace / 2)
	g.Tell(&messages.CallUserDevices{UserID: "bob", Online: true})
	g.advance(grace)
	if evs := w.takeUserEvents(); len(evs) != 0 {
		t.Fatalf("events %+v", evs)
	}
	// carol's does not come back: offline once the grace passed (also for an activation
	// made after a passivation)
	g.Tell(&messages.CallUserDevices{UserID: "carol"})
	w.now = w.now.Add(grace)
	g2 := w.grain(KindCall, "31")
	g2.Drain()
	evs := w.takeUserEvents()
	ev := findEvent(evs, "alice", "callUserStateChanged").(*messages.CallUserStateChangedEvent)
	if s := states(ev.CallUserList); len(s) != 1 || s["carol"] != CallUserOffline {
		t.Fatalf("states %v", s)
	}
	wantEvents(t, evs, "carol", "callUserStateChanged")
	// carol may come back with callJoin
	g2.mustCall("carol", "callJoin", &messages.CallActionParams{CallID: "31"}, nil)
	w.takeUserEvents()
	// the user actor tells its calls when its last device goes away
	u := w.grain(KindUser, "bob")
	u.Request(&messages.RegisterDevice{Conn: conn(3)})
	u.Drain()
	w.rec.takeSends()
	u.Tell(&messages.UnregisterDevice{Conn: conn(3)})
	u.Drain()
	var told []sent
	for _, s := range w.rec.takeSends() {
		if m, ok := s.msg.(*messages.CallUserDevices); ok && !m.Online && m.UserID == "bob" {
			told = append(told, s)
		}
	}
	if len(told) != 1 || told[0].identity != "31" {
		t.Fatalf("calls told %+v", told)
	}
	// bob is the last but alice: alice and carol remain, the call goes on
	g2.Tell(told[0].msg)
	g2.advance(grace)
	rec := callState(t, w, "31")
	if rec.State != CallStateStarted || findUser(rec, "bob").State != CallUserOffline {
		t.Fatalf("call %+v", rec)
	}
	// carol quits: alice is alone, the call ends
	g2.mustCall("carol", "callQuit", &messages.CallActionParams{CallID: "31"}, nil)
	if rec := callState(t, w, "31"); rec.State != CallStateEnded || findUser(rec, "alice").State != CallUserEnded {
		t.Fatalf("call %+v", rec)
	}
}
