package order

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Address is where an order ships to.
type Address struct {
	ID        string    `json:"id,omitempty"`
	Name      string    `json:"name"`
	Phone     string    `json:"phone"`
	Line1     string    `json:"line1"`
	Line2     string    `json:"line2,omitempty"`
	City      string    `json:"city"`
	Region    string    `json:"region"`
	Postcode  string    `json:"postcode,omitempty"`
	Country   string    `json:"country"`
	IsDefault bool      `json:"is_default,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// Validate checks an address and trims its fields.
func (a *Address) Validate() error {
	fields := []struct {
		name     string
		v        *string
		required bool
		max      int
	}{
		{"name", &a.Name, true, 60}, {"phone", &a.Phone, true, 30}, {"line1", &a.Line1, true, 200},
		{"line2", &a.Line2, false, 200}, {"city", &a.City, true, 60}, {"region", &a.Region, true, 60},
		{"postcode", &a.Postcode, false, 20}, {"country", &a.Country, false, 2},
	}
	for _, f := range fields {
		*f.v = strings.TrimSpace(*f.v)
		if f.required && *f.v == "" {
			return apperr.Field("address."+f.name, "%s is required", f.name)
		}
		if utf8.RuneCountInString(*f.v) > f.max {
			return apperr.Field("address."+f.name, "%s must be at most %d characters", f.name, f.max)
		}
	}
	if a.Country == "" {
		a.Country = "CN"
	}
	a.Country = strings.ToUpper(a.Country)
	return nil
}

// CartItem is a SKU waiting in a user's cart, with what is needed to show it.
type CartItem struct {
	SKUID      string            `json:"sku_id"`
	Quantity   int               `json:"quantity"`
	ProductID  string            `json:"product_id"`
	ShopID     string            `json:"shop_id"`
	Title      string            `json:"title"`
	Attributes map[string]string `json:"attributes"`
	PriceMinor int64             `json:"price_minor"`
	Currency   string            `json:"currency"`
	Stock      int               `json:"stock"`
	AddedAt    time.Time         `json:"added_at"`
}

// Order is one shop's part of a purchase.
type Order struct {
	ID             string     `json:"id"`
	UserID         string     `json:"user_id"`
	ShopID         string     `json:"shop_id"`
	Status         string     `json:"status"`
	Currency       string     `json:"currency"`
	TotalMinor     int64      `json:"total_minor"`
	DiscountMinor  int64      `json:"discount_minor,omitempty"`
	CouponClaimID  string     `json:"coupon_claim_id,omitempty"`
	ShipTo         Address    `json:"ship_to"`
	Carrier        string     `json:"carrier,omitempty"`
	TrackingNumber string     `json:"tracking_number,omitempty"`
	CancelReason   string     `json:"cancel_reason,omitempty"`
	ExpiresAt      time.Time  `json:"expires_at"`
	PaidAt         *time.Time `json:"paid_at,omitempty"`
	ShippedAt      *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	CompletedAt    *time.Time `json:"completed_at,omitempty"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
	RefundedAt     *time.Time `json:"refunded_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Lines          []Line     `json:"lines"`
	// RefundRequest is the buyer's latest refund request, if any.
	RefundRequest *RefundRequest `json:"refund_request,omitempty"`

	IdempotencyKey string `json:"-"`
	RequestHash    string `json:"-"`
}

// Line is one SKU in an order, priced when the order was made, with its
// attribution and, once paid, its split.
type Line struct {
	ID             string            `json:"id"`
	OrderID        string            `json:"order_id"`
	SKUID          string            `json:"sku_id"`
	ProductID      string            `json:"product_id"`
	Title          string            `json:"title"`
	SKUAttributes  map[string]string `json:"sku_attributes"`
	UnitPriceMinor int64             `json:"unit_price_minor"`
	Quantity       int               `json:"quantity"`
	LineTotalMinor int64             `json:"line_total_minor"`
	CommissionBPS  int               `json:"commission_bps"`
	Source         string            `json:"source"`
	RoomID         string            `json:"room_id,omitempty"`
	HostID         string            `json:"host_id,omitempty"`
	MCNID          string            `json:"mcn_id,omitempty"`
	MCNShareBPS    int               `json:"mcn_share_bps"`
	// DiscountMinor is this line's part of the order's coupon discount
	// (LineTotalMinor is after it).
	DiscountMinor int64 `json:"discount_minor,omitempty"`
	// Hold says where the line's stock came from (docs/SELLING.md): ""
	// taken from the SKU when the order was placed, HoldAward already taken
	// by an auction or a draw, or HoldFlash + a reservation id.
	Hold string `json:"hold,omitempty"`
	Split
}

// Line holds.
const (
	HoldAward = "award"
	HoldFlash = "flash:"
)

// ReservationID returns the flash reservation behind the line, if any.
func (l Line) ReservationID() string {
	if strings.HasPrefix(l.Hold, HoldFlash) {
		return l.Hold[len(HoldFlash):]
	}
	return ""
}

// AwardInput is an order for something won in the room (an auction, a
// lucky draw): its stock is already held, its price fixed by the win.
type AwardInput struct {
	UserID         string
	SKUID          string
	Quantity       int
	UnitPriceMinor int64
	// AddressID is the user's address to ship to; empty means their
	// default (or only) address.
	AddressID string
	RoomID    string
	// PaymentWindow is how long the winner has to pay (0: the service's).
	PaymentWindow time.Duration
	// Ref names what was won ("auction:auc_…", "draw:drw_…") and is the
	// order's idempotency key, so awarding twice makes one order.
	Ref string
}

// Item is a SKU and quantity asked for.
type Item struct {
	SKUID    string `json:"sku_id"`
	Quantity int    `json:"quantity"`
}

// Attribution says who sold an order: the live room and host, if any.
type Attribution struct {
	Source string `json:"source,omitempty"`
	RoomID string `json:"room_id,omitempty"`
	HostID string `json:"host_id,omitempty"`
}

// Limits on one order.
const (
	MaxItemsPerOrder = 50
	MaxQuantity      = 999
)

// Filter selects orders.
type Filter struct {
	UserID string
	ShopID string
	// Status is an order status, or RefundRequested for the orders with
	// an open refund request.
	Status string
	Cursor string
	Limit  int
}

// Payment statuses.
const (
	PaymentPending   = "pending"
	PaymentSucceeded = "succeeded"
	PaymentFailed    = "failed"
	PaymentRefunded  = "refunded"
)

// Payment is one attempt to pay an order through a provider.
type Payment struct {
	ID             string    `json:"id"`
	OrderID        string    `json:"order_id"`
	Provider       string    `json:"provider"`
	AmountMinor    int64     `json:"amount_minor"`
	Currency       string    `json:"currency"`
	Status         string    `json:"status"`
	IdempotencyKey string    `json:"-"`
	PayURL         string    `json:"pay_url,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// StatusChange is one step in an order's history.
type StatusChange struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	ActorID   string    `json:"actor_id,omitempty"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}
