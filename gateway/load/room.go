package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// runRoom: Conns members split over Rooms rooms; the first Senders members of each room
// send to it, and every other member's connection must get each message exactly once.
func runRoom(ctx context.Context, cfg Config) (*Result, error) {
	rooms := max(cfg.Rooms, 1)
	per := cfg.Conns / rooms
	if per < 2 {
		return nil, fmt.Errorf("load: room needs at least 2 members per room")
	}
	senders := min(max(cfg.Senders, 1), per)
	n := per * rooms
	name := func(i int) string { return cfg.Prefix + "r" + strconv.Itoa(i) }
	roomOf := func(i int) int { return i / per }
	roomID := func(r int) string { return cfg.Prefix + "room" + strconv.Itoa(r) }
	joinStart := time.Now()
	sessions, closeAll, err := loginAll(ctx, cfg, n, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	loggedIn := time.Now()
	if err := enterRooms(cfg, sessions, func(i int) string { return roomID(roomOf(i)) }); err != nil {
		return nil, err
	}
	entered := time.Now()
	// The join storm has settled when the warm-up (one message per sender, delivered
	// to every member behind the member notices queued before it) is through.
	var settled time.Time
	onMeasure := cfg.OnMeasure
	cfg.OnMeasure = func() {
		settled = time.Now()
		if onMeasure != nil {
			onMeasure()
		}
	}
	var sendSessions []*session
	var senderIndex []int // sender → session index
	for r := 0; r < rooms; r++ {
		for k := 0; k < senders; k++ {
			sendSessions = append(sendSessions, sessions[r*per+k])
			senderIndex = append(senderIndex, r*per+k)
		}
	}
	if cfg.Priority == 0 {
		cfg.Priority = 3 // high: never dropped silently, so any loss is a real loss
	}
	res, err := runSenders(ctx, cfg, "room", sendSessions, sessions, func(si int) (string, int32, []int) {
		me := senderIndex[si]
		r := roomOf(me)
		recv := make([]int, 0, per-1)
		for j := r * per; j < (r+1)*per; j++ {
			if j != me {
				recv = append(recv, j)
			}
		}
		return roomID(r), 1, recv
	}, messages.EventRoomMessageReceived.Name)
	if res != nil {
		res.Extra = map[string]any{"rooms": rooms, "members_per_room": per, "senders_per_room": senders,
			"login_s": loggedIn.Sub(joinStart).Seconds(), "enter_s": entered.Sub(loggedIn).Seconds(),
			"join_s": entered.Sub(joinStart).Seconds()}
		if cfg.Warmup && !settled.IsZero() {
			res.Extra["join_settled_s"] = settled.Sub(joinStart).Seconds()
		}
	}
	return res, err
}

// enterRooms enters each session into its room (roomOf(i)), Concurrency at a time.
func enterRooms(cfg Config, sessions []*session, roomOf func(i int) string) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, max(cfg.Concurrency, 1))
	for i, s := range sessions {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, s *session) {
			defer wg.Done()
			defer func() { <-sem }()
			err := s.call(2, messages.MethodEnterRoom.Name, &messages.RoomCreateParams{RoomInfo: &messages.RoomInfo{RoomID: roomOf(i)}})
			if err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
			}
		}(i, s)
	}
	wg.Wait()
	return firstErr
}

// call sends one request on a session whose reader is not running yet and waits for
// its reply (pushes before it are skipped).
func (s *session) call(id uint32, method string, params proto.Message) error {
	if err := s.c.write(request(id, method, params)); err != nil {
		return err
	}
	for {
		f, err := s.c.read()
		if err != nil {
			return err
		}
		if len(f.event) == 0 && f.id == id {
			if f.code != 0 {
				return fmt.Errorf("%s %s: code %d", method, s.user, f.code)
			}
			return nil
		}
	}
}
