package embed_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/client"
	"github.com/parley-chat/parley/gateway/embed"
	"github.com/parley-chat/parley/messages"
)

func start(t *testing.T, opts embed.Options) *embed.Server {
	t.Helper()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := embed.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := srv.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return srv
}

func session(t *testing.T, srv *embed.Server, user string, opts ...embed.SessionOption) *embed.Session {
	t.Helper()
	s, err := srv.Session(user, opts...)
	if err != nil {
		t.Fatalf("session %s: %v", user, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// next returns the session's next event named name, skipping others, within 10 s.
func next(t *testing.T, s *embed.Session, name string) embed.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.Events():
			if !ok {
				t.Fatalf("%s: events closed (%v) waiting for %s", s.UserID(), s.Err(), name)
			}
			if ev.Name == name {
				return ev
			}
		case <-timeout:
			t.Fatalf("%s: no %s", s.UserID(), name)
		}
	}
}

func code(err error) int32 {
	var ce *actors.CodeError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

func text(s string) *messages.Message { return &messages.Message{Type: 1, Message: s} }

func TestCallsAndErrors(t *testing.T) {
	srv := start(t, embed.Options{})
	alice := session(t, srv, "alice", embed.UserName("Alice"))
	self, err := embed.Call(ctx(t), alice, messages.MethodQuerySelfUserInfo, &messages.Empty{})
	if err != nil || self.GetSelfUserInfo().GetUserFullInfo().GetBaseInfo().GetUserName() != "Alice" {
		t.Fatalf("querySelfUserInfo: %v %v", self, err)
	}
	type refusal struct {
		name string
		err  error
		want int32
	}
	var cases []refusal
	_, err = embed.Call(ctx(t), alice, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("me"), ToConversationID: "alice"})
	cases = append(cases, refusal{"message to self (route)", err, 6000001})
	_, err = embed.Call(ctx(t), alice, messages.MethodSendMessage, &messages.SendMessageParams{Message: text(""), ToConversationID: "bob"})
	cases = append(cases, refusal{"empty text (actor)", err, 6000001})
	_, err = embed.Call(ctx(t), alice, messages.MethodLogin, &messages.LoginParams{UserID: "alice"})
	cases = append(cases, refusal{"login", err, 6000013})
	_, err = embed.Call(ctx(t), alice, messages.MethodQueryGroupInfo, &messages.GroupIDParams{GroupID: "nope"})
	cases = append(cases, refusal{"unknown group", err, actors.ErrGroupNotExist.Code})
	for _, c := range cases {
		if code(c.err) != c.want {
			t.Errorf("%s: %v, want %d", c.name, c.err, c.want)
		}
	}
	// A server-made ID, filled in by the route as for a WebSocket client.
	g, err := embed.Call(ctx(t), alice, messages.MethodCreateGroup, &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupName: "g"}})
	if id := g.GetGroupInfo().GetBaseInfo().GetGroupID(); err != nil || len(id) < 2 || id[0] != '#' {
		t.Fatalf("createGroup: %v %v", g, err)
	}
	// An internal method.
	if _, err := embed.Call(ctx(t), alice, messages.MethodCreateCommunity, &messages.CommunityCreateParams{
		CommunityInfo: &messages.CommunityInfo{CommunityID: "club"}}); err != nil {
		t.Fatal(err)
	}
	imp, err := embed.Call(ctx(t), alice, messages.MethodImportCommunityMembers, &messages.CommunityUsersParams{CommunityID: "club", UserIDs: []string{"x", "y"}})
	if err != nil {
		t.Fatalf("import: %v %v", imp, err)
	}
	// A closed session refuses calls.
	_ = alice.Close()
	if _, err := embed.Call(ctx(t), alice, messages.MethodQuerySelfUserInfo, &messages.Empty{}); !errors.Is(err, embed.ErrClosed) && code(err) != embed.ErrClosed.Code {
		t.Fatalf("after close: %v", err)
	}
	if alice.Err() != embed.ErrClosed {
		t.Fatalf("Err: %v", alice.Err())
	}
}

// Two users' sessions: every message reaches the other one, in order, and both see the
// sender's side (conversationChanged).
func TestPushesInOrder(t *testing.T) {
	srv := start(t, embed.Options{})
	alice := session(t, srv, "alice")
	bob := session(t, srv, "bob")
	const n = 200
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		embed.Go(ctx(t), alice, messages.MethodSendMessage, &messages.SendMessageParams{Message: text(strconv.Itoa(i)), ToConversationID: "bob"},
			func(_ *messages.MessageSentResult, err error) { errs <- err })
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= n; i++ {
		ev := next(t, bob, messages.EventPeerMessageReceived.Name)
		m := ev.Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0]
		if m.Message != strconv.Itoa(i) || m.MessageSeq != int64(i) || m.SenderUserID != "alice" {
			t.Fatalf("message %d: got %q seq %d from %s", i, m.Message, m.MessageSeq, m.SenderUserID)
		}
	}
	// Alice's own session sees her conversation change.
	ev := next(t, alice, messages.EventConversationChanged.Name)
	if c := ev.Payload.(*messages.ConversationChangedEvent).InfoList[0].Conversation; c.ConversationID != "bob" {
		t.Fatalf("alice's conversationChanged: %v", c)
	}
}

// Rooms go through the gateway's room fan-out: entering pushes roomStateChanged, a room
// message reaches every other member, leaving stops it.
func TestRooms(t *testing.T) {
	srv := start(t, embed.Options{})
	a := session(t, srv, "a")
	b := session(t, srv, "b")
	c := session(t, srv, "c")
	for _, s := range []*embed.Session{a, b, c} {
		if _, err := embed.Call(ctx(t), s, messages.MethodEnterRoom, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: "arena"}}); err != nil {
			t.Fatal(err)
		}
		st := next(t, s, messages.EventRoomStateChanged.Name).Payload.(*messages.RoomStateChangedEvent)
		if st.State != actors.RoomStateConnecting {
			t.Fatalf("first state %v", st)
		}
		st = next(t, s, messages.EventRoomStateChanged.Name).Payload.(*messages.RoomStateChangedEvent)
		if st.State != actors.RoomStateConnected {
			t.Fatalf("second state %v", st)
		}
	}
	if _, err := embed.Call(ctx(t), a, messages.MethodEnterRoom, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: "arena"}}); code(err) != actors.ErrRoomAlreadyIn.Code {
		t.Fatalf("entering twice: %v", err)
	}
	if _, err := embed.Call(ctx(t), c, messages.MethodLeaveRoom, &messages.RoomIDParams{RoomID: "arena"}); err != nil {
		t.Fatal(err)
	}
	if _, err := embed.Call(ctx(t), a, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("go"), ToConversationID: "arena", ConversationType: actors.ConvRoom}); err != nil {
		t.Fatal(err)
	}
	if _, err := embed.Call(ctx(t), a, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("again"), ToConversationID: "arena", ConversationType: actors.ConvRoom}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go", "again"} {
		m := next(t, b, messages.EventRoomMessageReceived.Name).Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0]
		if m.Message != want {
			t.Fatalf("b got %q, want %q", m.Message, want)
		}
	}
	// c left before: its queue holds no room message (drained up to its own leave).
	next(t, c, messages.EventRoomStateChanged.Name) // disconnected
	for len(c.Events()) > 0 {
		if ev := <-c.Events(); ev.Name == messages.EventRoomMessageReceived.Name {
			t.Fatalf("c got a room message after leaving")
		}
	}
	// The sender gets no copy of its own message.
	for len(a.Events()) > 0 {
		if ev := <-a.Events(); ev.Name == messages.EventRoomMessageReceived.Name {
			t.Fatalf("a got its own room message")
		}
	}
}

// A session whose queue overflows ends as a slow consumer: the events queued before stay
// readable, then Events is closed.
func TestQueueOverflowEndsSession(t *testing.T) {
	srv := start(t, embed.Options{})
	alice := session(t, srv, "alice")
	bob := session(t, srv, "bob", embed.QueueSize(8))
	for i := 0; i < 20; i++ {
		if _, err := embed.Call(ctx(t), alice, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("x"), ToConversationID: "bob"}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-bob.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("bob's session did not end")
	}
	if bob.Err() != embed.ErrSlowConsumer {
		t.Fatalf("Err: %v", bob.Err())
	}
	got := 0
	for range bob.Events() {
		got++
	}
	if got == 0 || got > 8 {
		t.Fatalf("%d events kept", got)
	}
}

// The callback mode gets every event, in order, without a queue; a second session of the
// same user on the same platform kicks the first.
func TestOnEventAndKick(t *testing.T) {
	srv := start(t, embed.Options{})
	alice := session(t, srv, "alice")
	got := make(chan string, 100)
	bob := session(t, srv, "bob", embed.OnEvent(func(ev embed.Event) {
		if ev.Name == messages.EventPeerMessageReceived.Name {
			got <- ev.Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0].Message
		}
	}))
	if bob.Events() != nil {
		t.Fatal("Events with OnEvent")
	}
	for i := 0; i < 10; i++ {
		if _, err := embed.Call(ctx(t), alice, messages.MethodSendMessage, &messages.SendMessageParams{Message: text(strconv.Itoa(i)), ToConversationID: "bob"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ {
		select {
		case m := <-got:
			if m != strconv.Itoa(i) {
				t.Fatalf("got %q, want %d", m, i)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no message")
		}
	}
	session(t, srv, "bob") // same platform
	select {
	case <-bob.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("first bob not kicked")
	}
	if bob.Err() != embed.ErrKicked {
		t.Fatalf("Err: %v", bob.Err())
	}
	session(t, srv, "alice", embed.Platform(2)) // another platform: both stay
	if alice.Err() != nil {
		t.Fatalf("alice: %v", alice.Err())
	}
}

// Serve mode: a WebSocket client and an in-process session of another user talk to each
// other through one node.
func TestServeWebSocketAndSession(t *testing.T) {
	srv := start(t, embed.Options{Serve: "127.0.0.1:0", Gateway: gateway.Config{Dev: true}})
	if srv.URL() == "" {
		t.Fatal("no URL")
	}
	npc := session(t, srv, "npc")
	ws, err := client.Dial(ctx(t), srv.URL(), client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	received := make(chan *messages.Message, 10)
	ws.On(messages.EventPeerMessageReceived.Name, func(p proto.Message) {
		received <- p.(*messages.ConversationMessageReceivedEvent).MessageList[0]
	})
	if err := ws.Login(ctx(t), "player", "Player", "", 6); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SendMessage(ctx(t), text("hello npc"), "npc", 0, nil); err != nil {
		t.Fatal(err)
	}
	m := next(t, npc, messages.EventPeerMessageReceived.Name).Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0]
	if m.Message != "hello npc" || m.SenderUserID != "player" {
		t.Fatalf("npc got %v", m)
	}
	if _, err := embed.Call(ctx(t), npc, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("hello player"), ToConversationID: "player"}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-received:
		if m.Message != "hello player" || m.SenderUserID != "npc" {
			t.Fatalf("player got %v", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("player got nothing")
	}
	// Both in one room: the room fan-out serves both kinds of connection.
	if _, err := embed.Call(ctx(t), npc, messages.MethodEnterRoom, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: "town"}}); err != nil {
		t.Fatal(err)
	}
	roomMsgs := make(chan string, 10)
	ws.On(messages.EventRoomMessageReceived.Name, func(p proto.Message) {
		roomMsgs <- p.(*messages.ConversationMessageReceivedEvent).MessageList[0].Message
	})
	if err := ws.Call(ctx(t), "enterRoom", &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: "town"}}, &messages.RoomInfoResult{}); err != nil {
		t.Fatal(err)
	}
	if _, err := embed.Call(ctx(t), npc, messages.MethodSendMessage, &messages.SendMessageParams{Message: text("welcome"), ToConversationID: "town", ConversationType: actors.ConvRoom}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-roomMsgs:
		if m != "welcome" {
			t.Fatalf("room: %q", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no room message over WebSocket")
	}
	if _, err := ws.SendMessage(ctx(t), text("thanks"), "town", actors.ConvRoom, nil); err != nil {
		t.Fatal(err)
	}
	if m := next(t, npc, messages.EventRoomMessageReceived.Name).Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0]; m.Message != "thanks" {
		t.Fatalf("npc room: %v", m)
	}
}

// Close ends open sessions (ErrShutdown) and closes a store it opened; a Dir store keeps
// what was written for the next start.
func TestDirStoreAndShutdown(t *testing.T) {
	dir := t.TempDir()
	srv, err := embed.Start(context.Background(), embed.Options{Dir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s, err := srv.Session("keeper", embed.UserName("Keeper"))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if s.Err() != embed.ErrShutdown {
		t.Fatalf("session after Close: %v", s.Err())
	}
	srv2 := start(t, embed.Options{Dir: dir})
	s2 := session(t, srv2, "keeper")
	self, err := embed.Call(ctx(t), s2, messages.MethodQuerySelfUserInfo, &messages.Empty{})
	if err != nil || self.GetSelfUserInfo().GetUserFullInfo().GetBaseInfo().GetUserName() != "Keeper" {
		t.Fatalf("after restart: %v %v", self, err)
	}
}
