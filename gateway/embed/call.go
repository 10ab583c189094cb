package embed

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/messages"
)

// Call runs method with params as the session's user and waits for its result. It is
// routed exactly as the gateway routes a WebSocket client's request (gateway.Route);
// the gateway's own room-membership methods (createRoom, enterRoom, joinRoom,
// switchRoom, leaveRoom, leaveAllRoom) run for the session as for a WebSocket session.
// Internal methods (messages.MethodImportCommunityMembers) may be called too; login,
// logout and renewToken may not (a session is logged in from Session to Close).
//
// A refusal is a *actors.CodeError with its ZIM code (6000013 for an unsupported method,
// 6000105 when ctx ends first — the call may still have run).
func Call[P, R proto.Message](ctx context.Context, s *Session, method messages.Method[P, R], params P) (R, error) {
	type outcome struct {
		r   R
		err error
	}
	ch := make(chan outcome, 1)
	Go(ctx, s, method, params, func(r R, err error) { ch <- outcome{r, err} })
	select {
	case o := <-ch:
		return o.r, o.err
	case <-ctx.Done():
		var zero R
		return zero, actors.ErrRequestTimeout
	}
}

// Go is Call without waiting: the call is sent before Go returns (so calls of one
// goroutine reach their actor in order, as a WebSocket client's requests do), and done
// runs with the outcome — on the replying actor's goroutine or a timer's: it must not
// block.
func Go[P, R proto.Message](ctx context.Context, s *Session, method messages.Method[P, R], params P, done func(R, error)) {
	var zero R
	fail := func(err error) {
		code, msg := actors.Reply(err)
		done(zero, &actors.CodeError{Code: code, Message: msg})
	}
	spec := method.MethodSpec
	if s.closed.Load() {
		fail(ErrClosed)
		return
	}
	if spec.Owner == messages.OwnerGateway {
		s.goLocal(spec, params, func(res proto.Message, err error) {
			if err != nil {
				fail(err)
				return
			}
			r, ok := res.(R)
			if !ok {
				fail(actors.ErrInternal)
				return
			}
			done(r, nil)
		})
		return
	}
	rt := s.srv.rt
	kind, identity, err := gateway.Route(rt, spec, s.user, params)
	if err != nil {
		fail(err)
		return
	}
	raw, err := proto.Marshal(params)
	if err != nil {
		fail(&actors.CodeError{Code: 6000001, Message: "invalid parameter"})
		return
	}
	call := &messages.Call{Method: spec.Name, UserID: s.user, Params: raw, Conn: s.lc.Ref()}
	rt.Go(ctx, kind, identity, call, func(res proto.Message, err error) {
		if err != nil {
			fail(err)
			return
		}
		rep, ok := res.(*messages.CallReply)
		if !ok {
			fail(actors.ErrInternal)
			return
		}
		r := spec.NewResult().(R)
		if err := proto.Unmarshal(rep.Data, r); err != nil {
			fail(actors.ErrInternal)
			return
		}
		done(r, nil)
	})
}

// goLocal runs a method the gateway serves itself for the session's connection.
func (s *Session) goLocal(spec *messages.MethodSpec, params proto.Message, done func(proto.Message, error)) {
	s.pmu.Lock()
	s.nextID++
	if s.nextID == 0 {
		s.nextID++
	}
	id := s.nextID
	s.pending[id] = done
	s.pmu.Unlock()
	s.lc.Go(id, spec, params)
}
