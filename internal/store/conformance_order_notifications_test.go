package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// A buyer hears of their order: shipped, delivered, refund request
// declined, refunded (by the shop, or by the 48-hour runner). Each
// notification is written with the change, once however many try, never
// for a change refused, and to the buyer only; the notifier hears each
// one after its commit.
func TestConformanceOrderNotifications(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		other := w.user(t, "other@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice Farm", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		sku := p.SKUs[0].ID

		var mu sync.Mutex
		var heard []order.Notice
		w.ord.UseNotifier(func(_ context.Context, n order.Notice) {
			mu.Lock()
			defer mu.Unlock()
			heard = append(heard, n)
		})
		notes := func(t *testing.T, userID string) []social.Notification {
			t.Helper()
			ns, err := s.ListNotifications(ctx, userID, false, "", 100)
			must(t, err)
			return ns
		}
		unread := func(t *testing.T, userID string) int64 {
			t.Helper()
			n, err := s.UnreadNotifications(ctx, userID)
			must(t, err)
			return n
		}
		ofOrder := func(ns []social.Notification, orderID, kind string) []social.Notification {
			return slices.DeleteFunc(slices.Clone(ns), func(n social.Notification) bool { return n.OrderID != orderID || n.Kind != kind })
		}

		o := w.place(t, buyer, sku, 2)
		w.pay(t, buyer, o.ID)
		if ns := notes(t, buyer.ID()); len(ns) != 0 {
			t.Fatalf("placing and paying notified: %+v", ns)
		}

		// Refused moves write nothing: the wrong actor, the wrong status.
		_, err := w.ord.Ship(ctx, buyer, o.ID, order.ShipInput{Carrier: "SF Express", TrackingNumber: "SF1"})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.ord.MarkDelivered(ctx, owner, o.ID)
		wantErr(t, err, apperr.Conflict, "")
		if ns := notes(t, buyer.ID()); len(ns) != 0 {
			t.Fatalf("refused moves notified: %+v", ns)
		}

		// Two ships at once (two tabs, two nodes): one goes through, one
		// notification is written.
		errs := make([]error, 3)
		together(len(errs), func(i int) {
			_, errs[i] = w.ord.Ship(ctx, owner, o.ID, order.ShipInput{Carrier: "SF Express", TrackingNumber: "SF1001"})
		})
		if n := len(slices.DeleteFunc(slices.Clone(errs), func(err error) bool { return err != nil })); n != 1 {
			t.Fatalf("%d of 3 racing ships went through: %v", n, errs)
		}
		ns := notes(t, buyer.ID())
		if len(ns) != 1 {
			t.Fatalf("after shipping the buyer has %d notifications: %+v", len(ns), ns)
		}
		n := ns[0]
		if n.Kind != social.KindOrderShipped || n.OrderID != o.ID || n.SessionID != "" || n.URL != "/orders/"+o.ID || n.ReadAt != nil ||
			n.Params.Shop != "Rice Farm" || n.Params.Carrier != "SF Express" || n.Params.TrackingNumber != "SF1001" ||
			n.Title != "Your order from Rice Farm has shipped" || n.Body != "SF Express tracking number SF1001" ||
			!n.CreatedAt.Equal(w.clock.Now().Truncate(time.Millisecond)) {
			t.Fatalf("shipped notification = %+v", n)
		}
		if u := unread(t, buyer.ID()); u != 1 {
			t.Fatalf("unread = %d, want 1", u)
		}
		for _, who := range []string{owner.ID(), other.ID(), admin.ID()} {
			if ns := notes(t, who); len(ns) != 0 {
				t.Fatalf("%s was told of the buyer's order: %+v", who, ns)
			}
		}
		byID, err := s.NotificationByID(ctx, buyer.ID(), n.ID)
		must(t, err)
		if byID.ID != n.ID || byID.OrderID != o.ID || byID.UserID != buyer.ID() || byID.Title != n.Title {
			t.Fatalf("by id = %+v", byID)
		}
		_, err = s.NotificationByID(ctx, other.ID(), n.ID)
		wantErr(t, err, apperr.NotFound, "")

		w.clock.Advance(time.Hour)
		_, err = w.ord.MarkDelivered(ctx, owner, o.ID)
		must(t, err)
		if got := ofOrder(notes(t, buyer.ID()), o.ID, social.KindOrderDelivered); len(got) != 1 || got[0].Params.Shop != "Rice Farm" {
			t.Fatalf("delivered notifications = %+v", got)
		}

		// Declined: the shop's reason is in the params.
		_, err = w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged"})
		must(t, err)
		_, err = w.ord.DeclineRefundRequest(ctx, buyer, o.ID, "no")
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.ord.DeclineRefundRequest(ctx, owner, o.ID, "the photo shows an intact box")
		must(t, err)
		_, err = w.ord.DeclineRefundRequest(ctx, owner, o.ID, "again")
		wantErr(t, err, apperr.Conflict, "refund_request")
		declined := ofOrder(notes(t, buyer.ID()), o.ID, social.KindRefundDeclined)
		if len(declined) != 1 || declined[0].Params.Reason != "the photo shows an intact box" ||
			declined[0].Title != "Rice Farm declined your refund request" || declined[0].Body != "Reason: the photo shows an intact box" {
			t.Fatalf("declined notifications = %+v", declined)
		}
		// A withdrawn request tells the buyer nothing (they did it).
		_, err = w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged"})
		must(t, err)
		_, err = w.ord.WithdrawRefundRequest(ctx, buyer, o.ID)
		must(t, err)
		if u := unread(t, buyer.ID()); u != 3 {
			t.Fatalf("unread = %d, want 3 (shipped, delivered, declined)", u)
		}

		// Approved by refunding: order_refunded with the total.
		_, err = w.ord.RequestRefund(ctx, buyer, o.ID, order.RefundRequestInput{Reason: "damaged"})
		must(t, err)
		_, err = w.ord.Refund(ctx, owner, o.ID, "sorry")
		must(t, err)
		_, err = w.ord.Refund(ctx, owner, o.ID, "twice")
		wantErr(t, err, apperr.Conflict, "")
		refunded := ofOrder(notes(t, buyer.ID()), o.ID, social.KindOrderRefunded)
		if len(refunded) != 1 || refunded[0].Params.TotalMinor != o.TotalMinor || refunded[0].Params.Currency != o.Currency {
			t.Fatalf("refunded notifications = %+v", refunded)
		}

		// Unanswered: the runners refund once, the buyer hears once.
		late := w.place(t, buyer, sku, 1)
		w.pay(t, buyer, late.ID)
		_, err = w.ord.RequestRefund(ctx, buyer, late.ID, order.RefundRequestInput{Reason: "not_received"})
		must(t, err)
		w.clock.Advance(order.RefundAnswerWindow + time.Minute)
		together(3, func(int) {
			if _, err := w.ord.RefundOverdue(ctx, 100); err != nil {
				t.Error(err)
			}
		})
		if got := ofOrder(notes(t, buyer.ID()), late.ID, social.KindOrderRefunded); len(got) != 1 {
			t.Fatalf("auto-refund notifications = %+v", got)
		}
		// Cancelling an unpaid order is the buyer's own doing: no notice.
		unpaid := w.place(t, buyer, sku, 1)
		_, err = w.ord.Cancel(ctx, buyer, unpaid.ID, "")
		must(t, err)
		// A payment for an order cancelled meanwhile is refunded as it
		// arrives: the buyer hears of it, once however often it is replayed.
		cancelled := w.place(t, buyer, sku, 1)
		pay, err := w.ord.Pay(ctx, buyer, cancelled.ID, w.payer.Name(), "", "")
		must(t, err)
		_, err = w.ord.Cancel(ctx, buyer, cancelled.ID, "")
		must(t, err)
		must(t, w.confirm(ctx, "evt-after-cancel", pay.ID, true))
		wantErr(t, w.confirm(ctx, "evt-after-cancel", pay.ID, true), apperr.Conflict, "")
		if got := ofOrder(notes(t, buyer.ID()), cancelled.ID, social.KindOrderRefunded); len(got) != 1 || got[0].Params.TotalMinor != pay.AmountMinor {
			t.Fatalf("late payment notifications = %+v", got)
		}

		all := notes(t, buyer.ID())
		var kinds []string
		for _, n := range slices.Backward(all) {
			kinds = append(kinds, n.Kind)
		}
		want := []string{social.KindOrderShipped, social.KindOrderDelivered, social.KindRefundDeclined, social.KindOrderRefunded, social.KindOrderRefunded,
			social.KindOrderRefunded}
		if !slices.Equal(kinds, want) {
			t.Fatalf("buyer's notifications = %v, want %v", kinds, want)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(heard) != len(all) {
			t.Fatalf("notifier heard %d notices, %d were written", len(heard), len(all))
		}
		for i, h := range heard {
			if h.ID != all[len(all)-1-i].ID || h.UserID != buyer.ID() {
				t.Fatalf("notifier heard %+v, stored %+v", h, all[len(all)-1-i])
			}
		}

		// Marking read works on order notifications like any other.
		must(t, s.MarkNotificationsRead(ctx, buyer.ID(), nil, true, w.clock.Now()))
		if u := unread(t, buyer.ID()); u != 0 {
			t.Fatalf("unread after marking all read = %d", u)
		}
	})
}
