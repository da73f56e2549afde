package httpapi_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/order"
)

// TestFeedRoutes drives the feed and channel routes over a real SQLite
// store: public access, the JSON shapes, status codes and the fields
// named in 400s. Ranking is tested in internal/feed, the queries in
// store's conformance suite.
func TestFeedRoutes(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		c.Feed = feed.NewService(feed.Config{Repo: h.st, Log: h.log})
	})
	owner, shopID := h.shop("owner") // a food shop in Jilin
	rice, _ := h.product(owner, shopID, "Rice", 1990, 5)
	live := h.session(owner, shopID, "Harvest live", rice)
	upcoming := h.session(owner, shopID, "Tomorrow's harvest")
	id, err := h.rooms.Authorize(h.ctx, live.StreamKey, media.RTMP)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.rooms.Started(h.ctx, id, media.RTMP); err != nil {
		t.Fatal(err)
	}
	viewer := h.user("viewer")
	if err := h.st.CreateAddress(h.ctx, viewer.ID(), order.Address{ID: ids.New("adr"), Name: "V", Phone: "1", Line1: "L", City: "C",
		Region: "jilin", Country: "CN", IsDefault: true, CreatedAt: h.now}); err != nil {
		t.Fatal(err)
	}
	viewerTok := h.token(viewer)

	checks := []struct {
		name, path, auth string
		status           int
		field            string
	}{
		{"anonymous feed", "/feed", "", 200, ""},
		{"anonymous feed with an id", "/feed?anon=visitor-0001&limit=5", "", 200, ""},
		{"signed-in feed", "/feed", viewerTok, 200, ""},
		{"limit 0", "/feed?limit=0", "", 400, "limit"},
		{"limit 101", "/feed?limit=101", "", 400, "limit"},
		{"limit not a number", "/feed?limit=ten", "", 400, "limit"},
		{"anon too short", "/feed?anon=abc", "", 400, "anon"},
		{"anon with a slash", "/feed?anon=visitor%2F0001", "", 400, "anon"},
		{"channels", "/channels", "", 200, ""},
		{"a channel", "/channels/foodie", "", 200, ""},
		{"rural by county", "/channels/rural?county=Wuchang", "", 200, ""},
		{"unknown channel", "/channels/nope", "", 404, ""},
		{"channel limit", "/channels/foodie?limit=-1", "", 400, "limit"},
		{"channel cursor", "/channels/foodie?cursor=nonsense", "", 400, "cursor"},
		{"rural counties", "/channels/rural/counties", "", 200, ""},
	}
	for _, c := range checks {
		status, out, raw := h.call("GET", c.path, c.auth, "")
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: GET %s: %d %s, want %d field %q", c.name, c.path, status, raw, c.status, c.field)
		}
	}

	// The signed-in viewer's feed: the live room first, near them.
	_, out, raw := h.call("GET", "/feed?limit=10", viewerTok, "")
	items, _ := out["items"].([]any)
	if len(items) != 2 || out["explored"] == nil {
		t.Fatalf("feed: %s", raw)
	}
	first := items[0].(map[string]any)
	if first["id"] != id || first["status"] != "live" || first["shop_id"] != shopID || first["title"] != "Harvest live" ||
		first["viewers"] != 0.0 || first["score"] == nil || first["exploration"] == nil {
		t.Errorf("first item: %s", raw)
	}
	reasons, _ := first["reasons"].([]any)
	if !containsAny(reasons, feed.ReasonNearYou) || !containsAny(reasons, feed.ReasonJustStarted) {
		t.Errorf("first item's reasons %v: %s", reasons, raw)
	}
	if second := items[1].(map[string]any); second["id"] != upcoming.Session.ID || second["status"] != "scheduled" {
		t.Errorf("second item: %s", raw)
	}

	// Channels: every one, with the live room counted in foodie.
	_, _, raw = h.call("GET", "/channels", "", "")
	var chans []map[string]any
	decodeJSON(t, raw, &chans)
	if len(chans) != len(feed.Channels) || chans[0]["code"] != "foodie" || chans[0]["live_count"] != 1.0 || chans[0]["name"] == "" {
		t.Errorf("channels: %s", raw)
	}

	// A channel page by page.
	_, out, raw = h.call("GET", "/channels/foodie?limit=1", "", "")
	items, _ = out["items"].([]any)
	next, _ := out["next_cursor"].(string)
	if len(items) != 1 || items[0].(map[string]any)["id"] != id || next == "" {
		t.Fatalf("foodie page 1: %s", raw)
	}
	_, out, raw = h.call("GET", "/channels/foodie?limit=1&cursor="+url.QueryEscape(next), "", "")
	items, _ = out["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != upcoming.Session.ID {
		t.Fatalf("foodie page 2: %s", raw)
	}
	_, out, raw = h.call("GET", "/channels/rural", "", "")
	if items, _ := out["items"].([]any); items == nil || len(items) != 0 || out["next_cursor"] != "" {
		t.Errorf("rural (no rural shop): %s", raw)
	}
	_, _, raw = h.call("GET", "/channels/rural/counties", "", "")
	if raw != "[]\n" && raw != "[]" {
		t.Errorf("counties without rural shops: %q", raw)
	}
}

func containsAny(xs []any, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func decodeJSON(t *testing.T, raw string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		t.Fatalf("decode %q: %v", raw, err)
	}
}
