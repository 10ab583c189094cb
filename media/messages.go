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
	uid := in.GetFileUID()
	if uid == "" && in.GetFileDownloadUrl() != "" {
		if u, _, ok := s.ParseOwnURL(in.GetFileDownloadUrl()); ok {
			uid = u
		}
	}
	lim := s.cfg.Image
	if len(in.GetFileName()) > 255 || !utf8.ValidString(in.GetFileName()) {
		return ErrParam
	}
	var refs []string
	var f mediaFields
	defer f.apply(out)
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
		f.FileUID = uid
		f.FileName = rec.FileName
		if in.GetFileName() != "" {
			f.FileName = in.GetFileName()
		}
		f.FileSize = rec.FileSize
		f.FileDownloadUrl = s.url(uid, VariantOriginal)
		if in.Type == TypeImage {
			f.OriginalImageWidth, f.OriginalImageHeight = rec.Width, rec.Height
			f.LargeImageDownloadUrl, f.LargeImageWidth, f.LargeImageHeight = f.FileDownloadUrl, rec.Width, rec.Height
			if rec.Large != nil {
				f.LargeImageDownloadUrl = s.url(uid, VariantLarge)
				f.LargeImageWidth, f.LargeImageHeight = rec.Large.Width, rec.Large.Height
			}
			f.ThumbnailDownloadUrl, f.ThumbnailWidth, f.ThumbnailHeight = f.FileDownloadUrl, rec.Width, rec.Height
			if rec.Thumbnail != nil {
				f.ThumbnailDownloadUrl = s.url(uid, VariantThumbnail)
				f.ThumbnailWidth, f.ThumbnailHeight = rec.Thumbnail.Width, rec.Thumbnail.Height
			}
		}
	} else {
		if in.GetFileDownloadUrl() == "" {
			return ErrFileNotExist
		}
		if !s.cfg.AllowExternalURLs {
			return ErrExternalURL
		}
		if !externalURL(in.GetFileDownloadUrl()) || in.GetFileName() == "" || in.GetFileSize() < 0 || in.GetFileSize() > s.cfg.MaxBytes[in.Type] {
			return ErrParam
		}
		f.FileDownloadUrl, f.FileName, f.FileSize = in.GetFileDownloadUrl(), in.GetFileName(), in.GetFileSize()
		if in.Type == TypeImage {
			for _, u := range []string{in.GetThumbnailDownloadUrl(), in.GetLargeImageDownloadUrl()} {
				if u != "" && !externalURL(u) {
					return ErrParam
				}
			}
			for _, d := range []int32{in.GetOriginalImageWidth(), in.GetOriginalImageHeight(), in.GetLargeImageWidth(), in.GetLargeImageHeight(), in.GetThumbnailWidth(), in.GetThumbnailHeight()} {
				if d < 0 || int(d) > lim.MaxSide {
					return ErrParam
				}
			}
			f.ThumbnailDownloadUrl, f.LargeImageDownloadUrl = in.GetThumbnailDownloadUrl(), in.GetLargeImageDownloadUrl()
			f.OriginalImageWidth, f.OriginalImageHeight = in.GetOriginalImageWidth(), in.GetOriginalImageHeight()
			f.LargeImageWidth, f.LargeImageHeight = in.GetLargeImageWidth(), in.GetLargeImageHeight()
			f.ThumbnailWidth, f.ThumbnailHeight = in.GetThumbnailWidth(), in.GetThumbnailHeight()
		}
	}
	switch in.Type {
	case TypeAudio:
		if in.GetAudioDuration() <= 0 || in.GetAudioDuration() > s.cfg.MaxAudioSeconds {
			return ErrDuration
		}
		f.AudioDuration = in.GetAudioDuration()
	case TypeVideo:
		if in.GetVideoDuration() <= 0 || in.GetVideoDuration() > s.cfg.MaxVideoSeconds {
			return ErrDuration
		}
		f.VideoDuration = in.GetVideoDuration()
		if in.GetVideoFirstFrameDownloadUrl() != "" {
			if fuid, _, ok := s.ParseOwnURL(in.GetVideoFirstFrameDownloadUrl()); ok {
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
				f.VideoFirstFrameDownloadUrl = s.url(fuid, VariantOriginal)
				f.VideoFirstFrameWidth, f.VideoFirstFrameHeight = rec.Width, rec.Height
			} else {
				if !s.cfg.AllowExternalURLs {
					return ErrExternalURL
				}
				if !externalURL(in.GetVideoFirstFrameDownloadUrl()) || in.GetVideoFirstFrameWidth() < 0 || in.GetVideoFirstFrameHeight() < 0 ||
					int(in.GetVideoFirstFrameWidth()) > lim.MaxSide || int(in.GetVideoFirstFrameHeight()) > lim.MaxSide {
					return ErrParam
				}
				f.VideoFirstFrameDownloadUrl = in.GetVideoFirstFrameDownloadUrl()
				f.VideoFirstFrameWidth, f.VideoFirstFrameHeight = in.GetVideoFirstFrameWidth(), in.GetVideoFirstFrameHeight()
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
	if validUID(m.GetFileUID()) {
		out = append(out, m.GetFileUID())
	}
	if m.GetVideoFirstFrameDownloadUrl() != "" {
		if uid, _, ok := s.ParseOwnURL(m.GetVideoFirstFrameDownloadUrl()); ok {
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
		n, err := s.refCount(ctx, d.uid)
		if err != nil {
			return deleted, err
		}
		_, ferr := s.File(ctx, d.uid)
		if ferr != nil && ferr != ErrFileNotExist {
			return deleted, ferr
		}
		if n == 0 && ferr == nil { // (a file collected earlier may still have an entry)
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

// mediaFields are the media fields of a message being resolved; apply sets the ones
// that are not zero (the Message fields are optional, so that other messages do not
// carry them in JSON).
type mediaFields struct {
	FileDownloadUrl            string
	FileUID                    string
	FileName                   string
	FileSize                   int64
	ThumbnailDownloadUrl       string
	LargeImageDownloadUrl      string
	OriginalImageWidth         int32
	OriginalImageHeight        int32
	LargeImageWidth            int32
	LargeImageHeight           int32
	ThumbnailWidth             int32
	ThumbnailHeight            int32
	AudioDuration              int32
	VideoDuration              int32
	VideoFirstFrameDownloadUrl string
	VideoFirstFrameWidth       int32
	VideoFirstFrameHeight      int32
}

func (f *mediaFields) apply(out *messages.Message) {
	setNonZero(&out.FileDownloadUrl, f.FileDownloadUrl)
	setNonZero(&out.FileUID, f.FileUID)
	setNonZero(&out.FileName, f.FileName)
	setNonZero(&out.FileSize, f.FileSize)
	setNonZero(&out.ThumbnailDownloadUrl, f.ThumbnailDownloadUrl)
	setNonZero(&out.LargeImageDownloadUrl, f.LargeImageDownloadUrl)
	setNonZero(&out.OriginalImageWidth, f.OriginalImageWidth)
	setNonZero(&out.OriginalImageHeight, f.OriginalImageHeight)
	setNonZero(&out.LargeImageWidth, f.LargeImageWidth)
	setNonZero(&out.LargeImageHeight, f.LargeImageHeight)
	setNonZero(&out.ThumbnailWidth, f.ThumbnailWidth)
	setNonZero(&out.ThumbnailHeight, f.ThumbnailHeight)
	setNonZero(&out.AudioDuration, f.AudioDuration)
	setNonZero(&out.VideoDuration, f.VideoDuration)
	setNonZero(&out.VideoFirstFrameDownloadUrl, f.VideoFirstFrameDownloadUrl)
	setNonZero(&out.VideoFirstFrameWidth, f.VideoFirstFrameWidth)
	setNonZero(&out.VideoFirstFrameHeight, f.VideoFirstFrameHeight)
}

// setNonZero points *dst at a copy of v unless v is its type's zero value (the
// message's optional fields stay unset, so its JSON does not carry them).
func setNonZero[T comparable](dst **T, v T) {
	var zero T
	if v != zero {
		*dst = &v
	}
}
