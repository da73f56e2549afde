package store

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

// Programmes admins create and edit (catalog.Repo). Each change commits
// with its admin audit row.

// CreateProgramme stores a new fee schedule; Conflict when the code is taken.
func (s *Store) CreateProgramme(ctx context.Context, p catalog.Programme, audit account.AuditEntry) error {
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO programmes (code, name, description, platform_fee_bps) VALUES ($1, $2, $3, $4)`,
			p.Code, p.Name, p.Description, p.PlatformFeeBPS)
		if isUnique(err) {
			return apperr.Field("code", "a programme with code %q already exists", p.Code)
		}
		if err != nil {
			return fmt.Errorf("store: create programme: %w", err)
		}
		return insertAdminAudit(ctx, tx, audit)
	})
}

// UpdateProgramme changes the fields u sets and returns the programme.
// Orders keep the fee they were placed under (orders.platform_fee_bps),
// so nothing already ordered is repriced.
func (s *Store) UpdateProgramme(ctx context.Context, code string, u catalog.ProgrammeUpdate, audit account.AuditEntry) (catalog.Programme, error) {
	var p catalog.Programme
	err := s.tx(ctx, func(tx *dbtx) error {
		// COALESCE keeps a column when its new value is NULL (not sent).
		if err := execOne(ctx, tx, "programme", `
			UPDATE programmes SET
				name = COALESCE($1, name),
				description = COALESCE($2, description),
				platform_fee_bps = COALESCE($3, platform_fee_bps)
			WHERE code = $4`,
			nullStringPtr(u.Name), nullStringPtr(u.Description), nullInt(u.PlatformFeeBPS), code); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT code, name, description, platform_fee_bps FROM programmes WHERE code = $1`, code).
			Scan(&p.Code, &p.Name, &p.Description, &p.PlatformFeeBPS); err != nil {
			return fmt.Errorf("store: read programme: %w", notFound(err, "programme"))
		}
		return insertAdminAudit(ctx, tx, audit)
	})
	return p, err
}

func nullStringPtr(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
