package actors

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the message features (rich.go) on the group, peer and channel kinds:
// revoke (window, roles, the stored revoke message, pushes, the head), edit, reply
// threads, pins and combine messages.

// gref names message seq of group guID.
func gref(seq int64) *messages.Message {
	return &messages.Message{MessageSeq: seq, ConversationID: guID, ConversationType: ConvGroup}
}

func guRevoke(g *unitGrain, user string, seq int64) (*messages.Message, error) {
	var res messages.MessageRevokedResult
	err := g.call(user, "revokeMessage", &messages.RevokeMessageParams{Message: gref(seq), Config: &messages.MessageRevokeConfig{RevokeExtendedData: "why"}}, &res)
	return res.Message, err
}

func guMessage(tb testing.TB, g *unitGrain, user string, seq int64) *messages.Message {
	tb.Helper()
	var res messages.MessageQueriedResult
	g.mustCall(user, "queryMessages", &messages.QueryMessagesParams{MessageSeqs: []int64{seq}, ConversationID: guID, ConversationType: ConvGroup}, &res)
	if len(res.MessageList) != 1 {
		tb.Fatalf("message %d as %s: %v", seq, user, res.MessageList)
	}
	return res.MessageList[0]
}

// guTouchedTypes are the user actors the group told a new head, with the head's type.
func guTouchedTypes(w *unitWorld) map[string]int32 {
	out := map[string]int32{}
	for _, s := range w.rec.takeSends() {
		if r, ok := s.msg.(*messages.ConversationRevised); ok && s.kind == KindUser && r.Head != nil {
			out[s.identity] = r.Head.Type
		}
	}
	return out
}

func TestUnitRichRevokeInGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"admin", "bob", "carol"}, nil)
	guSetRole(t, g, "owner", "admin", RoleAdmin)
	guOnline(g, "owner", 10)
	g.Tell(&messages.GroupMemberPresence{UserID: "bob", Conns: []*messages.ConnRef{conn(11), conn(12)}})
	for _, u := range []string{"bob", "bob", "carol", "owner", "bob"} {
		guMustSend(t, g, u, "from "+u)
	}
	g.Drain()
	g.Advance(time.Second)
	w.rec.takeSends()
	w.rec.takePushes()

	// The sender revokes its last message within the window: the stored message becomes
	// a revoke message everyone sees, the online members are pushed it and learn the
	// conversation's new last message.
	w.now = w.now.Add(time.Minute)
	r, err := guRevoke(g, "bob", 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != MsgRevoke || r.GetRevokeStatus() != revokeStatusSelf || r.GetOperatedUserID() != "bob" || r.GetOriginalMessageType() != MsgText ||
		r.GetOriginalTextMessageContent() != "from bob" || r.GetRevokeExtendedData() != "why" || r.GetRevokeTimestamp() != w.now.UnixMilli() ||
		r.Message != "" || r.MessageSeq != 5 || r.SenderUserID != "bob" {
		t.Fatalf("revoked %v", r)
	}
	pushes := guConnPushes(w)
	if got := guConnsOf(pushes, "messageRevokeReceived"); !slices.Equal(got, []uint64{10, 11, 12}) {
		t.Fatalf("revoke pushed to %v", got)
	}
	if ev := guOne[*messages.MessageRevokeReceivedEvent](t, pushes, 10, "messageRevokeReceived"); ev.MessageList[0].Direction != 1 || ev.MessageList[0].Type != MsgRevoke {
		t.Fatalf("owner's push %v", ev)
	}
	if got := guTouchedTypes(w); len(got) != 2 || got["owner"] != MsgRevoke || got["bob"] != MsgRevoke {
		t.Fatalf("head news %v", got)
	}
	if m := guMessage(t, g, "carol", 5); m.Type != MsgRevoke || m.Direction != 1 || m.GetOriginalTextMessageContent() != "from bob" {
		t.Fatalf("carol's history %v", m)
	}
	_, err = guRevoke(g, "bob", 5)
	wantCode(t, err, ErrMessageRevoked)

	// The window, the roles.
	w.now = w.now.Add(2 * time.Minute)
	_, err = guRevoke(g, "bob", 1)
	wantCode(t, err, ErrRevokeTimeExceeded)
	_, err = guRevoke(g, "carol", 2)
	wantCode(t, err, ErrMessageNoAuthority)
	_, err = guRevoke(g, "admin", 4) // the owner's
	wantCode(t, err, ErrMessageNoAuthority)
	if r, err := guRevoke(g, "admin", 1); err != nil || r.GetRevokeStatus() != revokeStatusGroupAdmin || r.GetOperatedUserID() != "admin" {
		t.Fatalf("admin revokes bob's: %v %v", r, err)
	}
	if r, err := guRevoke(g, "owner", 3); err != nil || r.GetRevokeStatus() != revokeStatusGroupOwner {
		t.Fatalf("owner revokes carol's: %v %v", r, err)
	}
	_, err = guRevoke(g, "bob", 99)
	wantCode(t, err, ErrMessageNotFound)
	_, err = guRevoke(g, "ghost", 2)
	wantCode(t, err, ErrNotGroupMember)
	var res messages.MessageRevokedResult
	err = g.call("bob", "revokeMessage", &messages.RevokeMessageParams{Message: &messages.Message{MessageSeq: 2, MessageID: "1", ConversationID: guID, ConversationType: ConvGroup}}, &res)
	wantCode(t, err, ErrMessageNotFound) // the ID does not match seq 2

	// Stored: a fresh activation reads the revoke messages, and the head.
	g = w.grain(KindGroup, guID)
	_, list := guHistory(t, g, "carol", 0, 10, false)
	var types []int32
	for _, m := range list {
		types = append(types, m.Type)
	}
	if !slices.Equal(types, []int32{MsgRevoke, MsgText, MsgRevoke, MsgText, MsgRevoke}) {
		t.Fatalf("types after reload %v", types)
	}
}

func TestUnitRichEditInGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	guOnline(g, "owner", 10)
	g.Tell(&messages.GroupMemberPresence{UserID: "bob", Conns: []*messages.ConnRef{conn(11), conn(12)}})
	m := guMustSend(t, g, "bob", "helo")
	g.Drain()
	g.Advance(time.Second)
	w.rec.takeSends()
	w.rec.takePushes()

	edit := func(user string, in *messages.Message) (*messages.Message, error) {
		var res messages.MessageEditedResult
		err := g.call(user, "editMessage", &messages.EditMessageParams{Message: in}, &res)
		return res.Message, err
	}
	in := gref(m.MessageSeq)
	in.Type, in.Message, in.ExtendedData = MsgText, "hello", "x"
	_, err := edit("owner", in)
	wantCode(t, err, ErrMessageNoAuthority)
	bad := gref(m.MessageSeq)
	bad.Type, bad.Message = MsgCustom, "c"
	_, err = edit("bob", bad)
	wantCode(t, err, ErrParamInvalid)
	empty := gref(m.MessageSeq)
	empty.Type = MsgText
	_, err = edit("bob", empty)
	wantCode(t, err, ErrParamInvalid)

	w.now = w.now.Add(time.Hour)
	e, err := edit("bob", in)
	if err != nil || e.Message != "hello" || e.ExtendedData != "x" || e.GetEditorUserID() != "bob" || e.GetEditedTime() != w.now.UnixMilli() ||
		e.MessageID != m.MessageID || e.Timestamp != m.Timestamp {
		t.Fatalf("edited %v %v", e, err)
	}
	pushes := guConnPushes(w)
	if got := guConnsOf(pushes, "messageEdited"); !slices.Equal(got, []uint64{10, 11, 12}) { // bob's other devices too
		t.Fatalf("edit pushed to %v", got)
	}
	if got := guTouchedTypes(w); len(got) != 2 {
		t.Fatalf("the edited last message reached %v", got)
	}
	g = w.grain(KindGroup, guID)
	if h := guMessage(t, g, "owner", m.MessageSeq); h.Message != "hello" || h.GetEditorUserID() != "bob" || h.Direction != 1 {
		t.Fatalf("history after reload %v", h)
	}
	w.now = w.now.Add(24 * time.Hour)
	_, err = edit("bob", in)
	wantCode(t, err, ErrEditTimeExceeded)
}

func TestUnitRichReplyThreadsInGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	guOnline(g, "owner", 10)
	root := guMustSend(t, g, "owner", "root")
	reply := func(user string, to int64, text string) *messages.Message {
		t.Helper()
		var res messages.MessageSentResult
		g.mustCall(user, "replyMessage", &messages.ReplyMessageParams{
			Message: &messages.Message{Type: MsgText, Message: text}, ToOriginalMessage: gref(to),
		}, &res)
		return res.Message
	}
	w.rec.takePushes()
	r1 := reply("bob", root.MessageSeq, "first")
	if ri := r1.RepliedInfo; ri == nil || ri.MessageSeq != root.MessageSeq || ri.MessageID != root.MessageID || ri.SenderUserID != "owner" ||
		ri.MessageInfo.GetType() != MsgText || ri.MessageInfo.GetMessage() != "root" || ri.State != repliedNormal {
		t.Fatalf("reply info %v", r1)
	}
	pushes := guConnPushes(w)
	if ev := guOne[*messages.MessageRepliedCountChangedEvent](t, pushes, 10, "messageRepliedCountChanged"); ev.Infos[0].Count != 1 || ev.Infos[0].MessageID != root.MessageID {
		t.Fatalf("count event %v", ev)
	}
	r2 := reply("owner", r1.MessageSeq, "second") // a reply to the reply: same thread
	if r2.RepliedInfo.MessageSeq != r1.MessageSeq {
		t.Fatalf("reply to reply %v", r2)
	}
	guMustSend(t, g, "bob", "not a reply")
	r3 := reply("bob", root.MessageSeq, "third")

	list := func(from *messages.Message, next int64, count int32) *messages.MessageRepliedListQueriedResult {
		t.Helper()
		var res messages.MessageRepliedListQueriedResult
		g.mustCall("bob", "queryMessageRepliedList", &messages.QueryMessageRepliedListParams{
			Message: gref(from.MessageSeq), Config: &messages.MessageRepliedListQueryConfig{Count: count, NextFlag: next},
		}, &res)
		return &res
	}
	res := list(r2, 0, 2)
	if ri := res.RootRepliedInfo; ri.RepliedCount != 3 || ri.Message.GetMessageSeq() != root.MessageSeq || ri.State != repliedNormal || ri.SenderUserID != "owner" {
		t.Fatalf("root info %v", ri)
	}
	if len(res.MessageList) != 2 || res.MessageList[0].MessageSeq != r1.MessageSeq || res.MessageList[1].MessageSeq != r2.MessageSeq || res.NextFlag == 0 {
		t.Fatalf("page 1 %v", res)
	}
	res = list(root, res.NextFlag, 2)
	if len(res.MessageList) != 1 || res.MessageList[0].MessageSeq != r3.MessageSeq || res.NextFlag != 0 {
		t.Fatalf("page 2 %v", res)
	}
	if m := guMessage(t, g, "bob", root.MessageSeq); m.GetRootRepliedCount() != 3 {
		t.Fatalf("root's count %v", m)
	}
	// Revoking the root changes its direct replies' info.
	w.rec.takePushes()
	if _, err := guRevoke(g, "owner", root.MessageSeq); err != nil {
		t.Fatal(err)
	}
	pushes = guConnPushes(w)
	ev := guOne[*messages.MessageRepliedInfoChangedEvent](t, pushes, 10, "messageRepliedInfoChanged")
	if len(ev.MessageList) != 2 || ev.MessageList[0].RepliedInfo.MessageInfo.Type != MsgRevoke {
		t.Fatalf("replied info changed %v", ev)
	}
	g = w.grain(KindGroup, guID)
	if m := guMessage(t, g, "bob", r3.MessageSeq); m.RepliedInfo.MessageInfo.Type != MsgRevoke {
		t.Fatalf("reply after the root's revoke %v", m)
	}
	if res := list(r1, 0, 10); res.RootRepliedInfo.Message.GetType() != MsgRevoke || len(res.MessageList) != 3 {
		t.Fatalf("thread after reload %v", res)
	}
	var sent messages.MessageSentResult
	err := g.call("bob", "replyMessage", &messages.ReplyMessageParams{Message: &messages.Message{Type: MsgText, Message: "x"}, ToOriginalMessage: gref(root.MessageSeq)}, &sent)
	wantCode(t, err, ErrMessageRevoked)
	err = g.call("bob", "replyMessage", &messages.ReplyMessageParams{Message: &messages.Message{Type: MsgCommand, Message: "eA=="}, ToOriginalMessage: gref(r1.MessageSeq)}, &sent)
	wantCode(t, err, ErrMessageTypeUnsupported)
	err = g.call("bob", "queryMessageRepliedList", &messages.QueryMessageRepliedListParams{Message: gref(r1.MessageSeq), Config: &messages.MessageRepliedListQueryConfig{Count: 0}}, nil)
	wantCode(t, err, ErrParamInvalid)
}

func TestUnitRichPinsInGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	guOnline(g, "owner", 10)
	for i := range 12 {
		guMustSend(t, g, "bob", string(rune('a'+i)))
	}
	pin := func(user string, seq int64, on, noReplace bool) error {
		return g.call(user, "pinMessage", &messages.PinMessageParams{Message: gref(seq), IsPinned: on, Config: &messages.MessagePinConfig{DisableAutoReplace: noReplace}}, nil)
	}
	pinned := func() []int64 {
		t.Helper()
		var res messages.PinnedMessageListQueriedResult
		g.mustCall("owner", "queryPinnedMessageList", &messages.QueryPinnedMessageListParams{ConversationID: guID, ConversationType: ConvGroup}, &res)
		var out []int64
		for _, m := range res.MessageList {
			if m.GetPinnedUserID() == "" || m.GetPinnedTime() == 0 {
				t.Fatalf("pinned without pinner %v", m)
			}
			out = append(out, m.MessageSeq)
		}
		return out
	}
	wantCode(t, pin("bob", 1, false, false), ErrMessageNotPinned)
	for s := int64(1); s <= 10; s++ {
		w.now = w.now.Add(time.Second)
		w.rec.takePushes()
		if err := pin("bob", s, true, false); err != nil {
			t.Fatal(err)
		}
	}
	ev := guOne[*messages.MessagePinStatusChangedEvent](t, guConnPushes(w), 10, "messagePinStatusChanged")
	if ev.Infos[0].PinStatus != pinPinned || ev.Infos[0].Message.GetPinnedUserID() != "bob" {
		t.Fatalf("pin event %v", ev)
	}
	wantCode(t, pin("bob", 11, true, true), ErrPinLimit)
	w.now = w.now.Add(time.Second)
	if err := pin("owner", 11, true, false); err != nil { // replaces the earliest pinned (1)
		t.Fatal(err)
	}
	if got := pinned(); !slices.Equal(got, []int64{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) {
		t.Fatalf("pinned %v", got)
	}
	if m := guMessage(t, g, "bob", 1); m.GetPinnedUserID() != "" {
		t.Fatalf("replaced pin still on the message %v", m)
	}
	if err := pin("owner", 5, false, false); err != nil {
		t.Fatal(err)
	}
	if _, err := guRevoke(g, "bob", 6); err != nil { // a revoked message leaves the pins
		t.Fatal(err)
	}
	g = w.grain(KindGroup, guID)
	if got := pinned(); !slices.Equal(got, []int64{11, 10, 9, 8, 7, 4, 3, 2}) {
		t.Fatalf("pinned after reload %v", got)
	}
	wantCode(t, pin("bob", 6, true, false), ErrMessageRevoked)
	wantCode(t, pin("ghost", 2, true, false), ErrNotGroupMember)
	// A former member still reads its part of the history but changes nothing.
	g.mustCall("owner", "kickGroupMembers", guUsers("bob"), nil)
	if m := guMessage(t, g, "bob", 2); m.GetPinnedUserID() == "" {
		t.Fatalf("bob's view after the kick %v", m)
	}
	wantCode(t, pin("bob", 2, false, false), ErrNotGroupMember)
	_, err := guRevoke(g, "bob", 12)
	wantCode(t, err, ErrNotGroupMember)
}

func TestUnitRichCombineInGroup(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	sub := []*messages.Message{
		{Type: MsgText, Message: "one", SenderUserID: "x", MessageID: "7"},
		{Type: MsgCustom, Message: "two", SubType: 3},
	}
	var res messages.MessageSentResult
	err := g.call("bob", "sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup,
		Message: &messages.Message{Type: MsgCombine, Title: proto.String("chat"), Summary: proto.String("one, two")}}, &res)
	wantCode(t, err, ErrParamInvalid) // no sub-messages
	g.mustCall("bob", "sendMessage", &messages.SendMessageParams{ToConversationID: guID, ConversationType: ConvGroup,
		Message: &messages.Message{Type: MsgCombine, Title: proto.String("chat"), Summary: proto.String("one, two"), MessageList: sub}}, &res)
	m := res.Message
	if m.Type != MsgCombine || m.GetTitle() != "chat" || m.GetSummary() != "one, two" || len(m.MessageList) != 0 {
		t.Fatalf("sent %v", m)
	}
	g = w.grain(KindGroup, guID)
	var det messages.CombineMessageDetailQueriedResult
	g.mustCall("owner", "queryCombineMessageDetail", &messages.QueryCombineMessageDetailParams{Message: gref(m.MessageSeq)}, &det)
	if d := det.Message; d.MessageID != m.MessageID || len(d.MessageList) != 2 || d.MessageList[0].Message != "one" || d.MessageList[1].SubType != 3 || d.Direction != 1 {
		t.Fatalf("detail %v", det.Message)
	}
	wantCode(t, g.call("ghost", "queryCombineMessageDetail", &messages.QueryCombineMessageDetailParams{Message: gref(m.MessageSeq)}, nil), ErrNotGroupMember)
	text := guMustSend(t, g, "bob", "plain")
	wantCode(t, g.call("owner", "queryCombineMessageDetail", &messages.QueryCombineMessageDetailParams{Message: gref(text.MessageSeq)}, nil), ErrParamInvalid)
}

func TestUnitRichPeerRevokeEditPush(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	p := w.peerGrain("alice", "bob")
	m := p.peerSend("alice", "hi")
	w.rec.takeSends()
	ref := &messages.Message{MessageSeq: m.MessageSeq, ConversationID: "bob", ConversationType: ConvPeer}
	var res messages.MessageRevokedResult
	wantCode(t, p.call("bob", "revokeMessage", &messages.RevokeMessageParams{Message: ref}, &res), ErrMessageNoAuthority)
	p.mustCall("alice", "revokeMessage", &messages.RevokeMessageParams{Message: ref}, &res)
	if res.Message.Type != MsgRevoke || res.Message.ConversationID != "bob" {
		t.Fatalf("revoked %v", res.Message)
	}
	ss := w.rec.takeSends()
	pushed := map[string]string{}
	for _, s := range ss {
		if up, ok := s.msg.(*messages.UserPush); ok {
			pushed[s.identity] = up.Push.GetEvent()
			if s.identity == "alice" && up.ExceptConnID != 1 {
				t.Fatalf("the revoking connection is pushed to")
			}
		}
	}
	if pushed["alice"] != "messageRevokeReceived" || pushed["bob"] != "messageRevokeReceived" {
		t.Fatalf("pushes %v", pushed)
	}
	for _, u := range []string{"alice", "bob"} {
		var news []*messages.ConversationRevised
		for _, x := range sendsTo(ss, KindUser, u) {
			if r, ok := x.(*messages.ConversationRevised); ok {
				news = append(news, r)
			}
		}
		if len(news) != 1 || news[0].Head.GetType() != MsgRevoke || !slices.Equal(news[0].Uncounted, []int64{m.MessageSeq}) {
			t.Fatalf("%s's news %v", u, news)
		}
	}
	p = w.peerGrain("alice", "bob")
	if h := p.peerHistory("bob", &messages.MessageQueryConfig{Count: 10}); len(h) != 1 || h[0].Type != MsgRevoke || h[0].ConversationID != "alice" || h[0].Direction != 1 {
		t.Fatalf("bob's history %v", h)
	}
}

// TestUnitRichRevokeUnread: a revoked unread message stops counting, for a user actor
// told at once and for one that loads the conversation later.
func TestUnitRichRevokeUnread(t *testing.T) {
	cw := newChatWorld(t, "alice", "bob")
	alice := cw.users["alice"]
	alice.register(device(5, 1), "")
	var sent []*messages.Message
	for _, text := range []string{"b1", "b2", "b3"} {
		sent = append(sent, cw.send("bob", "alice", text))
	}
	if n := alice.totalUnread("alice"); n != 3 {
		t.Fatalf("unread before %d", n)
	}
	cw.rec.takePushes()
	p := cw.peers[PeerIdentity("alice", "bob")]
	for _, i := range []int{0, 2} { // an older one, then the last
		p.mustCall("bob", "revokeMessage", &messages.RevokeMessageParams{Message: &messages.Message{MessageSeq: sent[i].MessageSeq, ConversationID: "alice", ConversationType: ConvPeer}}, nil)
		cw.forwardToUsers(cw.users)
	}
	if n := alice.totalUnread("alice"); n != 1 {
		t.Fatalf("unread after two revokes %d", n)
	}
	c := alice.conversation("alice", "bob", ConvPeer)
	if c.UnreadMessageCount != 1 || c.LastMessage.GetType() != MsgRevoke || c.LastMessage.Direction != 1 {
		t.Fatalf("conversation %v", c)
	}
	totals, _ := pushesOf(t, cw.rec.takePushes(), "conversationTotalUnreadMessageCountUpdated", func() *messages.ConversationTotalUnreadMessageCountUpdatedEvent {
		return &messages.ConversationTotalUnreadMessageCountUpdatedEvent{}
	})
	if len(totals) != 2 || totals[0].TotalUnreadMessageCount != 2 || totals[1].TotalUnreadMessageCount != 1 {
		t.Fatalf("total unread pushes %v", totals)
	}
	alice = cw.reload("alice")
	if n := alice.totalUnread("alice"); n != 1 {
		t.Fatalf("unread after a reload %d", n)
	}
	cw.send("bob", "alice", "b4")
	if n := alice.totalUnread("alice"); n != 2 {
		t.Fatalf("unread after a new message %d", n)
	}
	alice.mustCall("alice", "clearConversationUnreadMessageCount", &messages.ConversationRef{ConversationID: "bob", ConversationType: ConvPeer}, nil)
	if n := alice.totalUnread("alice"); n != 0 {
		t.Fatalf("unread after clearing %d", n)
	}
}

// TestUnitRichGroupTips: with tips on, member and profile changes write tips messages
// into the group's history (ZIM's events and change infos); they never count as unread.
func TestUnitRichGroupTips(t *testing.T) {
	w := newUnitWorld(t, func(c *Config) { c.Limits.Message.Tips = true })
	w.users("dan")
	g := guNewGroup(w, "owner", []string{"bob", "carol"}, nil)
	guOnline(g, "owner", 10)
	g.mustCall("dan", "joinGroup", guIDp(), nil)
	guSetRole(t, g, "owner", "bob", RoleAdmin)
	g.mustCall("owner", "updateGroupName", &messages.GroupUpdateNameParams{GroupID: guID, GroupName: "renamed"}, nil)
	if _, err := guMuteGroup(g, "owner", true, MuteNormal, 60); err != nil {
		t.Fatal(err)
	}
	guMustSend(t, g, "owner", "hello")
	g.mustCall("owner", "pinMessage", &messages.PinMessageParams{Message: gref(6), IsPinned: true}, nil)
	g.mustCall("bob", "kickGroupMembers", guUsers("carol"), nil)

	_, list := guHistory(t, g, "dan", 0, 100, false)
	type tipSeen struct {
		event, change int32
		op            string
		targets       int
	}
	var got []tipSeen
	for _, m := range list {
		if m.Type == MsgTips {
			got = append(got, tipSeen{m.GetEvent(), m.ChangeInfo.GetType(), m.OperatedUser.GetUserID(), len(m.TargetUserList)})
		}
	}
	want := []tipSeen{
		{TipsGroupJoined, 0, "dan", 1},
		{TipsGroupMemberInfoChange, TipsChangeMemberRole, "owner", 1},
		{TipsGroupInfoChanged, TipsChangeGroupName, "owner", 0},
		{TipsGroupInfoChanged, TipsChangeGroupMute, "owner", 0},
		{TipsGroupMessagePinned, TipsChangeMessagePin, "owner", 0},
		{TipsGroupKickedOut, 0, "bob", 1},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("dan's tips\n got %v\nwant %v", got, want)
	}
	_, all := guHistory(t, g, "bob", 0, 100, false)
	if all[0].GetEvent() != TipsGroupCreated || len(all[0].TargetUserList) != 2 || all[0].SenderUserID != "" || all[0].OperatedUser.GetUserID() != "owner" {
		t.Fatalf("the first message %v", all[0])
	}
	if m := guMessage(t, g, "bob", 3); m.ChangeInfo.GetMemberRole() != RoleAdmin || m.TargetUserList[0].UserID != "bob" {
		t.Fatalf("role tip %v", m)
	}
	if m := guMessage(t, g, "bob", 4); m.ChangeInfo.GetGroupName() != "renamed" {
		t.Fatalf("name tip %v", m)
	}
	// Tips pushed to the online members like messages; they do not count as unread: of
	// everything dan sees, only the owner's text does.
	g.Drain()
	g.Advance(time.Second)
	// Conversation updates carry the recent uncounted seqs (for a member's actor that
	// was not told when they were written).
	var last *messages.ConversationTouched
	for _, s := range w.rec.takeSends() {
		if ct, ok := s.msg.(*messages.ConversationTouched); ok && s.identity == "owner" {
			last = ct
		}
	}
	if last == nil || last.LastSeq != 8 || !slices.Contains(last.Uncounted, 8) || !slices.Contains(last.Uncounted, 2) || slices.Contains(last.Uncounted, 6) {
		t.Fatalf("the owner's last update %v", last)
	}
	dan := w.grain(KindUser, "dan")
	if n := dan.totalUnread("dan"); n != 1 {
		t.Fatalf("dan's unread %d", n)
	}
	if c := dan.conversation("dan", guID, ConvGroup); c.LastMessage.GetType() != MsgTips || c.LastMessage.GetEvent() != TipsGroupKickedOut {
		t.Fatalf("dan's conversation %v", c)
	}
	var r messages.MessageRevokedResult
	wantCode(t, g.call("owner", "revokeMessage", &messages.RevokeMessageParams{Message: gref(1)}, &r), ErrMessageTypeUnsupported)
	// A tip is nobody's own message: the operator's read position stays.
	guMustSend(t, g, "bob", "for the owner")
	g.mustCall("owner", "updateGroupNotice", &messages.GroupUpdateNoticeParams{GroupID: guID, GroupNotice: "n"}, nil)
	if n := w.grain(KindUser, "owner").totalUnread("owner"); n != 1 {
		t.Fatalf("the owner's unread after its own tip %d", n)
	}
	// A dismissal ends the members' history with its tip.
	g.mustCall("owner", "dismissGroup", guIDp(), nil)
	_, list = guHistory(t, g, "dan", 0, 1, false)
	if len(list) != 1 || list[0].GetEvent() != TipsGroupDismissed {
		t.Fatalf("dan's last message after the dismissal %v", list)
	}
}

// TestUnitRichReplyResend: a reply resent with the same localMessageID is stored once
// and counted once (the runtime and the client resend it after a failure).
func TestUnitRichReplyResend(t *testing.T) {
	w := newUnitWorld(t)
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	root := guMustSend(t, g, "owner", "root")
	p := &messages.ReplyMessageParams{Message: &messages.Message{Type: MsgText, Message: "once", LocalMessageID: "l-1"}, ToOriginalMessage: gref(root.MessageSeq)}
	var a, b messages.MessageSentResult
	g.mustCall("bob", "replyMessage", p, &a)
	g.mustCall("bob", "replyMessage", p, &b)
	if a.Message.MessageID != b.Message.MessageID || a.Message.MessageSeq != b.Message.MessageSeq {
		t.Fatalf("resent reply stored twice: %v, %v", a.Message, b.Message)
	}
	if m := guMessage(t, g, "bob", root.MessageSeq); m.GetRootRepliedCount() != 1 {
		t.Fatalf("count after a resend %v", m)
	}
	if !idempotent(&messages.Call{Method: "replyMessage", Params: mustMarshal(t, p)}) {
		t.Fatal("a reply with a localMessageID is not resent across a topology change")
	}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnitRichRepliedStatePerReader: a reply whose original the reader deleted reads
// as deleted, one whose original came before the reader joined as not found; others
// see it normal.
func TestUnitRichRepliedStatePerReader(t *testing.T) {
	w := newUnitWorld(t)
	w.users("dan")
	g := guNewGroup(w, "owner", []string{"bob"}, nil)
	orig := guMustSend(t, g, "owner", "original")
	g.mustCall("dan", "joinGroup", guIDp(), nil)
	var r messages.MessageSentResult
	g.mustCall("bob", "replyMessage", &messages.ReplyMessageParams{Message: &messages.Message{Type: MsgText, Message: "re"}, ToOriginalMessage: gref(orig.MessageSeq)}, &r)
	g.mustCall("bob", "deleteMessages", &messages.DeleteMessagesParams{MessageList: []*messages.Message{gref(orig.MessageSeq)}, ConversationID: guID, ConversationType: ConvGroup}, nil)
	for user, want := range map[string]int32{"owner": repliedNormal, "bob": repliedDeleted, "dan": repliedNotFound} {
		if m := guMessage(t, g, user, r.Message.MessageSeq); m.RepliedInfo.GetState() != want {
			t.Fatalf("%s sees state %d, want %d", user, m.RepliedInfo.GetState(), want)
		}
		_, list := guHistory(t, g, user, 0, 10, false)
		if got := list[len(list)-1].RepliedInfo.GetState(); got != want {
			t.Fatalf("%s's history: state %d, want %d", user, got, want)
		}
	}
}
