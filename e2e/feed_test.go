package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestFeed boots the real binary with two shops and three scheduled
// sessions (scheduled rooms are in the feed too; no ffmpeg needed), has a
// viewer follow a host through the follows API, and checks the ranking
// each viewer gets and what each channel lists.
func TestFeed(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testFeed(t, d) })
	}
}

type feedItem struct {
	ID          string   `json:"id"`
	Status      string   `json:"status"`
	ShopID      string   `json:"shop_id"`
	HostID      string   `json:"host_id"`
	HostName    string   `json:"host_name"`
	Score       float64  `json:"score"`
	Reasons     []string `json:"reasons"`
	Exploration bool     `json:"exploration"`
}

func feedIDsOf(items []feedItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func testFeed(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "rural") // Black Soil Farm: fresh_produce, rural, Wuchang
	// A host, who will host the farm's session.
	host := p.srv.Client()
	host.SignUp(uniqueEmail("host"), "host-password")
	hostID := host.Must(200, "POST", "/api/v1/me/host", nil).Map(t)["user"].(map[string]any)["id"].(string)
	// A second shop selling electronics.
	gadgets := p.srv.Client()
	gadgets.SignUp(uniqueEmail("gadgets"), "gadgets-password")
	shopB := gadgets.Must(201, "POST", "/api/v1/shops", map[string]any{
		"name": "Gadget Corner", "category": "electronics", "region": "Zhejiang", "programme": "standard",
	}).Map(t)["id"].(string)
	p.admin.Must(200, "POST", "/api/v1/admin/shops/"+shopB+"/approve", nil)

	schedule := func(c *Client, shopID, title, hostID string, in time.Duration) string {
		t.Helper()
		body := map[string]any{"title": title, "planned_start": time.Now().Add(in).UTC().Format(time.RFC3339)}
		if hostID != "" {
			body["host_id"] = hostID
		}
		return c.Must(201, "POST", "/api/v1/shops/"+shopID+"/live-sessions", body).Map(t)["session"].(map[string]any)["id"].(string)
	}
	harvest := schedule(p.merchant, p.shopID, "Harvest with our host", hostID, 3*time.Hour)
	gadgetHour := schedule(gadgets, shopB, "Gadget hour", "", time.Hour)
	gadgetTomorrow := schedule(gadgets, shopB, "Gadgets tomorrow", "", 30*time.Hour)

	// The viewer follows the host before their first feed (features are
	// cached for 30 s).
	viewer := p.buyer
	followed := viewer.Do("POST", "/api/v1/follows", map[string]any{"target_kind": "host", "target_id": hostID})
	if followed.Status != 201 {
		t.Fatalf("follow the host: %d %s", followed.Status, followed.Body)
	}

	// The index refreshes every 2 s: wait for the three rooms.
	feedOf := func(c *Client, query string) (items []feedItem, explored int) {
		t.Helper()
		var f struct {
			Items    []feedItem `json:"items"`
			Explored int        `json:"explored"`
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			c.Must(200, "GET", "/api/v1/feed"+query, nil).JSON(t, &f)
			if len(f.Items) == 3 || time.Now().After(deadline) {
				return f.Items, f.Explored
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// Anonymous: the soonest first; position 3 explores a new host (every
	// host here is new), the only one left.
	anon, explored := feedOf(p.srv.Client(), "?anon=e2e-visitor-1&limit=10")
	if want := []string{gadgetHour, harvest, gadgetTomorrow}; !slices.Equal(feedIDsOf(anon), want) {
		t.Fatalf("anonymous feed %v, want %v: %+v", feedIDsOf(anon), want, anon)
	}
	if explored != 1 || !anon[2].Exploration || !slices.Contains(anon[2].Reasons, "new host") || anon[0].Exploration {
		t.Errorf("anonymous exploration: explored %d, items %+v", explored, anon)
	}
	for _, it := range anon {
		if it.Status != "scheduled" {
			t.Errorf("%s status %s", it.ID, it.Status)
		}
	}

	// The viewer: the followed host's room first, though it starts later.
	mine, _ := feedOf(viewer, "?limit=10")
	if len(mine) != 3 || mine[0].ID != harvest || mine[0].HostID != hostID || !slices.Contains(mine[0].Reasons, "followed host") ||
		mine[0].Score <= mine[1].Score {
		t.Fatalf("viewer's feed: %+v", mine)
	}
	if !slices.Equal(feedIDsOf(mine), []string{harvest, gadgetHour, gadgetTomorrow}) {
		t.Errorf("viewer's feed %v", feedIDsOf(mine))
	}
	if code, field := viewer.Must(400, "GET", "/api/v1/feed?limit=0", nil).ErrorField(t); code != "invalid" || field != "limit" {
		t.Errorf("limit=0: %s %s", code, field)
	}

	// Channels.
	var chans []struct {
		Code      string `json:"code"`
		Name      string `json:"name"`
		LiveCount int    `json:"live_count"`
	}
	p.srv.Client().Must(200, "GET", "/api/v1/channels", nil).JSON(t, &chans)
	if len(chans) != 6 || chans[0].Code != "foodie" || chans[1].Code != "rural" || chans[0].Name == "" {
		t.Errorf("channels: %+v", chans)
	}
	channel := func(path string) []string {
		t.Helper()
		var pg struct {
			Items      []feedItem `json:"items"`
			NextCursor string     `json:"next_cursor"`
		}
		p.srv.Client().Must(200, "GET", "/api/v1/channels/"+path, nil).JSON(t, &pg)
		return feedIDsOf(pg.Items)
	}
	for path, want := range map[string][]string{
		"foodie":               {harvest},
		"rural":                {harvest},
		"rural?county=Wuchang": {harvest},
		"rural?county=Lankao":  {},
		"tech":                 {gadgetHour, gadgetTomorrow},
		"fashion":              {},
	} {
		if got := channel(path); !slices.Equal(got, want) {
			t.Errorf("channel %s: %v, want %v", path, got, want)
		}
	}
	// Two pages of one.
	var pg struct {
		Items      []feedItem `json:"items"`
		NextCursor string     `json:"next_cursor"`
	}
	p.srv.Client().Must(200, "GET", "/api/v1/channels/tech?limit=1", nil).JSON(t, &pg)
	if len(pg.Items) != 1 || pg.Items[0].ID != gadgetHour || pg.NextCursor == "" {
		t.Fatalf("tech page 1: %+v", pg)
	}
	next := pg.NextCursor
	pg.Items, pg.NextCursor = nil, ""
	p.srv.Client().Must(200, "GET", "/api/v1/channels/tech?limit=1&cursor="+next, nil).JSON(t, &pg)
	if len(pg.Items) != 1 || pg.Items[0].ID != gadgetTomorrow {
		t.Fatalf("tech page 2: %+v", pg)
	}
	p.srv.Client().Must(404, "GET", "/api/v1/channels/nope", nil)

	var counties []struct {
		County    string `json:"county"`
		Sessions  int    `json:"sessions"`
		LiveCount int    `json:"live_count"`
	}
	p.srv.Client().Must(200, "GET", "/api/v1/channels/rural/counties", nil).JSON(t, &counties)
	if len(counties) != 1 || counties[0].County != "Wuchang" || counties[0].Sessions != 1 || counties[0].LiveCount != 0 {
		t.Errorf("counties: %+v", counties)
	}
}
