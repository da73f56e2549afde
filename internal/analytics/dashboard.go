package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

// ViewersFresh is how recent a node's viewer report must be to count in
// the current viewers: nodes report every 10 s.
const ViewersFresh = 30 * time.Second

// RoomTotals are a session's stored totals (analytics_room_totals): every
// delta flushed so far, added up.
type RoomTotals struct {
	RoomDelta
	UpdatedAt time.Time // zero before the first flush
}

// ProductStats is one product's numbers in a session: clicks are product
// opens, orders the order lines placed, units and GMV what was paid.
type ProductStats struct {
	ProductID string `json:"product_id"`
	Title     string `json:"title"`
	Clicks    int64  `json:"clicks"`
	Orders    int64  `json:"orders"`
	Units     int64  `json:"units"`
	GMVMinor  int64  `json:"gmv_minor"`
}

// FunnelCounts is the room's funnel (internal/funnel, GET …/funnel):
// views, opens and buy clicks count distinct viewers; orders and GMV come
// from the order lines attributed to the room.
type FunnelCounts struct {
	Views        int64   `json:"views"`
	ProductOpens int64   `json:"product_opens"`
	BuyClicks    int64   `json:"buy_clicks"`
	Orders       int64   `json:"orders"`
	PaidOrders   int64   `json:"paid_orders"`
	PaidBuyers   int64   `json:"paid_buyers"`
	GMVMinor     int64   `json:"gmv_minor"`
	Currency     string  `json:"currency"`
	Conversion   float64 `json:"conversion"`
}

// Funnels counts a room's funnel (the funnel service, without its
// permission check: the dashboard has made it).
type Funnels interface {
	RoomFunnel(ctx context.Context, sessionID string) (FunnelCounts, error)
}

// Reader reads the roll-ups; *store.Store implements it.
type Reader interface {
	// RoomTotals returns zero totals for a session nothing was counted for.
	RoomTotals(ctx context.Context, sessionID string) (RoomTotals, error)
	// RoomProducts lists the session's products with their current
	// titles, best sellers first.
	RoomProducts(ctx context.Context, sessionID string) ([]ProductStats, error)
	// CurrentViewers sums the nodes' viewer reports made since since.
	CurrentViewers(ctx context.Context, sessionID string, since time.Time) (int, error)
}

// Dashboard is a live room's numbers for its operators (docs/DISCOVERY.md).
// UniqueViewers is the funnel's distinct viewers (every viewer's page
// reports a view once, signed in or by its anonymous id); when the funnel
// has none (clients that do not report), it is the signed-in viewers plus
// the anonymous views counted by the pipeline. Conversion is the paid
// orders' distinct buyers over UniqueViewers.
type Dashboard struct {
	SessionID      string         `json:"session_id"`
	Status         string         `json:"status"`
	CurrentViewers int            `json:"current_viewers"`
	PeakViewers    int            `json:"peak_viewers"`
	UniqueViewers  int64          `json:"unique_viewers"`
	Views          int64          `json:"views"`
	WatchSeconds   int64          `json:"watch_seconds"`
	WatchMinutes   int64          `json:"watch_minutes"`
	Likes          int64          `json:"likes"`
	NewFollowers   int64          `json:"new_followers"`
	ProductClicks  int64          `json:"product_clicks"`
	BuyClicks      int64          `json:"buy_clicks"`
	Orders         int64          `json:"orders"`
	PaidOrders     int64          `json:"paid_orders"`
	GMVMinor       int64          `json:"gmv_minor"`
	Currency       string         `json:"currency"`
	Conversion     float64        `json:"conversion"`
	Funnel         FunnelCounts   `json:"funnel"`
	Products       []ProductStats `json:"products"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// ServiceConfig gives a Service its dependencies; Reader and Sessions are
// required, Funnels may be nil (no funnel, unique viewers from the
// pipeline alone).
type ServiceConfig struct {
	Reader   Reader
	Sessions Sessions
	Funnels  Funnels
	Now      func() time.Time
}

// Service answers dashboards.
type Service struct {
	reader   Reader
	sessions Sessions
	funnels  Funnels
	now      func() time.Time
}

// NewService returns a dashboard service.
func NewService(c ServiceConfig) *Service {
	s := &Service{reader: c.Reader, sessions: c.Sessions, funnels: c.Funnels, now: c.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Dashboard is a session's dashboard for whoever may operate the room:
// the shop's team, the session's host or an admin. Returns Unauthorized,
// Forbidden or NotFound.
func (s *Service) Dashboard(ctx context.Context, a account.Actor, sessionID string) (Dashboard, error) {
	if a.Anonymous() {
		return Dashboard{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ses, err := s.sessions.AnalyticsSession(ctx, sessionID)
	if err != nil {
		return Dashboard{}, err
	}
	if !catalog.CanOperate(a, ses.ShopID) && (ses.HostID == "" || ses.HostID != a.ID()) {
		return Dashboard{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can see its dashboard")
	}
	return s.build(ctx, ses)
}

// RoomDashboard is Dashboard without the permission check, for the room's
// WebSocket, which sends it only to operators. Returns NotFound.
func (s *Service) RoomDashboard(ctx context.Context, sessionID string) (Dashboard, error) {
	ses, err := s.sessions.AnalyticsSession(ctx, sessionID)
	if err != nil {
		return Dashboard{}, err
	}
	return s.build(ctx, ses)
}

func (s *Service) build(ctx context.Context, ses SessionInfo) (Dashboard, error) {
	now := s.now()
	t, err := s.reader.RoomTotals(ctx, ses.ID)
	if err != nil {
		return Dashboard{}, fmt.Errorf("analytics: dashboard %s: %w", ses.ID, err)
	}
	products, err := s.reader.RoomProducts(ctx, ses.ID)
	if err != nil {
		return Dashboard{}, fmt.Errorf("analytics: dashboard %s: %w", ses.ID, err)
	}
	current, err := s.reader.CurrentViewers(ctx, ses.ID, now.Add(-ViewersFresh))
	if err != nil {
		return Dashboard{}, fmt.Errorf("analytics: dashboard %s: %w", ses.ID, err)
	}
	var f FunnelCounts
	if s.funnels != nil {
		if f, err = s.funnels.RoomFunnel(ctx, ses.ID); err != nil {
			return Dashboard{}, fmt.Errorf("analytics: dashboard %s: funnel: %w", ses.ID, err)
		}
	}
	if products == nil {
		products = []ProductStats{}
	}
	d := Dashboard{
		SessionID: ses.ID, Status: ses.Status, CurrentViewers: current, PeakViewers: max(ses.PeakViewers, current),
		Views: t.Views, WatchSeconds: t.WatchSeconds, WatchMinutes: t.WatchSeconds / 60, Likes: t.Likes,
		NewFollowers: t.NewFollowers, ProductClicks: t.ProductClicks, BuyClicks: t.BuyClicks, Orders: t.Orders,
		PaidOrders: t.PaidOrders, GMVMinor: t.GMVMinor, Currency: t.Currency, Funnel: f, Products: products,
		UpdatedAt: t.UpdatedAt,
	}
	d.UniqueViewers = uniqueViewers(f, t)
	d.Conversion = ratio(f.PaidBuyers, d.UniqueViewers)
	if d.Currency == "" {
		d.Currency = f.Currency
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = now.UTC()
	}
	return d, nil
}

// uniqueViewers prefers the funnel's distinct viewers; without them, the
// signed-in views plus the anonymous ones (a signed-in viewer who joins
// twice counts twice there).
func uniqueViewers(f FunnelCounts, t RoomTotals) int64 {
	if f.Views > 0 {
		return f.Views
	}
	return t.Views
}

// ratio is a/b rounded to four places, 0 when b is 0.
func ratio(a, b int64) float64 {
	if b <= 0 {
		return 0
	}
	return float64(int64(float64(a)/float64(b)*10000+0.5)) / 10000
}
