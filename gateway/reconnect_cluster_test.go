//go:build !race

// Two members in one process race inside protoactor (notes/protoactor.md): this file
// stays out of -race runs, like cluster_test.go.

package gateway_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/actors/runtime"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// A node dies under a client with sends in flight: the client fails over to the other
// node, logs in again and resends; the history has every acknowledged message once with
// dense sequence numbers, and the receiver has them all.
func TestReconnectFailsOverWhenANodeDies(t *testing.T) {
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir(), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	members := runtime.InProcess()
	var nodes []*gateway.Node
	for i := range 2 {
		node, err := gateway.StartNode(store,
			actors.Config{Logger: testLogger(), Members: members, NodeID: i + 1},
			gateway.Config{AppID: testAppID, Secret: testSecret, Logger: testLogger()}, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, node)
	}
	a, b := nodes[0], nodes[1]
	aDown := false
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if !aDown {
			_ = a.Shutdown(c)
		}
		_ = b.Shutdown(c) // closes the shared store
	})
	eventually(t, "members see each other", func() bool {
		for _, x := range nodes {
			for _, y := range nodes {
				if _, err := x.Runtime.Locate(actors.KindUser, "probe-"+y.Runtime.Address()); err != nil {
					return false
				}
			}
		}
		return true
	})
	// A pair whose peer actor lives on A, the node that dies: it must move to B. The
	// receiver's user actor (its device registrations) is on B: device registrations
	// held by a dead node's user actors are not restored today (see the report).
	var u1, u2 string
	for i := 0; i < 500 && u1 == ""; i++ {
		x, y := fmt.Sprintf("ann%d", i), fmt.Sprintf("ben%d", i)
		peer, err1 := a.Runtime.Locate(actors.KindPeer, actors.PeerIdentity(x, y))
		user, err2 := a.Runtime.Locate(actors.KindUser, y)
		if err1 == nil && err2 == nil && peer == a.Runtime.Address() && user == b.Runtime.Address() {
			u1, u2 = x, y
		}
	}
	if u1 == "" {
		t.Fatal("no pair placed on member A with the receiver on B")
	}
	ann := reconnectingLogin(t, []string{a.URL(), b.URL()}, u1, client.Options{})
	ben := loginAt(t, b.URL(), u2, true, 0)
	var pmu sync.Mutex
	pushes := map[string]int{}
	ben.OnPeerMessageReceived(func(ev *m.ConversationMessageReceivedEvent) {
		pmu.Lock()
		for _, msg := range ev.MessageList {
			pushes[msg.Message]++
		}
		pmu.Unlock()
	})

	// Three senders, 30 messages each, one at a time per sender; A dies once 15 are
	// acknowledged.
	var mu sync.Mutex
	acked := map[string]int64{}
	var failed []error
	var wg sync.WaitGroup
	fifteen := make(chan struct{})
	for s := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				text := fmt.Sprintf("s%d-%d", s, i)
				msg, err := ann.SendText(ctx(t), text, u2, 0)
				mu.Lock()
				if err != nil {
					failed = append(failed, fmt.Errorf("%s: %w", text, err))
				} else {
					acked[text] = msg.MessageSeq
					if len(acked) == 15 {
						close(fifteen)
					}
				}
				mu.Unlock()
			}
		}()
	}
	<-fifteen
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.Gateway.Shutdown(c); err != nil { // 4000 to its clients
		t.Fatal(err)
	}
	if err := a.Runtime.Shutdown(c); err != nil { // leaves the cluster; the store stays B's
		t.Fatal(err)
	}
	aDown = true
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("%d sends failed: %v", len(failed), failed)
	}
	if ann.URL() != b.URL() {
		t.Fatalf("the client is on %q, want B", ann.URL())
	}
	hist := history(t, ann, u2)
	if len(hist) != len(acked) {
		t.Fatalf("history has %d messages, %d acknowledged", len(hist), len(acked))
	}
	checkExactlyOnce(t, hist, acked)
	// The receiver: every message pushed once, and its history has them all.
	eventually(t, "the receiver got every message", func() bool {
		pmu.Lock()
		defer pmu.Unlock()
		return len(pushes) == len(acked)
	})
	pmu.Lock()
	for text, n := range pushes {
		if n != 1 {
			t.Fatalf("%s pushed %d times", text, n)
		}
	}
	npushed := len(pushes)
	pmu.Unlock()
	if got := history(t, ben, u1); len(got) != len(acked) {
		t.Fatalf("receiver's history has %d messages, want %d", len(got), len(acked))
	}
	t.Logf("%d messages, %d pushed to the receiver, states %v", len(acked), npushed, states(ann))
}
