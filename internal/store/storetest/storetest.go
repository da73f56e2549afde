// Package storetest opens real, isolated databases for tests: a fresh
// SQLite file, and a fresh schema in the PostgreSQL named by
// LIVESHOP_TEST_POSTGRES (default: the local test database).
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/store"
)

// DefaultPostgres is the test database on the development machine and in CI.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the base URL of the test PostgreSQL.
func PostgresURL() string {
	if u := os.Getenv("LIVESHOP_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgres
}

// Each runs fn once on SQLite and once on PostgreSQL, each on a fresh,
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			s := Open(t, d, store.Options{})
			fn(t, s)
		})
	}
}

// DSN returns a fresh database address of dialect d, removed when t ends.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(t.TempDir(), "liveshop.db")
	}
	base := PostgresURL()
	schema := "t_" + strings.ReplaceAll(ids.New("s"), "s_", "")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: open postgres: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: PostgreSQL at %s is needed for the storage suite: %v", base, err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Open returns a fresh, migrated store of dialect d.
func Open(t testing.TB, d store.Dialect, opts store.Options) *store.Store {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t, d)
	if d == store.SQLite {
		// Migrating a SQLite file costs close to a second under the race
		// detector, and the storage suite opens hundreds: each test gets
		// a copy of one file migrated once per test process instead.
		if err := copySQLiteTemplate(dsn); err != nil {
			t.Fatalf("storetest: %v", err)
		}
	}
	s, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return s
}

var sqliteTemplate struct {
	once sync.Once
	data []byte
	err  error
}

// copySQLiteTemplate writes a freshly migrated SQLite database to path.
// The template is built once per process in a temporary directory, read
// into memory and removed, so nothing outlives the test binary.
func copySQLiteTemplate(path string) error {
	tpl := &sqliteTemplate
	tpl.once.Do(func() {
		dir, err := os.MkdirTemp("", "liveshop-storetest-")
		if err != nil {
			tpl.err = err
			return
		}
		defer os.RemoveAll(dir)
		file := filepath.Join(dir, "template.db")
		ctx := context.Background()
		s, err := store.Open(ctx, file, store.Options{})
		if err != nil {
			tpl.err = fmt.Errorf("sqlite template: %w", err)
			return
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			tpl.err = fmt.Errorf("sqlite template: %w", err)
			return
		}
		// Closing the last connection checkpoints the WAL into the file.
		if err := s.Close(); err != nil {
			tpl.err = fmt.Errorf("sqlite template: close: %w", err)
			return
		}
		if _, err := os.Stat(file + "-wal"); err == nil {
			tpl.err = fmt.Errorf("sqlite template: the WAL was not checkpointed on close")
			return
		}
		tpl.data, tpl.err = os.ReadFile(file)
	})
	if tpl.err != nil {
		return tpl.err
	}
	return os.WriteFile(path, tpl.data, 0o644)
}
