package actors

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/persistence"
)

// Stored records: every kind keeps its state as protobuf messages under the keys of
// keys.go, read and written with these helpers.

// record is a pointer to a generated message type T.
type record[T any] interface {
	*T
	proto.Message
}

// errBadRecord marks a stored record that does not decode.
var errBadRecord = errors.New("stored record does not decode")

// isDecodeError reports whether err is a record that did not decode (not a store error).
func isDecodeError(err error) bool { return errors.Is(err, errBadRecord) }

// getRecord reads the record at key. found is false when there is none; the record is
// then an empty one (never nil without an error), which reads as all defaults.
func getRecord[T any, P record[T]](ctx context.Context, st persistence.Store, key []byte) (rec P, found bool, err error) {
	raw, err := st.Get(ctx, key)
	if errors.Is(err, persistence.ErrNotFound) {
		return P(new(T)), false, nil
	}
	if err != nil {
		return nil, false, err
	}
	rec = P(new(T))
	if err := proto.Unmarshal(raw, rec); err != nil {
		return nil, false, fmt.Errorf("%w: %w", errBadRecord, err)
	}
	return rec, true, nil
}

// scanRecords reads the records under prefix in key order and hands each, with its key,
// to each until it returns false. A record that does not decode ends the scan with its
// error.
func scanRecords[T any, P record[T]](ctx context.Context, st persistence.Store, prefix []byte, each func(key []byte, rec P) bool) error {
	var derr error
	err := st.Scan(ctx, persistence.PrefixRange(prefix), func(k, v []byte) bool {
		rec := P(new(T))
		if err := proto.Unmarshal(v, rec); err != nil {
			derr = fmt.Errorf("%w: %w", errBadRecord, err)
			return false
		}
		return each(k, rec)
	})
	if err == nil {
		err = derr
	}
	return err
}

// putProto adds the write of a record to b.
func putProto(b *persistence.Batch, key []byte, m proto.Message) {
	raw, err := proto.Marshal(m)
	if err != nil {
		panic(err) // our own records always marshal
	}
	b.Put(key, raw)
}
