package load

import (
	"context"
	"fmt"
	"strconv"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// The channel scenario: Conns members of one community, all online, in its public
// channel "load" (conversation type 3); the first Senders of them send, and every other
// member's connection must get each message exactly once
// (communityChannelMessageReceived). In process, Members > Conns adds offline members
// (imported at once) so that a large community with few online members can be loaded:
// the cost of a message must follow the online members, not the members.

const loadChannelID = "load"

// runChannel runs the scenario over WebSockets.
func runChannel(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns
	if n < 2 {
		return nil, fmt.Errorf("load: channel needs at least 2 members")
	}
	if cfg.Members > n {
		return nil, fmt.Errorf("load: --members (offline members) needs --inproc: they are imported in process")
	}
	senders := min(max(cfg.Senders, 1), n)
	name := func(i int) string { return cfg.Prefix + "c" + strconv.Itoa(i) }
	sessions, closeAll, err := loginAll(ctx, cfg, n, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	communityID := cfg.Prefix + "com"
	owner := sessions[0]
	if err := owner.call(2, messages.MethodCreateCommunity.Name, &messages.CommunityCreateParams{
		CommunityInfo: &messages.CommunityInfo{CommunityID: communityID, CommunityName: "load"}}); err != nil {
		return nil, err
	}
	if err := owner.call(3, messages.MethodCreateCommunityChannel.Name, &messages.CommunityChannelCreateParams{CommunityID: communityID,
		ChannelInfo: &messages.CommunityChannelInfo{ChannelID: loadChannelID, ChannelName: "load"}}); err != nil {
		return nil, err
	}
	// Each member joins from its connection: the community knows that connection at once.
	if err := parallel(n-1, cfg.Concurrency, func(i int) error {
		return sessions[i+1].call(2, messages.MethodJoinCommunity.Name, &messages.CommunityIDParams{CommunityID: communityID})
	}); err != nil {
		return nil, err
	}
	conv := actors.ChannelConversationID(communityID, loadChannelID)
	res, err := runSenders(ctx, cfg, "channel", sessions[:senders], sessions, everyoneElse(n, conv, actors.ConvChannel), messages.EventCommunityChannelMessageReceived.Name)
	if res != nil {
		res.Extra = map[string]any{"members": n, "senders": senders}
	}
	return res, err
}

// everyoneElse: sender si's messages go to conversation conv (of type ctype) and reach
// every other one of the n members (group and channel scenarios).
func everyoneElse(n int, conv string, ctype int32) target {
	return func(si int) (string, int32, []int) {
		recv := make([]int, 0, n-1)
		for j := 0; j < n; j++ {
			if j != si {
				recv = append(recv, j)
			}
		}
		return conv, ctype, recv
	}
}

// runChannelInproc runs the scenario straight at the community and channel actors.
func runChannelInproc(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns
	if n < 2 {
		return nil, fmt.Errorf("load: channel needs at least 2 members")
	}
	senders := min(max(cfg.Senders, 1), n)
	ip, err := startInproc(ctx, cfg, messages.EventCommunityChannelMessageReceived.Name, cfg.Prefix+"c", n, senders)
	if err != nil {
		return nil, err
	}
	defer ip.stop()
	communityID := cfg.Prefix + "com"
	if err := callAs(ctx, ip, 0, messages.MethodCreateCommunity, &messages.CommunityCreateParams{
		CommunityInfo: &messages.CommunityInfo{CommunityID: communityID, CommunityName: "load"}}); err != nil {
		return nil, err
	}
	if err := callAs(ctx, ip, 0, messages.MethodCreateCommunityChannel, &messages.CommunityChannelCreateParams{
		CommunityID: communityID, ChannelInfo: &messages.CommunityChannelInfo{ChannelID: loadChannelID, ChannelName: "load"}}); err != nil {
		return nil, err
	}
	// Offline members first (imported, no events), then the online ones join from their
	// connections.
	for start := n; start < cfg.Members; start += 10_000 {
		ids := make([]string, 0, 10_000)
		for i := start; i < min(start+10_000, cfg.Members); i++ {
			ids = append(ids, cfg.Prefix+"off"+strconv.Itoa(i))
		}
		if err := callAs(ctx, ip, 0, messages.MethodImportCommunityMembers, &messages.CommunityUsersParams{
			CommunityID: communityID, UserIDs: ids}); err != nil {
			return nil, err
		}
	}
	if err := parallel(n-1, cfg.Concurrency, func(i int) error {
		return callAs(ctx, ip, i+1, messages.MethodJoinCommunity, &messages.CommunityIDParams{CommunityID: communityID})
	}); err != nil {
		return nil, err
	}
	// Settle: every user actor reported its connections to the community (a call to
	// each returns after it did), and the community passed them on to the channel before
	// it answers a call made after that.
	if err := parallel(n, cfg.Concurrency, func(i int) error {
		return callAs(ctx, ip, i, messages.MethodQuerySelfUserInfo, &messages.Empty{})
	}); err != nil {
		return nil, err
	}
	if err := callAs(ctx, ip, 0, messages.MethodQueryCommunityInfo, &messages.CommunityIDParams{CommunityID: communityID}); err != nil {
		return nil, err
	}
	conv := actors.ChannelConversationID(communityID, loadChannelID)
	tr := ip.transport(func(si int) int { return si })
	res, err := ip.e.run(ctx, "channel", "inproc", tr, everyoneElse(n, conv, actors.ConvChannel))
	if res != nil {
		res.Extra = map[string]any{"kinds": "user, community, channel", "online": n, "members": max(n, cfg.Members), "senders": senders}
	}
	return res, err
}
