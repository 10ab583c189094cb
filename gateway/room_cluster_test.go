//go:build !race

// The protoactor cluster races internally when several members run in one process
// (notes/protoactor.md), so these tests stay out of -race runs.

package gateway_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// A room split across a two-member cluster: its actor runs on member B, its members are
// connected to both members (one user on both, from two devices). Every message reaches
// every member connection but the sending one exactly once.
func TestClusterRoomAcrossMembers(t *testing.T) {
	nodes := startCluster(t, 2)
	a, b := nodes[0], nodes[1]
	var roomID string
	for i := 0; i < 200 && roomID == ""; i++ {
		id := fmt.Sprintf("split%d", i)
		addr, err := a.Runtime.Locate(actors.KindRoom, id)
		if err != nil {
			t.Fatal(err)
		}
		if addr == b.Runtime.Address() {
			roomID = id
		}
	}
	if roomID == "" {
		t.Fatal("no room placed on member B")
	}
	conns := []*session{
		loginAt(t, a.URL(), "cr-1", false, 0),
		loginAt(t, b.URL(), "cr-2", true, 0),
		loginAt(t, a.URL(), "cr-3", false, 6), // one user, two devices on two members
		loginAt(t, b.URL(), "cr-3", true, 2),
	}
	_, err := conns[0].CreateRoom(ctx(t), room(roomID, "split"), nil)
	noErr(t, "create", err)
	for _, s := range conns[1:] {
		_, err := s.JoinRoom(ctx(t), roomID)
		noErr(t, "join", err)
	}
	conns[0].rec.wait(t, "roomMemberJoined", members(roomID, "cr-2"))
	conns[1].rec.wait(t, "roomMemberJoined", members(roomID, "cr-3"))

	const perConn = 5
	for i, s := range conns {
		for j := 0; j < perConn; j++ {
			_, err := s.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: fmt.Sprintf("c%d-%d", i, j)}, roomID, int32(1+j%3))
			noErr(t, "send", err)
		}
	}
	// Each connection ends up with the others' messages; the last one of each sender
	// arrives after its earlier ones (one path per sender and node), so once every last
	// message is in, any duplicate would be too.
	for i, s := range conns {
		for k := range conns {
			if k != i {
				s.rec.wait(t, "roomMessageReceived", roomText(roomID, fmt.Sprintf("c%d-%d", k, perConn-1)))
			}
		}
	}
	for i, s := range conns {
		for k := range conns {
			for j := 0; j < perConn; j++ {
				text := fmt.Sprintf("c%d-%d", k, j)
				want := 1
				if k == i {
					want = 0
				}
				if n := s.rec.count("roomMessageReceived", roomText(roomID, text)); n != want {
					t.Fatalf("connection %d got %q %d times, want %d", i, text, n, want)
				}
			}
		}
	}
	if n := conns[0].rec.count("roomMessageReceived", func(proto.Message) bool { return true }); n != 3*perConn {
		t.Fatalf("connection 0 got %d room messages, want %d", n, 3*perConn)
	}

	// Leaving across members.
	noErr(t, "leave", conns[1].LeaveRoom(ctx(t), roomID))
	conns[0].rec.wait(t, "roomMemberLeft", members(roomID, "cr-2"))
	count, err := conns[3].QueryRoomOnlineMemberCount(ctx(t), roomID)
	if err != nil || count != 2 {
		t.Fatalf("online members %d %v", count, err)
	}
}
