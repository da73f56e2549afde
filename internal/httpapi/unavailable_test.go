package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

// A dependency that is down answers 503 with Retry-After; the code's own
// failures stay 500, and known errors keep their status.
func TestFailMapsUnavailableDependencies(t *testing.T) {
	errDown := errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	a := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Unavailable: func(err error) bool { return errors.Is(err, errDown) }})
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		retry  string
	}{
		{"database down", fmt.Errorf("order: place: %w", errDown), http.StatusServiceUnavailable, apperr.Unavailable, "1"},
		{"a bug", errors.New("nil map"), http.StatusInternalServerError, apperr.Internal, ""},
		{"bad input", apperr.Field("quantity", "quantity must be positive"), http.StatusBadRequest, apperr.Invalid, ""},
		{"a known error keeps its code", fmt.Errorf("sale: %w", apperr.New(apperr.Conflict, "sold out")), http.StatusConflict, apperr.Conflict, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/api/v1/orders", nil).WithContext(context.Background())
			a.fail(w, r, tc.err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if w.Code != tc.status || body.Error.Code != tc.code || w.Header().Get("Retry-After") != tc.retry {
				t.Fatalf("got %d %s Retry-After %q, want %d %s %q", w.Code, body.Error.Code, w.Header().Get("Retry-After"), tc.status, tc.code, tc.retry)
			}
		})
	}
}
