// Package auction runs live auctions in a room (docs/SELLING.md): an
// operator puts one unit of a SKU from the shelf up for a fixed time,
// viewers place proxy bids (rules.go), a bid in the last seconds extends
// the end (soft close), and when it ends the winner gets an award order at
// the final price; with no bids the unit goes back to the SKU.
//
// Lifecycle of an auction: running → ended. Bids on one auction are
// serialised by the store (the auction row is locked for each bid), so
// every node may take bids; Run ends auctions on any number of nodes,
// each ending claimed by a conditional update.
package auction

import (
	"time"
)

// Auction states.
const (
	Running = "running"
	Ended   = "ended"
)

// Limits on an auction's terms.
const (
	MinDuration                = 10 * time.Second
	MaxDuration                = time.Hour
	MinPaymentWindow           = time.Minute
	MaxPaymentWindow           = 30 * time.Minute
	DefaultPaymentWindow       = 5 * time.Minute
	MaxMinor             int64 = 1_000_000_000_000 // bounds prices and maxes (no overflow in sums)
	MaxKeyLength               = 100               // an Idempotency-Key
	// RecentWindow is how long an ended auction stays in Recent.
	RecentWindow = 10 * time.Minute
)

// Auction is an auction as everyone may see it: the leader's name and the
// current price, never anyone's max. WinnerUserID is set once it ended
// with a winner, OrderID once the winner's order is made.
type Auction struct {
	ID                   string     `json:"id"`
	SessionID            string     `json:"session_id"`
	ShopID               string     `json:"shop_id"`
	ProductID            string     `json:"product_id"`
	SKUID                string     `json:"sku_id"`
	Title                string     `json:"title"`
	Currency             string     `json:"currency"`
	StartPriceMinor      int64      `json:"start_price_minor"`
	MinIncrementMinor    int64      `json:"min_increment_minor"`
	CurrentPriceMinor    int64      `json:"current_price_minor"`
	MinNextBidMinor      int64      `json:"min_next_bid_minor"`
	LeaderName           string     `json:"leader_name,omitempty"`
	Bids                 int        `json:"bids"`
	PaymentWindowSeconds int        `json:"payment_window_seconds"`
	EndsAt               time.Time  `json:"ends_at"`
	Status               string     `json:"status"`
	WinnerUserID         string     `json:"winner_user_id,omitempty"`
	OrderID              string     `json:"order_id,omitempty"`
	EndedAt              *time.Time `json:"ended_at,omitempty"`
	CreatedAt            time.Time  `json:"created_at"`
}

// Record is an auction as stored: the public view and the bidding state
// only the server knows. CurrentPriceMinor and Bids mirror the state.
type Record struct {
	Auction
	LeaderID  string
	LeaderMax int64
	SecondMax int64
	CreatedBy string
	UpdatedAt time.Time
}

// Rules returns the auction's terms.
func (r Record) Rules() Rules {
	return Rules{StartPrice: r.StartPriceMinor, Increment: r.MinIncrementMinor, Currency: r.Currency}
}

// State returns where the bidding stands.
func (r Record) State() State {
	return State{LeaderID: r.LeaderID, LeaderMax: r.LeaderMax, Price: r.CurrentPriceMinor, SecondMax: r.SecondMax, Bids: r.Bids}
}

// SetState stores st in the record.
func (r *Record) SetState(st State) {
	r.LeaderID, r.LeaderMax, r.CurrentPriceMinor, r.SecondMax, r.Bids = st.LeaderID, st.LeaderMax, st.Price, st.SecondMax, st.Bids
}

// Public returns what everyone may see: the winner only once it ended.
func (r Record) Public() Auction {
	a := r.Auction
	a.MinNextBidMinor = r.Rules().MinNext(r.State())
	a.WinnerUserID = ""
	if a.Status == Ended {
		a.WinnerUserID = r.LeaderID
		a.MinNextBidMinor = 0
	}
	return a
}

// BidRecord is one accepted bid as stored. PriceMinor and Leads are the
// auction's price and whether this bidder led right after it; Seq counts
// the auction's accepted bids from 1.
type BidRecord struct {
	ID             string
	AuctionID      string
	UserID         string
	Seq            int
	MaxMinor       int64
	PriceMinor     int64
	Leads          bool
	IdempotencyKey string
	CreatedAt      time.Time
}

// Bid is the answer to a bid: the bid (the first one again when its
// Idempotency-Key was used before) with its place among the auction's
// bids and the price it left, the auction as it is now, and whether the
// caller leads it now.
type Bid struct {
	ID         string    `json:"id"`
	AuctionID  string    `json:"auction_id"`
	Seq        int       `json:"seq"`
	MaxMinor   int64     `json:"max_minor"`
	PriceMinor int64     `json:"price_minor"`
	CreatedAt  time.Time `json:"created_at"`
	YouLead    bool      `json:"you_lead"`
	Auction    Auction   `json:"auction"`
}

// BidStep is a bid as everyone may see it: who bid, when, and the price it
// left the auction at (never the bidder's max).
type BidStep struct {
	Seq        int       `json:"seq"`
	Name       string    `json:"name"`
	PriceMinor int64     `json:"price_minor"`
	CreatedAt  time.Time `json:"created_at"`
}

// CreateInput is a new auction as an operator enters it.
type CreateInput struct {
	SKUID             string `json:"sku_id"`
	StartPriceMinor   int64  `json:"start_price_minor"`
	MinIncrementMinor int64  `json:"min_increment_minor"`
	DurationSeconds   int    `json:"duration_seconds"`
	// PaymentWindowSeconds is how long the winner has to pay (60–1800;
	// 0 means the default, 300).
	PaymentWindowSeconds int `json:"payment_window_seconds,omitempty"`
}

// BidInput is a bid: the most the bidder will pay.
type BidInput struct {
	MaxMinor int64 `json:"max_minor"`
}
