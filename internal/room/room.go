// Package room holds live sessions: a session is a room (its id is the
// room id the media engine streams under), with its product shelf, its
// stream key, the moments a host explained a product and its lifecycle:
//
//	scheduled → live → ended → replay
//
// A publisher that drops leaves the session live for a reconnect grace;
// when the grace runs out, or an operator ends it, the session is ended
// for good (its key is refused), and once its recording is finalised it
// becomes a replay. Service decides who may do what and implements
// media.Gate, so the media engine asks it whether a stream key may publish.
//
// A room also has a chat, questions to the host, announcements and
// moderation (mutes, bans, slow mode, a shop's keyword filter). Their
// rules live here whatever node a viewer is connected to; every change is
// published on room.{id}.events (docs/REALTIME.md), which the realtime
// nodes fan out to the room's WebSockets.
package room

import (
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// Session states.
const (
	Scheduled = "scheduled"
	Live      = "live"
	Ended     = "ended"
	Replay    = "replay"
)

// Session is a live session as everyone may see it. It never carries the
// stream key: that is only in Studio.
type Session struct {
	ID                  string         `json:"id"`
	ShopID              string         `json:"shop_id"`
	ShopName            string         `json:"shop_name"`
	HostID              *string        `json:"host_id"`
	HostName            string         `json:"host_name"`
	Title               string         `json:"title"`
	CoverImageID        string         `json:"cover_image_id"`
	PlannedStart        time.Time      `json:"planned_start"`
	Status              string         `json:"status"`
	StartedAt           *time.Time     `json:"started_at,omitempty"`
	EndedAt             *time.Time     `json:"ended_at,omitempty"`
	Protocol            media.Protocol `json:"protocol"`
	Products            []ShelfItem    `json:"products"`
	ExplainingProductID string         `json:"explaining_product_id"`
	// SlowModeSeconds is how long viewers wait between chat messages (0: off).
	SlowModeSeconds int `json:"slow_mode_seconds"`
	// Likes and PeakViewers are totals kept on the session; the realtime
	// nodes report the live counts in between.
	Likes       int64     `json:"likes"`
	PeakViewers int       `json:"peak_viewers"`
	CreatedAt   time.Time `json:"created_at"`
}

// hostedBy reports whether userID is the session's assigned host.
func (s Session) hostedBy(userID string) bool {
	return userID != "" && s.HostID != nil && *s.HostID == userID
}

// onShelf returns the shelf item of productID.
func (s Session) onShelf(productID string) (ShelfItem, bool) {
	for _, it := range s.Products {
		if it.ProductID == productID {
			return it, true
		}
	}
	return ShelfItem{}, false
}

// ShelfItem is a product offered during a session, in shelf order
// (Position counts from 1). Price and currency are the product's cheapest
// SKU's; ImageID is its first picture ("" when it has none).
type ShelfItem struct {
	ProductID  string `json:"product_id"`
	Position   int    `json:"position"`
	Title      string `json:"title"`
	PriceMinor int64  `json:"price_minor"`
	Currency   string `json:"currency"`
	ImageID    string `json:"image_id"`
}

// Moment is the point in a session where the host began explaining a
// product; replays use OffsetMS to jump there.
type Moment struct {
	ID        string    `json:"id"`
	SessionID string    `json:"session_id"`
	ProductID string    `json:"product_id"`
	Title     string    `json:"title"`
	OffsetMS  int64     `json:"offset_ms"`
	CreatedAt time.Time `json:"created_at"`
}

// ExplainEvent is published on room.{id}.explain: the moment and the
// product as it sits on the shelf, so overlays need no second request.
type ExplainEvent struct {
	Moment
	Product ShelfItem `json:"product"`
}

// Studio is what an operator needs to go live: the session, its stream
// key and where to send the stream.
type Studio struct {
	Session    Session       `json:"session"`
	StreamKey  string        `json:"stream_key"`
	RTMPServer string        `json:"rtmp_server"`
	RTMPURL    string        `json:"rtmp_url"`
	WHIPURL    string        `json:"whip_url"`
	Health     *media.Health `json:"health"`
	Warnings   []string      `json:"warnings"`
}

// ScheduleInput is a new session as an operator enters it.
type ScheduleInput struct {
	Title        string `json:"title"`
	CoverImageID string `json:"cover_image_id,omitempty"`
	// PlannedStart is RFC 3339; empty means now.
	PlannedStart string   `json:"planned_start,omitempty"`
	ProductIDs   []string `json:"product_ids,omitempty"`
	HostID       string   `json:"host_id,omitempty"`
}

// UpdateInput changes a session; nil fields stay as they are, and
// ProductIDs replaces the whole shelf (an empty list clears it).
type UpdateInput struct {
	Title        *string   `json:"title,omitempty"`
	CoverImageID *string   `json:"cover_image_id,omitempty"`
	PlannedStart *string   `json:"planned_start,omitempty"`
	ProductIDs   *[]string `json:"product_ids,omitempty"`
}

// Filter selects sessions for List.
type Filter struct {
	Status string
	ShopID string
	Cursor string // the last id of the previous page
	Limit  int
}

// MaxShelf bounds the products of one session.
const MaxShelf = 100
