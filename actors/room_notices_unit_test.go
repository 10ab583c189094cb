package actors

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// fanoutModel replays what a room sent to the unit node's fan-out actor the way the
// gateway applies it (RoomFanout changes the node's list, RoomDeliver goes to the listed
// connections but the excepted ones, or to onlyConnIDs), and records what each
// connection received, as "joined:a,b", "left:c" and "message:text" lines.
type fanoutModel struct {
	in      map[uint64]bool
	got     map[uint64][]string
	notices int // member notices to the room (not to chosen connections)
}

func (f *fanoutModel) replay(tb testing.TB, w *unitWorld) {
	tb.Helper()
	if f.in == nil {
		f.in, f.got = map[uint64]bool{}, map[uint64][]string{}
	}
	w.rec.mu.Lock()
	sent := w.rec.processes
	w.rec.processes = nil
	w.rec.mu.Unlock()
	for _, p := range sent {
		switch m := p.msg.(type) {
		case *messages.RoomFanout:
			for _, id := range m.Remove {
				delete(f.in, id)
			}
			for _, id := range m.Add {
				f.in[id] = true
			}
		case *messages.RoomDeliver:
			line := decodeRoomPush(tb, m.Push)
			if strings.HasPrefix(m.Push.Event, "roomMember") && len(m.OnlyConnIDs) == 0 {
				f.notices++
			}
			for id := range f.in {
				if id == m.ExceptConnID || slices.Contains(m.ExceptConnIDs, id) ||
					len(m.OnlyConnIDs) > 0 && !slices.Contains(m.OnlyConnIDs, id) {
					continue
				}
				f.got[id] = append(f.got[id], line)
			}
		}
	}
}

func decodeRoomPush(tb testing.TB, p *messages.Push) string {
	switch p.Event {
	case "roomMemberJoined", "roomMemberLeft":
		ev := &messages.RoomMemberChangedEvent{}
		if err := proto.Unmarshal(p.Data, ev); err != nil {
			tb.Fatal(err)
		}
		ids := make([]string, len(ev.MemberList))
		for i, u := range ev.MemberList {
			ids[i] = u.UserID
		}
		return strings.ToLower(strings.TrimPrefix(p.Event, "roomMember")) + ":" + strings.Join(ids, ",")
	case "roomMessageReceived":
		ev := &messages.ConversationMessageReceivedEvent{}
		if err := proto.Unmarshal(p.Data, ev); err != nil {
			tb.Fatal(err)
		}
		return "message:" + ev.MessageList[0].Message
	}
	return p.Event
}

// flat joins a connection's received lines, merging consecutive notices of one kind (a
// client sees the same members either way).
func flat(lines []string) string {
	var out []string
	for _, l := range lines {
		kind, users, _ := strings.Cut(l, ":")
		if n := len(out); n > 0 && kind != "message" && strings.HasPrefix(out[n-1], kind+":") {
			out[n-1] += "," + users
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, " ")
}

// A join storm is announced in a few notices, and every member hears exactly the joins
// after its own (never itself), before any message sent after them; leaves likewise, and
// a member never hears of a leave from before it joined.
func TestUnitRoomMemberNoticesAreCoalescedAndExact(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Rooms.NoticeUsers = 4 })
	g := w.grain(KindRoom, "r")
	var f fanoutModel
	user := func(i int) string { return fmt.Sprintf("u%d", i) }
	// Ten members enter at the same instant: u1 is announced at once (the room was
	// quiet), u2..u5 when four have gathered, u6..u9 when four more have, u10 when
	// the interval ends.
	for i := 0; i < 11; i++ {
		g.mustRoom(user(i), uint64(i+1), "enterRoom", roomParams("r", "", nil), nil)
	}
	f.replay(t, w)
	if f.notices != 3 {
		t.Fatalf("10 joins made %d notices to the room, want 3 (u1; u2–u5; u6–u9)", f.notices)
	}
	// u0 sends a message: u10's pending join is announced before it.
	g.mustRoom("u0", 1, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: "m1"}, Config: &messages.MessageSendConfig{Priority: PriorityHigh}}, nil)
	f.replay(t, w)
	for i := 0; i < 11; i++ {
		var after []string
		for j := i + 1; j < 11; j++ {
			after = append(after, user(j))
		}
		want := ""
		if len(after) > 0 {
			want = "joined:" + strings.Join(after, ",")
		}
		if i != 0 {
			want = strings.TrimSpace(want + " message:m1")
		}
		if got := flat(f.got[uint64(i+1)]); got != want {
			t.Errorf("u%d got %q, want %q", i, got, want)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// In a quiet room u11 joins (announced at once), u12 joins, u3 leaves and u13
	// joins within the interval: u12's join goes out before the leave, u13's after it,
	// so u11 and u12 hear u3 leave and u13 does not. Then the interval ends.
	f.got = map[uint64][]string{}
	g.Advance(noticeInterval)
	g.mustRoom("u11", 12, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("u12", 13, "enterRoom", roomParams("r", "", nil), nil)
	g.mustRoom("u3", 4, "leaveRoom", &messages.RoomIDParams{}, nil)
	g.mustRoom("u13", 14, "enterRoom", roomParams("r", "", nil), nil)
	g.Advance(noticeInterval)
	f.replay(t, w)
	for id, want := range map[uint64]string{
		1:  "joined:u11,u12 left:u3 joined:u13",
		12: "joined:u12 left:u3 joined:u13",
		13: "left:u3 joined:u13",
		14: "",
		4:  "joined:u11", // u11 came while the room was quiet; u12 after u3's leave began
	} {
		if got := flat(f.got[id]); got != want {
			t.Errorf("conn %d got %q, want %q", id, got, want)
		}
	}
	if ts := g.Timers(); len(ts) != 0 {
		t.Errorf("timers left: %v", ts)
	}
}
