package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/search"
)

func TestSearchRoute(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) { c.Search = search.NewService(h.st) })
	owner, shopID := h.shop("Olga")
	lip, _ := h.product(owner, shopID, "Lipstick Ruby", 990, 5)
	rice, _ := h.product(owner, shopID, "五常大米", 5990, 5)
	ses := h.session(owner, shopID, "Rice live", rice)

	get := func(query string) (int, map[string]any, string) {
		t.Helper()
		return h.call("GET", "/search?"+query, "", "")
	}
	results := func(out map[string]any) []map[string]any {
		t.Helper()
		raw, ok := out["results"].([]any)
		if !ok {
			t.Fatalf("no results list in %v", out)
		}
		rs := make([]map[string]any, len(raw))
		for i, r := range raw {
			rs[i] = r.(map[string]any)
		}
		return rs
	}

	// Anyone may search; a prefix finds the product with its shop.
	code, out, raw := get("q=lip")
	if code != http.StatusOK {
		t.Fatalf("search: %d %s", code, raw)
	}
	rs := results(out)
	if len(rs) != 1 || rs[0]["kind"] != "product" || rs[0]["id"] != lip || rs[0]["title"] != "Lipstick Ruby" ||
		rs[0]["shop_id"] != shopID || rs[0]["shop_name"] != "Farm" || rs[0]["score"] == nil || out["next_cursor"] != "" {
		t.Fatalf("q=lip: %s", raw)
	}

	// Chinese finds the product, and the room selling it by its shelf.
	_, out, raw = get("q=" + url.QueryEscape("大米"))
	rs = results(out)
	if len(rs) != 2 || rs[0]["id"] != rice || rs[1]["id"] != ses.Session.ID || rs[1]["kind"] != "live" {
		t.Fatalf("q=大米: %s", raw)
	}

	// A session shows its status and planned start; kind filters.
	_, out, raw = get("q=rice&kind=live")
	rs = results(out)
	if len(rs) != 1 || rs[0]["id"] != ses.Session.ID || rs[0]["status"] != "scheduled" || rs[0]["planned_start"] == nil {
		t.Fatalf("q=rice&kind=live: %s", raw)
	}
	_, out, raw = get("q=rice&kind=replay")
	if len(results(out)) != 0 {
		t.Fatalf("q=rice&kind=replay: %s", raw)
	}

	// Pages follow next_cursor.
	_, out, raw = get("q=" + url.QueryEscape("大米") + "&limit=1")
	if rs = results(out); len(rs) != 1 || rs[0]["id"] != rice || out["next_cursor"] == "" {
		t.Fatalf("page 1: %s", raw)
	}
	_, out, raw = get("q=" + url.QueryEscape("大米") + "&limit=1&cursor=" + out["next_cursor"].(string))
	if rs = results(out); len(rs) != 1 || rs[0]["id"] != ses.Session.ID || out["next_cursor"] != "" {
		t.Fatalf("page 2: %s", raw)
	}

	// Operators and SQL are only words.
	for _, q := range []string{`"*:()&|!'` + " rice", `rice NEAR lip`, `lip OR rice`, `'; DROP TABLE search_docs; --`, `rice:*`} {
		code, out, raw := get("q=" + url.QueryEscape(q))
		if code != http.StatusOK {
			t.Fatalf("q=%s: %d %s", q, code, raw)
		}
		if q == `rice:*` && len(results(out)) != 1 {
			t.Fatalf("q=%s: %s", q, raw)
		}
	}

	// Bad input names its field.
	for _, tc := range []struct{ query, field string }{
		{"q=", "q"},
		{"q=" + url.QueryEscape(`"*:()&|!'`), "q"},
		{"q=" + strings.Repeat("a", 101), "q"},
		{"q=" + strings.Repeat("lipstick+", 1200), "q"}, // about 10 KB
		{"q=rice&kind=videos", "kind"},
		{"q=rice&limit=0", "limit"},
		{"q=rice&limit=51", "limit"},
		{"q=rice&limit=ten", "limit"},
		{"q=rice&cursor=abc", "cursor"},
	} {
		code, out, raw := get(tc.query)
		if code != http.StatusBadRequest || errField(out) != tc.field {
			t.Errorf("%.40s: %d %s, want invalid %s", tc.query, code, raw, tc.field)
		}
	}
}
