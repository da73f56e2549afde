package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

// CreatePayment stores a payment attempt; the same (order, key) returns
// the existing one with created=false.
func (s *Store) CreatePayment(ctx context.Context, p order.Payment) (order.Payment, bool, error) {
	_, err := s.write(ctx, `
		INSERT INTO payments (id, order_id, provider, amount_minor, currency, status, idempotency_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.OrderID, p.Provider, p.AmountMinor, p.Currency, p.Status, p.IdempotencyKey, millis(p.CreatedAt), millis(p.UpdatedAt))
	if isUnique(err) {
		prev, err := scanPayment(s.wq.QueryRowContext(ctx, `SELECT `+paymentColumns+` FROM payments WHERE order_id = $1 AND idempotency_key = $2`,
			p.OrderID, p.IdempotencyKey))
		return prev, false, notFound(err, "payment")
	}
	if err != nil {
		return order.Payment{}, false, fmt.Errorf("store: create payment: %w", err)
	}
	return p, true, nil
}

const paymentColumns = `id, order_id, provider, amount_minor, currency, status, idempotency_key, created_at, updated_at`

func scanPayment(row interface{ Scan(...any) error }) (order.Payment, error) {
	var p order.Payment
	var created, updated int64
	if err := row.Scan(&p.ID, &p.OrderID, &p.Provider, &p.AmountMinor, &p.Currency, &p.Status, &p.IdempotencyKey, &created, &updated); err != nil {
		return order.Payment{}, err
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	return p, nil
}

// ListPayments lists an order's payments, oldest first.
func (s *Store) ListPayments(ctx context.Context, orderID string) ([]order.Payment, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+paymentColumns+` FROM payments WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: list payments: %w", err)
	}
	defer rows.Close()
	out := []order.Payment{}
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list payments: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecordPayment applies a provider event once, as one transaction of
// known statements (a single round trip on PostgreSQL).
func (s *Store) RecordPayment(ctx context.Context, rec order.PaymentRecord) error {
	kind := "failed"
	if rec.Succeeded {
		kind = "succeeded"
	}
	steps := []step{
		{query: `INSERT INTO payment_events (event_id, provider, payment_id, kind, received_at) VALUES ($1, $2, $3, $4, $5)`,
			args: []any{rec.EventID, rec.Provider, rec.PaymentID, kind, millis(rec.At)}},
		{query: `UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'pending'`,
			args: []any{kind, millis(rec.At), rec.PaymentID},
			check: func(n int64) error {
				if n != 1 {
					return apperr.New(apperr.Conflict, "payment %s is no longer pending", rec.PaymentID)
				}
				return nil
			}},
	}
	if rec.Succeeded {
		steps = append(steps,
			step{query: `UPDATE orders SET status = 'paid', paid_at = $1, updated_at = $1 WHERE id = $2 AND status = 'pending_payment'`,
				args: []any{millis(rec.At), rec.OrderID},
				check: func(n int64) error {
					if n != 1 {
						return apperr.New(apperr.Conflict, "order %s is no longer awaiting payment", rec.OrderID)
					}
					return nil
				}},
			statusLogStep(rec.OrderID, order.PendingPayment, order.Paid, "", "payment "+rec.PaymentID, rec.At))
		steps = append(steps, paidReservationSteps(rec.Reservations)...)
		if st, ok := webhookStep(rec.Webhook, rec.At); ok {
			steps = append(steps, st)
		}
		for lineID, sp := range rec.Splits {
			steps = append(steps, step{query: `
				UPDATE order_lines SET platform_fee_minor = $1, host_commission_minor = $2, mcn_share_minor = $3, merchant_net_minor = $4
				WHERE id = $5 AND order_id = $6`, args: []any{sp.PlatformFee, sp.HostCommission, sp.MCNShare, sp.MerchantNet, lineID, rec.OrderID}})
		}
	}
	err := s.runSteps(ctx, steps)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "payment event %s was already processed", rec.EventID)
	}
	if err != nil && !apperr.Is(err, apperr.Conflict) {
		return fmt.Errorf("store: record payment: %w", err)
	}
	return err
}

// MarkPaymentRefunded flags the order's succeeded payments as refunded.
func (s *Store) MarkPaymentRefunded(ctx context.Context, orderID string, at time.Time) error {
	_, err := s.wq.ExecContext(ctx, `UPDATE payments SET status = 'refunded', updated_at = $1 WHERE order_id = $2 AND status = 'succeeded'`,
		millis(at), orderID)
	if err != nil {
		return fmt.Errorf("store: refund payment: %w", err)
	}
	return nil
}

// RecordRefundedPayment records a success event whose money went straight
// back to the buyer.
func (s *Store) RecordRefundedPayment(ctx context.Context, rec order.PaymentRecord) error {
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO payment_events (event_id, provider, payment_id, kind, received_at) VALUES ($1, $2, $3, 'succeeded', $4)`,
			rec.EventID, rec.Provider, rec.PaymentID, millis(rec.At))
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "payment event %s was already processed", rec.EventID)
		}
		if err != nil {
			return fmt.Errorf("store: record payment event: %w", err)
		}
		if err := execOne(ctx, tx, "pending payment", `
			UPDATE payments SET status = 'refunded', updated_at = $1 WHERE id = $2 AND status = 'pending'`, millis(rec.At), rec.PaymentID); err != nil {
			return err
		}
		return insertOrderNotice(ctx, tx, rec.Notify)
	})
}

// PaymentForEvent loads a payment, its order and lines, and the platform
// fee in one query: a provider callback needs all of them. The fee is the
// one captured when the order was placed (older orders: the shop's now).
func (s *Store) PaymentForEvent(ctx context.Context, paymentID string) (order.Payment, order.Order, int, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+orderColumnsO+`, `+lineColumnsL+`, `+qualify("p", paymentColumns)+`, COALESCE(o.platform_fee_bps, sh.fee_override_bps, pr.platform_fee_bps)
		FROM payments p
		JOIN orders o ON o.id = p.order_id
		JOIN order_lines l ON l.order_id = o.id
		JOIN shops sh ON sh.id = o.shop_id
		JOIN programmes pr ON pr.code = sh.programme
		WHERE p.id = $1 ORDER BY l.id`, paymentID)
	if err != nil {
		return order.Payment{}, order.Order{}, 0, fmt.Errorf("store: payment %s: %w", paymentID, err)
	}
	defer rows.Close()
	var pay order.Payment
	var o order.Order
	var fee int
	found := false
	for rows.Next() {
		var row order.Order
		var l order.Line
		var attrs string
		var room, host, mcn sql.NullString
		var p order.Payment
		var created, updated int64
		dest := append(lineDest(&l, &attrs, &room, &host, &mcn),
			&p.ID, &p.OrderID, &p.Provider, &p.AmountMinor, &p.Currency, &p.Status, &p.IdempotencyKey, &created, &updated, &fee)
		if row, err = scanOrder(rows, dest...); err != nil {
			return order.Payment{}, order.Order{}, 0, fmt.Errorf("store: payment %s: %w", paymentID, err)
		}
		finishLine(&l, attrs, room, host, mcn)
		if !found {
			p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
			pay, o, found = p, row, true
		}
		o.Lines = append(o.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return order.Payment{}, order.Order{}, 0, fmt.Errorf("store: payment %s: %w", paymentID, err)
	}
	if !found {
		return order.Payment{}, order.Order{}, 0, apperr.New(apperr.NotFound, "payment not found")
	}
	rows.Close()
	os := []order.Order{o}
	if err := s.attachRefundRequests(ctx, s.rq, os); err != nil {
		return order.Payment{}, order.Order{}, 0, err
	}
	return pay, os[0], fee, nil
}
