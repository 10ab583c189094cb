package gateway_test

import (
	"fmt"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// memberStorm has n users (online) call join at once and reports the errors.
func memberStorm(t *testing.T, users []*session, join func(s *session) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for _, s := range users {
		wg.Add(1)
		go func(s *session) {
			defer wg.Done()
			if err := join(s); err != nil {
				errs <- fmt.Errorf("%s: %w", s.user, err)
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// heardBefore lists, for s, the users of the member notices (event) it received before
// the first event named until, failing on a user heard twice or s itself; notices
// counts those notices.
func heardBefore(t *testing.T, s *session, event, until string, users func(proto.Message) []string) (heard map[string]bool, notices int) {
	t.Helper()
	heard = map[string]bool{}
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	for _, ev := range s.rec.events {
		if ev.name == until {
			break
		}
		if ev.name != event {
			continue
		}
		notices++
		for _, u := range users(ev.msg) {
			if heard[u] {
				t.Errorf("%s heard %s twice", s.user, u)
			}
			heard[u] = true
		}
	}
	if heard[s.user] {
		t.Errorf("%s was told of its own join", s.user)
	}
	return heard, notices
}

// A join storm into a group over real WebSockets: 50 online users call joinGroup at once
// while 10 members are online, then a member sends a message. Each member online
// throughout hears every joiner exactly once, before the message, in fewer notices than
// joins; no joiner hears of itself or twice of anyone, and two joiners never both hear
// of each other (a joiner hears the joins after the group learned its connection).
func TestGroupJoinStormNoticesExact(t *testing.T) {
	e := startEnv(t)
	const members, n = 10, 50
	owner := e.login("gs-owner", false, 0)
	var old []*session
	var ids []string
	for i := 0; i < members; i++ {
		s := e.login(fmt.Sprintf("gs-m%02d", i), false, 0)
		old = append(old, s)
		ids = append(ids, s.user)
	}
	_, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "gstorm"}, ids, nil)
	noErr(t, "create", err)
	for _, s := range old { // the members' user actors report their connections
		s.rec.wait(t, "groupStateChanged", nil)
	}
	joiners := make([]*session, n)
	for i := range joiners {
		joiners[i] = e.login(fmt.Sprintf("gs-j%02d", i), false, 0)
	}
	memberStorm(t, joiners, func(s *session) error { _, err := s.JoinGroup(ctx(t), "gstorm"); return err })
	_, err = owner.SendMessage(ctx(t), &m.Message{Type: 1, Message: "after the storm"}, "gstorm", 2, &m.MessageSendConfig{Priority: 2})
	noErr(t, "send", err)

	users := func(p proto.Message) []string {
		ev := p.(*m.GroupMemberStateChangedEvent)
		if ev.GroupID != "gstorm" || ev.State != 1 || ev.Event != 1 {
			t.Errorf("notice %v", ev)
		}
		var out []string
		for _, u := range ev.UserList {
			out = append(out, u.UserID)
		}
		return out
	}
	isMessage := func(p proto.Message) bool {
		l := p.(*m.ConversationMessageReceivedEvent).MessageList
		return len(l) == 1 && l[0].Message == "after the storm"
	}
	total := 0
	for _, s := range old {
		s.rec.wait(t, "groupMessageReceived", isMessage)
		heard, notices := heardBefore(t, s, "groupMemberStateChanged", "groupMessageReceived", users)
		for _, j := range joiners {
			if !heard[j.user] {
				t.Errorf("%s did not hear %s join before the message", s.user, j.user)
			}
		}
		if notices >= n {
			t.Errorf("%s: %d notices for %d joins: not coalesced", s.user, notices, n)
		}
		total += notices
	}
	heard := make([]map[string]bool, n)
	for i, s := range joiners {
		s.rec.wait(t, "groupMessageReceived", isMessage)
		heard[i], _ = heardBefore(t, s, "groupMemberStateChanged", "groupMessageReceived", users)
		for _, o := range old {
			if heard[i][o.user] {
				t.Errorf("%s heard of %s, a member from before it", s.user, o.user)
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if heard[i][joiners[j].user] && heard[j][joiners[i].user] {
				t.Errorf("%s and %s heard of each other", joiners[i].user, joiners[j].user)
			}
		}
	}
	t.Logf("%d joins announced to each of %d members in %.1f notices on average (before: %d)", n, members, float64(total)/members, n)
}

// The same storm into a community: a joiner's joining device is online from its join
// on, so of two joiners exactly the later-announced one is heard by the other, and
// members online throughout hear everyone, all before the owner's rename that follows.
func TestCommunityJoinStormNoticesExact(t *testing.T) {
	e := startEnv(t)
	const n = 50
	owner := e.login("cs-owner", false, 0)
	_, err := owner.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: "cstorm", CommunityName: "storm"}, nil)
	noErr(t, "create", err)
	joiners := make([]*session, n)
	for i := range joiners {
		joiners[i] = e.login(fmt.Sprintf("cs-j%02d", i), false, 0)
	}
	memberStorm(t, joiners, func(s *session) error { _, err := s.JoinCommunity(ctx(t), "cstorm"); return err })
	noErr(t, "rename", owner.UpdateCommunityName(ctx(t), "after the storm", "cstorm"))

	users := func(p proto.Message) []string {
		ev := p.(*m.CommunityMemberStateChangedEvent)
		if ev.CommunityID != "cstorm" || ev.State != 1 || ev.Event != 1 {
			t.Errorf("notice %v", ev)
		}
		var out []string
		for _, u := range ev.UserList {
			out = append(out, u.UserID)
		}
		return out
	}
	all := append([]*session{owner}, joiners...)
	heard := make([]map[string]bool, len(all))
	var ownerNotices int
	for i, s := range all {
		s.rec.wait(t, "communityInfoUpdated", nil)
		var notices int
		heard[i], notices = heardBefore(t, s, "communityMemberStateChanged", "communityInfoUpdated", users)
		if i == 0 {
			ownerNotices = notices
		}
	}
	for _, j := range joiners {
		if !heard[0][j.user] {
			t.Errorf("the owner did not hear %s join before the rename", j.user)
		}
	}
	if ownerNotices >= n {
		t.Errorf("the owner got %d notices for %d joins: not coalesced", ownerNotices, n)
	}
	for i := 1; i < len(all); i++ {
		for j := i + 1; j < len(all); j++ {
			if a, b := heard[i][all[j].user], heard[j][all[i].user]; a == b {
				t.Errorf("%s and %s: heard of each other %v / %v, want exactly one way", all[i].user, all[j].user, a, b)
			}
		}
	}
	t.Logf("%d joins announced to the owner in %d notices (before: %d)", n, ownerNotices, n)
}
