package e2e

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserLanguages: a Chinese browser gets the app in Simplified
// Chinese (the demo viewer's orders with Chinese statuses), switching to
// English in the header re-renders at once and survives a reload, and an
// English browser gets English (web/e2e/languages.mjs).
func TestBrowserLanguages(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-stream=false")
	runBrowserScript(t, "languages.mjs", 90*time.Second, "BASE_URL="+srv.URL,
		"VIEWER_EMAIL=viewer@demo.liveshop", "VIEWER_PASSWORD=liveshop-demo")
}
