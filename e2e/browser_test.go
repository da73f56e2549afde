package e2e

import (
	"fmt"
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
// checkout with a new address → sandbox pay page → the order is paid; then
// after-sales: the buyer requests a refund with a reason, the merchant
// declines it with a reason in the console, the buyer requests again
// (withdraws once), the merchant approves, and the order is refunded.
func TestBrowserBuyer(t *testing.T) {
	p := bootPlatform(t, store.SQLite, "rural")
	buyerEmail := uniqueEmail("browser-buyer")
	buyer := p.srv.Client()
	buyer.SignUp(buyerEmail, "browser-buyer-pw")
	merchantEmail := p.merchant.Must(200, "GET", "/api/v1/me", nil).Map(t)["user"].(map[string]any)["email"].(string)
	runBrowserScript(t, "buyer.mjs", 120*time.Second, "BASE_URL="+p.srv.URL, "BUYER_EMAIL="+buyerEmail,
		"BUYER_PASSWORD=browser-buyer-pw", "PRODUCT_ID="+p.productID,
		"MERCHANT_EMAIL="+merchantEmail, "MERCHANT_PASSWORD=merchant-password", "SHOP_ID="+p.shopID)
	orders := buyer.Must(200, "GET", "/api/v1/orders", nil).Map(t)["items"].([]any)
	if len(orders) != 1 {
		t.Fatalf("the browser buyer's orders: %v", orders)
	}
	o := orders[0].(map[string]any)
	rr, _ := o["refund_request"].(map[string]any)
	if o["status"] != "refunded" || rr["status"] != "approved" || rr["reason"] != "not_as_described" {
		t.Fatalf("after the approved refund request the order is %v with request %v, want refunded and approved (not_as_described)", o["status"], rr)
	}
	// The order was refunded before it shipped: its stock is back.
	if s := p.skuStock(t); s != 5 {
		t.Fatalf("stock after the browser bought one and was refunded = %d, want 5", s)
	}
}

// TestBrowserBuyerRoom buys from the live room of `liveshop demo` in
// Chromium (buyer.mjs with ROOM_ID): the host explains a product; a new
// buyer taps Buy on the explain card, gives an address inline the first
// time and pays; the second purchase is two taps (Buy, Pay) to the pay page.
// The shop's merchant ships the second order and marks it delivered; the
// buyer is notified, tracks it and confirms receipt.
func TestBrowserBuyerRoom(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite, "--demo-key", "browser-buyer-room-key-0123456789")
	s := waitStatus(t, srv.Client(), "demo", "live", 30*time.Second)
	products, _ := s["products"].([]any)
	if len(products) == 0 {
		t.Fatalf("the demo room has no shelf: %v", s)
	}
	host := srv.Client()
	host.SignIn("farmer.li@demo.liveshop", "liveshop-demo")
	host.Must(201, "POST", "/api/v1/live-sessions/demo/explain", map[string]any{"product_id": products[0].(map[string]any)["product_id"]})
	buyerEmail := uniqueEmail("browser-room-buyer")
	buyer := srv.Client()
	buyer.SignUp(buyerEmail, "browser-buyer-pw")
	runBrowserScript(t, "buyer.mjs", 120*time.Second, "BASE_URL="+srv.URL, "ROOM_ID=demo", "BUYER_EMAIL="+buyerEmail, "BUYER_PASSWORD=browser-buyer-pw",
		"MERCHANT_EMAIL=farmer.li@demo.liveshop", "MERCHANT_PASSWORD=liveshop-demo", fmt.Sprintf("SHOP_ID=%v", s["shop_id"]))
	orders := buyer.Must(200, "GET", "/api/v1/orders", nil).Map(t)["items"].([]any)
	if len(orders) != 2 {
		t.Fatalf("the buyer's orders after buying twice in the room: %v", orders)
	}
	// Newest first: the second, shipped and received; the first still paid.
	for i, want := range []string{"completed", "paid"} {
		if o := orders[i].(map[string]any); o["status"] != want {
			t.Fatalf("order %d bought in the room is %v, want %s: %v", i, o["status"], want, o)
		}
	}
	if o := orders[0].(map[string]any); o["carrier"] != "SF Express" || o["tracking_number"] != "SF1234567890" {
		t.Fatalf("the shipped order's parcel: %v", o)
	}
	addrs := buyer.Must(200, "GET", "/api/v1/addresses", nil).Map(t)["items"].([]any)
	if len(addrs) != 1 || addrs[0].(map[string]any)["is_default"] != true {
		t.Fatalf("the address given in the room's sheet is not remembered as the default: %v", addrs)
	}
}
