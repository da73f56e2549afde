package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/feed"
)

// The feed's reads (feed.Repo): candidate rooms, their engagement, their
// hosts' followers and sessions, a viewer's features, channel pages. The
// feed writes nothing; follows and the analytics tables belong to other
// packages.

// feedCandidates selects the rooms the feed indexes: live sessions and
// scheduled ones planned between $1 and $2.
const feedCandidates = `(l.status = 'live' OR (l.status = 'scheduled' AND l.planned_start >= $1 AND l.planned_start <= $2))`

// feedRoomColumns are a feed.Room's columns. A session without a cover
// shows its first shelf product's first picture, as the room cards do.
const feedRoomColumns = `
	l.id, l.title,
	CASE WHEN l.cover_image_id <> '' THEN l.cover_image_id ELSE COALESCE((
		SELECT pi.id FROM live_session_products lp JOIN product_images pi ON pi.product_id = lp.product_id
		WHERE lp.session_id = l.id ORDER BY lp.position, pi.position LIMIT 1), '') END,
	l.status, l.shop_id, sh.name, COALESCE(l.host_id, ''), COALESCE(u.display_name, ''),
	sh.category, sh.programme, sh.county, sh.region, l.planned_start, l.started_at, l.likes
	FROM live_sessions l JOIN shops sh ON sh.id = l.shop_id LEFT JOIN users u ON u.id = l.host_id`

func scanFeedRoom(rows *sql.Rows) (feed.Room, error) {
	var r feed.Room
	var planned int64
	var started sql.NullInt64
	err := rows.Scan(&r.ID, &r.Title, &r.CoverImageID, &r.Status, &r.ShopID, &r.ShopName, &r.HostID, &r.HostName,
		&r.Category, &r.Programme, &r.County, &r.Region, &planned, &started, &r.Likes)
	r.PlannedStart, r.StartedAt = fromMillis(planned), fromNullMillis(started)
	return r, err
}

func (s *Store) feedRooms(ctx context.Context, what, query string, args ...any) ([]feed.Room, error) {
	rows, err := s.rq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []feed.Room{}
	for rows.Next() {
		r, err := scanFeedRoom(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// FeedRooms lists live sessions and those scheduled between from and
// until, in no particular order.
func (s *Store) FeedRooms(ctx context.Context, from, until time.Time) ([]feed.Room, error) {
	return s.feedRooms(ctx, "feed rooms", `SELECT `+feedRoomColumns+` WHERE `+feedCandidates, millis(from), millis(until))
}

// FeedRoomStates lists the ids and statuses of the rooms FeedRooms lists.
func (s *Store) FeedRoomStates(ctx context.Context, from, until time.Time) (map[string]string, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT l.id, l.status FROM live_sessions l WHERE `+feedCandidates, millis(from), millis(until))
	if err != nil {
		return nil, fmt.Errorf("store: feed room states: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, fmt.Errorf("store: feed room states: %w", err)
		}
		out[id] = status
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feed room states: %w", err)
	}
	return out, nil
}

// FeedRoomStats reads the engagement of live sessions: the viewers each
// node reported at or after freshSince, summed, and the room totals.
func (s *Store) FeedRoomStats(ctx context.Context, freshSince time.Time) (map[string]feed.RoomStats, error) {
	// kind 0: current viewers; kind 1: totals of a live session.
	rows, err := s.rq.QueryContext(ctx, `
		SELECT 0, session_id, SUM(viewers), 0, 0, 0, 0 FROM analytics_room_viewers
		WHERE reported_at >= $1 GROUP BY session_id
		UNION ALL
		SELECT 1, l.id, 0, COALESCE(t.views, 0), COALESCE(t.likes, 0), l.likes, COALESCE(t.paid_orders, 0)
		FROM live_sessions l LEFT JOIN analytics_room_totals t ON t.session_id = l.id
		WHERE l.status = 'live'`, millis(freshSince))
	if err != nil {
		return nil, fmt.Errorf("store: feed room stats: %w", err)
	}
	defer rows.Close()
	out := map[string]feed.RoomStats{}
	for rows.Next() {
		var kind int
		var id string
		var viewers, views, likes, sessionLikes, paid int64
		if err := rows.Scan(&kind, &id, &viewers, &views, &likes, &sessionLikes, &paid); err != nil {
			return nil, fmt.Errorf("store: feed room stats: %w", err)
		}
		st := out[id]
		if kind == 0 {
			st.Viewers = viewers
		} else {
			// The session keeps its own like count; the totals may lag it
			// (or be empty while the analytics pipeline is not running).
			st.Views, st.Likes, st.PaidOrders = views, max(likes, sessionLikes), paid
		}
		out[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feed room stats: %w", err)
	}
	return out, nil
}

// FeedHostStats counts the followers and the sessions that went live of
// the hosts of the candidate rooms, and of the shops of candidate rooms
// without a host. Sessions have no index by host: this runs every half
// minute, not on every refresh (feed.Service).
func (s *Store) FeedHostStats(ctx context.Context, from, until time.Time) (map[feed.Target]feed.HostStats, error) {
	rows, err := s.rq.QueryContext(ctx, `
		WITH c AS (SELECT DISTINCT COALESCE(l.host_id, '') AS host_id, l.shop_id FROM live_sessions l WHERE `+feedCandidates+`)
		SELECT 'host', f.target_id, COUNT(*), 0 FROM follows f
		WHERE f.target_kind = 'host' AND f.target_id IN (SELECT host_id FROM c WHERE host_id <> '') GROUP BY f.target_id
		UNION ALL
		SELECT 'shop', f.target_id, COUNT(*), 0 FROM follows f
		WHERE f.target_kind = 'shop' AND f.target_id IN (SELECT shop_id FROM c WHERE host_id = '') GROUP BY f.target_id
		UNION ALL
		SELECT 'host', x.host_id, 0, COUNT(*) FROM live_sessions x
		WHERE x.status IN ('live', 'ended', 'replay') AND x.host_id IN (SELECT host_id FROM c WHERE host_id <> '') GROUP BY x.host_id
		UNION ALL
		SELECT 'shop', x.shop_id, 0, COUNT(*) FROM live_sessions x
		WHERE x.status IN ('live', 'ended', 'replay') AND x.shop_id IN (SELECT shop_id FROM c WHERE host_id = '') GROUP BY x.shop_id`,
		millis(from), millis(until))
	if err != nil {
		return nil, fmt.Errorf("store: feed host stats: %w", err)
	}
	defer rows.Close()
	out := map[feed.Target]feed.HostStats{}
	for rows.Next() {
		var t feed.Target
		var followers, sessions int64
		if err := rows.Scan(&t.Kind, &t.ID, &followers, &sessions); err != nil {
			return nil, fmt.Errorf("store: feed host stats: %w", err)
		}
		st := out[t]
		st.Followers += followers
		st.Sessions += sessions
		out[t] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feed host stats: %w", err)
	}
	return out, nil
}

// ViewerFeatures reads a user's follows, category affinities and
// addresses in one round trip; the region is the default address's, else
// the newest address's.
func (s *Store) ViewerFeatures(ctx context.Context, userID string) (feed.Viewer, error) {
	v := feed.Viewer{Hosts: map[string]bool{}, Shops: map[string]bool{}, Categories: map[string]feed.Affinity{}}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT 0, target_kind, target_id, 0, 0 FROM follows WHERE user_id = $1
		UNION ALL
		SELECT 1, category, '', views, orders FROM analytics_user_categories WHERE user_id = $1
		UNION ALL
		SELECT 2, region, '', CASE WHEN is_default THEN 1 ELSE 0 END, created_at FROM addresses WHERE user_id = $1`, userID)
	if err != nil {
		return v, fmt.Errorf("store: viewer features of %s: %w", userID, err)
	}
	defer rows.Close()
	var bestDefault, bestAt int64 = -1, -1
	for rows.Next() {
		var kind int
		var a, b string
		var x, y int64
		if err := rows.Scan(&kind, &a, &b, &x, &y); err != nil {
			return v, fmt.Errorf("store: viewer features of %s: %w", userID, err)
		}
		switch {
		case kind == 0 && a == "host":
			v.Hosts[b] = true
		case kind == 0 && a == "shop":
			v.Shops[b] = true
		case kind == 1:
			v.Categories[a] = feed.Affinity{Views: x, Orders: y}
		case kind == 2 && (x > bestDefault || x == bestDefault && y > bestAt):
			v.Region, bestDefault, bestAt = a, x, y
		}
	}
	if err := rows.Err(); err != nil {
		return v, fmt.Errorf("store: viewer features of %s: %w", userID, err)
	}
	return v, nil
}

// Channel order: live rooms (group 0) newest first, then scheduled ones
// soonest first, then by id; the same expressions make the keyset.
const (
	channelGroup = `CASE WHEN l.status = 'live' THEN 0 ELSE 1 END`
	channelKey   = `CASE WHEN l.status = 'live' THEN -COALESCE(l.started_at, l.planned_start) ELSE l.planned_start END`
)

// ChannelRooms lists a channel's page of rooms in channel order.
func (s *Store) ChannelRooms(ctx context.Context, q feed.ChannelQuery) ([]feed.Room, error) {
	args := []any{millis(q.From), millis(q.Until)}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var match []string
	if len(q.Categories) > 0 {
		ps := make([]string, len(q.Categories))
		for i, c := range q.Categories {
			ps[i] = arg(c)
		}
		match = append(match, `sh.category IN (`+strings.Join(ps, ", ")+`)`)
	}
	if q.Programme != "" {
		match = append(match, `sh.programme = `+arg(q.Programme))
	}
	if len(match) == 0 {
		return []feed.Room{}, nil
	}
	where := feedCandidates + ` AND (` + strings.Join(match, " OR ") + `)`
	if q.County != "" {
		where += ` AND sh.county = ` + arg(q.County)
	}
	if a := q.After; a != nil {
		group, key := 1, a.Key
		if a.Live {
			group, key = 0, -a.Key
		}
		where += fmt.Sprintf(` AND (%s, %s, l.id) > (%s, %s, %s)`, channelGroup, channelKey, arg(group), arg(key), arg(a.ID))
	}
	query := `SELECT ` + feedRoomColumns + ` WHERE ` + where + ` ORDER BY ` + channelGroup + `, ` + channelKey + `, l.id LIMIT ` + arg(q.Limit)
	return s.feedRooms(ctx, "channel rooms", query, args...)
}

// ProgrammeCounties lists the counties of the programme's shops that have
// had sessions, with how many.
func (s *Store) ProgrammeCounties(ctx context.Context, programme string) ([]feed.County, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT sh.county, COUNT(*) FROM shops sh JOIN live_sessions l ON l.shop_id = sh.id
		WHERE sh.programme = $1 AND sh.county <> '' GROUP BY sh.county`, programme)
	if err != nil {
		return nil, fmt.Errorf("store: counties of %s: %w", programme, err)
	}
	defer rows.Close()
	out := []feed.County{}
	for rows.Next() {
		var c feed.County
		if err := rows.Scan(&c.County, &c.Sessions); err != nil {
			return nil, fmt.Errorf("store: counties of %s: %w", programme, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: counties of %s: %w", programme, err)
	}
	return out, nil
}

var _ feed.Repo = (*Store)(nil)
