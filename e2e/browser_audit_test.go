package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// auditSteps are the pages web/e2e/audit.mjs screenshots, at both sizes.
var auditSteps = []string{"01-home", "02-live-room", "03-product", "04-cart", "05-my-orders", "06-host-studio",
	"07-merchant-console", "08-session-report", "09-admin-approvals", "10-sign-in"}

// TestBrowserAudit runs the browser audit of issue 8 (web/e2e/audit.mjs)
// against `liveshop demo` with the demo room live: axe-core finds no serious
// or critical WCAG 2 A/AA violation on the key pages at phone and desktop
// sizes, the home page works from the keyboard, the live room shows video,
// and every page is screenshotted at both sizes (into a temporary directory
// here; `make screenshots` writes docs/screenshots). The time to the first
// frame is measured and logged with its phases (WHEP offer and answer, ICE,
// DTLS, first RTP), but only bounded loosely: speed targets are benchmarks
// (bench/firstframe, docs/BENCHMARKS.md), not timed tests.
func TestBrowserAudit(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-audit-key-0123456789")
	waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)

	dir := os.Getenv("LIVESHOP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	runBrowserScript(t, "audit.mjs", 210*time.Second, "BASE_URL="+srv.URL, "SESSION_ID=demo", "PASSWORD=liveshop-demo",
		"VIEWER_EMAIL=viewer@demo.liveshop", "MERCHANT_EMAIL=farmer.li@demo.liveshop", "ADMIN_EMAIL=admin@demo.liveshop",
		"AUDIT_LIMIT_S=200", "SCREENSHOT_DIR="+dir, "FIRST_FRAME_BUDGET_MS=10000")

	for _, step := range auditSteps {
		for _, size := range []string{"phone", "desktop"} {
			name := step + "-" + size + ".png"
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Errorf("screenshot %s: %v", name, err)
				continue
			}
			if fi.Size() < 1000 {
				t.Errorf("screenshot %s is %d bytes", name, fi.Size())
			}
		}
	}
}
