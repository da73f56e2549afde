package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Room moderation, its audit log, reports and the shops' keyword filters
// (room.ChatRepo). Every moderation change and its audit row commit
// together.

// Moderate applies a mute, unmute, ban or unban and audits it. Lifting a
// mute or ban nobody had changes nothing but is still audited.
func (s *Store) Moderate(ctx context.Context, a room.ModerationAction) error {
	var until sql.NullInt64
	if a.Until != nil {
		until = sql.NullInt64{Int64: millis(*a.Until), Valid: true}
	}
	at := millis(a.CreatedAt)
	var query string
	args := []any{a.SessionID, a.UserID, at}
	switch a.Action {
	case room.ActionMute:
		query = `
			INSERT INTO room_moderation (session_id, user_id, updated_at, muted, muted_until) VALUES ($1, $2, $3, TRUE, $4)
			ON CONFLICT (session_id, user_id) DO UPDATE SET muted = TRUE, muted_until = excluded.muted_until, updated_at = excluded.updated_at`
		args = append(args, until)
	case room.ActionBan:
		query = `
			INSERT INTO room_moderation (session_id, user_id, updated_at, banned, banned_until) VALUES ($1, $2, $3, TRUE, $4)
			ON CONFLICT (session_id, user_id) DO UPDATE SET banned = TRUE, banned_until = excluded.banned_until, updated_at = excluded.updated_at`
		args = append(args, until)
	case room.ActionUnmute:
		query = `UPDATE room_moderation SET muted = FALSE, muted_until = NULL, updated_at = $3 WHERE session_id = $1 AND user_id = $2`
	case room.ActionUnban:
		query = `UPDATE room_moderation SET banned = FALSE, banned_until = NULL, updated_at = $3 WHERE session_id = $1 AND user_id = $2`
	default:
		return fmt.Errorf("store: unknown moderation action %q", a.Action)
	}
	return s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("store: %s: %w", a.Action, err)
		}
		return insertModerationAction(ctx, tx, a)
	})
}

// SetSlowMode sets a session's slow mode and audits it.
func (s *Store) SetSlowMode(ctx context.Context, a room.ModerationAction) error {
	if a.SlowModeSeconds == nil {
		return fmt.Errorf("store: slow mode without seconds")
	}
	return s.tx(ctx, func(tx *dbtx) error {
		if err := execOne(ctx, tx, "live session", `UPDATE live_sessions SET slow_mode_seconds = $1 WHERE id = $2`,
			*a.SlowModeSeconds, a.SessionID); err != nil {
			return err
		}
		return insertModerationAction(ctx, tx, a)
	})
}

func insertModerationAction(ctx context.Context, tx *dbtx, a room.ModerationAction) error {
	var until sql.NullInt64
	if a.Until != nil {
		until = sql.NullInt64{Int64: millis(*a.Until), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO moderation_actions (id, session_id, action, user_id, message_id, slow_mode_seconds, minutes, until, reason, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		a.ID, a.SessionID, a.Action, nullString(a.UserID), nullString(a.MessageID), nullInt(a.SlowModeSeconds),
		nullInt(a.Minutes), until, a.Reason, a.By, millis(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: audit moderation: %w", err)
	}
	return nil
}

func intOrNil(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

// ListModerationActions lists a room's audit log newest first.
func (s *Store) ListModerationActions(ctx context.Context, roomID, cursor string, limit int) ([]room.ModerationAction, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT a.id, a.session_id, a.action, COALESCE(a.user_id, ''), COALESCE(u.display_name, ''), COALESCE(a.message_id, ''),
			a.slow_mode_seconds, a.minutes, a.until, a.reason, a.actor_id, COALESCE(b.display_name, ''), a.created_at
		FROM moderation_actions a
		LEFT JOIN users u ON u.id = a.user_id
		LEFT JOIN users b ON b.id = a.actor_id
		WHERE a.session_id = $1 AND ($2 = '' OR a.id < $2)
		ORDER BY a.id DESC LIMIT $3`, roomID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list moderation: %w", err)
	}
	defer rows.Close()
	out := []room.ModerationAction{}
	for rows.Next() {
		var a room.ModerationAction
		var slow, minutes, until sql.NullInt64
		var created int64
		if err := rows.Scan(&a.ID, &a.SessionID, &a.Action, &a.UserID, &a.UserName, &a.MessageID, &slow, &minutes, &until,
			&a.Reason, &a.By, &a.ByName, &created); err != nil {
			return nil, fmt.Errorf("store: list moderation: %w", err)
		}
		a.SlowModeSeconds, a.Minutes, a.Until, a.CreatedAt = intOrNil(slow), intOrNil(minutes), fromNullMillis(until), fromMillis(created)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list moderation: %w", err)
	}
	return out, nil
}

// AddReport stores a report of a message of the report's session.
func (s *Store) AddReport(ctx context.Context, r room.Report) error {
	res, err := s.write(ctx, `
		INSERT INTO chat_reports (id, session_id, message_id, reporter_id, reason, created_at)
		SELECT $1, session_id, id, $2, $3, $4 FROM chat_messages WHERE id = $5 AND session_id = $6`,
		r.ID, r.ReporterID, r.Reason, millis(r.CreatedAt), r.MessageID, r.SessionID)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "you have already reported this message")
	}
	if err != nil {
		return fmt.Errorf("store: add report: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: add report: %w", err)
	} else if n == 0 {
		return apperr.Field("message_id", "message %s is not in this room's chat", r.MessageID)
	}
	return nil
}

// ListReports lists a room's reports newest first, each with its message.
func (s *Store) ListReports(ctx context.Context, roomID, cursor string, limit int) ([]room.Report, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT r.id, r.session_id, r.message_id, r.reporter_id, COALESCE(u.display_name, ''), r.reason, r.created_at,
			c.user_id, c.name, c.role, c.text, c.offset_ms, c.created_at, c.deleted_at IS NOT NULL
		FROM chat_reports r
		JOIN chat_messages c ON c.id = r.message_id
		LEFT JOIN users u ON u.id = r.reporter_id
		WHERE r.session_id = $1 AND ($2 = '' OR r.id < $2)
		ORDER BY r.id DESC LIMIT $3`, roomID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list reports: %w", err)
	}
	defer rows.Close()
	out := []room.Report{}
	for rows.Next() {
		var r room.Report
		var m room.ChatMessage
		var created, posted int64
		if err := rows.Scan(&r.ID, &r.SessionID, &r.MessageID, &r.ReporterID, &r.ReporterName, &r.Reason, &created,
			&m.UserID, &m.Name, &m.Role, &m.Text, &m.OffsetMS, &posted, &r.MessageDeleted); err != nil {
			return nil, fmt.Errorf("store: list reports: %w", err)
		}
		m.ID, m.SessionID, m.CreatedAt = r.MessageID, r.SessionID, fromMillis(posted)
		r.Message, r.CreatedAt = &m, fromMillis(created)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list reports: %w", err)
	}
	return out, nil
}

// ChatFilter returns a shop's blocked words; none when never set.
func (s *Store) ChatFilter(ctx context.Context, shopID string) (room.ChatFilter, error) {
	f := room.ChatFilter{ShopID: shopID, Words: []string{}}
	var words string
	var updated int64
	err := s.rq.QueryRowContext(ctx, `SELECT words, updated_at, updated_by FROM shop_chat_filters WHERE shop_id = $1`,
		shopID).Scan(&words, &updated, &f.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return room.ChatFilter{}, fmt.Errorf("store: chat filter: %w", err)
	}
	if err := json.Unmarshal([]byte(words), &f.Words); err != nil {
		return room.ChatFilter{}, fmt.Errorf("store: chat filter of %s: %w", shopID, err)
	}
	t := fromMillis(updated)
	f.UpdatedAt = &t
	return f, nil
}

// SetChatFilter replaces a shop's blocked words.
func (s *Store) SetChatFilter(ctx context.Context, f room.ChatFilter) error {
	words := f.Words
	if words == nil {
		words = []string{}
	}
	raw, err := json.Marshal(words)
	if err != nil {
		return fmt.Errorf("store: chat filter: %w", err)
	}
	if f.UpdatedAt == nil {
		return fmt.Errorf("store: chat filter without a time")
	}
	_, err = s.write(ctx, `
		INSERT INTO shop_chat_filters (shop_id, words, updated_at, updated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (shop_id) DO UPDATE SET words = excluded.words, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		f.ShopID, string(raw), millis(*f.UpdatedAt), f.UpdatedBy)
	if err != nil {
		return fmt.Errorf("store: set chat filter: %w", err)
	}
	return nil
}
