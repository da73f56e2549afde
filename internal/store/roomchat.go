package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// The realtime room's chat, likes and peak (room.ChatRepo). Chat is the
// hot path: a message costs one read (RoomGate) and one INSERT, which on
// SQLite joins the group commit.

// RoomGate reads a room's state and userID's standing in it in one query.
// The user's newest message is looked up (on the session+user index) only
// while slow mode is on.
func (s *Store) RoomGate(ctx context.Context, roomID, userID string) (room.Gate, error) {
	var g room.Gate
	var started, mutedUntil, bannedUntil, lastChat sql.NullInt64
	err := s.rq.QueryRowContext(ctx, `
		SELECT l.status, l.shop_id, COALESCE(l.host_id, ''), l.started_at, l.slow_mode_seconds,
			COALESCE(m.muted, FALSE), m.muted_until, COALESCE(m.banned, FALSE), m.banned_until,
			CASE WHEN l.slow_mode_seconds > 0 THEN
				(SELECT MAX(c.created_at) FROM chat_messages c WHERE c.session_id = l.id AND c.user_id = $2)
			END
		FROM live_sessions l
		LEFT JOIN room_moderation m ON m.session_id = l.id AND m.user_id = $2
		WHERE l.id = $1`, roomID, userID).Scan(&g.Status, &g.ShopID, &g.HostID, &started, &g.SlowModeSeconds,
		&g.Moderation.Muted, &mutedUntil, &g.Moderation.Banned, &bannedUntil, &lastChat)
	if err != nil {
		return room.Gate{}, notFound(err, "live session")
	}
	g.StartedAt, g.LastChatAt = fromNullMillis(started), fromNullMillis(lastChat)
	g.Moderation.MutedUntil, g.Moderation.BannedUntil = fromNullMillis(mutedUntil), fromNullMillis(bannedUntil)
	return g, nil
}

const chatColumns = `id, session_id, user_id, name, role, text, offset_ms, created_at`

func scanChat(row interface{ Scan(...any) error }) (room.ChatMessage, error) {
	var m room.ChatMessage
	var created int64
	if err := row.Scan(&m.ID, &m.SessionID, &m.UserID, &m.Name, &m.Role, &m.Text, &m.OffsetMS, &created); err != nil {
		return room.ChatMessage{}, err
	}
	m.CreatedAt = fromMillis(created)
	return m, nil
}

// AddChatMessage stores m. With notAfter set, the INSERT itself checks
// the author has no message since then, so two nodes cannot both let a
// message through one slow-mode window (SQLite has one writer; on
// PostgreSQL two exactly simultaneous messages could still pass).
func (s *Store) AddChatMessage(ctx context.Context, m room.ChatMessage, notAfter time.Time) (bool, error) {
	args := []any{m.ID, m.SessionID, m.UserID, m.Name, m.Role, m.Text, m.OffsetMS, millis(m.CreatedAt)}
	query := `INSERT INTO chat_messages (` + chatColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	if !notAfter.IsZero() {
		query = `
			INSERT INTO chat_messages (` + chatColumns + `)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8
			WHERE NOT EXISTS (SELECT 1 FROM chat_messages WHERE session_id = $2 AND user_id = $3 AND created_at > $9)`
		args = append(args, millis(notAfter))
	}
	res, err := s.write(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("store: add chat message: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: add chat message: %w", err)
	}
	return n == 1, nil
}

// RecentChat returns the room's last n messages not deleted, oldest first.
func (s *Store) RecentChat(ctx context.Context, roomID string, n int) ([]room.ChatMessage, error) {
	out, err := s.queryChat(ctx, `
		SELECT `+chatColumns+` FROM chat_messages
		WHERE session_id = $1 AND deleted_at IS NULL
		ORDER BY created_at DESC, id DESC LIMIT $2`, roomID, n)
	slices.Reverse(out)
	return out, err
}

// ChatHistory lists messages not deleted whose offset is in the range,
// in time order; the cursor is the last message of the previous page.
func (s *Store) ChatHistory(ctx context.Context, roomID string, q room.ChatQuery) ([]room.ChatMessage, error) {
	afterAt, afterID := int64(-1), ""
	if q.Cursor != "" {
		err := s.rq.QueryRowContext(ctx, `SELECT created_at FROM chat_messages WHERE id = $1 AND session_id = $2`,
			q.Cursor, roomID).Scan(&afterAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, apperr.Field("cursor", "cursor is not valid")
		}
		if err != nil {
			return nil, fmt.Errorf("store: chat history: %w", err)
		}
		afterID = q.Cursor
	}
	return s.queryChat(ctx, `
		SELECT `+chatColumns+` FROM chat_messages
		WHERE session_id = $1 AND deleted_at IS NULL
		  AND offset_ms >= $2 AND ($3 = 0 OR offset_ms < $3)
		  AND (created_at > $4 OR (created_at = $4 AND id > $5))
		ORDER BY created_at, id LIMIT $6`, roomID, q.FromMS, q.ToMS, afterAt, afterID, pageLimit(q.Limit))
}

func (s *Store) queryChat(ctx context.Context, query string, args ...any) ([]room.ChatMessage, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read chat: %w", err)
	}
	defer rows.Close()
	out := []room.ChatMessage{}
	for rows.Next() {
		m, err := scanChat(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read chat: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read chat: %w", err)
	}
	return out, nil
}

// DeleteChatMessage marks a message of audit's session deleted and
// writes the audit entry in the same transaction.
func (s *Store) DeleteChatMessage(ctx context.Context, messageID string, audit room.ModerationAction) (bool, error) {
	changed := false
	err := s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE chat_messages SET deleted_at = $1, deleted_by = $2
			WHERE id = $3 AND session_id = $4 AND deleted_at IS NULL`,
			millis(audit.CreatedAt), audit.By, messageID, audit.SessionID)
		if err != nil {
			return fmt.Errorf("store: delete chat message: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM chat_messages WHERE id = $1 AND session_id = $2`,
				messageID, audit.SessionID).Scan(&one)
			return notFound(err, "chat message")
		}
		changed = true
		return insertModerationAction(ctx, tx, audit)
	})
	return changed, err
}

// AddLikes adds n to a session's likes.
func (s *Store) AddLikes(ctx context.Context, roomID string, n int64) error {
	res, err := s.write(ctx, `UPDATE live_sessions SET likes = likes + $1 WHERE id = $2`, n, roomID)
	if err != nil {
		return fmt.Errorf("store: add likes: %w", err)
	}
	return oneRow(res, "live session")
}

// RecordPeak raises a session's peak viewers, never lowers it.
func (s *Store) RecordPeak(ctx context.Context, roomID string, peak int) error {
	res, err := s.write(ctx, `
		UPDATE live_sessions SET peak_viewers = CASE WHEN peak_viewers < $1 THEN $1 ELSE peak_viewers END
		WHERE id = $2`, peak, roomID)
	if err != nil {
		return fmt.Errorf("store: record peak: %w", err)
	}
	return oneRow(res, "live session")
}

// oneRow turns an update that matched no row into NotFound.
func oneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "%s not found", what)
	}
	return nil
}
