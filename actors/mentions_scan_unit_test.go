package actors

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// scanCountingStore counts range scans.
type scanCountingStore struct {
	persistence.Store
	scans atomic.Int64
}

func (s *scanCountingStore) Scan(ctx context.Context, r persistence.Range, fn func(k, v []byte) bool) error {
	s.scans.Add(1)
	return s.Store.Scan(ctx, r, fn)
}

// A conversation without mentions costs one scan for read mention records per
// activation, not one per read position change (each message the user sends moves it);
// a message with mentions makes the next change look again.
func TestUnitReadMentionScansOnlyWhenThereMayBeRecords(t *testing.T) {
	st := &scanCountingStore{Store: persistence.NewMemory()}
	w := newUnitWorld(t, func(c *Config) { c.Store = st })
	g := w.grain(KindUser, "alice")
	u := g.user()
	kg := &g.H.(*kindAdapter).g
	e := &convEntry{ctype: ConvPeer, id: "bob", logID: "alice|bob", idx: &messages.StoredConvIndex{Since: 1}, st: &messages.StoredConvState{}}
	// Mention records below seq 3 of an earlier life of the actor.
	b := &persistence.Batch{}
	b.Put(keyMentionUser("alice", ConvPeer, e.logID, 1), []byte{})
	b.Put(keyMentionUser("alice", ConvPeer, e.logID, 2), []byte{})
	if err := st.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	before := st.scans.Load()
	drop := func(read int64) int {
		t.Helper()
		e.lastSeq, e.mentionsTo = read, read
		b := &persistence.Batch{}
		done, err := u.readMentionDeletes(kg, e, read, b)
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() > 0 {
			if err := st.Write(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
		if done != nil {
			done()
		}
		return b.Len()
	}
	if n := drop(3); n != 2 {
		t.Fatalf("first change deleted %d records, want the 2 old ones", n)
	}
	for read := int64(4); read < 50; read++ {
		drop(read)
	}
	if n := st.scans.Load() - before; n != 1 {
		t.Fatalf("%d scans for 47 read position changes without mentions, want 1", n)
	}
	// A message with a mention of the user: the next change scans again (and deletes it).
	b = &persistence.Batch{}
	b.Put(keyMentionUser("alice", ConvPeer, e.logID, 50), []byte{})
	_ = st.Write(context.Background(), b)
	e.noteTouch(&messages.ConversationTouched{LastSeq: 50, HasMentions: true}, 49)
	if n := drop(50); n != 1 || st.scans.Load()-before != 2 {
		t.Fatalf("after a mention: %d deleted, %d scans", n, st.scans.Load()-before)
	}
}
