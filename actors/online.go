package actors

import (
	"github.com/parley-chat/parley/messages"
)

// onlineSet tracks the connections of an entity's online members (their user actors
// report them), so that an event is encoded once and handed to one fan-out actor per
// gateway node. Offline members cost nothing. Only its owner actor may use it.
type onlineSet struct {
	conns  map[string][]*messages.ConnRef // userID -> its online connections
	byNode map[string][]uint64            // every online connection by node; nil when stale
	before func()                         // runs before every push (the owner's pending member notices)
}

func newOnlineSet() *onlineSet { return &onlineSet{conns: map[string][]*messages.ConnRef{}} }

func (o *onlineSet) len() int { return len(o.conns) }

func (o *onlineSet) has(user string) bool { return len(o.conns[user]) > 0 }

// set records user's connections (none: offline).
func (o *onlineSet) set(user string, conns []*messages.ConnRef) {
	if len(conns) == 0 {
		o.remove(user)
		return
	}
	o.conns[user] = conns
	o.byNode = nil
}

func (o *onlineSet) remove(user string) {
	if _, ok := o.conns[user]; ok {
		delete(o.conns, user)
		o.byNode = nil
	}
}

// users lists the online users.
func (o *onlineSet) users() []string {
	out := make([]string, 0, len(o.conns))
	for u := range o.conns {
		out = append(out, u)
	}
	return out
}

func (o *onlineSet) nodes() map[string][]uint64 {
	if o.byNode == nil {
		o.byNode = map[string][]uint64{}
		for _, cs := range o.conns {
			for _, c := range cs {
				o.byNode[c.Node] = append(o.byNode[c.Node], c.ConnID)
			}
		}
	}
	return o.byNode
}

// push hands p to every online connection but those of skipUser (may be empty), one
// Deliver per node. The cached connection lists are shared, never changed in place.
func (o *onlineSet) push(rt *Runtime, p *messages.Push, skipUser string) {
	if o.before != nil {
		o.before()
	}
	skip := o.conns[skipUser]
	for node, ids := range o.nodes() {
		if len(skip) > 0 {
			ids = connIDsWithout(ids, node, skip)
		}
		if len(ids) > 0 {
			rt.Deliver(node, &messages.Deliver{ConnIDs: ids, Push: p})
		}
	}
}

// connSet is a set of connections, by node and connection ID.
type connSet map[string]map[uint64]bool

func (s connSet) add(cs ...*messages.ConnRef) {
	for _, c := range cs {
		if s[c.Node] == nil {
			s[c.Node] = map[uint64]bool{}
		}
		s[c.Node][c.ConnID] = true
	}
}

// pushExcept hands p to every online connection not in skip, one Deliver per node. Like
// every push through the set, it sends the owner's pending member notices first.
func (o *onlineSet) pushExcept(rt *Runtime, p *messages.Push, skip connSet) {
	if o.before != nil {
		o.before()
	}
	for node, ids := range o.nodes() {
		if out := skip[node]; len(out) > 0 {
			kept := make([]uint64, 0, len(ids))
			for _, id := range ids {
				if !out[id] {
					kept = append(kept, id)
				}
			}
			ids = kept
		}
		if len(ids) > 0 {
			rt.Deliver(node, &messages.Deliver{ConnIDs: ids, Push: p})
		}
	}
}

// pushUser hands p to user's online connections but except (0: none).
func (o *onlineSet) pushUser(rt *Runtime, user string, p *messages.Push, except uint64) {
	if o.before != nil {
		o.before()
	}
	rt.deliverTo(o.conns[user], p, except)
}

func connIDsWithout(ids []uint64, node string, skip []*messages.ConnRef) []uint64 {
	out := make([]uint64, 0, len(ids))
next:
	for _, id := range ids {
		for _, c := range skip {
			if c.ConnID == id && c.Node == node {
				continue next
			}
		}
		out = append(out, id)
	}
	return out
}
