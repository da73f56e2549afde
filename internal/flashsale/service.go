package flashsale

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
)

// Rooms loads live sessions (*room.Service).
type Rooms interface {
	Get(ctx context.Context, id string) (room.Session, error)
}

// SKU is what a sale needs of the SKU it sells.
type SKU struct {
	ID         string
	ProductID  string
	ShopID     string
	Title      string
	PriceMinor int64
	Currency   string
	Stock      int
	Active     bool // product active and shop approved
}

// SKUs looks SKUs up (internal/store).
type SKUs interface {
	// SaleSKU returns a SKU with its product's title; NotFound when none.
	SaleSKU(ctx context.Context, skuID string) (SKU, error)
}

// Config gives a Service its dependencies. Cluster may be nil for a single
// node (in-process leases, no forwarding).
type Config struct {
	Repo      Repo
	SKUs      SKUs
	Rooms     Rooms
	Cluster   Cluster
	Publisher Publisher
	// Node names this node in leases (host:pid or the like).
	Node string
	Log  *slog.Logger
	Now  func() time.Time
}

// Service runs flash sales.
//
// Lifecycle: NewService, then Run in a goroutine (it takes ownership of
// sales, renews leases and stops engines whose lease is lost), Close at
// shutdown (engines stop, leases are released, queued buyers are told to
// retry so another node can answer them).
type Service struct {
	repo    Repo
	skus    SKUs
	rooms   Rooms
	cluster Cluster
	pub     Publisher
	node    string
	log     *slog.Logger
	now     func() time.Time
	owners  *owners
}

// NewService returns a flash-sale service.
func NewService(c Config) *Service {
	s := &Service{repo: c.Repo, skus: c.SKUs, rooms: c.Rooms, cluster: c.Cluster, pub: c.Publisher, node: c.Node, log: c.Log, now: c.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.pub == nil {
		s.pub = noPublisher{}
	}
	if s.cluster == nil {
		s.cluster = newSoloCluster()
	}
	if s.node == "" {
		s.node = ids.New("node")
	}
	s.owners = newOwners(s)
	return s
}

type noPublisher struct{}

func (noPublisher) Publish(string, any) {}

// Create starts a flash sale in a live session: the countdown starts now.
// Forbidden unless the actor operates the session; Invalid naming the
// field for bad numbers, a SKU off the shelf, or a price not below the
// SKU's; Conflict when the session is over or the SKU has too little stock.
func (s *Service) Create(ctx context.Context, a account.Actor, sessionID string, in CreateInput) (Sale, error) {
	if a.Anonymous() {
		return Sale{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.rooms.Get(ctx, sessionID)
	if err != nil {
		return Sale{}, err
	}
	if !room.CanOperate(a, ses) {
		return Sale{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can run flash sales")
	}
	if ses.Status != room.Scheduled && ses.Status != room.Live {
		return Sale{}, apperr.New(apperr.Conflict, "the session is %s; flash sales run only before or during the live", ses.Status)
	}
	if err := in.Validate(); err != nil {
		return Sale{}, err
	}
	sku, err := s.skus.SaleSKU(ctx, in.SKUID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (sku.ShopID != ses.ShopID || !sku.Active)) {
		return Sale{}, apperr.Field("sku_id", "unknown SKU %q", in.SKUID)
	}
	if err != nil {
		return Sale{}, err
	}
	onShelf := false
	for _, it := range ses.Products {
		onShelf = onShelf || it.ProductID == sku.ProductID
	}
	if !onShelf {
		return Sale{}, apperr.Field("sku_id", "put the product on the session's shelf first")
	}
	if in.PriceMinor >= sku.PriceMinor {
		return Sale{}, apperr.Field("price_minor", "the sale price must be below the usual price of %d", sku.PriceMinor)
	}
	if in.Stock > sku.Stock {
		return Sale{}, &apperr.Error{Code: apperr.Conflict, Field: "stock", Message: fmt.Sprintf("the SKU has only %d in stock", sku.Stock)}
	}
	now := s.now().UTC()
	starts := now.Add(time.Duration(in.CountdownSeconds) * time.Second)
	sale := Sale{ID: ids.New("fls"), SessionID: ses.ID, ShopID: ses.ShopID, ProductID: sku.ProductID, SKUID: sku.ID,
		Title: sku.Title, PriceMinor: in.PriceMinor, OriginalPriceMinor: sku.PriceMinor, Currency: sku.Currency,
		Stock: in.Stock, Remaining: in.Stock, PerUserLimit: in.PerUserLimit, StartsAt: starts,
		EndsAt: starts.Add(time.Duration(in.DurationSeconds) * time.Second), PaymentWindowSeconds: in.PaymentWindowSeconds,
		Status: Scheduled, CreatedBy: a.ID(), CreatedAt: now}
	if err := s.repo.CreateSale(ctx, sale); err != nil {
		return Sale{}, fmt.Errorf("flashsale: create in %s: %w", sessionID, err)
	}
	s.pub.Publish(room.EventsSubject(ses.ID), room.Event{Type: EventScheduled, TS: now.UnixMilli(), Data: sale})
	// Serve it from here at once rather than at the next ownership sweep.
	s.owners.claim(ctx, sale)
	return sale, nil
}

// Get returns a sale with its live remaining count when its engine runs
// on this node. NotFound when there is none.
func (s *Service) Get(ctx context.Context, id string) (Sale, error) {
	if sale, ok := s.owners.latest(id); ok {
		return sale, nil
	}
	sale, err := s.repo.Sale(ctx, id)
	if err != nil {
		return Sale{}, err
	}
	return public(sale), nil
}

// public fills Remaining from the stored count.
func public(s Sale) Sale {
	s.Remaining = s.Stock - s.Sold
	if s.Status != Scheduled && s.Status != Running {
		s.Remaining = 0
	}
	return s
}

// SessionSales lists a session's sales, newest first.
func (s *Service) SessionSales(ctx context.Context, sessionID string) ([]Sale, error) {
	sales, err := s.repo.SessionSales(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	for i, sale := range sales {
		if live, ok := s.owners.latest(sale.ID); ok {
			sales[i] = live
		} else {
			sales[i] = public(sale)
		}
	}
	return sales, nil
}

// Reserve holds stock of a sale for the actor. A retry with the same key
// returns the first reservation and replayed=true. Refusals (not started,
// ended, sold out, above the limit, key reused for another quantity) are
// Conflict errors naming the field; stock is untouched by them.
func (s *Service) Reserve(ctx context.Context, a account.Actor, saleID string, in ReserveInput) (Reservation, bool, error) {
	if a.Anonymous() {
		return Reservation{}, false, apperr.New(apperr.Unauthorized, "sign in to buy")
	}
	in.UserID, in.Name = a.ID(), a.User.DisplayName
	if err := in.Validate(); err != nil {
		return Reservation{}, false, err
	}
	return s.owners.reserve(ctx, saleID, in)
}

// End stops a sale now (before its countdown is over, nothing is sold and
// all its stock goes back to the SKU). Forbidden unless the actor operates the sale's session.
func (s *Service) End(ctx context.Context, a account.Actor, saleID string) (Sale, error) {
	sale, err := s.repo.Sale(ctx, saleID)
	if err != nil {
		return Sale{}, err
	}
	ses, err := s.rooms.Get(ctx, sale.SessionID)
	if err != nil {
		return Sale{}, err
	}
	if !room.CanOperate(a, ses) {
		return Sale{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can end a flash sale")
	}
	if err := s.owners.end(ctx, saleID); err != nil {
		return Sale{}, err
	}
	return s.Get(ctx, saleID)
}

// MyReservations lists the actor's reservations in a sale.
func (s *Service) MyReservations(ctx context.Context, a account.Actor, saleID string) ([]Reservation, error) {
	if a.Anonymous() {
		return nil, apperr.New(apperr.Unauthorized, "sign in first")
	}
	// The engine knows its buyers; the database is asked by primary key.
	// Without an engine (the sale is over) the sale's rows are scanned.
	if ids, known := s.owners.mine(ctx, saleID, a.ID()); known {
		return s.repo.ReservationsByID(ctx, ids)
	}
	return s.repo.UserReservations(ctx, saleID, a.ID())
}

// Run keeps this node's share of sales served until ctx ends: it takes
// over sales nobody serves and renews the leases of those it serves.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	s.owners.run(ctx, every)
}

// Close stops this node's engines and releases their leases.
func (s *Service) Close() { s.owners.close() }
