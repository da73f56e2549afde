package coupon

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

func ptr[T any](v T) *T { return &v }

func TestBuildValidation(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	later := "2026-06-08T12:00:00Z"
	base := func(edit func(*NewCoupon)) NewCoupon {
		in := NewCoupon{Title: "Fresh harvest", AmountOffMinor: ptr[int64](500), ValidUntil: later, TotalLimit: 100}
		if edit != nil {
			edit(&in)
		}
		return in
	}
	tests := []struct {
		name  string
		in    NewCoupon
		field string // "" for valid
	}{
		{"amount coupon", base(nil), ""},
		{"percent coupon", base(func(in *NewCoupon) { in.AmountOffMinor, in.PercentOff = nil, ptr(15) }), ""},
		{"kind given and matching", base(func(in *NewCoupon) { in.Kind = KindAmount }), ""},
		{"60 characters", base(func(in *NewCoupon) { in.Title = strings.Repeat("米", 60) }), ""},
		{"percent 1", base(func(in *NewCoupon) { in.AmountOffMinor, in.PercentOff = nil, ptr(1) }), ""},
		{"percent 90", base(func(in *NewCoupon) { in.AmountOffMinor, in.PercentOff = nil, ptr(90) }), ""},
		{"limits at the top", base(func(in *NewCoupon) { in.TotalLimit, in.PerUserLimit = MaxTotalLimit, MaxPerUserLimit }), ""},
		{"explicit validity", base(func(in *NewCoupon) { in.ValidFrom = "2026-06-02T00:00:00+08:00" }), ""},

		{"no title", base(func(in *NewCoupon) { in.Title = "  " }), "title"},
		{"61 characters", base(func(in *NewCoupon) { in.Title = strings.Repeat("a", 61) }), "title"},
		{"no discount", base(func(in *NewCoupon) { in.AmountOffMinor = nil }), "amount_off_minor"},
		{"both discounts", base(func(in *NewCoupon) { in.PercentOff = ptr(10) }), "percent_off"},
		{"zero amount", base(func(in *NewCoupon) { in.AmountOffMinor = ptr[int64](0) }), "amount_off_minor"},
		{"negative amount", base(func(in *NewCoupon) { in.AmountOffMinor = ptr[int64](-5) }), "amount_off_minor"},
		{"percent 0", base(func(in *NewCoupon) { in.AmountOffMinor, in.PercentOff = nil, ptr(0) }), "percent_off"},
		{"percent 91", base(func(in *NewCoupon) { in.AmountOffMinor, in.PercentOff = nil, ptr(91) }), "percent_off"},
		{"unknown kind", base(func(in *NewCoupon) { in.Kind = "bogo" }), "kind"},
		{"kind percent with an amount", base(func(in *NewCoupon) { in.Kind = KindPercent }), "percent_off"},
		{"kind amount with a percent", base(func(in *NewCoupon) { in.Kind, in.AmountOffMinor, in.PercentOff = KindAmount, nil, ptr(5) }), "amount_off_minor"},
		{"negative min spend", base(func(in *NewCoupon) { in.MinSpendMinor = -1 }), "min_spend_minor"},
		{"unknown currency", base(func(in *NewCoupon) { in.Currency = "XXX" }), "currency"},
		{"no valid_until", base(func(in *NewCoupon) { in.ValidUntil = "" }), "valid_until"},
		{"valid_until not a time", base(func(in *NewCoupon) { in.ValidUntil = "next week" }), "valid_until"},
		{"valid_from not a time", base(func(in *NewCoupon) { in.ValidFrom = "tomorrow" }), "valid_from"},
		{"from equals until", base(func(in *NewCoupon) { in.ValidFrom = later }), "valid_until"},
		{"from after until", base(func(in *NewCoupon) { in.ValidFrom = "2026-06-09T00:00:00Z" }), "valid_until"},
		{"until in the past", base(func(in *NewCoupon) { in.ValidFrom, in.ValidUntil = "2026-05-01T00:00:00Z", "2026-05-31T00:00:00Z" }), "valid_until"},
		{"valid for over a year", base(func(in *NewCoupon) { in.ValidUntil = "2027-06-03T00:00:00Z" }), "valid_until"},
		{"total limit 0", base(func(in *NewCoupon) { in.TotalLimit = 0 }), "total_limit"},
		{"total limit too big", base(func(in *NewCoupon) { in.TotalLimit = MaxTotalLimit + 1 }), "total_limit"},
		{"per-user limit negative", base(func(in *NewCoupon) { in.PerUserLimit = -1 }), "per_user_limit"},
		{"per-user limit 101", base(func(in *NewCoupon) { in.PerUserLimit = 101 }), "per_user_limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := build(tt.in, now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("build: %v", err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid || e.Field != tt.field {
				t.Fatalf("build = %+v, %v; want invalid field %q", c, err, tt.field)
			}
		})
	}
}

func TestBuildDefaultsAndShape(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 123456789, time.UTC)
	c, err := build(NewCoupon{Title: "  Ten off  ", PercentOff: ptr(10), ValidUntil: "2026-06-02T20:00:00+08:00", TotalLimit: 5}, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Ten off" || c.Kind != KindPercent || c.AmountOffMinor != nil || *c.PercentOff != 10 ||
		c.Currency != "CNY" || c.PerUserLimit != 1 || c.Status != Ready || c.Claimed != 0 {
		t.Fatalf("coupon = %+v", c)
	}
	if !c.ValidFrom.Equal(now.Truncate(time.Millisecond)) || !c.ValidUntil.Equal(time.Date(2026, 6, 2, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("validity %v – %v", c.ValidFrom, c.ValidUntil)
	}
}

func TestCheckGrabSeconds(t *testing.T) {
	for _, tt := range []struct {
		n  int
		ok bool
	}{{9, false}, {10, true}, {600, true}, {601, false}, {0, false}} {
		err := checkGrabSeconds(tt.n)
		if (err == nil) != tt.ok {
			t.Errorf("checkGrabSeconds(%d) = %v", tt.n, err)
		}
		if err != nil {
			if e, _ := apperr.As(err); e.Field != "grab_seconds" {
				t.Errorf("field = %q", e.Field)
			}
		}
	}
}
