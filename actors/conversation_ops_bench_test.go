package actors

import (
	"context"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// BenchmarkConversationList1000Pinned20: an online user with 1,000 peer conversations
// (each with a message from its peer), 20 of them pinned, pages through
// queryConversationList (100 per page, pinned first) on a real actor system in process.
// Each op is one page request; reports p50/p99 per page.
func BenchmarkConversationList1000Pinned20(b *testing.B) {
	const convs, pinned, page = 1000, 20, 100
	gb := startGroupBench(b)
	ids := gb.users(convs+1, 1) // u0 online, the others offline
	me := ids[0]
	for _, peer := range ids[1:] {
		gb.call(KindPeer, PeerIdentity(peer, me), peer, "sendMessage", &messages.SendMessageParams{ToConversationID: me, ConversationType: ConvPeer,
			Message: &messages.Message{Type: MsgText, Message: "hello from " + peer}}, nil)
	}
	for i := 0; i < pinned; i++ {
		gb.call(KindUser, me, me, "updateConversationPinnedState", &messages.UpdateConversationPinnedStateParams{IsPinned: true, ConversationID: ids[1+i*50], ConversationType: ConvPeer}, nil)
	}
	list := func(next *messages.Conversation) *messages.ConversationListQueriedResult {
		params, _ := proto.Marshal(&messages.QueryConversationListParams{Config: &messages.ConversationQueryConfig{Count: page, NextConversation: next}})
		data, err := gb.rt.Call(context.Background(), KindUser, me, &messages.Call{Method: "queryConversationList", UserID: me, Params: params, Conn: gb.conns[me]})
		if err != nil {
			b.Fatal(err)
		}
		res := &messages.ConversationListQueriedResult{}
		if err := proto.Unmarshal(data, res); err != nil {
			b.Fatal(err)
		}
		return res
	}
	// Check once: every conversation, pinned ones first.
	var next *messages.Conversation
	seen := 0
	for {
		res := list(next)
		for i, c := range res.ConversationList {
			if (seen+i < pinned) != c.IsPinned {
				b.Fatalf("conversation %d (%s) pinned=%v", seen+i, c.ConversationID, c.IsPinned)
			}
		}
		seen += len(res.ConversationList)
		if len(res.ConversationList) < page {
			break
		}
		next = res.ConversationList[page-1]
	}
	if seen != convs {
		b.Fatalf("listed %d conversations, want %d", seen, convs)
	}
	lat := make([]time.Duration, 0, b.N)
	next = nil
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res := list(next)
		lat = append(lat, time.Since(start))
		next = nil
		if n := len(res.ConversationList); n == page {
			next = res.ConversationList[n-1]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")

}
