package httpapi_test

import (
	"strings"
	"testing"
)

// TestLiveSessionRoutes drives the live-session routes over a real
// SQLite store: status codes, the fields named in 400s, and that the
// public view never carries the stream key.
func TestLiveSessionRoutes(t *testing.T) {
	h := newAPIHarness(t, nil)
	owner, shopID := h.shop("Owner")
	productID, _ := h.product(owner, shopID, "Rice", 990, 3)
	token := h.token(owner)

	refusals := []struct {
		name, body string
		status     int
		field      string
	}{
		{"no title", `{"title":""}`, 400, "title"},
		{"bad planned start", `{"title":"x","planned_start":"next friday"}`, 400, "planned_start"},
		{"unknown product", `{"title":"x","product_ids":["` + productID + `","prd_nope"]}`, 400, "product_ids[1]"},
		{"duplicate product", `{"title":"x","product_ids":["` + productID + `","` + productID + `"]}`, 400, "product_ids[1]"},
		{"unknown field", `{"title":"x","stream_key":"mine"}`, 400, "stream_key"},
	}
	for _, tt := range refusals {
		status, out, raw := h.call("POST", "/shops/"+shopID+"/live-sessions", token, tt.body)
		if status != tt.status || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want %d field %s", tt.name, status, raw, tt.status, tt.field)
		}
	}
	if status, _, _ := h.call("POST", "/shops/"+shopID+"/live-sessions", "", `{"title":"x"}`); status != 401 {
		t.Errorf("anonymous schedule: %d", status)
	}

	status, studio, raw := h.call("POST", "/shops/"+shopID+"/live-sessions", token, `{"title":"Harvest","product_ids":["`+productID+`"]}`)
	if status != 201 || studio["stream_key"] == "" || !strings.HasPrefix(studio["rtmp_url"].(string), "rtmp://live.test:1935/live/sk_") {
		t.Fatalf("schedule: %d %s", status, raw)
	}
	key := studio["stream_key"].(string)
	id := studio["session"].(map[string]any)["id"].(string)

	for _, path := range []string{"/live-sessions/" + id, "/live-sessions", "/live-sessions?status=scheduled&shop_id=" + shopID, "/live-sessions/" + id + "/moments", "/live-sessions/" + id + "/health"} {
		status, _, raw := h.call("GET", path, "", "")
		if status != 200 || strings.Contains(raw, key) || strings.Contains(raw, "stream_key") {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
	_, ses, raw := h.call("GET", "/live-sessions/"+id, "", "")
	if ses["host_id"] != nil || ses["status"] != "scheduled" || !strings.Contains(raw, `"price_minor":990`) {
		t.Errorf("public session: %s", raw)
	}
	checks := []struct {
		method, path, auth, body string
		status                   int
		field                    string
	}{
		{"GET", "/live-sessions/" + id + "/studio", "", "", 401, ""},
		{"GET", "/live-sessions/" + id + "/studio", token, "", 200, ""},
		{"GET", "/live-sessions?status=paused", "", "", 400, "status"},
		{"GET", "/live-sessions/ses_missing", "", "", 404, ""},
		{"POST", "/live-sessions/" + id + "/explain", token, `{"product_id":"` + productID + `"}`, 409, ""},
		{"POST", "/live-sessions/" + id + "/explain", token, `{"product_id":"prd_other"}`, 400, "product_id"},
		{"PATCH", "/live-sessions/" + id, token, `{"planned_start":"soon"}`, 400, "planned_start"},
		{"PATCH", "/live-sessions/" + id, token, `{"title":"Harvest festival","product_ids":[]}`, 200, ""},
		{"POST", "/live-sessions/" + id + "/key", token, "", 200, ""},
		{"POST", "/live-sessions/" + id + "/end", token, "", 200, ""},
		{"POST", "/live-sessions/" + id + "/key", token, "", 409, ""},
	}
	for _, c := range checks {
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s %s: %d %s, want %d field %q", c.method, c.path, status, raw, c.status, c.field)
		}
	}
	_, ses, _ = h.call("GET", "/live-sessions/"+id, "", "")
	if ses["status"] != "ended" || ses["title"] != "Harvest festival" || len(ses["products"].([]any)) != 0 {
		t.Errorf("after edits and end: %v", ses)
	}
}
