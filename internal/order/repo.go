package order

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/catalog"
)

// WebhookEvent is a merchant webhook to queue in the same transaction as
// the change it reports.
type WebhookEvent struct {
	ShopID  string
	Type    string
	Payload []byte
}

// Transition is a status change to apply atomically.
type Transition struct {
	OrderID string
	From    string
	To      string
	ActorID string
	Note    string
	At      time.Time
	Restock bool // give the lines' stock back
	// IfRefundRequest, when set, applies the change only while the
	// order's latest refund request is still this one ("" for none): a
	// request made after the caller looked stops the change.
	IfRefundRequest *string
	// Set when shipping.
	Carrier, TrackingNumber string
	Webhook                 *WebhookEvent
	// Notify, when set, is what the buyer is told of the change: the store
	// writes it as their in-app notification in the same transaction, so
	// it exists exactly when the change does.
	Notify *Notice
}

// Notice kinds: what a buyer hears about their order.
const (
	NoticeShipped        = "order_shipped"
	NoticeDelivered      = "order_delivered"
	NoticeRefunded       = "order_refunded"
	NoticeRefundDeclined = "refund_declined"
)

// Notice is a buyer's notification about their order. The store writes it
// with the shop's name and English text (the apps write known kinds in
// their reader's language from the params); it links to the order.
type Notice struct {
	ID      string // the notification's id, "ntf_…"
	UserID  string
	Kind    string // Notice…
	OrderID string
	At      time.Time
	// What the text is made of; the store adds the shop's name.
	Carrier        string
	TrackingNumber string
	Reason         string // why a refund request was declined
	TotalMinor     int64
	Currency       string
}

// Notifier hears, after the commit, of every notice written; it pushes
// them to the buyer's browsers, best-effort.
type Notifier func(ctx context.Context, n Notice)

// Repo stores carts, addresses, orders and payments.
type Repo interface {
	CreateAddress(ctx context.Context, userID string, a Address) error
	ListAddresses(ctx context.Context, userID string) ([]Address, error)
	AddressByID(ctx context.Context, userID, id string) (Address, error)

	SetCartItem(ctx context.Context, userID, skuID string, qty int, at time.Time) error
	RemoveCartItem(ctx context.Context, userID, skuID string) error
	Cart(ctx context.Context, userID string) ([]CartItem, error)

	// SKUsForOrder loads SKUs with their product and shop.
	SKUsForOrder(ctx context.Context, skuIDs []string) (map[string]OrderableSKU, error)
	// RoomForAttribution returns a live room's shop, host and status;
	// NotFound when there is no such room.
	RoomForAttribution(ctx context.Context, roomID string) (RoomRef, error)
	// ReservationForOrder returns a flash reservation with its sale's SKU,
	// price and room; NotFound when there is none.
	ReservationForOrder(ctx context.Context, id string) (HeldReservation, error)
	// ActiveAgreement returns the host's active MCN and its share, or "" when none.
	ActiveAgreement(ctx context.Context, hostID string) (mcnID string, shareBPS int, err error)

	// CreateOrder reserves stock and stores the order, atomically. When the
	// user already made an order with the same idempotency key it returns
	// that order and created=false. Returns Conflict naming the line whose
	// stock ran out.
	CreateOrder(ctx context.Context, o Order, clearCart bool) (stored Order, created bool, err error)
	// CreateOrders stores several orders all or nothing (a cart checkout);
	// for a retry it returns the orders stored under the same keys.
	CreateOrders(ctx context.Context, os []Order, clearCart bool) ([]Order, error)
	OrderByID(ctx context.Context, id string) (Order, error)
	// OrdersByKeyPrefix returns the user's orders whose idempotency key
	// starts with prefix (a cart checkout's orders share one).
	OrdersByKeyPrefix(ctx context.Context, userID, prefix string) ([]Order, error)
	ListOrders(ctx context.Context, f Filter) ([]Order, error)
	History(ctx context.Context, orderID string) ([]StatusChange, error)
	// Transition applies t only if the order is still in t.From; returns
	// Conflict otherwise.
	Transition(ctx context.Context, t Transition) error
	// CreateRefundRequest stores an open refund request and points the
	// order at it, with its webhook; Conflict when the order has an open
	// request already or is no longer paid, shipped or delivered.
	CreateRefundRequest(ctx context.Context, r RefundRequest, webhook *WebhookEvent) error
	// CloseRefundRequest declines or withdraws the order's open request;
	// Conflict when none is open. A refund (Transition to Refunded)
	// approves it instead.
	CloseRefundRequest(ctx context.Context, d RefundDecision) error
	// OverdueRefundRequests lists orders whose open request was due before now.
	OverdueRefundRequests(ctx context.Context, now time.Time, limit int) ([]string, error)
	// DeliveredBefore lists orders delivered before t, oldest first.
	DeliveredBefore(ctx context.Context, t time.Time, limit int) ([]string, error)
	// ExpiredOrders lists unpaid orders whose payment window closed.
	ExpiredOrders(ctx context.Context, now time.Time, limit int) ([]string, error)

	CreatePayment(ctx context.Context, p Payment) (stored Payment, created bool, err error)
	// PaymentForEvent loads, in one go, a payment, its order with lines and
	// the platform fee rate of the order's shop.
	PaymentForEvent(ctx context.Context, paymentID string) (Payment, Order, int, error)
	ListPayments(ctx context.Context, orderID string) ([]Payment, error)
	// RecordPayment applies a provider event exactly once: Conflict when
	// eventID was seen before. For a success it marks the order paid with
	// the splits; for a failure it marks only the payment.
	RecordPayment(ctx context.Context, rec PaymentRecord) error
	// RecordRefundedPayment applies, exactly once, a success event for a
	// payment that was refunded at once because its order was no longer
	// payable. Conflict when eventID was seen before.
	RecordRefundedPayment(ctx context.Context, rec PaymentRecord) error
	// MarkPaymentRefunded flags the order's succeeded payment as refunded.
	MarkPaymentRefunded(ctx context.Context, orderID string, at time.Time) error
	// ShopSales sums the shop's orders paid in [from, to), per UTC day.
	ShopSales(ctx context.Context, shopID string, from, to time.Time) (SalesSummary, error)
}

// OrderableSKU is a SKU with what checkout needs to know of its product and shop.
type OrderableSKU struct {
	catalog.SKU
	Title         string
	ProductStatus string
	ShopStatus    string
	CommissionBPS int
}

// FieldLapsedHold is the Field of the Conflict RecordPayment returns when
// a flash reservation behind the order expired before the money came.
const FieldLapsedHold = "reservation"

// PaymentRecord is a verified provider event to apply.
type PaymentRecord struct {
	EventID   string
	Provider  string
	PaymentID string
	OrderID   string
	Succeeded bool
	At        time.Time
	Splits    map[string]Split // line id → split, for a success
	// Reservations are the flash reservations the order's lines hold; a
	// success marks them paid, or fails with Field FieldLapsedHold when one
	// has expired.
	Reservations []string
	Webhook      *WebhookEvent
	// Notify, for a payment refunded as it arrived (its order was
	// cancelled or its flash hold lapsed), tells the buyer.
	Notify *Notice
}
