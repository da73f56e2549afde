package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/search"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// searchWorld is the live world (Black Soil Farm with Rice, Soybeans and
// Honey) plus Chinese and mixed titles, a second shop, sessions in every
// state, and what must never be found: an archived product and a shop
// not yet approved.
type searchWorld struct {
	*liveWorld
	svc *search.Service
}

func newSearchWorld(t *testing.T, s *store.Store) *searchWorld {
	t.Helper()
	sw := &searchWorld{liveWorld: newLiveWorld(t, s), svc: search.NewService(s)}
	ctx := t.Context()
	step := func() { sw.clock.Advance(time.Minute) }
	step()
	sw.productWith(t, sw.owner, sw.farm.ID, catalog.NewProduct{Title: "五常大米 Wuchang Rice", Description: "东北黑土地种植的稻花香",
		SKUs: []catalog.NewSKU{{Code: "WUCHANG", PriceMinor: 5990, Stock: 10}}})
	step()
	sw.product(t, sw.owner, sw.farm.ID, "有机小米", 1290, 10)
	step()
	sw.productWith(t, sw.owner, sw.farm.ID, catalog.NewProduct{Title: "Lipstick Ruby", Description: "Long lasting colour, ruby red.",
		SKUs: []catalog.NewSKU{{Code: "LIP-1", PriceMinor: 990, Stock: 5}}})
	step()
	cracker := sw.product(t, sw.owner, sw.farm.ID, "Rice Cracker", 590, 5)
	archived := catalog.ProductArchived
	_, err := sw.cat.UpdateProduct(ctx, sw.owner, cracker.ID, catalog.ProductUpdate{Status: &archived})
	must(t, err)
	step()

	coop := sw.user(t, "coop@example.com")
	_, _ = sw.shop(t, coop, sw.admin(t, "admin2@example.com"), "五常大米合作社", "rural") // county Wuchang
	_, err = sw.cat.Apply(ctx, sw.user(t, "pirate@example.com"), catalog.ShopApplication{Name: "Rice Pirates", Category: "food",
		Region: "Nowhere", Programme: "standard"})
	must(t, err)
	step()

	// Sessions: one scheduled selling Rice, one live, one replay, one
	// ended before it began.
	sw.schedule(t, "Harvest Rice Live", sw.prods[0].ID)
	step()
	sw.goLive(t, sw.schedule(t, "Rice tasting").StreamKey)
	step()
	rec := sw.schedule(t, "Rice replay")
	sw.goLive(t, rec.StreamKey)
	sw.recs.record(rec.Session.ID)
	_, err = sw.rooms.End(ctx, sw.owner, rec.Session.ID)
	must(t, err)
	step()
	never := sw.schedule(t, "Morning market", sw.prods[2].ID) // Honey on the shelf
	_, err = sw.rooms.End(ctx, sw.owner, never.Session.ID)
	must(t, err)
	step()
	return sw
}

// find searches and returns "kind:title" for each result, in order.
func (sw *searchWorld) find(t *testing.T, q, kind string) []string {
	t.Helper()
	var out []string
	cursor := ""
	for {
		p, err := sw.svc.Search(t.Context(), search.Request{Q: q, Kind: kind, Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatalf("search %q kind %q: %v", q, kind, err)
		}
		for _, r := range p.Results {
			out = append(out, r.Kind+":"+r.Title)
		}
		if cursor = p.NextCursor; cursor == "" {
			return out
		}
	}
}

func TestSearchConformance(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[store.Dialect][]string{} // every answer, to compare the engines
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSearchWorld(t, s)
		ctx := t.Context()
		check := func(q, kind string, want ...string) {
			t.Helper()
			got := sw.find(t, q, kind)
			mu.Lock()
			seen[s.Dialect()] = append(seen[s.Dialect()], fmt.Sprintf("%s|%s => %q", q, kind, got))
			mu.Unlock()
			if !slices.Equal(got, want) {
				t.Fatalf("search %q kind %q = %q, want %q", q, kind, got, want)
			}
		}

		// English: titles first; among equal text, live before scheduled
		// before replay; then the newest.
		check("rice", "",
			"live:Rice tasting",         // title + phrase + live
			"live:Harvest Rice Live",    // title + phrase + scheduled
			"replay:Rice replay",        // title + phrase, started later than the products changed
			"product:五常大米 Wuchang Rice", // title + phrase
			"product:Rice",              // title + phrase, the oldest
		)
		check("lip", "", "product:Lipstick Ruby") // a prefix
		check("RUBY red", "", "product:Lipstick Ruby")
		check("colour", "", "product:Lipstick Ruby") // the description

		// Chinese: pairs of characters, or the lone character.
		check("五常大米", "", "shop:五常大米合作社", "product:五常大米 Wuchang Rice")
		check("大米", "", "shop:五常大米合作社", "product:五常大米 Wuchang Rice")
		check("米", "", "shop:五常大米合作社", "product:有机小米", "product:五常大米 Wuchang Rice")
		check("稻花香", "", "product:五常大米 Wuchang Rice")
		check("米大", "")

		// Mixed: the shop's county is in its body.
		check("wuchang 大米", "", "product:五常大米 Wuchang Rice", "shop:五常大米合作社")

		// Kinds.
		check("rice", "live", "live:Rice tasting", "live:Harvest Rice Live")
		check("rice", "replay", "replay:Rice replay")
		check("rice", "product", "product:五常大米 Wuchang Rice", "product:Rice")
		check("wuchang", "shop", "shop:五常大米合作社")
		check("honey", "", "product:Honey", "replay:Morning market") // a session by its shelf

		// Never found: an archived product, a shop not approved.
		check("cracker", "")
		check("pirates", "")

		// What engines would read as syntax is only ever words to them.
		check(`rice" OR "x`, "")
		check(`NEAR(rice tasting, 2)`, "")
		check(`'; DROP TABLE search_docs; --`, "")
		check(`rice:* & !tasting | (x)`, "")
		check(`tasting AND rice`, "")
		check(`"rice"`, "", "live:Rice tasting", "live:Harvest Rice Live", "replay:Rice replay", "product:五常大米 Wuchang Rice", "product:Rice")

		// A rename is found under the new name at once, not the old one,
		// and the sessions selling it follow.
		sw.clock.Advance(time.Minute)
		nectar := "Acacia nectar 槐花蜜"
		_, err := sw.cat.UpdateProduct(ctx, sw.owner, sw.prods[2].ID, catalog.ProductUpdate{Title: &nectar})
		must(t, err)
		check("honey", "")
		check("acacia", "", "product:Acacia nectar 槐花蜜", "replay:Morning market")
		check("槐花", "", "product:Acacia nectar 槐花蜜", "replay:Morning market")
		newName := "Black Soil Orchard"
		_, err = sw.cat.UpdateShop(ctx, sw.owner, sw.farm.ID, catalog.ShopUpdate{Name: &newName})
		must(t, err)
		check("orchard", "", "shop:Black Soil Orchard")
		check("farm", "")
		title := "Rice tasting 品鉴会"
		_, err = sw.rooms.Update(ctx, sw.owner, sw.ses(t, "Rice tasting"), room.UpdateInput{Title: &title})
		must(t, err)
		check("品鉴", "live", "live:Rice tasting 品鉴会")

		// Backfill writes what is missing, once.
		must(t, store.DropSearchDocsForTest(ctx, s))
		check("rice", "")
		n, err := s.BackfillSearch(ctx)
		must(t, err)
		if n < 12 {
			t.Fatalf("backfill wrote %d documents", n)
		}
		check("rice", "", "live:Rice tasting 品鉴会", "live:Harvest Rice Live", "replay:Rice replay", "product:五常大米 Wuchang Rice", "product:Rice")
		check("acacia", "", "product:Acacia nectar 槐花蜜", "replay:Morning market")
		if n, err := s.BackfillSearch(ctx); err != nil || n != 0 {
			t.Fatalf("second backfill: %d, %v", n, err)
		}
	})
	if a, b := seen[store.SQLite], seen[store.Postgres]; len(a) > 0 && len(b) > 0 && !slices.Equal(a, b) {
		t.Fatalf("SQLite and PostgreSQL answered differently:\n%q\n%q", a, b)
	}
}

// ses finds the id of the session titled title.
func (sw *searchWorld) ses(t *testing.T, title string) string {
	t.Helper()
	p, err := sw.svc.Search(t.Context(), search.Request{Q: title, Kind: search.KindAll, Limit: 50})
	must(t, err)
	for _, r := range p.Results {
		if r.Title == title && (r.Kind == search.KindLive || r.Kind == search.KindReplay) {
			return r.ID
		}
	}
	t.Fatalf("no session titled %q", title)
	return ""
}
