package store

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// MigrateDownTo rolls the schema back to version, for tests of a
// migration's Down.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.db, sub, goose.WithGoMigrations(searchMigration(s.dialect)))
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
