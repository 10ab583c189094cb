package gateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/messages"
)

// The media endpoints (docs/PROTOCOL.md#media):
//
//	POST /media/upload?userID=&type=11..14&fileName=&uploadKey=   body: the file
//	POST /media/refresh?userID=   body: {"url": "<a download URL>"}
//	GET  /media/{fileUID}/{variant}?e=<expiry>&s=<signature>      (HEAD too; ranges)
//
// Uploads and refreshes are authenticated with the user's login token
// (Authorization: Bearer <token04>); downloads by the URL's signature.
func (s *Server) mediaRoutes(mux *http.ServeMux) {
	if s.media == nil {
		return
	}
	mux.HandleFunc("/media/upload", s.cors(s.mediaUpload))
	mux.HandleFunc("/media/refresh", s.cors(s.mediaRefresh))
	mux.HandleFunc("/media/{uid}/{variant}", s.cors(s.mediaDownload))
}

// cors lets browser clients of another origin call the endpoints (the JS SDK).
func (s *Server) cors(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		hd.Set("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges, ETag")
		if r.Method == http.MethodOptions {
			hd.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
			hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Range")
			hd.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h(w, r)
	}
}

type mediaErrorBody struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
}

func writeMediaError(w http.ResponseWriter, err error) {
	status, code, msg := http.StatusInternalServerError, int32(6000212), "file storage error"
	var me *media.Error
	var ce *actors.CodeError
	switch {
	case errors.As(err, &me):
		status, code, msg = me.Status, me.Code, me.Message
	case errors.As(err, &ce):
		status, code, msg = http.StatusUnauthorized, ce.Code, ce.Message
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(mediaErrorBody{Code: code, Message: msg})
}

// mediaUser authenticates an upload or refresh: the userID parameter and its token.
func (s *Server) mediaUser(r *http.Request) (string, error) {
	user := r.URL.Query().Get("userID")
	if !actors.ValidID(user, s.rt.Limits().UserIDBytes) {
		return "", errUserIDInvalid
	}
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		var ok bool
		if token, ok = strings.CutPrefix(h, "Bearer "); !ok {
			return "", media.ErrUnauthorized
		}
	}
	if _, err := s.verifyToken(strings.TrimSpace(token), user); err != nil {
		return "", err
	}
	return user, nil
}

// UploadResult is the body of a successful upload: the message fields the file gives a
// media message (ZIM's names), plus its content type.
type UploadResult struct {
	FileUID               string `json:"fileUID"`
	FileName              string `json:"fileName"`
	FileSize              int64  `json:"fileSize"`
	ContentType           string `json:"contentType"`
	FileDownloadUrl       string `json:"fileDownloadUrl"`
	OriginalImageWidth    int32  `json:"originalImageWidth,omitempty"`
	OriginalImageHeight   int32  `json:"originalImageHeight,omitempty"`
	LargeImageDownloadUrl string `json:"largeImageDownloadUrl,omitempty"`
	LargeImageWidth       int32  `json:"largeImageWidth,omitempty"`
	LargeImageHeight      int32  `json:"largeImageHeight,omitempty"`
	ThumbnailDownloadUrl  string `json:"thumbnailDownloadUrl,omitempty"`
	ThumbnailWidth        int32  `json:"thumbnailWidth,omitempty"`
	ThumbnailHeight       int32  `json:"thumbnailHeight,omitempty"`
}

func (s *Server) uploadResult(rec *messages.MediaFileRecord) *UploadResult {
	exp := s.cfg.Now().Add(s.media.Config().URLTTL)
	res := &UploadResult{FileUID: rec.FileUID, FileName: rec.FileName, FileSize: rec.FileSize, ContentType: rec.ContentType,
		FileDownloadUrl: s.media.SignedURL(rec.FileUID, media.VariantOriginal, exp)}
	if rec.Type == media.TypeImage {
		res.OriginalImageWidth, res.OriginalImageHeight = rec.Width, rec.Height
		res.LargeImageDownloadUrl, res.LargeImageWidth, res.LargeImageHeight = res.FileDownloadUrl, rec.Width, rec.Height
		if rec.Large != nil {
			res.LargeImageDownloadUrl = s.media.SignedURL(rec.FileUID, media.VariantLarge, exp)
			res.LargeImageWidth, res.LargeImageHeight = rec.Large.Width, rec.Large.Height
		}
		res.ThumbnailDownloadUrl, res.ThumbnailWidth, res.ThumbnailHeight = res.FileDownloadUrl, rec.Width, rec.Height
		if rec.Thumbnail != nil {
			res.ThumbnailDownloadUrl = s.media.SignedURL(rec.FileUID, media.VariantThumbnail, exp)
			res.ThumbnailWidth, res.ThumbnailHeight = rec.Thumbnail.Width, rec.Thumbnail.Height
		}
	}
	return res
}

func (s *Server) mediaUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		w.Header().Set("Allow", "POST, PUT")
		writeMediaError(w, &media.Error{Code: 6000001, Status: http.StatusMethodNotAllowed, Message: "use POST"})
		return
	}
	user, err := s.mediaUser(r)
	if err != nil {
		writeMediaError(w, err)
		return
	}
	q := r.URL.Query()
	typ, err := strconv.Atoi(q.Get("type"))
	if err != nil {
		writeMediaError(w, media.ErrParam)
		return
	}
	rec, err := s.media.Upload(r.Context(), media.UploadRequest{
		User: user, Type: int32(typ), FileName: q.Get("fileName"), UploadKey: q.Get("uploadKey"),
		Size: r.ContentLength, Body: r.Body,
	})
	if err != nil {
		// Refused before the body was read through: the connection is closed after the
		// answer rather than draining what the client still sends.
		w.Header().Set("Connection", "close")
		writeMediaError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(s.uploadResult(rec))
}

func (s *Server) mediaRefresh(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeMediaError(w, &media.Error{Code: 6000001, Status: http.StatusMethodNotAllowed, Message: "use POST"})
		return
	}
	if _, err := s.mediaUser(r); err != nil {
		writeMediaError(w, err)
		return
	}
	var body struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(&body); err != nil {
		writeMediaError(w, media.ErrParam)
		return
	}
	u, err := s.media.RefreshURL(body.URL)
	if err != nil {
		writeMediaError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"url": u})
}

func (s *Server) mediaDownload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeMediaError(w, &media.Error{Code: 6000001, Status: http.StatusMethodNotAllowed, Message: "use GET"})
		return
	}
	uid, variant := r.PathValue("uid"), r.PathValue("variant")
	q := r.URL.Query()
	if err := s.media.VerifyURL(uid, variant, q.Get("e"), q.Get("s")); err != nil {
		writeMediaError(w, err)
		return
	}
	obj, rec, ct, err := s.media.Open(r.Context(), uid, variant)
	if err != nil {
		writeMediaError(w, err)
		return
	}
	defer obj.Close()
	exp, _ := strconv.ParseInt(q.Get("e"), 10, 64)
	maxAge := max(exp-s.cfg.Now().Unix(), 0)
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	// The bytes behind a file ID never change: cache until the URL expires.
	h.Set("Cache-Control", "private, max-age="+strconv.FormatInt(maxAge, 10)+", immutable")
	h.Set("ETag", `"`+uid+"-"+variant+`"`)
	disp := "inline"
	if rec.Type == media.TypeFile {
		disp = "attachment" // any content: never rendered by a browser from this origin
	}
	h.Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(rec.FileName))
	http.ServeContent(w, r, "", time.UnixMilli(rec.CreatedAt), obj)
}
