// Package apperr is liveshop's one application error type. Every layer
// returns *Error for failures a caller can act on; httpapi maps the code
// to an HTTP status in exactly one place. Anything else is an internal
// error and reaches users only as "internal error".
package apperr

import (
	"errors"
	"fmt"
)

// Codes a caller can branch on.
const (
	Invalid      = "invalid"      // bad input; Field names the offending field
	NotFound     = "not_found"    // the resource does not exist (or is hidden from the caller)
	Conflict     = "conflict"     // state does not allow the action (duplicate, wrong status, out of stock)
	Unauthorized = "unauthorized" // no or bad credentials
	Forbidden    = "forbidden"    // authenticated but not allowed
	TooLarge     = "too_large"    // payload above a limit
	Unsupported  = "unsupported"  // media type not accepted
	RateLimited  = "rate_limited" // slow down
	Internal     = "internal"     // a bug or an outage; message is never shown to users
	Unavailable  = "unavailable"  // a dependency is down
)

// Error is an application error with a machine-readable code, a message
// fit for the user and, for validation errors, the field at fault.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (field %s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// New returns an error with code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error that names the field at fault.
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool { return CodeOf(err) == code }

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
