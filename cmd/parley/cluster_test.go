package main

// Three `parley serve` processes on loopback share one PostgreSQL and one etcd, as a
// cluster deployment does. These tests build the binary, so they need the go tool; they
// need PostgreSQL (persistence/pgtest starts one, or PARLEY_POSTGRES_DSN names one) and
// run etcd embedded in the test process.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/actors/membership/etcdtest"
	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence/pgtest"
)

// clusterTTL is the nodes' etcd lease: a dead or paused node is noticed within it.
const clusterTTL = 2 * time.Second

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// parleyBinary builds the parley binary once per test process.
func parleyBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "parley-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "parley")
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// procNode is one `parley serve` process.
type procNode struct {
	name   string
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	log    []string
	seen   []time.Time // when each log line arrived
	exited chan struct{}
	err    error // the process's end, once exited is closed
}

var servingLine = regexp.MustCompile(`msg="parley serving" ws=(ws://\S+)`)

// startNode starts a node of the cluster and waits until it serves.
func startNode(t *testing.T, name, dsn, etcd string) *procNode {
	t.Helper()
	return startServe(t, name, "--dev", "--app-id", "1", "--secret", "0123456789abcdef0123456789abcdef",
		"--addr", "127.0.0.1:0", "--store", "postgres", "--postgres-dsn", dsn, "--etcd", etcd,
		"--etcd-prefix", "/parley-test/"+t.Name()+"/", "--lease-ttl", clusterTTL.String(), "--idle-trim", "0", "--log-level", "info",
		"--room-history", "--rate-limits=false")
}

// startServe starts `parley serve` with args and waits until it serves.
func startServe(t *testing.T, name string, args ...string) *procNode {
	t.Helper()
	cmd := exec.Command(parleyBinary(t), append([]string{"serve"}, args...)...)
	cmd.Env = withoutParleyEnv() // the flags say everything
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &procNode{name: name, cmd: cmd, exited: make(chan struct{})}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			n.mu.Lock()
			n.log = append(n.log, line)
			n.seen = append(n.seen, time.Now())
			n.mu.Unlock()
			if mm := servingLine.FindStringSubmatch(line); mm != nil {
				select {
				case serving <- mm[1]:
				default:
				}
			}
		}
		n.err = cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-n.exited
		n.mu.Lock()
		for _, l := range n.log {
			if strings.Contains(l, "panic") {
				t.Errorf("%s logged a panic: %s", name, l)
				break
			}
		}
		n.mu.Unlock()
		if t.Failed() {
			t.Logf("--- log of %s (last lines) ---\n%s", n.name, n.tail(40))
		}
	})
	select {
	case n.url = <-serving:
	case <-n.exited:
		t.Fatalf("%s exited before serving: %v\n%s", name, n.err, n.tail(40))
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start serving\n%s", name, n.tail(40))
	}
	return n
}

func (n *procNode) tail(k int) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	from := max(0, len(n.log)-k)
	out := ""
	for _, l := range n.log[from:] {
		out += l + "\n"
	}
	return out
}

// loggedAfter is when the node first logged a line containing text after t0.
func (n *procNode) loggedAfter(text string, t0 time.Time) (time.Time, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, l := range n.log {
		if n.seen[i].After(t0) && strings.Contains(l, text) {
			return n.seen[i], true
		}
	}
	return time.Time{}, false
}

func (n *procNode) alive() bool {
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// startCluster starts etcd, a database and three nodes.
func startCluster(t *testing.T) ([]*procNode, *etcdtest.Server) {
	t.Helper()
	pgtest.Require(t)
	dsn := pgtest.Start(t)
	etcd := etcdtest.Start(t)
	var nodes []*procNode
	for i := 0; i < 3; i++ {
		nodes = append(nodes, startNode(t, "node"+strconv.Itoa(i), dsn, etcd.Endpoint()))
	}
	return nodes, etcd
}

func bg(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// dial logs user in on the first of urls that takes it.
func dial(urls []string, user string) (*client.Client, error) {
	var errs []error
	for _, u := range urls {
		ctx, cancel := bg(3 * time.Second)
		c, err := client.Dial(ctx, u, client.Options{PingInterval: -1})
		if err == nil {
			err = c.Login(ctx, user, user, "", 0)
			if err != nil {
				_ = c.Close()
			}
		}
		cancel()
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, errors.New("no live node to dial")
	}
	return nil, errors.Join(errs...)
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond) // the polling interval
	}
}

// stream is one sender's conversation: a peer, a group or a community channel.
type stream struct {
	sender, to string
	ctype      int32
	receiver   string // a member (on another node than the sender at first) who gets pushes

	mu    sync.Mutex
	acked map[string]ackedMsg // localMessageID → what the server acknowledged
	order []string            // localMessageIDs in send order
	// firstAfterKill is when the sender first got an acknowledgement after the kill.
	firstAfterKill time.Time
}

type ackedMsg struct {
	seq int64
	at  time.Time
}

// receiver collects the localMessageIDs it was pushed, with when.
type receiver struct {
	mu    sync.Mutex
	got   map[string]time.Time
	since time.Time // when its current connection was logged in (and in the room)
}

// connected notes that the receiver's connection is up (and in the stream's room).
func (r *receiver) connected() {
	r.mu.Lock()
	r.since = time.Now()
	r.mu.Unlock()
}

func (r *receiver) connectedSince() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.since
}

func (r *receiver) add(list []*m.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, msg := range list {
		if _, seen := r.got[msg.LocalMessageID]; !seen {
			r.got[msg.LocalMessageID] = time.Now()
		}
	}
}

func (r *receiver) has(lid string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.got[lid]
	return ok
}

// TestClusterSurvivesAKilledNode: 30 sender/receiver pairs plus group, room and channel
// streams, each sender and its receiver on different nodes, send while one node is
// killed with SIGKILL. Clients of the dead node reconnect to the others and resend what
// was not acknowledged (same localMessageID). Afterwards every acknowledged message is
// in its history exactly once with dense sequence numbers, every sender was served again
// within 5 s, and connected receivers got a push for every message acknowledged after
// the cluster recovered.
func TestClusterSurvivesAKilledNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three server processes")
	}
	nodes, _ := startCluster(t)
	urls := func(first int) []string {
		var out []string
		for i := 0; i < len(nodes); i++ {
			if n := nodes[(first+i)%len(nodes)]; n.alive() {
				out = append(out, n.url)
			}
		}
		return out
	}

	// Streams: 30 peer pairs, 3 groups, 2 community channels.
	var streams []*stream
	for i := 0; i < 30; i++ {
		streams = append(streams, &stream{sender: fmt.Sprintf("s%02d", i), to: fmt.Sprintf("r%02d", i), ctype: actors.ConvPeer, receiver: fmt.Sprintf("r%02d", i)})
	}
	setup, err := dial(urls(0), "owner")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		gid := fmt.Sprintf("grp%d", i)
		s := &stream{sender: fmt.Sprintf("gs%d", i), to: gid, ctype: actors.ConvGroup, receiver: fmt.Sprintf("gr%d", i)}
		for _, u := range []string{s.sender, s.receiver} { // members must exist: log them in once
			c, err := dial(urls(1), u)
			if err != nil {
				t.Fatal(err)
			}
			_ = c.Close()
		}
		ctx, cancel := bg(5 * time.Second)
		_, err := setup.CreateGroup(ctx, &m.GroupInfo{GroupID: gid, GroupName: gid}, []string{s.sender, s.receiver}, nil)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s)
	}
	for i := 0; i < 2; i++ {
		cid := fmt.Sprintf("club%d", i)
		s := &stream{sender: fmt.Sprintf("cs%d", i), ctype: actors.ConvChannel, receiver: fmt.Sprintf("cr%d", i)}
		ctx, cancel := bg(5 * time.Second)
		if _, err := setup.CreateCommunity(ctx, &m.CommunityInfo{CommunityID: cid, CommunityName: cid}, nil); err != nil {
			t.Fatal(err)
		}
		var ch m.CommunityChannelResult
		err := setup.Call(ctx, m.MethodCreateCommunityChannel.Name, &m.CommunityChannelCreateParams{CommunityID: cid,
			ChannelInfo: &m.CommunityChannelInfo{ChannelID: "talk", ChannelName: "talk"}}, &ch)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		s.to = actors.ChannelConversationID(cid, "talk")
		for _, u := range []string{s.sender, s.receiver} {
			c, err := dial(urls(2), u)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := bg(5 * time.Second)
			_, err = c.JoinCommunity(ctx, cid)
			cancel()
			_ = c.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		streams = append(streams, s)
	}
	for i := 0; i < 2; i++ { // rooms (with room history on: stored, localMessageID idempotent)
		streams = append(streams, &stream{sender: fmt.Sprintf("rs%d", i), to: fmt.Sprintf("room%d", i), ctype: actors.ConvRoom, receiver: fmt.Sprintf("rr%d", i)})
	}
	_ = setup.Close()

	stop := make(chan struct{})     // stops the senders
	stopRecv := make(chan struct{}) // stops the receivers, once their pushes are checked
	var killedAt time.Time
	var killMu sync.Mutex
	kill := func() time.Time { killMu.Lock(); defer killMu.Unlock(); return killedAt }
	var wg, recvWG sync.WaitGroup
	receivers := map[string]*receiver{}
	for i, s := range streams {
		s.acked = map[string]ackedMsg{}
		r := &receiver{got: map[string]time.Time{}}
		receivers[s.receiver] = r
		// The receiver starts on the node after the sender's.
		wg.Add(1)
		recvWG.Add(1)
		go func(i int, s *stream, r *receiver) {
			defer recvWG.Done()
			runReceiver(s, func() []string { return urls(i%3 + 1) }, r, stopRecv)
		}(i, s, r)
		go func(i int, s *stream) {
			defer wg.Done()
			runSender(t, s, func() []string { return urls(i % 3) }, stop, kill)
		}(i, s)
	}

	// Traffic for a moment, then kill node0 (it holds some of every kind's actors).
	waitFor(t, 30*time.Second, "every stream acknowledged", func() bool {
		for _, s := range streams {
			s.mu.Lock()
			n := len(s.acked)
			s.mu.Unlock()
			if n < 5 {
				return false
			}
		}
		return true
	})
	killMu.Lock()
	killedAt = time.Now()
	killMu.Unlock()
	if err := nodes[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-nodes[0].exited

	// Every sender is served again.
	waitFor(t, 30*time.Second, "every sender acknowledged after the kill", func() bool {
		for _, s := range streams {
			s.mu.Lock()
			ok := !s.firstAfterKill.IsZero()
			s.mu.Unlock()
			if !ok {
				return false
			}
		}
		return true
	})
	var recovered time.Time
	worst := time.Duration(0)
	for _, s := range streams {
		if d := s.firstAfterKill.Sub(killedAt); d > worst {
			worst = d
		}
		if s.firstAfterKill.After(recovered) {
			recovered = s.firstAfterKill
		}
	}
	t.Logf("every sender served again within %s of the kill", worst.Round(time.Millisecond))
	// The cluster has recovered once the survivors dropped the dead node and their
	// gateways registered their connections again: actors that lived on it start afresh
	// elsewhere and learn their online members from that.
	// Room members are back once their entries were answered (rooms keep no backlog).
	for _, n := range nodes[1:] {
		for _, line := range []string{"connections registered again", "rooms entered again"} {
			var at time.Time
			waitFor(t, 30*time.Second, n.name+": "+line, func() bool {
				var ok bool
				at, ok = n.loggedAfter(line, killedAt)
				return ok
			})
			if at.After(recovered) {
				recovered = at
			}
		}
	}
	if worst > 5*time.Second {
		t.Errorf("a sender waited %s after the kill (want ≤ 5 s)", worst)
	}
	// Keep sending after recovery, then stop.
	settled := time.Now()
	waitFor(t, 30*time.Second, "traffic after recovery", func() bool {
		for _, s := range streams {
			s.mu.Lock()
			n := 0
			for _, a := range s.acked {
				if a.at.After(settled) {
					n++
				}
			}
			s.mu.Unlock()
			if n < 10 {
				return false
			}
		}
		return true
	})
	close(stop)
	wg.Wait()

	// History: every acknowledged message exactly once, dense sequence numbers.
	checker, err := dial(urls(1), "owner")
	if err != nil {
		t.Fatal(err)
	}
	defer checker.Close()
	total := 0
	for _, s := range streams {
		c, err := dialInto(urls(1), s.sender, s)
		if err != nil {
			t.Fatal(err)
		}
		list := history(t, c, s.to, s.ctype)
		_ = c.Close()
		seen := map[string]int64{}
		for i, msg := range list {
			if msg.MessageSeq != int64(i+1) {
				t.Fatalf("%s→%s: message %d has seq %d (not dense)", s.sender, s.to, i, msg.MessageSeq)
			}
			if _, dup := seen[msg.LocalMessageID]; dup {
				t.Fatalf("%s→%s: %s stored twice", s.sender, s.to, msg.LocalMessageID)
			}
			seen[msg.LocalMessageID] = msg.MessageSeq
		}
		for lid, a := range s.acked {
			seq, ok := seen[lid]
			if !ok {
				t.Fatalf("%s→%s: acknowledged %s (seq %d) is not in history", s.sender, s.to, lid, a.seq)
			}
			if seq != a.seq {
				t.Fatalf("%s→%s: %s acknowledged as seq %d, stored as %d", s.sender, s.to, lid, a.seq, seq)
			}
		}
		total += len(s.acked)
	}
	t.Logf("%d acknowledged messages in %d conversations, each stored once", total, len(streams))

	// Pushes: every message acknowledged after recovery reached its receiver.
	missing := func() []string {
		var out []string
		for _, s := range streams {
			r := receivers[s.receiver]
			// A receiver of the dead node counts from when it was back in: its own
			// reconnection and room entry can complete after the survivors re-entered
			// theirs, and a room keeps no backlog.
			from := recovered
			if at := r.connectedSince(); at.After(from) {
				from = at
			}
			n, first := 0, ""
			s.mu.Lock()
			for _, lid := range s.order {
				if a := s.acked[lid]; a.at.After(from.Add(time.Second)) && !r.has(lid) {
					if n == 0 {
						first = fmt.Sprintf("%s acked %s after the kill", lid, a.at.Sub(killedAt).Round(time.Millisecond))
					}
					n++
				}
			}
			s.mu.Unlock()
			if n > 0 {
				out = append(out, fmt.Sprintf("%s→%s (receiver %s): %d missing, first %s", s.sender, s.to, s.receiver, n, first))
			}
		}
		return out
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(missing()) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the polling interval
	}
	close(stopRecv)
	recvWG.Wait()
	if miss := missing(); len(miss) > 0 {
		t.Fatalf("receivers were not pushed messages acknowledged after recovery (%s after the kill):\n%s",
			recovered.Sub(killedAt).Round(time.Millisecond), strings.Join(miss, "\n"))
	}
}

// runSender sends numbered messages to s.to until stop, reconnecting to another node
// when its connection or node goes, and resending a message that was not acknowledged
// with the same localMessageID.
func runSender(t *testing.T, s *stream, urls func() []string, stop <-chan struct{}, killedAt func() time.Time) {
	var c *client.Client
	defer func() {
		if c != nil {
			_ = c.Close()
		}
	}()
	for k := 0; ; {
		select {
		case <-stop:
			return
		default:
		}
		if c == nil {
			var err error
			if c, err = dialInto(urls(), s.sender, s); err != nil {
				c = nil
				time.Sleep(50 * time.Millisecond) // backoff before the next attempt
				continue
			}
		}
		lid := fmt.Sprintf("%s-%d", s.sender, k)
		ctx, cancel := bg(3 * time.Second)
		sent, err := c.SendMessage(ctx, &m.Message{Type: actors.MsgText, Message: "msg " + lid, LocalMessageID: lid}, s.to, s.ctype, nil)
		cancel()
		if err != nil {
			if client.Code(err) == 0 { // the connection failed: reconnect
				_ = c.Close()
				c = nil
			}
			continue // the same localMessageID again
		}
		now := time.Now()
		s.mu.Lock()
		if _, again := s.acked[lid]; !again {
			s.order = append(s.order, lid)
		}
		s.acked[lid] = ackedMsg{seq: sent.MessageSeq, at: now}
		if k0 := killedAt(); !k0.IsZero() && s.firstAfterKill.IsZero() {
			s.firstAfterKill = now
		}
		s.mu.Unlock()
		k++
	}
}

// dialInto logs user in and, for a room stream, enters the room (a room lives on the
// connections in it: a new connection enters again).
func dialInto(urls []string, user string, s *stream) (*client.Client, error) {
	c, err := dial(urls, user)
	if err != nil || s.ctype != actors.ConvRoom {
		return c, err
	}
	ctx, cancel := bg(3 * time.Second)
	defer cancel()
	if _, err := c.EnterRoom(ctx, &m.RoomInfo{RoomID: s.to}, nil); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// runReceiver keeps s's receiver logged in on some node (in s's room, for a room) and
// records what it is pushed.
func runReceiver(s *stream, urls func() []string, r *receiver, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		c, err := dialInto(urls(), s.receiver, s)
		if err != nil {
			time.Sleep(50 * time.Millisecond) // backoff before the next attempt
			continue
		}
		r.connected()
		c.OnPeerMessageReceived(func(ev *m.ConversationMessageReceivedEvent) { r.add(ev.MessageList) })
		c.OnGroupMessageReceived(func(ev *m.ConversationMessageReceivedEvent) { r.add(ev.MessageList) })
		c.OnRoomMessageReceived(func(ev *m.ConversationMessageReceivedEvent) { r.add(ev.MessageList) })
		c.On(m.EventCommunityChannelMessageReceived.Name, func(p proto.Message) {
			if ev, ok := p.(*m.ConversationMessageReceivedEvent); ok {
				r.add(ev.MessageList)
			}
		})
		select {
		case <-stop:
			_ = c.Close()
			return
		case <-c.Done():
		}
	}
}

// history reads a whole conversation, oldest first.
func history(t *testing.T, c *client.Client, conv string, ctype int32) []*m.Message {
	t.Helper()
	var out []*m.Message
	var next *m.Message
	for {
		ctx, cancel := bg(5 * time.Second)
		res, err := c.QueryHistoryMessage(ctx, conv, ctype, &m.MessageQueryConfig{Count: 100, NextMessage: next, Reverse: true})
		cancel()
		if err != nil {
			t.Fatalf("history of %s: %v", conv, err)
		}
		out = append(out, res.MessageList...)
		if len(res.MessageList) < 100 {
			return out
		}
		next = res.MessageList[len(res.MessageList)-1]
	}
}

// TestClusterPausedNodeStopsServing: a node paused (SIGSTOP) past its lease is removed
// by the others; when it resumes it answers no request and exits (code 3) to rejoin.
func TestClusterPausedNodeStopsServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three server processes")
	}
	nodes, etcd := startCluster(t)
	c, err := dial([]string{nodes[2].url}, "paused-user")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cli := etcd.Client(t)
	members := func() int {
		ctx, cancel := bg(2 * time.Second)
		defer cancel()
		res, err := cli.Get(ctx, "/parley-test/"+t.Name()+"/members/", clientv3.WithPrefix())
		if err != nil {
			return -1
		}
		return int(res.Count)
	}
	waitFor(t, 10*time.Second, "three members in etcd", func() bool { return members() == 3 })
	if err := nodes[2].cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the paused node removed by its lease", func() bool { return members() == 2 })
	// The others serve on: a user logs in and sends on node1.
	other, err := dial([]string{nodes[1].url}, "other-user")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := bg(5 * time.Second)
	_, err = other.SendText(ctx, "still here", "paused-user", actors.ConvPeer)
	cancel()
	_ = other.Close()
	if err != nil {
		t.Fatalf("the cluster without the paused node: %v", err)
	}
	if err := nodes[2].cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// Resumed, it must not serve: the request on its old connection is refused (or the
	// connection closed), never acknowledged.
	ctx, cancel = bg(5 * time.Second)
	_, err = c.SendText(ctx, "after the pause", "other-user", actors.ConvPeer)
	cancel()
	if err == nil {
		t.Fatal("a paused node past its lease acknowledged a message after it resumed")
	}
	select {
	case <-nodes[2].exited:
	case <-time.After(15 * time.Second):
		t.Fatal("the fenced node did not stop")
	}
	var exit *exec.ExitError
	if !errors.As(nodes[2].err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("the fenced node ended with %v, want exit code 3", nodes[2].err)
	}
}

// TestServeOnPostgresSurvivesAnOutage: while PostgreSQL is down a send is refused with
// 6000008 (never acknowledged without being stored); when it returns the node serves
// again by itself and history holds exactly the acknowledged messages.
func TestServeOnPostgresSurvivesAnOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	pg := pgtest.NewServer(t)
	etcd := etcdtest.Start(t)
	node := startNode(t, "node", pg.DSN(), etcd.Endpoint())
	alice, err := dial([]string{node.url}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	bob, err := dial([]string{node.url}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	_ = bob.Close()
	send := func(text string) error {
		ctx, cancel := bg(10 * time.Second)
		defer cancel()
		_, err := alice.SendMessage(ctx, &m.Message{Type: actors.MsgText, Message: text, LocalMessageID: text}, "bob", actors.ConvPeer, nil)
		return err
	}
	if err := send("before"); err != nil {
		t.Fatal(err)
	}
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	err = send("during")
	if code := client.Code(err); code != actors.ErrStorage.Code {
		t.Fatalf("a send while PostgreSQL is down: %v (want %d)", err, actors.ErrStorage.Code)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "sends accepted again", func() bool { return send("after") == nil })
	list := history(t, alice, "bob", actors.ConvPeer)
	var got []string
	for _, msg := range list {
		got = append(got, msg.LocalMessageID)
	}
	if fmt.Sprint(got) != "[before after]" {
		t.Fatalf("history %v, want [before after]", got)
	}
}

// TestServeRefusesUnreachableBackends: an unreachable PostgreSQL or etcd at start-up is
// a clear error naming what failed and how to fix it.
func TestServeRefusesUnreachableBackends(t *testing.T) {
	bin := parleyBinary(t)
	run := func(args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--dev", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...)...)
		cmd.Env = withoutParleyEnv() // PARLEY_POSTGRES_DSN (CI sets it) would fill the flag left out on purpose
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("%v: want exit code 1, got %v\n%s", args, err, out)
		}
		return string(out)
	}
	out := run("--store", "postgres", "--postgres-dsn", "postgres://parley:secret-pw@127.0.0.1:1/parley?connect_timeout=2")
	if !regexp.MustCompile(`(?s)cannot reach PostgreSQL at 127\.0\.0\.1:1.*is PostgreSQL running\? set --postgres-dsn`).MatchString(out) || regexp.MustCompile(`secret-pw`).MatchString(out) {
		t.Fatalf("unreachable PostgreSQL: %s", out)
	}
	out = run("--store", "postgres")
	if !regexp.MustCompile(`--store postgres needs --postgres-dsn`).MatchString(out) {
		t.Fatalf("no DSN: %s", out)
	}
	out = run("--etcd", "127.0.0.1:1")
	if !regexp.MustCompile(`--etcd needs --store postgres`).MatchString(out) {
		t.Fatalf("etcd on badger: %s", out)
	}
	pgtest.Require(t)
	out = run("--store", "postgres", "--postgres-dsn", pgtest.Start(t), "--etcd", "127.0.0.1:1")
	if !regexp.MustCompile(`(?s)cannot reach etcd at 127\.0\.0\.1:1.*is etcd running\? set --etcd`).MatchString(out) {
		t.Fatalf("unreachable etcd: %s", out)
	}
}

// withoutParleyEnv is this process's environment without PARLEY_* variables (serve reads
// any flag not given from PARLEY_<FLAG>).
func withoutParleyEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARLEY_") {
			out = append(out, kv)
		}
	}
	return out
}
