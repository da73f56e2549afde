package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"
)

// testGate is a gate on the Redis at 127.0.0.1:6379 (the baseline the
// benchmark compares with, so a missing Redis fails the test); its keys
// are deleted when the test ends.
func testGate(t *testing.T) *redisGate {
	t.Helper()
	g, err := newRedisGate("127.0.0.1:6379", 20)
	if err != nil {
		t.Fatalf("no Redis at 127.0.0.1:6379: %v", err)
	}
	t.Cleanup(func() {
		if err := g.cleanup(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return g
}

func TestGateAnswers(t *testing.T) {
	g := testGate(t)
	k, err := g.newSale(5, 2)
	if err != nil {
		t.Fatal(err)
	}
	g.sale.Store(k)
	post := func(key, body string) (int, map[string]any) {
		req := httptest.NewRequest("POST", "/reserve", bytes.NewBufferString(body))
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: body %q: %v", key, body, rec.Body, err)
		}
		return rec.Code, out
	}
	tests := []struct {
		name, key, body string
		status          int
		remaining       float64 // for 2xx
		message, field  string  // for errors
	}{
		{"first", "a1", `{"user":"ann","quantity":2}`, 201, 3, "", ""},
		{"replay gives the first answer", "a1", `{"user":"ann","quantity":2}`, 200, 3, "", ""},
		{"replay with another quantity", "a1", `{"user":"ann","quantity":1}`, 409, 0, "the idempotency key was used for a different request", "Idempotency-Key"},
		{"above the per-user limit", "a2", `{"user":"ann","quantity":1}`, 409, 0, "above the limit of 2 per buyer", "quantity"},
		{"another buyer, the same key", "a1", `{"user":"bob","quantity":2}`, 201, 1, "", ""},
		{"more than is left", "c1", `{"user":"cat","quantity":2}`, 409, 0, "sold out", "quantity"},
		{"the last unit", "c2", `{"user":"cat","quantity":1}`, 201, 0, "", ""},
		{"sold out", "d1", `{"user":"dan","quantity":1}`, 409, 0, "sold out", "quantity"},
		{"no key", "", `{"user":"dan","quantity":1}`, 400, 0, "an Idempotency-Key header of 1–200 characters is required", "Idempotency-Key"},
		{"no user", "d2", `{"quantity":1}`, 400, 0, "user is required", "user"},
		{"zero", "d3", `{"user":"dan","quantity":0}`, 400, 0, "quantity must be at least 1", "quantity"},
		{"not JSON", "d4", `quantity=1`, 400, 0, "the body is not JSON {user, quantity}", ""},
	}
	for _, tt := range tests {
		status, out := post(tt.key, tt.body)
		if status != tt.status {
			t.Fatalf("%s: status %d %v, want %d", tt.name, status, out, tt.status)
		}
		if status < 300 {
			if out["remaining"] != tt.remaining {
				t.Errorf("%s: remaining %v, want %v", tt.name, out["remaining"], tt.remaining)
			}
			continue
		}
		e, _ := out["error"].(map[string]any)
		if e["message"] != tt.message || (e["field"] != nil && e["field"] != tt.field) || (e["field"] == nil && tt.field != "") {
			t.Errorf("%s: error %v, want %q on %q", tt.name, e, tt.message, tt.field)
		}
	}
	if msg, ok := g.check(k, 5, 0); !ok {
		t.Errorf("check after 5 units reserved: %s", msg)
	}
	if msg, ok := g.check(k, 4, 0); ok {
		t.Errorf("check passed with a unit missing: %s", msg)
	}
}

// TestGateSellOut has 300 buyers ask for one unit each at once, over HTTP
// on loopback, for 40 units: exactly 40 get it, the rest hear sold out.
func TestGateSellOut(t *testing.T) {
	g := testGate(t)
	k, err := g.newSale(40, 1)
	if err != nil {
		t.Fatal(err)
	}
	g.sale.Store(k)
	base, stop, err := g.serve()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	const buyers = 300
	hc := newClient(buyers)
	hc.Timeout = 20 * time.Second
	warm := func(int) error {
		resp, err := hc.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	out, err := burst(buyers, "t-", warm, httpReserve(hc, base+"/reserve", redisBodies(buyers), nil))
	if err != nil {
		t.Fatal(err)
	}
	if out.created != 40 || out.errs["409 sold out"] != buyers-40 || len(out.errs) != 1 {
		t.Fatalf("%d × 201, errors %v; want 40 and %d × 409 sold out", out.created, out.errs, buyers-40)
	}
	if out.lat.n != buyers {
		t.Errorf("%d latencies recorded, want %d", out.lat.n, buyers)
	}
	if msg, ok := g.check(k, out.created, out.lost); !ok {
		t.Error(msg)
	}
}

// TestClosedLoopDirect runs the closed loop on the script without HTTP
// and checks its counts against Redis.
func TestClosedLoopDirect(t *testing.T) {
	g := testGate(t)
	k, err := g.newSale(1000, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := closedLoop(8, 8, 100*time.Millisecond, 300*time.Millisecond, "x-", g.direct(k))
	if out.created == 0 || out.ok > out.created || out.lat.n < uint64(out.ok) || out.lost != 0 {
		t.Fatalf("created %d, ok in window %d, latencies %d", out.created, out.ok, out.lat.n)
	}
	if msg, ok := g.check(k, out.created, out.lost); !ok {
		t.Error(msg)
	}
	left, err := g.rdb.Get(context.Background(), k.stock).Int64()
	if err != nil || left < 0 {
		t.Errorf("stock left %d, %v", left, err)
	}
}

// TestClosedLoopTakesTurns has 4 workers speak for 40 accounts against a
// per-buyer limit of 5: all 40 reach it, none passes it, and the 200
// units sold match the 201s.
func TestClosedLoopTakesTurns(t *testing.T) {
	g := testGate(t)
	k, err := g.newSale(1000, 5)
	if err != nil {
		t.Fatal(err)
	}
	out := closedLoop(4, 40, 0, time.Second, "y-", g.direct(k))
	counts, err := g.rdb.HGetAll(context.Background(), k.users).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 40 || out.created != 200 {
		t.Fatalf("%d accounts bought, %d × 201; want 40 and 200", len(counts), out.created)
	}
	for u, c := range counts {
		if c != "5" {
			t.Errorf("%s bought %s, want 5", u, c)
		}
	}
	if out.errs["409 above the limit of 5 per buyer"] == 0 {
		t.Errorf("no refusal above the limit: %v", out.errs)
	}
	if msg, ok := g.check(k, out.created, out.lost); !ok {
		t.Error(msg)
	}
}

func TestHistQuantiles(t *testing.T) {
	tests := []struct {
		name           string
		ms             []int
		p50, p99, pMax time.Duration
	}{
		{"empty", nil, 0, 0, 0},
		{"one", []int{7}, 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond},
		{"tail", append(repeat(10, 98), 500, 900), 10 * time.Millisecond, 500 * time.Millisecond, 900 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b hist
			for i, v := range tt.ms {
				h := &a
				if i%2 == 1 {
					h = &b
				}
				h.record(time.Duration(v) * time.Millisecond)
			}
			a.add(&b)
			if a.n != uint64(len(tt.ms)) {
				t.Fatalf("n %d, want %d", a.n, len(tt.ms))
			}
			for _, c := range []struct {
				p    float64
				want time.Duration
			}{{0.5, tt.p50}, {0.99, tt.p99}, {1, tt.pMax}} {
				got := a.at(c.p)
				if d := got - c.want; d < -c.want/30 || d > c.want/30 {
					t.Errorf("p%g = %s, want %s ± 3 %%", c.p*100, got, c.want)
				}
			}
		})
	}
}

func repeat(v, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestErrorMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"error":{"code":"conflict","message":"sold out","field":"quantity"}}`, "sold out"},
		{`{"error":{"code":"conflict","message":"above the limit of 3 per buyer"}}`, "above the limit of 3 per buyer"},
		{"upstream gone\n", "upstream gone"},
		{string(bytes.Repeat([]byte("x"), 100)), string(bytes.Repeat([]byte("x"), 60)) + "…"},
	}
	for _, tt := range tests {
		if got := errorMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("errorMessage(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
	if got := errSummary(map[string]int{"409 sold out": 5, "0 no answer": 1, "500 internal error": 5}); got != "409 sold out ×5, 500 internal error ×5, 0 no answer ×1" {
		t.Errorf("errSummary = %q", got)
	}
}
