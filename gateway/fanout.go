package gateway

import (
	"log/slog"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// fanout is the node-local fan-out actor: actors send it one Deliver per node and push,
// and it hands the same encoded bytes to every listed local connection's bounded writer
// queue. It never blocks on a connection. Deliveries go through the node's localDelivery,
// which actors of this node also call directly.
type fanout struct {
	*localDelivery
	rooms roomHub // this node's connections of each room (room_fanout.go)
}

// receive handles one message sent to the node's fan-out process.
func (f *fanout) receive(msg proto.Message) {
	if f.roomMessage(msg) {
		return
	}
	d, ok := msg.(*messages.Deliver)
	if !ok || d.Push == nil {
		return
	}
	f.DeliverPush(d)
}

// DeliverPush hands one Deliver to its local connections' writer queues, encoding the
// push at most once per codec. It never blocks; any goroutine may call it.
func (l *localDelivery) DeliverPush(d *messages.Deliver) {
	var frames [2][]byte
	var failed [2]bool
	for _, id := range d.ConnIDs {
		c := l.reg.get(id)
		if c == nil || id == d.ExceptConnID {
			continue
		}
		cd := c.codec
		if frames[cd] == nil && !failed[cd] {
			b, err := cd.pushWSFrame(d.Push.Event, d.Push.Type, d.Push.Data, nil)
			if err != nil {
				l.log.Error("encode push", "event", d.Push.Event, "err", err)
				failed[cd] = true
				continue
			}
			frames[cd] = b // framed once, shared by every recipient
		}
		if failed[cd] {
			continue
		}
		if c.enqueuePriority(frames[cd], d.Priority) {
			l.metrics.pushes.Add(1)
		}
		if d.CloseCode != 0 {
			c.closeWith(disconnectFor(int(d.CloseCode)))
		}
	}
}

// localDelivery takes the pushes of this node's actors for this node's connections
// (actors.LocalDelivery) and queues them on the calling actor's goroutine: each event
// encoded at most once per codec, straight into a WebSocket frame, and each
// connection's frames of one call queued with one enqueue. Queuing at once keeps the
// order the actors' work gives (a group's groupMessageReceived, queued before the group
// tells the user actors, ahead of their conversationChanged). Through the fan-out actor
// instead, every push of the node waited for that one mailbox, which under load got a
// turn among hundreds of runnable goroutines: at saturation of the 1:1 benchmark its
// backlog held pushes for seconds while acknowledgements took milliseconds.
type localDelivery struct {
	reg     *registry
	log     *slog.Logger
	metrics *metrics
}

var _ actors.LocalDelivery = (*localDelivery)(nil)

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
	var frames [][]byte
	for _, id := range ids {
		c := l.reg.get(id)
		if c == nil {
			continue
		}
		cd := c.codec
		frames = frames[:0]
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
			frames = append(frames, e.frames[cd])
		}
		if len(frames) > 0 && c.enqueueFrames(frames) {
			l.metrics.pushes.Add(int64(len(frames)))
		}
	}
}
