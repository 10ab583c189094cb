//go:build !race

// The protoactor cluster races internally when several members run in one process
// (notes/protoactor.md), so these tests stay out of -race runs.

package gateway_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// startCluster starts n members sharing one store (standing in for the shared backend a
// multi-node deployment uses) and one in-memory discovery agent.
func startCluster(t *testing.T, n int) []*gateway.Node {
	t.Helper()
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir(), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	members := runtime.InProcess()
	var nodes []*gateway.Node
	for i := 0; i < n; i++ {
		node, err := gateway.StartNode(store,
			actors.Config{Logger: testLogger(), Members: members, NodeID: i + 1},
			gateway.Config{AppID: testAppID, Secret: testSecret, Logger: testLogger()}, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, node)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, n := range nodes {
			_ = n.Shutdown(c)
		}
	})
	eventually(t, "members see each other", func() bool {
		for _, a := range nodes {
			for _, b := range nodes {
				if _, err := a.Runtime.Locate(actors.KindUser, fmt.Sprintf("probe-%s", b.Runtime.Address())); err != nil {
					return false
				}
			}
		}
		return true
	})
	return nodes
}

func TestClusterPeerActorOnTheOtherMember(t *testing.T) {
	nodes := startCluster(t, 2)
	a, b := nodes[0], nodes[1]
	// Find a pair whose peer actor is placed on member B.
	var u1, u2 string
	for i := 0; i < 200 && u1 == ""; i++ {
		x, y := fmt.Sprintf("ann%d", i), fmt.Sprintf("ben%d", i)
		addr, err := a.Runtime.Locate(actors.KindPeer, actors.PeerIdentity(x, y))
		if err != nil {
			t.Fatal(err)
		}
		if addr == b.Runtime.Address() {
			u1, u2 = x, y
		}
	}
	if u1 == "" {
		t.Fatal("no pair placed on member B")
	}
	ann := loginAt(t, a.URL(), u1, false, 0)
	ben := loginAt(t, b.URL(), u2, true, 0)
	for i := 1; i <= 5; i++ {
		sent, err := ann.SendText(ctx(t), fmt.Sprintf("hop %d", i), u2, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sent.MessageSeq != int64(i) {
			t.Fatalf("seq %d, want %d", sent.MessageSeq, i)
		}
		ben.rec.wait(t, "peerMessageReceived", isPeerText(fmt.Sprintf("hop %d", i)))
	}
	if _, err := ben.SendText(ctx(t), "back", u1, 0); err != nil {
		t.Fatal(err)
	}
	ann.rec.wait(t, "peerMessageReceived", isPeerText("back"))
	hist, err := ann.QueryHistoryMessage(ctx(t), u2, 0, &m.MessageQueryConfig{Count: 10})
	if err != nil || len(hist.MessageList) != 6 {
		t.Fatalf("history across members: %v %v", hist, err)
	}
	if n := ben.rec.count("peerMessageReceived", nil); n != 5 {
		t.Fatalf("ben got %d pushes, want exactly 5", n)
	}
}

// A community whose community and channel actors live on different members, with its
// members connected to different members: joins, channel messages and unread counts
// cross the cluster.
func TestClusterCommunity(t *testing.T) {
	nodes := startCluster(t, 2)
	a, b := nodes[0], nodes[1]
	// A community placed on member A whose GENERAL channel is on member B is not
	// predictable (the channel ID is server-made): use a public channel with a chosen ID.
	var cid string
	for i := 0; i < 200 && cid == ""; i++ {
		id := fmt.Sprintf("club%d", i)
		ca, _ := a.Runtime.Locate(actors.KindCommunity, id)
		cb, _ := a.Runtime.Locate(actors.KindChannel, actors.ChannelConversationID(id, "talk"))
		if ca == a.Runtime.Address() && cb == b.Runtime.Address() {
			cid = id
		}
	}
	if cid == "" {
		t.Fatal("no placement with the community on A and the channel on B")
	}
	ann := loginAt(t, a.URL(), "ann", false, 0)
	ben := loginAt(t, b.URL(), "ben", true, 0)
	_, err := ann.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: cid}, nil)
	gOK(t, "create", err)
	talk, err := ann.CreateCommunityChannel(ctx(t), &m.CommunityChannelInfo{ChannelID: "talk"}, nil, cid)
	gOK(t, "create channel", err)
	_, err = ben.JoinCommunity(ctx(t), cid)
	gOK(t, "join", err)
	ben.rec.wait(t, "communityListChanged", func(p proto.Message) bool {
		return p.(*m.CommunityListChangedEvent).ChangeInfoList[0].Action == actors.ListAdded
	})
	_, err = ann.SendText(ctx(t), "across", talk.ConversationID, actors.ConvChannel)
	gOK(t, "send", err)
	ben.rec.wait(t, "communityChannelMessageReceived", channelText(talk.ConversationID, "across"))
	eventually(t, "ben's unread count", func() bool {
		c, err := ben.QueryConversation(ctx(t), talk.ConversationID, actors.ConvChannel)
		return err == nil && c.UnreadMessageCount == 1
	})
}
