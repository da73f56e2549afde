package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/store"
)

// startFeed wires the personal feed and the channels (docs/FEED.md) and
// keeps their room index fresh in the background until ctx ends. Every
// node keeps its own index: it is rebuilt from the database every 2 s.
func startFeed(ctx context.Context, wg *sync.WaitGroup, st *store.Store, log *slog.Logger) *feed.Service {
	s := feed.NewService(feed.Config{Repo: st, Now: time.Now, Log: log})
	wg.Go(func() { s.Run(ctx) })
	return s
}
