package actors

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// benchRich: PARLEY_BENCH_RICH=1 makes the send benchmarks send every message with a
// receipt and a mention (the A/B of issue 13 part B).
func benchRich() bool { return os.Getenv("PARLEY_BENCH_RICH") != "" }

// richSend completes a benchmark message: a receipt and a mention when benchRich.
func richSend(p *messages.SendMessageParams, mention string) *messages.SendMessageParams {
	if benchRich() {
		p.Config = &messages.MessageSendConfig{HasReceipt: true}
		p.Message.MentionedUserIDs = []string{mention}
	}
	return p
}

// startCountingGroupBench is startGroupBench on a Badger store that counts writes.
func startCountingGroupBench(b *testing.B) (*groupBench, *countingStore) {
	b.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: b.TempDir(), Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	cs := &countingStore{Store: st}
	rt, err := Start(Config{Store: cs, Logger: log, RequestTimeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = rt.Shutdown(ctx)
		_ = st.Close()
	})
	gb := &groupBench{b: b, rt: rt, fan: &countingFanout{event: "groupMessageReceived"}, conns: map[string]*messages.ConnRef{}}
	if _, err := rt.Node().Spawn(FanoutActorName, gb.fan.receive); err != nil {
		b.Fatal(err)
	}
	return gb, cs
}

// BenchmarkGroupConversationReceiptRead2000Members50Online: in a group of 2,000
// members (50 online), 50 goroutines call sendConversationMessageReceiptRead for the
// members in turn; a message with a receipt is sent before each round of the 2,000, so
// (nearly) every call moves a position and writes. Badger on disk. Reports calls/s, the
// store writes and records per call.
func BenchmarkGroupConversationReceiptRead2000Members50Online(b *testing.B) {
	const members, online, workers = 2000, 50, 50
	gb, cs := startCountingGroupBench(b)
	ids := gb.users(members, online)
	gb.group("bench", ids)
	gb.settle("bench", ids[:online])
	send := func() {
		gb.call(KindGroup, "bench", ids[0], "sendMessage", &messages.SendMessageParams{ToConversationID: "bench", ConversationType: ConvGroup,
			Message: &messages.Message{Type: MsgText, Message: "read me"}, Config: &messages.MessageSendConfig{HasReceipt: true}}, nil)
	}
	send()
	benchConversationReads(b, gb.rt, cs, KindGroup, "bench", ConvGroup, ids, gb.conns, workers, send)
}

// benchConversationReads is the loop of the conversation read benchmarks: workers
// goroutines call sendConversationMessageReceiptRead on kind/conv for ids in turn, with
// send (a new message with a receipt) before each round; it reports calls/s, the store
// writes and records per call (cs) and the p99 latency.
func benchConversationReads(b *testing.B, rt *Runtime, cs *countingStore, kind, conv string, ctype int32, ids []string, conns map[string]*messages.ConnRef, workers int, send func()) {
	members := len(ids)
	ref, _ := proto.Marshal(&messages.ConversationRef{ConversationID: conv, ConversationType: ctype})
	lat := make([][]time.Duration, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	writes, ops := cs.writes.Load(), cs.ops.Load()
	b.ReportAllocs()
	b.ResetTimer()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			done := make(chan error, 1)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if i%int64(members) == 0 {
					send()
				}
				user := ids[i%int64(members)]
				start := time.Now()
				rt.Go(context.Background(), kind, conv, &messages.Call{Method: "sendConversationMessageReceiptRead", UserID: user, Params: ref, Conn: conns[user]},
					func(_ proto.Message, err error) { done <- err })
				if err := <-done; err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(start))
			}
		}(w)
	}
	wg.Wait()
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sends := int64(b.N / members)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(cs.writes.Load()-writes-sends)/float64(b.N), "writes/call")
	b.ReportMetric(float64(cs.ops.Load()-ops)/float64(b.N), "records/call")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds()), "p99-µs")
}

// BenchmarkGroupQueryReceipts100Messages2000Members: the sender of 100 receipt messages
// in a group of 2,000 members asks queryMessageReceiptsInfo for all 100; before that,
// 1,000 members read the conversation at different points and 200 marked single
// messages. Badger on disk. Reports p50/p99 per call.
func BenchmarkGroupQueryReceipts100Messages2000Members(b *testing.B) {
	const members, online = 2000, 50
	gb, _ := startCountingGroupBench(b)
	ids := gb.users(members, online)
	gb.group("bench", ids)
	var sent []*messages.Message
	for i := 0; i < 100; i++ {
		res := &messages.MessageSentResult{}
		gb.call(KindGroup, "bench", ids[0], "sendMessage", &messages.SendMessageParams{ToConversationID: "bench", ConversationType: ConvGroup,
			Message: &messages.Message{Type: MsgText, Message: fmt.Sprintf("m%d", i)}, Config: &messages.MessageSendConfig{HasReceipt: true}}, res)
		sent = append(sent, res.Message)
		for u := 1 + i*10; u < 1+(i+1)*10; u++ { // 10 members read up to here
			gb.call(KindGroup, "bench", ids[u], "sendConversationMessageReceiptRead", &messages.ConversationRef{ConversationID: "bench", ConversationType: ConvGroup}, nil)
		}
	}
	for u := 1001; u < 1201; u++ {
		gb.call(KindGroup, "bench", ids[u], "sendMessageReceiptsRead", &messages.MessageReceiptsParams{ConversationID: "bench", ConversationType: ConvGroup,
			MessageList: []*messages.Message{sent[u%100]}}, nil)
	}
	params, _ := proto.Marshal(&messages.MessageReceiptsParams{ConversationID: "bench", ConversationType: ConvGroup, MessageList: sent})
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		data, err := gb.rt.Call(context.Background(), KindGroup, "bench", &messages.Call{Method: "queryMessageReceiptsInfo", UserID: ids[0], Params: params, Conn: gb.conns[ids[0]]})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if i == 0 {
			res := &messages.MessageReceiptsInfoQueriedResult{}
			_ = proto.Unmarshal(data, res)
			if len(res.Infos) != 100 || res.Infos[0].ReadMemberCount+res.Infos[0].UnreadMemberCount != members-1 {
				b.Fatalf("bad result: %d infos, first %v", len(res.Infos), res.Infos[0])
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
}

// BenchmarkChannelReaction1000Online: 50 of the 1,000 online members of a 10,000-member
// community add reactions (10 types, increaseCount 1) to one message of GENERAL
// concurrently. A reaction counts when it is stored (the reply came back) and every
// online connection got it in a messageReactionsChanged from the fan-out actor (a push
// carries the changes of one flush, encoded once, one Deliver per node; the reacting
// connection gets it too when a flush holds several calls). Badger on disk.
func BenchmarkChannelReaction1000Online(b *testing.B) {
	const members, online, senders = 10_000, 1000, 50
	// A push carries the changes of one flush: each counts as a delivery.
	fan := &countingFanout{event: "messageReactionsChanged", per: func(d *messages.Deliver) int64 {
		ev := &messages.MessageReactionsChangedEvent{}
		if err := proto.Unmarshal(d.Push.Data, ev); err != nil {
			panic(err)
		}
		var n int64
		for _, c := range ev.ChangeInfoList {
			n += int64(len(c.UserChangeInfoList))
		}
		return n
	}}
	r := &communityRig{tb: b, dir: b.TempDir(), conns: map[string]*messages.ConnRef{}, fan: fan}
	r.start()
	b.Cleanup(r.stop)
	ids := userIDs(0, members)
	convs := r.community("big", ids[0], 0, ids[1:])
	general := convs[0]
	for i := 0; i < online; i++ {
		r.online(ids[i], uint64(i+1))
	}
	msg := r.sendText(general, ids[online], "react here")
	react := func(user, typ string) error {
		return r.call(KindChannel, general, user, "addMessageReaction", &messages.MessageReactionAddParams{ReactionType: typ, Message: msg,
			Config: &messages.MessageReactionAddConfig{IncreaseCount: 1}}, nil)
	}
	r.waitFor("online members known to GENERAL", func() bool {
		before := r.fan.count.Load()
		if err := react(ids[online], "probe"); err != nil { // an offline member reacts
			b.Fatal(err)
		}
		return r.waitCount(before+online, 2*time.Second)
	})
	base, basePushes := r.fan.count.Load(), r.fan.pushes.Load()
	lat := make([][]time.Duration, senders)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			user := ids[s]
			done := make(chan error, 1)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				raw, _ := proto.Marshal(&messages.MessageReactionAddParams{ReactionType: fmt.Sprintf("t%d", i%10), Message: msg,
					Config: &messages.MessageReactionAddConfig{IncreaseCount: 1}})
				start := time.Now()
				r.rt.Go(context.Background(), KindChannel, general, &messages.Call{Method: "addMessageReaction", UserID: user, Params: raw, Conn: r.conns[user]},
					func(_ proto.Message, err error) { done <- err })
				if err := <-done; err != nil {
					b.Error(err)
					return
				}
				lat[s] = append(lat[s], time.Since(start))
			}
		}(s)
	}
	wg.Wait()
	if !r.waitCount(base+int64(b.N)*(online-1), 60*time.Second) {
		b.Fatalf("delivered %d of %d", r.fan.count.Load()-base, int64(b.N)*(online-1))
	}
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reactions/s")
	b.ReportMetric(float64(r.fan.pushes.Load()-basePushes)/float64(b.N), "pushes/reaction")
	b.ReportMetric(float64(b.N)*(online-1)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds()), "p99-µs")
}
