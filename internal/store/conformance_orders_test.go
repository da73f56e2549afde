package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestConformancePlaceOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		stranger := w.user(t, "stranger@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice Shop", "standard")
		otherShop, owner := w.shop(t, owner, admin, "Tea Shop", "standard")
		rice := w.productWith(t, owner, shop.ID, catalog.NewProduct{Title: "五常大米", CommissionBPS: 1000, SKUs: []catalog.NewSKU{
			{Code: "R5", PriceMinor: 1250, Stock: 10, Attributes: map[string]string{"weight": "5kg"}},
			{Code: "R10", PriceMinor: 2300, Stock: 4},
		}})
		r5, r10 := rice.SKUs[0].ID, rice.SKUs[1].ID
		tea := w.product(t, owner, otherShop.ID, "Tea", 500, 10)
		archived := w.product(t, owner, shop.ID, "Old rice", 100, 10)
		st := catalog.ProductArchived
		_, err := w.cat.UpdateProduct(ctx, owner, archived.ID, catalog.ProductUpdate{Status: &st})
		must(t, err)

		home, err := w.ord.AddAddress(ctx, buyer, *shipTo())
		must(t, err)
		work := *shipTo()
		work.Line1, work.Country = "99 Office Tower", "cn"
		work2, err := w.ord.AddAddress(ctx, buyer, work)
		must(t, err)
		addrs, err := w.ord.Addresses(ctx, buyer)
		must(t, err)
		if len(addrs) != 2 || addrs[0].ID != home.ID || !addrs[0].IsDefault || addrs[1].IsDefault || addrs[1].Country != "CN" {
			t.Fatalf("addresses = %+v, want home (default) then work", addrs)
		}
		if theirs, _ := w.ord.Addresses(ctx, stranger); len(theirs) != 0 {
			t.Fatalf("stranger sees addresses %+v", theirs)
		}

		o, created, err := w.ord.Place(ctx, buyer, order.PlaceInput{
			Items:     []order.Item{{SKUID: r5, Quantity: 3}, {SKUID: r10, Quantity: 1}},
			AddressID: work2.ID,
		}, "")
		must(t, err)
		if !created || o.Status != order.PendingPayment || o.UserID != buyer.ID() || o.ShopID != shop.ID || o.Currency != "CNY" ||
			o.TotalMinor != 3*1250+2300 || !o.ExpiresAt.Equal(w.clock.Now().Add(paymentWindow)) || !o.CreatedAt.Equal(w.clock.Now()) ||
			o.ShipTo.Line1 != "99 Office Tower" || o.PaidAt != nil || len(o.Lines) != 2 {
			t.Fatalf("placed order = %+v", o)
		}
		l := o.Lines[0]
		if l.SKUID != r5 || l.ProductID != rice.ID || l.Title != "五常大米" || l.SKUAttributes["weight"] != "5kg" || l.UnitPriceMinor != 1250 ||
			l.Quantity != 3 || l.LineTotalMinor != 3750 || l.CommissionBPS != 1000 || l.Source != order.SourceShop || l.HostID != "" || l.OrderID != o.ID {
			t.Fatalf("first line = %+v", l)
		}

		t.Run("stock is reserved with an audit trail", func(t *testing.T) {
			if got := w.stock(t, owner, rice, 0); got != 7 {
				t.Fatalf("R5 stock = %d, want 7", got)
			}
			if got := w.stock(t, owner, rice, 1); got != 3 {
				t.Fatalf("R10 stock = %d, want 3", got)
			}
			m := w.movements(t, owner, r5)[0]
			if m.Reason != catalog.ReasonReserve || m.Delta != -3 || m.StockAfter != 7 || m.Ref != o.ID || m.ActorID != buyer.ID() {
				t.Fatalf("reserve movement = %+v", m)
			}
			h, err := w.ord.History(ctx, buyer, o.ID)
			must(t, err)
			if len(h) != 1 || h[0].From != "" || h[0].To != order.PendingPayment || h[0].ActorID != buyer.ID() {
				t.Fatalf("history = %+v", h)
			}
		})

		t.Run("bad items are refused and reserve nothing", func(t *testing.T) {
			item := func(sku string, qty int) order.Item { return order.Item{SKUID: sku, Quantity: qty} }
			tests := []struct {
				name  string
				in    order.PlaceInput
				field string
			}{
				{"no items", order.PlaceInput{Address: shipTo()}, "items"},
				{"quantity 0", order.PlaceInput{Items: []order.Item{item(r5, 0)}, Address: shipTo()}, "items[0].quantity"},
				{"negative quantity", order.PlaceInput{Items: []order.Item{item(r10, 1), item(r5, -1)}, Address: shipTo()}, "items[1].quantity"},
				{"above stock", order.PlaceInput{Items: []order.Item{item(r5, 8)}, Address: shipTo()}, "items[0].quantity"},
				{"second above stock", order.PlaceInput{Items: []order.Item{item(r5, 7), item(r10, 4)}, Address: shipTo()}, "items[1].quantity"},
				{"unknown SKU", order.PlaceInput{Items: []order.Item{item("sku_missing", 1)}, Address: shipTo()}, "items[0].sku_id"},
				{"second unknown", order.PlaceInput{Items: []order.Item{item(r5, 1), item("sku_missing", 1)}, Address: shipTo()}, "items[1].sku_id"},
				{"no SKU id", order.PlaceInput{Items: []order.Item{item("", 1)}, Address: shipTo()}, "items[0].sku_id"},
				{"SKU twice", order.PlaceInput{Items: []order.Item{item(r5, 1), item(r5, 1)}, Address: shipTo()}, "items[1].sku_id"},
				{"archived product", order.PlaceInput{Items: []order.Item{item(archived.SKUs[0].ID, 1)}, Address: shipTo()}, "items[0].sku_id"},
				{"two shops", order.PlaceInput{Items: []order.Item{item(r5, 1), item(tea.SKUs[0].ID, 1)}, Address: shipTo()}, "items"},
				{"no address", order.PlaceInput{Items: []order.Item{item(r5, 1)}}, "address"},
				{"unknown address", order.PlaceInput{Items: []order.Item{item(r5, 1)}, AddressID: "adr_missing"}, "address_id"},
				{"bad address", order.PlaceInput{Items: []order.Item{item(r5, 1)}, Address: &order.Address{Name: "x"}}, "address.phone"},
				{"unknown host", order.PlaceInput{Items: []order.Item{item(r5, 1)}, Address: shipTo(), Attribution: order.Attribution{HostID: buyer.ID()}}, "attribution.host_id"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, _, err := w.ord.Place(ctx, buyer, tt.in, "")
					wantErr(t, err, apperr.Invalid, tt.field)
				})
			}
			_, _, err := w.ord.Place(ctx, buyer, order.PlaceInput{Items: []order.Item{item(r5, 1)}, AddressID: home.ID}, "")
			if err != nil {
				t.Fatalf("the buyer's own address: %v", err)
			}
			_, _, err = w.ord.Place(ctx, stranger, order.PlaceInput{Items: []order.Item{item(r5, 1)}, AddressID: home.ID}, "")
			wantErr(t, err, apperr.Invalid, "address_id")
			if got := w.stock(t, owner, rice, 0); got != 6 {
				t.Fatalf("R5 stock = %d, want 6 (7 less the one good order)", got)
			}
		})

		t.Run("idempotency key", func(t *testing.T) {
			in := order.PlaceInput{Items: []order.Item{{SKUID: tea.SKUs[0].ID, Quantity: 2}}, Address: shipTo()}
			first, created, err := w.ord.Place(ctx, buyer, in, "key-1")
			must(t, err)
			if !created {
				t.Fatal("first use of a key: created = false")
			}
			again, created, err := w.ord.Place(ctx, buyer, in, "key-1")
			must(t, err)
			if created || again.ID != first.ID || again.TotalMinor != first.TotalMinor || len(again.Lines) != 1 {
				t.Fatalf("retry = %s created=%v, want %s created=false", again.ID, created, first.ID)
			}
			different := order.PlaceInput{Items: []order.Item{{SKUID: tea.SKUs[0].ID, Quantity: 1}}, Address: shipTo()}
			_, _, err = w.ord.Place(ctx, buyer, different, "key-1")
			wantErr(t, err, apperr.Invalid, "Idempotency-Key")
			if got := w.stock(t, owner, tea, 0); got != 8 {
				t.Fatalf("tea stock = %d, want 8: only the first request reserves", got)
			}
			// Keys belong to a buyer: another buyer's "key-1" is a new order.
			theirs, created, err := w.ord.Place(ctx, stranger, in, "key-1")
			must(t, err)
			if !created || theirs.ID == first.ID || theirs.UserID != stranger.ID() {
				t.Fatalf("stranger's order with the same key = %+v created=%v", theirs, created)
			}
		})

		t.Run("a viewer never sees another user's order", func(t *testing.T) {
			_, err := w.ord.Order(ctx, stranger, o.ID)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.History(ctx, stranger, o.ID)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Payments(ctx, stranger, o.ID)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Cancel(ctx, stranger, o.ID, "")
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Pay(ctx, stranger, o.ID, w.payer.Name(), "", "")
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Order(ctx, account.Actor{}, o.ID)
			wantErr(t, err, apperr.Unauthorized, "")
			_, err = w.ord.ListOrders(ctx, stranger, order.Filter{ShopID: shop.ID})
			wantErr(t, err, apperr.Forbidden, "")
			theirs, err := w.ord.ListOrders(ctx, stranger, order.Filter{})
			must(t, err)
			for _, x := range theirs {
				if x.UserID != stranger.ID() {
					t.Fatalf("stranger lists %s's order %s", x.UserID, x.ID)
				}
			}
			if got := w.order(t, owner, o.ID); got.ID != o.ID {
				t.Fatalf("the shop cannot see its order")
			}
		})

		t.Run("listing", func(t *testing.T) {
			mine, err := w.ord.ListOrders(ctx, buyer, order.Filter{})
			must(t, err)
			if len(mine) != 3 || mine[2].ID != o.ID || len(mine[2].Lines) != 2 {
				t.Fatalf("buyer's orders = %d, want 3 with the first last", len(mine))
			}
			shops, err := w.ord.ListOrders(ctx, owner, order.Filter{ShopID: shop.ID, Status: order.PendingPayment})
			must(t, err)
			if len(shops) != 2 {
				t.Fatalf("rice shop's pending orders = %d, want 2", len(shops))
			}
			page, err := w.ord.ListOrders(ctx, buyer, order.Filter{Cursor: mine[0].ID, Limit: 1})
			must(t, err)
			if len(page) != 1 || page[0].ID != mine[1].ID {
				t.Fatalf("page after %s = %v", mine[0].ID, page)
			}
			_, err = w.ord.ListOrders(ctx, buyer, order.Filter{Status: "lost"})
			wantErr(t, err, apperr.Invalid, "status")
		})
	})
}

func TestConformanceConcurrentOrdersNeverOversell(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Hot Deals", "standard")
		p := w.product(t, owner, shop.ID, "Last units", 990, 10)
		sku := p.SKUs[0].ID

		const buyers = 30
		var (
			wg       sync.WaitGroup
			start    = make(chan struct{})
			mu       sync.Mutex
			placed   []string
			refusals []error
		)
		for range buyers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				o, _, err := w.ord.Place(ctx, buyer, order.PlaceInput{Items: []order.Item{{SKUID: sku, Quantity: 1}}, Address: shipTo()}, "")
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					refusals = append(refusals, err)
					return
				}
				placed = append(placed, o.ID)
			}()
		}
		close(start)
		wg.Wait()

		if len(placed) != 10 || len(refusals) != buyers-10 {
			t.Fatalf("%d orders placed, %d refused; want exactly 10 placed: %v", len(placed), len(refusals), refusals)
		}
		for _, err := range refusals {
			// Refused either by the service's stock check (Invalid) or by
			// the store's guarded decrement (Conflict); never internally.
			e, ok := apperr.As(err)
			if !ok || e.Field != "items[0].quantity" || (e.Code != apperr.Conflict && e.Code != apperr.Invalid) {
				t.Fatalf("refusal = %v, want Conflict or Invalid on items[0].quantity", err)
			}
		}
		if got := w.stock(t, owner, p, 0); got != 0 {
			t.Fatalf("stock = %d, want 0", got)
		}
		ms := w.movements(t, owner, sku)
		reserved, after := 0, map[int]bool{}
		for _, m := range ms {
			if m.Reason == catalog.ReasonReserve {
				reserved++
				after[m.StockAfter] = true
			}
		}
		if reserved != 10 || len(after) != 10 {
			t.Fatalf("%d reserve movements with %d distinct stock_after values, want 10 and 10 (0..9)", reserved, len(after))
		}
		orders, err := w.ord.ListOrders(ctx, buyer, order.Filter{})
		must(t, err)
		if len(orders) != 10 {
			t.Fatalf("buyer has %d orders, want 10", len(orders))
		}
	})
}

func TestConformanceConcurrentIdempotentRetries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Retry Shop", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 990, 100)
		in := order.PlaceInput{Items: []order.Item{{SKUID: p.SKUs[0].ID, Quantity: 2}}, Address: shipTo()}

		// A client retrying one request on several connections at once
		// gets one order, created once.
		const retries = 12
		var (
			wg       sync.WaitGroup
			start    = make(chan struct{})
			mu       sync.Mutex
			orderIDs = map[string]bool{}
			created  int
		)
		for range retries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				o, c, err := w.ord.Place(ctx, buyer, in, "double-click")
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("retry: %v", err)
					return
				}
				orderIDs[o.ID] = true
				if c {
					created++
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(orderIDs) != 1 || created != 1 {
			t.Fatalf("%d distinct orders, %d created; want 1 and 1", len(orderIDs), created)
		}
		if got := w.stock(t, owner, p, 0); got != 98 {
			t.Fatalf("stock = %d, want 98", got)
		}
	})
}

func TestConformanceCheckout(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		riceShop, owner := w.shop(t, owner, admin, "Rice", "rural")
		teaShop, owner := w.shop(t, owner, admin, "Tea", "standard")
		rice := w.product(t, owner, riceShop.ID, "Rice", 1000, 5)
		noodles := w.product(t, owner, riceShop.ID, "Noodles", 300, 50)
		tea := w.product(t, owner, teaShop.ID, "Tea", 4500, 3)

		_, err := w.ord.Checkout(ctx, buyer, order.PlaceInput{Address: shipTo()}, "")
		wantErr(t, err, apperr.Invalid, "cart")
		_, err = w.ord.SetCartItem(ctx, buyer, rice.SKUs[0].ID, 6)
		wantErr(t, err, apperr.Invalid, "quantity")
		_, err = w.ord.SetCartItem(ctx, buyer, "sku_missing", 1)
		wantErr(t, err, apperr.Invalid, "sku_id")

		_, err = w.ord.SetCartItem(ctx, buyer, rice.SKUs[0].ID, 1)
		must(t, err)
		w.clock.Advance(time.Second)
		_, err = w.ord.SetCartItem(ctx, buyer, tea.SKUs[0].ID, 3)
		must(t, err)
		w.clock.Advance(time.Second)
		_, err = w.ord.SetCartItem(ctx, buyer, noodles.SKUs[0].ID, 10)
		must(t, err)
		cart, err := w.ord.SetCartItem(ctx, buyer, rice.SKUs[0].ID, 2) // changes the quantity, keeps the place
		must(t, err)
		if len(cart) != 3 || cart[0].SKUID != rice.SKUs[0].ID || cart[0].Quantity != 2 || cart[0].Stock != 5 || cart[0].PriceMinor != 1000 ||
			cart[0].Title != "Rice" || cart[0].ShopID != riceShop.ID || cart[1].SKUID != tea.SKUs[0].ID || cart[2].Quantity != 10 {
			t.Fatalf("cart = %+v", cart)
		}
		cart, err = w.ord.SetCartItem(ctx, buyer, noodles.SKUs[0].ID, 0)
		must(t, err)
		if len(cart) != 2 {
			t.Fatalf("cart after removing noodles = %+v", cart)
		}

		orders, err := w.ord.Checkout(ctx, buyer, order.PlaceInput{Address: shipTo()}, "checkout-1")
		must(t, err)
		if len(orders) != 2 {
			t.Fatalf("checkout made %d orders, want one per shop", len(orders))
		}
		byShop := map[string]order.Order{}
		for _, o := range orders {
			byShop[o.ShopID] = o
		}
		if o := byShop[riceShop.ID]; o.TotalMinor != 2000 || len(o.Lines) != 1 || o.Lines[0].Quantity != 2 {
			t.Fatalf("rice order = %+v", o)
		}
		if o := byShop[teaShop.ID]; o.TotalMinor != 13500 || len(o.Lines) != 1 {
			t.Fatalf("tea order = %+v", o)
		}
		if cart, _ := w.ord.Cart(ctx, buyer); len(cart) != 0 {
			t.Fatalf("cart after checkout = %+v", cart)
		}
		if w.stock(t, owner, rice, 0) != 3 || w.stock(t, owner, tea, 0) != 0 || w.stock(t, owner, noodles, 0) != 50 {
			t.Fatal("checkout reserved the wrong stock")
		}
		mine, _ := w.ord.ListOrders(ctx, buyer, order.Filter{})
		if len(mine) != 2 {
			t.Fatalf("buyer has %d orders", len(mine))
		}

		t.Run("an item out of stock keeps the whole cart", func(t *testing.T) {
			_, err := w.ord.SetCartItem(ctx, buyer, rice.SKUs[0].ID, 3)
			must(t, err)
			w.clock.Advance(time.Second)
			_, err = w.ord.SetCartItem(ctx, buyer, noodles.SKUs[0].ID, 1)
			must(t, err)
			_, err = w.cat.AdjustStock(ctx, owner, rice.SKUs[0].ID, -1, "spilt")
			must(t, err)
			_, err = w.ord.Checkout(ctx, buyer, order.PlaceInput{Address: shipTo()}, "")
			wantErr(t, err, apperr.Invalid, "items[0].quantity")
			cart, _ := w.ord.Cart(ctx, buyer)
			if len(cart) != 2 || w.stock(t, owner, noodles, 0) != 50 {
				t.Fatalf("refused checkout changed the cart %+v or stock", cart)
			}
		})
	})
}

func TestConformanceCancelAndExpiry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 10)
		sku := p.SKUs[0].ID
		releases := func(t *testing.T, orderID string) int {
			n := 0
			for _, m := range w.movements(t, owner, sku) {
				if m.Reason == catalog.ReasonRelease && m.Ref == orderID {
					n++
				}
			}
			return n
		}

		t.Run("cancel returns stock once", func(t *testing.T) {
			o := w.place(t, buyer, sku, 4)
			_, err := w.ord.Cancel(ctx, buyer, o.ID, strings.Repeat("x", 201))
			wantErr(t, err, apperr.Invalid, "reason")
			w.clock.Advance(time.Minute)
			got, err := w.ord.Cancel(ctx, buyer, o.ID, "  changed my mind ")
			must(t, err)
			if got.Status != order.Cancelled || got.CancelReason != "changed my mind" || got.CancelledAt == nil || !got.CancelledAt.Equal(w.clock.Now()) {
				t.Fatalf("cancelled order = %+v", got)
			}
			if w.stock(t, owner, p, 0) != 10 || releases(t, o.ID) != 1 {
				t.Fatal("cancel did not return the stock exactly once")
			}
			_, err = w.ord.Cancel(ctx, buyer, o.ID, "again")
			wantErr(t, err, apperr.Conflict, "")
			_, err = w.ord.Cancel(ctx, owner, o.ID, "again")
			wantErr(t, err, apperr.Conflict, "")
			if w.stock(t, owner, p, 0) != 10 || releases(t, o.ID) != 1 {
				t.Fatal("a second cancel returned stock again")
			}
			h, err := w.ord.History(ctx, buyer, o.ID)
			must(t, err)
			if len(h) != 2 || h[1].From != order.PendingPayment || h[1].To != order.Cancelled || h[1].Note != "changed my mind" || h[1].ActorID != buyer.ID() {
				t.Fatalf("history = %+v", h)
			}
		})

		t.Run("the shop may cancel an unpaid order", func(t *testing.T) {
			o := w.place(t, buyer, sku, 1)
			got, err := w.ord.Cancel(ctx, owner, o.ID, "out of season")
			must(t, err)
			if got.Status != order.Cancelled || w.stock(t, owner, p, 0) != 10 {
				t.Fatalf("shop cancel = %+v", got)
			}
		})

		t.Run("expiry", func(t *testing.T) {
			old := w.place(t, buyer, sku, 3)
			w.clock.Advance(paymentWindow / 2)
			young := w.place(t, buyer, sku, 2)
			if w.stock(t, owner, p, 0) != 5 {
				t.Fatal("orders did not reserve")
			}
			// At the very end of the window the order still holds its stock.
			w.clock.Advance(paymentWindow / 2)
			n, err := w.ord.ExpireUnpaid(ctx, 100)
			must(t, err)
			if n != 0 {
				t.Fatalf("expired %d orders at the end of the window, want 0", n)
			}
			w.clock.Advance(time.Millisecond)
			_, err = w.ord.Pay(ctx, buyer, old.ID, w.payer.Name(), "", "")
			wantErr(t, err, apperr.Conflict, "")
			n, err = w.ord.ExpireUnpaid(ctx, 100)
			must(t, err)
			if n != 1 {
				t.Fatalf("expired %d orders, want the old one", n)
			}
			got := w.order(t, buyer, old.ID)
			if got.Status != order.Cancelled || got.CancelReason != "payment window closed" || !got.CancelledAt.Equal(w.clock.Now()) {
				t.Fatalf("expired order = %+v", got)
			}
			if w.order(t, buyer, young.ID).Status != order.PendingPayment {
				t.Fatal("the young order expired too")
			}
			if w.stock(t, owner, p, 0) != 8 || releases(t, old.ID) != 1 {
				t.Fatalf("stock = %d after expiry, want 8 released once", w.stock(t, owner, p, 0))
			}
			// Expiring again, or cancelling, returns nothing twice.
			n, err = w.ord.ExpireUnpaid(ctx, 100)
			must(t, err)
			_, cerr := w.ord.Cancel(ctx, buyer, old.ID, "")
			wantErr(t, cerr, apperr.Conflict, "")
			if n != 0 || w.stock(t, owner, p, 0) != 8 || releases(t, old.ID) != 1 {
				t.Fatalf("second expiry: %d expired, stock %d", n, w.stock(t, owner, p, 0))
			}
			h, _ := w.ord.History(ctx, buyer, old.ID)
			if len(h) != 2 || h[1].ActorID != "" || h[1].Note != "payment window closed" {
				t.Fatalf("expired order's history = %+v", h)
			}
		})

		t.Run("concurrent expiry returns stock once", func(t *testing.T) {
			var placed []string
			for range 5 {
				placed = append(placed, w.place(t, buyer, sku, 1).ID)
			}
			before := w.stock(t, owner, p, 0)
			w.clock.Advance(paymentWindow * 3)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := w.ord.ExpireUnpaid(ctx, 100)
					if err != nil {
						t.Errorf("expire: %v", err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			// The young order of the previous subtest expires here too.
			if total != 6 {
				t.Fatalf("%d expiries, want 6", total)
			}
			if got := w.stock(t, owner, p, 0); got != before+5+2 {
				t.Fatalf("stock = %d, want %d", got, before+7)
			}
			for _, id := range placed {
				if releases(t, id) != 1 {
					t.Fatalf("order %s released %d times", id, releases(t, id))
				}
			}
		})

		t.Run("a payment racing expiry is never lost", func(t *testing.T) {
			// Payments begun inside the window are confirmed by the provider
			// after it closed, while the expiry job runs.
			const n = 8
			var pays []order.Payment
			var placed []string
			for range n {
				o := w.place(t, buyer, sku, 1)
				pay, err := w.ord.Pay(ctx, buyer, o.ID, w.payer.Name(), "", "")
				must(t, err)
				placed, pays = append(placed, o.ID), append(pays, pay)
			}
			before := w.stock(t, owner, p, 0)
			w.clock.Advance(paymentWindow + time.Second)
			var wg sync.WaitGroup
			for i := range pays {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := w.confirm(ctx, "race-"+pays[i].ID, pays[i].ID, true)
					if err != nil && !apperr.Is(err, apperr.Conflict) {
						t.Errorf("confirm %s: %v", pays[i].ID, err)
					}
				}()
			}
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := w.ord.ExpireUnpaid(ctx, 100); err != nil {
						t.Errorf("expire: %v", err)
					}
				}()
			}
			wg.Wait()
			if _, err := w.ord.ExpireUnpaid(ctx, 100); err != nil {
				t.Fatal(err)
			}
			cancelled := 0
			for _, id := range placed {
				o := w.order(t, buyer, id)
				switch {
				case o.Status == order.Paid && releases(t, id) == 0:
				case o.Status == order.Cancelled && releases(t, id) == 1:
					cancelled++
				default:
					t.Fatalf("order %s ended %s with %d releases", id, o.Status, releases(t, id))
				}
			}
			if got := w.stock(t, owner, p, 0); got != before+cancelled {
				t.Fatalf("stock = %d, want %d + %d cancelled", got, before, cancelled)
			}
		})
	})
}
