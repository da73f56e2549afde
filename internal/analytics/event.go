// Package analytics turns what happens on the platform (views, likes, watch
// time, clicks, follows, orders, payments) into roll-ups for dashboards,
// reports and the feed (docs/DISCOVERY.md). Producers hand events to a
// Recorder, which never blocks them; rolling up happens elsewhere.
package analytics

import "time"

// Event kinds.
const (
	KindView           = "view"
	KindLike           = "like"
	KindWatch          = "watch"
	KindProductClick   = "product_click"
	KindBuyClick       = "buy_click"
	KindFollow         = "follow"
	KindOrder          = "order"
	KindPaid           = "paid"
	KindSessionStarted = "session_started"
)

// Event is one thing that happened. Which fields matter depends on Kind
// (docs/DISCOVERY.md): Count is likes in a tick, viewer-seconds for watch,
// units for order and paid; AmountMinor is an order line's total after
// discounts; Viewers is a node's current viewers (watch).
type Event struct {
	Kind        string `json:"k"`
	SessionID   string `json:"s,omitempty"`
	UserID      string `json:"u,omitempty"`
	ProductID   string `json:"p,omitempty"`
	Category    string `json:"c,omitempty"`
	Count       int64  `json:"n,omitempty"`
	AmountMinor int64  `json:"a,omitempty"`
	// Orders is 1 on the first line of an order in its room (order and
	// paid events come one per line), so orders count once per order.
	Orders   int64     `json:"o,omitempty"`
	Currency string    `json:"cur,omitempty"`
	Node     string    `json:"node,omitempty"`
	Viewers  int       `json:"v,omitempty"`
	At       time.Time `json:"t"`
}

// Recorder takes events from the live paths. Record must never block:
// implementations buffer and drop (counting the drops) when full.
type Recorder interface {
	Record(Event)
}

// Discard is a Recorder that keeps nothing, for tools and tests.
type Discard struct{}

// Record implements Recorder.
func (Discard) Record(Event) {}
