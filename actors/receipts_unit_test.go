package actors

import (
	"context"
	"fmt"
	"math/rand"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// countingStore counts the writes and the records they put.
type countingStore struct {
	persistence.Store
	writes, ops atomic.Int64
}

func (c *countingStore) Write(ctx context.Context, b *persistence.Batch) error {
	c.writes.Add(1)
	c.ops.Add(int64(b.Len()))
	return c.Store.Write(ctx, b)
}

func rcSend(t *testing.T, g *unitGrain, user string, receipt bool) *messages.Message {
	t.Helper()
	res := &messages.MessageSentResult{}
	g.mustCall(user, "sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup,
		Message: &messages.Message{Type: MsgText, Message: "m"}, Config: &messages.MessageSendConfig{HasReceipt: receipt}}, res)
	return res.Message
}

func rcInfo(t *testing.T, g *unitGrain, user string, m *messages.Message) *messages.MessageReceiptInfo {
	t.Helper()
	res := &messages.MessageReceiptsInfoQueriedResult{}
	g.mustCall(user, "queryMessageReceiptsInfo", &messages.MessageReceiptsParams{ConversationID: guID, ConversationType: ConvGroup,
		MessageList: []*messages.Message{m}}, res)
	if len(res.Infos) != 1 {
		t.Fatalf("no info for %d: %v", m.MessageSeq, res)
	}
	return res.Infos[0]
}

// TestGroupReceiptCountsMatchABruteForceCount: members join between messages, read the
// conversation at random points and mark single messages; the counts the group derives
// (binary searches over read positions, plus marks) equal a count member by member, in
// the activation that saw it all and in a fresh one.
func TestGroupReceiptCountsMatchABruteForceCount(t *testing.T) {
	w := newUnitWorld(t)
	rnd := rand.New(rand.NewSource(7))
	var members []string
	for i := 0; i < 12; i++ {
		members = append(members, fmt.Sprintf("u%02d", i))
	}
	g := guNewGroup(w, "owner", members, nil)
	all := append([]string{"owner"}, members...)
	since := map[string]int64{}
	for _, u := range all {
		since[u] = 1
	}
	pos := map[string]int64{}
	marks := map[int64]map[string]bool{}
	var sent []*messages.Message
	for step := 0; step < 60; step++ {
		switch r := rnd.Intn(10); {
		case r < 5:
			sender := all[rnd.Intn(len(all))]
			m := rcSend(t, g, sender, true)
			sent = append(sent, m)
		case r < 6 && step < 40:
			u := fmt.Sprintf("late%02d", step)
			w.users(u)
			g.mustCall("owner", "inviteUsersIntoGroup", &messages.GroupUsersParams{GroupID: guID, UserIDs: []string{u}}, nil)
			all = append(all, u)
			since[u] = int64(len(sent)) + 1
		case r < 8:
			u := all[rnd.Intn(len(all))]
			g.mustCall(u, "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: guID, ConversationType: ConvGroup}, nil)
			pos[u] = int64(len(sent))
		default:
			if len(sent) == 0 {
				continue
			}
			u := all[rnd.Intn(len(all))]
			m := sent[rnd.Intn(len(sent))]
			if m.SenderUserID == u || since[u] > m.MessageSeq {
				continue
			}
			g.call(u, "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: []*messages.Message{m}}, nil)
			if marks[m.MessageSeq] == nil {
				marks[m.MessageSeq] = map[string]bool{}
			}
			marks[m.MessageSeq][u] = true
		}
	}
	if len(sent) < 10 {
		t.Fatalf("only %d messages", len(sent))
	}
	check := func(g *unitGrain) {
		for _, m := range sent {
			var read, unread int64
			for _, u := range all {
				if u == m.SenderUserID || since[u] > m.MessageSeq {
					continue
				}
				if pos[u] >= m.MessageSeq || marks[m.MessageSeq][u] {
					read++
				} else {
					unread++
				}
			}
			info := rcInfo(t, g, m.SenderUserID, m)
			if info.ReadMemberCount != read || info.UnreadMemberCount != unread {
				t.Fatalf("message %d by %s: got read %d unread %d, want %d / %d", m.MessageSeq, m.SenderUserID, info.ReadMemberCount, info.UnreadMemberCount, read, unread)
			}
			wantStatus := int32(ReceiptProcessing)
			if unread == 0 {
				wantStatus = ReceiptDone
			}
			if info.Status != wantStatus {
				t.Fatalf("message %d: status %d, want %d", m.MessageSeq, info.Status, wantStatus)
			}
		}
	}
	check(g)
	check(w.grain(KindGroup, guID)) // a fresh activation reads it all back
}

// TestConversationReceiptReadIsOneWriteOfOneRecord: in a group of 2,000 members with 100
// receipt messages, reading the conversation writes one record; marking 10 messages
// writes 10 records in one write; sending a receipt message writes what a plain one
// writes.
func TestConversationReceiptReadIsOneWriteOfOneRecord(t *testing.T) {
	cs := &countingStore{Store: persistence.NewMemory()}
	w := newUnitWorld(t, func(c *Config) { c.Store = cs })
	var members []string
	for i := 0; i < 99; i++ {
		members = append(members, fmt.Sprintf("m%04d", i))
	}
	g := guNewGroup(w, "owner", members, nil)
	for start := 0; start < 1900; start += 100 {
		var more []string
		for i := start; i < start+100; i++ {
			more = append(more, fmt.Sprintf("n%04d", i))
		}
		w.users(more...)
		g.mustCall("owner", "inviteUsersIntoGroup", &messages.GroupUsersParams{GroupID: guID, UserIDs: more}, nil)
	}
	var sent []*messages.Message
	for i := 0; i < 100; i++ {
		sent = append(sent, rcSend(t, g, "owner", true))
	}
	writes, ops := cs.writes.Load(), cs.ops.Load()
	g.mustCall("m0001", "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: guID, ConversationType: ConvGroup}, nil)
	if dw, do := cs.writes.Load()-writes, cs.ops.Load()-ops; dw != 1 || do != 1 {
		t.Fatalf("sendConversationMessageReceiptRead: %d writes of %d records, want 1 of 1", dw, do)
	}
	writes, ops = cs.writes.Load(), cs.ops.Load()
	g.mustCall("m0002", "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: sent[:10]}, nil)
	if dw, do := cs.writes.Load()-writes, cs.ops.Load()-ops; dw != 1 || do != 10 {
		t.Fatalf("sendMessageReceiptsRead of 10: %d writes of %d records", dw, do)
	}
	writes, ops = cs.writes.Load(), cs.ops.Load()
	rcSend(t, g, "owner", false)
	plainOps := cs.ops.Load() - ops
	ops = cs.ops.Load()
	rcSend(t, g, "owner", true)
	if receiptOps := cs.ops.Load() - ops; receiptOps != plainOps {
		t.Fatalf("a receipt message writes %d records, a plain one %d", receiptOps, plainOps)
	}
	if info := rcInfo(t, g, "owner", sent[0]); info.ReadMemberCount != 2 || info.UnreadMemberCount != 1997 {
		t.Fatalf("counts: %v", info)
	}
	// 11 at once: 6000282.
	wantCode(t, g.call("m0003", "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: sent[:11]}, nil), ErrReceiptLimit)
}

// TestReceiptExpiresAfterTheTTL: a receipt nobody read is expired after ReceiptTTL, and
// can no longer be set read.
func TestReceiptExpiresAfterTheTTL(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	m := rcSend(t, g, "owner", true)
	w.now = w.now.Add(w.rt.Limits().Rich.ReceiptTTL + time.Minute)
	if info := rcInfo(t, g, "owner", m); info.Status != ReceiptExpired {
		t.Fatalf("status %d, want expired", info.Status)
	}
	wantCode(t, g.call("bob", "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: []*messages.Message{m}}, nil), ErrReceiptRead)
}

// TestReactionSummaryKeepsFirstUsersAndCounts: many users react; the summary keeps the
// user count, the sum and the first users (refilled when one of them leaves).
func TestReactionSummaryKeepsFirstUsersAndCounts(t *testing.T) {
	w := newUnitWorld(t)
	var members []string
	for i := 0; i < 9; i++ {
		members = append(members, fmt.Sprintf("r%d", i))
	}
	g := guNewGroup(w, "owner", members, nil)
	m := rcSend(t, g, "owner", false)
	for _, u := range members {
		g.mustCall(u, "addMessageReaction", &messages.MessageReactionAddParams{ReactionType: "+1", Message: m}, nil)
	}
	res := &messages.MessageReactionDeletedResult{}
	g.mustCall("r0", "deleteMessageReaction", &messages.MessageReactionDeleteParams{ReactionType: "+1", Message: m}, res)
	r := res.Reaction
	if r.TotalCount != 8 || r.SumCount != 8 || len(r.UserList) != w.rt.Limits().Rich.ReactionUsersInView {
		t.Fatalf("after one left: %v", r)
	}
	for _, u := range r.UserList {
		if u.UserID == "r0" {
			t.Fatalf("the user who left is still listed: %v", r)
		}
	}
	wantCode(t, g.call("r0", "deleteMessageReaction", &messages.MessageReactionDeleteParams{ReactionType: "+1", Message: m}, nil), ErrReactionNotMine)
	// A fresh activation reads the summary back.
	list := &messages.MessageReactionUserListQueriedResult{}
	w.grain(KindGroup, guID).mustCall("r5", "queryMessageReactionUserList", &messages.MessageReactionUserListQueryParams{Message: m,
		Config: &messages.MessageReactionUserQueryConfig{ReactionType: "+1"}}, list)
	if list.TotalCount != 8 || len(list.UserInfoList) != 8 || !list.Message.Reactions[0].IsSelfIncluded {
		t.Fatalf("user list: %v", list)
	}
}

func rcCall(t *testing.T, user, method string, params proto.Message) *messages.Call {
	t.Helper()
	raw, err := proto.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	return &messages.Call{Method: method, UserID: user, Params: raw, Conn: conn(9)}
}

// TestQueuedReactionsAndReadsAreOneWriteAndOnePush: reactions and conversation reads
// that arrive while the group is busy (queued before its flush) are stored with one
// write, and the reactions go out as one messageReactionsChanged per node carrying every
// change.
func TestQueuedReactionsAndReadsAreOneWriteAndOnePush(t *testing.T) {
	cs := &countingStore{Store: persistence.NewMemory()}
	w := newUnitWorld(t, func(c *Config) { c.Store = cs })
	g := guNewGroup(w, "owner", []string{"a", "b", "c"}, nil)
	guOnline(g, "owner", 100)
	m := rcSend(t, g, "owner", true)
	w.rec.takePushes()
	writes := cs.writes.Load()
	for i, u := range []string{"a", "b", "c"} {
		g.Tell(rcCall(t, u, "addMessageReaction", &messages.MessageReactionAddParams{ReactionType: fmt.Sprintf("t%d", i%2), Message: m}))
	}
	g.Drain()
	if n := cs.writes.Load() - writes; n != 1 {
		t.Fatalf("three queued reactions took %d writes", n)
	}
	var changes, pushes int
	for _, d := range w.rec.takePushes() {
		if d.Push.GetEvent() != "messageReactionsChanged" {
			continue
		}
		pushes++
		ev := &messages.MessageReactionsChangedEvent{}
		if err := proto.Unmarshal(d.Push.Data, ev); err != nil {
			t.Fatal(err)
		}
		for _, ci := range ev.ChangeInfoList {
			changes += len(ci.UserChangeInfoList)
		}
		if r := ev.Reactions; len(r) != 2 || r[0].TotalCount+r[1].TotalCount != 3 {
			t.Fatalf("reactions after the write: %v", r)
		}
	}
	if pushes != 1 || changes != 3 {
		t.Fatalf("%d pushes with %d changes, want 1 with 3", pushes, changes)
	}
	writes = cs.writes.Load()
	for _, u := range []string{"a", "b", "c"} {
		g.Tell(rcCall(t, u, "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: guID, ConversationType: ConvGroup}))
	}
	g.Drain()
	if n := cs.writes.Load() - writes; n != 1 {
		t.Fatalf("three queued reads took %d writes", n)
	}
	if info := rcInfo(t, g, "owner", m); info.Status != ReceiptDone || info.ReadMemberCount != 3 {
		t.Fatalf("after the queued reads: %v", info)
	}
}
