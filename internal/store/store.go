// Package store keeps liveshop's data in SQLite or PostgreSQL. Both run
// the same embedded migrations and the same SQL; where the two dialects
// differ the difference is spelled out next to the query.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/liveshop/liveshop/internal/apperr"
)

//go:embed migrations/*.sql
var migrations embed.FS

func init() {
	// SQLite's LOWER folds ASCII only; searches use liveshop_lower, which
	// folds like strings.ToLower, so that "éclair" finds "ÉCLAIR" as it
	// does with PostgreSQL's LOWER in a UTF-8 database.
	sqlite.MustRegisterDeterministicScalarFunction("liveshop_lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// Dialect names the database engine behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the SQL implementation of every domain repository.
type Store struct {
	db      *sql.DB // all writes and transactions
	read    *sql.DB // reads outside transactions; the same pool on PostgreSQL
	wq      *stmtCache
	rq      *stmtCache
	dialect Dialect
	now     func() time.Time
	group   *groupCommitter // SQLite only: see groupcommit.go
}

// Options tune Open.
type Options struct {
	// Now replaces the clock, for tests of expiry.
	Now func() time.Time
	// MaxConns bounds the PostgreSQL pool (default 32). SQLite always has
	// one writer and eight readers.
	MaxConns int
}

// Open connects to dsn: a postgres:// URL, or a SQLite file path
// (":memory:" is not supported; use a temporary file).
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: time.Now}
	if opts.Now != nil {
		s.now = opts.Now
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		n := opts.MaxConns
		if n <= 0 {
			n = 32
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.db, s.read, s.dialect = db, db, Postgres
	} else {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
			return nil, fmt.Errorf("store: create data dir: %w", err)
		}
		// SQLite has one writer at a time: a single write connection makes
		// writers queue in Go instead of spinning on SQLITE_BUSY, while
		// WAL lets the read pool run beside it.
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Map the file and keep a larger page cache: page reads were a
		// fifth of a checkout's time as pread system calls.
		q.Add("_pragma", "mmap_size(268435456)")
		q.Add("_pragma", "cache_size(-32000)")
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Set("_txlock", "immediate")
		w, err := sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		q.Set("_txlock", "deferred")
		r, err := sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		// Keep every reader open: a new SQLite connection re-reads the
		// schema and loses its prepared statements.
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		w.SetMaxIdleConns(1)
		s.db, s.read, s.dialect = w, r, SQLite
	}
	s.wq, s.rq = newStmtCache(s.db, s.dialect == Postgres), newStmtCache(s.read, s.dialect == Postgres)
	if s.dialect == SQLite {
		s.group = newGroupCommitter(s)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect %s: %w", s.dialect, err)
	}
	return s, nil
}

// Dialect reports which engine this store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the connection pools.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close()
	}
	s.wq.close()
	s.rq.close()
	err := s.db.Close()
	if s.read != s.db {
		if rerr := s.read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Ping checks the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.db, sub, goose.WithGoMigrations(searchMigration(s.dialect)))
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// millis is how times are stored.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMillis(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := fromMillis(ms.Int64)
	return &t
}

// tx runs fn in a transaction, committing when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *dbtx) error) error {
	if s.group != nil {
		return s.group.do(ctx, fn)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &dbtx{tx: tx, cache: s.wq}
	defer func() {
		if len(t.missed) > 0 {
			s.wq.prepareMissed(context.WithoutCancel(ctx), t.missed)
		}
	}()
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// write runs one statement on its own. On SQLite it joins the group
// commit (a lone autocommit would wait for the write connection and commit
// alone); on PostgreSQL it is a plain statement, one round trip.
func (s *Store) write(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.group == nil {
		return s.wq.ExecContext(ctx, query, args...)
	}
	var res sql.Result
	err := s.tx(ctx, func(tx *dbtx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// notFound turns sql.ErrNoRows into an apperr NotFound naming what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "%s not found", what)
	}
	return err
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
