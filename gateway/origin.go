package gateway

import (
	"net/http"
	"net/url"
	"strings"
)

// originPolicy decides which browser pages may open a WebSocket (the Origin header a
// browser sends with the upgrade): a page of the server's own origin, a page of one of
// the configured origins, or any page in development mode. A client that sends no
// Origin (not a browser: apps, servers, tools) is not a cross-site page and is always
// allowed; browsers always send one, so a hostile page cannot leave it out.
type originPolicy struct {
	any     bool
	full    map[string]bool // "scheme://host[:port]", lowercased
	anyPort map[string]bool // entries given without a scheme: "host[:port]", any scheme
}

func newOriginPolicy(allowed []string, dev bool) originPolicy {
	p := originPolicy{any: dev, full: map[string]bool{}, anyPort: map[string]bool{}}
	for _, o := range allowed {
		o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		switch {
		case o == "":
		case o == "*":
			p.any = true
		case strings.Contains(o, "://"):
			p.full[o] = true
		default:
			p.anyPort[o] = true
		}
	}
	return p
}

// allowed reports whether r's Origin may open a WebSocket.
func (p originPolicy) allowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || p.any {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Host)
	if host == strings.ToLower(r.Host) { // same origin
		return true
	}
	return p.full[strings.ToLower(u.Scheme)+"://"+host] || p.anyPort[host]
}
