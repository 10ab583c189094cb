package actors

import (
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Mentions: a stored message's mentionedUserIDs and isMentionAll reach the
// mentioned members' conversations as mentionedInfoList (ZIMMessageMentionedInfo),
// until they read past the message (their read position: clearing the unread count,
// or their own later message).
//
// The message's write carries one record per mentioned user (key mu, at most 50 per
// message) and one per conversation for isMentionAll (key ma): nothing per member. A
// user actor reads its mentions of a conversation from those records, only for the
// range it has not looked at yet and only when the conversation owner says a message
// of that range mentions someone (ConversationTouched.hasMentions) or after it loaded.

const (
	mentionMe       = 1
	mentionAll      = 2
	mentionAllAndMe = 3
)

func hasMentions(m *messages.Message) bool { return m.IsMentionAll || len(m.MentionedUserIDs) > 0 }

// mentionRecords adds the mention records of a stored message s to b.
func mentionRecords(b *persistence.Batch, ctype int32, conv string, s *messages.Message) {
	if !hasMentions(s) || s.Type == MsgCommand {
		return
	}
	info := func(t int32) []byte {
		raw, _ := proto.Marshal(&messages.MessageMentionedInfo{MessageID: s.MessageID, MessageSeq: s.MessageSeq, FromUserID: s.SenderUserID, Type: t})
		return raw
	}
	if s.IsMentionAll {
		b.Put(keyMentionAll(ctype, conv, s.MessageSeq), info(mentionAll))
	}
	seen := map[string]bool{}
	for _, u := range s.MentionedUserIDs {
		if u == s.SenderUserID || seen[u] || !ValidID(u, 64) {
			continue
		}
		seen[u] = true
		t := int32(mentionMe)
		if s.IsMentionAll {
			t = mentionAllAndMe
		}
		b.Put(keyMentionUser(u, ctype, conv, s.MessageSeq), info(t))
	}
}

// noteTouch keeps e's mention range current without a read when the owner says the
// messages up to t.LastSeq mention nobody.
func (e *convEntry) noteTouch(t *messages.ConversationTouched, oldLast int64) {
	if t.HasMentions {
		e.mentionsNone = false // there may be a record for the user now
	}
	if !t.HasMentions && e.mentionsTo >= oldLast {
		e.mentionsTo = max(e.mentionsTo, t.LastSeq)
	}
}

// mentionsOf is e's mentionedInfoList: the unread messages that mention the user.
func (u *userActor) mentionsOf(g *grain, e *convEntry) []*messages.MessageMentionedInfo {
	top, read := e.top(), e.readSeq()
	if e.mentionsTo < top {
		from := max(e.mentionsTo, read) + 1
		if from <= top {
			if err := u.loadMentions(g, e, from, top); err != nil {
				g.Log().Error("load mentions", "err", err)
				return nil
			}
		}
		e.mentionsTo = top
	}
	e.mentions = slices.DeleteFunc(e.mentions, func(i *messages.MessageMentionedInfo) bool { return i.MessageSeq <= read })
	u.dropReadMentions(g, e, read)
	var out []*messages.MessageMentionedInfo
	for _, i := range e.mentions {
		if i.MessageSeq <= top {
			out = append(out, i)
		}
	}
	return out
}

func (u *userActor) loadMentions(g *grain, e *convEntry, from, to int64) error {
	ctx, cancel := g.CallCtx()
	defer cancel()
	st := g.rt.Store()
	bySeq := map[int64]*messages.MessageMentionedInfo{}
	scan := func(start, end []byte) error {
		var derr error
		err := st.Scan(ctx, persistence.Range{Start: start, End: end}, func(_, v []byte) bool {
			i := &messages.MessageMentionedInfo{}
			if derr = proto.Unmarshal(v, i); derr != nil {
				return false
			}
			if i.FromUserID == u.id {
				return true
			}
			if old := bySeq[i.MessageSeq]; old == nil || i.Type > old.Type {
				bySeq[i.MessageSeq] = i
			}
			return true
		})
		if err == nil {
			err = derr
		}
		return err
	}
	if err := scan(keyMentionUser(u.id, e.ctype, e.logID, from), keyMentionUser(u.id, e.ctype, e.logID, to+1)); err != nil {
		return err
	}
	if e.ctype != ConvPeer {
		if err := scan(keyMentionAll(e.ctype, e.logID, from), keyMentionAll(e.ctype, e.logID, to+1)); err != nil {
			return err
		}
	}
	for _, i := range bySeq {
		e.mentions = append(e.mentions, i)
	}
	slices.SortFunc(e.mentions, func(a, b *messages.MessageMentionedInfo) int { return int(a.MessageSeq - b.MessageSeq) })
	e.mentions = slices.CompactFunc(e.mentions, func(a, b *messages.MessageMentionedInfo) bool { return a.MessageSeq == b.MessageSeq })
	return nil
}

// noteMentions remembers, until the next flush, whom a stored message mentions: the
// flush tells only those users' actors to look (ConversationTouched.hasMentions).
func (s *storedChat) noteMentions(m *messages.Message) {
	if m.IsMentionAll {
		s.mentionAll = true
	}
	for _, u := range m.MentionedUserIDs {
		if s.mentioned == nil {
			s.mentioned = map[string]bool{}
		}
		if len(s.mentioned) < 10_000 {
			s.mentioned[u] = true
		} else {
			s.mentionAll = true // too many to track: everyone looks
		}
	}
}
