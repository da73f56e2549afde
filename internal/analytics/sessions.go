package analytics

import (
	"context"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// SessionInfo is what analytics needs of a live session and its shop.
type SessionInfo struct {
	ID          string
	ShopID      string
	HostID      string // "" without an assigned host
	Status      string
	PeakViewers int
	Category    string // the shop's
	Programme   string // the shop's
	// Channels are the channel codes of the shop's category and
	// programme (feed.ChannelsFor), filled by the consumer's cache.
	Channels []string
}

// Sessions loads a session with its shop; *store.Store implements it.
type Sessions interface {
	// AnalyticsSession returns apperr NotFound for an unknown session.
	AnalyticsSession(ctx context.Context, id string) (SessionInfo, error)
}

// A session's shop and category do not change while it runs, so the
// consumer asks storage once per session every few minutes, not per flush.
const (
	sessionInfoTTL = 5 * time.Minute
	missingTTL     = time.Minute
	maxSessions    = 50_000
)

type sessionEntry struct {
	info  SessionInfo
	ok    bool
	until time.Time
}

// sessionCache remembers sessions for the consumer's flushes.
type sessionCache struct {
	src      Sessions
	channels func(category, programme string) []string
	now      func() time.Time
	mu       sync.Mutex
	m        map[string]sessionEntry
}

func newSessionCache(src Sessions, channels func(category, programme string) []string, now func() time.Time) *sessionCache {
	return &sessionCache{src: src, channels: channels, now: now, m: map[string]sessionEntry{}}
}

// get returns a session's info; ok is false for an unknown session.
func (c *sessionCache) get(ctx context.Context, id string) (SessionInfo, bool, error) {
	if c.src == nil {
		return SessionInfo{}, false, nil
	}
	now := c.now()
	c.mu.Lock()
	e, hit := c.m[id]
	c.mu.Unlock()
	if hit && now.Before(e.until) {
		return e.info, e.ok, nil
	}
	info, err := c.src.AnalyticsSession(ctx, id)
	e = sessionEntry{info: info, ok: err == nil, until: now.Add(sessionInfoTTL)}
	switch {
	case apperr.Is(err, apperr.NotFound):
		e.until = now.Add(missingTTL)
	case err != nil:
		return SessionInfo{}, false, err
	case c.channels != nil:
		e.info.Channels = c.channels(info.Category, info.Programme)
	}
	c.mu.Lock()
	if len(c.m) >= maxSessions {
		clear(c.m)
	}
	c.m[id] = e
	c.mu.Unlock()
	return e.info, e.ok, nil
}
