package e2e

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/liveshop/liveshop/internal/store"
)

// TestLimitsRatePerIP: a burst from one address meets 429 with
// Retry-After and the API's error body, is served again after waiting,
// and a flood from many goroutines leaves the node healthy.
func TestLimitsRatePerIP(t *testing.T) {
	srv := Start(t, store.SQLite, "--rate-ip", "5", "--rate-ip-burst", "5")
	c := srv.Client()
	var limited Response
	for i := range 20 {
		r := c.Do("GET", "/api/v1/products", nil)
		if r.Status == http.StatusTooManyRequests {
			limited = r
			break
		}
		if r.Status != http.StatusOK || i >= 10 {
			t.Fatalf("request %d: status %d (5/s with a burst of 5): %s", i, r.Status, r.Body)
		}
	}
	if limited.Status == 0 {
		t.Fatal("never rate limited")
	}
	retry, err := strconv.Atoi(limited.Header.Get("Retry-After"))
	if err != nil || retry < 1 {
		t.Fatalf("Retry-After %q", limited.Header.Get("Retry-After"))
	}
	if code, field := limited.ErrorField(t); code != "rate_limited" || field != "rate_ip" {
		t.Fatalf("error %s %s, want rate_limited rate_ip", code, field)
	}
	// Waiting as told is enough.
	time.Sleep(time.Duration(retry) * time.Second)
	if r := c.Do("GET", "/api/v1/products", nil); r.Status != http.StatusOK {
		t.Fatalf("after Retry-After: status %d: %s", r.Status, r.Body)
	}

	// A flood: 50 goroutines × 40 requests. The node answers 429 to most
	// and stays healthy; the probes are never limited.
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 50}}
	var served, refused, other atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			for range 40 {
				resp, err := hc.Get(srv.URL + "/api/v1/products")
				if err != nil {
					other.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusTooManyRequests:
					refused.Add(1)
				case resp.StatusCode == http.StatusOK:
					served.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}
	probes := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				if n == 0 {
					probes <- io.ErrNoProgress
				} else {
					probes <- nil
				}
				return
			default:
			}
			resp, err := hc.Get(srv.URL + "/healthz")
			if err != nil {
				probes <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				probes <- &statusErr{resp.StatusCode}
				return
			}
			n++
		}
	}()
	wg.Wait()
	close(stop)
	if err := <-probes; err != nil {
		t.Fatalf("/healthz during the flood: %v", err)
	}
	t.Logf("flood: %d served, %d refused with 429, %d other", served.Load(), refused.Load(), other.Load())
	if refused.Load() < 1000 || other.Load() != 0 {
		t.Fatalf("flood of 2000: %d served, %d refused, %d errors or other statuses", served.Load(), refused.Load(), other.Load())
	}
	r := srv.Client().Do("GET", "/metrics", nil)
	if !strings.Contains(string(r.Body), `liveshop_http_rate_limited_total{scope="ip"}`) {
		t.Fatal("no rate-limited counter in /metrics")
	}
}

type statusErr struct{ code int }

func (e *statusErr) Error() string { return "status " + strconv.Itoa(e.code) }

// TestLimitsWebSocketPerIP: sockets beyond the per-IP cap are refused with
// 429 before the upgrade, and an open socket outlives the server's read
// timeout (net/http clears the deadline when the socket is hijacked).
func TestLimitsWebSocketPerIP(t *testing.T) {
	p := bootPlatform(t, store.SQLite, "", "--ws-per-ip", "3", "--read-timeout", "5s")
	id, _ := p.scheduleLive(t, "Capped room")
	socks := make([]*roomSocket, 3)
	for i := range socks {
		socks[i] = dialRoom(t, p.buyer, p.srv.URL, id)
		socks[i].waitFor("snapshot", 10*time.Second, ofType("snapshot"))
	}
	url := "ws" + strings.TrimPrefix(p.srv.URL, "http") + "/ws/rooms/" + id
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth socket: err %v, response %v; want 429", err, resp)
	}
	r := p.srv.Client().Do("GET", "/ws/rooms/"+id, nil)
	if code, field := r.ErrorField(t); r.Status != http.StatusTooManyRequests || code != "rate_limited" || field != "ws_per_ip" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("refusal %d %s %s Retry-After %q", r.Status, code, field, r.Header.Get("Retry-After"))
	}

	// Idle past --read-timeout, the sockets still answer a ping.
	time.Sleep(6 * time.Second)
	pctx, pcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer pcancel()
	if err := socks[0].conn.Ping(pctx); err != nil {
		t.Fatalf("socket after the read timeout: %v", err)
	}
	// Closing one frees its slot.
	socks[2].conn.Close(websocket.StatusNormalClosure, "")
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err == nil {
			c.CloseNow()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slot not freed after a close: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
