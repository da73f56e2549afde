package realtime

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeAnalytics records what the room reports.
type fakeAnalytics struct {
	mu      sync.Mutex
	views   []string // user ids, "" for anonymous
	likes   int
	watched []int // viewers of each report
	seconds int64
}

func (f *fakeAnalytics) Viewed(_, userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.views = append(f.views, userID)
}

func (f *fakeAnalytics) Liked(_ string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.likes += n
}

func (f *fakeAnalytics) Watched(_ string, seconds int64, viewers int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watched = append(f.watched, viewers)
	f.seconds += seconds
}

func (f *fakeAnalytics) snapshot() (views []string, likes int, watched []int, seconds int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.views...), f.likes, append([]int(nil), f.watched...), f.seconds
}

type fakeDashboards struct{}

func (fakeDashboards) RoomDashboard(_ context.Context, roomID string) (any, error) {
	return map[string]any{"session_id": roomID, "views": 7}, nil
}

func TestAnalyticsEventsAndDashboards(t *testing.T) {
	t.Parallel()
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	fa := &fakeAnalytics{}
	opt := fastOptions()
	opt.WatchEvery, opt.DashboardEvery = 100*time.Millisecond, 50*time.Millisecond
	s, err := New(Config{Rooms: rooms, Bus: b, Auth: bearerAuth, Log: quietLog(), Options: opt,
		Analytics: fa, Dashboards: fakeDashboards{}})
	if err != nil {
		t.Fatal(err)
	}
	n := startNodeWith(t, s)
	host := dial(t, n, "r1", "host1", "")
	viewer := dial(t, n, "r1", "u1", "")
	anon := dial(t, n, "r1", "", "anon=abcdefgh")
	for _, c := range []*client{host, viewer, anon} {
		c.waitFor("snapshot", 5*time.Second, func(e env) bool { return e.Type == "snapshot" })
	}
	viewer.send(`{"type":"like","data":{"count":3}}`)
	anon.send(`{"type":"like","data":{"count":2}}`) // refused: anonymous viewers cannot like

	host.waitFor("a dashboard", 5*time.Second, func(e env) bool {
		return e.Type == typeDashboard && e.field("session_id") == "r1" && e.field("views") == float64(7) && e.Seq == 0
	})
	waitFor(t, "likes and a watch report with 3 viewers", func() bool {
		_, likes, watched, _ := fa.snapshot()
		return likes == 3 && len(watched) > 0 && watched[len(watched)-1] == 3
	})
	// Viewers never get the dashboard, though several have gone out.
	host.waitUntil("three dashboards", 5*time.Second, func(es []env) bool { return countOf(es, typeDashboard) >= 3 })
	for _, c := range []*client{viewer, anon} {
		if got := countOf(c.envelopes(), typeDashboard); got != 0 {
			t.Fatalf("a viewer got %d dashboard frames", got)
		}
	}
	views, _, _, _ := fa.snapshot()
	if len(views) != 3 {
		t.Fatalf("views = %q, want one per connection", views)
	}

	// When the last socket leaves, a final report says nobody is watching.
	for _, c := range []*client{host, viewer, anon} {
		_ = c.ws.CloseNow()
	}
	waitFor(t, "the final watch report", func() bool {
		_, _, watched, _ := fa.snapshot()
		return len(watched) > 0 && watched[len(watched)-1] == 0
	})
	_, _, _, seconds := fa.snapshot()
	if seconds < 0 {
		t.Fatalf("viewer-seconds = %d", seconds)
	}
}
