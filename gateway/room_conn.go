package gateway

import (
	"sort"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// The rooms of a session. A connection remembers the rooms it joined (c.rooms, guarded by
// c.mu) for three things: the joined-rooms limit (actors.RoomLimits.JoinedRooms, per login
// session: in ZIM a device's rooms are its own, see leaveAllRoom), leaveAllRoom, and
// telling the room actors when the connection closes or logs out.

// sessionRooms are a session's rooms (at most RoomLimits.JoinedRooms, 5 by default): a
// short slice costs an idle connection less than a map.
type sessionRooms []sessionRoom

type sessionRoom struct {
	id     string
	joined bool // false: join in flight
}

func (rs sessionRooms) find(roomID string) int {
	for i := range rs {
		if rs[i].id == roomID {
			return i
		}
	}
	return -1
}

func (rs *sessionRooms) remove(roomID string) {
	if i := rs.find(roomID); i >= 0 {
		last := len(*rs) - 1
		(*rs)[i] = (*rs)[last]
		(*rs)[last] = sessionRoom{}
		*rs = (*rs)[:last]
	}
}

// reserveRoom marks roomID as being joined, within the limit. replacing is a room the same
// operation leaves (switchRoom), not counted.
func (c *conn) reserveRoom(roomID, replacing string) error {
	limit := c.srv.rt.Limits().Room.JoinedRooms
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rooms.find(roomID) >= 0 {
		return actors.ErrRoomAlreadyIn
	}
	n := len(c.rooms)
	if replacing != "" && c.rooms.find(replacing) >= 0 {
		n--
	}
	if n >= limit {
		return actors.ErrRoomJoinedLimit
	}
	c.rooms = append(c.rooms, sessionRoom{id: roomID})
	return nil
}

// joinDone settles a reservation: joined, or released. A reservation that the session
// dropped meanwhile (logout, close) stays dropped: the room actor had the close after
// the join.
func (c *conn) joinDone(roomID string, joined bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := c.rooms.find(roomID)
	switch {
	case i < 0:
	case joined:
		c.rooms[i].joined = true
	default:
		c.rooms.remove(roomID)
	}
}

// inRoom reports whether the session joined roomID.
func (c *conn) inRoom(roomID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := c.rooms.find(roomID)
	return i >= 0 && c.rooms[i].joined
}

func (c *conn) forgetRoom(roomID string) {
	c.mu.Lock()
	c.rooms.remove(roomID)
	c.mu.Unlock()
}

// joinedRooms lists the rooms the session joined, sorted.
func (c *conn) joinedRooms() []string {
	c.mu.Lock()
	out := make([]string, 0, len(c.rooms))
	for _, r := range c.rooms {
		if r.joined {
			out = append(out, r.id)
		}
	}
	c.mu.Unlock()
	sort.Strings(out)
	return out
}

// leaveRooms ends the session's room memberships: at once (leave: logout), or — the
// connection dropped — after the rooms' grace period unless the user joins again. Joins
// still in flight are included: their actor gets this after the join. The node's fan-out
// actor forgets the connection too, in case a room's actor is gone.
func (c *conn) leaveRooms(leave bool) {
	c.mu.Lock()
	rooms := c.rooms
	c.rooms = nil
	c.mu.Unlock()
	if len(rooms) == 0 {
		return
	}
	ref := c.ref()
	node := c.srv.rt.Node()
	for _, r := range rooms {
		id := r.id
		c.srv.rt.Send(actors.KindRoom, id, &messages.RoomConnClosed{Conn: ref, Leave: leave})
		node.SendProcess(node.Address(), actors.FanoutActorName, &messages.RoomFanout{RoomID: id, Remove: []uint64{c.id}})
	}
}
