package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/liveshop/liveshop/internal/apperr"
)

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, for bad input, which field.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// fail answers a handler's error. An error that means a dependency is
// down (Config.Unavailable: the database restarting, say) is a 503 with
// Retry-After, so clients and load balancers retry instead of giving up.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if _, known := apperr.As(err); !known && a.cfg.Unavailable != nil && a.cfg.Unavailable(err) && !errors.Is(err, context.Canceled) {
		a.log.WarnContext(r.Context(), "dependency unavailable", "err", err, "request_id", requestID(r.Context()))
		w.Header().Set("Retry-After", "1")
		err = apperr.New(apperr.Unavailable, "the service is briefly unavailable; retry in a moment")
	}
	writeError(w, r, a.log, err)
}

// writeError answers with err's status and the error shape. Internal
// errors are logged with the request id and shown only as "internal error".
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal {
		if errors.Is(err, context.Canceled) {
			return // the client went away
		}
		log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r.Context()))
		e = &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
	status := apperr.HTTPStatus(e.Code)
	writeJSON(w, status, ErrorBody{Error: ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
}
