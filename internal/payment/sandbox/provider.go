// Package sandbox is a built-in test payment provider that behaves like a
// hosted checkout (Stripe Checkout style), so a merchant can run the whole
// buy → pay → webhook → paid flow without a real provider account:
//
//  1. Begin returns a link to the hosted pay page, {PublicURL}/sandbox/pay/{paymentID},
//     whose query parameters are HMAC-signed: the page keeps no state and a
//     buyer cannot edit the amount.
//  2. PayPage (GET) shows the amount with "Pay" and "Decline" buttons.
//  3. Confirm (POST) checks the signature again, POSTs a signed
//     payment.succeeded or payment.failed event to
//     {PublicURL}/api/v1/payments/sandbox/webhook and, once it is accepted,
//     redirects the buyer to the shop's return URL.
//  4. VerifyWebhook authenticates that event for the order service.
//
// The pay-link and webhook signatures share Config.Secret; they cannot be
// confused because a pay-link message starts with "sandbox-pay:" and a
// webhook message with digits.
package sandbox

import (
	"context"
	"crypto/rand"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
	"github.com/liveshop/liveshop/internal/order"
)

// Name is the provider name payments and the webhook route use.
const Name = "sandbox"

// WebhookPath is where Confirm POSTs events, relative to Config.PublicURL.
const WebhookPath = "/api/v1/payments/sandbox/webhook"

// PayPath prefixes the hosted page: GET and POST {PayPath}{paymentID}.
const PayPath = "/sandbox/pay/"

// DefaultTolerance is how old (or how far ahead) a webhook timestamp may be.
const DefaultTolerance = 5 * time.Minute

// Config sets up a Provider.
type Config struct {
	// Secret keys both the pay-link and the webhook HMACs. Empty means a
	// random per-process key: fine for one node, but links die on restart.
	Secret []byte
	// PublicURL is the server's external base URL, e.g.
	// "http://127.0.0.1:8080": pay links point there and Confirm POSTs
	// webhooks there.
	PublicURL string
	// Client sends webhooks; nil means a client with a 10 s timeout.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Tolerance bounds webhook timestamp skew; ≤ 0 means DefaultTolerance.
	Tolerance time.Duration
	// Log receives delivery failures; nil discards.
	Log *slog.Logger
}

// Provider is the sandbox payment provider.
type Provider struct {
	secret    []byte
	publicURL string
	client    *http.Client
	now       func() time.Time
	tolerance time.Duration
	log       *slog.Logger
	pages     *template.Template
}

// New returns a sandbox provider with cfg's zero fields defaulted.
func New(cfg Config) *Provider {
	p := &Provider{
		secret:    cfg.Secret,
		publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		client:    cfg.Client,
		now:       cfg.Now,
		tolerance: cfg.Tolerance,
		log:       cfg.Log,
		pages:     parsePages(),
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if len(p.secret) == 0 {
		p.secret = make([]byte, 32)
		_, _ = rand.Read(p.secret) // never fails on supported platforms (Go 1.24+)
		p.log.Warn("sandbox: no secret configured; using a random one, pay links will not survive a restart")
	}
	if p.client == nil {
		p.client = &http.Client{Timeout: 10 * time.Second}
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.tolerance <= 0 {
		p.tolerance = DefaultTolerance
	}
	return p
}

// Name returns "sandbox".
func (p *Provider) Name() string { return Name }

// Begin returns the signed link to the hosted pay page. returnURL must be
// a path on this site ("/orders/…"); anything else, absolute URLs
// included, is replaced by /orders/{orderID} so the page cannot be used
// as an open redirect. Returns apperr Invalid for a payment without an
// id, a positive amount or a known currency.
func (p *Provider) Begin(ctx context.Context, pay order.Payment, returnURL string) (string, error) {
	switch {
	case pay.ID == "":
		return "", apperr.Field("payment_id", "payment has no id")
	case pay.AmountMinor <= 0:
		return "", apperr.Field("amount_minor", "amount must be positive")
	case !money.ValidCurrency(pay.Currency):
		return "", apperr.Field("currency", "currency %q is not supported", pay.Currency)
	}
	if !isLocalPath(returnURL) {
		returnURL = "/orders/" + url.PathEscape(pay.OrderID)
	}
	l := payLink{
		PaymentID:   pay.ID,
		AmountMinor: pay.AmountMinor,
		Currency:    pay.Currency,
		OrderID:     pay.OrderID,
		Return:      returnURL,
	}
	q := l.values()
	q.Set("sig", p.signLink(l))
	return p.publicURL + PayPath + url.PathEscape(pay.ID) + "?" + q.Encode(), nil
}

// Refund succeeds at once for any succeeded payment: the sandbox moves no
// money, so there is nothing to wait for. Returns apperr Conflict for a
// payment that has not succeeded.
func (p *Provider) Refund(ctx context.Context, pay order.Payment) error {
	if pay.Status != order.PaymentSucceeded {
		return apperr.New(apperr.Conflict, "payment %s is %s; only a succeeded payment can be refunded", pay.ID, pay.Status)
	}
	return nil
}

// isLocalPath reports whether u is a path on this site. "//host" and
// "/\host" are rejected: browsers treat both as another host.
func isLocalPath(u string) bool {
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, "/\\") {
		return false
	}
	if strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return false
	}
	pu, err := url.Parse(u)
	return err == nil && pu.Scheme == "" && pu.Host == ""
}

// formatAmount renders minor units for people: 1990 CNY → "¥19.90".
func formatAmount(minor int64, currency string) string {
	symbols := map[string]string{"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}
	n := money.Format(minor, currency)
	sym, ok := symbols[currency]
	if !ok {
		return currency + " " + n
	}
	if strings.HasPrefix(n, "-") {
		return "-" + sym + n[1:]
	}
	return sym + n
}

// payLink is what a pay link carries, all of it covered by the signature.
type payLink struct {
	PaymentID   string
	AmountMinor int64
	Currency    string
	OrderID     string
	Return      string
}

func (l payLink) values() url.Values {
	return url.Values{
		"amount":   {strconv.FormatInt(l.AmountMinor, 10)},
		"currency": {l.Currency},
		"order":    {l.OrderID},
		"return":   {l.Return},
	}
}

// parseLink reads a link from the path's payment id and the query or form
// values, refusing anything malformed or unsigned.
func (p *Provider) parseLink(paymentID string, v url.Values) (payLink, error) {
	amount, err := strconv.ParseInt(v.Get("amount"), 10, 64)
	if err != nil || paymentID == "" {
		return payLink{}, fmt.Errorf("sandbox: malformed pay link")
	}
	l := payLink{PaymentID: paymentID, AmountMinor: amount, Currency: v.Get("currency"), OrderID: v.Get("order"), Return: v.Get("return")}
	if !p.checkLink(l, v.Get("sig")) {
		return payLink{}, fmt.Errorf("sandbox: pay link signature mismatch")
	}
	// Signed by us, but Begin only ever signs local paths: re-check anyway
	// so a leaked secret alone is not an open redirect.
	if !isLocalPath(l.Return) {
		return payLink{}, fmt.Errorf("sandbox: pay link return %q is not local", l.Return)
	}
	return l, nil
}

var _ order.PaymentProvider = (*Provider)(nil)
