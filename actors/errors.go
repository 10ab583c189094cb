package actors

import (
	"errors"
	"fmt"
)

// CodeError is a refusal with a ZIM error code and a fixed, readable message. It is the
// only error text that ever reaches a client.
type CodeError struct {
	Code    int32
	Message string
}

func (e *CodeError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

func codeErr(code int32, msg string) *CodeError { return &CodeError{Code: code, Message: msg} }

// ZIM error codes (ZIMErrorCode in zego-zim-web) used by the actors.
var (
	ErrInternal          = codeErr(6000007, "internal server error")
	ErrStorage           = codeErr(6000008, "storage error")
	ErrParamInvalid      = codeErr(6000001, "invalid parameter")
	ErrUnsupported       = codeErr(6000013, "unsupported request")
	ErrUserNotExist      = codeErr(6000011, "user does not exist")
	ErrUserQueryLimit    = codeErr(6000012, "too many users queried at once")
	ErrServerRate        = codeErr(6000005, "server frequency limit reached")
	ErrRequestTimeout    = codeErr(6000105, "request timed out")
	ErrNotLoggedIn       = codeErr(6000121, "not logged in")
	ErrUserIDInvalid     = codeErr(6000124, "invalid user ID")
	ErrMessageCommon     = codeErr(6000201, "message error")
	ErrMessageTooLong    = codeErr(6000203, "message content exceeds the size limit")
	ErrTargetNotExist    = codeErr(6000204, "target does not exist")
	ErrConvNotExist      = codeErr(6000603, "conversation does not exist")
	ErrSenderMuted       = codeErr(6000231, "sender is muted")
	ErrSenderBlacklisted = codeErr(6000284, "sender is in the receiver's blacklist")
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
	return ErrInternal.Code, ErrInternal.Message
}
