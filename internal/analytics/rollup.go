package analytics

import "time"

// The roll-ups one flush adds to storage (docs/DISCOVERY.md). Every number
// is a delta added to what is stored, except ViewerReport, which replaces
// the node's last report when it is newer.

// RoomDelta is what a flush adds to a session's totals.
type RoomDelta struct {
	SessionID       string
	Views           int64
	ViewersSignedIn int64
	Likes           int64
	WatchSeconds    int64
	ProductClicks   int64
	BuyClicks       int64
	NewFollowers    int64
	Orders          int64
	PaidOrders      int64
	GMVMinor        int64
	Currency        string // of the paid orders; "" keeps what is stored
}

// ProductDelta is what a flush adds to one product of a session: Clicks
// are product opens, Orders order lines placed, Units and GMVMinor what
// was paid.
type ProductDelta struct {
	SessionID string
	ProductID string
	Clicks    int64
	Orders    int64
	Units     int64
	GMVMinor  int64
}

// ViewerReport is a node's current viewers in a session.
type ViewerReport struct {
	SessionID string
	Node      string
	Viewers   int
	At        time.Time
}

// Daily metrics (analytics_daily.metric).
const (
	MetricViews           = "views"
	MetricWatchSeconds    = "watch_seconds"
	MetricLikes           = "likes"
	MetricProductClicks   = "product_clicks"
	MetricBuyClicks       = "buy_clicks"
	MetricFollows         = "follows"
	MetricOrders          = "orders"
	MetricPaidOrders      = "paid_orders"
	MetricGMVMinor        = "gmv_minor"
	MetricSessionsStarted = "sessions_started"
)

// DailyDelta adds Value to one day's metric under a dimension: "" for the
// platform, a channel code, or a shop id.
type DailyDelta struct {
	Day    int64 // whole UTC days since the epoch
	Metric string
	Dim    string
	Value  int64
}

// DailyUser is a user active on a day.
type DailyUser struct {
	Day    int64
	UserID string
}

// CategoryDelta adds to what a user watched (views) and bought (paid
// orders) in a shop category.
type CategoryDelta struct {
	UserID   string
	Category string
	Views    int64
	Orders   int64
}

// Flush is everything one flush writes, in one transaction.
type Flush struct {
	BatchIDs   []string
	Rooms      []RoomDelta
	Products   []ProductDelta
	Viewers    []ViewerReport
	Daily      []DailyDelta
	Users      []DailyUser
	Categories []CategoryDelta
	At         time.Time
}

// Day is t's whole UTC days since the epoch, as storage keeps days.
func Day(t time.Time) int64 {
	ms := t.UnixMilli()
	if ms < 0 {
		return (ms - 86_400_000 + 1) / 86_400_000
	}
	return ms / 86_400_000
}
