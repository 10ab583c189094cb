package main

// Crash durability: `parley serve` is killed with SIGKILL at random moments while
// senders keep 1:1 and group sends in flight, and restarted on the same data, again and
// again. Afterwards every acknowledged message is in its history exactly once, with the
// sequence number it was acknowledged with, sequence numbers are dense, and every
// participant's unread count agrees with the history.

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence/pgtest"
)

// crashCycles is how many times the server is killed.
const crashCycles = 10

func TestCrashDurabilityBadger(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a server process")
	}
	dir := t.TempDir()
	runCrashCycles(t, "--store", "badger", "--data", dir)
}

func TestCrashDurabilityPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a server process")
	}
	pgtest.Require(t)
	runCrashCycles(t, "--store", "postgres", "--postgres-dsn", pgtest.Start(t))
}

// crashStream is one conversation and the users sending into it.
type crashStream struct {
	conv    string
	ctype   int32
	senders []string
	members []string // everyone whose unread count is checked (senders included)
}

// crashLog is what the server acknowledged, per conversation.
type crashLog struct {
	mu    sync.Mutex
	acked map[string]map[string]int64 // conversation → localMessageID → acknowledged seq
	total atomic.Int64
	codes map[int32]int // refusals by code
}

func (l *crashLog) refused(code int32) {
	l.mu.Lock()
	l.codes[code]++
	l.mu.Unlock()
}

func (l *crashLog) ack(conv, lid string, seq int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, again := l.acked[conv][lid]; again && prev != seq {
		return fmt.Errorf("%s acknowledged twice with different seqs %d and %d", lid, prev, seq)
	}
	if _, again := l.acked[conv][lid]; !again {
		l.total.Add(1)
	}
	l.acked[conv][lid] = seq
	return nil
}

func runCrashCycles(t *testing.T, storeArgs ...string) {
	args := append([]string{"--dev", "--app-id", "1", "--secret", "0123456789abcdef0123456789abcdef",
		"--addr", "127.0.0.1:0", "--idle-trim", "0", "--log-level", "info", "--rate-limits=false"}, storeArgs...)
	var url atomic.Pointer[string]
	node := startServe(t, "serve-0", args...)
	url.Store(&node.url)

	streams := []*crashStream{
		{conv: "crash-bob", ctype: actors.ConvPeer, senders: []string{"crash-alice"}},
		{conv: "crash-bob", ctype: actors.ConvPeer, senders: []string{"crash-carol"}},
		{conv: "crash-erin", ctype: actors.ConvPeer, senders: []string{"crash-dave"}},
		{conv: "crash-group", ctype: actors.ConvGroup, senders: []string{"crash-g1", "crash-g2", "crash-g3"}},
	}
	// Everyone exists (a message to a user who never logged in is refused) and the group
	// has its members, one of whom never sends.
	for _, u := range []string{"crash-alice", "crash-bob", "crash-carol", "crash-dave", "crash-erin", "crash-g1", "crash-g2", "crash-g3", "crash-quiet"} {
		c, err := dial([]string{node.url}, u)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	}
	owner, err := dial([]string{node.url}, "crash-g1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := bg(10 * time.Second)
	res, err := owner.CreateGroup(ctx, &m.GroupInfo{GroupID: "crash-group", GroupName: "crash"}, []string{"crash-g2", "crash-g3", "crash-quiet"}, nil)
	cancel()
	_ = owner.Close()
	if err != nil || len(res.ErrorUserList) > 0 {
		t.Fatalf("create the group: %v %v", err, res)
	}
	streams[0].members = []string{"crash-alice", "crash-bob"}
	streams[1].members = []string{"crash-carol", "crash-bob"}
	streams[2].members = []string{"crash-dave", "crash-erin"}
	streams[3].members = []string{"crash-g1", "crash-g2", "crash-g3", "crash-quiet"}

	log := &crashLog{acked: map[string]map[string]int64{}, codes: map[int32]int{}}
	for _, s := range streams {
		log.acked[s.key()] = map[string]int64{}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failed atomic.Pointer[string]
	fail := func(msg string) { failed.CompareAndSwap(nil, &msg) }
	for _, s := range streams {
		for _, sender := range s.senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				crashSender(s, sender, &url, log, stop, fail)
			}()
		}
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 19))
	for cycle := 1; cycle <= crashCycles; cycle++ {
		// Kill only once this incarnation acknowledged something, at a random moment.
		base := log.total.Load()
		waitFor(t, 30*time.Second, fmt.Sprintf("acknowledgements in cycle %d", cycle), func() bool { return log.total.Load() >= base+20 })
		time.Sleep(time.Duration(rng.IntN(700)) * time.Millisecond) // the random moment of the kill
		if err := node.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-node.exited
		node = startServe(t, fmt.Sprintf("serve-%d", cycle), args...)
		url.Store(&node.url)
	}
	waitFor(t, 30*time.Second, "acknowledgements after the last restart", func() bool { return log.total.Load() > 0 })
	close(stop)
	wg.Wait()
	if f := failed.Load(); f != nil {
		t.Fatal(*f)
	}
	// One more crash with nothing in flight, then check everything.
	_ = node.cmd.Process.Kill()
	<-node.exited
	node = startServe(t, "serve-final", args...)

	// Refusals while the server crashes can only say "retry": a timeout or a store
	// that could not write (the process died mid-request never answers at all).
	for code, n := range log.codes {
		if code != actors.ErrStorage.Code && code != actors.ErrRequestTimeout.Code {
			t.Errorf("sends refused %d times with %d", n, code)
		}
	}
	for _, s := range streams {
		if len(log.acked[s.key()]) == 0 {
			t.Errorf("%s: nothing acknowledged", s.key())
		}
		checkCrashStream(t, node.url, s, log)
	}
	t.Logf("%d cycles, %d messages acknowledged, none lost or duplicated", crashCycles, log.total.Load())
}

func (s *crashStream) key() string { return fmt.Sprintf("%d/%s/%s", s.ctype, s.conv, s.senders[0]) }

// crashSender keeps four sends in flight from one connection; a send that was not
// acknowledged is sent again, with the same localMessageID, on the next connection.
func crashSender(s *crashStream, sender string, url *atomic.Pointer[string], log *crashLog, stop <-chan struct{}, fail func(string)) {
	const window = 4
	var mu sync.Mutex
	var retry []string // localMessageIDs to send again
	next := 0
	take := func() string {
		mu.Lock()
		defer mu.Unlock()
		if n := len(retry); n > 0 {
			lid := retry[n-1]
			retry = retry[:n-1]
			return lid
		}
		next++
		return fmt.Sprintf("%s-%d", sender, next)
	}
	giveBack := func(lid string) {
		mu.Lock()
		retry = append(retry, lid)
		mu.Unlock()
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		c, err := dial([]string{*url.Load()}, sender)
		if err != nil {
			time.Sleep(20 * time.Millisecond) // backoff before the next attempt
			continue
		}
		var wg sync.WaitGroup
		for w := 0; w < window; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					case <-c.Done():
						return
					default:
					}
					lid := take()
					ctx, cancel := bg(5 * time.Second)
					sent, err := c.SendMessage(ctx, &m.Message{Type: actors.MsgText, Message: "m " + lid, LocalMessageID: lid}, s.conv, s.ctype, nil)
					cancel()
					if err != nil {
						giveBack(lid)
						code := client.Code(err)
						if code == 0 {
							return // the connection failed: reconnect
						}
						log.refused(code)
						continue
					}
					if err := log.ack(s.key(), lid, sent.MessageSeq); err != nil {
						fail(err.Error())
					}
				}
			}()
		}
		wg.Wait()
		_ = c.Close()
	}
}

// checkCrashStream checks one conversation's history and its members' unread counts.
func checkCrashStream(t *testing.T, url string, s *crashStream, log *crashLog) {
	t.Helper()
	c, err := dial([]string{url}, s.senders[0])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	list := history(t, c, s.conv, s.ctype)
	seen := map[string]int64{}
	seqs := make([]int64, 0, len(list))
	lastOwn := map[string]int64{}
	for _, msg := range list {
		seqs = append(seqs, msg.MessageSeq)
		lastOwn[msg.SenderUserID] = max(lastOwn[msg.SenderUserID], msg.MessageSeq)
		if _, dup := seen[msg.LocalMessageID]; dup {
			t.Errorf("%s: %s is in history twice", s.conv, msg.LocalMessageID)
		}
		seen[msg.LocalMessageID] = msg.MessageSeq
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	for i, q := range seqs {
		if q != int64(i+1) {
			t.Fatalf("%s: sequence numbers not dense: position %d has seq %d", s.conv, i+1, q)
		}
	}
	log.mu.Lock()
	for lid, seq := range log.acked[s.key()] {
		got, ok := seen[lid]
		switch {
		case !ok:
			t.Errorf("%s: acknowledged message %s (seq %d) lost", s.conv, lid, seq)
		case got != seq:
			t.Errorf("%s: acknowledged message %s has seq %d in history, acknowledged as %d", s.conv, lid, got, seq)
		}
	}
	log.mu.Unlock()
	// Nobody read anything: a member's unread count is what others sent after the
	// member's own last message.
	top := int64(len(seqs))
	for _, u := range s.members {
		uc, err := dial([]string{url}, u)
		if err != nil {
			t.Fatal(err)
		}
		convID := s.conv
		if s.ctype == actors.ConvPeer && u == s.conv {
			convID = s.senders[0]
		}
		ctx, cancel := bg(5 * time.Second)
		conv, err := uc.QueryConversation(ctx, convID, s.ctype)
		cancel()
		_ = uc.Close()
		if err != nil {
			t.Fatalf("%s: conversation of %s: %v", s.conv, u, err)
		}
		if want := top - lastOwn[u]; conv.UnreadMessageCount != want {
			t.Errorf("%s: %s has unread count %d, history says %d", s.conv, u, conv.UnreadMessageCount, top-lastOwn[u])
		}
	}
	t.Logf("%s (%v): %d messages in history", s.conv, s.senders, len(list))
}
