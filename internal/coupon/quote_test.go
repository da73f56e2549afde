package coupon

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestDiscount(t *testing.T) {
	amount := func(v int64) Coupon { return Coupon{Kind: KindAmount, AmountOffMinor: &v} }
	percent := func(p int) Coupon { return Coupon{Kind: KindPercent, PercentOff: &p} }
	tests := []struct {
		name     string
		c        Coupon
		subtotal int64
		want     int64
	}{
		{"amount below the subtotal", amount(500), 1990, 500},
		{"amount equal to the subtotal", amount(1990), 1990, 1990},
		{"amount capped at the subtotal", amount(5000), 1990, 1990},
		{"amount on nothing", amount(500), 0, 0},
		{"percent exact", percent(10), 2000, 200},
		{"percent rounds down", percent(15), 1999, 299}, // 299.85
		{"percent of one fen", percent(90), 1, 0},
		{"percent 90", percent(90), 1000, 900},
		{"percent 33 rounds down", percent(33), 101, 33}, // 33.33
		{"percent 1 of 99", percent(1), 99, 0},
		{"percent without overflow", percent(90), math.MaxInt64, 8301034833169298226}, // ⌊(2⁶³−1) × 0.9⌋
		{"unknown kind", Coupon{Kind: "bogo"}, 1000, 0},
	}
	for _, tt := range tests {
		if got := Discount(tt.c, tt.subtotal); got != tt.want {
			t.Errorf("%s: Discount = %d, want %d", tt.name, got, tt.want)
		}
		if got := Discount(tt.c, tt.subtotal); got > tt.subtotal || got < 0 {
			t.Errorf("%s: discount %d outside 0..%d", tt.name, got, tt.subtotal)
		}
	}
}

func TestQuoteChecks(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	off := int64(1000)
	used := "ord_1"
	good := Claim{ID: "ccl_1", CouponID: "cpn_1", UserID: "usr_1", Coupon: Coupon{ID: "cpn_1", ShopID: "shp_1", Kind: KindAmount,
		AmountOffMinor: &off, MinSpendMinor: 5000, Currency: "CNY", ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour)}}
	with := func(edit func(*Claim)) Claim {
		cl := good
		edit(&cl)
		return cl
	}
	tests := []struct {
		name     string
		cl       Claim
		user     string
		shop     string
		currency string
		subtotal int64
		want     int64
		msg      string // part of the refusal; "" when accepted
	}{
		{"usable", good, "usr_1", "shp_1", "CNY", 8000, 1000, ""},
		{"exactly the minimum spend", good, "usr_1", "shp_1", "CNY", 5000, 1000, ""},
		{"valid from this very moment", with(func(c *Claim) { c.Coupon.ValidFrom = now }), "usr_1", "shp_1", "CNY", 8000, 1000, ""},
		{"another user's claim", good, "usr_2", "shp_1", "CNY", 8000, 0, "does not exist"},
		{"used", with(func(c *Claim) { c.OrderID = &used }), "usr_1", "shp_1", "CNY", 8000, 0, "already used"},
		{"not valid yet", with(func(c *Claim) { c.Coupon.ValidFrom = now.Add(time.Minute) }), "usr_1", "shp_1", "CNY", 8000, 0, "valid from"},
		{"expired this very moment", with(func(c *Claim) { c.Coupon.ValidUntil = now }), "usr_1", "shp_1", "CNY", 8000, 0, "expired"},
		{"another shop", good, "usr_1", "shp_2", "CNY", 8000, 0, "another shop"},
		{"another currency", good, "usr_1", "shp_1", "USD", 8000, 0, "in CNY"},
		{"below the minimum spend", good, "usr_1", "shp_1", "CNY", 4999, 0, "minimum spend of 50.00 CNY"},
	}
	for _, tt := range tests {
		got, err := quote(tt.cl, tt.user, tt.shop, tt.currency, tt.subtotal, now)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("%s: quote = %d, %v; want %d", tt.name, got, err, tt.want)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || e.Field != "coupon_claim_id" || !strings.Contains(e.Message, tt.msg) || got != 0 {
			t.Errorf("%s: quote = %d, %v; want invalid coupon_claim_id containing %q", tt.name, got, err, tt.msg)
		}
	}
}
