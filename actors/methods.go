package actors

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// methods are the client methods one kind serves, by name. Handlers are registered with
// on against the method table (messages/methods.go): the compiler checks a handler's
// params and result types against the method's, the params are decoded once before the
// handler runs, and a test checks that every method the table gives a kind has a
// handler there (methods_test.go).
type methods[A any] map[string]func(a A, g *grain, c *messages.Call) (proto.Message, error)

// on registers fn as the handler of m.
func on[A any, P, R proto.Message](t methods[A], m messages.Method[P, R], fn func(a A, g *grain, c *messages.Call, p P) (R, error)) {
	if _, dup := t[m.Name]; dup {
		panic(fmt.Sprintf("actors: method %s registered twice", m.Name))
	}
	t[m.Name] = func(a A, g *grain, c *messages.Call) (proto.Message, error) {
		p := m.NewParams().(P)
		if err := proto.Unmarshal(c.Params, p); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrParamInvalid, err)
		}
		res, err := fn(a, g, c, p)
		if err != nil {
			return nil, err
		}
		return res, nil
	}
}

// newMethods builds a kind's method set from its features' registrations.
func newMethods[A any](features ...func(methods[A])) methods[A] {
	t := methods[A]{}
	for _, f := range features {
		f(t)
	}
	return t
}

// serve runs the handler of c's method, or answers ErrUnsupported.
func (t methods[A]) serve(a A, g *grain, c *messages.Call) (proto.Message, error) {
	if f := t[c.Method]; f != nil {
		return f(a, g, c)
	}
	return nil, ErrUnsupported
}
