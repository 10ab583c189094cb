package gateway_test

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// Room tests share one server (each subtest uses its own rooms and users). The server
// keeps a dropped member for roomGrace, counts roomDestroyDelayTime in units of
// roomDelayUnit, and allows roomAttrMembers members with member attributes per room
// (instead of ZIM's 500) so that the limit can be reached with a few connections.
const (
	roomGrace       = 800 * time.Millisecond
	roomDelayUnit   = 50 * time.Millisecond
	roomAttrMembers = 3
)

func startRoomEnv(t *testing.T, history bool) *env {
	return startEnv(t, withActors(func(c *actors.Config) {
		c.Rooms = actors.RoomConfig{History: history, Grace: roomGrace, DestroyDelayUnit: roomDelayUnit}
		c.Limits.Room.MemberAttrMembers = roomAttrMembers
	}))
}

func (e *env) user(t *testing.T, user string, json bool, platform int32) *session {
	t.Helper()
	return loginAt(t, e.node.URL(), user, json, platform)
}

// states lists the roomStateChanged events a session got, as "room:state/event".
func (r *recorder) states() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if ev, ok := e.msg.(*m.RoomStateChangedEvent); ok && e.name == "roomStateChanged" {
			out = append(out, fmt.Sprintf("%s:%d/%d", ev.RoomID, ev.State, ev.Event))
		}
	}
	return out
}

// expectStates waits for the session's roomStateChanged events from index from on to be
// exactly want, and returns the index after them.
func expectStates(t *testing.T, s *session, from int, want ...string) int {
	t.Helper()
	eventually(t, fmt.Sprintf("%s gets %d roomStateChanged", s.user, from+len(want)), func() bool {
		return len(s.rec.states()) >= from+len(want)
	})
	got := s.rec.states()[from:]
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: roomStateChanged events %v, want %v", s.user, got, want)
	}
	return from + len(want)
}

// members matches a roomMemberJoined/roomMemberLeft event of room listing users (with
// the others that joined or left in the same notice interval, if any).
func members(room string, users ...string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.RoomMemberChangedEvent)
		if ev.RoomID != room {
			return false
		}
		for _, want := range users {
			if !slices.ContainsFunc(ev.MemberList, func(u *m.UserInfo) bool { return u.UserID == want }) {
				return false
			}
		}
		return true
	}
}

func roomText(room, text string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.ConversationMessageReceivedEvent)
		return ev.FromConversationID == room && len(ev.MessageList) == 1 && ev.MessageList[0].Message == text
	}
}

func attrsEvent(room string, action int32, kv map[string]string) func(proto.Message) bool {
	return func(p proto.Message) bool {
		ev := p.(*m.RoomAttributesUpdatedEvent)
		return ev.RoomID == room && len(ev.Infos) == 1 && ev.Infos[0].Action == action && reflect.DeepEqual(ev.Infos[0].RoomAttributes, kv)
	}
}

func wantCode(t *testing.T, what string, err error, code int32) {
	t.Helper()
	if codeOf(err) != code {
		t.Fatalf("%s: want error %d, got %v", what, code, err)
	}
}

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func room(id, name string) *m.RoomInfo { return &m.RoomInfo{RoomID: id, RoomName: name} }

func TestRooms(t *testing.T) {
	e := startRoomEnv(t, false)

	// Method 1 of the room guide: createRoom, then the others joinRoom.
	t.Run("CreateThenJoin", func(t *testing.T) {
		a, b := e.user(t, "cj-a", false, 0), e.user(t, "cj-b", true, 0)
		info, err := a.CreateRoom(ctx(t), room("cj", "Lobby"), nil)
		noErr(t, "createRoom", err)
		if info.RoomID != "cj" || info.RoomName != "Lobby" {
			t.Fatalf("createRoom result %v", info)
		}
		expectStates(t, a, 0, "cj:1/4", "cj:2/0") // connecting/ActiveCreate, connected/Success

		_, err = b.CreateRoom(ctx(t), room("cj", "Other"), nil)
		wantCode(t, "createRoom of an existing room", err, 6000323)
		nb := expectStates(t, b, 0, "cj:1/4", "cj:0/5") // disconnected/CreateFailed

		info, err = b.JoinRoom(ctx(t), "cj")
		noErr(t, "joinRoom", err)
		if info.RoomName != "Lobby" {
			t.Fatalf("joinRoom result %v", info)
		}
		nb = expectStates(t, b, nb, "cj:1/6", "cj:2/0") // connecting/ActiveEnter, connected/Success
		ev := a.rec.wait(t, "roomMemberJoined", members("cj", "cj-b")).(*m.RoomMemberChangedEvent)
		if ev.MemberList[0].UserName != "name-cj-b" {
			t.Fatalf("member info %v", ev.MemberList[0])
		}
		_, err = b.JoinRoom(ctx(t), "cj")
		wantCode(t, "joinRoom twice", err, 6000320)

		_, err = b.JoinRoom(ctx(t), "cj-none")
		wantCode(t, "joinRoom of a room that does not exist", err, 6000322)
		nb = expectStates(t, b, nb, "cj-none:1/6", "cj-none:0/7") // disconnected/EnterFailed

		noErr(t, "leaveRoom", b.LeaveRoom(ctx(t), "cj"))
		expectStates(t, b, nb, "cj:0/0")
		a.rec.wait(t, "roomMemberLeft", members("cj", "cj-b"))
		wantCode(t, "leaveRoom when not in the room", b.LeaveRoom(ctx(t), "cj"), 6000321)
		_, err = b.SendText(ctx(t), "after leaving", "cj", 1)
		wantCode(t, "sendMessage after leaving", err, 6000321)
		if n := b.rec.count("roomMemberJoined", nil); n != 0 {
			t.Fatalf("the joining member got %d roomMemberJoined of its own", n)
		}
	})

	// Method 2: enterRoom creates or joins; only the first entrant's name and config count.
	t.Run("EnterRoom", func(t *testing.T) {
		a, b := e.user(t, "er-a", true, 0), e.user(t, "er-b", false, 0)
		info, err := a.EnterRoom(ctx(t), room("er", "first"), &m.RoomAdvancedConfig{RoomAttributes: map[string]string{"k": "a"}})
		noErr(t, "enterRoom (creates)", err)
		if info.RoomName != "first" {
			t.Fatalf("enterRoom result %v", info)
		}
		expectStates(t, a, 0, "er:1/6", "er:2/0")
		info, err = b.EnterRoom(ctx(t), room("er", "second"), &m.RoomAdvancedConfig{RoomAttributes: map[string]string{"x": "y"}, RoomDestroyDelayTime: 5})
		noErr(t, "enterRoom (joins)", err)
		if info.RoomName != "first" {
			t.Fatalf("second entrant renamed the room: %v", info)
		}
		a.rec.wait(t, "roomMemberJoined", members("er", "er-b"))
		attrs, err := b.QueryRoomAllAttributes(ctx(t), "er")
		noErr(t, "queryRoomAllAttributes", err)
		if !reflect.DeepEqual(attrs, map[string]string{"k": "a"}) {
			t.Fatalf("attributes %v: the second entrant's config took effect", attrs)
		}
		// The second entrant's destroy delay did not take effect either: the room goes
		// as soon as the last member leaves.
		noErr(t, "leave", a.LeaveRoom(ctx(t), "er"))
		noErr(t, "leave", b.LeaveRoom(ctx(t), "er"))
		_, err = b.JoinRoom(ctx(t), "er")
		wantCode(t, "joinRoom after the last member left", err, 6000322)
	})

	// switchRoom, event by event, for every row of the room guide's table.
	t.Run("SwitchRoom", func(t *testing.T) {
		a, c, d := e.user(t, "sw-a", false, 0), e.user(t, "sw-c", true, 0), e.user(t, "sw-d", false, 0)
		_, err := a.CreateRoom(ctx(t), room("sw1", "one"), nil)
		noErr(t, "create", err)
		_, err = c.JoinRoom(ctx(t), "sw1")
		noErr(t, "join", err)
		_, err = d.CreateRoom(ctx(t), room("sw2", "two"), nil)
		noErr(t, "create", err)
		n := expectStates(t, a, 0, "sw1:1/4", "sw1:2/0")

		// Room2 exists: connecting/ActiveSwitch, connected/Success (Room2), disconnected/Success (Room1).
		info, err := a.SwitchRoom(ctx(t), "sw1", room("sw2", "ignored"), false, nil)
		noErr(t, "switchRoom to an existing room", err)
		if info.RoomID != "sw2" || info.RoomName != "two" {
			t.Fatalf("switchRoom result %v", info)
		}
		n = expectStates(t, a, n, "sw2:1/11", "sw2:2/0", "sw1:0/0")
		c.rec.wait(t, "roomMemberLeft", members("sw1", "sw-a"))
		d.rec.wait(t, "roomMemberJoined", members("sw2", "sw-a"))

		// Room2 does not exist and isCreateWhenRoomNotExisted is false:
		// connecting/ActiveSwitch, disconnected/SwitchFailed; the user stays in Room1.
		_, err = a.SwitchRoom(ctx(t), "sw2", room("sw-x", "x"), false, nil)
		wantCode(t, "switchRoom to a room that does not exist", err, 6000322)
		n = expectStates(t, a, n, "sw-x:1/11", "sw-x:0/12")
		if _, err := a.SendText(ctx(t), "still here", "sw2", 1); err != nil {
			t.Fatalf("not in the source room after a failed switch: %v", err)
		}
		d.rec.wait(t, "roomMessageReceived", roomText("sw2", "still here"))
		if n := d.rec.count("roomMemberLeft", nil); n != 0 {
			t.Fatalf("a failed switch made the user leave the source room (%d roomMemberLeft)", n)
		}

		// Room2 does not exist and isCreateWhenRoomNotExisted: created with toRoomInfo and config.
		cfg := &m.RoomAdvancedConfig{RoomAttributes: map[string]string{"s": "1"}}
		info, err = a.SwitchRoom(ctx(t), "sw2", room("sw3", "three"), true, cfg)
		noErr(t, "switchRoom creating the target", err)
		if info.RoomName != "three" {
			t.Fatalf("switchRoom result %v", info)
		}
		n = expectStates(t, a, n, "sw3:1/11", "sw3:2/0", "sw2:0/0")
		d.rec.wait(t, "roomMemberLeft", members("sw2", "sw-a"))
		attrs, err := a.QueryRoomAllAttributes(ctx(t), "sw3")
		noErr(t, "attributes of the created room", err)
		if !reflect.DeepEqual(attrs, map[string]string{"s": "1"}) {
			t.Fatalf("created room's attributes %v", attrs)
		}

		// The source room had no other member: it is destroyed.
		_, err = a.SwitchRoom(ctx(t), "sw3", room("sw4", "four"), true, nil)
		noErr(t, "switch", err)
		n = expectStates(t, a, n, "sw4:1/11", "sw4:2/0", "sw3:0/0")
		_, err = c.JoinRoom(ctx(t), "sw3")
		wantCode(t, "join the emptied source room", err, 6000322)

		// Refusals before anything happens: no events.
		_, err = a.SwitchRoom(ctx(t), "sw1", room("sw5", ""), true, nil)
		wantCode(t, "switch from a room the user is not in", err, 6000321)
		_, err = a.SwitchRoom(ctx(t), "sw4", room("sw4", ""), true, nil)
		wantCode(t, "switch to the same room", err, 6000320)
		noErr(t, "leave", a.LeaveRoom(ctx(t), "sw4"))
		expectStates(t, a, n, "sw4:0/0")
	})

	t.Run("LeaveAllRoom", func(t *testing.T) {
		a, b := e.user(t, "la-a", false, 0), e.user(t, "la-b", true, 0)
		for _, r := range []string{"la3", "la1", "la2"} {
			_, err := a.EnterRoom(ctx(t), room(r, r), nil)
			noErr(t, "enter", err)
		}
		_, err := b.JoinRoom(ctx(t), "la1")
		noErr(t, "join", err)
		n := expectStates(t, a, 0, "la3:1/6", "la3:2/0", "la1:1/6", "la1:2/0", "la2:1/6", "la2:2/0")
		ids, err := a.LeaveAllRoom(ctx(t))
		noErr(t, "leaveAllRoom", err)
		if !reflect.DeepEqual(ids, []string{"la1", "la2", "la3"}) {
			t.Fatalf("leaveAllRoom returned %v", ids)
		}
		eventually(t, "three roomStateChanged", func() bool { return len(a.rec.states()) == n+3 })
		got := a.rec.states()[n:]
		sort.Strings(got)
		if want := []string{"la1:0/0", "la2:0/0", "la3:0/0"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("leaveAllRoom events %v, want %v", got, want)
		}
		b.rec.wait(t, "roomMemberLeft", members("la1", "la-a"))
		ids, err = a.LeaveAllRoom(ctx(t))
		if err != nil || len(ids) != 0 {
			t.Fatalf("leaveAllRoom in no room: %v %v", ids, err)
		}
	})

	t.Run("JoinedRoomsLimit", func(t *testing.T) {
		a := e.user(t, "jl-a", false, 0)
		for i := 0; i < 5; i++ {
			_, err := a.EnterRoom(ctx(t), room(fmt.Sprintf("jl%d", i), ""), nil)
			noErr(t, "enter", err)
		}
		var want []string
		for i := 0; i < 5; i++ {
			want = append(want, fmt.Sprintf("jl%d:1/6", i), fmt.Sprintf("jl%d:2/0", i))
		}
		n := expectStates(t, a, 0, want...)
		_, err := a.EnterRoom(ctx(t), room("jl5", ""), nil)
		wantCode(t, "a sixth room", err, 6000325)
		_, err = a.CreateRoom(ctx(t), room("jl5", ""), nil)
		wantCode(t, "a sixth room", err, 6000325)
		// At the limit, switching trades one room for another.
		_, err = a.SwitchRoom(ctx(t), "jl4", room("jl5", ""), true, nil)
		noErr(t, "switch at the limit", err)
		expectStates(t, a, n, "jl5:1/11", "jl5:2/0", "jl4:0/0")
		noErr(t, "leave", a.LeaveRoom(ctx(t), "jl0"))
		_, err = a.EnterRoom(ctx(t), room("jl6", ""), nil)
		noErr(t, "a fifth room again after leaving one", err)
	})

	t.Run("MemberQueries", func(t *testing.T) {
		var ss []*session
		for i := 0; i < 7; i++ {
			s := e.user(t, fmt.Sprintf("mq%d", i), i%2 == 0, 0)
			_, err := s.EnterRoom(ctx(t), room("mq", ""), nil)
			noErr(t, "enter", err)
			ss = append(ss, s)
		}
		a := ss[0]
		page := func(next string, count int32) ([]string, string) {
			t.Helper()
			res, err := a.QueryRoomMemberList(ctx(t), "mq", next, count)
			noErr(t, "queryRoomMemberList", err)
			var ids []string
			for _, u := range res.MemberList {
				ids = append(ids, u.UserID)
			}
			return ids, res.NextFlag
		}
		p1, next := page("", 3)
		p2, next2 := page(next, 3)
		p3, next3 := page(next2, 3)
		if strings.Join(p1, ",") != "mq0,mq1,mq2" || strings.Join(p2, ",") != "mq3,mq4,mq5" || strings.Join(p3, ",") != "mq6" || next3 != "" {
			t.Fatalf("pages %v %v %v (next %q)", p1, p2, p3, next3)
		}
		// A member leaving does not disturb paging from a cursor.
		noErr(t, "leave", ss[4].LeaveRoom(ctx(t), "mq"))
		if p2, _ := page(next, 3); strings.Join(p2, ",") != "mq3,mq5,mq6" {
			t.Fatalf("page after a leave %v", p2)
		}
		res, err := a.QueryRoomMembers(ctx(t), []string{"mq1", "mq4", "nobody"}, "mq")
		noErr(t, "queryRoomMembers", err)
		if len(res.MemberList) != 1 || res.MemberList[0].UserID != "mq1" || res.MemberList[0].UserName != "name-mq1" ||
			len(res.ErrorUserList) != 2 || res.ErrorUserList[0].Reason != 6000321 {
			t.Fatalf("queryRoomMembers %v", res)
		}
		var eleven []string
		for i := 0; i < 11; i++ {
			eleven = append(eleven, fmt.Sprintf("mq%d", i))
		}
		_, err = a.QueryRoomMembers(ctx(t), eleven, "mq")
		wantCode(t, "queryRoomMembers with 11 IDs", err, 6000012)
		count, err := a.QueryRoomOnlineMemberCount(ctx(t), "mq")
		if err != nil || count != 6 {
			t.Fatalf("online member count %d %v", count, err)
		}
		_, err = a.QueryRoomMemberList(ctx(t), "mq", "", 0)
		wantCode(t, "count 0", err, 6000001)
		_, err = a.QueryRoomMemberList(ctx(t), "mq", "", 101)
		wantCode(t, "count 101", err, 6000001)
		_, err = a.QueryRoomMemberList(ctx(t), "mq", "not-a-flag", 10)
		wantCode(t, "bad nextFlag", err, 6000001)
	})

	t.Run("Messages", func(t *testing.T) {
		web, phone := e.user(t, "rm-a", true, 6), e.user(t, "rm-a", false, 2) // one user, two devices
		b, outsider := e.user(t, "rm-b", false, 0), e.user(t, "rm-c", true, 0)
		for _, s := range []*session{web, phone, b} {
			_, err := s.EnterRoom(ctx(t), room("rm", ""), nil)
			noErr(t, "enter", err)
		}
		sent, err := web.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: "hello room"}, "rm", actors.PriorityMedium)
		noErr(t, "send text", err)
		if sent.MessageID == "" || sent.MessageSeq != 0 || sent.ConversationType != 1 || sent.ConversationID != "rm" || sent.SenderUserID != "rm-a" {
			t.Fatalf("sent message %v (room history is off: messageSeq 0)", sent)
		}
		got := b.rec.wait(t, "roomMessageReceived", roomText("rm", "hello room")).(*m.ConversationMessageReceivedEvent).MessageList[0]
		if got.MessageID != sent.MessageID || got.Direction != 1 {
			t.Fatalf("received %v", got)
		}
		phone.rec.wait(t, "roomMessageReceived", roomText("rm", "hello room")) // the sender's other device

		for _, msg := range []*m.Message{
			{Type: 2, Message: b64([]byte{1, 2, 3})},           // command
			{Type: 20, Message: "barrage!"},                    // barrage
			{Type: 200, Message: "{}", SubType: 7},             // custom
			{Type: 1, Message: "high", ExtendedData: "gift=1"}, // high priority below
		} {
			prio := int32(actors.PriorityLow)
			if msg.Message == "high" {
				prio = actors.PriorityHigh
			}
			_, err := web.SendRoomMessage(ctx(t), msg, "rm", prio)
			noErr(t, fmt.Sprintf("send type %d", msg.Type), err)
			b.rec.wait(t, "roomMessageReceived", func(p proto.Message) bool {
				x := p.(*m.ConversationMessageReceivedEvent).MessageList[0]
				return x.Type == msg.Type && x.Message == msg.Message && x.SubType == msg.SubType
			})
		}
		_, err = b.SendText(ctx(t), "back", "rm", 1)
		noErr(t, "reply", err)
		web.rec.wait(t, "roomMessageReceived", roomText("rm", "back"))
		if n := web.rec.count("roomMessageReceived", func(p proto.Message) bool {
			return p.(*m.ConversationMessageReceivedEvent).MessageList[0].SenderUserID == "rm-a"
		}); n != 0 {
			t.Fatalf("the sending connection got %d of its own messages", n)
		}

		_, err = outsider.SendText(ctx(t), "let me in", "rm", 1)
		wantCode(t, "a non-member sends", err, 6000321)
		_, err = b.SendText(ctx(t), "anyone?", "rm-none", 1)
		wantCode(t, "send to a room that does not exist", err, 6000322)
		_, err = b.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: "x"}, "rm", 4)
		wantCode(t, "priority 4", err, 6000001)
		_, err = b.SendRoomMessage(ctx(t), &m.Message{Type: 11, Message: "x"}, "rm", 1)
		wantCode(t, "an image message", err, 6000013)
		hist, err := b.QueryHistoryMessage(ctx(t), "rm", 1, &m.MessageQueryConfig{Count: 10})
		if err != nil || len(hist.MessageList) != 0 {
			t.Fatalf("room history is off, yet: %v %v", hist, err)
		}
	})

	t.Run("AttributeOwnership", func(t *testing.T) {
		a, b := e.user(t, "ao-a", false, 0), e.user(t, "ao-b", true, 0)
		_, err := a.CreateRoom(ctx(t), room("ao", ""), nil)
		noErr(t, "create", err)
		_, err = b.JoinRoom(ctx(t), "ao")
		noErr(t, "join", err)
		set := func(s *session, kv map[string]string, cfg *m.RoomAttributesSetConfig) ([]string, error) {
			return s.SetRoomAttributes(ctx(t), kv, "ao", cfg)
		}
		errKeys, err := set(a, map[string]string{"k1": "v1"}, nil)
		if err != nil || len(errKeys) != 0 {
			t.Fatalf("set: %v %v", errKeys, err)
		}
		b.rec.wait(t, "roomAttributesUpdated", attrsEvent("ao", 0, map[string]string{"k1": "v1"}))

		_, err = set(b, map[string]string{"k1": "mine"}, nil)
		wantCode(t, "overwrite another member's key", err, 6000331)
		errKeys, err = set(b, map[string]string{"k1": "mine", "k2": "b"}, nil)
		if err != nil || !reflect.DeepEqual(errKeys, []string{"k1"}) {
			t.Fatalf("partly refused set: %v %v", errKeys, err)
		}
		_, err = set(b, map[string]string{"k1": "forced"}, &m.RoomAttributesSetConfig{IsForce: true})
		noErr(t, "forced overwrite", err)
		a.rec.wait(t, "roomAttributesUpdated", attrsEvent("ao", 0, map[string]string{"k1": "forced"}))
		// isForce without isUpdateOwner leaves the owner as it was.
		_, err = set(a, map[string]string{"k1": "a again"}, nil)
		noErr(t, "owner sets its key after a forced overwrite", err)
		_, err = set(b, map[string]string{"k1": "taken"}, &m.RoomAttributesSetConfig{IsForce: true, IsUpdateOwner: true})
		noErr(t, "forced overwrite taking the key over", err)
		_, err = set(a, map[string]string{"k1": "back"}, nil)
		wantCode(t, "the former owner sets the key", err, 6000331)

		_, err = a.DeleteRoomAttributes(ctx(t), []string{"k2"}, "ao", false)
		wantCode(t, "delete another member's key", err, 6000331)
		_, err = a.DeleteRoomAttributes(ctx(t), []string{"k2"}, "ao", true)
		noErr(t, "forced delete", err)
		b.rec.wait(t, "roomAttributesUpdated", attrsEvent("ao", 1, map[string]string{"k2": ""}))
		_, err = a.DeleteRoomAttributes(ctx(t), []string{"nope"}, "ao", true)
		wantCode(t, "delete a key that does not exist", err, 6000331)
		attrs, err := a.QueryRoomAllAttributes(ctx(t), "ao")
		if err != nil || !reflect.DeepEqual(attrs, map[string]string{"k1": "taken"}) {
			t.Fatalf("attributes %v %v", attrs, err)
		}
		if n := b.rec.count("roomAttributesUpdated", func(p proto.Message) bool {
			return p.(*m.RoomAttributesUpdatedEvent).Infos[0].RoomAttributes["k1"] == "taken"
		}); n != 0 {
			t.Fatal("the setting connection got its own roomAttributesUpdated")
		}
	})

	t.Run("AttributeLimits", func(t *testing.T) {
		a := e.user(t, "al-a", false, 0)
		_, err := a.CreateRoom(ctx(t), room("al", ""), nil)
		noErr(t, "create", err)
		many := func(n, valLen int) map[string]string {
			kv := map[string]string{}
			for i := 0; i < n; i++ {
				kv[fmt.Sprintf("k%02d", i)] = strings.Repeat("v", valLen)
			}
			return kv
		}
		_, err = a.SetRoomAttributes(ctx(t), many(20, 1), "al", nil)
		noErr(t, "20 attributes", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"one-more": "x"}, "al", nil)
		wantCode(t, "a 21st attribute", err, 6000334)
		_, err = a.DeleteRoomAttributes(ctx(t), []string{"k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11", "k12", "k13", "k14"}, "al", false)
		noErr(t, "delete 15", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{strings.Repeat("k", 16): "x"}, "al", nil)
		noErr(t, "16-byte key", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{strings.Repeat("k", 17): "x"}, "al", nil)
		wantCode(t, "17-byte key", err, 6000335)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"v": strings.Repeat("x", 1025)}, "al", nil)
		wantCode(t, "1025-byte value", err, 6000336)
		_, err = a.SetRoomAttributes(ctx(t), many(5, 1024), "al", nil) // 5 × (3 + 1024) > 5120
		wantCode(t, "5120 bytes in total", err, 6000337)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"": "x"}, "al", nil)
		wantCode(t, "empty key", err, 6000001)

		// createRoom / enterRoom config is held to the same limits.
		_, err = a.CreateRoom(ctx(t), room("al2", ""), &m.RoomAdvancedConfig{RoomAttributes: many(21, 1)})
		wantCode(t, "createRoom with 21 attributes", err, 6000334)
		_, err = a.JoinRoom(ctx(t), "al2")
		wantCode(t, "the refused room was not created", err, 6000322)
		_, err = a.EnterRoom(ctx(t), room("al2", ""), &m.RoomAdvancedConfig{RoomDestroyDelayTime: 10801})
		wantCode(t, "destroy delay over 3 hours", err, 6000001)
		_, err = a.EnterRoom(ctx(t), room("al2", strings.Repeat("n", 65)), nil)
		wantCode(t, "65-byte room name", err, 6000001)
		_, err = a.EnterRoom(ctx(t), room("no spaces", ""), nil)
		wantCode(t, "room ID with a space", err, 6000001)
		_, err = a.EnterRoom(ctx(t), room(strings.Repeat("r", 129), ""), nil)
		wantCode(t, "129-byte room ID", err, 6000001)
	})

	t.Run("AttributeBatch", func(t *testing.T) {
		a, b := e.user(t, "ab-a", false, 0), e.user(t, "ab-b", true, 0)
		_, err := a.CreateRoom(ctx(t), room("ab", ""), &m.RoomAdvancedConfig{RoomAttributes: map[string]string{"b0": "old"}})
		noErr(t, "create", err)
		_, err = b.JoinRoom(ctx(t), "ab")
		noErr(t, "join", err)
		wantCode(t, "end without begin", a.EndRoomAttributesBatchOperation(ctx(t), "ab"), 6000330)

		noErr(t, "begin", a.BeginRoomAttributesBatchOperation(ctx(t), "ab", &m.RoomAttributesSetConfig{}))
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"b1": "1"}, "ab", nil)
		noErr(t, "set in batch", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"b2": "2"}, "ab", nil)
		noErr(t, "set in batch", err)
		_, err = a.DeleteRoomAttributes(ctx(t), []string{"b0"}, "ab", false)
		noErr(t, "delete in batch", err)
		if attrs, _ := b.QueryRoomAllAttributes(ctx(t), "ab"); !reflect.DeepEqual(attrs, map[string]string{"b0": "old"}) {
			t.Fatalf("batch operations applied before the end: %v", attrs)
		}
		noErr(t, "end", a.EndRoomAttributesBatchOperation(ctx(t), "ab"))
		ev := b.rec.wait(t, "roomAttributesBatchUpdated", nil).(*m.RoomAttributesUpdatedEvent)
		if len(ev.Infos) != 2 || ev.Infos[0].Action != 0 || !reflect.DeepEqual(ev.Infos[0].RoomAttributes, map[string]string{"b1": "1", "b2": "2"}) ||
			ev.Infos[1].Action != 1 || !reflect.DeepEqual(ev.Infos[1].RoomAttributes, map[string]string{"b0": ""}) {
			t.Fatalf("batch push %v", ev)
		}
		if n := b.rec.count("roomAttributesUpdated", nil); n != 0 {
			t.Fatalf("%d roomAttributesUpdated besides the batch push", n)
		}
		if attrs, _ := b.QueryRoomAllAttributes(ctx(t), "ab"); !reflect.DeepEqual(attrs, map[string]string{"b1": "1", "b2": "2"}) {
			t.Fatalf("after the batch: %v", attrs)
		}

		// The limits hold for the batch's result, or nothing is applied.
		noErr(t, "begin", a.BeginRoomAttributesBatchOperation(ctx(t), "ab", nil))
		for i := 0; i < 19; i++ {
			_, err = a.SetRoomAttributes(ctx(t), map[string]string{fmt.Sprintf("x%d", i): "x"}, "ab", nil)
			noErr(t, "set in batch", err)
		}
		wantCode(t, "a batch ending with 21 attributes", a.EndRoomAttributesBatchOperation(ctx(t), "ab"), 6000334)
		if attrs, _ := b.QueryRoomAllAttributes(ctx(t), "ab"); len(attrs) != 2 {
			t.Fatalf("a refused batch applied: %v", attrs)
		}
	})

	t.Run("AttributesOfALeavingOwner", func(t *testing.T) {
		a, b := e.user(t, "ol-a", false, 0), e.user(t, "ol-b", true, 0)
		_, err := a.CreateRoom(ctx(t), room("ol", ""), nil)
		noErr(t, "create", err)
		_, err = b.JoinRoom(ctx(t), "ol")
		noErr(t, "join", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"own": "1"}, "ol", &m.RoomAttributesSetConfig{IsDeleteAfterOwnerLeft: true})
		noErr(t, "set", err)
		_, err = a.SetRoomAttributes(ctx(t), map[string]string{"keep": "1"}, "ol", nil)
		noErr(t, "set", err)
		noErr(t, "leave", a.LeaveRoom(ctx(t), "ol"))
		b.rec.wait(t, "roomMemberLeft", members("ol", "ol-a"))
		b.rec.wait(t, "roomAttributesUpdated", attrsEvent("ol", 1, map[string]string{"own": ""}))
		if attrs, _ := b.QueryRoomAllAttributes(ctx(t), "ol"); !reflect.DeepEqual(attrs, map[string]string{"keep": "1"}) {
			t.Fatalf("after the owner left: %v", attrs)
		}
	})

	t.Run("MemberAttributes", func(t *testing.T) {
		var ss []*session
		for _, u := range []string{"ma-a", "ma-b", "ma-c", "ma-d"} {
			s := e.user(t, u, u == "ma-b", 0)
			_, err := s.EnterRoom(ctx(t), room("ma", ""), nil)
			noErr(t, "enter", err)
			ss = append(ss, s)
		}
		a, b, c, d := ss[0], ss[1], ss[2], ss[3]
		res, err := a.SetRoomMembersAttributes(ctx(t), map[string]string{"lvl": "9"}, []string{"ma-b", "ma-x"}, "ma", nil)
		noErr(t, "set member attributes", err)
		if !reflect.DeepEqual(res.ErrorUserList, []string{"ma-x"}) || len(res.Infos) != 1 || res.Infos[0].AttributesInfo.UserID != "ma-b" ||
			res.Infos[0].AttributesInfo.Attributes["lvl"] != "9" {
			t.Fatalf("setRoomMembersAttributes %v", res)
		}
		ev := d.rec.wait(t, "roomMemberAttributesUpdated", nil).(*m.RoomMembersAttributesUpdatedEvent)
		if ev.RoomID != "ma" || ev.OperatedInfo.GetUserID() != "ma-a" || len(ev.Infos) != 1 || ev.Infos[0].AttributesInfo.Attributes["lvl"] != "9" {
			t.Fatalf("roomMemberAttributesUpdated %v", ev)
		}
		_, err = a.SetRoomMembersAttributes(ctx(t), map[string]string{"lvl": "3"}, []string{"ma-c"}, "ma", &m.RoomMemberAttributesSetConfig{IsDeleteAfterOwnerLeft: false})
		noErr(t, "set member attributes", err)

		// Limits: key 8 bytes, value 64, 144 bytes and 30 pairs per member, 3 (here) members.
		set := func(kv map[string]string, users ...string) error {
			_, err := a.SetRoomMembersAttributes(ctx(t), kv, users, "ma", nil)
			return err
		}
		wantCode(t, "9-byte key", set(map[string]string{"123456789": "x"}, "ma-a"), 6000352)
		wantCode(t, "65-byte value", set(map[string]string{"k": strings.Repeat("x", 65)}, "ma-a"), 6000353)
		noErr(t, "144 bytes", set(map[string]string{"k1": strings.Repeat("x", 64), "k2": strings.Repeat("x", 64), "k3": strings.Repeat("x", 10)}, "ma-a"))
		wantCode(t, "146 bytes", set(map[string]string{"k4": ""}, "ma-a"), 6000351)
		pairs := map[string]string{}
		for i := 0; i < 31; i++ {
			pairs[fmt.Sprintf("p%d", i)] = ""
		}
		wantCode(t, "31 pairs", set(pairs, "ma-d"), 6000357)
		wantCode(t, "a 4th member with attributes", set(map[string]string{"k": "v"}, "ma-d"), 6000357)

		infos, err := d.QueryRoomMembersAttributes(ctx(t), []string{"ma-b", "ma-c", "ma-d"}, "ma")
		if err != nil || len(infos) != 2 {
			t.Fatalf("queryRoomMembersAttributes %v %v", infos, err)
		}
		p1, err := d.QueryRoomMemberAttributesList(ctx(t), "ma", "", 2)
		noErr(t, "list", err)
		p2, err := d.QueryRoomMemberAttributesList(ctx(t), "ma", p1.NextFlag, 2)
		noErr(t, "list", err)
		if len(p1.Infos) != 2 || p1.Infos[0].UserID != "ma-a" || p1.Infos[1].UserID != "ma-b" || len(p2.Infos) != 1 || p2.Infos[0].UserID != "ma-c" || p2.NextFlag != "" {
			t.Fatalf("pages %v / %v", p1, p2)
		}

		// b's attributes (isDeleteAfterOwnerLeft by default) go with b; c's stay.
		noErr(t, "leave", b.LeaveRoom(ctx(t), "ma"))
		noErr(t, "leave", c.LeaveRoom(ctx(t), "ma"))
		d.rec.wait(t, "roomMemberLeft", members("ma", "ma-c"))
		infos, err = d.QueryRoomMembersAttributes(ctx(t), []string{"ma-b", "ma-c"}, "ma")
		if err != nil || len(infos) != 1 || infos[0].UserID != "ma-c" || infos[0].Attributes["lvl"] != "3" {
			t.Fatalf("after b and c left: %v %v", infos, err)
		}
	})

	t.Run("NonMembers", func(t *testing.T) {
		a, z := e.user(t, "nm-a", false, 0), e.user(t, "nm-z", true, 0)
		_, err := a.CreateRoom(ctx(t), room("nm", ""), nil)
		noErr(t, "create", err)
		for roomID, code := range map[string]int32{"nm": 6000321, "nm-none": 6000322} {
			calls := map[string]error{}
			_, calls["queryRoomMemberList"] = z.QueryRoomMemberList(ctx(t), roomID, "", 10)
			_, calls["queryRoomMembers"] = z.QueryRoomMembers(ctx(t), []string{"nm-a"}, roomID)
			_, calls["queryRoomOnlineMemberCount"] = z.QueryRoomOnlineMemberCount(ctx(t), roomID)
			_, calls["setRoomAttributes"] = z.SetRoomAttributes(ctx(t), map[string]string{"k": "v"}, roomID, nil)
			_, calls["deleteRoomAttributes"] = z.DeleteRoomAttributes(ctx(t), []string{"k"}, roomID, true)
			calls["beginRoomAttributesBatchOperation"] = z.BeginRoomAttributesBatchOperation(ctx(t), roomID, nil)
			calls["endRoomAttributesBatchOperation"] = z.EndRoomAttributesBatchOperation(ctx(t), roomID)
			_, calls["queryRoomAllAttributes"] = z.QueryRoomAllAttributes(ctx(t), roomID)
			_, calls["setRoomMembersAttributes"] = z.SetRoomMembersAttributes(ctx(t), map[string]string{"k": "v"}, []string{"nm-z"}, roomID, nil)
			_, calls["queryRoomMembersAttributes"] = z.QueryRoomMembersAttributes(ctx(t), []string{"nm-a"}, roomID)
			_, calls["queryRoomMemberAttributesList"] = z.QueryRoomMemberAttributesList(ctx(t), roomID, "", 10)
			_, calls["sendMessage"] = z.SendText(ctx(t), "hi", roomID, 1)
			_, calls["queryHistoryMessage"] = z.QueryHistoryMessage(ctx(t), roomID, 1, &m.MessageQueryConfig{Count: 10})
			calls["leaveRoom"] = z.LeaveRoom(ctx(t), roomID)
			for name, err := range calls {
				wantCode(t, name+" on "+roomID, err, code)
			}
		}
	})

	t.Run("DestroyWhenTheLastLeaves", func(t *testing.T) {
		a, b := e.user(t, "dl-a", false, 0), e.user(t, "dl-b", true, 0)
		_, err := a.CreateRoom(ctx(t), room("dl", "old"), &m.RoomAdvancedConfig{RoomAttributes: map[string]string{"x": "1"}})
		noErr(t, "create", err)
		_, err = b.JoinRoom(ctx(t), "dl")
		noErr(t, "join", err)
		noErr(t, "leave", a.LeaveRoom(ctx(t), "dl"))
		noErr(t, "leave", b.LeaveRoom(ctx(t), "dl"))
		_, err = a.JoinRoom(ctx(t), "dl")
		wantCode(t, "join after the last left", err, 6000322)
		info, err := a.CreateRoom(ctx(t), room("dl", "new"), nil)
		noErr(t, "create again", err)
		attrs, err := a.QueryRoomAllAttributes(ctx(t), "dl")
		if info.RoomName != "new" || err != nil || len(attrs) != 0 {
			t.Fatalf("the new room kept the old one's state: %v %v %v", info, attrs, err)
		}
	})

	t.Run("DestroyDelay", func(t *testing.T) {
		const units = 10 // × roomDelayUnit
		a, b := e.user(t, "dd-a", false, 0), e.user(t, "dd-b", true, 0)
		_, err := a.CreateRoom(ctx(t), room("dd", ""), &m.RoomAdvancedConfig{RoomDestroyDelayTime: units, RoomAttributes: map[string]string{"x": "1"}})
		noErr(t, "create", err)
		noErr(t, "leave", a.LeaveRoom(ctx(t), "dd"))
		left := time.Now()
		_, err = b.CreateRoom(ctx(t), room("dd", ""), nil)
		wantCode(t, "the empty room still exists within its destroy delay", err, 6000323)
		eventually(t, "the room is destroyed after its delay", func() bool {
			_, err := b.CreateRoom(ctx(t), room("dd", ""), nil)
			return err == nil
		})
		if d := time.Since(left); d < units*roomDelayUnit*9/10 {
			t.Fatalf("destroyed after %v, before the %v delay", d, units*roomDelayUnit)
		}
		if attrs, err := b.QueryRoomAllAttributes(ctx(t), "dd"); err != nil || len(attrs) != 0 {
			t.Fatalf("attributes outlived the room: %v %v", attrs, err)
		}
		// Joining within the delay keeps the room (and its attributes).
		noErr(t, "leave", b.LeaveRoom(ctx(t), "dd"))
		_, err = b.CreateRoom(ctx(t), room("dd2", ""), &m.RoomAdvancedConfig{RoomDestroyDelayTime: 3600, RoomAttributes: map[string]string{"y": "2"}})
		noErr(t, "create", err)
		noErr(t, "leave", b.LeaveRoom(ctx(t), "dd2"))
		_, err = a.JoinRoom(ctx(t), "dd2")
		noErr(t, "join within the delay", err)
		if attrs, _ := a.QueryRoomAllAttributes(ctx(t), "dd2"); attrs["y"] != "2" {
			t.Fatalf("attributes lost within the delay: %v", attrs)
		}
	})

	t.Run("DisconnectGracePeriod", func(t *testing.T) {
		a, b, c := e.user(t, "gp-a", false, 0), e.user(t, "gp-b", true, 0), e.user(t, "gp-c", false, 0)
		for _, s := range []*session{a, b, c} {
			_, err := s.EnterRoom(ctx(t), room("gp", ""), nil)
			noErr(t, "enter", err)
		}
		// b's connection drops; b reconnects and joins again within the grace period:
		// it stays a member, nobody sees it leave or join.
		_ = b.Close()
		b2 := e.user(t, "gp-b", true, 0)
		_, err := b2.JoinRoom(ctx(t), "gp")
		noErr(t, "join again within the grace period", err)

		// c's connection drops for good: it is a member, offline, until the grace period ends.
		_ = c.Close()
		dropped := time.Now()
		eventually(t, "c offline", func() bool {
			n, err := a.QueryRoomOnlineMemberCount(ctx(t), "gp")
			return err == nil && n == 2
		})
		if res, err := a.QueryRoomMembers(ctx(t), []string{"gp-c"}, "gp"); err != nil || len(res.MemberList) != 1 {
			t.Fatalf("c left before its grace period ended: %v %v", res, err)
		}
		a.rec.wait(t, "roomMemberLeft", members("gp", "gp-c"))
		if d := time.Since(dropped); d < roomGrace*9/10 {
			t.Fatalf("c removed %v after dropping, before the %v grace period", d, roomGrace)
		}

		// Logging out leaves at once.
		noErr(t, "logout", b2.Logout(ctx(t)))
		loggedOut := time.Now()
		a.rec.wait(t, "roomMemberLeft", members("gp", "gp-b"))
		if d := time.Since(loggedOut); d >= roomGrace {
			t.Fatalf("logout took the grace period (%v)", d)
		}
		if n := a.rec.count("roomMemberLeft", members("gp", "gp-b")); n != 1 {
			t.Fatalf("a saw b leave %d times", n)
		}
		if n := a.rec.count("roomMemberJoined", members("gp", "gp-b")); n != 1 {
			t.Fatalf("a saw b join %d times (the reconnect must not count)", n)
		}
	})
}

// With room history switched on, text and custom room messages are stored and
// queryHistoryMessage returns them; command and barrage messages are not stored.
func TestRoomHistory(t *testing.T) {
	e := startRoomEnv(t, true)
	a, b := e.user(t, "rh-a", false, 0), e.user(t, "rh-b", true, 0)
	_, err := a.CreateRoom(ctx(t), room("rh", ""), nil)
	noErr(t, "create", err)
	_, err = b.JoinRoom(ctx(t), "rh")
	noErr(t, "join", err)
	for i := 1; i <= 3; i++ {
		sent, err := a.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: fmt.Sprintf("t%d", i), LocalMessageID: fmt.Sprintf("l%d", i)}, "rh", actors.PriorityMedium)
		noErr(t, "send", err)
		if sent.MessageSeq != int64(i) {
			t.Fatalf("messageSeq %d, want %d", sent.MessageSeq, i)
		}
	}
	again, err := a.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: "t3", LocalMessageID: "l3"}, "rh", actors.PriorityMedium)
	if err != nil || again.MessageSeq != 3 {
		t.Fatalf("resend with the same localMessageID: %v %v", again, err)
	}
	sent, err := a.SendRoomMessage(ctx(t), &m.Message{Type: 20, Message: "barrage"}, "rh", actors.PriorityLow)
	if err != nil || sent.MessageSeq != 0 {
		t.Fatalf("barrage: %v %v", sent, err)
	}
	_, err = a.SendRoomMessage(ctx(t), &m.Message{Type: 2, Message: b64([]byte("cmd"))}, "rh", actors.PriorityLow)
	noErr(t, "command", err)
	hist, err := b.QueryHistoryMessage(ctx(t), "rh", 1, &m.MessageQueryConfig{Count: 10})
	noErr(t, "history", err)
	if texts(hist.MessageList) != "t1,t2,t3" || hist.MessageList[0].Direction != 1 || hist.ConversationType != 1 || hist.ConversationID != "rh" {
		t.Fatalf("history %v", hist)
	}
	after, err := b.QueryHistoryMessage(ctx(t), "rh", 1, &m.MessageQueryConfig{Count: 10, Reverse: true, NextMessage: &m.Message{MessageSeq: 1}})
	if err != nil || texts(after.MessageList) != "t2,t3" {
		t.Fatalf("resync after seq 1: %v %v", after, err)
	}
}
