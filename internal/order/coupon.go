package order

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Coupons prices a buyer's claimed coupon for an order (internal/coupon).
type Coupons interface {
	// Quote returns the discount of claimID on a subtotal of shopID's
	// goods; an *apperr.Error with Field "coupon_claim_id" says why not.
	Quote(ctx context.Context, userID, claimID, shopID, currency string, subtotalMinor int64, now time.Time) (int64, error)
}

// applyCoupon takes the claim's discount off o and spreads it over the
// lines in proportion to their totals (the remainder on the last line), so
// each line's fee split is computed on what was really paid for it.
func (s *Service) applyCoupon(ctx context.Context, o *Order, claimID string) error {
	if s.coupons == nil {
		return apperr.Field("coupon_claim_id", "coupons are not available")
	}
	discount, err := s.coupons.Quote(ctx, o.UserID, claimID, o.ShopID, o.Currency, o.TotalMinor, s.now().UTC())
	if err != nil {
		return err
	}
	if discount <= 0 {
		return apperr.Field("coupon_claim_id", "this coupon takes nothing off this order")
	}
	spreadDiscount(o, discount)
	o.CouponClaimID = claimID
	return nil
}

// spreadDiscount lowers o's lines and total by discount (at most the
// total).
func spreadDiscount(o *Order, discount int64) {
	subtotal := o.TotalMinor
	if discount > subtotal {
		discount = subtotal
	}
	left := discount
	for i := range o.Lines {
		l := &o.Lines[i]
		part := left
		if i < len(o.Lines)-1 {
			part = discount * l.LineTotalMinor / subtotal
		}
		if part > l.LineTotalMinor {
			part = l.LineTotalMinor
		}
		l.DiscountMinor, l.LineTotalMinor = part, l.LineTotalMinor-part
		left -= part
	}
	o.DiscountMinor, o.TotalMinor = discount-left, subtotal-(discount-left)
}
