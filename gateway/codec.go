package gateway

import (
	"encoding/json"
	"strconv"

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

// decodeRequest parses one frame. A frame that is no request at all gets ok=false.
func (c codec) decodeRequest(data []byte) (request, bool) {
	if c == codecProto {
		f := &messages.Frame{}
		if err := proto.Unmarshal(data, f); err != nil || f.Method == "" {
			return request{id: f.GetId()}, false
		}
		return request{id: f.Id, method: f.Method, params: f.Params}, true
	}
	var jr jsonRequest
	if err := json.Unmarshal(data, &jr); err != nil || jr.ID == nil || jr.Method == "" {
		var id uint32
		if jr.ID != nil {
			id = *jr.ID
		}
		return request{id: id}, false
	}
	return request{id: *jr.ID, method: jr.Method, params: jr.Params}, true
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

// pushFrame encodes a push for this codec.
func (c codec) pushFrame(p *messages.Push) ([]byte, error) {
	if c == codecProto {
		return proto.Marshal(&messages.Frame{Event: p.Event, Data: p.Data})
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(p.Type))
	if err != nil {
		return nil, err
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(p.Data, m); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+2*len(p.Data))
	b = append(b, `{"event":`...)
	b = appendJSONString(b, p.Event)
	b = append(b, `,"data":`...)
	b = messages.AppendJSON(b, m)
	return append(b, '}'), nil
}

func appendJSONString(b []byte, s string) []byte {
	out, _ := json.Marshal(s)
	return append(b, out...)
}
