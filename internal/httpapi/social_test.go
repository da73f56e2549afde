package httpapi_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
)

// TestSocialRoutes drives follows, reminders, notifications, push
// subscriptions and the schedule over HTTP: statuses, named fields and
// the JSON shapes.
func TestSocialRoutes(t *testing.T) {
	var svc *social.Service
	var pusher *social.Pusher
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		keys, err := social.LoadOrCreateVAPID(t.TempDir() + "/vapid.json")
		if err != nil {
			t.Fatal(err)
		}
		pusher = social.NewPusher(social.PushConfig{Repo: h.st, VAPIDPublicKey: keys.PublicKey, VAPIDPrivateKey: keys.PrivateKey, Log: h.log})
		t.Cleanup(pusher.Close)
		svc = social.NewService(social.Config{Repo: h.st, Rooms: h.rooms, Push: pusher, Log: h.log})
		c.Social = svc
	})
	owner, shopID := h.shop("owner")
	host := h.user("Ann")
	yes := true
	if err := h.st.SetUserFlags(h.ctx, host.ID(), nil, &yes); err != nil {
		t.Fatal(err)
	}
	viewer := h.user("viewer")
	ownerTok, hostTok, viewerTok := h.token(owner), h.token(host), h.token(viewer)
	studio, err := h.rooms.Schedule(h.ctx, owner, shopID, room.ScheduleInput{Title: "Harvest", HostID: host.ID(),
		PlannedStart: time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	sesID := studio.Session.ID

	followHost := fmt.Sprintf(`{"target_kind":"host","target_id":%q,"room_id":%q}`, host.ID(), sesID)
	checks := []struct {
		method, path, auth, body string
		status                   int
		field                    string
	}{
		{"POST", "/follows", "", followHost, 401, ""},
		{"POST", "/follows", hostTok, fmt.Sprintf(`{"target_kind":"host","target_id":%q}`, host.ID()), 400, "target_id"},
		{"POST", "/follows", ownerTok, fmt.Sprintf(`{"target_kind":"shop","target_id":%q}`, shopID), 400, "target_id"},
		{"POST", "/follows", viewerTok, `{"target_kind":"club","target_id":"x"}`, 400, "target_kind"},
		{"POST", "/follows", viewerTok, fmt.Sprintf(`{"target_kind":"host","target_id":%q}`, owner.ID()), 404, ""},
		{"POST", "/follows", viewerTok, `{"target_kind":"shop","target_id":"shp_missing"}`, 404, ""},
		{"POST", "/follows", viewerTok, followHost, 201, ""},
		{"POST", "/follows", viewerTok, followHost, 200, ""},
		{"POST", "/follows", viewerTok, fmt.Sprintf(`{"target_kind":"shop","target_id":%q}`, shopID), 201, ""},
		{"DELETE", "/follows/club/x", viewerTok, "", 400, "kind"},
		{"GET", "/me/follows", "", "", 401, ""},
		{"GET", "/hosts/" + owner.ID(), "", "", 404, ""},
		{"GET", "/shops/shp_missing/followers/count", "", "", 404, ""},
		{"POST", "/live-sessions/" + sesID + "/reminder", "", "", 401, ""},
		{"POST", "/live-sessions/ses_missing/reminder", viewerTok, "", 404, ""},
		{"POST", "/live-sessions/" + sesID + "/reminder", viewerTok, "", 201, ""},
		{"POST", "/live-sessions/" + sesID + "/reminder", viewerTok, "", 200, ""},
		{"GET", "/me/notifications?unread=maybe", viewerTok, "", 400, "unread"},
		{"POST", "/me/notifications/read", viewerTok, `{}`, 400, "ids"},
		{"POST", "/me/push-subscriptions", viewerTok, `{"endpoint":"http://push.example.com/x","keys":{"p256dh":"x","auth":"y"}}`, 400, "endpoint"},
		{"GET", "/schedule?from=yesterday", "", "", 400, "from"},
		{"GET", "/schedule?from=2026-01-01&to=2026-03-01", "", "", 400, "to"},
		{"GET", "/schedule?channel=opera", "", "", 400, "channel"},
	}
	for _, c := range checks {
		status, out, raw := h.call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s %s: %d %s, want %d field %q", c.method, c.path, status, raw, c.status, c.field)
		}
	}

	status, follows, raw := h.call("GET", "/me/follows", viewerTok, "")
	items, _ := follows["items"].([]any)
	if status != 200 || len(items) != 2 {
		t.Fatalf("my follows: %d %s", status, raw)
	}
	// Both follows may share a millisecond, so find the host's by kind.
	var hostFollow map[string]any
	for _, it := range items {
		if f := it.(map[string]any); f["target_kind"] == "host" {
			hostFollow = f
		}
	}
	if f := hostFollow; f == nil || f["target_name"] != "Ann" || f["source_room_id"] != sesID {
		t.Fatalf("follow of the host = %v (follows %s)", f, raw)
	}
	status, prof, raw := h.call("GET", "/hosts/"+host.ID(), viewerTok, "")
	if sessions, _ := prof["sessions"].([]any); status != 200 || prof["followers"] != 1.0 || prof["following"] != true || prof["display_name"] != "Ann" || len(sessions) != 1 {
		t.Fatalf("host profile: %d %s", status, raw)
	}
	if status, out, raw := h.call("GET", "/shops/"+shopID+"/followers/count", "", ""); status != 200 || out["followers"] != 1.0 || out["following"] != false {
		t.Fatalf("shop followers for anonymous: %d %s", status, raw)
	}
	if status, out, raw := h.call("GET", "/live-sessions/"+sesID+"/reminder", viewerTok, ""); status != 200 || out["reminded"] != true {
		t.Fatalf("reminder state: %d %s", status, raw)
	}
	status, sched, raw := h.call("GET", "/schedule", viewerTok, "")
	items, _ = sched["items"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("schedule: %d %s", status, raw)
	}
	if it := items[0].(map[string]any); it["id"] != sesID || it["reminded"] != true || it["followers"] != 1.0 || it["host_name"] != "Ann" ||
		it["shop_category"] != "food" || fmt.Sprint(it["channels"]) != "[foodie]" {
		t.Fatalf("scheduled session = %v", it)
	}

	// The host goes live: the viewer has one notification.
	if _, err := h.rooms.Authorize(h.ctx, studio.StreamKey, media.RTMP); err != nil {
		t.Fatal(err)
	}
	if err := h.rooms.Started(h.ctx, sesID, media.RTMP); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.NotifyLive(h.ctx, sesID); err != nil || n != 1 {
		t.Fatalf("notify live: %d %v", n, err)
	}
	if status, out, raw := h.call("GET", "/me/notifications/unread-count", viewerTok, ""); status != 200 || out["count"] != 1.0 {
		t.Fatalf("unread count: %d %s", status, raw)
	}
	status, list, raw := h.call("GET", "/me/notifications?unread=true", viewerTok, "")
	items, _ = list["items"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("notifications: %d %s", status, raw)
	}
	n := items[0].(map[string]any)
	if n["kind"] != "live" || n["title"] != "Ann is live: Harvest" || n["url"] != "/live/"+sesID || n["read_at"] != nil {
		t.Fatalf("notification = %v", n)
	}
	if status, _, raw := h.call("POST", "/me/notifications/read", viewerTok, fmt.Sprintf(`{"ids":[%q]}`, n["id"])); status != 204 {
		t.Fatalf("read: %d %s", status, raw)
	}
	if _, out, _ := h.call("GET", "/me/notifications/unread-count", viewerTok, ""); out["count"] != 0.0 {
		t.Fatalf("unread after read = %v", out)
	}
	if status, _, raw := h.call("POST", "/live-sessions/"+sesID+"/reminder", viewerTok, ""); status != 409 {
		t.Fatalf("reminder on a live session: %d %s", status, raw)
	}

	// Web Push: the key, then a browser's subscription.
	if status, out, raw := h.call("GET", "/push/vapid-public-key", "", ""); status != 200 || out["public_key"] != pusher.PublicKey() {
		t.Fatalf("vapid key: %d %s", status, raw)
	}
	priv, _ := ecdh.P256().GenerateKey(rand.Reader)
	auth := make([]byte, 16)
	rand.Read(auth)
	endpoint := "https://push.example.com/send/abc"
	sub := fmt.Sprintf(`{"endpoint":%q,"keys":{"p256dh":%q,"auth":%q}}`, endpoint,
		base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()), base64.RawURLEncoding.EncodeToString(auth))
	if status, out, raw := h.call("POST", "/me/push-subscriptions", viewerTok, sub); status != 201 || out["endpoint"] != endpoint {
		t.Fatalf("subscribe: %d %s", status, raw)
	}
	if status, _, raw := h.call("DELETE", "/me/push-subscriptions?endpoint="+url.QueryEscape(endpoint), viewerTok, ""); status != 204 {
		t.Fatalf("unsubscribe: %d %s", status, raw)
	}
	if subs, _ := h.st.PushSubscriptionsOf(h.ctx, []string{viewer.ID()}); len(subs) != 0 {
		t.Fatalf("subscriptions after delete = %+v", subs)
	}

	for _, path := range []string{"/follows/host/" + host.ID(), "/live-sessions/" + sesID + "/reminder"} {
		if status, _, raw := h.call("DELETE", path, viewerTok, ""); status != 204 {
			t.Fatalf("DELETE %s: %d %s", path, status, raw)
		}
	}
	if _, out, _ := h.call("GET", "/hosts/"+host.ID(), viewerTok, ""); out["followers"] != 0.0 || out["following"] != false {
		t.Fatalf("after unfollow = %v", out)
	}
}
