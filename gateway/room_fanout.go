package gateway

import (
	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Room message priorities the writer may drop (writer.go enqueuePriority).
const (
	priorityLow    = actors.PriorityLow
	priorityMedium = actors.PriorityMedium
)

// roomHub is the fan-out actor's list of this node's connections of every room. The room
// actor keeps it up to date with RoomFanout messages, sent in order with its
// RoomDelivers, so a push reaches exactly the connections that were members when it was
// sent — and the room actor never sends (or copies) connection lists. Only the fan-out
// actor's goroutine touches it.
type roomHub map[string]*roomConns

// roomConns are one room's connections on this node: an index-backed slice, so adding
// and removing are O(1) and a push walks a dense slice.
type roomConns struct {
	epoch uint64 // the room incarnation the list belongs to
	list  []*conn
	pos   map[uint64]int // connection ID → index in list
}

func (rc *roomConns) add(c *conn) {
	if _, in := rc.pos[c.id]; in {
		return
	}
	rc.pos[c.id] = len(rc.list)
	rc.list = append(rc.list, c)
}

func (rc *roomConns) remove(id uint64) {
	i, in := rc.pos[id]
	if !in {
		return
	}
	last := len(rc.list) - 1
	moved := rc.list[last]
	rc.list[i] = moved
	rc.pos[moved.id] = i
	rc.list[last] = nil
	rc.list = rc.list[:last]
	delete(rc.pos, id)
}

// roomMessage handles the room messages of the fan-out actor; false for any other.
func (f *fanout) roomMessage(msg any) bool {
	switch m := msg.(type) {
	case *messages.RoomFanout:
		f.roomUpdate(m)
	case *messages.RoomDeliver:
		f.roomDeliver(m)
	default:
		return false
	}
	return true
}

// roomUpdate applies a room actor's change to the room's local connections. A larger
// epoch (the room was created again, e.g. after its actor's node was lost) replaces the
// list; a smaller one is from an incarnation that no longer exists. Epoch 0 (a closing
// connection cleaning up after itself) removes from any.
func (f *fanout) roomUpdate(m *messages.RoomFanout) {
	if f.rooms == nil {
		f.rooms = roomHub{}
	}
	rc := f.rooms[m.RoomID]
	switch {
	case m.Epoch == 0:
		if rc == nil {
			return
		}
	case rc != nil && rc.epoch > m.Epoch:
		return
	case rc == nil || rc.epoch < m.Epoch:
		rc = &roomConns{epoch: m.Epoch, pos: map[uint64]int{}}
		f.rooms[m.RoomID] = rc
	}
	for _, id := range m.Remove {
		rc.remove(id)
	}
	for _, id := range m.Add {
		if c := f.reg.get(id); c != nil { // a connection that closed meanwhile is gone
			rc.add(c)
		}
	}
	if len(rc.list) == 0 {
		delete(f.rooms, m.RoomID)
	}
}

// roomDeliver hands one room push to the room's local connections: encoded and framed at
// most once per codec (decoded at most once for in-process connections), the same bytes
// queued to each.
func (f *fanout) roomDeliver(d *messages.RoomDeliver) {
	rc := f.rooms[d.RoomID]
	if rc == nil || rc.epoch != d.Epoch || d.Push == nil {
		return
	}
	var frames [2][]byte
	var failed [2]bool
	var enc encodedPush // for in-process connections
	var queued int64
	list := rc.list
	if len(d.OnlyConnIDs) > 0 {
		list = make([]*conn, 0, len(d.OnlyConnIDs))
		for _, id := range d.OnlyConnIDs {
			if i, in := rc.pos[id]; in {
				list = append(list, rc.list[i])
			}
		}
	}
	except := exceptSet(d)
	for _, c := range list {
		if c.id == d.ExceptConnID || except.has(c.id) {
			continue
		}
		if c.sink != nil {
			if evs := enc.events(f.log, d.Push.Event, d.Push.Type, d.Push.Data); evs != nil {
				c.pushLocal(evs, d.Priority)
			}
			continue
		}
		cd := c.codec
		if frames[cd] == nil {
			if failed[cd] {
				continue
			}
			b, err := cd.pushFrame(d.Push)
			if err != nil {
				f.log.Error("encode push", "event", d.Push.Event, "err", err)
				failed[cd] = true
				continue
			}
			frames[cd] = frame(c.msgType, b)
		}
		if c.enqueuePriority(frames[cd], d.Priority) {
			queued++
		}
	}
	f.metrics.pushes.Add(queued)
}

// connSet is a small set of connection IDs: a slice while it is short, a map beyond.
type connSet struct {
	ids []uint64
	m   map[uint64]struct{}
}

func exceptSet(d *messages.RoomDeliver) connSet {
	if len(d.ExceptConnIDs) <= 8 {
		return connSet{ids: d.ExceptConnIDs}
	}
	m := make(map[uint64]struct{}, len(d.ExceptConnIDs))
	for _, id := range d.ExceptConnIDs {
		m[id] = struct{}{}
	}
	return connSet{m: m}
}

func (s connSet) has(id uint64) bool {
	if s.m != nil {
		_, in := s.m[id]
		return in
	}
	for _, x := range s.ids {
		if x == id {
			return true
		}
	}
	return false
}
