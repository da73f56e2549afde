package room

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Snapshot is a room as someone joining it needs it: everything but the
// live counts and the event sequence, which the realtime nodes add.
type Snapshot struct {
	Session         Session       `json:"session"`
	Chat            []ChatMessage `json:"chat"`      // the last 50 not deleted, oldest first
	Questions       []Question    `json:"questions"` // open or pinned, oldest first
	Announcement    *Announcement `json:"announcement"`
	SlowModeSeconds int           `json:"slow_mode_seconds"`
	Likes           int64         `json:"likes"`
	Peak            int           `json:"peak"`
	You             Participant   `json:"you"`
}

// Snapshot returns the room for p. NotFound for an unknown room.
func (s *Service) Snapshot(ctx context.Context, p Participant, roomID string) (Snapshot, error) {
	ses, err := s.repo.LiveSession(ctx, roomID)
	if err != nil {
		return Snapshot{}, err
	}
	chat, err := s.repo.RecentChat(ctx, roomID, SnapshotChat)
	if err != nil {
		return Snapshot{}, fmt.Errorf("room: snapshot of %s: %w", roomID, err)
	}
	qs, err := s.repo.OpenQuestions(ctx, roomID, SnapshotQuestions)
	if err != nil {
		return Snapshot{}, fmt.Errorf("room: snapshot of %s: %w", roomID, err)
	}
	an, err := s.repo.LatestAnnouncement(ctx, roomID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("room: snapshot of %s: %w", roomID, err)
	}
	return Snapshot{Session: ses, Chat: chat, Questions: qs, Announcement: an, SlowModeSeconds: ses.SlowModeSeconds,
		Likes: ses.Likes, Peak: ses.PeakViewers, You: p}, nil
}

// AddLikes adds n (at least 1) taps to the session's likes; the realtime
// nodes call it with their aggregated counts. NotFound for an unknown room.
func (s *Service) AddLikes(ctx context.Context, roomID string, n int) error {
	if n < 1 {
		return apperr.Field("count", "count must be at least 1")
	}
	if err := s.repo.AddLikes(ctx, roomID, int64(n)); err != nil {
		return fmt.Errorf("room: likes of %s: %w", roomID, err)
	}
	return nil
}

// RecordPeak keeps the highest number of viewers seen at once on the
// session, so it survives the realtime nodes. NotFound for an unknown room.
func (s *Service) RecordPeak(ctx context.Context, roomID string, peak int) error {
	if peak < 0 {
		return apperr.Field("peak", "peak must not be negative")
	}
	if err := s.repo.RecordPeak(ctx, roomID, peak); err != nil {
		return fmt.Errorf("room: peak of %s: %w", roomID, err)
	}
	return nil
}
