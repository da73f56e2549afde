// Package social holds what connects viewers to hosts and shops between
// live sessions (docs/DISCOVERY.md): follows, "remind me", notifications
// (in-app and Web Push) and the schedule of upcoming sessions.
//
// A notification is written once per person whatever the number of nodes
// trying: the notifications table is unique on (user, kind, session) and
// every insert is ON CONFLICT DO NOTHING, so when a session goes live and
// every node hears room.{id}.live, each follower's row is written by one
// node only, and that node alone sends the Web Push for it. A buyer's order
// notifications are written by the order change's transaction instead
// (the store, from an order.Notice) and pushed with PushNotification.
package social

import (
	"time"

	"github.com/liveshop/liveshop/internal/room"
)

// What can be followed.
const (
	TargetHost = "host"
	TargetShop = "shop"
)

// Notification kinds: about a live session, and (written by the order
// service with the order change, docs/DISCOVERY.md) about a buyer's order.
const (
	KindLive         = "live"
	KindStartingSoon = "starting_soon"

	KindOrderShipped   = "order_shipped"
	KindOrderDelivered = "order_delivered"
	KindOrderRefunded  = "order_refunded"
	KindRefundDeclined = "refund_declined"
)

// Limits and intervals.
const (
	// StartingSoonLead is how long before its planned start a session's
	// followers and reminder holders hear it is starting soon.
	StartingSoonLead = 10 * time.Minute
	// MaxScheduleDays bounds a schedule query's window.
	MaxScheduleDays = 31
	// DefaultScheduleDays is the window when no "to" is given.
	DefaultScheduleDays = 7
	// MaxReadIDs bounds the ids marked read in one call.
	MaxReadIDs = 100
	// fanoutBatch is how many recipients one pass of a fan-out reads and
	// inserts.
	fanoutBatch = 500
)

// Follow is a viewer following a host or a shop.
type Follow struct {
	UserID       string    `json:"-"`
	TargetKind   string    `json:"target_kind"`
	TargetID     string    `json:"target_id"`
	TargetName   string    `json:"target_name"`
	SourceRoomID string    `json:"source_room_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// FollowInput is a follow as a viewer asks for it; RoomID is the live
// room it was made in, if any (the room's dashboard counts it).
type FollowInput struct {
	TargetKind string `json:"target_kind"`
	TargetID   string `json:"target_id"`
	RoomID     string `json:"room_id,omitempty"`
}

// Followers is a host's or shop's follower count and whether the caller
// is one of them.
type Followers struct {
	Followers int64 `json:"followers"`
	Following bool  `json:"following"`
}

// HostProfile is a host as viewers see them: followers and the sessions
// they host that are live or coming up (live first, then soonest).
type HostProfile struct {
	ID          string         `json:"id"`
	DisplayName string         `json:"display_name"`
	Followers   int64          `json:"followers"`
	Following   bool           `json:"following"`
	Sessions    []room.Session `json:"sessions"`
}

// Reminder is a viewer's "remind me" on a scheduled session.
type Reminder struct {
	SessionID string    `json:"session_id"`
	UserID    string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// ReminderState says whether the caller asked to be reminded.
type ReminderState struct {
	SessionID string `json:"session_id"`
	Reminded  bool   `json:"reminded"`
}

// Notification is one thing a person is told about: a live session
// (SessionID) or their order (OrderID), never both. Title and Body are
// English, written when it was sent; Params hold the values they were
// made of, so an app can write a known Kind in its reader's language.
type Notification struct {
	ID        string             `json:"id"`
	UserID    string             `json:"-"`
	Kind      string             `json:"kind"`
	SessionID string             `json:"session_id,omitempty"`
	OrderID   string             `json:"order_id,omitempty"`
	Title     string             `json:"title"`
	Body      string             `json:"body"`
	URL       string             `json:"url"`
	Params    NotificationParams `json:"params"`
	CreatedAt time.Time          `json:"created_at"`
	ReadAt    *time.Time         `json:"read_at"`
}

// NotificationParams are the values in a notification's text, as they
// were when it was sent (a session renamed later keeps its old title
// here, like in Title). Older notifications have none: zero values.
type NotificationParams struct {
	// Host is the host's display name; "" when the shop presents itself.
	Host string `json:"host,omitempty"`
	Shop string `json:"shop,omitempty"`
	// Title is the session's title.
	Title string `json:"title,omitempty"`
	// Minutes until the planned start (starting_soon); 0 is "now".
	Minutes int `json:"minutes,omitempty"`

	// Order kinds: the carrier and tracking number (order_shipped), the
	// shop's reason (refund_declined) and the order's total.
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	Reason         string `json:"reason,omitempty"`
	TotalMinor     int64  `json:"total_minor,omitempty"`
	Currency       string `json:"currency,omitempty"`
}

// ReadInput marks notifications read: the ones in IDs, or All of them.
type ReadInput struct {
	IDs []string `json:"ids,omitempty"`
	All bool     `json:"all,omitempty"`
}

// UnreadCount is the caller's number of unread notifications.
type UnreadCount struct {
	Count int64 `json:"count"`
}

// ScheduledSession is an upcoming session in the schedule: the session
// (cover, planned start, shelf, shop and host) with the channels its shop
// appears in, whether the caller asked to be reminded, and how many
// people follow its host or shop (counted once each).
type ScheduledSession struct {
	room.Session
	ShopCategory  string   `json:"shop_category"`
	ShopProgramme string   `json:"shop_programme"`
	Channels      []string `json:"channels"`
	Reminded      bool     `json:"reminded"`
	Followers     int64    `json:"followers"`
}

// ScheduleFilter selects upcoming sessions: scheduled, planned from From
// to To (inclusive), of shops with one of Categories or Programme when
// either is set, after the (AfterStart, AfterID) cursor, soonest first.
type ScheduleFilter struct {
	From, To   time.Time
	Categories []string
	Programme  string
	ViewerID   string // "" for anonymous: reminded is false
	AfterStart time.Time
	AfterID    string
	Limit      int
}

// Recipients selects who hears of a session: followers of its host or
// shop and its reminder holders, without the host, without those who
// already have a notification of Kind for it, after user id After,
// sorted by user id.
type Recipients struct {
	SessionID string
	HostID    string
	ShopID    string
	Kind      string
	After     string
	Limit     int
}

// PushKeys are a browser's subscription keys, base64url as the Push API
// gives them.
type PushKeys struct {
	P256dh string `json:"p256dh"`
	Auth   string `json:"auth"`
}

// PushSubscriptionInput is a browser's PushSubscription as JSON, with
// the language the app speaks there (the pushes' language; "" is English).
type PushSubscriptionInput struct {
	Endpoint string   `json:"endpoint"`
	Keys     PushKeys `json:"keys"`
	Locale   string   `json:"locale,omitempty"`
}

// PushSubscription is a stored subscription.
type PushSubscription struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Endpoint  string    `json:"endpoint"`
	Keys      PushKeys  `json:"keys"`
	Locale    string    `json:"locale"`
	CreatedAt time.Time `json:"created_at"`
	LastError string    `json:"last_error,omitempty"`
}

// VAPIDPublicKey is the application server key browsers subscribe with.
type VAPIDPublicKey struct {
	PublicKey string `json:"public_key"`
}
