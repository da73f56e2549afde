package room

import (
	"context"
	"time"
)

// Placement tells the nodes which of them ingests each live stream, so
// that a node restarting, or one whose publisher left, does not end a
// session whose stream now runs on another node, and so that the session
// of a node that died without a publisher coming back still ends.
type Placement interface {
	// Announce records (or renews) that this node ingests roomID.
	Announce(ctx context.Context, roomID string) error
	// Withdraw forgets this node's placement of roomID; another node's
	// placement of it stays.
	Withdraw(ctx context.Context, roomID string) error
	// Elsewhere reports whether another node ingests roomID now.
	Elsewhere(ctx context.Context, roomID string) (bool, error)
}

type noPlacement struct{}

func (noPlacement) Announce(context.Context, string) error          { return nil }
func (noPlacement) Withdraw(context.Context, string) error          { return nil }
func (noPlacement) Elsewhere(context.Context, string) (bool, error) { return false, nil }

// placeTimeout bounds each call to the placement.
const placeTimeout = 3 * time.Second

// movedAway reports whether roomID's stream runs on another node now. When
// that cannot be told it reports true: ending a session that may still
// be live loses the broadcast, keeping one a little longer loses nothing.
func (s *Service) movedAway(ctx context.Context, roomID string) bool {
	ctx, cancel := context.WithTimeout(ctx, placeTimeout)
	defer cancel()
	elsewhere, err := s.place.Elsewhere(ctx, roomID)
	if err != nil {
		s.log.Warn("room: cannot tell where the stream runs; leaving the session live", "room", roomID, "err", err)
		return true
	}
	return elsewhere
}

// orphanAfter is how long a live session must have had no stream on any
// node before a sweep ends it: at least the reconnect grace, and never
// less than two placement renewals' worth.
func (s *Service) orphanAfter() time.Duration { return max(s.grace, 10*time.Second) }

// SweepOrphans ends live sessions that have had no stream on any node for
// orphanAfter: the node that ingested them died and no publisher came
// back to another node. Every node may run it; ending is idempotent and
// the recording on shared storage is finalised by the node that ends it.
func (s *Service) SweepOrphans(ctx context.Context) (int, error) {
	now := s.now()
	seen := map[string]bool{}
	var due []string
	f := Filter{Status: Live, Limit: 100}
	for {
		page, err := s.repo.ListLiveSessions(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, ses := range page {
			seen[ses.ID] = true
			if _, local := s.media.Health(ses.ID); local {
				s.forgetMissing(ses.ID)
				continue
			}
			elsewhere, err := s.place.Elsewhere(ctx, ses.ID)
			if err != nil || elsewhere {
				s.forgetMissing(ses.ID)
				continue
			}
			if now.Sub(s.missingSince(ses.ID, now)) >= s.orphanAfter() {
				due = append(due, ses.ID)
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.Cursor = page[len(page)-1].ID
	}
	s.mu.Lock()
	for id := range s.missing {
		if !seen[id] {
			delete(s.missing, id)
		}
	}
	s.mu.Unlock()
	ended := 0
	for _, id := range due {
		s.forgetMissing(id)
		if _, err := s.finish(ctx, id); err != nil {
			return ended, err
		}
		s.log.Warn("ended a live session whose stream was gone from every node", "room", id, "after", s.orphanAfter())
		ended++
	}
	return ended, nil
}

// RunOrphanSweep runs SweepOrphans every interval until ctx ends.
func (s *Service) RunOrphanSweep(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.SweepOrphans(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("room: sweep orphaned live sessions", "err", err)
		}
	}
}

func (s *Service) missingSince(roomID string, now time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.missing[roomID]; ok {
		return t
	}
	s.missing[roomID] = now
	return now
}

func (s *Service) forgetMissing(roomID string) {
	s.mu.Lock()
	delete(s.missing, roomID)
	s.mu.Unlock()
}

// announce records that this node ingests roomID; failures only delay
// other nodes finding the stream.
func (s *Service) announce(ctx context.Context, roomID string) {
	ctx, cancel := context.WithTimeout(ctx, placeTimeout)
	defer cancel()
	if err := s.place.Announce(ctx, roomID); err != nil {
		s.log.Warn("room: announce stream placement", "room", roomID, "err", err)
	}
}

// Renew re-announces every stream this node ingests; the caller runs it
// well within the placement's time to live.
func (s *Service) Renew(ctx context.Context, roomIDs []string) {
	for _, id := range roomIDs {
		s.announce(ctx, id)
	}
}
