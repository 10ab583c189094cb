package runtime

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// spareIdle is how long a spare worker waits for more work before it exits.
const spareIdle = time.Second

// poolDispatcher runs actor mailboxes on long-lived worker goroutines. protoactor's
// default dispatcher starts a new goroutine each time a mailbox gets work, and that
// goroutine grows its stack again through parley's handlers (store writes, protobuf
// encoding): measured at about 15 % of the server's CPU under load. A worker keeps its
// grown stack.
//
// When no worker is idle (under load many mailboxes wait on store writes at once), the
// mailbox gets a goroutine of its own, as with the default dispatcher, so a handler that
// blocks can never starve the others; that goroutine then stays on as a spare worker
// until it has been idle for spareIdle. With a fixed pool only, most mailbox runs under
// load started a fresh goroutine and paid the stack growth again (copystack: ~10 % of
// the server's CPU in the 1:1 benchmark).
type poolDispatcher struct {
	work       chan func()
	quit       chan struct{}
	throughput int
}

var _ actor.Dispatcher = (*poolDispatcher)(nil)

func newPoolDispatcher(workers, throughput int) *poolDispatcher {
	d := &poolDispatcher{work: make(chan func()), quit: make(chan struct{}), throughput: throughput}
	for i := 0; i < workers; i++ {
		go d.worker()
	}
	return d
}

func (d *poolDispatcher) worker() {
	for {
		select {
		case fn := <-d.work:
			fn()
		case <-d.quit:
			return
		}
	}
}

// spare runs fn, then serves as a worker until it has been idle for spareIdle.
func (d *poolDispatcher) spare(fn func()) {
	fn()
	idle := time.NewTimer(spareIdle)
	defer idle.Stop()
	for {
		select {
		case fn := <-d.work:
			fn()
			idle.Reset(spareIdle)
		case <-idle.C:
			return
		case <-d.quit:
			return
		}
	}
}

// Schedule hands fn to an idle worker, or to a new spare worker when none is idle.
func (d *poolDispatcher) Schedule(fn func()) {
	select {
	case d.work <- fn:
	default:
		go d.spare(fn)
	}
}

func (d *poolDispatcher) Throughput() int { return d.throughput }

// stop ends the idle workers; later Schedules run on goroutines of their own (which exit
// at once).
func (d *poolDispatcher) stop() { close(d.quit) }
