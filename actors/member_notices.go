package actors

import (
	"slices"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Coalesced member notices of groups and communities (groupMemberStateChanged,
// communityMemberStateChanged), the way rooms coalesce theirs (room_notices.go): the
// first member change after a quiet interval goes out at once; the changes of the same
// kind (state, event and operator; a join or leave the user made itself counts as one
// kind whoever made it) that follow within RoomConfig.NoticeInterval gather into one
// notice with a user list, sent when the interval ends, when RoomConfig.NoticeUsers
// users have gathered (a change that would pass that goes in the next notice), when a
// change of another kind comes, before a member that is online leaves (it hears every
// change before its own leave), when a member's known connections grow, or before ANY
// other push of the owner (every push goes through its onlineSet, whose before hook
// flushes). The store write and the reply of each change
// stay per call; only the notice to the other online members is deferred.
//
// Each online member hears exactly what it heard when every change was pushed at once:
// the changes made while it was online (the owner knew its connections). A member that
// came online during a run (a joiner whose user actor reported its devices after the
// join, say) gets the notice of the changes after that moment, which is a suffix of
// the run's user list: the list is encoded first and the event's other fields after it
// (protobuf fields may come in any order), so a suffix costs no encoding.

// noticeKind is what a run's changes share.
type noticeKind struct {
	state, event int32
	operator     string // "" for changes each user made itself
}

// memberRun is the member changes gathered for the next notice.
type memberRun struct {
	kind    noticeKind
	head    []byte         // the event without its user list (owner ID, state, event, operator)
	list    []byte         // the user list's encoded entries, in order
	offsets []int          // where each user's entry starts in list
	full    []byte         // list and head, made by data
	from    map[string]int // members that came online during the run: the first user they hear of
}

// memberNotices is one owner's coalesced member notices. Only its owner actor may use it.
type memberNotices struct {
	event  string           // the push's event name, e.g. groupMemberStateChanged
	typ    string           // the push's payload type
	field  protowire.Number // the payload's user list field
	online *onlineSet
	run    *memberRun
	gen    uint64    // generation of the current run's timer
	sent   time.Time // when the last notice went out
}

func newMemberNotices(event messages.Pushed, field protowire.Number, online *onlineSet) *memberNotices {
	return &memberNotices{
		event: event.Name, typ: string(event.Payload.ProtoReflect().Descriptor().FullName()),
		field: field, online: online,
	}
}

// attach makes every push through online flush the gathered notices first.
func (n *memberNotices) attach(g *grain, online *onlineSet) {
	n.online = online
	online.before = func() { n.flush(g) }
}

// changed announces a member change: users (member infos, in order) changed state by
// event; head is the event with an empty user list. operator made the change; self says
// each user made its own.
func (n *memberNotices) changed(g *grain, head proto.Message, state, event int32, operator string, self bool, users []proto.Message) {
	if len(users) == 0 {
		return
	}
	cfg := g.rt.cfg.Rooms
	kind := noticeKind{state: state, event: event, operator: operator}
	if self {
		kind.operator = ""
	}
	if n.run != nil && (n.run.kind != kind || len(n.run.offsets)+len(users) > cfg.NoticeUsers) {
		n.flush(g) // another kind, or the notice would hold too many users
	}
	now := g.Now()
	if n.run == nil && now.Sub(n.sent) >= cfg.NoticeInterval {
		// Quiet: at once.
		if n.online.len() > 0 {
			run := &memberRun{kind: kind}
			run.add(n.field, head, users)
			n.online.push(g.rt, n.push(run.data(0)), "")
			n.sent = now
		}
		return
	}
	if n.run == nil {
		n.run = &memberRun{kind: kind}
		n.gen++
		g.After(max(cfg.NoticeInterval-now.Sub(n.sent), time.Millisecond), &messages.MemberNoticesDue{Generation: n.gen})
	}
	n.run.add(n.field, head, users)
	if len(n.run.offsets) >= cfg.NoticeUsers {
		n.flush(g)
	}
}

// add appends users to the run (the first change's head is the run's).
func (r *memberRun) add(field protowire.Number, head proto.Message, users []proto.Message) {
	if r.head == nil {
		r.head, _ = proto.Marshal(head)
	}
	for _, u := range users {
		r.offsets = append(r.offsets, len(r.list))
		entry, _ := proto.Marshal(u)
		r.list = protowire.AppendTag(r.list, field, protowire.BytesType)
		r.list = protowire.AppendBytes(r.list, entry)
	}
}

// data is the notice of the run's users from the i-th on: a suffix of one buffer (the
// list, then the head), shared by every part.
func (r *memberRun) data(i int) []byte {
	if len(r.full) != len(r.list)+len(r.head) {
		r.full = append(r.list[:len(r.list):len(r.list)], r.head...)
	}
	return r.full[r.offsets[i]:]
}

func (n *memberNotices) push(data []byte) *messages.Push {
	return &messages.Push{Event: n.event, Type: n.typ, Data: data}
}

// due is the run's timer.
func (n *memberNotices) due(g *grain, generation uint64) {
	if n.run != nil && n.gen == generation {
		n.flush(g)
	}
}

// flush sends the gathered changes, if any: the whole list to the members online since
// before the run, the part after its coming online to each member that came during it.
func (n *memberNotices) flush(g *grain) {
	run := n.run
	if run == nil {
		return
	}
	n.run, n.sent = nil, g.Now()
	if n.online.len() == 0 {
		return
	}
	whole := n.push(run.data(0))
	if len(run.from) == 0 {
		n.online.push(g.rt, whole, "")
		return
	}
	late := connSet{} // the late comers' connections
	for u := range run.from {
		late.add(n.online.conns[u]...)
	}
	n.online.pushExcept(g.rt, whole, late) // its before (this flush) finds no run
	// The late comers, by where their part starts.
	byStart := map[int][]*messages.ConnRef{}
	for u, i := range run.from {
		if i < len(run.offsets) {
			byStart[i] = append(byStart[i], n.online.conns[u]...)
		}
	}
	starts := make([]int, 0, len(byStart))
	for i := range byStart {
		starts = append(starts, i)
	}
	slices.Sort(starts)
	for _, i := range starts {
		g.rt.deliverTo(byStart[i], n.push(run.data(i)), 0)
	}
}

// setOnline records user's connections (none: offline) in the owner's onlineSet. A
// member coming online during a run hears only the changes after this moment; a member
// whose known connections grow hears the run first (its new connection was not there).
func (n *memberNotices) setOnline(g *grain, user string, conns []*messages.ConnRef) {
	if n.run != nil && len(conns) > 0 {
		if old := n.online.conns[user]; len(old) == 0 {
			if n.run.from == nil {
				n.run.from = map[string]int{}
			}
			n.run.from[user] = len(n.run.offsets)
		} else if grows(old, conns) {
			n.flush(g)
		}
	}
	n.online.set(user, conns)
}

// leaving sends what gathered before members online leave (or are removed): each hears
// every change before its own leave, in order, and not after its groupStateChanged.
func (n *memberNotices) leaving(g *grain, users ...string) {
	if n.run == nil {
		return
	}
	for _, u := range users {
		if n.online.has(u) {
			n.flush(g)
			return
		}
	}
}

// grows reports whether conns holds a connection old does not.
func grows(old, conns []*messages.ConnRef) bool {
next:
	for _, c := range conns {
		for _, o := range old {
			if o.Node == c.Node && o.ConnID == c.ConnID {
				continue next
			}
		}
		return true
	}
	return false
}

// memberChanged announces to the group's online members that users changed state by
// event, operated by operator (op), coalesced with the changes around it.
func (a *groupActor) memberChanged(g *grain, state, event int32, operator string, op *messages.GroupOperatedInfo, users []*messages.GroupMemberInfo) {
	head := &messages.GroupMemberStateChangedEvent{GroupID: a.id, State: state, Event: event, OperatedInfo: op}
	a.notices.changed(g, head, state, event, operator, selfMade(users, operator), memberInfos(users))
}

// memberChanged announces to the community's online members that users changed state by
// event, operated by operator (op), coalesced with the changes around it.
func (a *communityActor) memberChanged(g *grain, state, event int32, operator string, op *messages.CommunityOperatedInfo, users []*messages.CommunityMemberInfo) {
	head := &messages.CommunityMemberStateChangedEvent{CommunityID: a.id, State: state, Event: event, OperatedInfo: op}
	a.notices.changed(g, head, state, event, operator, selfMade(users, operator), memberInfos(users))
}

// memberInfo is a group's or a community's member info.
type memberInfo interface {
	proto.Message
	GetUserID() string
}

// selfMade reports whether the change is one user's own (joined, left by itself).
func selfMade[T memberInfo](users []T, operator string) bool {
	return len(users) == 1 && users[0].GetUserID() == operator
}

func memberInfos[T memberInfo](users []T) []proto.Message {
	list := make([]proto.Message, len(users))
	for i, u := range users {
		list[i] = u
	}
	return list
}
