package actors

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Member notices. ZIM's roomMemberJoined and roomMemberLeft carry a member list, and a
// room sends them coalesced: the first join (or leave) after a quiet interval goes out at
// once; those that follow within RoomConfig.NoticeInterval gather into one notice, sent
// when the interval ends, when NoticeUsers members have gathered, when a change of the
// other kind comes (a leave after joins), or before any other push of the room. So a
// storm of n joins costs O(n) pushes per interval instead of n²/2, and the order every
// member sees is still the order the room saw: a member announced joined or left is so
// before any room message, attribute change or other notice the room sent after the
// change. What each member is told is exact: the members that joined (left) after it
// joined, never itself.

// noticeRun is the member changes gathered for the next notice: joins or leaves, in
// order.
type noticeRun struct {
	left  bool
	users []*roomMember
}

// memberChanged announces m's join (left: its leave) to the other members, now or with
// the changes that follow it within the notice interval.
func (r *roomActor) memberChanged(g *grain, m *roomMember, left bool) {
	cfg := g.rt.cfg.Rooms
	if r.notices != nil && r.notices.left != left {
		r.flushNotices(g)
	}
	now := g.Now()
	if r.notices == nil && now.Sub(r.noticeSent) >= cfg.NoticeInterval {
		// Quiet room: at once. A joiner's connections are not in the fan-out yet.
		if r.deliver(g, memberEvent(r.id, left, []*roomMember{m}), 0, nil, nil) {
			r.noticeSent = now
		}
		return
	}
	if r.notices == nil {
		r.notices = &noticeRun{left: left}
		r.gen++
		r.noticeGen = r.gen
		g.After(max(cfg.NoticeInterval-now.Sub(r.noticeSent), time.Millisecond),
			&messages.RoomTimer{Kind: roomTimerNotices, Generation: r.gen})
	}
	r.notices.users = append(r.notices.users, m)
	if len(r.notices.users) >= cfg.NoticeUsers {
		r.flushNotices(g)
	}
}

// flushNotices sends the gathered member changes, if any. Leaves go to every member
// connection (the leavers have none). Joins go whole to every connection but the
// joiners', and each joiner gets the joins after its own.
func (r *roomActor) flushNotices(g *grain) {
	run := r.notices
	if run == nil {
		return
	}
	r.notices, r.noticeGen, r.noticeSent = nil, 0, g.Now()
	if run.left {
		r.deliver(g, memberEvent(r.id, true, run.users), 0, nil, nil)
		return
	}
	except := map[string][]uint64{}
	for _, m := range run.users {
		for _, k := range m.conns {
			except[k.node] = append(except[k.node], k.id)
		}
	}
	// One encoding (member_notices.go's memberRun: the list first, so each joiner's part
	// is a suffix of it).
	enc := &memberRun{}
	infos := make([]proto.Message, len(run.users))
	for i, m := range run.users {
		infos[i] = m.info()
	}
	enc.add(2, &messages.RoomMemberChangedEvent{RoomID: r.id}, infos) // memberList = 2
	push := func(i int) *messages.Push {
		return &messages.Push{Event: messages.EventRoomMemberJoined.Name, Type: memberEventType, Data: enc.data(i)}
	}
	r.deliverPush(g, push(0), 0, nil, except)
	for i, m := range run.users[:len(run.users)-1] {
		if len(m.conns) > 0 {
			r.deliverTo(g, push(i+1), m.conns)
		}
	}
}

var memberEventType = string((&messages.RoomMemberChangedEvent{}).ProtoReflect().Descriptor().FullName())

// noticesDue is the notice interval's timer.
func (r *roomActor) noticesDue(g *grain, generation uint64) {
	if r.noticeGen == generation {
		r.flushNotices(g)
	}
}

func memberEvent(roomID string, left bool, users []*roomMember) messages.Pushed {
	list := make([]*messages.UserInfo, len(users))
	for i, m := range users {
		list[i] = m.info()
	}
	ev := &messages.RoomMemberChangedEvent{RoomID: roomID, MemberList: list}
	if left {
		return messages.EventRoomMemberLeft.With(ev)
	}
	return messages.EventRoomMemberJoined.With(ev)
}
