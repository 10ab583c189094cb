package actors

import (
	"bytes"
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Unit tests of the peer kind (peer.go, msglog.go, sendqueue.go): sendMessage checks,
// dense sequence numbers, localMessageID idempotency, history paging, per-user
// deletion, and the ConversationTouched notices to both users' actors. Helpers shared
// with the user unit tests are here.

// peerParams is a sendMessage of a text message with an optional localMessageID.
func peerParams(text, local string) *messages.SendMessageParams {
	return &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: text, LocalMessageID: local}}
}

// peerGrain activates the peer actor of a and b.
func (w *unitWorld) peerGrain(a, b string) *unitGrain {
	w.tb.Helper()
	return w.grain(KindPeer, PeerIdentity(a, b))
}

// peerSend sends text as user on the peer grain and returns the stored message.
func (u *unitGrain) peerSend(user, text string) *messages.Message {
	u.w.tb.Helper()
	var res messages.MessageSentResult
	u.mustCall(user, "sendMessage", peerParams(text, ""), &res)
	return res.Message
}

// peerHistory is the history page user queries, as "text,text,…".
func (u *unitGrain) peerHistory(user string, cfg *messages.MessageQueryConfig) []*messages.Message {
	u.w.tb.Helper()
	var res messages.MessageQueriedResult
	u.mustCall(user, "queryHistoryMessage", &messages.QueryHistoryMessageParams{Config: cfg}, &res)
	return res.MessageList
}

// peerTexts renders messages as their texts, comma-separated.
func peerTexts(list []*messages.Message) string {
	parts := make([]string, 0, len(list))
	for _, m := range list {
		parts = append(parts, m.Message)
	}
	return strings.Join(parts, ",")
}

// touchesOf are the ConversationTouched notices sent to user's actor, in order.
func touchesOf(ss []sent, user string) []*messages.ConversationTouched {
	var out []*messages.ConversationTouched
	for _, m := range sendsTo(ss, KindUser, user) {
		if t, ok := m.(*messages.ConversationTouched); ok {
			out = append(out, t)
		}
	}
	return out
}

// forwardToUsers hands what the kinds sent to user actors to the user grains given
// (messages for other users are dropped) and returns everything that was sent.
func (w *unitWorld) forwardToUsers(users map[string]*unitGrain) []sent {
	ss := w.rec.takeSends()
	for _, s := range ss {
		if u := users[s.identity]; s.kind == KindUser && u != nil {
			u.Tell(s.msg)
		}
	}
	return ss
}

func TestUnitPeerSendValidation(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	b64 := base64.StdEncoding.EncodeToString
	for _, tc := range []struct {
		name string
		m    *messages.Message
		want *CodeError
	}{
		{"no message", nil, ErrParamInvalid},
		{"empty text", &messages.Message{Type: MsgText}, ErrParamInvalid},
		{"text too long", &messages.Message{Type: MsgText, Message: strings.Repeat("x", 2049)}, ErrMessageTooLong},
		{"custom too long", &messages.Message{Type: MsgCustom, Message: strings.Repeat("x", 2049)}, ErrMessageTooLong},
		{"extended data too long", &messages.Message{Type: MsgText, Message: "hi", ExtendedData: strings.Repeat("e", 1025)}, ErrMessageTooLong},
		{"searched content too long", &messages.Message{Type: MsgCustom, Message: "hi", SearchedContent: strings.Repeat("s", 2049)}, ErrMessageTooLong},
		{"command not base64", &messages.Message{Type: MsgCommand, Message: "not base64!"}, ErrParamInvalid},
		{"command empty", &messages.Message{Type: MsgCommand, Message: ""}, ErrParamInvalid},
		{"command too long", &messages.Message{Type: MsgCommand, Message: b64(make([]byte, 5121))}, ErrMessageTooLong},
		{"barrage in a peer chat", &messages.Message{Type: MsgBarrage, Message: "hi"}, ErrUnsupported},
		{"image (not supported)", &messages.Message{Type: 11, Message: "hi"}, ErrUnsupported},
		{"unknown type", &messages.Message{Type: 99, Message: "hi"}, ErrParamInvalid},
		{"missing type", &messages.Message{Message: "hi"}, ErrParamInvalid},
		{"negative type", &messages.Message{Type: -1, Message: "hi"}, ErrParamInvalid},
		{"local ID too long", &messages.Message{Type: MsgText, Message: "hi", LocalMessageID: strings.Repeat("l", 65)}, ErrParamInvalid},
		{"too many mentions", &messages.Message{Type: MsgText, Message: "hi", MentionedUserIDs: make([]string, 51)}, ErrParamInvalid},
	} {
		err := g.call("alice", "sendMessage", &messages.SendMessageParams{Message: tc.m}, nil)
		if err == nil {
			t.Fatalf("%s: accepted", tc.name)
		}
		wantCode(t, err, tc.want)
	}
	// A third user cannot use the pair's conversation, and an unknown method is refused.
	wantCode(t, g.call("carol", "sendMessage", peerParams("hi", ""), nil), ErrParamInvalid)
	wantCode(t, g.call("carol", "queryHistoryMessage", &messages.QueryHistoryMessageParams{Config: &messages.MessageQueryConfig{Count: 10}}, nil), ErrParamInvalid)
	wantCode(t, g.call("alice", "noSuchMethod", &messages.Empty{}, nil), ErrUnsupported)
	if ss := w.rec.takeSends(); len(ss) != 0 {
		t.Fatalf("refused sends told user actors: %v", ss)
	}

	// The limits themselves are allowed, and the refusals used up no sequence number.
	var res messages.MessageSentResult
	g.mustCall("alice", "sendMessage", peerParams(strings.Repeat("x", 2048), strings.Repeat("l", 64)), &res)
	if res.Message.MessageSeq != 1 {
		t.Fatalf("first accepted message has seq %d, want 1", res.Message.MessageSeq)
	}
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgCustom, Message: "c", SubType: 7, SearchedContent: "find me", ExtendedData: strings.Repeat("e", 1024)}}, &res)
	if res.Message.MessageSeq != 2 || res.Message.SubType != 7 || res.Message.SearchedContent != "find me" || res.Message.Type != MsgCustom {
		t.Fatalf("custom message stored as %v", res.Message)
	}
	if got := g.peerHistory("bob", &messages.MessageQueryConfig{Count: 100}); len(got) != 2 {
		t.Fatalf("bob sees %d messages, want 2", len(got))
	}
}

func TestUnitPeerSeqsAndTouches(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("bob", "alice") // the identity orders the users itself
	if g.G.ID() != "alice"+PeerSep+"bob" {
		t.Fatalf("identity %q", g.G.ID())
	}
	senders := []string{"alice", "bob", "alice"}
	var prevID uint64
	for i, from := range senders {
		m := g.peerSend(from, "m"+strconv.Itoa(i+1))
		other := map[string]string{"alice": "bob", "bob": "alice"}[from]
		if m.MessageSeq != int64(i+1) || m.ConversationSeq != m.MessageSeq || m.OrderKey != m.MessageSeq {
			t.Fatalf("message %d: seq %d conversationSeq %d orderKey %d", i+1, m.MessageSeq, m.ConversationSeq, m.OrderKey)
		}
		if m.SenderUserID != from || m.ConversationID != other || m.Direction != 0 || m.ConversationType != ConvPeer || m.SentStatus != 1 {
			t.Fatalf("sender's view of message %d: %v", i+1, m)
		}
		if m.Timestamp != w.now.UnixMilli() {
			t.Fatalf("timestamp %d, want the runtime clock %d", m.Timestamp, w.now.UnixMilli())
		}
		id, err := strconv.ParseUint(m.MessageID, 10, 64)
		if err != nil || id <= prevID {
			t.Fatalf("message ID %q after %d", m.MessageID, prevID)
		}
		prevID = id

		// Both users' actors hear of it: the receiver first, named after the sender.
		ss := w.rec.takeSends()
		if len(ss) != 2 || ss[0].identity != other || ss[1].identity != from {
			t.Fatalf("message %d told %v", i+1, ss)
		}
		for _, s := range ss {
			tc := s.msg.(*messages.ConversationTouched)
			wantConv := other
			if s.identity == other {
				wantConv = from
			}
			if tc.ConversationID != wantConv || tc.ConversationType != ConvPeer || tc.LastSeq != m.MessageSeq || tc.NotifyOnly ||
				tc.PushEvent != "peerMessageReceived" || tc.SenderConn.GetConnID() != 1 || tc.Message.GetMessage() != m.Message {
				t.Fatalf("touched %s: %v", s.identity, tc)
			}
		}
		w.now = w.now.Add(1000)
	}
	// The first message wrote both users' conversation index entries.
	if !w.stored(keyConvIndex("alice", ConvPeer, "bob")) || !w.stored(keyConvIndex("bob", ConvPeer, "alice")) {
		t.Fatal("conversation index entries missing")
	}
	// A fresh activation continues the sequence.
	g2 := w.peerGrain("alice", "bob")
	if m := g2.peerSend("bob", "m4"); m.MessageSeq != 4 {
		t.Fatalf("after reactivation seq %d, want 4", m.MessageSeq)
	}
	if got := peerTexts(g2.peerHistory("alice", &messages.MessageQueryConfig{Count: 10})); got != "m1,m2,m3,m4" {
		t.Fatalf("history %s", got)
	}
	if !g2.CanPassivate() {
		t.Fatal("an idle peer actor must be allowed to passivate")
	}
}

func TestUnitPeerCommandMessagesAreNotStored(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	payload := base64.StdEncoding.EncodeToString([]byte("ping"))
	var res messages.MessageSentResult
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgCommand, Message: payload}}, &res)
	if res.Message.MessageSeq != 0 || res.Message.Message != payload {
		t.Fatalf("command result %v", res.Message)
	}
	ss := w.rec.takeSends()
	bobT, aliceT := touchesOf(ss, "bob"), touchesOf(ss, "alice")
	if len(bobT) != 1 || len(aliceT) != 1 || !bobT[0].NotifyOnly || !aliceT[0].NotifyOnly || bobT[0].LastSeq != 0 {
		t.Fatalf("command touches bob %v alice %v", bobT, aliceT)
	}
	if got := g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10}); len(got) != 0 {
		t.Fatalf("command stored: %v", got)
	}
	if w.stored(keyConvIndex("bob", ConvPeer, "alice")) {
		t.Fatal("a command message must not create the conversation")
	}
	if m := g.peerSend("bob", "text"); m.MessageSeq != 1 {
		t.Fatalf("first stored message has seq %d", m.MessageSeq)
	}
}

func TestUnitPeerLocalMessageIDIdempotency(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	var first, again, other, bobs messages.MessageSentResult
	g.mustCall("alice", "sendMessage", peerParams("hello", "L1"), &first)
	w.rec.takeSends()
	w.now = w.now.Add(5000)
	g.mustCall("alice", "sendMessage", peerParams("hello", "L1"), &again)
	if again.Message.MessageID != first.Message.MessageID || again.Message.MessageSeq != 1 || again.Message.Timestamp != first.Message.Timestamp {
		t.Fatalf("resend gave %v, first %v", again.Message, first.Message)
	}
	if again.Message.Direction != 0 || again.Message.ConversationID != "bob" {
		t.Fatalf("resend is not the sender's view: %v", again.Message)
	}
	if ss := w.rec.takeSends(); len(ss) != 0 {
		t.Fatalf("a resend must tell nobody again: %v", ss)
	}
	g.mustCall("alice", "sendMessage", peerParams("second", "L2"), &other)
	g.mustCall("bob", "sendMessage", peerParams("bob's", "L1"), &bobs) // another sender's L1
	if other.Message.MessageSeq != 2 || bobs.Message.MessageSeq != 3 {
		t.Fatalf("seqs %d %d, want 2 3", other.Message.MessageSeq, bobs.Message.MessageSeq)
	}
	// Stored once, and the key survives a fresh activation.
	g2 := w.peerGrain("alice", "bob")
	g2.mustCall("alice", "sendMessage", peerParams("hello", "L1"), &again)
	if again.Message.MessageID != first.Message.MessageID || again.Message.MessageSeq != 1 {
		t.Fatalf("resend after reactivation gave %v", again.Message)
	}
	if got := peerTexts(g2.peerHistory("bob", &messages.MessageQueryConfig{Count: 100})); got != "hello,second,bob's" {
		t.Fatalf("history %s", got)
	}
	// The resend's view for the other user says it was received.
	g2.mustCall("bob", "sendMessage", peerParams("bob's", "L1"), &again)
	if again.Message.MessageSeq != 3 || again.Message.Direction != 0 || again.Message.ConversationID != "alice" {
		t.Fatalf("bob's resend %v", again.Message)
	}
}

func TestUnitPeerHistoryPaging(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	for i := 1; i <= 25; i++ {
		g.peerSend("alice", strconv.Itoa(i))
	}
	page := g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10})
	if got := peerTexts(page); got != "16,17,18,19,20,21,22,23,24,25" {
		t.Fatalf("newest page %s", got)
	}
	for _, m := range page {
		if m.Direction != 1 || m.ConversationID != "alice" {
			t.Fatalf("bob's view %v", m)
		}
	}
	page = g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10, NextMessage: page[0]})
	if got := peerTexts(page); got != "6,7,8,9,10,11,12,13,14,15" {
		t.Fatalf("older page %s", got)
	}
	page = g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10, NextMessage: page[0]})
	if got := peerTexts(page); got != "1,2,3,4,5" {
		t.Fatalf("oldest page %s", got)
	}
	if page = g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10, NextMessage: page[0]}); len(page) != 0 {
		t.Fatalf("before the first message: %s", peerTexts(page))
	}
	// Forward (reverse) paging from an anchor, and from the start.
	if got := peerTexts(g.peerHistory("alice", &messages.MessageQueryConfig{Count: 3, Reverse: true, NextMessage: &messages.Message{MessageSeq: 20}})); got != "21,22,23" {
		t.Fatalf("forward page %s", got)
	}
	if got := peerTexts(g.peerHistory("alice", &messages.MessageQueryConfig{Count: 4, Reverse: true})); got != "1,2,3,4" {
		t.Fatalf("forward from the start %s", got)
	}
	if got := g.peerHistory("alice", &messages.MessageQueryConfig{Count: 3, Reverse: true, NextMessage: &messages.Message{MessageSeq: 25}}); len(got) != 0 {
		t.Fatalf("after the last message: %s", peerTexts(got))
	}
	for _, m := range g.peerHistory("alice", &messages.MessageQueryConfig{Count: 2}) {
		if m.Direction != 0 || m.ConversationID != "bob" {
			t.Fatalf("alice's view %v", m)
		}
	}
	for _, cfg := range []*messages.MessageQueryConfig{nil, {Count: 0}, {Count: -1}, {Count: 101}} {
		wantCode(t, g.call("bob", "queryHistoryMessage", &messages.QueryHistoryMessageParams{Config: cfg}, nil), ErrParamInvalid)
	}
	var byID messages.MessageQueriedResult
	g.mustCall("bob", "queryMessages", &messages.QueryMessagesParams{MessageSeqs: []int64{7, 3, 99}}, &byID)
	if got := peerTexts(byID.MessageList); got != "7,3" || byID.ConversationID != "alice" {
		t.Fatalf("queryMessages %s (%s)", got, byID.ConversationID)
	}
	wantCode(t, g.call("bob", "queryMessages", &messages.QueryMessagesParams{}, nil), ErrParamInvalid)
	wantCode(t, g.call("bob", "queryMessages", &messages.QueryMessagesParams{MessageSeqs: make([]int64, 101)}, nil), ErrParamInvalid)
}

func TestUnitPeerDeleteForOneUser(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	for i := 1; i <= 5; i++ {
		g.peerSend("alice", strconv.Itoa(i))
	}
	w.rec.takeSends()
	all := &messages.MessageQueryConfig{Count: 100}

	for _, list := range [][]*messages.Message{nil, {{MessageSeq: 0}}, {nil}, make([]*messages.Message, 101)} {
		wantCode(t, g.call("bob", "deleteMessages", &messages.DeleteMessagesParams{MessageList: list}, nil), ErrParamInvalid)
	}
	var del messages.MessageDeletedResult
	g.mustCall("bob", "deleteMessages", &messages.DeleteMessagesParams{MessageList: []*messages.Message{{MessageSeq: 2}, {MessageSeq: 3}, {MessageSeq: 99}}}, &del)
	if del.ConversationID != "alice" || del.ConversationType != ConvPeer {
		t.Fatalf("delete result %v", &del)
	}
	// Bob's other devices hear of it through his user actor; alice hears nothing.
	ss := w.rec.takeSends()
	if len(ss) != 1 || ss[0].kind != KindUser || ss[0].identity != "bob" {
		t.Fatalf("delete told %v", ss)
	}
	up := ss[0].msg.(*messages.UserPush)
	ev, _ := pushesOf(t, []*messages.Deliver{{Push: up.Push}}, "messageDeleted", func() *messages.MessageDeletedEvent { return &messages.MessageDeletedEvent{} })
	if up.ExceptConnID != 1 || len(ev) != 1 || ev[0].ConversationID != "alice" || len(ev[0].MessageList) != 3 || ev[0].IsDeleteConversationAllMessage {
		t.Fatalf("delete push %v except %d", ev, up.ExceptConnID)
	}
	if got := peerTexts(g.peerHistory("bob", all)); got != "1,4,5" {
		t.Fatalf("bob after delete: %s", got)
	}
	if got := peerTexts(g.peerHistory("alice", all)); got != "1,2,3,4,5" {
		t.Fatalf("alice after bob's delete: %s", got)
	}
	var byID messages.MessageQueriedResult
	g.mustCall("bob", "queryMessages", &messages.QueryMessagesParams{MessageSeqs: []int64{1, 2, 3, 4}}, &byID)
	if got := peerTexts(byID.MessageList); got != "1,4" {
		t.Fatalf("queryMessages after delete: %s", got)
	}

	// deleteAllMessage clears the caller's side only; later messages show again.
	g.mustCall("alice", "deleteAllMessage", &messages.DeleteAllMessageParams{}, &del)
	if del.ConversationID != "bob" {
		t.Fatalf("deleteAll result %v", &del)
	}
	ss = w.rec.takeSends()
	if len(ss) != 2 || ss[0].identity != "alice" || ss[1].identity != "alice" {
		t.Fatalf("deleteAll told %v", ss)
	}
	ev, _ = pushesOf(t, []*messages.Deliver{{Push: ss[0].msg.(*messages.UserPush).Push}}, "messageDeleted", func() *messages.MessageDeletedEvent { return &messages.MessageDeletedEvent{} })
	if len(ev) != 1 || !ev[0].IsDeleteConversationAllMessage || ev[0].MessageDeleteType != 1 {
		t.Fatalf("deleteAll push %v", ev)
	}
	// alice's user actor drops the conversation's last message and unread count.
	if rv, ok := ss[1].msg.(*messages.ConversationRevised); !ok || rv.ConversationID != "bob" || rv.ConversationType != ConvPeer || rv.ClearedSeq != 5 {
		t.Fatalf("deleteAll revision %v", ss[1].msg)
	}
	if got := g.peerHistory("alice", all); len(got) != 0 {
		t.Fatalf("alice after deleteAll: %s", peerTexts(got))
	}
	byID.Reset()
	g.mustCall("alice", "queryMessages", &messages.QueryMessagesParams{MessageSeqs: []int64{1, 5}}, &byID)
	if len(byID.MessageList) != 0 {
		t.Fatalf("queryMessages after deleteAll: %s", peerTexts(byID.MessageList))
	}
	if got := peerTexts(g.peerHistory("bob", all)); got != "1,4,5" {
		t.Fatalf("bob after alice's deleteAll: %s", got)
	}
	g.peerSend("bob", "6")
	// Both deletions are stored: a fresh activation shows the same.
	g2 := w.peerGrain("alice", "bob")
	if got := peerTexts(g2.peerHistory("alice", all)); got != "6" {
		t.Fatalf("alice after reactivation: %s", got)
	}
	if got := peerTexts(g2.peerHistory("bob", all)); got != "1,4,5,6" {
		t.Fatalf("bob after reactivation: %s", got)
	}
	// bob clears too; a deleteMessages marker is dropped with the watermark.
	g2.mustCall("bob", "deleteAllMessage", &messages.DeleteAllMessageParams{}, nil)
	if got := g2.peerHistory("bob", all); len(got) != 0 {
		t.Fatalf("bob after deleteAll: %s", peerTexts(got))
	}
	if w.stored(keyDeleted(ConvPeer, PeerIdentity("alice", "bob"), "bob", 2)) {
		t.Fatal("deleteAllMessage left bob's per-message marker")
	}
}

// profileReads counts the reads of the profile records (keyUser) of alice and nobody-xyz.
type profileReads struct {
	persistence.Store
	n atomic.Int64
}

func (s *profileReads) Get(ctx context.Context, key []byte) ([]byte, error) {
	if bytes.Equal(key, keyUser("alice")) || bytes.Equal(key, keyUser("nobody-xyz")) {
		s.n.Add(1)
	}
	return s.Store.Get(ctx, key)
}

// A send to a user that never logged in is refused with 6000204 and stores nothing;
// history queries of the empty conversation still answer. Once the user exists the
// send goes through, and the answer is cached: later sends read no profile.
func TestUnitPeerSendToUnknownUser(t *testing.T) {
	counting := &profileReads{}
	w := newUnitWorld(t, func(c *Config) { counting.Store = c.Store; c.Store = counting })
	w.users("alice")
	g := w.peerGrain("alice", "nobody-xyz")
	payload := base64.StdEncoding.EncodeToString([]byte("ping"))
	wantCode(t, g.call("alice", "sendMessage", peerParams("hi", "l-1"), nil), ErrTargetNotExist)
	wantCode(t, g.call("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgCommand, Message: payload}}, nil), ErrTargetNotExist)
	// An invalid message is still refused for what it is.
	wantCode(t, g.call("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText}}, nil), ErrParamInvalid)
	if ss := w.rec.takeSends(); len(ss) != 0 {
		t.Fatalf("refused sends told user actors: %v", ss)
	}
	if w.stored(keyConvIndex("alice", ConvPeer, "nobody-xyz")) || w.stored(keyConvIndex("nobody-xyz", ConvPeer, "alice")) {
		t.Fatal("a refused send created the conversation")
	}
	if got := g.peerHistory("alice", &messages.MessageQueryConfig{Count: 10}); len(got) != 0 {
		t.Fatalf("history of a refused send: %v", got)
	}
	var byseq messages.MessageQueriedResult
	g.mustCall("alice", "queryMessages", &messages.QueryMessagesParams{MessageSeqs: []int64{1}}, &byseq)
	if len(byseq.MessageList) != 0 {
		t.Fatalf("queryMessages of a refused send: %v", byseq.MessageList)
	}

	// The user logs in: the same activation lets the send through (a no is not cached).
	w.users("nobody-xyz")
	if m := g.peerSend("alice", "hello"); m.MessageSeq != 1 {
		t.Fatalf("first message after the login has seq %d", m.MessageSeq)
	}
	before := counting.n.Load()
	for i := 0; i < 5; i++ {
		g.peerSend("alice", "again")
	}
	if n := counting.n.Load() - before; n != 0 {
		t.Fatalf("%d profile reads for 5 sends to an existing user, want 0 (cached)", n)
	}
	// The other direction checks alice once, too.
	g.peerSend("nobody-xyz", "back")
	g.peerSend("nobody-xyz", "back again")
	if n := counting.n.Load() - before; n != 1 {
		t.Fatalf("%d profile reads for two sends to alice, want 1", n)
	}
}
