package room

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
)

// finaliseTimeout bounds waiting for a recording to close when a session ends.
const finaliseTimeout = time.Minute

// Authorize implements media.Gate: it returns the room a stream key
// publishes to. Unauthorized for an unknown or rotated key, Conflict for
// a session that has ended.
func (s *Service) Authorize(ctx context.Context, streamKey string, p media.Protocol) (string, error) {
	if streamKey == "" {
		return "", apperr.New(apperr.Unauthorized, "a stream key is required")
	}
	ses, err := s.repo.LiveSessionByKeyHash(ctx, HashKey(streamKey))
	if apperr.Is(err, apperr.NotFound) {
		return "", apperr.New(apperr.Unauthorized, "unknown stream key")
	}
	if err != nil {
		return "", fmt.Errorf("room: authorize %s publisher: %w", p, err)
	}
	if ses.Status == Ended || ses.Status == Replay {
		return "", apperr.New(apperr.Conflict, "this live session has ended")
	}
	return ses.ID, nil
}

// Started implements media.Gate: the session goes live (or stays live
// after a reconnect, keeping its first started_at) and a pending end is
// called off.
func (s *Service) Started(ctx context.Context, roomID string, p media.Protocol) error {
	s.cancelGrace(roomID)
	at := s.now()
	if err := s.repo.StartLiveSession(ctx, roomID, p, at); err != nil {
		return fmt.Errorf("room: start %s: %w", roomID, err)
	}
	ses, err := s.repo.LiveSession(ctx, roomID)
	if err != nil {
		return fmt.Errorf("room: start %s: %w", roomID, err)
	}
	s.announce(ctx, roomID)
	s.log.Info("live session is live", "room", roomID, "protocol", p)
	s.emit(roomID, EventStatus, ses)
	s.pub.Publish(subject(roomID, "live"), ses)
	s.recordStart(ses, at)
	return nil
}

// Stopped implements media.Gate. A publisher that asked to end (WHIP
// DELETE) ends the session now; one that dropped gets the reconnect
// grace. It never blocks its caller: endings run in the background.
func (s *Service) Stopped(roomID string, ended bool) {
	if ended || s.grace <= 0 {
		s.background(roomID)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		ctx, cancel := context.WithTimeout(context.Background(), placeTimeout)
		defer cancel()
		if err := s.place.Withdraw(ctx, roomID); err != nil {
			s.log.Warn("room: withdraw stream placement", "room", roomID, "err", err)
		}
	}()
	if t := s.timers[roomID]; t != nil {
		t.Stop()
	}
	var t *time.Timer
	t = time.AfterFunc(s.grace, func() {
		s.mu.Lock()
		mine := s.timers[roomID] == t
		if mine {
			delete(s.timers, roomID)
		}
		s.mu.Unlock()
		if mine {
			s.backgroundUnlessMoved(roomID)
		}
	})
	s.timers[roomID] = t
	s.log.Info("publisher gone; waiting for it to come back", "room", roomID, "grace", s.grace)
}

// background ends roomID on its own goroutine, which Close waits for.
func (s *Service) background(roomID string) {
	s.spawn(func() {
		if _, err := s.finish(context.Background(), roomID); err != nil {
			s.log.Error("end live session", "room", roomID, "err", err)
		}
	})
}

// backgroundUnlessMoved ends roomID in the background unless its
// publisher came back on another node during the grace.
func (s *Service) backgroundUnlessMoved(roomID string) {
	s.spawn(func() {
		if s.movedAway(context.Background(), roomID) {
			s.log.Info("publisher continued on another node; the session stays live", "room", roomID)
			return
		}
		if _, err := s.finish(context.Background(), roomID); err != nil {
			s.log.Error("end live session", "room", roomID, "err", err)
		}
	})
}

// spawn runs fn on its own goroutine, which Close waits for; once the
// service is closed it runs nothing.
func (s *Service) spawn(fn func()) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.work.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.work.Done()
		fn()
	}()
}

// cancelGrace calls off a pending end of roomID.
func (s *Service) cancelGrace(roomID string) {
	s.mu.Lock()
	if t := s.timers[roomID]; t != nil {
		t.Stop()
		delete(s.timers, roomID)
	}
	s.mu.Unlock()
}

// End ends a session for its operator: the publisher is cut off, the
// session is ended and, when it was recorded, becomes a replay. Ending an
// ended session changes nothing.
func (s *Service) End(ctx context.Context, a account.Actor, id string) (Session, error) {
	if _, err := s.operated(ctx, a, id); err != nil {
		return Session{}, err
	}
	s.log.Info("live session ended by operator", "room", id, "by", a.ID())
	return s.finish(context.WithoutCancel(ctx), id)
}

// finish ends roomID if it is not already: it is marked ended before the
// publisher is cut off, so the publisher cannot come back with the key,
// then its recording is finalised and, if there was one, it is a replay.
func (s *Service) finish(ctx context.Context, roomID string) (Session, error) {
	s.cancelGrace(roomID)
	changed, err := s.repo.EndLiveSession(ctx, roomID, s.now())
	if err != nil {
		return Session{}, fmt.Errorf("room: end %s: %w", roomID, err)
	}
	if changed {
		// Kicking makes the stream report Stopped, which would start a grace timer.
		s.media.Kick(roomID, "live session ended")
		s.cancelGrace(roomID)
		ses, err := s.repo.LiveSession(ctx, roomID)
		if err != nil {
			return Session{}, fmt.Errorf("room: end %s: %w", roomID, err)
		}
		s.log.Info("live session ended", "room", roomID)
		s.emit(roomID, EventStatus, ses)
		s.pub.Publish(subject(roomID, "ended"), ses)
		if err := s.toReplay(ctx, roomID); err != nil {
			s.log.Error("finalise recording", "room", roomID, "err", err)
		}
	}
	return s.repo.LiveSession(ctx, roomID)
}

// toReplay finalises an ended session's recording and, when there was
// one, makes the session a replay.
func (s *Service) toReplay(ctx context.Context, roomID string) error {
	ctx, cancel := context.WithTimeout(ctx, finaliseTimeout)
	defer cancel()
	ok, err := s.recs.Finalise(ctx, roomID)
	if err != nil {
		return fmt.Errorf("room: finalise %s: %w", roomID, err)
	}
	if !ok {
		return nil
	}
	if err := s.repo.MarkReplay(ctx, roomID); err != nil {
		return fmt.Errorf("room: replay %s: %w", roomID, err)
	}
	ses, err := s.repo.LiveSession(ctx, roomID)
	if err != nil {
		return fmt.Errorf("room: replay %s: %w", roomID, err)
	}
	s.log.Info("live session is a replay", "room", roomID)
	s.emit(roomID, EventStatus, ses)
	s.pub.Publish(subject(roomID, "replay"), ses)
	return nil
}

// EndOrphans ends the sessions a previous run of this process left live
// (no publisher can be attached to them any more) and finalises their
// recordings. Call it once at startup, before ingest listens. Sessions
// with a stream on this node or on another node are left alone; those
// are the sweep's (SweepOrphans) once their stream is gone everywhere.
func (s *Service) EndOrphans(ctx context.Context) (int, error) {
	var orphans []string
	f := Filter{Status: Live, Limit: 100}
	for {
		page, err := s.repo.ListLiveSessions(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("room: find orphaned sessions: %w", err)
		}
		for _, ses := range page {
			if _, streaming := s.media.Health(ses.ID); streaming || s.movedAway(ctx, ses.ID) {
				continue
			}
			orphans = append(orphans, ses.ID)
		}
		if len(page) < f.Limit {
			break
		}
		f.Cursor = page[len(page)-1].ID
	}
	for _, id := range orphans {
		if _, err := s.finish(ctx, id); err != nil {
			return 0, err
		}
		s.log.Info("ended a live session left over from a previous run", "room", id)
	}
	return len(orphans), nil
}

// Close stops the reconnect timers (the sessions they would have ended
// are ended by EndOrphans at the next start) and waits for endings in
// progress.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	for id, t := range s.timers {
		t.Stop()
		delete(s.timers, id)
	}
	s.mu.Unlock()
	s.work.Wait()
}

func subject(roomID, event string) string { return "room." + roomID + "." + event }
