package order

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// Refund request statuses: a buyer's request waits (open) until the shop
// refunds the order (approved) or declines it, or the buyer withdraws it.
const (
	RefundOpen      = "open"
	RefundApproved  = "approved"
	RefundDeclined  = "declined"
	RefundWithdrawn = "withdrawn"
)

// RefundReasons are the reasons a buyer picks from; "other" needs a note.
var RefundReasons = []string{"not_received", "damaged", "not_as_described", "wrong_item", "changed_mind", "other"}

// RefundAnswerWindow is how long a shop has to answer a refund request;
// an unanswered request is refunded automatically, as buyers expect from
// a marketplace.
const RefundAnswerWindow = 48 * time.Hour

// Merchant webhook events for refund requests.
const (
	EventRefundRequested = "order.refund_requested"
	EventRefundDeclined  = "order.refund_declined"
	EventRefundWithdrawn = "order.refund_withdrawn"
)

// RefundRequest is a buyer asking for an order's money back.
type RefundRequest struct {
	ID            string     `json:"id"`
	OrderID       string     `json:"order_id"`
	UserID        string     `json:"user_id"`
	Reason        string     `json:"reason"`
	Note          string     `json:"note"`
	Status        string     `json:"status"`
	RespondBy     time.Time  `json:"respond_by"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	DecidedBy     string     `json:"decided_by,omitempty"`
	DeclineReason string     `json:"decline_reason,omitempty"`
}

// RefundRequestInput is what the buyer sends.
type RefundRequestInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// RefundDecision closes an open request as declined or withdrawn.
type RefundDecision struct {
	OrderID string
	Status  string // RefundDeclined or RefundWithdrawn
	By      string
	Reason  string
	At      time.Time
	Webhook *WebhookEvent
	// Notify, when set, is the buyer's notification of a decline, written
	// in the same transaction.
	Notify *Notice
}

const maxRefundNote = 500

func (in RefundRequestInput) validate() (RefundRequestInput, error) {
	in.Reason, in.Note = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Note)
	if !slices.Contains(RefundReasons, in.Reason) {
		return in, apperr.Field("reason", "reason must be one of %s", strings.Join(RefundReasons, ", "))
	}
	if in.Reason == "other" && in.Note == "" {
		return in, apperr.Field("note", "say what is wrong when the reason is other")
	}
	if utf8.RuneCountInString(in.Note) > maxRefundNote {
		return in, apperr.Field("note", "note must be at most %d characters", maxRefundNote)
	}
	return in, nil
}

// RequestRefund is the buyer asking for a paid, shipped or delivered
// order's money back. One request is open at a time.
func (s *Service) RequestRefund(ctx context.Context, a account.Actor, id string, in RefundRequestInput) (Order, error) {
	o, err := s.Order(ctx, a, id)
	if err != nil {
		return Order{}, err
	}
	if o.UserID != a.ID() {
		return Order{}, apperr.New(apperr.Forbidden, "only the buyer can ask for a refund")
	}
	if in, err = in.validate(); err != nil {
		return Order{}, err
	}
	if !CanTransition(o.Status, Refunded) {
		return Order{}, &apperr.Error{Code: apperr.Conflict, Field: "order", Message: fmt.Sprintf("order %s is %s and cannot be refunded", o.ID, o.Status)}
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	r := RefundRequest{ID: ids.New("rfr"), OrderID: o.ID, UserID: o.UserID, Reason: in.Reason, Note: in.Note, Status: RefundOpen,
		RespondBy: now.Add(RefundAnswerWindow), CreatedAt: now}
	after := o
	after.RefundRequest, after.UpdatedAt = &r, now
	if err := s.repo.CreateRefundRequest(ctx, r, orderWebhook(EventRefundRequested, after)); err != nil {
		return Order{}, fmt.Errorf("order: request refund of %s: %w", id, err)
	}
	return s.repo.OrderByID(ctx, id)
}

// WithdrawRefundRequest is the buyer taking an open request back.
func (s *Service) WithdrawRefundRequest(ctx context.Context, a account.Actor, id string) (Order, error) {
	o, err := s.Order(ctx, a, id)
	if err != nil {
		return Order{}, err
	}
	if o.UserID != a.ID() {
		return Order{}, apperr.New(apperr.Forbidden, "only the buyer can withdraw a refund request")
	}
	return s.closeRequest(ctx, o, RefundDecision{OrderID: id, Status: RefundWithdrawn, By: a.ID()}, EventRefundWithdrawn)
}

// DeclineRefundRequest is the shop refusing an open request, with the
// reason the buyer reads.
func (s *Service) DeclineRefundRequest(ctx context.Context, a account.Actor, id, reason string) (Order, error) {
	o, err := s.Order(ctx, a, id)
	if err != nil {
		return Order{}, err
	}
	if !catalog.CanOperate(a, o.ShopID) {
		return Order{}, apperr.New(apperr.Forbidden, "only the shop can decline a refund request")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		return Order{}, apperr.Field("reason", "tell the buyer why, in 1–200 characters")
	}
	return s.closeRequest(ctx, o, RefundDecision{OrderID: id, Status: RefundDeclined, By: a.ID(), Reason: reason}, EventRefundDeclined)
}

func (s *Service) closeRequest(ctx context.Context, o Order, d RefundDecision, event string) (Order, error) {
	if o.RefundRequest == nil || o.RefundRequest.Status != RefundOpen {
		return Order{}, &apperr.Error{Code: apperr.Conflict, Field: "refund_request", Message: "order " + o.ID + " has no open refund request"}
	}
	d.At = s.now().UTC().Truncate(time.Millisecond)
	after := o
	closed := *o.RefundRequest
	closed.Status, closed.DecidedAt, closed.DecidedBy, closed.DeclineReason = d.Status, &d.At, d.By, d.Reason
	after.RefundRequest, after.UpdatedAt = &closed, d.At
	d.Webhook = orderWebhook(event, after)
	if d.Status == RefundDeclined {
		d.Notify = noticeOf(NoticeRefundDeclined, o, d.At)
		d.Notify.Reason = d.Reason
	}
	if err := s.repo.CloseRefundRequest(ctx, d); err != nil {
		return Order{}, fmt.Errorf("order: %s refund request of %s: %w", d.Status, o.ID, err)
	}
	s.notify(ctx, d.Notify)
	return s.repo.OrderByID(ctx, o.ID)
}

// RefundOverdue refunds the orders whose refund request the shop left
// unanswered past its deadline, and reports how many it refunded.
func (s *Service) RefundOverdue(ctx context.Context, limit int) (int, error) {
	due, err := s.repo.OverdueRefundRequests(ctx, s.now().UTC(), limit)
	if err != nil {
		return 0, fmt.Errorf("order: overdue refund requests: %w", err)
	}
	n := 0
	for _, id := range due {
		o, err := s.repo.OrderByID(ctx, id)
		if err != nil {
			return n, err
		}
		if o.RefundRequest == nil || o.RefundRequest.Status != RefundOpen {
			continue // answered meanwhile
		}
		_, err = s.refund(ctx, o, "", "refund request not answered in time")
		if apperr.Is(err, apperr.Conflict) {
			continue // refunded or moved on by another node
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
