package feed

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Defaults of a Service.
const (
	DefaultRefreshEvery   = 2 * time.Second
	DefaultHostStatsEvery = 30 * time.Second
	DefaultRoomsEvery     = 30 * time.Second
	DefaultViewerTTL      = 30 * time.Second
	DefaultWindow         = 7 * 24 * time.Hour
	DefaultMaxViewers     = 100_000
	// ViewersFresh: a node's viewer count older than this is ignored (the
	// node stopped reporting, or the room emptied there).
	ViewersFresh = 30 * time.Second
	// StaleScheduled: a scheduled session whose planned start passed
	// longer ago than this is left out (its host did not come).
	StaleScheduled = 2 * time.Hour
	// MaxLimit bounds a feed or channel page.
	MaxLimit = 100
	// Anonymous viewers may send an id the page keeps, so that their
	// exploration picks stay put: MinAnonID–MaxAnonID letters, digits, _ or -.
	MinAnonID = 8
	MaxAnonID = 64
)

// Config gives a Service its dependencies; Repo is required, the rest
// have defaults.
type Config struct {
	Repo Repo
	Now  func() time.Time
	Log  *slog.Logger
	// RefreshEvery is how often Run rebuilds the room index.
	RefreshEvery time.Duration
	// HostStatsEvery is how often host follower and session counts are
	// reread (sooner for a host not seen before).
	HostStatsEvery time.Duration
	// RoomsEvery is how often the rooms' details (titles, shop, host,
	// cover) are reread in full; a room starting, ending or being
	// scheduled rereads them at the next refresh.
	RoomsEvery time.Duration
	// ViewerTTL is how long a viewer's follows and affinities are cached.
	ViewerTTL time.Duration
	// Window is how far ahead scheduled sessions are indexed.
	Window time.Duration
	// MaxViewers bounds the viewer cache.
	MaxViewers int
}

// Service serves the personal feed and the channels.
//
// Lifecycle: NewService loads nothing; Run keeps the room index fresh
// until its context ends (without Run, requests rebuild a stale index
// themselves). The Service holds no other resources.
type Service struct {
	repo      Repo
	now       func() time.Time
	log       *slog.Logger
	every     time.Duration
	hostEvery time.Duration
	roomEvery time.Duration
	window    time.Duration
	viewers   *viewerCache

	idx       atomic.Pointer[index]
	refreshMu sync.Mutex // one rebuild at a time; guards hosts
	hosts     hostCache
	roomsAt   time.Time // when the rooms' details were last read in full; guarded by refreshMu
}

// NewService returns a feed service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, now: c.Now, log: c.Log, every: c.RefreshEvery, hostEvery: c.HostStatsEvery, roomEvery: c.RoomsEvery, window: c.Window}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.every <= 0 {
		s.every = DefaultRefreshEvery
	}
	if s.hostEvery <= 0 {
		s.hostEvery = DefaultHostStatsEvery
	}
	if s.roomEvery <= 0 {
		s.roomEvery = DefaultRoomsEvery
	}
	if s.window <= 0 {
		s.window = DefaultWindow
	}
	ttl, max := c.ViewerTTL, c.MaxViewers
	if ttl <= 0 {
		ttl = DefaultViewerTTL
	}
	if max <= 0 {
		max = DefaultMaxViewers
	}
	s.viewers = newViewerCache(c.Repo, ttl, max)
	return s
}

// Feed ranks the live and upcoming rooms for whoever asks: a signed-in
// actor by their follows, affinities and region; anyone else by
// engagement and freshness, with anonID (optional) seeding their
// exploration picks. Returns Invalid with field limit (1–MaxLimit) or
// anon.
func (s *Service) Feed(ctx context.Context, a account.Actor, anonID string, limit int) (Ranking, error) {
	if err := checkLimit(limit); err != nil {
		return Ranking{}, err
	}
	now := s.now()
	var v Viewer
	switch {
	case !a.Anonymous():
		var err error
		if v, err = s.viewers.get(ctx, a.ID(), now); err != nil {
			return Ranking{}, err
		}
		v.Key = "u:" + a.ID()
	case anonID != "":
		if err := checkAnonID(anonID); err != nil {
			return Ranking{}, err
		}
		v.Key = "a:" + anonID
	}
	idx, err := s.current(ctx)
	if err != nil {
		return Ranking{}, err
	}
	return Rank(v, idx.rooms, now, limit), nil
}

// Forget drops a user's cached features (after they follow or unfollow)
// so that their next feed reflects it at once on this node.
func (s *Service) Forget(userID string) { s.viewers.forget(userID) }

func checkLimit(limit int) error {
	if limit < 1 || limit > MaxLimit {
		return apperr.Field("limit", "limit must be a whole number from 1 to %d", MaxLimit)
	}
	return nil
}

func checkAnonID(id string) error {
	ok := len(id) >= MinAnonID && len(id) <= MaxAnonID
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	if !ok {
		return apperr.Field("anon", "anon must be %d–%d letters, digits, _ or -", MinAnonID, MaxAnonID)
	}
	return nil
}
