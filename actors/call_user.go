package actors

import (
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The user's side of calls: invitations pushed to the user's devices, and
// queryCallInvitationList, a reverse range read of the user's call index ("calu", newest
// first) and one read of each listed call's record.

func callUserMethods(t methods[*userActor]) {
	on(t, messages.MethodQueryCallInvitationList, (*userActor).queryCalls)
}

// callInvitation pushes an invitation to the user's devices and tells the call when one
// got it.
func (u *userActor) callInvitation(g *grain, m *messages.CallInvitationPush) {
	if len(u.devices) == 0 {
		return
	}
	u.pushRaw(g, m.Push, 0)
	g.rt.Send(KindCall, m.CallID, &messages.CallReceived{UserID: u.id})
}

// queryCalls: queryCallInvitationList. Pages go from the newest call back; nextFlag is
// the create time (ms) of the last call listed, and the next page lists older calls. A
// page never splits the calls of one millisecond (it may hold more than count of them).
func (u *userActor) queryCalls(g *grain, _ *messages.Call, p *messages.CallInvitationListQueryParams) (*messages.CallInvitationListQueriedResult, error) {
	cfg := p.Config
	if cfg == nil || cfg.Count < 1 || cfg.NextFlag < 0 {
		return nil, ErrParamInvalid
	}
	count := min(int(cfg.Count), CallListMaxCount)
	prefix := keyCallUserPrefix(u.id)
	r := persistence.PrefixRange(prefix)
	if cfg.NextFlag > 0 {
		r.End = keyCallUserBefore(u.id, cfg.NextFlag)
	}
	r.Reverse = true
	ctx, cancel := g.CallCtx()
	defer cancel()
	type entry struct {
		created int64
		id      string
	}
	var list []entry
	more := false
	err := g.rt.Store().Scan(ctx, r, func(k, _ []byte) bool {
		rest := k[len(prefix):]
		if len(rest) < 9 {
			return true
		}
		created := int64(persistence.SeqFromKey(rest[:8]))
		id := string(rest[8 : len(rest)-1])
		if len(list) >= count && created != list[len(list)-1].created {
			more = true
			return false
		}
		list = append(list, entry{created, id})
		return true
	})
	if err != nil {
		return nil, ErrStorage
	}
	res := &messages.CallInvitationListQueriedResult{}
	for _, e := range list {
		rec, found, err := getRecord[messages.CallRecord](ctx, g.rt.Store(), keyCall(e.id))
		if err != nil {
			if isDecodeError(err) {
				continue
			}
			return nil, ErrStorage
		}
		if !found {
			continue
		}
		res.CallList = append(res.CallList, callInfo(rec, u.id))
	}
	if more && len(list) > 0 {
		res.NextFlag = list[len(list)-1].created
	}
	return res, nil
}

// callInfo is a stored call as ZIMCallInfo for user (inviter: who invited user).
func callInfo(rec *messages.CallRecord, user string) *messages.CallInfo {
	info := &messages.CallInfo{CallID: rec.CallID, Caller: rec.Caller, Inviter: rec.Caller, CreateTime: rec.CreateTime,
		EndTime: rec.EndTime, State: rec.State, Mode: rec.Mode, ExtendedData: rec.ExtendedData, CallUserList: userInfos(rec)}
	if me := findUser(rec, user); me != nil && me.Inviter != "" {
		info.Inviter = me.Inviter
	}
	return info
}

// callSyncRecent is how many of the user's latest calls a new device is told about.
const callSyncRecent = 20

// hasDevice reports whether c is one of the user's registered devices.
func (u *userActor) hasDevice(c *messages.ConnRef) bool {
	for _, d := range u.devices {
		if c != nil && d.ConnID == c.ConnID && d.Node == c.Node {
			return true
		}
	}
	return false
}

// recentCalls reads the IDs of the user's callSyncRecent latest calls, newest first.
func (u *userActor) recentCalls(g *grain) ([]string, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	prefix := keyCallUserPrefix(u.id)
	r := persistence.PrefixRange(prefix)
	r.Reverse, r.Limit = true, callSyncRecent
	var ids []string
	err := g.rt.Store().Scan(ctx, r, func(k, _ []byte) bool {
		if rest := k[len(prefix):]; len(rest) > 9 {
			ids = append(ids, string(rest[8:len(rest)-1]))
		}
		return true
	})
	return ids, err
}

// callDevicesGone: the user's last device went away; the calls it is in (among its
// callSyncRecent latest) start counting it offline.
func (u *userActor) callDevicesGone(g *grain) {
	if len(u.devices) > 0 {
		return // one came back meanwhile
	}
	ids, err := u.recentCalls(g)
	if err != nil {
		g.Log().Warn("call devices gone: read the call index", "err", err)
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	for _, id := range ids {
		rec, found, err := getRecord[messages.CallRecord](ctx, g.rt.Store(), keyCall(id))
		if err != nil || !found || rec.State != CallStateStarted {
			continue
		}
		if me := findUser(rec, u.id); me != nil && me.State == CallUserAccepted {
			g.rt.Send(KindCall, id, &messages.CallUserDevices{UserID: u.id})
		}
	}
}

// callDeviceSync tells a device that just logged in about the calls still going on that
// the user is in or invited to (ZIM: the states of everyone in the call, at once), among
// the user's callSyncRecent latest calls; an invitation waiting for the user's answer
// counts as received from now on.
func (u *userActor) callDeviceSync(g *grain, conn *messages.ConnRef) {
	if !u.hasDevice(conn) {
		return // gone already
	}
	ids, err := u.recentCalls(g)
	if err != nil {
		g.Log().Warn("call sync: read the call index", "err", err)
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	var events []PushEvent
	for _, id := range ids {
		rec, found, err := getRecord[messages.CallRecord](ctx, g.rt.Store(), keyCall(id))
		if err != nil || !found || rec.State != CallStateStarted {
			continue
		}
		me := findUser(rec, u.id)
		if me == nil || !live(me.State) {
			continue
		}
		events = append(events, PushEvent{Pushed: messages.EventCallUserStateChanged.With(
			&messages.CallUserStateChangedEvent{CallID: id, CallUserList: userInfos(rec)})})
		switch {
		case me.State == CallUserInviting || me.State == CallUserNotYetReceived:
			g.rt.Send(KindCall, id, &messages.CallReceived{UserID: u.id})
		case me.OfflineAt != 0: // back before it was marked offline
			g.rt.Send(KindCall, id, &messages.CallUserDevices{UserID: u.id, Online: true})
		}
	}
	g.rt.pushEvents([]*messages.ConnRef{conn}, events)
}
