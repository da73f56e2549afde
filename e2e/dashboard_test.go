package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// roomActivity is a simulated live session with known numbers: viewers
// joining over the WebSocket, likes, product opens and buy clicks through
// the funnel route, orders with room attribution and some of them paid on
// the sandbox page.
type roomActivity struct {
	views, likes, clicks, buyClicks, orders, paid, gmv int64
	uniqueViewers                                      int64 // viewers who reported the funnel's view step
	paidBuyers                                         int64
}

// TestDashboardNumbers drives a room and checks that the dashboard, over
// REST and in the host's WebSocket frames, reaches exactly the numbers
// that happened: nothing lost, nothing counted twice.
func TestDashboardNumbers(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testDashboardNumbers(t, d)
		})
	}
}

func testDashboardNumbers(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "standard")
	id, _ := p.scheduleLive(t, "Dashboard live")
	path := "/api/v1/live-sessions/" + id + "/dashboard"

	// Only the room's operators may read it.
	p.srv.Client().Must(401, "GET", path, nil)
	p.buyer.Must(403, "GET", path, nil)

	host := dialRoom(t, p.merchant, p.srv.URL, id) // the shop owner: an operator
	host.waitFor("the host's snapshot", 10*time.Second, ofType("snapshot"))
	want := roomActivity{views: 1} // the host's own connection is a view

	// Three signed-in viewers and an anonymous one join and report a view.
	var viewers []*Client
	var sockets []*roomSocket
	for i := range 3 {
		c := p.srv.Client()
		c.SignUp(uniqueEmail(fmt.Sprint("viewer", i)), "viewer-password")
		viewers = append(viewers, c)
		s := dialRoom(t, c, p.srv.URL, id)
		s.waitFor("a viewer's snapshot", 10*time.Second, ofType("snapshot"))
		sockets = append(sockets, s)
		c.Must(202, "POST", "/api/v1/live-sessions/"+id+"/funnel", map[string]any{"step": "view"})
	}
	anon := p.srv.Client()
	anonSock := dialRoom(t, anon, p.srv.URL, id+"?anon=anon-dashboard-1")
	anonSock.waitFor("the anonymous snapshot", 10*time.Second, ofType("snapshot"))
	anon.Must(202, "POST", "/api/v1/live-sessions/"+id+"/funnel", map[string]any{"step": "view", "anon_id": "anon-dashboard-1"})
	want.views += 4
	want.uniqueViewers = 4

	// Likes: one frame per signed-in viewer.
	for i, s := range sockets {
		s.send("like", map[string]any{"count": 3 + i})
		want.likes += int64(3 + i)
	}
	// Product opens and buy clicks, every one counted (the funnel itself
	// counts distinct viewers; the dashboard's clicks are raw).
	funnel := func(c *Client, step string, body map[string]any) {
		body["step"], body["product_id"] = step, p.productID
		c.Must(202, "POST", "/api/v1/live-sessions/"+id+"/funnel", body)
	}
	for i := range 5 {
		funnel(viewers[i%3], "product_open", map[string]any{})
		want.clicks++
	}
	funnel(anon, "product_open", map[string]any{"anon_id": "anon-dashboard-1"})
	want.clicks++
	for i := range 3 {
		funnel(viewers[i], "buy_click", map[string]any{})
		want.buyClicks++
	}

	// Orders from the room: the buyer places two and pays one; a viewer
	// places one and pays it.
	place := func(c *Client, key string) string {
		o := c.Must(201, "POST", "/api/v1/orders", map[string]any{
			"items": []map[string]any{{"sku_id": p.skuID, "quantity": 1}}, "address": address,
			"attribution": map[string]any{"room_id": id},
		}, "Idempotency-Key", key).Map(t)
		want.orders++
		return o["id"].(string)
	}
	first := place(p.buyer, "dash-1")
	place(p.buyer, "dash-2")
	p.payOnSandboxPage(t, first, "succeed")
	viewerOrder := place(viewers[0], "dash-3")
	(&platform{srv: p.srv, buyer: viewers[0]}).payOnSandboxPage(t, viewerOrder, "succeed")
	want.paid, want.gmv, want.paidBuyers = 2, 2*10000, 2
	// Placing the same order again (same key) is not a new order.
	p.buyer.Must(200, "POST", "/api/v1/orders", map[string]any{
		"items": []map[string]any{{"sku_id": p.skuID, "quantity": 1}}, "address": address,
		"attribution": map[string]any{"room_id": id},
	}, "Idempotency-Key", "dash-1")

	matches := func(m map[string]any) string {
		num := func(k string) int64 {
			v, _ := m[k].(float64)
			return int64(v)
		}
		for _, c := range []struct {
			field string
			want  int64
		}{
			{"views", want.views}, {"likes", want.likes}, {"product_clicks", want.clicks}, {"buy_clicks", want.buyClicks},
			{"orders", want.orders}, {"paid_orders", want.paid}, {"gmv_minor", want.gmv}, {"unique_viewers", want.uniqueViewers},
			{"current_viewers", want.views}, // everyone is still connected
		} {
			if got := num(c.field); got != c.want {
				return fmt.Sprintf("%s = %d, want %d", c.field, got, c.want)
			}
		}
		if m["currency"] != "CNY" || m["conversion"] != float64(want.paidBuyers)/float64(want.uniqueViewers) {
			return fmt.Sprintf("currency %v conversion %v", m["currency"], m["conversion"])
		}
		if num("peak_viewers") < want.views {
			return fmt.Sprintf("peak_viewers = %d", num("peak_viewers"))
		}
		products, _ := m["products"].([]any)
		if len(products) != 1 {
			return fmt.Sprintf("products = %v", products)
		}
		pr := products[0].(map[string]any)
		if pr["product_id"] != p.productID || pr["title"] != "五常大米 fragrant rice" || pr["clicks"] != float64(want.clicks) ||
			pr["orders"] != float64(want.orders) || pr["units"] != float64(want.paid) || pr["gmv_minor"] != float64(want.gmv) {
			return fmt.Sprintf("product = %v", pr)
		}
		f, _ := m["funnel"].(map[string]any)
		if f["views"] != float64(want.uniqueViewers) || f["paid_buyers"] != float64(want.paidBuyers) || f["orders"] != float64(want.orders) {
			return fmt.Sprintf("funnel = %v", f)
		}
		return ""
	}

	// Viewers are reported every 10 s, so the bound is generous.
	last := pollDashboard(t, p.merchant, path, 40*time.Second, matches)
	t.Logf("dashboard: %v", last)
	host.waitFor("a dashboard frame with every number", 15*time.Second, func(e map[string]any) bool {
		data, _ := e["data"].(map[string]any)
		return e["type"] == "dashboard" && data != nil && matches(data) == ""
	})
	for _, s := range append(sockets, anonSock) {
		s.mu.Lock()
		for _, e := range s.events {
			if e["type"] == "dashboard" {
				s.mu.Unlock()
				t.Fatal("a viewer got a dashboard frame")
			}
		}
		s.mu.Unlock()
	}
}

// pollDashboard reads the dashboard until check finds nothing wrong.
func pollDashboard(t *testing.T, c *Client, path string, within time.Duration, check func(map[string]any) string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	var last map[string]any
	why := ""
	for time.Now().Before(deadline) {
		last = c.Must(200, "GET", path, nil).Map(t)
		if why = check(last); why == "" {
			return last
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("dashboard not right within %s: %s\n%v", within, why, last)
	return nil
}

// TestDashboardSurvivesRestart stops the server right after events were
// recorded, before they could all be rolled up, and starts it again on the
// same database and NATS data: the totals come out exact.
func TestDashboardSurvivesRestart(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			p := bootPlatform(t, d, "standard")
			id, _ := p.scheduleLive(t, "Restart live")
			path := "/api/v1/live-sessions/" + id + "/dashboard"
			clicks := func(c *Client, n int) {
				for range n {
					c.Must(202, "POST", "/api/v1/live-sessions/"+id+"/funnel", map[string]any{"step": "product_open", "product_id": p.productID})
				}
			}
			clicks(p.buyer, 40)
			p.buyer.Must(201, "POST", "/api/v1/orders", map[string]any{
				"items": []map[string]any{{"sku_id": p.skuID, "quantity": 2}}, "address": address,
				"attribution": map[string]any{"room_id": id},
			}, "Idempotency-Key", "restart-1")
			p.srv.Stop() // at once: some events are still buffered or in the stream

			srv := StartCommandOn(t, p.srv, "serve", "--sandbox-secret", sandboxSecret, "--payment-window", "1h")
			merchant, buyer := srv.Client(), srv.Client()
			merchant.CSRF, buyer.CSRF = p.merchant.CSRF, p.buyer.CSRF
			merchant.http.Jar, buyer.http.Jar = p.merchant.http.Jar, p.buyer.http.Jar
			clicks(buyer, 25)
			check := func(m map[string]any) string {
				if m["product_clicks"] != float64(65) || m["orders"] != float64(1) {
					return fmt.Sprintf("product_clicks %v orders %v, want 65 and 1", m["product_clicks"], m["orders"])
				}
				return ""
			}
			// Batches the stopped consumer had fetched and applied are acked;
			// one caught in a pull that was cut short comes back after the
			// stream's 30 s ack wait, hence the bound.
			pollDashboard(t, merchant, path, 45*time.Second, check)
			// Nothing arrives twice later: the numbers stay put over several flushes.
			time.Sleep(3 * time.Second)
			if why := check(merchant.Must(200, "GET", path, nil).Map(t)); why != "" {
				t.Fatalf("after the totals were reached: %s", why)
			}
		})
	}
}
