package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/httpapi"
)

// TestCouponRoutes drives the coupon routes over a real SQLite store:
// status codes, the fields named in 400s and 409s, and the JSON shapes.
func TestCouponRoutes(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Coupons = coupon.NewService(coupon.Config{Repo: h.st, Rooms: h.rooms})
		t.Cleanup(c.Coupons.Close)
	})
	owner, shopID := h.shop("owner")
	ownerToken, viewerToken := h.token(owner), h.token(h.user("viewer"))
	sessionID := h.session(owner, shopID, "Harvest").Session.ID

	until := h.now.Add(48 * time.Hour).Format(time.RFC3339)
	refusals := []struct {
		name, body string
		field      string
	}{
		{"no title", `{"title":"","amount_off_minor":500,"valid_until":"` + until + `","total_limit":10}`, "title"},
		{"percent too high", `{"title":"x","percent_off":91,"valid_until":"` + until + `","total_limit":10}`, "percent_off"},
		{"both discounts", `{"title":"x","amount_off_minor":5,"percent_off":5,"valid_until":"` + until + `","total_limit":10}`, "percent_off"},
		{"bad valid_until", `{"title":"x","amount_off_minor":500,"valid_until":"someday","total_limit":10}`, "valid_until"},
		{"no total limit", `{"title":"x","amount_off_minor":500,"valid_until":"` + until + `"}`, "total_limit"},
		{"per-user limit too high", `{"title":"x","amount_off_minor":500,"valid_until":"` + until + `","total_limit":10,"per_user_limit":101}`, "per_user_limit"},
		{"unknown field", `{"title":"x","amount_off_minor":500,"valid_until":"` + until + `","total_limit":10,"claimed":3}`, "claimed"},
	}
	for _, tt := range refusals {
		status, out, raw := h.call("POST", "/shops/"+shopID+"/coupons", ownerToken, tt.body)
		if status != 400 || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want 400 field %s", tt.name, status, raw, tt.field)
		}
	}

	status, c, raw := h.call("POST", "/shops/"+shopID+"/coupons", ownerToken,
		`{"title":"Five off","amount_off_minor":500,"min_spend_minor":2000,"valid_until":"`+until+`","total_limit":10}`)
	if status != 201 || c["kind"] != "amount" || c["status"] != "ready" || c["per_user_limit"] != 1.0 || c["currency"] != "CNY" ||
		strings.Contains(raw, "session_id") || strings.Contains(raw, "percent_off") || strings.Contains(raw, "grab_ends_at") {
		t.Fatalf("create: %d %s", status, raw)
	}
	id := c["id"].(string)

	checks := []struct {
		method, path, auth, body string
		status                   int
		field                    string
	}{
		{"GET", "/shops/" + shopID + "/coupons", ownerToken, "", 200, ""},
		{"GET", "/shops/" + shopID + "/coupons", viewerToken, "", 403, ""},
		{"GET", "/shops/" + shopID + "/coupons", "", "", 401, ""},
		{"POST", "/coupons/" + id + "/claims", viewerToken, "", 409, "coupon"},
		{"POST", "/coupons/cpn_missing/claims", viewerToken, "", 404, ""},
		{"POST", "/live-sessions/" + sessionID + "/coupons/" + id + "/drop", viewerToken, `{"grab_seconds":60}`, 403, ""},
		{"POST", "/live-sessions/" + sessionID + "/coupons/" + id + "/drop", ownerToken, `{"grab_seconds":5}`, 400, "grab_seconds"},
		{"POST", "/live-sessions/" + sessionID + "/coupons/" + id + "/drop", ownerToken, ``, 400, "body"},
		{"POST", "/live-sessions/" + sessionID + "/coupons/" + id + "/drop", ownerToken, `{"grab_seconds":60}`, 200, ""},
		{"POST", "/live-sessions/" + sessionID + "/coupons/" + id + "/drop", ownerToken, `{"grab_seconds":60}`, 409, ""},
		{"POST", "/coupons/" + id + "/claims", "", "", 401, ""},
		{"POST", "/coupons/" + id + "/claims", viewerToken, "", 201, ""},
		{"POST", "/coupons/" + id + "/claims", viewerToken, "", 409, "coupon"},
		{"GET", "/me/coupons?cursor=nonsense", viewerToken, "", 400, "cursor"},
		{"GET", "/me/coupons?limit=0", viewerToken, "", 400, "limit"},
	}
	for _, c := range checks {
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s %s: %d %s, want %d field %q", c.method, c.path, status, raw, c.status, c.field)
		}
	}

	_, list, _ := h.call("GET", "/shops/"+shopID+"/coupons", ownerToken, "")
	items := list["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["status"] != "dropped" || items[0].(map[string]any)["session_id"] != sessionID ||
		items[0].(map[string]any)["claimed"] != 1.0 || items[0].(map[string]any)["grab_ends_at"] == nil {
		t.Errorf("shop coupons: %v", list)
	}
	for _, path := range []string{"/me/coupons", "/me/coupons?shop_id=" + shopID} {
		_, mine, raw := h.call("GET", path, viewerToken, "")
		items := mine["items"].([]any)
		if len(items) != 1 || mine["next_cursor"] != "" {
			t.Fatalf("GET %s: %s", path, raw)
		}
		cl := items[0].(map[string]any)
		if cl["coupon_id"] != id || cl["coupon"].(map[string]any)["title"] != "Five off" || cl["claimed_at"] == nil ||
			strings.Contains(raw, "order_id") || strings.Contains(raw, "used_at") {
			t.Errorf("GET %s: %s", path, raw)
		}
	}
	if _, mine, _ := h.call("GET", "/me/coupons?shop_id=shp_other", viewerToken, ""); len(mine["items"].([]any)) != 0 {
		t.Errorf("claims in another shop: %v", mine)
	}
}
