package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
	"github.com/liveshop/liveshop/internal/webhook"
)

// A buyer's refund request: the shop declines it, the buyer asks again,
// the shop refunds (approving it); another the shop leaves unanswered is
// refunded by the runner once its 48 hours are up, exactly once however
// many nodes run it. Merchants get each step as a webhook.
func TestConformanceRefundRequests(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		other := w.user(t, "other@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		sku := p.SKUs[0].ID
		hook, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: "https://merchant.example/hooks",
			Events: []string{order.EventRefundRequested, order.EventRefundDeclined, order.EventRefundWithdrawn, order.EventOrderRefunded}})
		must(t, err)

		unpaid := w.place(t, buyer, sku, 1)
		o := w.place(t, buyer, sku, 2)
		w.pay(t, buyer, o.ID)
		if got := w.order(t, buyer, o.ID); got.RefundRequest != nil {
			t.Fatalf("a new order has a refund request: %+v", got.RefundRequest)
		}

		t.Run("refused requests change nothing", func(t *testing.T) {
			tests := []struct {
				name        string
				as          func() (string, error)
				code, field string
			}{
				{"unpaid order", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, buyer, unpaid.ID, order.RefundRequestInput{Reason: "damaged"})
					return unpaid.ID, err
				}, apperr.Conflict, "order"},
				{"not the buyer (the shop)", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, owner, o.ID, order.RefundRequestInput{Reason: "damaged"})
					return o.ID, err
				}, apperr.Forbidden, ""},
				{"a stranger: the order does not exist", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, other, o.ID, order.RefundRequestInput{Reason: "damaged"})
					return o.ID, err
				}, apperr.NotFound, ""},
				{"unknown reason", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "bored"})
					return o.ID, err
				}, apperr.Invalid, "reason"},
				{"other without a note", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "other", Note: "  "})
					return o.ID, err
				}, apperr.Invalid, "note"},
				{"note too long", func() (string, error) {
					_, err := w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged", Note: strings.Repeat("坏", 501)})
					return o.ID, err
				}, apperr.Invalid, "note"},
				{"nothing open to withdraw", func() (string, error) {
					_, err := w.ord.WithdrawRefundRequest(ctx, buyer, o.ID)
					return o.ID, err
				}, apperr.Conflict, "refund_request"},
				{"nothing open to decline", func() (string, error) {
					_, err := w.ord.DeclineRefundRequest(ctx, owner, o.ID, "used")
					return o.ID, err
				}, apperr.Conflict, "refund_request"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					id, err := tt.as()
					wantErr(t, err, tt.code, tt.field)
					if got := w.order(t, buyer, id); got.RefundRequest != nil {
						t.Fatalf("refused request stored: %+v", got.RefundRequest)
					}
				})
			}
		})

		// Two requests at once (two tabs, two nodes): one is stored.
		errs := make([]error, 4)
		together(len(errs), func(i int) {
			_, errs[i] = w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged", Note: " box crushed "})
		})
		if n := len(slices.DeleteFunc(slices.Clone(errs), func(err error) bool { return err != nil })); n != 1 {
			t.Fatalf("%d of 4 racing requests stored: %v", n, errs)
		}
		for _, err := range errs {
			if err != nil {
				wantErr(t, err, apperr.Conflict, "order")
			}
		}
		got := w.order(t, owner, o.ID)
		first := got.RefundRequest
		if first == nil || first.Status != order.RefundOpen || first.Reason != "damaged" || first.Note != "box crushed" ||
			!first.RespondBy.Equal(w.clock.Now().Add(order.RefundAnswerWindow).Truncate(time.Millisecond)) || first.UserID != buyer.ID() {
			t.Fatalf("open request = %+v", first)
		}
		if got.Status != order.Paid {
			t.Fatalf("requesting changed the order's status to %s", got.Status)
		}

		listed := func(t *testing.T) []string {
			t.Helper()
			os, err := w.ord.ListOrders(ctx, owner, order.Filter{ShopID: shop.ID, Status: order.RefundRequested})
			must(t, err)
			var out []string
			for _, o := range os {
				if o.RefundRequest == nil || o.RefundRequest.Status != order.RefundOpen {
					t.Fatalf("listed without an open request: %+v", o)
				}
				out = append(out, o.ID)
			}
			return out
		}
		if ids := listed(t); !slices.Equal(ids, []string{o.ID}) {
			t.Fatalf("shop's refund queue = %v", ids)
		}
		waiting := func(t *testing.T) int {
			t.Helper()
			sum, err := w.ord.Sales(ctx, owner, shop.ID, 7)
			must(t, err)
			return sum.RefundRequests
		}
		if n := waiting(t); n != 1 {
			t.Fatalf("sales summary counts %d open refund requests, want 1", n)
		}

		w.clock.Advance(time.Hour)
		_, err = w.ord.DeclineRefundRequest(ctx, owner, o.ID, " ")
		wantErr(t, err, apperr.Invalid, "reason")
		_, err = w.ord.DeclineRefundRequest(ctx, buyer, o.ID, "no")
		wantErr(t, err, apperr.Forbidden, "")
		declined, err := w.ord.DeclineRefundRequest(ctx, owner, o.ID, "the photo shows an intact box")
		must(t, err)
		if r := declined.RefundRequest; r.ID != first.ID || r.Status != order.RefundDeclined || r.DeclineReason != "the photo shows an intact box" ||
			r.DecidedAt == nil || !r.DecidedAt.Equal(w.clock.Now().Truncate(time.Millisecond)) || r.DecidedBy != owner.ID() || declined.Status != order.Paid {
			t.Fatalf("declined = %+v / %+v", declined.Status, r)
		}
		if ids := listed(t); len(ids) != 0 || waiting(t) != 0 {
			t.Fatalf("a declined request is still queued: %v", ids)
		}

		// Asked again, withdrawn, asked a third time and refunded.
		again, err := w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "not_as_described"})
		must(t, err)
		if again.RefundRequest.ID == first.ID || again.RefundRequest.Status != order.RefundOpen {
			t.Fatalf("second request = %+v", again.RefundRequest)
		}
		withdrawn, err := w.ord.WithdrawRefundRequest(ctx, buyer, o.ID)
		must(t, err)
		if withdrawn.RefundRequest.Status != order.RefundWithdrawn {
			t.Fatalf("withdrawn = %+v", withdrawn.RefundRequest)
		}
		third, err := w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "other", Note: "wrong colour"})
		must(t, err)
		before := w.stock(t, owner, p, 0)
		refunded, err := w.ord.Refund(ctx, owner, o.ID, "sorry")
		must(t, err)
		if refunded.Status != order.Refunded || refunded.RefundRequest.ID != third.RefundRequest.ID || refunded.RefundRequest.Status != order.RefundApproved ||
			refunded.RefundRequest.DecidedBy != owner.ID() {
			t.Fatalf("refunded = %s / %+v", refunded.Status, refunded.RefundRequest)
		}
		if after := w.stock(t, owner, p, 0); after != before+2 {
			t.Fatalf("stock %d → %d, want +2 (the order never shipped)", before, after)
		}
		_, err = w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged"})
		wantErr(t, err, apperr.Conflict, "order")

		// Unanswered: refunded by the runner after 48 hours, once.
		late := w.place(t, buyer, sku, 1)
		w.pay(t, buyer, late.ID)
		_, err = w.ord.Ship(ctx, owner, late.ID, order.ShipInput{Carrier: "SF", TrackingNumber: "SF9"})
		must(t, err)
		_, err = w.ord.RequestRefund(ctx, buyer, late.ID, order.RefundRequestInput{Reason: "not_received"})
		must(t, err)
		w.clock.Advance(order.RefundAnswerWindow - time.Minute)
		if n, err := w.ord.RefundOverdue(ctx, 100); err != nil || n != 0 {
			t.Fatalf("refunded before the deadline: %d, %v", n, err)
		}
		w.clock.Advance(2 * time.Minute)
		counts := make([]int, 3)
		together(len(counts), func(i int) {
			n, err := w.ord.RefundOverdue(ctx, 100)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
		if counts[0]+counts[1]+counts[2] != 1 {
			t.Fatalf("runners refunded %v, want 1 in all", counts)
		}
		auto := w.order(t, buyer, late.ID)
		if auto.Status != order.Refunded || auto.RefundRequest.Status != order.RefundApproved || auto.RefundRequest.DecidedBy != "" {
			t.Fatalf("auto-refunded = %s / %+v", auto.Status, auto.RefundRequest)
		}
		pays, err := w.ord.Payments(ctx, buyer, late.ID)
		must(t, err)
		if len(pays) != 1 || pays[0].Status != order.PaymentRefunded {
			t.Fatalf("payments = %+v", pays)
		}

		ds, err := w.hooks.Deliveries(ctx, owner, hook.ID, "", 0)
		must(t, err)
		var evs []string
		for _, d := range ds {
			var payload struct {
				Data order.Order `json:"data"`
			}
			must(t, json.Unmarshal([]byte(d.Payload), &payload))
			if payload.Data.RefundRequest == nil {
				t.Fatalf("%s payload without its refund request", d.EventType)
			}
			if d.EventType == order.EventOrderRefunded && payload.Data.RefundRequest.Status != order.RefundApproved {
				t.Fatalf("refund payload's request = %+v", payload.Data.RefundRequest)
			}
			evs = append(evs, d.EventType)
		}
		slices.Reverse(evs)
		want := []string{order.EventRefundRequested, order.EventRefundDeclined, order.EventRefundRequested, order.EventRefundWithdrawn,
			order.EventRefundRequested, order.EventOrderRefunded, order.EventRefundRequested, order.EventOrderRefunded}
		if !slices.Equal(evs, want) {
			t.Fatalf("webhooks = %v\nwant       %v", evs, want)
		}
	})
}
