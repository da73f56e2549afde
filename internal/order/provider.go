package order

import (
	"context"
	"net/http"
	"time"
)

// PaymentProvider takes payments. Providers confirm payments
// asynchronously through signed webhooks, which VerifyWebhook checks.
type PaymentProvider interface {
	Name() string
	// Begin registers a payment and returns the page where the buyer pays.
	Begin(ctx context.Context, p Payment, returnURL string) (payURL string, err error)
	// VerifyWebhook authenticates a callback and returns its event.
	// Returns apperr Unauthorized for a bad or stale signature.
	VerifyWebhook(h http.Header, body []byte) (ProviderEvent, error)
	// Refund returns a succeeded payment to the buyer.
	Refund(ctx context.Context, p Payment) error
}

// ProviderEvent is a verified provider callback.
type ProviderEvent struct {
	ID        string
	PaymentID string
	Succeeded bool
	At        time.Time
}
