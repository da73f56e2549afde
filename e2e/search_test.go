package e2e

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/store"
)

// TestSearch boots the binary on each database, makes a shop, products
// and a live session with English and Chinese titles through the API, and
// finds them with GET /api/v1/search.
func TestSearch(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testSearch(t, d) })
	}
}

type searchHit struct {
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	ShopID   string `json:"shop_id"`
	ShopName string `json:"shop_name"`
}

func testSearch(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "rural") // Black Soil Farm, county Wuchang, selling "五常大米 fragrant rice"
	anon := p.srv.Client()
	lip := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/products", map[string]any{
		"title": "Lipstick Ruby", "description": "Long lasting colour", "category": "beauty",
		"skus": []map[string]any{{"code": "LIP-1", "price_minor": 990, "stock": 5}},
	}).Map(t)["id"].(string)
	sessionID, _ := p.scheduleLive(t, "稻香直播 Harvest live")

	find := func(query string) []searchHit {
		t.Helper()
		var out struct {
			Results    []searchHit `json:"results"`
			NextCursor *string     `json:"next_cursor"`
		}
		anon.Must(200, "GET", "/api/v1/search?"+query, nil).JSON(t, &out)
		if out.Results == nil || out.NextCursor == nil {
			t.Fatalf("search %s: results or next_cursor missing", query)
		}
		return out.Results
	}
	ids := func(hs []searchHit) []string {
		out := make([]string, len(hs))
		for i, h := range hs {
			out[i] = h.Kind + ":" + h.ID
		}
		return out
	}
	want := func(query string, wantIDs ...string) []searchHit {
		t.Helper()
		hs := find(query)
		if got := ids(hs); !slices.Equal(got, wantIDs) {
			t.Fatalf("search %s = %v, want %v", query, got, wantIDs)
		}
		return hs
	}
	q := url.QueryEscape

	// English, a prefix, Chinese, mixed; a room is found by its shelf too.
	// The product has "rice" in its title, the room only on its shelf.
	hs := want("q=rice", "product:"+p.productID, "live:"+sessionID)
	if hs[1].Status != "scheduled" || hs[0].ShopID != p.shopID || hs[0].ShopName != "Black Soil Farm" {
		t.Fatalf("hits: %+v", hs)
	}
	want("q=lip", "product:"+lip)
	want("q="+q("五常大米"), "product:"+p.productID, "live:"+sessionID)
	want("q="+q("大米"), "product:"+p.productID, "live:"+sessionID)
	want("q="+q("稻香"), "live:"+sessionID)
	want("q="+q("harvest 直播"), "live:"+sessionID)
	want("q="+q("wuchang"), "shop:"+p.shopID) // the shop's county
	want("q=rice&kind=replay")
	want("q=rice&kind=product", "product:"+p.productID)
	want("q="+q("black soil")+"&kind=shop", "shop:"+p.shopID)

	// A renamed product is found under its new name only; archived, not at all.
	p.merchant.Must(200, "PATCH", "/api/v1/products/"+lip, map[string]any{"title": "Velvet Gloss 丝绒唇釉"})
	want("q=lipstick")
	want("q="+q("唇釉"), "product:"+lip)
	p.merchant.Must(200, "PATCH", "/api/v1/products/"+lip, map[string]any{"status": "archived"})
	want("q=velvet")

	// What the engines would read as syntax is only ever words to them.
	for _, text := range []string{`"*:()&|! rice`, `rice NEAR velvet`, `rice OR lip`, `'; DROP TABLE search_docs; --`, `rice:* & !x`, `大米) OR (1=1`} {
		find("q=" + q(text))
	}
	want("q="+q(`"rice"`), "product:"+p.productID, "live:"+sessionID) // and the index is still there

	// Bad input names its field.
	for _, tc := range []struct{ query, field string }{
		{"q=", "q"},
		{"q=" + q(`"*:()&|!'`), "q"},
		{"q=" + q("🔥🔥"), "q"},
		{"q=" + strings.Repeat("rice+", 2048), "q"}, // 10 KB
		{"q=rice&kind=videos", "kind"},
		{"q=rice&limit=51", "limit"},
		{"q=rice&cursor=zz", "cursor"},
	} {
		r := anon.Do("GET", "/api/v1/search?"+tc.query, nil)
		if code, field := r.ErrorField(t); r.Status != apperr.HTTPStatus(apperr.Invalid) || code != apperr.Invalid || field != tc.field {
			t.Errorf("search %.40s: %d %s %s, want invalid %s", tc.query, r.Status, code, field, tc.field)
		}
	}
}
