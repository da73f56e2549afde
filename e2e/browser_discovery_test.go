package e2e

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserDiscovery drives discovery in Chromium against `liveshop demo`
// with the demo room live (web/e2e/discovery.mjs): the demo viewer's feed,
// watch feed (muted preview, next/previous, opening the room), notification
// centre in English and Chinese, search, schedule and preview, the rural channel,
// and the operator's live dashboard counting a follow made in the room.
// The server then confirms the follow the page made.
func TestBrowserDiscovery(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-discovery-key-0123456789")
	waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)
	runBrowserScript(t, "discovery.mjs", 160*time.Second, "BASE_URL="+srv.URL, "SESSION_ID=demo",
		"VIEWER_EMAIL=viewer@demo.liveshop", "VIEWER_PASSWORD=liveshop-demo",
		"OPERATOR_EMAIL=farmer.li@demo.liveshop", "OPERATOR_PASSWORD=liveshop-demo")

	viewer := srv.Client()
	viewer.SignIn("viewer@demo.liveshop", "liveshop-demo")
	follows := viewer.Must(200, "GET", "/api/v1/me/follows", nil).Map(t)["items"].([]any)
	kinds := map[string]bool{}
	for _, f := range follows {
		kinds[f.(map[string]any)["target_kind"].(string)] = true
	}
	if len(follows) != 2 || !kinds["host"] || !kinds["shop"] {
		t.Fatalf("the viewer's follows after following the shop in the browser: %v", follows)
	}
	// The live notification carries the values the page wrote it from in Chinese.
	ns := viewer.Must(200, "GET", "/api/v1/me/notifications", nil).Map(t)["items"].([]any)
	var params map[string]any
	for _, n := range ns {
		if m := n.(map[string]any); m["kind"] == "live" && m["session_id"] == "demo" {
			params, _ = m["params"].(map[string]any)
		}
	}
	if params["title"] == nil || params["title"] == "" || params["shop"] == nil || params["shop"] == "" {
		t.Fatalf("the live notification's params: %v (notifications %v)", params, ns)
	}
}
