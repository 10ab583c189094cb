package actors

import (
	"errors"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Calls: one `call` actor per call invitation (identity: the server-made call ID). It
// owns the call's record (key "call"): mode, caller, timeout, extended data, the stored
// push config and every participant with its ZIMCallUserState. It is signalling only:
// parley carries no audio or video.
//
// Every change is one conditional write (the record compared with what this activation
// read, so two activations cannot fork a call) that also adds the user-side index entries
// of new participants (key "calu": what queryCallInvitationList reads in the user actor)
// and moves the call's deadline index entry (key "cald"): the earliest pending answer
// deadline or not-received check. The actor arms a timer (After) for it; the timer
// survives passivation (it reaches the next activation), an activation whose deadline
// already passed acts at once, and the node's sweeper (call_sweep.go) wakes calls whose
// deadline passed while no activation held a timer (a restart, a lost node). Acting on a
// deadline is written before anything is pushed and removes it, so it happens once.
//
// Pushes go to each participant's user actor (UserPush: all the user's devices, on any
// node); an invitation goes as CallInvitationPush, whose user actor tells the call when a
// device got it (the invitee's state becomes received).

// KindCall is the actor kind of calls.
const KindCall = "call"

// ZIMCallInvitationMode.
const (
	CallModeGeneral  = 0
	CallModeAdvanced = 1
)

// ZIMCallState.
const (
	CallStateStarted = 1
	CallStateEnded   = 2
)

// ZIMCallUserState.
const (
	CallUserInviting       = 0
	CallUserAccepted       = 1
	CallUserRejected       = 2
	CallUserCancelled      = 3
	CallUserOffline        = 4
	CallUserReceived       = 5
	CallUserTimeout        = 6
	CallUserQuit           = 7
	CallUserEnded          = 8
	CallUserNotYetReceived = 9
	CallUserBeCancelled    = 10
)

// Call limits (ZIM's where it states them: a call has at most 9 users).
const (
	CallMaxUsers          = 9    // the caller included
	CallMaxTimeout        = 600  // seconds
	CallExtendedDataBytes = 4096 // extendedData of the call and of each answer
	CallListMaxCount      = 100  // queryCallInvitationList page
	callMaxListed         = 100  // user IDs in one call's params (duplicates included)
	// CallNotReceivedDelay: with enableNotReceivedCheck, an invitee whose devices did not
	// get the invitation by then becomes notYetReceived.
	CallNotReceivedDelay = 5 * time.Second
)

// Call error codes (ZIMErrorCode 6000270–6000283; docs/PROTOCOL.md#calls).
var (
	ErrCallTooManyUsers     = codeErr(6000270, "a call has at most 9 users")
	ErrCallNotAdvanced      = codeErr(6000270, "only an advanced mode call allows this operation")
	ErrCallNotPending       = codeErr(6000270, "the user's invitation is no longer waiting for an answer")
	ErrCallNotAccepted      = codeErr(6000270, "the user is not in the call (not accepted)")
	ErrCallCancel           = codeErr(6000271, "no listed invitee can be cancelled")
	ErrCallNotInviter       = codeErr(6000273, "only the caller or the inviter can cancel an invitation")
	ErrCallNotInvitee       = codeErr(6000274, "the user is not invited to the call")
	ErrCallExists           = codeErr(6000275, "the call already exists")
	ErrCallNotExist         = codeErr(6000276, "the call does not exist or has ended")
	ErrCallInviteesNotExist = codeErr(6000281, "no invitee is a registered user")
	ErrCallAlreadyIn        = codeErr(6000283, "this device is already the user's device in the call")
)

// ValidCallID reports whether id can name a call: the decimal server-made IDs.
func ValidCallID(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// Keys of calls:
//
//	call  callID                       CallRecord
//	calu  userID createTime callID     (empty) the user's calls, for queryCallInvitationList
//	cald  deadline callID              callID: a call with a pending deadline (the sweeper's)
func keyCall(id string) []byte { return persistence.NewKey("call").Str(id).Bytes() }
func keyCallUser(user string, created int64, id string) []byte {
	return persistence.NewKey("calu").Str(user).U64(uint64(created)).Str(id).Bytes()
}
func keyCallUserPrefix(user string) []byte { return persistence.NewKey("calu").Str(user).Bytes() }
func keyCallUserBefore(user string, created int64) []byte {
	return persistence.NewKey("calu").Str(user).U64(uint64(created)).Bytes()
}
func keyCallWake(due int64, id string) []byte {
	return persistence.NewKey("cald").U64(uint64(due)).Str(id).Bytes()
}
func keyCallWakePrefix() []byte { return persistence.NewKey("cald").Bytes() }
func keyCallWakeBefore(due int64) []byte {
	return persistence.NewKey("cald").U64(uint64(due)).Bytes()
}

// callActor is one call.
type callActor struct {
	id      string
	rec     *messages.CallRecord // nil: no such call (yet)
	raw     []byte               // rec as stored (the condition of the next write)
	timerAt int64                // the deadline a timer is armed for (0: none)
}

func (c *callActor) activate(g *grain) error {
	c.id = g.ID()
	ctx, cancel := g.CallCtx()
	defer cancel()
	raw, err := g.rt.Store().Get(ctx, keyCall(c.id))
	if errors.Is(err, persistence.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	rec := &messages.CallRecord{}
	if err := proto.Unmarshal(raw, rec); err != nil {
		return errBadRecord
	}
	c.rec, c.raw = rec, raw
	c.arm(g)
	return nil
}

// canPassivate: always. A pending deadline's timer reaches the next activation, and the
// sweeper covers a node that restarted or left.
func (c *callActor) canPassivate(*grain) bool { return true }

func (c *callActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *messages.Call:
		return callMethods.serve(c, g, m)
	case *messages.CallWake:
		c.wake(g)
	case *messages.CallReceived:
		c.received(g, m.UserID)
	case *messages.CallUserDevices:
		c.devices(g, m)
	}
	return nil, nil
}

var callMethods = newMethods(func(t methods[*callActor]) {
	on(t, messages.MethodCallInvite, (*callActor).invite)
	on(t, messages.MethodCallingInvite, (*callActor).callingInvite)
	on(t, messages.MethodCallCancel, (*callActor).cancel)
	on(t, messages.MethodCallAccept, (*callActor).accept)
	on(t, messages.MethodCallReject, (*callActor).reject)
	on(t, messages.MethodCallJoin, (*callActor).join)
	on(t, messages.MethodCallQuit, (*callActor).quit)
	on(t, messages.MethodCallEnd, (*callActor).end)
})

func (c *callActor) nowMs(g *grain) int64 { return g.rt.now().UnixMilli() }

// pending: an invitee that has not answered yet.
func pending(state int32) bool {
	return state == CallUserInviting || state == CallUserReceived || state == CallUserNotYetReceived
}

// live: a user still taking part in a started call (in it, or invited to it).
func live(state int32) bool { return state == CallUserAccepted || pending(state) }

func findUser(rec *messages.CallRecord, user string) *messages.CallUserRecord {
	for _, u := range rec.Users {
		if u.UserID == user {
			return u
		}
	}
	return nil
}

func userInfo(u *messages.CallUserRecord) *messages.CallUserInfo {
	return &messages.CallUserInfo{UserID: u.UserID, State: u.State, ExtendedData: u.ExtendedData}
}

func userInfos(rec *messages.CallRecord) []*messages.CallUserInfo {
	out := make([]*messages.CallUserInfo, len(rec.Users))
	for i, u := range rec.Users {
		out[i] = userInfo(u)
	}
	return out
}

// started returns the call's record if the call exists and has not ended.
func (c *callActor) started() (*messages.CallRecord, error) {
	if c.rec == nil || c.rec.State != CallStateStarted {
		return nil, ErrCallNotExist
	}
	return c.rec, nil
}

// change is one change of a call being made: the next record and what to push once it
// is stored.
type change struct {
	next    *messages.CallRecord
	before  map[string]int32 // each user's state before the change
	added   []string         // new participants (user index entries)
	changed []string         // users whose state changed, in order
	ended   bool             // the call ended with this change
	endBy   string           // operatedUserID of callInvitationEnded
	endData string
	wasLive []string // users live before the change (callInvitationEnded goes to them)
}

func (c *callActor) begin() *change {
	ch := &change{next: proto.Clone(c.rec).(*messages.CallRecord), before: map[string]int32{}}
	for _, u := range c.rec.Users {
		ch.before[u.UserID] = u.State
		if live(u.State) {
			ch.wasLive = append(ch.wasLive, u.UserID)
		}
	}
	return ch
}

// set changes a user's state.
func (ch *change) set(u *messages.CallUserRecord, state int32) {
	if u.State == state {
		return
	}
	u.State = state
	if !pending(state) {
		u.Deadline, u.ReceiveCheck = 0, 0
	}
	if state != CallUserAccepted {
		u.OfflineAt = 0
	}
	for _, id := range ch.changed {
		if id == u.UserID {
			return
		}
	}
	ch.changed = append(ch.changed, u.UserID)
}

// settle ends the call when it has no one left to talk with: a general mode call once no
// invitee is waiting for an answer; an advanced mode call when no one is in it, or one
// user is in it and no one is invited. The users still in it (or invited) become ended.
func (ch *change) settle(now int64, by, data string) {
	rec := ch.next
	if rec.State != CallStateStarted {
		return
	}
	accepted, waiting := 0, 0
	for _, u := range rec.Users {
		switch {
		case u.State == CallUserAccepted:
			accepted++
		case pending(u.State):
			waiting++
		}
	}
	if rec.Mode == CallModeGeneral {
		if waiting > 0 {
			return
		}
	} else if accepted > 1 || (accepted == 1 && waiting > 0) {
		return
	}
	ch.endNow(now, by, data)
}

// endNow ends the call: every user still in it (or invited) becomes ended in an advanced
// mode call; a general mode call keeps its users' answers.
func (ch *change) endNow(now int64, by, data string) {
	rec := ch.next
	rec.State, rec.EndTime = CallStateEnded, now
	for _, u := range rec.Users {
		u.Deadline, u.ReceiveCheck, u.OfflineAt = 0, 0, 0
		if rec.Mode == CallModeAdvanced && live(u.State) {
			ch.set(u, CallUserEnded)
		}
	}
	ch.ended, ch.endBy, ch.endData = true, by, data
}

// nextWake is the earliest pending deadline of a started call (0: none).
func nextWake(rec *messages.CallRecord) int64 {
	if rec.State != CallStateStarted {
		return 0
	}
	var due int64
	for _, u := range rec.Users {
		if !live(u.State) {
			continue
		}
		for _, t := range []int64{u.Deadline, u.ReceiveCheck, u.OfflineAt} {
			if t > 0 && (due == 0 || t < due) {
				due = t
			}
		}
	}
	return due
}

// commit stores the change (the record, new users' index entries, the deadline index)
// with one conditional write, then pushes its events.
func (c *callActor) commit(g *grain, ch *change, pushes ...func()) error {
	next := ch.next
	next.Wake = nextWake(next)
	raw, err := proto.Marshal(next)
	if err != nil {
		return err
	}
	b := &persistence.Batch{}
	key := keyCall(c.id)
	var oldWake int64
	if c.raw == nil {
		b.ExpectAbsent(key)
	} else {
		b.ExpectValue(key, c.raw)
		oldWake = c.rec.Wake
	}
	b.Put(key, raw)
	for _, u := range ch.added {
		b.Put(keyCallUser(u, next.CreateTime, c.id), []byte{})
	}
	if oldWake != next.Wake {
		if oldWake != 0 {
			b.Delete(keyCallWake(oldWake, c.id))
		}
		if next.Wake != 0 {
			b.Put(keyCallWake(next.Wake, c.id), []byte(c.id))
		}
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := g.rt.Store().Write(ctx, b); err != nil {
		if errors.Is(err, persistence.ErrConflict) {
			// another activation changed the call: read it again for the next message
			_ = c.activate(g)
		}
		return ErrStorage
	}
	c.rec, c.raw = next, raw
	c.arm(g)
	for _, p := range pushes {
		p()
	}
	c.pushStates(g, ch)
	return nil
}

// arm makes sure a timer is set for the call's next deadline.
func (c *callActor) arm(g *grain) {
	due := c.rec.GetWake()
	if due == 0 || due == c.timerAt {
		return
	}
	c.timerAt = due
	d := time.Duration(due-c.nowMs(g)) * time.Millisecond
	if d <= 0 {
		g.SendSelf(&messages.CallWake{})
		return
	}
	g.After(d, &messages.CallWake{})
}

// pushStates pushes callUserStateChanged (the changed users) to every user in the call or
// invited, and to the changed users themselves (their other devices learn the answer),
// then callInvitationEnded to the users who were in the call when it ended.
func (c *callActor) pushStates(g *grain, ch *change) {
	rec := c.rec
	if len(ch.changed) > 0 {
		ev := &messages.CallUserStateChangedEvent{CallID: c.id}
		to := map[string]bool{}
		var users []string
		add := func(u string) {
			if !to[u] {
				to[u] = true
				users = append(users, u)
			}
		}
		for _, id := range ch.changed {
			ev.CallUserList = append(ev.CallUserList, userInfo(findUser(rec, id)))
		}
		for _, u := range rec.Users {
			if live(u.State) || live(ch.before[u.UserID]) {
				add(u.UserID)
			}
		}
		for _, id := range ch.changed {
			add(id)
		}
		c.pushUsers(g, users, messages.EventCallUserStateChanged.With(ev))
	}
	if ch.ended && rec.Mode == CallModeAdvanced {
		c.pushUsers(g, ch.wasLive, messages.EventCallInvitationEnded.With(&messages.CallInvitationEndedEvent{
			CallID: c.id, Mode: rec.Mode, Caller: rec.Caller, OperatedUserID: ch.endBy,
			ExtendedData: ch.endData, EndTime: rec.EndTime}))
	}
}

// pushUsers pushes one event (encoded once) to the devices of each user.
func (c *callActor) pushUsers(g *grain, users []string, ev messages.Pushed) {
	if len(users) == 0 {
		return
	}
	push, err := NewPush(ev)
	if err != nil {
		g.Log().Error("encode push", "event", ev.Name, "err", err)
		return
	}
	for _, u := range users {
		if u != "" {
			g.rt.Send(KindUser, u, &messages.UserPush{Push: push})
		}
	}
}

// pushUserExcept pushes one event to user's devices but the connection except.
func (c *callActor) pushUserExcept(g *grain, user string, ev messages.Pushed, except *messages.ConnRef) {
	push, err := NewPush(ev)
	if err != nil {
		g.Log().Error("encode push", "event", ev.Name, "err", err)
		return
	}
	up := &messages.UserPush{Push: push}
	if except != nil {
		up.ExceptConnID = except.ConnID
	}
	g.rt.Send(KindUser, user, up)
}

// pushInvitation pushes callInvitationReceived to the new invitees, whose user actors
// tell the call when a device got it.
func (c *callActor) pushInvitation(g *grain, invitees []string, inviter string) {
	rec := c.rec
	if len(invitees) == 0 {
		return
	}
	push, err := NewPush(messages.EventCallInvitationReceived.With(&messages.CallInvitationReceivedEvent{
		CallID: c.id, Mode: rec.Mode, Caller: rec.Caller, Inviter: inviter, ExtendedData: rec.ExtendedData,
		Timeout: rec.Timeout, CreateTime: rec.CreateTime, CallUserList: userInfos(rec)}))
	if err != nil {
		g.Log().Error("encode push", "err", err)
		return
	}
	for _, u := range invitees {
		g.rt.Send(KindUser, u, &messages.CallInvitationPush{CallID: c.id, Push: push})
	}
}

// checkInvitees validates an invitee list: IDs, duplicates, the caller itself. It returns
// the registered invitees and the errorUserList of those who are not.
func (c *callActor) checkInvitees(g *grain, me string, invitees []string) (ok []string, bad []*messages.ErrorUserInfo, err error) {
	if len(invitees) == 0 {
		return nil, nil, ErrParamInvalid
	}
	if len(invitees) > callMaxListed {
		return nil, nil, ErrCallTooManyUsers
	}
	seen := map[string]bool{}
	var ids []string
	for _, id := range invitees {
		if !ValidID(id, g.rt.Limits().UserIDBytes) || id == me {
			return nil, nil, ErrParamInvalid
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	// the caller (or the inviter, who is in the call) and the invitees
	if len(ids)+1 > CallMaxUsers {
		return nil, nil, ErrCallTooManyUsers
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	for _, id := range ids {
		_, err := g.rt.Store().Get(ctx, keyUser(id))
		switch {
		case errors.Is(err, persistence.ErrNotFound):
			bad = append(bad, &messages.ErrorUserInfo{UserID: id, Reason: ErrCallInviteesNotExist.Code})
		case err != nil:
			return nil, nil, ErrStorage
		default:
			ok = append(ok, id)
		}
	}
	return ok, bad, nil
}

func validCallData(cfg *messages.CallActionConfig) error {
	if !validText(cfg.GetExtendedData(), CallExtendedDataBytes) {
		return ErrParamInvalid
	}
	return nil
}

// invite: callInvite. The gateway made the call ID; the caller is in the call (accepted),
// the invitees are inviting until they answer, are cancelled or time out.
func (c *callActor) invite(g *grain, call *messages.Call, p *messages.CallInviteParams) (*messages.CallInvitationSentResult, error) {
	if c.rec != nil {
		if c.rec.Caller == call.UserID && c.rec.CreateTime > 0 {
			// the same invite run again (a request resent to a new activation)
			return &messages.CallInvitationSentResult{CallID: c.id, Timeout: c.rec.Timeout}, nil
		}
		return nil, ErrCallExists
	}
	cfg := p.Config
	if cfg == nil || cfg.Timeout < 1 || cfg.Timeout > CallMaxTimeout ||
		(cfg.Mode != CallModeGeneral && cfg.Mode != CallModeAdvanced) ||
		!validText(cfg.ExtendedData, CallExtendedDataBytes) || p.CallID != c.id {
		return nil, ErrParamInvalid
	}
	ok, bad, err := c.checkInvitees(g, call.UserID, p.Invitees)
	if err != nil {
		return nil, err
	}
	if len(ok) == 0 {
		return nil, ErrCallInviteesNotExist
	}
	now := c.nowMs(g)
	rec := &messages.CallRecord{CallID: c.id, Mode: cfg.Mode, Caller: call.UserID, ExtendedData: cfg.ExtendedData,
		Timeout: cfg.Timeout, CreateTime: now, State: CallStateStarted, PushConfig: cfg.PushConfig,
		NotReceivedCheck: cfg.EnableNotReceivedCheck}
	rec.Users = append(rec.Users, &messages.CallUserRecord{UserID: call.UserID, State: CallUserAccepted,
		Inviter: call.UserID, InviteTime: now, AcceptTime: now, PrimaryNode: call.Conn.GetNode(), PrimaryConn: call.Conn.GetConnID()})
	for _, id := range ok {
		rec.Users = append(rec.Users, c.newInvitee(rec, id, call.UserID, now))
	}
	ch := &change{next: rec, before: map[string]int32{}, added: append([]string{call.UserID}, ok...)}
	if err := c.commit(g, ch, func() {
		c.pushInvitation(g, ok, call.UserID)
		c.pushUserExcept(g, call.UserID, messages.EventCallInvitationCreated.With(&messages.CallInvitationCreatedEvent{
			CallID: c.id, Mode: rec.Mode, Caller: rec.Caller, ExtendedData: rec.ExtendedData, Timeout: rec.Timeout,
			CreateTime: rec.CreateTime, CallUserList: userInfos(rec)}), call.Conn)
	}); err != nil {
		return nil, err
	}
	res := &messages.CallInvitationSentResult{CallID: c.id, Timeout: rec.Timeout, ErrorUserList: bad}
	for _, b := range bad {
		res.ErrorInvitees = append(res.ErrorInvitees, &messages.CallUserInfo{UserID: b.UserID, State: -1})
	}
	return res, nil
}

func (c *callActor) newInvitee(rec *messages.CallRecord, id, inviter string, now int64) *messages.CallUserRecord {
	u := &messages.CallUserRecord{UserID: id, State: CallUserInviting, Inviter: inviter, InviteTime: now,
		Deadline: now + int64(rec.Timeout)*1000}
	if rec.NotReceivedCheck {
		u.ReceiveCheck = now + CallNotReceivedDelay.Milliseconds()
	}
	return u
}

// callingInvite invites more users into an advanced mode call; only a user in the call
// may. A user who left (rejected, quit, timed out, was cancelled) may be invited again.
func (c *callActor) callingInvite(g *grain, call *messages.Call, p *messages.CallingInviteParams) (*messages.CallingInvitationSentResult, error) {
	rec, err := c.started()
	if err != nil {
		return nil, err
	}
	if rec.Mode != CallModeAdvanced {
		return nil, ErrCallNotAdvanced
	}
	if err := c.mustBeIn(call.UserID); err != nil {
		return nil, err
	}
	ok, bad, err := c.checkInvitees(g, call.UserID, p.Invitees)
	if err != nil {
		return nil, err
	}
	ch := c.begin()
	now := c.nowMs(g)
	var invited []string
	count := len(ch.next.Users)
	for _, id := range ok {
		if u := findUser(ch.next, id); u != nil {
			if live(u.State) {
				bad = append(bad, &messages.ErrorUserInfo{UserID: id, Reason: ErrCallAlreadyIn.Code})
				continue
			}
			nu := c.newInvitee(rec, id, call.UserID, now)
			u.Inviter, u.InviteTime, u.Deadline, u.ReceiveCheck, u.ExtendedData = nu.Inviter, nu.InviteTime, nu.Deadline, nu.ReceiveCheck, ""
			ch.set(u, CallUserInviting)
			invited = append(invited, id)
			continue
		}
		if count >= CallMaxUsers {
			return nil, ErrCallTooManyUsers
		}
		count++
		ch.next.Users = append(ch.next.Users, c.newInvitee(rec, id, call.UserID, now))
		ch.changed = append(ch.changed, id)
		ch.added = append(ch.added, id)
		invited = append(invited, id)
	}
	if len(invited) == 0 {
		if len(bad) > 0 && allReason(bad, ErrCallInviteesNotExist.Code) {
			return nil, ErrCallInviteesNotExist
		}
		return &messages.CallingInvitationSentResult{CallID: c.id, ErrorUserList: bad}, nil
	}
	if err := c.commit(g, ch, func() { c.pushInvitation(g, invited, call.UserID) }); err != nil {
		return nil, err
	}
	return &messages.CallingInvitationSentResult{CallID: c.id, ErrorUserList: bad}, nil
}

func allReason(bad []*messages.ErrorUserInfo, code int32) bool {
	for _, b := range bad {
		if b.Reason != code {
			return false
		}
	}
	return true
}

// mustBeIn checks that user is in the (started) call: accepted.
func (c *callActor) mustBeIn(user string) error {
	u := findUser(c.rec, user)
	if u == nil {
		return ErrCallNotInvitee
	}
	if u.State != CallUserAccepted {
		return ErrCallNotAccepted
	}
	return nil
}

// cancel: callCancel. The caller may cancel any invitee still waiting for an answer,
// another inviter those it invited; an empty list means all it may cancel.
func (c *callActor) cancel(g *grain, call *messages.Call, p *messages.CallCancelParams) (*messages.CallCancelSentResult, error) {
	rec, err := c.started()
	if err != nil {
		return nil, err
	}
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	me := call.UserID
	isCaller := rec.Caller == me
	if !isCaller {
		inviter := false
		for _, u := range rec.Users {
			if u.Inviter == me && u.UserID != me {
				inviter = true
			}
		}
		if !inviter {
			return nil, ErrCallNotInviter
		}
	}
	for _, id := range p.Invitees {
		if !ValidID(id, g.rt.Limits().UserIDBytes) {
			return nil, ErrParamInvalid
		}
	}
	mayCancel := func(u *messages.CallUserRecord) bool {
		return u != nil && u.UserID != rec.Caller && pending(u.State) && (isCaller || u.Inviter == me)
	}
	ch := c.begin()
	var cancelled, errorInvitees []string
	targets := p.Invitees
	if len(targets) == 0 {
		for _, u := range ch.next.Users {
			if mayCancel(u) {
				targets = append(targets, u.UserID)
			}
		}
	}
	seen := map[string]bool{}
	for _, id := range targets {
		if seen[id] {
			continue
		}
		seen[id] = true
		u := findUser(ch.next, id)
		if !mayCancel(u) {
			errorInvitees = append(errorInvitees, id)
			continue
		}
		ch.set(u, CallUserBeCancelled)
		cancelled = append(cancelled, id)
	}
	if len(cancelled) == 0 {
		return nil, ErrCallCancel
	}
	data := p.Config.GetExtendedData()
	// the caller's invitation ends when no invitee is left in it or waiting for it
	if isCaller {
		left := false
		for _, u := range ch.next.Users {
			if u.UserID != rec.Caller && live(u.State) {
				left = true
			}
		}
		if !left {
			ch.set(findUser(ch.next, rec.Caller), CallUserCancelled)
			ch.endNow(c.nowMs(g), me, data)
		}
	}
	ch.settle(c.nowMs(g), me, data)
	if err := c.commit(g, ch, func() {
		c.pushUsers(g, cancelled, messages.EventCallInvitationCancelled.With(&messages.CallInvitationCancelledEvent{
			CallID: c.id, Mode: rec.Mode, Inviter: me, ExtendedData: data}))
	}); err != nil {
		return nil, err
	}
	return &messages.CallCancelSentResult{CallID: c.id, ErrorInvitees: errorInvitees}, nil
}

// answerable returns the caller's invitation if it waits for an answer.
func (c *callActor) answerable(user string) (*change, *messages.CallUserRecord, error) {
	if _, err := c.started(); err != nil {
		return nil, nil, err
	}
	if u := findUser(c.rec, user); u == nil || u.UserID == c.rec.Caller {
		return nil, nil, ErrCallNotInvitee
	} else if !pending(u.State) {
		return nil, nil, ErrCallNotPending
	}
	ch := c.begin()
	return ch, findUser(ch.next, user), nil
}

// accept: callAccept. The accepting device becomes the user's device in the call.
func (c *callActor) accept(g *grain, call *messages.Call, p *messages.CallActionParams) (*messages.CallIDResult, error) {
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	ch, u, err := c.answerable(call.UserID)
	if err != nil {
		return nil, err
	}
	now := c.nowMs(g)
	ch.set(u, CallUserAccepted)
	u.ExtendedData, u.AcceptTime = p.Config.GetExtendedData(), now
	u.PrimaryNode, u.PrimaryConn = call.Conn.GetNode(), call.Conn.GetConnID()
	ch.settle(now, call.UserID, "")
	if err := c.commit(g, ch, func() {
		c.pushUsers(g, []string{u.Inviter}, messages.EventCallInvitationAccepted.With(&messages.CallInvitationAnsweredEvent{
			CallID: c.id, Invitee: call.UserID, ExtendedData: u.ExtendedData}))
	}); err != nil {
		return nil, err
	}
	return &messages.CallIDResult{CallID: c.id}, nil
}

// reject: callReject.
func (c *callActor) reject(g *grain, call *messages.Call, p *messages.CallActionParams) (*messages.CallIDResult, error) {
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	ch, u, err := c.answerable(call.UserID)
	if err != nil {
		return nil, err
	}
	ch.set(u, CallUserRejected)
	u.ExtendedData = p.Config.GetExtendedData()
	ch.settle(c.nowMs(g), call.UserID, u.ExtendedData)
	if err := c.commit(g, ch, func() {
		c.pushUsers(g, []string{u.Inviter}, messages.EventCallInvitationRejected.With(&messages.CallInvitationAnsweredEvent{
			CallID: c.id, Invitee: call.UserID, ExtendedData: u.ExtendedData}))
	}); err != nil {
		return nil, err
	}
	return &messages.CallIDResult{CallID: c.id}, nil
}

// join: callJoin. Anyone may join a started advanced mode call (up to 9 users); a user
// already in it switches its device in the call to the calling one.
func (c *callActor) join(g *grain, call *messages.Call, p *messages.CallActionParams) (*messages.CallJoinSentResult, error) {
	rec, err := c.started()
	if err != nil {
		return nil, err
	}
	if rec.Mode != CallModeAdvanced {
		return nil, ErrCallNotAdvanced
	}
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	me := call.UserID
	now := c.nowMs(g)
	ch := c.begin()
	u := findUser(ch.next, me)
	switch {
	case u == nil:
		if len(ch.next.Users) >= CallMaxUsers {
			return nil, ErrCallTooManyUsers
		}
		u = &messages.CallUserRecord{UserID: me, InviteTime: now, State: -1}
		ch.next.Users = append(ch.next.Users, u)
		ch.added = append(ch.added, me)
	case u.State == CallUserAccepted:
		if u.PrimaryNode == call.Conn.GetNode() && u.PrimaryConn == call.Conn.GetConnID() {
			return nil, ErrCallAlreadyIn
		}
	}
	ch.set(u, CallUserAccepted)
	u.ExtendedData, u.AcceptTime = p.Config.GetExtendedData(), now
	u.PrimaryNode, u.PrimaryConn = call.Conn.GetNode(), call.Conn.GetConnID()
	if err := c.commit(g, ch); err != nil {
		return nil, err
	}
	return &messages.CallJoinSentResult{CallID: c.id, CreateTime: c.rec.CreateTime, JoinTime: now,
		ExtendedData: c.rec.ExtendedData, CallUserList: userInfos(c.rec)}, nil
}

// quit: callQuit (advanced mode, a user in the call).
func (c *callActor) quit(g *grain, call *messages.Call, p *messages.CallActionParams) (*messages.CallQuitSentResult, error) {
	rec, err := c.started()
	if err != nil {
		return nil, err
	}
	if rec.Mode != CallModeAdvanced {
		return nil, ErrCallNotAdvanced
	}
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	if err := c.mustBeIn(call.UserID); err != nil {
		return nil, err
	}
	now := c.nowMs(g)
	ch := c.begin()
	u := findUser(ch.next, call.UserID)
	ch.set(u, CallUserQuit)
	u.ExtendedData, u.QuitTime = p.Config.GetExtendedData(), now
	ch.settle(now, call.UserID, u.ExtendedData)
	if err := c.commit(g, ch); err != nil {
		return nil, err
	}
	return &messages.CallQuitSentResult{CallID: c.id, CreateTime: rec.CreateTime, AcceptTime: u.AcceptTime, QuitTime: now}, nil
}

// end: callEnd (advanced mode, a user in the call) ends it for everyone.
func (c *callActor) end(g *grain, call *messages.Call, p *messages.CallActionParams) (*messages.CallEndSentResult, error) {
	rec, err := c.started()
	if err != nil {
		return nil, err
	}
	if rec.Mode != CallModeAdvanced {
		return nil, ErrCallNotAdvanced
	}
	if err := validCallData(p.Config); err != nil {
		return nil, err
	}
	if err := c.mustBeIn(call.UserID); err != nil {
		return nil, err
	}
	now := c.nowMs(g)
	ch := c.begin()
	accepted := findUser(ch.next, call.UserID).AcceptTime
	ch.endNow(now, call.UserID, p.Config.GetExtendedData())
	if err := c.commit(g, ch); err != nil {
		return nil, err
	}
	return &messages.CallEndSentResult{CallID: c.id, CreateTime: rec.CreateTime, AcceptTime: accepted, EndTime: now}, nil
}

// received: a device of user got the invitation.
func (c *callActor) received(g *grain, user string) {
	if c.rec == nil || c.rec.State != CallStateStarted {
		return
	}
	if u := findUser(c.rec, user); u == nil || (u.State != CallUserInviting && u.State != CallUserNotYetReceived) {
		return
	}
	ch := c.begin()
	u := findUser(ch.next, user)
	ch.set(u, CallUserReceived)
	u.ReceiveCheck = 0
	if err := c.commit(g, ch); err != nil {
		g.Log().Warn("call: store received", "err", err)
	}
}

// devices: a user in the call lost its last device, or has one again. An accepted user
// with no device becomes offline after Limits.CallOfflineGrace unless a device comes
// back first; an offline user comes back with callJoin.
func (c *callActor) devices(g *grain, m *messages.CallUserDevices) {
	if c.rec == nil || c.rec.State != CallStateStarted {
		return
	}
	u := findUser(c.rec, m.UserID)
	if u == nil || u.State != CallUserAccepted || (m.Online == (u.OfflineAt == 0)) {
		return
	}
	ch := c.begin()
	nu := findUser(ch.next, m.UserID)
	nu.OfflineAt = 0
	if !m.Online {
		nu.OfflineAt = c.nowMs(g) + g.rt.Limits().CallOfflineGrace.Milliseconds()
	}
	if err := c.commit(g, ch); err != nil {
		g.Log().Warn("call: store the user's devices", "err", err)
	}
}

// wake acts on every deadline that passed: invitees who did not answer time out,
// (with enableNotReceivedCheck) invitees whose devices did not get the invitation in
// time become notYetReceived, and users in the call without a device for
// CallOfflineGrace become offline.
func (c *callActor) wake(g *grain) {
	now := c.nowMs(g)
	if now >= c.timerAt {
		c.timerAt = 0
	}
	if c.rec == nil || c.rec.Wake == 0 || c.rec.Wake > now {
		if c.rec != nil {
			c.arm(g)
		}
		return
	}
	ch := c.begin()
	timedOut := map[string][]string{} // by inviter
	var order []string
	for _, u := range ch.next.Users {
		if u.State == CallUserAccepted && u.OfflineAt > 0 && u.OfflineAt <= now {
			ch.set(u, CallUserOffline)
			continue
		}
		if !pending(u.State) {
			continue
		}
		switch {
		case u.Deadline > 0 && u.Deadline <= now:
			inviter := u.Inviter
			if _, ok := timedOut[inviter]; !ok {
				order = append(order, inviter)
			}
			timedOut[inviter] = append(timedOut[inviter], u.UserID)
			ch.set(u, CallUserTimeout)
		case u.ReceiveCheck > 0 && u.ReceiveCheck <= now:
			u.ReceiveCheck = 0
			if u.State == CallUserInviting {
				ch.set(u, CallUserNotYetReceived)
			}
		}
	}
	ch.settle(now, "", "")
	mode := ch.next.Mode
	if err := c.commit(g, ch, func() {
		for _, inviter := range order {
			c.pushUsers(g, timedOut[inviter], messages.EventCallInvitationTimeout.With(&messages.CallInvitationTimeoutEvent{
				CallID: c.id, Mode: mode}))
			c.pushUsers(g, []string{inviter}, messages.EventCallInviteesAnsweredTimeout.With(&messages.CallInviteesAnsweredTimeoutEvent{
				CallID: c.id, Invitees: timedOut[inviter]}))
		}
	}); err != nil {
		g.Log().Warn("call: store timeout; trying again", "err", err)
		g.After(time.Second, &messages.CallWake{})
	}
}
