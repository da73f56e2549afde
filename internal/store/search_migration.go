package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// searchMigration is migration 00013: the search documents and their
// full-text index. It is a Go migration because the index is the one
// place the two engines differ (docs/DISCOVERY.md, "Search"): FTS5 on
// SQLite, a GIN index over to_tsvector('simple', tokens) on PostgreSQL.
// Tokens are made in Go (internal/search) and are plain ASCII words, so
// both see the same words.
func searchMigration(d Dialect) *goose.Migration {
	up, down := searchUpSQLite, searchDownSQLite
	if d == Postgres {
		up, down = searchUpPostgres, searchDownPostgres
	}
	return goose.NewGoMigration(13,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, up) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, down) }})
}

func execAll(ctx context.Context, tx *sql.Tx, stmts []string) error {
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search migration: %w", err)
		}
	}
	return nil
}

// On SQLite the documents carry an INTEGER PRIMARY KEY for FTS5 to use as
// its rowid (an implicit rowid may change on VACUUM); (kind, ref_id) is
// the unique key every write goes by. The FTS table is external-content
// over search_docs, kept in step by triggers: a document's tokens are
// computed in Go before the row is written, so a trigger only copies them.
var searchUpSQLite = []string{
	`CREATE TABLE search_docs (
    doc_id     INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'shop', 'product')),
    ref_id     TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    tokens     TEXT NOT NULL,
    shop_id    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, ref_id)
)`,
	`CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_docs', content_rowid='doc_id', tokenize='ascii')`,
	`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, tokens) VALUES (new.doc_id, new.tokens);
END`,
	`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, tokens) VALUES ('delete', old.doc_id, old.tokens);
END`,
	`CREATE TRIGGER search_docs_au AFTER UPDATE OF tokens ON search_docs WHEN old.tokens <> new.tokens BEGIN
    INSERT INTO search_fts (search_fts, rowid, tokens) VALUES ('delete', old.doc_id, old.tokens);
    INSERT INTO search_fts (rowid, tokens) VALUES (new.doc_id, new.tokens);
END`,
}

var searchDownSQLite = []string{
	`DROP TRIGGER search_docs_au`,
	`DROP TRIGGER search_docs_ad`,
	`DROP TRIGGER search_docs_ai`,
	`DROP TABLE search_fts`,
	`DROP TABLE search_docs`,
}

var searchUpPostgres = []string{
	`CREATE TABLE search_docs (
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'shop', 'product')),
    ref_id     TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    tokens     TEXT NOT NULL,
    shop_id    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, ref_id)
)`,
	// Queries must say to_tsvector('simple', tokens) exactly for the
	// planner to use this index.
	`CREATE INDEX search_docs_tokens ON search_docs USING GIN (to_tsvector('simple', tokens))`,
}

var searchDownPostgres = []string{
	`DROP TABLE search_docs`,
}
