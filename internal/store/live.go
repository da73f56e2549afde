package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
)

// Live sessions, their shelves and moments (room.Repo). Every state
// change is an UPDATE … WHERE status IN (the states it may come from), so
// an ended session can never go live again, whoever races.

const liveSessionColumns = `
	l.id, l.shop_id, sh.name, l.host_id, COALESCE(u.display_name, ''), l.title, l.cover_image_id, l.planned_start,
	l.status, l.started_at, l.ended_at, l.protocol, l.explaining_product_id, l.slow_mode_seconds, l.likes,
	l.peak_viewers, l.created_at
	FROM live_sessions l JOIN shops sh ON sh.id = l.shop_id LEFT JOIN users u ON u.id = l.host_id`

func scanLiveSession(row interface{ Scan(...any) error }) (room.Session, error) {
	var ses room.Session
	var host sql.NullString
	var planned, created int64
	var started, ended sql.NullInt64
	var protocol string
	if err := row.Scan(&ses.ID, &ses.ShopID, &ses.ShopName, &host, &ses.HostName, &ses.Title, &ses.CoverImageID, &planned,
		&ses.Status, &started, &ended, &protocol, &ses.ExplainingProductID, &ses.SlowModeSeconds, &ses.Likes,
		&ses.PeakViewers, &created); err != nil {
		return room.Session{}, err
	}
	if host.Valid {
		ses.HostID = &host.String
	}
	ses.PlannedStart, ses.CreatedAt = fromMillis(planned), fromMillis(created)
	ses.StartedAt, ses.EndedAt = fromNullMillis(started), fromNullMillis(ended)
	ses.Protocol = media.Protocol(protocol)
	ses.Products = []room.ShelfItem{}
	return ses, nil
}

// LiveSession returns a session with its shelf.
func (s *Store) LiveSession(ctx context.Context, id string) (room.Session, error) {
	ses, err := scanLiveSession(s.rq.QueryRowContext(ctx, `SELECT `+liveSessionColumns+` WHERE l.id = $1`, id))
	if err != nil {
		return room.Session{}, notFound(err, "live session")
	}
	out := []room.Session{ses}
	if err := s.attachShelves(ctx, out); err != nil {
		return room.Session{}, err
	}
	return out[0], nil
}

// LiveSessionByKeyHash finds a session by the hash of its current key.
func (s *Store) LiveSessionByKeyHash(ctx context.Context, hash string) (room.Session, error) {
	ses, err := scanLiveSession(s.rq.QueryRowContext(ctx, `SELECT `+liveSessionColumns+` WHERE l.stream_key_hash = $1`, hash))
	if err != nil {
		return room.Session{}, notFound(err, "live session")
	}
	return ses, nil
}

// LiveSessionStreamKey returns a session's current stream key.
func (s *Store) LiveSessionStreamKey(ctx context.Context, id string) (string, error) {
	var key string
	err := s.rq.QueryRowContext(ctx, `SELECT stream_key FROM live_sessions WHERE id = $1`, id).Scan(&key)
	return key, notFound(err, "live session")
}

// ListLiveSessions lists sessions newest first, with their shelves.
func (s *Store) ListLiveSessions(ctx context.Context, f room.Filter) ([]room.Session, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+liveSessionColumns+`
		WHERE ($1 = '' OR l.status = $1)
		  AND ($2 = '' OR l.shop_id = $2)
		  AND ($3 = '' OR l.id < $3)
		ORDER BY l.id DESC LIMIT $4`, f.Status, f.ShopID, f.Cursor, pageLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list live sessions: %w", err)
	}
	defer rows.Close()
	out := []room.Session{}
	for rows.Next() {
		ses, err := scanLiveSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list live sessions: %w", err)
		}
		out = append(out, ses)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list live sessions: %w", err)
	}
	return out, s.attachShelves(ctx, out)
}

// attachShelves loads the shelves of sessions in one query. A shelf item
// shows its product's cheapest SKU and first picture.
func (s *Store) attachShelves(ctx context.Context, sessions []room.Session) error {
	if len(sessions) == 0 {
		return nil
	}
	args := make([]any, len(sessions))
	at := make(map[string]int, len(sessions))
	for i, ses := range sessions {
		args[i], at[ses.ID] = ses.ID, i
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT lp.session_id, lp.product_id, lp.position, p.title,
			COALESCE((SELECT k.price_minor FROM skus k WHERE k.product_id = p.id ORDER BY k.price_minor, k.id LIMIT 1), 0),
			COALESCE((SELECT k.currency FROM skus k WHERE k.product_id = p.id ORDER BY k.price_minor, k.id LIMIT 1), ''),
			COALESCE((SELECT i.id FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1), '')
		FROM live_session_products lp JOIN products p ON p.id = lp.product_id
		WHERE lp.session_id IN (`+placeholders(1, len(args))+`)
		ORDER BY lp.session_id, lp.position`, args...)
	if err != nil {
		return fmt.Errorf("store: load shelves: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sessionID string
		var it room.ShelfItem
		if err := rows.Scan(&sessionID, &it.ProductID, &it.Position, &it.Title, &it.PriceMinor, &it.Currency, &it.ImageID); err != nil {
			return fmt.Errorf("store: load shelves: %w", err)
		}
		i := at[sessionID]
		sessions[i].Products = append(sessions[i].Products, it)
	}
	return rows.Err()
}

// LiveProductRefs returns the shop and status of the products among ids.
func (s *Store) LiveProductRefs(ctx context.Context, ids []string) (map[string]room.ProductRef, error) {
	out := make(map[string]room.ProductRef, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT id, shop_id, status FROM products WHERE id IN (`+placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: look up products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ref room.ProductRef
		if err := rows.Scan(&id, &ref.ShopID, &ref.Status); err != nil {
			return nil, fmt.Errorf("store: look up products: %w", err)
		}
		out[id] = ref
	}
	return out, rows.Err()
}

// CreateLiveSession stores a scheduled session and its shelf.
func (s *Store) CreateLiveSession(ctx context.Context, n room.NewSession) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if err := insertLiveSession(ctx, tx, n); err != nil {
			return err
		}
		return replaceShelf(ctx, tx, n.ID, n.ProductIDs)
	})
}

func insertLiveSession(ctx context.Context, tx *dbtx, n room.NewSession) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO live_sessions (id, shop_id, host_id, title, cover_image_id, planned_start, status, stream_key, stream_key_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8, $9)`,
		n.ID, n.ShopID, nullString(n.HostID), n.Title, n.CoverImageID, millis(n.PlannedStart), n.StreamKey, n.KeyHash, millis(n.CreatedAt))
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "a live session with this id or stream key already exists")
	}
	if err != nil {
		return fmt.Errorf("store: create live session: %w", err)
	}
	return nil
}

// replaceShelf makes productIDs, in order, the session's shelf. The
// product being explained is forgotten when it leaves the shelf.
func replaceShelf(ctx context.Context, tx *dbtx, sessionID string, productIDs []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM live_session_products WHERE session_id = $1`, sessionID); err != nil {
		return fmt.Errorf("store: replace shelf: %w", err)
	}
	for i, id := range productIDs {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO live_session_products (session_id, product_id, position) VALUES ($1, $2, $3)`,
			sessionID, id, i+1); err != nil {
			return fmt.Errorf("store: replace shelf: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE live_sessions SET explaining_product_id = ''
		WHERE id = $1 AND explaining_product_id <> ''
		  AND explaining_product_id NOT IN (SELECT product_id FROM live_session_products WHERE session_id = $1)`, sessionID)
	if err != nil {
		return fmt.Errorf("store: replace shelf: %w", err)
	}
	// The shelf's titles are part of the session's search document; every
	// creation, reset and shelf change comes through here.
	return indexSession(ctx, tx, sessionID)
}

// ResetLiveSession makes n's session scheduled with n's key, shelf and
// details, creating it if needed; its times, moments, protocol, counters
// and room (chat, questions, announcements, mutes and bans) go. The
// moderation audit log stays.
func (s *Store) ResetLiveSession(ctx context.Context, n room.NewSession) error {
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE live_sessions SET shop_id = $1, host_id = $2, title = $3, cover_image_id = $4, planned_start = $5,
				status = 'scheduled', started_at = NULL, ended_at = NULL, protocol = '', explaining_product_id = '',
				stream_key = $6, stream_key_hash = $7, likes = 0, peak_viewers = 0, slow_mode_seconds = 0
			WHERE id = $8`,
			n.ShopID, nullString(n.HostID), n.Title, n.CoverImageID, millis(n.PlannedStart), n.StreamKey, n.KeyHash, n.ID)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "another live session has this stream key")
		}
		if err != nil {
			return fmt.Errorf("store: reset live session: %w", err)
		}
		if existed, _ := res.RowsAffected(); existed > 0 {
			if err := clearRoom(ctx, tx, n.ID); err != nil {
				return err
			}
		} else if err := insertLiveSession(ctx, tx, n); err != nil {
			return err
		}
		return replaceShelf(ctx, tx, n.ID, n.ProductIDs)
	})
}

// clearRoom forgets what happened in a session being reset.
func clearRoom(ctx context.Context, tx *dbtx, sessionID string) error {
	for _, table := range []string{"live_moments", "chat_reports", "chat_messages", "room_questions", "room_announcements", "room_moderation", "funnel_events"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE session_id = $1`, sessionID); err != nil {
			return fmt.Errorf("store: reset live session: clear %s: %w", table, err)
		}
	}
	return nil
}

// UpdateLiveSession applies a change. The planned start changes only while
// the session is scheduled, the shelf until it ends (Conflict otherwise).
func (s *Store) UpdateLiveSession(ctx context.Context, id string, c room.Change) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM live_sessions WHERE id = $1`, id).Scan(&status); err != nil {
			return notFound(err, "live session")
		}
		if c.Title != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE live_sessions SET title = $1 WHERE id = $2`, *c.Title, id); err != nil {
				return fmt.Errorf("store: update live session: %w", err)
			}
		}
		if c.CoverImageID != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE live_sessions SET cover_image_id = $1 WHERE id = $2`, *c.CoverImageID, id); err != nil {
				return fmt.Errorf("store: update live session: %w", err)
			}
		}
		if c.PlannedStart != nil {
			if status != room.Scheduled {
				return apperr.New(apperr.Conflict, "the session is %s; its planned start can no longer change", status)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE live_sessions SET planned_start = $1 WHERE id = $2`, millis(*c.PlannedStart), id); err != nil {
				return fmt.Errorf("store: update live session: %w", err)
			}
		}
		if c.ProductIDs != nil {
			if status != room.Scheduled && status != room.Live {
				return apperr.New(apperr.Conflict, "the session is %s; its shelf can no longer change", status)
			}
			return replaceShelf(ctx, tx, id, *c.ProductIDs)
		}
		return indexSession(ctx, tx, id)
	})
}

// RotateStreamKey replaces the key of a session that has not ended.
func (s *Store) RotateStreamKey(ctx context.Context, id, key, keyHash string) error {
	res, err := s.write(ctx, `
		UPDATE live_sessions SET stream_key = $1, stream_key_hash = $2
		WHERE id = $3 AND status IN ('scheduled', 'live')`, key, keyHash, id)
	if err != nil {
		return fmt.Errorf("store: rotate stream key: %w", err)
	}
	return s.liveChanged(ctx, res, id, "the session has ended; its stream key cannot change")
}

// StartLiveSession marks a scheduled or live session live; started_at is
// kept from the first start, so a reconnect does not move it.
func (s *Store) StartLiveSession(ctx context.Context, id string, p media.Protocol, at time.Time) error {
	res, err := s.write(ctx, `
		UPDATE live_sessions SET status = 'live', protocol = $1, started_at = COALESCE(started_at, $2)
		WHERE id = $3 AND status IN ('scheduled', 'live')`, string(p), millis(at), id)
	if err != nil {
		return fmt.Errorf("store: start live session: %w", err)
	}
	return s.liveChanged(ctx, res, id, "this live session has ended")
}

// EndLiveSession ends a scheduled or live session, reporting whether this
// call ended it.
func (s *Store) EndLiveSession(ctx context.Context, id string, at time.Time) (bool, error) {
	res, err := s.write(ctx, `
		UPDATE live_sessions SET status = 'ended', ended_at = $1, explaining_product_id = ''
		WHERE id = $2 AND status IN ('scheduled', 'live')`, millis(at), id)
	if err != nil {
		return false, fmt.Errorf("store: end live session: %w", err)
	}
	err = s.liveChanged(ctx, res, id, "")
	if apperr.Is(err, apperr.Conflict) {
		return false, nil
	}
	return err == nil, err
}

// MarkReplay turns an ended session into a replay.
func (s *Store) MarkReplay(ctx context.Context, id string) error {
	res, err := s.write(ctx, `UPDATE live_sessions SET status = 'replay' WHERE id = $1 AND status = 'ended'`, id)
	if err != nil {
		return fmt.Errorf("store: mark replay: %w", err)
	}
	return s.liveChanged(ctx, res, id, "only an ended session can become a replay")
}

// liveChanged turns a conditional update that changed nothing into
// NotFound (no such session) or Conflict with conflictMsg.
func (s *Store) liveChanged(ctx context.Context, res sql.Result, id, conflictMsg string) error {
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: live session %s: %w", id, err)
	} else if n > 0 {
		return nil
	}
	var status string
	if err := s.rq.QueryRowContext(ctx, `SELECT status FROM live_sessions WHERE id = $1`, id).Scan(&status); err != nil {
		return notFound(err, "live session")
	}
	if conflictMsg == "" {
		conflictMsg = "the session is " + status
	}
	return apperr.New(apperr.Conflict, "%s", conflictMsg)
}

// AddMoment records a moment and shows its product as being explained,
// only while the session is live.
func (s *Store) AddMoment(ctx context.Context, m room.Moment) error {
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE live_sessions SET explaining_product_id = $1 WHERE id = $2 AND status = 'live'`, m.ProductID, m.SessionID)
		if err != nil {
			return fmt.Errorf("store: add moment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var status string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM live_sessions WHERE id = $1`, m.SessionID).Scan(&status); err != nil {
				return notFound(err, "live session")
			}
			return apperr.New(apperr.Conflict, "the session is %s; products can be explained while it is live", status)
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO live_moments (id, session_id, product_id, title, offset_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			m.ID, m.SessionID, m.ProductID, m.Title, m.OffsetMS, millis(m.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: add moment: %w", err)
		}
		return nil
	})
}

// ListMoments lists a session's moments oldest first, after cursor.
func (s *Store) ListMoments(ctx context.Context, sessionID, cursor string, limit int) ([]room.Moment, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id, session_id, product_id, title, offset_ms, created_at FROM live_moments
		WHERE session_id = $1 AND ($2 = '' OR id > $2)
		ORDER BY id LIMIT $3`, sessionID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list moments: %w", err)
	}
	defer rows.Close()
	out := []room.Moment{}
	for rows.Next() {
		var m room.Moment
		var created int64
		if err := rows.Scan(&m.ID, &m.SessionID, &m.ProductID, &m.Title, &m.OffsetMS, &created); err != nil {
			return nil, fmt.Errorf("store: list moments: %w", err)
		}
		m.CreatedAt = fromMillis(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

var _ room.Repo = (*Store)(nil)
