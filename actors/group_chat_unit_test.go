package actors

import (
	"slices"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the group kind's messages: dense seqs, pushes to the online members,
// history windows (late joiners, kicked members), per-user deletion.

// guHistory is one page of user's history: count messages before anchor (0: the
// newest), or after it when reverse; it returns the seqs and the messages.
func guHistory(tb testing.TB, g *unitGrain, user string, anchor int64, count int32, reverse bool) ([]int64, []*messages.Message) {
	tb.Helper()
	var res messages.MessageQueriedResult
	cfg := &messages.MessageQueryConfig{Count: count, Reverse: reverse}
	if anchor > 0 {
		cfg.NextMessage = &messages.Message{MessageSeq: anchor}
	}
	g.mustCall(user, "queryHistoryMessage", &messages.QueryHistoryMessageParams{ConversationID: guID, ConversationType: ConvGroup, Config: cfg}, &res)
	if res.ConversationID != guID || res.ConversationType != ConvGroup {
		tb.Fatalf("history of %v", &res)
	}
	var seqs []int64
	for _, m := range res.MessageList {
		seqs = append(seqs, m.MessageSeq)
	}
	return seqs, res.MessageList
}

// guAllSeqs is every seq user sees, oldest first, paged backwards by count.
func guAllSeqs(tb testing.TB, g *unitGrain, user string, count int32) []int64 {
	tb.Helper()
	var all []int64
	var anchor int64
	for range 1000 {
		seqs, _ := guHistory(tb, g, user, anchor, count, false)
		if len(seqs) == 0 {
			return all
		}
		all = append(slices.Clone(seqs), all...)
		anchor = seqs[0]
	}
	tb.Fatal("history paging never ends")
	return nil
}

func guSeqs(from, to int64) []int64 {
	var out []int64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func TestUnitGroupSendDenseSeqsAndPushes(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guOnline(g, "owner", 10)
	guOnline(g, "bob", 11) // carol is offline
	w.rec.takeSends()
	w.rec.takePushes()

	for i := range 5 {
		w.now = w.now.Add(time.Second)
		m := guMustSend(t, g, "owner", "hello")
		if m.MessageSeq != int64(i+1) || m.SenderUserID != "owner" || m.ConversationID != guID || m.ConversationType != ConvGroup ||
			m.Direction != 0 || m.Timestamp != w.now.UnixMilli() || m.Message != "hello" {
			t.Fatalf("message %d: %v", i, m)
		}
	}
	// Each message went to bob's connection (received) and the owner's other one (sent),
	// never to offline carol.
	pushes := guConnPushes(w)
	if len(pushes) != 2 || len(pushes[10]) != 5 || len(pushes[11]) != 5 {
		t.Fatalf("pushes by connection: %d, %d to 10, %d to 11", len(pushes), len(pushes[10]), len(pushes[11]))
	}
	for i, e := range pushes[11] {
		ev := e.payload.(*messages.ConversationMessageReceivedEvent)
		if e.event != "groupMessageReceived" || ev.FromConversationID != guID || len(ev.MessageList) != 1 ||
			ev.MessageList[0].MessageSeq != int64(i+1) || ev.MessageList[0].Direction != 1 {
			t.Fatalf("bob's push %d: %s %v", i, e.event, ev)
		}
	}
	if ev := pushes[10][4].payload.(*messages.ConversationMessageReceivedEvent); ev.MessageList[0].Direction != 0 || ev.MessageList[0].MessageSeq != 5 {
		t.Fatalf("the sender's own push %v", ev)
	}
	// The online members' user actors learn the new head once the flush runs.
	g.Drain()
	g.Advance(time.Second)
	touched := map[string]int64{}
	for _, s := range w.rec.takeSends() {
		if ct, ok := s.msg.(*messages.ConversationTouched); ok && s.kind == KindUser {
			if ct.ConversationID != guID || ct.ConversationType != ConvGroup {
				t.Fatalf("touch %v", ct)
			}
			touched[s.identity] = max(touched[s.identity], ct.LastSeq)
		}
	}
	if len(touched) != 2 || touched["owner"] != 5 || touched["bob"] != 5 {
		t.Fatalf("touched %v", touched)
	}

	// Outsiders may not send; a bad message stores nothing.
	_, err := guSend(g, "ghost", "hi")
	wantCode(t, err, ErrNotGroupMember)
	_, err = guSend(g, "bob", "")
	wantCode(t, err, ErrParamInvalid)
	if m := guMustSend(t, g, "carol", "six"); m.MessageSeq != 6 {
		t.Fatalf("after refusals: seq %d", m.MessageSeq)
	}
	// Stored: a fresh activation reads them all and continues the seqs.
	g = w.grain(KindGroup, guID)
	if got := guAllSeqs(t, g, "bob", 100); !slices.Equal(got, guSeqs(1, 6)) {
		t.Fatalf("stored seqs %v", got)
	}
	if m := guMustSend(t, g, "bob", "seven"); m.MessageSeq != 7 {
		t.Fatalf("after a reload: seq %d", m.MessageSeq)
	}
	_, list := guHistory(t, g, "carol", 0, 2, false)
	if len(list) != 2 || list[0].Message != "six" || list[0].Direction != 0 || list[1].Message != "seven" || list[1].Direction != 1 {
		t.Fatalf("carol's view of the last two %v", list)
	}
}

func TestUnitGroupHistoryPagingWindowsAndDeletion(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	w.users("dan")
	for i := range 25 {
		if m := guMustSend(t, g, []string{"owner", "bob", "carol"}[i%3], "m"); m.MessageSeq != int64(i+1) {
			t.Fatalf("seq %d, want %d", m.MessageSeq, i+1)
		}
	}
	// Backwards from the newest, pages of 10: 16..25, 6..15, 1..5.
	seqs, _ := guHistory(t, g, "bob", 0, 10, false)
	if !slices.Equal(seqs, guSeqs(16, 25)) {
		t.Fatalf("newest page %v", seqs)
	}
	if seqs, _ = guHistory(t, g, "bob", 16, 10, false); !slices.Equal(seqs, guSeqs(6, 15)) {
		t.Fatalf("second page %v", seqs)
	}
	if seqs, _ = guHistory(t, g, "bob", 6, 10, false); !slices.Equal(seqs, guSeqs(1, 5)) {
		t.Fatalf("last page %v", seqs)
	}
	if seqs, _ = guHistory(t, g, "bob", 1, 10, false); len(seqs) != 0 {
		t.Fatalf("before the first %v", seqs)
	}
	// Forwards (reverse) from the start, and from an anchor.
	if seqs, _ = guHistory(t, g, "bob", 0, 4, true); !slices.Equal(seqs, guSeqs(1, 4)) {
		t.Fatalf("oldest first %v", seqs)
	}
	if seqs, _ = guHistory(t, g, "bob", 22, 10, true); !slices.Equal(seqs, guSeqs(23, 25)) {
		t.Fatalf("after 22 %v", seqs)
	}
	for _, bad := range []*messages.MessageQueryConfig{nil, {Count: 0}, {Count: 101}} {
		wantCode(t, g.call("bob", "queryHistoryMessage", &messages.QueryHistoryMessageParams{ConversationID: guID, ConversationType: ConvGroup, Config: bad}, nil), ErrParamInvalid)
	}
	wantCode(t, g.call("dan", "queryHistoryMessage", &messages.QueryHistoryMessageParams{ConversationID: guID, ConversationType: ConvGroup, Config: &messages.MessageQueryConfig{Count: 10}}, nil), ErrNotGroupMember)

	// A late joiner sees what comes after joining only.
	g.mustCall("dan", "joinGroup", guIDp(), nil)
	if seqs, _ = guHistory(t, g, "dan", 0, 10, false); len(seqs) != 0 {
		t.Fatalf("a late joiner sees %v", seqs)
	}
	guMustSend(t, g, "owner", "26")
	if got := guAllSeqs(t, g, "dan", 10); !slices.Equal(got, []int64{26}) {
		t.Fatalf("dan sees %v", got)
	}

	// Deletion is the caller's own.
	var dr messages.MessageDeletedResult
	g.mustCall("bob", "deleteMessages", &messages.DeleteMessagesParams{ConversationID: guID, ConversationType: ConvGroup,
		MessageList: []*messages.Message{{MessageSeq: 2}, {MessageSeq: 20}, {MessageSeq: 26}}}, &dr)
	if dr.ConversationID != guID {
		t.Fatalf("delete result %v", &dr)
	}
	news := guTakeUserNews(w)
	if u := news.usersWith("messageDeleted"); !slices.Equal(u, []string{"bob"}) {
		t.Fatalf("messageDeleted to %v", u)
	}
	if ev := guUserOne[*messages.MessageDeletedEvent](t, news, "bob", "messageDeleted"); len(ev.MessageList) != 3 || ev.IsDeleteConversationAllMessage {
		t.Fatalf("delete event %v", ev)
	}
	wantBob := slices.DeleteFunc(guSeqs(1, 26), func(s int64) bool { return s == 2 || s == 20 || s == 26 })
	if got := guAllSeqs(t, g, "bob", 7); !slices.Equal(got, wantBob) {
		t.Fatalf("bob after deleting %v", got)
	}
	if got := guAllSeqs(t, g, "carol", 100); !slices.Equal(got, guSeqs(1, 26)) {
		t.Fatalf("carol after bob deleted %v", got)
	}
	for _, bad := range [][]*messages.Message{nil, {{MessageSeq: 0}}} {
		wantCode(t, g.call("bob", "deleteMessages", &messages.DeleteMessagesParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: bad}, nil), ErrParamInvalid)
	}
	wantCode(t, g.call("ghost", "deleteMessages", &messages.DeleteMessagesParams{ConversationID: guID, ConversationType: ConvGroup, MessageList: []*messages.Message{{MessageSeq: 1}}}, nil), ErrNotGroupMember)

	// A kicked member keeps the history up to the kick and sees nothing after.
	g.mustCall("owner", "kickGroupMembers", guUsers("carol"), nil)
	guMustSend(t, g, "owner", "27")
	_, err := guSend(g, "carol", "let me back")
	wantCode(t, err, ErrNotGroupMember)
	// Clearing everything: bob sees only what follows.
	g.mustCall("bob", "deleteAllMessage", &messages.DeleteAllMessageParams{ConversationID: guID, ConversationType: ConvGroup}, nil)
	if got := guAllSeqs(t, g, "bob", 10); len(got) != 0 {
		t.Fatalf("bob after clearing %v", got)
	}
	guMustSend(t, g, "dan", "28")

	// All of it holds in a fresh activation.
	g = w.grain(KindGroup, guID)
	for user, want := range map[string][]int64{
		"carol": guSeqs(1, 26), "bob": {28}, "dan": {26, 27, 28}, "owner": guSeqs(1, 28),
	} {
		if got := guAllSeqs(t, g, user, 9); !slices.Equal(got, want) {
			t.Fatalf("%s sees %v, want %v", user, got, want)
		}
	}
	if m := guMustSend(t, g, "owner", "29"); m.MessageSeq != 29 {
		t.Fatalf("seq after the reload %d", m.MessageSeq)
	}
	if got := guAllSeqs(t, g, "carol", 100); !slices.Equal(got, guSeqs(1, 26)) {
		t.Fatalf("kicked carol sees %v", got)
	}
}

func TestUnitGroupMutedSenderStoresNothing(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	guMustSend(t, g, "bob", "one")
	if _, err := guMuteMembers(g, "owner", true, 30, "bob"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, err := guSend(g, "bob", "muted")
		wantCode(t, err, ErrSenderMuted)
	}
	w.now = w.now.Add(31 * time.Second)
	if m := guMustSend(t, g, "bob", "two"); m.MessageSeq != 2 {
		t.Fatalf("after the mute: seq %d", m.MessageSeq)
	}
	_, list := guHistory(t, w.grain(KindGroup, guID), "owner", 0, 10, false)
	if len(list) != 2 || list[0].Message != "one" || list[1].Message != "two" {
		t.Fatalf("stored %v", list)
	}
}

// A member's user actor reports its connections after the join: what was sent in
// between is pushed then (catch-up), and a user actor that knows an older head is
// told the newer one. A report from a user who is no longer a member is ignored.
func TestUnitGroupPresenceCatchUpAndStaleReports(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	guOnline(g, "owner", 10)
	guMustSend(t, g, "owner", "before")
	w.users("dan")
	g.mustCall("owner", "inviteUsersIntoGroup", guUsers("dan"), nil)
	guMustSend(t, g, "owner", "after one")
	guMustSend(t, g, "owner", "after two")
	if c := guConnsOf(guConnPushes(w), "groupMessageReceived"); !slices.Equal(c, []uint64{10}) {
		t.Fatalf("pushed to %v before dan reported", c)
	}
	w.rec.takeSends()
	g.Tell(&messages.GroupMemberPresence{UserID: "dan", Conns: []*messages.ConnRef{{Node: unitNode, ConnID: 13, Platform: 1}}, KnownSeq: 0})
	pushes := guConnPushes(w)
	var caught []string
	for _, e := range pushes[13] {
		if e.event == "groupMessageReceived" {
			for _, m := range e.payload.(*messages.ConversationMessageReceivedEvent).MessageList {
				caught = append(caught, m.Message)
			}
		}
	}
	if !slices.Equal(caught, []string{"after one", "after two"}) || len(pushes) != 1 {
		t.Fatalf("dan caught up with %v (pushes to %d connections)", caught, len(pushes))
	}
	var touch *messages.ConversationTouched
	for _, s := range w.rec.takeSends() {
		if ct, ok := s.msg.(*messages.ConversationTouched); ok && s.identity == "dan" {
			touch = ct
		}
	}
	if touch == nil || touch.LastSeq != 3 {
		t.Fatalf("dan's user actor was told %v", touch)
	}
	// A second report of the same connections catches up nothing again.
	g.Tell(&messages.GroupMemberPresence{UserID: "dan", Conns: []*messages.ConnRef{{Node: unitNode, ConnID: 13, Platform: 1}}, KnownSeq: 3})
	if p := guConnPushes(w); len(p) != 0 {
		t.Fatalf("a repeated report pushed %v", p)
	}
	if len(w.rec.takeSends()) != 0 {
		t.Fatal("a user actor up to date was touched")
	}
	guMustSend(t, g, "owner", "live")
	if c := guConnsOf(guConnPushes(w), "groupMessageReceived"); !slices.Equal(c, []uint64{10, 13}) {
		t.Fatalf("live message pushed to %v", c)
	}

	// Kicked, dan's late report does not bring the pushes back; an offline report
	// stops them for a member.
	g.mustCall("owner", "kickGroupMembers", guUsers("dan"), nil)
	guOnline(g, "dan", 13)
	guOnline(g, "bob", 11)
	g.Tell(&messages.GroupMemberPresence{UserID: "owner"})
	w.rec.takePushes()
	guMustSend(t, g, "bob", "after the kick")
	if c := guConnsOf(guConnPushes(w), "groupMessageReceived"); !slices.Equal(c, []uint64{11}) {
		t.Fatalf("pushed to %v after the kick", c)
	}
}
