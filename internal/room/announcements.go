package room

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Announcement is a notice the room's operators put over the video; By is
// the user id of who announced it.
type Announcement struct {
	ID        string    `json:"id"`
	SessionID string    `json:"-"`
	Text      string    `json:"text"`
	By        string    `json:"by"`
	CreatedAt time.Time `json:"created_at"`
}

// AnnounceInput is an announcement as an operator types it.
type AnnounceInput struct {
	Text string `json:"text"`
}

// Announce stores and publishes an announcement for the room's operators,
// before or during the session. Invalid (field text), Conflict once the
// session has ended.
func (s *Service) Announce(ctx context.Context, a account.Actor, roomID, text string) (Announcement, error) {
	ses, err := s.operated(ctx, a, roomID)
	if err != nil {
		return Announcement{}, err
	}
	text, err = cleanText("text", text, MaxChatRunes)
	if err != nil {
		return Announcement{}, err
	}
	if ses.Status != Scheduled && ses.Status != Live {
		return Announcement{}, apperr.New(apperr.Conflict, "this live session has ended")
	}
	an := Announcement{ID: ids.New("ann"), SessionID: roomID, Text: text, By: a.ID(),
		CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.repo.AddAnnouncement(ctx, an); err != nil {
		return Announcement{}, fmt.Errorf("room: announce in %s: %w", roomID, err)
	}
	s.emit(roomID, EventAnnouncement, an)
	return an, nil
}
