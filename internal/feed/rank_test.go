package feed

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// liveRoom is an established host's live room (not a new host) that
// started an hour ago, in a food shop in Hebei; change adjusts it.
func liveRoom(id string, change ...func(*Room)) Room {
	started := t0.Add(-time.Hour)
	r := Room{ID: id, Title: id, Status: StatusLive, ShopID: "shp_" + id, HostID: "usr_" + id, Category: "food",
		Programme: "standard", Region: "Hebei", PlannedStart: started, StartedAt: &started, Viewers: 10,
		HostFollowers: 1000, HostSessions: 20}
	for _, c := range change {
		c(&r)
	}
	return r
}

// upcomingRoom is an established host's room planned in `in`.
func upcomingRoom(id string, in time.Duration, change ...func(*Room)) Room {
	r := liveRoom(id, change...)
	r.Status, r.StartedAt, r.Viewers, r.PlannedStart = StatusScheduled, nil, 0, t0.Add(in)
	return r
}

func ids(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func itemOf(t *testing.T, r Ranking, id string) Item {
	t.Helper()
	for _, it := range r.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("%s not in the feed %v", id, ids(r.Items))
	return Item{}
}

func TestRankOrder(t *testing.T) {
	followsHost := Viewer{Key: "u:1", Hosts: map[string]bool{"usr_mine": true}}
	followsShop := Viewer{Key: "u:1", Shops: map[string]bool{"shp_mine": true}}
	likesFood := Viewer{Key: "u:1", Categories: map[string]Affinity{"food": {Views: 40}, "electronics": {Views: 1}}}
	inJilin := Viewer{Key: "u:1", Region: " jilin"}
	tests := []struct {
		name    string
		viewer  Viewer
		rooms   []Room
		want    []string
		reasons map[string][]string
	}{
		{
			name:   "followed host beats a popular stranger",
			viewer: followsHost,
			rooms: []Room{
				liveRoom("star", func(r *Room) {
					r.Viewers, r.Likes, r.Views, r.PaidOrders, r.Region = 50_000, 1_000_000, 90_000, 9_000, "Jilin"
					s := t0.Add(-time.Minute)
					r.StartedAt = &s
				}),
				liveRoom("mine", func(r *Room) { r.HostID, r.Viewers = "usr_mine", 3 }),
			},
			want:    []string{"mine", "star"},
			reasons: map[string][]string{"mine": {ReasonFollowedHost}, "star": {ReasonPopular, ReasonJustStarted}},
		},
		{
			name:    "followed shop beats a stranger",
			viewer:  followsShop,
			rooms:   []Room{liveRoom("other", func(r *Room) { r.Viewers = 5000 }), liveRoom("mine", func(r *Room) { r.ShopID = "shp_mine" })},
			want:    []string{"mine", "other"},
			reasons: map[string][]string{"mine": {ReasonFollowedShop}},
		},
		{
			name:    "category affinity breaks a tie",
			viewer:  likesFood,
			rooms:   []Room{liveRoom("a-tech", func(r *Room) { r.Category = "electronics" }), liveRoom("b-food")},
			want:    []string{"b-food", "a-tech"},
			reasons: map[string][]string{"b-food": {"you watch food"}, "a-tech": {}},
		},
		{
			name:   "a weak affinity still counts but gives no reason",
			viewer: Viewer{Categories: map[string]Affinity{"fresh_produce": {Views: 1}}},
			rooms: []Room{liveRoom("a-food"), liveRoom("b-fresh", func(r *Room) { r.Category = "fresh_produce" }),
				liveRoom("c-fresh-liked", func(r *Room) { r.Category = "fresh_produce" })},
			want:    []string{"b-fresh", "c-fresh-liked", "a-food"},
			reasons: map[string][]string{"b-fresh": {}},
		},
		{
			name:   "orders weigh more than views",
			viewer: Viewer{Categories: map[string]Affinity{"food": {Views: 30}, "fresh_produce": {Views: 20, Orders: 4}}},
			rooms:  []Room{liveRoom("a-food"), liveRoom("b-fresh", func(r *Room) { r.Category = "fresh_produce" })},
			want:   []string{"b-fresh", "a-food"},
			reasons: map[string][]string{"b-fresh": {"you watch fresh produce"},
				"a-food": {"you watch food"}},
		},
		{
			name:    "same region as the viewer",
			viewer:  inJilin,
			rooms:   []Room{liveRoom("a-hebei"), liveRoom("b-jilin", func(r *Room) { r.Region = "Jilin " })},
			want:    []string{"b-jilin", "a-hebei"},
			reasons: map[string][]string{"b-jilin": {ReasonNearYou}, "a-hebei": {}},
		},
		{
			name:   "engagement: viewers, then likes, then conversion",
			viewer: Viewer{},
			rooms: []Room{
				liveRoom("a-quiet"),
				liveRoom("b-crowd", func(r *Room) { r.Viewers = 400 }),
				liveRoom("c-liked", func(r *Room) { r.Likes = 5000 }),
				liveRoom("d-selling", func(r *Room) { r.Views, r.PaidOrders = 100, 3 }),
			},
			want:    []string{"b-crowd", "c-liked", "d-selling", "a-quiet"},
			reasons: map[string][]string{"b-crowd": {ReasonPopular}, "d-selling": {}},
		},
		{
			name:   "freshness: just started before an hour-old room",
			viewer: Viewer{},
			rooms: []Room{liveRoom("a-old"), liveRoom("b-new", func(r *Room) {
				s := t0.Add(-2 * time.Minute)
				r.StartedAt = &s
			})},
			want:    []string{"b-new", "a-old"},
			reasons: map[string][]string{"b-new": {ReasonJustStarted}, "a-old": {}},
		},
		{
			name:   "live rooms before upcoming ones, upcoming soonest first",
			viewer: Viewer{},
			rooms: []Room{upcomingRoom("a-tomorrow", 20*time.Hour), upcomingRoom("b-soon", 10*time.Minute),
				liveRoom("c-live"), upcomingRoom("d-next-week", 6*24*time.Hour)},
			want:    []string{"c-live", "b-soon", "a-tomorrow", "d-next-week"},
			reasons: map[string][]string{"b-soon": {ReasonStartingSoon}, "a-tomorrow": {}},
		},
		{
			name:   "a followed room starting within 15 minutes joins the live rooms",
			viewer: followsHost,
			rooms: []Room{liveRoom("a-live", func(r *Room) { r.Viewers = 2000 }),
				upcomingRoom("b-mine-soon", 10*time.Minute, func(r *Room) { r.HostID = "usr_mine" }),
				upcomingRoom("c-mine-later", time.Hour, func(r *Room) { r.HostID = "usr_mine" })},
			want: []string{"b-mine-soon", "a-live", "c-mine-later"},
			reasons: map[string][]string{"b-mine-soon": {ReasonFollowedHost, ReasonStartingSoon},
				"c-mine-later": {ReasonFollowedHost}},
		},
		{
			name:   "anonymous viewers ignore follows, affinity and region",
			viewer: Viewer{Key: "a:visitor1"},
			rooms: []Room{liveRoom("a-quiet", func(r *Room) { r.Region, r.Viewers = "Jilin", 1 }),
				liveRoom("b-busy", func(r *Room) { r.Viewers = 50 })},
			want:    []string{"b-busy", "a-quiet"},
			reasons: map[string][]string{"a-quiet": {}},
		},
		{
			name:   "ties fall to viewers, then the newest, then id",
			viewer: Viewer{},
			rooms: []Room{liveRoom("c"), liveRoom("b"), liveRoom("a"),
				liveRoom("d-newer", func(r *Room) {
					s := t0.Add(-50 * time.Minute) // past the freshness window too
					r.StartedAt = &s
				})},
			want: []string{"d-newer", "a", "b", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(tt.viewer, tt.rooms, t0, 10)
			if !slices.Equal(ids(got.Items), tt.want) {
				t.Fatalf("order %v, want %v", ids(got.Items), tt.want)
			}
			for id, want := range tt.reasons {
				if r := itemOf(t, got, id).Reasons; !slices.Equal(r, want) {
					t.Errorf("%s reasons %q, want %q", id, r, want)
				}
			}
			for i := 1; i < len(got.Items); i++ {
				a, b := got.Items[i-1], got.Items[i]
				if a.Live() == b.Live() && a.Score < b.Score {
					t.Errorf("%s (%.2f) before %s (%.2f)", a.ID, a.Score, b.ID, b.Score)
				}
			}
			if got.Explored != 0 {
				t.Errorf("explored %d with no new host", got.Explored)
			}
		})
	}
}

// TestRankScores pins worked examples of docs/FEED.md.
func TestRankScores(t *testing.T) {
	started := t0.Add(-5 * time.Minute)
	r := liveRoom("x", func(r *Room) {
		r.Viewers, r.Likes, r.Views, r.PaidOrders, r.StartedAt, r.Region = 120, 900, 400, 6, &started, "Jilin"
	})
	v := Viewer{Hosts: map[string]bool{"usr_x": true}, Categories: map[string]Affinity{"food": {Views: 12, Orders: 1}}, Region: "jilin"}
	tests := []struct {
		name   string
		viewer Viewer
		room   Room
		want   float64
	}{
		// 120 + 30·1 + 15 + 40·log1p(120)/log1p(1e4) + 10·log1p(900)/log1p(1e5) + 10·min(1, 6/420/0.05) + 10·(1-5/30)
		{"signed-in viewer", v, r, 120 + 30 + 15 + 20.83 + 5.91 + 2.86 + 8.33},
		{"anonymous", Viewer{}, r, 20.83 + 5.91 + 2.86 + 8.33},
		// Planned in 6 h: 10·(1 - 6/24) = 7.5; nothing else for a stranger.
		{"upcoming", Viewer{}, upcomingRoom("u", 6*time.Hour), 7.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.viewer, tt.room, t0).Score
			if d := got - tt.want; d > 0.02 || d < -0.02 {
				t.Fatalf("score %.2f, want %.2f", got, tt.want)
			}
		})
	}
}

// exploreWorld is 30 established live rooms with plenty of viewers and 4
// new hosts' rooms with few: organically the new hosts come last.
func exploreWorld() []Room {
	var rooms []Room
	for i := range 30 {
		rooms = append(rooms, liveRoom(fmt.Sprintf("est-%02d", i), func(r *Room) { r.Viewers = int64(1000 - i) }))
	}
	for i := range 4 {
		rooms = append(rooms, liveRoom(fmt.Sprintf("new-%d", i), func(r *Room) {
			r.Viewers, r.HostFollowers, r.HostSessions = 1, int64(i), 1
		}))
	}
	return rooms
}

// expectedPicks computes the exploration picks by hand: the new rooms by
// ascending hash.
func expectedPicks(key string, hour int64, rooms []Room) []string {
	var news []Room
	for _, r := range rooms {
		if newHost(r) {
			news = append(news, r)
		}
	}
	slices.SortFunc(news, func(a, b Room) int {
		ha, hb := exploreHash(key, hour, a.ID), exploreHash(key, hour, b.ID)
		switch {
		case ha < hb:
			return -1
		case ha > hb:
			return 1
		}
		return 0
	})
	var out []string
	for _, r := range news {
		out = append(out, r.ID)
	}
	return out
}

func TestRankExploration(t *testing.T) {
	rooms := exploreWorld()
	hour := t0.Unix() / 3600
	v := Viewer{Key: "u:usr_alice"}
	got := Rank(v, rooms, t0.Add(17*time.Minute), 25)
	if len(got.Items) != 25 || got.Explored != 3 {
		t.Fatalf("%d items, %d explored: %v", len(got.Items), got.Explored, ids(got.Items))
	}
	want := expectedPicks(v.Key, hour, rooms)
	for i, pos := range []int{3, 13, 23} {
		it := got.Items[pos-1]
		if !it.Exploration || it.ID != want[i] || !slices.Contains(it.Reasons, ReasonNewHost) {
			t.Errorf("position %d: %s exploration=%v reasons %q, want %s", pos, it.ID, it.Exploration, it.Reasons, want[i])
		}
	}
	for i, it := range got.Items {
		if pos := i + 1; it.Exploration != (pos == 3 || pos == 13 || pos == 23) {
			t.Errorf("position %d (%s): exploration=%v", pos, it.ID, it.Exploration)
		}
	}
	// The organic order around the picks is unchanged.
	organic := []string{}
	for _, it := range got.Items {
		if !it.Exploration {
			organic = append(organic, it.ID)
		}
	}
	for i, id := range organic {
		if want := fmt.Sprintf("est-%02d", i); id != want {
			t.Fatalf("organic item %d is %s, want %s", i, id, want)
		}
	}

	// Stable within the hour, for the same viewer.
	again := Rank(v, rooms, t0.Add(59*time.Minute), 25)
	if !slices.Equal(ids(again.Items), ids(got.Items)) {
		t.Fatalf("the same viewer in the same hour got %v, then %v", ids(got.Items), ids(again.Items))
	}
	// Another viewer (some viewer among a few) gets another first pick,
	// as does the same viewer in another hour.
	differs := func(v Viewer, at time.Time) bool {
		return Rank(v, rooms, at, 25).Items[2].ID != got.Items[2].ID
	}
	found := false
	for i := range 20 {
		if differs(Viewer{Key: fmt.Sprintf("a:visitor-%02d", i)}, t0) {
			found = true
			break
		}
	}
	if !found {
		t.Error("20 other viewers all got the same exploration pick")
	}
	found = false
	for h := 1; h <= 20 && !found; h++ {
		found = differs(v, t0.Add(time.Duration(h)*time.Hour))
	}
	if !found {
		t.Error("the pick never changed over 20 hours")
	}
}

func TestRankExplorationSkips(t *testing.T) {
	rooms := exploreWorld()
	t.Run("followed new hosts are not explored", func(t *testing.T) {
		v := Viewer{Key: "u:bob", Hosts: map[string]bool{}}
		for _, r := range rooms {
			if newHost(r) {
				v.Hosts[r.HostID] = true
			}
		}
		got := Rank(v, rooms, t0, 25)
		if got.Explored != 0 {
			t.Fatalf("explored %d followed rooms", got.Explored)
		}
		// Followed, they rank first on their own.
		if !slices.Contains(got.Items[0].Reasons, ReasonFollowedHost) {
			t.Fatalf("first item %+v", got.Items[0])
		}
	})
	t.Run("a new host already placed is not placed again", func(t *testing.T) {
		// Fewer established rooms: new hosts' rooms rank organically before position 13.
		few := append([]Room{}, rooms[:5]...)
		few = append(few, rooms[30:]...)
		got := Rank(Viewer{Key: "a:someone1"}, few, t0, 50)
		if len(got.Items) != len(few) {
			t.Fatalf("%d items of %d", len(got.Items), len(few))
		}
		if got.Explored != 1 {
			t.Fatalf("explored %d, want 1 (position 13 is past the end)", got.Explored)
		}
	})
	t.Run("upcoming new hosts are explored only among upcoming rooms", func(t *testing.T) {
		rs := []Room{liveRoom("live-1"), liveRoom("live-2"), liveRoom("live-3"),
			upcomingRoom("up-new", time.Hour, func(r *Room) { r.HostFollowers, r.HostSessions = 0, 0 })}
		got := Rank(Viewer{}, rs, t0, 10)
		if want := []string{"live-1", "live-2", "live-3", "up-new"}; !slices.Equal(ids(got.Items), want) {
			t.Fatalf("order %v, want %v", ids(got.Items), want)
		}
		if !slices.Contains(got.Items[3].Reasons, ReasonNewHost) {
			t.Fatalf("up-new reasons %q", got.Items[3].Reasons)
		}
	})
}

func TestRankLimitAndDuplicates(t *testing.T) {
	rooms := exploreWorld()
	for i := range 10 {
		rooms = append(rooms, upcomingRoom(fmt.Sprintf("up-%d", i), time.Duration(i+1)*time.Hour))
	}
	for _, limit := range []int{0, 1, 2, 3, 7, 13, 40, 44, 100} {
		got := Rank(Viewer{Key: "u:carol"}, rooms, t0, limit)
		want := min(limit, len(rooms))
		if len(got.Items) != want {
			t.Errorf("limit %d: %d items, want %d", limit, len(got.Items), want)
		}
		seen := map[string]bool{}
		explored := 0
		for i, it := range got.Items {
			if seen[it.ID] {
				t.Errorf("limit %d: %s twice", limit, it.ID)
			}
			seen[it.ID] = true
			if it.Exploration {
				explored++
			}
			if i > 0 && !got.Items[i-1].Live() && it.Live() {
				t.Errorf("limit %d: live %s after an upcoming room", limit, it.ID)
			}
		}
		if explored != got.Explored {
			t.Errorf("limit %d: explored %d, counted %d", limit, got.Explored, explored)
		}
	}
	if got := Rank(Viewer{}, nil, t0, 10); got.Items == nil || len(got.Items) != 0 {
		t.Fatalf("no rooms: %+v", got)
	}
}
