package e2e

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestSocialLiveNotifications: viewers follow a host (one from inside the
// room) or the shop, one only asks to be reminded; the host goes live by
// publishing over RTMP, and every one of them gets exactly one `live`
// notification, and one Web Push to the browser subscribed.
func TestSocialLiveNotifications(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testSocialLiveNotifications(t, d) })
	}
}

// pushReceiver is a push service on loopback that counts what it gets.
type pushReceiver struct {
	mu    sync.Mutex
	posts []http.Header
}

func (p *pushReceiver) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

func testSocialLiveNotifications(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "standard", "--live-grace", "5s", "--push-allow-http")
	push := &pushReceiver{}
	pushSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		push.mu.Lock()
		push.posts = append(push.posts, r.Header.Clone())
		push.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(pushSrv.Close)

	host := p.srv.Client()
	host.SignUp(uniqueEmail("host"), "host-password")
	host.Must(200, "POST", "/api/v1/me/host", nil)
	hostID := host.Must(200, "GET", "/api/v1/me", nil).Map(t)["user"].(map[string]any)["id"].(string)
	st := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/live-sessions", map[string]any{
		"title": "Rice harvest", "product_ids": []string{p.productID}, "host_id": hostID,
		"planned_start": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
	}).Map(t)
	id, key := st["session"].(map[string]any)["id"].(string), st["stream_key"].(string)

	// Following yourself is refused, naming the field.
	r := host.Do("POST", "/api/v1/follows", map[string]any{"target_kind": "host", "target_id": hostID})
	if code, field := r.ErrorField(t); r.Status != http.StatusBadRequest || code != "invalid" || field != "target_id" {
		t.Fatalf("following yourself: %d %s", r.Status, r.Body)
	}

	viewers := make([]*Client, 5)
	for i := range viewers {
		viewers[i] = p.srv.Client()
		viewers[i].SignUp(uniqueEmail(fmt.Sprintf("viewer%d", i)), "viewer-password")
	}
	followHost := map[string]any{"target_kind": "host", "target_id": hostID, "room_id": id}
	viewers[0].Must(201, "POST", "/api/v1/follows", followHost)
	viewers[0].Must(200, "POST", "/api/v1/follows", followHost) // again: nothing new
	viewers[1].Must(201, "POST", "/api/v1/follows", map[string]any{"target_kind": "host", "target_id": hostID})
	viewers[1].Must(201, "POST", "/api/v1/follows", map[string]any{"target_kind": "shop", "target_id": p.shopID})
	viewers[2].Must(201, "POST", "/api/v1/follows", map[string]any{"target_kind": "shop", "target_id": p.shopID})
	viewers[3].Must(201, "POST", "/api/v1/live-sessions/"+id+"/reminder", nil)
	viewers[0].Must(201, "POST", "/api/v1/live-sessions/"+id+"/reminder", nil)
	// viewers[4] follows nobody.
	audience := viewers[:4]

	if prof := viewers[0].Must(200, "GET", "/api/v1/hosts/"+hostID, nil).Map(t); prof["followers"] != 2.0 || prof["following"] != true {
		t.Fatalf("host profile: %v", prof)
	}
	sched := viewers[3].Must(200, "GET", "/api/v1/schedule", nil).Map(t)["items"].([]any)
	if len(sched) != 1 || sched[0].(map[string]any)["id"] != id || sched[0].(map[string]any)["reminded"] != true || sched[0].(map[string]any)["followers"] != 3.0 {
		t.Fatalf("schedule: %v", sched)
	}

	// viewers[1]'s browser subscribes to Web Push.
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	viewers[1].Must(201, "POST", "/api/v1/me/push-subscriptions", map[string]any{"endpoint": pushSrv.URL + "/push/v1",
		"keys": map[string]string{"p256dh": base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()), "auth": base64.RawURLEncoding.EncodeToString(auth)}})
	if k := p.srv.Client().Must(200, "GET", "/api/v1/push/vapid-public-key", nil).Map(t); len(k["public_key"].(string)) < 80 {
		t.Fatalf("vapid key: %v", k)
	}

	publishRTMP(t, p.srv.RTMP, key, 30)
	waitStatus(t, viewers[4], id, "live", 15*time.Second)

	deadline := time.Now().Add(15 * time.Second)
	for i, v := range audience {
		var items []any
		for {
			items = v.Must(200, "GET", "/api/v1/me/notifications", nil).Map(t)["items"].([]any)
			if len(items) > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(items) != 1 {
			t.Fatalf("viewer %d has %d notifications: %v", i, len(items), items)
		}
		n := items[0].(map[string]any)
		if n["kind"] != "live" || n["session_id"] != id || n["url"] != "/live/"+id || !strings.HasSuffix(n["title"].(string), "is live: Rice harvest") {
			t.Fatalf("viewer %d's notification: %v", i, n)
		}
		if c := v.Must(200, "GET", "/api/v1/me/notifications/unread-count", nil).Map(t); c["count"] != 1.0 {
			t.Fatalf("viewer %d unread: %v", i, c)
		}
	}
	for _, c := range []*Client{viewers[4], host} {
		if items := c.Must(200, "GET", "/api/v1/me/notifications", nil).Map(t)["items"].([]any); len(items) != 0 {
			t.Fatalf("someone outside the audience was notified: %v", items)
		}
	}
	for push.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := push.count(); n != 1 {
		t.Fatalf("push service got %d messages, want 1", n)
	}
	if h := push.posts[0]; h.Get("Content-Encoding") != "aes128gcm" || h.Get("TTL") != "3600" || !strings.HasPrefix(h.Get("Authorization"), "vapid ") {
		t.Fatalf("push headers: %v", h)
	}
	// The sender counts what push services accepted, in /metrics.
	for !strings.Contains(string(p.srv.Client().Must(200, "GET", "/metrics", nil).Body), "liveshop_push_sent_total 1\n") {
		if time.Now().After(deadline) {
			t.Fatal("/metrics never showed liveshop_push_sent_total 1")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Read, and reminders are for scheduled sessions only.
	viewers[0].Must(204, "POST", "/api/v1/me/notifications/read", map[string]any{"all": true})
	if c := viewers[0].Must(200, "GET", "/api/v1/me/notifications/unread-count", nil).Map(t); c["count"] != 0.0 {
		t.Fatalf("unread after reading all: %v", c)
	}
	viewers[4].Must(409, "POST", "/api/v1/live-sessions/"+id+"/reminder", nil)
}
