package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/draw"
)

// Lucky draws (internal/draw). A draw's prizes leave the SKU's stock when
// it is created and come back, with a movement, when nobody can win them
// or their winners do not claim them in time.

const drawColumns = `d.id, d.session_id, d.shop_id, d.product_id, d.sku_id, p.title, d.title, d.quantity, d.winner_count,
	d.eligibility, d.keyword, d.commitment, d.seed, d.status, d.entrants, d.ends_at, d.drawn_at, d.claim_until, d.created_by, d.created_at`

const drawFrom = ` FROM draws d JOIN products p ON p.id = d.product_id`

func scanDraw(row interface{ Scan(...any) error }) (draw.Draw, error) {
	var d draw.Draw
	var ends, created int64
	var drawn, claimUntil sql.NullInt64
	err := row.Scan(&d.ID, &d.SessionID, &d.ShopID, &d.ProductID, &d.SKUID, &d.ProductTitle, &d.Title, &d.Quantity, &d.WinnerCount,
		&d.Eligibility, &d.Keyword, &d.Commitment, &d.Seed, &d.Status, &d.Entrants, &ends, &drawn, &claimUntil, &d.CreatedBy, &created)
	if err != nil {
		return draw.Draw{}, err
	}
	d.EndsAt, d.CreatedAt = fromMillis(ends), fromMillis(created)
	d.DrawnAt, d.ClaimUntil = fromNullMillis(drawn), fromNullMillis(claimUntil)
	d.Winners = []draw.Winner{}
	return d, nil
}

// CreateDraw stores an open draw and takes its prizes from the SKU.
func (s *Store) CreateDraw(ctx context.Context, d draw.Draw) error {
	need := d.WinnerCount * d.Quantity
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO draws (id, session_id, shop_id, product_id, sku_id, title, quantity, winner_count, eligibility, keyword,
				seed, commitment, status, ends_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			d.ID, d.SessionID, d.ShopID, d.ProductID, d.SKUID, d.Title, d.Quantity, d.WinnerCount, d.Eligibility, d.Keyword,
			d.Seed, d.Commitment, d.Status, millis(d.EndsAt), d.CreatedBy, millis(d.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: create draw: %w", err)
		}
		after, err := addStock(ctx, tx, d.SKUID, -need, d.CreatedAt)
		if e, ok := apperr.As(err); ok && e.Code == apperr.Conflict {
			return &apperr.Error{Code: apperr.Conflict, Field: "quantity",
				Message: fmt.Sprintf("the draw needs %d units (%d winners × %d): %s", need, d.WinnerCount, d.Quantity, e.Message)}
		}
		if err != nil {
			return err
		}
		return insertMovement(ctx, tx, catalog.Movement{SKUID: d.SKUID, Delta: -need, StockAfter: after, Reason: catalog.ReasonDraw,
			Ref: d.ID, ActorID: d.CreatedBy, Note: "prizes of the draw " + d.Title, CreatedAt: d.CreatedAt})
	})
}

// Draw returns a draw with its seed and winners.
func (s *Store) Draw(ctx context.Context, id string) (draw.Draw, error) {
	d, err := scanDraw(s.rq.QueryRowContext(ctx, `SELECT `+drawColumns+drawFrom+` WHERE d.id = $1`, id))
	if err != nil {
		return draw.Draw{}, notFound(err, "draw")
	}
	ds := []draw.Draw{d}
	if err := s.attachWinners(ctx, ds); err != nil {
		return draw.Draw{}, err
	}
	return ds[0], nil
}

// ListDraws lists a session's draws newest first.
func (s *Store) ListDraws(ctx context.Context, sessionID, cursor string, limit int) ([]draw.Draw, error) {
	return s.draws(ctx, `SELECT `+drawColumns+drawFrom+`
		WHERE d.session_id = $1 AND ($2 = '' OR d.id < $2) ORDER BY d.id DESC LIMIT $3`, sessionID, cursor, pageLimit(limit))
}

// RecentDraws lists a session's open draws and those drawn since since,
// oldest first.
func (s *Store) RecentDraws(ctx context.Context, sessionID string, since time.Time) ([]draw.Draw, error) {
	return s.draws(ctx, `SELECT `+drawColumns+drawFrom+`
		WHERE d.session_id = $1 AND (d.status = 'open' OR (d.status = 'drawn' AND d.drawn_at >= $2)) ORDER BY d.id`,
		sessionID, millis(since))
}

func (s *Store) draws(ctx context.Context, query string, args ...any) ([]draw.Draw, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list draws: %w", err)
	}
	defer rows.Close()
	out := []draw.Draw{}
	for rows.Next() {
		d, err := scanDraw(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list draws: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list draws: %w", err)
	}
	rows.Close()
	return out, s.attachWinners(ctx, out)
}

// attachWinners fills the winners of ds, in the order they were picked.
func (s *Store) attachWinners(ctx context.Context, ds []draw.Draw) error {
	if len(ds) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := make([]any, len(ds))
	for i, d := range ds {
		idx[d.ID], args[i] = i, d.ID
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT w.draw_id, w.user_id, u.display_name, w.order_id, w.forfeited_at
		FROM draw_winners w JOIN users u ON u.id = w.user_id
		WHERE w.draw_id IN (`+placeholders(1, len(args))+`) ORDER BY w.draw_id, w.position`, args...)
	if err != nil {
		return fmt.Errorf("store: draw winners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var drawID string
		var w draw.Winner
		var forfeited sql.NullInt64
		if err := rows.Scan(&drawID, &w.UserID, &w.Name, &w.OrderID, &forfeited); err != nil {
			return fmt.Errorf("store: draw winners: %w", err)
		}
		w.Forfeited = forfeited.Valid
		d := &ds[idx[drawID]]
		d.Winners = append(d.Winners, w)
	}
	return rows.Err()
}

// DueDraws lists open draws whose deadline is not after now.
func (s *Store) DueDraws(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT id FROM draws WHERE status = 'open' AND ends_at <= $1 ORDER BY ends_at LIMIT $2`, millis(now), limit)
}

// DrawEntry returns a user's entry in a draw.
func (s *Store) DrawEntry(ctx context.Context, drawID, userID string) (draw.Entry, error) {
	e, err := scanEntry(s.rq.QueryRowContext(ctx, `SELECT draw_id, user_id, created_at FROM draw_entries WHERE draw_id = $1 AND user_id = $2`,
		drawID, userID))
	return e, notFound(err, "entry")
}

func scanEntry(row interface{ Scan(...any) error }) (draw.Entry, error) {
	var e draw.Entry
	var at int64
	if err := row.Scan(&e.DrawID, &e.UserID, &at); err != nil {
		return draw.Entry{}, err
	}
	e.CreatedAt = fromMillis(at)
	return e, nil
}

// AddDrawEntry stores an entry and counts it on the draw, only while the
// draw is open and before its deadline. Counting it is an update of the
// draw's row, so it queues behind (or ahead of) the drawing's own update:
// an entry is either among the entrants drawn or refused.
func (s *Store) AddDrawEntry(ctx context.Context, e draw.Entry) (draw.Entry, bool, error) {
	stored, created := e, false
	err := s.tx(ctx, func(tx *dbtx) error {
		stored, created = e, false
		res, err := tx.ExecContext(ctx, `
			INSERT INTO draw_entries (draw_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (draw_id, user_id) DO NOTHING`,
			e.DrawID, e.UserID, millis(e.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: enter draw %s: %w", e.DrawID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			stored, err = scanEntry(tx.QueryRowContext(ctx, `
				SELECT draw_id, user_id, created_at FROM draw_entries WHERE draw_id = $1 AND user_id = $2`, e.DrawID, e.UserID))
			return err
		}
		res, err = tx.ExecContext(ctx, `
			UPDATE draws SET entrants = entrants + 1 WHERE id = $1 AND status = 'open' AND ends_at > $2`, e.DrawID, millis(e.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: enter draw %s: %w", e.DrawID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "draw", Message: "the draw has closed"}
		}
		created = true
		return nil
	})
	if err != nil {
		return draw.Entry{}, false, err
	}
	return stored, created, nil
}

// PostedInRoom reports whether the user has a chat message in the session
// containing keyword, ignoring case; deleted messages do not count.
func (s *Store) PostedInRoom(ctx context.Context, sessionID, userID, keyword string) (bool, error) {
	// SQLite's LOWER folds ASCII only; liveshop_lower folds like PostgreSQL.
	lower := "LOWER(text)"
	if s.dialect == SQLite {
		lower = "liveshop_lower(text)"
	}
	pattern := "%" + likeEscaper.Replace(strings.ToLower(keyword)) + "%"
	return s.exists(ctx, `
		SELECT 1 FROM chat_messages
		WHERE session_id = $1 AND user_id = $2 AND deleted_at IS NULL AND `+lower+` LIKE $3 ESCAPE '\' LIMIT 1`,
		sessionID, userID, pattern)
}

// BoughtInRoom reports whether the user has a priced order line (prizes
// are free) attributed to the session in a live or fulfilled order.
func (s *Store) BoughtInRoom(ctx context.Context, sessionID, userID string) (bool, error) {
	return s.exists(ctx, `
		SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.user_id = $1 AND l.room_id = $2 AND l.unit_price_minor > 0
		  AND o.status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed') LIMIT 1`,
		userID, sessionID)
}

func (s *Store) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := s.rq.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: query: %w", err)
	}
	return true, nil
}

// DrawEntrants lists a draw's entrants' user ids, sorted bytewise (not by
// the database's collation, which may differ between engines).
func (s *Store) DrawEntrants(ctx context.Context, drawID string) ([]string, error) {
	return drawEntrants(ctx, s.rq, drawID)
}

func drawEntrants(ctx context.Context, q queryer, drawID string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id FROM draw_entries WHERE draw_id = $1`, drawID)
	if err != nil {
		return nil, fmt.Errorf("store: draw entrants: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: draw entrants: %w", err)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// FinishDraw draws an open draw in one transaction (see draw.Repo). The
// first statement moves it from open, so of two nodes drawing at once
// one changes the row and the other finds it drawn and does nothing.
func (s *Store) FinishDraw(ctx context.Context, f draw.Finish) (bool, error) {
	done := false
	err := s.tx(ctx, func(tx *dbtx) error {
		done = false
		res, err := tx.ExecContext(ctx, `
			UPDATE draws SET status = 'drawn', drawn_at = $1, claim_until = $2 WHERE id = $3 AND status = 'open'`,
			millis(f.At), millis(f.ClaimUntil), f.DrawID)
		if err != nil {
			return fmt.Errorf("store: draw %s: %w", f.DrawID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		var skuID, createdBy string
		var quantity, count int
		if err := tx.QueryRowContext(ctx, `SELECT sku_id, quantity, winner_count, created_by FROM draws WHERE id = $1`, f.DrawID).
			Scan(&skuID, &quantity, &count, &createdBy); err != nil {
			return fmt.Errorf("store: draw %s: %w", f.DrawID, err)
		}
		entrants, err := drawEntrants(ctx, tx, f.DrawID)
		if err != nil {
			return err
		}
		winners, err := f.Pick(entrants)
		if err != nil {
			return fmt.Errorf("store: draw %s: %w", f.DrawID, err)
		}
		for i, userID := range winners {
			if _, err := tx.ExecContext(ctx, `INSERT INTO draw_winners (draw_id, user_id, position) VALUES ($1, $2, $3)`,
				f.DrawID, userID, i); err != nil {
				return fmt.Errorf("store: draw %s winner: %w", f.DrawID, err)
			}
		}
		if unused := (count - len(winners)) * quantity; unused > 0 {
			if err := returnPrizes(ctx, tx, f.DrawID, skuID, unused, "prizes nobody entered for", f.At); err != nil {
				return err
			}
		}
		done = true
		return nil
	})
	return done, err
}

// returnPrizes gives units of a draw's prizes back to its SKU.
func returnPrizes(ctx context.Context, tx *dbtx, drawID, skuID string, units int, note string, at time.Time) error {
	after, err := addStock(ctx, tx, skuID, units, at)
	if err != nil {
		return err
	}
	return insertMovement(ctx, tx, catalog.Movement{SKUID: skuID, Delta: units, StockAfter: after, Reason: catalog.ReasonHoldReturn,
		Ref: drawID, Note: note, CreatedAt: at})
}

// StartPrizeClaim marks a winner's prize as being claimed.
func (s *Store) StartPrizeClaim(ctx context.Context, drawID, userID string, at time.Time) (bool, error) {
	res, err := s.write(ctx, `
		UPDATE draw_winners SET claimed_at = COALESCE(claimed_at, $1)
		WHERE draw_id = $2 AND user_id = $3 AND order_id = '' AND forfeited_at IS NULL`, millis(at), drawID, userID)
	if err != nil {
		return false, fmt.Errorf("store: claim prize of %s: %w", drawID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AbandonPrizeClaim clears a claim that made no order.
func (s *Store) AbandonPrizeClaim(ctx context.Context, drawID, userID string) error {
	_, err := s.write(ctx, `UPDATE draw_winners SET claimed_at = NULL WHERE draw_id = $1 AND user_id = $2 AND order_id = ''`,
		drawID, userID)
	if err != nil {
		return fmt.Errorf("store: abandon claim of %s: %w", drawID, err)
	}
	return nil
}

// SetPrizeOrder records a winner's award order. Claiming twice at once
// makes one order (its key is the prize), so the same id may be set again.
func (s *Store) SetPrizeOrder(ctx context.Context, drawID, userID, orderID string) error {
	res, err := s.write(ctx, `
		UPDATE draw_winners SET order_id = $1 WHERE draw_id = $2 AND user_id = $3 AND (order_id = '' OR order_id = $1)`,
		orderID, drawID, userID)
	if err != nil {
		return fmt.Errorf("store: prize order of %s: %w", drawID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "this prize was already claimed with another order")
	}
	return nil
}

// ClaimsClosed lists drawn draws whose claim deadline passed and whose
// unclaimed prizes were not returned yet.
func (s *Store) ClaimsClosed(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.strings(ctx, `
		SELECT id FROM draws WHERE status = 'drawn' AND prizes_returned_at IS NULL AND claim_until < $1 ORDER BY claim_until LIMIT $2`,
		millis(now), limit)
}

// ForfeitPrizes returns the prizes of winners who never started a claim,
// once per draw: marking the draw first means a second caller finds it
// done. A claim in progress keeps its prize.
func (s *Store) ForfeitPrizes(ctx context.Context, drawID string, at time.Time) (int, error) {
	forfeited := 0
	err := s.tx(ctx, func(tx *dbtx) error {
		forfeited = 0
		res, err := tx.ExecContext(ctx, `
			UPDATE draws SET prizes_returned_at = $1 WHERE id = $2 AND status = 'drawn' AND prizes_returned_at IS NULL`, millis(at), drawID)
		if err != nil {
			return fmt.Errorf("store: forfeit prizes of %s: %w", drawID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		res, err = tx.ExecContext(ctx, `
			UPDATE draw_winners SET forfeited_at = $1
			WHERE draw_id = $2 AND order_id = '' AND claimed_at IS NULL AND forfeited_at IS NULL`, millis(at), drawID)
		if err != nil {
			return fmt.Errorf("store: forfeit prizes of %s: %w", drawID, err)
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		var skuID string
		var quantity int
		if err := tx.QueryRowContext(ctx, `SELECT sku_id, quantity FROM draws WHERE id = $1`, drawID).Scan(&skuID, &quantity); err != nil {
			return fmt.Errorf("store: forfeit prizes of %s: %w", drawID, err)
		}
		forfeited = int(n)
		return returnPrizes(ctx, tx, drawID, skuID, forfeited*quantity, "prizes not claimed in time", at)
	})
	return forfeited, err
}

var _ draw.Repo = (*Store)(nil)
