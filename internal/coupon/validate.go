package coupon

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
)

// maxValidity bounds how long a coupon can stay valid: more than a year
// is almost always a typo in the date.
const maxValidity = 366 * 24 * time.Hour

// build checks in and returns the coupon to store (without id, shop and
// creation time). Errors name the JSON field at fault.
func build(in NewCoupon, now time.Time) (Coupon, error) {
	c := Coupon{Status: Ready, Claimed: 0, MinSpendMinor: in.MinSpendMinor}
	c.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		return Coupon{}, apperr.Field("title", "title is required")
	case n > MaxTitle:
		return Coupon{}, apperr.Field("title", "title must be at most %d characters", MaxTitle)
	}
	if err := discountOf(in, &c); err != nil {
		return Coupon{}, err
	}
	if in.MinSpendMinor < 0 {
		return Coupon{}, apperr.Field("min_spend_minor", "min_spend_minor cannot be negative")
	}
	c.Currency = strings.TrimSpace(in.Currency)
	if c.Currency == "" {
		c.Currency = money.DefaultCurrency
	}
	if !money.ValidCurrency(c.Currency) {
		return Coupon{}, apperr.Field("currency", "unknown currency %q", c.Currency)
	}
	var err error
	if c.ValidFrom, c.ValidUntil, err = validity(in.ValidFrom, in.ValidUntil, now); err != nil {
		return Coupon{}, err
	}
	if in.TotalLimit < 1 || in.TotalLimit > MaxTotalLimit {
		return Coupon{}, apperr.Field("total_limit", "total_limit must be from 1 to %d", MaxTotalLimit)
	}
	c.TotalLimit = in.TotalLimit
	c.PerUserLimit = in.PerUserLimit
	if c.PerUserLimit == 0 {
		c.PerUserLimit = 1
	}
	if c.PerUserLimit < 1 || c.PerUserLimit > MaxPerUserLimit {
		return Coupon{}, apperr.Field("per_user_limit", "per_user_limit must be from 1 to %d", MaxPerUserLimit)
	}
	return c, nil
}

// discountOf sets the kind and the one discount field given.
func discountOf(in NewCoupon, c *Coupon) error {
	kind := strings.TrimSpace(in.Kind)
	switch {
	case in.AmountOffMinor != nil && in.PercentOff != nil:
		return apperr.Field("percent_off", "give amount_off_minor or percent_off, not both")
	case in.AmountOffMinor == nil && in.PercentOff == nil:
		if kind == KindPercent {
			return apperr.Field("percent_off", "percent_off is required for a percent coupon")
		}
		return apperr.Field("amount_off_minor", "give amount_off_minor or percent_off")
	case kind != "" && kind != KindAmount && kind != KindPercent:
		return apperr.Field("kind", "kind must be amount or percent")
	case in.AmountOffMinor != nil:
		if kind == KindPercent {
			return apperr.Field("percent_off", "percent_off is required for a percent coupon")
		}
		if *in.AmountOffMinor < 1 {
			return apperr.Field("amount_off_minor", "amount_off_minor must be greater than zero")
		}
		v := *in.AmountOffMinor
		c.Kind, c.AmountOffMinor = KindAmount, &v
	default:
		if kind == KindAmount {
			return apperr.Field("amount_off_minor", "amount_off_minor is required for an amount coupon")
		}
		if *in.PercentOff < MinPercentOff || *in.PercentOff > MaxPercentOff {
			return apperr.Field("percent_off", "percent_off must be from %d to %d", MinPercentOff, MaxPercentOff)
		}
		v := *in.PercentOff
		c.Kind, c.PercentOff = KindPercent, &v
	}
	return nil
}

// validity reads the validity period: from (empty: now) strictly before
// until, until in the future and at most a year after from.
func validity(from, until string, now time.Time) (time.Time, time.Time, error) {
	f := now.UTC().Truncate(time.Millisecond)
	if v := strings.TrimSpace(from); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return time.Time{}, time.Time{}, apperr.Field("valid_from", "valid_from must be an RFC 3339 time such as 2026-06-01T20:00:00+08:00")
		}
		f = t.UTC().Truncate(time.Millisecond)
	}
	v := strings.TrimSpace(until)
	if v == "" {
		return time.Time{}, time.Time{}, apperr.Field("valid_until", "valid_until is required")
	}
	u, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, time.Time{}, apperr.Field("valid_until", "valid_until must be an RFC 3339 time such as 2026-06-30T23:59:59+08:00")
	}
	u = u.UTC().Truncate(time.Millisecond)
	switch {
	case !f.Before(u):
		return time.Time{}, time.Time{}, apperr.Field("valid_until", "valid_until must be after valid_from")
	case !u.After(now):
		return time.Time{}, time.Time{}, apperr.Field("valid_until", "valid_until is in the past")
	case u.Sub(f) > maxValidity:
		return time.Time{}, time.Time{}, apperr.Field("valid_until", "a coupon is valid for at most a year")
	}
	return f, u, nil
}

// checkGrabSeconds checks a drop's grab window.
func checkGrabSeconds(n int) error {
	if n < MinGrabSeconds || n > MaxGrabSeconds {
		return apperr.Field("grab_seconds", "grab_seconds must be from %d to %d", MinGrabSeconds, MaxGrabSeconds)
	}
	return nil
}
