package persistence

import (
	"bytes"
	"errors"
	"fmt"
)

// maxKeySize is the largest key every backend accepts (Badger's limit).
const maxKeySize = 65000

// reservedPrefix is reserved by Badger for its internal keys; no backend accepts
// keys starting with it so that every backend behaves the same.
var reservedPrefix = []byte("!badger!")

var errInvalidBatch = errors.New("persistence: invalid batch")

// validateBatch rejects what a backend could only reject half-way through applying
// a batch, so that a batch is either applied whole or not at all.
// checkBatch validates b for a Write: write is false for a batch with nothing to do
// (nil or empty), which every backend accepts without writing.
func checkBatch(b *Batch) (write bool, err error) {
	if b == nil || len(b.Ops) == 0 && len(b.Conds) == 0 {
		return false, nil
	}
	return true, validateBatch(b)
}

func validateBatch(b *Batch) error {
	for i := range b.Ops {
		op := &b.Ops[i]
		if op.Kind != OpPut && op.Kind != OpDelete {
			return fmt.Errorf("%w: op %d has unknown kind %d", errInvalidBatch, i, op.Kind)
		}
		if err := validateKey(op.Key); err != nil {
			return fmt.Errorf("%w: op %d: %v", errInvalidBatch, i, err)
		}
	}
	for i := range b.Conds {
		c := &b.Conds[i]
		if c.Kind != CondAbsent && c.Kind != CondEquals {
			return fmt.Errorf("%w: cond %d has unknown kind %d", errInvalidBatch, i, c.Kind)
		}
	}
	return nil
}

func validateKey(k []byte) error {
	switch {
	case len(k) == 0:
		return errors.New("empty key")
	case len(k) > maxKeySize:
		return fmt.Errorf("key of %d bytes exceeds %d", len(k), maxKeySize)
	case bytes.HasPrefix(k, reservedPrefix):
		return fmt.Errorf("key prefix %q is reserved", reservedPrefix)
	}
	return nil
}
