// Package gateway is parley's WebSocket gateway: HTTP server, upgrade and subprotocols,
// authentication, one reader and one on-demand writer per connection, request routing to
// the actors, error mapping, node-local fan-out, and the health and metrics endpoints.
package gateway

import (
	"errors"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/auth"
)

// Protocol-level refusals (ZIM error codes, fixed messages).
var (
	errBadFrame       = &actors.CodeError{Code: 6000001, Message: "malformed request"}
	errBadParams      = &actors.CodeError{Code: 6000001, Message: "invalid parameter"}
	errUnknownMethod  = &actors.CodeError{Code: 6000013, Message: "unsupported request"}
	errNotLoggedIn    = actors.ErrNotLoggedIn
	errAlreadyLogged  = &actors.CodeError{Code: 6000111, Message: "user has already logged in"}
	errTokenInvalid   = &actors.CodeError{Code: 6000103, Message: "token invalid"}
	errTokenExpired   = &actors.CodeError{Code: 6000106, Message: "token expired"}
	errTokenVersion   = &actors.CodeError{Code: 6000107, Message: "token version error"}
	errUserIDInvalid  = actors.ErrUserIDInvalid
	errShuttingDown   = &actors.CodeError{Code: 6000009, Message: "server is shutting down"}
	errTooManyPending = &actors.CodeError{Code: 6000004, Message: "too many requests in flight"}
	errRateLimited    = &actors.CodeError{Code: 6000005, Message: "server frequency limit: too many requests, retry later"}
	errOverloaded     = &actors.CodeError{Code: 6000005, Message: "server overloaded: login refused, retry later"}
	errUserConns      = &actors.CodeError{Code: 6000005, Message: "too many connections of this user"}
)

// tokenError maps a token verification failure to its ZIM code.
func tokenError(err error) error {
	switch {
	case errors.Is(err, auth.ErrTokenExpired):
		return errTokenExpired
	case errors.Is(err, auth.ErrTokenVersion):
		return errTokenVersion
	default: // invalid, wrong app, wrong user
		return errTokenInvalid
	}
}
