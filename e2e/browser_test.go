package e2e

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserOnboarding drives the onboarding wizard in headless Chromium
// with playwright-core (journey "onboarding", at JOURNEY_SIZE, phone by
// default): sign up → step 1 with the rural programme → an admin approves in
// a desktop context → the wizard notices → first product with a photo from
// the file chooser → first session with the product on its shelf → the
// studio opens.
func TestBrowserOnboarding(t *testing.T) {
	srv := Start(t, store.SQLite)
	if out, err := srv.Run("admin", "create-user", "--email", adminEmail, "--password", adminPassword, "--admin"); err != nil {
		t.Fatalf("admin create-user: %v\n%s", err, out)
	}
	runBrowserScript(t, "onboarding.mjs", 150*time.Second, "BASE_URL="+srv.URL, "ADMIN_EMAIL="+adminEmail, "ADMIN_PASSWORD="+adminPassword)
}

// TestBrowserBuyer drives the buyer side in Chromium: product → cart →
// checkout with a new address → sandbox pay page → the order is paid.
func TestBrowserBuyer(t *testing.T) {
	p := bootPlatform(t, store.SQLite, "rural")
	buyerEmail := uniqueEmail("browser-buyer")
	p.srv.Client().SignUp(buyerEmail, "browser-buyer-pw")
	runBrowserScript(t, "buyer.mjs", 90*time.Second, "BASE_URL="+p.srv.URL, "BUYER_EMAIL="+buyerEmail,
		"BUYER_PASSWORD=browser-buyer-pw", "PRODUCT_ID="+p.productID)
	if s := p.skuStock(t); s != 4 {
		t.Fatalf("stock after the browser bought one = %d, want 4", s)
	}
}
