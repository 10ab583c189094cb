package actors

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// channelReceiptWorld is a community with a GENERAL channel whose actor asks the
// community grain for its reader count (the recorder answers ChannelReadersQuery).
func channelReceiptWorld(t *testing.T, w *unitWorld, owner string, members []string) (cg, ch *unitGrain, conv string) {
	t.Helper()
	cg, gen := w.community("club", owner, members...)
	w.rec.answer = func(kind, identity string, msg proto.Message) (proto.Message, error) {
		if kind != KindCommunity || identity != "club" {
			return nil, ErrUnsupported
		}
		_, res := cg.Request(msg)
		return res, nil
	}
	conv = ChannelConversationID("club", gen)
	w.rec.takeSends()
	return cg, w.grain(KindChannel, conv), conv
}

func chSendReceipt(t *testing.T, ch *unitGrain, user string) *messages.Message {
	t.Helper()
	p := textParams("m")
	p.Config = &messages.MessageSendConfig{HasReceipt: true}
	var res messages.MessageSentResult
	ch.mustCall(user, "sendMessage", p, &res)
	if res.Message.ReceiptStatus != ReceiptProcessing {
		t.Fatalf("sent with status %d", res.Message.ReceiptStatus)
	}
	return res.Message
}

func chInfo(t *testing.T, ch *unitGrain, user string, m *messages.Message) *messages.MessageReceiptInfo {
	t.Helper()
	var res messages.MessageReceiptsInfoQueriedResult
	ch.mustCall(user, "queryMessageReceiptsInfo", &messages.MessageReceiptsParams{ConversationType: ConvChannel, MessageList: []*messages.Message{m}}, &res)
	if len(res.Infos) != 1 {
		t.Fatalf("no info for %d: %v", m.MessageSeq, &res)
	}
	return res.Infos[0]
}

// TestChannelReceiptCountsMatchABruteForceCount: members join and leave the community
// (and come back), send receipt messages, read the channel and mark single messages at
// random; the counts the channel derives (reader count from the community, sorted
// positions, marks, left flags) equal a count reader by reader, in the activation that
// saw it all and in a fresh one.
func TestChannelReceiptCountsMatchABruteForceCount(t *testing.T) {
	w := newUnitWorld(t)
	rnd := rand.New(rand.NewSource(11))
	var pool []string
	for i := 0; i < 16; i++ {
		pool = append(pool, fmt.Sprintf("u%02d", i))
	}
	w.users(pool...)
	cg, ch, conv := channelReceiptWorld(t, w, "owner", pool[:10])
	readers := map[string]bool{"owner": true}
	for _, u := range pool[:10] {
		readers[u] = true
	}
	pos := map[string]int64{}
	marks := map[int64]map[string]bool{}
	var sent []*messages.Message
	randomReader := func() string {
		var list []string
		for u := range readers {
			list = append(list, u)
		}
		slices.Sort(list)
		return list[rnd.Intn(len(list))]
	}
	for step := 0; step < 120; step++ {
		switch r := rnd.Intn(12); {
		case r < 4:
			sent = append(sent, chSendReceipt(t, ch, randomReader()))
		case r < 5: // someone outside joins (again)
			u := pool[rnd.Intn(len(pool))]
			if readers[u] {
				continue
			}
			cg.mustCall(u, "joinCommunity", &messages.CommunityIDParams{CommunityID: "club"}, nil)
			readers[u] = true
			w.forward(KindChannel, conv, ch)
		case r < 6: // a member leaves
			u := randomReader()
			if u == "owner" {
				continue
			}
			cg.mustCall(u, "leaveCommunity", &messages.CommunityIDParams{CommunityID: "club"}, nil)
			delete(readers, u)
			w.forward(KindChannel, conv, ch)
		case r < 9:
			u := randomReader()
			ch.mustCall(u, "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: conv, ConversationType: ConvChannel}, nil)
			pos[u] = int64(len(sent))
		default:
			if len(sent) == 0 {
				continue
			}
			u, m := randomReader(), sent[rnd.Intn(len(sent))]
			if m.SenderUserID == u {
				continue
			}
			ch.call(u, "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationType: ConvChannel, MessageList: []*messages.Message{m}}, nil)
			if marks[m.MessageSeq] == nil {
				marks[m.MessageSeq] = map[string]bool{}
			}
			marks[m.MessageSeq][u] = true
		}
	}
	if len(sent) < 20 {
		t.Fatalf("only %d messages", len(sent))
	}
	check := func(ch *unitGrain) {
		for _, m := range sent {
			var read, unread int64
			for u := range readers {
				if u == m.SenderUserID {
					continue
				}
				if pos[u] >= m.MessageSeq || marks[m.MessageSeq][u] {
					read++
				} else {
					unread++
				}
			}
			info := chInfo(t, ch, "owner", m)
			if info.ReadMemberCount != read || info.UnreadMemberCount != unread {
				t.Fatalf("message %d by %s: got read %d unread %d, want %d / %d", m.MessageSeq, m.SenderUserID, info.ReadMemberCount, info.UnreadMemberCount, read, unread)
			}
			if readers[m.SenderUserID] {
				want := int32(ReceiptProcessing)
				if unread == 0 {
					want = ReceiptDone
				}
				if got := chInfo(t, ch, m.SenderUserID, m).Status; got != want {
					t.Fatalf("message %d: the sender sees status %d, want %d", m.MessageSeq, got, want)
				}
			}
		}
	}
	check(ch)
	check(w.grain(KindChannel, conv)) // a fresh activation asks the community and reads the rest back
}

// TestChannelReceiptReadIsOneWriteOfOneRecord: in a channel of 2,000 readers, reading
// the conversation writes one record; the reader count costs one request per
// activation; an outsider is refused.
func TestChannelReceiptReadIsOneWriteOfOneRecord(t *testing.T) {
	cs := &countingStore{Store: persistence.NewMemory()}
	w := newUnitWorld(t, func(c *Config) { c.Store = cs })
	var members []string
	for i := 0; i < 1999; i++ {
		members = append(members, fmt.Sprintf("m%04d", i))
	}
	cg, ch, conv := channelReceiptWorld(t, w, "owner", members[:2])
	cg.mustCall("owner", ImportCommunityMembers, &messages.CommunityUsersParams{CommunityID: "club", UserIDs: members[2:]}, nil)
	w.forward(KindChannel, conv, ch)
	asked := 0
	answer := w.rec.answer
	w.rec.answer = func(kind, identity string, msg proto.Message) (proto.Message, error) {
		asked++
		return answer(kind, identity, msg)
	}
	var sent []*messages.Message
	for i := 0; i < 100; i++ {
		sent = append(sent, chSendReceipt(t, ch, "owner"))
	}
	w0, o0 := cs.writes.Load(), cs.ops.Load()
	ch.mustCall("m0001", "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: conv, ConversationType: ConvChannel}, nil)
	if w, o := cs.writes.Load()-w0, cs.ops.Load()-o0; w != 1 || o != 1 {
		t.Fatalf("a conversation read wrote %d times, %d records", w, o)
	}
	var res messages.MessageReceiptsInfoQueriedResult
	ch.mustCall("owner", "queryMessageReceiptsInfo", &messages.MessageReceiptsParams{ConversationType: ConvChannel, MessageList: sent}, &res)
	for _, in := range res.Infos {
		if in.ReadMemberCount != 1 || in.UnreadMemberCount != 1998 || in.Status != ReceiptProcessing {
			t.Fatalf("info %v", in)
		}
	}
	// The count came with the import's notice; a fresh activation asks once.
	fresh := w.grain(KindChannel, conv)
	for i := 0; i < 3; i++ {
		fresh.mustCall("owner", "queryMessageReceiptsInfo", &messages.MessageReceiptsParams{ConversationType: ConvChannel, MessageList: sent[:1]}, &res)
		if in := res.Infos[0]; in.ReadMemberCount != 1 || in.UnreadMemberCount != 1998 {
			t.Fatalf("fresh activation: %v", in)
		}
	}
	if asked != 1 {
		t.Fatalf("the channel asked the community %d times", asked)
	}
	w.users("stranger")
	wantCode(t, ch.call("stranger", "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: conv, ConversationType: ConvChannel}, nil), ErrNotCommunityMember)
	wantCode(t, ch.call("stranger", "queryMessageReceiptsInfo", &messages.MessageReceiptsParams{ConversationType: ConvChannel, MessageList: sent[:1]}, nil), ErrNotCommunityMember)
}
