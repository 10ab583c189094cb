package gateway

import (
	"context"
	"errors"
	"sync/atomic"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Room methods. Joining and leaving run in the gateway (local methods): they keep the
// session's room list (room_conn.go) and push the session's roomStateChanged events
// around the room actor's answer. Everything else is routed to the room actor like any
// other method, and room messages (conversation type 1) go to it through convRoutes.

type roomIDer interface{ GetRoomID() string }

// roomRoute checks a room conversation ID and names the room's actor.
func roomRoute(_, id string) (string, string, error) {
	if !actors.ValidRoomID(id, 128) {
		return "", "", errBadParams
	}
	return actors.KindRoom, id, nil
}

// roomMethods are the room methods the gateway serves itself.
func roomMethods() map[string]func(c *conn, id uint32, p proto.Message) {
	return map[string]func(c *conn, id uint32, p proto.Message){
		messages.MethodCreateRoom.Name: func(c *conn, id uint32, p proto.Message) {
			c.enterRoom(id, messages.MethodCreateRoom.Name, p.(*messages.RoomCreateParams))
		},
		messages.MethodEnterRoom.Name: func(c *conn, id uint32, p proto.Message) {
			c.enterRoom(id, messages.MethodEnterRoom.Name, p.(*messages.RoomCreateParams))
		},
		messages.MethodJoinRoom.Name: func(c *conn, id uint32, p proto.Message) {
			c.joinRoom(id, messages.MethodJoinRoom.Name, p.(*messages.RoomIDParams).RoomID, p)
		},
		messages.MethodSwitchRoom.Name: func(c *conn, id uint32, p proto.Message) {
			c.switchRoom(id, p.(*messages.RoomSwitchParams))
		},
		messages.MethodLeaveRoom.Name: func(c *conn, id uint32, p proto.Message) {
			c.leaveRoom(id, p.(*messages.RoomIDParams).RoomID)
		},
		messages.MethodLeaveAllRoom.Name: func(c *conn, id uint32, _ proto.Message) { c.leaveAllRoom(id) },
	}
}

// toRoom routes a method to the room actor named by its params' roomID.
func toRoom(rt *actors.Runtime, _ string, p proto.Message) (string, string, error) {
	id := p.(roomIDer).GetRoomID()
	if !actors.ValidRoomID(id, rt.Limits().Room.IDBytes) {
		return "", "", errBadParams
	}
	return actors.KindRoom, id, nil
}

func (c *conn) validRoomID(id string) bool {
	return actors.ValidRoomID(id, c.srv.rt.Limits().Room.IDBytes)
}

// roomState pushes roomStateChanged to this connection.
func (c *conn) roomState(roomID string, state, event int32) {
	c.push(messages.EventRoomStateChanged.With(&messages.RoomStateChangedEvent{RoomID: roomID, State: state, Event: event}))
}

// acquire takes one of the connection's in-flight request slots for a local room method
// (released with c.release() when it answers).
func (c *conn) acquire(id uint32) bool {
	if c.inflight.Add(1) > int32(c.srv.cfg.MaxInflight) {
		c.release()
		c.replyErr(id, errTooManyPending)
		return false
	}
	return true
}

// callRoom sends a room method to the room actor on behalf of this connection and hands
// done the Result bytes or the error. done runs on the replying actor's goroutine or a
// timer's: it must not block.
func (c *conn) callRoom(roomID, method string, params proto.Message, done func([]byte, error)) {
	raw, err := proto.Marshal(params)
	if err != nil {
		done(nil, errBadParams)
		return
	}
	call := &messages.Call{Method: method, UserID: c.userID(), Params: raw, Conn: c.ref()}
	c.srv.rt.Go(context.Background(), actors.KindRoom, roomID, call, func(res proto.Message, err error) {
		if err != nil {
			done(nil, err)
			return
		}
		rep, ok := res.(*messages.CallReply)
		if !ok {
			done(nil, actors.ErrInternal)
			return
		}
		done(rep.Data, nil)
	})
}

// answer replies with an actor's Result bytes (decoded into result for JSON) or err, and
// gives the request slot back.
func (c *conn) answer(id uint32, data []byte, err error, result proto.Message) {
	c.release()
	if err != nil {
		c.replyErr(id, err)
		return
	}
	if c.sink != nil {
		if err := proto.Unmarshal(data, result); err != nil {
			c.replyErr(id, actors.ErrInternal)
			return
		}
		c.sink.Reply(id, result, nil)
		return
	}
	c.send(c.codec.replyRaw(id, data, result))
}

// enterRoom serves createRoom and enterRoom.
func (c *conn) enterRoom(id uint32, method string, p *messages.RoomCreateParams) {
	if p.RoomInfo == nil {
		c.replyErr(id, errBadParams)
		return
	}
	c.joinRoom(id, method, p.RoomInfo.RoomID, p)
}

// joinRoom serves createRoom, enterRoom and joinRoom: roomStateChanged connecting
// (ActiveCreate for createRoom, ActiveEnter otherwise), then connected/Success, or
// disconnected/CreateFailed (EnterFailed) with the error.
func (c *conn) joinRoom(id uint32, method, roomID string, params proto.Message) {
	connecting, failed := int32(actors.RoomEventActiveEnter), int32(actors.RoomEventEnterFailed)
	if method == "createRoom" {
		connecting, failed = actors.RoomEventActiveCreate, actors.RoomEventCreateFailed
	}
	if !c.validRoomID(roomID) {
		c.replyErr(id, errBadParams)
		return
	}
	if err := c.reserveRoom(roomID, ""); err != nil {
		c.replyErr(id, err)
		return
	}
	if !c.acquire(id) {
		c.joinDone(roomID, false)
		return
	}
	c.roomState(roomID, actors.RoomStateConnecting, connecting)
	c.callRoom(roomID, method, params, func(data []byte, err error) {
		c.joinDone(roomID, err == nil)
		if err != nil {
			c.roomState(roomID, actors.RoomStateDisconnected, failed)
		} else {
			c.roomState(roomID, actors.RoomStateConnected, actors.RoomEventSuccess)
		}
		c.answer(id, data, err, &messages.RoomInfoResult{})
	})
}

// switchRoom joins the target room (creating it when it does not exist and
// isCreateWhenRoomNotExisted), then leaves the source room, with the room guide's events:
// toRoom connecting/ActiveSwitch; then either toRoom disconnected/SwitchFailed (the
// source room is kept), or toRoom connected/Success and fromRoom disconnected/Success.
func (c *conn) switchRoom(id uint32, p *messages.RoomSwitchParams) {
	if p.ToRoomInfo == nil || !c.validRoomID(p.FromRoomID) || !c.validRoomID(p.ToRoomInfo.RoomID) {
		c.replyErr(id, errBadParams)
		return
	}
	from, to := p.FromRoomID, p.ToRoomInfo.RoomID
	if !c.inRoom(from) {
		c.replyErr(id, actors.ErrRoomNotIn)
		return
	}
	if err := c.reserveRoom(to, from); err != nil {
		c.replyErr(id, err)
		return
	}
	if !c.acquire(id) {
		c.joinDone(to, false)
		return
	}
	method, params := "joinRoom", proto.Message(&messages.RoomIDParams{RoomID: to})
	if p.IsCreateWhenRoomNotExisted {
		method, params = "enterRoom", &messages.RoomCreateParams{RoomInfo: p.ToRoomInfo, Config: p.Config}
	}
	c.roomState(to, actors.RoomStateConnecting, actors.RoomEventActiveSwitch)
	c.callRoom(to, method, params, func(data []byte, err error) {
		c.joinDone(to, err == nil)
		if err != nil {
			c.roomState(to, actors.RoomStateDisconnected, actors.RoomEventSwitchFailed)
			c.answer(id, nil, err, nil)
			return
		}
		c.roomState(to, actors.RoomStateConnected, actors.RoomEventSuccess)
		c.callRoom(from, "leaveRoom", &messages.RoomIDParams{RoomID: from}, func([]byte, error) {
			// Whatever the source room answers, the session is no longer in it.
			c.forgetRoom(from)
			c.roomState(from, actors.RoomStateDisconnected, actors.RoomEventSuccess)
			c.answer(id, data, nil, &messages.RoomInfoResult{})
		})
	})
}

// goneRoom reports whether a leave failed only because the room actor no longer knows
// the session (its room was lost with its node): the session is out of it anyway.
func goneRoom(err error, wasIn bool) bool {
	return wasIn && (errors.Is(err, actors.ErrRoomNotIn) || errors.Is(err, actors.ErrRoomNotExist))
}

func (c *conn) leaveRoom(id uint32, roomID string) {
	if !c.validRoomID(roomID) {
		c.replyErr(id, errBadParams)
		return
	}
	if !c.acquire(id) {
		return
	}
	wasIn := c.inRoom(roomID)
	c.callRoom(roomID, "leaveRoom", &messages.RoomIDParams{RoomID: roomID}, func(_ []byte, err error) {
		if err != nil && !goneRoom(err, wasIn) {
			c.answer(id, nil, err, nil)
			return
		}
		c.forgetRoom(roomID)
		c.roomState(roomID, actors.RoomStateDisconnected, actors.RoomEventSuccess)
		c.release()
		c.reply(id, &messages.RoomLeftResult{RoomID: roomID})
	})
}

// leaveAllRoom leaves every room of this session (other devices of the user keep theirs):
// one roomStateChanged disconnected/Success per room, then the list of rooms.
func (c *conn) leaveAllRoom(id uint32) {
	rooms := c.joinedRooms()
	if len(rooms) == 0 {
		c.reply(id, &messages.RoomAllLeftResult{RoomIDs: []string{}})
		return
	}
	if !c.acquire(id) {
		return
	}
	var left atomic.Int32
	for _, roomID := range rooms {
		c.callRoom(roomID, "leaveRoom", &messages.RoomIDParams{RoomID: roomID}, func([]byte, error) {
			c.forgetRoom(roomID)
			c.roomState(roomID, actors.RoomStateDisconnected, actors.RoomEventSuccess)
			if int(left.Add(1)) == len(rooms) {
				c.release()
				c.reply(id, &messages.RoomAllLeftResult{RoomIDs: rooms})
			}
		})
	}
}
