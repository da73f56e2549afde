package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
)

// Notifications and the schedule (social.Repo). A notification is unique
// on (user, kind, session); inserts are ON CONFLICT DO NOTHING RETURNING
// id, so each caller learns exactly the rows it wrote and nodes racing on
// the same session write each row once between them.

// NotificationRecipients lists who hears of a session, sorted by user id.
func (s *Store) NotificationRecipients(ctx context.Context, r social.Recipients) ([]string, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT x.user_id FROM (
			SELECT user_id FROM follows WHERE target_kind = 'host' AND target_id = $1
			UNION
			SELECT user_id FROM follows WHERE target_kind = 'shop' AND target_id = $2
			UNION
			SELECT user_id FROM session_reminders WHERE session_id = $3
		) x
		WHERE x.user_id > $4 AND x.user_id <> $1
			AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = x.user_id AND n.kind = $5 AND n.session_id = $3)
		ORDER BY x.user_id LIMIT $6`, r.HostID, r.ShopID, r.SessionID, r.After, r.Kind, max(r.Limit, 1))
	if err != nil {
		return nil, fmt.Errorf("store: notification recipients: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: notification recipients: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notification recipients: %w", err)
	}
	return out, nil
}

// notificationInsertSizes are the row counts of the multi-row INSERTs a
// batch is cut into: a few fixed statements stay prepared.
var notificationInsertSizes = []int{256, 64, 16, 4, 1}

// notificationInserts holds, per dialect, the INSERT of each size; SQLite
// gets positional "?" parameters (it looks "$n" up in a list per bind).
var notificationInserts = map[Dialect]map[int]string{SQLite: notificationInsertSQL(false), Postgres: notificationInsertSQL(true)}

func notificationInsertSQL(numbered bool) map[int]string {
	const cols = 9
	out := map[int]string{}
	for _, n := range notificationInsertSizes {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO notifications (id, user_id, kind, session_id, title, body, url, params, created_at) VALUES `)
		for i := range n {
			if i > 0 {
				sb.WriteString(", ")
			}
			if !numbered {
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
				continue
			}
			b := i * cols
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", b+1, b+2, b+3, b+4, b+5, b+6, b+7, b+8, b+9)
		}
		sb.WriteString(` ON CONFLICT (user_id, kind, session_id) DO NOTHING RETURNING id`)
		out[n] = sb.String()
	}
	return out
}

// InsertNotifications writes ns and returns those it wrote. On SQLite the
// chunks share one group-commit transaction (one writer, nobody to race).
// On PostgreSQL each chunk commits on its own: a node whose rows conflict
// with another node's uncommitted chunk waits for that chunk only, and
// since every node inserts in user-id order no two can wait on each other.
func (s *Store) InsertNotifications(ctx context.Context, ns []social.Notification) ([]social.Notification, error) {
	type chunk struct {
		query string
		args  []any
	}
	var chunks []chunk
	for rest := ns; len(rest) > 0; {
		n := 1
		for _, size := range notificationInsertSizes {
			if size <= len(rest) {
				n = size
				break
			}
		}
		args := make([]any, 0, n*9)
		for _, x := range rest[:n] {
			params, err := json.Marshal(x.Params)
			if err != nil {
				return nil, fmt.Errorf("store: notification params: %w", err)
			}
			args = append(args, x.ID, x.UserID, x.Kind, x.SessionID, x.Title, x.Body, x.URL, string(params), millis(x.CreatedAt))
		}
		chunks = append(chunks, chunk{notificationInserts[s.dialect][n], args})
		rest = rest[n:]
	}
	wrote := map[string]bool{}
	collect := func(q queryer, c chunk) error {
		rows, err := q.QueryContext(ctx, c.query, c.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			wrote[id] = true
		}
		return rows.Err()
	}
	var err error
	if s.group != nil {
		err = s.tx(ctx, func(tx *dbtx) error {
			clear(wrote) // a group that failed to commit may run this again
			for _, c := range chunks {
				if err := collect(tx, c); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		for _, c := range chunks {
			if err = collect(s.wq, c); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: insert %d notifications: %w", len(ns), err)
	}
	out := make([]social.Notification, 0, len(wrote))
	for _, x := range ns {
		if wrote[x.ID] {
			out = append(out, x)
		}
	}
	return out, nil
}

// notificationColumns are a notification's columns as scanNotification reads them.
const notificationColumns = `id, kind, session_id, order_id, title, body, url, params, created_at, read_at`

// scanNotification reads one row of notificationColumns.
func scanNotification(r interface{ Scan(...any) error }, userID string) (social.Notification, error) {
	n := social.Notification{UserID: userID}
	var created int64
	var read sql.NullInt64
	var session, order sql.NullString
	var params string
	if err := r.Scan(&n.ID, &n.Kind, &session, &order, &n.Title, &n.Body, &n.URL, &params, &created, &read); err != nil {
		return n, err
	}
	// Unreadable params are left empty: the stored text still reads.
	_ = json.Unmarshal([]byte(params), &n.Params)
	n.SessionID, n.OrderID = session.String, order.String
	n.CreatedAt, n.ReadAt = fromMillis(created), fromNullMillis(read)
	return n, nil
}

// ListNotifications lists a user's notifications newest first.
func (s *Store) ListNotifications(ctx context.Context, userID string, unreadOnly bool, cursor string, limit int) ([]social.Notification, error) {
	unread := 0
	if unreadOnly {
		unread = 1
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL) AND ($3 = '' OR id < $3)
		ORDER BY id DESC LIMIT $4`, userID, unread, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list notifications: %w", err)
	}
	defer rows.Close()
	out := []social.Notification{}
	for rows.Next() {
		n, err := scanNotification(rows, userID)
		if err != nil {
			return nil, fmt.Errorf("store: list notifications: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list notifications: %w", err)
	}
	return out, nil
}

// NotificationByID returns one of a user's notifications.
func (s *Store) NotificationByID(ctx context.Context, userID, id string) (social.Notification, error) {
	n, err := scanNotification(s.rq.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1 AND user_id = $2`,
		id, userID), userID)
	return n, notFound(err, "notification")
}

// UnreadNotifications counts a user's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsRead sets read_at on a user's unread notifications.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID string, ids []string, all bool, at time.Time) error {
	query := `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`
	args := []any{millis(at), userID}
	if !all {
		if len(ids) == 0 {
			return nil
		}
		list, more := sqlList(3, ids)
		query += ` AND id IN (` + list + `)`
		args = append(args, more...)
	}
	if _, err := s.write(ctx, query, args...); err != nil {
		return fmt.Errorf("store: mark notifications read: %w", err)
	}
	return nil
}

// SessionsStartingBetween lists scheduled sessions planned in (from, to].
func (s *Store) SessionsStartingBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id FROM live_sessions WHERE status = 'scheduled' AND planned_start > $1 AND planned_start <= $2
		ORDER BY planned_start, id`, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("store: sessions starting soon: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: sessions starting soon: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Schedule lists upcoming sessions soonest first, with the caller's
// reminder and the distinct followers of each session's host or shop.
func (s *Store) Schedule(ctx context.Context, f social.ScheduleFilter) ([]social.ScheduledSession, error) {
	has := 0
	if f.AfterID != "" {
		has = 1
	}
	args := []any{f.ViewerID, millis(f.From), millis(f.To), has, millis(f.AfterStart), f.AfterID, pageLimit(f.Limit)}
	channel := ""
	if len(f.Categories) > 0 || f.Programme != "" {
		var or []string
		if len(f.Categories) > 0 {
			list, more := sqlList(len(args)+1, f.Categories)
			or = append(or, `sh.category IN (`+list+`)`)
			args = append(args, more...)
		}
		if f.Programme != "" {
			args = append(args, f.Programme)
			or = append(or, fmt.Sprintf(`sh.programme = $%d`, len(args)))
		}
		channel = ` AND (` + strings.Join(or, " OR ") + `)`
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT sh.category, sh.programme,
			CASE WHEN $1 <> '' AND EXISTS (SELECT 1 FROM session_reminders r WHERE r.session_id = l.id AND r.user_id = $1) THEN 1 ELSE 0 END,
			(SELECT COUNT(*) FROM (
				SELECT fh.user_id FROM follows fh WHERE fh.target_kind = 'host' AND fh.target_id = l.host_id
				UNION
				SELECT fs.user_id FROM follows fs WHERE fs.target_kind = 'shop' AND fs.target_id = l.shop_id) fx),
		`+liveSessionColumns+`
		WHERE l.status = 'scheduled' AND l.planned_start >= $2 AND l.planned_start <= $3
			AND ($4 = 0 OR l.planned_start > $5 OR (l.planned_start = $5 AND l.id > $6))`+channel+`
		ORDER BY l.planned_start, l.id LIMIT $7`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: schedule: %w", err)
	}
	defer rows.Close()
	out := []social.ScheduledSession{}
	for rows.Next() {
		var it social.ScheduledSession
		var reminded int
		ses, err := scanLiveSession(prefixedRow{rows, []any{&it.ShopCategory, &it.ShopProgramme, &reminded, &it.Followers}})
		if err != nil {
			return nil, fmt.Errorf("store: schedule: %w", err)
		}
		it.Session, it.Reminded = ses, reminded == 1
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: schedule: %w", err)
	}
	sessions := make([]room.Session, len(out))
	for i := range out {
		sessions[i] = out[i].Session
	}
	if err := s.attachShelves(ctx, sessions); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Session = sessions[i]
	}
	return out, nil
}

var _ social.Repo = (*Store)(nil)

// PruneNotifications deletes at most limit notifications created before
// before, oldest first.
func (s *Store) PruneNotifications(ctx context.Context, before time.Time, limit int) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE id IN (
			SELECT id FROM notifications WHERE created_at < $1 ORDER BY created_at LIMIT $2)`, millis(before), limit)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune notifications: %w", err)
	}
	return n, nil
}
