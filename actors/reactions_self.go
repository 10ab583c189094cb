package actors

import (
	"context"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// isSelfIncluded in group and channel reaction pushes (issue 13, rest). A group or
// channel encodes messageReactionsChanged once for its online readers, with
// isSelfIncluded false — right for every reader who did not react with a pushed type,
// which is nearly all of them. The owner knows who reacted (a cache of the pushed
// messages' reacting users, loaded once per message with one range scan of its ry
// records and kept current by the owner's own writes, the only ones), so the online
// readers who did react are left out of the shared push and get their own view:
// readers with the same set of own reactions share one encoding. So a push costs one
// encoding for the readers who did not react, plus one per distinct set of own
// reactions among the online ones who did (for one message of one type: two), and the
// work per push is the smaller of the online readers and the pushed reactors.

// reactorCacheMax bounds the user entries the reactor cache holds (it starts over when
// full).
const reactorCacheMax = 100_000

// reactorCache is who reacted with what, per message (seq → type → users).
type reactorCache struct {
	bySeq map[int64]map[string]map[string]bool
	n     int
}

func keyReactionSeqPrefix(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("ry").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}

// reactors returns seq's reacting users by type, loading them once.
func (c *reactorCache) reactors(ctx context.Context, st persistence.Store, l *msgLog, seq int64) (map[string]map[string]bool, error) {
	if m, ok := c.bySeq[seq]; ok {
		return m, nil
	}
	m := map[string]map[string]bool{}
	prefix := keyReactionSeqPrefix(l.ctype, l.conv, seq)
	n := 0
	err := st.Scan(ctx, persistence.PrefixRange(prefix), func(k, _ []byte) bool {
		if parts, ok := keyStrs(prefix, k); ok && len(parts) == 2 {
			if m[parts[0]] == nil {
				m[parts[0]] = map[string]bool{}
			}
			m[parts[0]][parts[1]] = true
			n++
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if c.bySeq == nil || c.n+n > reactorCacheMax {
		c.bySeq, c.n = map[int64]map[string]map[string]bool{}, 0
	}
	c.bySeq[seq], c.n = m, c.n+n
	return m, nil
}

// apply keeps the cached messages current with the changes of a stored write.
func (c *reactorCache) apply(ev *messages.MessageReactionsChangedEvent) {
	for _, ci := range ev.ChangeInfoList {
		m, ok := c.bySeq[ci.GetMessage().GetMessageSeq()]
		if !ok {
			continue
		}
		for _, u := range ci.UserChangeInfoList {
			set := m[u.ReactionType]
			if u.Action == 0 {
				if set == nil {
					set = map[string]bool{}
					m[u.ReactionType] = set
				}
				if !set[u.UserID] {
					set[u.UserID] = true
					c.n++
				}
			} else if set[u.UserID] {
				delete(set, u.UserID)
				c.n--
			}
		}
	}
}

// pairKey names a message's reaction type in a push.
type pairKey struct {
	seq int64
	typ string
}

// selfIncluded finds the online readers who reacted with a type the push carries: user
// → the indexes of those (message, type) pairs.
func (s *storedChat) selfIncluded(g *grain, ev *messages.MessageReactionsChangedEvent) (map[string][]int, []pairKey, error) {
	ctx, cancel := g.CallCtx()
	defer cancel()
	var pairs []pairKey
	var sets []map[string]bool
	total := 0
	for _, ci := range ev.ChangeInfoList {
		msg := ci.GetMessage()
		if msg == nil {
			continue
		}
		who, err := s.reacts.who.reactors(ctx, g.rt.Store(), s.log, msg.MessageSeq)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range msg.Reactions {
			if set := who[r.ReactionType]; len(set) > 0 {
				pairs = append(pairs, pairKey{msg.MessageSeq, r.ReactionType})
				sets = append(sets, set)
				total += len(set)
			}
		}
	}
	out := map[string][]int{}
	if total <= s.online.len() {
		for i, set := range sets {
			for u := range set {
				if s.online.has(u) {
					out[u] = append(out[u], i)
				}
			}
		}
		return out, pairs, nil
	}
	for u := range s.online.conns {
		for i, set := range sets {
			if set[u] {
				out[u] = append(out[u], i)
			}
		}
	}
	return out, pairs, nil
}

// pushReactionsSelf sends the shared push p (isSelfIncluded false) to the online readers
// but those in mine, and each group of those its own view; except is the calling
// connection (0: none), which gets the call's reply instead.
func (s *storedChat) pushReactionsSelf(g *grain, ev *messages.MessageReactionsChangedEvent, p *messages.Push, mine map[string][]int, pairs []pairKey, except *messages.ConnRef) {
	skip := connSet{}
	if except != nil { // the calling connection has the reply; the caller's other devices get the push
		skip.add(except)
	}
	groups := map[string][]string{} // signature → users
	for u, idx := range mine {
		skip.add(s.online.conns[u]...)
		var sig strings.Builder
		for _, i := range idx {
			sig.WriteString(strconv.Itoa(i))
			sig.WriteByte(',')
		}
		groups[sig.String()] = append(groups[sig.String()], u)
	}
	s.online.pushExcept(g.rt, p, skip)
	for _, users := range groups {
		own := selfView(ev, pairs, mine[users[0]])
		op, err := NewPush(messages.EventMessageReactionsChanged.With(own))
		if err != nil {
			g.Log().Error("encode reactions push", "err", err)
			continue
		}
		byNode := map[string][]uint64{}
		for _, u := range users {
			for _, c := range s.online.conns[u] {
				if except == nil || c.Node != except.Node || c.ConnID != except.ConnID {
					byNode[c.Node] = append(byNode[c.Node], c.ConnID)
				}
			}
		}
		for node, ids := range byNode {
			g.rt.Deliver(node, &messages.Deliver{ConnIDs: ids, Push: op})
		}
	}
}

// selfView is ev with isSelfIncluded set on the pairs idx names.
func selfView(ev *messages.MessageReactionsChangedEvent, pairs []pairKey, idx []int) *messages.MessageReactionsChangedEvent {
	own := proto.Clone(ev).(*messages.MessageReactionsChangedEvent)
	in := map[string]bool{} // messageID + type
	seqID := map[int64]string{}
	for _, ci := range own.ChangeInfoList {
		if m := ci.GetMessage(); m != nil {
			seqID[m.MessageSeq] = m.MessageID
		}
	}
	for _, i := range idx {
		in[seqID[pairs[i].seq]+"\x00"+pairs[i].typ] = true
	}
	mark := func(list []*messages.MessageReaction) {
		for _, r := range list {
			if in[r.MessageID+"\x00"+r.ReactionType] {
				r.IsSelfIncluded = true
			}
		}
	}
	mark(own.Reactions)
	for _, ci := range own.ChangeInfoList {
		if m := ci.GetMessage(); m != nil {
			mark(m.Reactions)
		}
	}
	return own
}

// selfReactions is the conversation's last message as user sees its reactions
// (isSelfIncluded): m itself when it has none of user's, else a copy.
func (u *userActor) selfReactions(g *grain, e *convEntry, m *messages.Message) *messages.Message {
	if len(m.Reactions) == 0 {
		return m
	}
	var mine []int
	for i, r := range m.Reactions {
		self := false
		for _, x := range r.UserList {
			self = self || x.UserID == u.id
		}
		if !self && r.TotalCount > int64(len(r.UserList)) {
			ctx, cancel := g.CallCtx()
			_, err := g.rt.Store().Get(ctx, keyReactionUser(e.ctype, e.logID, m.MessageSeq, r.ReactionType, u.id))
			cancel()
			self = err == nil
		}
		if self != r.IsSelfIncluded {
			mine = append(mine, i)
		}
	}
	if len(mine) == 0 {
		return m
	}
	v := copyMessage(m)
	v.Reactions = make([]*messages.MessageReaction, len(m.Reactions))
	copy(v.Reactions, m.Reactions)
	for _, i := range mine {
		r := proto.Clone(m.Reactions[i]).(*messages.MessageReaction)
		r.IsSelfIncluded = !r.IsSelfIncluded
		v.Reactions[i] = r
	}
	return v
}
