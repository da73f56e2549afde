package e2e

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserSelling drives selling in the live room in Chromium against
// `liveshop demo` (web/e2e/selling.mjs): the cooperative's owner starts a
// flash sale of 2 while two viewers watch, each grabs one and pays on the
// sandbox pay page (sold out, exactly; the studio's dashboard counts both),
// a coupon is dropped and grabbed by viewer 2, and an auction is bid on.
// The server then confirms what the pages showed.
func TestBrowserSelling(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-selling-key-0123456789")
	waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)
	v2Email := uniqueEmail("browser-selling")
	v2 := srv.Client()
	v2.SignUp(v2Email, "selling-buyer-pw")
	runBrowserScript(t, "selling.mjs", 190*time.Second, "BASE_URL="+srv.URL, "SESSION_ID=demo",
		"OPERATOR_EMAIL=farmer.li@demo.liveshop", "OPERATOR_PASSWORD=liveshop-demo",
		"VIEWER1_EMAIL=viewer@demo.liveshop", "VIEWER1_PASSWORD=liveshop-demo",
		"VIEWER2_EMAIL="+v2Email, "VIEWER2_PASSWORD=selling-buyer-pw")

	anon := srv.Client()
	sales := anon.Must(200, "GET", "/api/v1/live-sessions/demo/flash-sales", nil).Map(t)["items"].([]any)
	if len(sales) != 1 || sales[0].(map[string]any)["remaining"] != float64(0) || sales[0].(map[string]any)["stock"] != float64(2) {
		t.Fatalf("flash sales after the two viewers bought the 2 units in the browser: %v", sales)
	}
	auctions := anon.Must(200, "GET", "/api/v1/live-sessions/demo/auctions", nil).Map(t)["items"].([]any)
	if len(auctions) != 1 || auctions[0].(map[string]any)["bids"] != float64(1) {
		t.Fatalf("auctions after viewer 1 bid once in the browser: %v", auctions)
	}
	claims := v2.Must(200, "GET", "/api/v1/me/coupons", nil).Map(t)["items"].([]any)
	if len(claims) != 1 {
		t.Fatalf("viewer 2's coupons after grabbing one in the browser: %v", claims)
	}
}
