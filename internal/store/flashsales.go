package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/flashsale"
)

// Flash sales (internal/flashsale): the sale row is written once per batch
// of reservations by the engine that owns it, always under its owner
// epoch, so a node that lost the sale cannot write again.

const saleColumns = `id, session_id, shop_id, product_id, sku_id, title, price_minor, original_price_minor, currency, stock, sold,
	per_user_limit, starts_at, ends_at, payment_window_seconds, status, created_by, created_at`

func scanSale(row interface{ Scan(...any) error }) (flashsale.Sale, error) {
	var s flashsale.Sale
	var starts, ends, created int64
	err := row.Scan(&s.ID, &s.SessionID, &s.ShopID, &s.ProductID, &s.SKUID, &s.Title, &s.PriceMinor, &s.OriginalPriceMinor,
		&s.Currency, &s.Stock, &s.Sold, &s.PerUserLimit, &starts, &ends, &s.PaymentWindowSeconds, &s.Status, &s.CreatedBy, &created)
	if err != nil {
		return flashsale.Sale{}, err
	}
	s.StartsAt, s.EndsAt, s.CreatedAt = fromMillis(starts), fromMillis(ends), fromMillis(created)
	return s, nil
}

// SaleSKU returns a SKU with its product's title and whether it can be sold.
func (s *Store) SaleSKU(ctx context.Context, skuID string) (flashsale.SKU, error) {
	var k flashsale.SKU
	var productStatus, shopStatus string
	err := s.rq.QueryRowContext(ctx, `
		SELECT k.id, k.product_id, k.shop_id, p.title, k.price_minor, k.currency, k.stock, p.status, sh.status
		FROM skus k JOIN products p ON p.id = k.product_id JOIN shops sh ON sh.id = k.shop_id WHERE k.id = $1`, skuID).
		Scan(&k.ID, &k.ProductID, &k.ShopID, &k.Title, &k.PriceMinor, &k.Currency, &k.Stock, &productStatus, &shopStatus)
	if err != nil {
		return flashsale.SKU{}, notFound(err, "SKU")
	}
	k.Active = productStatus == catalog.ProductActive && shopStatus == catalog.ShopApproved
	return k, nil
}

// CreateSale stores a sale and takes its stock from the SKU.
func (s *Store) CreateSale(ctx context.Context, f flashsale.Sale) error {
	return s.tx(ctx, func(tx *dbtx) error {
		after, err := addStock(ctx, tx, f.SKUID, -f.Stock, f.CreatedAt)
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Conflict {
			return &apperr.Error{Code: apperr.Conflict, Field: "stock", Message: ae.Message}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO flash_sales (id, session_id, shop_id, product_id, sku_id, title, price_minor, original_price_minor, currency,
				stock, sold, per_user_limit, starts_at, ends_at, payment_window_seconds, status, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, $15, $16, $17)`,
			f.ID, f.SessionID, f.ShopID, f.ProductID, f.SKUID, f.Title, f.PriceMinor, f.OriginalPriceMinor, f.Currency,
			f.Stock, f.PerUserLimit, millis(f.StartsAt), millis(f.EndsAt), f.PaymentWindowSeconds, f.Status, f.CreatedBy, millis(f.CreatedAt)); err != nil {
			return fmt.Errorf("store: create flash sale: %w", err)
		}
		return insertMovement(ctx, tx, catalog.Movement{SKUID: f.SKUID, Delta: -f.Stock, StockAfter: after,
			Reason: catalog.ReasonFlashSale, Ref: f.ID, ActorID: f.CreatedBy, CreatedAt: f.CreatedAt})
	})
}

// Sale returns a flash sale.
func (s *Store) Sale(ctx context.Context, id string) (flashsale.Sale, error) {
	f, err := scanSale(s.rq.QueryRowContext(ctx, `SELECT `+saleColumns+` FROM flash_sales WHERE id = $1`, id))
	if err != nil {
		return flashsale.Sale{}, notFound(err, "flash sale")
	}
	return f, nil
}

func (s *Store) sales(ctx context.Context, q queryer, query string, args ...any) ([]flashsale.Sale, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: flash sales: %w", err)
	}
	defer rows.Close()
	out := []flashsale.Sale{}
	for rows.Next() {
		f, err := scanSale(rows)
		if err != nil {
			return nil, fmt.Errorf("store: flash sales: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SessionSales lists a session's sales, newest first.
func (s *Store) SessionSales(ctx context.Context, sessionID string) ([]flashsale.Sale, error) {
	return s.sales(ctx, s.rq, `SELECT `+saleColumns+` FROM flash_sales WHERE session_id = $1 ORDER BY id DESC LIMIT 100`, sessionID)
}

// ActiveSales lists sales not yet settled or cancelled.
func (s *Store) ActiveSales(ctx context.Context) ([]flashsale.Sale, error) {
	return s.sales(ctx, s.rq, `SELECT `+saleColumns+` FROM flash_sales WHERE status IN ('scheduled', 'running', 'ended') ORDER BY id`)
}

// TakeOver bumps the owner epoch and loads the sale with its reservations.
func (s *Store) TakeOver(ctx context.Context, saleID string) (int64, flashsale.State, error) {
	var epoch int64
	var st flashsale.State
	err := s.tx(ctx, func(tx *dbtx) error {
		err := tx.QueryRowContext(ctx, `UPDATE flash_sales SET owner_epoch = owner_epoch + 1 WHERE id = $1 RETURNING owner_epoch`, saleID).Scan(&epoch)
		if err != nil {
			return notFound(err, "flash sale")
		}
		if st.Sale, err = scanSale(tx.QueryRowContext(ctx, `SELECT `+saleColumns+` FROM flash_sales WHERE id = $1`, saleID)); err != nil {
			return err
		}
		st.Reservations, err = reservations(ctx, tx, `WHERE r.sale_id = $1 ORDER BY r.id`, saleID)
		return err
	})
	if err != nil {
		return 0, flashsale.State{}, fmt.Errorf("store: take over flash sale %s: %w", saleID, err)
	}
	return epoch, st, nil
}

const reservationColumns = `r.id, r.sale_id, r.user_id, r.quantity, r.idempotency_key, r.status, r.order_id, r.expires_at, r.created_at,
	f.price_minor, f.currency`

func reservations(ctx context.Context, q queryer, where string, args ...any) ([]flashsale.Reservation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+reservationColumns+` FROM flash_reservations r JOIN flash_sales f ON f.id = r.sale_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reservations: %w", err)
	}
	defer rows.Close()
	out := []flashsale.Reservation{}
	for rows.Next() {
		var r flashsale.Reservation
		var expires, created int64
		if err := rows.Scan(&r.ID, &r.SaleID, &r.UserID, &r.Quantity, &r.IdempotencyKey, &r.Status, &r.OrderID, &expires, &created,
			&r.PriceMinor, &r.Currency); err != nil {
			return nil, fmt.Errorf("store: reservations: %w", err)
		}
		r.ExpiresAt, r.CreatedAt = fromMillis(expires), fromMillis(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// UserReservations lists a buyer's reservations in a sale, newest first.
func (s *Store) UserReservations(ctx context.Context, saleID, userID string) ([]flashsale.Reservation, error) {
	return reservations(ctx, s.rq, `WHERE r.sale_id = $1 AND r.user_id = $2 ORDER BY r.id DESC LIMIT 100`, saleID, userID)
}

// ReservationsByID returns reservations by primary key, newest first.
func (s *Store) ReservationsByID(ctx context.Context, ids []string) ([]flashsale.Reservation, error) {
	if len(ids) == 0 {
		return []flashsale.Reservation{}, nil
	}
	if len(ids) > 100 {
		ids = ids[len(ids)-100:]
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return reservations(ctx, s.rq, `WHERE r.id IN (`+placeholders(1, len(args))+`) ORDER BY r.id DESC`, args...)
}

// fenceStep updates the sale row only under the caller's epoch.
func fenceStep(saleID string, epoch int64, sold int, status string, endsAt time.Time) step {
	return step{query: `UPDATE flash_sales SET sold = $1, status = $2, ends_at = $3 WHERE id = $4 AND owner_epoch = $5`,
		args: []any{sold, status, millis(endsAt), saleID, epoch},
		check: func(n int64) error {
			if n != 1 {
				return flashsale.ErrFenced
			}
			return nil
		}}
}

// reservationInsertSizes are the row counts of the multi-row INSERTs a
// batch is cut into: a few fixed statements keep the prepared-statement
// caches small.
var reservationInsertSizes = []int{256, 64, 16, 4, 1}

// reservationInserts holds, per dialect, the INSERT of each size. On
// SQLite it uses positional "?" parameters: SQLite looks a named or
// numbered parameter ("$9") up in a list for each one bound, which made a
// 2,000-parameter INSERT spend most of its time binding.
var reservationInserts = map[Dialect]map[int]string{SQLite: reservationInsertSQL(false), Postgres: reservationInsertSQL(true)}

func reservationInsertSQL(numbered bool) map[int]string {
	out := map[int]string{}
	for _, n := range reservationInsertSizes {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO flash_reservations (id, sale_id, user_id, quantity, idempotency_key, status, expires_at, created_at) VALUES `)
		for i := range n {
			if i > 0 {
				sb.WriteString(", ")
			}
			if !numbered {
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
				continue
			}
			b := i * 8
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", b+1, b+2, b+3, b+4, b+5, b+6, b+7, b+8)
		}
		out[n] = sb.String()
	}
	return out
}

// CommitBatch stores a batch of reservations with the sale's new count.
func (s *Store) CommitBatch(ctx context.Context, saleID string, epoch int64, sold int, status string, endsAt time.Time, rs []flashsale.Reservation) error {
	steps := []step{fenceStep(saleID, epoch, sold, status, endsAt)}
	for _, n := range reservationInsertSizes {
		for len(rs) >= n {
			args := make([]any, 0, n*8)
			for _, r := range rs[:n] {
				args = append(args, r.ID, saleID, r.UserID, r.Quantity, r.IdempotencyKey, r.Status, millis(r.ExpiresAt), millis(r.CreatedAt))
			}
			steps = append(steps, step{query: reservationInserts[s.dialect][n], args: args})
			rs = rs[n:]
		}
	}
	if err := s.runSteps(ctx, steps); err != nil {
		if errors.Is(err, flashsale.ErrFenced) {
			return err
		}
		return fmt.Errorf("store: flash sale %s batch: %w", saleID, err)
	}
	return nil
}

// CollectReturns takes back expired and released reservations.
func (s *Store) CollectReturns(ctx context.Context, saleID string, epoch int64, now time.Time, sold int) ([]flashsale.ReturnedStock, error) {
	var back []flashsale.ReturnedStock
	err := s.tx(ctx, func(tx *dbtx) error {
		back = nil
		var status string
		var ends int64
		err := tx.QueryRowContext(ctx, `UPDATE flash_sales SET owner_epoch = owner_epoch WHERE id = $1 AND owner_epoch = $2 RETURNING status, ends_at`,
			saleID, epoch).Scan(&status, &ends)
		if errors.Is(err, sql.ErrNoRows) {
			return flashsale.ErrFenced
		}
		if err != nil {
			return err
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE flash_reservations SET status = 'expired' WHERE sale_id = $1 AND status = 'held' AND expires_at <= $2
				RETURNING id, user_id, idempotency_key, quantity`, []any{saleID, millis(now)}},
			{`UPDATE flash_reservations SET status = 'returned' WHERE sale_id = $1 AND status = 'released'
				RETURNING id, user_id, idempotency_key, quantity`, []any{saleID}},
		} {
			rows, err := tx.QueryContext(ctx, q.sql, q.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var r flashsale.ReturnedStock
				if err := rows.Scan(&r.ReservationID, &r.UserID, &r.Key, &r.Quantity); err != nil {
					rows.Close()
					return err
				}
				back = append(back, r)
				sold -= r.Quantity
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if len(back) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE flash_sales SET sold = $1 WHERE id = $2`, sold, saleID)
		return err
	})
	if err != nil && !errors.Is(err, flashsale.ErrFenced) {
		return nil, fmt.Errorf("store: flash sale %s returns: %w", saleID, err)
	}
	return back, err
}

// Settle gives an ended sale's unsold stock back to its SKU once no
// reservation is waiting for payment.
func (s *Store) Settle(ctx context.Context, saleID string, epoch int64, now time.Time) (bool, error) {
	settled := false
	err := s.tx(ctx, func(tx *dbtx) error {
		settled = false
		f, err := scanSale(tx.QueryRowContext(ctx, `UPDATE flash_sales SET owner_epoch = owner_epoch WHERE id = $1 AND owner_epoch = $2
			RETURNING `+saleColumns, saleID, epoch))
		if errors.Is(err, sql.ErrNoRows) {
			return flashsale.ErrFenced
		}
		if err != nil {
			return err
		}
		var waiting, paid int
		if err := tx.QueryRowContext(ctx, `
			SELECT COALESCE(SUM(CASE WHEN status IN ('held', 'released') THEN 1 ELSE 0 END), 0),
			       COALESCE(SUM(CASE WHEN status = 'paid' THEN quantity ELSE 0 END), 0)
			FROM flash_reservations WHERE sale_id = $1`, saleID).Scan(&waiting, &paid); err != nil {
			return err
		}
		if waiting > 0 {
			return nil
		}
		if unsold := f.Stock - paid; unsold > 0 {
			after, err := addStock(ctx, tx, f.SKUID, unsold, now)
			if err != nil {
				return err
			}
			if err := insertMovement(ctx, tx, catalog.Movement{SKUID: f.SKUID, Delta: unsold, StockAfter: after,
				Reason: catalog.ReasonFlashReturn, Ref: f.ID, CreatedAt: now}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE flash_sales SET status = 'settled', sold = $1, settled_at = $2 WHERE id = $3`,
			paid, millis(now), saleID); err != nil {
			return err
		}
		settled = true
		return nil
	})
	if err != nil && !errors.Is(err, flashsale.ErrFenced) {
		return false, fmt.Errorf("store: settle flash sale %s: %w", saleID, err)
	}
	return settled, err
}

var (
	_ flashsale.Repo = (*Store)(nil)
	_ flashsale.SKUs = (*Store)(nil)
)
