package order

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

func requestHash(in PlaceInput) string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Pay starts paying an order with a provider and returns the payment with
// the page where the buyer pays. The same idempotency key returns the same
// payment.
func (s *Service) Pay(ctx context.Context, a account.Actor, orderID, provider, idemKey, returnURL string) (Payment, error) {
	o, err := s.Order(ctx, a, orderID)
	if err != nil {
		return Payment{}, err
	}
	if o.UserID != a.ID() {
		return Payment{}, apperr.New(apperr.Forbidden, "only the buyer pays for an order")
	}
	if provider == "" {
		provider = "sandbox"
	}
	p, ok := s.providers[provider]
	if !ok {
		return Payment{}, apperr.Field("provider", "unknown payment provider %q", provider)
	}
	if len(idemKey) > 100 {
		return Payment{}, apperr.Field("Idempotency-Key", "idempotency key must be at most 100 characters")
	}
	if idemKey == "" {
		idemKey = ids.Token(12)
	}
	if o.Status != PendingPayment {
		return Payment{}, apperr.New(apperr.Conflict, "order %s is %s, not awaiting payment", o.ID, o.Status)
	}
	if s.now().After(o.ExpiresAt) {
		return Payment{}, apperr.New(apperr.Conflict, "the payment window of order %s has closed", o.ID)
	}
	now := s.now().UTC()
	pay := Payment{ID: ids.New("pay"), OrderID: o.ID, Provider: provider, AmountMinor: o.TotalMinor, Currency: o.Currency,
		Status: PaymentPending, IdempotencyKey: idemKey, CreatedAt: now, UpdatedAt: now}
	stored, _, err := s.repo.CreatePayment(ctx, pay)
	if err != nil {
		return Payment{}, fmt.Errorf("order: pay %s: %w", o.ID, err)
	}
	url, err := p.Begin(ctx, stored, returnURL)
	if err != nil {
		return Payment{}, fmt.Errorf("order: pay %s with %s: %w", o.ID, provider, err)
	}
	stored.PayURL = url
	return stored, nil
}

// Payments lists an order's payment attempts.
func (s *Service) Payments(ctx context.Context, a account.Actor, orderID string) ([]Payment, error) {
	if _, err := s.Order(ctx, a, orderID); err != nil {
		return nil, err
	}
	return s.repo.ListPayments(ctx, orderID)
}

// HandleProviderWebhook verifies and applies a payment provider callback.
// A replayed event is refused with Conflict and changes nothing.
func (s *Service) HandleProviderWebhook(ctx context.Context, provider string, h http.Header, body []byte) error {
	p, ok := s.providers[provider]
	if !ok {
		return apperr.New(apperr.NotFound, "unknown payment provider %q", provider)
	}
	ev, err := p.VerifyWebhook(h, body)
	if err != nil {
		return err
	}
	pay, o, platformBPS, err := s.repo.PaymentForEvent(ctx, ev.PaymentID)
	if err != nil {
		return fmt.Errorf("order: webhook for payment %s: %w", ev.PaymentID, err)
	}
	if pay.Provider != provider {
		return apperr.New(apperr.NotFound, "payment not found")
	}
	rec := PaymentRecord{EventID: provider + ":" + ev.ID, Provider: provider, PaymentID: pay.ID, OrderID: pay.OrderID, Succeeded: ev.Succeeded, At: s.now().UTC()}
	if ev.Succeeded {
		if o.Status == Cancelled {
			return s.refundLatePayment(ctx, p, pay, o, rec)
		}
		if o.Status != PendingPayment {
			return apperr.New(apperr.Conflict, "order %s is already %s", o.ID, o.Status)
		}
		if pay.AmountMinor != o.TotalMinor {
			return apperr.New(apperr.Conflict, "payment %s does not cover order %s", pay.ID, o.ID)
		}
		rec.Splits = map[string]Split{}
		for i, l := range o.Lines {
			sp := SplitLine(l.LineTotalMinor, platformBPS, l.CommissionBPS, l.HostID != "", l.MCNShareBPS)
			rec.Splits[l.ID] = sp
			o.Lines[i].Split = sp
		}
		for _, l := range o.Lines {
			if rid := l.ReservationID(); rid != "" {
				rec.Reservations = append(rec.Reservations, rid)
			}
		}
		o.Status, o.PaidAt, o.UpdatedAt = Paid, &rec.At, rec.At
		rec.Webhook = webhookFor(o)
	}
	err = s.repo.RecordPayment(ctx, rec)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Field == FieldLapsedHold {
		// The flash sale took the stock back: the buyer gets the money back.
		return s.refundLatePayment(ctx, p, pay, o, rec)
	}
	if err != nil {
		return fmt.Errorf("order: record payment %s: %w", pay.ID, err)
	}
	if ev.Succeeded {
		s.recordOrder(analytics.KindPaid, o) // committed: the order is paid
	}
	return nil
}

// refundLatePayment handles money that arrives for an order already
// cancelled (its payment window closed, or the buyer cancelled): the stock
// is gone back to the shelf, so the buyer gets the money back at once
// rather than an order nobody will ship.
func (s *Service) refundLatePayment(ctx context.Context, p PaymentProvider, pay Payment, o Order, rec PaymentRecord) error {
	pay.Status = PaymentSucceeded // as the provider now sees it
	if err := p.Refund(ctx, pay); err != nil {
		return fmt.Errorf("order: refund late payment %s: %w", pay.ID, err)
	}
	// The buyer paid and got the money back at once: tell them why.
	rec.Notify = noticeOf(NoticeRefunded, o, rec.At)
	rec.Notify.TotalMinor, rec.Notify.Currency = pay.AmountMinor, pay.Currency
	if err := s.repo.RecordRefundedPayment(ctx, rec); err != nil {
		return fmt.Errorf("order: record late payment %s: %w", pay.ID, err)
	}
	s.notify(ctx, rec.Notify)
	return nil
}

// webhookFor is the merchant webhook for o entering its status.
func webhookFor(o Order) *WebhookEvent {
	return orderWebhook(EventFor(o.Status), o)
}

// orderWebhook is the merchant webhook event about o, as it is after the change.
func orderWebhook(event string, o Order) *WebhookEvent {
	payload, _ := json.Marshal(map[string]any{"type": event, "id": ids.New("evt"), "created_at": o.UpdatedAt, "data": o})
	return &WebhookEvent{ShopID: o.ShopID, Type: event, Payload: payload}
}

// ShipInput is what the merchant gives when an order leaves the warehouse.
type ShipInput struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
}

// Ship marks a paid order shipped; shop members only.
func (s *Service) Ship(ctx context.Context, a account.Actor, id string, in ShipInput) (Order, error) {
	in.Carrier, in.TrackingNumber = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNumber)
	if in.Carrier == "" || len(in.Carrier) > 60 {
		return Order{}, apperr.Field("carrier", "carrier must be 1–60 characters")
	}
	if in.TrackingNumber == "" || len(in.TrackingNumber) > 60 {
		return Order{}, apperr.Field("tracking_number", "tracking number must be 1–60 characters")
	}
	return s.move(ctx, a, id, Shipped, moveOpts{merchant: true, carrier: in.Carrier, tracking: in.TrackingNumber})
}

// MarkDelivered records delivery of a shipped order; shop members only.
func (s *Service) MarkDelivered(ctx context.Context, a account.Actor, id string) (Order, error) {
	return s.move(ctx, a, id, Delivered, moveOpts{merchant: true})
}

// Complete is the buyer confirming receipt of a delivered order.
func (s *Service) Complete(ctx context.Context, a account.Actor, id string) (Order, error) {
	return s.move(ctx, a, id, Completed, moveOpts{buyer: true})
}

// Cancel is the buyer (or the shop) calling off an unpaid order; its stock returns.
func (s *Service) Cancel(ctx context.Context, a account.Actor, id, reason string) (Order, error) {
	if len(reason) > 200 {
		return Order{}, apperr.Field("reason", "reason must be at most 200 characters")
	}
	return s.move(ctx, a, id, Cancelled, moveOpts{buyer: true, merchant: true, note: reason, restock: true})
}

// Refund returns a paid order's money through its provider; shop members
// or admins. Stock returns when the order had not shipped. An open refund
// request is approved with it.
func (s *Service) Refund(ctx context.Context, a account.Actor, id, reason string) (Order, error) {
	o, err := s.Order(ctx, a, id)
	if err != nil {
		return Order{}, err
	}
	if !catalog.CanOperate(a, o.ShopID) {
		return Order{}, apperr.New(apperr.Forbidden, "only the shop can refund an order")
	}
	return s.refund(ctx, o, a.ID(), reason)
}

func (s *Service) refund(ctx context.Context, o Order, actorID, reason string) (Order, error) {
	if !CanTransition(o.Status, Refunded) {
		return Order{}, apperr.New(apperr.Conflict, "order %s is %s and cannot be refunded", o.ID, o.Status)
	}
	pays, err := s.repo.ListPayments(ctx, o.ID)
	if err != nil {
		return Order{}, err
	}
	for _, p := range pays {
		if p.Status != PaymentSucceeded {
			continue
		}
		prov, ok := s.providers[p.Provider]
		if !ok {
			return Order{}, apperr.New(apperr.Unavailable, "payment provider %s is not configured", p.Provider)
		}
		if err := prov.Refund(ctx, p); err != nil {
			return Order{}, fmt.Errorf("order: refund %s: %w", o.ID, err)
		}
	}
	out, err := s.apply(ctx, o, Refunded, actorID, moveOpts{note: reason, restock: o.Status == Paid})
	if err != nil {
		return Order{}, err
	}
	return out, s.repo.MarkPaymentRefunded(ctx, o.ID, s.now().UTC())
}

type moveOpts struct {
	buyer, merchant bool // who may make the move
	restock         bool
	note            string
	carrier         string
	tracking        string
	// ifRefundRequest, when set, applies the move only while the order's
	// latest refund request is still this one ("" for none).
	ifRefundRequest *string
}

func (s *Service) move(ctx context.Context, a account.Actor, id, to string, m moveOpts) (Order, error) {
	o, err := s.Order(ctx, a, id)
	if err != nil {
		return Order{}, err
	}
	allowed := (m.buyer && o.UserID == a.ID()) || (m.merchant && catalog.CanOperate(a, o.ShopID))
	if !allowed {
		return Order{}, apperr.New(apperr.Forbidden, "you may not mark order %s %s", id, to)
	}
	if !CanTransition(o.Status, to) {
		return Order{}, apperr.New(apperr.Conflict, "order %s is %s and cannot become %s", id, o.Status, to)
	}
	return s.apply(ctx, o, to, a.ID(), m)
}

// apply moves o, as last read, to status to. The store applies the change
// only while the order is still in o.Status, so that status must itself
// allow the move: ExpireUnpaid reads orders another node may have paid or
// cancelled since it listed them.
func (s *Service) apply(ctx context.Context, o Order, to, actorID string, m moveOpts) (Order, error) {
	if !CanTransition(o.Status, to) {
		return Order{}, apperr.New(apperr.Conflict, "order %s is %s and cannot become %s", o.ID, o.Status, to)
	}
	now := s.now().UTC()
	t := Transition{OrderID: o.ID, From: o.Status, To: to, ActorID: actorID, Note: strings.TrimSpace(m.note), At: now,
		Restock: m.restock, Carrier: m.carrier, TrackingNumber: m.tracking, IfRefundRequest: m.ifRefundRequest}
	after := o
	after.Status, after.UpdatedAt = to, now
	if m.carrier != "" {
		after.Carrier, after.TrackingNumber = m.carrier, m.tracking
	}
	if r := o.RefundRequest; to == Refunded && r != nil && r.Status == RefundOpen {
		approved := *r // the store approves it in the same transaction
		approved.Status, approved.DecidedAt, approved.DecidedBy = RefundApproved, &now, actorID
		after.RefundRequest = &approved
	}
	t.Webhook = webhookFor(after)
	if kind := noticeKinds[to]; kind != "" {
		t.Notify = noticeOf(kind, after, now)
	}
	if err := s.repo.Transition(ctx, t); err != nil {
		return Order{}, fmt.Errorf("order: %s → %s: %w", o.ID, to, err)
	}
	s.notify(ctx, t.Notify)
	return s.repo.OrderByID(ctx, o.ID)
}

// noticeKinds are the moves the buyer is told of, by the status moved to.
var noticeKinds = map[string]string{Shipped: NoticeShipped, Delivered: NoticeDelivered, Refunded: NoticeRefunded}

// noticeOf is the buyer's notice of kind about o as it is after the change.
func noticeOf(kind string, o Order, at time.Time) *Notice {
	return &Notice{ID: ids.New("ntf"), UserID: o.UserID, Kind: kind, OrderID: o.ID, At: at.Truncate(time.Millisecond),
		Carrier: o.Carrier, TrackingNumber: o.TrackingNumber, TotalMinor: o.TotalMinor, Currency: o.Currency}
}

// UseNotifier sets who hears of the buyer notices the service wrote (the
// Web Push of them); it is called after the commit and must not block.
func (s *Service) UseNotifier(n Notifier) { s.notifier = n }

// notify hands a committed notice to the notifier, if any.
func (s *Service) notify(ctx context.Context, n *Notice) {
	if n != nil && s.notifier != nil {
		s.notifier(context.WithoutCancel(ctx), *n)
	}
}

// ExpireUnpaid cancels orders whose payment window has closed and returns
// their stock. It returns how many it cancelled.
func (s *Service) ExpireUnpaid(ctx context.Context, limit int) (int, error) {
	idsToExpire, err := s.repo.ExpiredOrders(ctx, s.now().UTC(), limit)
	if err != nil {
		return 0, fmt.Errorf("order: find expired: %w", err)
	}
	n := 0
	for _, id := range idsToExpire {
		o, err := s.repo.OrderByID(ctx, id)
		if err != nil {
			return n, err
		}
		_, err = s.apply(ctx, o, Cancelled, "", moveOpts{restock: true, note: "payment window closed"})
		if apperr.Is(err, apperr.Conflict) {
			continue // paid or cancelled meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RunExpiry cancels expired orders, refunds orders whose refund request
// went unanswered and confirms receipt of orders delivered long ago, every
// interval until ctx ends.
func (s *Service) RunExpiry(ctx context.Context, interval time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.ExpireUnpaid(ctx, 500)
			if err != nil && ctx.Err() == nil {
				logf("order expiry failed", "err", err)
			} else if n > 0 {
				logf("expired unpaid orders", "count", n)
			}
			n, err = s.RefundOverdue(ctx, 100)
			if err != nil && ctx.Err() == nil {
				logf("refunding unanswered refund requests failed", "err", err)
			} else if n > 0 {
				logf("refunded unanswered refund requests", "count", n)
			}
			n, err = s.AutoComplete(ctx, 500)
			if err != nil && ctx.Err() == nil {
				logf("confirming receipt of delivered orders failed", "err", err)
			} else if n > 0 {
				logf("confirmed receipt of delivered orders", "count", n)
			}
		}
	}
}
