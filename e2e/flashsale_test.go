package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// flashRush is a sale and the buyers waiting for it.
type flashRush struct {
	p      *platform
	saleID string
	buyers []*Client
}

// newFlashRush boots a platform, raises the SKU's stock, schedules a live
// session and starts a flash sale of stock units (limit per buyer) whose
// countdown is 10 s, while n buyers sign up.
func newFlashRush(t *testing.T, p *platform, nodes []*Server, stock, limit, n int) *flashRush {
	t.Helper()
	roomID, _ := p.scheduleLive(t, "Flash rush")
	return newFlashRushIn(t, p, roomID, nodes, stock, limit, n)
}

// newFlashRushIn is newFlashRush in an existing session.
func newFlashRushIn(t *testing.T, p *platform, roomID string, nodes []*Server, stock, limit, n int) *flashRush {
	t.Helper()
	p.merchant.Must(200, "POST", "/api/v1/skus/"+p.skuID+"/stock", map[string]any{"delta": 1000, "note": "for the flash sale"})
	sale := p.merchant.Must(201, "POST", "/api/v1/live-sessions/"+roomID+"/flash-sales", map[string]any{
		"sku_id": p.skuID, "price_minor": 4990, "stock": stock, "per_user_limit": limit,
		"countdown_seconds": 10, "duration_seconds": 600, "payment_window_seconds": 600,
	}).Map(t)
	r := &flashRush{p: p, saleID: sale["id"].(string), buyers: make([]*Client, n)}
	if sale["status"] != "scheduled" || sale["remaining"].(float64) != float64(stock) {
		t.Fatalf("new sale = %v", sale)
	}
	// Too early: refused, nothing reserved.
	early := p.buyer.Do("POST", "/api/v1/flash-sales/"+r.saleID+"/reservations", map[string]any{"quantity": 1}, "Idempotency-Key", "early")
	for retry := time.Now().Add(20 * time.Second); early.Status == http.StatusServiceUnavailable && time.Now().Before(retry); {
		// The sale's engine is still finding its node (after a failure): retry, as clients do.
		time.Sleep(200 * time.Millisecond)
		early = p.buyer.Do("POST", "/api/v1/flash-sales/"+r.saleID+"/reservations", map[string]any{"quantity": 1}, "Idempotency-Key", "early")
	}
	if code, field := early.ErrorField(t); early.Status != http.StatusConflict || code != "conflict" || field != "sale" {
		t.Fatalf("reserving before the start: %d %s", early.Status, early.Body)
	}
	// Sign the buyers up, a few at a time (password hashing is the cost).
	var wg sync.WaitGroup
	sem := make(chan struct{}, 3)
	for i := range r.buyers {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c := nodes[i%len(nodes)].Client()
			c.SignUp(uniqueEmail(fmt.Sprintf("rush%d", i)), "rush-buyer-pw")
			r.buyers[i] = c
		})
	}
	wg.Wait()
	starts, err := time.Parse(time.RFC3339Nano, sale["starts_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(starts) + 300*time.Millisecond)
	return r
}

// outcome is what one buyer's try ended with.
type outcome struct {
	buyer  int
	status int
	id     string
	field  string
}

// reserve tries once per key, retrying a 503 (the sale moving between
// nodes) with the same key, as a client should.
func (r *flashRush) reserve(t *testing.T, buyer int, key string, deadline time.Time) outcome {
	for {
		resp := r.buyers[buyer].Do("POST", "/api/v1/flash-sales/"+r.saleID+"/reservations", map[string]any{"quantity": 1}, "Idempotency-Key", key)
		o := outcome{buyer: buyer, status: resp.Status}
		switch resp.Status {
		case http.StatusCreated, http.StatusOK:
			o.id = resp.Map(t)["id"].(string)
			return o
		case http.StatusServiceUnavailable:
			if time.Now().After(deadline) {
				return o
			}
			time.Sleep(200 * time.Millisecond)
			continue
		}
		_, o.field = resp.ErrorField(t)
		return o
	}
}

// rush sends tries keys per buyer (of buyers, all when nil) all at once
// and returns the outcomes.
func (r *flashRush) rush(t *testing.T, tries int, prefix string, buyers []int) []outcome {
	if buyers == nil {
		for b := range r.buyers {
			buyers = append(buyers, b)
		}
	}
	var mu sync.Mutex
	var out []outcome
	var wg sync.WaitGroup
	deadline := time.Now().Add(60 * time.Second)
	for _, b := range buyers {
		for k := range tries {
			wg.Go(func() {
				o := r.reserve(t, b, fmt.Sprintf("%s-%d-%d", prefix, b, k), deadline)
				mu.Lock()
				out = append(out, o)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	return out
}

// check asserts that no buyer holds more than limit reservations and every
// refusal is a clear one; it returns the reservations (id → buyer).
func (r *flashRush) check(t *testing.T, out []outcome, limit int) map[string]int {
	t.Helper()
	perBuyer := map[int]int{}
	ids := map[string]int{}
	for _, o := range out {
		switch {
		case o.id != "":
			if _, seen := ids[o.id]; !seen {
				perBuyer[o.buyer]++
			}
			ids[o.id] = o.buyer
		case o.status == http.StatusConflict && o.field == "quantity":
		default:
			t.Fatalf("unexpected answer: %+v", o)
		}
	}
	for b, n := range perBuyer {
		if n > limit {
			t.Fatalf("buyer %d holds %d reservations, limit %d", b, n, limit)
		}
	}
	return ids
}

func (r *flashRush) sale(t *testing.T, c *Client) map[string]any {
	t.Helper()
	return c.Must(200, "GET", "/api/v1/flash-sales/"+r.saleID, nil).Map(t)
}

// TestFlashSaleRush: 2,040 concurrent tries from 120 buyers (limit 1) for
// 100 units over HTTP: exactly 100 reservations; a retried key returns the
// first; a cancelled order's unit goes back on sale and sells again; a
// paid reservation stays sold.
func TestFlashSaleRush(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			p := bootPlatform(t, d, "standard")
			r := newFlashRush(t, p, []*Server{p.srv}, 100, 1, 120)
			out := r.rush(t, 17, "rush", nil)
			ids := r.check(t, out, 1)
			if len(ids) != 100 {
				t.Fatalf("%d reservations for 100 units", len(ids))
			}
			sale := r.sale(t, p.buyer)
			if sale["remaining"].(float64) != 0 || sale["sold"].(float64) != 100 {
				t.Fatalf("sale after the rush = %v", sale)
			}
			// A winner retries the same key: the first reservation comes back.
			var winner outcome
			for _, o := range out {
				if o.status == http.StatusCreated {
					winner = o
					break
				}
			}
			var key string
			mine := r.buyers[winner.buyer].Must(200, "GET", "/api/v1/flash-sales/"+r.saleID+"/reservations/mine", nil).Map(t)["items"].([]any)
			if len(mine) != 1 || mine[0].(map[string]any)["id"] != winner.id {
				t.Fatalf("winner's reservations = %v", mine)
			}
			for k := range 17 {
				key = fmt.Sprintf("rush-%d-%d", winner.buyer, k)
				resp := r.buyers[winner.buyer].Do("POST", "/api/v1/flash-sales/"+r.saleID+"/reservations", map[string]any{"quantity": 1}, "Idempotency-Key", key)
				if resp.Status == http.StatusOK {
					if resp.Map(t)["id"] != winner.id || resp.Header.Get("Idempotent-Replayed") != "true" {
						t.Fatalf("replay = %s", resp.Body)
					}
					break
				}
			}
			// The winner orders the reservation and cancels: the unit goes back.
			w := r.buyers[winner.buyer]
			o := w.Must(201, "POST", "/api/v1/orders", map[string]any{"reservation_id": winner.id, "address": address}).Map(t)
			if o["total_minor"].(float64) != 4990 {
				t.Fatalf("order for the reservation = %v", o)
			}
			w.Must(200, "POST", "/api/v1/orders/"+o["id"].(string)+"/cancel", map[string]any{"reason": "changed my mind"})
			deadline := time.Now().Add(10 * time.Second)
			for r.sale(t, p.buyer)["remaining"].(float64) != 1 {
				if time.Now().After(deadline) {
					t.Fatalf("the cancelled unit did not return: %v", r.sale(t, p.buyer))
				}
				time.Sleep(100 * time.Millisecond)
			}
			// Somebody without a unit gets it and pays.
			var late int = -1
			holders := map[int]bool{}
			for _, b := range ids {
				holders[b] = true
			}
			for b := range r.buyers {
				if !holders[b] {
					late = b
					break
				}
			}
			res := r.reserve(t, late, "second-chance", time.Now().Add(10*time.Second))
			if res.status != http.StatusCreated {
				t.Fatalf("resale: %+v", res)
			}
			lo := r.buyers[late].Must(201, "POST", "/api/v1/orders", map[string]any{"reservation_id": res.id, "address": address}).Map(t)
			payer := &platform{srv: p.srv, buyer: r.buyers[late]}
			payer.payOnSandboxPage(t, lo["id"].(string), "succeed")
			paid := r.buyers[late].Must(200, "GET", "/api/v1/orders/"+lo["id"].(string), nil).Map(t)
			if paid["status"] != "paid" {
				t.Fatalf("flash order after paying = %v", paid["status"])
			}
			if got := p.skuStock(t); got != 5+1000-100 {
				t.Fatalf("SKU stock = %d, want %d (the sale holds 100)", got, 5+1000-100)
			}
			if !strings.Contains(p.srv.Logs(), "flashsale: serving sale") {
				t.Fatalf("no engine started")
			}
		})
	}
}

// servedFirst matches a node's log line when it serves a sale's first epoch.
var servedFirst = regexp.MustCompile(`"msg":"flashsale: serving sale","sale":"[^"]+","epoch":1[,}]`)

// takenOver matches the log line of a node serving a sale it took over
// (an epoch after the first owner's).
var takenOver = regexp.MustCompile(`"msg":"flashsale: serving sale","sale":"[^"]+","epoch":([2-9]|[1-9][0-9]+)[,}]`)

// TestFlashSaleOwnerKilled: two nodes on PostgreSQL and the machine's
// NATS. The node that created the sale owns it; buyers go through the
// other node, which forwards to the owner. Mid-sale the owner is killed
// (SIGKILL) and restarted: the other node takes the sale over once the
// lease lapses, no acknowledged reservation is lost, nothing is oversold,
// and the order paid before the kill stays paid.
func TestFlashSaleOwnerKilled(t *testing.T) {
	natsURL := "nats://127.0.0.1:4222"
	p := bootPlatform(t, store.Postgres, "standard", "--nats", natsURL)
	nodeB := StartCommandOn(t, p.srv, "serve", "--nats", natsURL, "--sandbox-secret", sandboxSecret, "--payment-window", "1h")
	r := newFlashRush(t, p, []*Server{nodeB}, 40, 1, 60)
	first := 0
	res := r.reserve(t, first, "paid-first", time.Now().Add(10*time.Second))
	if res.status != http.StatusCreated {
		t.Fatalf("first reservation through node B: %+v", res)
	}
	o := r.buyers[first].Must(201, "POST", "/api/v1/orders", map[string]any{"reservation_id": res.id, "address": address}).Map(t)
	(&platform{srv: nodeB, buyer: r.buyers[first]}).payOnSandboxPage(t, o["id"].(string), "succeed")

	half := make([]int, 0, 30)
	for b := 1; b < 30; b++ {
		half = append(half, b)
	}
	before := r.rush(t, 3, "before", half)
	acked := r.check(t, append(before, outcome{buyer: first, status: http.StatusCreated, id: res.id}), 1)
	if len(acked) != 30 {
		t.Fatalf("%d reservations before the kill, want 30", len(acked))
	}
	p.srv.cmd.Process.Kill()
	<-p.srv.done
	restarted := StartCommandOn(t, p.srv, "serve", "--nats", natsURL, "--sandbox-secret", sandboxSecret)

	rest := make([]int, 0, 30)
	for b := 30; b < 60; b++ {
		rest = append(rest, b)
	}
	after := r.rush(t, 3, "after", rest)
	// Buyers who already hold one retry their keys: the same reservations.
	again := r.rush(t, 3, "before", half)
	all := append(append(append(before, after...), again...), outcome{buyer: first, status: http.StatusCreated, id: res.id})
	ids := r.check(t, all, 1)
	for id := range acked {
		if _, ok := ids[id]; !ok {
			t.Fatalf("reservation %s acknowledged before the kill is gone after it", id)
		}
	}
	sale := r.sale(t, nodeB.Client())
	if sale["sold"].(float64) != 40 || len(ids) != 40 {
		t.Fatalf("after the kill: sale %v, %d distinct reservations (want exactly 40)", sale, len(ids))
	}
	paid := r.buyers[first].Must(200, "GET", "/api/v1/orders/"+o["id"].(string), nil).Map(t)
	if paid["status"] != "paid" {
		t.Fatalf("the paid order after the owner died = %v", paid["status"])
	}
	// The sale moved to a live node: node B, or the restarted node if it
	// came back before the lease lapsed (either bumps the epoch past 1).
	if !takenOver.MatchString(nodeB.Logs()) && !takenOver.MatchString(restarted.Logs()) {
		t.Fatalf("no node took the sale over after the kill")
	}
	if got := r.sale(t, restarted.Client()); got["sold"].(float64) != 40 {
		t.Fatalf("sale seen from the restarted node = %v", got)
	}
}
