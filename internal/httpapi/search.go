package httpapi

import (
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/search"
)

// Search (docs/DISCOVERY.md): live rooms, replays, shops and products by
// text, for anyone.

func (a *API) searchRoutes() []route {
	return []route{
		{Method: "GET", Path: v1 + "/search", Tag: "discovery", Summary: "Search live rooms, replays, shops and products (English and Chinese)", Auth: authPublic,
			Query: []string{"q", "kind", "limit", "cursor"}, Resp: search.Page{}, Status: http.StatusOK, H: a.search},
	}
}

func (a *API) search(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	q := r.URL.Query()
	req := search.Request{Q: q.Get("q"), Kind: q.Get("kind"), Cursor: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return apperr.Field("limit", "limit must be a whole number from 1 to 50")
		}
		req.Limit = n
	}
	p, err := a.cfg.Search.Search(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
