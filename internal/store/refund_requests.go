package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

const refundRequestColumns = `id, order_id, user_id, reason, note, status, respond_by, created_at, decided_at, decided_by, decline_reason`

// CreateRefundRequest stores an open request and points its order at it.
func (s *Store) CreateRefundRequest(ctx context.Context, r order.RefundRequest, webhook *order.WebhookEvent) error {
	return s.tx(ctx, func(tx *dbtx) error {
		// The unique index on open requests settles two requests racing
		// for one order; the order update settles a refund racing the request.
		_, err := tx.ExecContext(ctx, `INSERT INTO refund_requests (`+refundRequestColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, '', '')`,
			r.ID, r.OrderID, r.UserID, r.Reason, r.Note, r.Status, millis(r.RespondBy), millis(r.CreatedAt))
		if isUnique(err) {
			return &apperr.Error{Code: apperr.Conflict, Field: "order", Message: "order " + r.OrderID + " already has an open refund request"}
		}
		if err != nil {
			return fmt.Errorf("store: refund request for %s: %w", r.OrderID, err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE orders SET refund_request_id = $1, updated_at = $2
			WHERE id = $3 AND status IN ('paid', 'shipped', 'delivered')`, r.ID, millis(r.CreatedAt), r.OrderID)
		if err != nil {
			return fmt.Errorf("store: refund request for %s: %w", r.OrderID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "order", Message: "order " + r.OrderID + " can no longer be refunded"}
		}
		return enqueueWebhook(ctx, tx, webhook, r.CreatedAt)
	})
}

// CloseRefundRequest declines or withdraws the order's open request.
func (s *Store) CloseRefundRequest(ctx context.Context, d order.RefundDecision) error {
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE refund_requests SET status = $1, decided_at = $2, decided_by = $3, decline_reason = $4
			WHERE order_id = $5 AND status = 'open'`, d.Status, millis(d.At), d.By, d.Reason, d.OrderID)
		if err != nil {
			return fmt.Errorf("store: close refund request of %s: %w", d.OrderID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "refund_request", Message: "order " + d.OrderID + " has no open refund request"}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET updated_at = $1 WHERE id = $2`, millis(d.At), d.OrderID); err != nil {
			return fmt.Errorf("store: close refund request of %s: %w", d.OrderID, err)
		}
		if err := insertOrderNotice(ctx, tx, d.Notify); err != nil {
			return err
		}
		return enqueueWebhook(ctx, tx, d.Webhook, d.At)
	})
}

// approveRefundRequest marks the open request of an order being refunded
// approved, in the refund's transaction.
func approveRefundRequest(ctx context.Context, tx *dbtx, t order.Transition) error {
	_, err := tx.ExecContext(ctx, `UPDATE refund_requests SET status = 'approved', decided_at = $1, decided_by = $2
		WHERE order_id = $3 AND status = 'open'`, millis(t.At), t.ActorID, t.OrderID)
	if err != nil {
		return fmt.Errorf("store: approve refund request of %s: %w", t.OrderID, err)
	}
	return nil
}

// OverdueRefundRequests lists the orders whose open request was due before now.
func (s *Store) OverdueRefundRequests(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT order_id FROM refund_requests WHERE status = 'open' AND respond_by < $1 ORDER BY respond_by LIMIT $2`,
		millis(now), limit)
}

// attachRefundRequests fills the requests the orders point at.
func (s *Store) attachRefundRequests(ctx context.Context, q queryer, os []order.Order) error {
	idx := map[string]int{}
	var args []any
	for i, o := range os {
		if o.RefundRequest != nil {
			idx[o.RefundRequest.ID] = i
			args = append(args, o.RefundRequest.ID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT `+refundRequestColumns+` FROM refund_requests WHERE id IN (`+placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: refund requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r order.RefundRequest
		var respondBy, created int64
		var decided sql.NullInt64
		if err := rows.Scan(&r.ID, &r.OrderID, &r.UserID, &r.Reason, &r.Note, &r.Status, &respondBy, &created, &decided,
			&r.DecidedBy, &r.DeclineReason); err != nil {
			return fmt.Errorf("store: refund requests: %w", err)
		}
		r.RespondBy, r.CreatedAt, r.DecidedAt = fromMillis(respondBy), fromMillis(created), fromNullMillis(decided)
		os[idx[r.ID]].RefundRequest = &r
	}
	return rows.Err()
}
