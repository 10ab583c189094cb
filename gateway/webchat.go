package gateway

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/gateway/web"
)

// devTokenTTL is the validity of tokens minted by /dev/token (the web chat renews them
// on tokenWillExpire).
const devTokenTTL = 24 * time.Hour

func (s *Server) webRoutes(mux *http.ServeMux) {
	web.Register(mux, s.cfg.WebChat)
	if s.cfg.Dev {
		mux.HandleFunc("GET /dev/token", s.serveDevToken)
	}
}

// serveDevToken mints a token for ?userID= (development mode only: anyone can get one).
func (s *Server) serveDevToken(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("userID")
	if !validDevUserID(user) {
		http.Error(w, "userID: 1-32 printable ASCII characters without spaces", http.StatusBadRequest)
		return
	}
	tok, err := "", error(nil) // no secret: development mode accepts an empty token
	if s.cfg.Secret != "" {
		tok, err = auth.Issue(s.cfg.AppID, s.cfg.Secret, user, devTokenTTL, "", s.cfg.Now())
	}
	if err != nil {
		http.Error(w, "cannot mint a token", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"token": tok, "appID": s.cfg.AppID, "userID": user})
}

func validDevUserID(u string) bool {
	if len(u) == 0 || len(u) > 32 {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return false
		}
	}
	return true
}
