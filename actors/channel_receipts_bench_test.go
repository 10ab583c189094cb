package actors

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// channelReceiptRig is a community of members (the first the owner, the rest imported)
// on Badger with counted writes, online members connected; it returns GENERAL.
func channelReceiptRig(b *testing.B, members, online int) (*communityRig, *countingStore, []string, string) {
	b.Helper()
	var cs *countingStore
	r := &communityRig{tb: b, dir: b.TempDir(), conns: map[string]*messages.ConnRef{}, fan: &countingFanout{event: "communityChannelMessageReceived"},
		wrap: func(st persistence.Store) persistence.Store { cs = &countingStore{Store: st}; return cs }}
	r.start()
	b.Cleanup(r.stop)
	ids := userIDs(0, members)
	general := r.community("bench", ids[0], 0, ids[1:])[0]
	for i := 0; i < online; i++ {
		r.online(ids[i], uint64(i+1))
	}
	return r, cs, ids, general
}

func (r *communityRig) sendReceipt(conv, user, text string) *messages.Message {
	r.tb.Helper()
	res := &messages.MessageSentResult{}
	r.must(KindChannel, conv, user, "sendMessage", &messages.SendMessageParams{ToConversationID: conv, ConversationType: ConvChannel,
		Message: &messages.Message{Type: MsgText, Message: text}, Config: &messages.MessageSendConfig{HasReceipt: true}}, res)
	return res.Message
}

// BenchmarkChannelConversationReceiptRead2000Members50Online: in a community of 2,000
// members (50 online), 50 goroutines call sendConversationMessageReceiptRead on GENERAL
// for the members in turn; a message with a receipt is sent before each round of the
// 2,000, so (nearly) every call moves a position and writes. Badger on disk. Reports
// calls/s, the store writes and records per call.
func BenchmarkChannelConversationReceiptRead2000Members50Online(b *testing.B) {
	const members, online, workers = 2000, 50, 50
	r, cs, ids, general := channelReceiptRig(b, members, online)
	send := func() { r.sendReceipt(general, ids[0], "read me") }
	send()
	benchConversationReads(b, r.rt, cs, KindChannel, general, ConvChannel, ids, r.conns, workers, send)
}

// BenchmarkChannelQueryReceipts100Messages2000Members: the sender of 100 receipt
// messages in GENERAL of a 2,000-member community asks queryMessageReceiptsInfo for all
// 100; before that, 1,000 members read the channel at different points and 200 marked
// single messages. Badger on disk. Reports p50/p99 per call.
func BenchmarkChannelQueryReceipts100Messages2000Members(b *testing.B) {
	const members, online = 2000, 50
	r, _, ids, general := channelReceiptRig(b, members, online)
	var sent []*messages.Message
	for i := 0; i < 100; i++ {
		sent = append(sent, r.sendReceipt(general, ids[0], fmt.Sprintf("m%d", i)))
		for u := 1 + i*10; u < 1+(i+1)*10; u++ { // 10 members read up to here
			r.must(KindChannel, general, ids[u], "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: general, ConversationType: ConvChannel}, nil)
		}
	}
	for u := 1001; u < 1201; u++ {
		r.must(KindChannel, general, ids[u], "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: general, ConversationType: ConvChannel,
			MessageList: []*messages.Message{sent[u%100]}}, nil)
	}
	params, _ := proto.Marshal(&messages.MessageReceiptsParams{ConversationID: general, ConversationType: ConvChannel, MessageList: sent})
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		data, err := r.rt.Call(context.Background(), KindChannel, general, &messages.Call{Method: "queryMessageReceiptsInfo", UserID: ids[0], Params: params, Conn: r.conns[ids[0]]})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if i == 0 {
			res := &messages.MessageReceiptsInfoQueriedResult{}
			_ = proto.Unmarshal(data, res)
			if len(res.Infos) != 100 || res.Infos[0].ReadMemberCount+res.Infos[0].UnreadMemberCount != members-1 || res.Infos[99].ReadMemberCount != 12 {
				b.Fatalf("bad result: %d infos, first %v, last %v", len(res.Infos), res.Infos[0], res.Infos[len(res.Infos)-1])
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
}
