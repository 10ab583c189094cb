package gateway_test

import (
	"fmt"
	"sync"
	"testing"

	m "github.com/parley-chat/parley/messages"
)

// A join storm over real WebSockets: 60 users enter one room at once, then two of them
// send a message. Every pair of members is announced exactly one way round (the one
// that entered first hears of the other: a member never hears of itself or of a member
// that was in before it, and nobody is missed), every announcement comes before the
// message, and the announcements came in fewer notices than joins (coalesced).
func TestRoomJoinStormNoticesExact(t *testing.T) {
	e := startRoomEnv(t, false)
	const n = 60
	users := make([]*session, n)
	for i := range users {
		users[i] = e.user(t, fmt.Sprintf("st-%02d", i), i%2 == 0, 0)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, s := range users {
		wg.Add(1)
		go func(s *session) {
			defer wg.Done()
			if _, err := s.EnterRoom(ctx(t), room("storm", "s"), nil); err != nil {
				errs <- fmt.Errorf("%s: %w", s.user, err)
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Two members send (the sender does not get its own message; its reply may overtake
	// the notices, which come through the room).
	for _, s := range users[:2] {
		_, err := s.SendRoomMessage(ctx(t), &m.Message{Type: 1, Message: "after the storm"}, "storm", 3)
		noErr(t, "send", err)
	}

	heard := make([]map[string]bool, n) // heard[i]: the members announced to i before the message
	notices := 0
	for i, s := range users {
		s.rec.wait(t, "roomMessageReceived", roomText("storm", "after the storm"))
		heard[i] = map[string]bool{}
		s.rec.mu.Lock()
		for _, ev := range s.rec.events {
			if ev.name == "roomMessageReceived" {
				break
			}
			if ev.name != "roomMemberJoined" {
				continue
			}
			notices++
			for _, u := range ev.msg.(*m.RoomMemberChangedEvent).MemberList {
				if heard[i][u.UserID] {
					t.Errorf("%s heard %s join twice", s.user, u.UserID)
				}
				heard[i][u.UserID] = true
			}
		}
		s.rec.mu.Unlock()
		if heard[i][s.user] {
			t.Errorf("%s was told of its own join", s.user)
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a, b := heard[i][users[j].user], heard[j][users[i].user]
			if a == b {
				t.Errorf("%s and %s: heard of each other %v / %v, want exactly one way", users[i].user, users[j].user, a, b)
			}
		}
	}
	if pairs := n * (n - 1) / 2; notices >= pairs {
		t.Errorf("%d roomMemberJoined notices for %d joins: not coalesced", notices, pairs)
	}
	t.Logf("%d joins announced to the room in %d notices (uncoalesced: %d)", n, notices, n*(n-1)/2)
}
