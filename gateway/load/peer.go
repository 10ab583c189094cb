package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/parley-chat/parley/messages"
)

// session is one logged-in raw connection of a run.
type session struct {
	c     *rawConn
	index uint32
	user  string
	// The session's sender and receiver indexes in the running engine (-1: none).
	sender, receiver int
}

// login dials and logs n users in (Concurrency at a time), returning the sessions and
// the login latencies.
// loginAll logs in n users named name(i) for a sending scenario; closeAll closes their
// connections.
func loginAll(ctx context.Context, cfg Config, n int, name func(int) string) (sessions []*session, closeAll func(), err error) {
	sessions, _, err = login(ctx, cfg, n, name)
	if err != nil {
		return nil, nil, err
	}
	return sessions, func() {
		for _, s := range sessions {
			_ = s.c.close()
		}
	}, nil
}

func login(ctx context.Context, cfg Config, n int, name func(int) string) ([]*session, *histogram, error) {
	sessions := make([]*session, n)
	hists := make([]histogram, cfg.Concurrency)
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < cfg.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range next {
				s, d, err := loginOne(ctx, cfg, uint32(i), name(i))
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				hists[w].add(d)
				sessions[i] = s
			}
		}(w)
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	var h histogram
	for i := range hists {
		h.merge(&hists[i])
	}
	if firstErr != nil {
		for _, s := range sessions {
			if s != nil {
				_ = s.c.close()
			}
		}
		return nil, &h, firstErr
	}
	return sessions, &h, nil
}

func loginOne(ctx context.Context, cfg Config, index uint32, user string) (*session, time.Duration, error) {
	start := time.Now()
	bufSize := readBuffer
	if cfg.Scenario == "login" || cfg.Scenario == "idle" {
		bufSize = readBufferQuiet
	}
	c, err := dialRaw(ctx, cfg.Target, bufSize)
	if err != nil {
		return nil, 0, err
	}
	s := &session{c: c, index: index, user: user}
	if err := s.call(1, messages.MethodLogin.Name, &messages.LoginParams{UserID: user, Token: cfg.token(user)}); err != nil {
		_ = c.close()
		return nil, 0, err
	}
	return s, time.Since(start), nil
}

// messageBody digs the first message's `message` field out of a
// ConversationMessageReceivedEvent without decoding the rest.
func messageBody(data []byte) []byte {
	list := field(data, 1) // messageList
	if list == nil {
		return nil
	}
	return field(list, 13) // Message.message
}

// field returns the first length-delimited field num of a protobuf message.
func field(b []byte, num protowire.Number) []byte {
	for len(b) > 0 {
		n, typ, m := protowire.ConsumeTag(b)
		if m < 0 {
			return nil
		}
		b = b[m:]
		if n == num && typ == protowire.BytesType {
			v, k := protowire.ConsumeBytes(b)
			if k < 0 {
				return nil
			}
			return v
		}
		k := protowire.ConsumeFieldValue(n, typ, b)
		if k < 0 {
			return nil
		}
		b = b[k:]
	}
	return nil
}

// runPeer: Conns users in Conns/2 pairs; everyone sends to its partner.
func runPeer(ctx context.Context, cfg Config) (*Result, error) {
	n := cfg.Conns &^ 1
	if n < 2 {
		return nil, fmt.Errorf("load: peer needs at least 2 connections")
	}
	name := func(i int) string { return cfg.Prefix + "u" + strconv.Itoa(i) }
	sessions, closeAll, err := loginAll(ctx, cfg, n, name)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	partner := func(i int) int { return i ^ 1 }
	return runSenders(ctx, cfg, "peer", sessions, sessions, func(i int) (string, int32, []int) {
		return name(partner(i)), 0, []int{partner(i)}
	}, messages.EventPeerMessageReceived.Name)
}

// target names where sender i sends: conversation ID and type, and the indexes of the
// receivers (each must get every message exactly once).
type target func(i int) (convID string, convType int32, receivers []int)

// transport is how a run reaches the server: over WebSockets or straight to the actors.
type transport interface {
	// send issues one sendMessage of sender i with request id; the outcome must come back
	// through engine.acked, and deliveries through engine.delivered.
	send(i int, id uint32, p *messages.SendMessageParams) error
}

type senderState struct {
	mu     sync.Mutex
	sentAt map[uint32]time.Time
	acked  []uint64        // seqs acknowledged
	failed map[uint64]bool // seqs refused with an error code: not expected anywhere
	sem    chan struct{}
	ack    histogram
	last   uint64 // last seq used
}

// engine drives senders and accounts for every message exactly.
type engine struct {
	cfg     Config
	states  []*senderState
	ledgers []*ledger // one per receiver: its deliveries and their latencies
	// deliveries counts every delivery, sharded by receiver: the receivers' goroutines
	// do not contend on one counter.
	deliveries shardedCounter
	cnt        counters
	errs       errCounter
	// injected counts deliveries accounted twice by dupDelivery: the drain waits for
	// the real ones.
	injected atomic.Uint64
}

func newEngine(cfg Config, senders, receivers int) *engine {
	e := &engine{cfg: cfg, states: make([]*senderState, senders), ledgers: make([]*ledger, receivers)}
	for i := range e.states {
		e.states[i] = &senderState{sentAt: map[uint32]time.Time{}, failed: map[uint64]bool{}, sem: make(chan struct{}, cfg.InFlight)}
	}
	for i := range e.ledgers {
		e.ledgers[i] = newLedger()
	}
	e.cnt.delivered = e.deliveries.load
	return e
}

// acked records the reply to sender si's request id (code 0: success).
func (e *engine) acked(si int, id uint32, code int32) {
	st := e.states[si]
	st.mu.Lock()
	at, ok := st.sentAt[id]
	delete(st.sentAt, id)
	if ok && code == 0 {
		st.ack.add(time.Since(at))
		st.acked = append(st.acked, uint64(id))
	} else if ok {
		st.failed[uint64(id)] = true
	}
	st.mu.Unlock()
	if !ok {
		return
	}
	if code != 0 {
		e.errs.add(strconv.Itoa(int(code)))
		e.cnt.errors.Add(1)
	} else {
		e.cnt.acked.Add(1)
	}
	<-st.sem
}

// delivered records one message body pushed to receiver ri, received at at.
func (e *engine) delivered(ri int, body []byte, at time.Time) {
	sender, seq, sentAt, ok := parseTag(body)
	if !ok {
		return
	}
	e.mark(ri, sender, seq, at.Sub(sentAt))
}

// mark accounts one delivery of (sender, seq) to receiver ri.
func (e *engine) mark(ri int, sender uint32, seq uint64, lat time.Duration) {
	if e.cfg.dropDelivery != nil && e.cfg.dropDelivery(ri, sender, seq) {
		return // received, then "lost": must come out as lost
	}
	if e.cfg.dupDelivery != nil && e.cfg.dupDelivery(ri, sender, seq) {
		e.injected.Add(1) // received twice: must come out as duplicate
		e.ledgers[ri].mark(sender, seq, lat)
		e.deliveries.add(ri, 1)
	}
	e.ledgers[ri].mark(sender, seq, lat)
	e.deliveries.add(ri, 1)
}

// run sends until Duration or Count, drains, and accounts.
func (e *engine) run(ctx context.Context, scenario, mode string, tr transport, to target) (*Result, error) {
	seqBase, err := e.warmUp(tr, to)
	if err != nil {
		return nil, err
	}
	warm := e.startMeasuring()
	start := time.Now()
	stopProgress := progress(ctx, e.cfg.Progress, start, &e.cnt)
	e.sendLoad(ctx, tr, to, seqBase, start)
	sendEnd := time.Now()
	e.drain(to, warm.delivered)
	end := time.Now()
	stopProgress()
	return e.result(scenario, mode, to, seqBase, warm, start, sendEnd, end), nil
}

// sendMessage sends sender i's message seq to its target (or skips it when the test hook
// says so: counted as sent, never sent, it must come out as lost).
func (e *engine) sendMessage(tr transport, to target, i int, seq uint64) error {
	st := e.states[i]
	convID, ctype, _ := to(i)
	if e.cfg.skipSend != nil && e.cfg.skipSend(uint32(i), seq) {
		return nil
	}
	st.sem <- struct{}{}
	st.mu.Lock()
	st.sentAt[uint32(seq)] = time.Now()
	st.mu.Unlock()
	e.cnt.sent.Add(1)
	p := sendParams(tag(uint32(i), seq, e.cfg.Size), convID, ctype, e.cfg.Priority)
	p.Config.HasReceipt = e.cfg.Receipts && ctype != 1
	return tr.send(i, uint32(seq), p)
}

// warmUp, with Config.Warmup, sends one acknowledged (and delivered) message per
// sender, not measured; it returns each sender's last warm-up seq (the measured
// messages follow it): 1 with a warm-up, 0 without.
func (e *engine) warmUp(tr transport, to target) ([]uint64, error) {
	seqBase := make([]uint64, len(e.states))
	if !e.cfg.Warmup {
		return seqBase, nil
	}
	var expected uint64
	for i := range e.states {
		if err := e.sendMessage(tr, to, i, 1); err != nil {
			return nil, err
		}
		seqBase[i] = 1
		_, _, recv := to(i)
		expected += uint64(len(recv))
	}
	e.awaitWarmUp(expected)
	return seqBase, nil
}

// awaitWarmUp waits for the warm-up acks (30 s), then for their expected deliveries
// (30 s more). Warm-up messages never count in the accounting, whether they arrive or
// not. Waiting for every warm-up delivery also waits out what setting up queued ahead
// of it on each connection (a room's members got a roomMemberJoined for each later
// member: n²/2 pushes), so the measured messages do not queue behind it.
func (e *engine) awaitWarmUp(expected uint64) {
	n := uint64(len(e.states))
	deadline := time.Now().Add(30 * time.Second)
	for e.cnt.acked.Load()+e.cnt.errors.Load() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	deadline = time.Now().Add(30 * time.Second)
	for e.cnt.delivered() < expected && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// warmCounts is what the warm-up sent and delivered: the measurement subtracts it.
type warmCounts struct{ sent, delivered uint64 }

// startMeasuring forgets the warm-up's latencies and acks, calls Config.OnMeasure,
// and returns the warm-up's counts.
func (e *engine) startMeasuring() warmCounts {
	warm := warmCounts{sent: e.cnt.sent.Load(), delivered: e.cnt.delivered()}
	for _, l := range e.ledgers {
		l.resetLatencies()
	}
	for _, st := range e.states {
		st.mu.Lock()
		st.ack, st.acked = histogram{}, nil
		st.mu.Unlock()
	}
	if e.cfg.OnMeasure != nil {
		e.cfg.OnMeasure()
	}
	return warm
}

// sendPlan is when the senders stop and how fast they send.
type sendPlan struct {
	start     time.Time
	stopAt    time.Time     // zero: no Duration
	budget    chan struct{} // nil: no Count; else Count tokens shared by all senders, closed
	perSender float64       // messages/s of each sender; 0: as fast as acks allow
}

// plan is the send plan of a measurement starting at start.
func (e *engine) plan(start time.Time) sendPlan {
	p := sendPlan{start: start}
	if e.cfg.Duration > 0 {
		p.stopAt = start.Add(e.cfg.Duration)
	}
	if e.cfg.Count > 0 {
		p.budget = make(chan struct{}, e.cfg.Count)
		for k := 0; k < e.cfg.Count; k++ {
			p.budget <- struct{}{}
		}
		close(p.budget)
	}
	if e.cfg.Rate > 0 {
		p.perSender = float64(e.cfg.Rate) / float64(len(e.states))
	}
	return p
}

// sendLoad runs every sender (one goroutine each) until the plan stops them.
func (e *engine) sendLoad(ctx context.Context, tr transport, to target, seqBase []uint64, start time.Time) {
	p := e.plan(start)
	var wg sync.WaitGroup
	for i := range e.states {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e.sender(ctx, tr, to, p, i, seqBase[i])
		}(i)
	}
	wg.Wait()
}

// sender sends sender i's messages seq+1, seq+2, ... until the context ends, the
// Duration passes, the Count budget is spent or a write fails; it records its last seq.
func (e *engine) sender(ctx context.Context, tr transport, to target, p sendPlan, i int, seq uint64) {
	n := len(e.states)
	for k := 0; ; k++ {
		if ctx.Err() != nil || (!p.stopAt.IsZero() && time.Now().After(p.stopAt)) {
			break
		}
		if p.budget != nil {
			if _, ok := <-p.budget; !ok {
				break
			}
		}
		if p.perSender > 0 {
			if d := time.Until(p.start.Add(due(k, i, n, p.perSender))); d > 0 {
				time.Sleep(d)
			}
		}
		seq++
		if err := e.sendMessage(tr, to, i, seq); err != nil {
			e.errs.add("write")
			break
		}
		if e.cfg.dupSend != nil && e.cfg.dupSend(uint32(i), seq) {
			_ = e.sendMessage(tr, to, i, seq) // the same tag again: a real second message
		}
	}
	st := e.states[i]
	st.mu.Lock()
	st.last = seq
	st.mu.Unlock()
}

// expectedDeliveries is how many deliveries the acknowledged messages owe: each to
// every receiver of its sender.
func (e *engine) expectedDeliveries(to target) uint64 {
	var x uint64
	for i, st := range e.states {
		_, _, recv := to(i)
		st.mu.Lock()
		x += uint64(len(st.acked)) * uint64(len(recv))
		st.mu.Unlock()
	}
	return x
}

// pendingAcks is how many sent messages await their ack.
func (e *engine) pendingAcks() int {
	pending := 0
	for _, st := range e.states {
		st.mu.Lock()
		pending += len(st.sentAt)
		st.mu.Unlock()
	}
	return pending
}

// drain waits, at most Config.Drain, until every ack and every expected delivery has
// come.
func (e *engine) drain(to target, warmDelivered uint64) {
	for drainUntil := time.Now().Add(e.cfg.Drain); time.Now().Before(drainUntil); time.Sleep(5 * time.Millisecond) {
		if e.pendingAcks() == 0 && e.cnt.delivered()-e.injected.Load()-warmDelivered >= e.expectedDeliveries(to) {
			break
		}
	}
}

// result is the measurement's counts, rates, latencies and exact accounting.
func (e *engine) result(scenario, mode string, to target, seqBase []uint64, warm warmCounts, start, sendEnd, end time.Time) *Result {
	res := &Result{Scenario: scenario, Mode: mode, Errors: e.errs.snapshot()}
	var ack, dl histogram
	for _, st := range e.states {
		st.mu.Lock()
		ack.merge(&st.ack)
		st.mu.Unlock()
	}
	for _, l := range e.ledgers {
		l.mergeLatencies(&dl)
	}
	e.account(res, to, seqBase)
	res.Sent = e.cnt.sent.Load() - warm.sent
	res.Acked = ack.n
	res.Delivered = e.cnt.delivered() - warm.delivered
	sendSecs := sendEnd.Sub(start).Seconds()
	res.Duration = end.Sub(start).Seconds()
	res.SentPerSec = float64(res.Sent) / sendSecs
	res.AckedPerSec = float64(res.Acked) / sendSecs
	res.DeliveredPerS = float64(res.Delivered) / res.Duration
	res.Ack, res.Delivery = ack.summary(), dl.summary()
	return res
}

// account fills res's Expected, Lost and Duplicates exactly: every message a sender
// counted (seqBase+1 .. last), unless the server refused it, must have reached each of
// its receivers exactly once.
func (e *engine) account(res *Result, to target, seqBase []uint64) {
	for i, st := range e.states {
		_, _, recv := to(i)
		st.mu.Lock()
		first, last, failed := seqBase[i]+1, st.last, st.failed
		st.mu.Unlock()
		for _, r := range recv {
			for s := first; s <= last; s++ {
				if failed[s] {
					continue
				}
				g, d := e.ledgers[r].countOne(uint32(i), s)
				res.Expected++
				res.Lost += 1 - g
				res.Duplicates += d
			}
		}
	}
}

// wsTransport sends over raw WebSocket sessions; one reader per session feeds the engine.
type wsTransport struct {
	senders []*session
}

func (t *wsTransport) send(i int, id uint32, p *messages.SendMessageParams) error {
	return t.senders[i].c.write(request(id, messages.MethodSendMessage.Name, p))
}

// runSenders runs the engine over WebSockets: senders send, every receiver's pushes of
// the given event are accounted.
func runSenders(ctx context.Context, cfg Config, scenario string, senders, receivers []*session, to target, event string) (*Result, error) {
	e := newEngine(cfg, len(senders), len(receivers))
	all := make([]*session, 0, len(senders)+len(receivers))
	seen := map[*session]bool{}
	for _, s := range append(append([]*session{}, senders...), receivers...) {
		if !seen[s] {
			seen[s] = true
			s.sender, s.receiver = -1, -1
			all = append(all, s)
		}
	}
	for i, s := range senders {
		s.sender = i
	}
	for i, s := range receivers {
		s.receiver = i
	}
	stop, err := startReaders(all, func(s *session, f inFrame) {
		switch {
		case len(f.event) == 0:
			if s.sender >= 0 {
				e.acked(s.sender, f.id, f.code)
			}
		case s.receiver >= 0 && string(f.event) == event:
			e.delivered(s.receiver, messageBody(f.data), f.at)
		}
	})
	if err != nil {
		return nil, err
	}
	defer stop()
	return e.run(ctx, scenario, "ws", &wsTransport{senders: senders}, to)
}

func sendParams(body, convID string, ctype, priority int32) *messages.SendMessageParams {
	if priority == 0 {
		priority = 2
	}
	return &messages.SendMessageParams{
		Message:          &messages.Message{Type: 1, Message: body},
		ToConversationID: convID, ConversationType: ctype,
		Config: &messages.MessageSendConfig{Priority: priority},
	}
}

// due is when sender i of n, sending perSender messages/s, sends its k-th message: at
// (k + i/n) / perSender, so that the senders' schedules are spread over each interval.
// (All at k / perSender sent every sender's message at the same instant: bursts of n
// messages that made a run at a third of the capacity look saturated.)
func due(k, i, n int, perSender float64) time.Duration {
	return time.Duration((float64(k) + float64(i)/float64(n)) / perSender * float64(time.Second))
}
