// Package order holds carts, addresses, orders, their payment and the
// split of every paid line between merchant, platform, host and MCN.
package order

// Order statuses.
const (
	PendingPayment = "pending_payment"
	Paid           = "paid"
	Shipped        = "shipped"
	Delivered      = "delivered"
	Completed      = "completed"
	Cancelled      = "cancelled"
	Refunded       = "refunded"
)

// RefundRequested filters order lists to the orders with an open refund
// request; it is not a status an order is in.
const RefundRequested = "refund_requested"

// transitions is the order state machine: from → allowed next states.
var transitions = map[string][]string{
	PendingPayment: {Paid, Cancelled},
	Paid:           {Shipped, Refunded},
	Shipped:        {Delivered, Refunded},
	Delivered:      {Completed, Refunded},
}

// CanTransition reports whether an order may move from one status to another.
func CanTransition(from, to string) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Sources an order line can come from, for attribution.
const (
	SourceShop   = "shop"
	SourceLive   = "live"
	SourceReplay = "replay"
)

// Merchant webhook events.
const (
	EventOrderCreated   = "order.created"
	EventOrderPaid      = "order.paid"
	EventOrderShipped   = "order.shipped"
	EventOrderDelivered = "order.delivered"
	EventOrderCompleted = "order.completed"
	EventOrderCancelled = "order.cancelled"
	EventOrderRefunded  = "order.refunded"
)

// EventFor names the webhook event for entering a status.
func EventFor(status string) string {
	switch status {
	case Paid:
		return EventOrderPaid
	case Shipped:
		return EventOrderShipped
	case Delivered:
		return EventOrderDelivered
	case Completed:
		return EventOrderCompleted
	case Cancelled:
		return EventOrderCancelled
	case Refunded:
		return EventOrderRefunded
	}
	return ""
}
