// Package coupon holds a shop's coupons: an amount or a percentage off an
// order from the shop, with a minimum spend, a validity period, a total
// number of claims and a number per buyer.
//
// A coupon is created ready; an operator of a live session drops it into
// the room, which opens a grab window (10–600 s) during which signed-in
// viewers claim it. A claim is the buyer's to use at checkout once, within
// the coupon's validity (Quote): the order code marks it used in the same
// transaction that stores the order, and cancelling the order frees it.
//
//	ready → dropped (grab window open until grab_ends_at; it can be dropped
//	again in the same session once the window has closed)
//
// The total limit holds however many viewers grab at once: a claim takes
// one from the coupon with a conditional UPDATE in the transaction that
// stores the claim (docs/SELLING.md).
package coupon

import (
	"context"
	"errors"
	"time"
)

// Kinds of discount.
const (
	KindAmount  = "amount"
	KindPercent = "percent"
)

// Coupon states (stored): a ready coupon has never been dropped.
const (
	Ready   = "ready"
	Dropped = "dropped"
)

// Limits of a coupon's settings.
const (
	MaxTitle        = 60
	MinPercentOff   = 1
	MaxPercentOff   = 90
	MaxTotalLimit   = 1_000_000
	MaxPerUserLimit = 100
	MinGrabSeconds  = 10
	MaxGrabSeconds  = 600
)

// Coupon is a shop's coupon. Exactly one of AmountOffMinor (kind amount)
// and PercentOff (kind percent) is set. SessionID and GrabEndsAt are set
// once it has been dropped in a live session.
type Coupon struct {
	ID             string     `json:"id"`
	ShopID         string     `json:"shop_id"`
	SessionID      *string    `json:"session_id,omitempty"`
	Title          string     `json:"title"`
	Kind           string     `json:"kind"`
	AmountOffMinor *int64     `json:"amount_off_minor,omitempty"`
	PercentOff     *int       `json:"percent_off,omitempty"`
	MinSpendMinor  int64      `json:"min_spend_minor"`
	Currency       string     `json:"currency"`
	ValidFrom      time.Time  `json:"valid_from"`
	ValidUntil     time.Time  `json:"valid_until"`
	TotalLimit     int        `json:"total_limit"`
	PerUserLimit   int        `json:"per_user_limit"`
	Claimed        int        `json:"claimed"`
	GrabEndsAt     *time.Time `json:"grab_ends_at,omitempty"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Claim is a buyer's claim on a coupon. OrderID and UsedAt are set while
// an order uses it.
type Claim struct {
	ID        string     `json:"id"`
	CouponID  string     `json:"coupon_id"`
	UserID    string     `json:"user_id"`
	OrderID   *string    `json:"order_id,omitempty"`
	ClaimedAt time.Time  `json:"claimed_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
	Coupon    Coupon     `json:"coupon"`
}

// Usable reports whether the claim can still back an order: not used and
// not expired at now (it may not be valid yet).
func (c Claim) Usable(now time.Time) bool {
	return c.OrderID == nil && now.Before(c.Coupon.ValidUntil)
}

// NewCoupon is a coupon as a shop operator enters it. Give either
// AmountOffMinor or PercentOff; Kind may be left out (it follows from
// which one is given). Times are RFC 3339; an empty ValidFrom means now.
// Currency defaults to CNY and PerUserLimit to 1.
type NewCoupon struct {
	Title          string `json:"title"`
	Kind           string `json:"kind,omitempty"`
	AmountOffMinor *int64 `json:"amount_off_minor,omitempty"`
	PercentOff     *int   `json:"percent_off,omitempty"`
	MinSpendMinor  int64  `json:"min_spend_minor"`
	Currency       string `json:"currency,omitempty"`
	ValidFrom      string `json:"valid_from,omitempty"`
	ValidUntil     string `json:"valid_until"`
	TotalLimit     int    `json:"total_limit"`
	PerUserLimit   int    `json:"per_user_limit,omitempty"`
}

// DropInput opens a grab window of GrabSeconds (10–600).
type DropInput struct {
	GrabSeconds int `json:"grab_seconds"`
}

// Drop is a drop to store: the coupon goes into the session with its
// grab window.
type Drop struct {
	CouponID   string
	SessionID  string
	GrabEndsAt time.Time
	At         time.Time
}

// NewClaim is a claim to store.
type NewClaim struct {
	ID       string
	CouponID string
	UserID   string
	At       time.Time
}

// ClaimFilter selects a user's claims: usable ones first (not used and
// not expired at Now), then the rest, newest first within each.
type ClaimFilter struct {
	UserID string
	ShopID string // "" for every shop
	Now    time.Time
	// After continues from a claim of the previous page: its id and
	// whether it was usable.
	AfterID     string
	AfterUsable bool
	Limit       int
}

// Refusals a Repo reports; the service words them for people.
var (
	// ErrAllClaimed: the coupon's total limit is reached.
	ErrAllClaimed = errors.New("coupon: all claimed")
	// ErrNotGrabbable: not dropped, grab window closed, or expired.
	ErrNotGrabbable = errors.New("coupon: not grabbable")
	// ErrUserLimit: the user holds per_user_limit claims already.
	ErrUserLimit = errors.New("coupon: per-user limit reached")
	// ErrNotDroppable: the coupon was dropped in another session, or its
	// grab window is still open.
	ErrNotDroppable = errors.New("coupon: cannot be dropped now")
)

// Repo stores coupons and claims.
type Repo interface {
	CreateCoupon(ctx context.Context, c Coupon) error
	// CouponByID returns NotFound for an unknown coupon.
	CouponByID(ctx context.Context, id string) (Coupon, error)
	// ListShopCoupons lists a shop's coupons newest first, before cursor.
	ListShopCoupons(ctx context.Context, shopID, cursor string, limit int) ([]Coupon, error)
	// DropCoupon puts the coupon in the session with its grab window if it
	// is ready, or was dropped in the same session and its window closed;
	// ErrNotDroppable otherwise. Returns the coupon as stored.
	DropCoupon(ctx context.Context, d Drop) (Coupon, error)
	// DroppedCoupons lists the session's coupons whose grab window is
	// open at now, oldest first.
	DroppedCoupons(ctx context.Context, sessionID string, now time.Time) ([]Coupon, error)
	// ClaimCoupon takes one from the coupon and stores the claim in one
	// transaction: ErrAllClaimed when none is left, ErrNotGrabbable when
	// the grab window is closed at n.At (or it was never dropped, or it
	// expired), ErrUserLimit when the user already holds per_user_limit
	// claims. Returns the claim with the coupon after it.
	ClaimCoupon(ctx context.Context, n NewClaim) (Claim, error)
	// ClaimByID returns a claim with its coupon; NotFound when unknown.
	ClaimByID(ctx context.Context, id string) (Claim, error)
	ListClaims(ctx context.Context, f ClaimFilter) ([]Claim, error)
}
