package social

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

// Config gives a Service its dependencies. Repo and Rooms are required;
// a nil Analytics records nothing, a nil Push sends no Web Push, a nil
// Now is time.Now.
type Config struct {
	Repo      Repo
	Rooms     Rooms
	Analytics analytics.Recorder
	Push      *Pusher
	Now       func() time.Time
	Log       *slog.Logger
}

// Service runs follows, reminders, notifications and the schedule; every
// call checks who may make it.
//
// Lifecycle: NewService; NotifyLive for every room.{id}.live message and
// Run (the starting-soon sweep) on every node; the Pusher, if any, is
// closed by whoever made it, after Run has returned.
type Service struct {
	repo  Repo
	rooms Rooms
	rec   analytics.Recorder
	push  *Pusher
	now   func() time.Time
	log   *slog.Logger
	// changed is told whose follows changed (the feed forgets its cached
	// copy of them); it must not block.
	changed func(userID string)
}

// OnFollowsChanged sets a function told the user whose follows changed,
// so that caches of them (the feed's) are dropped at once rather than
// when they expire. Call it before the service is used.
func (s *Service) OnFollowsChanged(fn func(userID string)) { s.changed = fn }

// NewService returns a social service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, rooms: c.Rooms, rec: c.Analytics, push: c.Push, now: c.Now, log: c.Log, changed: func(string) {}}
	if s.rec == nil {
		s.rec = analytics.Discard{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

func signedIn(a account.Actor) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	return nil
}

// checkKind validates a target kind named by field.
func checkKind(field, kind string) error {
	if kind != TargetHost && kind != TargetShop {
		return apperr.Field(field, "%s must be host or shop", field)
	}
	return nil
}

// targetName checks the target exists and returns its name: NotFound for
// a user who is not a host or a shop that is not approved.
func (s *Service) targetName(ctx context.Context, kind, id string) (string, error) {
	if kind == TargetHost {
		return s.repo.HostName(ctx, id)
	}
	return s.repo.ApprovedShopName(ctx, id)
}

// Follow makes the signed-in actor follow a host or a shop and reports
// whether the follow is new (following again changes nothing). A follow
// made in a live room (RoomID) is counted for that room's dashboard.
// Returns Invalid with field target_kind, target_id (also for following
// yourself: your own host profile or a shop you are a member of) or
// room_id; NotFound for an unknown host or shop; Unauthorized.
func (s *Service) Follow(ctx context.Context, a account.Actor, in FollowInput) (Follow, bool, error) {
	if err := signedIn(a); err != nil {
		return Follow{}, false, err
	}
	kind, id, roomID := strings.TrimSpace(in.TargetKind), strings.TrimSpace(in.TargetID), strings.TrimSpace(in.RoomID)
	if err := checkKind("target_kind", kind); err != nil {
		return Follow{}, false, err
	}
	if id == "" || len(id) > 64 {
		return Follow{}, false, apperr.Field("target_id", "target_id is required")
	}
	if (kind == TargetHost && id == a.ID()) || (kind == TargetShop && a.ShopRole(id) != "") {
		return Follow{}, false, apperr.Field("target_id", "you cannot follow yourself or a shop you work for")
	}
	name, err := s.targetName(ctx, kind, id)
	if err != nil {
		return Follow{}, false, err
	}
	if roomID != "" {
		if _, err := s.rooms.Get(ctx, roomID); apperr.Is(err, apperr.NotFound) {
			return Follow{}, false, apperr.Field("room_id", "live session %s does not exist", roomID)
		} else if err != nil {
			return Follow{}, false, fmt.Errorf("social: follow from room %s: %w", roomID, err)
		}
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	f, created, err := s.repo.AddFollow(ctx, Follow{UserID: a.ID(), TargetKind: kind, TargetID: id, SourceRoomID: roomID, CreatedAt: now})
	if err != nil {
		return Follow{}, false, fmt.Errorf("social: follow %s %s: %w", kind, id, err)
	}
	f.TargetName = name
	if created {
		s.changed(a.ID())
	}
	if created && roomID != "" {
		s.rec.Record(analytics.Event{Kind: analytics.KindFollow, SessionID: roomID, UserID: a.ID(), At: now})
	}
	return f, created, nil
}

// Unfollow stops the actor following a target; not following is no
// error. Invalid (field kind), Unauthorized.
func (s *Service) Unfollow(ctx context.Context, a account.Actor, kind, targetID string) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if err := checkKind("kind", kind); err != nil {
		return err
	}
	if err := s.repo.RemoveFollow(ctx, a.ID(), kind, targetID); err != nil {
		return fmt.Errorf("social: unfollow %s %s: %w", kind, targetID, err)
	}
	s.changed(a.ID())
	return nil
}

// Following lists what the actor follows, newest first, with names.
// cursor is a previous page's next ("" on the last page). Invalid (field
// cursor), Unauthorized.
func (s *Service) Following(ctx context.Context, a account.Actor, cursor string, limit int) (follows []Follow, next string, err error) {
	if err := signedIn(a); err != nil {
		return nil, "", err
	}
	var after *Follow
	if cursor != "" {
		f, ok := parseFollowCursor(cursor)
		if !ok {
			return nil, "", apperr.Field("cursor", "cursor is not valid")
		}
		after = &f
	}
	follows, err = s.repo.ListFollows(ctx, a.ID(), after, limit)
	if err != nil {
		return nil, "", fmt.Errorf("social: follows of %s: %w", a.ID(), err)
	}
	if limit > 0 && len(follows) == limit {
		last := follows[len(follows)-1]
		next = strconv.FormatInt(last.CreatedAt.UnixMilli(), 10) + "." + last.TargetKind + "." + last.TargetID
	}
	return follows, next, nil
}

func parseFollowCursor(c string) (Follow, bool) {
	parts := strings.SplitN(c, ".", 3)
	if len(parts) != 3 || checkKind("", parts[1]) != nil || parts[2] == "" {
		return Follow{}, false
	}
	ms, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return Follow{}, false
	}
	return Follow{CreatedAt: time.UnixMilli(ms).UTC(), TargetKind: parts[1], TargetID: parts[2]}, true
}

// followers counts a target's followers and whether a follows it.
func (s *Service) followers(ctx context.Context, a account.Actor, kind, id string) (Followers, error) {
	n, err := s.repo.FollowerCount(ctx, kind, id)
	if err != nil {
		return Followers{}, fmt.Errorf("social: followers of %s %s: %w", kind, id, err)
	}
	out := Followers{Followers: n}
	if !a.Anonymous() {
		if out.Following, err = s.repo.IsFollowing(ctx, a.ID(), kind, id); err != nil {
			return Followers{}, fmt.Errorf("social: followers of %s %s: %w", kind, id, err)
		}
	}
	return out, nil
}

// ShopFollowers counts an approved shop's followers and says whether the
// caller follows it. NotFound for an unknown shop. Public.
func (s *Service) ShopFollowers(ctx context.Context, a account.Actor, shopID string) (Followers, error) {
	if _, err := s.repo.ApprovedShopName(ctx, shopID); err != nil {
		return Followers{}, err
	}
	return s.followers(ctx, a, TargetShop, shopID)
}

// hostSessionsShown bounds the sessions on a host's profile.
const hostSessionsShown = 50

// Host returns a host's profile: followers, whether the caller follows
// them, and their live and upcoming sessions. NotFound for a user who is
// not a host. Public.
func (s *Service) Host(ctx context.Context, a account.Actor, hostID string) (HostProfile, error) {
	name, err := s.repo.HostName(ctx, hostID)
	if err != nil {
		return HostProfile{}, err
	}
	f, err := s.followers(ctx, a, TargetHost, hostID)
	if err != nil {
		return HostProfile{}, err
	}
	sessions, err := s.repo.HostSessions(ctx, hostID, hostSessionsShown)
	if err != nil {
		return HostProfile{}, fmt.Errorf("social: sessions of host %s: %w", hostID, err)
	}
	if sessions == nil {
		sessions = []room.Session{}
	}
	return HostProfile{ID: hostID, DisplayName: name, Followers: f.Followers, Following: f.Following, Sessions: sessions}, nil
}
