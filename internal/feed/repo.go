package feed

import (
	"context"
	"time"
)

// Repo reads what the feed ranks; *store.Store implements it. The feed
// writes nothing: follows come from internal/social, engagement and
// affinities from internal/analytics.
type Repo interface {
	// FeedRooms lists live sessions and scheduled ones planned between
	// from and until, with their shop's name, category, programme, county
	// and region, the host's name and a cover (the session's, else the
	// first shelf product's first picture). Engagement and host figures
	// are left zero.
	FeedRooms(ctx context.Context, from, until time.Time) ([]Room, error)
	// FeedRoomStates lists the same sessions as FeedRooms, as id → status
	// only: the cheap check that tells whether the details must be reread.
	FeedRoomStates(ctx context.Context, from, until time.Time) (map[string]string, error)
	// FeedRoomStats returns the engagement of live sessions by id:
	// current viewers summed over the nodes that reported at or after
	// freshSince, and views, likes and paid orders from the room totals
	// (likes: the larger of the totals' and the session's own count).
	FeedRoomStats(ctx context.Context, freshSince time.Time) (map[string]RoomStats, error)
	// FeedHostStats returns followers and sessions that went live of
	// whoever hosts each session FeedRooms(from, until) lists: the host,
	// or the shop for a session without one (Room.Hoster). Targets with
	// neither followers nor sessions may be missing.
	FeedHostStats(ctx context.Context, from, until time.Time) (map[Target]HostStats, error)
	// ViewerFeatures returns a user's follows, category affinities and
	// region (default address, else the newest); Key is left empty.
	ViewerFeatures(ctx context.Context, userID string) (Viewer, error)
	// ChannelRooms lists the rooms of a channel in channel order (live
	// rooms newest first, then scheduled ones soonest first, then by id),
	// after q.After when it is set.
	ChannelRooms(ctx context.Context, q ChannelQuery) ([]Room, error)
	// ProgrammeCounties lists the counties of the programme's shops that
	// have had sessions, in any order, with how many sessions each.
	ProgrammeCounties(ctx context.Context, programme string) ([]County, error)
}

// ChannelQuery selects a channel's rooms: live sessions and sessions
// scheduled between From and Until of shops in one of Categories or in
// Programme (when not empty), in County when it is not empty.
type ChannelQuery struct {
	Categories []string
	Programme  string
	County     string
	From       time.Time
	Until      time.Time
	After      *Cursor
	Limit      int
}

// Cursor is a place in channel order: after the room with this id, which
// was live (Key: started_at ms) or scheduled (Key: planned_start ms).
type Cursor struct {
	Live bool
	Key  int64
	ID   string
}

// County is a county of the rural channel.
type County struct {
	County    string `json:"county"`
	Sessions  int64  `json:"sessions"`   // sessions its shops have had, in any state
	LiveCount int    `json:"live_count"` // live now
}
