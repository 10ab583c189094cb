package actors

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of the channel kind (channel.go): the message log of a community channel,
// who may send and read, mutes, and what the community tells it (CommunityChannelSync,
// forwarded by hand: unit tests deliver nothing between actors).

// forward hands to to the messages recorded for kind/identity (in order) and forgets
// every recorded send.
func (w *unitWorld) forward(kind, identity string, to *unitGrain) int {
	n := 0
	for _, s := range w.rec.takeSends() {
		if s.kind == kind && s.identity == identity {
			to.Tell(s.msg)
			n++
		}
	}
	return n
}

// send sends text as user and returns the stored message.
func (u *unitGrain) send(user, text string) *messages.Message {
	u.w.tb.Helper()
	var res messages.MessageSentResult
	u.mustCall(user, "sendMessage", textParams(text), &res)
	return res.Message
}

// history queries a page of the channel's history as user.
func (u *unitGrain) history(user string, count int32, anchor int64, reverse bool) ([]*messages.Message, error) {
	var res messages.MessageQueriedResult
	cfg := &messages.MessageQueryConfig{Count: count, Reverse: reverse}
	if anchor > 0 {
		cfg.NextMessage = &messages.Message{MessageSeq: anchor}
	}
	err := u.call(user, "queryHistoryMessage", &messages.QueryHistoryMessageParams{ConversationType: ConvChannel, Config: cfg}, &res)
	return res.MessageList, err
}

func msgTexts(list []*messages.Message) string {
	var out []string
	for _, m := range list {
		out = append(out, m.Message)
	}
	return strings.Join(out, ",")
}

func TestUnitChannelSendAndHistory(t *testing.T) {
	w := newUnitWorld(t)
	_, gen := w.community("club", "alice", "bob")
	conv := ChannelConversationID("club", gen)
	ch := w.grain(KindChannel, conv)
	var seqs []int64
	for i, text := range []string{"m1", "m2", "m3", "m4", "m5"} {
		sender := []string{"alice", "bob"}[i%2]
		m := ch.send(sender, text)
		if m.SenderUserID != sender || m.ConversationID != conv || m.ConversationType != ConvChannel || m.Timestamp != w.now.UnixMilli() || m.MessageID == "" {
			t.Fatalf("sent %v", m)
		}
		seqs = append(seqs, m.MessageSeq)
		w.now = w.now.Add(time.Second)
	}
	if !slices.Equal(seqs, []int64{1, 2, 3, 4, 5}) {
		t.Fatalf("seqs %v", seqs)
	}
	wantCode(t, ch.call("alice", "sendMessage", textParams(""), nil), ErrParamInvalid)
	wantCode(t, ch.call("alice", "sendMessage", textParams(strings.Repeat("x", 2049)), nil), ErrMessageTooLong)

	// Pages back from the newest (each page in ascending order), then forward.
	for _, g := range []*unitGrain{ch, w.grain(KindChannel, conv)} {
		var pages []string
		anchor := int64(0)
		for i := 0; i < 5; i++ {
			list, err := g.history("bob", 2, anchor, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				break
			}
			pages = append(pages, msgTexts(list))
			anchor = list[0].MessageSeq
		}
		if got := strings.Join(pages, " | "); got != "m4,m5 | m2,m3 | m1" {
			t.Fatalf("backward pages %q", got)
		}
		list, err := g.history("bob", 3, 2, true)
		if err != nil || msgTexts(list) != "m3,m4,m5" {
			t.Fatalf("forward page %q %v", msgTexts(list), err)
		}
		// The reader's view: others' messages are incoming.
		if list[0].SenderUserID != "alice" || list[0].Direction != 1 || list[1].Direction != 0 {
			t.Fatalf("directions %v", list)
		}
	}
	for _, count := range []int32{0, 101} {
		_, err := ch.history("bob", count, 0, false)
		wantCode(t, err, ErrParamInvalid)
	}
	// A fresh activation continues the sequence with no gap.
	ch2 := w.grain(KindChannel, conv)
	if m := ch2.send("alice", "m6"); m.MessageSeq != 6 {
		t.Fatalf("seq after reload %d", m.MessageSeq)
	}
	list, err := ch2.history("alice", 100, 0, false)
	if err != nil || msgTexts(list) != "m1,m2,m3,m4,m5,m6" {
		t.Fatalf("history %q %v", msgTexts(list), err)
	}
	for i, m := range list {
		if m.MessageSeq != int64(i+1) {
			t.Fatalf("seq %d at %d", m.MessageSeq, i)
		}
	}
}

func TestUnitChannelWhoMaySend(t *testing.T) {
	w := newUnitWorld(t)
	g, gen := w.community("club", "alice", "bob", "carol")
	w.users("outsider")
	g.newChannel("alice", "secret", ChannelPrivate, "bob")
	general := w.grain(KindChannel, ChannelConversationID("club", gen))
	secret := w.grain(KindChannel, "club/secret")

	wantCode(t, general.call("outsider", "sendMessage", textParams("hi"), nil), ErrNotCommunityMember)
	_, err := general.history("outsider", 10, 0, false)
	wantCode(t, err, ErrNotCommunityMember)
	secret.send("bob", "psst")
	wantCode(t, secret.call("carol", "sendMessage", textParams("let me in"), nil), ErrNotChannelMember)
	_, err = secret.history("carol", 10, 0, false)
	wantCode(t, err, ErrNotChannelMember)
	wantCode(t, secret.call("outsider", "sendMessage", textParams("hi"), nil), ErrNotCommunityMember)
	// An unknown channel of the community.
	wantCode(t, w.grain(KindChannel, "club/nope").call("alice", "sendMessage", textParams("hi"), nil), ErrChannelNotExist)

	// Invited, carol reads the whole history and sends; kicked, she is out again.
	g.mustCall("alice", "inviteUsersIntoCommunityChannel", &messages.CommunityChannelUsersParams{ChannelID: "secret", UserIDs: []string{"carol"}}, nil)
	if list, err := secret.history("carol", 10, 0, false); err != nil || msgTexts(list) != "psst" {
		t.Fatalf("carol's history %q %v", msgTexts(list), err)
	}
	if m := secret.send("carol", "thanks"); m.MessageSeq != 2 {
		t.Fatalf("carol's message %v", m)
	}
	g.mustCall("alice", "kickCommunityChannelMembers", &messages.CommunityChannelUsersParams{ChannelID: "secret", UserIDs: []string{"carol"}}, nil)
	wantCode(t, secret.call("carol", "sendMessage", textParams("again"), nil), ErrNotChannelMember)
	// A member who left the community is out of every channel.
	g.mustCall("bob", "leaveCommunity", &messages.CommunityIDParams{}, nil)
	wantCode(t, general.call("bob", "sendMessage", textParams("bye"), nil), ErrNotCommunityMember)
	wantCode(t, secret.call("bob", "sendMessage", textParams("bye"), nil), ErrNotCommunityMember)
}

func TestUnitChannelOnlineMembersAndPushes(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	g.newChannel("alice", "secret", ChannelPrivate, "bob")
	g.online("alice", 10)
	g.online("bob", 20)
	g.online("carol", 30)
	w.rec.takeSends()

	// A channel actor coming up says hello to its community, which answers with the
	// record and the online members who are in the channel.
	ch := w.grain(KindChannel, "club/secret")
	if n := w.forward(KindCommunity, "club", g); n != 1 {
		t.Fatalf("%d hellos", n)
	}
	if n := w.forward(KindChannel, "club/secret", ch); n != 1 {
		t.Fatalf("%d syncs", n)
	}
	w.rec.takePushes()
	ch.send("alice", "psst")
	// bob gets the message and alice's online connection her own (the calling connection,
	// conn 1, gets none); carol, not in the channel, nothing.
	evs, conns := pushesOf(t, w.rec.takePushes(), "communityChannelMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	slices.SortFunc(conns, slices.Compare)
	if len(evs) != 2 || !slices.Equal(conns[0], []uint64{10}) || !slices.Equal(conns[1], []uint64{20}) {
		t.Fatalf("pushes %v to %v", evs, conns)
	}
	for _, ev := range evs {
		if ev.FromConversationID != "club/secret" || ev.MessageList[0].Message != "psst" {
			t.Fatalf("push %v", ev)
		}
	}
	// The online members' user actors learn the conversation's new last message.
	ch.Drain()
	ss := w.rec.takeSends()
	for _, user := range []string{"alice", "bob"} {
		got := sendsTo(ss, KindUser, user)
		if len(got) == 0 || got[len(got)-1].(*messages.ConversationTouched).LastSeq != 1 {
			t.Fatalf("%s's user actor told %v", user, got)
		}
	}
	if got := sendsTo(ss, KindUser, "carol"); len(got) != 0 {
		t.Fatalf("carol's user actor told %v", got)
	}

	// carol invited: the community tells the channel, and she gets the next message.
	g.mustCall("alice", "inviteUsersIntoCommunityChannel", &messages.CommunityChannelUsersParams{ChannelID: "secret", UserIDs: []string{"carol"}}, nil)
	w.forward(KindChannel, "club/secret", ch)
	w.rec.takePushes()
	ch.send("bob", "welcome")
	_, conns = pushesOf(t, w.rec.takePushes(), "communityChannelMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	var all []uint64
	for _, c := range conns {
		all = append(all, c...)
	}
	slices.Sort(all)
	if !slices.Equal(all, []uint64{10, 20, 30}) {
		t.Fatalf("pushed to %v", all)
	}
	// carol goes offline: no more pushes to her.
	g.Tell(&messages.CommunityMemberPresence{UserID: "carol"})
	w.forward(KindChannel, "club/secret", ch)
	ch.send("bob", "again")
	_, conns = pushesOf(t, w.rec.takePushes(), "communityChannelMessageReceived", func() *messages.ConversationMessageReceivedEvent { return &messages.ConversationMessageReceivedEvent{} })
	for _, c := range conns {
		if slices.Contains(c, 30) {
			t.Fatalf("pushed to offline carol: %v", conns)
		}
	}

	// Dismissed (the community's sync forwarded): the live actor refuses at once.
	g.mustCall("alice", "dismissCommunityChannel", &messages.CommunityChannelIDParams{ChannelID: "secret"}, nil)
	w.forward(KindChannel, "club/secret", ch)
	wantCode(t, ch.call("bob", "sendMessage", textParams("after"), nil), ErrChannelNotExist)
	_, err := ch.history("bob", 10, 0, false)
	wantCode(t, err, ErrChannelNotExist)
}

func TestUnitChannelMuteExpiry(t *testing.T) {
	w := newUnitWorld(t)
	g, _ := w.community("club", "alice", "bob", "carol")
	g.mustCall("alice", "setCommunityMemberRole", &messages.CommunitySetMemberRoleParams{ForUserID: "carol", Role: 100}, nil)
	g.newChannel("alice", "news", 0)
	ch := w.grain(KindChannel, "club/news")
	w.rec.takeSends()
	muteChannel := func(cfg *messages.CommunityChannelMuteConfig) {
		t.Helper()
		g.mustCall("alice", "muteCommunityChannels", &messages.CommunityMuteChannelsParams{IsMute: true, ChannelIDs: []string{"news"}, Config: cfg}, nil)
		if n := w.forward(KindChannel, "club/news", ch); n != 1 {
			t.Fatalf("%d syncs for the mute", n)
		}
	}
	sends := func(user string, want *CodeError) {
		t.Helper()
		err := ch.call(user, "sendMessage", textParams("from "+user), nil)
		if want == nil {
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			return
		}
		wantCode(t, err, want)
	}

	// NORMAL for 60 s: ordinary members and custom roles, not the owner.
	muteChannel(&messages.CommunityChannelMuteConfig{Mode: MuteNormal, Duration: 60})
	sends("bob", ErrSenderMuted)
	sends("carol", ErrSenderMuted)
	sends("alice", nil)
	w.now = w.now.Add(59 * time.Second)
	sends("bob", ErrSenderMuted)
	w.now = w.now.Add(time.Second)
	sends("bob", nil)
	sends("carol", nil)

	// ALL, permanently: the owner too, across a reactivation of the channel.
	muteChannel(&messages.CommunityChannelMuteConfig{Mode: MuteAll, Duration: -1})
	sends("alice", ErrSenderMuted)
	w.now = w.now.Add(1000 * time.Hour)
	ch = w.grain(KindChannel, "club/news")
	sends("alice", ErrSenderMuted)
	sends("bob", ErrSenderMuted)

	// CUSTOM: the listed roles only.
	muteChannel(&messages.CommunityChannelMuteConfig{Mode: MuteCustom, Duration: 120, Roles: []int32{100, RoleOwner}})
	sends("alice", ErrSenderMuted)
	sends("carol", ErrSenderMuted)
	sends("bob", nil)
	w.now = w.now.Add(2 * time.Minute)
	sends("alice", nil)
	sends("carol", nil)

	// A member mute reaches an online member's channel by sync, and ends on time too.
	g.online("bob", 20)
	w.forward(KindChannel, "club/news", ch)
	g.mustCall("alice", "muteCommunityMembers", &messages.CommunityMuteMembersParams{IsMute: true, UserIDs: []string{"bob"}, Config: &messages.CommunityMemberMuteConfig{Duration: 30}}, nil)
	if n := w.forward(KindChannel, "club/news", ch); n != 1 {
		t.Fatalf("%d syncs for the member mute", n)
	}
	sends("bob", ErrSenderMuted)
	sends("carol", nil)
	w.now = w.now.Add(30 * time.Second)
	sends("bob", nil)

	// What was sent is stored densely, refused sends left no gap.
	list, err := ch.history("alice", 100, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range list {
		if m.MessageSeq != int64(i+1) {
			t.Fatalf("seq %d at %d", m.MessageSeq, i)
		}
	}
	if got := msgTexts(list); got != "from alice,from bob,from carol,from bob,from alice,from carol,from carol,from bob" {
		t.Fatalf("history %q", got)
	}
}
