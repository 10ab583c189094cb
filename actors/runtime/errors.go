package runtime

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-chat/parley/persistence"
)

// CodeError is a refusal with a ZIM error code and a fixed, readable message. It is the
// only error text that ever reaches a client; any other error becomes ErrInternal at the
// boundary (Reply).
type CodeError struct {
	Code    int32
	Message string
}

func (e *CodeError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// The runtime's own refusals (ZIMErrorCode in zego-zim-web).
var (
	// ErrInternal answers a request whose handler panicked or failed unexpectedly.
	ErrInternal = &CodeError{Code: 6000007, Message: "internal server error"}
	// ErrStorage answers requests to an activation that could not load its state.
	ErrStorage = &CodeError{Code: 6000008, Message: "storage error"}
	// ErrTimeout answers a request that got no reply in time (it may have run).
	ErrTimeout = &CodeError{Code: 6000105, Message: "request timed out"}
	// ErrMemberLost answers a request that was pending at a cluster member that left:
	// it may have run there, and running it again would not be safe. The client may
	// check and try again.
	ErrMemberLost = &CodeError{Code: 6000105, Message: "request interrupted: the server holding its data left the cluster, check and retry"}
)

// Reply maps any error to the (code, message) pair sent to a client. Unknown errors
// become "internal server error": internal error text never leaves the server.
func Reply(err error) (int32, string) {
	if err == nil {
		return 0, ""
	}
	var ce *CodeError
	if errors.As(err, &ce) {
		return ce.Code, ce.Message
	}
	if errors.Is(err, persistence.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
		return ErrStorage.Code, ErrStorage.Message // the store failed or was too slow: nothing was acknowledged
	}
	return ErrInternal.Code, ErrInternal.Message
}
