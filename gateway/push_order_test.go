package gateway_test

import (
	"fmt"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

// A user actor hands all events of one message to its connections at once (one enqueue
// per connection, usually one write). Under concurrent sends in both directions, every
// device must still get each of its pushes exactly once and in the user actor's order:
// for message s, peerMessageReceived(s) (not on the device that sent s), then
// conversationChanged with s as the last message, then the total unread count when it
// moved — on both subprotocols.
func TestPushesOfConcurrentMessagesAreCompleteAndOrdered(t *testing.T) {
	e := startEnv(t)
	aliceWeb := e.login("alice", true, 6)    // JSON, sends
	alicePhone := e.login("alice", false, 2) // protobuf, idle
	bobPhone := e.login("bob", false, 2)     // protobuf, sends
	bobWeb := e.login("bob", true, 6)        // JSON, idle

	const perSender, workers = 40, 3
	var mu sync.Mutex
	sentBy := map[int64]string{} // seq → device that sent it
	var wg sync.WaitGroup
	send := func(s *session, name, to string) {
		defer wg.Done()
		for i := 0; i < perSender; i++ {
			sent, err := s.SendText(ctx(t), fmt.Sprintf("%s-%d", name, i), to, 0)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			sentBy[sent.MessageSeq] = name
			mu.Unlock()
		}
	}
	for w := 0; w < workers; w++ {
		wg.Add(2)
		go send(aliceWeb, "aliceWeb", "bob")
		go send(bobPhone, "bobPhone", "alice")
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	total := int64(2 * workers * perSender)
	if int64(len(sentBy)) != total {
		t.Fatalf("%d distinct sequence numbers for %d messages", len(sentBy), total)
	}
	for _, d := range []struct {
		name string
		s    *session
	}{{"aliceWeb", aliceWeb}, {"alicePhone", alicePhone}, {"bobPhone", bobPhone}, {"bobWeb", bobWeb}} {
		d.s.rec.wait(t, "conversationChanged", func(p proto.Message) bool {
			return p.(*m.ConversationChangedEvent).InfoList[0].Conversation.GetLastMessage().GetMessageSeq() == total
		})
		checkPushSequence(t, d.name, d.s.rec, total, sentBy)
	}
}

// checkPushSequence checks one device's pushes of messages 1..total (see above).
func checkPushSequence(t *testing.T, device string, rec *recorder, total int64, sentBy map[int64]string) {
	t.Helper()
	// The expected stream: per message s, [message s] changed s [total n], where the total
	// is pushed when the conversation's unread count (the only conversation) moved.
	var exp []string
	var last int64
	unread := map[int64]int64{} // seq → unread count in its conversationChanged
	for _, ev := range snapshot(rec) {
		if cc, ok := ev.msg.(*m.ConversationChangedEvent); ok {
			c := cc.InfoList[0].Conversation
			unread[c.GetLastMessage().GetMessageSeq()] = c.UnreadMessageCount
		}
	}
	totals := 0
	for s := int64(1); s <= total; s++ {
		if sentBy[s] != device {
			exp = append(exp, fmt.Sprint("message ", s))
		}
		exp = append(exp, fmt.Sprint("changed ", s))
		if n := unread[s]; n != last {
			exp = append(exp, fmt.Sprint("total ", n))
			last = n
			totals++
		}
	}
	eventually(t, device+": every total unread push", func() bool {
		return rec.count("conversationTotalUnreadMessageCountUpdated", nil) >= totals
	})
	var got []string
	for _, ev := range snapshot(rec) {
		switch p := ev.msg.(type) {
		case *m.ConversationMessageReceivedEvent:
			got = append(got, fmt.Sprint("message ", p.MessageList[0].MessageSeq))
		case *m.ConversationChangedEvent:
			got = append(got, fmt.Sprint("changed ", p.InfoList[0].Conversation.GetLastMessage().GetMessageSeq()))
		case *m.ConversationTotalUnreadMessageCountUpdatedEvent:
			got = append(got, fmt.Sprint("total ", p.TotalUnreadMessageCount))
		}
	}
	for i := 0; i < max(len(got), len(exp)); i++ {
		if i >= len(got) || i >= len(exp) || got[i] != exp[i] {
			t.Fatalf("%s: push %d differs:\n got %v\nwant %v", device, i, got[max(0, i-4):min(len(got), i+4)], exp[max(0, i-4):min(len(exp), i+4)])
		}
	}
}

func snapshot(r *recorder) []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event(nil), r.events...)
}
