package room

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// How far planned starts may stray from now: a start more than a day in
// the past or a year ahead is almost always a typo in the date.
const (
	maxPlannedPast   = 24 * time.Hour
	maxPlannedFuture = 366 * 24 * time.Hour
)

// cleanTitle trims a title and checks it is 1–100 characters.
func cleanTitle(title string) (string, error) {
	t := strings.TrimSpace(title)
	switch n := utf8.RuneCountInString(t); {
	case n == 0:
		return "", apperr.Field("title", "title is required")
	case n > 100:
		return "", apperr.Field("title", "title must be at most 100 characters")
	}
	return t, nil
}

// parsePlannedStart reads an RFC 3339 time; "" means now.
func parsePlannedStart(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return now.UTC().Truncate(time.Millisecond), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, apperr.Field("planned_start", "planned_start must be an RFC 3339 time such as 2026-06-01T20:00:00+08:00")
	}
	switch {
	case t.Before(now.Add(-maxPlannedPast)):
		return time.Time{}, apperr.Field("planned_start", "planned_start is more than a day in the past")
	case t.After(now.Add(maxPlannedFuture)):
		return time.Time{}, apperr.Field("planned_start", "planned_start is more than a year ahead")
	}
	return t.UTC().Truncate(time.Millisecond), nil
}

// checkProductIDs checks the shape of a shelf: at most MaxShelf ids, none
// empty, none twice. Whether they exist is checked against storage.
func checkProductIDs(ids []string) error {
	if len(ids) > MaxShelf {
		return apperr.Field("product_ids", "a session has at most %d products", MaxShelf)
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		field := fmt.Sprintf("product_ids[%d]", i)
		switch {
		case strings.TrimSpace(id) == "" || len(id) > 64:
			return apperr.Field(field, "product id is missing or malformed")
		case seen[id]:
			return apperr.Field(field, "product %s is on the shelf twice", id)
		}
		seen[id] = true
	}
	return nil
}

// validStatus reports whether s is a session state.
func validStatus(s string) bool {
	return s == Scheduled || s == Live || s == Ended || s == Replay
}
