package funnel

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

func TestCheckStep(t *testing.T) {
	for _, tt := range []struct {
		step string
		ok   bool
	}{
		{StepView, true},
		{StepProductOpen, true},
		{StepBuyClick, true},
		{"", false},
		{"View", false},
		{"add_to_cart", false},
		{" view", false},
	} {
		err := checkStep(tt.step)
		if tt.ok != (err == nil) {
			t.Errorf("checkStep(%q) = %v, want ok %v", tt.step, err, tt.ok)
		}
		if err != nil {
			wantField(t, err, "step")
		}
	}
}

func TestViewerKey(t *testing.T) {
	user := account.Actor{User: &account.User{ID: "usr_1"}}
	for _, tt := range []struct {
		name   string
		actor  account.Actor
		anonID string
		want   string // "" when refused with field anon_id
	}{
		{"signed in", user, "", "u:usr_1"},
		{"signed in ignores anon_id", user, "anon-0001", "u:usr_1"},
		{"signed in ignores a bad anon_id", user, "!", "u:usr_1"},
		{"anonymous", account.Actor{}, "anon-0001", "a:anon-0001"},
		{"8 characters", account.Actor{}, "abcdEFG8", "a:abcdEFG8"},
		{"64 characters", account.Actor{}, strings.Repeat("x", 64), "a:" + strings.Repeat("x", 64)},
		{"underscore and dash", account.Actor{}, "a_b-c_d-e", "a:a_b-c_d-e"},
		{"neither", account.Actor{}, "", ""},
		{"7 characters", account.Actor{}, "abcdefg", ""},
		{"65 characters", account.Actor{}, strings.Repeat("x", 65), ""},
		{"space", account.Actor{}, "anon 0001", ""},
		{"colon", account.Actor{}, "u:usr_0001", ""},
		{"non-ASCII", account.Actor{}, "观众观众观众", ""},
		{"dot", account.Actor{}, "anon.0001", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := viewerKey(tt.actor, tt.anonID)
			if tt.want == "" {
				wantField(t, err, "anon_id")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("viewerKey = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestProductOf(t *testing.T) {
	ses := room.Session{ID: "ses_1", Products: []room.ShelfItem{{ProductID: "prd_a"}, {ProductID: "prd_b"}}}
	for _, tt := range []struct {
		name string
		ev   Event
		want string
		err  bool
	}{
		{"view has no product", Event{Step: StepView}, "", false},
		{"view ignores its product", Event{Step: StepView, ProductID: "prd_zzz"}, "", false},
		{"open on the shelf", Event{Step: StepProductOpen, ProductID: "prd_b"}, "prd_b", false},
		{"click on the shelf", Event{Step: StepBuyClick, ProductID: "prd_a"}, "prd_a", false},
		{"spaces trimmed", Event{Step: StepBuyClick, ProductID: " prd_a "}, "prd_a", false},
		{"open without product", Event{Step: StepProductOpen}, "", true},
		{"click without product", Event{Step: StepBuyClick, ProductID: "  "}, "", true},
		{"off the shelf", Event{Step: StepProductOpen, ProductID: "prd_c"}, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := productOf(tt.ev, ses)
			if tt.err {
				wantField(t, err, "product_id")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("productOf = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestConversion(t *testing.T) {
	for _, tt := range []struct {
		buyers, views int64
		want          float64
	}{
		{0, 0, 0},
		{3, 0, 0},
		{0, 10, 0},
		{1, 4, 0.25},
		{1, 3, 0.3333},
		{2, 3, 0.6667},
		{5, 5, 1},
	} {
		if got := conversion(tt.buyers, tt.views); got != tt.want {
			t.Errorf("conversion(%d, %d) = %v, want %v", tt.buyers, tt.views, got, tt.want)
		}
	}
}

func TestByShelf(t *testing.T) {
	shelf := []room.ShelfItem{{ProductID: "prd_b", Title: "B"}, {ProductID: "prd_a", Title: "A"}}
	counted := []ProductFunnel{
		{ProductID: "prd_z", Title: "Z", Orders: 1},
		{ProductID: "prd_a", Title: "A now", Opens: 2},
		{ProductID: "prd_c", Title: "C", Clicks: 1},
	}
	got := byShelf(shelf, counted)
	want := []ProductFunnel{
		{ProductID: "prd_b", Title: "B"},
		{ProductID: "prd_a", Title: "A now", Opens: 2},
		{ProductID: "prd_c", Title: "C", Clicks: 1},
		{ProductID: "prd_z", Title: "Z", Orders: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("byShelf = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("byShelf[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if empty := byShelf(nil, nil); empty == nil || len(empty) != 0 {
		t.Fatalf("byShelf of nothing = %#v, want an empty list", empty)
	}
}

func TestBufferDedupesAndBounds(t *testing.T) {
	b := newBuffer(3)
	row := func(viewer string, minute int64) Row {
		return Row{SessionID: "ses_1", Viewer: viewer, Step: StepView, Minute: minute, At: time.Unix(minute*60, 0)}
	}
	steps := []struct {
		row         Row
		wantPending int
		wantDropped int64
	}{
		{row("a:1", 1), 1, 0},
		{row("a:1", 1), 1, 0}, // the same key: skipped, not dropped
		{row("a:1", 2), 2, 0}, // next minute: a new key
		{row("a:2", 1), 3, 0},
		{row("a:3", 1), 3, 1}, // full: dropped and counted
		{row("a:2", 1), 3, 1}, // held already: not a drop
		{row("a:4", 1), 3, 2},
	}
	for i, s := range steps {
		pending, ok := b.add(s.row)
		_, dropped := b.stats()
		if !ok || pending != s.wantPending || dropped != s.wantDropped {
			t.Fatalf("step %d: pending %d dropped %d ok %v; want %d, %d", i, pending, dropped, ok, s.wantPending, s.wantDropped)
		}
	}
	if rows := b.take(); len(rows) != 3 || rows[0].Viewer != "a:1" || rows[2].Viewer != "a:2" {
		t.Fatalf("take = %+v", rows)
	}
	// Taken keys may come again: storage deduplicates across batches.
	if pending, _ := b.add(row("a:1", 1)); pending != 1 {
		t.Fatalf("after take: pending %d, want 1", pending)
	}
	b.close()
	if _, ok := b.add(row("a:9", 1)); ok {
		t.Fatal("a closed buffer took a row")
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid || e.Field != field {
		t.Fatalf("err = %v, want invalid with field %q", err, field)
	}
}
