package gateway_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// The blacklist and user rules end to end: the blocker's devices, the blocked user's
// refused messages and friend requests, the limits, and a restart.

func blacklistEvent(action int32, ids ...string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		e := p.(*m.BlacklistChangedEvent)
		if e.Action != action || len(e.UserList) != len(ids) {
			return false
		}
		for i, id := range ids {
			if e.UserList[i].UserID != id {
				return false
			}
		}
		return true
	}
}

func TestBlacklistEndToEnd(t *testing.T) {
	e := startEnv(t)
	e.registered("carol")
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 1)
	bob := e.login("bob", true, 6)

	// before: bob may write to alice
	if _, err := bob.SendText(ctx(t), "before", "alice", 0); err != nil {
		t.Fatal(err)
	}
	alice.rec.wait(t, "peerMessageReceived", nil)

	errs, err := alice.AddUsersToBlacklist(ctx(t), []string{"bob", "carol", "alice", "ghost"})
	if err != nil || len(errs) != 2 || errs[0].UserID != "alice" || errs[0].Reason != 6000805 || errs[1].Reason != 6000811 {
		t.Fatalf("addUsersToBlacklist: %v %v", errs, err)
	}
	for _, s := range []*session{alice, alice2} {
		ev := s.rec.wait(t, "blacklistChanged", blacklistEvent(0, "bob", "carol")).(*m.BlacklistChangedEvent)
		if ev.UserList[0].UserName != "name-bob" {
			t.Fatalf("blacklistChanged user info: %v", ev.UserList[0])
		}
	}
	if errs, err := alice.AddUsersToBlacklist(ctx(t), []string{"bob"}); err != nil || len(errs) != 1 || errs[0].Reason != 6000804 {
		t.Fatalf("blocking twice: %v %v", errs, err)
	}

	// bob's 1:1 messages to alice are refused; alice may still write to bob
	if _, err := bob.SendText(ctx(t), "blocked", "alice", 0); codeOf(err) != 6000284 {
		t.Fatalf("a blocked sender: want 6000284, got %v", err)
	}
	if _, err := alice.SendText(ctx(t), "from alice", "bob", 0); err != nil {
		t.Fatalf("the blocker writing: %v", err)
	}
	bob.rec.wait(t, "peerMessageReceived", nil)
	// and bob cannot befriend her
	if _, err := bob.AddFriend(ctx(t), "alice", nil); codeOf(err) != 6000284 {
		t.Fatalf("addFriend by a blocked user: want 6000284, got %v", err)
	}
	if _, err := bob.SendFriendApplication(ctx(t), "alice", nil); codeOf(err) != 6000284 {
		t.Fatalf("sendFriendApplication by a blocked user: want 6000284, got %v", err)
	}
	if in, err := alice.CheckUserIsInBlacklist(ctx(t), "bob"); err != nil || !in {
		t.Fatalf("checkUserIsInBlacklist bob: %v %v", in, err)
	}
	if in, err := bob.CheckUserIsInBlacklist(ctx(t), "alice"); err != nil || in {
		t.Fatalf("bob's blacklist: %v %v", in, err)
	}

	// all of it across a restart: the peer actor reads the block again
	e.restart()
	alice = e.login("alice", false, 6)
	bob = e.login("bob", true, 6)
	if _, err := bob.SendText(ctx(t), "after restart", "alice", 0); codeOf(err) != 6000284 {
		t.Fatalf("a blocked sender after restart: want 6000284, got %v", err)
	}
	page, err := alice.QueryBlacklist(ctx(t), 1, 0)
	if err != nil || len(page.Blacklist) != 1 || page.Blacklist[0].UserID != "bob" || page.NextFlag == 0 {
		t.Fatalf("queryBlacklist page 1: %v %v", page, err)
	}
	page, err = alice.QueryBlacklist(ctx(t), 1, page.NextFlag)
	if err != nil || len(page.Blacklist) != 1 || page.Blacklist[0].UserID != "carol" || page.NextFlag != 0 {
		t.Fatalf("queryBlacklist page 2: %v %v", page, err)
	}

	errs, err = alice.RemoveUsersFromBlacklist(ctx(t), []string{"bob", "ghost"})
	if err != nil || len(errs) != 1 || errs[0].UserID != "ghost" || errs[0].Reason != 6000807 {
		t.Fatalf("removeUsersFromBlacklist: %v %v", errs, err)
	}
	alice.rec.wait(t, "blacklistChanged", blacklistEvent(1, "bob"))
	// the peer actor was told before the reply: bob may write again at once
	if _, err := bob.SendText(ctx(t), "unblocked", "alice", 0); err != nil {
		t.Fatalf("bob writing after the removal: %v", err)
	}
	alice.rec.wait(t, "peerMessageReceived", func(p proto.Message) bool {
		return p.(*m.ConversationMessageReceivedEvent).MessageList[0].Message == "unblocked"
	})
	if _, err := bob.AddFriend(ctx(t), "alice", nil); err != nil {
		t.Fatalf("addFriend after unblocking: %v", err)
	}

	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint("u", i)
	}
	if _, err := alice.AddUsersToBlacklist(ctx(t), many); codeOf(err) != 6000021 {
		t.Fatalf("21 users: want 6000021, got %v", err)
	}
	if _, err := alice.QueryBlacklist(ctx(t), 0, 0); codeOf(err) != 6000001 {
		t.Fatalf("count 0: want 6000001, got %v", err)
	}
}

func TestBlacklistLimitEndToEnd(t *testing.T) {
	e := startEnv(t, withActors(func(c *actors.Config) { c.Limits.Friends.MaxBlacklist = 2 }))
	e.registered("u1", "u2", "u3")
	alice := e.login("alice", false, 6)
	errs, err := alice.AddUsersToBlacklist(ctx(t), []string{"u1", "u2", "u3"})
	if err != nil || len(errs) != 1 || errs[0].UserID != "u3" || errs[0].Reason != 6000808 {
		t.Fatalf("over the limit: %v %v", errs, err)
	}
	if _, err := alice.RemoveUsersFromBlacklist(ctx(t), []string{"u1"}); err != nil {
		t.Fatal(err)
	}
	if errs, err := alice.AddUsersToBlacklist(ctx(t), []string{"u3"}); err != nil || len(errs) != 0 {
		t.Fatalf("after a removal: %v %v", errs, err)
	}
}

func TestUserRulesEndToEnd(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 6)
	alice2 := e.login("alice", true, 1)

	self, err := alice.QuerySelfUserInfo(ctx(t))
	if err != nil || self.UserRule == nil || self.UserRule.OfflinePushRule == nil || len(self.UserRule.OfflinePushRule.OnlinePlatforms) != 0 {
		t.Fatalf("default rule: %v %v", self, err)
	}
	rule, err := alice.UpdateUserOfflinePushRule(ctx(t), &m.UserOfflinePushRule{OnlinePlatforms: []int32{1, 6}, NotToReceiveOfflinePushPlatforms: []int32{2, 3}})
	if err != nil || len(rule.OnlinePlatforms) != 2 || len(rule.NotToReceiveOfflinePushPlatforms) != 2 {
		t.Fatalf("updateUserOfflinePushRule: %v %v", rule, err)
	}
	for _, s := range []*session{alice, alice2} {
		s.rec.wait(t, "userRuleUpdated", func(p proto.Message) bool {
			r := p.(*m.UserRuleUpdatedEvent).UserRule.GetOfflinePushRule()
			return len(r.GetOnlinePlatforms()) == 2 && r.NotToReceiveOfflinePushPlatforms[1] == 3
		})
	}
	if _, err := alice.UpdateUserOfflinePushRule(ctx(t), &m.UserOfflinePushRule{OnlinePlatforms: []int32{8}}); codeOf(err) != 6000001 {
		t.Fatalf("platform 8: want 6000001, got %v", err)
	}
	if err := alice.UpdateUserBadge(ctx(t), 7); err != nil {
		t.Fatal(err)
	}
	if err := alice.UpdateUserBadge(ctx(t), -1); codeOf(err) != 6000001 {
		t.Fatalf("badge -1: want 6000001, got %v", err)
	}

	e.restart()
	alice = e.login("alice", true, 6)
	self, err = alice.QuerySelfUserInfo(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if r := self.UserRule.OfflinePushRule; len(r.OnlinePlatforms) != 2 || r.OnlinePlatforms[0] != 1 || r.OnlinePlatforms[1] != 6 || len(r.NotToReceiveOfflinePushPlatforms) != 2 {
		t.Fatalf("rule after restart: %v", r)
	}
}
