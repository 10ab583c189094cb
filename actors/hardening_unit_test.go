package actors

import (
	"testing"

	"github.com/parley-chat/parley/messages"
)

// The total unread count's type filter takes ZIM's conversation types only (Peer 0,
// Room 1, Group 2, CommunityChannel 3): anything else is 6000001, not silently ignored.
func TestTotalUnreadRefusesUnknownConversationTypes(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	u := w.grain(KindUser, "alice")
	for _, bad := range []int32{-1, 4, 99, 1 << 30} {
		err := u.call("alice", "queryConversationTotalUnreadMessageCount", &messages.QueryConversationTotalUnreadMessageCountParams{
			Config: &messages.ConversationTotalUnreadMessageCountQueryConfig{ConversationTypes: []int32{ConvPeer, bad}}}, nil)
		wantCode(t, err, ErrParamInvalid)
	}
	if n := u.totalUnread("alice", ConvPeer, ConvRoom, ConvGroup, ConvChannel); n != 0 {
		t.Fatalf("total unread %d", n)
	}
}
