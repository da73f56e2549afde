package room

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Explain records that the host is now explaining productID: a Moment at
// the current offset into the recording (or, without one, since the
// session started), the product shown as the one being explained, and a
// room.{id}.explain event. Invalid when the product is not on the shelf,
// Conflict unless the session is live.
func (s *Service) Explain(ctx context.Context, a account.Actor, id, productID string) (Moment, error) {
	ses, err := s.operated(ctx, a, id)
	if err != nil {
		return Moment{}, err
	}
	productID = strings.TrimSpace(productID)
	if productID == "" {
		return Moment{}, apperr.Field("product_id", "product_id is required")
	}
	item, ok := ses.onShelf(productID)
	if !ok {
		return Moment{}, apperr.Field("product_id", "product %s is not on this session's shelf", productID)
	}
	if ses.Status != Live {
		return Moment{}, apperr.New(apperr.Conflict, "the session is %s; products can be explained while it is live", ses.Status)
	}
	now := s.now()
	m := Moment{ID: ids.New("mom"), SessionID: id, ProductID: productID, Title: item.Title,
		OffsetMS: s.offset(ses, now).Milliseconds(), CreatedAt: now.UTC().Truncate(time.Millisecond)}
	if err := s.repo.AddMoment(ctx, m); err != nil {
		return Moment{}, fmt.Errorf("room: explain in %s: %w", id, err)
	}
	ev := ExplainEvent{Moment: m, Product: item}
	s.emit(id, EventExplain, ev)
	s.pub.Publish(subject(id, "explain"), ev)
	return m, nil
}

// offset is how far into the session now is: the recording's position
// when it runs (it skips the time a publisher was away), else the time
// since the session first went live.
func (s *Service) offset(ses Session, now time.Time) time.Duration {
	if d, ok := s.recs.Position(ses.ID); ok {
		return d
	}
	if ses.StartedAt == nil || now.Before(*ses.StartedAt) {
		return 0
	}
	return now.Sub(*ses.StartedAt)
}

// Moments lists a session's moments oldest first; public.
func (s *Service) Moments(ctx context.Context, id, cursor string, limit int) ([]Moment, error) {
	if _, err := s.repo.LiveSession(ctx, id); err != nil {
		return nil, err
	}
	return s.repo.ListMoments(ctx, id, cursor, limit)
}
