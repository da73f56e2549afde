package draw

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
)

// Repo stores draws, entries and winners. Reads return apperr NotFound for
// a missing draw. Draws, entries and winners carry the seed as stored:
// the service hides it until the draw is drawn.
type Repo interface {
	// SKUsForOrder loads SKUs with their product and shop (order.Repo's).
	SKUsForOrder(ctx context.Context, skuIDs []string) (map[string]order.OrderableSKU, error)

	// CreateDraw stores an open draw and takes WinnerCount × Quantity
	// units of its SKU with an inventory movement (catalog.ReasonDraw), atomically;
	// Conflict with field quantity when the stock is short.
	CreateDraw(ctx context.Context, d Draw) error
	// Draw returns a draw with its seed and winners.
	Draw(ctx context.Context, id string) (Draw, error)
	// ListDraws lists a session's draws newest first, after cursor.
	ListDraws(ctx context.Context, sessionID, cursor string, limit int) ([]Draw, error)
	// RecentDraws lists a session's open draws and those drawn since since.
	RecentDraws(ctx context.Context, sessionID string, since time.Time) ([]Draw, error)
	// DueDraws lists open draws whose deadline is not after now.
	DueDraws(ctx context.Context, now time.Time, limit int) ([]string, error)

	// DrawEntry returns a user's entry; NotFound when they have none.
	DrawEntry(ctx context.Context, drawID, userID string) (Entry, error)
	// AddDrawEntry stores e unless the user already entered, in which case
	// it returns the first entry and false. Conflict when the draw is no
	// longer open or its deadline is not after e.CreatedAt.
	AddDrawEntry(ctx context.Context, e Entry) (Entry, bool, error)
	// PostedInRoom reports whether the user has a chat message (not
	// deleted) in the session containing keyword, ignoring case.
	PostedInRoom(ctx context.Context, sessionID, userID, keyword string) (bool, error)
	// BoughtInRoom reports whether the user has a paid line (price above
	// zero, so not a prize) attributed to the session in an order that is
	// pending payment, paid, shipped, delivered or completed.
	BoughtInRoom(ctx context.Context, sessionID, userID string) (bool, error)

	// FinishDraw draws an open draw in one transaction: it moves the draw
	// to drawn (only if still open: false when another caller did it
	// first), reads its entrants, stores pick(entrants) as its winners in
	// order, gives back the prizes of missing winners, and sets the claim
	// deadline.
	FinishDraw(ctx context.Context, f Finish) (bool, error)
	// DrawEntrants lists a draw's entrants' user ids, sorted.
	DrawEntrants(ctx context.Context, drawID string) ([]string, error)

	// StartPrizeClaim marks a winner's prize as being claimed at at, unless
	// it was forfeited or already has an order; false if not marked.
	StartPrizeClaim(ctx context.Context, drawID, userID string, at time.Time) (bool, error)
	// AbandonPrizeClaim undoes StartPrizeClaim when no order was made.
	AbandonPrizeClaim(ctx context.Context, drawID, userID string) error
	// SetPrizeOrder records the award order of a winner's prize.
	SetPrizeOrder(ctx context.Context, drawID, userID, orderID string) error
	// ClaimsClosed lists drawn draws whose claim deadline passed before
	// now and whose unclaimed prizes were not returned yet.
	ClaimsClosed(ctx context.Context, now time.Time, limit int) ([]string, error)
	// ForfeitPrizes marks the draw's winners with no claim started as
	// forfeited and returns their prizes to the SKU, once; it reports how
	// many prizes went back.
	ForfeitPrizes(ctx context.Context, drawID string, at time.Time) (int, error)
}

// Finish is a draw to finish: Pick receives the entrants (sorted by user
// id) and returns the winners in order.
type Finish struct {
	DrawID     string
	At         time.Time
	ClaimUntil time.Time
	Pick       func(entrants []string) ([]string, error)
}

// Awards makes the orders of prizes; *order.Service has it.
type Awards interface {
	PlaceAward(ctx context.Context, in order.AwardInput) (order.Order, error)
}

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	Get(ctx context.Context, id string) (room.Session, error)
}

// Follows tells whether a viewer follows a host or a shop, for draws
// open to followers; *store.Store implements it.
type Follows interface {
	// FollowsHostOrShop reports whether the user follows the host (when
	// hostID is not "") or the shop.
	FollowsHostOrShop(ctx context.Context, userID, hostID, shopID string) (bool, error)
}

// Publisher sends room events (internal/bus implements it).
type Publisher interface {
	Publish(subject string, payload any)
}
