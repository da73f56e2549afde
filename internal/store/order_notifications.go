package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/social"
)

// A buyer's notifications about their order (docs/DISCOVERY.md) are
// written by the transaction that changes the order: the conditional
// order update lets one change through, so its notification exists
// exactly once, and never for a change that did not happen.

// insertOrderNotice writes n, with the shop's name and its English text,
// as the buyer's notification; nil writes nothing.
func insertOrderNotice(ctx context.Context, tx *dbtx, n *order.Notice) error {
	if n == nil {
		return nil
	}
	var shop string
	if err := tx.QueryRowContext(ctx, `SELECT s.name FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = $1`,
		n.OrderID).Scan(&shop); err != nil {
		return fmt.Errorf("store: %s notification of %s: %w", n.Kind, n.OrderID, notFound(err, "order"))
	}
	row := OrderNotification(*n, shop)
	params, err := json.Marshal(row.Params)
	if err != nil {
		return fmt.Errorf("store: notification params: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, user_id, kind, order_id, title, body, url, params, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		row.ID, row.UserID, row.Kind, row.OrderID, row.Title, row.Body, row.URL, string(params), millis(row.CreatedAt)); err != nil {
		return fmt.Errorf("store: %s notification of %s: %w", n.Kind, n.OrderID, err)
	}
	return nil
}

// OrderNotification is the notification an order notice is stored as,
// from the shop named shop: English text, a link to the order.
func OrderNotification(n order.Notice, shop string) social.Notification {
	p := social.NotificationParams{Shop: shop, Carrier: n.Carrier, TrackingNumber: n.TrackingNumber, Reason: n.Reason,
		TotalMinor: n.TotalMinor, Currency: n.Currency}
	switch n.Kind {
	case order.NoticeShipped:
		p.Reason, p.TotalMinor, p.Currency = "", 0, ""
	case order.NoticeRefundDeclined:
		p.Carrier, p.TrackingNumber = "", ""
	default:
		p.Carrier, p.TrackingNumber, p.Reason = "", "", ""
	}
	title, body, _ := social.EnglishText(n.Kind, p)
	return social.Notification{ID: n.ID, UserID: n.UserID, Kind: n.Kind, OrderID: n.OrderID, Title: title, Body: body,
		URL: "/orders/" + n.OrderID, Params: p, CreatedAt: n.At}
}
