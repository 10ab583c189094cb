// Package media holds what parley keeps of media messages: the blob store seam (a local
// directory or S3-compatible object storage, one conformance suite), the file records
// and per-user quotas kept in the Store, signed download URLs, image variants and the
// collection of files whose messages are gone. The HTTP endpoints are in
// gateway/media.go; docs/PROTOCOL.md#media describes them for client authors.
package media

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrBlobNotFound is returned by Open and Stat when the key does not exist.
var ErrBlobNotFound = errors.New("media: blob not found")

// Blobs is where file contents live. Keys are relative paths of [A-Za-z0-9._-] segments
// separated by "/". Implementations are safe for concurrent use.
type Blobs interface {
	// Put stores the bytes r yields under key. size is the exact length, or -1 when
	// unknown. The blob appears whole or not at all: a reader that fails (a client
	// that went away, a size limit) leaves nothing under key, and a Put that replaces
	// an existing blob replaces it atomically (a retried upload).
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the blob for reading with random access (range requests).
	Open(ctx context.Context, key string) (Object, error)
	// Stat returns the blob's size and modification time.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the blob; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// Info describes a stored blob.
type Info struct {
	Size    int64
	ModTime time.Time
}

// Object is an opened blob.
type Object interface {
	io.ReadSeekCloser
	Info() Info
}

// validKey reports whether key is a relative path of safe segments.
func validKey(key string) bool {
	if key == "" || len(key) > 512 {
		return false
	}
	seg := 0
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '/':
			if seg == 0 {
				return false
			}
			seg = 0
			continue
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '.':
			if seg == 0 { // no "." or ".." segments, no hidden files
				return false
			}
		default:
			return false
		}
		seg++
	}
	return seg > 0
}

var errBadKey = errors.New("media: invalid blob key")
