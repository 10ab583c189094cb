package gateway

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/parley-chat/parley/messages"
)

// fanout is the node-local fan-out actor: actors send it one Deliver per node and push,
// and it hands the same encoded bytes to every listed local connection's bounded writer
// queue. It never blocks on a connection.
type fanout struct {
	reg     *registry
	log     *slog.Logger
	metrics *metrics
	rooms   roomHub // this node's connections of each room (room_fanout.go)
}

func (f *fanout) Receive(ctx actor.Context) {
	if f.roomMessage(ctx.Message()) {
		return
	}
	d, ok := ctx.Message().(*messages.Deliver)
	if !ok || d.Push == nil {
		return
	}
	f.deliver(d)
}

// deliver encodes the push at most once per codec and enqueues it.
func (f *fanout) deliver(d *messages.Deliver) {
	var frames [2][]byte
	var failed [2]bool
	for _, id := range d.ConnIDs {
		c := f.reg.get(id)
		if c == nil || id == d.ExceptConnID {
			continue
		}
		cd := c.codec
		if frames[cd] == nil && !failed[cd] {
			b, err := cd.pushFrame(d.Push)
			if err != nil {
				f.log.Error("encode push", "event", d.Push.Event, "err", err)
				failed[cd] = true
				continue
			}
			frames[cd] = frame(c.msgType, b) // framed once, shared by every recipient
		}
		if failed[cd] {
			continue
		}
		if c.enqueuePriority(frames[cd], d.Priority) {
			f.metrics.pushes.Add(1)
		}
		if d.CloseCode != 0 {
			c.closeWith(disconnectFor(int(d.CloseCode)))
		}
	}
}
