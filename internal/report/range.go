package report

import (
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// DayMillis is one UTC day in milliseconds. Storage turns a timestamp into
// a day by integer division by it, the same on both databases.
const DayMillis = 24 * 60 * 60 * 1000

// Range limits.
const (
	DefaultDays = 30
	MaxDays     = 366
)

const dayLayout = "2006-01-02"

// Range is a span of whole UTC days, both ends included.
type Range struct {
	From time.Time // 00:00 UTC of the first day
	To   time.Time // 00:00 UTC of the last day
}

// ParseRange reads the from and to query values (YYYY-MM-DD, inclusive).
// Either may be empty: without both the range is the last DefaultDays
// days up to today; with one, the other is DefaultDays days away.
//
// Returns Invalid with field from or to for a malformed date, field from
// when from is after to, field to when the range is longer than MaxDays.
func ParseRange(from, to string, now time.Time) (Range, error) {
	var r Range
	var err error
	if to != "" {
		if r.To, err = time.Parse(dayLayout, to); err != nil {
			return Range{}, apperr.Field("to", "to must be a date as YYYY-MM-DD, got %q", to)
		}
	}
	if from != "" {
		if r.From, err = time.Parse(dayLayout, from); err != nil {
			return Range{}, apperr.Field("from", "from must be a date as YYYY-MM-DD, got %q", from)
		}
	}
	switch {
	case from == "" && to == "":
		r.To = startOfDay(now)
		r.From = r.To.AddDate(0, 0, -(DefaultDays - 1))
	case from == "":
		r.From = r.To.AddDate(0, 0, -(DefaultDays - 1))
	case to == "":
		r.To = r.From.AddDate(0, 0, DefaultDays-1)
	}
	// A default end can fall outside the years YYYY-MM-DD can write
	// (9999-12-31 plus 29 days); such a range could not be asked for again.
	if r.From.Year() < 0 {
		return Range{}, apperr.Field("from", "from must be in the years 0000 to 9999")
	}
	if r.To.Year() > 9999 {
		return Range{}, apperr.Field("to", "to must be in the years 0000 to 9999")
	}
	if r.From.After(r.To) {
		return Range{}, apperr.Field("from", "from (%s) is after to (%s)", r.From.Format(dayLayout), r.To.Format(dayLayout))
	}
	if n := r.Days(); n > MaxDays {
		return Range{}, apperr.Field("to", "a report covers at most %d days; %s to %s is %d", MaxDays,
			r.From.Format(dayLayout), r.To.Format(dayLayout), n)
	}
	return r, nil
}

func startOfDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Days is how many days the range covers.
func (r Range) Days() int { return int(r.LastDay()-r.FirstDay()) + 1 }

// FirstDay and LastDay are the range's ends as whole days since the epoch,
// as the analytics tables keep them.
func (r Range) FirstDay() int64 { return r.From.UnixMilli() / DayMillis }

// LastDay: see FirstDay.
func (r Range) LastDay() int64 { return r.To.UnixMilli() / DayMillis }

// StartMillis and EndMillis bound the range's timestamps: [start, end).
func (r Range) StartMillis() int64 { return r.From.UnixMilli() }

// EndMillis: see StartMillis.
func (r Range) EndMillis() int64 { return r.To.UnixMilli() + DayMillis }

// FromString and ToString are the ends as YYYY-MM-DD.
func (r Range) FromString() string { return r.From.Format(dayLayout) }

// ToString: see FromString.
func (r Range) ToString() string { return r.To.Format(dayLayout) }

// DayString renders a day number (ms / DayMillis) as YYYY-MM-DD.
func DayString(day int64) string { return time.UnixMilli(day * DayMillis).UTC().Format(dayLayout) }

// dayStrings lists every day of the range in order.
func (r Range) dayStrings() []string {
	out := make([]string, 0, r.Days())
	for d := r.FirstDay(); d <= r.LastDay(); d++ {
		out = append(out, DayString(d))
	}
	return out
}
