package flashsale

import (
	"context"
	"errors"
	"time"
)

// ErrFenced means a batch was refused because another node has taken the
// sale over (its owner epoch moved on): this node must stop serving it.
var ErrFenced = errors.New("flashsale: the sale is owned by another node")

// State is what an engine starts from: the sale and every reservation
// made so far (to know each buyer's count and every idempotency key).
type State struct {
	Sale         Sale
	Reservations []Reservation
}

// ReturnedStock is stock coming back to a sale: an expired or released
// reservation.
type ReturnedStock struct {
	ReservationID string
	UserID        string
	Key           string // its idempotency key
	Quantity      int
}

// Repo stores sales and reservations (internal/store).
type Repo interface {
	// CreateSale stores a new sale and takes its stock from the SKU, with
	// an inventory movement, atomically. Conflict with Field "stock" when
	// the SKU has less.
	CreateSale(ctx context.Context, s Sale) error
	// Sale returns a sale; NotFound when there is none.
	Sale(ctx context.Context, id string) (Sale, error)
	// SessionSales lists a session's sales, newest first.
	SessionSales(ctx context.Context, sessionID string) ([]Sale, error)
	// ActiveSales lists sales not yet settled or cancelled.
	ActiveSales(ctx context.Context) ([]Sale, error)
	// TakeOver bumps the sale's owner epoch and returns it with the state:
	// from now on only batches written with the new epoch are accepted.
	TakeOver(ctx context.Context, saleID string) (epoch int64, st State, err error)
	// CommitBatch stores new reservations and the sale's sold count,
	// status and end in one transaction, if epoch is still the sale's; ErrFenced
	// otherwise.
	CommitBatch(ctx context.Context, saleID string, epoch int64, sold int, status string, endsAt time.Time, rs []Reservation) error
	// CollectReturns, if epoch is still the sale's, expires held
	// reservations due at now, turns released ones into returned, and
	// stores the sold count lowered by what came back, in one transaction.
	CollectReturns(ctx context.Context, saleID string, epoch int64, now time.Time, sold int) ([]ReturnedStock, error)
	// Settle, if epoch is still the sale's and it has no held reservation
	// left, gives the unsold stock back to the SKU and marks it settled;
	// false when reservations are still held.
	Settle(ctx context.Context, saleID string, epoch int64, now time.Time) (bool, error)
	// UserReservations lists a buyer's reservations in a sale, newest
	// first, by scanning the sale's reservations.
	UserReservations(ctx context.Context, saleID, userID string) ([]Reservation, error)
	// ReservationsByID returns the reservations with these ids, newest first.
	ReservationsByID(ctx context.Context, ids []string) ([]Reservation, error)
}
