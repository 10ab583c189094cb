package actors

import (
	"sort"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// TestEveryMethodHasItsHandler: each method of the table is served by the kinds its
// owner names, and no kind serves a method the table does not have.
func TestEveryMethodHasItsHandler(t *testing.T) {
	tables := map[string]map[string]bool{
		KindUser: names(userMethods), KindPeer: names(peerMethods), KindGroup: names(groupMethods),
		KindRoom: names(roomMethods), KindCommunity: names(communityMethods), KindChannel: names(channelMethods),
		KindCall: names(callMethods),
	}
	owners := map[messages.Owner][]string{
		messages.OwnerUser:         {KindUser},
		messages.OwnerGroup:        {KindGroup},
		messages.OwnerRoom:         {KindRoom},
		messages.OwnerCommunity:    {KindCommunity},
		messages.OwnerCall:         {KindCall},
		messages.OwnerConversation: {KindPeer, KindGroup, KindChannel},
	}
	for _, m := range messages.Methods() {
		for _, kind := range owners[m.Owner] {
			if !tables[kind][m.Name] {
				t.Errorf("%s (owner %s) has no handler in the %s kind", m.Name, m.Owner, kind)
			}
		}
	}
	// Rooms serve the message methods they support, and the gateway's room methods.
	for _, name := range []string{"sendMessage", "queryHistoryMessage", "createRoom", "enterRoom", "joinRoom", "leaveRoom"} {
		if !tables[KindRoom][name] {
			t.Errorf("rooms do not serve %s", name)
		}
	}
	for kind, table := range tables {
		for name := range table {
			if messages.LookupMethod(name) == nil {
				t.Errorf("the %s kind serves %s, which the method table does not have", kind, name)
			}
		}
	}
}

func names[A any](t methods[A]) map[string]bool {
	out := map[string]bool{}
	for name := range t {
		out[name] = true
	}
	return out
}

// TestParamsAreDecodedOnceAndBadParamsRefused: a call whose params do not decode is
// refused with 6000001 before the handler runs.
func TestParamsAreDecodedOnceAndBadParamsRefused(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice")
	u := w.grain(KindUser, "alice")
	rep, _ := u.Request(&messages.Call{Method: messages.MethodUpdateUserName.Name, UserID: "alice", Params: []byte{0xff, 0xff, 0xff}})
	if rep.Code != ErrParamInvalid.Code {
		t.Fatalf("undecodable params: %v", rep)
	}
	rep, _ = u.Request(&messages.Call{Method: "noSuchMethod", UserID: "alice"})
	if rep.Code != ErrUnsupported.Code {
		t.Fatalf("unknown method: %v", rep)
	}
	var kinds []string
	for _, k := range kindTable() {
		kinds = append(kinds, k.name)
	}
	sort.Strings(kinds)
	if got := AllKinds(); len(got) != len(kinds) {
		t.Fatalf("AllKinds %v, table %v", got, kinds)
	}
}
