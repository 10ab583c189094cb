package persistence

import "encoding/binary"

// Key is an order-preserving key under construction. Every actor builds its keys
// with it so that the byte order of keys is the order in which they are read:
//
//	NewKey("m").Str(conversationID).U64(seq)
//
// Keys built from the same prefix sort by their Str components (compared as
// strings) and then by their U64 components (compared numerically).
//
// Str components are terminated by a 0x00 byte, so IDs passed to NewKey and Str
// must never contain 0x00 (parley IDs are printable strings; a 0x00 inside an ID
// would break the ordering and the prefix ranges built from it).
//
// Every method returns a new Key that never shares memory with its receiver, so a
// common base key can be extended many times:
//
//	base := NewKey("m").Str(conv)
//	first, second := base.U64(1), base.U64(2) // independent
type Key []byte

// NewKey starts a key with prefix as its first, 0x00-terminated component (the
// entity kind, e.g. "m" for messages). Because of the terminator, the keys of
// prefix "m" and of prefix "ms" never interleave.
func NewKey(prefix string) Key {
	return Key(nil).Str(prefix)
}

// Str appends s followed by a 0x00 terminator. s must not contain 0x00.
func (k Key) Str(s string) Key {
	out := make(Key, len(k), len(k)+len(s)+1)
	copy(out, k)
	out = append(out, s...)
	return append(out, 0)
}

// U64 appends v as 8 bytes big-endian, so that it sorts numerically.
func (k Key) U64(v uint64) Key {
	out := make(Key, len(k), len(k)+8)
	copy(out, k)
	return binary.BigEndian.AppendUint64(out, v)
}

// Bytes returns the key as a byte slice (no copy).
func (k Key) Bytes() []byte { return []byte(k) }

// SeqFromKey returns the big-endian uint64 held by the last 8 bytes of k, i.e. the
// sequence number appended last with Key.U64. It returns 0 when k is shorter than 8
// bytes.
func SeqFromKey(k []byte) uint64 {
	if len(k) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k[len(k)-8:])
}
