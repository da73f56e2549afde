package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

// Programmes lists the fee schedules.
func (s *Store) Programmes(ctx context.Context) ([]catalog.Programme, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT code, name, description, platform_fee_bps FROM programmes ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: programmes: %w", err)
	}
	defer rows.Close()
	var out []catalog.Programme
	for rows.Next() {
		var p catalog.Programme
		if err := rows.Scan(&p.Code, &p.Name, &p.Description, &p.PlatformFeeBPS); err != nil {
			return nil, fmt.Errorf("store: programmes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateShop stores a shop and makes its owner a member.
func (s *Store) CreateShop(ctx context.Context, sh catalog.Shop) error {
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO shops (id, owner_id, name, description, category, region, county, programme, fee_override_bps, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			sh.ID, sh.OwnerID, sh.Name, sh.Description, sh.Category, sh.Region, sh.County, sh.Programme,
			nullInt(sh.FeeOverrideBPS), sh.Status, millis(sh.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: create shop: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO shop_members (shop_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)`,
			sh.ID, sh.OwnerID, millis(sh.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: create shop owner: %w", err)
		}
		return indexShop(ctx, tx, sh.ID)
	})
}

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

const shopColumns = `id, owner_id, name, description, category, region, county, programme, fee_override_bps, status, reject_reason, reviewed_at, created_at`

func scanShop(row interface{ Scan(...any) error }) (catalog.Shop, error) {
	var sh catalog.Shop
	var fee, reviewed sql.NullInt64
	var created int64
	if err := row.Scan(&sh.ID, &sh.OwnerID, &sh.Name, &sh.Description, &sh.Category, &sh.Region, &sh.County, &sh.Programme,
		&fee, &sh.Status, &sh.RejectReason, &reviewed, &created); err != nil {
		return catalog.Shop{}, err
	}
	if fee.Valid {
		v := int(fee.Int64)
		sh.FeeOverrideBPS = &v
	}
	sh.ReviewedAt, sh.CreatedAt = fromNullMillis(reviewed), fromMillis(created)
	return sh, nil
}

// ShopByID returns a shop.
func (s *Store) ShopByID(ctx context.Context, id string) (catalog.Shop, error) {
	sh, err := scanShop(s.rq.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = $1`, id))
	if err != nil {
		return catalog.Shop{}, notFound(err, "shop")
	}
	return sh, nil
}

// ListShops lists shops newest first.
func (s *Store) ListShops(ctx context.Context, f catalog.ShopFilter) ([]catalog.Shop, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+shopColumns+` FROM shops
		WHERE ($1 = '' OR status = $1)
		  AND ($2 = '' OR id IN (SELECT shop_id FROM shop_members WHERE user_id = $2))
		  AND ($3 = '' OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.Status, f.MemberID, f.Cursor, pageLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list shops: %w", err)
	}
	defer rows.Close()
	out := []catalog.Shop{}
	for rows.Next() {
		sh, err := scanShop(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list shops: %w", err)
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// UpdateShop edits a shop's profile.
func (s *Store) UpdateShop(ctx context.Context, id string, u catalog.ShopUpdate) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if u.Name != nil {
			if err := execOne(ctx, tx, "shop", `UPDATE shops SET name = $1 WHERE id = $2`, *u.Name, id); err != nil {
				return err
			}
		}
		if u.Description != nil {
			if err := execOne(ctx, tx, "shop", `UPDATE shops SET description = $1 WHERE id = $2`, *u.Description, id); err != nil {
				return err
			}
		}
		return indexShop(ctx, tx, id)
	})
}

// ReviewShop approves or rejects a pending shop and audits it.
func (s *Store) ReviewShop(ctx context.Context, id, status, reason string, audit account.AuditEntry) error {
	changed := false
	err := s.tx(ctx, func(tx *dbtx) error {
		changed = false // a retried transaction starts over
		res, err := tx.ExecContext(ctx, `
			UPDATE shops SET status = $1, reject_reason = $2, reviewed_by = $3, reviewed_at = $4
			WHERE id = $5 AND status = 'pending'`, status, reason, nullString(audit.ActorID), millis(audit.CreatedAt), id)
		if err != nil {
			return fmt.Errorf("store: review shop: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // nothing changed, nothing to audit
		}
		changed = true
		return insertAdminAudit(ctx, tx, audit)
	})
	if err != nil {
		return err
	}
	if !changed {
		sh, err := s.ShopByID(ctx, id)
		if err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, "shop %s was already %s", id, sh.Status)
	}
	return nil
}

func nullString(v string) sql.NullString { return sql.NullString{String: v, Valid: v != ""} }

// SetFeeOverride sets or clears a shop's own platform fee and audits it.
func (s *Store) SetFeeOverride(ctx context.Context, id string, bps *int, audit account.AuditEntry) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if err := execOne(ctx, tx, "shop", `UPDATE shops SET fee_override_bps = $1 WHERE id = $2`, nullInt(bps), id); err != nil {
			return err
		}
		return insertAdminAudit(ctx, tx, audit)
	})
}

// SetShopProgramme moves a shop to another programme, with its audit entry.
func (s *Store) SetShopProgramme(ctx context.Context, id, programme string, audit account.AuditEntry) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if err := execOne(ctx, tx, "shop", `UPDATE shops SET programme = $1 WHERE id = $2`, programme, id); err != nil {
			return err
		}
		return insertAdminAudit(ctx, tx, audit)
	})
}

// ListMembers lists a shop's members.
func (s *Store) ListMembers(ctx context.Context, shopID string) ([]catalog.Member, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT m.user_id, u.email, u.display_name, m.role, m.created_at
		FROM shop_members m JOIN users u ON u.id = m.user_id
		WHERE m.shop_id = $1 ORDER BY m.role, m.created_at`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: list members: %w", err)
	}
	defer rows.Close()
	out := []catalog.Member{}
	for rows.Next() {
		var m catalog.Member
		var created int64
		if err := rows.Scan(&m.UserID, &m.Email, &m.DisplayName, &m.Role, &created); err != nil {
			return nil, fmt.Errorf("store: list members: %w", err)
		}
		m.CreatedAt = fromMillis(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// RemoveMember removes a staff member.
func (s *Store) RemoveMember(ctx context.Context, shopID, userID string) error {
	return execOne(ctx, s.wq, "member", `DELETE FROM shop_members WHERE shop_id = $1 AND user_id = $2 AND role = 'staff'`, shopID, userID)
}

// CreateInvitation stores an invitation; Conflict if one is pending for the email.
func (s *Store) CreateInvitation(ctx context.Context, inv catalog.Invitation) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FROM shop_invitations WHERE shop_id = $1 AND email = $2 AND status = 'pending'`,
			inv.ShopID, inv.Email).Scan(&n); err != nil {
			return fmt.Errorf("store: invitation: %w", err)
		}
		if n > 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "email", Message: "an invitation for this email is already pending"}
		}
		if err := tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FROM shop_members m JOIN users u ON u.id = m.user_id WHERE m.shop_id = $1 AND u.email = $2`,
			inv.ShopID, inv.Email).Scan(&n); err != nil {
			return fmt.Errorf("store: invitation: %w", err)
		}
		if n > 0 {
			return &apperr.Error{Code: apperr.Conflict, Field: "email", Message: "this person is already a member of the shop"}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO shop_invitations (id, shop_id, email, role, status, invited_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			inv.ID, inv.ShopID, inv.Email, inv.Role, inv.Status, inv.InvitedBy, millis(inv.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: create invitation: %w", err)
		}
		return nil
	})
}

const invitationColumns = `i.id, i.shop_id, s.name, i.email, i.role, i.status, i.invited_by, i.created_at`

func scanInvitation(row interface{ Scan(...any) error }) (catalog.Invitation, error) {
	var inv catalog.Invitation
	var created int64
	if err := row.Scan(&inv.ID, &inv.ShopID, &inv.ShopName, &inv.Email, &inv.Role, &inv.Status, &inv.InvitedBy, &created); err != nil {
		return catalog.Invitation{}, err
	}
	inv.CreatedAt = fromMillis(created)
	return inv, nil
}

// InvitationByID returns an invitation.
func (s *Store) InvitationByID(ctx context.Context, id string) (catalog.Invitation, error) {
	inv, err := scanInvitation(s.rq.QueryRowContext(ctx, `
		SELECT `+invitationColumns+` FROM shop_invitations i JOIN shops s ON s.id = i.shop_id WHERE i.id = $1`, id))
	return inv, notFound(err, "invitation")
}

// ListInvitations lists a shop's invitations, or those sent to an email.
func (s *Store) ListInvitations(ctx context.Context, shopID, email string) ([]catalog.Invitation, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+invitationColumns+` FROM shop_invitations i JOIN shops s ON s.id = i.shop_id
		WHERE ($1 = '' OR i.shop_id = $1) AND ($2 = '' OR i.email = $2)
		ORDER BY i.id DESC LIMIT 200`, shopID, email)
	if err != nil {
		return nil, fmt.Errorf("store: list invitations: %w", err)
	}
	defer rows.Close()
	out := []catalog.Invitation{}
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list invitations: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// AnswerInvitation records the answer and, when accepted, the membership.
func (s *Store) AnswerInvitation(ctx context.Context, id, userID string, accept bool, at time.Time) error {
	status := "declined"
	if accept {
		status = "accepted"
	}
	return s.tx(ctx, func(tx *dbtx) error {
		var shopID, role string
		err := tx.QueryRowContext(ctx, `
			UPDATE shop_invitations SET status = $1, answered_at = $2 WHERE id = $3 AND status = 'pending'
			RETURNING shop_id, role`, status, millis(at), id).Scan(&shopID, &role)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.Conflict, "invitation %s is no longer pending", id)
		}
		if err != nil {
			return fmt.Errorf("store: answer invitation: %w", err)
		}
		if !accept {
			return nil
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO shop_members (shop_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (shop_id, user_id) DO NOTHING`, shopID, userID, role, millis(at))
		if err != nil {
			return fmt.Errorf("store: add member: %w", err)
		}
		return nil
	})
}
