package httpapi_test

import (
	"testing"

	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/httpapi"
)

// TestFunnelRoutes drives the funnel routes over a real SQLite store: who
// may call them, status codes, the fields named in 400s and the shape of
// the counts. Counting itself is tested in store's conformance suite.
func TestFunnelRoutes(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Funnel = funnel.NewService(funnel.Config{Repo: h.st, Rooms: h.rooms, Log: h.log})
		t.Cleanup(c.Funnel.Close)
	})
	owner, shopID := h.shop("owner")
	rice, _ := h.product(owner, shopID, "Rice", 1990, 5)
	honey, _ := h.product(owner, shopID, "Honey", 1990, 5)
	ownerTok, viewerTok := h.token(owner), h.token(h.user("viewer"))
	path := "/live-sessions/" + h.session(owner, shopID, "Harvest", rice).Session.ID + "/funnel"

	checks := []struct {
		name, method, path, auth, body string
		status                         int
		field                          string
	}{
		{"no body", "POST", path, "", "", 400, "body"},
		{"unknown field", "POST", path, "", `{"step":"view","anon_id":"anon-0001","room":"x"}`, 400, "room"},
		{"step as a number", "POST", path, "", `{"step":1,"anon_id":"anon-0001"}`, 400, "step"},
		{"unknown step", "POST", path, "", `{"step":"like","anon_id":"anon-0001"}`, 400, "step"},
		{"anonymous without anon_id", "POST", path, "", `{"step":"view"}`, 400, "anon_id"},
		{"anon_id too short", "POST", path, "", `{"step":"view","anon_id":"abc"}`, 400, "anon_id"},
		{"anon_id with a slash", "POST", path, "", `{"step":"view","anon_id":"anon/0001"}`, 400, "anon_id"},
		{"open without product", "POST", path, "", `{"step":"product_open","anon_id":"anon-0001"}`, 400, "product_id"},
		{"click off the shelf", "POST", path, "", `{"step":"buy_click","product_id":"` + honey + `","anon_id":"anon-0001"}`, 400, "product_id"},
		{"unknown session", "POST", "/live-sessions/ses_missing/funnel", "", `{"step":"view","anon_id":"anon-0001"}`, 404, ""},
		{"anonymous view", "POST", path, "", `{"step":"view","anon_id":"anon-0001"}`, 202, ""},
		{"the same view again", "POST", path, "", `{"step":"view","anon_id":"anon-0001"}`, 202, ""},
		{"signed-in view", "POST", path, viewerTok, `{"step":"view"}`, 202, ""},
		{"signed-in open", "POST", path, viewerTok, `{"step":"product_open","product_id":"` + rice + `"}`, 202, ""},
		{"anonymous click", "POST", path, "", `{"step":"buy_click","product_id":"` + rice + `","anon_id":"anon-0001"}`, 202, ""},
		{"counts anonymous", "GET", path, "", "", 401, ""},
		{"counts as a viewer", "GET", path, viewerTok, "", 403, ""},
		{"counts of nothing", "GET", "/live-sessions/ses_missing/funnel", ownerTok, "", 404, ""},
		{"counts", "GET", path, ownerTok, "", 200, ""},
	}
	for _, c := range checks {
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %s %s: %d %s, want %d field %q", c.name, c.method, c.path, status, raw, c.status, c.field)
		}
		if status == 202 && raw != "" {
			t.Errorf("%s: 202 with a body %q", c.name, raw)
		}
	}

	// The shape the studio relies on; GET writes what was just recorded.
	_, f, raw := h.call("GET", path, ownerTok, "")
	want := map[string]any{"views": 2.0, "product_opens": 1.0, "buy_clicks": 1.0, "orders": 0.0, "paid_orders": 0.0,
		"gmv_minor": 0.0, "conversion": 0.0}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("funnel %s = %v, want %v: %s", k, f[k], v, raw)
		}
	}
	per, _ := f["per_product"].([]any)
	if len(per) != 1 {
		t.Fatalf("per_product: %s", raw)
	}
	p := per[0].(map[string]any)
	if p["product_id"] != rice || p["title"] != "Rice" || p["opens"] != 1.0 || p["clicks"] != 1.0 || p["orders"] != 0.0 {
		t.Errorf("per_product[0]: %s", raw)
	}
}
