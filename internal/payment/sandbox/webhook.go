package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
)

// Event types the sandbox sends.
const (
	EventSucceeded = "payment.succeeded"
	EventFailed    = "payment.failed"
)

// Event is the webhook body.
type Event struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	PaymentID   string `json:"payment_id"`
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
	Created     int64  `json:"created"`
}

// VerifyWebhook authenticates a webhook and returns its event. Replays are
// not detected here: the caller's store refuses an event id it has seen.
//
// Returns apperr Unauthorized for a missing, malformed or wrong signature
// or a timestamp outside the tolerance, and apperr Invalid for a body that
// is not a sandbox event.
func (p *Provider) VerifyWebhook(h http.Header, body []byte) (order.ProviderEvent, error) {
	if err := p.verifySignature(h.Get(SignatureHeader), body); err != nil {
		return order.ProviderEvent{}, err
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return order.ProviderEvent{}, apperr.New(apperr.Invalid, "sandbox webhook body is not valid JSON")
	}
	if ev.ID == "" || ev.PaymentID == "" {
		return order.ProviderEvent{}, apperr.New(apperr.Invalid, "sandbox webhook has no event or payment id")
	}
	if ev.Type != EventSucceeded && ev.Type != EventFailed {
		return order.ProviderEvent{}, apperr.New(apperr.Invalid, "sandbox webhook type %q is unknown", ev.Type)
	}
	return order.ProviderEvent{
		ID:        ev.ID,
		PaymentID: ev.PaymentID,
		Succeeded: ev.Type == EventSucceeded,
		At:        time.Unix(ev.Created, 0).UTC(),
	}, nil
}

// verifySignature checks "t=<unix>,v1=<hex>[,v1=<hex>…]"; any v1 may
// match, which lets a sender sign with an old and a new secret while
// rotating.
func (p *Provider) verifySignature(header string, body []byte) error {
	if header == "" {
		return apperr.New(apperr.Unauthorized, "missing %s header", SignatureHeader)
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return apperr.New(apperr.Unauthorized, "malformed %s header", SignatureHeader)
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			if sig, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, sig)
			}
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return apperr.New(apperr.Unauthorized, "malformed %s header: want t=<unix>,v1=<hex>", SignatureHeader)
	}
	// Check the MAC before the clock so a forger learns nothing from
	// which check failed; both fail closed anyway.
	want := p.eventMAC(ts, body)
	matched := false
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			matched = true
		}
	}
	if !matched {
		return apperr.New(apperr.Unauthorized, "%s does not match the body", SignatureHeader)
	}
	if skew := p.now().Sub(time.Unix(t, 0)).Abs(); skew > p.tolerance {
		return apperr.New(apperr.Unauthorized, "webhook timestamp is %s off, more than the %s tolerance", skew.Round(time.Second), p.tolerance)
	}
	return nil
}

// deliver POSTs a signed event for l to the webhook URL and returns the
// status it answered.
func (p *Provider) deliver(ctx context.Context, l payLink, succeeded bool) (int, error) {
	now := p.now()
	ev := Event{
		ID: ids.New("evt"), Type: EventFailed, PaymentID: l.PaymentID,
		AmountMinor: l.AmountMinor, Currency: l.Currency, Created: now.Unix(),
	}
	if succeeded {
		ev.Type = EventSucceeded
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("sandbox: encode event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.webhookURL(), bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("sandbox: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, p.SignEvent(body, now))
	res, err := p.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("sandbox: deliver %s for payment %s: %w", ev.ID, l.PaymentID, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
	return res.StatusCode, nil
}
