package room

import (
	"context"
	"fmt"
	"time"
)

// DemoRoomID is the id of the demo session.
const DemoRoomID = "demo"

// EnsureDemoRoom makes the demo session publishable with key: it is
// created, or reset to scheduled with that key and shelf whatever state
// an earlier demo left it in (its moments are forgotten). The products
// must be active products of shopID; hostID may be "".
func (s *Service) EnsureDemoRoom(ctx context.Context, shopID, hostID, title, key string, productIDs []string) (Session, error) {
	if len(key) < 8 {
		return Session{}, fmt.Errorf("room: demo stream key must be at least 8 characters")
	}
	title, err := cleanTitle(title)
	if err != nil {
		return Session{}, fmt.Errorf("room: demo room: %w", err)
	}
	if err := s.checkShelf(ctx, shopID, productIDs); err != nil {
		return Session{}, fmt.Errorf("room: demo room: %w", err)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	n := NewSession{ID: DemoRoomID, ShopID: shopID, HostID: hostID, Title: title, PlannedStart: now,
		StreamKey: key, KeyHash: HashKey(key), ProductIDs: nonNil(productIDs), CreatedAt: now}
	if err := s.repo.ResetLiveSession(ctx, n); err != nil {
		return Session{}, fmt.Errorf("room: demo room: %w", err)
	}
	// A publisher still on the old demo must start again with the reset
	// session; its Stopped would start a grace timer, which is called off.
	s.media.Kick(DemoRoomID, "demo room reset")
	s.cancelGrace(DemoRoomID)
	return s.repo.LiveSession(ctx, DemoRoomID)
}
