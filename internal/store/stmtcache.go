package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache prepares each distinct query once per pool and reuses it.
// The pure-Go SQLite driver otherwise parses every statement on every
// call, which was a third of the CPU of a checkout; database/sql keeps
// the per-connection prepared handles behind each *sql.Stmt.
//
// On PostgreSQL the cache is off: pgx already keeps a prepared-statement
// cache per connection, and preparing through database/sql inside a
// transaction would add a round trip to prepare and one to close.
type stmtCache struct {
	db  *sql.DB
	off bool
	mu  sync.RWMutex
	m   map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB, off bool) *stmtCache {
	return &stmtCache{db: db, off: off, m: map[string]*sql.Stmt{}}
}

func (c *stmtCache) cached(query string) (*sql.Stmt, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st, ok := c.m[query]
	return st, ok
}

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.cached(query); ok {
		return st, nil
	}
	// Prepare without holding the lock: preparing waits for a connection,
	// and a transaction on that connection may be asking the cache.
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok {
		st.Close()
		return prev, nil
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if c.off {
		return c.db.ExecContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if c.off {
		return c.db.QueryContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if c.off {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		// The unprepared call fails the same way and carries the error in its Row.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// dbtx is a transaction that runs cached statements on its connection.
// A query not yet prepared runs unprepared and is prepared after the
// transaction ends: preparing needs a pooled connection, and SQLite's
// only write connection is the one this transaction holds.
//
// When ctx is set it replaces the context callers pass: a group-committed
// transaction must not be interrupted by one caller's cancellation.
type dbtx struct {
	tx     *sql.Tx
	cache  *stmtCache
	ctx    context.Context
	missed []string
}

func (t *dbtx) context(ctx context.Context) context.Context {
	if t.ctx != nil {
		return t.ctx
	}
	return ctx
}

func (t *dbtx) prepared(ctx context.Context, query string) *sql.Stmt {
	if t.cache.off {
		return nil
	}
	st, ok := t.cache.cached(query)
	if !ok {
		t.missed = append(t.missed, query)
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

func (t *dbtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = t.context(ctx)
	if st := t.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *dbtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = t.context(ctx)
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *dbtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = t.context(ctx)
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// prepareMissed prepares what a finished transaction ran unprepared.
func (c *stmtCache) prepareMissed(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.stmt(ctx, q) // an error here resurfaces when the query runs
	}
}
