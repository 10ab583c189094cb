package media

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// ZIM message types of media messages.
const (
	TypeImage = 11
	TypeFile  = 12
	TypeAudio = 13
	TypeVideo = 14
)

// IsMediaType reports whether t is one of the media message types.
func IsMediaType(t int32) bool { return t >= TypeImage && t <= TypeVideo }

// Variants of a stored file, as they appear in download URLs.
const (
	VariantOriginal  = "o"
	VariantThumbnail = "t"
	VariantLarge     = "l"
)

// Config configures the media service of a node. Every node of a cluster needs the same
// Secret and a Blobs every node reaches.
type Config struct {
	Blobs Blobs
	Store persistence.Store
	// Secret signs download URLs and derives retry-stable file IDs. At least 16 bytes.
	Secret []byte
	// BaseURL is what download URLs start with ("https://chat.example.com"); the
	// gateway sets it from its listener when empty.
	BaseURL string
	// URLTTL is how long a download URL stays valid. Default 7 days.
	URLTTL time.Duration
	// MaxBytes per message type; defaults: image 10 MB, file 100 MB, audio 6 MB,
	// video 100 MB (ZIM's limits).
	MaxBytes map[int32]int64
	// DailyQuota is the bytes a user may upload per UTC day; 0 means 1 GiB, -1 none.
	DailyQuota int64
	// MaxAudioSeconds and MaxVideoSeconds bound the durations a sender reports.
	// Defaults 300 s (ZIM's audio limit) and 3600 s.
	MaxAudioSeconds int32
	MaxVideoSeconds int32
	// AllowExternalURLs lets a media message carry a fileDownloadUrl that is not one of
	// this server's files (ZIM's "external URL" messages). Off by default.
	AllowExternalURLs bool
	// CollectAfter is how long a file whose last message was removed for everyone is
	// kept before its blobs and record are deleted. Default 24 h.
	CollectAfter time.Duration
	// UnsentAfter is how long an uploaded file no message shows is kept (an upload
	// whose message was never sent). Default 7 days.
	UnsentAfter time.Duration
	// SweepInterval is how often due files are collected. Default 1 min; -1 disables
	// the background sweep (tests call Sweep).
	SweepInterval time.Duration
	Image         ImageLimits
	// ImageWorkers bounds concurrent image decoding. Default 2.
	ImageWorkers int
	Logger       *slog.Logger
	Now          func() time.Time
}

// DefaultMaxBytes are ZIM's per-type size limits.
var DefaultMaxBytes = map[int32]int64{TypeImage: 10 << 20, TypeFile: 100 << 20, TypeAudio: 6 << 20, TypeVideo: 100 << 20}

// Service is the media service of a node.
type Service struct {
	cfg     Config
	baseURL string
	baseMu  sync.RWMutex
	imgSem  chan struct{}
	stop    chan struct{}
	done    chan struct{}
	log     *slog.Logger
}

// New checks the configuration and starts the background sweep.
func New(cfg Config) (*Service, error) {
	if cfg.Blobs == nil || cfg.Store == nil {
		return nil, errors.New("media: config needs Blobs and a Store")
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("media: the URL signing secret must be at least 16 bytes")
	}
	if cfg.URLTTL <= 0 {
		cfg.URLTTL = 7 * 24 * time.Hour
	}
	mb := map[int32]int64{}
	for t, v := range DefaultMaxBytes {
		mb[t] = v
	}
	for t, v := range cfg.MaxBytes {
		if v > 0 {
			mb[t] = v
		}
	}
	cfg.MaxBytes = mb
	if cfg.DailyQuota == 0 {
		cfg.DailyQuota = 1 << 30
	}
	if cfg.MaxAudioSeconds <= 0 {
		cfg.MaxAudioSeconds = 300
	}
	if cfg.MaxVideoSeconds <= 0 {
		cfg.MaxVideoSeconds = 3600
	}
	if cfg.CollectAfter <= 0 {
		cfg.CollectAfter = 24 * time.Hour
	}
	if cfg.UnsentAfter <= 0 {
		cfg.UnsentAfter = 7 * 24 * time.Hour
	}
	if cfg.SweepInterval == 0 {
		cfg.SweepInterval = time.Minute
	}
	if cfg.ImageWorkers <= 0 {
		cfg.ImageWorkers = 2
	}
	cfg.Image.defaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, baseURL: strings.TrimRight(cfg.BaseURL, "/"), imgSem: make(chan struct{}, cfg.ImageWorkers),
		stop: make(chan struct{}), done: make(chan struct{}), log: cfg.Logger.With("component", "media")}
	go s.sweepLoop()
	return s, nil
}

// Close stops the background sweep.
func (s *Service) Close() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}

// Config returns the effective configuration (defaults filled).
func (s *Service) Config() Config { return s.cfg }

// BaseURL is what download URLs start with.
func (s *Service) BaseURL() string {
	s.baseMu.RLock()
	defer s.baseMu.RUnlock()
	return s.baseURL
}

// SetBaseURL sets the URL prefix when none was configured (the gateway's address).
func (s *Service) SetBaseURL(u string) {
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	if s.baseURL == "" {
		s.baseURL = strings.TrimRight(u, "/")
	}
}

// Error is a refusal with a ZIM error code, an HTTP status and a fixed message.
type Error struct {
	Code    int32
	Status  int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// ZIMCode is how the actors read the code of a refusal.
func (e *Error) ZIMCode() (int32, string) { return e.Code, e.Message }

func mediaErr(code int32, status int, msg string) *Error {
	return &Error{Code: code, Status: status, Message: msg}
}

// The refusals of the media service (codes from ZIMErrorCode.d.ts).
var (
	ErrParam           = mediaErr(6000001, http.StatusBadRequest, "invalid parameter")
	ErrUploadKeyReused = mediaErr(6000001, http.StatusConflict, "the upload key was used for a file of another type")
	ErrUnauthorized    = mediaErr(6000103, http.StatusUnauthorized, "missing or invalid token")
	ErrFileNotExist    = mediaErr(6000211, http.StatusNotFound, "the file does not exist")
	ErrFileServer      = mediaErr(6000212, http.StatusInternalServerError, "file storage error")
	ErrFileType        = mediaErr(6000213, http.StatusUnsupportedMediaType, "the file type is not supported for this message type")
	ErrFileSize        = mediaErr(6000214, http.StatusRequestEntityTooLarge, "the file size is over the limit for this message type")
	ErrFileEmpty       = mediaErr(6000214, http.StatusBadRequest, "the file is empty")
	ErrImageTooLarge   = mediaErr(6000214, http.StatusRequestEntityTooLarge, "the image dimensions are over the limit")
	ErrDuration        = mediaErr(6000215, http.StatusBadRequest, "the audio or video duration is out of range")
	ErrNotOwner        = mediaErr(6000216, http.StatusForbidden, "the file belongs to another user's upload")
	ErrExternalURL     = mediaErr(6000216, http.StatusForbidden, "external file URLs are not allowed on this server")
	ErrURLForged       = mediaErr(6000216, http.StatusForbidden, "the download URL's signature is invalid")
	ErrURLExpired      = mediaErr(6000216, http.StatusForbidden, "the download URL has expired")
	ErrGone            = mediaErr(6000219, http.StatusNotFound, "the file no longer exists")
	ErrQuota           = mediaErr(6000005, http.StatusTooManyRequests, "daily upload quota reached")
)

// Store keys.
func keyFile(uid string) []byte { return persistence.NewKey("mf").Str(uid).Bytes() }
func keyQuota(user string, day string) []byte {
	return persistence.NewKey("mq").Str(user).Str(day).Bytes()
}
func keyRef(uid, messageID string) []byte {
	return persistence.NewKey("mr").Str(uid).Str(messageID).Bytes()
}
func keyRefPrefix(uid string) []byte { return persistence.NewKey("mr").Str(uid).Bytes() }
func keyCollect(due int64, uid string) []byte {
	return persistence.NewKey("mg").U64(uint64(due)).Str(uid).Bytes()
}

func blobKey(uid, variant string) string { return "f/" + uid + "/" + variant }

func (s *Service) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.cfg.Secret)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// validUID: 32 lowercase hex digits.
func validUID(uid string) bool {
	if len(uid) != 32 {
		return false
	}
	for i := 0; i < len(uid); i++ {
		c := uid[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// SignedURL is the download URL of a file's variant, valid until exp.
func (s *Service) SignedURL(uid, variant string, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	sig := base64.RawURLEncoding.EncodeToString(s.mac("dl", uid, variant, e)[:18])
	return s.BaseURL() + "/media/" + uid + "/" + variant + "?e=" + e + "&s=" + sig
}

func (s *Service) url(uid, variant string) string {
	return s.SignedURL(uid, variant, s.cfg.Now().Add(s.cfg.URLTTL))
}

// VerifyURL checks a download request's signature and expiry.
func (s *Service) VerifyURL(uid, variant, e, sig string) error {
	if !validUID(uid) || (variant != VariantOriginal && variant != VariantThumbnail && variant != VariantLarge) {
		return ErrFileNotExist
	}
	want := s.mac("dl", uid, variant, e)[:18]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, want) {
		return ErrURLForged
	}
	exp, err := strconv.ParseInt(e, 10, 64)
	if err != nil {
		return ErrURLForged
	}
	if s.cfg.Now().Unix() > exp {
		return ErrURLExpired
	}
	return nil
}

// ParseOwnURL recognizes a download URL this service signed (on any node, expired or
// not) and returns its file ID and variant.
func (s *Service) ParseOwnURL(raw string) (uid, variant string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(parts) != 3 || parts[0] != "media" {
		return "", "", false
	}
	q := u.Query()
	if err := s.VerifyURL(parts[1], parts[2], q.Get("e"), q.Get("s")); err != nil && err != ErrURLExpired {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// RefreshURL re-signs one of this service's URLs (expired or not) for another URLTTL.
func (s *Service) RefreshURL(raw string) (string, error) {
	uid, v, ok := s.ParseOwnURL(raw)
	if !ok {
		return "", ErrURLForged
	}
	return s.url(uid, v), nil
}

// File reads a file's record.
func (s *Service) File(ctx context.Context, uid string) (*messages.MediaFileRecord, error) {
	if !validUID(uid) {
		return nil, ErrFileNotExist
	}
	raw, err := s.cfg.Store.Get(ctx, keyFile(uid))
	if errors.Is(err, persistence.ErrNotFound) {
		return nil, ErrFileNotExist
	}
	if err != nil {
		return nil, ErrFileServer
	}
	rec := &messages.MediaFileRecord{}
	if err := proto.Unmarshal(raw, rec); err != nil {
		return nil, ErrFileServer
	}
	return rec, nil
}

// Open opens a file's variant for a download whose URL was verified.
func (s *Service) Open(ctx context.Context, uid, variant string) (Object, *messages.MediaFileRecord, string, error) {
	rec, err := s.File(ctx, uid)
	if err == ErrFileNotExist {
		return nil, nil, "", ErrGone
	}
	if err != nil {
		return nil, nil, "", err
	}
	ct := rec.ContentType
	switch variant {
	case VariantThumbnail:
		if rec.Thumbnail == nil {
			variant = VariantOriginal
		} else {
			ct = rec.Thumbnail.ContentType
		}
	case VariantLarge:
		if rec.Large == nil {
			variant = VariantOriginal
		} else {
			ct = rec.Large.ContentType
		}
	}
	o, err := s.cfg.Blobs.Open(ctx, blobKey(uid, variant))
	if errors.Is(err, ErrBlobNotFound) {
		return nil, nil, "", ErrGone
	}
	if err != nil {
		return nil, nil, "", ErrFileServer
	}
	return o, rec, ct, nil
}

// UploadRequest is one upload.
type UploadRequest struct {
	User     string
	Type     int32
	FileName string
	// UploadKey, when the client sends one, makes the upload retry-safe: the same user
	// and key always get the same file ID, and a retry of a completed upload returns
	// the stored file without storing or charging it again.
	UploadKey string
	// Size is the body's declared length (Content-Length), -1 when unknown.
	Size int64
	Body io.Reader
}

func day(t time.Time) string { return t.UTC().Format("20060102") }

// QuotaUsed is what user uploaded today (UTC).
func (s *Service) QuotaUsed(ctx context.Context, user string) (int64, []byte, error) {
	raw, err := s.cfg.Store.Get(ctx, keyQuota(user, day(s.cfg.Now())))
	if errors.Is(err, persistence.ErrNotFound) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, ErrFileServer
	}
	q := &messages.MediaQuotaRecord{}
	if err := proto.Unmarshal(raw, q); err != nil {
		return 0, nil, ErrFileServer
	}
	return q.Bytes, raw, nil
}

// limitReader fails once more than n bytes were read.
type limitReader struct {
	r        io.Reader
	n        int64
	read     int64
	exceeded bool
	h        hash.Hash
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read > l.n {
		l.exceeded = true
		return 0, ErrFileSize
	}
	l.h.Write(p[:n])
	return n, err
}

// Upload validates and stores one upload: the size limit of its type (refused from the
// declared length before anything is read, else as soon as the body passes it), the
// type sniffed from the first bytes, the daily quota; images are checked on their
// header (dimensions) before they are decoded, and get their variants.
func (s *Service) Upload(ctx context.Context, req UploadRequest) (*messages.MediaFileRecord, error) {
	if !IsMediaType(req.Type) {
		return nil, ErrParam
	}
	if req.FileName == "" {
		req.FileName = "file"
	}
	if len(req.FileName) > 255 || !utf8.ValidString(req.FileName) || strings.ContainsAny(req.FileName, "/\\\x00") ||
		len(req.UploadKey) > 64 {
		return nil, ErrParam
	}
	limit := s.cfg.MaxBytes[req.Type]
	if req.Size > limit {
		return nil, ErrFileSize
	}
	if req.Size == 0 {
		return nil, ErrFileEmpty
	}
	now := s.cfg.Now()
	uid := ""
	if req.UploadKey != "" {
		uid = hex.EncodeToString(s.mac("upload", req.User, req.UploadKey)[:16])
		if rec, err := s.File(ctx, uid); err == nil {
			if rec.OwnerUserID != req.User { // cannot happen: the ID is derived from the user
				return nil, ErrNotOwner
			}
			if rec.Type != req.Type {
				return nil, ErrUploadKeyReused
			}
			return rec, nil // a retry of a completed upload
		} else if err != ErrFileNotExist {
			return nil, err
		}
	} else {
		var b [16]byte
		_, _ = rand.Read(b[:])
		uid = hex.EncodeToString(b[:])
	}
	if s.cfg.DailyQuota > 0 {
		used, _, err := s.QuotaUsed(ctx, req.User)
		if err != nil {
			return nil, err
		}
		if used+max(req.Size, 1) > s.cfg.DailyQuota {
			return nil, ErrQuota
		}
	}

	lr := &limitReader{r: req.Body, n: limit, h: sha256.New()}
	head := make([]byte, 512)
	n, err := io.ReadFull(lr, head)
	head = head[:n]
	if lr.exceeded {
		return nil, ErrFileSize
	}
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, ErrParam // the body broke off
	}
	if n == 0 {
		return nil, ErrFileEmpty
	}
	ct := Sniff(head)
	if !typeAccepts(req.Type, ct) {
		return nil, ErrFileType
	}
	body := io.MultiReader(bytes.NewReader(head), lr)
	rec := &messages.MediaFileRecord{FileUID: uid, OwnerUserID: req.User, Type: req.Type, FileName: req.FileName,
		ContentType: ct, CreatedAt: now.UnixMilli(), UploadKey: req.UploadKey}

	if req.Type == TypeImage {
		if err := s.storeImage(ctx, rec, body, lr); err != nil {
			return nil, err
		}
	} else {
		if err := s.cfg.Blobs.Put(ctx, blobKey(uid, VariantOriginal), body, req.Size, ct); err != nil {
			if lr.exceeded {
				return nil, ErrFileSize
			}
			if ctx.Err() != nil || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, ErrParam
			}
			s.log.Warn("blob put failed", "err", err)
			return nil, ErrFileServer
		}
		rec.FileSize = lr.read
	}
	if rec.FileSize == 0 {
		return nil, ErrFileEmpty
	}
	rec.Sha256 = hex.EncodeToString(lr.h.Sum(nil))
	if err := s.commitUpload(ctx, rec); err != nil {
		s.deleteBlobs(ctx, uid)
		return nil, err
	}
	return rec, nil
}

func (s *Service) storeImage(ctx context.Context, rec *messages.MediaFileRecord, body io.Reader, lr *limitReader) error {
	var buf bytes.Buffer
	// The header first: a decompression bomb is refused after a few hundred bytes.
	if _, _, err := ImageHeader(io.TeeReader(body, &buf), s.cfg.Image); err != nil {
		if lr.exceeded {
			return ErrFileSize
		}
		if err == ErrImageTooBig {
			return ErrImageTooLarge
		}
		return ErrFileType
	}
	if _, err := io.Copy(&buf, body); err != nil {
		if lr.exceeded {
			return ErrFileSize
		}
		return ErrParam
	}
	select {
	case s.imgSem <- struct{}{}:
	case <-ctx.Done():
		return ErrParam
	}
	v, err := MakeVariants(buf.Bytes(), s.cfg.Image)
	<-s.imgSem
	if err != nil {
		if errors.Is(err, ErrImageTooBig) {
			return ErrImageTooLarge
		}
		return ErrFileType
	}
	rec.FileSize = int64(buf.Len())
	rec.Width, rec.Height = int32(v.Width), int32(v.Height)
	put := func(variant string, data []byte, ct string) error {
		if err := s.cfg.Blobs.Put(ctx, blobKey(rec.FileUID, variant), bytes.NewReader(data), int64(len(data)), ct); err != nil {
			s.log.Warn("blob put failed", "err", err)
			return ErrFileServer
		}
		return nil
	}
	if v.Large != nil {
		if err := put(VariantLarge, v.Large.Data, v.Large.ContentType); err != nil {
			return err
		}
		rec.Large = &messages.MediaVariant{Width: int32(v.Large.Width), Height: int32(v.Large.Height), Size: int64(len(v.Large.Data)), ContentType: v.Large.ContentType}
	}
	if v.Thumbnail != nil {
		if v.Thumbnail != v.Large {
			if err := put(VariantThumbnail, v.Thumbnail.Data, v.Thumbnail.ContentType); err != nil {
				return err
			}
		} else if err := put(VariantThumbnail, v.Large.Data, v.Large.ContentType); err != nil {
			return err
		}
		rec.Thumbnail = &messages.MediaVariant{Width: int32(v.Thumbnail.Width), Height: int32(v.Thumbnail.Height), Size: int64(len(v.Thumbnail.Data)), ContentType: v.Thumbnail.ContentType}
	}
	return put(VariantOriginal, buf.Bytes(), rec.ContentType)
}

// commitUpload writes the record and charges the quota in one conditional batch.
func (s *Service) commitUpload(ctx context.Context, rec *messages.MediaFileRecord) error {
	raw, err := proto.Marshal(rec)
	if err != nil {
		return ErrFileServer
	}
	qk := keyQuota(rec.OwnerUserID, day(s.cfg.Now()))
	for range 8 {
		used, old, err := s.QuotaUsed(ctx, rec.OwnerUserID)
		if err != nil {
			return err
		}
		q, _ := proto.Marshal(&messages.MediaQuotaRecord{Bytes: used + rec.FileSize})
		b := &persistence.Batch{}
		if old == nil {
			b.ExpectAbsent(qk)
		} else {
			b.ExpectValue(qk, old)
		}
		b.Put(qk, q)
		b.Put(keyFile(rec.FileUID), raw)
		// Collected unless a message shows it by then (Sweep checks the references).
		b.Put(keyCollect(s.cfg.Now().Add(s.cfg.UnsentAfter).UnixMilli(), rec.FileUID), nil)
		err = s.cfg.Store.Write(ctx, b)
		if err == nil {
			return nil
		}
		if !errors.Is(err, persistence.ErrConflict) {
			return ErrFileServer
		}
	}
	return ErrFileServer
}

func (s *Service) deleteBlobs(ctx context.Context, uid string) {
	for _, v := range []string{VariantOriginal, VariantThumbnail, VariantLarge} {
		if err := s.cfg.Blobs.Delete(ctx, blobKey(uid, v)); err != nil {
			s.log.Warn("blob delete failed", "uid", uid, "err", err)
		}
	}
}

// Sniff tells a content type from the first bytes: net/http's sniffing plus the
// containers and codecs it does not know (TIFF, MP4/QuickTime brands, AMR, AAC, MP3
// without an ID3 tag).
func Sniff(head []byte) string {
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "image/tiff"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "M4A ", "M4B ":
			return "audio/mp4"
		case "qt  ":
			return "video/quicktime"
		}
		return "video/mp4"
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "audio/amr"
	case binaryOrText(ct) && len(head) >= 2 && head[0] == 0xff && head[1]&0xf6 == 0xf0:
		return "audio/aac" // ADTS
	case binaryOrText(ct) && len(head) >= 2 && head[0] == 0xff && head[1]&0xe0 == 0xe0:
		return "audio/mpeg"
	}
	return ct
}

// typeAccepts: images are JPEG, PNG, GIF, BMP, TIFF or WebP (ZIM's list, WebP added);
// audio any audio/* (MP3, M4A, AAC, AMR, OGG, WAV…); video any video/* (MP4, MOV,
// WebM…); files anything.
func typeAccepts(t int32, ct string) bool {
	switch t {
	case TypeImage:
		switch ct {
		case "image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp":
			return true
		}
		return false
	case TypeAudio:
		return strings.HasPrefix(ct, "audio/") || ct == "application/ogg"
	case TypeVideo:
		return strings.HasPrefix(ct, "video/")
	}
	return true
}

// binaryOrText: net/http found nothing more specific.
func binaryOrText(ct string) bool { return ct == "application/octet-stream" || ct == "text/plain" }
