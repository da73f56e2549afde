package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

// Orders whose stock was held before they existed (a flash reservation, an
// auction win or a prize) and orders paid partly with a coupon: the extra
// steps that keep the hold or the coupon consistent with the order.

// holdSteps claims what backs a held line instead of taking SKU stock: a
// flash reservation is bound to this order (once, while still held); an
// award's stock was taken when the auction or draw was created.
func holdSteps(o order.Order, l order.Line) []step {
	rid := l.ReservationID()
	if rid == "" {
		return nil
	}
	return []step{{query: `
		UPDATE flash_reservations SET order_id = $1 WHERE id = $2 AND user_id = $3 AND status = 'held' AND order_id = ''`,
		args: []any{o.ID, rid, o.UserID},
		check: func(n int64) error {
			if n != 1 {
				return &apperr.Error{Code: apperr.Conflict, Field: "reservation_id", Message: "the reservation is no longer held or already has an order"}
			}
			return nil
		}}}
}

// couponStep marks the order's coupon claim used; a claim backs one order.
func couponStep(o order.Order) step {
	return step{query: `UPDATE coupon_claims SET order_id = $1, used_at = $2 WHERE id = $3 AND user_id = $4 AND order_id IS NULL`,
		args: []any{o.ID, millis(o.CreatedAt), o.CouponClaimID, o.UserID},
		check: func(n int64) error {
			if n != 1 {
				return &apperr.Error{Code: apperr.Conflict, Field: "coupon_claim_id", Message: "this coupon was already used"}
			}
			return nil
		}}
}

// paidReservationSteps marks the flash reservations behind an order's
// lines paid; a reservation that expired meanwhile fails the payment (the
// caller refunds it).
func paidReservationSteps(reservationIDs []string) []step {
	var steps []step
	for _, rid := range reservationIDs {
		steps = append(steps, step{query: `UPDATE flash_reservations SET status = 'paid' WHERE id = $1 AND status = 'held'`,
			args: []any{rid},
			check: func(n int64) error {
				if n != 1 {
					return &apperr.Error{Code: apperr.Conflict, Field: order.FieldLapsedHold,
						Message: fmt.Sprintf("flash reservation %s expired before the payment arrived", rid)}
				}
				return nil
			}})
	}
	return steps
}

// releaseHolds gives back what a cancelled order held: its flash
// reservations return to their sale (the sale's engine collects them) and
// its coupon claim can be used again.
func releaseHolds(ctx context.Context, tx *dbtx, orderID string) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE flash_reservations SET status = 'released' WHERE order_id = $1 AND order_id <> '' AND status = 'held'`, orderID); err != nil {
		return fmt.Errorf("store: release reservations of %s: %w", orderID, err)
	}
	var claim string
	err := tx.QueryRowContext(ctx, `SELECT coupon_claim_id FROM orders WHERE id = $1`, orderID).Scan(&claim)
	if err != nil {
		return fmt.Errorf("store: coupon of %s: %w", orderID, err)
	}
	if claim == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE coupon_claims SET order_id = NULL, used_at = NULL WHERE id = $1 AND order_id = $2`,
		claim, orderID); err != nil {
		return fmt.Errorf("store: free coupon of %s: %w", orderID, err)
	}
	return nil
}

func nullMillis(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: millis(*t), Valid: true}
}
