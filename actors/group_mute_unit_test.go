package actors

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group kind's mutes: the whole group (normal, custom roles, all)
// and single members, each ending on the clock the kinds see.

// guSend sends a text message to the group as user.
func guSend(g *unitGrain, user, text string) (*messages.Message, error) {
	var res messages.MessageSentResult
	err := g.call(user, "sendMessage", &messages.SendMessageParams{
		ToConversationID: guID, ConversationType: ConvGroup, Message: &messages.Message{Type: MsgText, Message: text},
	}, &res)
	return res.Message, err
}

func guMustSend(tb testing.TB, g *unitGrain, user, text string) *messages.Message {
	tb.Helper()
	m, err := guSend(g, user, text)
	if err != nil {
		tb.Fatalf("%s sends %q: %v", user, text, err)
	}
	return m
}

func guMuteGroup(g *unitGrain, by string, mute bool, mode int32, seconds int64, roles ...int32) (*messages.GroupMutedResult, error) {
	var res messages.GroupMutedResult
	err := g.call(by, "muteGroup", &messages.GroupMuteParams{GroupID: guID, IsMute: mute, Config: &messages.GroupMuteConfig{Mode: mode, Duration: seconds, Roles: roles}}, &res)
	return &res, err
}

func guMuteMembers(g *unitGrain, by string, mute bool, seconds int64, users ...string) (*messages.GroupMembersMutedResult, error) {
	var res messages.GroupMembersMutedResult
	err := g.call(by, "muteGroupMembers", &messages.GroupMuteMembersParams{GroupID: guID, IsMute: mute, UserIDs: users, Config: &messages.GroupMemberMuteConfig{Duration: seconds}}, &res)
	return &res, err
}

// guSpeakers reports, per user, whether a message of theirs is admitted now (a refusal
// must be ErrSenderMuted).
func guSpeakers(tb testing.TB, g *unitGrain, users ...string) map[string]bool {
	tb.Helper()
	out := map[string]bool{}
	for _, u := range users {
		_, err := guSend(g, u, "from "+u)
		if err != nil {
			wantCode(tb, err, ErrSenderMuted)
		}
		out[u] = err == nil
	}
	return out
}

func guWantSpeakers(tb testing.TB, g *unitGrain, want map[string]bool) {
	tb.Helper()
	users := slices.Sorted(maps.Keys(want))
	got := guSpeakers(tb, g, users...)
	for _, u := range users {
		if got[u] != want[u] {
			tb.Fatalf("%s may speak: %v, want %v (all %v)", u, got[u], want[u], got)
		}
	}
}

func TestUnitGroupMuteWholeGroupModesAndExpiry(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol", "dave"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	guSetRole(t, g, "owner", "dave", 120) // a custom role
	guOnline(g, "carol", 12)
	w.rec.takePushes()

	// Refusals: bad configs first, then rights.
	for _, c := range []struct {
		mode    int32
		seconds int64
		roles   []int32
	}{
		{4, 60, nil}, {-1, 60, nil}, {MuteNormal, 0, nil}, {MuteNormal, -2, nil}, {MuteNormal, 30*24*3600 + 1, nil},
		{MuteCustom, 60, nil}, {MuteCustom, 60, []int32{4}}, {MuteCustom, 60, slices.Repeat([]int32{RoleMember}, 21)}, // 21 roles > 20
	} {
		_, err := guMuteGroup(g, "owner", true, c.mode, c.seconds, c.roles...)
		wantCode(t, err, ErrParamInvalid)
	}
	_, err := guMuteGroup(g, "carol", true, MuteNormal, 60)
	wantCode(t, err, ErrGroupNoPermission)
	_, err = guMuteGroup(g, "ghost", true, MuteNormal, 60)
	wantCode(t, err, ErrNotGroupMember)
	// Admins never silence the owner or the admins.
	_, err = guMuteGroup(g, "bob", true, MuteAll, 60)
	wantCode(t, err, ErrGroupNoPermission)
	_, err = guMuteGroup(g, "bob", true, MuteCustom, 60, RoleMember, RoleAdmin)
	wantCode(t, err, ErrGroupNoPermission)
	_, err = guMuteGroup(g, "bob", true, MuteCustom, 60, RoleOwner)
	wantCode(t, err, ErrGroupNoPermission)
	if len(w.rec.takePushes()) != 0 {
		t.Fatal("a refused mute pushed")
	}
	guWantSpeakers(t, g, map[string]bool{"owner": true, "bob": true, "carol": true, "dave": true})

	// Normal, by an admin, for a minute: the ordinary members and custom roles.
	res, err := guMuteGroup(g, "bob", true, MuteNormal, 60)
	if err != nil {
		t.Fatal(err)
	}
	exp := w.now.Add(time.Minute).UnixMilli()
	if !res.IsMute || res.MutedInfo.Mode != MuteNormal || res.MutedInfo.ExpiredTime != exp {
		t.Fatalf("mute result %v", res)
	}
	ev := guOne[*messages.GroupMutedInfoUpdatedEvent](t, guConnPushes(w), 12, "groupMutedInfoUpdated")
	if ev.MutedInfo.Mode != MuteNormal || ev.MutedInfo.ExpiredTime != exp || ev.OperatedInfo.UserID != "bob" {
		t.Fatalf("mute push %v", ev)
	}
	guWantSpeakers(t, g, map[string]bool{"owner": true, "bob": true, "carol": false, "dave": false})
	// Stored: a fresh activation keeps the mute.
	g = w.grain(KindGroup, guID)
	if mi := guInfo(t, g, "carol").MutedInfo; mi.Mode != MuteNormal || mi.ExpiredTime != exp {
		t.Fatalf("muted info %v", mi)
	}
	guWantSpeakers(t, g, map[string]bool{"carol": false, "dave": false})
	// It ends on the clock: still on at the last millisecond, off from the expiry.
	w.now = w.now.Add(time.Minute - time.Millisecond)
	guWantSpeakers(t, g, map[string]bool{"carol": false})
	w.now = w.now.Add(time.Millisecond)
	guWantSpeakers(t, g, map[string]bool{"carol": true, "dave": true})
	if mi := guInfo(t, g, "carol").MutedInfo; mi.Mode != MuteNone || mi.ExpiredTime != 0 {
		t.Fatalf("expired muted info %v", mi)
	}

	// Custom, permanent: only the listed role.
	if _, err := guMuteGroup(g, "owner", true, MuteCustom, -1, 120, 120); err != nil {
		t.Fatal(err)
	}
	if mi := guInfo(t, g, "owner").MutedInfo; mi.Mode != MuteCustom || mi.ExpiredTime != -1 || !slices.Equal(mi.Roles, []int32{120}) {
		t.Fatalf("custom muted info %v", mi)
	}
	w.now = w.now.Add(365 * 24 * time.Hour)
	guWantSpeakers(t, g, map[string]bool{"owner": true, "bob": true, "carol": true, "dave": false})
	// All, by the owner: the owner too.
	if _, err := guMuteGroup(g, "owner", true, MuteAll, 3600); err != nil {
		t.Fatal(err)
	}
	guWantSpeakers(t, g, map[string]bool{"owner": false, "bob": false, "carol": false, "dave": false})
	// Unmuting (isMute false) ends it at once, whatever the config says.
	res, err = guMuteGroup(g, "owner", false, MuteAll, 3600)
	if err != nil || res.IsMute || res.MutedInfo.Mode != MuteNone {
		t.Fatalf("unmute %v %v", res, err)
	}
	guWantSpeakers(t, w.grain(KindGroup, guID), map[string]bool{"owner": true, "bob": true, "carol": true, "dave": true})
}

func TestUnitGroupMuteMembersExpiryAndMutedList(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.GroupMuteMembersMax = 3 })
	g := guNewGroup(w, "owner", []string{"bob", "carl", "carol", "dave", "erin"}, nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	guSetRole(t, g, "owner", "carl", RoleAdmin)
	guOnline(g, "erin", 14)
	w.rec.takePushes()

	_, err := guMuteMembers(g, "owner", true, 60)
	wantCode(t, err, ErrParamInvalid)
	_, err = guMuteMembers(g, "owner", true, 60, "carol", "dave", "erin", "bob") // 4 > 3
	wantCode(t, err, ErrParamInvalid)
	for _, bad := range []int64{0, -2, 30*24*3600 + 1} {
		_, err = guMuteMembers(g, "owner", true, bad, "carol")
		wantCode(t, err, ErrParamInvalid)
	}
	_, err = guMuteMembers(g, "dave", true, 60, "carol")
	wantCode(t, err, ErrGroupNoPermission)
	_, err = guMuteMembers(g, "ghost", true, 60, "carol")
	wantCode(t, err, ErrNotGroupMember)

	// An admin mutes ordinary members only.
	res, err := guMuteMembers(g, "bob", true, 120, "carol", "owner", "carl")
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsMute || res.Duration != 120 || !slices.Equal(res.MutedUserIDs, []string{"carol"}) {
		t.Fatalf("mute result %v", res)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"owner": ErrGroupNoPermission, "carl": ErrGroupNoPermission})
	res, err = guMuteMembers(g, "bob", true, 120, "bob", "ghost")
	if err != nil || len(res.MutedUserIDs) != 0 {
		t.Fatalf("muting oneself and a stranger: %v %v", res, err)
	}
	guWantReasons(t, res.ErrorUserList, map[string]*CodeError{"bob": ErrGroupNoPermission, "ghost": ErrNotGroupMember})
	carolExp := w.now.Add(2 * time.Minute).UnixMilli()
	ev := guOne[*messages.GroupMemberInfoUpdatedEvent](t, guConnPushes(w), 14, "groupMemberInfoUpdated")
	if len(ev.UserList) != 1 || ev.UserList[0].UserID != "carol" || ev.UserList[0].MuteExpiredTime != carolExp {
		t.Fatalf("member mute push %v", ev)
	}
	// The owner mutes an admin, permanently.
	if _, err := guMuteMembers(g, "owner", true, -1, "carl"); err != nil {
		t.Fatal(err)
	}
	guWantSpeakers(t, g, map[string]bool{"owner": true, "bob": true, "carl": false, "carol": false, "dave": true})

	mutedList := func(gr *unitGrain, count int32) []string {
		var ids []string
		var next int64
		for {
			var res messages.GroupMemberMutedListQueriedResult
			gr.mustCall("dave", "queryGroupMemberMutedList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: count, NextFlag: next}}, &res)
			if len(res.UserList) > int(count) {
				t.Fatalf("%d muted members in a page of %d", len(res.UserList), count)
			}
			for _, m := range res.UserList {
				if m.MuteExpiredTime == 0 {
					t.Fatalf("listed but not muted: %v", m)
				}
				ids = append(ids, m.UserID)
			}
			if res.NextFlag == 0 {
				return ids
			}
			next = res.NextFlag
		}
	}
	if got := mutedList(g, 1); !slices.Equal(got, []string{"carl", "carol"}) {
		t.Fatalf("muted list %v", got)
	}
	wantCode(t, g.call("ghost", "queryGroupMemberMutedList", &messages.GroupMemberListQueryParams{GroupID: guID, Config: &messages.GroupPageConfig{Count: 5}}, nil), ErrNotGroupMember)

	// Stored; then carol's mute runs out on the clock, carl's does not.
	g = w.grain(KindGroup, guID)
	if m := guMember(t, g, "dave", "carol"); m.MuteExpiredTime != carolExp {
		t.Fatalf("carol after a reload %v", m)
	}
	guWantSpeakers(t, g, map[string]bool{"carl": false, "carol": false})
	w.now = w.now.Add(2*time.Minute + time.Millisecond)
	guWantSpeakers(t, g, map[string]bool{"carl": false, "carol": true})
	if m := guMember(t, g, "dave", "carol"); m.MuteExpiredTime != 0 {
		t.Fatalf("carol's expired mute shows %d", m.MuteExpiredTime)
	}
	if got := mutedList(g, 10); !slices.Equal(got, []string{"carl"}) {
		t.Fatalf("muted list after the expiry %v", got)
	}
	// Unmuting needs no duration.
	var ur messages.GroupMembersMutedResult
	g.mustCall("owner", "muteGroupMembers", &messages.GroupMuteMembersParams{GroupID: guID, UserIDs: []string{"carl"}}, &ur)
	if ur.IsMute || !slices.Equal(ur.MutedUserIDs, []string{"carl"}) {
		t.Fatalf("unmute result %v", &ur)
	}
	g = w.grain(KindGroup, guID)
	guWantSpeakers(t, g, map[string]bool{"carl": true, "carol": true})
	if got := mutedList(g, 10); len(got) != 0 {
		t.Fatalf("muted list after unmuting %v", got)
	}
}
