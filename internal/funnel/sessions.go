package funnel

import (
	"context"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/room"
)

// Recording an event needs the session (does it exist, what is on its
// shelf); a viewer's page sends several events a minute, so each node
// keeps the sessions it was asked about for a few seconds instead of
// reading one per event. A shelf change reaches the funnel within the TTL.
const (
	sessionTTL     = 5 * time.Second
	maxCachedRooms = 10_000
)

type cachedSession struct {
	ses   room.Session
	until time.Time
}

type sessionCache struct {
	rooms Rooms
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]cachedSession
}

func newSessionCache(rooms Rooms, now func() time.Time) *sessionCache {
	return &sessionCache{rooms: rooms, now: now, m: map[string]cachedSession{}}
}

// get returns the session, from the cache while it is fresh. Missing
// sessions are not cached: their NotFound comes from Rooms every time.
func (c *sessionCache) get(ctx context.Context, id string) (room.Session, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.ses, nil
	}
	ses, err := c.rooms.Get(ctx, id)
	if err != nil {
		return room.Session{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedRooms {
		for k, v := range c.m {
			if !now.Before(v.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCachedRooms {
			clear(c.m)
		}
	}
	c.m[id] = cachedSession{ses: ses, until: now.Add(sessionTTL)}
	return ses, nil
}
