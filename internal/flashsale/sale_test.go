package flashsale

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// requireAppErr checks err is an *apperr.Error with code and field, or nil
// when code is "".
func requireAppErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("%s: unexpected error %v", what, err)
		}
		return
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != code || e.Field != field {
		t.Fatalf("%s: error %v, want code %s field %s", what, err, code, field)
	}
}

func TestCreateInputValidate(t *testing.T) {
	valid := CreateInput{SKUID: "sku_1", PriceMinor: 990, Stock: 100, PerUserLimit: 2,
		CountdownSeconds: 30, DurationSeconds: 120, PaymentWindowSeconds: 600}
	cases := []struct {
		name  string
		edit  func(*CreateInput)
		field string // "" = valid
	}{
		{"valid", func(*CreateInput) {}, ""},
		{"lowest bounds", func(in *CreateInput) {
			in.PriceMinor, in.Stock, in.PerUserLimit = 1, 1, 1
			in.CountdownSeconds, in.DurationSeconds, in.PaymentWindowSeconds = MinCountdown, MinDuration, MinPaymentWindow
		}, ""},
		{"highest bounds", func(in *CreateInput) {
			in.Stock, in.PerUserLimit = MaxStock, MaxPerUserLimit
			in.CountdownSeconds, in.DurationSeconds, in.PaymentWindowSeconds = MaxCountdown, MaxDuration, MaxPaymentWindow
		}, ""},
		{"no sku", func(in *CreateInput) { in.SKUID = "" }, "sku_id"},
		{"free", func(in *CreateInput) { in.PriceMinor = 0 }, "price_minor"},
		{"negative price", func(in *CreateInput) { in.PriceMinor = -5 }, "price_minor"},
		{"no stock", func(in *CreateInput) { in.Stock = 0 }, "stock"},
		{"too much stock", func(in *CreateInput) { in.Stock = MaxStock + 1 }, "stock"},
		{"no per-user limit", func(in *CreateInput) { in.PerUserLimit = 0 }, "per_user_limit"},
		{"per-user limit too high", func(in *CreateInput) { in.PerUserLimit = MaxPerUserLimit + 1 }, "per_user_limit"},
		{"countdown too short", func(in *CreateInput) { in.CountdownSeconds = MinCountdown - 1 }, "countdown_seconds"},
		{"countdown too long", func(in *CreateInput) { in.CountdownSeconds = MaxCountdown + 1 }, "countdown_seconds"},
		{"no countdown", func(in *CreateInput) { in.CountdownSeconds = 0 }, "countdown_seconds"},
		{"duration too short", func(in *CreateInput) { in.DurationSeconds = MinDuration - 1 }, "duration_seconds"},
		{"duration too long", func(in *CreateInput) { in.DurationSeconds = MaxDuration + 1 }, "duration_seconds"},
		{"payment window too short", func(in *CreateInput) { in.PaymentWindowSeconds = MinPaymentWindow - 1 }, "payment_window_seconds"},
		{"payment window too long", func(in *CreateInput) { in.PaymentWindowSeconds = MaxPaymentWindow + 1 }, "payment_window_seconds"},
		{"negative payment window", func(in *CreateInput) { in.PaymentWindowSeconds = -1 }, "payment_window_seconds"},
		// The first bad field is the one named.
		{"several bad", func(in *CreateInput) { in.Stock, in.DurationSeconds = 0, 0 }, "stock"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid
			c.edit(&in)
			code := apperr.Invalid
			if c.field == "" {
				code = ""
			}
			requireAppErr(t, "Validate", in.Validate(), code, c.field)
		})
	}

	in := valid
	in.PaymentWindowSeconds = 0
	requireAppErr(t, "Validate without a payment window", in.Validate(), "", "")
	if in.PaymentWindowSeconds != DefaultPaymentWindw {
		t.Fatalf("default payment window %d, want %d", in.PaymentWindowSeconds, DefaultPaymentWindw)
	}
}

func TestReserveInputValidate(t *testing.T) {
	cases := []struct {
		name  string
		in    ReserveInput
		field string // "" = valid
	}{
		{"valid", ReserveInput{UserID: "u", Quantity: 1, Key: "k"}, ""},
		{"most", ReserveInput{UserID: "u", Quantity: MaxPerUserLimit, Key: strings.Repeat("k", 100)}, ""},
		{"no key", ReserveInput{UserID: "u", Quantity: 1}, "Idempotency-Key"},
		{"long key", ReserveInput{UserID: "u", Quantity: 1, Key: strings.Repeat("k", 101)}, "Idempotency-Key"},
		{"zero", ReserveInput{UserID: "u", Quantity: 0, Key: "k"}, "quantity"},
		{"negative", ReserveInput{UserID: "u", Quantity: -1, Key: "k"}, "quantity"},
		{"too many", ReserveInput{UserID: "u", Quantity: MaxPerUserLimit + 1, Key: "k"}, "quantity"},
		{"no key and no quantity", ReserveInput{UserID: "u"}, "Idempotency-Key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := apperr.Invalid
			if c.field == "" {
				code = ""
			}
			requireAppErr(t, "Validate", c.in.Validate(), code, c.field)
		})
	}
}

func TestSaleStatusAt(t *testing.T) {
	starts := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	ends := starts.Add(time.Minute)
	before, during, after := starts.Add(-time.Second), starts.Add(30*time.Second), ends.Add(time.Second)
	cases := []struct {
		status string
		now    time.Time
		want   string
	}{
		{Scheduled, before, Scheduled},
		{Scheduled, starts, Running},
		{Scheduled, during, Running},
		{Scheduled, ends, Ended}, // a countdown missed entirely (node down) still ends
		{Scheduled, after, Ended},
		{Running, before, Running},
		{Running, during, Running},
		{Running, ends.Add(-time.Millisecond), Running},
		{Running, ends, Ended},
		{Running, after, Ended},
		{Ended, during, Ended},
		{Ended, after, Ended},
		{Settled, during, Settled},
		{Settled, after, Settled},
		{Cancelled, before, Cancelled},
		{Cancelled, during, Cancelled},
		{Cancelled, after, Cancelled},
	}
	for _, c := range cases {
		s := Sale{Status: c.status, StartsAt: starts, EndsAt: ends}
		if got := s.statusAt(c.now); got != c.want {
			t.Errorf("%s sale at %s: statusAt = %s, want %s", c.status, c.now.Sub(starts), got, c.want)
		}
	}
}
