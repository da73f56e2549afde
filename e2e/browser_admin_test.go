package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserAdmin drives the admin console in headless Chromium against
// `liveshop demo` (web/e2e/admin.mjs): a viewer's chat line is reported
// by another viewer; the demo's platform admin creates a programme,
// changes fees, reads the audit log, and deletes the reported message
// from the moderation queue. The API then agrees: the message is gone
// from the room, the queue is empty, and the changes are audited.
func TestBrowserAdmin(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-admin-key-0123456789")
	waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)
	const reporterEmail, reporterPassword = "reporter@example.com", "correct horse battery"
	srv.Client().Must(201, "POST", "/api/v1/auth/signup", map[string]any{
		"email": reporterEmail, "password": reporterPassword, "display_name": "Reporter"})
	text := fmt.Sprintf("Cheap followers at spam.example %d", time.Now().UnixNano())

	runBrowserScript(t, "admin.mjs", 200*time.Second, "BASE_URL="+srv.URL, "ROOM_ID=demo",
		"ADMIN_EMAIL=admin@demo.liveshop", "ADMIN_PASSWORD=liveshop-demo",
		"AUTHOR_EMAIL=viewer@demo.liveshop", "AUTHOR_PASSWORD=liveshop-demo",
		"REPORTER_EMAIL="+reporterEmail, "REPORTER_PASSWORD="+reporterPassword, "TEXT="+text)

	admin := srv.Client()
	admin.SignIn("admin@demo.liveshop", "liveshop-demo")
	for _, m := range srv.Client().Must(200, "GET", "/api/v1/live-sessions/demo/chat?limit=100", nil).Map(t)["items"].([]any) {
		if m.(map[string]any)["text"] == text {
			t.Fatalf("the deleted message is still in the room's chat: %v", m)
		}
	}
	for _, r := range admin.Must(200, "GET", "/api/v1/admin/reports", nil).Map(t)["items"].([]any) {
		if msg, _ := r.(map[string]any)["message"].(map[string]any); msg["text"] == text {
			t.Fatalf("the resolved report is still queued: %v", r)
		}
	}
	var actions []string
	for _, e := range admin.Must(200, "GET", "/api/v1/admin/audit?limit=100", nil).Map(t)["items"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	got := strings.Join(actions, " ")
	for _, want := range []string{"programme.create", "programme.update", "shop.fee"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit log %q lacks %s", got, want)
		}
	}
}
