package store

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/account"
)

// insertAdminAudit writes an admin audit entry; callers run it in the
// transaction that makes the change it records.
func insertAdminAudit(ctx context.Context, q queryer, e account.AuditEntry) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO admin_audit (id, actor_id, action, target_kind, target_id, detail, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.ID, e.ActorID, e.Action, e.TargetKind, e.TargetID, e.Detail, millis(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: admin audit %s %s: %w", e.Action, e.TargetID, err)
	}
	return nil
}

// SetAdminFlag grants or removes a user's admin rights and audits it.
func (s *Store) SetAdminFlag(ctx context.Context, id string, isAdmin bool, audit account.AuditEntry) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if err := execOne(ctx, tx, "user", `UPDATE users SET is_admin = $1 WHERE id = $2`, isAdmin, id); err != nil {
			return err
		}
		return insertAdminAudit(ctx, tx, audit)
	})
}

// ListAdminAudit lists admin actions newest first, before cursor (an
// entry id: ids sort by time).
func (s *Store) ListAdminAudit(ctx context.Context, cursor string, limit int) ([]account.AuditEntry, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id, actor_id, action, target_kind, target_id, detail, created_at
		FROM admin_audit
		WHERE ($1 = '' OR id < $1)
		ORDER BY id DESC LIMIT $2`, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list admin audit: %w", err)
	}
	defer rows.Close()
	out := []account.AuditEntry{}
	for rows.Next() {
		var e account.AuditEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Action, &e.TargetKind, &e.TargetID, &e.Detail, &created); err != nil {
			return nil, fmt.Errorf("store: list admin audit: %w", err)
		}
		e.CreatedAt = fromMillis(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list admin audit: %w", err)
	}
	return out, nil
}
