package messages

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// JSON encoding of the wire messages for the "parley.json" subprotocol.
//
// Field names are the proto field names, which are ZIM's (messageID, conversationType…).
// Unlike protojson, the encoder writes every scalar field (zero values included, as a
// ZIM result object always has them), writes 64-bit integers as JSON numbers (ZIM's
// timestamps and sequence numbers are numbers), and leaves unset message fields out.
// Bytes are standard base64. Decoding accepts numbers or strings for integers and
// ignores unknown fields (ZIM objects carry many client-side fields).

var jsonIn = protojson.UnmarshalOptions{DiscardUnknown: true}

// UnmarshalJSON decodes a JSON object into m.
func UnmarshalJSON(b []byte, m proto.Message) error { return jsonIn.Unmarshal(b, m) }

// AppendJSON appends the JSON encoding of m to dst.
func AppendJSON(dst []byte, m proto.Message) []byte {
	return appendMessage(dst, m.ProtoReflect())
}

// AppendJSONString appends s as a JSON string (no HTML escaping).
func AppendJSONString(dst []byte, s string) []byte { return appendString(dst, s) }

// MarshalJSON returns the JSON encoding of m.
func MarshalJSON(m proto.Message) []byte { return AppendJSON(nil, m) }

func appendMessage(dst []byte, m protoreflect.Message) []byte {
	dst = append(dst, '{')
	fields := m.Descriptor().Fields()
	first := true
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if (fd.Kind() == protoreflect.MessageKind && !fd.IsList() && !fd.IsMap()) || fd.HasPresence() {
			if !m.Has(fd) {
				continue
			}
		}
		if fd.IsList() && omitJSONField(m, fd) { // json_rich.go
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, fd.JSONName())
		dst = append(dst, ':')
		v := m.Get(fd)
		switch {
		case fd.IsList():
			l := v.List()
			dst = append(dst, '[')
			for j := 0; j < l.Len(); j++ {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = appendValue(dst, fd, l.Get(j))
			}
			dst = append(dst, ']')
		case fd.IsMap():
			mp := v.Map()
			dst = append(dst, '{')
			n := 0
			mp.Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				if n > 0 {
					dst = append(dst, ',')
				}
				n++
				dst = appendString(dst, k.String())
				dst = append(dst, ':')
				dst = appendValue(dst, fd.MapValue(), mv)
				return true
			})
			dst = append(dst, '}')
		default:
			dst = appendValue(dst, fd, v)
		}
	}
	return append(dst, '}')
}

func appendValue(dst []byte, fd protoreflect.FieldDescriptor, v protoreflect.Value) []byte {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return strconv.AppendBool(dst, v.Bool())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return strconv.AppendInt(dst, v.Int(), 10)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case protoreflect.EnumKind:
		return strconv.AppendInt(dst, int64(v.Enum()), 10)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(dst, "null"...)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	case protoreflect.StringKind:
		return appendString(dst, v.String())
	case protoreflect.BytesKind:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, v.Bytes())
		return append(dst, '"')
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return appendMessage(dst, v.Message())
	}
	return append(dst, "null"...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string (s is valid UTF-8: proto strings are checked).
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
