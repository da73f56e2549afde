package store

import (
	"context"
	"database/sql"

	"github.com/liveshop/liveshop/internal/order"
)

// RoomForAttribution returns a live room's shop, host and status.
func (s *Store) RoomForAttribution(ctx context.Context, roomID string) (order.RoomRef, error) {
	var r order.RoomRef
	var host sql.NullString
	err := s.rq.QueryRowContext(ctx, `SELECT shop_id, host_id, status FROM live_sessions WHERE id = $1`, roomID).
		Scan(&r.ShopID, &host, &r.Status)
	if err != nil {
		return order.RoomRef{}, notFound(err, "live session")
	}
	r.HostID = host.String
	return r, nil
}

// ReservationForOrder returns a flash reservation with what checkout needs
// of its sale.
func (s *Store) ReservationForOrder(ctx context.Context, id string) (order.HeldReservation, error) {
	var r order.HeldReservation
	var expires int64
	err := s.rq.QueryRowContext(ctx, `
		SELECT r.id, r.user_id, f.sku_id, f.session_id, r.quantity, f.price_minor, f.currency, r.status, r.order_id, r.expires_at
		FROM flash_reservations r JOIN flash_sales f ON f.id = r.sale_id WHERE r.id = $1`, id).
		Scan(&r.ID, &r.UserID, &r.SKUID, &r.RoomID, &r.Quantity, &r.PriceMinor, &r.Currency, &r.Status, &r.OrderID, &expires)
	if err != nil {
		return order.HeldReservation{}, notFound(err, "reservation")
	}
	r.ExpiresAt = fromMillis(expires)
	return r, nil
}
