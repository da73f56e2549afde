package feed

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// viewerCache keeps each signed-in viewer's features (follows,
// affinities, region) for a TTL: a feed refreshed every 15 s reads them
// from the database about once in two refreshes, and a follow shows in
// the feed within the TTL.
type viewerCache struct {
	repo Repo
	ttl  time.Duration
	max  int

	mu sync.Mutex
	m  map[string]cachedViewer
}

type cachedViewer struct {
	v       Viewer
	expires time.Time
}

func newViewerCache(repo Repo, ttl time.Duration, max int) *viewerCache {
	return &viewerCache{repo: repo, ttl: ttl, max: max, m: map[string]cachedViewer{}}
}

// get returns userID's features as of at most ttl ago.
func (c *viewerCache) get(ctx context.Context, userID string, now time.Time) (Viewer, error) {
	c.mu.Lock()
	e, ok := c.m[userID]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := c.repo.ViewerFeatures(ctx, userID)
	if err != nil {
		return Viewer{}, fmt.Errorf("feed: features of %s: %w", userID, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.evict(now)
	}
	c.m[userID] = cachedViewer{v: v, expires: now.Add(c.ttl)}
	return v, nil
}

// evict drops expired entries, and everything if none had expired, so
// the cache stays bounded however many viewers come by.
func (c *viewerCache) evict(now time.Time) {
	for k, e := range c.m {
		if !now.Before(e.expires) {
			delete(c.m, k)
		}
	}
	if len(c.m) >= c.max {
		clear(c.m)
	}
}

// forget drops a viewer's features, so their next feed reads them anew.
func (c *viewerCache) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, userID)
}
