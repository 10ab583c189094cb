package media

import (
	"context"
	"errors"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// Resolve checks the media part of a message a client sends (in) and fills the stored
// message's media fields (out, whose MessageID is set). A file of this server is named
// by fileUID or by one of its download URLs and must be the sender's upload of the
// message's type (a file message takes any upload); its name may be renamed by the
// message, everything else comes from the record. Other URLs are external: refused
// unless the server allows them. The message is recorded as a reference of its files,
// so the files are not collected while a message shows them.
func (s *Service) Resolve(ctx context.Context, sender string, in, out *messages.Message) error {
	uid := in.FileUID
	if uid == "" && in.FileDownloadUrl != "" {
		if u, _, ok := s.ParseOwnURL(in.FileDownloadUrl); ok {
			uid = u
		}
	}
	lim := s.cfg.Image
	if len(in.FileName) > 255 || !utf8.ValidString(in.FileName) {
		return ErrParam
	}
	var refs []string
	if uid != "" {
		rec, err := s.File(ctx, uid)
		if err != nil {
			return err
		}
		if rec.OwnerUserID != sender {
			return ErrNotOwner
		}
		if rec.Type != in.Type && in.Type != TypeFile {
			return ErrFileType
		}
		refs = append(refs, uid)
		out.FileUID = uid
		out.FileName = rec.FileName
		if in.FileName != "" {
			out.FileName = in.FileName
		}
		out.FileSize = rec.FileSize
		out.FileDownloadUrl = s.url(uid, VariantOriginal)
		if in.Type == TypeImage {
			out.OriginalImageWidth, out.OriginalImageHeight = rec.Width, rec.Height
			out.LargeImageDownloadUrl, out.LargeImageWidth, out.LargeImageHeight = out.FileDownloadUrl, rec.Width, rec.Height
			if rec.Large != nil {
				out.LargeImageDownloadUrl = s.url(uid, VariantLarge)
				out.LargeImageWidth, out.LargeImageHeight = rec.Large.Width, rec.Large.Height
			}
			out.ThumbnailDownloadUrl, out.ThumbnailWidth, out.ThumbnailHeight = out.FileDownloadUrl, rec.Width, rec.Height
			if rec.Thumbnail != nil {
				out.ThumbnailDownloadUrl = s.url(uid, VariantThumbnail)
				out.ThumbnailWidth, out.ThumbnailHeight = rec.Thumbnail.Width, rec.Thumbnail.Height
			}
		}
	} else {
		if in.FileDownloadUrl == "" {
			return ErrFileNotExist
		}
		if !s.cfg.AllowExternalURLs {
			return ErrExternalURL
		}
		if !externalURL(in.FileDownloadUrl) || in.FileName == "" || in.FileSize < 0 || in.FileSize > s.cfg.MaxBytes[in.Type] {
			return ErrParam
		}
		out.FileDownloadUrl, out.FileName, out.FileSize = in.FileDownloadUrl, in.FileName, in.FileSize
		if in.Type == TypeImage {
			for _, u := range []string{in.ThumbnailDownloadUrl, in.LargeImageDownloadUrl} {
				if u != "" && !externalURL(u) {
					return ErrParam
				}
			}
			for _, d := range []int32{in.OriginalImageWidth, in.OriginalImageHeight, in.LargeImageWidth, in.LargeImageHeight, in.ThumbnailWidth, in.ThumbnailHeight} {
				if d < 0 || int(d) > lim.MaxSide {
					return ErrParam
				}
			}
			out.ThumbnailDownloadUrl, out.LargeImageDownloadUrl = in.ThumbnailDownloadUrl, in.LargeImageDownloadUrl
			out.OriginalImageWidth, out.OriginalImageHeight = in.OriginalImageWidth, in.OriginalImageHeight
			out.LargeImageWidth, out.LargeImageHeight = in.LargeImageWidth, in.LargeImageHeight
			out.ThumbnailWidth, out.ThumbnailHeight = in.ThumbnailWidth, in.ThumbnailHeight
		}
	}
	switch in.Type {
	case TypeAudio:
		if in.AudioDuration <= 0 || in.AudioDuration > s.cfg.MaxAudioSeconds {
			return ErrDuration
		}
		out.AudioDuration = in.AudioDuration
	case TypeVideo:
		if in.VideoDuration <= 0 || in.VideoDuration > s.cfg.MaxVideoSeconds {
			return ErrDuration
		}
		out.VideoDuration = in.VideoDuration
		if in.VideoFirstFrameDownloadUrl != "" {
			if fuid, _, ok := s.ParseOwnURL(in.VideoFirstFrameDownloadUrl); ok {
				rec, err := s.File(ctx, fuid)
				if err != nil {
					return err
				}
				if rec.OwnerUserID != sender {
					return ErrNotOwner
				}
				if rec.Type != TypeImage {
					return ErrFileType
				}
				refs = append(refs, fuid)
				out.VideoFirstFrameDownloadUrl = s.url(fuid, VariantOriginal)
				out.VideoFirstFrameWidth, out.VideoFirstFrameHeight = rec.Width, rec.Height
			} else {
				if !s.cfg.AllowExternalURLs {
					return ErrExternalURL
				}
				if !externalURL(in.VideoFirstFrameDownloadUrl) || in.VideoFirstFrameWidth < 0 || in.VideoFirstFrameHeight < 0 ||
					int(in.VideoFirstFrameWidth) > lim.MaxSide || int(in.VideoFirstFrameHeight) > lim.MaxSide {
					return ErrParam
				}
				out.VideoFirstFrameDownloadUrl = in.VideoFirstFrameDownloadUrl
				out.VideoFirstFrameWidth, out.VideoFirstFrameHeight = in.VideoFirstFrameWidth, in.VideoFirstFrameHeight
			}
		}
	}
	if len(refs) > 0 {
		b := &persistence.Batch{}
		for _, r := range refs {
			b.Put(keyRef(r, out.MessageID), nil)
		}
		if err := s.cfg.Store.Write(ctx, b); err != nil {
			return ErrFileServer
		}
	}
	return nil
}

func externalURL(raw string) bool {
	if len(raw) > 2048 {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// filesOf lists the server's files a stored message shows.
func (s *Service) filesOf(m *messages.Message) []string {
	if !IsMediaType(m.Type) {
		return nil
	}
	var out []string
	if validUID(m.FileUID) {
		out = append(out, m.FileUID)
	}
	if m.VideoFirstFrameDownloadUrl != "" {
		if uid, _, ok := s.ParseOwnURL(m.VideoFirstFrameDownloadUrl); ok {
			out = append(out, uid)
		}
	}
	return out
}

// Release is what every path that removes messages for everyone calls (the peer
// conversation once both sides deleted a message; revokeMessage): each message stops
// referencing its files, and a file no message references any more is queued for
// collection after Config.CollectAfter. Idempotent.
func (s *Service) Release(ctx context.Context, msgs []*messages.Message) error {
	b := &persistence.Batch{}
	var files []string
	for _, m := range msgs {
		for _, uid := range s.filesOf(m) {
			b.Delete(keyRef(uid, m.MessageID))
			files = append(files, uid)
		}
	}
	if len(files) == 0 {
		return nil
	}
	if err := s.cfg.Store.Write(ctx, b); err != nil {
		return err
	}
	due := s.cfg.Now().Add(s.cfg.CollectAfter).UnixMilli()
	b = &persistence.Batch{}
	for _, uid := range files {
		if n, err := s.refCount(ctx, uid); err != nil {
			return err
		} else if n == 0 {
			b.Put(keyCollect(due, uid), nil)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return s.cfg.Store.Write(ctx, b)
}

func (s *Service) refCount(ctx context.Context, uid string) (int, error) {
	n := 0
	err := s.cfg.Store.Scan(ctx, persistence.Range{Start: keyRefPrefix(uid), End: persistence.PrefixEnd(keyRefPrefix(uid)), Limit: 1},
		func(_, _ []byte) bool { n++; return true })
	return n, err
}

// Sweep collects the files due for collection: blobs first, then the record and the
// queue entry (a crash in between leaves the entry, and the next sweep finishes). A
// file referenced again meanwhile (sent in a new message) is kept. It returns how many
// files it deleted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.cfg.Now().UnixMilli()
	start := persistence.NewKey("mg").Bytes()
	end := persistence.NewKey("mg").U64(uint64(now) + 1).Bytes()
	type due struct {
		key []byte
		uid string
	}
	var list []due
	err := s.cfg.Store.Scan(ctx, persistence.Range{Start: start, End: end, Limit: 1000}, func(k, _ []byte) bool {
		// key: "mg\0" + 8-byte due + uid + "\0"
		if len(k) > len(start)+9 {
			list = append(list, due{append([]byte(nil), k...), string(k[len(start)+8 : len(k)-1])})
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	deleted := 0
	for _, d := range list {
		b := &persistence.Batch{}
		b.Delete(d.key)
		if n, err := s.refCount(ctx, d.uid); err != nil {
			return deleted, err
		} else if n == 0 {
			s.deleteBlobs(ctx, d.uid)
			b.Delete(keyFile(d.uid))
			deleted++
		}
		if err := s.cfg.Store.Write(ctx, b); err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

func (s *Service) sweepLoop() {
	defer close(s.done)
	if s.cfg.SweepInterval < 0 {
		<-s.stop
		return
	}
	t := time.NewTicker(s.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if n, err := s.Sweep(ctx); err != nil && !errors.Is(err, persistence.ErrClosed) {
				s.log.Warn("media sweep failed", "err", err)
			} else if n > 0 {
				s.log.Info("media files collected", "count", n)
			}
			cancel()
		}
	}
}
