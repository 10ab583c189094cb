package gateway

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/parley-chat/parley/actors"
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
	if fp, ok := ctx.Message().(*framedPushes); ok {
		f.enqueueFramed(fp)
		return
	}
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
			b, err := cd.pushWSFrame(d.Push.Event, d.Push.Type, d.Push.Data, nil)
			if err != nil {
				f.log.Error("encode push", "event", d.Push.Event, "err", err)
				failed[cd] = true
				continue
			}
			frames[cd] = b // framed once, shared by every recipient
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

// localDelivery takes the pushes of this node's user actors for this node's connections
// (actors.LocalDelivery): each event is encoded at most once per codec, straight into a
// WebSocket frame, on the calling actor's goroutine; the frames then go to the fan-out
// actor as one message per call (framedPushes), which queues each connection's frames
// with one enqueue. Going through the fan-out actor keeps every order the fan-out actor
// gave before: a user actor's pushes in its order, and a push another actor sent
// earlier (a group's groupMessageReceived) ahead of the user actor's pushes it caused
// (the group conversation's conversationChanged).
type localDelivery struct {
	reg    *registry
	log    *slog.Logger
	root   *actor.RootContext
	fanout *actor.PID
}

var _ actors.LocalDelivery = (*localDelivery)(nil)

// framedPushes is one DeliverLocal call, encoded: gateway-internal, it never leaves the
// node (only proto messages cross nodes).
type framedPushes struct {
	items []framedItem
}

type framedItem struct {
	c      *conn
	frames [][]byte
}

type encodedPush struct {
	frames [2][]byte
	failed [2]bool
}

func (l *localDelivery) DeliverLocal(ids []uint64, events []actors.PushEvent) {
	var encBuf [4]encodedPush
	var enc []encodedPush
	if len(events) > len(encBuf) {
		enc = make([]encodedPush, len(events))
	} else {
		enc = encBuf[:len(events)]
	}
	fp := &framedPushes{items: make([]framedItem, 0, len(ids))}
	for _, id := range ids {
		c := l.reg.get(id)
		if c == nil {
			continue
		}
		cd := c.codec
		var frames [][]byte
		for i := range events {
			ev, e := &events[i], &enc[i]
			if ev.Except == id || e.failed[cd] {
				continue
			}
			if e.frames[cd] == nil {
				var b []byte
				var err error
				if ev.Push != nil {
					b, err = cd.pushWSFrame(ev.Push.Event, ev.Push.Type, ev.Push.Data, nil)
				} else {
					b, err = cd.pushWSFrame(ev.Event, "", nil, ev.Payload)
				}
				if err != nil {
					l.log.Error("encode push", "event", ev.Event, "err", err)
					e.failed[cd] = true
					continue
				}
				e.frames[cd] = b
			}
			if frames == nil {
				frames = make([][]byte, 0, len(events))
			}
			frames = append(frames, e.frames[cd])
		}
		if len(frames) > 0 {
			fp.items = append(fp.items, framedItem{c: c, frames: frames})
		}
	}
	if len(fp.items) > 0 {
		l.root.Send(l.fanout, fp)
	}
}

// enqueueFramed queues each connection's frames of one framedPushes at once.
func (f *fanout) enqueueFramed(fp *framedPushes) {
	for _, it := range fp.items {
		if it.c.enqueueFrames(it.frames) {
			f.metrics.pushes.Add(int64(len(it.frames)))
		}
	}
}
