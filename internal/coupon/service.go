package coupon

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
)

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	Get(ctx context.Context, id string) (room.Session, error)
}

// Config gives a Service its dependencies. Repo and Rooms are required;
// a nil Publisher publishes nothing and a nil Now is time.Now.
type Config struct {
	Repo      Repo
	Rooms     Rooms
	Publisher Publisher
	Now       func() time.Time
}

// Service runs coupons: every call checks who may make it.
//
// Lifecycle: NewService, use, then Close, which sends the coupon.stock
// events still waiting for their interval.
type Service struct {
	repo  Repo
	rooms Rooms
	pub   Publisher
	now   func() time.Time
	stock *stockThrottle
}

// NewService returns a coupon service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, rooms: c.Rooms, pub: c.Publisher, now: c.Now}
	if s.pub == nil {
		s.pub = noPublisher{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.stock = newStockThrottle(func(roomID string, ev Stock) { s.emit(roomID, EventStock, ev) })
	return s
}

// Close sends pending stock events; later ones go out unthrottled.
func (s *Service) Close() { s.stock.close() }

// Create adds a coupon to a shop; the caller must operate the shop.
// Returns Invalid naming the field, Unauthorized or Forbidden.
func (s *Service) Create(ctx context.Context, a account.Actor, shopID string, in NewCoupon) (Coupon, error) {
	if err := requireShopOperator(a, shopID); err != nil {
		return Coupon{}, err
	}
	now := s.now()
	c, err := build(in, now)
	if err != nil {
		return Coupon{}, err
	}
	c.ID, c.ShopID, c.CreatedAt = ids.New("cpn"), shopID, now.UTC().Truncate(time.Millisecond)
	if err := s.repo.CreateCoupon(ctx, c); err != nil {
		return Coupon{}, fmt.Errorf("coupon: create in %s: %w", shopID, err)
	}
	return c, nil
}

// ListShop lists a shop's coupons newest first, for its operators.
func (s *Service) ListShop(ctx context.Context, a account.Actor, shopID, cursor string, limit int) ([]Coupon, error) {
	if err := requireShopOperator(a, shopID); err != nil {
		return nil, err
	}
	return s.repo.ListShopCoupons(ctx, shopID, cursor, limit)
}

// Drop drops a shop's coupon into a live session and publishes
// coupon.dropped: viewers may claim it for grabSeconds (10–600), or until
// it expires if sooner. The caller must operate the session (room's
// rule). NotFound for a coupon of another shop; Conflict when the session
// has ended, the coupon expired or is all claimed, its grab window is
// still open, or it was dropped in another session.
func (s *Service) Drop(ctx context.Context, a account.Actor, sessionID, couponID string, grabSeconds int) (Coupon, error) {
	if a.Anonymous() {
		return Coupon{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return Coupon{}, err
	}
	if !room.CanOperate(a, ses) {
		return Coupon{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can do this")
	}
	if err := checkGrabSeconds(grabSeconds); err != nil {
		return Coupon{}, err
	}
	c, err := s.repo.CouponByID(ctx, couponID)
	if err != nil {
		return Coupon{}, err
	}
	if c.ShopID != ses.ShopID {
		return Coupon{}, apperr.New(apperr.NotFound, "coupon not found")
	}
	now := s.now()
	switch {
	case ses.Status != room.Scheduled && ses.Status != room.Live:
		return Coupon{}, apperr.New(apperr.Conflict, "the session is %s; coupons can be dropped while it is scheduled or live", ses.Status)
	case !now.Before(c.ValidUntil):
		return Coupon{}, apperr.New(apperr.Conflict, "the coupon expired at %s", c.ValidUntil.Format(time.RFC3339))
	case c.Claimed >= c.TotalLimit:
		return Coupon{}, apperr.New(apperr.Conflict, "all claimed")
	}
	if err := dropConflict(c, sessionID, now); err != nil {
		return Coupon{}, err
	}
	ends := now.Add(time.Duration(grabSeconds) * time.Second)
	if ends.After(c.ValidUntil) {
		ends = c.ValidUntil
	}
	c, err = s.repo.DropCoupon(ctx, Drop{CouponID: couponID, SessionID: sessionID, GrabEndsAt: ends.UTC().Truncate(time.Millisecond), At: now})
	if errors.Is(err, ErrNotDroppable) {
		return Coupon{}, apperr.New(apperr.Conflict, "the coupon was dropped at the same moment elsewhere; reload it")
	}
	if err != nil {
		return Coupon{}, fmt.Errorf("coupon: drop %s: %w", couponID, err)
	}
	s.emit(sessionID, EventDropped, c)
	return c, nil
}

// dropConflict explains why a dropped coupon cannot be dropped again.
func dropConflict(c Coupon, sessionID string, now time.Time) error {
	if c.Status != Dropped {
		return nil
	}
	if c.SessionID == nil || *c.SessionID != sessionID {
		return apperr.New(apperr.Conflict, "the coupon was dropped in another live session")
	}
	if c.GrabEndsAt != nil && now.Before(*c.GrabEndsAt) {
		return apperr.New(apperr.Conflict, "the coupon is being grabbed until %s", c.GrabEndsAt.Format(time.RFC3339))
	}
	return nil
}

// Dropped lists the session's coupons whose grab window is open, oldest
// first (all-claimed ones included: the room shows them gone). Public.
func (s *Service) Dropped(ctx context.Context, sessionID string) ([]Coupon, error) {
	return s.repo.DroppedCoupons(ctx, sessionID, s.now())
}

// Claim claims a dropped coupon for a signed-in viewer and publishes
// coupon.stock (throttled) and, for the last one, coupon.gone. Conflict
// (field coupon) when it was not dropped, its grab window closed, it
// expired or is all claimed; Conflict when the viewer holds
// per_user_limit claims already. NotFound for an unknown coupon.
func (s *Service) Claim(ctx context.Context, a account.Actor, couponID string) (Claim, error) {
	if a.Anonymous() {
		return Claim{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	c, err := s.repo.CouponByID(ctx, couponID)
	if err != nil {
		return Claim{}, err
	}
	now := s.now()
	// Checked here for the words; the store checks them again atomically.
	if err := grabConflict(c, now); err != nil {
		return Claim{}, err
	}
	cl, err := s.repo.ClaimCoupon(ctx, NewClaim{ID: ids.New("ccl"), CouponID: couponID, UserID: a.ID(), At: now})
	switch {
	case errors.Is(err, ErrAllClaimed):
		return Claim{}, conflict("all claimed")
	case errors.Is(err, ErrNotGrabbable):
		return Claim{}, conflict("the grab window closed")
	case errors.Is(err, ErrUserLimit):
		return Claim{}, &apperr.Error{Code: apperr.Conflict, Field: "coupon",
			Message: fmt.Sprintf("limit reached: at most %d per buyer", c.PerUserLimit)}
	case err != nil:
		return Claim{}, fmt.Errorf("coupon: claim %s: %w", couponID, err)
	}
	got := cl.Coupon
	if got.SessionID != nil {
		s.stock.update(*got.SessionID, Stock{ID: got.ID, Claimed: got.Claimed, TotalLimit: got.TotalLimit})
		if got.Claimed >= got.TotalLimit {
			s.emit(*got.SessionID, EventGone, Gone{ID: got.ID})
		}
	}
	return cl, nil
}

// grabConflict explains why c cannot be claimed at now, or returns nil.
func grabConflict(c Coupon, now time.Time) error {
	switch {
	case c.Status != Dropped || c.GrabEndsAt == nil:
		return conflict("not dropped: the coupon has not been dropped in a live room yet")
	case !now.Before(*c.GrabEndsAt):
		return conflict("the grab window closed")
	case !now.Before(c.ValidUntil):
		return conflict("the coupon expired at %s", c.ValidUntil.Format(time.RFC3339))
	case c.Claimed >= c.TotalLimit:
		return conflict("all claimed")
	}
	return nil
}

func conflict(format string, args ...any) error {
	return &apperr.Error{Code: apperr.Conflict, Field: "coupon", Message: fmt.Sprintf(format, args...)}
}

// MyClaims lists the caller's claims, of one shop when shopID is set:
// usable ones first (not used, not expired), then the rest, newest first
// within each. cursor is a previous page's next; next is "" on the last
// page.
func (s *Service) MyClaims(ctx context.Context, a account.Actor, shopID, cursor string, limit int) (claims []Claim, next string, err error) {
	if a.Anonymous() {
		return nil, "", apperr.New(apperr.Unauthorized, "sign in first")
	}
	now := s.now()
	f := ClaimFilter{UserID: a.ID(), ShopID: strings.TrimSpace(shopID), Now: now, Limit: limit}
	if cursor != "" {
		usable, id, ok := strings.Cut(cursor, ".")
		if !ok || (usable != "0" && usable != "1") || id == "" {
			return nil, "", apperr.Field("cursor", "cursor is not valid")
		}
		f.AfterID, f.AfterUsable = id, usable == "1"
	}
	claims, err = s.repo.ListClaims(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("coupon: claims of %s: %w", a.ID(), err)
	}
	if limit > 0 && len(claims) == limit {
		last := claims[len(claims)-1]
		next = strconv.Itoa(b2i(last.Usable(now))) + "." + last.ID
	}
	return claims, next, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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

type noPublisher struct{}

func (noPublisher) Publish(string, any) {}
