package actors

import (
	"context"
	"encoding/binary"
	"errors"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// ZIM connection states and events used in connectionStateChanged.
const (
	ConnDisconnected = 0
	ConnConnected    = 2
	ConnEventKicked  = 4
	ConnEventExpired = 5
)

// CloseKicked is the close code a kicked connection gets; the gateway's disconnect
// codes take it from here.
const CloseKicked = 4001

// convEntry is one conversation in a user's conversation index.
type convEntry struct {
	ctype   int32
	id      string // as the user sees it (peer: the other user's ID)
	logID   string // the log's identity (peer: PeerIdentity)
	idx     *messages.StoredConvIndex
	st      *messages.StoredConvState
	lastSeq int64
	last    *messages.Message // stored form
	ownSeq  int64
	name    string
	avatar  string
	alias   string
	named   bool
	keyOf   *messages.Message // the last message key was parsed from
	key     int64
	// uncounted are seqs above the read position that do not count as unread (revoked
	// messages, tips; user_rich.go).
	uncounted []int64
	// mentions (mentions.go): what is known of the unread mentions, complete up to
	// mentionsTo
	mentions   []*messages.MessageMentionedInfo
	mentionsTo int64
	// mentionsGone: the user's mention records (mu) up to here are deleted
	// (mentions_cleanup.go); 0 after activation
	mentionsGone int64
	// mentionsNone: the user has no mention record of the conversation above
	// mentionsGone (known since a scan; a touch with mentions ends it)
	mentionsNone bool
}

func convKey(ct int32, id string) string { return ctypeStr(ct) + "/" + id }

// userActor owns a user's profile, online devices and conversation index. Unread counts
// are derived: last seq of the conversation minus the user's read position (the later of
// what they cleared and their own last message), so receiving a message writes nothing
// here.
type userActor struct {
	id      string
	profile *messages.StoredUser // nil until the user first logs in
	devices []*messages.ConnRef
	convs   map[string]*convEntry
	total   int64 // last total unread pushed

	communities map[string]*userCommunity // the user's communities (community_user.go)
	pres        *presence                 // status and status subscriptions (presence.go)
	fresh       bool                      // activated, no message handled yet: all loaded just now
	rules       *messages.StoredUserRule  // offline push rule and badge (user_rules.go); nil until read
}

func (u *userActor) canPassivate(g *grain) bool {
	if len(u.devices) > 0 {
		return false
	}
	u.subscriberConns(g)      // drops expired subscribers
	return u.pres.online == 0 // (online subscribers' connections live here)
}

func (u *userActor) activate(g *grain) error {
	u.id = g.ID()
	u.convs = map[string]*convEntry{}
	u.communities = map[string]*userCommunity{}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	profile, found, err := getRecord[messages.StoredUser](ctx, st, keyUser(u.id))
	if err != nil {
		return err
	}
	if found {
		u.profile = profile
	}
	prefix := keyConvIndexPrefix(u.id)
	if err := scanRecords(ctx, st, prefix, func(k []byte, idx *messages.StoredConvIndex) bool {
		if ct, id, ok := splitConvKey(prefix, k); ok {
			u.convs[convKey(ct, id)] = &convEntry{ctype: ct, id: id, logID: u.logID(ct, id), idx: idx, st: &messages.StoredConvState{}}
		}
		return true
	}); err != nil {
		return err
	}
	sprefix := keyConvStatePrefix(u.id)
	if err := scanRecords(ctx, st, sprefix, func(k []byte, s *messages.StoredConvState) bool {
		if ct, id, ok := splitConvKey(sprefix, k); ok {
			if e := u.convs[convKey(ct, id)]; e != nil {
				e.st = s
			}
		}
		return true
	}); err != nil {
		return err
	}
	for _, e := range u.convs {
		if e.ctype == ConvChannel {
			continue // loadCommunities decides which channels are still the user's, and loads them
		}
		if err := u.loadHead(ctx, g, e); err != nil {
			return err
		}
	}
	if err := u.loadCommunities(ctx, g, true); err != nil {
		return err
	}
	if err := u.loadPresence(ctx, g); err != nil {
		return err
	}
	u.total = u.totalUnread(nil)
	u.fresh = true
	return nil
}

func (u *userActor) logID(ct int32, id string) string {
	if ct == ConvPeer {
		return PeerIdentity(u.id, id)
	}
	return id
}

func (u *userActor) loadHead(ctx context.Context, g *grain, e *convEntry) error {
	st := g.rt.Store()
	h, found, err := getRecord[messages.LogHead](ctx, st, keyHead(e.ctype, e.logID))
	if err != nil {
		return err
	}
	if found {
		e.lastSeq, e.last = h.LastSeq, h.LastMessage
	}
	if e.idx != nil && e.idx.Since > e.lastSeq {
		e.ownSeq = 0 // nothing since the user came in: no own message counts
		return nil
	}
	raw, err := st.Get(ctx, keyOwnSeq(e.ctype, e.logID, u.id))
	if err == nil && len(raw) == 8 {
		e.ownSeq = int64(binary.BigEndian.Uint64(raw))
	} else if err != nil && !errors.Is(err, persistence.ErrNotFound) {
		return err
	}
	return loadUncounted(ctx, st, e)
}

// top is the last sequence number the user may see.
func (e *convEntry) top() int64 {
	if e.idx.Until > 0 && e.idx.Until < e.lastSeq {
		return e.idx.Until
	}
	return e.lastSeq
}

func (e *convEntry) readSeq() int64 {
	return max(e.st.ReadSeq, e.ownSeq, e.idx.Since-1, e.st.ClearedSeq)
}

func (e *convEntry) unread() int64 { return max(0, e.top()-e.readSeq()-e.uncountedUnread()) }

func (e *convEntry) status() int32 {
	if e.st.NotificationStatus != 0 {
		return e.st.NotificationStatus
	}
	if e.ctype == ConvChannel {
		return NotifyDND
	}
	return NotifyOn
}

// orderKey orders conversations newest first: the last message's ID (server IDs are
// time-ordered and unique), or the index's order key for a conversation without one.
func (e *convEntry) orderKey() int64 {
	if e.last != nil {
		if e.keyOf == e.last { // parsed once per last message (sorting asks often)
			return e.key
		}
		e.keyOf, e.key = e.last, e.last.Timestamp
		if id, err := strconv.ParseInt(e.last.MessageID, 10, 64); err == nil {
			e.key = id
		}
		return e.key
	}
	return e.idx.OrderKey
}

// totalUnread sums the unread counts of conversations in notify status (of the given
// types, all when empty).
func (u *userActor) totalUnread(types []int32) int64 {
	var n int64
	for _, e := range u.convs {
		if e.deleted() || e.status() != NotifyOn || !hasType(types, e.ctype) || !u.countsInTotal(e) {
			continue
		}
		n += e.unread()
	}
	return n
}

func hasType(types []int32, t int32) bool {
	if len(types) == 0 {
		return true
	}
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

func (u *userActor) view(g *grain, e *convEntry) *messages.Conversation {
	return u.viewWith(g, e, nil)
}

func (u *userActor) msgView(e *convEntry, m *messages.Message) *messages.Message {
	if e.ctype == ConvPeer {
		return peerView(m, u.id)
	}
	if m.SenderUserID == u.id { // the stored form is the sender's view: shared, read-only
		return m
	}
	v := copyMessage(m)
	v.Direction = 1
	return v
}

func (u *userActor) handle(g *grain, msg proto.Message) (proto.Message, error) {
	fresh := u.fresh
	u.fresh = false
	switch m := msg.(type) {
	case *messages.RegisterDevice:
		before := len(u.devices)
		known := u.hasDevice(m.Conn)
		res, err := u.register(g, m)
		if err == nil {
			u.devicesChanged(g, before)
			if !known {
				g.SendSelf(&messages.CallDeviceSync{Conn: m.Conn}) // after the reply (call_user.go)
			}
			u.presenceDevices(g, false, m.Conn.ConnID)
		}
		return res, err
	case *messages.CallDeviceSync:
		u.callDeviceSync(g, m.Conn)
		return nil, nil
	case *messages.UnregisterDevice:
		before := len(u.devices)
		u.unregister(m.Conn)
		u.devicesChanged(g, before)
		if before > 0 && len(u.devices) == 0 {
			g.SendSelf(&messages.CallDevicesGone{}) // call_user.go
		}
		u.presenceDevices(g, m.Logout, 0)
		return nil, nil
	case *messages.CallDevicesGone:
		u.callDevicesGone(g)
		return nil, nil
	case *messages.PresenceSubscribe:
		u.presenceSubscribe(g, m)
		return nil, nil
	case *messages.PresenceFlush:
		u.flushStatus(g)
		return nil, nil
	case *messages.PresenceStatusRequest:
		return nil, nil // activating the actor corrected a stale status (loadPresence)
	case *messages.GroupConversationUpdate:
		u.groupConversationUpdate(g, m)
		return nil, nil
	case *messages.ConversationTouched:
		u.touched(g, m)
		return nil, nil
	case *messages.ConversationRevised:
		u.revised(g, m)
		return nil, nil
	case *messages.CommunityUserUpdate:
		if !fresh || len(u.devices) > 0 { // (a notice that activated the actor: loaded already)
			u.communityUpdate(g, m)
		}
		return nil, nil
	case *messages.UserPush:
		u.pushRaw(g, m.Push, m.ExceptConnID)
		return nil, nil
	case *messages.CallInvitationPush:
		u.callInvitation(g, m)
		return nil, nil
	case *messages.Call:
		return u.call(g, m)
	}
	return nil, nil
}

func (u *userActor) register(g *grain, m *messages.RegisterDevice) (proto.Message, error) {
	if m.Conn == nil {
		return nil, ErrParamInvalid
	}
	if len(m.UserName) > g.rt.Limits().UserNameBytes {
		return nil, ErrParamInvalid
	}
	now := g.rt.now().UnixMilli()
	if u.profile == nil || (u.profile.UserName == "" && m.UserName != "") {
		p := &messages.StoredUser{Version: 1, UserID: u.id, CreatedAt: now, UpdatedAt: now}
		if u.profile != nil {
			p = proto.Clone(u.profile).(*messages.StoredUser)
			p.UpdatedAt = now
		}
		p.UserName = m.UserName
		if err := u.saveProfile(g, p); err != nil {
			return nil, err
		}
	}
	// A second login on the same platform kicks the older connection. A registration that
	// arrives after a newer connection of the same node registered is the older one (a
	// login whose request was delayed, e.g. retried across a cluster change, while its
	// client had given up and logged in again): it loses instead of kicking the newer.
	for _, d := range u.devices {
		if d.Platform == m.Conn.Platform && d.Node == m.Conn.Node && d.ConnID > m.Conn.ConnID {
			return nil, ErrLoginSuperseded
		}
	}
	kept := u.devices[:0]
	for _, d := range u.devices {
		if d.Platform == m.Conn.Platform && !(d.ConnID == m.Conn.ConnID && d.Node == m.Conn.Node) {
			push, _ := NewPush(messages.EventConnectionStateChanged.With(&messages.ConnectionStateChangedEvent{
				State: ConnDisconnected, Event: ConnEventKicked,
			}))
			g.rt.Deliver(d.Node, &messages.Deliver{ConnIDs: []uint64{d.ConnID}, Push: push, CloseCode: CloseKicked})
			continue
		}
		if d.ConnID == m.Conn.ConnID && d.Node == m.Conn.Node {
			continue
		}
		kept = append(kept, d)
	}
	u.devices = append(kept, m.Conn)
	return &messages.RegisterDeviceReply{}, nil
}

func (u *userActor) unregister(c *messages.ConnRef) {
	if c == nil {
		return
	}
	kept := u.devices[:0]
	for _, d := range u.devices {
		if d.ConnID != c.ConnID || d.Node != c.Node {
			kept = append(kept, d)
		}
	}
	u.devices = kept
}

func (u *userActor) saveProfile(g *grain, p *messages.StoredUser) error {
	raw, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	b := &persistence.Batch{}
	b.Put(keyUser(u.id), raw)
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	u.profile = p
	return nil
}

func (u *userActor) push(g *grain, ev messages.Pushed, except uint64) {
	g.rt.pushEvents(u.devices, []PushEvent{{Pushed: ev, Except: except}})
}

func (u *userActor) pushRaw(g *grain, p *messages.Push, except uint64) {
	g.rt.pushEvents(u.devices, []PushEvent{{Pushed: messages.Pushed{Name: p.Event}, Push: p, Except: except}})
}

// touched handles a new message in one of the user's conversations.
func (u *userActor) touched(g *grain, t *messages.ConversationTouched) {
	// The message is shared with its log owner and other readers: read-only here.
	m := t.Message
	if m == nil {
		m = &messages.Message{}
		if err := proto.Unmarshal(t.LastMessage, m); err != nil {
			g.Log().Error("bad touched message", "err", err)
			return
		}
	}
	var except uint64
	if t.SenderConn != nil && m.SenderUserID == u.id {
		except = t.SenderConn.ConnID
	}
	key := convKey(t.ConversationType, t.ConversationID)
	e := u.convs[key]
	if e == nil && t.ConversationType == ConvChannel {
		return // not (or no longer) in the channel: channel conversations come from the community
	}
	if t.NotifyOnly {
		if len(u.devices) > 0 {
			ev := &messages.ConversationMessageReceivedEvent{
				MessageList: []*messages.Message{u.msgView(&convEntry{ctype: t.ConversationType}, m)}, FromConversationID: t.ConversationID,
				Info: &messages.MessageReceivedInfo{},
			}
			u.push(g, messages.Pushed{Name: t.PushEvent, Payload: ev}, except) // the peer named a typed event
		}
		return
	}
	event := int32(1) // updated
	if e == nil {
		event = 0 // added
		e = &convEntry{ctype: t.ConversationType, id: t.ConversationID, logID: u.logID(t.ConversationType, t.ConversationID),
			idx: &messages.StoredConvIndex{Since: 1}, st: &messages.StoredConvState{}}
		u.convs[key] = e
	}
	if e.st.Deleted {
		e.st.Deleted = false
		event = 0
	}
	e.noteTouch(t, e.lastSeq)
	if t.LastSeq >= e.lastSeq {
		e.lastSeq, e.last = t.LastSeq, m
	}
	if m.SenderUserID == u.id && t.LastSeq > e.ownSeq {
		e.ownSeq = t.LastSeq
	}
	if len(t.Uncounted) > 0 {
		e.addUncounted(t.Uncounted)
	}
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return
	}
	// All events of this message go out together (one queue operation per connection);
	// the message's view is built once for both events that carry it.
	var buf [3]PushEvent
	events := buf[:0]
	var mv *messages.Message
	if t.PushEvent != "" && m.MessageSeq <= e.top() {
		mv = u.msgView(e, m)
		events = append(events, PushEvent{Pushed: messages.Pushed{Name: t.PushEvent, Payload: &messages.ConversationMessageReceivedEvent{
			MessageList: []*messages.Message{mv}, FromConversationID: t.ConversationID,
			Info: &messages.MessageReceivedInfo{},
		}}, Except: except})
	}
	if e.last != m {
		mv = nil
	}
	g.rt.pushEvents(u.devices, u.changedEvents(g, e, event, mv, events))
}

// conversationChanged pushes the conversation's new state, and the total unread count
// when it moved.
func (u *userActor) conversationChanged(g *grain, e *convEntry, event int32) {
	if len(u.devices) == 0 {
		u.total = u.totalUnread(nil)
		return
	}
	var buf [2]PushEvent
	g.rt.pushEvents(u.devices, u.changedEvents(g, e, event, nil, buf[:0]))
}

func (u *userActor) saveConvState(g *grain, e *convEntry) error {
	raw, err := proto.Marshal(e.st)
	if err != nil {
		return err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	b := &persistence.Batch{}
	b.Put(keyConvState(u.id, e.ctype, e.id), raw)
	done, err := u.readMentionDeletes(g, e, e.readSeq(), b) // mentions_cleanup.go
	if err != nil {
		return err
	}
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	if done != nil {
		done()
	}
	return nil
}

func (u *userActor) entry(id string, ct int32) (*convEntry, error) {
	e := u.convs[convKey(ct, id)]
	if e == nil || e.deleted() {
		return nil, ErrConvNotExist
	}
	return e, nil
}

func (u *userActor) call(g *grain, c *messages.Call) (proto.Message, error) {
	if len(u.devices) == 0 {
		// group and community conversations are kept fresh for online users only
		u.refreshGroups(g)
		u.refreshCommunities(g)
	}
	return userMethods.serve(u, g, c)
}

// userMethods are the client methods a user serves in its own user actor; feature files
// (groups, communities) add their user-wide methods.
var userMethods = newMethods(userProfileMethods, userConversationMethods, groupUserMethods, communityUserMethods,
	friendUserMethods, blacklistUserMethods, userRuleMethods, callUserMethods, presenceUserMethods, conversationOpsMethods)

func userProfileMethods(t methods[*userActor]) {
	on(t, messages.MethodQuerySelfUserInfo, func(u *userActor, g *grain, _ *messages.Call, _ *messages.Empty) (*messages.SelfUserInfoQueriedResult, error) {
		if err := u.loadRules(g); err != nil {
			return nil, err
		}
		return &messages.SelfUserInfoQueriedResult{SelfUserInfo: u.selfInfo(g)}, nil
	})
	on(t, messages.MethodUpdateUserName, func(u *userActor, g *grain, c *messages.Call, p *messages.UpdateUserNameParams) (*messages.UserNameUpdatedResult, error) {
		if err := u.updateText(g, c, p.UserName, g.rt.Limits().UserNameBytes, func(s *messages.StoredUser, v string) { s.UserName = v }); err != nil {
			return nil, err
		}
		return &messages.UserNameUpdatedResult{UserName: p.UserName}, nil
	})
	on(t, messages.MethodUpdateUserAvatarUrl, func(u *userActor, g *grain, c *messages.Call, p *messages.UpdateUserAvatarUrlParams) (*messages.UserAvatarUrlUpdatedResult, error) {
		if err := u.updateText(g, c, p.UserAvatarUrl, g.rt.Limits().UserAvatarURLBytes, func(s *messages.StoredUser, v string) { s.UserAvatarUrl = v }); err != nil {
			return nil, err
		}
		return &messages.UserAvatarUrlUpdatedResult{UserAvatarUrl: p.UserAvatarUrl}, nil
	})
	on(t, messages.MethodUpdateUserExtendedData, func(u *userActor, g *grain, c *messages.Call, p *messages.UpdateUserExtendedDataParams) (*messages.UserExtendedDataUpdatedResult, error) {
		if err := u.updateText(g, c, p.ExtendedData, g.rt.Limits().UserExtendedData, func(s *messages.StoredUser, v string) { s.ExtendedData = v }); err != nil {
			return nil, err
		}
		return &messages.UserExtendedDataUpdatedResult{ExtendedData: p.ExtendedData}, nil
	})
	on(t, messages.MethodQueryUsersInfo, (*userActor).queryUsers)
}

func userConversationMethods(t methods[*userActor]) {
	on(t, messages.MethodQueryConversationList, (*userActor).conversationList)
	on(t, messages.MethodQueryConversation, func(u *userActor, g *grain, _ *messages.Call, p *messages.ConversationRef) (*messages.ConversationQueriedResult, error) {
		e, err := u.entry(p.ConversationID, p.ConversationType)
		if err != nil {
			return nil, err
		}
		return &messages.ConversationQueriedResult{Conversation: u.view(g, e)}, nil
	})
	on(t, messages.MethodClearConversationUnreadMessageCount, func(u *userActor, g *grain, _ *messages.Call, p *messages.ConversationRef) (*messages.ConversationRef, error) {
		e, err := u.entry(p.ConversationID, p.ConversationType)
		if err != nil {
			return nil, err
		}
		if e.unread() > 0 {
			old := e.st.ReadSeq
			e.st.ReadSeq = e.top()
			if err := u.saveConvState(g, e); err != nil {
				e.st.ReadSeq = old
				return nil, err
			}
			u.conversationChanged(g, e, 1)
		}
		return &messages.ConversationRef{ConversationID: e.id, ConversationType: e.ctype}, nil
	})
	on(t, messages.MethodQueryConversationTotalUnreadMessageCount, func(u *userActor, _ *grain, _ *messages.Call, p *messages.QueryConversationTotalUnreadMessageCountParams) (*messages.ConversationTotalUnreadMessageCountQueriedResult, error) {
		var types []int32
		if p.Config != nil {
			types = p.Config.ConversationTypes
		}
		for _, ct := range types { // ZIMConversationType: Peer 0, Room 1, Group 2, CommunityChannel 3
			if ct < ConvPeer || ct > ConvChannel {
				return nil, ErrParamInvalid
			}
		}
		return &messages.ConversationTotalUnreadMessageCountQueriedResult{UnreadMessageCount: u.totalUnread(types)}, nil
	})
	on(t, messages.MethodSetConversationNotificationStatus, func(u *userActor, g *grain, _ *messages.Call, p *messages.SetConversationNotificationStatusParams) (*messages.ConversationRef, error) {
		if p.Status != NotifyOn && p.Status != NotifyDND {
			return nil, ErrParamInvalid
		}
		return u.setState(g, p.ConversationID, p.ConversationType, func(s *messages.StoredConvState) { s.NotificationStatus = p.Status })
	})
	on(t, messages.MethodSetConversationDraft, func(u *userActor, g *grain, _ *messages.Call, p *messages.SetConversationDraftParams) (*messages.ConversationRef, error) {
		if !validText(p.Draft, g.rt.Limits().DraftBytes) {
			return nil, ErrParamInvalid
		}
		return u.setState(g, p.ConversationID, p.ConversationType, func(s *messages.StoredConvState) { s.Draft = p.Draft })
	})
}

func (u *userActor) setState(g *grain, id string, ct int32, change func(*messages.StoredConvState)) (*messages.ConversationRef, error) {
	e, err := u.entry(id, ct)
	if err != nil {
		return nil, err
	}
	old := proto.Clone(e.st).(*messages.StoredConvState)
	change(e.st)
	if err := u.saveConvState(g, e); err != nil {
		e.st = old
		return nil, err
	}
	u.conversationChanged(g, e, 1)
	return &messages.ConversationRef{ConversationID: e.id, ConversationType: e.ctype}, nil
}

func (u *userActor) fullInfo() *messages.UserFullInfo {
	p := u.profile
	if p == nil {
		p = &messages.StoredUser{UserID: u.id}
	}
	return &messages.UserFullInfo{
		BaseInfo:      &messages.UserInfo{UserID: u.id, UserName: p.UserName, UserAvatarUrl: p.UserAvatarUrl, UserExtendedData: p.ExtendedData},
		UserAvatarUrl: p.UserAvatarUrl,
		ExtendedData:  p.ExtendedData,
	}
}

func (u *userActor) selfInfo(g *grain) *messages.SelfUserInfo {
	return &messages.SelfUserInfo{UserFullInfo: u.fullInfo(), UserRule: u.userRule(), UserStatus: u.statusView(g)}
}

// updateText checks value (at most limit bytes) and stores it with set in the profile.
func (u *userActor) updateText(g *grain, c *messages.Call, value string, limit int, set func(*messages.StoredUser, string)) error {
	if !validText(value, limit) {
		return ErrParamInvalid
	}
	return u.updateProfile(g, c, func(s *messages.StoredUser) { set(s, value) })
}

func (u *userActor) updateProfile(g *grain, c *messages.Call, change func(*messages.StoredUser)) error {
	if u.profile == nil {
		return ErrUserNotExist
	}
	p := proto.Clone(u.profile).(*messages.StoredUser)
	change(p)
	p.UpdatedAt = g.rt.now().UnixMilli()
	if err := u.saveProfile(g, p); err != nil {
		return err
	}
	var except uint64
	if c.Conn != nil {
		except = c.Conn.ConnID
	}
	u.push(g, messages.EventUserInfoUpdated.With(&messages.UserInfoUpdatedEvent{Info: u.fullInfo()}), except)
	return nil
}

func (u *userActor) queryUsers(g *grain, c *messages.Call, p *messages.QueryUsersInfoParams) (*messages.UsersInfoQueriedResult, error) {
	lim := g.rt.Limits()
	if len(p.UserIDs) == 0 {
		return nil, ErrParamInvalid
	}
	if len(p.UserIDs) > lim.QueryUsersMax {
		return nil, ErrUserQueryLimit
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	res := &messages.UsersInfoQueriedResult{}
	for _, id := range p.UserIDs {
		if !ValidID(id, lim.UserIDBytes) {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrUserIDInvalid.Code})
			continue
		}
		raw, err := g.rt.Store().Get(ctx, keyUser(id))
		if errors.Is(err, persistence.ErrNotFound) {
			res.ErrorUserList = append(res.ErrorUserList, &messages.ErrorUserInfo{UserID: id, Reason: ErrUserNotExist.Code})
			continue
		}
		if err != nil {
			return nil, err
		}
		s := &messages.StoredUser{}
		if err := proto.Unmarshal(raw, s); err != nil {
			return nil, err
		}
		res.UserList = append(res.UserList, &messages.UserFullInfo{
			BaseInfo:      &messages.UserInfo{UserID: id, UserName: s.UserName, UserAvatarUrl: s.UserAvatarUrl, UserExtendedData: s.ExtendedData},
			UserAvatarUrl: s.UserAvatarUrl, ExtendedData: s.ExtendedData,
		})
	}
	return res, nil
}

func (u *userActor) conversationList(g *grain, c *messages.Call, p *messages.QueryConversationListParams) (*messages.ConversationListQueriedResult, error) {
	if p.Config == nil || p.Config.Count <= 0 || int(p.Config.Count) > g.rt.Limits().PageMax {
		return nil, ErrParamInvalid
	}
	opt := p.Option
	if opt == nil {
		opt = &messages.ConversationFilterOption{}
	}
	list := make([]*convEntry, 0, len(u.convs))
	for _, e := range u.convs {
		if e.deleted() || !hasType(opt.ConversationTypes, e.ctype) {
			continue
		}
		if opt.IsOnlyUnreadConversation && e.unread() == 0 {
			continue
		}
		if len(opt.Marks) > 0 && !anyMark(opt.Marks, e.st.Marks) {
			continue
		}
		if (opt.PinnedFilter == 1 && !e.st.IsPinned) || (opt.PinnedFilter == 2 && e.st.IsPinned) {
			continue
		}
		list = append(list, e)
	}
	var anchor *convEntry
	if n := p.Config.NextConversation; n != nil {
		anchor = u.convs[convKey(n.Type, n.ConversationID)]
		if anchor == nil { // the anchor is gone: page by its order key alone
			anchor = &convEntry{ctype: n.Type, id: n.ConversationID, idx: &messages.StoredConvIndex{OrderKey: n.OrderKey}, st: &messages.StoredConvState{IsPinned: n.IsPinned}}
		}
	}
	res := &messages.ConversationListQueriedResult{}
	for _, e := range convPage(list, anchor, int(p.Config.Count)) {
		res.ConversationList = append(res.ConversationList, u.view(g, e))
	}
	return res, nil
}

func anyMark(want, have []int32) bool {
	for _, w := range want {
		for _, h := range have {
			if w == h {
				return true
			}
		}
	}
	return false
}
