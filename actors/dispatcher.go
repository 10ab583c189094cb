package actors

import "github.com/asynkron/protoactor-go/actor"

// poolDispatcher runs actor mailboxes on long-lived worker goroutines. protoactor's
// default dispatcher starts a new goroutine each time a mailbox gets work, and that
// goroutine grows its stack again through parley's handlers (store writes, protobuf
// encoding): measured at about 15 % of the server's CPU under load. A worker keeps its
// grown stack. When no worker is idle the mailbox gets a goroutine of its own, as with
// the default dispatcher, so a handler that blocks can never starve the others.
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

// Schedule hands fn to an idle worker, or to a new goroutine when none is idle.
func (d *poolDispatcher) Schedule(fn func()) {
	select {
	case d.work <- fn:
	default:
		go fn()
	}
}

func (d *poolDispatcher) Throughput() int { return d.throughput }

// stop ends the idle workers; later Schedules run on goroutines of their own.
func (d *poolDispatcher) stop() { close(d.quit) }
