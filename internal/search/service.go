package search

import (
	"context"
	"fmt"
	"strconv"

	"github.com/liveshop/liveshop/internal/apperr"
)

// MaxCandidates is how many matching documents storage returns for one
// query (the most recently written first); ranking and paging happen
// over them.
const MaxCandidates = 500

// Match is what storage is asked for.
type Match struct {
	Terms []Term // every one must match
	Kind  string // KindAll, KindLive, KindReplay, KindShop or KindProduct
	Limit int
}

// Repo finds candidates; *store.Store implements it. Only what the public
// may see is returned: approved shops, their active products, and their
// sessions in the statuses Kind asks for.
type Repo interface {
	SearchCandidates(ctx context.Context, m Match) ([]Candidate, error)
}

// Request is a search as the API receives it.
type Request struct {
	Q      string
	Kind   string // "" is KindAll
	Limit  int    // 0 is the default, 20
	Cursor string // from the previous page's NextCursor
}

// Page is one page of results.
type Page struct {
	Results    []Result `json:"results"`
	NextCursor string   `json:"next_cursor"`
}

// Service answers searches. It holds no state.
type Service struct {
	repo Repo
}

// NewService returns a search service over repo.
func NewService(repo Repo) *Service { return &Service{repo: repo} }

// Search finds and ranks what matches r.Q. Anyone may search.
//
// Returns Invalid naming q (see ParseQuery), kind (not one of all, live,
// replay, shop, product), limit (not 1–50) or cursor (not from a page).
func (s *Service) Search(ctx context.Context, r Request) (Page, error) {
	kind := r.Kind
	switch kind {
	case "":
		kind = KindAll
	case KindAll, KindLive, KindReplay, KindShop, KindProduct:
	default:
		return Page{}, apperr.Field("kind", "kind must be one of all, live, replay, shop, product")
	}
	limit := r.Limit
	if limit == 0 {
		limit = 20
	}
	if limit < 1 || limit > 50 {
		return Page{}, apperr.Field("limit", "limit must be a whole number from 1 to 50")
	}
	offset := 0
	if r.Cursor != "" {
		n, err := strconv.Atoi(r.Cursor)
		if err != nil || n < 1 || n >= MaxCandidates || len(r.Cursor) > 3 {
			return Page{}, apperr.Field("cursor", "cursor is not valid")
		}
		offset = n
	}
	q, err := ParseQuery(r.Q)
	if err != nil {
		return Page{}, err
	}
	cands, err := s.repo.SearchCandidates(ctx, Match{Terms: q.Terms, Kind: kind, Limit: MaxCandidates})
	if err != nil {
		return Page{}, fmt.Errorf("search: %d terms, kind %s: %w", len(q.Terms), kind, err)
	}
	ranked := Rank(q, cands)
	p := Page{Results: []Result{}}
	if offset < len(ranked) {
		end := min(offset+limit, len(ranked))
		p.Results = ranked[offset:end]
		if end < len(ranked) {
			p.NextCursor = strconv.Itoa(end)
		}
	}
	return p, nil
}
