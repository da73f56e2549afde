package auction

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
)

// Room event types.
const (
	EventStarted = "auction.started"
	EventBid     = "auction.bid"
	EventEnded   = "auction.ended"
)

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	Get(ctx context.Context, id string) (room.Session, error)
}

// Awards makes the winner's order; *order.Service has it.
type Awards interface {
	PlaceAward(ctx context.Context, in order.AwardInput) (order.Order, error)
}

// Publisher sends room events (internal/bus implements it).
type Publisher interface {
	Publish(subject string, payload any)
}

// Config gives a Service its dependencies. Repo, Rooms and Awards are
// required; a nil Publisher publishes nothing.
type Config struct {
	Repo      Repo
	Rooms     Rooms
	Awards    Awards
	Publisher Publisher
	Now       func() time.Time
	Log       *slog.Logger
}

// Service runs auctions: every call checks who may make it.
//
// Lifecycle: NewService, then Run in a goroutine on every node to end
// auctions as they come due; stop it by cancelling its context.
type Service struct {
	repo   Repo
	rooms  Rooms
	awards Awards
	pub    Publisher
	now    func() time.Time
	log    *slog.Logger
}

// NewService returns an auction service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, rooms: c.Rooms, awards: c.Awards, pub: c.Publisher, now: c.Now, log: c.Log}
	if s.pub == nil {
		s.pub = noPublisher{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Create starts an auction of one unit of a SKU on the session's shelf,
// taking the unit from the SKU's stock. The caller must operate the
// session (room.CanOperate) and the session must be scheduled or live.
// Returns Invalid with the field for bad terms, Conflict (field sku_id)
// when the SKU is out of stock, Conflict when the session is over,
// Forbidden, Unauthorized or NotFound.
func (s *Service) Create(ctx context.Context, a account.Actor, sessionID string, in CreateInput) (Auction, error) {
	ses, err := s.operated(ctx, a, sessionID)
	if err != nil {
		return Auction{}, err
	}
	if ses.Status != room.Scheduled && ses.Status != room.Live {
		return Auction{}, apperr.New(apperr.Conflict, "the session is %s; auctions run only in scheduled or live sessions", ses.Status)
	}
	window, err := checkTerms(&in)
	if err != nil {
		return Auction{}, err
	}
	sku, err := s.shelfSKU(ctx, ses, in.SKUID)
	if err != nil {
		return Auction{}, err
	}
	now := s.now().UTC()
	r := Record{Auction: Auction{ID: ids.New("auc"), SessionID: ses.ID, ShopID: ses.ShopID, ProductID: sku.ProductID, SKUID: sku.ID,
		Title: sku.Title, Currency: sku.Currency, StartPriceMinor: in.StartPriceMinor, MinIncrementMinor: in.MinIncrementMinor,
		CurrentPriceMinor: in.StartPriceMinor, PaymentWindowSeconds: int(window / time.Second),
		EndsAt: now.Add(time.Duration(in.DurationSeconds) * time.Second), Status: Running, CreatedAt: now},
		CreatedBy: a.ID(), UpdatedAt: now}
	if err := s.repo.CreateAuction(ctx, r); err != nil {
		return Auction{}, fmt.Errorf("auction: create in %s: %w", ses.ID, err)
	}
	pub := r.Public()
	s.emit(ses.ID, EventStarted, pub)
	s.log.Info("auction started", "auction", r.ID, "room", ses.ID, "sku", sku.ID, "by", a.ID())
	return pub, nil
}

// checkTerms validates the terms and returns the payment window.
func checkTerms(in *CreateInput) (time.Duration, error) {
	in.SKUID = strings.TrimSpace(in.SKUID)
	switch {
	case in.SKUID == "":
		return 0, apperr.Field("sku_id", "sku_id is required")
	case in.StartPriceMinor < 1 || in.StartPriceMinor > MaxMinor:
		return 0, apperr.Field("start_price_minor", "start_price_minor must be from 1 to %d", MaxMinor)
	case in.MinIncrementMinor < 1 || in.MinIncrementMinor > MaxMinor:
		return 0, apperr.Field("min_increment_minor", "min_increment_minor must be from 1 to %d", MaxMinor)
	}
	d := time.Duration(in.DurationSeconds) * time.Second
	if d < MinDuration || d > MaxDuration {
		return 0, apperr.Field("duration_seconds", "duration_seconds must be from %d to %d", int(MinDuration/time.Second), int(MaxDuration/time.Second))
	}
	if in.PaymentWindowSeconds == 0 {
		return DefaultPaymentWindow, nil
	}
	w := time.Duration(in.PaymentWindowSeconds) * time.Second
	if w < MinPaymentWindow || w > MaxPaymentWindow {
		return 0, apperr.Field("payment_window_seconds", "payment_window_seconds must be from %d to %d",
			int(MinPaymentWindow/time.Second), int(MaxPaymentWindow/time.Second))
	}
	return w, nil
}

// shelfSKU loads a SKU whose product is on the session's shelf and sold.
func (s *Service) shelfSKU(ctx context.Context, ses room.Session, skuID string) (order.OrderableSKU, error) {
	skus, err := s.repo.SKUsForOrder(ctx, []string{skuID})
	if err != nil {
		return order.OrderableSKU{}, fmt.Errorf("auction: look up sku: %w", err)
	}
	sku, ok := skus[skuID]
	if !ok || sku.ShopID != ses.ShopID {
		return order.OrderableSKU{}, apperr.Field("sku_id", "SKU %s is not a SKU of this shop", skuID)
	}
	onShelf := false
	for _, it := range ses.Products {
		onShelf = onShelf || it.ProductID == sku.ProductID
	}
	if !onShelf {
		return order.OrderableSKU{}, apperr.Field("sku_id", "the product of SKU %s is not on this session's shelf", skuID)
	}
	if sku.ProductStatus != catalog.ProductActive {
		return order.OrderableSKU{}, apperr.Field("sku_id", "the product of SKU %s is %s", skuID, sku.ProductStatus)
	}
	return sku, nil
}

// Get returns an auction; auctions are public.
func (s *Service) Get(ctx context.Context, id string) (Auction, error) {
	r, err := s.repo.AuctionByID(ctx, id)
	if err != nil {
		return Auction{}, err
	}
	return r.Public(), nil
}

// List lists a session's auctions newest first; public. NotFound for an
// unknown session.
func (s *Service) List(ctx context.Context, sessionID, cursor string, limit int) ([]Auction, error) {
	if _, err := s.rooms.Get(ctx, sessionID); err != nil {
		return nil, err
	}
	rs, err := s.repo.ListAuctions(ctx, sessionID, cursor, limit)
	if err != nil {
		return nil, err
	}
	return publics(rs), nil
}

// Recent lists the session's running auctions and those that ended in
// the last RecentWindow, newest first: what a page joining the room shows.
func (s *Service) Recent(ctx context.Context, sessionID string) ([]Auction, error) {
	rs, err := s.repo.RecentAuctions(ctx, sessionID, s.now().Add(-RecentWindow))
	if err != nil {
		return nil, err
	}
	return publics(rs), nil
}

// Bids lists an auction's bids newest first as everyone may see them:
// bidder's name, time and the price each left; cursor is the seq of the
// last bid of the previous page (0 for the first page).
func (s *Service) Bids(ctx context.Context, auctionID string, cursor, limit int) ([]BidStep, error) {
	if _, err := s.repo.AuctionByID(ctx, auctionID); err != nil {
		return nil, err
	}
	return s.repo.ListAuctionBids(ctx, auctionID, cursor, limit)
}

func publics(rs []Record) []Auction {
	out := make([]Auction, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Public())
	}
	return out
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
		return room.Session{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can run auctions")
	}
	return ses, nil
}

// emit publishes an event on the room's events subject.
func (s *Service) emit(roomID, typ string, data any) {
	s.pub.Publish(room.EventsSubject(roomID), room.Event{Type: typ, TS: s.now().UnixMilli(), Data: data})
}

type noPublisher struct{}

func (noPublisher) Publish(string, any) {}
