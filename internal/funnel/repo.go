package funnel

import (
	"context"

	"github.com/liveshop/liveshop/internal/room"
)

// Repo stores funnel events and counts them; *store.Store implements it.
type Repo interface {
	// AddFunnelEvents stores rows in one transaction, skipping every row
	// whose session, viewer, step, product and minute are already stored
	// (INSERT … ON CONFLICT DO NOTHING), and returns how many were new.
	AddFunnelEvents(ctx context.Context, rows []Row) (int, error)
	// FunnelCounts counts a session's funnel from its events and from the
	// order lines attributed to it. PerProduct holds the products that
	// have any count, in no particular order, with their current titles;
	// Conversion is left to the service.
	FunnelCounts(ctx context.Context, sessionID string) (Funnel, error)
}

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	// Get returns a session, or apperr NotFound.
	Get(ctx context.Context, id string) (room.Session, error)
}
