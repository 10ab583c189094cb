package actors

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Large communities, driven through the in-process API (actor calls, no sockets):
// what an embedding game server does.

type communityRig struct {
	tb     testing.TB
	dir    string
	st     persistence.Store
	rt     *Runtime
	fan    *countingFanout
	conns  map[string]*messages.ConnRef
	limits func(*Limits) // optional changes to the default limits
	// wrap, when set, wraps the store (e.g. to count writes)
	wrap func(persistence.Store) persistence.Store
}

func startCommunityRig(tb testing.TB, record bool) *communityRig {
	r := &communityRig{tb: tb, dir: tb.TempDir(), conns: map[string]*messages.ConnRef{}}
	r.fan = &countingFanout{event: "communityChannelMessageReceived"}
	if record {
		r.fan.delivered = map[string][]uint64{}
	}
	r.start()
	tb.Cleanup(r.stop)
	return r
}

func (r *communityRig) start() {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: r.dir, Logger: log})
	if err != nil {
		r.tb.Fatal(err)
	}
	var store persistence.Store = st
	if r.wrap != nil {
		store = r.wrap(st)
	}
	cfg := Config{Store: store, Logger: log, RequestTimeout: 60 * time.Second, Limits: DefaultLimits()}
	if r.limits != nil {
		r.limits(&cfg.Limits)
	}
	rt, err := Start(cfg)
	if err != nil {
		r.tb.Fatal(err)
	}
	if _, err := rt.Node().Spawn(FanoutActorName, r.fan.receive); err != nil {
		r.tb.Fatal(err)
	}
	r.st, r.rt = st, rt
}

func (r *communityRig) stop() {
	if r.rt == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.rt.Shutdown(ctx)
	_ = r.st.Close()
	r.rt = nil
}

func (r *communityRig) call(kind, id, user, method string, params, result proto.Message) error {
	raw, _ := proto.Marshal(params)
	data, err := r.rt.Call(context.Background(), kind, id, &messages.Call{Method: method, UserID: user, Params: raw, Conn: r.conns[user]})
	if err == nil && result != nil {
		err = proto.Unmarshal(data, result)
	}
	return err
}

func (r *communityRig) must(kind, id, user, method string, params, result proto.Message) {
	r.tb.Helper()
	if err := r.call(kind, id, user, method, params, result); err != nil {
		r.tb.Fatalf("%s by %s: %v", method, user, err)
	}
}

// online registers one connection (ID n) for user.
func (r *communityRig) online(user string, n uint64) {
	conn := &messages.ConnRef{Node: r.rt.Address(), ConnID: n, Platform: 6}
	if _, err := r.rt.Request(context.Background(), KindUser, user, &messages.RegisterDevice{Conn: conn, UserName: user}); err != nil {
		r.tb.Fatal(err)
	}
	r.conns[user] = conn
}

// community creates community id owned by owner with extra public channels (when the
// build serves createCommunityChannel) and imports members.
func (r *communityRig) community(id, owner string, publicChannels int, members []string) []string {
	r.must(KindCommunity, id, owner, "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: id}}, nil)
	for i := 0; i < publicChannels; i++ {
		r.must(KindCommunity, id, owner, "createCommunityChannel", &messages.CommunityChannelCreateParams{
			CommunityID: id, ChannelInfo: &messages.CommunityChannelInfo{ChannelID: fmt.Sprintf("pub%d", i), ChannelName: fmt.Sprintf("public %d", i)},
			Config: &messages.CommunityChannelCreateConfig{ChannelType: ChannelPublic}}, nil)
	}
	for start := 0; start < len(members); start += 10_000 {
		res := &messages.CommunityUsersInvitedResult{}
		r.must(KindCommunity, id, owner, ImportCommunityMembers, &messages.CommunityUsersParams{CommunityID: id, UserIDs: members[start:min(start+10_000, len(members))]}, res)
		if len(res.ErrorUserList) > 0 {
			r.tb.Fatalf("import: %d errors, first %v", len(res.ErrorUserList), res.ErrorUserList[0])
		}
	}
	var convs []string
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = r.st.Scan(ctx, persistence.PrefixRange(keyChannelPrefix(id)), func(_, v []byte) bool {
		ch := &messages.CommunityChannelRecord{}
		_ = proto.Unmarshal(v, ch)
		if ch.ChannelType == ChannelGeneral {
			convs = append([]string{ChannelConversationID(id, ch.ChannelID)}, convs...)
		} else {
			convs = append(convs, ChannelConversationID(id, ch.ChannelID))
		}
		return true
	})
	return convs
}

func userIDs(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("m%06d", from+i)
	}
	return out
}

func (r *communityRig) sendText(conv, user, text string) *messages.Message {
	r.tb.Helper()
	res := &messages.MessageSentResult{}
	r.must(KindChannel, conv, user, "sendMessage", &messages.SendMessageParams{ToConversationID: conv, ConversationType: ConvChannel,
		Message: &messages.Message{Type: MsgText, Message: text}}, res)
	return res.Message
}

func (r *communityRig) waitFor(what string, cond func() bool) {
	r.tb.Helper()
	if !waitUntil(30*time.Second, cond) {
		r.tb.Fatalf("timed out waiting for %s", what)
	}
}

// A community of 100,000 members, 50 of them online: a channel message reaches exactly
// those 50 connections; a join and a leave work without touching the other members;
// an offline member's unread counts are right after a restart.
// bigPublicChannels: public channels besides GENERAL in the large-community test.
var bigPublicChannels = 2

func TestCommunity100kMembers(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 members")
	}
	const members, online = 100_000, 50
	r := startCommunityRig(t, true)
	ids := userIDs(0, members)
	convs := r.community("big", ids[0], bigPublicChannels, ids[1:])
	general := convs[0]
	var info messages.CommunityInfoQueriedResult
	r.must(KindCommunity, "big", ids[0], "queryCommunityInfo", &messages.CommunityIDParams{CommunityID: "big"}, &info)
	if info.CommunityInfo.CurrentMemberCount != members {
		t.Fatalf("member count %d", info.CommunityInfo.CurrentMemberCount)
	}
	// Members 1..50 come online (connection IDs 1..50); the sender, member 0, is not.
	want := make([]uint64, online)
	for i := 1; i <= online; i++ {
		r.online(ids[i], uint64(i))
		want[i-1] = uint64(i)
	}
	// Presence travels user actor -> community -> channel: wait until a probe reaches
	// all 50, then check a message reaches exactly them.
	probe := 0
	r.waitFor("50 online channel members", func() bool {
		probe++
		r.sendText(general, ids[0], fmt.Sprintf("probe %d", probe))
		return len(r.fan.got(fmt.Sprintf("probe %d", probe))) == online
	})
	r.sendText(general, ids[0], "to the 50")
	r.waitFor("the message's deliveries", func() bool { return len(r.fan.got("to the 50")) >= online })
	if got := r.fan.got("to the 50"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("delivered to %v, want exactly %v", got, want)
	}
	// A message in a public channel also reaches exactly them.
	for _, conv := range convs[1:] {
		r.sendText(conv, ids[0], "public "+conv)
		r.waitFor("public deliveries", func() bool { return len(r.fan.got("public "+conv)) >= online })
		if got := r.fan.got("public " + conv); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("public channel delivered to %v", got)
		}
	}

	// Join and leave: the community is full (100,000 is the default limit) until one leaves.
	if err := r.call(KindCommunity, "big", "newcomer", "joinCommunity", &messages.CommunityIDParams{CommunityID: "big"}, nil); codeOfErr(err) != ErrCommunityFull.Code {
		t.Fatalf("join into a full community: %v", err)
	}
	r.must(KindCommunity, "big", ids[7], "leaveCommunity", &messages.CommunityIDParams{CommunityID: "big"}, nil)
	r.must(KindCommunity, "big", "newcomer", "joinCommunity", &messages.CommunityIDParams{CommunityID: "big"}, nil)
	r.must(KindCommunity, "big", ids[0], "queryCommunityInfo", &messages.CommunityIDParams{CommunityID: "big"}, &info)
	if info.CommunityInfo.CurrentMemberCount != members {
		t.Fatalf("member count after a join and a leave: %d", info.CommunityInfo.CurrentMemberCount)
	}
	if err := r.call(KindChannel, general, ids[7], "sendMessage", &messages.SendMessageParams{ToConversationID: general, ConversationType: ConvChannel,
		Message: &messages.Message{Type: MsgText, Message: "gone"}}, nil); err == nil {
		t.Fatal("a member who left could still send")
	}
	r.sendText(general, "newcomer", "hi all")

	// Member 60 (offline, imported before any message) has every general message unread;
	// the newcomer only what came after its join (none but its own).
	sent := int64(probe + 2)
	r.stop()
	r.start()
	conv := func(user string) *messages.Conversation {
		res := &messages.ConversationQueriedResult{}
		r.must(KindUser, user, user, "queryConversation", &messages.ConversationRef{ConversationID: general, ConversationType: ConvChannel}, res)
		return res.Conversation
	}
	if c := conv(ids[60]); c.UnreadMessageCount != sent || c.NotificationStatus != NotifyDND {
		t.Fatalf("member 60 after restart: unread %d (want %d), status %d", c.UnreadMessageCount, sent, c.NotificationStatus)
	}
	if c := conv("newcomer"); c.UnreadMessageCount != 0 {
		t.Fatalf("newcomer after restart: unread %d, want 0", c.UnreadMessageCount)
	}
	var list messages.CommunityListQueriedResult
	r.must(KindUser, ids[60], ids[60], "queryCommunityList", &messages.CommunityListQueryParams{Count: 10}, &list)
	if len(list.CommunityList) != 1 || list.CommunityList[0].UnreadMessageCount != 0 {
		t.Fatalf("community list %v: channels are DND by default, so the community counts 0", list.CommunityList)
	}
}

func codeOfErr(err error) int32 {
	code, _ := Reply(err)
	return code
}
