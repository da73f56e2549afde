package httpapi_test

import (
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/order"
)

// TestAuctionRoutes drives the auction routes over a real SQLite store:
// status codes, the fields named in refusals, idempotent bids, and that
// no public answer ever carries a bidder's max.
func TestAuctionRoutes(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Orders = order.NewService(order.Config{Repo: h.st})
		c.Auctions = auction.NewService(auction.Config{Repo: h.st, Rooms: h.rooms, Awards: c.Orders, Log: h.log})
	})
	owner, shopID := h.shop("Owner")
	productID, skuID := h.product(owner, shopID, "Ginseng", 9900, 3)
	ann, bob := h.user("Ann"), h.user("Bob")
	ownerTok, annTok, bobTok := h.token(owner), h.token(ann), h.token(bob)
	sesID := h.session(owner, shopID, "Roots", productID).Session.ID

	base := `"sku_id":"` + skuID + `","start_price_minor":1000,"min_increment_minor":100`
	refusals := []struct {
		name, auth, body string
		status           int
		field            string
	}{
		{"anonymous", "", `{` + base + `,"duration_seconds":60}`, 401, ""},
		{"a viewer", annTok, `{` + base + `,"duration_seconds":60}`, 403, ""},
		{"too short", ownerTok, `{` + base + `,"duration_seconds":5}`, 400, "duration_seconds"},
		{"bad window", ownerTok, `{` + base + `,"duration_seconds":60,"payment_window_seconds":30}`, 400, "payment_window_seconds"},
		{"unknown field", ownerTok, `{` + base + `,"duration_seconds":60,"reserve_minor":5}`, 400, "reserve_minor"},
		{"not a number", ownerTok, `{"sku_id":"` + skuID + `","start_price_minor":"ten"}`, 400, "start_price_minor"},
	}
	for _, tt := range refusals {
		status, out, raw := h.call("POST", "/live-sessions/"+sesID+"/auctions", tt.auth, tt.body)
		if status != tt.status || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want %d field %q", tt.name, status, raw, tt.status, tt.field)
		}
	}
	status, au, raw := h.call("POST", "/live-sessions/"+sesID+"/auctions", ownerTok, `{`+base+`,"duration_seconds":120}`)
	if status != 201 || au["status"] != "running" || au["title"] != "Ginseng" || au["current_price_minor"] != 1000.0 {
		t.Fatalf("create: %d %s", status, raw)
	}
	id := au["id"].(string)

	// Ann has no address yet.
	status, out, raw := h.callWithKey("POST", "/auctions/"+id+"/bids", annTok, "k1", `{"max_minor":7777}`)
	if status != 409 || errField(out) != "address" {
		t.Fatalf("bid without an address: %d %s", status, raw)
	}
	for _, tok := range []string{annTok, bobTok} {
		if status, _, raw := h.call("POST", "/addresses", tok, `{"name":"Li","phone":"138","line1":"1 Road","city":"Jilin","region":"Jilin"}`); status != 201 {
			t.Fatalf("address: %d %s", status, raw)
		}
	}
	checks := []struct {
		name, auth, key, body string
		status                int
		field                 string
	}{
		{"anonymous", "", "k1", `{"max_minor":7777}`, 401, ""},
		{"no key", annTok, "", `{"max_minor":7777}`, 400, "Idempotency-Key"},
		{"the owner", ownerTok, "k1", `{"max_minor":7777}`, 403, ""},
		{"below the start", annTok, "k1", `{"max_minor":999}`, 409, "max_minor"},
		{"no max", annTok, "k1", `{}`, 400, "max_minor"},
		{"first bid", annTok, "k1", `{"max_minor":7777}`, 201, ""},
		{"retried", annTok, "k1", `{"max_minor":7777}`, 200, ""},
		{"key reused for another max", annTok, "k1", `{"max_minor":8000}`, 409, "Idempotency-Key"},
		{"bob outbid by ann's max", bobTok, "b1", `{"max_minor":3000}`, 201, ""},
		{"bob too low now", bobTok, "b2", `{"max_minor":3000}`, 409, "max_minor"},
	}
	for _, c := range checks {
		status, out, raw := h.callWithKey("POST", "/auctions/"+id+"/bids", c.auth, c.key, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %d %s, want %d field %q", c.name, status, raw, c.status, c.field)
		}
		if c.name == "bob too low now" && !strings.Contains(raw, "max_minor 3200") {
			t.Errorf("the refusal does not name the minimum: %s", raw)
		}
		if c.name == "bob outbid by ann's max" && (out["you_lead"] != false || out["auction"].(map[string]any)["leader_name"] != "Ann") {
			t.Errorf("bob's bid: %s", raw)
		}
	}

	for _, path := range []string{"/auctions/" + id, "/auctions/" + id + "/bids", "/live-sessions/" + sesID + "/auctions"} {
		status, _, raw := h.call("GET", path, "", "")
		if status != 200 || strings.Contains(raw, "7777") || strings.Contains(raw, "max_minor\"") {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
	_, got, raw := h.call("GET", "/auctions/"+id, "", "")
	if got["current_price_minor"] != 3100.0 || got["leader_name"] != "Ann" || got["bids"] != 2.0 || got["min_next_bid_minor"] != 3200.0 {
		t.Errorf("auction: %s", raw)
	}
	_, bids, raw := h.call("GET", "/auctions/"+id+"/bids?limit=1", "", "")
	items, _ := bids["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["name"] != "Bob" || bids["next_cursor"] != "2" {
		t.Errorf("bids page: %s", raw)
	}
	_, bids, raw = h.call("GET", "/auctions/"+id+"/bids?cursor=2", "", "")
	if items, _ := bids["items"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "Ann" {
		t.Errorf("bids after cursor 2: %s", raw)
	}
	for _, c := range []struct{ path, field string }{{"/auctions/" + id + "/bids?cursor=x", "cursor"}, {"/auctions/auc_missing", ""}, {"/live-sessions/ses_missing/auctions", ""}} {
		status, out, raw := h.call("GET", c.path, "", "")
		if (c.field != "" && (status != 400 || errField(out) != c.field)) || (c.field == "" && status != 404) {
			t.Errorf("GET %s: %d %s", c.path, status, raw)
		}
	}
}
