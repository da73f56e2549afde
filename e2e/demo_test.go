package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestDemo is the newcomer's first run: `liveshop demo` serves demo data
// and the demo merchant signs in and sees products and orders.
func TestDemo(t *testing.T) {
	srv := StartCommand(t, "demo", store.SQLite)
	deadline := time.Now().Add(10 * time.Second)
	// The logins are printed line by line after the header: wait for the
	// one the test signs in with, not the header's password.
	for !strings.Contains(srv.Logs(), "boss.chen@demo.liveshop") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(srv.Logs(), "boss.chen@demo.liveshop") {
		t.Fatalf("demo did not print its logins:\n%s", srv.Logs())
	}
	merchant := srv.Client()
	merchant.SignIn("boss.chen@demo.liveshop", "liveshop-demo")
	shops := merchant.Must(200, "GET", "/api/v1/shops?mine=1", nil).Map(t)["items"].([]any)
	if len(shops) != 1 {
		t.Fatalf("demo merchant has %d shops", len(shops))
	}
	shopID := shops[0].(map[string]any)["id"].(string)
	products := merchant.Must(200, "GET", "/api/v1/products?shop_id="+shopID, nil).Map(t)["items"].([]any)
	if len(products) == 0 {
		t.Fatal("demo shop has no products")
	}
	if imgs := products[0].(map[string]any)["images"].([]any); len(imgs) == 0 {
		t.Fatal("demo product has no image")
	}
	orders := merchant.Must(200, "GET", "/api/v1/orders?shop_id="+shopID, nil).Map(t)["items"].([]any)
	paid := 0
	for _, o := range orders {
		if o.(map[string]any)["status"] == "paid" {
			paid++
		}
	}
	if len(orders) == 0 || paid == 0 {
		t.Fatalf("demo shop has %d orders, %d paid", len(orders), paid)
	}
	admin := srv.Client()
	admin.SignIn("admin@demo.liveshop", "liveshop-demo")
	pending := admin.Must(200, "GET", "/api/v1/shops?status=pending", nil).Map(t)["items"].([]any)
	if len(pending) != 1 {
		t.Fatalf("demo has %d pending applications, want 1", len(pending))
	}

	// Operations: health, readiness and platform numbers in /metrics.
	merchant.Must(200, "GET", "/healthz", nil)
	merchant.Must(200, "GET", "/readyz", nil)
	metrics := string(merchant.Must(200, "GET", "/metrics", nil).Body)
	for _, want := range []string{`liveshop_orders{status="paid"}`, `liveshop_shops{status="pending"} 1`, "liveshop_paid_gmv_minor", "liveshop_http_requests_total"} {
		if !strings.Contains(metrics, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}

	// A restart keeps the data and does not seed twice.
	srv.Stop()
	again := StartCommandOn(t, srv, "demo")
	c := again.Client()
	c.SignIn("boss.chen@demo.liveshop", "liveshop-demo")
	if n := len(c.Must(200, "GET", "/api/v1/products?shop_id="+shopID, nil).Map(t)["items"].([]any)); n != len(products) {
		t.Fatalf("after restart the shop has %d products, want %d", n, len(products))
	}
}
