package gateway_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// Members invited while online get every message sent right after the invitation, even
// before the group has learned their connections.
func TestMembersInvitedOnlineGetMessagesSentAtOnce(t *testing.T) {
	e := startEnv(t)
	owner := e.login("jowner", false, 0)
	var members []*session
	var ids []string
	for i := 0; i < 40; i++ {
		s := e.login(fmt.Sprintf("jm%d", i), false, 0)
		members = append(members, s)
		ids = append(ids, s.user)
	}
	// createGroup and the messages are pipelined on one connection: they reach the group
	// actor in order, before the new members' user actors can report their connections.
	frame := func(id uint32, method string, params proto.Message) []byte {
		p, _ := proto.Marshal(params)
		f, _ := proto.Marshal(&m.Frame{Id: id, Method: method, Params: p})
		return f
	}
	if err := owner.SendRaw(frame(9100, "createGroup", &m.GroupCreateParams{GroupInfo: &m.GroupInfo{GroupID: "joinrace"}, UserIDs: ids})); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		params := &m.SendMessageParams{Message: &m.Message{Type: 1, Message: fmt.Sprintf("right away %d", i)},
			ToConversationID: "joinrace", ConversationType: 2, Config: &m.MessageSendConfig{Priority: 2}}
		if err := owner.SendRaw(frame(uint32(9101+i), "sendMessage", params)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range members {
		for i := 0; i < 3; i++ {
			text := fmt.Sprintf("right away %d", i)
			s.rec.wait(t, "groupMessageReceived", func(p proto.Message) bool {
				l := p.(*m.ConversationMessageReceivedEvent).MessageList
				return len(l) == 1 && l[0].Message == text
			})
		}
		if n := s.rec.count("groupMessageReceived", nil); n != 3 {
			t.Fatalf("%s got %d group messages, want exactly 3", s.user, n)
		}
	}
}

// Groups are open by default, as in ZIM: anyone who knows the ID joins a group created
// without a config. The server option (actors.Limits.GroupDefaultJoinMode, `parley serve
// --group-join-mode`) changes that default; a config's joinMode still stands.
func TestGroupDefaultJoinMode(t *testing.T) {
	// One server at a time: two actor systems in one process race inside protoactor's
	// transport (notes/protoactor.md), and this test runs under -race too.
	t.Run("open by default", func(t *testing.T) {
		e := startEnv(t)
		owner := e.login("dj-owner", false, 0)
		stranger := e.login("dj-stranger", true, 0)
		_, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "dj-open"}, nil, nil)
		gOK(t, "create", err)
		_, err = stranger.JoinGroup(ctx(t), "dj-open")
		gOK(t, "a stranger joins an open group", err)
	})
	t.Run("server default auth", func(t *testing.T) {
		e2 := startEnv(t, withActors(func(c *actors.Config) { c.Limits.GroupDefaultJoinMode = actors.GroupJoinAuth }))
		owner := e2.login("dj-owner", false, 0)
		stranger := e2.login("dj-stranger", true, 0)
		_, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "dj-closed"}, nil, nil)
		gOK(t, "create", err)
		info, err := stranger.QueryGroupInfo(ctx(t), "dj-closed")
		if err != nil || info.GetVerifyInfo().GetJoinMode() != actors.GroupJoinAuth {
			t.Fatalf("verifyInfo under the server default auth: %v %v", info.GetVerifyInfo(), err)
		}
		_, err = stranger.JoinGroup(ctx(t), "dj-closed")
		gWant(t, "joining needs an application", err, 6000543)
		_, err = owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: "dj-chosen"}, nil, &m.GroupAdvancedConfig{JoinMode: 0})
		gOK(t, "create with a config", err)
		_, err = stranger.JoinGroup(ctx(t), "dj-chosen")
		gOK(t, "a config's joinMode any stands", err)
	})
}
