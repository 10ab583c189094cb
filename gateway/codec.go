package gateway

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// Subprotocols.
const (
	SubprotocolJSON  = "parley.json"
	SubprotocolProto = "parley.proto"
)

type codec int

const (
	codecJSON codec = iota
	codecProto
)

// request is a decoded client request; params is still raw (JSON object or protobuf).
type request struct {
	id     uint32
	method string
	params []byte
}

type jsonRequest struct {
	ID     *uint32         `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// decodeRequest parses one frame. A frame that is no request at all gets ok=false; its
// id is still returned whenever it can be read, so that the error reply names the
// request (docs/PROTOCOL.md, "Errors and ids"): a JSON object with a numeric uint32 id,
// a protobuf Frame that is well-formed on the wire with a varint id. Anything else (not
// JSON, not an object, not a Frame, an id of the wrong type) has id 0.
func (c codec) decodeRequest(data []byte) (request, bool) {
	if c == codecProto {
		f := &messages.Frame{}
		if err := proto.Unmarshal(data, f); err != nil {
			return request{id: protoFrameID(data)}, false
		}
		if f.Method == "" {
			return request{id: f.Id}, false
		}
		return request{id: f.Id, method: f.Method, params: f.Params}, true
	}
	var jr jsonRequest
	if err := json.Unmarshal(data, &jr); err != nil {
		return request{id: jsonFrameID(data)}, false
	}
	if jr.ID == nil || jr.Method == "" {
		var id uint32
		if jr.ID != nil {
			id = *jr.ID
		}
		return request{id: id}, false
	}
	return request{id: *jr.ID, method: jr.Method, params: jr.Params}, true
}

// jsonFrameID is the id of a frame that failed to decode as a request (the error path
// only): the id of a JSON object whose id is a number that fits in a uint32, else 0.
func jsonFrameID(data []byte) uint32 {
	var env struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &env) != nil || len(env.ID) == 0 || env.ID[0] < '0' || env.ID[0] > '9' {
		return 0 // not a JSON object, no id, or an id that is no unsigned number
	}
	var id uint32
	if json.Unmarshal(env.ID, &id) != nil {
		return 0 // a fraction, an exponent, out of range
	}
	return id
}

// protoFrameID is the id of a protobuf frame that failed to decode as a Frame (the error
// path only, e.g. a method that is not UTF-8): when the whole frame is well-formed
// protobuf wire format, its last id field (field 1, a varint, as proto.Unmarshal reads
// it); otherwise (truncated, garbage) 0.
func protoFrameID(data []byte) uint32 {
	var id uint32
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return 0
		}
		if num == 1 && typ == protowire.VarintType {
			v, m := protowire.ConsumeVarint(data[n:])
			if m < 0 {
				return 0
			}
			id = uint32(v)
		}
		m := protowire.ConsumeFieldValue(num, typ, data[n:])
		if m < 0 {
			return 0
		}
		data = data[n+m:]
	}
	return id
}

// decodeParams fills p from the request's params.
func (c codec) decodeParams(raw []byte, p proto.Message) error {
	if c == codecProto {
		return proto.Unmarshal(raw, p)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return messages.UnmarshalJSON(raw, p)
}

// reply encodes a reply frame. data may be nil.
func (c codec) reply(id uint32, code int32, msg string, data proto.Message) []byte {
	if c == codecProto {
		f := &messages.Frame{Id: id, Code: code, Message: msg}
		if data != nil && code == 0 {
			f.Data, _ = proto.Marshal(data)
		}
		out, _ := proto.Marshal(f)
		return out
	}
	b := make([]byte, 0, 128)
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(id), 10)
	b = append(b, `,"code":`...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, msg)
	if code == 0 {
		b = append(b, `,"data":`...)
		if data != nil {
			b = messages.AppendJSON(b, data)
		} else {
			b = append(b, `{}`...)
		}
	}
	return append(b, '}')
}

// replyRaw encodes a reply whose data is already protobuf-encoded (an actor's result).
func (c codec) replyRaw(id uint32, data []byte, result proto.Message) []byte {
	if c == codecProto {
		out, _ := proto.Marshal(&messages.Frame{Id: id, Data: data})
		return out
	}
	if err := proto.Unmarshal(data, result); err != nil {
		return c.reply(id, actors.ErrInternal.Code, actors.ErrInternal.Message, nil)
	}
	return c.reply(id, 0, "", result)
}

// replyFrame is replyRaw as a complete WebSocket frame; result makes the message the
// data is decoded into on the JSON subprotocol. On the protobuf subprotocol the frame is
// written directly (one allocation, no intermediate Frame message).
func (c codec) replyFrame(id uint32, data []byte, result func() proto.Message) []byte {
	if c != codecProto {
		return frame(websocket.TextMessage, c.replyRaw(id, data, result()))
	}
	n := 0
	if id != 0 {
		n += 1 + protowire.SizeVarint(uint64(id))
	}
	if len(data) > 0 {
		n += 1 + protowire.SizeBytes(len(data))
	}
	b := appendFrameHeader(make([]byte, 0, frameHeaderLen(n)+n), websocket.BinaryMessage, n)
	if id != 0 {
		b = protowire.AppendTag(b, 1, protowire.VarintType) // Frame.id
		b = protowire.AppendVarint(b, uint64(id))
	}
	if len(data) > 0 {
		b = protowire.AppendTag(b, 6, protowire.BytesType) // Frame.data
		b = protowire.AppendBytes(b, data)
	}
	return b
}

var errPushSize = errors.New("gateway: push payload changed size while encoded")

// pushWSFrame returns a push as a complete WebSocket frame of this codec: the event is
// payload, or when payload is nil the already encoded data (of protobuf type typ).
//
// On the protobuf subprotocol the frame is messages.Frame{data, event} exactly as
// proto.Marshal writes it (fields in number order), built in one allocation with the
// payload marshalled in place. On JSON a given payload is written as it is (no round trip
// through its protobuf encoding).
func (c codec) pushWSFrame(event, typ string, data []byte, payload proto.Message) ([]byte, error) {
	if c != codecProto {
		var b []byte
		if payload != nil {
			b = make([]byte, jsonHeadroom, jsonHeadroom+64+len(event)+512)
			b = appendJSONPush(b, event, payload)
		} else {
			m, err := decodePush(typ, data)
			if err != nil {
				return nil, err
			}
			b = make([]byte, jsonHeadroom, jsonHeadroom+64+len(event)+2*len(data))
			b = appendJSONPush(b, event, m)
		}
		return frameInPlace(b, websocket.TextMessage), nil
	}
	size := len(data)
	if payload != nil {
		size = proto.Size(payload)
	}
	n := 0
	if size > 0 {
		n += 1 + protowire.SizeVarint(uint64(size)) + size
	}
	if event != "" {
		n += 1 + protowire.SizeBytes(len(event))
	}
	b := appendFrameHeader(make([]byte, 0, frameHeaderLen(n)+n), websocket.BinaryMessage, n)
	if size > 0 {
		b = protowire.AppendTag(b, 6, protowire.BytesType) // Frame.data
		b = protowire.AppendVarint(b, uint64(size))
		if payload == nil {
			b = append(b, data...)
		} else {
			at := len(b)
			var err error
			b, err = proto.MarshalOptions{UseCachedSize: true}.MarshalAppend(b, payload)
			if err != nil {
				return nil, err
			}
			if len(b)-at != size {
				return nil, errPushSize
			}
		}
	}
	if event != "" {
		b = protowire.AppendTag(b, 7, protowire.BytesType) // Frame.event
		b = protowire.AppendString(b, event)
	}
	return b, nil
}

// jsonHeadroom is room left before a JSON payload for its frame header (frameInPlace).
const jsonHeadroom = 10

func appendJSONPush(b []byte, event string, m proto.Message) []byte {
	b = append(b, `{"event":`...)
	b = messages.AppendJSONString(b, event)
	b = append(b, `,"data":`...)
	b = messages.AppendJSON(b, m)
	return append(b, '}')
}

// decodePush decodes an encoded push payload of the named protobuf type.
func decodePush(typ string, data []byte) (proto.Message, error) {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(typ))
	if err != nil {
		return nil, err
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(data, m); err != nil {
		return nil, err
	}
	return m, nil
}

// pushFrame encodes a push for this codec.
func (c codec) pushFrame(p *messages.Push) ([]byte, error) {
	if c == codecProto {
		return proto.Marshal(&messages.Frame{Event: p.Event, Data: p.Data})
	}
	m, err := decodePush(p.Type, p.Data)
	if err != nil {
		return nil, err
	}
	return appendJSONPush(make([]byte, 0, 64+2*len(p.Data)), p.Event, m), nil
}

func appendJSONString(b []byte, s string) []byte {
	out, _ := json.Marshal(s)
	return append(b, out...)
}
