package social

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
)

// NotifyLive tells the followers of a live session's host and shop, and
// its reminder holders, that it is live: one `live` notification each,
// whatever the number of nodes calling it for the same session (every
// node hears room.{id}.live). It returns how many notifications this call
// wrote; the Web Push of exactly those goes out from this node, in the
// background. A session that is no longer live is left alone (the
// message came late).
func (s *Service) NotifyLive(ctx context.Context, sessionID string) (int, error) {
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return 0, fmt.Errorf("social: notify live %s: %w", sessionID, err)
	}
	if ses.Status != room.Live {
		return 0, nil
	}
	return s.fanout(ctx, ses, KindLive, paramsOf(ses, 0))
}

// NotifyStartingSoon tells the same people that a scheduled session is
// about to start; like NotifyLive it writes each notification once.
func (s *Service) NotifyStartingSoon(ctx context.Context, sessionID string) (int, error) {
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return 0, fmt.Errorf("social: notify starting soon %s: %w", sessionID, err)
	}
	if ses.Status != room.Scheduled {
		return 0, nil
	}
	mins := max(int(math.Ceil(ses.PlannedStart.Sub(s.now()).Minutes())), 0)
	return s.fanout(ctx, ses, KindStartingSoon, paramsOf(ses, mins))
}

// paramsOf holds the values a session's notification is written from.
func paramsOf(ses room.Session, minutes int) NotificationParams {
	return NotificationParams{Host: ses.HostName, Shop: ses.ShopName, Title: ses.Title, Minutes: minutes}
}

// fanout writes kind notifications for the session's audience in batches
// (recipients sorted by user id, so racing nodes insert in the same order
// and never deadlock) and hands the rows it wrote to the pusher. The
// stored text is English; params let each reader's app write it again.
func (s *Service) fanout(ctx context.Context, ses room.Session, kind string, params NotificationParams) (int, error) {
	title, body, _ := notificationText(kind, params, LocaleEnglish)
	host := ""
	if ses.HostID != nil {
		host = *ses.HostID
	}
	url := "/live/" + ses.ID
	total, after := 0, ""
	for {
		users, err := s.repo.NotificationRecipients(ctx, Recipients{SessionID: ses.ID, HostID: host, ShopID: ses.ShopID,
			Kind: kind, After: after, Limit: fanoutBatch})
		if err != nil {
			return total, fmt.Errorf("social: %s recipients of %s: %w", kind, ses.ID, err)
		}
		if len(users) == 0 {
			return total, nil
		}
		at := s.now().UTC().Truncate(time.Millisecond)
		ns := make([]Notification, len(users))
		for i, u := range users {
			ns[i] = Notification{ID: ids.New("ntf"), UserID: u, Kind: kind, SessionID: ses.ID, Title: title, Body: body, URL: url, Params: params, CreatedAt: at}
		}
		wrote, err := s.repo.InsertNotifications(ctx, ns)
		if err != nil {
			return total, fmt.Errorf("social: %s notifications of %s: %w", kind, ses.ID, err)
		}
		total += len(wrote)
		if s.push != nil && len(wrote) > 0 {
			s.push.Enqueue(wrote)
		}
		if len(users) < fanoutBatch {
			return total, nil
		}
		after = users[len(users)-1]
	}
}

// PushNotification sends the Web Push of a notification written by
// someone else (the order service writes a buyer's order notifications in
// the order change's transaction), best-effort and in the background.
func (s *Service) PushNotification(ctx context.Context, userID, id string) error {
	if s.push == nil {
		return nil
	}
	n, err := s.repo.NotificationByID(ctx, userID, id)
	if err != nil {
		return fmt.Errorf("social: push notification %s: %w", id, err)
	}
	s.push.Enqueue([]Notification{n})
	return nil
}

// SweepStartingSoon notifies the audiences of sessions planned within
// StartingSoonLead and returns how many notifications it wrote.
func (s *Service) SweepStartingSoon(ctx context.Context) (int, error) {
	now := s.now()
	sessions, err := s.repo.SessionsStartingBetween(ctx, now, now.Add(StartingSoonLead))
	if err != nil {
		return 0, fmt.Errorf("social: sessions starting soon: %w", err)
	}
	total := 0
	for _, id := range sessions {
		n, err := s.NotifyStartingSoon(ctx, id)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// NotificationTTL is how long notifications are kept; pruneBatch bounds
// the rows one sweep deletes, so a backlog is cleared over several sweeps
// rather than in one long statement.
const (
	NotificationTTL = 90 * 24 * time.Hour
	pruneBatch      = 5000
)

// PruneNotifications deletes up to one batch of notifications older than
// NotificationTTL and returns how many it deleted.
func (s *Service) PruneNotifications(ctx context.Context) (int64, error) {
	n, err := s.repo.PruneNotifications(ctx, s.now().Add(-NotificationTTL), pruneBatch)
	if err != nil {
		return n, fmt.Errorf("social: prune notifications: %w", err)
	}
	return n, nil
}

// Run sweeps for sessions starting soon, and prunes old notifications,
// every interval until ctx ends. Every node may run it: each
// notification is written once, and deleting is idempotent.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.SweepStartingSoon(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("social: starting-soon sweep", "err", err)
		}
		if _, err := s.PruneNotifications(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("social: notification prune", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Notifications lists the actor's notifications newest first (only the
// unread ones when unreadOnly), before cursor. Unauthorized.
func (s *Service) Notifications(ctx context.Context, a account.Actor, unreadOnly bool, cursor string, limit int) ([]Notification, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	ns, err := s.repo.ListNotifications(ctx, a.ID(), unreadOnly, cursor, limit)
	if err != nil {
		return nil, fmt.Errorf("social: notifications of %s: %w", a.ID(), err)
	}
	return ns, nil
}

// Unread counts the actor's unread notifications. Unauthorized.
func (s *Service) Unread(ctx context.Context, a account.Actor) (UnreadCount, error) {
	if err := signedIn(a); err != nil {
		return UnreadCount{}, err
	}
	n, err := s.repo.UnreadNotifications(ctx, a.ID())
	if err != nil {
		return UnreadCount{}, fmt.Errorf("social: unread of %s: %w", a.ID(), err)
	}
	return UnreadCount{Count: n}, nil
}

// MarkRead marks the actor's notifications in.IDs read, or all of them
// with in.All; ids of others' notifications are ignored. Invalid (field
// ids or ids[i]), Unauthorized.
func (s *Service) MarkRead(ctx context.Context, a account.Actor, in ReadInput) error {
	if err := signedIn(a); err != nil {
		return err
	}
	switch {
	case !in.All && len(in.IDs) == 0:
		return apperr.Field("ids", "give the ids to mark read, or all: true")
	case in.All && len(in.IDs) > 0:
		return apperr.Field("ids", "give either ids or all, not both")
	case len(in.IDs) > MaxReadIDs:
		return apperr.Field("ids", "at most %d ids at a time", MaxReadIDs)
	}
	for i, id := range in.IDs {
		if id == "" || len(id) > 64 {
			return apperr.Field(fmt.Sprintf("ids[%d]", i), "not a notification id")
		}
	}
	if err := s.repo.MarkNotificationsRead(ctx, a.ID(), in.IDs, in.All, s.now().UTC()); err != nil {
		return fmt.Errorf("social: mark read for %s: %w", a.ID(), err)
	}
	return nil
}
