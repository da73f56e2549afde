// Package report builds the read-only reports of docs/DISCOVERY.md: one
// live session, a host's earnings, a shop's sales, an MCN's roster and
// the platform. Money comes from paid order lines (orders paid, shipped,
// delivered or completed; refunded and cancelled ones never count);
// audience figures come from the analytics roll-ups. Every daily series
// has one row per UTC day of the range, zeros included, so charts and
// CSV files have no gaps.
package report

import "time"

// SessionReport is one live session, final: the room dashboard's totals
// and per-product sales.
type SessionReport struct {
	SessionID string     `json:"session_id"`
	Title     string     `json:"title"`
	ShopID    string     `json:"shop_id"`
	HostID    string     `json:"host_id,omitempty"`
	Status    string     `json:"status"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	Currency  string     `json:"currency"`

	// Audience, from the analytics pipeline.
	Views           int64 `json:"views"`
	ViewersSignedIn int64 `json:"viewers_signed_in"`
	PeakViewers     int64 `json:"peak_viewers"`
	WatchMinutes    int64 `json:"watch_minutes"`
	Likes           int64 `json:"likes"`
	NewFollowers    int64 `json:"new_followers"`
	ProductClicks   int64 `json:"product_clicks"`
	BuyClicks       int64 `json:"buy_clicks"`
	OrdersPlaced    int64 `json:"orders_placed"`

	// Money, from the paid order lines attributed to the room.
	PaidOrders          int64 `json:"paid_orders"`
	PaidBuyers          int64 `json:"paid_buyers"`
	Units               int64 `json:"units"`
	GMVMinor            int64 `json:"gmv_minor"`
	PlatformFeeMinor    int64 `json:"platform_fee_minor"`
	HostCommissionMinor int64 `json:"host_commission_minor"`
	MCNShareMinor       int64 `json:"mcn_share_minor"`
	MerchantNetMinor    int64 `json:"merchant_net_minor"`
	// Conversion is paid buyers per view (0 without views).
	Conversion float64 `json:"conversion"`

	Products []SessionProduct `json:"products"`
}

// SessionProduct is one product's part of a session: clicks from the
// analytics pipeline, sales from paid order lines.
type SessionProduct struct {
	ProductID  string `json:"product_id"`
	Title      string `json:"title"`
	Clicks     int64  `json:"clicks"`
	PaidOrders int64  `json:"paid_orders"`
	Units      int64  `json:"units"`
	GMVMinor   int64  `json:"gmv_minor"`
}

// HostDay is one UTC day of a host's work. Sessions and Views count the
// sessions the host started that day; the money counts lines paid that
// day. CommissionMinor is what the host keeps (the line's
// host_commission_minor, already net of the agency's share, which is
// MCNShareMinor).
type HostDay struct {
	Day             string `json:"day,omitempty"`
	Sessions        int64  `json:"sessions"`
	Views           int64  `json:"views"`
	Orders          int64  `json:"orders"`
	GMVMinor        int64  `json:"gmv_minor"`
	CommissionMinor int64  `json:"commission_minor"`
	MCNShareMinor   int64  `json:"mcn_share_minor"`
}

// HostReport is a host's earnings over a range.
type HostReport struct {
	HostID   string    `json:"host_id"`
	HostName string    `json:"host_name"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Currency string    `json:"currency"`
	Days     []HostDay `json:"days"`
	Totals   HostDay   `json:"totals"`
}

// ShopDay is one UTC day of a shop's paid sales.
type ShopDay struct {
	Day              string `json:"day,omitempty"`
	Orders           int64  `json:"orders"`
	Units            int64  `json:"units"`
	GMVMinor         int64  `json:"gmv_minor"`
	PlatformFeeMinor int64  `json:"platform_fee_minor"`
	CommissionMinor  int64  `json:"commission_minor"` // paid to hosts and their agencies
	MerchantNetMinor int64  `json:"merchant_net_minor"`
}

// ProductSales is one product's paid sales over a range.
type ProductSales struct {
	ProductID string `json:"product_id"`
	Title     string `json:"title"`
	Orders    int64  `json:"orders"`
	Units     int64  `json:"units"`
	GMVMinor  int64  `json:"gmv_minor"`
}

// SessionSales is one of a shop's sessions with its paid sales in the
// range: sessions started in the range and sessions that sold in it.
type SessionSales struct {
	SessionID string     `json:"session_id"`
	Title     string     `json:"title"`
	Status    string     `json:"status"`
	HostID    string     `json:"host_id,omitempty"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	Orders    int64      `json:"orders"`
	GMVMinor  int64      `json:"gmv_minor"`
}

// TopProducts is how many products a shop report ranks.
const TopProducts = 10

// ShopReport is a shop's sales over a range.
type ShopReport struct {
	ShopID      string         `json:"shop_id"`
	ShopName    string         `json:"shop_name"`
	From        string         `json:"from"`
	To          string         `json:"to"`
	Currency    string         `json:"currency"`
	Days        []ShopDay      `json:"days"`
	Totals      ShopDay        `json:"totals"`
	TopProducts []ProductSales `json:"top_products"`
	Sessions    []SessionSales `json:"sessions"`
}

// MCNDay is one UTC day of the sales an agency's hosts made under it.
type MCNDay struct {
	Day                 string `json:"day,omitempty"`
	Orders              int64  `json:"orders"`
	GMVMinor            int64  `json:"gmv_minor"`
	HostCommissionMinor int64  `json:"host_commission_minor"`
	MCNShareMinor       int64  `json:"mcn_share_minor"`
}

// MCNHost is one host's sales under the agency over the range. Status is
// the host's agreement now ("" when it no longer exists).
type MCNHost struct {
	HostID              string `json:"host_id"`
	HostName            string `json:"host_name"`
	Status              string `json:"status"`
	Orders              int64  `json:"orders"`
	GMVMinor            int64  `json:"gmv_minor"`
	HostCommissionMinor int64  `json:"host_commission_minor"`
	MCNShareMinor       int64  `json:"mcn_share_minor"`
}

// MCNReport is an agency's roster's sales over a range: lines whose
// agreement (fixed on the line when ordered) was with this agency.
type MCNReport struct {
	MCNID    string    `json:"mcn_id"`
	Name     string    `json:"name"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Currency string    `json:"currency"`
	Days     []MCNDay  `json:"days"`
	Totals   MCNDay    `json:"totals"`
	Hosts    []MCNHost `json:"hosts"`
}

// PlatformDay is one UTC day of the whole platform.
type PlatformDay struct {
	Day             string  `json:"day,omitempty"`
	ActiveUsers     int64   `json:"active_users"`
	WatchSeconds    int64   `json:"watch_seconds"`
	ViewingHours    float64 `json:"viewing_hours"`
	SessionsStarted int64   `json:"sessions_started"`
	Orders          int64   `json:"orders"`
	GMVMinor        int64   `json:"gmv_minor"`
}

// ChannelGMV is a channel's paid sales: a sale counts in every channel its
// shop appears in (feed.ChannelsFor).
type ChannelGMV struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Orders   int64  `json:"orders"`
	GMVMinor int64  `json:"gmv_minor"`
}

// ChannelViewing is a channel's viewing time.
type ChannelViewing struct {
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	WatchSeconds int64   `json:"watch_seconds"`
	ViewingHours float64 `json:"viewing_hours"`
}

// PlatformReport is the platform over a range, for admins. Totals'
// ActiveUsers adds the days up (a user active on two days counts twice).
type PlatformReport struct {
	From                 string           `json:"from"`
	To                   string           `json:"to"`
	Currency             string           `json:"currency"`
	Days                 []PlatformDay    `json:"days"`
	Totals               PlatformDay      `json:"totals"`
	TopChannelsByGMV     []ChannelGMV     `json:"top_channels_by_gmv"`
	TopChannelsByViewing []ChannelViewing `json:"top_channels_by_viewing"`
}

// PlatformData is what storage gives for the platform report: sparse days
// and the raw material of the channel rankings, which the service maps to
// channels.
type PlatformData struct {
	Days     []PlatformDay
	Currency string
	// ShopKinds is paid sales per shop category and programme.
	ShopKinds []ShopKindSales
	// WatchByDim is analytics_daily watch_seconds per non-empty dim.
	WatchByDim map[string]int64
}

// ShopKindSales is paid sales of shops of one category and programme.
type ShopKindSales struct {
	Category  string
	Programme string
	Orders    int64
	GMVMinor  int64
}
