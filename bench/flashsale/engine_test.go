package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/flashsale"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// BenchmarkReservationEngine measures the flash-sale engine alone, without
// HTTP: b.N durable reservations of one hot SKU from 1,000 concurrent
// buyers through flashsale.Service.Reserve on a real store. Every
// reservation is acknowledged only after the batch holding it committed.
//
//	go test ./bench/flashsale -run '^$' -bench ReservationEngine -benchtime 200000x -count 3
func BenchmarkReservationEngine(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d, store.Options{})
			benchEngine(b, s)
		})
	}
}

const engineBuyers = 1000

func benchEngine(b *testing.B, s *store.Store) {
	ctx := context.Background()
	owner, saleSKU, sessionID := seedEngineSale(b, s, b.N)
	buyers := make([]account.Actor, engineBuyers)
	for i := range buyers {
		u := account.User{ID: ids.New("usr"), Email: fmt.Sprintf("engine%d.%s@bench.test", i, ids.Token(4)), DisplayName: "buyer", CreatedAt: time.Now()}
		if err := s.CreateUser(ctx, u, "unused"); err != nil {
			b.Fatal(err)
		}
		buyers[i] = account.Actor{User: &u}
	}
	rooms := room.NewService(room.Config{Repo: s})
	defer rooms.Close()
	// The sale's clock skips its 10 s countdown once the sale exists.
	var skip atomic.Int64
	fs := flashsale.NewService(flashsale.Config{Repo: s, SKUs: s, Rooms: rooms,
		Now: func() time.Time { return time.Now().Add(time.Duration(skip.Load())) }})
	defer fs.Close()
	perUser := min(flashsale.MaxPerUserLimit, b.N/engineBuyers+1)
	sale, err := fs.Create(ctx, owner, sessionID, flashsale.CreateInput{SKUID: saleSKU, PriceMinor: 100, Stock: b.N,
		PerUserLimit: perUser, CountdownSeconds: 10, DurationSeconds: 3600})
	if err != nil {
		b.Fatal(err)
	}
	skip.Store(int64(11 * time.Second))
	var next, ok atomic.Int64
	var firstErr atomic.Pointer[error]
	b.ResetTimer()
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := range engineBuyers {
		wg.Go(func() {
			for k := 0; ; k++ {
				if next.Add(1) > int64(b.N) {
					return
				}
				buyer := buyers[(w+k)%engineBuyers]
				_, _, err := fs.Reserve(ctx, buyer, sale.ID, flashsale.ReserveInput{Quantity: 1, Key: fmt.Sprintf("%d-%d", w, k)})
				if err == nil {
					ok.Add(1)
				} else if firstErr.CompareAndSwap(nil, &err) {
					b.Logf("first refusal: %v", err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(ok.Load())/elapsed.Seconds(), "reservations/s")
	got, err := s.Sale(ctx, sale.ID)
	if err != nil {
		b.Fatal(err)
	}
	if got.Sold != int(ok.Load()) || got.Sold > got.Stock {
		b.Fatalf("sale sold %d of %d, %d acknowledged", got.Sold, got.Stock, ok.Load())
	}
}

// seedEngineSale makes, through the real services, an approved shop with
// one SKU of stock units and a scheduled session with it on the shelf.
func seedEngineSale(b *testing.B, s *store.Store, stock int) (account.Actor, string, string) {
	ctx := context.Background()
	accts := account.NewService(s, time.Now)
	cat := catalog.NewService(s, nil, time.Now)
	newUser := func(name string) account.Actor {
		u, err := accts.SignUp(ctx, account.SignUpInput{Email: name + "." + ids.Token(4) + "@bench.test", Password: "bench-password"})
		if err != nil {
			b.Fatal(err)
		}
		a, err := accts.ActorFor(ctx, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	owner, admin := newUser("owner"), newUser("admin")
	if err := accts.SetAdmin(ctx, account.System(), admin.ID(), true); err != nil {
		b.Fatal(err)
	}
	admin, _ = accts.ActorFor(ctx, admin.ID())
	sh, err := cat.Apply(ctx, owner, catalog.ShopApplication{Name: "Bench farm", Category: "food", Region: "Zhejiang", Programme: "standard"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cat.Review(ctx, admin, sh.ID, true, ""); err != nil {
		b.Fatal(err)
	}
	owner, _ = accts.ActorFor(ctx, owner.ID())
	p, err := cat.CreateProduct(ctx, owner, sh.ID, catalog.NewProduct{Title: "Hot rice",
		SKUs: []catalog.NewSKU{{Code: "HOT", PriceMinor: 1000, Stock: stock}}})
	if err != nil {
		b.Fatal(err)
	}
	rooms := room.NewService(room.Config{Repo: s})
	defer rooms.Close()
	st, err := rooms.Schedule(ctx, owner, sh.ID, room.ScheduleInput{Title: "Bench live", ProductIDs: []string{p.ID}})
	if err != nil {
		b.Fatal(err)
	}
	return owner, p.SKUs[0].ID, st.Session.ID
}
