package feed

import (
	"context"
	"fmt"
	"time"
)

// The index holds every live room and every room scheduled within the
// window, with its features, so that ranking a feed reads no database.
// It is rebuilt from three queries (rooms; engagement; host figures, the
// last one only every HostStatsEvery because follower counts move slowly
// and counting a popular host's followers is the costly part) and
// replaced whole: readers hold an immutable snapshot.

// index is one snapshot; never modified after it is built.
type index struct {
	rooms     []Room
	byID      map[string]int
	liveCount map[string]int // channel code → live rooms
	at        time.Time
}

// hostCache keeps the last host figures between refreshes.
type hostCache struct {
	stats map[Target]HostStats
	known map[Target]bool // asked for, even if the answer was nothing
	at    time.Time
}

// Refresh rebuilds the index now. Run calls it every RefreshEvery; a
// request finding the index older than twice that calls it too (so tests
// and a stalled loop still see fresh rooms).
func (s *Service) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.refreshLocked(ctx)
}

func (s *Service) refreshLocked(ctx context.Context) error {
	now := s.now()
	from, until := now.Add(-StaleScheduled), now.Add(s.window)
	rooms, err := s.loadRooms(ctx, now, from, until)
	if err != nil {
		return err
	}
	stats, err := s.repo.FeedRoomStats(ctx, now.Add(-ViewersFresh))
	if err != nil {
		return fmt.Errorf("feed: load room stats: %w", err)
	}
	if s.hosts.stats == nil || now.Sub(s.hosts.at) >= s.hostEvery || s.hosts.missing(rooms) {
		hs, err := s.repo.FeedHostStats(ctx, from, until)
		if err != nil {
			return fmt.Errorf("feed: load host stats: %w", err)
		}
		known := make(map[Target]bool, len(rooms))
		for _, r := range rooms {
			known[r.Hoster()] = true
		}
		s.hosts = hostCache{stats: hs, known: known, at: now}
	}
	idx := &index{rooms: rooms, byID: make(map[string]int, len(rooms)), liveCount: map[string]int{}, at: now}
	for i := range rooms {
		r := &rooms[i]
		st := stats[r.ID]
		r.Viewers, r.Views, r.Likes, r.PaidOrders = st.Viewers, st.Views, max(r.Likes, st.Likes), st.PaidOrders
		hs := s.hosts.stats[r.Hoster()]
		r.HostFollowers, r.HostSessions = hs.Followers, hs.Sessions
		idx.byID[r.ID] = i
		if r.Live() {
			for _, code := range ChannelsFor(r.Category, r.Programme) {
				idx.liveCount[code]++
			}
		}
	}
	s.idx.Store(idx)
	return nil
}

// loadRooms returns the rooms with their details. Reading the details
// joins shops, users and pictures for every room, which on ten thousand
// live rooms costs far more than ranking; they change rarely, so they are
// reread every RoomsEvery, or at once when the cheap id → status list
// differs from the last index (a room started, ended or was scheduled).
// Otherwise the last index's rooms are copied; their engagement is
// overwritten by the caller.
func (s *Service) loadRooms(ctx context.Context, now, from, until time.Time) ([]Room, error) {
	if prev := s.idx.Load(); prev != nil && now.Sub(s.roomsAt) < s.roomEvery {
		states, err := s.repo.FeedRoomStates(ctx, from, until)
		if err != nil {
			return nil, fmt.Errorf("feed: load room states: %w", err)
		}
		if prev.sameRooms(states) {
			return append([]Room(nil), prev.rooms...), nil
		}
	}
	rooms, err := s.repo.FeedRooms(ctx, from, until)
	if err != nil {
		return nil, fmt.Errorf("feed: load rooms: %w", err)
	}
	s.roomsAt = now
	return rooms, nil
}

// sameRooms reports whether the index holds exactly these rooms in these
// states.
func (x *index) sameRooms(states map[string]string) bool {
	if len(states) != len(x.rooms) {
		return false
	}
	for _, r := range x.rooms {
		if st, ok := states[r.ID]; !ok || st != r.Status {
			return false
		}
	}
	return true
}

// missing reports whether a room's host has not been asked about yet (a
// new room of a new host should not wait HostStatsEvery to count).
func (h hostCache) missing(rooms []Room) bool {
	for _, r := range rooms {
		if !h.known[r.Hoster()] {
			return true
		}
	}
	return false
}

// current returns the index, rebuilding it first when there is none or
// it is older than twice the refresh interval.
func (s *Service) current(ctx context.Context) (*index, error) {
	if idx := s.idx.Load(); idx != nil && s.now().Sub(idx.at) < 2*s.every {
		return idx, nil
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	// Another request may have refreshed it while this one waited.
	if idx := s.idx.Load(); idx != nil && s.now().Sub(idx.at) < 2*s.every {
		return idx, nil
	}
	if err := s.refreshLocked(ctx); err != nil {
		if idx := s.idx.Load(); idx != nil {
			s.log.Warn("feed: serving a stale index", "err", err, "age", s.now().Sub(idx.at).String())
			return idx, nil
		}
		return nil, err
	}
	return s.idx.Load(), nil
}

// Run refreshes the index every RefreshEvery until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("feed: refresh failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
