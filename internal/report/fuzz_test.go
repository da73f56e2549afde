package report

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

// FuzzParseRange feeds arbitrary from and to query values. A refusal is
// Invalid naming from or to; an accepted range runs forward over 1 to
// MaxDays whole UTC days and reads back as itself from its own strings.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzParseRange$' -fuzztime 30s ./internal/report
func FuzzParseRange(f *testing.F) {
	now := time.Date(2026, 11, 30, 9, 45, 0, 0, time.UTC).UnixMilli()
	for _, s := range [][2]string{
		{"", ""}, {"2026-11-05", "2026-11-05"}, {"2026-01-01", ""}, {"", "2026-03-01"},
		{"2028-01-01", "2028-12-31"}, {"2025-01-01", "2026-01-02"}, {"2026-11-30", "2026-11-01"},
		{"2026-13-01", ""}, {"2026-11-01T00:00:00Z", ""}, {"0000-01-01", "0000-12-31"},
		{"9999-12-31", ""}, {"", "0000-01-01"}, {"1969-12-31", "1970-01-01"},
	} {
		f.Add(s[0], s[1], now)
	}
	f.Fuzz(func(t *testing.T, from, to string, nowMillis int64) {
		// The clock is the server's, not input: keep it within 1970–2199.
		const span = 230 * 365 * DayMillis
		nowMillis %= span
		if nowMillis < 0 {
			nowMillis += span
		}
		r, err := ParseRange(from, to, time.UnixMilli(nowMillis))
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid || (e.Field != "from" && e.Field != "to") {
				t.Fatalf("ParseRange(%q, %q) error %v, want invalid from or to", from, to, err)
			}
			return
		}
		if r.From.After(r.To) {
			t.Fatalf("ParseRange(%q, %q) runs backwards: %s to %s", from, to, r.FromString(), r.ToString())
		}
		if n := r.Days(); n < 1 || n > MaxDays || len(r.dayStrings()) != n {
			t.Fatalf("ParseRange(%q, %q) covers %d days", from, to, n)
		}
		for _, end := range []time.Time{r.From, r.To} {
			if end.Location() != time.UTC || end.UnixMilli()%DayMillis != 0 {
				t.Fatalf("ParseRange(%q, %q) end %v is not midnight UTC", from, to, end)
			}
		}
		again, err := ParseRange(r.FromString(), r.ToString(), time.UnixMilli(nowMillis))
		if err != nil || !again.From.Equal(r.From) || !again.To.Equal(r.To) {
			t.Fatalf("ParseRange(%q, %q) = %s..%s does not read back: %v", from, to, r.FromString(), r.ToString(), err)
		}
	})
}
