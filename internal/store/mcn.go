package store

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/mcn"
)

// CreateAgency stores an agency; Conflict if the name is taken.
func (s *Store) CreateAgency(ctx context.Context, a mcn.Agency) error {
	_, err := s.wq.ExecContext(ctx, `INSERT INTO mcns (id, name, manager_id, created_at) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Name, a.ManagerID, millis(a.CreatedAt))
	if isUnique(err) {
		return &apperr.Error{Code: apperr.Conflict, Field: "name", Message: "an agency with this name already exists"}
	}
	if err != nil {
		return fmt.Errorf("store: create agency: %w", err)
	}
	return nil
}

// AgencyByID returns an agency.
func (s *Store) AgencyByID(ctx context.Context, id string) (mcn.Agency, error) {
	var a mcn.Agency
	var created int64
	err := s.rq.QueryRowContext(ctx, `SELECT id, name, manager_id, created_at FROM mcns WHERE id = $1`, id).
		Scan(&a.ID, &a.Name, &a.ManagerID, &created)
	a.CreatedAt = fromMillis(created)
	return a, notFound(err, "agency")
}

// ListAgencies lists the agencies a user manages.
func (s *Store) ListAgencies(ctx context.Context, managerID string) ([]mcn.Agency, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id, name, manager_id, created_at FROM mcns WHERE manager_id = $1 ORDER BY id`, managerID)
	if err != nil {
		return nil, fmt.Errorf("store: list agencies: %w", err)
	}
	defer rows.Close()
	out := []mcn.Agency{}
	for rows.Next() {
		var a mcn.Agency
		var created int64
		if err := rows.Scan(&a.ID, &a.Name, &a.ManagerID, &created); err != nil {
			return nil, fmt.Errorf("store: list agencies: %w", err)
		}
		a.CreatedAt = fromMillis(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Invite creates or renews an invitation.
func (s *Store) Invite(ctx context.Context, ag mcn.Agreement) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM mcn_hosts WHERE host_id = $1 AND status = 'active'`, ag.HostID).Scan(&n); err != nil {
			return fmt.Errorf("store: invite host: %w", err)
		}
		if n > 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "email", Message: "this host is already represented by an agency"}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO mcn_hosts (mcn_id, host_id, mcn_share_bps, status, created_at) VALUES ($1, $2, $3, 'invited', $4)
			ON CONFLICT (mcn_id, host_id) DO UPDATE SET mcn_share_bps = excluded.mcn_share_bps, status = 'invited',
				created_at = excluded.created_at, answered_at = NULL`,
			ag.MCNID, ag.HostID, ag.MCNShareBPS, millis(ag.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: invite host: %w", err)
		}
		return nil
	})
}

// Agreements lists agreements of an agency or of a host.
func (s *Store) Agreements(ctx context.Context, mcnID, hostID string) ([]mcn.Agreement, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT h.mcn_id, m.name, h.host_id, u.display_name, u.email, h.mcn_share_bps, h.status, h.created_at
		FROM mcn_hosts h JOIN mcns m ON m.id = h.mcn_id JOIN users u ON u.id = h.host_id
		WHERE ($1 = '' OR h.mcn_id = $1) AND ($2 = '' OR h.host_id = $2)
		ORDER BY h.created_at DESC`, mcnID, hostID)
	if err != nil {
		return nil, fmt.Errorf("store: agreements: %w", err)
	}
	defer rows.Close()
	out := []mcn.Agreement{}
	for rows.Next() {
		var a mcn.Agreement
		var created int64
		if err := rows.Scan(&a.MCNID, &a.MCNName, &a.HostID, &a.HostName, &a.HostEmail, &a.MCNShareBPS, &a.Status, &created); err != nil {
			return nil, fmt.Errorf("store: agreements: %w", err)
		}
		a.CreatedAt = fromMillis(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Answer moves an invitation to active (making the user a host) or declined.
func (s *Store) Answer(ctx context.Context, mcnID, hostID string, accept bool, at time.Time) error {
	status := mcn.Declined
	if accept {
		status = mcn.Active
	}
	return s.tx(ctx, func(tx *dbtx) error {
		if accept {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM mcn_hosts WHERE host_id = $1 AND status = 'active'`, hostID).Scan(&n); err != nil {
				return fmt.Errorf("store: answer: %w", err)
			}
			if n > 0 {
				return apperr.New(apperr.Conflict, "you already have an active agreement; end it first")
			}
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE mcn_hosts SET status = $1, answered_at = $2 WHERE mcn_id = $3 AND host_id = $4 AND status = 'invited'`,
			status, millis(at), mcnID, hostID)
		if err != nil {
			return fmt.Errorf("store: answer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "no pending invitation from agency %s", mcnID)
		}
		if accept {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET is_host = TRUE WHERE id = $1`, hostID); err != nil {
				return fmt.Errorf("store: answer: %w", err)
			}
		}
		return nil
	})
}

// End ends an active agreement.
func (s *Store) End(ctx context.Context, mcnID, hostID string, at time.Time) error {
	return execOne(ctx, s.wq, "active agreement", `
		UPDATE mcn_hosts SET status = 'ended', answered_at = $1 WHERE mcn_id = $2 AND host_id = $3 AND status = 'active'`,
		millis(at), mcnID, hostID)
}

var _ mcn.Repo = (*Store)(nil)
