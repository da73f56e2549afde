package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/catalog"
)

// Live auctions (auction.Repo). Every bid is one transaction that starts
// by bumping the auction's version: on PostgreSQL that UPDATE locks the
// row until commit, so concurrent bids on one auction queue there and each
// reads the state its predecessor committed; on SQLite the single writer
// already runs transactions one at a time.

const auctionColumns = `a.id, a.session_id, a.shop_id, a.product_id, a.sku_id, a.title, a.currency, a.start_price_minor,
	a.min_increment_minor, a.price_minor, a.leader_id, COALESCE(u.display_name, ''), a.leader_max_minor, a.second_max_minor,
	a.bids, a.payment_window_seconds, a.status, a.ends_at, a.ended_at, a.order_id, a.created_by, a.created_at, a.updated_at`

const auctionFrom = ` FROM auctions a LEFT JOIN users u ON u.id = a.leader_id`

func scanAuction(row interface{ Scan(...any) error }) (auction.Record, error) {
	var r auction.Record
	var leader, orderID sql.NullString
	var ended sql.NullInt64
	var ends, created, updated int64
	if err := row.Scan(&r.ID, &r.SessionID, &r.ShopID, &r.ProductID, &r.SKUID, &r.Title, &r.Currency, &r.StartPriceMinor,
		&r.MinIncrementMinor, &r.CurrentPriceMinor, &leader, &r.LeaderName, &r.LeaderMax, &r.SecondMax,
		&r.Bids, &r.PaymentWindowSeconds, &r.Status, &ends, &ended, &orderID, &r.CreatedBy, &created, &updated); err != nil {
		return auction.Record{}, err
	}
	r.LeaderID, r.OrderID = leader.String, orderID.String
	r.EndsAt, r.EndedAt, r.CreatedAt, r.UpdatedAt = fromMillis(ends), fromNullMillis(ended), fromMillis(created), fromMillis(updated)
	return r, nil
}

// CreateAuction takes one unit of the SKU and stores the auction.
func (s *Store) CreateAuction(ctx context.Context, r auction.Record) error {
	return s.tx(ctx, func(tx *dbtx) error {
		after, err := addStock(ctx, tx, r.SKUID, -1, r.CreatedAt)
		if apperr.Is(err, apperr.Conflict) {
			return &apperr.Error{Code: apperr.Conflict, Field: "sku_id", Message: "this SKU is out of stock"}
		}
		if err != nil {
			return err
		}
		if err := insertMovement(ctx, tx, catalog.Movement{SKUID: r.SKUID, Delta: -1, StockAfter: after, Reason: catalog.ReasonAuction,
			Ref: r.ID, ActorID: r.CreatedBy, CreatedAt: r.CreatedAt}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO auctions (id, session_id, shop_id, product_id, sku_id, title, currency, start_price_minor, min_increment_minor,
				price_minor, payment_window_seconds, status, ends_at, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			r.ID, r.SessionID, r.ShopID, r.ProductID, r.SKUID, r.Title, r.Currency, r.StartPriceMinor, r.MinIncrementMinor,
			r.CurrentPriceMinor, r.PaymentWindowSeconds, r.Status, millis(r.EndsAt), r.CreatedBy, millis(r.CreatedAt), millis(r.UpdatedAt))
		if err != nil {
			return fmt.Errorf("store: create auction: %w", err)
		}
		return nil
	})
}

// AuctionByID returns an auction with its leader's name.
func (s *Store) AuctionByID(ctx context.Context, id string) (auction.Record, error) {
	r, err := scanAuction(s.rq.QueryRowContext(ctx, `SELECT `+auctionColumns+auctionFrom+` WHERE a.id = $1`, id))
	if err != nil {
		return auction.Record{}, notFound(err, "auction")
	}
	return r, nil
}

// ListAuctions lists a session's auctions newest first, before cursor.
func (s *Store) ListAuctions(ctx context.Context, sessionID, cursor string, limit int) ([]auction.Record, error) {
	return s.queryAuctions(ctx, `SELECT `+auctionColumns+auctionFrom+`
		WHERE a.session_id = $1 AND ($2 = '' OR a.id < $2) ORDER BY a.id DESC LIMIT $3`, sessionID, cursor, pageLimit(limit))
}

// RecentAuctions lists a session's running auctions and those ended since.
func (s *Store) RecentAuctions(ctx context.Context, sessionID string, since time.Time) ([]auction.Record, error) {
	return s.queryAuctions(ctx, `SELECT `+auctionColumns+auctionFrom+`
		WHERE a.session_id = $1 AND (a.status = 'running' OR a.ended_at >= $2) ORDER BY a.id DESC LIMIT 100`, sessionID, millis(since))
}

func (s *Store) queryAuctions(ctx context.Context, query string, args ...any) ([]auction.Record, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read auctions: %w", err)
	}
	defer rows.Close()
	out := []auction.Record{}
	for rows.Next() {
		r, err := scanAuction(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read auctions: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read auctions: %w", err)
	}
	return out, nil
}

// ListAuctionBids lists bids newest first, below seq cursor (0: all).
func (s *Store) ListAuctionBids(ctx context.Context, auctionID string, cursor, limit int) ([]auction.BidStep, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT b.seq, u.display_name, b.price_minor, b.created_at FROM auction_bids b JOIN users u ON u.id = b.user_id
		WHERE b.auction_id = $1 AND ($2 = 0 OR b.seq < $2) ORDER BY b.seq DESC LIMIT $3`, auctionID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: read bids of %s: %w", auctionID, err)
	}
	defer rows.Close()
	out := []auction.BidStep{}
	for rows.Next() {
		var b auction.BidStep
		var created int64
		if err := rows.Scan(&b.Seq, &b.Name, &b.PriceMinor, &created); err != nil {
			return nil, fmt.Errorf("store: read bids of %s: %w", auctionID, err)
		}
		b.CreatedAt = fromMillis(created)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read bids of %s: %w", auctionID, err)
	}
	return out, nil
}

const bidColumns = `id, auction_id, user_id, seq, max_minor, price_minor, leads, idempotency_key, created_at`

func scanBid(row interface{ Scan(...any) error }) (auction.BidRecord, error) {
	var b auction.BidRecord
	var created int64
	if err := row.Scan(&b.ID, &b.AuctionID, &b.UserID, &b.Seq, &b.MaxMinor, &b.PriceMinor, &b.Leads, &b.IdempotencyKey, &created); err != nil {
		return auction.BidRecord{}, err
	}
	b.CreatedAt = fromMillis(created)
	return b, nil
}

// PlaceAuctionBid runs one bid with the auction row locked.
func (s *Store) PlaceAuctionBid(ctx context.Context, auctionID, userID, key string,
	decide func(auction.Record) (auction.Record, auction.BidRecord, error)) (auction.BidRecord, bool, error) {
	var out auction.BidRecord
	var created bool
	err := s.tx(ctx, func(tx *dbtx) error {
		created = false
		// The lock: every bid on this auction waits here for the one before.
		if err := execOne(ctx, tx, "auction", `UPDATE auctions SET version = version + 1 WHERE id = $1`, auctionID); err != nil {
			return err
		}
		prev, err := scanBid(tx.QueryRowContext(ctx, `SELECT `+bidColumns+` FROM auction_bids
			WHERE auction_id = $1 AND user_id = $2 AND idempotency_key = $3`, auctionID, userID, key))
		if err == nil {
			out = prev
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: bid on %s: %w", auctionID, err)
		}
		cur, err := scanAuction(tx.QueryRowContext(ctx, `SELECT `+auctionColumns+auctionFrom+` WHERE a.id = $1`, auctionID))
		if err != nil {
			return fmt.Errorf("store: bid on %s: %w", auctionID, err)
		}
		next, b, err := decide(cur)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE auctions SET price_minor = $1, leader_id = $2, leader_max_minor = $3, second_max_minor = $4, bids = $5,
				ends_at = $6, updated_at = $7 WHERE id = $8`,
			next.CurrentPriceMinor, nullString(next.LeaderID), next.LeaderMax, next.SecondMax, next.Bids,
			millis(next.EndsAt), millis(next.UpdatedAt), auctionID); err != nil {
			return fmt.Errorf("store: bid on %s: %w", auctionID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO auction_bids (`+bidColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			b.ID, auctionID, userID, b.Seq, b.MaxMinor, b.PriceMinor, b.Leads, key, millis(b.CreatedAt)); err != nil {
			return fmt.Errorf("store: bid on %s: %w", auctionID, err)
		}
		out, created = b, true
		return nil
	})
	if err != nil {
		return auction.BidRecord{}, false, err
	}
	return out, created, nil
}

// DueAuctions lists running auctions whose end has passed.
func (s *Store) DueAuctions(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT id FROM auctions WHERE status = 'running' AND ends_at <= $1 ORDER BY ends_at LIMIT $2`,
		millis(now), limit)
}

// EndAuction ends a due auction; without bids its unit returns to the SKU.
func (s *Store) EndAuction(ctx context.Context, id string, now time.Time) (auction.Record, bool, error) {
	var ended bool
	err := s.tx(ctx, func(tx *dbtx) error {
		ended = false
		// Conditional: one node wins, and an auction a last bid extended
		// (the bid holds the row until it commits) is left running.
		var sku string
		var leader sql.NullString
		err := tx.QueryRowContext(ctx, `
			UPDATE auctions SET status = 'ended', ended_at = $1, updated_at = $1
			WHERE id = $2 AND status = 'running' AND ends_at <= $1 RETURNING sku_id, leader_id`,
			millis(now), id).Scan(&sku, &leader)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: end auction %s: %w", id, err)
		}
		ended = true
		if leader.Valid {
			return nil
		}
		return returnAuctionUnit(ctx, tx, id, sku, now)
	})
	if err != nil || !ended {
		return auction.Record{}, false, err
	}
	r, err := s.AuctionByID(ctx, id)
	return r, err == nil, err
}

// returnAuctionUnit gives the auction's unit back to its SKU.
func returnAuctionUnit(ctx context.Context, tx *dbtx, auctionID, skuID string, at time.Time) error {
	after, err := addStock(ctx, tx, skuID, 1, at)
	if err != nil {
		return err
	}
	return insertMovement(ctx, tx, catalog.Movement{SKUID: skuID, Delta: 1, StockAfter: after, Reason: catalog.ReasonHoldReturn,
		Ref: auctionID, CreatedAt: at})
}

// AuctionsAwaitingAward lists ended auctions whose winner has no order yet.
func (s *Store) AuctionsAwaitingAward(ctx context.Context, endedBefore time.Time, limit int) ([]auction.Record, error) {
	return s.queryAuctions(ctx, `SELECT `+auctionColumns+auctionFrom+`
		WHERE a.status = 'ended' AND a.leader_id IS NOT NULL AND a.order_id IS NULL AND a.award_error = '' AND a.ended_at < $1
		ORDER BY a.ended_at LIMIT $2`, millis(endedBefore), limit)
}

// SetAuctionOrder records the winner's order once.
func (s *Store) SetAuctionOrder(ctx context.Context, id, orderID string, at time.Time) error {
	_, err := s.write(ctx, `UPDATE auctions SET order_id = $1, updated_at = $2 WHERE id = $3 AND order_id IS NULL`,
		orderID, millis(at), id)
	if err != nil {
		return fmt.Errorf("store: auction %s order: %w", id, err)
	}
	return nil
}

// FailAuctionAward records why no order could be made and returns the unit.
func (s *Store) FailAuctionAward(ctx context.Context, id, reason string, at time.Time) (bool, error) {
	var done bool
	err := s.tx(ctx, func(tx *dbtx) error {
		done = false
		var sku string
		err := tx.QueryRowContext(ctx, `
			UPDATE auctions SET award_error = $1, updated_at = $2
			WHERE id = $3 AND status = 'ended' AND order_id IS NULL AND award_error = '' RETURNING sku_id`,
			reason, millis(at), id).Scan(&sku)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: fail award of %s: %w", id, err)
		}
		done = true
		return returnAuctionUnit(ctx, tx, id, sku, at)
	})
	return done, err
}

var _ auction.Repo = (*Store)(nil)
