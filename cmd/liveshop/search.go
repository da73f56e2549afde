package main

import (
	"context"
	"log/slog"

	"github.com/liveshop/liveshop/internal/search"
	"github.com/liveshop/liveshop/internal/store"
)

// startSearch writes the search documents a database made before search
// (or by an interrupted process) lacks, then returns the search service.
// A failed backfill is logged, not fatal: everything written from now on
// is indexed in its own transaction, and the next start retries.
func startSearch(ctx context.Context, st *store.Store, log *slog.Logger) *search.Service {
	if n, err := st.BackfillSearch(ctx); err != nil {
		log.Error("search backfill failed; older rows may be missing from search until the next start", "err", err)
	} else if n > 0 {
		log.Info("search documents backfilled", "count", n)
	}
	return search.NewService(st)
}
