package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBrowserOnboarding drives the web app in headless Chromium with
// playwright-core: sign up → apply for a shop → admin approves → add a
// product with an image → see it listed with its thumbnail.
func TestBrowserOnboarding(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	webDir := filepath.Join(filepath.Dir(file), "..", "web")
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("web/node_modules is missing playwright-core: run `make web` (make test does) first: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "..", "internal", "web", "dist", "index.html")); err != nil {
		t.Fatalf("the front end is not built: run `make web` first: %v", err)
	}
	srv := Start(t, store.SQLite)
	if out, err := srv.Run("admin", "create-user", "--email", adminEmail, "--password", adminPassword, "--admin"); err != nil {
		t.Fatalf("admin create-user: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "e2e/onboarding.mjs")
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), "BASE_URL="+srv.URL, "ADMIN_EMAIL="+adminEmail, "ADMIN_PASSWORD="+adminPassword)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestBrowserBuyer drives the buyer side in Chromium: product → cart →
// checkout with a new address → sandbox pay page → the order is paid.
func TestBrowserBuyer(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	webDir := filepath.Join(filepath.Dir(file), "..", "web")
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("web/node_modules is missing playwright-core: run `make web` (make test does) first: %v", err)
	}
	p := bootPlatform(t, store.SQLite, "rural")
	buyerEmail := uniqueEmail("browser-buyer")
	p.srv.Client().SignUp(buyerEmail, "browser-buyer-pw")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "e2e/buyer.mjs")
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), "BASE_URL="+p.srv.URL, "BUYER_EMAIL="+buyerEmail, "BUYER_PASSWORD=browser-buyer-pw", "PRODUCT_ID="+p.productID)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	if s := p.skuStock(t); s != 4 {
		t.Fatalf("stock after the browser bought one = %d, want 4", s)
	}
}
