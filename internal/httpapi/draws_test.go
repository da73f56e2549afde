package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/order"
)

// TestDrawRoutes drives the lucky-draw routes over a real SQLite store:
// who may call them, status codes, the fields named in refusals, that the
// seed stays secret until the draw is drawn, and that the published proof
// verifies. The rules themselves are tested in draw and store.
func TestDrawRoutes(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Orders = order.NewService(order.Config{Repo: h.st})
		c.Draws = draw.NewService(draw.Config{Repo: h.st, Rooms: h.rooms, Awards: c.Orders, Log: h.log})
	})
	owner, shopID := h.shop("Owner")
	productID, skuID := h.product(owner, shopID, "Rice", 1990, 5)
	ann := h.user("Ann")
	ownerTok, annTok := h.token(owner), h.token(ann)
	sesID := h.session(owner, shopID, "Harvest", productID).Session.ID

	base := `"title":"Rice for one","sku_id":"` + skuID + `","countdown_seconds":60`
	refusals := []struct {
		name, auth, body string
		status           int
		field            string
	}{
		{"anonymous", "", `{` + base + `,"winners":1}`, 401, ""},
		{"a viewer", annTok, `{` + base + `,"winners":1}`, 403, ""},
		{"no winners", ownerTok, `{` + base + `}`, 400, "winners"},
		{"keyword missing", ownerTok, `{` + base + `,"winners":1,"eligibility":"keyword"}`, 400, "keyword"},
		{"unknown field", ownerTok, `{` + base + `,"winners":1,"luck":7}`, 400, "luck"},
		{"more than in stock", ownerTok, `{` + base + `,"winners":3,"quantity":2}`, 409, "quantity"},
	}
	for _, tt := range refusals {
		status, out, raw := h.call("POST", "/live-sessions/"+sesID+"/draws", tt.auth, tt.body)
		if status != tt.status || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want %d field %q", tt.name, status, raw, tt.status, tt.field)
		}
	}
	status, d, raw := h.call("POST", "/live-sessions/"+sesID+"/draws", ownerTok, `{`+base+`,"winners":1,"eligibility":"followers"}`)
	if status != 201 || d["status"] != "open" || d["product_title"] != "Rice" || d["eligibility_note"] == nil || strings.Contains(raw, `"seed"`) {
		t.Fatalf("create: %d %s", status, raw)
	}
	id := d["id"].(string)
	for _, path := range []string{"/draws/" + id, "/live-sessions/" + sesID + "/draws"} {
		if status, _, raw := h.call("GET", path, "", ""); status != 200 || strings.Contains(raw, `"seed"`) || !strings.Contains(raw, id) {
			t.Errorf("GET %s before the draw: %d %s", path, status, raw)
		}
	}

	checks := []struct {
		name, method, path, auth, body string
		status                         int
		field                          string
	}{
		{"enter anonymously", "POST", "/draws/" + id + "/entries", "", "", 401, ""},
		{"enter", "POST", "/draws/" + id + "/entries", annTok, "", 201, ""},
		{"enter again", "POST", "/draws/" + id + "/entries", annTok, "", 200, ""},
		{"enter a missing draw", "POST", "/draws/drw_missing/entries", annTok, "", 404, ""},
		{"proof too early", "GET", "/draws/" + id + "/proof", "", "", 409, "draw"},
		{"claim too early", "POST", "/draws/" + id + "/claim", annTok, "", 409, "draw"},
		{"a viewer draws", "POST", "/draws/" + id + "/draw", annTok, "", 403, ""},
		{"the owner draws", "POST", "/draws/" + id + "/draw", ownerTok, "", 200, ""},
		{"draws again", "POST", "/draws/" + id + "/draw", ownerTok, "", 409, ""},
		{"enter once drawn", "POST", "/draws/" + id + "/entries", ownerTok, "", 409, "draw"},
		{"not a winner", "POST", "/draws/" + id + "/claim", ownerTok, "", 403, ""},
		{"no address yet", "POST", "/draws/" + id + "/claim", annTok, "", 400, "address_id"},
		{"unknown address", "POST", "/draws/" + id + "/claim", annTok, `{"address_id":"adr_x"}`, 400, "address_id"},
		{"bad body", "POST", "/draws/" + id + "/claim", annTok, `{"address":"home"}`, 400, "address"},
	}
	for _, c := range checks {
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %d %s, want %d field %q", c.name, status, raw, c.status, c.field)
		}
	}

	status, got, raw := h.call("GET", "/draws/"+id, "", "")
	winners, _ := got["winners"].([]any)
	if status != 200 || got["status"] != "drawn" || got["seed"] == nil || len(winners) != 1 ||
		winners[0].(map[string]any)["name"] != "Ann" || got["entrants"] != 1.0 {
		t.Fatalf("drawn: %d %s", status, raw)
	}
	status, _, raw = h.call("GET", "/draws/"+id+"/proof", "", "")
	var p draw.Proof
	if err := json.Unmarshal([]byte(raw), &p); status != 200 || err != nil {
		t.Fatalf("proof: %d %s", status, raw)
	}
	if err := draw.Verify(p); err != nil || p.Commitment != d["commitment"] {
		t.Fatalf("the published proof does not verify (%v): %s", err, raw)
	}

	if status, _, raw := h.call("POST", "/addresses", annTok, `{"name":"Li","phone":"138","line1":"1 Road","city":"Jilin","region":"Jilin"}`); status != 201 {
		t.Fatalf("address: %d %s", status, raw)
	}
	status, o, raw := h.call("POST", "/draws/"+id+"/claim", annTok, "")
	if status != 201 || o["status"] != "paid" || o["total_minor"] != 0.0 {
		t.Fatalf("claim: %d %s", status, raw)
	}
	if status, out, raw := h.call("POST", "/draws/"+id+"/claim", annTok, ""); status != 409 || errField(out) != "draw" {
		t.Errorf("claim again: %d %s", status, raw)
	}
	_, got, raw = h.call("GET", "/draws/"+id, "", "")
	if w := got["winners"].([]any)[0].(map[string]any); w["order_id"] != o["id"] {
		t.Errorf("winner after the claim: %s", raw)
	}
	for _, path := range []string{"/draws/drw_missing", "/draws/drw_missing/proof", "/live-sessions/ses_missing/draws"} {
		if status, _, raw := h.call("GET", path, "", ""); status != 404 {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
}
