package actors

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// countingFanout stands in for a gateway node's fan-out actor: it encodes each push once,
// as the real one does, and counts the connections it would hand pushes of event to;
// with delivered set, it also records which connections got which message (by text).
type countingFanout struct {
	event     string
	count     atomic.Int64 // deliveries of event (one per connection)
	mu        sync.Mutex
	delivered map[string][]uint64 // message text -> connection IDs
	// per, when set, is what one push of event counts for per connection (e.g. the
	// changes a batched push carries); pushes counts the Delivers of event.
	per    func(*messages.Deliver) int64
	pushes atomic.Int64
}

func (f *countingFanout) receive(m proto.Message) {
	d, ok := m.(*messages.Deliver)
	if !ok || d.Push == nil {
		return
	}
	if _, err := proto.Marshal(&messages.Frame{Event: d.Push.Event, Data: d.Push.Data}); err != nil {
		panic(err)
	}
	if d.Push.Event != f.event {
		return
	}
	var ids []uint64
	for _, id := range d.ConnIDs {
		if id != d.ExceptConnID {
			ids = append(ids, id)
		}
	}
	f.pushes.Add(1)
	if f.per != nil {
		f.count.Add(int64(len(ids)) * f.per(d))
		return
	}
	f.count.Add(int64(len(ids)))
	if f.delivered == nil {
		return
	}
	ev := &messages.ConversationMessageReceivedEvent{}
	if err := proto.Unmarshal(d.Push.Data, ev); err != nil || len(ev.MessageList) != 1 {
		panic("bad message push")
	}
	text := ev.MessageList[0].Message
	f.mu.Lock()
	f.delivered[text] = append(f.delivered[text], ids...)
	f.mu.Unlock()
}

// got lists the connections that got the message with text, in ID order.
func (f *countingFanout) got(text string) []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]uint64(nil), f.delivered[text]...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

type groupBench struct {
	b     *testing.B
	rt    *Runtime
	fan   *countingFanout
	conns map[string]*messages.ConnRef
}

// startGroupBench runs a one-member runtime on a Badger directory with a counting
// fan-out actor in place of the gateway's.
func startGroupBench(b *testing.B) *groupBench {
	b.Helper()
	fan := &countingFanout{event: "groupMessageReceived"}
	gb := startGroupBenchWith(b, fan.receive)
	gb.fan = fan
	return gb
}

func (gb *groupBench) call(kind, id, user, method string, params proto.Message, result proto.Message) {
	gb.b.Helper()
	raw, _ := proto.Marshal(params)
	data, err := gb.rt.Call(context.Background(), kind, id, &messages.Call{Method: method, UserID: user, Params: raw, Conn: gb.conns[user]})
	if err != nil {
		gb.b.Fatalf("%s by %s: %v", method, user, err)
	}
	if result != nil {
		if err := proto.Unmarshal(data, result); err != nil {
			gb.b.Fatal(err)
		}
	}
}

// users registers n users; the first online of them keep one connection each.
func (gb *groupBench) users(n, online int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
		conn := &messages.ConnRef{Node: gb.rt.Address(), ConnID: uint64(i + 1), Platform: 6}
		if _, err := gb.rt.Request(context.Background(), KindUser, ids[i], &messages.RegisterDevice{Conn: conn, UserName: ids[i]}); err != nil {
			gb.b.Fatal(err)
		}
		if i < online {
			gb.conns[ids[i]] = conn
		} else {
			gb.rt.Send(KindUser, ids[i], &messages.UnregisterDevice{Conn: conn})
		}
	}
	return ids
}

// group creates group id owned by members[0] with every member, 100 per call.
func (gb *groupBench) group(id string, members []string) {
	end := min(100, len(members))
	gb.call(KindGroup, id, members[0], "createGroup", &messages.GroupCreateParams{
		GroupInfo: &messages.GroupInfo{GroupID: id, GroupName: "bench " + id}, UserIDs: members[1:end]}, nil)
	for start := end; start < len(members); start += 100 {
		gb.call(KindGroup, id, members[0], "inviteUsersIntoGroup", &messages.GroupUsersParams{
			GroupID: id, UserIDs: members[start:min(start+100, len(members))]}, nil)
	}
}

// settle waits until every user actor in users and the group processed what was sent
// to them so far (so the group knows its online members).
func (gb *groupBench) settle(group string, users []string) {
	for _, u := range users {
		gb.call(KindUser, u, u, "querySelfUserInfo", &messages.Empty{}, nil)
	}
	gb.call(KindGroup, group, users[0], "queryGroupMemberCount", &messages.GroupIDParams{GroupID: group}, nil)
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkGroupSend2000Members50Online: 50 online members (the senders, one connection
// each) send text messages concurrently to a group of 2,000 members. A message counts
// when it is stored (the reply came back) and every other online connection got it
// from the fan-out actor (49 deliveries). The online members' user actors update their
// conversations too (drained before the timer stops). Badger on disk.
func BenchmarkGroupSend2000Members50Online(b *testing.B) {
	const members, online = 2000, 50
	gb := startGroupBench(b)
	ids := gb.users(members, online)
	gb.group("bench", ids)
	gb.settle("bench", ids[:online])
	text := strings.Repeat("x", 200)
	params := func(i int64) *messages.SendMessageParams {
		return richSend(&messages.SendMessageParams{ToConversationID: "bench", ConversationType: ConvGroup,
			Message: &messages.Message{Type: MsgText, Message: text, LocalMessageID: fmt.Sprintf("l%d", i)}}, ids[online])
	}
	gb.call(KindGroup, "bench", ids[0], "sendMessage", params(-1), nil) // warm up
	waitUntil(30*time.Second, func() bool { return gb.fan.count.Load() >= online-1 })
	gb.fan.count.Store(0)

	lat := make([][]time.Duration, online)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for s := 0; s < online; s++ {
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
				raw, _ := proto.Marshal(params(i))
				start := time.Now()
				// As the gateway does: Go, with the reply handed to a callback.
				gb.rt.Go(context.Background(), KindGroup, "bench", &messages.Call{Method: "sendMessage", UserID: user, Params: raw, Conn: gb.conns[user]},
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
	want := int64(b.N) * (online - 1)
	if !waitUntil(60*time.Second, func() bool { return gb.fan.count.Load() >= want }) {
		b.Fatalf("delivered %d of %d", gb.fan.count.Load(), want)
	}
	gb.settle("bench", ids[:online]) // the user actors' conversation updates
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(percentile(all, 0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds()), "p99-µs")
}

// BenchmarkGroupConversationList200Groups: a user (online) in 200 groups, each with a
// message from another member, asks queryConversationList (100 per page) while every
// group actor is stopped: the list comes from the user actor's conversation index
// and the log heads it keeps, never from the groups. Reports the p99 latency.
func BenchmarkGroupConversationList200Groups(b *testing.B) {
	const groups = 200
	gb := startGroupBench(b)
	ids := gb.users(3, 1) // u0 online; u1, u2 offline
	for i := 0; i < groups; i++ {
		id := fmt.Sprintf("g%03d", i)
		gb.group(id, []string{ids[1], ids[0], ids[2]})
		gb.call(KindGroup, id, ids[2], "sendMessage", &messages.SendMessageParams{ToConversationID: id, ConversationType: ConvGroup,
			Message: &messages.Message{Type: MsgText, Message: "hello " + id}}, nil)
	}
	gb.settle("g000", ids[:1])
	// Stop every group actor (an online member keeps a group active otherwise).
	for i := 0; i < groups; i++ {
		if err := gb.rt.Node().Stop(KindGroup, fmt.Sprintf("g%03d", i)); err != nil {
			b.Fatal(err)
		}
	}
	params, _ := proto.Marshal(&messages.QueryConversationListParams{Config: &messages.ConversationQueryConfig{Count: 100}})
	call := &messages.Call{Method: "queryConversationList", UserID: ids[0], Params: params, Conn: gb.conns[ids[0]]}
	check := func() {
		data, err := gb.rt.Call(context.Background(), KindUser, ids[0], call)
		if err != nil {
			b.Fatal(err)
		}
		res := &messages.ConversationListQueriedResult{}
		if err := proto.Unmarshal(data, res); err != nil || len(res.ConversationList) != 100 || res.ConversationList[0].UnreadMessageCount != 1 ||
			!strings.HasPrefix(res.ConversationList[0].ConversationName, "bench g") {
			b.Fatalf("conversation list: %d entries, %v", len(res.GetConversationList()), err)
		}
	}
	check()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := gb.rt.Call(context.Background(), KindUser, ids[0], call); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	check()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}
