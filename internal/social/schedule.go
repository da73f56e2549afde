package social

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/feed"
)

// ScheduleQuery is a schedule request as it arrives: From and To are RFC
// 3339 times or YYYY-MM-DD days (a day as To means its end); empty From
// is now, empty To is DefaultScheduleDays after From. Channel is a
// channel code (feed.Channels) or "".
type ScheduleQuery struct {
	From    string
	To      string
	Channel string
	Cursor  string
	Limit   int
}

const day = 24 * time.Hour

// parseWhen reads an RFC 3339 time or a YYYY-MM-DD day; end picks the
// last millisecond of a day.
func parseWhen(field, v string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC().Truncate(time.Millisecond), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		if end {
			t = t.Add(day - time.Millisecond)
		}
		return t, nil
	}
	return time.Time{}, apperr.Field(field, "%s must be an RFC 3339 time (2026-12-01T20:00:00Z) or a day (2026-12-01)", field)
}

// scheduleFilter validates q into a filter for the store.
func scheduleFilter(q ScheduleQuery, now time.Time) (ScheduleFilter, error) {
	f := ScheduleFilter{From: now.UTC().Truncate(time.Millisecond), Limit: q.Limit}
	var err error
	if v := strings.TrimSpace(q.From); v != "" {
		if f.From, err = parseWhen("from", v, false); err != nil {
			return f, err
		}
	}
	f.To = f.From.Add(DefaultScheduleDays * day)
	if v := strings.TrimSpace(q.To); v != "" {
		if f.To, err = parseWhen("to", v, true); err != nil {
			return f, err
		}
	}
	switch {
	case f.To.Before(f.From):
		return f, apperr.Field("to", "to must not be before from")
	case f.To.Sub(f.From) > MaxScheduleDays*day:
		return f, apperr.Field("to", "the schedule spans at most %d days", MaxScheduleDays)
	}
	if code := strings.TrimSpace(q.Channel); code != "" {
		ch, ok := feed.ChannelByCode(code)
		if !ok {
			return f, apperr.Field("channel", "unknown channel %q", code)
		}
		f.Categories, f.Programme = ch.Categories, ch.Programme
	}
	if q.Cursor != "" {
		ms, id, ok := strings.Cut(q.Cursor, ".")
		n, err := strconv.ParseInt(ms, 10, 64)
		if !ok || err != nil || id == "" {
			return f, apperr.Field("cursor", "cursor is not valid")
		}
		f.AfterStart, f.AfterID = time.UnixMilli(n).UTC(), id
	}
	return f, nil
}

// Schedule lists upcoming (scheduled) sessions planned between from and
// to, soonest first, with their covers, shelves, shop and host, the
// channels they appear in, whether the caller asked to be reminded and
// how many people follow their host or shop. next is "" on the last
// page. Invalid with field from, to (before from, or more than
// MaxScheduleDays after it), channel or cursor. Public.
func (s *Service) Schedule(ctx context.Context, a account.Actor, q ScheduleQuery) (items []ScheduledSession, next string, err error) {
	f, err := scheduleFilter(q, s.now())
	if err != nil {
		return nil, "", err
	}
	f.ViewerID = a.ID()
	items, err = s.repo.Schedule(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("social: schedule: %w", err)
	}
	for i := range items {
		items[i].Channels = feed.ChannelsFor(items[i].ShopCategory, items[i].ShopProgramme)
		if items[i].Channels == nil {
			items[i].Channels = []string{}
		}
	}
	if q.Limit > 0 && len(items) == q.Limit {
		last := items[len(items)-1]
		next = strconv.FormatInt(last.PlannedStart.UnixMilli(), 10) + "." + last.ID
	}
	return items, next, nil
}
