package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// feedFixture seeds the rows the feed reads with plain SQL: users, shops,
// sessions in exact states, follows and analytics roll-ups (those last
// two belong to other packages, which fill them in production).
type feedFixture struct {
	t   *testing.T
	s   *store.Store
	now time.Time
}

func (f feedFixture) exec(query string, args ...any) {
	f.t.Helper()
	if err := f.s.ExecFeedFixture(f.t.Context(), query, args...); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
}

func (f feedFixture) user(id, name string) {
	f.exec(`INSERT INTO users (id, email, password_hash, display_name, created_at) VALUES ($1, $2, 'x', $3, $4)`,
		id, id+"@example.com", name, f.now.UnixMilli())
}

func (f feedFixture) shop(id, owner, category, programme, region, county string) {
	f.exec(`INSERT INTO shops (id, owner_id, name, category, region, county, programme, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'approved', $8)`, id, owner, "Shop "+id, category, region, county, programme, f.now.UnixMilli())
}

// session adds a session; host may be ""; started is an offset from now
// (used when status is live, ended or replay).
func (f feedFixture) session(id, shop, host, status string, planned, started time.Duration) {
	var hostID, startedAt any
	if host != "" {
		hostID = host
	}
	if status != "scheduled" {
		startedAt = f.now.Add(started).UnixMilli()
	}
	f.exec(`INSERT INTO live_sessions (id, shop_id, host_id, title, planned_start, status, started_at, stream_key, stream_key_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, id, shop, hostID, "Room "+id, f.now.Add(planned).UnixMilli(), status, startedAt,
		"key-"+id, "hash-"+id, f.now.UnixMilli())
}

func (f feedFixture) follow(user, kind, target string) {
	f.exec(`INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4)`, user, kind, target, f.now.UnixMilli())
}

func feedIDs(rooms []feed.Room) []string {
	out := []string{}
	for _, r := range rooms {
		out = append(out, r.ID)
	}
	return out
}

func feedItemIDs(items []feed.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// seedFeedWorld is three hosts and five shops with sessions in every
// state; now is the fixture's clock.
//
//	live-a   Farm A (food, Jilin), host Anna, started 50 min ago, 2 products (cover from the first's picture)
//	live-b   Farm B (fresh_produce, rural, Hebei/Wuchang), no host, started 5 min ago
//	live-c   Tech C (electronics, Hebei), host Ben, started 20 min ago, its own cover
//	soon-d   Farm A, host Anna, planned in 10 min
//	later-e  Rural E (crafts, rural, Hebei/Lankao), host Cai, planned in 2 days
//	far-f    Farm A, planned in 8 days (outside the window)
//	stale-g  Farm A, planned 3 hours ago and never started
//	ended-h  Farm A, host Anna, ended; replay-i, -m, -n, -o Tech C, host Ben; ended-j Rural E, no host
func seedFeedWorld(t *testing.T, s *store.Store) feedFixture {
	f := feedFixture{t: t, s: s, now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	for _, u := range [][2]string{{"usr_anna", "Anna"}, {"usr_ben", "Ben"}, {"usr_cai", "Cai"}, {"usr_owner", "Owner"},
		{"usr_viewer", "Viewer"}, {"usr_fan1", "Fan 1"}, {"usr_fan2", "Fan 2"}} {
		f.user(u[0], u[1])
	}
	f.shop("shp_a", "usr_owner", "food", "standard", "Jilin", "")
	f.shop("shp_b", "usr_owner", "fresh_produce", "rural", "Hebei", "Wuchang")
	f.shop("shp_c", "usr_owner", "electronics", "standard", "Hebei", "")
	f.shop("shp_e", "usr_owner", "crafts", "rural", "Hebei", "Lankao")
	f.session("live-a", "shp_a", "usr_anna", "live", -time.Hour, -50*time.Minute)
	f.session("live-b", "shp_b", "", "live", -10*time.Minute, -5*time.Minute)
	f.session("live-c", "shp_c", "usr_ben", "live", -30*time.Minute, -20*time.Minute)
	f.session("soon-d", "shp_a", "usr_anna", "scheduled", 10*time.Minute, 0)
	f.session("later-e", "shp_e", "usr_cai", "scheduled", 48*time.Hour, 0)
	f.session("far-f", "shp_a", "", "scheduled", 8*24*time.Hour, 0)
	f.session("stale-g", "shp_a", "", "scheduled", -3*time.Hour, 0)
	f.session("ended-h", "shp_a", "usr_anna", "ended", -5*time.Hour, -5*time.Hour)
	f.session("replay-i", "shp_c", "usr_ben", "replay", -9*time.Hour, -9*time.Hour)
	f.session("ended-j", "shp_e", "", "ended", -9*time.Hour, -9*time.Hour)
	for _, id := range []string{"replay-m", "replay-n", "replay-o"} { // Ben is no new host
		f.session(id, "shp_c", "usr_ben", "replay", -30*time.Hour, -30*time.Hour)
	}
	f.exec(`UPDATE live_sessions SET cover_image_id = 'img_cover_c', likes = 70 WHERE id = 'live-c'`)

	// live-a's shelf: the first product has two pictures, the second one.
	ms := f.now.UnixMilli()
	for _, p := range []string{"prd_1", "prd_2"} {
		f.exec(`INSERT INTO products (id, shop_id, title, status, created_at, updated_at) VALUES ($1, 'shp_a', $1, 'active', $2, $2)`, p, ms)
	}
	for _, im := range []struct {
		id, product string
		pos         int
	}{{"img_2a", "prd_2", 1}, {"img_1b", "prd_1", 2}, {"img_1a", "prd_1", 1}} {
		f.exec(`INSERT INTO product_images (id, product_id, content_type, size_bytes, width, height, position, created_at)
			VALUES ($1, $2, 'image/png', 10, 1, 1, $3, $4)`, im.id, im.product, im.pos, ms)
	}
	f.exec(`INSERT INTO live_session_products (session_id, product_id, position) VALUES ('live-a', 'prd_2', 2), ('live-a', 'prd_1', 1)`)

	// Follows: the viewer follows Anna and shop B; fans follow Anna and Ben.
	f.follow("usr_viewer", "host", "usr_anna")
	f.follow("usr_viewer", "shop", "shp_b")
	f.follow("usr_fan1", "host", "usr_anna")
	f.follow("usr_fan2", "host", "usr_anna")
	f.follow("usr_fan1", "host", "usr_ben")
	f.follow("usr_fan1", "shop", "shp_a") // shp_a's sessions have hosts: not its hoster's count

	// Viewers per node: one stale report is ignored.
	for _, v := range []struct {
		session, node string
		viewers       int
		ago           time.Duration
	}{{"live-a", "n1", 30, 2 * time.Second}, {"live-a", "n2", 12, 10 * time.Second}, {"live-a", "n3", 500, time.Minute},
		{"live-c", "n1", 250, time.Second}} {
		f.exec(`INSERT INTO analytics_room_viewers (session_id, node, viewers, reported_at) VALUES ($1, $2, $3, $4)`,
			v.session, v.node, v.viewers, f.now.Add(-v.ago).UnixMilli())
	}
	f.exec(`INSERT INTO analytics_room_totals (session_id, views, likes, paid_orders, updated_at) VALUES ('live-a', 300, 40, 6, $1), ('live-c', 900, 20, 1, $1)`, ms)

	// The viewer watches food and buys fresh produce; two addresses.
	f.exec(`INSERT INTO analytics_user_categories (user_id, category, views, orders, updated_at) VALUES
		('usr_viewer', 'food', 25, 0, $1), ('usr_viewer', 'fresh_produce', 4, 2, $1), ('usr_fan1', 'electronics', 9, 0, $1)`, ms)
	for _, a := range []struct {
		id, user, region string
		def              bool
		at               time.Duration
	}{{"adr_1", "usr_viewer", "Jilin", true, -time.Hour}, {"adr_2", "usr_viewer", "Hebei", false, 0},
		{"adr_3", "usr_fan1", "Hebei", false, -time.Hour}, {"adr_4", "usr_fan1", "Shanxi", false, 0}} {
		f.exec(`INSERT INTO addresses (id, user_id, name, phone, line1, city, region, country, is_default, created_at)
			VALUES ($1, $2, 'N', '1', 'L', 'C', $3, 'CN', $4, $5)`, a.id, a.user, a.region, a.def, f.now.Add(a.at).UnixMilli())
	}
	return f
}

// TestConformanceFeedQueries checks every feed.Repo read against the
// seeded world.
func TestConformanceFeedQueries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := seedFeedWorld(t, s)
		ctx := t.Context()
		from, until := f.now.Add(-feed.StaleScheduled), f.now.Add(feed.DefaultWindow)

		rooms, err := s.FeedRooms(ctx, from, until)
		must(t, err)
		slices.SortFunc(rooms, func(a, b feed.Room) int { return cmpString(a.ID, b.ID) })
		if got, want := feedIDs(rooms), []string{"later-e", "live-a", "live-b", "live-c", "soon-d"}; !slices.Equal(got, want) {
			t.Fatalf("rooms %v, want %v", got, want)
		}
		states, err := s.FeedRoomStates(ctx, from, until)
		must(t, err)
		if len(states) != len(rooms) {
			t.Fatalf("room states %v for %d rooms", states, len(rooms))
		}
		for _, r := range rooms {
			if states[r.ID] != r.Status {
				t.Errorf("state of %s = %q, want %q", r.ID, states[r.ID], r.Status)
			}
		}
		a, b, c, d := rooms[1], rooms[2], rooms[3], rooms[4]
		if a.CoverImageID != "img_1a" || c.CoverImageID != "img_cover_c" || b.CoverImageID != "" {
			t.Errorf("covers %q %q %q", a.CoverImageID, b.CoverImageID, c.CoverImageID)
		}
		if a.HostID != "usr_anna" || a.HostName != "Anna" || a.ShopName != "Shop shp_a" || a.Category != "food" || a.Region != "Jilin" ||
			a.Status != feed.StatusLive || a.StartedAt == nil || !a.StartedAt.Equal(f.now.Add(-50*time.Minute)) {
			t.Errorf("live-a = %+v", a)
		}
		if b.HostID != "" || b.Programme != "rural" || b.County != "Wuchang" || c.Likes != 70 {
			t.Errorf("live-b = %+v, live-c likes %d", b, c.Likes)
		}
		if d.Status != feed.StatusScheduled || d.StartedAt != nil || !d.PlannedStart.Equal(f.now.Add(10*time.Minute)) {
			t.Errorf("soon-d = %+v", d)
		}

		stats, err := s.FeedRoomStats(ctx, f.now.Add(-feed.ViewersFresh))
		must(t, err)
		wantStats := map[string]feed.RoomStats{
			"live-a": {Viewers: 42, Views: 300, Likes: 40, PaidOrders: 6},
			"live-b": {},
			"live-c": {Viewers: 250, Views: 900, Likes: 70, PaidOrders: 1}, // the session's likes are more
		}
		if len(stats) != len(wantStats) {
			t.Errorf("stats for %d sessions: %+v", len(stats), stats)
		}
		for id, want := range wantStats {
			if stats[id] != want {
				t.Errorf("stats %s = %+v, want %+v", id, stats[id], want)
			}
		}

		hosts, err := s.FeedHostStats(ctx, from, until)
		must(t, err)
		wantHosts := map[feed.Target]feed.HostStats{
			{Kind: "host", ID: "usr_anna"}: {Followers: 3, Sessions: 2}, // live-a, ended-h
			{Kind: "host", ID: "usr_ben"}:  {Followers: 1, Sessions: 5}, // live-c and four replays
			{Kind: "shop", ID: "shp_b"}:    {Followers: 1, Sessions: 1},
		}
		for tg, want := range wantHosts {
			if hosts[tg] != want {
				t.Errorf("host stats %v = %+v, want %+v", tg, hosts[tg], want)
			}
		}
		if st := hosts[feed.Target{Kind: "host", ID: "usr_cai"}]; st != (feed.HostStats{}) {
			t.Errorf("Cai never went live: %+v", st)
		}
		if _, ok := hosts[feed.Target{Kind: "shop", ID: "shp_a"}]; ok {
			t.Errorf("shp_a hosts nothing in the window itself: %+v", hosts)
		}

		v, err := s.ViewerFeatures(ctx, "usr_viewer")
		must(t, err)
		if !v.Hosts["usr_anna"] || len(v.Hosts) != 1 || !v.Shops["shp_b"] || len(v.Shops) != 1 || v.Region != "Jilin" ||
			v.Categories["food"] != (feed.Affinity{Views: 25}) || v.Categories["fresh_produce"] != (feed.Affinity{Views: 4, Orders: 2}) {
			t.Errorf("viewer = %+v", v)
		}
		fan, err := s.ViewerFeatures(ctx, "usr_fan1")
		must(t, err)
		if fan.Region != "Shanxi" || len(fan.Hosts) != 2 || !fan.Shops["shp_a"] { // no default address: the newest
			t.Errorf("fan = %+v", fan)
		}
		nobody, err := s.ViewerFeatures(ctx, "usr_missing")
		must(t, err)
		if len(nobody.Hosts)+len(nobody.Shops)+len(nobody.Categories) != 0 || nobody.Region != "" {
			t.Errorf("unknown user = %+v", nobody)
		}

		counties, err := s.ProgrammeCounties(ctx, "rural")
		must(t, err)
		slices.SortFunc(counties, func(a, b feed.County) int { return cmpString(a.County, b.County) })
		if len(counties) != 2 || counties[0] != (feed.County{County: "Lankao", Sessions: 2}) || counties[1] != (feed.County{County: "Wuchang", Sessions: 1}) {
			t.Errorf("counties = %+v", counties)
		}
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestConformanceFeedChannels pages through channels in channel order:
// live rooms newest first, then scheduled ones soonest first.
func TestConformanceFeedChannels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := seedFeedWorld(t, s)
		// More foodie rooms, so pages cross from live to scheduled.
		f.session("live-k", "shp_a", "", "live", -2*time.Hour, -2*time.Hour)
		f.session("soon-l", "shp_b", "", "scheduled", 3*time.Hour, 0)
		ctx := t.Context()
		q := func(code, county string, after *feed.Cursor, limit int) []feed.Room {
			t.Helper()
			ch, _ := feed.ChannelByCode(code)
			rooms, err := s.ChannelRooms(ctx, feed.ChannelQuery{Categories: ch.Categories, Programme: ch.Programme, County: county,
				From: f.now.Add(-feed.StaleScheduled), Until: f.now.Add(feed.DefaultWindow), After: after, Limit: limit})
			must(t, err)
			return rooms
		}
		tests := []struct {
			code, county string
			want         []string
		}{
			{"foodie", "", []string{"live-b", "live-a", "live-k", "soon-d", "soon-l"}},
			{"rural", "", []string{"live-b", "soon-l", "later-e"}},
			{"rural", "Lankao", []string{"later-e"}},
			{"rural", "Nowhere", []string{}},
			{"tech", "", []string{"live-c"}},
			{"home", "", []string{"later-e"}},
			{"health", "", []string{}},
		}
		for _, tt := range tests {
			if got := feedIDs(q(tt.code, tt.county, nil, 50)); !slices.Equal(got, tt.want) {
				t.Errorf("%s county %q: %v, want %v", tt.code, tt.county, got, tt.want)
			}
			// The same list two at a time through cursors.
			var paged []string
			var after *feed.Cursor
			for range 10 {
				page := q(tt.code, tt.county, after, 2)
				paged = append(paged, feedIDs(page)...)
				if len(page) < 2 {
					break
				}
				c := feed.CursorOf(page[len(page)-1])
				parsed, err := feed.ParseCursor(c.String())
				must(t, err)
				after = parsed
			}
			if !slices.Equal(paged, tt.want) && !(len(paged) == 0 && len(tt.want) == 0) {
				t.Errorf("%s county %q paged: %v, want %v", tt.code, tt.county, paged, tt.want)
			}
		}
	})
}

// TestConformanceFeedService runs the feed service over the real store:
// the index, a signed-in viewer's ranking, an anonymous one, channels
// with live counts and the rural counties.
func TestConformanceFeedService(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := seedFeedWorld(t, s)
		ctx := t.Context()
		clock := storetest.NewClock(f.now)
		svc := feed.NewService(feed.Config{Repo: s, Now: clock.Now})
		must(t, svc.Refresh(ctx))

		viewer := account.Actor{User: &account.User{ID: "usr_viewer"}}
		got, err := svc.Feed(ctx, viewer, "", 10)
		must(t, err)
		// Followed: Anna (live-a, and soon-d starting in 10 min joins the
		// live rooms) and shop B; live-c is a stranger's; later-e is two
		// days off.
		if want := []string{"live-a", "soon-d", "live-b", "live-c", "later-e"}; !slices.Equal(feedItemIDs(got.Items), want) {
			t.Fatalf("feed %v, want %v: %+v", feedItemIDs(got.Items), want, got.Items)
		}
		a := got.Items[0]
		if !slices.Equal(a.Reasons, []string{feed.ReasonFollowedHost, "you watch food", feed.ReasonNearYou}) || a.Viewers != 42 ||
			a.HostFollowers != 3 || a.Exploration {
			t.Errorf("live-a = %+v", a)
		}
		// live-b is a new hoster's (shop B: 1 follower, 1 session), but
		// followed, so exploration skips it; Ben is established.
		if b := got.Items[2]; b.Exploration || got.Explored != 0 ||
			!slices.Equal(b.Reasons, []string{feed.ReasonFollowedShop, "you watch fresh produce", feed.ReasonJustStarted}) {
			t.Errorf("live-b = %+v, explored %d", b, got.Explored)
		}

		anon, err := svc.Feed(ctx, account.Actor{}, "visitor-0001", 10)
		must(t, err)
		// Anonymous: engagement and freshness. live-c has 250 viewers;
		// live-b just started (a new hoster's: position 3 is exploration
		// anyway); then live-a; upcoming soonest first.
		if want := []string{"live-c", "live-a", "live-b", "soon-d", "later-e"}; !slices.Equal(feedItemIDs(anon.Items), want) {
			t.Errorf("anonymous feed %v, want %v", feedItemIDs(anon.Items), want)
		}
		if anon.Explored != 1 || !anon.Items[2].Exploration || !slices.Contains(anon.Items[2].Reasons, feed.ReasonNewHost) {
			t.Errorf("anonymous exploration: %+v", anon)
		}

		for _, tc := range []struct {
			limit int
			anon  string
			field string
		}{{0, "", "limit"}, {101, "", "limit"}, {10, "short", "anon"}, {10, "has space!", "anon"}} {
			if _, err := svc.Feed(ctx, account.Actor{}, tc.anon, tc.limit); !isField(err, tc.field) {
				t.Errorf("limit %d anon %q: %v, want field %s", tc.limit, tc.anon, err, tc.field)
			}
		}

		chans, err := svc.Channels(ctx)
		must(t, err)
		live := map[string]int{}
		for _, c := range chans {
			live[c.Code] = c.LiveCount
		}
		if want := map[string]int{"foodie": 2, "rural": 1, "fashion": 0, "home": 0, "tech": 1, "health": 0}; !mapsEqual(live, want) {
			t.Errorf("live counts %v, want %v", live, want)
		}

		items, next, err := svc.Channel(ctx, "foodie", "", 2, "")
		must(t, err)
		if !slices.Equal(feedItemIDs(items), []string{"live-b", "live-a"}) || next == "" || items[1].Viewers != 42 {
			t.Fatalf("foodie page 1: %v next %q", feedItemIDs(items), next)
		}
		items, next, err = svc.Channel(ctx, "foodie", "", 2, next)
		must(t, err)
		if !slices.Equal(feedItemIDs(items), []string{"soon-d"}) || next != "" || !slices.Contains(items[0].Reasons, feed.ReasonStartingSoon) {
			t.Fatalf("foodie page 2: %+v next %q", items, next)
		}
		if _, _, err := svc.Channel(ctx, "nope", "", 2, ""); !isCode(err, "not_found") {
			t.Errorf("unknown channel: %v", err)
		}
		if _, _, err := svc.Channel(ctx, "rural", "", 2, "x.1.y"); !isField(err, "cursor") {
			t.Errorf("bad cursor: %v", err)
		}
		rural, _, err := svc.Channel(ctx, "rural", "Wuchang", 10, "")
		must(t, err)
		if !slices.Equal(feedItemIDs(rural), []string{"live-b"}) {
			t.Errorf("rural in Wuchang: %v", feedItemIDs(rural))
		}

		counties, err := svc.RuralCounties(ctx)
		must(t, err)
		if len(counties) != 2 || counties[0] != (feed.County{County: "Lankao", Sessions: 2}) ||
			counties[1] != (feed.County{County: "Wuchang", Sessions: 1, LiveCount: 1}) {
			t.Errorf("counties %+v", counties)
		}

		// The index follows the database on the next refresh.
		f.exec(`UPDATE live_sessions SET status = 'ended' WHERE id = 'live-c'`)
		must(t, svc.Refresh(ctx))
		anon, err = svc.Feed(ctx, account.Actor{}, "visitor-0001", 10)
		must(t, err)
		if slices.Contains(feedItemIDs(anon.Items), "live-c") {
			t.Errorf("ended room still in the feed: %v", feedItemIDs(anon.Items))
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func isField(err error, field string) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Invalid && e.Field == field
}

func isCode(err error, code string) bool { return apperr.Is(err, code) }
