package store_test

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// Delivered orders whose buyer never confirms receipt are completed a week
// after delivery, once however many nodes sweep, unless the buyer has asked
// for a refund; a refund asked for after the sweep looked stops it.
func TestConformanceAutoComplete(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		sku := w.product(t, owner, shop.ID, "Rice", 1000, 100).SKUs[0].ID
		delivered := func(t *testing.T) order.Order {
			t.Helper()
			o := w.place(t, buyer, sku, 1)
			w.pay(t, buyer, o.ID)
			_, err := w.ord.Ship(ctx, owner, o.ID, order.ShipInput{Carrier: "SF", TrackingNumber: "SF1"})
			must(t, err)
			o, err = w.ord.MarkDelivered(ctx, owner, o.ID)
			must(t, err)
			return o
		}
		quiet := delivered(t)
		asked := delivered(t)
		_, err := w.ord.RequestRefund(ctx, buyer, asked.ID, order.RefundRequestInput{Reason: "damaged"})
		must(t, err)
		answered := delivered(t)
		_, err = w.ord.RequestRefund(ctx, buyer, answered.ID, order.RefundRequestInput{Reason: "changed_mind"})
		must(t, err)
		_, err = w.ord.DeclineRefundRequest(ctx, owner, answered.ID, "fresh food cannot be returned")
		must(t, err)

		w.clock.Advance(order.AutoCompleteAfter - time.Minute)
		if n, err := w.ord.AutoComplete(ctx, 100); err != nil || n != 0 {
			t.Fatalf("completed before a week: %d, %v", n, err)
		}
		w.clock.Advance(2 * time.Minute)
		counts := make([]int, 3)
		together(len(counts), func(i int) {
			n, err := w.ord.AutoComplete(ctx, 100)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
		if counts[0]+counts[1]+counts[2] != 2 {
			t.Fatalf("sweeps completed %v, want 2 in all (the quiet order and the answered one)", counts)
		}
		for _, tt := range []struct {
			id, want string
		}{{quiet.ID, order.Completed}, {answered.ID, order.Completed}, {asked.ID, order.Delivered}} {
			if got := w.order(t, buyer, tt.id); got.Status != tt.want {
				t.Errorf("order %s is %s, want %s", tt.id, got.Status, tt.want)
			}
		}
		h, err := w.ord.History(ctx, buyer, quiet.ID)
		must(t, err)
		if last := h[len(h)-1]; last.To != order.Completed || last.ActorID != "" || last.Note == "" {
			t.Fatalf("the automatic completion's history = %+v", last)
		}

		// A request that lands after the sweep read the order stops it.
		late := delivered(t)
		_, err = w.ord.RequestRefund(ctx, buyer, late.ID, order.RefundRequestInput{Reason: "not_as_described"})
		must(t, err)
		none := ""
		err = s.Transition(ctx, order.Transition{OrderID: late.ID, From: order.Delivered, To: order.Completed, At: w.clock.Now(), IfRefundRequest: &none})
		wantErr(t, err, apperr.Conflict, "")
		if got := w.order(t, buyer, late.ID); got.Status != order.Delivered || got.RefundRequest.Status != order.RefundOpen {
			t.Fatalf("after the stale completion: %s, %+v", got.Status, got.RefundRequest)
		}
	})
}
