package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/liveshop/liveshop/internal/room"
)

// The platform moderation queue (room.ReportQueue): open chat reports
// from every room, and their resolutions.

const reportQueueColumns = `
	r.id, r.session_id, r.message_id, r.reporter_id, COALESCE(u.display_name, ''), r.reason, r.created_at,
	c.user_id, c.name, c.role, c.text, c.offset_ms, c.created_at, c.deleted_at IS NOT NULL, ls.title,
	r.resolved_at, COALESCE(r.resolved_by, ''), COALESCE(r.resolution, ''), r.banned`

const reportQueueFrom = `
	FROM chat_reports r
	JOIN chat_messages c ON c.id = r.message_id
	JOIN live_sessions ls ON ls.id = r.session_id
	LEFT JOIN users u ON u.id = r.reporter_id`

func scanQueuedReport(sc interface{ Scan(...any) error }) (room.Report, error) {
	var r room.Report
	var m room.ChatMessage
	var created, posted int64
	var resolvedAt sql.NullInt64
	var res room.Resolution
	if err := sc.Scan(&r.ID, &r.SessionID, &r.MessageID, &r.ReporterID, &r.ReporterName, &r.Reason, &created,
		&m.UserID, &m.Name, &m.Role, &m.Text, &m.OffsetMS, &posted, &r.MessageDeleted, &r.SessionTitle,
		&resolvedAt, &res.By, &res.Action, &res.Banned); err != nil {
		return room.Report{}, err
	}
	m.ID, m.SessionID, m.CreatedAt = r.MessageID, r.SessionID, fromMillis(posted)
	r.Message, r.CreatedAt = &m, fromMillis(created)
	if resolvedAt.Valid {
		res.At = fromMillis(resolvedAt.Int64)
		r.Resolution = &res
	}
	return r, nil
}

// OpenReports lists unresolved reports from every room, newest first
// (ids sort by time), before cursor.
func (s *Store) OpenReports(ctx context.Context, cursor string, limit int) ([]room.Report, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+reportQueueColumns+reportQueueFrom+`
		WHERE r.resolved_at IS NULL AND ($1 = '' OR r.id < $1)
		ORDER BY r.id DESC LIMIT $2`, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: open reports: %w", err)
	}
	defer rows.Close()
	out := []room.Report{}
	for rows.Next() {
		r, err := scanQueuedReport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: open reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open reports: %w", err)
	}
	return out, nil
}

// ReportByID returns one report with its message and resolution.
func (s *Store) ReportByID(ctx context.Context, id string) (room.Report, error) {
	r, err := scanQueuedReport(s.rq.QueryRowContext(ctx, `SELECT `+reportQueueColumns+reportQueueFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return room.Report{}, fmt.Errorf("store: report %s: %w", id, notFound(err, "report"))
	}
	return r, nil
}

// ResolveReports resolves every open report of a message at once: the
// queue shows reports, but the decision is about the message.
func (s *Store) ResolveReports(ctx context.Context, messageID string, res room.Resolution) (int, error) {
	out, err := s.write(ctx, `
		UPDATE chat_reports SET resolved_at = $1, resolved_by = $2, resolution = $3, banned = $4
		WHERE message_id = $5 AND resolved_at IS NULL`,
		millis(res.At), res.By, res.Action, res.Banned, messageID)
	if err != nil {
		return 0, fmt.Errorf("store: resolve reports: %w", err)
	}
	n, err := out.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: resolve reports: %w", err)
	}
	return int(n), nil
}
