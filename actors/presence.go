package actors

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sort"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Presence: user status (online status per platform, custom status) and status
// subscriptions (issue 14, part B).
//
// A subscription lives in both user actors. The subscriber's actor keeps its list (for
// querySubscribedUserStatusList and the per-user limit); the subscribed user's actor keeps
// its subscribers in memory with their expiry and their current connections, so a status
// change costs it one store write (its own status record) and one push per gateway node
// for all subscriber connections: nothing per subscriber is read or written. Both sides
// are stored as keyed records in one batch by the subscriber's actor (it answers the
// call), read once at each side's activation. A subscriber's actor tells the users it
// subscribed to its connections when its devices change (one message per subscription).

// PresenceLimits are ZIM's limits on status subscriptions and custom status.
type PresenceLimits struct {
	UsersPerCall           int           // userIDs per subscribe/unsubscribe/queryUsersStatus call; 100
	SubscriptionsMax       int           // users one user subscribes to; 3000 (the oldest is replaced)
	MaxDurationMinutes     int64         // subscriptionDuration at most; 43200 (30 days)
	CustomStatusBytes      int           // 64
	CustomStatusDefaultTTL time.Duration // custom status without a duration; 1 day
	// CustomStatusInterval is the least time between two updateUserCustomStatus calls of
	// a user (ZIM: 1 per second); negative: no limit.
	CustomStatusInterval time.Duration
}

func defaultPresenceLimits() PresenceLimits {
	return PresenceLimits{UsersPerCall: 100, SubscriptionsMax: 3000, MaxDurationMinutes: 43200,
		CustomStatusBytes: 64, CustomStatusDefaultTTL: 24 * time.Hour, CustomStatusInterval: time.Second}
}

func (l *PresenceLimits) validate() {
	d := defaultPresenceLimits()
	if l.UsersPerCall <= 0 {
		l.UsersPerCall = d.UsersPerCall
	}
	if l.SubscriptionsMax <= 0 {
		l.SubscriptionsMax = d.SubscriptionsMax
	}
	if l.MaxDurationMinutes <= 0 {
		l.MaxDurationMinutes = d.MaxDurationMinutes
	}
	if l.CustomStatusBytes <= 0 {
		l.CustomStatusBytes = d.CustomStatusBytes
	}
	if l.CustomStatusDefaultTTL <= 0 {
		l.CustomStatusDefaultTTL = d.CustomStatusDefaultTTL
	}
	if l.CustomStatusInterval == 0 {
		l.CustomStatusInterval = d.CustomStatusInterval
	}
}

// ZIMUserOnlineStatus.
const (
	StatusOnline  = 0
	StatusOffline = 1
	StatusLogout  = 2
)

// Presence refusals.
var (
	ErrPresenceTooMany     = codeErr(6000001, "too many user IDs in one call")
	ErrPresenceDuration    = codeErr(6000001, "subscriptionDuration out of range")
	ErrPresenceSelf        = codeErr(6000001, "cannot subscribe to oneself")
	ErrPresenceNotSub      = codeErr(6000001, "the user is not in the subscription list")
	ErrCustomStatusInvalid = codeErr(6000001, "invalid custom status")
)

// pu userID                 StoredUserStatus
// ps targetID subscriberID  expiry (ms, 8 bytes): the target's subscribers
// pt subscriberID targetID  order stamp (ms × 1000 + position in its call) and expiry (ms), 16 bytes: the subscriber's list
func keyPresenceStatus(user string) []byte { return persistence.NewKey("pu").Str(user).Bytes() }
func keyPresenceSubscriber(target, sub string) []byte {
	return persistence.NewKey("ps").Str(target).Str(sub).Bytes()
}
func keyPresenceSubscriberPrefix(target string) []byte {
	return persistence.NewKey("ps").Str(target).Bytes()
}
func keyPresenceTarget(sub, target string) []byte {
	return persistence.NewKey("pt").Str(sub).Str(target).Bytes()
}
func keyPresenceTargetPrefix(sub string) []byte { return persistence.NewKey("pt").Str(sub).Bytes() }

type presenceSubscriber struct {
	expiresAt int64 // ms
	conns     []*messages.ConnRef
}

// presenceSub is one of the user's subscriptions: at orders them (ms × 1000 + position in
// the subscribing call: the oldest is replaced first), expiresAt in ms.
type presenceSub struct{ at, expiresAt int64 }

// presence is a user actor's presence state.
type presence struct {
	status      *messages.StoredUserStatus
	subscribers map[string]*presenceSubscriber // who subscribed to this user
	online      int                            // subscribers with connections
	flat        []*messages.ConnRef            // their connections (nil: rebuild)
	nextExpiry  int64                          // earliest expiry among them (rebuild then)
	subs        map[string]presenceSub         // whom this user subscribed to
	dirty       bool                           // status changed, PresenceFlush posted
}

// loadPresence reads the user's status, subscribers and subscriptions (activation). An
// expired subscription is deleted; a status that says online while the actor has just
// activated (no devices) is from a node that stopped without telling: it becomes offline.
func (u *userActor) loadPresence(ctx context.Context, g *grain) error {
	st := g.rt.Store()
	now := g.rt.now().UnixMilli()
	p := &presence{subscribers: map[string]*presenceSubscriber{}, subs: map[string]presenceSub{}}
	u.pres = p
	status, found, err := getRecord[messages.StoredUserStatus](ctx, st, keyPresenceStatus(u.id))
	if err != nil {
		return err
	}
	p.status = status
	b := &persistence.Batch{}
	if found && status.OnlineStatus == StatusOnline {
		status.OnlineStatus, status.OnlinePlatforms, status.LastOnlineStatusUpdateTime = StatusOffline, nil, now
		raw, _ := proto.Marshal(status)
		b.Put(keyPresenceStatus(u.id), raw)
	}
	sprefix := keyPresenceSubscriberPrefix(u.id)
	if err := st.Scan(ctx, persistence.PrefixRange(sprefix), func(k, v []byte) bool {
		parts, ok := keyStrs(sprefix, k)
		if !ok || len(parts) != 1 || len(v) != 8 {
			return true
		}
		if exp := int64(binary.BigEndian.Uint64(v)); exp > now {
			p.subscribers[parts[0]] = &presenceSubscriber{expiresAt: exp}
		} else {
			b.Delete(append([]byte(nil), k...))
		}
		return true
	}); err != nil {
		return err
	}
	tprefix := keyPresenceTargetPrefix(u.id)
	if err := st.Scan(ctx, persistence.PrefixRange(tprefix), func(k, v []byte) bool {
		parts, ok := keyStrs(tprefix, k)
		if !ok || len(parts) != 1 || len(v) != 16 {
			return true
		}
		s := presenceSub{at: int64(binary.BigEndian.Uint64(v)), expiresAt: int64(binary.BigEndian.Uint64(v[8:]))}
		if s.expiresAt > now {
			p.subs[parts[0]] = s
		} else {
			b.Delete(append([]byte(nil), k...))
		}
		return true
	}); err != nil {
		return err
	}
	if len(b.Ops) > 0 {
		return st.Write(ctx, b)
	}
	return nil
}

func u128(a, b int64) []byte {
	out := binary.BigEndian.AppendUint64(nil, uint64(a))
	return binary.BigEndian.AppendUint64(out, uint64(b))
}

// statusView is the ZIMUserStatus of a stored status at now.
func statusView(id string, s *messages.StoredUserStatus, now int64) *messages.UserStatus {
	v := &messages.UserStatus{UserID: id, OnlineStatus: StatusOffline}
	if s == nil || (s.LastOnlineStatusUpdateTime == 0 && s.LastCustomStatusUpdateTime == 0) {
		return v // never stored: offline
	}
	v.OnlineStatus, v.OnlinePlatforms = s.OnlineStatus, s.OnlinePlatforms
	v.LastOnlineStatusUpdateTime, v.LastCustomStatusUpdateTime = s.LastOnlineStatusUpdateTime, s.LastCustomStatusUpdateTime
	if s.CustomStatus != "" && s.CustomStatusExpiredTime > now {
		v.CustomStatus, v.CustomStatusExpiredTime = s.CustomStatus, s.CustomStatusExpiredTime
	}
	v.LastUpdateTime = max(v.LastOnlineStatusUpdateTime, v.LastCustomStatusUpdateTime)
	return v
}

func (u *userActor) statusView(g *grain) *messages.UserStatus {
	return statusView(u.id, u.pres.status, g.rt.now().UnixMilli())
}

func (u *userActor) saveStatus(g *grain, s *messages.StoredUserStatus) error {
	raw, err := proto.Marshal(s)
	if err != nil {
		return err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	b := &persistence.Batch{}
	b.Put(keyPresenceStatus(u.id), raw)
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	u.pres.status = s
	return nil
}

// presenceDevices follows a change of the user's devices: a new online status or
// platform set is stored and pushed (userStatusUpdated) to the subscribers and the
// user's other devices; the users this one subscribed to learn its connections.
func (u *userActor) presenceDevices(g *grain, logout bool, cause uint64) {
	p := u.pres
	for target, s := range p.subs {
		if s.expiresAt > g.rt.now().UnixMilli() {
			g.rt.Send(KindUser, target, &messages.PresenceSubscribe{Subscriber: u.id, ConnsOnly: true, Conns: slices.Clone(u.devices)})
		}
	}
	status, platforms := int32(StatusOnline), []int32(nil)
	for _, d := range u.devices {
		if !slices.Contains(platforms, d.Platform) {
			platforms = append(platforms, d.Platform)
		}
	}
	slices.Sort(platforms)
	if len(u.devices) == 0 {
		status = StatusOffline
		if logout {
			status = StatusLogout
		}
	}
	old := p.status
	if old.OnlineStatus == status && slices.Equal(old.OnlinePlatforms, platforms) && (old.LastOnlineStatusUpdateTime != 0 || status != StatusOnline) {
		return
	}
	s := proto.Clone(old).(*messages.StoredUserStatus)
	s.OnlineStatus, s.OnlinePlatforms, s.LastOnlineStatusUpdateTime = status, platforms, g.rt.now().UnixMilli()
	p.status = s
	u.pushStatus(g, cause)
	// Stored right after this message (PresenceFlush): the login's or logout's reply does
	// not wait for it, and a burst of changes is one write. Nothing acknowledged depends on
	// it; a stored "online" that is no longer true (a crash in between, a node lost) is
	// corrected when the actor activates again (loadPresence).
	if !p.dirty {
		p.dirty = true
		g.SendSelf(&messages.PresenceFlush{})
	}
}

// flushStatus stores the status record when a device change left it unsaved.
func (u *userActor) flushStatus(g *grain) {
	p := u.pres
	if !p.dirty {
		return
	}
	p.dirty = false
	if err := u.saveStatus(g, p.status); err != nil { // the next change tries again
		if errors.Is(err, persistence.ErrClosed) {
			g.Log().Debug("store user status: shutting down", "err", err)
		} else {
			g.Log().Error("store user status", "err", err)
		}
	}
}

// pushStatus pushes the user's status to its subscribers' connections and its own
// devices but except: all in one pushEvents (one encoding per subprotocol for this
// node's connections, one Deliver per other node).
func (u *userActor) pushStatus(g *grain, except uint64) {
	conns := u.subscriberConns(g)
	all := make([]*messages.ConnRef, 0, len(conns)+len(u.devices))
	all = append(append(all, conns...), u.devices...)
	ev := messages.EventUserStatusUpdated.With(&messages.UserStatusUpdatedEvent{UserStatusList: []*messages.UserStatus{u.statusView(g)}})
	g.rt.pushEvents(all, []PushEvent{{Pushed: ev, Except: except}})
}

// subscriberConns returns the connections of the live subscribers (cached; rebuilt when
// a subscriber changes or the earliest expiry passed, dropping expired subscribers).
func (u *userActor) subscriberConns(g *grain) []*messages.ConnRef {
	p := u.pres
	now := g.rt.now().UnixMilli()
	if p.flat != nil && (p.nextExpiry == 0 || now < p.nextExpiry) {
		return p.flat
	}
	p.flat, p.nextExpiry = []*messages.ConnRef{}, 0
	for id, s := range p.subscribers {
		if s.expiresAt <= now {
			u.dropSubscriber(id)
			continue
		}
		if len(s.conns) == 0 {
			continue
		}
		p.flat = append(p.flat, s.conns...)
		if p.nextExpiry == 0 || s.expiresAt < p.nextExpiry {
			p.nextExpiry = s.expiresAt
		}
	}
	return p.flat
}

func (u *userActor) dropSubscriber(id string) {
	p := u.pres
	if s := p.subscribers[id]; s != nil {
		if len(s.conns) > 0 {
			p.online--
		}
		delete(p.subscribers, id)
		p.flat = nil
	}
}

// presenceSubscribe handles a subscriber's news (PresenceSubscribe).
func (u *userActor) presenceSubscribe(g *grain, m *messages.PresenceSubscribe) {
	p := u.pres
	s := p.subscribers[m.Subscriber]
	if m.ConnsOnly {
		if s == nil {
			return // not (or no longer) a subscriber
		}
	} else {
		if m.ExpiresAt <= g.rt.now().UnixMilli() {
			u.dropSubscriber(m.Subscriber)
			return
		}
		if s == nil {
			s = &presenceSubscriber{}
			p.subscribers[m.Subscriber] = s
		}
		s.expiresAt = m.ExpiresAt
	}
	if len(s.conns) > 0 {
		p.online--
	}
	s.conns = m.Conns
	if len(s.conns) > 0 {
		p.online++
	}
	p.flat = nil
	if !m.ConnsOnly && len(m.Conns) > 0 { // a new subscription starts with the current status
		g.rt.PushTo(m.Conns, messages.EventUserStatusUpdated.With(&messages.UserStatusUpdatedEvent{UserStatusList: []*messages.UserStatus{u.statusView(g)}}), 0)
	}
}

func presenceUserMethods(t methods[*userActor]) {
	on(t, messages.MethodSubscribeUsersStatus, (*userActor).subscribeUsersStatus)
	on(t, messages.MethodUnsubscribeUsersStatus, (*userActor).unsubscribeUsersStatus)
	on(t, messages.MethodQuerySubscribedUserStatusList, (*userActor).querySubscribed)
	on(t, messages.MethodQueryUsersStatus, (*userActor).queryUsersStatus)
	on(t, messages.MethodUpdateUserCustomStatus, (*userActor).updateCustomStatus)
}

// checkUserIDs validates a presence call's user list: the ZIM error of each refused ID
// (invalid 6000124, oneself when self is refused, unregistered 6000011) goes to errs; the
// others are returned once each.
func (u *userActor) checkUserIDs(g *grain, ids []string, refuseSelf, mustExist bool) (ok []string, errs []*messages.ErrorUserInfo, err error) {
	lim := g.rt.Limits()
	if len(ids) == 0 || len(ids) > lim.Presence.UsersPerCall {
		return nil, nil, ErrPresenceTooMany
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		switch {
		case !ValidID(id, lim.UserIDBytes):
			errs = append(errs, &messages.ErrorUserInfo{UserID: id, Reason: ErrUserIDInvalid.Code})
			continue
		case id == u.id && refuseSelf:
			errs = append(errs, &messages.ErrorUserInfo{UserID: id, Reason: ErrPresenceSelf.Code})
			continue
		case id != u.id && mustExist:
			if _, gerr := g.rt.Store().Get(ctx, keyUser(id)); errors.Is(gerr, persistence.ErrNotFound) {
				errs = append(errs, &messages.ErrorUserInfo{UserID: id, Reason: ErrUserNotExist.Code})
				continue
			} else if gerr != nil {
				return nil, nil, gerr
			}
		}
		ok = append(ok, id)
	}
	return ok, errs, nil
}

func (u *userActor) subscribeUsersStatus(g *grain, _ *messages.Call, p *messages.SubscribeUsersStatusParams) (*messages.UsersStatusSubscribedResult, error) {
	lim := g.rt.Limits().Presence
	if p.Config == nil || p.Config.SubscriptionDuration < 1 || p.Config.SubscriptionDuration > lim.MaxDurationMinutes {
		return nil, ErrPresenceDuration
	}
	ids, errs, err := u.checkUserIDs(g, p.UserIDs, true, true)
	if err != nil {
		return nil, err
	}
	res := &messages.UsersStatusSubscribedResult{ErrorUserList: errs}
	if len(ids) == 0 {
		return res, nil
	}
	pr := u.pres
	now := g.rt.now().UnixMilli()
	exp := now + p.Config.SubscriptionDuration*60_000
	b := &persistence.Batch{}
	next := make(map[string]presenceSub, len(pr.subs)+len(ids))
	for id, s := range pr.subs {
		if s.expiresAt > now {
			next[id] = s
		} else {
			b.Delete(keyPresenceTarget(u.id, id))
			b.Delete(keyPresenceSubscriber(id, u.id))
		}
	}
	for i, id := range ids { // in call order: the first is the oldest of this call
		s := presenceSub{at: now*1000 + int64(i), expiresAt: exp}
		next[id] = s
		b.Put(keyPresenceTarget(u.id, id), u128(s.at, s.expiresAt))
		b.Put(keyPresenceSubscriber(id, u.id), u64(exp))
	}
	// Over the limit, the oldest subscriptions give way to the new ones.
	var evicted []string
	if over := len(next) - lim.SubscriptionsMax; over > 0 {
		order := make([]string, 0, len(next))
		for id := range next {
			order = append(order, id)
		}
		sort.Slice(order, func(i, j int) bool {
			a, c := next[order[i]], next[order[j]]
			if a.at != c.at {
				return a.at < c.at
			}
			return order[i] < order[j]
		})
		evicted = order[:over]
		for _, id := range evicted {
			delete(next, id)
			b.Delete(keyPresenceTarget(u.id, id))
			b.Delete(keyPresenceSubscriber(id, u.id))
		}
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return nil, err
	}
	pr.subs = next
	for _, id := range evicted {
		g.rt.Send(KindUser, id, &messages.PresenceSubscribe{Subscriber: u.id})
	}
	for _, id := range ids {
		if _, kept := next[id]; kept {
			g.rt.Send(KindUser, id, &messages.PresenceSubscribe{Subscriber: u.id, ExpiresAt: exp, Conns: slices.Clone(u.devices)})
		}
	}
	return res, nil
}

func (u *userActor) unsubscribeUsersStatus(g *grain, _ *messages.Call, p *messages.UnsubscribeUsersStatusParams) (*messages.UsersStatusUnsubscribedResult, error) {
	ids, errs, err := u.checkUserIDs(g, p.UserIDs, false, false)
	if err != nil {
		return nil, err
	}
	res := &messages.UsersStatusUnsubscribedResult{ErrorUserList: errs}
	now := g.rt.now().UnixMilli()
	b := &persistence.Batch{}
	var gone []string
	for _, id := range ids {
		s, ok := u.pres.subs[id]
		if !ok || s.expiresAt <= now {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrPresenceNotSub.Code})
			continue
		}
		gone = append(gone, id)
		b.Delete(keyPresenceTarget(u.id, id))
		b.Delete(keyPresenceSubscriber(id, u.id))
	}
	if len(gone) == 0 {
		return res, nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return nil, err
	}
	for _, id := range gone {
		delete(u.pres.subs, id)
		g.rt.Send(KindUser, id, &messages.PresenceSubscribe{Subscriber: u.id})
	}
	return res, nil
}

// storedStatus reads another user's status record. A record that says online is
// checked by its user actor (one-way): after a node stopped without telling, the actor
// that activates finds no devices and stores offline.
func (u *userActor) storedStatus(ctx context.Context, g *grain, id string) (*messages.UserStatus, bool, error) {
	now := g.rt.now().UnixMilli()
	if id == u.id {
		return u.statusView(g), true, nil
	}
	s, found, err := getRecord[messages.StoredUserStatus](ctx, g.rt.Store(), keyPresenceStatus(id))
	if err != nil {
		return nil, false, err
	}
	if !found {
		if _, gerr := g.rt.Store().Get(ctx, keyUser(id)); errors.Is(gerr, persistence.ErrNotFound) {
			return nil, false, nil
		} else if gerr != nil {
			return nil, false, gerr
		}
		return statusView(id, nil, now), true, nil
	}
	if s.OnlineStatus == StatusOnline {
		g.rt.Send(KindUser, id, &messages.PresenceStatusRequest{})
	}
	return statusView(id, s, now), true, nil
}

func (u *userActor) queryUsersStatus(g *grain, _ *messages.Call, p *messages.QueryUsersStatusParams) (*messages.UsersStatusQueriedResult, error) {
	ids, errs, err := u.checkUserIDs(g, p.UserIDs, false, false)
	if err != nil {
		return nil, err
	}
	res := &messages.UsersStatusQueriedResult{ErrorUserList: errs}
	ctx, cancel := g.CallCtx()
	defer cancel()
	for _, id := range ids {
		v, ok, err := u.storedStatus(ctx, g, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrUserNotExist.Code})
			continue
		}
		res.UserStatusList = append(res.UserStatusList, v)
	}
	return res, nil
}

func (u *userActor) querySubscribed(g *grain, _ *messages.Call, p *messages.QuerySubscribedUserStatusListParams) (*messages.SubscribedUserStatusListQueriedResult, error) {
	now := g.rt.now().UnixMilli()
	var ids []string
	if p.Config != nil && len(p.Config.UserIDs) > 0 {
		if len(p.Config.UserIDs) > g.rt.Limits().Presence.SubscriptionsMax {
			return nil, ErrPresenceTooMany
		}
		for _, id := range p.Config.UserIDs {
			if s, ok := u.pres.subs[id]; ok && s.expiresAt > now && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	} else {
		for id, s := range u.pres.subs {
			if s.expiresAt > now {
				ids = append(ids, id)
			}
		}
		sort.Slice(ids, func(i, j int) bool { // oldest subscription first
			a, b := u.pres.subs[ids[i]], u.pres.subs[ids[j]]
			if a.at != b.at {
				return a.at < b.at
			}
			return ids[i] < ids[j]
		})
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	res := &messages.SubscribedUserStatusListQueriedResult{}
	for _, id := range ids {
		v, ok, err := u.storedStatus(ctx, g, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			v = statusView(id, nil, now)
		}
		res.UserStatusSubscriptionList = append(res.UserStatusSubscriptionList, &messages.UserStatusSubscription{UserStatus: v, SubscribeExpiredTime: u.pres.subs[id].expiresAt})
	}
	return res, nil
}

func (u *userActor) updateCustomStatus(g *grain, c *messages.Call, p *messages.UpdateUserCustomStatusParams) (*messages.UserCustomStatusUpdatedResult, error) {
	lim := g.rt.Limits().Presence
	if !validText(p.CustomStatus, lim.CustomStatusBytes) {
		return nil, ErrCustomStatusInvalid
	}
	ttl := lim.CustomStatusDefaultTTL
	if p.Config != nil {
		if p.Config.Duration < 0 {
			return nil, ErrCustomStatusInvalid
		}
		if p.Config.Duration > 0 {
			ttl = time.Duration(p.Config.Duration) * time.Second
		}
	}
	now := g.rt.now().UnixMilli()
	old := u.pres.status
	if lim.CustomStatusInterval > 0 && old.LastCustomUpdateAt > 0 && now-old.LastCustomUpdateAt < lim.CustomStatusInterval.Milliseconds() {
		return nil, ErrServerRate
	}
	s := proto.Clone(old).(*messages.StoredUserStatus)
	s.CustomStatus, s.CustomStatusExpiredTime = p.CustomStatus, 0
	if p.CustomStatus != "" {
		s.CustomStatusExpiredTime = now + ttl.Milliseconds()
	}
	s.LastCustomStatusUpdateTime, s.LastCustomUpdateAt = now, now
	if s.LastOnlineStatusUpdateTime == 0 { // first record of a user online since before presence was stored
		s.OnlineStatus, s.LastOnlineStatusUpdateTime = StatusOffline, now
		if len(u.devices) > 0 {
			s.OnlineStatus = StatusOnline
			for _, d := range u.devices {
				if !slices.Contains(s.OnlinePlatforms, d.Platform) {
					s.OnlinePlatforms = append(s.OnlinePlatforms, d.Platform)
				}
			}
			slices.Sort(s.OnlinePlatforms)
		}
	}
	if err := u.saveStatus(g, s); err != nil {
		return nil, err
	}
	u.pres.dirty = false // (a pending flush finds nothing to do)
	var except uint64
	if c.Conn != nil {
		except = c.Conn.ConnID
	}
	u.pushStatus(g, except)
	return &messages.UserCustomStatusUpdatedResult{CustomStatus: p.CustomStatus}, nil
}
