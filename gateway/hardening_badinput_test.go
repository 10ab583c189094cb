package gateway_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// Every method of the table, given malformed params of every kind, is answered with a
// ZIM error code (never an internal error, a store or timeout error, nor silence), and
// the server keeps serving the offender and everyone else. Driven by the table and the
// Params descriptors: methods added later are covered without a change here.
func TestEveryMethodRefusesBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("sends every method a few hundred malformed requests")
	}
	e := startEnv(t)
	e.registered("bob")
	alice := e.login("alice", false, 0)    // protobuf: malformed values
	aliceJSON := e.login("alice", true, 1) // JSON: wrong types (another platform)
	var id uint32 = 1000
	calls := 0
	check := func(method, what string, s *session, frame []byte, want int32) {
		t.Helper()
		calls++
		err := s.CallRaw(ctx(t), id, frame)
		code := codeOf(err)
		if err == nil && testing.Verbose() {
			t.Logf("accepted: %s, %s", method, what)
		}
		switch {
		case err != nil && code == 0:
			t.Fatalf("%s, %s: no reply (%v)", method, what, err)
		case want != 0 && code != want:
			t.Errorf("%s, %s: %v, want %d", method, what, err, want)
		case code == actors.ErrInternal.Code || code == actors.ErrStorage.Code || code == actors.ErrRequestTimeout.Code:
			t.Errorf("%s, %s: %v (an internal, store or timeout error for bad input)", method, what, err)
		case err != nil && (code < 6000001 || code > 6999999):
			t.Errorf("%s, %s: %v is not a ZIM error code", method, what, err)
		}
	}
	for _, spec := range m.Methods() {
		if spec.Name == m.MethodLogin.Name || spec.Name == m.MethodLogout.Name {
			continue // session state: TestLoginRefusesBadInput
		}
		desc := spec.NewParams().ProtoReflect().Descriptor()
		// Wrong JSON types, one field at a time: refused while decoding (6000001).
		for i := 0; i < desc.Fields().Len(); i++ {
			f := desc.Fields().Get(i)
			id++
			frame := fmt.Sprintf(`{"id":%d,"method":%q,"params":{%q:%s}}`, id, spec.Name, f.JSONName(), wrongJSON(f))
			check(spec.Name, "wrong type for "+string(f.Name()), aliceJSON, []byte(frame), 6000001)
		}
		// Invalid UTF-8 in each string field (protobuf): refused while decoding.
		for i := 0; i < desc.Fields().Len(); i++ {
			f := desc.Fields().Get(i)
			if f.Kind() != protoreflect.StringKind {
				continue
			}
			id++
			params := protowire.AppendBytes(protowire.AppendTag(nil, f.Number(), protowire.BytesType), []byte("a\xff\xfeb"))
			check(spec.Name, "invalid UTF-8 in "+string(f.Name()), alice, protoFrame(&m.Frame{Id: id, Method: spec.Name, Params: params}), 6000001)
		}
		// Valid types, bad values: missing fields, negative, huge, invalid enums,
		// oversize strings and lists, nested the same way.
		for _, mode := range fillModes {
			raw := fitFrame(t, spec.NewParams, mode)
			id++
			check(spec.Name, mode.name, alice, protoFrame(&m.Frame{Id: id, Method: spec.Name, Params: raw}), 0)
		}
		// The offender is still served.
		if _, err := alice.QuerySelfUserInfo(ctx(t)); err != nil {
			t.Fatalf("after %s's bad input the offender is not served: %v", spec.Name, err)
		}
	}
	bob := e.login("bob", false, 0)
	if _, err := bob.SendText(ctx(t), "still here", "alice", actors.ConvPeer); err != nil {
		t.Fatalf("after the bad input others are not served: %v", err)
	}
	t.Logf("%d methods, %d malformed requests, every one answered with a ZIM code", len(m.Methods()), calls)
}

// fitFrame fills params the way mode says, with fewer list elements and shorter strings
// until the request fits the gateway's frame limit (an oversize frame closes the
// connection: badinput_test.go).
func fitFrame(t *testing.T, newParams func() proto.Message, mode fillMode) []byte {
	t.Helper()
	for {
		p := newParams()
		fill(p.ProtoReflect(), mode, 0)
		raw, err := proto.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) < 60000 {
			return raw
		}
		if mode.list > 1 {
			mode.list /= 2
		} else {
			mode.str = mode.str[:len(mode.str)/2]
		}
	}
}

// wrongJSON is a JSON value of the wrong type for f.
func wrongJSON(f protoreflect.FieldDescriptor) string {
	switch {
	case f.IsMap():
		return `[1,2]`
	case f.IsList():
		return `{"not":"a list"}`
	}
	switch f.Kind() {
	case protoreflect.StringKind, protoreflect.BytesKind:
		return `{"not":"a string"}`
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return `"not an object"`
	case protoreflect.BoolKind:
		return `"maybe"`
	case protoreflect.EnumKind:
		return `{"not":"an enum"}`
	default: // numbers
		return `"twelve"`
	}
}

type fillMode struct {
	name    string
	str     string // value of every string
	i64     int64  // value of every integer and enum
	list    int    // elements of every list and map
	present bool   // set fields at all (false: empty params)
}

var fillModes = []fillMode{
	{name: "empty params"},
	{name: "negative numbers", str: "x", i64: -1, list: 1, present: true},
	{name: "huge numbers, invalid enums", str: "x", i64: math.MaxInt64, list: 1, present: true},
	{name: "int32 edge", str: "x", i64: math.MinInt32, list: 1, present: true},
	{name: "oversize strings", str: strings.Repeat("s", 9000), i64: 1, list: 1, present: true},
	{name: "oversize lists", str: "u", i64: 1, list: 3000, present: true},
	{name: "control characters", str: "a\x00b\x1b\u202e", i64: 1, list: 1, present: true},
}

// fill sets every field of msg (to depth 3) the way mode says. The frame stays under the
// gateway's 64 KiB frame limit: long strings are only used at the top level.
func fill(msg protoreflect.Message, mode fillMode, depth int) {
	if !mode.present || depth > 2 {
		return
	}
	fields := msg.Descriptor().Fields()
	str := mode.str
	if depth > 0 && len(str) > 100 {
		str = str[:100]
	}
	nStrings := 0
	for i := 0; i < fields.Len(); i++ {
		if fields.Get(i).Kind() == protoreflect.StringKind {
			nStrings++
		}
	}
	if nStrings > 0 && len(str)*nStrings > 40000 {
		str = str[:40000/nStrings]
	}
	list := mode.list
	if depth > 1 {
		list = min(list, 3) // one level down lists are as long as at the top (fitFrame shortens them)
	}
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		if f.ContainingOneof() != nil && msg.WhichOneof(f.ContainingOneof()) != nil {
			continue
		}
		switch {
		case f.IsMap():
			mp := msg.Mutable(f).Map()
			for k := 0; k < min(list, 1000); k++ {
				key := scalar(f.MapKey(), fmt.Sprintf("k%d", k), int64(k))
				if f.MapValue().Kind() == protoreflect.MessageKind {
					v := mp.NewValue()
					fill(v.Message(), mode, depth+1)
					mp.Set(key.MapKey(), v)
				} else {
					mp.Set(key.MapKey(), scalar(f.MapValue(), str, mode.i64))
				}
			}
		case f.IsList():
			l := msg.Mutable(f).List()
			for k := 0; k < list; k++ {
				if f.Kind() == protoreflect.MessageKind {
					v := l.NewElement()
					fill(v.Message(), mode, depth+1)
					l.Append(v)
				} else {
					s := str
					if list > 10 {
						s = fmt.Sprintf("u%d", k)
					}
					l.Append(scalar(f, s, mode.i64))
				}
			}
		case f.Kind() == protoreflect.MessageKind:
			fill(msg.Mutable(f).Message(), mode, depth+1)
		default:
			msg.Set(f, scalar(f, str, mode.i64))
		}
	}
}

// scalar is the value of a scalar field of f's kind.
func scalar(f protoreflect.FieldDescriptor, s string, n int64) protoreflect.Value {
	switch f.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(s)
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte(s))
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(n != 0)
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(int32(n)))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(max(min(n, math.MaxInt32), math.MinInt32)))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(n))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(n))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(n))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(float64(n))
	default:
		return protoreflect.ValueOfInt64(n)
	}
}

// Login (on a connection that is not logged in) refuses malformed params with a code.
func TestLoginRefusesBadInput(t *testing.T) {
	e := startEnv(t)
	c := e.dial(false)
	desc := (&m.LoginParams{}).ProtoReflect().Descriptor()
	var id uint32 = 10
	for _, mode := range fillModes {
		raw := fitFrame(t, func() proto.Message { return &m.LoginParams{} }, mode)
		id++
		err := c.CallRaw(ctx(t), id, protoFrame(&m.Frame{Id: id, Method: "login", Params: raw}))
		if code := codeOf(err); code < 6000001 || code == actors.ErrInternal.Code {
			t.Errorf("login with %s: %v", mode.name, err)
		}
	}
	for i := 0; i < desc.Fields().Len(); i++ {
		f := desc.Fields().Get(i)
		if f.Kind() != protoreflect.StringKind {
			continue
		}
		id++
		params := protowire.AppendBytes(protowire.AppendTag(nil, f.Number(), protowire.BytesType), []byte{0xff})
		if err := c.CallRaw(ctx(t), id, protoFrame(&m.Frame{Id: id, Method: "login", Params: params})); codeOf(err) != 6000001 {
			t.Errorf("login with invalid UTF-8 in %s: %v", f.Name(), err)
		}
	}
	if err := c.Login(ctx(t), "alice", "Alice", token(t, "alice", 3600e9), 0); err != nil {
		t.Fatalf("a good login after the bad ones: %v", err)
	}
}
