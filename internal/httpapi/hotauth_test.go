package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/httpapi"
)

// A revoked token stops working on hot routes at once on the node that
// revoked it, although hot routes remember their callers.
func TestHotRoutesForgetRevokedTokens(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Funnel = funnel.NewService(funnel.Config{Repo: h.st, Rooms: h.rooms, Log: h.log})
		t.Cleanup(c.Funnel.Close)
	})
	ann := h.user("Ann")
	created := h.token(ann)
	// A hot route (funnel events) sees the caller: an unknown session is a
	// 404, not a 401.
	if code, _, body := h.call("POST", "/live-sessions/ses_missing/funnel", created, `{"step":"view"}`); code != http.StatusNotFound {
		t.Fatalf("hot route with a good token: %d %s", code, body)
	}
	code, out, body := h.call("GET", "/me/tokens", created, "")
	if code != http.StatusOK {
		t.Fatalf("list tokens: %d %s", code, body)
	}
	id := out["items"].([]any)[0].(map[string]any)["id"].(string)
	if code, _, body := h.call("DELETE", "/me/tokens/"+id, created, ""); code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code, _, body := h.call("POST", "/live-sessions/ses_missing/funnel", created, `{"step":"view"}`); code != http.StatusUnauthorized {
		t.Fatalf("hot route with a revoked token: %d %s", code, body)
	}
}
