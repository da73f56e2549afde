package store_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/payment/sandbox"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

func TestConformancePaymentSplits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		soloHost := w.user(t, "solo@example.com")
		signedHost := w.user(t, "signed@example.com")
		manager := w.user(t, "manager@example.com")

		standard, owner := w.shop(t, owner, admin, "Standard", "standard")
		rural, owner := w.shop(t, owner, admin, "Rural", "rural")
		special, owner := w.shop(t, owner, admin, "Special", "standard")
		override := 250
		_, err := w.cat.SetFeeOverride(ctx, admin, special.ID, &override)
		must(t, err)
		freeOverride := 0
		zero, owner := w.shop(t, owner, admin, "Zero", "standard")
		_, err = w.cat.SetFeeOverride(ctx, admin, zero.ID, &freeOverride)
		must(t, err)

		must(t, w.acct.BecomeHost(ctx, soloHost))
		agency, err := w.mcns.Create(ctx, manager, "Starlight")
		must(t, err)
		_, err = w.mcns.InviteHost(ctx, manager, agency.ID, "signed@example.com", 3000)
		must(t, err)
		must(t, w.mcns.Answer(ctx, signedHost, agency.ID, true))

		// 2 × 123.45 = 246.90 on every line; the host earns 20%.
		products := map[string]catalog.Product{}
		for _, sh := range []catalog.Shop{standard, rural, special, zero} {
			products[sh.ID] = w.productWith(t, owner, sh.ID, catalog.NewProduct{Title: "Rice", CommissionBPS: 2000,
				SKUs: []catalog.NewSKU{{Code: "R", PriceMinor: 12345, Stock: 100}}})
		}
		const total = 24690
		tests := []struct {
			name string
			shop string
			host string
			want order.Split
		}{
			{"standard programme takes 5%", standard.ID, "", order.Split{PlatformFee: 1235, MerchantNet: 23455}},
			{"rural programme takes nothing", rural.ID, "", order.Split{MerchantNet: total}},
			{"shop override wins", special.ID, "", order.Split{PlatformFee: 617, MerchantNet: 24073}},
			{"override of zero wins", zero.ID, "", order.Split{MerchantNet: total}},
			{"host without agency", standard.ID, soloHost.ID(), order.Split{PlatformFee: 1235, HostCommission: 4938, MerchantNet: 18517}},
			{"host with agency, rural", rural.ID, signedHost.ID(), order.Split{HostCommission: 3457, MCNShare: 1481, MerchantNet: 19752}},
			{"host with agency, override", special.ID, signedHost.ID(), order.Split{PlatformFee: 617, HostCommission: 3457, MCNShare: 1481, MerchantNet: 19135}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				attr := order.Attribution{}
				if tt.host != "" {
					attr = order.Attribution{Source: order.SourceLive, HostID: tt.host}
				}
				o, _, err := w.ord.Place(ctx, buyer, order.PlaceInput{Items: []order.Item{{SKUID: products[tt.shop].SKUs[0].ID, Quantity: 2}},
					Address: shipTo(), Attribution: attr}, "")
				must(t, err)
				w.clock.Advance(time.Second)
				pay := w.pay(t, buyer, o.ID)

				got := w.order(t, buyer, o.ID)
				if got.Status != order.Paid || got.PaidAt == nil || !got.PaidAt.Equal(w.clock.Now()) || pay.AmountMinor != total {
					t.Fatalf("paid order = %+v, payment %+v", got, pay)
				}
				l := got.Lines[0]
				if l.Split != tt.want {
					t.Fatalf("split = %+v, want %+v", l.Split, tt.want)
				}
				if sum := l.PlatformFee + l.HostCommission + l.MCNShare + l.MerchantNet; sum != l.LineTotalMinor || sum != total {
					t.Fatalf("parts add to %d, line total %d", sum, l.LineTotalMinor)
				}
				switch tt.host {
				case "":
					if l.Source != order.SourceShop || l.HostID != "" || l.MCNID != "" || l.RoomID != "" {
						t.Fatalf("unattributed line = %+v", l)
					}
				case signedHost.ID():
					if l.Source != order.SourceLive || l.HostID != tt.host || l.RoomID != "" || l.MCNID != agency.ID || l.MCNShareBPS != 3000 {
						t.Fatalf("attributed line = %+v", l)
					}
				default:
					if l.HostID != tt.host || l.MCNID != "" || l.MCNShareBPS != 0 {
						t.Fatalf("solo host's line = %+v", l)
					}
				}
			})
		}

		t.Run("an ended agreement stops the agency's share", func(t *testing.T) {
			must(t, w.mcns.EndAgreement(ctx, manager, agency.ID, signedHost.ID()))
			o, _, err := w.ord.Place(ctx, buyer, order.PlaceInput{Items: []order.Item{{SKUID: products[standard.ID].SKUs[0].ID, Quantity: 2}},
				Address: shipTo(), Attribution: order.Attribution{HostID: signedHost.ID(), Source: order.SourceReplay}}, "")
			must(t, err)
			w.pay(t, buyer, o.ID)
			l := w.order(t, buyer, o.ID).Lines[0]
			want := order.Split{PlatformFee: 1235, HostCommission: 4938, MerchantNet: 18517}
			if l.MCNID != "" || l.Source != order.SourceReplay || l.Split != want {
				t.Fatalf("line after the agreement ended = %+v", l)
			}
		})
	})
}

func TestConformancePaymentEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		provider := w.payer.Name()

		o := w.place(t, buyer, p.SKUs[0].ID, 2)
		pay, err := w.ord.Pay(ctx, buyer, o.ID, provider, "pay-key", "https://shop.example/done")
		must(t, err)
		if pay.Status != order.PaymentPending || pay.AmountMinor != 2000 || pay.Currency != "CNY" ||
			!strings.HasPrefix(pay.PayURL, "http://liveshop.test"+sandbox.PayPath+pay.ID+"?") {
			t.Fatalf("payment = %+v", pay)
		}
		again, err := w.ord.Pay(ctx, buyer, o.ID, provider, "pay-key", "")
		must(t, err)
		if again.ID != pay.ID {
			t.Fatalf("same key made payment %s, want %s", again.ID, pay.ID)
		}
		_, err = w.ord.Pay(ctx, owner, o.ID, provider, "", "")
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.ord.Pay(ctx, buyer, o.ID, "bitcoin", "", "")
		wantErr(t, err, apperr.Invalid, "provider")

		t.Run("bad events change nothing", func(t *testing.T) {
			h, body := w.paymentEvent("e0", pay.ID, true)
			wantErr(t, w.ord.HandleProviderWebhook(ctx, "bitcoin", h, body), apperr.NotFound, "")
			wantErr(t, w.ord.HandleProviderWebhook(ctx, provider, http.Header{}, body), apperr.Unauthorized, "")
			forger := sandbox.New(sandbox.Config{Secret: []byte("not the shop's secret"), Now: w.clock.Now})
			forged := http.Header{}
			forged.Set(sandbox.SignatureHeader, forger.SignEvent(body, w.clock.Now()))
			wantErr(t, w.ord.HandleProviderWebhook(ctx, provider, forged, body), apperr.Unauthorized, "")
			stale := http.Header{}
			stale.Set(sandbox.SignatureHeader, w.payer.SignEvent(body, w.clock.Now().Add(-time.Hour)))
			wantErr(t, w.ord.HandleProviderWebhook(ctx, provider, stale, body), apperr.Unauthorized, "")
			garbage := http.Header{}
			garbage.Set(sandbox.SignatureHeader, w.payer.SignEvent([]byte("{"), w.clock.Now()))
			wantErr(t, w.ord.HandleProviderWebhook(ctx, provider, garbage, []byte("{")), apperr.Invalid, "")
			wantErr(t, w.confirm(ctx, "e0", "pay_missing", true), apperr.NotFound, "")
			if got := w.order(t, buyer, o.ID); got.Status != order.PendingPayment {
				t.Fatalf("order = %s", got.Status)
			}
		})

		t.Run("a failed payment leaves the order payable", func(t *testing.T) {
			must(t, w.confirm(ctx, "e-fail", pay.ID, false))
			wantErr(t, w.confirm(ctx, "e-fail", pay.ID, false), apperr.Conflict, "")
			// The failed attempt cannot succeed later.
			wantErr(t, w.confirm(ctx, "e-late", pay.ID, true), apperr.Conflict, "")
			pays, err := w.ord.Payments(ctx, buyer, o.ID)
			must(t, err)
			if len(pays) != 1 || pays[0].Status != order.PaymentFailed {
				t.Fatalf("payments = %+v", pays)
			}
			if got := w.order(t, buyer, o.ID); got.Status != order.PendingPayment {
				t.Fatalf("order after a failed payment = %s", got.Status)
			}
		})

		w.clock.Advance(time.Minute)
		retry, err := w.ord.Pay(ctx, buyer, o.ID, provider, "pay-key-2", "")
		must(t, err)
		eventHeader, event := w.paymentEvent("e-ok", retry.ID, true)
		must(t, w.ord.HandleProviderWebhook(ctx, provider, eventHeader, event))
		paid := w.order(t, buyer, o.ID)
		history, _ := w.ord.History(ctx, buyer, o.ID)
		if paid.Status != order.Paid || !paid.PaidAt.Equal(w.clock.Now()) || len(history) != 2 || history[1].To != order.Paid || history[1].Note != "payment "+retry.ID {
			t.Fatalf("paid order = %+v, history %+v", paid, history)
		}

		t.Run("a replayed event is refused and changes nothing", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			wantErr(t, w.ord.HandleProviderWebhook(ctx, provider, eventHeader, event), apperr.Conflict, "")
			got := w.order(t, buyer, o.ID)
			if got.Status != order.Paid || !got.PaidAt.Equal(*paid.PaidAt) || !got.UpdatedAt.Equal(paid.UpdatedAt) || got.Lines[0].Split != paid.Lines[0].Split {
				t.Fatalf("order after replay = %+v, want %+v", got, paid)
			}
			h, _ := w.ord.History(ctx, buyer, o.ID)
			pays, _ := w.ord.Payments(ctx, buyer, o.ID)
			if len(h) != 2 || len(pays) != 2 || pays[1].Status != order.PaymentSucceeded || !pays[1].UpdatedAt.Equal(paid.UpdatedAt) {
				t.Fatalf("replay changed history %+v or payments %+v", h, pays)
			}
			_, err := w.ord.Pay(ctx, buyer, o.ID, provider, "pay-key-3", "")
			wantErr(t, err, apperr.Conflict, "")
		})

		t.Run("concurrent deliveries of one event apply once", func(t *testing.T) {
			o := w.place(t, buyer, p.SKUs[0].ID, 1)
			pay, err := w.ord.Pay(ctx, buyer, o.ID, provider, "", "")
			must(t, err)
			errs := make(chan error, 8)
			for range 8 {
				go func() { errs <- w.confirm(ctx, "dup", pay.ID, true) }()
			}
			ok := 0
			for range 8 {
				if err := <-errs; err == nil {
					ok++
				} else if !apperr.Is(err, apperr.Conflict) {
					t.Fatalf("duplicate delivery: %v", err)
				}
			}
			h, _ := w.ord.History(ctx, buyer, o.ID)
			if ok != 1 || len(h) != 2 {
				t.Fatalf("%d deliveries applied, history %+v", ok, h)
			}
		})
	})
}

func TestConformanceOrderLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		staff := w.user(t, "staff@example.com")
		rival := w.user(t, "rival@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		_, rival = w.shop(t, rival, admin, "Rival", "standard")
		inv, err := w.cat.Invite(ctx, owner, shop.ID, "staff@example.com")
		must(t, err)
		must(t, w.cat.AnswerInvitation(ctx, staff, inv.ID, true))
		staff = w.actor(t, staff.ID())
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		sku := p.SKUs[0].ID
		ship := order.ShipInput{Carrier: "SF Express", TrackingNumber: "SF123"}

		t.Run("shipping needs a paid order", func(t *testing.T) {
			o := w.place(t, buyer, sku, 1)
			_, err := w.ord.Ship(ctx, owner, o.ID, ship)
			wantErr(t, err, apperr.Conflict, "")
			_, err = w.ord.MarkDelivered(ctx, owner, o.ID)
			wantErr(t, err, apperr.Conflict, "")
			_, err = w.ord.Refund(ctx, owner, o.ID, "")
			wantErr(t, err, apperr.Conflict, "")
			if got := w.order(t, buyer, o.ID); got.Status != order.PendingPayment || got.Carrier != "" {
				t.Fatalf("order = %+v", got)
			}
		})

		o := w.place(t, buyer, sku, 3)
		w.pay(t, buyer, o.ID)

		t.Run("only the shop ships", func(t *testing.T) {
			_, err := w.ord.Ship(ctx, buyer, o.ID, ship)
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.ord.Ship(ctx, rival, o.ID, ship)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Ship(ctx, owner, o.ID, order.ShipInput{TrackingNumber: "SF123"})
			wantErr(t, err, apperr.Invalid, "carrier")
			_, err = w.ord.Ship(ctx, owner, o.ID, order.ShipInput{Carrier: "SF"})
			wantErr(t, err, apperr.Invalid, "tracking_number")
			_, err = w.ord.Refund(ctx, rival, o.ID, "")
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Refund(ctx, buyer, o.ID, "")
			wantErr(t, err, apperr.Forbidden, "")
		})

		w.clock.Advance(time.Hour)
		shipped, err := w.ord.Ship(ctx, staff, o.ID, order.ShipInput{Carrier: " SF Express ", TrackingNumber: " SF123 "})
		must(t, err)
		if shipped.Status != order.Shipped || shipped.Carrier != "SF Express" || shipped.TrackingNumber != "SF123" || !shipped.ShippedAt.Equal(w.clock.Now()) {
			t.Fatalf("shipped order = %+v", shipped)
		}
		_, err = w.ord.Ship(ctx, owner, o.ID, ship)
		wantErr(t, err, apperr.Conflict, "")
		_, err = w.ord.Complete(ctx, buyer, o.ID)
		wantErr(t, err, apperr.Conflict, "")
		_, err = w.ord.MarkDelivered(ctx, buyer, o.ID)
		wantErr(t, err, apperr.Forbidden, "")

		w.clock.Advance(48 * time.Hour)
		delivered, err := w.ord.MarkDelivered(ctx, owner, o.ID)
		must(t, err)
		if delivered.Status != order.Delivered || !delivered.DeliveredAt.Equal(w.clock.Now()) || delivered.Carrier != "SF Express" {
			t.Fatalf("delivered order = %+v", delivered)
		}
		_, err = w.ord.Complete(ctx, owner, o.ID)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.ord.Cancel(ctx, buyer, o.ID, "")
		wantErr(t, err, apperr.Conflict, "")
		completed, err := w.ord.Complete(ctx, buyer, o.ID)
		must(t, err)
		if completed.Status != order.Completed || completed.CompletedAt == nil {
			t.Fatalf("completed order = %+v", completed)
		}
		_, err = w.ord.Refund(ctx, owner, o.ID, "")
		wantErr(t, err, apperr.Conflict, "")

		h, err := w.ord.History(ctx, owner, o.ID)
		must(t, err)
		var steps []string
		for _, c := range h {
			steps = append(steps, c.From+">"+c.To)
		}
		want := []string{">pending_payment", "pending_payment>paid", "paid>shipped", "shipped>delivered", "delivered>completed"}
		if !slices.Equal(steps, want) || h[2].ActorID != staff.ID() || h[4].ActorID != buyer.ID() || h[1].ActorID != "" {
			t.Fatalf("history = %v (%+v)", steps, h)
		}
		if got := w.stock(t, owner, p, 0); got != 96 {
			t.Fatalf("stock = %d, want 96", got)
		}

		t.Run("refund before shipping restocks", func(t *testing.T) {
			o := w.place(t, buyer, sku, 5)
			pay := w.pay(t, buyer, o.ID)
			before := w.stock(t, owner, p, 0)
			got, err := w.ord.Refund(ctx, staff, o.ID, "buyer asked")
			must(t, err)
			if got.Status != order.Refunded || got.RefundedAt == nil {
				t.Fatalf("refunded order = %+v", got)
			}
			if w.stock(t, owner, p, 0) != before+5 {
				t.Fatalf("stock = %d, want %d", w.stock(t, owner, p, 0), before+5)
			}
			m := w.movements(t, owner, sku)[0]
			if m.Reason != catalog.ReasonRestock || m.Delta != 5 || m.Ref != o.ID || m.ActorID != staff.ID() {
				t.Fatalf("restock movement = %+v", m)
			}
			pays, _ := w.ord.Payments(ctx, buyer, o.ID)
			if len(pays) != 1 || pays[0].ID != pay.ID || pays[0].Status != order.PaymentRefunded {
				t.Fatalf("payments after refund = %+v", pays)
			}
			_, err = w.ord.Refund(ctx, owner, o.ID, "again")
			wantErr(t, err, apperr.Conflict, "")
			if w.stock(t, owner, p, 0) != before+5 {
				t.Fatal("second refund restocked again")
			}
		})

		t.Run("refund after shipping keeps stock", func(t *testing.T) {
			o := w.place(t, buyer, sku, 2)
			w.pay(t, buyer, o.ID)
			_, err := w.ord.Ship(ctx, owner, o.ID, ship)
			must(t, err)
			before := w.stock(t, owner, p, 0)
			got, err := w.ord.Refund(ctx, owner, o.ID, "lost in the post")
			must(t, err)
			if got.Status != order.Refunded || w.stock(t, owner, p, 0) != before {
				t.Fatalf("refunded shipped order = %+v, stock %d want %d", got.Status, w.stock(t, owner, p, 0), before)
			}
			if m := w.movements(t, owner, sku)[0]; m.Reason == catalog.ReasonRestock && m.Ref == o.ID {
				t.Fatalf("shipped goods were restocked: %+v", m)
			}
		})

		t.Run("admins may act for any shop", func(t *testing.T) {
			o := w.place(t, buyer, sku, 1)
			w.pay(t, buyer, o.ID)
			if _, err := w.ord.Ship(ctx, admin, o.ID, ship); err != nil {
				t.Fatalf("admin ships: %v", err)
			}
			list, err := w.ord.ListOrders(ctx, admin, order.Filter{ShopID: shop.ID, Status: order.Shipped})
			must(t, err)
			if len(list) != 1 || list[0].ID != o.ID {
				t.Fatalf("shipped orders = %d", len(list))
			}
			_, err = w.ord.ListOrders(ctx, rival, order.Filter{ShopID: shop.ID})
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.ord.ListOrders(ctx, account.Actor{}, order.Filter{})
			wantErr(t, err, apperr.Unauthorized, "")
		})
	})
}
