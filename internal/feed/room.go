package feed

import (
	"strings"
	"time"
)

// Statuses of the rooms the feed shows (the live_sessions states).
const (
	StatusLive      = "live"
	StatusScheduled = "scheduled"
)

// Room is a candidate for the feed: a live session, or one scheduled to
// start soon, with the features ranking reads. Its JSON is the part of a
// FeedItem that describes the session; the names follow room.Session.
type Room struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	CoverImageID string     `json:"cover_image_id"` // the cover, else the first shelf product's first picture
	Status       string     `json:"status"`         // live or scheduled
	ShopID       string     `json:"shop_id"`
	ShopName     string     `json:"shop_name"`
	HostID       string     `json:"host_id"` // "" when the shop hosts the session itself
	HostName     string     `json:"host_name"`
	Category     string     `json:"category"` // the shop's category
	Programme    string     `json:"programme"`
	County       string     `json:"county"`
	Region       string     `json:"region"`
	PlannedStart time.Time  `json:"planned_start"`
	StartedAt    *time.Time `json:"started_at,omitempty"`

	// Engagement, as last read from the analytics tables.
	Viewers    int64 `json:"viewers"` // current viewers over every node
	Likes      int64 `json:"likes"`
	Views      int64 `json:"-"`
	PaidOrders int64 `json:"-"`

	// HostFollowers and HostSessions describe whoever hosts the room: the
	// host, or the shop when the session has no host. Sessions count the
	// ones that went live (this one included when it is live).
	HostFollowers int64 `json:"host_followers"`
	HostSessions  int64 `json:"-"`
}

// Live reports whether the room is live now.
func (r Room) Live() bool { return r.Status == StatusLive }

// Hoster names whoever hosts the room for follower and session counts:
// kind "host" with the host's id, or kind "shop" with the shop's id.
func (r Room) Hoster() Target {
	if r.HostID != "" {
		return Target{Kind: "host", ID: r.HostID}
	}
	return Target{Kind: "shop", ID: r.ShopID}
}

// Target is a host (a user) or a shop: what viewers follow.
type Target struct {
	Kind string // host | shop
	ID   string
}

// HostStats are a host's (or shop's) followers and sessions that went live.
type HostStats struct {
	Followers int64
	Sessions  int64
}

// RoomStats are a live room's engagement figures.
type RoomStats struct {
	Viewers    int64 // summed over the nodes' fresh reports
	Views      int64
	Likes      int64
	PaidOrders int64
}

// Affinity is how much a viewer watched and bought in one shop category.
type Affinity struct {
	Views  int64
	Orders int64
}

// Viewer is what ranking knows of the person asking. The zero Viewer is an
// anonymous visitor with no history: only engagement, freshness and
// exploration rank rooms for them.
type Viewer struct {
	// Key is "u:<user id>", "a:<anon id>" or "": it seeds the exploration
	// choice, nothing else.
	Key        string
	Hosts      map[string]bool // followed hosts (user ids)
	Shops      map[string]bool // followed shops
	Categories map[string]Affinity
	// Region is the region of the viewer's default address (else their
	// newest address), "" when they have none.
	Region string
}

// follows reports whether the viewer follows the room's host or its shop.
func (v Viewer) follows(r Room) (host, shop bool) {
	return r.HostID != "" && v.Hosts[r.HostID], v.Shops[r.ShopID]
}

// sameRegion compares regions as people type them: trimmed, any case.
func sameRegion(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}

// categoryLabel is a shop category for people: "fresh_produce" → "fresh produce".
func categoryLabel(c string) string { return strings.ReplaceAll(c, "_", " ") }
