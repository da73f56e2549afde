package auction

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/order"
)

// Repo stores auctions and their bids; *store.Store implements it.
// Methods return apperr NotFound for a missing auction.
type Repo interface {
	// What the service reads from the rest of the platform.
	SKUsForOrder(ctx context.Context, skuIDs []string) (map[string]order.OrderableSKU, error)
	ListAddresses(ctx context.Context, userID string) ([]order.Address, error)

	// CreateAuction takes one unit of r's SKU with an inventory movement
	// and stores r, atomically. Conflict (field sku_id) when the SKU has
	// no stock left.
	CreateAuction(ctx context.Context, r Record) error
	// AuctionByID returns an auction with its leader's display name.
	AuctionByID(ctx context.Context, id string) (Record, error)
	// ListAuctions lists a session's auctions newest first, before cursor.
	ListAuctions(ctx context.Context, sessionID, cursor string, limit int) ([]Record, error)
	// RecentAuctions lists a session's running auctions and those ended
	// since since, newest first.
	RecentAuctions(ctx context.Context, sessionID string, since time.Time) ([]Record, error)
	// ListAuctionBids lists an auction's bids newest first, below the
	// sequence number cursor (0: from the newest).
	ListAuctionBids(ctx context.Context, auctionID string, cursor, limit int) ([]BidStep, error)

	// PlaceAuctionBid runs one bid in one transaction that first locks the
	// auction row, so bids on an auction are serialised on every database.
	// When userID already bid under key it returns that bid and false.
	// Otherwise it calls decide with the auction as locked and stores the
	// auction and bid decide returns (true); an error from decide is
	// returned and nothing changes.
	PlaceAuctionBid(ctx context.Context, auctionID, userID, key string, decide func(Record) (Record, BidRecord, error)) (BidRecord, bool, error)

	// DueAuctions lists running auctions whose end has passed.
	DueAuctions(ctx context.Context, now time.Time, limit int) ([]string, error)
	// EndAuction ends the auction if it is still running and its end has
	// passed at now, and reports whether this call did it. Without bids
	// the held unit returns to the SKU in the same transaction.
	EndAuction(ctx context.Context, id string, now time.Time) (Record, bool, error)
	// AuctionsAwaitingAward lists ended auctions with a winner but no
	// order yet, ended before endedBefore, oldest first.
	AuctionsAwaitingAward(ctx context.Context, endedBefore time.Time, limit int) ([]Record, error)
	// SetAuctionOrder records the winner's order (once).
	SetAuctionOrder(ctx context.Context, id, orderID string, at time.Time) error
	// FailAuctionAward records why the winner could not be given an order
	// and returns the held unit to the SKU; false when the auction already
	// has an order or a recorded failure.
	FailAuctionAward(ctx context.Context, id, reason string, at time.Time) (bool, error)
}
