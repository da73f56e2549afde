package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/search"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// BenchmarkSearch measures a whole search (parse, candidates from the
// engine, ranking in Go) over 5,000 products with mixed English and
// Chinese titles, on each database.
//
//	go test ./internal/store -run '^$' -bench BenchmarkSearch -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d, store.Options{})
			seedSearchBench(b, s, 5000)
			svc := search.NewService(s)
			for _, q := range []string{"rice", "五常大米", "lip", "organic honey 蜂蜜", "nothingmatches"} {
				b.Run(q, func(b *testing.B) {
					for b.Loop() {
						if _, err := svc.Search(b.Context(), search.Request{Q: q, Limit: 20}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

func seedSearchBench(b *testing.B, s *store.Store, n int) {
	b.Helper()
	ctx := b.Context()
	now := time.Now().UTC()
	u := account.User{ID: ids.New("usr"), Email: "bench@example.com", DisplayName: "Bench", CreatedAt: now}
	if err := s.CreateUser(ctx, u, "unused"); err != nil {
		b.Fatal(err)
	}
	shopID := ids.New("shp")
	if err := s.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: u.ID, Name: "Bench Farm 测试农场", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	en := []string{"rice", "honey", "lipstick", "millet", "tea", "organic", "fragrant", "wild", "black", "red"}
	cn := []string{"五常大米", "蜂蜜", "口红", "小米", "绿茶", "有机", "稻花香", "野生", "黑土", "红枣"}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				title := fmt.Sprintf("%s %s %s %d", en[i%10], en[(i/10)%10], cn[(i/7)%10], i)
				desc := fmt.Sprintf("%s from %s, %s %s", en[(i/3)%10], cn[(i/11)%10], en[(i/13)%10], cn[i%10])
				id, at := ids.New("prd"), now.Add(time.Duration(i)*time.Millisecond)
				err := s.CreateProduct(ctx, catalog.Product{ID: id, ShopID: shopID, Title: title, Description: desc, Tags: []string{},
					Status: catalog.ProductActive, CreatedAt: at, UpdatedAt: at,
					SKUs: []catalog.SKU{{ID: ids.New("sku"), ProductID: id, ShopID: shopID, Code: id, PriceMinor: 100, Currency: "CNY",
						Stock: 1, CreatedAt: at, UpdatedAt: at}}}, u.ID)
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}
