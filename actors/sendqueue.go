package actors

import (
	"errors"

	"github.com/parley-chat/parley/actors/runtime"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// A conversation owner (peer, group, channel) stores its sends in batches: a checked
// sendMessage waits in the owner's sendQueue for the LogFlush the first queued send
// posted to the owner's own mailbox, behind the requests already there, and one write
// then stores them all (msgLog.appendAll) and answers each caller the queue kept. The
// owner drains the queue before handling any other message, so everything keeps its
// arrival order. Before, a conversation stored one message per commit cycle of the
// store, however many waited.

// queuedSend is a checked sendMessage waiting for its write.
type queuedSend struct {
	call   *messages.Call
	caller runtime.Caller
	m      *messages.Message
}

// logFlush is the one LogFlush every owner sends itself (messages are read-only).
var logFlush = &messages.LogFlush{}

type sendQueue struct {
	items    []queuedSend
	flushing bool // a LogFlush is in the mailbox
}

func (q *sendQueue) empty() bool { return len(q.items) == 0 }

// add queues a checked send of the current call and makes sure a LogFlush follows; the
// handler then returns errLater.
func (q *sendQueue) add(g *grain, call *messages.Call, m *messages.Message) {
	q.items = append(q.items, queuedSend{call: call, caller: g.Caller(), m: m})
	if !q.flushing {
		q.flushing = true
		g.SendSelf(logFlush)
	}
}

// before drains the queue unless msg is a send (which queues behind the others) and
// reports whether msg was the LogFlush itself (fully handled then).
func (q *sendQueue) before(g *grain, msg proto.Message, c sendConsumer) (handled bool) {
	switch m := msg.(type) {
	case *messages.LogFlush:
		q.flushing = false
		q.drain(g, c)
		return true
	case *messages.Call:
		if m.Method == "sendMessage" {
			return false
		}
	}
	q.drain(g, c)
	return false
}

// sendConsumer is what an owner does with its queued sends.
type sendConsumer interface {
	chatLog() *msgLog
	// logExtra adds the owner's records (if any) to the write of messages first..last.
	logExtra(b *persistence.Batch, first, last int64)
	// sendOne handles one send on its own: a command message (never stored), or any
	// message when the batch write was refused (append sorts resends out).
	sendOne(g *grain, s queuedSend) (*messages.MessageSentResult, error)
	// stored tells the others about a message the batch stored and returns the caller's
	// result.
	stored(g *grain, s queuedSend, m *messages.Message) *messages.MessageSentResult
}

// One write takes at most this many queued messages, and about this many bytes of them
// (the store's transactions are bounded; a hot conversation can queue thousands).
const (
	maxBatchMessages = 256
	maxBatchBytes    = 512 << 10
)

// drain stores the queued messages, up to maxBatchMessages / maxBatchBytes per write,
// and answers their callers in order.
func (q *sendQueue) drain(g *grain, c sendConsumer) {
	items := q.items
	if len(items) == 0 {
		return
	}
	q.items = nil
	answered := 0
	defer func() { // a panic: none of them is left without an answer
		for _, s := range items[answered:] {
			g.Answer(s.caller, nil, ErrInternal)
		}
	}()
	for len(items[answered:]) > 0 {
		rest := items[answered:]
		q.store(g, c, rest[:chunkLen(rest)], &answered)
	}
}

// chunkLen is how many of items (at least one) go into one write.
func chunkLen(items []queuedSend) int {
	n, size := 0, 0
	for n < len(items) && n < maxBatchMessages && (n == 0 || size < maxBatchBytes) {
		m := items[n].m
		size += len(m.Message) + len(m.ExtendedData) + len(m.SearchedContent) + 256
		n++
	}
	return n
}

// store writes the messages of chunk with one write and answers each; answered counts
// the answers given.
func (q *sendQueue) store(g *grain, c sendConsumer, chunk []queuedSend, answered *int) {
	ms := make([]*messages.Message, 0, len(chunk))
	for _, s := range chunk {
		if s.m.Type != MsgCommand {
			ms = append(ms, s.m)
		}
	}
	var stored []*messages.Message
	var err error
	if len(ms) > 0 {
		ctx, cancel := g.CallCtx()
		stored, err = c.chatLog().appendAll(ctx, ms, c.logExtra)
		cancel()
	}
	batched := !errors.Is(err, persistence.ErrConflict)
	for _, s := range chunk {
		var res *messages.MessageSentResult
		var serr error
		switch {
		case s.m.Type == MsgCommand || !batched:
			res, serr = c.sendOne(g, s)
		case err != nil:
			serr = err
		default:
			res = c.stored(g, s, stored[0])
			stored = stored[1:]
		}
		*answered++
		g.Answer(s.caller, res, serr)
	}
}
