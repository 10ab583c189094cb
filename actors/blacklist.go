package actors

import (
	"context"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// The blacklist: one BlockRecord per blocked user under the blocking user (fbo by
// order, fbi by user ID), written by the blocking user's actor only. Blocking refuses
// the blocked user's 1:1 messages to the blocker (6000284, checked by the peer actor,
// which keeps both directions of its pair in memory and is told of every change with
// PeerBlockChanged) and the blocked user's addFriend and sendFriendApplication to the
// blocker (6000284). It does not end a friendship.

func blacklistUserMethods(t methods[*userActor]) {
	on(t, messages.MethodAddUsersToBlacklist, (*userActor).addToBlacklist)
	on(t, messages.MethodRemoveUsersFromBlacklist, (*userActor).removeFromBlacklist)
	on(t, messages.MethodQueryBlacklist, (*userActor).queryBlacklist)
	on(t, messages.MethodCheckUserIsInBlacklist, (*userActor).checkBlacklist)
}

// blacklistChange adds (or removes) users to the caller's blacklist; each user that
// cannot be is listed in errorUserList with its reason.
func (u *userActor) blacklistChange(g *grain, ids []string, add bool) ([]*messages.ErrorUserInfo, error) {
	lim := g.rt.Limits().Friends
	if err := checkUserIDs(ids, lim.BlacklistPerCall, ErrBlacklistPerCall); err != nil {
		return nil, err
	}
	var failed []*messages.ErrorUserInfo
	var changed []*messages.UserInfo
	now := g.rt.now().UnixMilli()
	err := friendTx(g, func(ctx context.Context, st persistence.Store, b *persistence.Batch) error {
		failed, changed = nil, nil
		h, err := loadFriendHead(ctx, st, u.id)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			reason, info, err := u.blockOne(ctx, g, st, b, h, id, add, now)
			if err != nil {
				return err
			}
			if reason != nil {
				failed = append(failed, &messages.ErrorUserInfo{UserID: id, Reason: reason.Code})
				continue
			}
			changed = append(changed, info)
		}
		if len(changed) > 0 {
			h.write(b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		for _, info := range changed {
			u.tellPeer(g, info.UserID)
		}
		action := int32(FriendActionAdded)
		if !add {
			action = FriendActionDeleted
		}
		u.push(g, messages.EventBlacklistChanged.With(&messages.BlacklistChangedEvent{UserList: changed, Action: action}), 0)
	}
	return failed, nil
}

// tellPeer makes the peer actor of the caller and other read the caller's block of
// other again, before the call is answered: a block is in force for every 1:1 message
// sent after the reply. Should the request fail (a node lost meanwhile), the notice is
// sent one-way instead (a peer actor activated later reads the store anyway).
func (u *userActor) tellPeer(g *grain, other string) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	note := &messages.PeerBlockChanged{UserID: u.id}
	if _, err := g.rt.Request(ctx, KindPeer, PeerIdentity(u.id, other), note); err != nil {
		g.Log().Warn("peer block notice not confirmed; sent one-way", "other", other, "err", err)
		g.rt.Send(KindPeer, PeerIdentity(u.id, other), note)
	}
}

// blockOne adds or removes one user in b; a refusal is returned as reason.
func (u *userActor) blockOne(ctx context.Context, g *grain, st persistence.Store, b *persistence.Batch, h *friendHead,
	id string, add bool, now int64) (*CodeError, *messages.UserInfo, error) {
	lim := g.rt.Limits().Friends
	if !ValidID(id, g.rt.Limits().UserIDBytes) {
		return ErrUserIDInvalid, nil, nil
	}
	if id == u.id {
		if add {
			return ErrBlockSelf, nil, nil
		}
		return ErrNotBlocked, nil, nil
	}
	ref, found, err := getRecord[messages.OrderRef](ctx, st, keyBlockIndex(u.id, id))
	if err != nil {
		return nil, nil, err
	}
	if !add {
		if !found {
			return ErrNotBlocked, nil, nil
		}
		b.Delete(keyBlock(u.id, ref.Order))
		b.Delete(keyBlockIndex(u.id, id))
		h.meta.Blocked--
		info, _, err := userInfoOf(ctx, st, id)
		return nil, info, err
	}
	if found {
		return ErrAlreadyBlocked, nil, nil
	}
	info, registered, err := userInfoOf(ctx, st, id)
	if err != nil {
		return nil, nil, err
	}
	if !registered {
		return ErrFriendUnregistered, nil, nil
	}
	if h.meta.Blocked >= int64(lim.MaxBlacklist) {
		return ErrBlacklistLimit, nil, nil
	}
	h.meta.Blocked++
	h.meta.LastBlockOrder++
	order := h.meta.LastBlockOrder
	putProto(b, keyBlock(u.id, order), &messages.BlockRecord{UserID: id, CreateTime: now, Order: order})
	putProto(b, keyBlockIndex(u.id, id), &messages.OrderRef{Order: order})
	return nil, info, nil
}

func (u *userActor) addToBlacklist(g *grain, c *messages.Call, p *messages.FriendUserIDsParams) (*messages.BlacklistUsersAddedResult, error) {
	failed, err := u.blacklistChange(g, p.UserIDs, true)
	if err != nil {
		return nil, err
	}
	return &messages.BlacklistUsersAddedResult{ErrorUserList: failed}, nil
}

func (u *userActor) removeFromBlacklist(g *grain, c *messages.Call, p *messages.FriendUserIDsParams) (*messages.BlacklistUsersRemovedResult, error) {
	failed, err := u.blacklistChange(g, p.UserIDs, false)
	if err != nil {
		return nil, err
	}
	return &messages.BlacklistUsersRemovedResult{ErrorUserList: failed}, nil
}

// queryBlacklist pages through the caller's blacklist in the order users were added;
// nextFlag is the order number of the next one (0 starts, 0 in a result ends).
func (u *userActor) queryBlacklist(g *grain, c *messages.Call, p *messages.FriendPageParams) (*messages.BlacklistQueriedResult, error) {
	count, next, err := pageConfig(p.Config, g.rt.Limits().Friends.PageMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	recs, after, err := orderedPage[messages.BlockRecord](ctx, st, keyBlockPrefix(u.id), func(o int64) []byte { return keyBlock(u.id, o) }, count, next, false)
	if err != nil {
		return nil, err
	}
	res := &messages.BlacklistQueriedResult{NextFlag: after, Blacklist: make([]*messages.UserInfo, 0, len(recs))}
	for _, rec := range recs {
		info, _, err := userInfoOf(ctx, st, rec.UserID)
		if err != nil {
			return nil, err
		}
		res.Blacklist = append(res.Blacklist, info)
	}
	return res, nil
}

func (u *userActor) checkBlacklist(g *grain, c *messages.Call, p *messages.FriendUserIDParams) (*messages.BlacklistCheckedResult, error) {
	if !ValidID(p.UserID, g.rt.Limits().UserIDBytes) {
		return nil, ErrUserIDInvalid
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	blocked, err := isBlocked(ctx, g.rt.Store(), u.id, p.UserID)
	if err != nil {
		return nil, err
	}
	return &messages.BlacklistCheckedResult{IsUserInBlacklist: blocked}, nil
}

// ---- the peer actor's side ----

// loadBlocks reads whether each user of the pair blocks the other.
func (p *peerActor) loadBlocks(g *grain) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	p.blocks = map[string]bool{}
	for _, u := range []string{p.a, p.b} {
		blocked, err := isBlocked(ctx, g.rt.Store(), u, p.other(u))
		if err != nil {
			return err
		}
		p.blocks[u] = blocked
	}
	return nil
}

// blockChanged reads again whether m.UserID blocks the other user of the pair.
func (p *peerActor) blockChanged(g *grain, m *messages.PeerBlockChanged) {
	if m.UserID != p.a && m.UserID != p.b {
		return
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	blocked, err := isBlocked(ctx, g.rt.Store(), m.UserID, p.other(m.UserID))
	if err != nil {
		g.Log().Error("read block record", "err", err)
		p.blocks = nil // read both again before the next send
		return
	}
	if p.blocks != nil {
		p.blocks[m.UserID] = blocked
	}
}

// checkBlocked refuses a 1:1 message from sender when the receiver blocked it.
func (p *peerActor) checkBlocked(g *grain, sender string) error {
	if p.blocks == nil {
		if err := p.loadBlocks(g); err != nil {
			return err
		}
	}
	if p.blocks[p.other(sender)] {
		return ErrSenderBlacklisted
	}
	return nil
}
