package webrtc

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/liveshop/liveshop/internal/apperr"
)

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
	status := apperr.HTTPStatus(e.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="liveshop"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
}
