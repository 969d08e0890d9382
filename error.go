package unmask

import (
	"errors"
	"fmt"
)

// Application error codes. The set is closed and append-only: adapters map each code to an
// HTTP status (internal/httpapi) and to an exit code (cmd/unmask) in exactly one place each.
const (
	ECONFLICT     = "conflict"     // the action conflicts with existing state
	EINTERNAL     = "internal"     // an internal error; details are logged, never shown
	EINVALID      = "invalid"      // the request or input is invalid
	ENOTFOUND     = "not_found"    // the entity does not exist
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, but not allowed
	EUNAVAILABLE  = "unavailable"  // a dependency is unavailable or overloaded; retry later
	ETOOLARGE     = "too_large"    // the input exceeds a configured size limit
	ELIMITED      = "rate_limited" // too many requests; retry later
)

// Codes lists every error code, in the order they were added.
var Codes = []string{ECONFLICT, EINTERNAL, EINVALID, ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN, EUNAVAILABLE, ETOOLARGE, ELIMITED}

// Error is the application error. Message is safe to show a user; Err is the underlying
// cause for operators' logs and is never shown to a user.
type Error struct {
	Code    string // one of the E* codes
	Message string // a human-readable message for the user
	Op      string // the operation that failed, e.g. "sqlite.CreatePerson"
	Err     error  // the wrapped cause, if any
}

// Error returns the message and the cause for logs.
func (e *Error) Error() string {
	s := e.Message
	if s == "" {
		s = e.Code
	}
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the wrapped cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message that wraps err.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain: "" for nil and EINTERNAL
// for errors that carry no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err. Errors without a code give a generic
// message so that internal details never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Message != "" {
		return e.Message
	}
	return "Internal error."
}
