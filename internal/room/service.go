package room

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
)

// Media is what the service needs of the media engine; *media.Hub has it.
type Media interface {
	// Kick cuts a room's publisher off; its stream stops as if it dropped.
	Kick(roomID, reason string)
	// Health reports a room's stream when it is live on this node.
	Health(roomID string) (media.Health, bool)
}

// Recordings is what the service needs of the recorder.
type Recordings interface {
	// Position is how far the room's recording has got, when one runs.
	Position(roomID string) (time.Duration, bool)
	// Finalise closes the room's recording; ok is true when a recording
	// existed and is now a VOD playlist.
	Finalise(ctx context.Context, roomID string) (ok bool, err error)
}

// Publisher sends events (internal/bus implements it).
type Publisher interface {
	Publish(subject string, payload any)
}

// Config gives a Service its dependencies. Repo is required; nil Media,
// Recordings and Publisher do nothing, for tests and tools.
type Config struct {
	Repo       Repo
	Media      Media
	Placement  Placement
	Recordings Recordings
	Publisher  Publisher
	Log        *slog.Logger
	Now        func() time.Time
	// Grace is how long a session whose publisher dropped stays live
	// waiting for it to come back (--live-grace).
	Grace time.Duration
	// RTMPServer is the RTMP URL hosts publish to without the key, like
	// rtmp://live.example.com:1935/live; WHIPURL is the WHIP endpoint,
	// like https://live.example.com/whip.
	RTMPServer string
	WHIPURL    string
	// Warnings lists what operators should know before going live
	// ("ffmpeg is not installed: …"); nil for none.
	Warnings func() []string
}

// Service runs live sessions: every call checks who may make it.
//
// Lifecycle: NewService, then EndOrphans once at startup (sessions a
// previous run left live), then use; Close stops the reconnect timers and
// waits for endings in progress.
type Service struct {
	repo   Repo
	media  Media
	place  Placement
	recs   Recordings
	pub    Publisher
	log    *slog.Logger
	now    func() time.Time
	grace  time.Duration
	rtmp   string
	whip   string
	warned func() []string

	filters *filterCache // each shop's keyword filter, for a few seconds

	// rec is set once wiring is done, when the media engine may already run.
	rec atomic.Pointer[analytics.Recorder]

	mu      sync.Mutex
	timers  map[string]*time.Timer // room id → pending end after a dropped publisher
	missing map[string]time.Time   // room id → when a sweep first found its stream on no node
	closed  bool
	work    sync.WaitGroup // endings running in the background
}

// NewService returns a live-session service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, media: c.Media, recs: c.Recordings, pub: c.Publisher, log: c.Log, now: c.Now,
		grace: c.Grace, rtmp: strings.TrimRight(c.RTMPServer, "/"), whip: c.WHIPURL, warned: c.Warnings,
		filters: newFilterCache(), timers: map[string]*time.Timer{}, missing: map[string]time.Time{}, place: c.Placement}
	if s.place == nil {
		s.place = noPlacement{}
	}
	if s.media == nil {
		s.media = noMedia{}
	}
	if s.recs == nil {
		s.recs = noRecordings{}
	}
	if s.pub == nil {
		s.pub = noPublisher{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.warned == nil {
		s.warned = func() []string { return nil }
	}
	return s
}

// UseMedia sets the media engine after construction, for the engine
// that needs this service as its Gate first:
//
//	rooms := room.NewService(cfg)
//	hub := media.NewHub(rooms, log, now)
//	rooms.UseMedia(hub)
//
// Call it before the service is used.
func (s *Service) UseMedia(m Media) {
	if m != nil {
		s.media = m
	}
}

var _ media.Gate = (*Service)(nil)

// Schedule creates a session for an approved shop; the caller must
// operate the shop. Returns Invalid (with the field) for bad input,
// Conflict when the shop is not approved, Forbidden or Unauthorized.
func (s *Service) Schedule(ctx context.Context, a account.Actor, shopID string, in ScheduleInput) (Studio, error) {
	if err := requireShopOperator(a, shopID); err != nil {
		return Studio{}, err
	}
	sh, err := s.repo.ShopByID(ctx, shopID)
	if err != nil {
		return Studio{}, err
	}
	if sh.Status != catalog.ShopApproved {
		return Studio{}, apperr.New(apperr.Conflict, "shop %s is %s; live sessions can be scheduled once it is approved", shopID, sh.Status)
	}
	n, err := s.newSession(ctx, shopID, in)
	if err != nil {
		return Studio{}, err
	}
	if err := s.repo.CreateLiveSession(ctx, n); err != nil {
		return Studio{}, fmt.Errorf("room: schedule in %s: %w", shopID, err)
	}
	ses, err := s.repo.LiveSession(ctx, n.ID)
	if err != nil {
		return Studio{}, err
	}
	return s.studio(ses, n.StreamKey), nil
}

// newSession validates in and builds the session to store.
func (s *Service) newSession(ctx context.Context, shopID string, in ScheduleInput) (NewSession, error) {
	now := s.now()
	title, err := cleanTitle(in.Title)
	if err != nil {
		return NewSession{}, err
	}
	planned, err := parsePlannedStart(in.PlannedStart, now)
	if err != nil {
		return NewSession{}, err
	}
	if err := s.checkShelf(ctx, shopID, in.ProductIDs); err != nil {
		return NewSession{}, err
	}
	cover := strings.TrimSpace(in.CoverImageID)
	if err := s.checkCover(ctx, shopID, cover); err != nil {
		return NewSession{}, err
	}
	host := strings.TrimSpace(in.HostID)
	if host != "" {
		if _, err := s.repo.ActorByUserID(ctx, host); apperr.Is(err, apperr.NotFound) {
			return NewSession{}, apperr.Field("host_id", "user %s does not exist", host)
		} else if err != nil {
			return NewSession{}, fmt.Errorf("room: look up host: %w", err)
		}
	}
	key := newStreamKey()
	return NewSession{ID: ids.New("ses"), ShopID: shopID, HostID: host, Title: title, CoverImageID: cover,
		PlannedStart: planned, StreamKey: key, KeyHash: HashKey(key), ProductIDs: nonNil(in.ProductIDs),
		CreatedAt: now.UTC()}, nil
}

// checkShelf checks every product exists, is active and is the shop's.
func (s *Service) checkShelf(ctx context.Context, shopID string, productIDs []string) error {
	if err := checkProductIDs(productIDs); err != nil {
		return err
	}
	if len(productIDs) == 0 {
		return nil
	}
	refs, err := s.repo.LiveProductRefs(ctx, productIDs)
	if err != nil {
		return fmt.Errorf("room: look up products: %w", err)
	}
	for i, id := range productIDs {
		field := fmt.Sprintf("product_ids[%d]", i)
		ref, ok := refs[id]
		switch {
		case !ok || ref.ShopID != shopID:
			return apperr.Field(field, "product %s is not a product of this shop", id)
		case ref.Status != catalog.ProductActive:
			return apperr.Field(field, "product %s is %s", id, ref.Status)
		}
	}
	return nil
}

// checkCover checks a cover image is a picture of one of the shop's products.
func (s *Service) checkCover(ctx context.Context, shopID, imageID string) error {
	if imageID == "" {
		return nil
	}
	img, err := s.repo.ImageByID(ctx, imageID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("cover_image_id", "image %s does not exist", imageID)
	}
	if err != nil {
		return fmt.Errorf("room: look up cover image: %w", err)
	}
	refs, err := s.repo.LiveProductRefs(ctx, []string{img.ProductID})
	if err != nil {
		return fmt.Errorf("room: look up cover image: %w", err)
	}
	if refs[img.ProductID].ShopID != shopID {
		return apperr.Field("cover_image_id", "image %s is not a picture of this shop's products", imageID)
	}
	return nil
}

// Get returns a session; sessions are public.
func (s *Service) Get(ctx context.Context, id string) (Session, error) {
	return s.repo.LiveSession(ctx, id)
}

// List lists sessions newest first; sessions are public.
func (s *Service) List(ctx context.Context, f Filter) ([]Session, error) {
	if f.Status != "" && !validStatus(f.Status) {
		return nil, apperr.Field("status", "status must be scheduled, live, ended or replay")
	}
	return s.repo.ListLiveSessions(ctx, f)
}

// Update edits a session. The title and cover may change in any state,
// the shelf until the session ends, the planned start only while it is
// scheduled (Conflict otherwise).
func (s *Service) Update(ctx context.Context, a account.Actor, id string, in UpdateInput) (Session, error) {
	ses, err := s.operated(ctx, a, id)
	if err != nil {
		return Session{}, err
	}
	var c Change
	if in.Title != nil {
		t, err := cleanTitle(*in.Title)
		if err != nil {
			return Session{}, err
		}
		c.Title = &t
	}
	if in.CoverImageID != nil {
		cover := strings.TrimSpace(*in.CoverImageID)
		if err := s.checkCover(ctx, ses.ShopID, cover); err != nil {
			return Session{}, err
		}
		c.CoverImageID = &cover
	}
	if in.PlannedStart != nil {
		if ses.Status != Scheduled {
			return Session{}, apperr.New(apperr.Conflict, "the session is %s; its planned start can no longer change", ses.Status)
		}
		t, err := parsePlannedStart(*in.PlannedStart, s.now())
		if err != nil {
			return Session{}, err
		}
		c.PlannedStart = &t
	}
	if in.ProductIDs != nil {
		if ses.Status != Scheduled && ses.Status != Live {
			return Session{}, apperr.New(apperr.Conflict, "the session is %s; its shelf can no longer change", ses.Status)
		}
		if err := s.checkShelf(ctx, ses.ShopID, *in.ProductIDs); err != nil {
			return Session{}, err
		}
		shelf := nonNil(*in.ProductIDs)
		c.ProductIDs = &shelf
	}
	if err := s.repo.UpdateLiveSession(ctx, id, c); err != nil {
		return Session{}, fmt.Errorf("room: update %s: %w", id, err)
	}
	updated, err := s.repo.LiveSession(ctx, id)
	if err == nil && c.ProductIDs != nil {
		s.emit(id, EventShelf, ShelfEvent{Products: updated.Products})
	}
	return updated, err
}

// Studio returns the operator's view with the stream key.
func (s *Service) Studio(ctx context.Context, a account.Actor, id string) (Studio, error) {
	ses, err := s.operated(ctx, a, id)
	if err != nil {
		return Studio{}, err
	}
	key, err := s.repo.LiveSessionStreamKey(ctx, id)
	if err != nil {
		return Studio{}, err
	}
	return s.studio(ses, key), nil
}

// RotateKey gives the session a new stream key. The old one is refused
// from now on and a live publisher using it is cut off; the session stays
// live for the reconnect grace, so the host can come back with the new
// key. Conflict once the session has ended.
func (s *Service) RotateKey(ctx context.Context, a account.Actor, id string) (Studio, error) {
	if _, err := s.operated(ctx, a, id); err != nil {
		return Studio{}, err
	}
	key := newStreamKey()
	if err := s.repo.RotateStreamKey(ctx, id, key, HashKey(key)); err != nil {
		return Studio{}, fmt.Errorf("room: rotate key of %s: %w", id, err)
	}
	s.media.Kick(id, "stream key rotated")
	ses, err := s.repo.LiveSession(ctx, id)
	if err != nil {
		return Studio{}, err
	}
	s.log.Info("stream key rotated", "room", id, "by", a.ID())
	return s.studio(ses, key), nil
}

// Health reports a session's stream health: zero counts when it is not
// live on this node. Public; NotFound for an unknown session.
func (s *Service) Health(ctx context.Context, id string) (media.Health, error) {
	if _, err := s.repo.LiveSession(ctx, id); err != nil {
		return media.Health{}, err
	}
	if h, ok := s.media.Health(id); ok {
		return h, nil
	}
	return media.Health{RoomID: id, Viewers: map[media.Protocol]int{}}, nil
}

func (s *Service) studio(ses Session, key string) Studio {
	st := Studio{Session: ses, StreamKey: key, RTMPServer: s.rtmp, WHIPURL: s.whip, Warnings: s.warned()}
	if s.rtmp != "" {
		st.RTMPURL = s.rtmp + "/" + key
	}
	if h, ok := s.media.Health(ses.ID); ok {
		st.Health = &h
	}
	if st.Warnings == nil {
		st.Warnings = []string{}
	}
	return st
}

// operated loads a session the actor may operate: the shop's owner or
// staff, the session's host, or an admin.
func (s *Service) operated(ctx context.Context, a account.Actor, id string) (Session, error) {
	if a.Anonymous() {
		return Session{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.repo.LiveSession(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if !CanOperate(a, ses) {
		return Session{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can do this")
	}
	return ses, nil
}

// CanOperate reports whether a may run the session: whoever operates its
// shop (catalog's rule) or its assigned host.
func CanOperate(a account.Actor, ses Session) bool {
	return catalog.CanOperate(a, ses.ShopID) || ses.hostedBy(a.ID())
}

func requireShopOperator(a account.Actor, shopID string) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	if !catalog.CanOperate(a, shopID) {
		return apperr.New(apperr.Forbidden, "you are not a member of shop %s", shopID)
	}
	return nil
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

type noMedia struct{}

func (noMedia) Kick(string, string)                {}
func (noMedia) Health(string) (media.Health, bool) { return media.Health{}, false }

type noRecordings struct{}

func (noRecordings) Position(string) (time.Duration, bool)          { return 0, false }
func (noRecordings) Finalise(context.Context, string) (bool, error) { return false, nil }

type noPublisher struct{}

func (noPublisher) Publish(string, any) {}
