package gateway_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

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
