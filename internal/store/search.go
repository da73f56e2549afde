package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/search"
)

// Search documents (docs/DISCOVERY.md, "Search"). A document holds the
// text of a product, shop or live session and its tokens; it is written
// by upsertSearchDoc in the same transaction as the text it comes from,
// so a committed rename is found under its new name at once. Who may see
// a document (approved shop, active product, session status) is decided
// when searching, from the current rows, so status changes need no write
// here.

const (
	// Only the start of a long text is searched; it bounds the index and
	// the ranking's work per candidate.
	maxDocTitleRunes = 300
	maxDocBodyRunes  = 2000
)

// upsertSearchDoc (re)writes the search document of kind (search.DocProduct,
// DocShop or DocSession) and id from the row as tx sees it, or removes the
// document when the row is gone.
func upsertSearchDoc(ctx context.Context, tx *dbtx, kind, id string) error {
	title, body, shopID, at, err := loadSearchText(ctx, tx, kind, id)
	if errors.Is(err, sql.ErrNoRows) {
		_, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2`, kind, id)
		if err != nil {
			return fmt.Errorf("store: search doc %s %s: %w", kind, id, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: search doc %s %s: %w", kind, id, err)
	}
	title, body = cutRunes(title, maxDocTitleRunes), cutRunes(body, maxDocBodyRunes)
	var oldTitle string
	if kind == search.DocProduct {
		// A product's title is also in the documents of the sessions that
		// sell it; they are rewritten when it changes.
		err := tx.QueryRowContext(ctx, `SELECT title FROM search_docs WHERE kind = $1 AND ref_id = $2`, kind, id).Scan(&oldTitle)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: search doc %s %s: %w", kind, id, err)
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO search_docs (kind, ref_id, title, body, tokens, shop_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (kind, ref_id) DO UPDATE SET title = excluded.title, body = excluded.body, tokens = excluded.tokens,
			shop_id = excluded.shop_id, updated_at = excluded.updated_at`,
		kind, id, title, body, search.DocTokens(title, body), shopID, at)
	if err != nil {
		return fmt.Errorf("store: search doc %s %s: %w", kind, id, err)
	}
	if kind == search.DocProduct && oldTitle != "" && oldTitle != title {
		return reindexSessionsSelling(ctx, tx, id)
	}
	return nil
}

// The write paths of products, shops and sessions call these in their
// transactions.
func indexProduct(ctx context.Context, tx *dbtx, id string) error {
	return upsertSearchDoc(ctx, tx, search.DocProduct, id)
}

func indexShop(ctx context.Context, tx *dbtx, id string) error {
	return upsertSearchDoc(ctx, tx, search.DocShop, id)
}

func indexSession(ctx context.Context, tx *dbtx, id string) error {
	return upsertSearchDoc(ctx, tx, search.DocSession, id)
}

// loadSearchText reads what a document is made of. A session's body is the
// titles of the products on its shelf, so "rice" finds the rooms selling
// rice.
func loadSearchText(ctx context.Context, tx *dbtx, kind, id string) (title, body, shopID string, at int64, err error) {
	switch kind {
	case search.DocProduct:
		var desc, category, tags string
		err = tx.QueryRowContext(ctx, `SELECT title, description, category, tags, shop_id, updated_at FROM products WHERE id = $1`, id).
			Scan(&title, &desc, &category, &tags, &shopID, &at)
		body = joinText(desc, strings.ReplaceAll(tags, ",", " "), category)
	case search.DocShop:
		var desc, category, region, county string
		err = tx.QueryRowContext(ctx, `SELECT name, description, category, region, county, created_at FROM shops WHERE id = $1`, id).
			Scan(&title, &desc, &category, &region, &county, &at)
		body, shopID = joinText(desc, category, region, county), id
	case search.DocSession:
		err = tx.QueryRowContext(ctx, `SELECT title, shop_id, created_at FROM live_sessions WHERE id = $1`, id).Scan(&title, &shopID, &at)
		if err == nil {
			body, err = shelfTitles(ctx, tx, id)
		}
	default:
		err = fmt.Errorf("unknown kind %q", kind)
	}
	return title, body, shopID, at, err
}

func shelfTitles(ctx context.Context, tx *dbtx, sessionID string) (string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT p.title FROM live_session_products lp JOIN products p ON p.id = lp.product_id
		WHERE lp.session_id = $1 ORDER BY lp.position`, sessionID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var titles []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", err
		}
		titles = append(titles, t)
	}
	return strings.Join(titles, " · "), rows.Err()
}

// reindexSessionsSelling rewrites the documents of the sessions with the
// product on their shelf.
func reindexSessionsSelling(ctx context.Context, tx *dbtx, productID string) error {
	ids, err := queryIDs(ctx, tx, `SELECT session_id FROM live_session_products WHERE product_id = $1 ORDER BY session_id`, productID)
	if err != nil {
		return fmt.Errorf("store: search docs of sessions selling %s: %w", productID, err)
	}
	for _, id := range ids {
		if err := indexSession(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func joinText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

func cutRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// searchBackfillBatch is how many documents one backfill transaction writes.
const searchBackfillBatch = 200

// BackfillSearch writes the search documents that are missing: for rows
// made before search existed, or by a process that wrote none. It runs
// at start-up and returns how many it wrote; running it again writes
// nothing.
func (s *Store) BackfillSearch(ctx context.Context) (int, error) {
	missing := []struct{ kind, query string }{
		{search.DocShop, `SELECT x.id FROM shops x LEFT JOIN search_docs d ON d.kind = 'shop' AND d.ref_id = x.id
			WHERE d.ref_id IS NULL ORDER BY x.id LIMIT $1`},
		{search.DocProduct, `SELECT x.id FROM products x LEFT JOIN search_docs d ON d.kind = 'product' AND d.ref_id = x.id
			WHERE d.ref_id IS NULL ORDER BY x.id LIMIT $1`},
		{search.DocSession, `SELECT x.id FROM live_sessions x LEFT JOIN search_docs d ON d.kind = 'session' AND d.ref_id = x.id
			WHERE d.ref_id IS NULL ORDER BY x.id LIMIT $1`},
	}
	total := 0
	for _, m := range missing {
		for {
			ids, err := queryIDs(ctx, s.read, m.query, searchBackfillBatch)
			if err != nil {
				return total, fmt.Errorf("store: backfill search %ss: %w", m.kind, err)
			}
			if len(ids) == 0 {
				break
			}
			err = s.tx(ctx, func(tx *dbtx) error {
				for _, id := range ids {
					if err := upsertSearchDoc(ctx, tx, m.kind, id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return total, fmt.Errorf("store: backfill search: %w", err)
			}
			total += len(ids)
		}
	}
	return total, nil
}
