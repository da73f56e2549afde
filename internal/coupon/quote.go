package coupon

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
)

// quoteField is the checkout request's field naming the claim.
const quoteField = "coupon_claim_id"

// Quote returns the discount a claim gives an order of subtotalMinor in
// currency from shopID, placed by userID at now. It refuses, with field
// coupon_claim_id: a claim that is unknown or not the user's, already
// used, outside the coupon's validity, for another shop or currency, or
// an order below the minimum spend. It does not mark the claim used: the
// order code does that in the transaction that stores the order.
func (s *Service) Quote(ctx context.Context, userID, claimID, shopID, currency string, subtotalMinor int64, now time.Time) (int64, error) {
	if claimID == "" {
		return 0, apperr.Field(quoteField, "coupon_claim_id is empty")
	}
	cl, err := s.repo.ClaimByID(ctx, claimID)
	if apperr.Is(err, apperr.NotFound) {
		return 0, apperr.Field(quoteField, "coupon claim %s does not exist", claimID)
	}
	if err != nil {
		return 0, fmt.Errorf("coupon: quote %s: %w", claimID, err)
	}
	return quote(cl, userID, shopID, currency, subtotalMinor, now)
}

// quote checks a claim can back the order and computes its discount.
func quote(cl Claim, userID, shopID, currency string, subtotalMinor int64, now time.Time) (int64, error) {
	c := cl.Coupon
	switch {
	case cl.UserID != userID:
		// The same words as an unknown claim: ids of others' claims are not confirmed.
		return 0, apperr.Field(quoteField, "coupon claim %s does not exist", cl.ID)
	case cl.OrderID != nil:
		return 0, apperr.Field(quoteField, "this coupon was already used by order %s", *cl.OrderID)
	case now.Before(c.ValidFrom):
		return 0, apperr.Field(quoteField, "this coupon is valid from %s", c.ValidFrom.Format(time.RFC3339))
	case !now.Before(c.ValidUntil):
		return 0, apperr.Field(quoteField, "this coupon expired at %s", c.ValidUntil.Format(time.RFC3339))
	case c.ShopID != shopID:
		return 0, apperr.Field(quoteField, "this coupon is for another shop")
	case c.Currency != currency:
		return 0, apperr.Field(quoteField, "this coupon is in %s, the order in %s", c.Currency, currency)
	case subtotalMinor < c.MinSpendMinor:
		return 0, apperr.Field(quoteField, "this coupon needs a minimum spend of %s %s", money.Format(c.MinSpendMinor, c.Currency), c.Currency)
	}
	return Discount(c, subtotalMinor), nil
}

// Discount is what c takes off a subtotal: an amount off is capped at the
// subtotal; a percentage rounds down to the minor unit.
func Discount(c Coupon, subtotalMinor int64) int64 {
	if subtotalMinor <= 0 {
		return 0
	}
	switch {
	case c.Kind == KindAmount && c.AmountOffMinor != nil:
		return min(*c.AmountOffMinor, subtotalMinor)
	case c.Kind == KindPercent && c.PercentOff != nil:
		// floor(subtotal × p / 100) without overflowing near MaxInt64.
		p := int64(*c.PercentOff)
		return subtotalMinor/100*p + subtotalMinor%100*p/100
	}
	return 0
}
