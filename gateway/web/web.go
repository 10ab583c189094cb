// Package web holds parley's web chat (static/: plain HTML, CSS and JavaScript on the
// SDK) and the SDK's browser bundle (static/parley-zim.js, copied there by `make sdk`
// from gateway/sdk/dist), embedded in the binary.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var files embed.FS

// SDKPath is where the server serves the SDK's browser bundle (it defines the global ZIM).
const SDKPath = "/sdk/parley-zim.js"

// Static returns the embedded files (index.html, app.js, app.css, parley-zim.js).
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// Register adds the SDK bundle at SDKPath and, when chat is true, the web chat at "/".
func Register(mux *http.ServeMux, chat bool) {
	static := Static()
	serve := func(name, ctype string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := fs.ReadFile(static, name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			h := w.Header()
			h.Set("Content-Type", ctype)
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			if name == "index.html" {
				h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'")
			}
			_, _ = w.Write(b)
		}
	}
	mux.HandleFunc("GET "+SDKPath, serve("parley-zim.js", "text/javascript; charset=utf-8"))
	if !chat {
		return
	}
	mux.HandleFunc("GET /{$}", serve("index.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /app.js", serve("app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /app.css", serve("app.css", "text/css; charset=utf-8"))
}
