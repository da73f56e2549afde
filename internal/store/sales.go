package store

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/order"
)

const dayMillis = 24 * 60 * 60 * 1000

// ShopSales sums a shop's orders paid in [from, to) per UTC day. Days are
// integer divisions of the millisecond timestamps, which both databases
// compute the same way.
func (s *Store) ShopSales(ctx context.Context, shopID string, from, to time.Time) (order.SalesSummary, error) {
	var sum order.SalesSummary
	rows, err := s.rq.QueryContext(ctx, `
		SELECT paid_at / $1 AS day, COUNT(*), COALESCE(SUM(total_minor), 0), MIN(currency)
		FROM orders
		WHERE shop_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'refunded'
		GROUP BY paid_at / $1 ORDER BY day`, int64(dayMillis), shopID, millis(from), millis(to))
	if err != nil {
		return sum, fmt.Errorf("store: shop sales: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var d order.DaySales
		var currency string
		if err := rows.Scan(&day, &d.Orders, &d.GMVMinor, &currency); err != nil {
			return sum, fmt.Errorf("store: shop sales: %w", err)
		}
		d.Day = time.UnixMilli(day * dayMillis).UTC().Format("2006-01-02")
		sum.Days = append(sum.Days, d)
		sum.PaidOrders += d.Orders
		sum.GMVMinor += d.GMVMinor
		sum.Currency = currency
	}
	if err := rows.Err(); err != nil {
		return sum, err
	}
	err = s.rq.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(l.merchant_net_minor), 0), COALESCE(SUM(l.platform_fee_minor), 0), COALESCE(SUM(l.host_commission_minor + l.mcn_share_minor), 0)
		FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.shop_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND o.status <> 'refunded'`,
		shopID, millis(from), millis(to)).Scan(&sum.MerchantNet, &sum.PlatformFees, &sum.HostCommissions)
	if err != nil {
		return sum, fmt.Errorf("store: shop sales split: %w", err)
	}
	err = s.rq.QueryRowContext(ctx, `
		SELECT COUNT(*) FILTER (WHERE status = 'pending_payment'), COUNT(*) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'refunded'),
			COUNT(*) FILTER (WHERE refund_request_id IN (SELECT id FROM refund_requests WHERE status = 'open'))
		FROM orders WHERE shop_id = $1`, shopID).Scan(&sum.AwaitingPayment, &sum.ToShip, &sum.Refunded, &sum.RefundRequests)
	if err != nil {
		return sum, fmt.Errorf("store: shop order counts: %w", err)
	}
	return sum, nil
}
