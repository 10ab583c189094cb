package actors

import (
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors/runtime"
)

// handler is one actor kind's behaviour. Every method runs inside the actor (one message
// at a time); none may be called from another goroutine.
type handler interface {
	// activate loads the entity's state from the store.
	activate(g *grain) error
	// handle processes one message. For a *messages.Call the result is the method's
	// Result; for other requests it is the reply itself. One-way messages return nil, nil.
	handle(g *grain, msg proto.Message) (proto.Message, error)
	// canPassivate reports whether the actor may stop when idle.
	canPassivate(g *grain) bool
}

// grain is what a kind's handler works with: the runtime's activation (ID, Log,
// CallCtx, SendSelf, After, Caller, Answer…) and the parley Runtime it belongs to.
type grain struct {
	*runtime.Grain
	rt *Runtime
}

// errLater is what a handler returns for a call it answers itself later (Answer).
var errLater = runtime.ErrLater

// kindAdapter runs a kind's handler on the runtime.
type kindAdapter struct {
	rt *Runtime
	h  handler
	g  grain
}

func (k *kindAdapter) Activate(g *runtime.Grain) error {
	k.g = grain{Grain: g, rt: k.rt}
	return k.h.activate(&k.g)
}

func (k *kindAdapter) Handle(_ *runtime.Grain, msg proto.Message) (proto.Message, error) {
	return k.h.handle(&k.g, msg)
}

func (k *kindAdapter) CanPassivate(*runtime.Grain) bool { return k.h.canPassivate(&k.g) }

type kindSpec struct {
	name string
	new  func() handler
}

// kindTable is every actor kind parley has.
func kindTable() []kindSpec {
	return []kindSpec{
		{KindUser, func() handler { return &userActor{} }},
		{KindPeer, func() handler { return &peerActor{} }},
		{KindGroup, func() handler { return &groupActor{} }},
		{KindRoom, func() handler { return &roomActor{} }},
		{KindCommunity, func() handler { return &communityActor{} }},
		{KindChannel, func() handler { return &channelActor{} }},
		{KindCall, func() handler { return &callActor{} }},
	}
}
