package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/store"
)

// TestBadInput shows that each kind of bad input gets a clear 4xx naming
// the field or rule, and changes nothing.
func TestBadInput(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testBadInput(t, d) })
	}
}

func testBadInput(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "rural")
	other := p.srv.Client()
	other.SignUp(uniqueEmail("othermerchant"), "other-password")
	otherShop := other.Must(201, "POST", "/api/v1/shops", map[string]any{"name": "Other", "category": "home", "region": "Zhejiang"}).Map(t)
	p.admin.Must(200, "POST", "/api/v1/admin/shops/"+otherShop["id"].(string)+"/approve", nil)

	sku := func(price, stock any) map[string]any {
		return map[string]any{"title": "Goji", "skus": []map[string]any{{"code": "G1", "price_minor": price, "stock": stock}}}
	}
	order := func(skuID string, qty int) map[string]any {
		return map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": qty}}, "address": address}
	}
	shopProducts := "/api/v1/shops/" + p.shopID + "/products"
	tests := []struct {
		name      string
		c         *Client
		method    string
		path      string
		body      any
		status    int
		code      string
		field     string
		extraHead []string
	}{
		{"negative price", p.merchant, "POST", shopProducts, sku(-1, 1), 400, "invalid", "skus[0].price_minor", nil},
		{"zero price", p.merchant, "POST", shopProducts, sku(0, 1), 400, "invalid", "skus[0].price_minor", nil},
		{"price as text", p.merchant, "POST", shopProducts, sku("ten", 1), 400, "invalid", "skus.price_minor", nil},
		{"negative stock", p.merchant, "POST", shopProducts, sku(100, -5), 400, "invalid", "skus[0].stock", nil},
		{"unknown field", p.merchant, "POST", shopProducts, map[string]any{"title": "x", "colour": "red"}, 400, "invalid", "colour", nil},
		{"malformed JSON", p.merchant, "POST", shopProducts, []byte(`{"title": "x",`), 400, "invalid", "body", nil},
		{"quantity 0", p.buyer, "POST", "/api/v1/orders", order(p.skuID, 0), 400, "invalid", "items[0].quantity", nil},
		{"quantity above stock", p.buyer, "POST", "/api/v1/orders", order(p.skuID, 6), 400, "invalid", "items[0].quantity", nil},
		{"unknown SKU", p.buyer, "POST", "/api/v1/orders", order("sku_nope", 1), 400, "invalid", "items[0].sku_id", nil},
		{"missing address", p.buyer, "POST", "/api/v1/orders", map[string]any{"items": []map[string]any{{"sku_id": p.skuID, "quantity": 1}}}, 400, "invalid", "address", nil},
		{"non-image upload", p.merchant, "POST", "/api/v1/products/" + p.productID + "/images", fileUpload(t, "image", "notes.txt", []byte("hello, not a picture")), 415, "unsupported", "image", nil},
		{"oversize upload", p.merchant, "POST", "/api/v1/products/" + p.productID + "/images", fileUpload(t, "image", "big.png", bytes.Repeat([]byte{0x89}, 6<<20)), 413, "too_large", "image", nil},
		{"staff of another shop", other, "POST", shopProducts, sku(100, 1), 403, "forbidden", "", nil},
		{"another shop adjusts stock", other, "POST", "/api/v1/skus/" + p.skuID + "/stock", map[string]any{"delta": -5}, 403, "forbidden", "", nil},
		{"viewer calls merchant endpoint", p.buyer, "POST", shopProducts, sku(100, 1), 403, "forbidden", "", nil},
		{"viewer approves a shop", p.buyer, "POST", "/api/v1/admin/shops/" + p.shopID + "/approve", nil, 403, "forbidden", "", nil},
		{"stock below zero", p.merchant, "POST", "/api/v1/skus/" + p.skuID + "/stock", map[string]any{"delta": -50}, 409, "conflict", "delta", nil},
		{"missing CSRF token", &Client{t: t, base: p.buyer.base, http: p.buyer.http}, "POST", "/api/v1/orders", order(p.skuID, 1), 403, "forbidden", "X-CSRF-Token", nil},
		{"signed out", p.srv.Client(), "POST", "/api/v1/orders", order(p.skuID, 1), 401, "unauthorized", "", nil},
		{"bad bearer token", &Client{t: t, base: p.buyer.base, http: http.DefaultClient, Bearer: "lsk_nope"}, "GET", "/api/v1/orders", nil, 401, "unauthorized", "", nil},
		{"rural shop without county", p.merchant, "POST", "/api/v1/shops", map[string]any{"name": "Farm", "category": "food", "region": "Yunnan", "programme": "rural"}, 400, "invalid", "county", nil},
		{"bad limit", p.buyer, "GET", "/api/v1/products?limit=1000", nil, 400, "invalid", "limit", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.Do(tt.method, tt.path, tt.body, tt.extraHead...)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			code, field := r.ErrorField(t)
			if code != tt.code || (tt.field != "" && field != tt.field) {
				t.Fatalf("error %s/%q, want %s/%q: %s", code, field, tt.code, tt.field, r.Body)
			}
		})
	}
	// Nothing changed: the stock is still 5 and the shop has one product.
	if s := p.skuStock(t); s != 5 {
		t.Fatalf("stock changed to %d by refused requests", s)
	}
	list := p.merchant.Must(200, "GET", "/api/v1/products?shop_id="+p.shopID, nil).Map(t)
	if n := len(list["items"].([]any)); n != 1 {
		t.Fatalf("refused requests created products: %d", n)
	}

	// A replayed payment webhook is refused and changes nothing.
	o := p.buyer.Must(201, "POST", "/api/v1/orders", order(p.skuID, 1), "Idempotency-Key", "replay").Map(t)
	pay := p.buyer.Must(201, "POST", "/api/v1/orders/"+o["id"].(string)+"/payments", map[string]any{"provider": "sandbox"}).Map(t)
	body, sig := signedSandboxEvent("evt_replay_1", pay["id"].(string), int64(pay["amount_minor"].(float64)))
	hook := func() Response {
		return p.srv.Client().Do("POST", "/api/v1/payments/sandbox/webhook", body, "Sandbox-Signature", sig)
	}
	if r := hook(); r.Status != 200 {
		t.Fatalf("first webhook: %d %s", r.Status, r.Body)
	}
	if r := hook(); r.Status != 409 {
		t.Fatalf("replayed webhook: %d %s", r.Status, r.Body)
	}
	forged := p.srv.Client().Do("POST", "/api/v1/payments/sandbox/webhook", body, "Sandbox-Signature", strings.Replace(sig, "v1=", "v1=00", 1))
	if forged.Status != 401 {
		t.Fatalf("forged webhook: %d %s", forged.Status, forged.Body)
	}
	paid := p.buyer.Must(200, "GET", "/api/v1/orders/"+o["id"].(string), nil).Map(t)
	if paid["status"] != "paid" {
		t.Fatalf("order %v after webhook", paid["status"])
	}
	line := paid["lines"].([]any)[0].(map[string]any)
	if line["platform_fee_minor"].(float64) != 0 {
		t.Fatalf("rural programme charged a platform fee: %v", line)
	}
	hist := p.buyer.Must(200, "GET", "/api/v1/orders/"+o["id"].(string)+"/history", nil).Map(t)
	if n := len(hist["items"].([]any)); n != 2 {
		t.Fatalf("replay changed the history: %v", hist)
	}

	// Password guessing is throttled per email.
	guesser := p.srv.Client()
	for i := 0; i < 10; i++ {
		guesser.Must(401, "POST", "/api/v1/auth/signin", map[string]string{"email": adminEmail, "password": fmt.Sprintf("guess-%d", i)})
	}
	r := guesser.Do("POST", "/api/v1/auth/signin", map[string]string{"email": adminEmail, "password": adminPassword})
	if code, _ := r.ErrorField(t); r.Status != 429 || code != "rate_limited" {
		t.Fatalf("11th sign-in: %d %s", r.Status, r.Body)
	}
}
