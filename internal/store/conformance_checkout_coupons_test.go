package store_test

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// A claimed coupon at checkout: the discount is spread over the lines, the
// claim backs one live order, and cancelling the order frees it.
func TestConformanceCheckoutWithCoupon(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cw := newCouponWorld(t, s)
		cw.ord.UseCoupons(cw.svc)
		ctx := t.Context()
		c := cw.create(t, nil) // 500 off from 2000
		cw.drop(t, c.ID, 60)
		buyer := cw.user(t, "buyer@example.com")
		claim, err := cw.svc.Claim(ctx, buyer, c.ID)
		must(t, err)
		rice, beans := cw.prods[0].SKUs[0].ID, cw.prods[1].SKUs[0].ID // 1990 each
		items := []order.Item{{SKUID: rice, Quantity: 1}, {SKUID: beans, Quantity: 2}}

		_, _, err = cw.ord.Place(ctx, buyer, order.PlaceInput{Items: items[:1], Address: shipTo(), CouponClaimID: claim.ID}, "")
		wantErr(t, err, apperr.Invalid, "coupon_claim_id") // 1990 is below the minimum spend
		stranger := cw.user(t, "stranger@example.com")
		_, _, err = cw.ord.Place(ctx, stranger, order.PlaceInput{Items: items, Address: shipTo(), CouponClaimID: claim.ID}, "")
		wantErr(t, err, apperr.Invalid, "coupon_claim_id")

		o, _, err := cw.ord.Place(ctx, buyer, order.PlaceInput{Items: items, Address: shipTo(), CouponClaimID: claim.ID,
			Attribution: order.Attribution{RoomID: cw.ses.ID}}, "")
		must(t, err)
		if o.TotalMinor != 3*1990-500 || o.DiscountMinor != 500 || o.CouponClaimID != claim.ID {
			t.Fatalf("order = total %d discount %d claim %q", o.TotalMinor, o.DiscountMinor, o.CouponClaimID)
		}
		var sum, disc int64
		for _, l := range o.Lines {
			sum += l.LineTotalMinor
			disc += l.DiscountMinor
			if l.RoomID != cw.ses.ID || l.Source != order.SourceLive {
				t.Fatalf("line attribution = %+v", l)
			}
		}
		if sum != o.TotalMinor || disc != 500 {
			t.Fatalf("lines add to %d with %d off", sum, disc)
		}
		stored := cw.order(t, buyer, o.ID)
		if stored.TotalMinor != o.TotalMinor || stored.DiscountMinor != 500 || stored.Lines[0].DiscountMinor+stored.Lines[1].DiscountMinor != 500 {
			t.Fatalf("stored order = %+v", stored)
		}
		_, _, err = cw.ord.Place(ctx, buyer, order.PlaceInput{Items: items, Address: shipTo(), CouponClaimID: claim.ID}, "")
		wantErr(t, err, apperr.Invalid, "coupon_claim_id") // used

		_, err = cw.ord.Cancel(ctx, buyer, o.ID, "wrong size")
		must(t, err)
		again, _, err := cw.ord.Place(ctx, buyer, order.PlaceInput{Items: items, Address: shipTo(), CouponClaimID: claim.ID}, "")
		must(t, err)
		cw.clock.Advance(time.Second)
		cw.pay(t, buyer, again.ID)
		paid := cw.order(t, buyer, again.ID)
		for _, l := range paid.Lines {
			if l.PlatformFee+l.HostCommission+l.MCNShare+l.MerchantNet != l.LineTotalMinor {
				t.Fatalf("split of a discounted line = %+v", l)
			}
		}
	})
}
