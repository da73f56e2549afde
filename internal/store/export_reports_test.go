package store

import (
	"context"
	"fmt"
)

// FixtureRow is one statement of a test fixture.
type FixtureRow struct {
	SQL  string
	Args []any
}

// ExecReportFixture writes fixture rows in one transaction. The report
// suite builds its world with fixed ids and times this way, so that the
// reports of SQLite and PostgreSQL can be compared byte for byte, and
// fills the analytics roll-ups that only the pipeline writes otherwise.
func (s *Store) ExecReportFixture(ctx context.Context, rows []FixtureRow) error {
	return s.tx(ctx, func(tx *dbtx) error {
		for i, r := range rows {
			if _, err := tx.ExecContext(ctx, r.SQL, r.Args...); err != nil {
				return fmt.Errorf("fixture row %d (%.60s): %w", i, r.SQL, err)
			}
		}
		return nil
	})
}
