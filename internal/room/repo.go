package room

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/media"
)

// Repo stores sessions. Methods return apperr NotFound for a missing
// session and Conflict when its state forbids the change. Every state
// change is a conditional update, so racing callers cannot both win and
// an ended session can never go live again.
type Repo interface {
	// What the service reads from the rest of the platform.
	ShopByID(ctx context.Context, id string) (catalog.Shop, error)
	ImageByID(ctx context.Context, id string) (catalog.Image, error)
	ActorByUserID(ctx context.Context, userID string) (account.Actor, error)
	// LiveProductRefs returns the shop and status of each product that
	// exists among ids; missing ones are absent from the map.
	LiveProductRefs(ctx context.Context, ids []string) (map[string]ProductRef, error)

	// CreateLiveSession stores a scheduled session with its shelf.
	CreateLiveSession(ctx context.Context, n NewSession) error
	// ResetLiveSession stores n whatever the state of a session with its
	// id: scheduled again, with n's key and shelf and no moments.
	ResetLiveSession(ctx context.Context, n NewSession) error
	LiveSession(ctx context.Context, id string) (Session, error)
	// LiveSessionByKeyHash finds the session whose current key hashes to hash.
	LiveSessionByKeyHash(ctx context.Context, hash string) (Session, error)
	ListLiveSessions(ctx context.Context, f Filter) ([]Session, error)
	// LiveSessionStreamKey returns the session's current stream key.
	LiveSessionStreamKey(ctx context.Context, id string) (string, error)
	UpdateLiveSession(ctx context.Context, id string, c Change) error
	// RotateStreamKey replaces the key of a scheduled or live session.
	RotateStreamKey(ctx context.Context, id, key, keyHash string) error

	// StartLiveSession moves a scheduled or live session to live with
	// protocol p, setting started_at only the first time.
	StartLiveSession(ctx context.Context, id string, p media.Protocol, at time.Time) error
	// EndLiveSession moves a scheduled or live session to ended and
	// reports whether this call did it (false: it had already ended).
	EndLiveSession(ctx context.Context, id string, at time.Time) (bool, error)
	// MarkReplay moves an ended session to replay.
	MarkReplay(ctx context.Context, id string) error

	// AddMoment records m and makes its product the one being explained;
	// Conflict unless the session is live.
	AddMoment(ctx context.Context, m Moment) error
	// ListMoments lists a session's moments oldest first, after cursor.
	ListMoments(ctx context.Context, sessionID, cursor string, limit int) ([]Moment, error)

	// Chat, questions, announcements and moderation (chatrepo.go).
	ChatRepo
}

// ProductRef is what the shelf needs to know of a product.
type ProductRef struct {
	ShopID string
	Status string
}

// NewSession is a session to store, key included.
type NewSession struct {
	ID           string
	ShopID       string
	HostID       string // "" for none
	Title        string
	CoverImageID string
	PlannedStart time.Time
	StreamKey    string
	KeyHash      string
	ProductIDs   []string
	CreatedAt    time.Time
}

// Change is an update to store; nil fields stay as they are.
type Change struct {
	Title        *string
	CoverImageID *string
	PlannedStart *time.Time
	// ProductIDs replaces the shelf when not nil; the product being
	// explained is forgotten if it leaves the shelf.
	ProductIDs *[]string
}
