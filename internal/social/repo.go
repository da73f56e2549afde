package social

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/room"
)

// Repo stores follows, reminders, notifications and push subscriptions;
// *store.Store implements it.
type Repo interface {
	// HostName returns the display name of a user who is a host; NotFound
	// for anyone else.
	HostName(ctx context.Context, userID string) (string, error)
	// ApprovedShopName returns the name of an approved shop; NotFound for
	// unknown and unapproved shops.
	ApprovedShopName(ctx context.Context, shopID string) (string, error)

	// AddFollow stores f unless the user already follows the target, and
	// reports whether it did; the follow returned is the stored one.
	AddFollow(ctx context.Context, f Follow) (Follow, bool, error)
	// RemoveFollow deletes a follow; none is no error.
	RemoveFollow(ctx context.Context, userID, kind, targetID string) error
	// ListFollows lists a user's follows newest first with the names of
	// their targets, after cursor (a previous page's last "kind:id").
	ListFollows(ctx context.Context, userID string, after *Follow, limit int) ([]Follow, error)
	// FollowerCount counts a target's followers.
	FollowerCount(ctx context.Context, kind, targetID string) (int64, error)
	// IsFollowing reports whether the user follows the target.
	IsFollowing(ctx context.Context, userID, kind, targetID string) (bool, error)
	// FollowsHostOrShop reports whether the user follows the host (when
	// hostID is not "") or the shop.
	FollowsHostOrShop(ctx context.Context, userID, hostID, shopID string) (bool, error)
	// HostSessions lists the sessions a host hosts that are live or
	// scheduled: live first, then by planned start; at most limit.
	HostSessions(ctx context.Context, hostID string, limit int) ([]room.Session, error)

	// AddReminder stores a reminder unless the user has one for the
	// session, and reports whether it did.
	AddReminder(ctx context.Context, r Reminder) (bool, error)
	// RemoveReminder deletes a reminder; none is no error.
	RemoveReminder(ctx context.Context, sessionID, userID string) error
	// HasReminder reports whether the user has a reminder for the session.
	HasReminder(ctx context.Context, sessionID, userID string) (bool, error)

	// NotificationRecipients lists who hears of a session (Recipients).
	NotificationRecipients(ctx context.Context, r Recipients) ([]string, error)
	// InsertNotifications stores ns, skipping every one whose (user, kind,
	// session) is already stored, and returns exactly the ones it wrote.
	// Concurrent callers with the same rows together write each once.
	InsertNotifications(ctx context.Context, ns []Notification) ([]Notification, error)
	// PruneNotifications deletes at most limit notifications created
	// before before, oldest first, and returns how many it deleted.
	PruneNotifications(ctx context.Context, before time.Time, limit int) (int64, error)
	// ListNotifications lists a user's notifications newest first, only
	// unread ones when unreadOnly, before cursor (an id).
	ListNotifications(ctx context.Context, userID string, unreadOnly bool, cursor string, limit int) ([]Notification, error)
	// NotificationByID returns one of a user's notifications; NotFound
	// when the user has none with that id.
	NotificationByID(ctx context.Context, userID, id string) (Notification, error)
	// UnreadNotifications counts a user's unread notifications.
	UnreadNotifications(ctx context.Context, userID string) (int64, error)
	// MarkNotificationsRead sets read_at on the user's unread
	// notifications among ids, or on all of them when all.
	MarkNotificationsRead(ctx context.Context, userID string, ids []string, all bool, at time.Time) error
	// SessionsStartingBetween lists the ids of scheduled sessions planned
	// after from and not after to.
	SessionsStartingBetween(ctx context.Context, from, to time.Time) ([]string, error)

	// Schedule lists upcoming sessions (ScheduleFilter).
	Schedule(ctx context.Context, f ScheduleFilter) ([]ScheduledSession, error)

	// SavePushSubscription stores a subscription by endpoint: an endpoint
	// already stored moves to this user with the new keys. A user keeps
	// their newest MaxPushSubscriptions.
	SavePushSubscription(ctx context.Context, p PushSubscription) error
	// DeletePushSubscription deletes the user's subscription to endpoint;
	// none is no error.
	DeletePushSubscription(ctx context.Context, userID, endpoint string) error
	// PushSubscriptionsOf lists the subscriptions of the users.
	PushSubscriptionsOf(ctx context.Context, userIDs []string) ([]PushSubscription, error)
	// DropPushEndpoint deletes a subscription the push service says is gone.
	DropPushEndpoint(ctx context.Context, endpoint string) error
	// SetPushError records the last failure of an endpoint.
	SetPushError(ctx context.Context, endpoint, msg string) error
}

// MaxPushSubscriptions is how many browsers a user keeps subscribed.
const MaxPushSubscriptions = 20

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	// Get returns a session, or apperr NotFound.
	Get(ctx context.Context, id string) (room.Session, error)
}
