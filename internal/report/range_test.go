package report

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestParseRange(t *testing.T) {
	now := time.Date(2026, 11, 30, 17, 45, 0, 0, time.FixedZone("CST", 8*3600)) // 09:45 UTC
	tests := []struct {
		name, from, to   string
		wantFrom, wantTo string
		wantDays         int
		wantField        string
	}{
		{"default: the last 30 days up to today", "", "", "2026-11-01", "2026-11-30", 30, ""},
		{"one day", "2026-11-05", "2026-11-05", "2026-11-05", "2026-11-05", 1, ""},
		{"from only: 30 days from it", "2026-01-01", "", "2026-01-01", "2026-01-30", 30, ""},
		{"to only: 30 days up to it", "", "2026-03-01", "2026-01-31", "2026-03-01", 30, ""},
		{"a leap year's 366 days", "2028-01-01", "2028-12-31", "2028-01-01", "2028-12-31", 366, ""},
		{"366 days across a year end", "2025-06-01", "2026-06-01", "2025-06-01", "2026-06-01", 366, ""},
		{"367 days", "2025-01-01", "2026-01-02", "", "", 0, "to"},
		{"backwards", "2026-11-30", "2026-11-01", "", "", 0, "from"},
		{"bad from", "2026-13-01", "2026-11-01", "", "", 0, "from"},
		{"from with a time", "2026-11-01T00:00:00Z", "", "", "", 0, "from"},
		{"bad to", "2026-11-01", "30/11/2026", "", "", 0, "to"},
		{"empty-looking to", "", "today", "", "", 0, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRange(tt.from, tt.to, now)
			if tt.wantField != "" {
				e, ok := apperr.As(err)
				if !ok || e.Code != apperr.Invalid || e.Field != tt.wantField {
					t.Fatalf("err = %v, want invalid %s", err, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.FromString() != tt.wantFrom || r.ToString() != tt.wantTo || r.Days() != tt.wantDays {
				t.Fatalf("got %s..%s (%d days), want %s..%s (%d)", r.FromString(), r.ToString(), r.Days(), tt.wantFrom, tt.wantTo, tt.wantDays)
			}
			if r.EndMillis()-r.StartMillis() != int64(tt.wantDays)*DayMillis {
				t.Fatalf("millis span %d, want %d days", r.EndMillis()-r.StartMillis(), tt.wantDays)
			}
			if DayString(r.FirstDay()) != tt.wantFrom || DayString(r.LastDay()) != tt.wantTo {
				t.Fatalf("day numbers %d..%d render as %s..%s", r.FirstDay(), r.LastDay(), DayString(r.FirstDay()), DayString(r.LastDay()))
			}
		})
	}
}
