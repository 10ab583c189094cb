package actors

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Friends (issue 14 part A). A user's friend state lives in keyed records of that user
// (keys.go: fm, fo, fi, fao, fai): one record per friend and per application, ordered
// by a per-user order number so a page is one range read. The caller's user actor does
// every change; a change that concerns the other user too (adding, accepting, deleting
// both ways) writes both users' records in one batch, on the condition that neither
// user's friend head (fm, FriendMeta) changed since it was read, and then pushes the
// other user's events through the other user's actor. Nothing of it is kept in memory.

// ZIM friend enums.
const (
	FriendAppReceived = 1 // ZIMFriendApplicationType
	FriendAppSent     = 2

	FriendAppWaiting  = 1 // ZIMFriendApplicationState
	FriendAppAccepted = 2
	FriendAppRejected = 3
	FriendAppExpired  = 4

	FriendActionAdded   = 0 // ZIMFriendListChangeAction, ZIMFriendApplicationListChangeAction, ZIMBlacklistChangeAction
	FriendActionDeleted = 1

	FriendTypeBoth   = 0 // ZIMFriendDeleteType, ZIMFriendRelationCheckType
	FriendTypeSingle = 1

	RelationSingleNo      = 1 // ZIMUserRelationType
	RelationSingleHave    = 2
	RelationBothAllNo     = 3
	RelationBothSelfHave  = 4
	RelationBothOtherHave = 5
	RelationBothAllHave   = 6
)

// friendAttributeKeys are the only keys ZIM allows in friendAttributes.
var friendAttributeKeys = map[string]bool{"k0": true, "k1": true, "k2": true, "k3": true, "k4": true}

// ZIM's friend error codes (ZIMErrorCode 60008xx) and the blacklist ones.
var (
	ErrFriendLimit          = codeErr(6000801, "the friend list has reached its limit")
	ErrFriendAppState       = codeErr(6000802, "no waiting friend application from this user")
	ErrAlreadyFriend        = codeErr(6000803, "the user is already your friend")
	ErrAlreadyBlocked       = codeErr(6000804, "the user is already in your blacklist")
	ErrBlockSelf            = codeErr(6000805, "cannot add yourself to the blacklist")
	ErrNotBlocked           = codeErr(6000807, "the user is not in your blacklist")
	ErrBlacklistLimit       = codeErr(6000808, "the blacklist has reached its limit")
	ErrOtherFriendLimit     = codeErr(6000801, "the other user's friend list has reached its limit")
	ErrFriendSelf           = codeErr(6000810, "cannot add yourself as a friend")
	ErrFriendUnregistered   = codeErr(6000811, "the user is not registered")
	ErrNotFriend            = codeErr(6000812, "the user is not your friend")
	ErrDeleteSelf           = codeErr(6000813, "cannot delete yourself")
	ErrFriendAppExpired     = codeErr(6000814, "the friend application has expired")
	ErrBlacklistPerCall     = codeErr(6000021, "too many users in one blacklist call")
	ErrBlockedByUser        = codeErr(6000284, "the other user has put you in their blacklist")
	ErrFriendUsersPerCall   = codeErr(6000809, "too many users in one friend operation")
	errFriendRetriesExhaust = errors.New("friend state kept changing under the write")
)

// FriendLimits are the friend and blacklist limits, with ZIM's numbers as defaults.
type FriendLimits struct {
	MaxFriends          int           // friends per user; 3000 (ZIM)
	UsersPerCall        int           // userIDs per deleteFriends/checkFriendsRelation/queryFriendsInfo; 20 (ZIM deletes ≤ 20)
	AliasChars          int           // friendAlias; 256 characters (ZIM server API)
	WordingChars        int           // application wording; 256 characters (ZIM server API)
	AttributeValueChars int           // one friendAttributes value; 256 characters (not published by ZIM)
	ApplicationTTL      time.Duration // a waiting application expires; 7 days (not published by ZIM)
	MaxBlacklist        int           // blocked users per user; 1000 (ZIM)
	BlacklistPerCall    int           // userIDs per add/removeUsersToBlacklist; 20 (ZIM)
	PageMax             int           // page size of the friend, application and blacklist lists; 100
}

func defaultFriendLimits() FriendLimits {
	return FriendLimits{MaxFriends: 3000, UsersPerCall: 20, AliasChars: 256, WordingChars: 256,
		AttributeValueChars: 256, ApplicationTTL: 7 * 24 * time.Hour, MaxBlacklist: 1000, BlacklistPerCall: 20, PageMax: 100}
}

func (l *FriendLimits) validate() {
	d := defaultFriendLimits()
	for _, f := range []struct {
		v   *int
		def int
	}{{&l.MaxFriends, d.MaxFriends}, {&l.UsersPerCall, d.UsersPerCall},
		{&l.AliasChars, d.AliasChars}, {&l.WordingChars, d.WordingChars}, {&l.AttributeValueChars, d.AttributeValueChars},
		{&l.MaxBlacklist, d.MaxBlacklist}, {&l.BlacklistPerCall, d.BlacklistPerCall}, {&l.PageMax, d.PageMax}} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if l.ApplicationTTL <= 0 {
		l.ApplicationTTL = d.ApplicationTTL
	}
}

// ---- keys ----
//
//	fm  userID            FriendMeta (counts, last orders, version)
//	fo  userID order      FriendRecord
//	fi  userID friendID   OrderRef of the friend's fo record
//	fao userID order      FriendApplicationRecord
//	fai userID otherID    OrderRef of the application's fao record
//	fbo userID order      BlockRecord
//	fbi userID blockedID  OrderRef of the fbo record
//	ur  userID            StoredUserRule

func keyFriendMeta(u string) []byte { return persistence.NewKey("fm").Str(u).Bytes() }
func keyFriend(u string, order int64) []byte {
	return persistence.NewKey("fo").Str(u).U64(uint64(order)).Bytes()
}
func keyFriendPrefix(u string) []byte { return persistence.NewKey("fo").Str(u).Bytes() }
func keyFriendIndex(u, f string) []byte {
	return persistence.NewKey("fi").Str(u).Str(f).Bytes()
}
func keyFriendApp(u string, order int64) []byte {
	return persistence.NewKey("fao").Str(u).U64(uint64(order)).Bytes()
}
func keyFriendAppPrefix(u string) []byte { return persistence.NewKey("fao").Str(u).Bytes() }
func keyFriendAppIndex(u, other string) []byte {
	return persistence.NewKey("fai").Str(u).Str(other).Bytes()
}
func keyBlock(u string, order int64) []byte {
	return persistence.NewKey("fbo").Str(u).U64(uint64(order)).Bytes()
}
func keyBlockPrefix(u string) []byte { return persistence.NewKey("fbo").Str(u).Bytes() }
func keyBlockIndex(u, other string) []byte {
	return persistence.NewKey("fbi").Str(u).Str(other).Bytes()
}
func keyUserRule(u string) []byte { return persistence.NewKey("ur").Str(u).Bytes() }

// ---- heads and transactions ----

// friendHead is a user's FriendMeta as read, to be written back on the condition that
// it did not change meanwhile.
type friendHead struct {
	user  string
	meta  *messages.FriendMeta
	raw   []byte // nil: absent
	dirty bool
}

func loadFriendHead(ctx context.Context, st persistence.Store, user string) (*friendHead, error) {
	raw, err := st.Get(ctx, keyFriendMeta(user))
	h := &friendHead{user: user, meta: &messages.FriendMeta{}}
	if errors.Is(err, persistence.ErrNotFound) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(raw, h.meta); err != nil {
		return nil, errBadRecord
	}
	h.raw = raw
	return h, nil
}

// write adds the head to b (version bumped) with the condition that it is as read.
func (h *friendHead) write(b *persistence.Batch) {
	if h.raw == nil {
		b.ExpectAbsent(keyFriendMeta(h.user))
	} else {
		b.ExpectValue(keyFriendMeta(h.user), h.raw)
	}
	h.meta.Version++
	putProto(b, keyFriendMeta(h.user), h.meta)
}

// friendTx runs build with fresh reads and writes its batch; when another change of one
// of the heads it read came in between (a conflict), it runs again after a short random
// pause that grows with the attempts (many users writing to one popular user's head at
// once take turns instead of colliding again).
func friendTx(g *grain, build func(ctx context.Context, st persistence.Store, b *persistence.Batch) error) error {
	st := g.rt.Store()
	for attempt := 0; attempt < friendTxAttempts; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(rand.Int64N(int64(100*time.Microsecond) << min(attempt, 6)))) // backoff, not synchronisation
		}
		ctx, cancel := g.CallCtx()
		b := &persistence.Batch{}
		err := build(ctx, st, b)
		if err == nil && b.Len() > 0 {
			err = st.Write(ctx, b)
		}
		cancel()
		if !errors.Is(err, persistence.ErrConflict) {
			return err
		}
	}
	return errFriendRetriesExhaust
}

// friendTxAttempts bounds friendTx: at most about a second of pauses.
const friendTxAttempts = 24

// getOrdered reads the record an index key points to: found is false when there is none.
func getOrdered[T any, P record[T]](ctx context.Context, st persistence.Store, index []byte, key func(int64) []byte) (P, bool, error) {
	ref, found, err := getRecord[messages.OrderRef](ctx, st, index)
	if err != nil || !found {
		return nil, false, err
	}
	rec, found, err := getRecord[T, P](ctx, st, key(ref.Order))
	if err != nil || !found {
		return nil, false, err
	}
	return rec, true, nil
}

func getFriend(ctx context.Context, st persistence.Store, u, f string) (*messages.FriendRecord, bool, error) {
	return getOrdered[messages.FriendRecord](ctx, st, keyFriendIndex(u, f), func(o int64) []byte { return keyFriend(u, o) })
}

func getFriendApp(ctx context.Context, st persistence.Store, u, other string) (*messages.FriendApplicationRecord, bool, error) {
	return getOrdered[messages.FriendApplicationRecord](ctx, st, keyFriendAppIndex(u, other), func(o int64) []byte { return keyFriendApp(u, o) })
}

func isBlocked(ctx context.Context, st persistence.Store, u, other string) (bool, error) {
	_, err := st.Get(ctx, keyBlockIndex(u, other))
	if errors.Is(err, persistence.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// putFriend writes u's friend record (a new one gets the next order of u's head).
func putFriend(b *persistence.Batch, h *friendHead, rec *messages.FriendRecord) {
	if rec.Order == 0 {
		h.meta.LastFriendOrder++
		h.meta.Friends++
		rec.Order = h.meta.LastFriendOrder
		putProto(b, keyFriendIndex(h.user, rec.FriendID), &messages.OrderRef{Order: rec.Order})
	}
	putProto(b, keyFriend(h.user, rec.Order), rec)
	h.dirty = true
}

func deleteFriend(b *persistence.Batch, h *friendHead, rec *messages.FriendRecord) {
	b.Delete(keyFriend(h.user, rec.Order))
	b.Delete(keyFriendIndex(h.user, rec.FriendID))
	h.meta.Friends--
	h.dirty = true
}

// putFriendApp writes u's application record; fresh moves it to the front of the list
// (a new order), as a new or renewed application does.
func putFriendApp(b *persistence.Batch, h *friendHead, rec *messages.FriendApplicationRecord, fresh bool) {
	if fresh || rec.Order == 0 {
		if rec.Order != 0 {
			b.Delete(keyFriendApp(h.user, rec.Order))
		}
		h.meta.LastApplicationOrder++
		rec.Order = h.meta.LastApplicationOrder
		putProto(b, keyFriendAppIndex(h.user, rec.OtherID), &messages.OrderRef{Order: rec.Order})
	}
	putProto(b, keyFriendApp(h.user, rec.Order), rec)
	h.dirty = true
}

// ---- views ----

// userInfoOf reads a user's current profile as ZIMUserInfo (only the ID when the user
// has none).
func userInfoOf(ctx context.Context, st persistence.Store, id string) (*messages.UserInfo, bool, error) {
	p, found, err := getRecord[messages.StoredUser](ctx, st, keyUser(id))
	if err != nil {
		return nil, false, err
	}
	return &messages.UserInfo{UserID: id, UserName: p.UserName, UserAvatarUrl: p.UserAvatarUrl, UserExtendedData: p.ExtendedData}, found, nil
}

func friendView(rec *messages.FriendRecord, info *messages.UserInfo) *messages.FriendInfo {
	return &messages.FriendInfo{UserID: rec.FriendID, UserName: info.UserName, UserAvatarUrl: info.UserAvatarUrl,
		UserExtendedData: info.UserExtendedData, FriendAlias: rec.FriendAlias, FriendAttributes: rec.FriendAttributes,
		CreateTime: rec.CreateTime, Wording: rec.Wording}
}

func (u *userActor) appView(g *grain, rec *messages.FriendApplicationRecord, other *messages.UserInfo) *messages.FriendApplicationInfo {
	return &messages.FriendApplicationInfo{Type: rec.Type, State: friendAppState(g, rec), ApplyUser: other,
		Wording: rec.Wording, CreateTime: rec.CreateTime, UpdateTime: rec.UpdateTime}
}

// friendAppState is an application's state now: a waiting one past its TTL is expired.
func friendAppState(g *grain, rec *messages.FriendApplicationRecord) int32 {
	if rec.State == FriendAppWaiting && g.rt.now().UnixMilli() >= rec.CreateTime+g.rt.Limits().Friends.ApplicationTTL.Milliseconds() {
		return FriendAppExpired
	}
	return rec.State
}

// selfUserInfo is the caller's own profile as ZIMUserInfo (what the other user sees).
func (u *userActor) selfUserInfo() *messages.UserInfo { return u.fullInfo().BaseInfo }

// ---- validation ----

func (u *userActor) friendTarget(g *grain, id string, self *CodeError) error {
	if !ValidID(id, g.rt.Limits().UserIDBytes) {
		return ErrUserIDInvalid
	}
	if id == u.id {
		return self
	}
	return nil
}

func validFriendAttrs(l FriendLimits, attrs map[string]string) bool {
	for k, v := range attrs {
		if !friendAttributeKeys[k] || !validChars(v, l.AttributeValueChars) {
			return false
		}
	}
	return true
}

// checkOther refuses a target that never logged in (6000811) or that blacklisted the
// caller (6000284).
func (u *userActor) checkOther(ctx context.Context, st persistence.Store, other string) (*messages.UserInfo, error) {
	info, found, err := userInfoOf(ctx, st, other)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrFriendUnregistered
	}
	blocked, err := isBlocked(ctx, st, other, u.id)
	if err != nil {
		return nil, err
	}
	if blocked {
		return nil, ErrBlockedByUser
	}
	return info, nil
}

// friendUserMethods are the friend methods; they run in the caller's user actor.
func friendUserMethods(t methods[*userActor]) {
	on(t, messages.MethodAddFriend, (*userActor).addFriend)
	on(t, messages.MethodSendFriendApplication, (*userActor).sendFriendApplication)
	on(t, messages.MethodAcceptFriendApplication, (*userActor).acceptFriendApplication)
	on(t, messages.MethodRejectFriendApplication, (*userActor).rejectFriendApplication)
	on(t, messages.MethodDeleteFriends, (*userActor).deleteFriends)
	on(t, messages.MethodCheckFriendsRelation, (*userActor).checkFriendsRelation)
	on(t, messages.MethodUpdateFriendAlias, (*userActor).updateFriendAlias)
	on(t, messages.MethodUpdateFriendAttributes, (*userActor).updateFriendAttributes)
	on(t, messages.MethodQueryFriendsInfo, (*userActor).queryFriendsInfo)
	on(t, messages.MethodQueryFriendList, (*userActor).queryFriendList)
	on(t, messages.MethodQueryFriendApplicationList, (*userActor).queryFriendApplicationList)
}

// pairChange is what one two-sided change did, for the events after the write.
type pairChange struct {
	self, other           *friendHead
	selfFriend, othFriend *messages.FriendRecord // added to a list (nil: unchanged)
	selfApp, othApp       *messages.FriendApplicationRecord
	appNew                bool // the applications are new (listChanged), else updated
}

// pushPair pushes the events of a two-sided change to both users' devices.
func (u *userActor) pushPair(g *grain, pc *pairChange, otherInfo *messages.UserInfo) {
	me := u.selfUserInfo()
	other := pc.other.user
	if pc.selfApp != nil {
		v := u.appView(g, pc.selfApp, otherInfo)
		if pc.appNew {
			u.push(g, messages.EventFriendApplicationListChanged.With(&messages.FriendApplicationListChangedEvent{ApplicationList: []*messages.FriendApplicationInfo{v}, Action: FriendActionAdded}), 0)
		} else {
			u.push(g, messages.EventFriendApplicationUpdated.With(&messages.FriendApplicationUpdatedEvent{ApplicationList: []*messages.FriendApplicationInfo{v}}), 0)
		}
	}
	if pc.othApp != nil {
		v := u.appView(g, pc.othApp, me)
		if pc.appNew {
			g.rt.pushToUser(other, nil, messages.EventFriendApplicationListChanged.With(&messages.FriendApplicationListChangedEvent{ApplicationList: []*messages.FriendApplicationInfo{v}, Action: FriendActionAdded}))
		} else {
			g.rt.pushToUser(other, nil, messages.EventFriendApplicationUpdated.With(&messages.FriendApplicationUpdatedEvent{ApplicationList: []*messages.FriendApplicationInfo{v}}))
		}
	}
	if pc.selfFriend != nil {
		u.push(g, messages.EventFriendListChanged.With(&messages.FriendListChangedEvent{FriendList: []*messages.FriendInfo{friendView(pc.selfFriend, otherInfo)}, Action: FriendActionAdded}), 0)
	}
	if pc.othFriend != nil {
		g.rt.pushToUser(other, nil, messages.EventFriendListChanged.With(&messages.FriendListChangedEvent{FriendList: []*messages.FriendInfo{friendView(pc.othFriend, me)}, Action: FriendActionAdded}))
	}
}

// befriend adds other to the caller's list and the caller to other's list (where not
// there yet) in b. It refuses an existing friend (6000803) and checks both lists'
// limits (6000801, the caller's or the other's).
func (u *userActor) befriend(ctx context.Context, g *grain, st persistence.Store, b *persistence.Batch, pc *pairChange,
	mine *messages.FriendRecord, theirs *messages.FriendRecord) error {
	lim := g.rt.Limits().Friends
	other := pc.other.user
	_, had, err := getFriend(ctx, st, u.id, other)
	if err != nil {
		return err
	}
	if had {
		return ErrAlreadyFriend
	}
	_, otherHas, err := getFriend(ctx, st, other, u.id)
	if err != nil {
		return err
	}
	if pc.self.meta.Friends >= int64(lim.MaxFriends) {
		return ErrFriendLimit
	}
	if !otherHas && pc.other.meta.Friends >= int64(lim.MaxFriends) {
		return ErrOtherFriendLimit
	}
	putFriend(b, pc.self, mine)
	pc.selfFriend = mine
	if !otherHas {
		putFriend(b, pc.other, theirs)
		pc.othFriend = theirs
	}
	return nil
}

// acceptApps marks a waiting application between the caller and other (sent or
// received, both sides' records) accepted in b.
func (u *userActor) acceptApps(ctx context.Context, g *grain, st persistence.Store, b *persistence.Batch, pc *pairChange, now int64) error {
	mine, found, err := getFriendApp(ctx, st, u.id, pc.other.user)
	if err != nil || !found || friendAppState(g, mine) != FriendAppWaiting {
		return err
	}
	theirs, found, err := getFriendApp(ctx, st, pc.other.user, u.id)
	if err != nil {
		return err
	}
	mine.State, mine.UpdateTime = FriendAppAccepted, now
	putFriendApp(b, pc.self, mine, false)
	pc.selfApp = mine
	if found {
		theirs.State, theirs.UpdateTime = FriendAppAccepted, now
		putFriendApp(b, pc.other, theirs, false)
		pc.othApp = theirs
	}
	return nil
}

func (pc *pairChange) write(b *persistence.Batch) {
	pc.self.write(b)
	if pc.other.dirty {
		pc.other.write(b)
	} else if pc.other.raw == nil {
		b.ExpectAbsent(keyFriendMeta(pc.other.user))
	} else {
		b.ExpectValue(keyFriendMeta(pc.other.user), pc.other.raw)
	}
}

func (u *userActor) loadPair(ctx context.Context, st persistence.Store, other string) (*pairChange, error) {
	self, err := loadFriendHead(ctx, st, u.id)
	if err != nil {
		return nil, err
	}
	oth, err := loadFriendHead(ctx, st, other)
	if err != nil {
		return nil, err
	}
	return &pairChange{self: self, other: oth}, nil
}

// openPair reads the pair's heads, then checks the other user (a block written after the
// heads fails the batch's conditions): the start of a request that befriends or applies.
func (u *userActor) openPair(ctx context.Context, st persistence.Store, other string) (*pairChange, *messages.UserInfo, error) {
	pc, err := u.loadPair(ctx, st, other)
	if err != nil {
		return nil, nil, err
	}
	info, err := u.checkOther(ctx, st, other)
	if err != nil {
		return nil, nil, err
	}
	return pc, info, nil
}

// addFriend makes userID a friend at once, without the other's consent (ZIM's direct
// add): both lists get the other user.
func (u *userActor) addFriend(g *grain, c *messages.Call, p *messages.AddFriendParams) (*messages.FriendAddedResult, error) {
	lim := g.rt.Limits().Friends
	if err := u.friendTarget(g, p.UserID, ErrFriendSelf); err != nil {
		return nil, err
	}
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.FriendAddConfig{}
	}
	if !validChars(cfg.FriendAlias, lim.AliasChars) || !validChars(cfg.Wording, lim.WordingChars) || !validFriendAttrs(lim, cfg.FriendAttributes) {
		return nil, ErrParamInvalid
	}
	var pc *pairChange
	var info *messages.UserInfo
	now := g.rt.now().UnixMilli()
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		var err error
		if pc, info, err = u.openPair(ctx, st, p.UserID); err != nil {
			return err
		}
		mine := &messages.FriendRecord{FriendID: p.UserID, FriendAlias: cfg.FriendAlias, FriendAttributes: cfg.FriendAttributes, CreateTime: now, Wording: cfg.Wording}
		theirs := &messages.FriendRecord{FriendID: u.id, CreateTime: now, Wording: cfg.Wording}
		if err := u.befriend(ctx, g, st, b, pc, mine, theirs); err != nil {
			return err
		}
		if err := u.acceptApps(ctx, g, st, b, pc, now); err != nil {
			return err
		}
		pc.write(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.pushPair(g, pc, info)
	return &messages.FriendAddedResult{FriendInfo: friendView(pc.selfFriend, info)}, nil
}

// sendFriendApplication asks userID to become friends. When userID still has the
// caller as a friend (the caller deleted it one way), the caller becomes userID's friend
// again at once and the application is recorded as accepted (as ZIM does).
func (u *userActor) sendFriendApplication(g *grain, c *messages.Call, p *messages.SendFriendApplicationParams) (*messages.FriendApplicationSentResult, error) {
	lim := g.rt.Limits().Friends
	if err := u.friendTarget(g, p.UserID, ErrFriendSelf); err != nil {
		return nil, err
	}
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.FriendApplicationSendConfig{}
	}
	if !validChars(cfg.FriendAlias, lim.AliasChars) || !validChars(cfg.Wording, lim.WordingChars) || !validFriendAttrs(lim, cfg.FriendAttributes) {
		return nil, ErrParamInvalid
	}
	var pc *pairChange
	var info *messages.UserInfo
	now := g.rt.now().UnixMilli()
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		var err error
		if pc, info, err = u.openPair(ctx, st, p.UserID); err != nil {
			return err
		}
		pc.appNew = true
		if _, had, err := getFriend(ctx, st, u.id, p.UserID); err != nil {
			return err
		} else if had {
			return ErrAlreadyFriend
		}
		if pc.self.meta.Friends >= int64(lim.MaxFriends) {
			return ErrFriendLimit
		}
		_, otherHas, err := getFriend(ctx, st, p.UserID, u.id)
		if err != nil {
			return err
		}
		mine, _, err := getFriendApp(ctx, st, u.id, p.UserID)
		if err != nil {
			return err
		}
		theirs, _, err := getFriendApp(ctx, st, p.UserID, u.id)
		if err != nil {
			return err
		}
		if mine == nil {
			mine = &messages.FriendApplicationRecord{}
		}
		if theirs == nil {
			theirs = &messages.FriendApplicationRecord{}
		}
		state := int32(FriendAppWaiting)
		if otherHas {
			state = FriendAppAccepted
			rec := &messages.FriendRecord{FriendID: p.UserID, FriendAlias: cfg.FriendAlias, FriendAttributes: cfg.FriendAttributes, CreateTime: now, Wording: cfg.Wording}
			putFriend(b, pc.self, rec)
			pc.selfFriend = rec
		}
		*mine = messages.FriendApplicationRecord{OtherID: p.UserID, Type: FriendAppSent, State: state, Wording: cfg.Wording,
			CreateTime: now, UpdateTime: now, FriendAlias: cfg.FriendAlias, FriendAttributes: cfg.FriendAttributes, Order: mine.Order}
		*theirs = messages.FriendApplicationRecord{OtherID: u.id, Type: FriendAppReceived, State: state, Wording: cfg.Wording,
			CreateTime: now, UpdateTime: now, Order: theirs.Order}
		putFriendApp(b, pc.self, mine, true)
		putFriendApp(b, pc.other, theirs, true)
		pc.selfApp, pc.othApp = mine, theirs
		pc.write(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.pushPair(g, pc, info)
	return &messages.FriendApplicationSentResult{ApplicationInfo: u.appView(g, pc.selfApp, info)}, nil
}

// answerApp loads the waiting application userID sent the caller, for accept or reject.
func (u *userActor) answerApp(ctx context.Context, g *grain, st persistence.Store, pc *pairChange) (*messages.FriendApplicationRecord, *messages.FriendApplicationRecord, error) {
	mine, found, err := getFriendApp(ctx, st, u.id, pc.other.user)
	if err != nil {
		return nil, nil, err
	}
	if !found || mine.Type != FriendAppReceived {
		return nil, nil, ErrFriendAppState
	}
	switch friendAppState(g, mine) {
	case FriendAppWaiting:
	case FriendAppExpired:
		return nil, nil, ErrFriendAppExpired
	default:
		return nil, nil, ErrFriendAppState
	}
	theirs, found, err := getFriendApp(ctx, st, pc.other.user, u.id)
	if err != nil {
		return nil, nil, err
	}
	if !found || theirs.Type != FriendAppSent {
		theirs = nil
	}
	return mine, theirs, nil
}

func (u *userActor) acceptFriendApplication(g *grain, c *messages.Call, p *messages.AcceptFriendApplicationParams) (*messages.FriendApplicationAcceptedResult, error) {
	lim := g.rt.Limits().Friends
	if err := u.friendTarget(g, p.UserID, ErrFriendSelf); err != nil {
		return nil, err
	}
	cfg := p.Config
	if cfg == nil {
		cfg = &messages.FriendApplicationAcceptConfig{}
	}
	if !validChars(cfg.FriendAlias, lim.AliasChars) || !validFriendAttrs(lim, cfg.FriendAttributes) {
		return nil, ErrParamInvalid
	}
	var pc *pairChange
	var info *messages.UserInfo
	now := g.rt.now().UnixMilli()
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		var err error
		if pc, err = u.loadPair(ctx, st, p.UserID); err != nil {
			return err
		}
		mine, theirs, err := u.answerApp(ctx, g, st, pc)
		if err != nil {
			return err
		}
		if info, _, err = userInfoOf(ctx, st, p.UserID); err != nil {
			return err
		}
		rec := &messages.FriendRecord{FriendID: p.UserID, FriendAlias: cfg.FriendAlias, FriendAttributes: cfg.FriendAttributes, CreateTime: now, Wording: mine.Wording}
		back := &messages.FriendRecord{FriendID: u.id, CreateTime: now, Wording: mine.Wording}
		if theirs != nil {
			back.FriendAlias, back.FriendAttributes = theirs.FriendAlias, theirs.FriendAttributes
		}
		if err := u.befriend(ctx, g, st, b, pc, rec, back); err != nil {
			return err
		}
		mine.State, mine.UpdateTime = FriendAppAccepted, now
		putFriendApp(b, pc.self, mine, false)
		pc.selfApp = mine
		if theirs != nil {
			theirs.State, theirs.UpdateTime = FriendAppAccepted, now
			putFriendApp(b, pc.other, theirs, false)
			pc.othApp = theirs
		}
		pc.write(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.pushPair(g, pc, info)
	return &messages.FriendApplicationAcceptedResult{FriendInfo: friendView(pc.selfFriend, info)}, nil
}

func (u *userActor) rejectFriendApplication(g *grain, c *messages.Call, p *messages.RejectFriendApplicationParams) (*messages.FriendApplicationRejectedResult, error) {
	if err := u.friendTarget(g, p.UserID, ErrFriendSelf); err != nil {
		return nil, err
	}
	var pc *pairChange
	var info *messages.UserInfo
	now := g.rt.now().UnixMilli()
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		var err error
		if pc, err = u.loadPair(ctx, st, p.UserID); err != nil {
			return err
		}
		mine, theirs, err := u.answerApp(ctx, g, st, pc)
		if err != nil {
			return err
		}
		if info, _, err = userInfoOf(ctx, st, p.UserID); err != nil {
			return err
		}
		mine.State, mine.UpdateTime = FriendAppRejected, now
		putFriendApp(b, pc.self, mine, false)
		pc.selfApp = mine
		if theirs != nil {
			theirs.State, theirs.UpdateTime = FriendAppRejected, now
			putFriendApp(b, pc.other, theirs, false)
			pc.othApp = theirs
		}
		pc.write(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.pushPair(g, pc, info)
	return &messages.FriendApplicationRejectedResult{UserInfo: info}, nil
}

// checkUserIDs validates a list of user IDs of a friend call: 1..max of them.
func checkUserIDs(ids []string, max int, tooMany *CodeError) error {
	if len(ids) == 0 {
		return ErrParamInvalid
	}
	if len(ids) > max {
		return tooMany
	}
	return nil
}

// deleteFriends removes friends: single from the caller's list only, both from both
// lists. Users that are not friends, or the caller, are listed in errorUserList.
func (u *userActor) deleteFriends(g *grain, c *messages.Call, p *messages.DeleteFriendsParams) (*messages.FriendsDeletedResult, error) {
	lim := g.rt.Limits().Friends
	if err := checkUserIDs(p.UserIDs, lim.UsersPerCall, ErrFriendUsersPerCall); err != nil {
		return nil, err
	}
	typ := int32(FriendTypeBoth)
	if p.Config != nil {
		typ = p.Config.Type
	}
	if typ != FriendTypeBoth && typ != FriendTypeSingle {
		return nil, ErrParamInvalid
	}
	res := &messages.FriendsDeletedResult{}
	var deleted []*messages.FriendInfo
	me := u.selfUserInfo()
	seen := map[string]bool{}
	for _, id := range p.UserIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := u.friendTarget(g, id, ErrDeleteSelf); err != nil {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: err.(*CodeError).Code})
			continue
		}
		var view, back *messages.FriendInfo
		err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
			view, back = nil, nil
			pc, err := u.loadPair(ctx, st, id)
			if err != nil {
				return err
			}
			rec, found, err := getFriend(ctx, st, u.id, id)
			if err != nil {
				return err
			}
			if !found {
				return ErrNotFriend
			}
			info, _, err := userInfoOf(ctx, st, id)
			if err != nil {
				return err
			}
			deleteFriend(b, pc.self, rec)
			view = friendView(rec, info)
			if typ == FriendTypeBoth {
				theirs, found, err := getFriend(ctx, st, id, u.id)
				if err != nil {
					return err
				}
				if found {
					deleteFriend(b, pc.other, theirs)
					back = friendView(theirs, me)
				}
			}
			pc.write(b)
			return nil
		})
		var ce *CodeError
		if errors.As(err, &ce) {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ce.Code})
			continue
		}
		if err != nil {
			return nil, err
		}
		deleted = append(deleted, view)
		if back != nil {
			g.rt.pushToUser(id, nil, messages.EventFriendListChanged.With(&messages.FriendListChangedEvent{FriendList: []*messages.FriendInfo{back}, Action: FriendActionDeleted}))
		}
	}
	if len(deleted) > 0 {
		u.push(g, messages.EventFriendListChanged.With(&messages.FriendListChangedEvent{FriendList: deleted, Action: FriendActionDeleted}), 0)
	}
	return res, nil
}

func (u *userActor) checkFriendsRelation(g *grain, c *messages.Call, p *messages.CheckFriendsRelationParams) (*messages.FriendsRelationCheckedResult, error) {
	lim := g.rt.Limits().Friends
	if err := checkUserIDs(p.UserIDs, lim.UsersPerCall, ErrFriendUsersPerCall); err != nil {
		return nil, err
	}
	typ := int32(FriendTypeBoth)
	if p.Config != nil {
		typ = p.Config.Type
	}
	if typ != FriendTypeBoth && typ != FriendTypeSingle {
		return nil, ErrParamInvalid
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	res := &messages.FriendsRelationCheckedResult{}
	for _, id := range p.UserIDs {
		if err := u.friendTarget(g, id, ErrParamInvalid); err != nil {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: err.(*CodeError).Code})
			continue
		}
		_, mine, err := getFriend(ctx, st, u.id, id)
		if err != nil {
			return nil, err
		}
		rel := int32(RelationSingleNo)
		if typ == FriendTypeSingle {
			if mine {
				rel = RelationSingleHave
			}
		} else {
			_, theirs, err := getFriend(ctx, st, id, u.id)
			if err != nil {
				return nil, err
			}
			switch {
			case mine && theirs:
				rel = RelationBothAllHave
			case mine:
				rel = RelationBothSelfHave
			case theirs:
				rel = RelationBothOtherHave
			default:
				rel = RelationBothAllNo
			}
		}
		res.RelationInfos = append(res.RelationInfos, &messages.FriendRelationInfo{Type: rel, UserID: id})
	}
	return res, nil
}

// updateFriend changes the caller's record of friend id and pushes friendInfoUpdated
// to the caller's devices.
func (u *userActor) updateFriend(g *grain, id string, change func(*messages.FriendRecord)) (*messages.FriendInfo, error) {
	if err := u.friendTarget(g, id, ErrNotFriend); err != nil {
		return nil, err
	}
	var view *messages.FriendInfo
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		h, err := loadFriendHead(ctx, st, u.id)
		if err != nil {
			return err
		}
		rec, found, err := getFriend(ctx, st, u.id, id)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFriend
		}
		info, _, err := userInfoOf(ctx, st, id)
		if err != nil {
			return err
		}
		change(rec)
		putFriend(b, h, rec)
		h.write(b)
		view = friendView(rec, info)
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.push(g, messages.EventFriendInfoUpdated.With(&messages.FriendInfoUpdatedEvent{FriendList: []*messages.FriendInfo{view}}), 0)
	return view, nil
}

func (u *userActor) updateFriendAlias(g *grain, c *messages.Call, p *messages.UpdateFriendAliasParams) (*messages.FriendAliasUpdatedResult, error) {
	if !validChars(p.FriendAlias, g.rt.Limits().Friends.AliasChars) {
		return nil, ErrParamInvalid
	}
	view, err := u.updateFriend(g, p.UserID, func(r *messages.FriendRecord) { r.FriendAlias = p.FriendAlias })
	if err != nil {
		return nil, err
	}
	return &messages.FriendAliasUpdatedResult{FriendInfo: view}, nil
}

// updateFriendAttributes sets the given attributes (keys k0..k4); an empty value
// removes its key.
func (u *userActor) updateFriendAttributes(g *grain, c *messages.Call, p *messages.UpdateFriendAttributesParams) (*messages.FriendAttributesUpdatedResult, error) {
	if len(p.FriendAttributes) == 0 || !validFriendAttrs(g.rt.Limits().Friends, p.FriendAttributes) {
		return nil, ErrParamInvalid
	}
	view, err := u.updateFriend(g, p.UserID, func(r *messages.FriendRecord) {
		attrs := make(map[string]string, len(r.FriendAttributes)+len(p.FriendAttributes))
		for k, v := range r.FriendAttributes {
			attrs[k] = v
		}
		for k, v := range p.FriendAttributes {
			if v == "" {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		r.FriendAttributes = attrs
	})
	if err != nil {
		return nil, err
	}
	return &messages.FriendAttributesUpdatedResult{FriendInfo: view}, nil
}

func (u *userActor) queryFriendsInfo(g *grain, c *messages.Call, p *messages.FriendUserIDsParams) (*messages.FriendsInfoQueriedResult, error) {
	if err := checkUserIDs(p.UserIDs, g.rt.Limits().Friends.UsersPerCall, ErrFriendUsersPerCall); err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	res := &messages.FriendsInfoQueriedResult{}
	for _, id := range p.UserIDs {
		if err := u.friendTarget(g, id, ErrNotFriend); err != nil {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: err.(*CodeError).Code})
			continue
		}
		rec, found, err := getFriend(ctx, st, u.id, id)
		if err != nil {
			return nil, err
		}
		if !found {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrNotFriend.Code})
			continue
		}
		info, _, err := userInfoOf(ctx, st, id)
		if err != nil {
			return nil, err
		}
		res.FriendInfos = append(res.FriendInfos, friendView(rec, info))
	}
	return res, nil
}

// pageConfig checks a friend-style page config: count 1..max, nextFlag >= 0.
func pageConfig(cfg *messages.FriendPageConfig, max int) (int, int64, error) {
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > max || cfg.NextFlag < 0 {
		return 0, 0, ErrParamInvalid
	}
	return int(cfg.Count), cfg.NextFlag, nil
}

// orderedPage reads one page of a user's ordered records: ascending from order next
// (0: the first), or descending from order next (0: the newest) when newest. It returns
// the page and the order of the record after it (0: the end).
func orderedPage[T any, P record[T]](ctx context.Context, st persistence.Store, prefix []byte, key func(int64) []byte,
	count int, next int64, newest bool) ([]P, int64, error) {
	r := persistence.PrefixRange(prefix)
	if newest {
		r.Reverse = true
		if next > 0 {
			r.End = key(next + 1)
		}
	} else if next > 0 {
		r.Start = key(next)
	}
	r.Limit = count + 1
	var out []P
	var after int64
	var derr error
	err := st.Scan(ctx, r, func(k, v []byte) bool {
		if len(out) == count {
			after = int64(persistence.SeqFromKey(k))
			return false
		}
		rec := P(new(T))
		if err := proto.Unmarshal(v, rec); err != nil {
			derr = errBadRecord
			return false
		}
		out = append(out, rec)
		return true
	})
	if err == nil {
		err = derr
	}
	return out, after, err
}

// queryFriendList pages through the caller's friends in the order they were added;
// nextFlag is the order number of the next friend (0 starts, 0 in a result ends).
func (u *userActor) queryFriendList(g *grain, c *messages.Call, p *messages.FriendPageParams) (*messages.FriendListQueriedResult, error) {
	count, next, err := pageConfig(p.Config, g.rt.Limits().Friends.PageMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	recs, after, err := orderedPage[messages.FriendRecord](ctx, st, keyFriendPrefix(u.id), func(o int64) []byte { return keyFriend(u.id, o) }, count, next, false)
	if err != nil {
		return nil, err
	}
	res := &messages.FriendListQueriedResult{NextFlag: after, FriendList: make([]*messages.FriendInfo, 0, len(recs))}
	for _, rec := range recs {
		info, _, err := userInfoOf(ctx, st, rec.FriendID)
		if err != nil {
			return nil, err
		}
		res.FriendList = append(res.FriendList, friendView(rec, info))
	}
	return res, nil
}

// queryFriendApplicationList pages through the caller's applications (sent and
// received), newest first; nextFlag is the order number of the next (older) one.
func (u *userActor) queryFriendApplicationList(g *grain, c *messages.Call, p *messages.FriendPageParams) (*messages.FriendApplicationListQueriedResult, error) {
	count, next, err := pageConfig(p.Config, g.rt.Limits().Friends.PageMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	recs, after, err := orderedPage[messages.FriendApplicationRecord](ctx, st, keyFriendAppPrefix(u.id), func(o int64) []byte { return keyFriendApp(u.id, o) }, count, next, true)
	if err != nil {
		return nil, err
	}
	res := &messages.FriendApplicationListQueriedResult{NextFlag: after, ApplicationList: make([]*messages.FriendApplicationInfo, 0, len(recs))}
	for _, rec := range recs {
		info, _, err := userInfoOf(ctx, st, rec.OtherID)
		if err != nil {
			return nil, err
		}
		res.ApplicationList = append(res.ApplicationList, u.appView(g, rec, info))
	}
	return res, nil
}
