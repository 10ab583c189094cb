// Command rawroom is the bare reference server of parley's room and 1:1 benchmarks:
// plain gorilla/websocket, one goroutine reading and one writing per connection (the
// gorilla chat example's shape), rooms as in-memory sets, no actors, no store, no
// limits (with -data, a 1:1 message is first stored with parley's own store — Badger,
// synced, group commit — as a durable chat server must before it acknowledges). It
// speaks just enough of parley's protocol (the "parley.proto" subprotocol: login,
// enterRoom, sendMessage to a room or to a user, roomMessageReceived and
// peerMessageReceived pushes) for `parley bench room|peer --target` to drive it, and
// serves /metrics with the process's CPU time and resident memory, so that the load
// tool reports its CPU per delivery the way it does parley's. What parley costs beyond
// this is what its design costs.
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/internal/procstat"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// sendQueue is how many frames a connection may have queued; a reader that falls that
// far behind is disconnected (as a chat server drops a slow consumer).
const sendQueue = 4096

type server struct {
	up    websocket.Upgrader
	mu    sync.Mutex
	rooms map[string]map[*client]struct{}
	users map[string]*client // the last login of each user
	db    persistence.Store  // nil: 1:1 messages are not stored
	seq   atomic.Uint64      // key of the next stored message
}

type client struct {
	ws   *websocket.Conn
	send chan []byte
	user string
	room string
	once sync.Once
}

func newServer() *server {
	return &server{
		up: websocket.Upgrader{Subprotocols: []string{"parley.proto"}, ReadBufferSize: 1024, WriteBufferSize: 1024,
			CheckOrigin: func(*http.Request) bool { return true }},
		rooms: map[string]map[*client]struct{}{},
		users: map[string]*client{},
	}
}

func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/metrics", metrics)
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	return mux
}

func (s *server) serveWS(w http.ResponseWriter, r *http.Request) {
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &client{ws: ws, send: make(chan []byte, sendQueue)}
	go c.writeLoop()
	s.readLoop(c)
}

func (c *client) close() {
	c.once.Do(func() {
		close(c.send)
		_ = c.ws.Close()
	})
}

// writeLoop writes the queued frames, one WebSocket message each.
func (c *client) writeLoop() {
	for f := range c.send {
		if err := c.ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
			_ = c.ws.Close()
			for range c.send { // drain until closed
			}
			return
		}
	}
}

// queue hands a frame to the writer without blocking; false when the client is too slow.
func (c *client) queue(f []byte) (ok bool) {
	defer func() {
		if recover() != nil { // sent on a closed queue: the client is gone
			ok = false
		}
	}()
	select {
	case c.send <- f:
		return true
	default:
		return false
	}
}

func (s *server) readLoop(c *client) {
	defer func() {
		s.leave(c)
		c.close()
	}()
	c.ws.SetReadLimit(1 << 20)
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var f messages.Frame
		if proto.Unmarshal(b, &f) != nil {
			return
		}
		reply := &messages.Frame{Id: f.Id}
		switch f.Method {
		case messages.MethodLogin.Name:
			var p messages.LoginParams
			if proto.Unmarshal(f.Params, &p) != nil || p.UserID == "" {
				reply.Code = 6000001
			}
			c.user = p.UserID
			s.mu.Lock()
			s.users[c.user] = c
			s.mu.Unlock()
		case messages.MethodEnterRoom.Name:
			var p messages.RoomCreateParams
			if proto.Unmarshal(f.Params, &p) != nil || p.RoomInfo == nil || p.RoomInfo.RoomID == "" || c.room != "" {
				reply.Code = 6000001
				break
			}
			s.enter(c, p.RoomInfo.RoomID)
		case messages.MethodSendMessage.Name:
			var p messages.SendMessageParams
			switch {
			case proto.Unmarshal(f.Params, &p) != nil || p.Message == nil:
				reply.Code = 6000001
			case p.ConversationType == 0: // 1:1: stored (with -data), then to the user's connection, if online
				if err := s.store(p.Message); err != nil {
					reply.Code = 6000002
					break
				}
				s.relay(c, p.ToConversationID, p.Message)
			case p.ToConversationID != c.room || c.room == "":
				reply.Code = 6000001
			default:
				s.broadcast(c, p.Message)
			}
		default:
			reply.Code = 6000013
		}
		out, _ := proto.Marshal(reply)
		if !c.queue(out) {
			return
		}
	}
}

func (s *server) enter(c *client, room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.rooms[room]
	if m == nil {
		m = map[*client]struct{}{}
		s.rooms[room] = m
	}
	m[c] = struct{}{}
	c.room = room
}

func (s *server) leave(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users[c.user] == c {
		delete(s.users, c.user)
	}
	if c.room != "" {
		delete(s.rooms[c.room], c)
	}
}

// store writes a 1:1 message under a key of its own; the store commits the writes of
// concurrent senders together.
func (s *server) store(m *messages.Message) error {
	if s.db == nil {
		return nil
	}
	key := binary.BigEndian.AppendUint64([]byte("m/"), s.seq.Add(1))
	val, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	b := &persistence.Batch{}
	b.Put(key, val)
	return s.db.Write(context.Background(), b)
}

// relay pushes a 1:1 message to the receiver's connection.
func (s *server) relay(from *client, to string, msg *messages.Message) {
	msg.SenderUserID, msg.ConversationID, msg.ConversationType = from.user, from.user, 0
	data, _ := proto.Marshal(&messages.ConversationMessageReceivedEvent{MessageList: []*messages.Message{msg}, FromConversationID: from.user})
	f, _ := proto.Marshal(&messages.Frame{Event: messages.EventPeerMessageReceived.Name, Data: data})
	s.mu.Lock()
	c := s.users[to]
	s.mu.Unlock()
	if c != nil && !c.queue(f) {
		c.close()
	}
}

// broadcast encodes the push once and queues it to every other member of the room.
func (s *server) broadcast(from *client, msg *messages.Message) {
	msg.SenderUserID, msg.ConversationID, msg.ConversationType = from.user, from.room, 2
	data, _ := proto.Marshal(&messages.ConversationMessageReceivedEvent{MessageList: []*messages.Message{msg}, FromConversationID: from.room})
	f, _ := proto.Marshal(&messages.Frame{Event: messages.EventRoomMessageReceived.Name, Data: data})
	s.mu.Lock()
	members := make([]*client, 0, len(s.rooms[from.room]))
	for c := range s.rooms[from.room] {
		if c != from {
			members = append(members, c)
		}
	}
	s.mu.Unlock()
	for _, c := range members {
		if !c.queue(f) {
			c.close()
		}
	}
}

// metrics serves the two samples the load tool reads: CPU seconds and resident memory.
func metrics(w http.ResponseWriter, _ *http.Request) {
	if cpu, ok := procstat.CPUSeconds(); ok {
		fmt.Fprintf(w, "process_cpu_seconds_total %g\n", cpu)
	}
	if rss, ok := procstat.ResidentBytes(); ok {
		fmt.Fprintf(w, "process_resident_memory_bytes %d\n", rss)
	}
}
