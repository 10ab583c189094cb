package actors

import (
	"sort"

	"github.com/parley-chat/parley/messages"
)

// memberSet holds the members of one entity with members and roles (a group; the same
// record serves other kinds), in join order. Only its owner actor may use it.
type memberSet struct {
	byID  map[string]*messages.GroupMemberRecord
	order []*messages.GroupMemberRecord // ascending joinOrder
	// changes counts load/put/remove (derived views, e.g. receipt counts, cache by it)
	changes int64
}

func newMemberSet() *memberSet {
	return &memberSet{byID: map[string]*messages.GroupMemberRecord{}}
}

// load fills the set from records in any order.
func (s *memberSet) load(list []*messages.GroupMemberRecord) {
	s.changes++
	for _, m := range list {
		s.byID[m.UserID] = m
	}
	s.order = append(s.order[:0], list...)
	sort.Slice(s.order, func(i, j int) bool { return s.order[i].JoinOrder < s.order[j].JoinOrder })
}

func (s *memberSet) get(id string) *messages.GroupMemberRecord { return s.byID[id] }

func (s *memberSet) count() int { return len(s.order) }

// put adds a member or replaces the record of one (same joinOrder).
func (s *memberSet) put(m *messages.GroupMemberRecord) {
	s.changes++
	if old := s.byID[m.UserID]; old != nil {
		s.byID[m.UserID] = m
		if i := s.index(old.JoinOrder); i < len(s.order) && s.order[i].UserID == m.UserID {
			if old.JoinOrder == m.JoinOrder {
				s.order[i] = m
				return
			}
			s.order = append(s.order[:i], s.order[i+1:]...)
		}
	}
	s.byID[m.UserID] = m
	i := s.index(m.JoinOrder)
	s.order = append(s.order, nil)
	copy(s.order[i+1:], s.order[i:])
	s.order[i] = m
}

func (s *memberSet) remove(id string) {
	s.changes++
	m := s.byID[id]
	if m == nil {
		return
	}
	delete(s.byID, id)
	if i := s.index(m.JoinOrder); i < len(s.order) && s.order[i].UserID == id {
		s.order = append(s.order[:i], s.order[i+1:]...)
	}
}

// index is the position of the first member with joinOrder >= order.
func (s *memberSet) index(order int64) int {
	return sort.Search(len(s.order), func(i int) bool { return s.order[i].JoinOrder >= order })
}

// earliest is the member who joined first, other than except (nil when none).
func (s *memberSet) earliest(except string) *messages.GroupMemberRecord {
	for _, m := range s.order {
		if m.UserID != except {
			return m
		}
	}
	return nil
}

// filter lists the members for which keep holds, in join order.
func (s *memberSet) filter(keep func(*messages.GroupMemberRecord) bool) []*messages.GroupMemberRecord {
	var out []*messages.GroupMemberRecord
	for _, m := range s.order {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}

// page returns up to count members (for which keep holds) starting at the member with
// joinOrder >= from, and the joinOrder to continue from (0: no more).
func (s *memberSet) page(from int64, count int, keep func(*messages.GroupMemberRecord) bool) ([]*messages.GroupMemberRecord, int64) {
	var out []*messages.GroupMemberRecord
	for i := s.index(from); i < len(s.order); i++ {
		m := s.order[i]
		if keep != nil && !keep(m) {
			continue
		}
		if len(out) == count {
			return out, m.JoinOrder
		}
		out = append(out, m)
	}
	return out, 0
}
