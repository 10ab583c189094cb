package actors

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// noticeFanout stands in for a gateway node's fan-out actor: it counts the connection
// deliveries of member notices and the users they carry, and signals the message that
// ends a storm.
type noticeFanout struct {
	event      string
	deliveries atomic.Int64 // member notice pushes, one per connection
	users      atomic.Int64 // users carried, summed over connections
	notices    atomic.Int64 // Deliver messages of member notices
	marker     chan struct{}
}

func (f *noticeFanout) receive(m proto.Message) {
	d, ok := m.(*messages.Deliver)
	if !ok || d.Push == nil {
		return
	}
	switch d.Push.Event {
	case f.event:
		ev := &messages.GroupMemberStateChangedEvent{}
		if err := proto.Unmarshal(d.Push.Data, ev); err != nil {
			panic(err)
		}
		f.notices.Add(1)
		f.deliveries.Add(int64(len(d.ConnIDs)))
		f.users.Add(int64(len(d.ConnIDs) * len(ev.UserList)))
	case "groupMessageReceived":
		select {
		case f.marker <- struct{}{}:
		default:
		}
	}
}

// BenchmarkGroupJoinStorm1000Online: 1,000 online users call joinGroup at once (50 at a
// time) into a group of 1,000 members, all online. Reported per join: the member
// notice pushes (connection deliveries of groupMemberStateChanged) and the users they
// carry. Before coalescing each join was pushed to every member online then (≈ 1,500
// per join for this storm); now a notice carries the joins of an interval. The storm
// ends with a message, after which every notice has reached the fan-out (same order).
// Badger on disk; run with -benchtime=1x (each iteration is a storm into a new group).
func BenchmarkGroupJoinStorm1000Online(b *testing.B) {
	const members, joiners, workers = 1000, 1000, 50
	fan := &noticeFanout{event: "groupMemberStateChanged", marker: make(chan struct{}, 1)}
	gb := startGroupBenchWith(b, fan.receive)
	users := gb.users(members+joiners, members+joiners)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		group := fmt.Sprintf("storm-%d", i)
		gb.group(group, users[:members])
		gb.settle(group, users[:members])
		fan.deliveries.Store(0)
		fan.users.Store(0)
		fan.notices.Store(0)
		start := time.Now()
		next := atomic.Int64{}
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k := int(next.Add(1)) - 1
					if k >= joiners {
						return
					}
					gb.call(KindGroup, group, users[members+k], "joinGroup", &messages.GroupIDParams{GroupID: group}, nil)
				}
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		gb.call(KindGroup, group, users[0], "sendMessage", &messages.SendMessageParams{
			ToConversationID: group, ConversationType: ConvGroup, Message: &messages.Message{Type: MsgText, Message: "end"},
		}, nil)
		select {
		case <-fan.marker:
		case <-time.After(30 * time.Second):
			b.Fatal("the storm's closing message never reached the fan-out")
		}
		b.ReportMetric(float64(fan.deliveries.Load())/joiners, "pushes/join")
		b.ReportMetric(float64(fan.users.Load())/joiners, "users-carried/join")
		b.ReportMetric(float64(fan.notices.Load())/joiners, "delivers/join")
	}
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "storm-ms")
}

// startGroupBenchWith is startGroupBench with receive as the node's fan-out actor.
func startGroupBenchWith(b *testing.B, receive func(proto.Message)) *groupBench {
	b.Helper()
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: b.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	rt, err := Start(Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RequestTimeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = rt.Shutdown(ctx)
		_ = st.Close()
	})
	if _, err := rt.Node().Spawn(FanoutActorName, receive); err != nil {
		b.Fatal(err)
	}
	return &groupBench{b: b, rt: rt, conns: map[string]*messages.ConnRef{}}
}
