package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// limitsAPI serves test handlers behind the limits: /slow blocks until
// release is closed, everything else answers 204 at once.
func limitsAPI(t *testing.T, l Limits, release <-chan struct{}, started chan<- struct{}) (*API, http.Handler, *time.Time) {
	t.Helper()
	quick := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	a := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: l, Mounts: []Mount{
		{Pattern: "GET /slow", Handler: slow},
		{Pattern: "GET /ws/rooms/{id}", Handler: quick},
		{Pattern: "GET /live/{room}/{file}", Handler: quick},
		{Pattern: "POST /whip", Handler: quick},
	}, Fallback: quick})
	now := time.Unix(1_700_000_000, 0)
	a.limits.now = func() time.Time { return now }
	return a, a.Handler(), &now
}

type reqOpt func(*http.Request)

func from(addr string) reqOpt { return func(r *http.Request) { r.RemoteAddr = addr } }
func header(k, v string) reqOpt {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func do(h http.Handler, method, path string, opts ...reqOpt) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = "192.0.2.1:5000"
	for _, o := range opts {
		o(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// refusal checks a 429/503 answer: status, Retry-After and the error body
// naming the limit.
func refusal(t *testing.T, w *httptest.ResponseRecorder, status int, code, field, retry string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if got := w.Header().Get("Retry-After"); got != retry {
		t.Fatalf("Retry-After %q, want %q", got, retry)
	}
	var body ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	if body.Error.Code != code || body.Error.Field != field || body.Error.Message == "" {
		t.Fatalf("error %+v, want code %s field %s", body.Error, code, field)
	}
}

func TestRateLimitPerIP(t *testing.T) {
	_, h, now := limitsAPI(t, Limits{RateIP: 0.5, BurstIP: 2}, nil, nil)
	for i := range 2 {
		if w := do(h, "GET", "/products"); w.Code != http.StatusNoContent {
			t.Fatalf("request %d: status %d", i, w.Code)
		}
	}
	// At 0.5/s the next token is 2 s away.
	refusal(t, do(h, "GET", "/products"), http.StatusTooManyRequests, "rate_limited", "rate_ip", "2")
	// Long-lived requests count against the rate too.
	refusal(t, do(h, "GET", "/ws/rooms/r1"), http.StatusTooManyRequests, "rate_limited", "rate_ip", "2")
	// Another address has its own bucket, IPv6 by /64.
	if w := do(h, "GET", "/products", from("[2001:db8::1]:80")); w.Code != http.StatusNoContent {
		t.Fatalf("another client: status %d", w.Code)
	}
	do(h, "GET", "/products", from("[2001:db8::2]:80"))
	refusal(t, do(h, "GET", "/products", from("[2001:db8::3]:80")), http.StatusTooManyRequests, "rate_limited", "rate_ip", "2")
	// Health, readiness and metrics are never limited.
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if w := do(h, "GET", p); w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", p, w.Code)
		}
	}
	// After the wait the client is served again.
	*now = now.Add(2 * time.Second)
	if w := do(h, "GET", "/products"); w.Code != http.StatusNoContent {
		t.Fatalf("after Retry-After: status %d", w.Code)
	}
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	_, h, now := limitsAPI(t, Limits{RateIP: 10, BurstIP: 1}, nil, nil)
	do(h, "GET", "/")
	// 100 ms to the next token is still "Retry-After: 1", never 0.
	refusal(t, do(h, "GET", "/"), http.StatusTooManyRequests, "rate_limited", "rate_ip", "1")
	*now = now.Add(100 * time.Millisecond)
	if w := do(h, "GET", "/"); w.Code != http.StatusNoContent {
		t.Fatalf("status %d", w.Code)
	}
}

func TestRateLimitTrustProxy(t *testing.T) {
	tests := []struct {
		name  string
		trust bool
		xff   [2]string
		want  int // status of the second request from the same proxy
	}{
		{"proxy trusted, two clients", true, [2]string{"198.51.100.1", "198.51.100.2, 10.0.0.1"}, http.StatusNoContent},
		{"proxy trusted, one client", true, [2]string{"198.51.100.1", "198.51.100.1, 10.0.0.1"}, http.StatusTooManyRequests},
		{"header ignored without trust", false, [2]string{"198.51.100.1", "198.51.100.2"}, http.StatusTooManyRequests},
		{"garbage header falls back to the peer", true, [2]string{"nonsense", "also nonsense"}, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h, _ := limitsAPI(t, Limits{RateIP: 1, BurstIP: 1, TrustProxy: tt.trust}, nil, nil)
			proxy := from("10.0.0.9:4000")
			if w := do(h, "GET", "/", proxy, header("X-Forwarded-For", tt.xff[0])); w.Code != http.StatusNoContent {
				t.Fatalf("first: status %d", w.Code)
			}
			if w := do(h, "GET", "/", proxy, header("X-Forwarded-For", tt.xff[1])); w.Code != tt.want {
				t.Fatalf("second: status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

func TestRateLimitPerUser(t *testing.T) {
	_, h, now := limitsAPI(t, Limits{RateUser: 1, BurstUser: 2}, nil, nil)
	alice := header("Authorization", "Bearer tok-alice")
	for range 2 {
		if w := do(h, "GET", "/", alice); w.Code != http.StatusNoContent {
			t.Fatalf("status %d", w.Code)
		}
	}
	refusal(t, do(h, "GET", "/", alice), http.StatusTooManyRequests, "rate_limited", "rate_user", "1")
	// Alice from another address is still Alice.
	refusal(t, do(h, "GET", "/", alice, from("203.0.113.50:1")), http.StatusTooManyRequests, "rate_limited", "rate_user", "1")
	// Another token, a session cookie and anonymous callers are not Alice.
	if w := do(h, "GET", "/", header("Authorization", "Bearer tok-bob")); w.Code != http.StatusNoContent {
		t.Fatalf("bob: status %d", w.Code)
	}
	cookie := header("Cookie", sessionCookie+"=sess-carol")
	for range 2 {
		do(h, "GET", "/", cookie)
	}
	refusal(t, do(h, "GET", "/", cookie), http.StatusTooManyRequests, "rate_limited", "rate_user", "1")
	for i := range 50 {
		if w := do(h, "GET", "/"); w.Code != http.StatusNoContent {
			t.Fatalf("anonymous request %d: status %d (no per-IP limit is set)", i, w.Code)
		}
	}
	*now = now.Add(time.Second)
	if w := do(h, "GET", "/", alice); w.Code != http.StatusNoContent {
		t.Fatalf("alice after a second: status %d", w.Code)
	}
}

func TestShedWhenSaturated(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{})
	_, h, _ := limitsAPI(t, Limits{MaxInFlight: 2}, release, started)
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Go(func() { codes <- do(h, "GET", "/slow").Code })
	}
	<-started
	<-started // both slots are held
	refusal(t, do(h, "GET", "/products"), http.StatusServiceUnavailable, "unavailable", "max_inflight", "1")
	// Exempt while saturated: operations endpoints and long-lived requests.
	for _, rq := range [][2]string{{"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/ws/rooms/r1"}, {"GET", "/live/r1/stream.m3u8"}, {"POST", "/whip"}} {
		if w := do(h, rq[0], rq[1]); w.Code >= 500 || w.Code == http.StatusTooManyRequests {
			t.Fatalf("%s %s while saturated: status %d", rq[0], rq[1], w.Code)
		}
	}
	m := do(h, "GET", "/metrics").Body.String()
	for _, want := range []string{"liveshop_http_inflight 2", "liveshop_http_shed_total 1", `liveshop_http_rate_limited_total{scope="ip"} 0`} {
		if !strings.Contains(m, want) {
			t.Fatalf("metrics lack %q:\n%s", want, m)
		}
	}
	close(release)
	wg.Wait()
	for range 2 {
		if c := <-codes; c != http.StatusNoContent {
			t.Fatalf("held request: status %d", c)
		}
	}
	if w := do(h, "GET", "/products"); w.Code != http.StatusNoContent {
		t.Fatalf("after release: status %d", w.Code)
	}
	if m := do(h, "GET", "/metrics").Body.String(); !strings.Contains(m, "liveshop_http_inflight 0") {
		t.Fatalf("in-flight gauge not back to 0:\n%s", m)
	}
}

func TestLimitsOff(t *testing.T) {
	a, h, _ := limitsAPI(t, Limits{}, nil, nil)
	if a.limits.ip != nil || a.limits.user != nil {
		t.Fatal("zero Limits built limiters")
	}
	for i := range 500 {
		if w := do(h, "GET", "/", header("Authorization", "Bearer x")); w.Code != http.StatusNoContent {
			t.Fatalf("request %d: status %d", i, w.Code)
		}
	}
	if m := do(h, "GET", "/metrics").Body.String(); !strings.Contains(m, "liveshop_http_shed_total 0") {
		t.Fatalf("metrics are registered even when off:\n%s", m)
	}
}

// A refused upload is not drained: the connection is closed instead.
func TestRefusedBodyClosesConnection(t *testing.T) {
	_, h, _ := limitsAPI(t, Limits{RateIP: 1, BurstIP: 1}, nil, nil)
	do(h, "GET", "/")
	r := httptest.NewRequest("POST", "/api/v1/products", strings.NewReader(`{"name":"x"}`))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Connection") != "close" {
		t.Fatalf("status %d, Connection %q", w.Code, w.Header().Get("Connection"))
	}
}
