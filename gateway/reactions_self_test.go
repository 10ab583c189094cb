package gateway_test

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// reactionPush matches a messageReactionsChanged of msg whose reaction typ has total
// users and isSelfIncluded self.
func reactionPush(msg *m.Message, typ string, total int64, self bool) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		if len(ev.ChangeInfoList) == 0 || ev.ChangeInfoList[0].Message.GetMessageID() != msg.MessageID {
			return false
		}
		r := reactionOfType(ev.Reactions, typ)
		in := reactionOfType(ev.ChangeInfoList[0].Message.Reactions, typ)
		return r.GetTotalCount() == total && r.GetIsSelfIncluded() == self && in.GetIsSelfIncluded() == self
	}
}

// In a channel, each online reader's messageReactionsChanged says whether it is among
// the users of each type (also beyond the first users the summary lists), and so does
// the conversation's lastMessage.
func TestChannelReactionPushesCarryEachReadersIsSelfIncluded(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	bobPhone := e.login("bob", false, 2)
	carol := e.login("carol", false, 0)
	var others []*session
	for i := 1; i <= 6; i++ {
		others = append(others, e.login(fmt.Sprintf("m%d", i), false, 0))
	}
	ch := makeCommunity(t, alice, "rx", append([]*session{bob, carol}, others...)...)
	conv := ch.ConversationID
	online(t, "rx", bob, bobPhone, carol)
	for _, s := range others {
		noErr(t, "logout", s.Logout(ctx(t)))
	}
	msg, err := alice.SendText(ctx(t), "react here", conv, 3)
	noErr(t, "send", err)

	// bob reacts: his other device sees itself included, alice and carol do not.
	_, err = bob.AddMessageReaction(ctx(t), "up", msg, nil)
	noErr(t, "bob reacts", err)
	bobPhone.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "up", 1, true))
	alice.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "up", 1, false))
	carol.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "up", 1, false))

	// Six more (offline) react, then carol as the eighth: beyond the listed first users.
	for i, s := range others {
		s = e.login(s.user, false, 0)
		_, err := s.AddMessageReaction(ctx(t), "up", msg, nil)
		noErr(t, fmt.Sprintf("m%d reacts", i+1), err)
		noErr(t, "logout", s.Logout(ctx(t)))
	}
	_, err = carol.AddMessageReaction(ctx(t), "up", msg, nil)
	noErr(t, "carol reacts", err)
	bobPhone.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "up", 8, true))
	alice.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "up", 8, false))

	// m1 adds another type: carol's push has "up" included (she is not among the listed
	// users), "down" not; alice's neither.
	m1 := e.login("m1", false, 0)
	_, err = m1.AddMessageReaction(ctx(t), "down", msg, nil)
	noErr(t, "m1 reacts down", err)
	carol.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		up, down := reactionOfType(ev.Reactions, "up"), reactionOfType(ev.Reactions, "down")
		return down != nil && up.GetTotalCount() == 8 && up.IsSelfIncluded && len(up.UserList) < 8 && !down.IsSelfIncluded
	})
	alice.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		up, down := reactionOfType(ev.Reactions, "up"), reactionOfType(ev.Reactions, "down")
		return down != nil && !up.IsSelfIncluded && !down.IsSelfIncluded
	})

	// The conversation's lastMessage: each its own view.
	for _, tc := range []struct {
		s        *session
		up, down bool
	}{{carol, true, false}, {alice, false, false}, {bob, true, false}, {m1, true, true}} {
		eventually(t, tc.s.user+"'s lastMessage reactions", func() bool {
			c, err := tc.s.QueryConversation(ctx(t), conv, 3)
			if err != nil {
				return false
			}
			up, down := reactionOfType(c.LastMessage.GetReactions(), "up"), reactionOfType(c.LastMessage.GetReactions(), "down")
			return up.GetTotalCount() == 8 && down != nil && up.IsSelfIncluded == tc.up && down.IsSelfIncluded == tc.down
		})
	}
	carol.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
		for _, in := range p.(*m.ConversationChangedEvent).InfoList {
			if in.Conversation.ConversationID == conv {
				up := reactionOfType(in.Conversation.LastMessage.GetReactions(), "up")
				return up.GetTotalCount() == 8 && up.IsSelfIncluded
			}
		}
		return false
	})

	// After a restart the views are the same (the owner's cache is rebuilt from the store).
	e.restart()
	carol = e.login("carol", false, 0)
	alice = e.login("alice", false, 0)
	// carol is an online reader of the channel again once a channel message reaches her
	eventually(t, "carol online in the channel", func() bool {
		_, err := alice.SendText(ctx(t), "ping", conv, 3)
		noErr(t, "ping", err)
		_, ok := carol.rec.waitFor("communityChannelMessageReceived", nil, time.Second)
		return ok
	})
	_, err = alice.AddMessageReaction(ctx(t), "down", msg, nil)
	noErr(t, "alice reacts down", err)
	carol.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		up, down := reactionOfType(ev.Reactions, "up"), reactionOfType(ev.Reactions, "down")
		return down.GetTotalCount() == 2 && up.IsSelfIncluded && !down.IsSelfIncluded
	})
}

// In a group as well: the reacting user's other device is included, the others not.
func TestGroupReactionPushesCarryEachReadersIsSelfIncluded(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", false, 0)
	bob := e.login("bob", true, 0)
	bobPhone := e.login("bob", false, 2)
	makeGroup(t, alice, "sg", bob)
	msg, err := alice.SendText(ctx(t), "vote", "sg", 2)
	noErr(t, "send", err)
	bob.rec.wait(t, "groupMessageReceived", nil)
	_, err = bob.AddMessageReaction(ctx(t), "yes", msg, nil)
	noErr(t, "bob reacts", err)
	bobPhone.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "yes", 1, true))
	alice.rec.wait(t, "messageReactionsChanged", reactionPush(msg, "yes", 1, false))
	_, err = bob.DeleteMessageReaction(ctx(t), "yes", msg)
	noErr(t, "bob takes it back", err)
	bobPhone.rec.wait(t, "messageReactionsChanged", func(p proto.Message) bool {
		ev := p.(*m.MessageReactionsChangedEvent)
		return len(ev.ChangeInfoList) == 1 && ev.ChangeInfoList[0].UserChangeInfoList[0].Action == 1 && reactionOfType(ev.Reactions, "yes") == nil
	})
}
