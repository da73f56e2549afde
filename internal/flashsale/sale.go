// Package flashsale runs flash sales in live rooms: a sale holds stock of
// one SKU at a sale price for a short window, and buyers reserve from it
// at thousands of requests a second without ever overselling.
//
// Each sale is served by one reservation engine (engine.go) on the node
// that holds the sale's lease (owner.go): it decides every request in
// memory, writes what it decided for a whole batch in one transaction, and
// only then answers, so an acknowledged reservation is durable and the
// database sees one write per batch instead of a row lock per buyer.
package flashsale

import (
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Sale statuses.
const (
	Scheduled = "scheduled" // the countdown runs
	Running   = "running"
	Ended     = "ended"   // no new reservations; held ones may still be paid
	Settled   = "settled" // unsold stock went back to the SKU
	Cancelled = "cancelled"
)

// Reservation statuses (see the flash_reservations table).
const (
	Held     = "held"
	Paid     = "paid"
	Expired  = "expired"
	Released = "released"
	Returned = "returned"
)

// Sale is a flash sale of one SKU in a live session.
type Sale struct {
	ID                   string    `json:"id"`
	SessionID            string    `json:"session_id"`
	ShopID               string    `json:"shop_id"`
	ProductID            string    `json:"product_id"`
	SKUID                string    `json:"sku_id"`
	Title                string    `json:"title"`
	PriceMinor           int64     `json:"price_minor"`
	OriginalPriceMinor   int64     `json:"original_price_minor"`
	Currency             string    `json:"currency"`
	Stock                int       `json:"stock"`
	Remaining            int       `json:"remaining"`
	Sold                 int       `json:"sold"`
	PerUserLimit         int       `json:"per_user_limit"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	PaymentWindowSeconds int       `json:"payment_window_seconds"`
	Status               string    `json:"status"`
	CreatedBy            string    `json:"-"`
	CreatedAt            time.Time `json:"created_at"`
}

// statusAt is the sale's status at now by the clock alone (a scheduled
// sale whose countdown is over is running, a running one past its end has
// ended).
func (s Sale) statusAt(now time.Time) string {
	switch {
	case s.Status == Scheduled && !now.Before(s.EndsAt), s.Status == Running && !now.Before(s.EndsAt):
		return Ended
	case s.Status == Scheduled && !now.Before(s.StartsAt):
		return Running
	}
	return s.Status
}

// Reservation is stock of a sale held for one buyer until paid or expired.
type Reservation struct {
	ID         string    `json:"id"`
	SaleID     string    `json:"sale_id"`
	UserID     string    `json:"user_id"`
	Quantity   int       `json:"quantity"`
	PriceMinor int64     `json:"price_minor"`
	Currency   string    `json:"currency"`
	Status     string    `json:"status"`
	OrderID    string    `json:"order_id,omitempty"`
	ExpiresAt  time.Time `json:"expires_at"`
	CreatedAt  time.Time `json:"created_at"`

	IdempotencyKey string `json:"-"`
}

// CreateInput starts a flash sale.
type CreateInput struct {
	SKUID                string `json:"sku_id"`
	PriceMinor           int64  `json:"price_minor"`
	Stock                int    `json:"stock"`
	PerUserLimit         int    `json:"per_user_limit"`
	CountdownSeconds     int    `json:"countdown_seconds"`
	DurationSeconds      int    `json:"duration_seconds"`
	PaymentWindowSeconds int    `json:"payment_window_seconds,omitempty"`
}

// Limits of a sale.
const (
	MaxStock            = 1_000_000
	MaxPerUserLimit     = 100
	MinCountdown        = 10
	MaxCountdown        = 300
	MinDuration         = 10
	MaxDuration         = 3600
	MinPaymentWindow    = 60
	MaxPaymentWindow    = 1800
	DefaultPaymentWindw = 300
)

// Validate checks the numbers of a new sale (the SKU is checked against
// the shelf by the service).
func (in *CreateInput) Validate() error {
	if in.PaymentWindowSeconds == 0 {
		in.PaymentWindowSeconds = DefaultPaymentWindw
	}
	switch {
	case in.SKUID == "":
		return apperr.Field("sku_id", "sku_id is required")
	case in.PriceMinor < 1:
		return apperr.Field("price_minor", "the sale price must be at least 1")
	case in.Stock < 1 || in.Stock > MaxStock:
		return apperr.Field("stock", "stock must be between 1 and %d", MaxStock)
	case in.PerUserLimit < 1 || in.PerUserLimit > MaxPerUserLimit:
		return apperr.Field("per_user_limit", "the per-buyer limit must be between 1 and %d", MaxPerUserLimit)
	case in.CountdownSeconds < MinCountdown || in.CountdownSeconds > MaxCountdown:
		return apperr.Field("countdown_seconds", "the countdown must be between %d and %d seconds", MinCountdown, MaxCountdown)
	case in.DurationSeconds < MinDuration || in.DurationSeconds > MaxDuration:
		return apperr.Field("duration_seconds", "the duration must be between %d and %d seconds", MinDuration, MaxDuration)
	case in.PaymentWindowSeconds < MinPaymentWindow || in.PaymentWindowSeconds > MaxPaymentWindow:
		return apperr.Field("payment_window_seconds", "the payment window must be between %d and %d seconds", MinPaymentWindow, MaxPaymentWindow)
	}
	return nil
}

// ReserveInput is a buyer's request, as the engine sees it.
type ReserveInput struct {
	UserID   string `json:"user_id"`
	Name     string `json:"name"` // shown in "just bought" notices
	Quantity int    `json:"quantity"`
	Key      string `json:"key"` // the Idempotency-Key
}

// Validate checks a request before it reaches an engine.
func (in ReserveInput) Validate() error {
	switch {
	case in.Key == "":
		return apperr.Field("Idempotency-Key", "an Idempotency-Key header is required so that a retry cannot reserve twice")
	case len(in.Key) > 100:
		return apperr.Field("Idempotency-Key", "the idempotency key must be at most 100 characters")
	case in.Quantity < 1 || in.Quantity > MaxPerUserLimit:
		return apperr.Field("quantity", "quantity must be between 1 and %d", MaxPerUserLimit)
	}
	return nil
}
