package feed

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// ChannelInfo is a channel with how many of its rooms are live.
type ChannelInfo struct {
	Channel
	LiveCount int `json:"live_count"`
}

// Channels lists the channels in display order with their live rooms
// counted from the index.
func (s *Service) Channels(ctx context.Context) ([]ChannelInfo, error) {
	idx, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelInfo, len(Channels))
	for i, c := range Channels {
		out[i] = ChannelInfo{Channel: c, LiveCount: idx.liveCount[c.Code]}
	}
	return out, nil
}

// MaxCounty bounds the county filter (shops' counties are at most 80 characters).
const MaxCounty = 80

// Channel lists a channel's rooms: live ones (newest first) then those
// scheduled within the window (soonest first), of shops in county when
// it is not empty. Live figures come from the index; score and reasons
// are an anonymous viewer's. next is the cursor of the following page,
// "" after the last. Returns NotFound for an unknown channel, Invalid
// with field limit, county or cursor.
func (s *Service) Channel(ctx context.Context, code, county string, limit int, cursor string) (items []Item, next string, err error) {
	ch, ok := ChannelByCode(code)
	if !ok {
		return nil, "", apperr.New(apperr.NotFound, "no channel %q", code)
	}
	if err := checkLimit(limit); err != nil {
		return nil, "", err
	}
	county = strings.TrimSpace(county)
	if utf8.RuneCountInString(county) > MaxCounty {
		return nil, "", apperr.Field("county", "county is at most %d characters", MaxCounty)
	}
	after, err := ParseCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	idx, err := s.current(ctx)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	rooms, err := s.repo.ChannelRooms(ctx, ChannelQuery{Categories: ch.Categories, Programme: ch.Programme, County: county,
		From: now.Add(-StaleScheduled), Until: now.Add(s.window), After: after, Limit: limit})
	if err != nil {
		return nil, "", fmt.Errorf("feed: channel %s: %w", code, err)
	}
	items = make([]Item, len(rooms))
	for i, r := range rooms {
		if j, ok := idx.byID[r.ID]; ok {
			in := idx.rooms[j]
			r.Viewers, r.Likes, r.Views, r.PaidOrders = in.Viewers, in.Likes, in.Views, in.PaidOrders
			r.HostFollowers, r.HostSessions = in.HostFollowers, in.HostSessions
		}
		items[i] = Explain(Viewer{}, r, now)
	}
	if len(rooms) == limit {
		next = CursorOf(rooms[len(rooms)-1]).String()
	}
	return items, next, nil
}

// RuralCounties lists the rural channel's counties, alphabetically, with
// their sessions and how many are live now.
func (s *Service) RuralCounties(ctx context.Context) ([]County, error) {
	rural, _ := ChannelByCode("rural")
	counties, err := s.repo.ProgrammeCounties(ctx, rural.Programme)
	if err != nil {
		return nil, fmt.Errorf("feed: rural counties: %w", err)
	}
	idx, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	live := map[string]int{}
	for _, r := range idx.rooms {
		if r.Live() && r.Programme == rural.Programme {
			live[strings.TrimSpace(r.County)]++
		}
	}
	for i := range counties {
		counties[i].LiveCount = live[counties[i].County]
	}
	// Sorted here: the databases' collations differ.
	slices.SortFunc(counties, func(a, b County) int { return strings.Compare(a.County, b.County) })
	return counties, nil
}

// CursorOf is the cursor just after r in channel order.
func CursorOf(r Room) Cursor {
	if r.Live() {
		at := r.PlannedStart
		if r.StartedAt != nil {
			at = *r.StartedAt
		}
		return Cursor{Live: true, Key: at.UnixMilli(), ID: r.ID}
	}
	return Cursor{Key: r.PlannedStart.UnixMilli(), ID: r.ID}
}

// String encodes the cursor: "l.<started ms>.<id>" or "s.<planned ms>.<id>".
func (c Cursor) String() string {
	kind := "s"
	if c.Live {
		kind = "l"
	}
	return kind + "." + strconv.FormatInt(c.Key, 10) + "." + c.ID
}

// ParseCursor reads a cursor made by Cursor.String; "" is the first page.
// Returns Invalid with field cursor.
func ParseCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := apperr.Field("cursor", "cursor is not valid")
	parts := strings.SplitN(s, ".", 3)
	if len(s) > 100 || len(parts) != 3 || parts[0] != "l" && parts[0] != "s" || parts[2] == "" {
		return nil, bad
	}
	key, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil, bad
	}
	return &Cursor{Live: parts[0] == "l", Key: key, ID: parts[2]}, nil
}
