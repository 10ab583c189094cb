package load

import (
	"context"
	"fmt"
	"strconv"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// runGroup: Conns members in one group (created by the first, the rest invited 100 per
// call); the first Senders members send, and every other member's connection must get
// each message exactly once (groupMessageReceived).
func runGroup(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns
	if n < 2 {
		return nil, fmt.Errorf("load: group needs at least 2 members")
	}
	senders := min(max(cfg.Senders, 1), n)
	name := func(i int) string { return cfg.Prefix + "g" + strconv.Itoa(i) }
	sessions, closeAll, err := loginAll(ctx, cfg, n, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	groupID := cfg.Prefix + "grp"
	owner := sessions[0]
	var first []string
	for i := 1; i < n && i <= 100; i++ {
		first = append(first, name(i))
	}
	id := uint32(2)
	if err := owner.call(id, messages.MethodCreateGroup.Name, &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: groupID, GroupName: "load"}, UserIDs: first}); err != nil {
		return nil, err
	}
	for start := 101; start < n; start += 100 {
		var batch []string
		for i := start; i < n && i < start+100; i++ {
			batch = append(batch, name(i))
		}
		id++
		if err := owner.call(id, messages.MethodInviteUsersIntoGroup.Name, &messages.GroupUsersParams{UserIDs: batch, GroupID: groupID}); err != nil {
			return nil, err
		}
	}
	res, err := runSenders(ctx, cfg, "group", sessions[:senders], sessions, everyoneElse(n, groupID, actors.ConvGroup), messages.EventGroupMessageReceived.Name)
	if res != nil {
		res.Extra = map[string]any{"members": n, "senders": senders}
	}
	return res, err
}
