package actors

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// User rules: the offline push rule (ZIMUserOfflinePushRule) and the app badge, one
// StoredUserRule record per user (ur). parley stores them and returns the rule in
// querySelfUserInfo's userRule; it sends no offline pushes (out of scope), so neither
// changes delivery.

// validPlatforms are ZIMPlatformType's values.
var validPlatforms = map[int32]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 9: true, 10: true, 32: true}

func userRuleMethods(t methods[*userActor]) {
	on(t, messages.MethodUpdateUserOfflinePushRule, (*userActor).updateOfflinePushRule)
	on(t, messages.MethodUpdateUserBadge, (*userActor).updateBadge)
}

// loadRules reads the user's rule record once per activation.
func (u *userActor) loadRules(g *grain) error {
	if u.rules != nil {
		return nil
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	r, _, err := getRecord[messages.StoredUserRule](ctx, g.rt.Store(), keyUserRule(u.id))
	if err != nil {
		return err
	}
	u.rules = r
	return nil
}

// userRule is ZIMUserRule as querySelfUserInfo returns it (empty lists when never set).
func (u *userActor) userRule() *messages.UserRule {
	rule := &messages.UserOfflinePushRule{}
	if u.rules != nil && u.rules.OfflinePushRule != nil {
		rule = u.rules.OfflinePushRule
	}
	return &messages.UserRule{OfflinePushRule: rule}
}

func (u *userActor) saveRules(g *grain, r *messages.StoredUserRule) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	raw, err := proto.Marshal(r)
	if err != nil {
		return err
	}
	b := &persistence.Batch{}
	b.Put(keyUserRule(u.id), raw)
	if err := g.rt.Store().Write(ctx, b); err != nil {
		return err
	}
	u.rules = r
	return nil
}

// cleanPlatforms checks a platform list: ZIMPlatformType values, each at most once
// (repeats are dropped).
func cleanPlatforms(in []int32) ([]int32, bool) {
	out := make([]int32, 0, len(in))
	seen := map[int32]bool{}
	for _, p := range in {
		if !validPlatforms[p] {
			return nil, false
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, true
}

// updateOfflinePushRule replaces the rule (every field, as ZIM says) and pushes
// userRuleUpdated to all the user's devices.
func (u *userActor) updateOfflinePushRule(g *grain, c *messages.Call, p *messages.UpdateUserOfflinePushRuleParams) (*messages.UserOfflinePushRuleUpdatedResult, error) {
	if p.OfflinePushRule == nil {
		return nil, ErrParamInvalid
	}
	online, ok1 := cleanPlatforms(p.OfflinePushRule.OnlinePlatforms)
	notTo, ok2 := cleanPlatforms(p.OfflinePushRule.NotToReceiveOfflinePushPlatforms)
	if !ok1 || !ok2 {
		return nil, ErrParamInvalid
	}
	if err := u.loadRules(g); err != nil {
		return nil, err
	}
	r := proto.Clone(u.rules).(*messages.StoredUserRule)
	r.OfflinePushRule = &messages.UserOfflinePushRule{OnlinePlatforms: online, NotToReceiveOfflinePushPlatforms: notTo}
	r.UpdatedAt = g.rt.now().UnixMilli()
	if err := u.saveRules(g, r); err != nil {
		return nil, err
	}
	u.push(g, messages.EventUserRuleUpdated.With(&messages.UserRuleUpdatedEvent{UserRule: u.userRule()}), 0)
	return &messages.UserOfflinePushRuleUpdatedResult{OfflinePushRule: r.OfflinePushRule}, nil
}

// updateBadge stores the user's app badge (>= 0).
func (u *userActor) updateBadge(g *grain, c *messages.Call, p *messages.UpdateUserBadgeParams) (*messages.Empty, error) {
	if p.Badge < 0 {
		return nil, ErrParamInvalid
	}
	if err := u.loadRules(g); err != nil {
		return nil, err
	}
	r := proto.Clone(u.rules).(*messages.StoredUserRule)
	r.Badge = p.Badge
	r.UpdatedAt = g.rt.now().UnixMilli()
	if err := u.saveRules(g, r); err != nil {
		return nil, err
	}
	return &messages.Empty{}, nil
}
