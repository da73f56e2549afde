package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/search"
)

// SearchCandidates returns up to m.Limit documents having every term,
// most recently written first, limited to what the public may see:
// approved shops, their active products, and their sessions in the
// statuses m.Kind asks for. Ranking is search.Rank's job.
//
// The engines only ever see the tokens, which are checked to be plain
// ASCII words: FTS5 gets `"tok" "tok"*` (an implicit AND of quoted
// strings), PostgreSQL `tok & tok:*` through to_tsquery('simple', …).
func (s *Store) SearchCandidates(ctx context.Context, m search.Match) ([]search.Candidate, error) {
	if len(m.Terms) == 0 {
		return nil, nil
	}
	expr, err := s.matchExpr(m.Terms)
	if err != nil {
		return nil, err
	}
	// SQLite: FTS5 drives the query whenever MATCH is present. PostgreSQL:
	// the match is fenced into a materialised CTE so that the GIN index
	// finds the documents first; left to itself the planner may start from
	// the kinds and the approved shops and compute to_tsvector for every
	// document.
	with, from, match := ``, `search_fts f JOIN search_docs d ON d.doc_id = f.rowid`, `search_fts MATCH $1 AND `
	if s.dialect == Postgres {
		with = `WITH d AS MATERIALIZED (
			SELECT kind, ref_id, title, body, shop_id, updated_at FROM search_docs
			WHERE to_tsvector('simple', tokens) @@ to_tsquery('simple', $1))`
		from, match = `d`, ``
	}
	rows, err := s.rq.QueryContext(ctx, with+`
		SELECT d.kind, d.ref_id, d.title, d.body, d.shop_id, sh.name, COALESCE(ls.status, ''), ls.planned_start,
			CASE d.kind WHEN 'session' THEN ls.cover_image_id
				WHEN 'product' THEN COALESCE((SELECT i.id FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1), '')
				ELSE '' END,
			CASE d.kind WHEN 'session' THEN COALESCE(ls.started_at, ls.planned_start) WHEN 'product' THEN p.updated_at ELSE sh.created_at END
		FROM `+from+`
		JOIN shops sh ON sh.id = d.shop_id AND sh.status = 'approved'
		LEFT JOIN products p ON d.kind = 'product' AND p.id = d.ref_id
		LEFT JOIN live_sessions ls ON d.kind = 'session' AND ls.id = d.ref_id
		WHERE `+match+kindFilter(m.Kind)+`
		ORDER BY d.updated_at DESC, d.kind, d.ref_id DESC
		LIMIT $2`, expr, m.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var out []search.Candidate
	for rows.Next() {
		var c search.Candidate
		var planned sql.NullInt64
		var at int64
		if err := rows.Scan(&c.Doc, &c.ID, &c.Title, &c.Body, &c.ShopID, &c.ShopName, &c.Status, &planned, &c.ImageID, &at); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		c.PlannedStart, c.At = fromNullMillis(planned), fromMillis(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return out, nil
}

// kindFilter is the visibility rule for m.Kind, from fixed text only.
func kindFilter(kind string) string {
	const (
		shop       = `d.kind = 'shop'`
		product    = `(d.kind = 'product' AND p.status = 'active')`
		upcoming   = `(d.kind = 'session' AND ls.status IN ('live', 'scheduled'))`
		replay     = `(d.kind = 'session' AND ls.status IN ('ended', 'replay'))`
		anySession = `(d.kind = 'session' AND ls.status IS NOT NULL)`
	)
	switch kind {
	case search.KindShop:
		return shop
	case search.KindProduct:
		return product
	case search.KindLive:
		return upcoming
	case search.KindReplay:
		return replay
	}
	return `(` + shop + ` OR ` + product + ` OR ` + anySession + `)`
}

// matchExpr is the engine's query for terms. It refuses any token that is
// not a plain ASCII word: only those may reach either engine.
func (s *Store) matchExpr(terms []search.Term) (string, error) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		if !asciiWord(t.Token) {
			return "", fmt.Errorf("store: search: token %q is not a plain word", t.Token)
		}
		switch {
		case s.dialect == SQLite && t.Prefix:
			parts[i] = `"` + t.Token + `"*`
		case s.dialect == SQLite:
			parts[i] = `"` + t.Token + `"`
		case t.Prefix:
			parts[i] = t.Token + `:*`
		default:
			parts[i] = t.Token
		}
	}
	if s.dialect == SQLite {
		return strings.Join(parts, " "), nil
	}
	return strings.Join(parts, " & "), nil
}

func asciiWord(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var _ search.Repo = (*Store)(nil)
