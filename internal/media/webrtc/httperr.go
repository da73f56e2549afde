package webrtc

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/liveshop/liveshop/internal/apperr"
)

// statusOf maps application error codes to HTTP statuses, as
// internal/httpapi/errors.go does for the REST API (adapters do not
// import each other, so the table is repeated here).
var statusOf = map[string]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.Unsupported:  http.StatusUnsupportedMediaType,
	apperr.RateLimited:  http.StatusTooManyRequests,
	apperr.Internal:     http.StatusInternalServerError,
	apperr.Unavailable:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// writeError answers with err's status and the API's error shape.
// Internal errors are logged and shown only as "internal error".
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal {
		if errors.Is(err, context.Canceled) {
			return // the client went away
		}
		log.ErrorContext(r.Context(), "webrtc: internal error", "err", err, "path", r.URL.Path)
		e = &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="liveshop"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
}
