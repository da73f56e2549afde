package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/coupon"
)

// Coupons and their claims (coupon.Repo). A claim takes one from the
// coupon with a conditional UPDATE before inserting itself, in one
// transaction: on PostgreSQL the UPDATE locks the coupon's row until the
// commit, so claims on one coupon run one after another and each sees the
// claims committed before it (the per-user count included); on SQLite the
// single writer does the same.

// couponColumns are unqualified so that UPDATE … RETURNING can use them.
const couponColumns = `id, shop_id, session_id, title, kind, amount_off_minor, percent_off, min_spend_minor, currency,
	valid_from, valid_until, total_limit, per_user_limit, claimed, grab_ends_at, status, created_at`

// couponColumnsOf qualifies couponColumns with a table alias.
func couponColumnsOf(alias string) string {
	cols := strings.Split(couponColumns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// scanCouponFrom reads couponColumns into c, after any columns in before.
func scanCouponFrom(row interface{ Scan(...any) error }, c *coupon.Coupon, before ...any) error {
	var session sql.NullString
	var amount, percent, grab sql.NullInt64
	var from, until, created int64
	dest := append(before, &c.ID, &c.ShopID, &session, &c.Title, &c.Kind, &amount, &percent, &c.MinSpendMinor, &c.Currency,
		&from, &until, &c.TotalLimit, &c.PerUserLimit, &c.Claimed, &grab, &c.Status, &created)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if session.Valid {
		c.SessionID = &session.String
	}
	if amount.Valid {
		c.AmountOffMinor = &amount.Int64
	}
	if percent.Valid {
		p := int(percent.Int64)
		c.PercentOff = &p
	}
	c.ValidFrom, c.ValidUntil, c.CreatedAt = fromMillis(from), fromMillis(until), fromMillis(created)
	c.GrabEndsAt = fromNullMillis(grab)
	return nil
}

func scanCoupon(row interface{ Scan(...any) error }) (coupon.Coupon, error) {
	var c coupon.Coupon
	err := scanCouponFrom(row, &c)
	return c, err
}

// CreateCoupon stores a new coupon.
func (s *Store) CreateCoupon(ctx context.Context, c coupon.Coupon) error {
	var amount, percent sql.NullInt64
	if c.AmountOffMinor != nil {
		amount = sql.NullInt64{Int64: *c.AmountOffMinor, Valid: true}
	}
	if c.PercentOff != nil {
		percent = sql.NullInt64{Int64: int64(*c.PercentOff), Valid: true}
	}
	_, err := s.write(ctx, `
		INSERT INTO coupons (id, shop_id, title, kind, amount_off_minor, percent_off, min_spend_minor, currency,
			valid_from, valid_until, total_limit, per_user_limit, claimed, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14)`,
		c.ID, c.ShopID, c.Title, c.Kind, amount, percent, c.MinSpendMinor, c.Currency,
		millis(c.ValidFrom), millis(c.ValidUntil), c.TotalLimit, c.PerUserLimit, c.Status, millis(c.CreatedAt))
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "a coupon with this id already exists")
	}
	if err != nil {
		return fmt.Errorf("store: create coupon: %w", err)
	}
	return nil
}

// CouponByID returns a coupon.
func (s *Store) CouponByID(ctx context.Context, id string) (coupon.Coupon, error) {
	c, err := scanCoupon(s.rq.QueryRowContext(ctx, `SELECT `+couponColumns+` FROM coupons WHERE id = $1`, id))
	if err != nil {
		return coupon.Coupon{}, notFound(err, "coupon")
	}
	return c, nil
}

// ListShopCoupons lists a shop's coupons newest first, before cursor.
func (s *Store) ListShopCoupons(ctx context.Context, shopID, cursor string, limit int) ([]coupon.Coupon, error) {
	return s.queryCoupons(ctx, `
		SELECT `+couponColumns+` FROM coupons
		WHERE shop_id = $1 AND ($2 = '' OR id < $2)
		ORDER BY id DESC LIMIT $3`, shopID, cursor, pageLimit(limit))
}

// DroppedCoupons lists the session's coupons whose grab window is open.
func (s *Store) DroppedCoupons(ctx context.Context, sessionID string, now time.Time) ([]coupon.Coupon, error) {
	return s.queryCoupons(ctx, `
		SELECT `+couponColumns+` FROM coupons
		WHERE session_id = $1 AND status = 'dropped' AND grab_ends_at > $2
		ORDER BY id`, sessionID, millis(now))
}

func (s *Store) queryCoupons(ctx context.Context, query string, args ...any) ([]coupon.Coupon, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read coupons: %w", err)
	}
	defer rows.Close()
	out := []coupon.Coupon{}
	for rows.Next() {
		c, err := scanCoupon(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read coupons: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read coupons: %w", err)
	}
	return out, nil
}

// DropCoupon opens the coupon's grab window in the session if it is
// ready, or was dropped there before and its window has closed.
func (s *Store) DropCoupon(ctx context.Context, d coupon.Drop) (coupon.Coupon, error) {
	var out coupon.Coupon
	err := s.tx(ctx, func(tx *dbtx) error {
		c, err := scanCoupon(tx.QueryRowContext(ctx, `
			UPDATE coupons SET session_id = $1, grab_ends_at = $2, status = 'dropped'
			WHERE id = $3 AND (status = 'ready' OR (session_id = $1 AND grab_ends_at <= $4))
			RETURNING `+couponColumns, d.SessionID, millis(d.GrabEndsAt), d.CouponID, millis(d.At)))
		if errors.Is(err, sql.ErrNoRows) {
			if err := couponExists(ctx, tx, d.CouponID); err != nil {
				return err
			}
			return coupon.ErrNotDroppable
		}
		if err != nil {
			return fmt.Errorf("store: drop coupon %s: %w", d.CouponID, err)
		}
		out = c
		return nil
	})
	return out, err
}

func couponExists(ctx context.Context, tx *dbtx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM coupons WHERE id = $1`, id).Scan(&one)
	if err != nil {
		return notFound(err, "coupon")
	}
	return nil
}

// ClaimCoupon takes one from the coupon, then stores the claim if the
// user holds fewer than per_user_limit claims on it, in one transaction.
func (s *Store) ClaimCoupon(ctx context.Context, n coupon.NewClaim) (coupon.Claim, error) {
	var out coupon.Claim
	err := s.tx(ctx, func(tx *dbtx) error {
		// First the coupon's row: on PostgreSQL this takes its lock, so
		// concurrent claims of the coupon queue here.
		c, err := scanCoupon(tx.QueryRowContext(ctx, `
			UPDATE coupons SET claimed = claimed + 1
			WHERE id = $1 AND status = 'dropped' AND grab_ends_at > $2 AND valid_until > $2 AND claimed < total_limit
			RETURNING `+couponColumns, n.CouponID, millis(n.At)))
		if errors.Is(err, sql.ErrNoRows) {
			return whyNotClaimed(ctx, tx, n.CouponID)
		}
		if err != nil {
			return fmt.Errorf("store: claim coupon %s: %w", n.CouponID, err)
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO coupon_claims (id, coupon_id, user_id, claimed_at)
			SELECT $1, $2, $3, $4
			WHERE (SELECT COUNT(*) FROM coupon_claims WHERE coupon_id = $2 AND user_id = $3) < $5`,
			n.ID, n.CouponID, n.UserID, millis(n.At), c.PerUserLimit)
		if err != nil {
			return fmt.Errorf("store: claim coupon %s: %w", n.CouponID, err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: claim coupon %s: %w", n.CouponID, err)
		} else if k == 0 {
			return coupon.ErrUserLimit // rolls the count back too
		}
		out = coupon.Claim{ID: n.ID, CouponID: n.CouponID, UserID: n.UserID, ClaimedAt: fromMillis(millis(n.At)), Coupon: c}
		return nil
	})
	return out, err
}

// whyNotClaimed tells an exhausted coupon from one not open for claims.
func whyNotClaimed(ctx context.Context, tx *dbtx, couponID string) error {
	var claimed, total int
	err := tx.QueryRowContext(ctx, `SELECT claimed, total_limit FROM coupons WHERE id = $1`, couponID).Scan(&claimed, &total)
	if err != nil {
		return notFound(err, "coupon")
	}
	if claimed >= total {
		return coupon.ErrAllClaimed
	}
	return coupon.ErrNotGrabbable
}

const claimColumns = `cl.id, cl.coupon_id, cl.user_id, cl.order_id, cl.used_at, cl.claimed_at`

func scanClaim(row interface{ Scan(...any) error }) (coupon.Claim, error) {
	var cl coupon.Claim
	var order sql.NullString
	var used sql.NullInt64
	var claimed int64
	if err := scanCouponFrom(row, &cl.Coupon, &cl.ID, &cl.CouponID, &cl.UserID, &order, &used, &claimed); err != nil {
		return coupon.Claim{}, err
	}
	if order.Valid {
		cl.OrderID = &order.String
	}
	cl.UsedAt, cl.ClaimedAt = fromNullMillis(used), fromMillis(claimed)
	return cl, nil
}

// ClaimByID returns a claim with its coupon.
func (s *Store) ClaimByID(ctx context.Context, id string) (coupon.Claim, error) {
	cl, err := scanClaim(s.rq.QueryRowContext(ctx, `
		SELECT `+claimColumns+`, `+couponColumnsOf("c")+`
		FROM coupon_claims cl JOIN coupons c ON c.id = cl.coupon_id
		WHERE cl.id = $1`, id))
	if err != nil {
		return coupon.Claim{}, notFound(err, "coupon claim")
	}
	return cl, nil
}

// ListClaims lists a user's claims: usable ones (not used, not expired at
// f.Now) first, then the rest, newest first within each.
func (s *Store) ListClaims(ctx context.Context, f coupon.ClaimFilter) ([]coupon.Claim, error) {
	const usable = `(CASE WHEN cl.order_id IS NULL AND c.valid_until > $3 THEN 1 ELSE 0 END)`
	after := 0
	if f.AfterUsable {
		after = 1
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+claimColumns+`, `+couponColumnsOf("c")+`
		FROM coupon_claims cl JOIN coupons c ON c.id = cl.coupon_id
		WHERE cl.user_id = $1 AND ($2 = '' OR c.shop_id = $2)
		  AND ($4 = '' OR `+usable+` < $5 OR (`+usable+` = $5 AND cl.id < $4))
		ORDER BY `+usable+` DESC, cl.id DESC LIMIT $6`,
		f.UserID, f.ShopID, millis(f.Now), f.AfterID, after, pageLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list coupon claims: %w", err)
	}
	defer rows.Close()
	out := []coupon.Claim{}
	for rows.Next() {
		cl, err := scanClaim(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list coupon claims: %w", err)
		}
		out = append(out, cl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list coupon claims: %w", err)
	}
	return out, nil
}

var _ coupon.Repo = (*Store)(nil)
