package actors

import (
	"context"
	"testing"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

func TestLogAppendContinuesAcrossReopen(t *testing.T) {
	for name, open := range map[string]func() persistence.Store{
		"memory": persistence.NewMemory,
		"badger": func() persistence.Store {
			s, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			st := open()
			defer st.Close()
			ctx := context.Background()
			l, err := openLog(ctx, st, ConvPeer, PeerIdentity("a", "b"))
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= 3; i++ {
				m, _, err := l.append(ctx, &messages.Message{Type: 1, SenderUserID: "a", Message: "x"}, nil)
				if err != nil || m.MessageSeq != int64(i) {
					t.Fatalf("append %d: seq %d err %v", i, m.GetMessageSeq(), err)
				}
			}
			l2, err := openLog(ctx, st, ConvPeer, PeerIdentity("a", "b"))
			if err != nil || l2.lastSeq() != 3 {
				t.Fatalf("reopened log at seq %d (err %v), want 3", l2.lastSeq(), err)
			}
			m, _, err := l2.append(ctx, &messages.Message{Type: 1, SenderUserID: "b", Message: "y"}, nil)
			if err != nil || m.MessageSeq != 4 {
				t.Fatalf("append after reopen: seq %d err %v", m.GetMessageSeq(), err)
			}
			v, err := l2.view(ctx, "a", 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			list, err := l2.history(ctx, v, 0, 10, false)
			if err != nil || len(list) != 4 || list[0].MessageSeq != 1 || list[3].MessageSeq != 4 {
				t.Fatalf("history: %v %v", list, err)
			}
		})
	}
}
