package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
)

// CreateAddress saves an address; the first one becomes the default.
func (s *Store) CreateAddress(ctx context.Context, userID string, a order.Address) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM addresses WHERE user_id = $1`, userID).Scan(&n); err != nil {
			return fmt.Errorf("store: count addresses: %w", err)
		}
		if n >= 20 {
			return apperr.Field("address", "at most 20 saved addresses")
		}
		if a.IsDefault || n == 0 {
			a.IsDefault = true
			if _, err := tx.ExecContext(ctx, `UPDATE addresses SET is_default = FALSE WHERE user_id = $1`, userID); err != nil {
				return fmt.Errorf("store: address default: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO addresses (id, user_id, name, phone, line1, line2, city, region, postcode, country, is_default, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			a.ID, userID, a.Name, a.Phone, a.Line1, a.Line2, a.City, a.Region, a.Postcode, a.Country, a.IsDefault, millis(a.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: create address: %w", err)
		}
		return nil
	})
}

const addressColumns = `id, name, phone, line1, line2, city, region, postcode, country, is_default, created_at`

func scanAddress(row interface{ Scan(...any) error }) (order.Address, error) {
	var a order.Address
	var created int64
	if err := row.Scan(&a.ID, &a.Name, &a.Phone, &a.Line1, &a.Line2, &a.City, &a.Region, &a.Postcode, &a.Country, &a.IsDefault, &created); err != nil {
		return order.Address{}, err
	}
	a.CreatedAt = fromMillis(created)
	return a, nil
}

// ListAddresses lists a user's addresses, default first.
func (s *Store) ListAddresses(ctx context.Context, userID string) ([]order.Address, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+addressColumns+` FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list addresses: %w", err)
	}
	defer rows.Close()
	out := []order.Address{}
	for rows.Next() {
		a, err := scanAddress(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list addresses: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddressByID returns one of the user's addresses.
func (s *Store) AddressByID(ctx context.Context, userID, id string) (order.Address, error) {
	a, err := scanAddress(s.rq.QueryRowContext(ctx, `SELECT `+addressColumns+` FROM addresses WHERE id = $1 AND user_id = $2`, id, userID))
	return a, notFound(err, "address")
}

// SetCartItem sets the quantity of a SKU in the cart.
func (s *Store) SetCartItem(ctx context.Context, userID, skuID string, qty int, at time.Time) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO cart_items (user_id, sku_id, quantity, added_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, sku_id) DO UPDATE SET quantity = excluded.quantity`, userID, skuID, qty, millis(at))
	if err != nil {
		return fmt.Errorf("store: set cart item: %w", err)
	}
	return nil
}

// RemoveCartItem takes a SKU out of the cart.
func (s *Store) RemoveCartItem(ctx context.Context, userID, skuID string) error {
	_, err := s.wq.ExecContext(ctx, `DELETE FROM cart_items WHERE user_id = $1 AND sku_id = $2`, userID, skuID)
	if err != nil {
		return fmt.Errorf("store: remove cart item: %w", err)
	}
	return nil
}

// Cart lists a user's cart with prices and stock.
func (s *Store) Cart(ctx context.Context, userID string) ([]order.CartItem, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT c.sku_id, c.quantity, k.product_id, k.shop_id, p.title, k.attributes, k.price_minor, k.currency, k.stock, c.added_at
		FROM cart_items c JOIN skus k ON k.id = c.sku_id JOIN products p ON p.id = k.product_id
		WHERE c.user_id = $1 ORDER BY c.added_at, c.sku_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: cart: %w", err)
	}
	defer rows.Close()
	out := []order.CartItem{}
	for rows.Next() {
		var c order.CartItem
		var attrs string
		var added int64
		if err := rows.Scan(&c.SKUID, &c.Quantity, &c.ProductID, &c.ShopID, &c.Title, &attrs, &c.PriceMinor, &c.Currency, &c.Stock, &added); err != nil {
			return nil, fmt.Errorf("store: cart: %w", err)
		}
		c.Attributes = map[string]string{}
		json.Unmarshal([]byte(attrs), &c.Attributes)
		c.AddedAt = fromMillis(added)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SKUsForOrder loads SKUs with their product's and shop's status.
func (s *Store) SKUsForOrder(ctx context.Context, skuIDs []string) (map[string]order.OrderableSKU, error) {
	out := map[string]order.OrderableSKU{}
	if len(skuIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(skuIDs))
	for i, id := range skuIDs {
		args[i] = id
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT k.id, k.product_id, k.shop_id, k.code, k.attributes, k.price_minor, k.currency, k.stock, k.created_at, k.updated_at,
		       p.title, p.status, sh.status, p.commission_bps
		FROM skus k JOIN products p ON p.id = k.product_id JOIN shops sh ON sh.id = k.shop_id
		WHERE k.id IN (`+placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: skus for order: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o order.OrderableSKU
		var attrs string
		var created, updated int64
		if err := rows.Scan(&o.ID, &o.ProductID, &o.ShopID, &o.Code, &attrs, &o.PriceMinor, &o.Currency, &o.Stock, &created, &updated,
			&o.Title, &o.ProductStatus, &o.ShopStatus, &o.CommissionBPS); err != nil {
			return nil, fmt.Errorf("store: skus for order: %w", err)
		}
		o.Attributes = map[string]string{}
		json.Unmarshal([]byte(attrs), &o.Attributes)
		o.CreatedAt, o.UpdatedAt = fromMillis(created), fromMillis(updated)
		out[o.ID] = o
	}
	return out, rows.Err()
}

// ActiveAgreement returns the host's active agency and its share.
func (s *Store) ActiveAgreement(ctx context.Context, hostID string) (string, int, error) {
	var isHost bool
	if err := s.rq.QueryRowContext(ctx, `SELECT is_host FROM users WHERE id = $1`, hostID).Scan(&isHost); err != nil {
		return "", 0, notFound(err, "host")
	}
	if !isHost {
		return "", 0, apperr.New(apperr.NotFound, "host not found")
	}
	var mcnID string
	var share int
	err := s.rq.QueryRowContext(ctx, `
		SELECT mcn_id, mcn_share_bps FROM mcn_hosts WHERE host_id = $1 AND status = 'active'`, hostID).Scan(&mcnID, &share)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: agreement of %s: %w", hostID, err)
	}
	return mcnID, share, nil
}

// CreateOrder reserves stock and stores the order atomically.
func (s *Store) CreateOrder(ctx context.Context, o order.Order, clearCart bool) (order.Order, bool, error) {
	// A retried key is found by the unique index on (user_id,
	// idempotency_key): the order row is inserted first, so a retry fails
	// before touching stock, and costs nothing extra when keys are new.
	err := s.runSteps(ctx, orderSteps([]order.Order{o}, clearCart))
	if isUnique(err) && o.IdempotencyKey != "" {
		// The key was used before, or by a concurrent request that won the race.
		prev, perr := s.orderByKey(ctx, o.UserID, o.IdempotencyKey)
		if perr != nil {
			return order.Order{}, false, perr
		}
		return prev, false, nil
	}
	if err != nil {
		return order.Order{}, false, err
	}
	// The order is stored exactly as given; no need to read it back.
	return o, true, nil
}

// CreateOrders stores several orders (a cart checkout, one per shop) all
// or nothing. Returns the orders made earlier under the same keys when
// this is a retry.
func (s *Store) CreateOrders(ctx context.Context, os []order.Order, clearCart bool) ([]order.Order, error) {
	err := s.runSteps(ctx, orderSteps(os, clearCart))
	if isUnique(err) && len(os) > 0 && os[0].IdempotencyKey != "" {
		var prev []order.Order
		for _, o := range os {
			p, perr := s.orderByKey(ctx, o.UserID, o.IdempotencyKey)
			if perr != nil {
				return nil, perr
			}
			prev = append(prev, p)
		}
		return prev, nil
	}
	if err != nil {
		return nil, err
	}
	return os, nil
}

// orderSteps writes orders, reserves their stock (a line that no longer
// fits the stock fails the transaction) and records the first step of
// their history. The order rows come first, so a retried idempotency key
// fails before any stock is touched.
func orderSteps(os []order.Order, clearCart bool) []step {
	type ref struct{ order, line int }
	var steps []step
	var lines []ref
	for oi, o := range os {
		shipTo, _ := json.Marshal(o.ShipTo)
		steps = append(steps, step{query: `
			INSERT INTO orders (id, user_id, shop_id, status, currency, total_minor, ship_to, idempotency_key, request_hash, expires_at, created_at, updated_at,
				discount_minor, coupon_claim_id, paid_at, platform_fee_bps)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
				(SELECT COALESCE(sh.fee_override_bps, pr.platform_fee_bps) FROM shops sh JOIN programmes pr ON pr.code = sh.programme WHERE sh.id = $3))`,
			args: []any{o.ID, o.UserID, o.ShopID, o.Status, o.Currency, o.TotalMinor, string(shipTo), nullString(o.IdempotencyKey), o.RequestHash,
				millis(o.ExpiresAt), millis(o.CreatedAt), millis(o.UpdatedAt), o.DiscountMinor, o.CouponClaimID, nullMillis(o.PaidAt)}})
		if o.CouponClaimID != "" {
			steps = append(steps, couponStep(o))
		}
		for li := range o.Lines {
			lines = append(lines, ref{oi, li})
		}
	}
	// Take stock in SKU order so that concurrent orders lock rows in the
	// same sequence and cannot deadlock.
	sort.Slice(lines, func(a, b int) bool {
		return os[lines[a].order].Lines[lines[a].line].SKUID < os[lines[b].order].Lines[lines[b].line].SKUID
	})
	for _, r := range lines {
		o, l := os[r.order], os[r.order].Lines[r.line]
		if l.Hold != "" {
			steps = append(steps, holdSteps(o, l)...)
			continue
		}
		field, title := fmt.Sprintf("items[%d].quantity", r.line), l.Title
		steps = append(steps,
			step{query: `UPDATE skus SET stock = stock - $1, updated_at = $2 WHERE id = $3 AND stock >= $1`,
				args: []any{l.Quantity, millis(o.CreatedAt), l.SKUID},
				check: func(n int64) error {
					if n != 1 {
						return &apperr.Error{Code: apperr.Conflict, Field: field, Message: fmt.Sprintf("not enough stock left of %s", title)}
					}
					return nil
				}},
			// The stock after the change, read in the same transaction.
			step{query: `
				INSERT INTO inventory_movements (id, sku_id, delta, stock_after, reason, ref, actor_id, note, created_at)
				SELECT $1, id, $2, stock, $3, $4, $5, '', $6 FROM skus WHERE id = $7`,
				args: []any{ids.New("mov"), -l.Quantity, catalog.ReasonReserve, o.ID, nullString(o.UserID), millis(o.CreatedAt), l.SKUID}})
	}
	for _, o := range os {
		for _, l := range o.Lines {
			attrs, _ := json.Marshal(l.SKUAttributes)
			steps = append(steps, step{query: `
				INSERT INTO order_lines (id, order_id, sku_id, product_id, title, sku_attributes, unit_price_minor, quantity, line_total_minor,
					commission_bps, source, room_id, host_id, mcn_id, mcn_share_bps, discount_minor, hold)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
				args: []any{l.ID, o.ID, l.SKUID, l.ProductID, l.Title, string(attrs), l.UnitPriceMinor, l.Quantity, l.LineTotalMinor,
					l.CommissionBPS, l.Source, nullString(l.RoomID), nullString(l.HostID), nullString(l.MCNID), l.MCNShareBPS, l.DiscountMinor, l.Hold}})
			if clearCart {
				steps = append(steps, step{query: `DELETE FROM cart_items WHERE user_id = $1 AND sku_id = $2`, args: []any{o.UserID, l.SKUID}})
			}
		}
		steps = append(steps, statusLogStep(o.ID, "", o.Status, o.UserID, "", o.CreatedAt))
	}
	return steps
}

func statusLogStep(orderID, from, to, actorID, note string, at time.Time) step {
	return step{query: `
		INSERT INTO order_status_log (id, order_id, from_status, to_status, actor_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		args: []any{ids.New("osl"), orderID, from, to, nullString(actorID), note, millis(at)}}
}

func insertStatusLog(ctx context.Context, q queryer, orderID, from, to, actorID, note string, at time.Time) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO order_status_log (id, order_id, from_status, to_status, actor_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		ids.New("osl"), orderID, from, to, nullString(actorID), note, millis(at))
	if err != nil {
		return fmt.Errorf("store: status log: %w", err)
	}
	return nil
}

func (s *Store) orderByKey(ctx context.Context, userID, key string) (order.Order, error) {
	var id string
	err := s.rq.QueryRowContext(ctx, `SELECT id FROM orders WHERE user_id = $1 AND idempotency_key = $2`, userID, key).Scan(&id)
	if err != nil {
		return order.Order{}, notFound(err, "order")
	}
	return s.OrderByID(ctx, id)
}

const orderColumns = `id, user_id, shop_id, status, currency, total_minor, ship_to, carrier, tracking_number, cancel_reason, request_hash,
	expires_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at, refunded_at, created_at, updated_at, discount_minor, coupon_claim_id, refund_request_id`

// scanOrder scans orderColumns, then any extra columns into extra.
func scanOrder(row interface{ Scan(...any) error }, extra ...any) (order.Order, error) {
	var o order.Order
	var shipTo string
	var expires, created, updated int64
	var paid, shipped, delivered, completed, cancelled, refunded sql.NullInt64
	var refundRequest sql.NullString
	dest := []any{&o.ID, &o.UserID, &o.ShopID, &o.Status, &o.Currency, &o.TotalMinor, &shipTo, &o.Carrier, &o.TrackingNumber,
		&o.CancelReason, &o.RequestHash, &expires, &paid, &shipped, &delivered, &completed, &cancelled, &refunded, &created, &updated,
		&o.DiscountMinor, &o.CouponClaimID, &refundRequest}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return order.Order{}, err
	}
	if err := json.Unmarshal([]byte(shipTo), &o.ShipTo); err != nil {
		return order.Order{}, fmt.Errorf("order %s address: %w", o.ID, err)
	}
	o.ExpiresAt, o.CreatedAt, o.UpdatedAt = fromMillis(expires), fromMillis(created), fromMillis(updated)
	o.PaidAt, o.ShippedAt, o.DeliveredAt = fromNullMillis(paid), fromNullMillis(shipped), fromNullMillis(delivered)
	o.CompletedAt, o.CancelledAt, o.RefundedAt = fromNullMillis(completed), fromNullMillis(cancelled), fromNullMillis(refunded)
	o.Lines = []order.Line{}
	if refundRequest.Valid {
		o.RefundRequest = &order.RefundRequest{ID: refundRequest.String} // filled by attachRefundRequests
	}
	return o, nil
}

// OrderByID returns an order with its lines.
func (s *Store) OrderByID(ctx context.Context, id string) (order.Order, error) {
	// One query for the order and its lines: every order has at least one
	// line, and this runs on every payment and fulfilment step.
	rows, err := s.rq.QueryContext(ctx, `SELECT `+orderColumnsO+`, `+lineColumnsL+`
		FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = $1 ORDER BY l.id`, id)
	if err != nil {
		return order.Order{}, fmt.Errorf("store: order %s: %w", id, err)
	}
	defer rows.Close()
	var o order.Order
	found := false
	for rows.Next() {
		var row order.Order
		var l order.Line
		if err := scanOrderLine(rows, &row, &l); err != nil {
			return order.Order{}, fmt.Errorf("store: order %s: %w", id, err)
		}
		if !found {
			o, found = row, true
		}
		o.Lines = append(o.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return order.Order{}, fmt.Errorf("store: order %s: %w", id, err)
	}
	if !found {
		return order.Order{}, apperr.New(apperr.NotFound, "order not found")
	}
	rows.Close()
	os := []order.Order{o}
	if err := s.attachRefundRequests(ctx, s.rq, os); err != nil {
		return order.Order{}, err
	}
	return os[0], nil
}

// OrdersByKeyPrefix returns the user's orders whose idempotency key starts
// with prefix, oldest first.
func (s *Store) OrdersByKeyPrefix(ctx context.Context, userID, prefix string) ([]order.Order, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+orderColumns+` FROM orders WHERE user_id = $1 AND SUBSTR(idempotency_key, 1, $2) = $3 ORDER BY id`,
		userID, utf8.RuneCountInString(prefix), prefix) // not LIKE: SQLite's LIKE ignores case
	if err != nil {
		return nil, fmt.Errorf("store: orders by key: %w", err)
	}
	defer rows.Close()
	out := []order.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("store: orders by key: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.attachRefundRequests(ctx, s.rq, out); err != nil {
		return nil, err
	}
	return out, s.attachLines(ctx, s.rq, out)
}

// ListOrders lists orders newest first.
func (s *Store) ListOrders(ctx context.Context, f order.Filter) ([]order.Order, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+orderColumns+` FROM orders
		WHERE ($1 = '' OR user_id = $1) AND ($2 = '' OR shop_id = $2) AND ($4 = '' OR id < $4)
			AND ($3 = '' OR status = $3 OR ($3 = 'refund_requested' AND refund_request_id IN (SELECT id FROM refund_requests WHERE status = 'open')))
		ORDER BY id DESC LIMIT $5`, f.UserID, f.ShopID, f.Status, f.Cursor, pageLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list orders: %w", err)
	}
	defer rows.Close()
	out := []order.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list orders: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.attachRefundRequests(ctx, s.rq, out); err != nil {
		return nil, err
	}
	return out, s.attachLines(ctx, s.rq, out)
}

const lineColumns = `id, order_id, sku_id, product_id, title, sku_attributes, unit_price_minor, quantity, line_total_minor, commission_bps,
	source, room_id, host_id, mcn_id, mcn_share_bps, platform_fee_minor, host_commission_minor, mcn_share_minor, merchant_net_minor,
	discount_minor, hold`

// Column lists qualified for the join in OrderByID.
var (
	orderColumnsO = qualify("o", orderColumns)
	lineColumnsL  = qualify("l", lineColumns)
)

func qualify(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// lineDest returns the scan targets of lineColumns for l, with holders for
// the columns that need converting afterwards.
func lineDest(l *order.Line, attrs *string, room, host, mcn *sql.NullString) []any {
	return []any{&l.ID, &l.OrderID, &l.SKUID, &l.ProductID, &l.Title, attrs, &l.UnitPriceMinor, &l.Quantity, &l.LineTotalMinor,
		&l.CommissionBPS, &l.Source, room, host, mcn, &l.MCNShareBPS, &l.PlatformFee, &l.HostCommission, &l.MCNShare, &l.MerchantNet,
		&l.DiscountMinor, &l.Hold}
}

func finishLine(l *order.Line, attrs string, room, host, mcn sql.NullString) {
	l.SKUAttributes = map[string]string{}
	json.Unmarshal([]byte(attrs), &l.SKUAttributes)
	l.RoomID, l.HostID, l.MCNID = room.String, host.String, mcn.String
}

// scanOrderLine scans one row of orderColumns followed by lineColumns.
func scanOrderLine(rows *sql.Rows, o *order.Order, l *order.Line) error {
	var attrs string
	var room, host, mcn sql.NullString
	var err error
	if *o, err = scanOrder(rows, lineDest(l, &attrs, &room, &host, &mcn)...); err != nil {
		return err
	}
	finishLine(l, attrs, room, host, mcn)
	return nil
}

func (s *Store) attachLines(ctx context.Context, q queryer, os []order.Order) error {
	if len(os) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := make([]any, len(os))
	for i, o := range os {
		idx[o.ID], args[i] = i, o.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT `+lineColumns+` FROM order_lines WHERE order_id IN (`+placeholders(1, len(args))+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("store: order lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l order.Line
		var attrs string
		var room, host, mcn sql.NullString
		if err := rows.Scan(lineDest(&l, &attrs, &room, &host, &mcn)...); err != nil {
			return fmt.Errorf("store: order lines: %w", err)
		}
		finishLine(&l, attrs, room, host, mcn)
		o := &os[idx[l.OrderID]]
		o.Lines = append(o.Lines, l)
	}
	return rows.Err()
}

// History lists an order's status changes, oldest first.
func (s *Store) History(ctx context.Context, orderID string) ([]order.StatusChange, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT from_status, to_status, actor_id, note, created_at FROM order_status_log WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: order history: %w", err)
	}
	defer rows.Close()
	out := []order.StatusChange{}
	for rows.Next() {
		var c order.StatusChange
		var actor sql.NullString
		var at int64
		if err := rows.Scan(&c.From, &c.To, &actor, &c.Note, &at); err != nil {
			return nil, fmt.Errorf("store: order history: %w", err)
		}
		c.ActorID, c.CreatedAt = actor.String, fromMillis(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// statusTimeColumn is the column stamped when an order enters a status.
var statusTimeColumn = map[string]string{
	order.Paid: "paid_at", order.Shipped: "shipped_at", order.Delivered: "delivered_at",
	order.Completed: "completed_at", order.Cancelled: "cancelled_at", order.Refunded: "refunded_at",
}

// Transition applies a status change if the order is still in t.From.
func (s *Store) Transition(ctx context.Context, t order.Transition) error {
	col, ok := statusTimeColumn[t.To]
	if !ok {
		return fmt.Errorf("store: no time column for status %q", t.To)
	}
	return s.tx(ctx, func(tx *dbtx) error {
		return applyTransition(ctx, tx, t, col)
	})
}

func applyTransition(ctx context.Context, tx *dbtx, t order.Transition, col string) error {
	cancelReason := ""
	if t.To == order.Cancelled {
		cancelReason = t.Note
	}
	ifRefund, expectRefund := 0, ""
	if t.IfRefundRequest != nil {
		ifRefund, expectRefund = 1, *t.IfRefundRequest
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE orders SET status = $1, `+col+` = $2, updated_at = $2,
			carrier = CASE WHEN $3 = '' THEN carrier ELSE $3 END,
			tracking_number = CASE WHEN $4 = '' THEN tracking_number ELSE $4 END,
			cancel_reason = CASE WHEN $5 = '' THEN cancel_reason ELSE $5 END
		WHERE id = $6 AND status = $7 AND ($8 = 0 OR COALESCE(refund_request_id, '') = $9)`,
		t.To, millis(t.At), t.Carrier, t.TrackingNumber, cancelReason, t.OrderID, t.From, ifRefund, expectRefund)
	if err != nil {
		return fmt.Errorf("store: transition %s: %w", t.OrderID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "order %s is no longer %s", t.OrderID, t.From)
	}
	if t.To == order.Refunded {
		if err := approveRefundRequest(ctx, tx, t); err != nil {
			return err
		}
	}
	if t.Restock {
		if err := restock(ctx, tx, t); err != nil {
			return err
		}
	}
	if err := insertStatusLog(ctx, tx, t.OrderID, t.From, t.To, t.ActorID, t.Note, t.At); err != nil {
		return err
	}
	if err := insertOrderNotice(ctx, tx, t.Notify); err != nil {
		return err
	}
	return enqueueWebhook(ctx, tx, t.Webhook, t.At)
}

func restock(ctx context.Context, tx *dbtx, t order.Transition) error {
	if t.To == order.Cancelled {
		if err := releaseHolds(ctx, tx, t.OrderID); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT sku_id, quantity, hold FROM order_lines WHERE order_id = $1 ORDER BY sku_id`, t.OrderID)
	if err != nil {
		return fmt.Errorf("store: restock %s: %w", t.OrderID, err)
	}
	type line struct {
		sku string
		qty int
	}
	var lines []line
	for rows.Next() {
		var l line
		var hold string
		if err := rows.Scan(&l.sku, &l.qty, &hold); err != nil {
			rows.Close()
			return fmt.Errorf("store: restock %s: %w", t.OrderID, err)
		}
		// An unpaid flash line's stock belongs to its sale, which took the
		// reservation back above; once paid, a refund restocks the SKU.
		if t.To == order.Cancelled && (order.Line{Hold: hold}).ReservationID() != "" {
			continue
		}
		lines = append(lines, l)
	}
	rows.Close()
	reason := catalog.ReasonRelease
	if t.To == order.Refunded {
		reason = catalog.ReasonRestock
	}
	for _, l := range lines {
		after, err := addStock(ctx, tx, l.sku, l.qty, t.At)
		if err != nil {
			return err
		}
		if err := insertMovement(ctx, tx, catalog.Movement{SKUID: l.sku, Delta: l.qty, StockAfter: after, Reason: reason,
			Ref: t.OrderID, ActorID: t.ActorID, CreatedAt: t.At}); err != nil {
			return err
		}
	}
	return nil
}

// DeliveredBefore lists orders delivered before t, oldest first.
func (s *Store) DeliveredBefore(ctx context.Context, t time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT id FROM orders WHERE status = 'delivered' AND delivered_at < $1 ORDER BY delivered_at LIMIT $2`,
		millis(t), limit)
}

// ExpiredOrders lists unpaid orders whose payment window has closed.
func (s *Store) ExpiredOrders(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at < $1 ORDER BY expires_at LIMIT $2`,
		millis(now), limit)
}

var _ order.Repo = (*Store)(nil)
