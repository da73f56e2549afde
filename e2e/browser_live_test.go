package e2e

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserLive drives live video in headless Chromium against
// `liveshop demo`: the demo room plays over WebRTC and, with WHEP blocked,
// over LL-HLS; a merchant goes live from the studio with the fake camera
// over WHIP while another page watches, explains a product with one tap
// (the viewer sees the explain card), ends the session, and the replay
// jumps to that moment. The studio runs at JOURNEY_SIZE (phone by default:
// the host-alone layout with sheets; desktop: the operator's columns).
func TestBrowserLive(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-demo-key-0123456789", "--live-grace", "3s")
	viewer := srv.Client()
	waitStatus(t, viewer, "demo", "live", 30*time.Second)

	merchant := srv.Client()
	merchant.SignIn("boss.chen@demo.liveshop", "liveshop-demo")
	shopID := merchant.Must(200, "GET", "/api/v1/shops?mine=1", nil).Map(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	products := merchant.Must(200, "GET", "/api/v1/products?shop_id="+shopID, nil).Map(t)["items"].([]any)
	st := merchant.Must(201, "POST", "/api/v1/shops/"+shopID+"/live-sessions", map[string]any{
		"title": "Tea sets from the Yiwu market", "product_ids": []string{products[0].(map[string]any)["id"].(string)},
	}).Map(t)
	sessionID := st["session"].(map[string]any)["id"].(string)

	runBrowserScript(t, "live.mjs", 200*time.Second, "BASE_URL="+srv.URL, "ROOM_ID=demo", "HOST_EMAIL=boss.chen@demo.liveshop",
		"HOST_PASSWORD=liveshop-demo", "SESSION_ID="+sessionID)
	moments := viewer.Must(200, "GET", "/api/v1/live-sessions/"+sessionID+"/moments", nil).Map(t)["items"].([]any)
	if len(moments) != 1 {
		t.Fatalf("moments after the browser explained a product: %v", moments)
	}
}

// TestBrowserRoomChat drives the live room's realtime layer in Chromium
// against `liveshop demo`: a signed-in viewer chats and taps like, an
// anonymous viewer sees both and the viewer count counts them.
func TestBrowserRoomChat(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-chat-key-0123456789")
	waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)
	runBrowserScript(t, "room.mjs", 100*time.Second, "BASE_URL="+srv.URL, "ROOM_ID=demo", "VIEWER_EMAIL=viewer@demo.liveshop", "VIEWER_PASSWORD=liveshop-demo")
	chat := srv.Client().Must(200, "GET", "/api/v1/live-sessions/demo/chat", nil).Map(t)["items"].([]any)
	if len(chat) != 1 {
		t.Fatalf("chat history after the browser chatted: %v", chat)
	}
}
