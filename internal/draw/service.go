package draw

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
)

// Room event types of draws (docs/SELLING.md); the data is the Draw.
const (
	EventStarted = "draw.started"
	EventDrawn   = "draw.drawn"
)

// Config gives a Service its dependencies. Repo and Rooms are required;
// a nil Awards refuses claims, a nil Publisher publishes nothing, and a
// nil Follows lets anyone signed in enter a followers draw (its
// eligibility_note says so).
type Config struct {
	Repo      Repo
	Rooms     Rooms
	Awards    Awards
	Follows   Follows
	Publisher Publisher
	Now       func() time.Time
	Log       *slog.Logger
	// ClaimWindow is how long winners have to claim (DefaultClaimWindow).
	ClaimWindow time.Duration
}

// Service runs lucky draws: every call checks who may make it.
//
// Lifecycle: NewService, then Run on every node for as long as it serves
// (it draws due draws and returns unclaimed prizes; safe on many nodes).
type Service struct {
	repo   Repo
	rooms  Rooms
	awards Awards
	follow Follows
	pub    Publisher
	now    func() time.Time
	log    *slog.Logger
	window time.Duration
}

// NewService returns a draw service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, rooms: c.Rooms, awards: c.Awards, follow: c.Follows, pub: c.Publisher, now: c.Now, log: c.Log, window: c.ClaimWindow}
	if s.pub == nil {
		s.pub = noPublisher{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.window <= 0 {
		s.window = DefaultClaimWindow
	}
	return s
}

// Create puts up a draw in a scheduled or live session; the caller must
// operate the session. The prize is a SKU of a product on the session's
// shelf; WinnerCount × Quantity units leave its stock now. Returns
// Invalid (with the field) for bad input, Conflict for a session that has
// ended or (field quantity) too little stock, Unauthorized, Forbidden or
// NotFound. Publishes draw.started.
func (s *Service) Create(ctx context.Context, a account.Actor, sessionID string, in CreateInput) (Draw, error) {
	ses, err := s.operated(ctx, a, sessionID)
	if err != nil {
		return Draw{}, err
	}
	if ses.Status != room.Scheduled && ses.Status != room.Live {
		return Draw{}, apperr.New(apperr.Conflict, "the session is %s; draws can be held only before or during it", ses.Status)
	}
	if err := in.normalise(); err != nil {
		return Draw{}, err
	}
	skus, err := s.repo.SKUsForOrder(ctx, []string{in.SKUID})
	if err != nil {
		return Draw{}, fmt.Errorf("draw: look up SKU %s: %w", in.SKUID, err)
	}
	sku, ok := skus[in.SKUID]
	if !ok || sku.ShopID != ses.ShopID || !onShelf(ses, sku.ProductID) {
		return Draw{}, apperr.Field("sku_id", "SKU %s is not a product on this session's shelf", in.SKUID)
	}
	if sku.ProductStatus != catalog.ProductActive {
		return Draw{}, apperr.Field("sku_id", "product %s is %s", sku.ProductID, sku.ProductStatus)
	}
	need := in.Winners * in.Quantity
	if need > sku.Stock {
		return Draw{}, &apperr.Error{Code: apperr.Conflict, Field: "quantity",
			Message: fmt.Sprintf("the draw needs %d units of %s (%d winners × %d) but only %d are in stock", need, sku.Code, in.Winners, in.Quantity, sku.Stock)}
	}
	seed, err := newSeed()
	if err != nil {
		return Draw{}, err
	}
	commitment, err := Commitment(seed)
	if err != nil {
		return Draw{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	d := Draw{ID: ids.New("drw"), SessionID: ses.ID, ShopID: ses.ShopID, ProductID: sku.ProductID, SKUID: sku.ID,
		ProductTitle: sku.Title, Title: in.Title, Quantity: in.Quantity, WinnerCount: in.Winners, Eligibility: in.Eligibility,
		Keyword: in.Keyword, Commitment: commitment, Seed: seed, Status: Open,
		EndsAt: now.Add(time.Duration(in.CountdownSeconds) * time.Second), CreatedBy: a.ID(), CreatedAt: now}
	if err := s.repo.CreateDraw(ctx, d); err != nil {
		return Draw{}, fmt.Errorf("draw: create in %s: %w", ses.ID, err)
	}
	pub := d.public(s.follow != nil)
	s.emit(ses.ID, EventStarted, pub)
	s.log.Info("draw started", "draw", d.ID, "room", ses.ID, "sku", sku.ID, "winners", d.WinnerCount, "by", a.ID())
	return pub, nil
}

func onShelf(ses room.Session, productID string) bool {
	return slices.ContainsFunc(ses.Products, func(it room.ShelfItem) bool { return it.ProductID == productID })
}

// Get returns a draw; draws are public (the seed only once drawn).
func (s *Service) Get(ctx context.Context, id string) (Draw, error) {
	d, err := s.repo.Draw(ctx, id)
	if err != nil {
		return Draw{}, err
	}
	return d.public(s.follow != nil), nil
}

// List lists a session's draws newest first; public. NotFound for an
// unknown session.
func (s *Service) List(ctx context.Context, sessionID, cursor string, limit int) ([]Draw, error) {
	if _, err := s.rooms.Get(ctx, sessionID); err != nil {
		return nil, err
	}
	ds, err := s.repo.ListDraws(ctx, sessionID, cursor, limit)
	if err != nil {
		return nil, err
	}
	return publicAll(ds, s.follow != nil), nil
}

// Recent lists what a page joining the room needs: the session's open
// draws and those drawn in the last RecentWindow.
func (s *Service) Recent(ctx context.Context, sessionID string) ([]Draw, error) {
	ds, err := s.repo.RecentDraws(ctx, sessionID, s.now().Add(-RecentWindow))
	if err != nil {
		return nil, err
	}
	return publicAll(ds, s.follow != nil), nil
}

func publicAll(ds []Draw, followsChecked bool) []Draw {
	out := make([]Draw, len(ds))
	for i, d := range ds {
		out[i] = d.public(followsChecked)
	}
	return out
}

// Enter enters the signed-in actor in an open draw before its deadline.
// Entering again changes nothing and returns the first entry with
// created=false. Returns Conflict when the draw is closed (field draw) or
// the actor does not meet its condition (field eligibility, the message
// saying why), Unauthorized or NotFound.
func (s *Service) Enter(ctx context.Context, a account.Actor, id string) (Entry, bool, error) {
	if a.Anonymous() {
		return Entry{}, false, apperr.New(apperr.Unauthorized, "sign in first")
	}
	d, err := s.repo.Draw(ctx, id)
	if err != nil {
		return Entry{}, false, err
	}
	if e, err := s.repo.DrawEntry(ctx, id, a.ID()); err == nil {
		return e, false, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return Entry{}, false, err
	}
	now := s.now().UTC()
	if d.Status != Open || !now.Before(d.EndsAt) {
		return Entry{}, false, errClosed
	}
	if err := s.eligible(ctx, a, d); err != nil {
		return Entry{}, false, err
	}
	e, created, err := s.repo.AddDrawEntry(ctx, Entry{DrawID: id, UserID: a.ID(), CreatedAt: now})
	if err != nil {
		return Entry{}, false, fmt.Errorf("draw: enter %s: %w", id, err)
	}
	return e, created, nil
}

// errClosed refuses entries once a draw is drawn or past its deadline.
var errClosed = &apperr.Error{Code: apperr.Conflict, Field: "draw", Message: "the draw has closed"}

// eligible checks the actor meets the draw's condition.
func (s *Service) eligible(ctx context.Context, a account.Actor, d Draw) error {
	refuse := func(format string, args ...any) error {
		return &apperr.Error{Code: apperr.Conflict, Field: "eligibility", Message: fmt.Sprintf(format, args...)}
	}
	switch d.Eligibility {
	case Keyword:
		ok, err := s.repo.PostedInRoom(ctx, d.SessionID, a.ID(), d.Keyword)
		if err != nil {
			return fmt.Errorf("draw: check keyword of %s: %w", d.ID, err)
		}
		if !ok {
			return refuse("this draw is for viewers who posted %q in the chat: post it, then enter", d.Keyword)
		}
	case Buyers:
		ok, err := s.repo.BoughtInRoom(ctx, d.SessionID, a.ID())
		if err != nil {
			return fmt.Errorf("draw: check purchases for %s: %w", d.ID, err)
		}
		if !ok {
			return refuse("this draw is for buyers: order something in this live room, then enter")
		}
	case Followers:
		if s.follow == nil {
			return nil // anyone signed in, as the draw's eligibility_note says
		}
		ses, err := s.rooms.Get(ctx, d.SessionID)
		if err != nil {
			return fmt.Errorf("draw: check follows for %s: %w", d.ID, err)
		}
		host := ""
		if ses.HostID != nil {
			host = *ses.HostID
		}
		ok, err := s.follow.FollowsHostOrShop(ctx, a.ID(), host, ses.ShopID)
		if err != nil {
			return fmt.Errorf("draw: check follows for %s: %w", d.ID, err)
		}
		if !ok {
			return refuse("this draw is for followers: follow the host or the shop, then enter")
		}
	}
	return nil
}

// DrawNow draws an open draw before its deadline; the caller must operate
// its session. When another node drew it a moment earlier, that result is
// returned. Conflict when it is no longer open.
func (s *Service) DrawNow(ctx context.Context, a account.Actor, id string) (Draw, error) {
	d, err := s.repo.Draw(ctx, id)
	if err != nil {
		return Draw{}, err
	}
	if _, err := s.operated(ctx, a, d.SessionID); err != nil {
		return Draw{}, err
	}
	if d.Status != Open {
		return Draw{}, apperr.New(apperr.Conflict, "the draw is already %s", d.Status)
	}
	if _, err := s.finish(ctx, d); err != nil {
		return Draw{}, err
	}
	return s.Get(ctx, id)
}

// finish draws d unless another caller already has; it publishes
// draw.drawn when this call drew it.
func (s *Service) finish(ctx context.Context, d Draw) (bool, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	ok, err := s.repo.FinishDraw(ctx, Finish{DrawID: d.ID, At: now, ClaimUntil: now.Add(s.window),
		Pick: func(entrants []string) ([]string, error) { return Pick(d.Seed, d.ID, entrants, d.WinnerCount) }})
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("draw: finish %s: %w", d.ID, err)
		}
		return false, err
	}
	// The draw is drawn now: announcing it must not depend on the caller
	// still waiting, or a runner stopped at this moment leaves the room
	// without its result.
	got, err := s.repo.Draw(context.WithoutCancel(ctx), d.ID)
	if err != nil {
		return true, fmt.Errorf("draw: reload %s: %w", d.ID, err)
	}
	s.emit(got.SessionID, EventDrawn, got.public(s.follow != nil))
	s.log.Info("draw drawn", "draw", d.ID, "room", d.SessionID, "entrants", got.Entrants, "winners", len(got.Winners))
	return true, nil
}

// Proof returns what anyone needs to verify a drawn draw (Verify).
// Conflict (field draw) before it is drawn.
func (s *Service) Proof(ctx context.Context, id string) (Proof, error) {
	d, err := s.repo.Draw(ctx, id)
	if err != nil {
		return Proof{}, err
	}
	if d.Status != Drawn {
		return Proof{}, &apperr.Error{Code: apperr.Conflict, Field: "draw", Message: "the proof is published once the draw is drawn"}
	}
	entrants, err := s.repo.DrawEntrants(ctx, id)
	if err != nil {
		return Proof{}, fmt.Errorf("draw: proof of %s: %w", id, err)
	}
	slices.Sort(entrants)
	p := Proof{DrawID: d.ID, Commitment: d.Commitment, Seed: d.Seed, WinnerCount: d.WinnerCount,
		Entrants: entrants, Winners: make([]string, 0, len(d.Winners))}
	if p.Entrants == nil {
		p.Entrants = []string{}
	}
	for _, w := range d.Winners {
		p.Winners = append(p.Winners, w.UserID)
	}
	return p, nil
}

// operated loads a session the actor may operate.
func (s *Service) operated(ctx context.Context, a account.Actor, sessionID string) (room.Session, error) {
	if a.Anonymous() {
		return room.Session{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return room.Session{}, err
	}
	if !room.CanOperate(a, ses) {
		return room.Session{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can do this")
	}
	return ses, nil
}

// emit publishes an event of type typ on the room's events subject.
func (s *Service) emit(roomID, typ string, data any) {
	s.pub.Publish(room.EventsSubject(roomID), room.Event{Type: typ, TS: s.now().UnixMilli(), Data: data})
}

type noPublisher struct{}

func (noPublisher) Publish(string, any) {}
