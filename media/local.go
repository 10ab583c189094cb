package media

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Local keeps blobs as files under a directory (one node only: a cluster needs a store
// every node reaches, see docs/CLUSTER.md). A Put writes a temporary file in the same
// directory tree and renames it into place, so readers never see part of a blob.
type Local struct {
	dir string
	tmp string
}

// OpenLocal opens (creating it) a local blob directory.
func OpenLocal(dir string) (*Local, error) {
	tmp := filepath.Join(dir, ".tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, err
	}
	// Leftovers of a crash in the middle of a Put.
	if ents, err := os.ReadDir(tmp); err == nil {
		for _, e := range ents {
			_ = os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
	return &Local{dir: dir, tmp: tmp}, nil
}

func (l *Local) path(key string) (string, error) {
	if !validKey(key) {
		return "", errBadKey
	}
	return filepath.Join(l.dir, filepath.FromSlash(key)), nil
}

func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(l.tmp, "put-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err != nil {
		return err
	}
	if size >= 0 && n != size {
		return io.ErrUnexpectedEOF
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return err
	}
	done = true
	return nil
}

type localObject struct {
	*os.File
	info Info
}

func (o localObject) Info() Info { return o.info }

func (l *Local) Open(_ context.Context, key string) (Object, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrBlobNotFound
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return localObject{f, Info{Size: st.Size(), ModTime: st.ModTime()}}, nil
}

func (l *Local) Stat(_ context.Context, key string) (Info, error) {
	p, err := l.path(key)
	if err != nil {
		return Info{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, ErrBlobNotFound
	}
	if err != nil {
		return Info{}, err
	}
	return Info{Size: st.Size(), ModTime: st.ModTime()}, nil
}

func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Drop the file's directory once empty (a failure means it is not empty).
	if d := filepath.Dir(p); d != l.dir {
		_ = os.Remove(d)
	}
	return nil
}

// ctxReader stops a copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
