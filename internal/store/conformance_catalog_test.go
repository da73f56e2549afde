package store_test

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestConformanceProducts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		shop, owner := w.shop(t, owner, admin, "Wuchang Rice", "rural")
		other, owner := w.shop(t, owner, admin, "Second Shop", "standard")

		t.Run("new product is validated", func(t *testing.T) {
			sku := func(code string, price int64, stock int) catalog.NewSKU {
				return catalog.NewSKU{Code: code, PriceMinor: price, Stock: stock}
			}
			tests := []struct {
				name  string
				np    catalog.NewProduct
				field string
			}{
				{"no title", catalog.NewProduct{Title: " ", SKUs: []catalog.NewSKU{sku("A", 1, 0)}}, "title"},
				{"no SKUs", catalog.NewProduct{Title: "Rice"}, "skus"},
				{"zero price", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{sku("A", 0, 1)}}, "skus[0].price_minor"},
				{"negative price", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{sku("A", 100, 1), sku("B", -5, 1)}}, "skus[1].price_minor"},
				{"negative stock", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{sku("A", 100, -1)}}, "skus[0].stock"},
				{"no code", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{sku(" ", 100, 1)}}, "skus[0].code"},
				{"code twice", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{sku("A", 100, 1), sku("B", 100, 1), sku("A", 200, 1)}}, "skus[2].code"},
				{"unknown currency", catalog.NewProduct{Title: "Rice", SKUs: []catalog.NewSKU{{Code: "A", PriceMinor: 1, Currency: "XXX"}}}, "skus[0].currency"},
				{"commission too high", catalog.NewProduct{Title: "Rice", CommissionBPS: 9001, SKUs: []catalog.NewSKU{sku("A", 1, 0)}}, "commission_bps"},
				{"unknown category", catalog.NewProduct{Title: "Rice", Category: "weapons", SKUs: []catalog.NewSKU{sku("A", 1, 0)}}, "category"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := w.cat.CreateProduct(ctx, owner, shop.ID, tt.np)
					wantErr(t, err, apperr.Invalid, tt.field)
				})
			}
			if ps, err := w.cat.ListProducts(ctx, owner, catalog.ProductFilter{ShopID: shop.ID}); err != nil || len(ps) != 0 {
				t.Fatalf("refused products were stored: %v, %v", titles(ps), err)
			}
		})

		rice := w.productWith(t, owner, shop.ID, catalog.NewProduct{
			Title: "  五常大米 5kg ", Description: "Rice from Wuchang.", Category: "fresh_produce", Tags: []string{" rice ", "五常"},
			CommissionBPS: 1500, ExternalRef: " erp-42 ",
			SKUs: []catalog.NewSKU{
				{Code: " RICE-5 ", Attributes: map[string]string{"weight": "5kg", "产地": "五常"}, PriceMinor: 8800, Stock: 10},
				{Code: "RICE-10", Attributes: map[string]string{"weight": "10kg"}, PriceMinor: 16800, Currency: "CNY"},
			},
		})

		t.Run("stored as entered", func(t *testing.T) {
			got, err := w.cat.Product(ctx, account.Actor{}, rice.ID)
			must(t, err)
			if got.Title != "五常大米 5kg" || got.Description != "Rice from Wuchang." || got.Category != "fresh_produce" ||
				!slices.Equal(got.Tags, []string{"rice", "五常"}) || got.CommissionBPS != 1500 || got.ExternalRef != "erp-42" ||
				got.Status != catalog.ProductActive || got.ShopID != shop.ID || !got.CreatedAt.Equal(w.clock.Now()) || len(got.Images) != 0 {
				t.Fatalf("product = %+v", got)
			}
			if len(got.SKUs) != 2 {
				t.Fatalf("SKUs = %+v", got.SKUs)
			}
			five, ten := got.SKUs[0], got.SKUs[1]
			if five.Code != "RICE-5" || five.PriceMinor != 8800 || five.Currency != "CNY" || five.Stock != 10 ||
				five.Attributes["weight"] != "5kg" || five.Attributes["产地"] != "五常" || five.ShopID != shop.ID || five.ProductID != rice.ID {
				t.Fatalf("first SKU = %+v", five)
			}
			if ten.Code != "RICE-10" || ten.PriceMinor != 16800 || ten.Stock != 0 || len(ten.Attributes) != 1 {
				t.Fatalf("second SKU = %+v", ten)
			}
			// A SKU with no opening stock has no movement; one with stock has its initial movement.
			if ms := w.movements(t, owner, ten.ID); len(ms) != 0 {
				t.Fatalf("movements of an empty SKU = %+v", ms)
			}
			ms := w.movements(t, owner, five.ID)
			if len(ms) != 1 || ms[0].Reason != catalog.ReasonInitial || ms[0].Delta != 10 || ms[0].StockAfter != 10 || ms[0].ActorID != owner.ID() {
				t.Fatalf("opening movement = %+v", ms)
			}
		})

		t.Run("SKU codes are unique within a shop", func(t *testing.T) {
			_, err := w.cat.CreateProduct(ctx, owner, shop.ID, catalog.NewProduct{Title: "Rice again",
				SKUs: []catalog.NewSKU{{Code: "NEW-1", PriceMinor: 1}, {Code: "RICE-10", PriceMinor: 1}}})
			wantErr(t, err, apperr.Conflict, "skus[1].code")
			_, err = w.cat.AddSKU(ctx, owner, rice.ID, catalog.NewSKU{Code: "RICE-5", PriceMinor: 1})
			wantErr(t, err, apperr.Conflict, "code")
			// The refused product left nothing behind, not even its first SKU.
			ps, err := w.cat.ListProducts(ctx, owner, catalog.ProductFilter{ShopID: shop.ID})
			must(t, err)
			if len(ps) != 1 || len(ps[0].SKUs) != 2 {
				t.Fatalf("after refused duplicates: %v with %d SKUs", titles(ps), len(ps[0].SKUs))
			}
			if _, err := w.cat.AddSKU(ctx, owner, rice.ID, catalog.NewSKU{Code: "NEW-1", PriceMinor: 1}); err != nil {
				t.Fatalf("the refused product's SKU code stayed taken: %v", err)
			}
			// Another shop may use the same code.
			w.productWith(t, owner, other.ID, catalog.NewProduct{Title: "Not rice", SKUs: []catalog.NewSKU{{Code: "RICE-5", PriceMinor: 1}}})
		})

		t.Run("add and update SKUs", func(t *testing.T) {
			sku, err := w.cat.AddSKU(ctx, owner, rice.ID, catalog.NewSKU{Code: "RICE-25", PriceMinor: 39900, Stock: 3, Attributes: map[string]string{"weight": "25kg"}})
			must(t, err)
			if sku.Stock != 3 || sku.Currency != "CNY" || sku.ProductID != rice.ID {
				t.Fatalf("added SKU = %+v", sku)
			}
			_, err = w.cat.AddSKU(ctx, owner, rice.ID, catalog.NewSKU{Code: "RICE-50", PriceMinor: 0})
			wantErr(t, err, apperr.Invalid, "price_minor")
			price, attrs := int64(37900), map[string]string{"weight": "25kg", "bag": "woven"}
			w.clock.Advance(time.Second)
			updated, err := w.cat.UpdateSKU(ctx, owner, sku.ID, catalog.SKUUpdate{PriceMinor: &price, Attributes: &attrs})
			must(t, err)
			if updated.PriceMinor != 37900 || updated.Attributes["bag"] != "woven" || updated.Stock != 3 || !updated.UpdatedAt.Equal(w.clock.Now()) {
				t.Fatalf("updated SKU = %+v", updated)
			}
			_, err = w.cat.UpdateSKU(ctx, owner, "sku_missing", catalog.SKUUpdate{PriceMinor: &price})
			wantErr(t, err, apperr.NotFound, "")
		})

		t.Run("update product", func(t *testing.T) {
			title, tags, commission := "五常大米 5kg 新米", []string{"new crop"}, 0
			got, err := w.cat.UpdateProduct(ctx, owner, rice.ID, catalog.ProductUpdate{Title: &title, Tags: &tags, CommissionBPS: &commission})
			must(t, err)
			if got.Title != title || !slices.Equal(got.Tags, tags) || got.CommissionBPS != 0 || got.Description != "Rice from Wuchang." {
				t.Fatalf("updated product = %+v", got)
			}
			bad := "sold"
			_, err = w.cat.UpdateProduct(ctx, owner, rice.ID, catalog.ProductUpdate{Status: &bad})
			wantErr(t, err, apperr.Invalid, "status")
			_, err = w.cat.UpdateProduct(ctx, owner, "prd_missing", catalog.ProductUpdate{Title: &title})
			wantErr(t, err, apperr.NotFound, "")
		})

		t.Run("images", func(t *testing.T) {
			first, err := w.cat.AddImage(ctx, owner, rice.ID, bytes.NewReader(pngBytes(t, 4, 3)))
			must(t, err)
			second, err := w.cat.AddImage(ctx, owner, rice.ID, bytes.NewReader(pngBytes(t, 8, 8)))
			must(t, err)
			got, err := w.cat.Product(ctx, account.Actor{}, rice.ID)
			must(t, err)
			if len(got.Images) != 2 || got.Images[0].ID != first.ID || got.Images[1].ID != second.ID {
				t.Fatalf("images = %+v", got.Images)
			}
			img := got.Images[0]
			if img.ContentType != "image/png" || img.Width != 4 || img.Height != 3 || img.Position != 0 || img.SizeBytes == 0 ||
				img.URL != "/media/images/"+first.ID || img.ThumbURL != "/media/images/"+first.ID+"/thumb" {
				t.Fatalf("image record = %+v", img)
			}
			must(t, w.cat.DeleteImage(ctx, owner, first.ID))
			wantErr(t, w.cat.DeleteImage(ctx, owner, first.ID), apperr.NotFound, "")
			got, _ = w.cat.Product(ctx, account.Actor{}, rice.ID)
			if len(got.Images) != 1 || got.Images[0].ID != second.ID || got.Images[0].Position != 1 {
				t.Fatalf("images after delete = %+v", got.Images)
			}
			if _, err := os.Stat(w.images.path(first.ID)); !os.IsNotExist(err) {
				t.Fatalf("deleted image file still there: %v", err)
			}
		})
	})
}

func TestConformanceProductVisibility(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		viewer := w.user(t, "viewer@example.com")
		shop, owner := w.shop(t, owner, admin, "Approved", "standard")

		pendingShop, err := w.cat.Apply(ctx, owner, catalog.ShopApplication{Name: "Pending", Category: "food", Region: "Jilin"})
		must(t, err)
		owner = w.actor(t, owner.ID())
		_, err = w.cat.CreateProduct(ctx, owner, pendingShop.ID, catalog.NewProduct{Title: "Early", SKUs: []catalog.NewSKU{{Code: "E", PriceMinor: 1}}})
		wantErr(t, err, apperr.Conflict, "")
		// The service refuses products for a pending shop, so the one a
		// pending shop could hold (say, from an import) goes in through
		// the repository; what is under test is that it stays hidden.
		now := w.clock.Now()
		hidden := catalog.Product{ID: ids.New("prd"), ShopID: pendingShop.ID, Title: "Hidden rice", Tags: []string{}, Status: catalog.ProductActive,
			CreatedAt: now, UpdatedAt: now}
		hidden.SKUs = []catalog.SKU{{ID: ids.New("sku"), ProductID: hidden.ID, ShopID: pendingShop.ID, Code: "H", PriceMinor: 100, Currency: "CNY",
			Stock: 5, CreatedAt: now, UpdatedAt: now}}
		must(t, s.CreateProduct(ctx, hidden, owner.ID()))

		visible := w.product(t, owner, shop.ID, "Visible rice", 100, 5)
		archived := w.product(t, owner, shop.ID, "Archived rice", 100, 5)
		status := catalog.ProductArchived
		_, err = w.cat.UpdateProduct(ctx, owner, archived.ID, catalog.ProductUpdate{Status: &status})
		must(t, err)

		tests := []struct {
			name   string
			a      account.Actor
			filter catalog.ProductFilter
			want   []string
		}{
			{"public, everything", account.Actor{}, catalog.ProductFilter{}, []string{"Visible rice"}},
			{"public, searching", viewer, catalog.ProductFilter{Query: "rice"}, []string{"Visible rice"}},
			{"public, pending shop", viewer, catalog.ProductFilter{ShopID: pendingShop.ID}, []string{}},
			{"public asking for archived", viewer, catalog.ProductFilter{ShopID: shop.ID, Status: catalog.ProductArchived}, []string{"Visible rice"}},
			{"owner, all of a shop", owner, catalog.ProductFilter{ShopID: shop.ID}, []string{"Archived rice", "Visible rice"}},
			{"owner, archived", owner, catalog.ProductFilter{ShopID: shop.ID, Status: catalog.ProductArchived}, []string{"Archived rice"}},
			{"owner, pending shop", owner, catalog.ProductFilter{ShopID: pendingShop.ID}, []string{"Hidden rice"}},
			{"owner, across shops is public", owner, catalog.ProductFilter{Query: "rice"}, []string{"Visible rice"}},
			{"admin, pending shop", admin, catalog.ProductFilter{ShopID: pendingShop.ID}, []string{"Hidden rice"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := w.cat.ListProducts(ctx, tt.a, tt.filter)
				must(t, err)
				if !slices.Equal(titles(got), tt.want) {
					t.Fatalf("got %q, want %q", titles(got), tt.want)
				}
			})
		}

		for _, id := range []string{hidden.ID, archived.ID} {
			for _, a := range []account.Actor{{}, viewer} {
				_, err := w.cat.Product(ctx, a, id)
				wantErr(t, err, apperr.NotFound, "")
			}
			if _, err := w.cat.Product(ctx, owner, id); err != nil {
				t.Fatalf("owner cannot see %s: %v", id, err)
			}
		}
		if _, err := w.cat.Product(ctx, viewer, visible.ID); err != nil {
			t.Fatalf("viewer cannot see an active product: %v", err)
		}
		_, err = w.cat.Product(ctx, viewer, "prd_missing")
		wantErr(t, err, apperr.NotFound, "")
	})
}

func TestConformanceProductSearch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		shop, owner := w.shop(t, owner, admin, "Everything", "standard")
		for _, title := range []string{
			"五常大米 5kg", "Organic Rice", "RICE crackers", "100% Cotton Tee", "1000 piece puzzle", "snake_case mug",
			`C:\Windows poster`, "Crème brûlée torch", "ÉCLAIR tray",
		} {
			w.product(t, owner, shop.ID, title, 100, 1)
		}

		tests := []struct {
			query string
			want  []string // newest first
		}{
			{"rice", []string{"RICE crackers", "Organic Rice"}},
			{"RiCe", []string{"RICE crackers", "Organic Rice"}},
			{"五常大米", []string{"五常大米 5kg"}},
			{"大米 5KG", []string{"五常大米 5kg"}},
			{"%", []string{"100% Cotton Tee"}},
			{"0%", []string{"100% Cotton Tee"}},
			{"_", []string{"snake_case mug"}},
			{"e_c", []string{"snake_case mug"}},
			{`\`, []string{`C:\Windows poster`}},
			{`c:\w`, []string{`C:\Windows poster`}},
			{"CRÈME", []string{"Crème brûlée torch"}},
			{"éclair", []string{"ÉCLAIR tray"}},
			{"1000", []string{"1000 piece puzzle"}},
			{"nothing like it", []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				got, err := w.cat.ListProducts(ctx, account.Actor{}, catalog.ProductFilter{Query: tt.query})
				must(t, err)
				if !slices.Equal(titles(got), tt.want) {
					t.Fatalf("search %q = %q, want %q", tt.query, titles(got), tt.want)
				}
			})
		}
		_, err := w.cat.ListProducts(ctx, account.Actor{}, catalog.ProductFilter{Query: strings.Repeat("x", 101)})
		wantErr(t, err, apperr.Invalid, "q")
	})
}

func TestConformanceProductPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		shop, owner := w.shop(t, owner, admin, "Many Things", "standard")
		var made []string
		for i := range 23 {
			p := w.product(t, owner, shop.ID, fmt.Sprintf("Item %02d", i), 100, 1)
			made = append(made, p.ID)
		}
		slices.Reverse(made) // newest first

		for _, limit := range []int{1, 5, 7, 23, 100} {
			t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
				var seen []string
				cursor := ""
				for pages := 0; ; pages++ {
					if pages > 30 {
						t.Fatal("pagination does not end")
					}
					page, err := w.cat.ListProducts(ctx, account.Actor{}, catalog.ProductFilter{ShopID: shop.ID, Cursor: cursor, Limit: limit})
					must(t, err)
					if len(page) > limit {
						t.Fatalf("page of %d with limit %d", len(page), limit)
					}
					for _, p := range page {
						seen = append(seen, p.ID)
						if len(p.SKUs) != 1 {
							t.Fatalf("%s listed with %d SKUs", p.Title, len(p.SKUs))
						}
					}
					if len(page) < limit {
						break
					}
					cursor = page[len(page)-1].ID
				}
				if !slices.Equal(seen, made) {
					t.Fatalf("pages gave %d products %v, want each of %d exactly once, newest first", len(seen), seen, len(made))
				}
			})
		}

		t.Run("default and maximum page size", func(t *testing.T) {
			got, err := w.cat.ListProducts(ctx, account.Actor{}, catalog.ProductFilter{ShopID: shop.ID})
			must(t, err)
			if len(got) != 20 {
				t.Fatalf("default page = %d, want 20", len(got))
			}
		})

		t.Run("pages of a search", func(t *testing.T) {
			var seen []string
			cursor := ""
			for {
				page, err := w.cat.ListProducts(ctx, account.Actor{}, catalog.ProductFilter{Query: "item 1", Cursor: cursor, Limit: 4})
				must(t, err)
				seen = append(seen, titles(page)...)
				if len(page) < 4 {
					break
				}
				cursor = page[len(page)-1].ID
			}
			want := []string{"Item 19", "Item 18", "Item 17", "Item 16", "Item 15", "Item 14", "Item 13", "Item 12", "Item 11", "Item 10"}
			if !slices.Equal(seen, want) {
				t.Fatalf("search pages = %q, want %q", seen, want)
			}
		})
	})
}

func TestConformanceStock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		viewer := w.user(t, "viewer@example.com")
		shop, owner := w.shop(t, owner, admin, "Stocked", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 100, 10)
		sku := p.SKUs[0].ID

		in, err := w.cat.AdjustStock(ctx, owner, sku, 5, "  delivery from the co-op ")
		must(t, err)
		if in.Delta != 5 || in.StockAfter != 15 || in.Reason != catalog.ReasonAdjustment || in.Note != "delivery from the co-op" || in.ActorID != owner.ID() {
			t.Fatalf("movement = %+v", in)
		}
		out, err := w.cat.AdjustStock(ctx, owner, sku, -3, "damaged bags")
		must(t, err)
		if out.StockAfter != 12 {
			t.Fatalf("stock after -3 = %d, want 12", out.StockAfter)
		}

		type step struct {
			delta, after int
			reason, note string
		}
		trail := func(t *testing.T) []step {
			var got []step
			for _, m := range w.movements(t, owner, sku) {
				got = append(got, step{m.Delta, m.StockAfter, m.Reason, m.Note})
			}
			return got
		}
		want := []step{{-3, 12, catalog.ReasonAdjustment, "damaged bags"}, {5, 15, catalog.ReasonAdjustment, "delivery from the co-op"}, {10, 10, catalog.ReasonInitial, ""}}
		if got := trail(t); !slices.Equal(got, want) {
			t.Fatalf("audit trail = %+v, want %+v", got, want)
		}

		t.Run("stock never goes negative", func(t *testing.T) {
			_, err := w.cat.AdjustStock(ctx, owner, sku, -13, "too many")
			wantErr(t, err, apperr.Conflict, "delta")
			if got := w.stock(t, owner, p, 0); got != 12 {
				t.Fatalf("stock after a refused adjustment = %d, want 12", got)
			}
			if got := trail(t); !slices.Equal(got, want) {
				t.Fatalf("a refused adjustment left a movement: %+v", got)
			}
			// Down to exactly zero is fine.
			m, err := w.cat.AdjustStock(ctx, owner, sku, -12, "sold at the market")
			must(t, err)
			if m.StockAfter != 0 || w.stock(t, owner, p, 0) != 0 {
				t.Fatalf("stock after emptying = %d", m.StockAfter)
			}
			_, err = w.cat.AdjustStock(ctx, owner, sku, -1, "")
			wantErr(t, err, apperr.Conflict, "delta")
		})

		t.Run("invalid adjustments", func(t *testing.T) {
			_, err := w.cat.AdjustStock(ctx, owner, sku, 0, "")
			wantErr(t, err, apperr.Invalid, "delta")
			_, err = w.cat.AdjustStock(ctx, owner, sku, 1, strings.Repeat("n", 201))
			wantErr(t, err, apperr.Invalid, "note")
			_, err = w.cat.AdjustStock(ctx, viewer, sku, 1, "")
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.cat.AdjustStock(ctx, owner, "sku_missing", 1, "")
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.cat.Movements(ctx, viewer, sku, "", 0)
			wantErr(t, err, apperr.Forbidden, "")
		})

		t.Run("movement pages", func(t *testing.T) {
			all := w.movements(t, owner, sku)
			var seen []string
			cursor := ""
			for {
				page, err := w.cat.Movements(ctx, owner, sku, cursor, 2)
				must(t, err)
				for _, m := range page {
					seen = append(seen, m.ID)
				}
				if len(page) < 2 {
					break
				}
				cursor = page[len(page)-1].ID
			}
			if len(all) != 4 || len(seen) != len(all) {
				t.Fatalf("paged %d movements, listed %d, want 4", len(seen), len(all))
			}
			for i := range all {
				if seen[i] != all[i].ID {
					t.Fatalf("page order %v differs from list order", seen)
				}
			}
		})
	})
}
