package social

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Remind asks to be told when a scheduled session starts (and ten
// minutes before), and reports whether the reminder is new. Conflict when
// the session is not scheduled any more; NotFound, Unauthorized.
func (s *Service) Remind(ctx context.Context, a account.Actor, sessionID string) (Reminder, bool, error) {
	if err := signedIn(a); err != nil {
		return Reminder{}, false, err
	}
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return Reminder{}, false, err
	}
	if ses.Status != room.Scheduled {
		return Reminder{}, false, apperr.New(apperr.Conflict, "the session is %s; reminders are for scheduled sessions", ses.Status)
	}
	r := Reminder{SessionID: ses.ID, UserID: a.ID(), CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	created, err := s.repo.AddReminder(ctx, r)
	if err != nil {
		return Reminder{}, false, fmt.Errorf("social: remind %s of %s: %w", a.ID(), sessionID, err)
	}
	return r, created, nil
}

// Unremind removes the actor's reminder; none is no error. NotFound for
// an unknown session, Unauthorized.
func (s *Service) Unremind(ctx context.Context, a account.Actor, sessionID string) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if _, err := s.rooms.Get(ctx, sessionID); err != nil {
		return err
	}
	if err := s.repo.RemoveReminder(ctx, sessionID, a.ID()); err != nil {
		return fmt.Errorf("social: unremind %s of %s: %w", a.ID(), sessionID, err)
	}
	return nil
}

// Reminded says whether the caller has a reminder for the session
// (false for anonymous callers). NotFound for an unknown session.
func (s *Service) Reminded(ctx context.Context, a account.Actor, sessionID string) (ReminderState, error) {
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return ReminderState{}, err
	}
	out := ReminderState{SessionID: ses.ID}
	if a.Anonymous() {
		return out, nil
	}
	if out.Reminded, err = s.repo.HasReminder(ctx, ses.ID, a.ID()); err != nil {
		return ReminderState{}, fmt.Errorf("social: reminder of %s: %w", sessionID, err)
	}
	return out, nil
}
