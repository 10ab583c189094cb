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
// push at most once per codec (and decoding it at most once for in-process
// connections). It never blocks; any goroutine may call it.
func (l *localDelivery) DeliverPush(d *messages.Deliver) {
	var enc encodedPush
	for _, id := range d.ConnIDs {
		c := l.reg.get(id)
		if c == nil || id == d.ExceptConnID {
			continue
		}
		if c.sink != nil {
			if evs := enc.events(l.log, d.Push.Event, d.Push.Type, d.Push.Data); evs != nil {
				c.pushLocal(evs, d.Priority)
			}
		} else if f := enc.frame(l.log, c.codec, d.Push.Event, d.Push.Type, d.Push.Data, nil); f != nil {
			if c.enqueuePriority(f, d.Priority) {
				l.metrics.pushes.Add(1)
			}
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

// encodedPush is one push made ready for each kind of local connection, at most once
// per delivery: a WebSocket frame per codec, and the decoded event for in-process
// connections (local.go). The same bytes (the same event) go to every recipient.
type encodedPush struct {
	frames [2][]byte
	ev     Event
	one    []Event // ev alone, made once per delivery (a sink copies what it keeps)
	failed [3]bool // per codec; [2]: decoding for in-process connections
}

// frame returns the push as a WebSocket frame of codec cd (nil when it cannot be
// encoded). The push is payload, or when payload is nil the encoded data of type typ.
func (e *encodedPush) frame(log *slog.Logger, cd codec, event, typ string, data []byte, payload proto.Message) []byte {
	if e.frames[cd] == nil && !e.failed[cd] {
		b, err := cd.pushWSFrame(event, typ, data, payload)
		if err != nil {
			log.Error("encode push", "event", event, "err", err)
			e.failed[cd] = true
			return nil
		}
		e.frames[cd] = b // framed once, shared by every recipient
	}
	return e.frames[cd]
}

// event returns the push as an in-process connection gets it, decoding encoded data once.
func (e *encodedPush) event(log *slog.Logger, event, typ string, data []byte, payload proto.Message) (Event, bool) {
	if e.ev.Payload == nil && !e.failed[2] {
		if payload == nil {
			m, err := decodePush(typ, data)
			if err != nil {
				log.Error("decode push", "event", event, "err", err)
				e.failed[2] = true
				return Event{}, false
			}
			payload = m
		}
		e.ev = Event{Name: event, Payload: payload}
	}
	return e.ev, !e.failed[2]
}

// events is the push as the one event of a delivery to an in-process connection (nil
// when it cannot be decoded).
func (e *encodedPush) events(log *slog.Logger, event, typ string, data []byte) []Event {
	if e.one == nil {
		ev, ok := e.event(log, event, typ, data, nil)
		if !ok {
			return nil
		}
		e.one = []Event{ev}
	}
	return e.one
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
	var evs []Event // for in-process connections only: allocated when there is one
	for _, id := range ids {
		c := l.reg.get(id)
		if c == nil {
			continue
		}
		cd := c.codec
		frames, evs = frames[:0], evs[:0]
		for i := range events {
			ev, e := &events[i], &enc[i]
			if ev.Except == id {
				continue
			}
			event, typ, data := ev.Name, "", []byte(nil)
			if ev.Push != nil {
				event, typ, data = ev.Push.Event, ev.Push.Type, ev.Push.Data
			}
			if c.sink != nil {
				if out, ok := e.event(l.log, event, typ, data, ev.Payload); ok {
					evs = append(evs, out)
				}
			} else if f := e.frame(l.log, cd, event, typ, data, ev.Payload); f != nil {
				frames = append(frames, f)
			}
		}
		if len(evs) > 0 {
			c.pushLocal(evs, 0)
		}
		if len(frames) > 0 && c.enqueueFrames(frames) {
			l.metrics.pushes.Add(int64(len(frames)))
		}
	}
}
