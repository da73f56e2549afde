package room

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestCleanTitle(t *testing.T) {
	tests := []struct {
		in, want, field string
	}{
		{"  Harvest live ", "Harvest live", ""},
		{"", "", "title"},
		{" \t ", "", "title"},
		{strings.Repeat("米", 100), strings.Repeat("米", 100), ""},
		{strings.Repeat("米", 101), "", "title"},
	}
	for _, tt := range tests {
		got, err := cleanTitle(tt.in)
		if fieldOf(err) != tt.field || got != tt.want {
			t.Errorf("cleanTitle(%q) = %q, %v; want %q, field %q", tt.in, got, err, tt.want, tt.field)
		}
	}
}

func TestParsePlannedStart(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in    string
		want  time.Time
		field string
	}{
		{"", now, ""},
		{"2026-06-01T20:00:00+08:00", now, ""},
		{"2026-06-02T09:30:00Z", time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC), ""},
		{"2026-05-31T13:00:00Z", time.Date(2026, 5, 31, 13, 0, 0, 0, time.UTC), ""},
		{"2026-05-30T12:00:00Z", time.Time{}, "planned_start"},
		{"2028-06-01T12:00:00Z", time.Time{}, "planned_start"},
		{"tomorrow", time.Time{}, "planned_start"},
		{"2026-06-01 20:00", time.Time{}, "planned_start"},
	}
	for _, tt := range tests {
		got, err := parsePlannedStart(tt.in, now)
		if fieldOf(err) != tt.field || !got.Equal(tt.want) {
			t.Errorf("parsePlannedStart(%q) = %v, %v; want %v, field %q", tt.in, got, err, tt.want, tt.field)
		}
	}
}

func TestCheckProductIDs(t *testing.T) {
	many := make([]string, MaxShelf+1)
	for i := range many {
		many[i] = "prd_" + strings.Repeat("x", i%50) + string(rune('a'+i%26))
	}
	tests := []struct {
		name  string
		ids   []string
		field string
	}{
		{"none", nil, ""},
		{"some", []string{"prd_a", "prd_b"}, ""},
		{"empty id", []string{"prd_a", ""}, "product_ids[1]"},
		{"duplicate", []string{"prd_a", "prd_b", "prd_a"}, "product_ids[2]"},
		{"too long an id", []string{strings.Repeat("p", 65)}, "product_ids[0]"},
		{"too many", many, "product_ids"},
	}
	for _, tt := range tests {
		if got := fieldOf(checkProductIDs(tt.ids)); got != tt.field {
			t.Errorf("%s: field %q, want %q", tt.name, got, tt.field)
		}
	}
}

func FuzzParsePlannedStart(f *testing.F) {
	for _, s := range []string{"", "2026-06-01T20:00:00+08:00", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00-23:59"} {
		f.Add(s)
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parsePlannedStart(in, now)
		if err != nil {
			if fieldOf(err) != "planned_start" {
				t.Fatalf("error %v does not name planned_start", err)
			}
			return
		}
		if got.Before(now.Add(-maxPlannedPast)) || got.After(now.Add(maxPlannedFuture)) || got.Location() != time.UTC {
			t.Fatalf("accepted %q as %v", in, got)
		}
	})
}

func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	e, ok := apperr.As(err)
	if !ok {
		return "not an apperr: " + err.Error()
	}
	return e.Field
}
