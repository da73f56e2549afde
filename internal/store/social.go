package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
)

// Follows, reminders and push subscriptions (social.Repo). Notifications
// and the schedule are in social_notify.go.

// HostName returns the display name of a user who is a host.
func (s *Store) HostName(ctx context.Context, userID string) (string, error) {
	var name string
	err := s.rq.QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = $1 AND is_host = TRUE`, userID).Scan(&name)
	return name, notFound(err, "host")
}

// ApprovedShopName returns the name of an approved shop.
func (s *Store) ApprovedShopName(ctx context.Context, shopID string) (string, error) {
	var name string
	err := s.rq.QueryRowContext(ctx, `SELECT name FROM shops WHERE id = $1 AND status = 'approved'`, shopID).Scan(&name)
	return name, notFound(err, "shop")
}

// AddFollow stores a follow unless it exists; either way it returns the
// stored one.
func (s *Store) AddFollow(ctx context.Context, f social.Follow) (social.Follow, bool, error) {
	res, err := s.write(ctx, `
		INSERT INTO follows (user_id, target_kind, target_id, source_room_id, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, target_kind, target_id) DO NOTHING`,
		f.UserID, f.TargetKind, f.TargetID, f.SourceRoomID, millis(f.CreatedAt))
	if err != nil {
		return social.Follow{}, false, fmt.Errorf("store: add follow: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return social.Follow{}, false, fmt.Errorf("store: add follow: %w", err)
	} else if n == 1 {
		return f, true, nil
	}
	var created int64
	err = s.rq.QueryRowContext(ctx, `
		SELECT source_room_id, created_at FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3`,
		f.UserID, f.TargetKind, f.TargetID).Scan(&f.SourceRoomID, &created)
	if err != nil {
		return social.Follow{}, false, fmt.Errorf("store: read follow: %w", err)
	}
	f.CreatedAt = fromMillis(created)
	return f, false, nil
}

// RemoveFollow deletes a follow.
func (s *Store) RemoveFollow(ctx context.Context, userID, kind, targetID string) error {
	_, err := s.write(ctx, `DELETE FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3`, userID, kind, targetID)
	if err != nil {
		return fmt.Errorf("store: remove follow: %w", err)
	}
	return nil
}

// ListFollows lists a user's follows newest first, with target names.
func (s *Store) ListFollows(ctx context.Context, userID string, after *social.Follow, limit int) ([]social.Follow, error) {
	var has int
	var afterMS int64
	var afterKind, afterID string
	if after != nil {
		has, afterMS, afterKind, afterID = 1, millis(after.CreatedAt), after.TargetKind, after.TargetID
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT f.target_kind, f.target_id, f.source_room_id, f.created_at,
			COALESCE(CASE WHEN f.target_kind = 'host' THEN u.display_name ELSE sh.name END, '')
		FROM follows f
		LEFT JOIN users u ON f.target_kind = 'host' AND u.id = f.target_id
		LEFT JOIN shops sh ON f.target_kind = 'shop' AND sh.id = f.target_id
		WHERE f.user_id = $1 AND ($2 = 0 OR f.created_at < $3
			OR (f.created_at = $3 AND (f.target_kind > $4 OR (f.target_kind = $4 AND f.target_id > $5))))
		ORDER BY f.created_at DESC, f.target_kind, f.target_id LIMIT $6`,
		userID, has, afterMS, afterKind, afterID, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list follows: %w", err)
	}
	defer rows.Close()
	out := []social.Follow{}
	for rows.Next() {
		f := social.Follow{UserID: userID}
		var created int64
		if err := rows.Scan(&f.TargetKind, &f.TargetID, &f.SourceRoomID, &created, &f.TargetName); err != nil {
			return nil, fmt.Errorf("store: list follows: %w", err)
		}
		f.CreatedAt = fromMillis(created)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list follows: %w", err)
	}
	return out, nil
}

// FollowerCount counts a target's followers (the follows_target index).
func (s *Store) FollowerCount(ctx context.Context, kind, targetID string) (int64, error) {
	var n int64
	err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM follows WHERE target_kind = $1 AND target_id = $2`, kind, targetID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count followers: %w", err)
	}
	return n, nil
}

// IsFollowing reports whether the user follows the target.
func (s *Store) IsFollowing(ctx context.Context, userID, kind, targetID string) (bool, error) {
	var one int
	err := s.rq.QueryRowContext(ctx, `SELECT 1 FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3`,
		userID, kind, targetID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: read follow: %w", err)
	}
	return true, nil
}

// FollowsHostOrShop reports whether the user follows the host or the shop.
func (s *Store) FollowsHostOrShop(ctx context.Context, userID, hostID, shopID string) (bool, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, `
		SELECT COUNT(*) FROM follows
		WHERE user_id = $1 AND ((target_kind = 'host' AND target_id = $2 AND $2 <> '') OR (target_kind = 'shop' AND target_id = $3))`,
		userID, hostID, shopID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: read follows: %w", err)
	}
	return n > 0, nil
}

// HostSessions lists a host's live and scheduled sessions, live first.
func (s *Store) HostSessions(ctx context.Context, hostID string, limit int) ([]room.Session, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+liveSessionColumns+`
		WHERE l.host_id = $1 AND l.status IN ('live', 'scheduled')
		ORDER BY CASE WHEN l.status = 'live' THEN 0 ELSE 1 END, l.planned_start, l.id LIMIT $2`, hostID, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: host sessions: %w", err)
	}
	defer rows.Close()
	out := []room.Session{}
	for rows.Next() {
		ses, err := scanLiveSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: host sessions: %w", err)
		}
		out = append(out, ses)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: host sessions: %w", err)
	}
	return out, s.attachShelves(ctx, out)
}

// AddReminder stores a reminder unless the user has one.
func (s *Store) AddReminder(ctx context.Context, r social.Reminder) (bool, error) {
	res, err := s.write(ctx, `
		INSERT INTO session_reminders (session_id, user_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (session_id, user_id) DO NOTHING`, r.SessionID, r.UserID, millis(r.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("store: add reminder: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: add reminder: %w", err)
	}
	return n == 1, nil
}

// RemoveReminder deletes a reminder.
func (s *Store) RemoveReminder(ctx context.Context, sessionID, userID string) error {
	if _, err := s.write(ctx, `DELETE FROM session_reminders WHERE session_id = $1 AND user_id = $2`, sessionID, userID); err != nil {
		return fmt.Errorf("store: remove reminder: %w", err)
	}
	return nil
}

// HasReminder reports whether the user has a reminder for the session.
func (s *Store) HasReminder(ctx context.Context, sessionID, userID string) (bool, error) {
	var one int
	err := s.rq.QueryRowContext(ctx, `SELECT 1 FROM session_reminders WHERE session_id = $1 AND user_id = $2`, sessionID, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: read reminder: %w", err)
	}
	return true, nil
}

// SavePushSubscription stores a subscription by endpoint and keeps the
// user's newest social.MaxPushSubscriptions.
func (s *Store) SavePushSubscription(ctx context.Context, p social.PushSubscription) error {
	err := s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, locale, created_at, last_error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '')
			ON CONFLICT (endpoint) DO UPDATE SET id = excluded.id, user_id = excluded.user_id, p256dh = excluded.p256dh,
				auth = excluded.auth, locale = excluded.locale, created_at = excluded.created_at, last_error = ''`,
			p.ID, p.UserID, p.Endpoint, p.Keys.P256dh, p.Keys.Auth, pushLocale(p.Locale), millis(p.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			DELETE FROM push_subscriptions WHERE user_id = $1 AND id NOT IN (
				SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`, p.UserID, social.MaxPushSubscriptions)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save push subscription: %w", err)
	}
	return nil
}

// pushLocale stores "" (a caller that did not say) as English.
func pushLocale(l string) string {
	if l == "" {
		return social.LocaleEnglish
	}
	return l
}

// DeletePushSubscription deletes a user's subscription to endpoint.
func (s *Store) DeletePushSubscription(ctx context.Context, userID, endpoint string) error {
	if _, err := s.write(ctx, `DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2`, userID, endpoint); err != nil {
		return fmt.Errorf("store: delete push subscription: %w", err)
	}
	return nil
}

// PushSubscriptionsOf lists the users' subscriptions.
func (s *Store) PushSubscriptionsOf(ctx context.Context, userIDs []string) ([]social.PushSubscription, error) {
	out := []social.PushSubscription{}
	for rest := userIDs; len(rest) > 0; {
		n := min(len(rest), 500)
		args := make([]any, n)
		for i, id := range rest[:n] {
			args[i] = id
		}
		rest = rest[n:]
		rows, err := s.rq.QueryContext(ctx, `
			SELECT id, user_id, endpoint, p256dh, auth, locale, created_at, last_error FROM push_subscriptions
			WHERE user_id IN (`+placeholders(1, n)+`) ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: push subscriptions: %w", err)
		}
		for rows.Next() {
			var p social.PushSubscription
			var created int64
			if err := rows.Scan(&p.ID, &p.UserID, &p.Endpoint, &p.Keys.P256dh, &p.Keys.Auth, &p.Locale, &created, &p.LastError); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: push subscriptions: %w", err)
			}
			p.CreatedAt = fromMillis(created)
			out = append(out, p)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: push subscriptions: %w", err)
		}
	}
	return out, nil
}

// DropPushEndpoint deletes a subscription the push service says is gone.
func (s *Store) DropPushEndpoint(ctx context.Context, endpoint string) error {
	if _, err := s.write(ctx, `DELETE FROM push_subscriptions WHERE endpoint = $1`, endpoint); err != nil {
		return fmt.Errorf("store: drop push endpoint: %w", err)
	}
	return nil
}

// SetPushError records an endpoint's last failure.
func (s *Store) SetPushError(ctx context.Context, endpoint, msg string) error {
	if _, err := s.write(ctx, `UPDATE push_subscriptions SET last_error = $1 WHERE endpoint = $2`, msg, endpoint); err != nil {
		return fmt.Errorf("store: set push error: %w", err)
	}
	return nil
}

// prefixedRow scans extra leading columns before a scanner that reads the
// rest, so scanLiveSession serves queries that select more.
type prefixedRow struct {
	row    interface{ Scan(...any) error }
	before []any
}

func (p prefixedRow) Scan(dest ...any) error { return p.row.Scan(append(p.before, dest...)...) }

// sqlList returns "$from, …" for n values and the values as args.
func sqlList(from int, vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return placeholders(from, len(vals)), args
}
