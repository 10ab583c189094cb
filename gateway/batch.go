package gateway

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxBatch is the largest number of elements of one list (or members of one JSON object,
// or entries of one map) anywhere in a request's params. It is checked on the raw
// params, before they are decoded, so that a frame full of tiny elements cannot make the
// server build tens of thousands of objects; every ZIM limit on a list is far below it
// (the per-method limits, with their own codes, are checked after decoding).
const maxBatch = 1000

// batchTooLarge reports whether raw params hold a list, map or JSON object of more than
// limit elements. Malformed input is not judged here: the decoder refuses it.
func (c codec) batchTooLarge(raw []byte, desc protoreflect.MessageDescriptor, limit int) bool {
	if c == codecProto {
		return protoBatchTooLarge(raw, desc, limit, 0)
	}
	return jsonBatchTooLarge(raw, limit)
}

// jsonBatchTooLarge counts the elements of every array and the members of every object
// of a JSON text in one pass, without allocating.
func jsonBatchTooLarge(b []byte, limit int) bool {
	var counts [64]int // elements so far at each nesting depth (deeper levels are not counted)
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			if depth < len(counts) {
				counts[depth] = 0
			}
			// an empty array or object has no elements: count one when something follows
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && b[j] != ']' && b[j] != '}' && depth < len(counts) {
				counts[depth] = 1
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth > 0 && depth < len(counts) {
				counts[depth]++
				if counts[depth] > limit {
					return true
				}
			}
		}
	}
	return false
}

// protoBatchTooLarge counts the elements of every repeated field and map of a protobuf
// message (packed or not), descending into message fields with the schema.
func protoBatchTooLarge(b []byte, desc protoreflect.MessageDescriptor, limit, depth int) bool {
	if depth > 16 {
		return false
	}
	var counts map[protowire.Number]int
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return false
		}
		b = b[n:]
		fd := desc.Fields().ByNumber(num)
		var val []byte
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return false
			}
			val = v
			n = m
		} else {
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return false
			}
		}
		b = b[n:]
		if fd == nil {
			continue
		}
		elems := 0
		switch {
		case fd.IsMap():
			elems = 1
		case fd.IsList() && typ == protowire.BytesType && fd.Kind() != protoreflect.MessageKind &&
			fd.Kind() != protoreflect.StringKind && fd.Kind() != protoreflect.BytesKind:
			elems = packedCount(val, fd.Kind()) // packed scalars
		case fd.IsList():
			elems = 1
		}
		if elems > 0 {
			if counts == nil {
				counts = map[protowire.Number]int{}
			}
			counts[num] += elems
			if counts[num] > limit {
				return true
			}
		}
		if typ == protowire.BytesType && fd.Kind() == protoreflect.MessageKind && !fd.IsMap() {
			if protoBatchTooLarge(val, fd.Message(), limit, depth+1) {
				return true
			}
		}
	}
	return false
}

// packedCount is the number of scalars of kind k in a packed field's bytes.
func packedCount(b []byte, k protoreflect.Kind) int {
	switch k {
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind, protoreflect.FloatKind:
		return len(b) / 4
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind, protoreflect.DoubleKind:
		return len(b) / 8
	}
	n := 0
	for _, c := range b {
		if c < 0x80 { // the last byte of each varint
			n++
		}
	}
	return n
}
