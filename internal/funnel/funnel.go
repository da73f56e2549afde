// Package funnel counts a live room's conversion funnel (docs/SELLING.md):
// who viewed the room, opened a product, clicked buy, and what the room
// then sold.
//
// Every viewer's page reports its steps, so recording must be cheap: an
// event is validated, deduplicated in memory and buffered; a background
// writer stores the buffer every 500 ms (or as soon as 500 events wait) as
// multi-row INSERTs in one transaction, and storage drops what it already
// has for the same session, viewer, step, product and minute. The buffer
// is bounded: above its limit events are dropped and counted, and a
// request never waits for the database.
//
// Views, opens and clicks count distinct viewers; orders, paid orders and
// GMV come from the order lines attributed to the room.
package funnel

import (
	"time"
)

// Steps of the funnel.
const (
	StepView        = "view"
	StepProductOpen = "product_open"
	StepBuyClick    = "buy_click"
)

// Event is one funnel step as a viewer's page reports it. ProductID is
// required for product_open and buy_click and ignored for view; AnonID
// identifies a viewer who is not signed in (8–64 of A–Z, a–z, 0–9, _ and
// -, kept by the page, for example in localStorage).
type Event struct {
	Step      string `json:"step"`
	ProductID string `json:"product_id,omitempty"`
	AnonID    string `json:"anon_id,omitempty"`
}

// Row is an event to store. Storage keeps one row per session, viewer,
// step, product and minute and silently drops the rest.
type Row struct {
	SessionID string
	// Viewer is "u:" + user id for a signed-in viewer, "a:" + anon id otherwise.
	Viewer    string
	Step      string
	ProductID string // "" for views
	// Minute is the event's time in whole minutes since the Unix epoch.
	Minute int64
	At     time.Time
}

// Funnel is a room's funnel as its operators see it. Views, ProductOpens
// and BuyClicks count distinct viewers. Orders counts distinct orders with
// a line attributed to the room in any status but cancelled; PaidOrders
// those paid, shipped, delivered or completed; PaidBuyers their distinct
// buyers; GMVMinor sums the paid orders' lines attributed to the room.
// Conversion is PaidBuyers / Views (0 without views).
type Funnel struct {
	SessionID    string  `json:"session_id"`
	Views        int64   `json:"views"`
	ProductOpens int64   `json:"product_opens"`
	BuyClicks    int64   `json:"buy_clicks"`
	Orders       int64   `json:"orders"`
	PaidOrders   int64   `json:"paid_orders"`
	PaidBuyers   int64   `json:"paid_buyers"`
	GMVMinor     int64   `json:"gmv_minor"`
	Currency     string  `json:"currency"` // of the paid orders; "" before the first
	Conversion   float64 `json:"conversion"`
	// PerProduct lists the shelf's products in shelf order, then any other
	// product the room's events or orders name, by product id.
	PerProduct []ProductFunnel `json:"per_product"`
}

// ProductFunnel is one product's part of a room's funnel.
type ProductFunnel struct {
	ProductID string `json:"product_id"`
	Title     string `json:"title"`
	Opens     int64  `json:"opens"`  // distinct viewers who opened it
	Clicks    int64  `json:"clicks"` // distinct viewers who clicked buy
	Orders    int64  `json:"orders"` // distinct orders with a line of it (not cancelled)
	Paid      int64  `json:"paid"`   // of those, paid or later
	GMVMinor  int64  `json:"gmv_minor"`
}

// conversion is paid buyers over viewers, rounded to four places.
func conversion(paidBuyers, views int64) float64 {
	if views <= 0 {
		return 0
	}
	r := float64(paidBuyers) / float64(views)
	return float64(int64(r*10000+0.5)) / 10000
}
