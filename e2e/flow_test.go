package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/webhook"
)

const (
	adminEmail    = "admin@example.com"
	adminPassword = "admin-password-1"
	sandboxSecret = "e2e-sandbox-secret-0123456789abcdef"
)

// platform is a booted server with an admin, an approved shop with one
// product, a merchant and a buyer — the base of most scenarios.
type platform struct {
	srv       *Server
	admin     *Client
	merchant  *Client
	buyer     *Client
	shopID    string
	productID string
	skuID     string
}

func bootPlatform(t *testing.T, d store.Dialect, programme string, extra ...string) *platform {
	t.Helper()
	srv := Start(t, d, append([]string{"--sandbox-secret", sandboxSecret, "--payment-window", "1h", "--webhooks-allow-private"}, extra...)...)
	return newPlatform(t, srv, programme)
}

// newPlatform makes an admin, a merchant with an approved shop and a
// product, and a buyer on a running server.
func newPlatform(t *testing.T, srv *Server, programme string) *platform {
	t.Helper()
	if out, err := srv.Run("admin", "create-user", "--email", adminEmail, "--password", adminPassword, "--admin"); err != nil {
		t.Fatalf("admin create-user: %v\n%s", err, out)
	}
	p := &platform{srv: srv, admin: srv.Client(), merchant: srv.Client(), buyer: srv.Client()}
	p.admin.SignIn(adminEmail, adminPassword)
	p.merchant.SignUp(uniqueEmail("merchant"), "merchant-password")
	p.buyer.SignUp(uniqueEmail("buyer"), "buyer-password")

	county := ""
	if programme == "rural" {
		county = "Wuchang"
	}
	shop := p.merchant.Must(201, "POST", "/api/v1/shops", map[string]any{
		"name": "Black Soil Farm", "category": "fresh_produce", "region": "Heilongjiang", "county": county, "programme": programme,
	}).Map(t)
	p.shopID = shop["id"].(string)
	if shop["status"] != "pending" {
		t.Fatalf("new shop status = %v", shop["status"])
	}
	p.admin.Must(200, "POST", "/api/v1/admin/shops/"+p.shopID+"/approve", nil)
	prod := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/products", map[string]any{
		"title": "五常大米 fragrant rice", "category": "food", "tags": []string{"rice"}, "commission_bps": 2000,
		"skus": []map[string]any{{"code": "RICE-5KG", "attributes": map[string]string{"weight": "5 kg"}, "price_minor": 10000, "stock": 5}},
	}).Map(t)
	p.productID = prod["id"].(string)
	p.skuID = prod["skus"].([]any)[0].(map[string]any)["id"].(string)
	return p
}

var address = map[string]any{"name": "Lin", "phone": "13800000000", "line1": "88 Wensan Road", "city": "Hangzhou", "region": "Zhejiang"}

// placeAndPay orders qty through the API and pays on the sandbox page.
func (p *platform) placeAndPay(t *testing.T, qty int, key string) map[string]any {
	t.Helper()
	o := p.buyer.Must(201, "POST", "/api/v1/orders", map[string]any{
		"items": []map[string]any{{"sku_id": p.skuID, "quantity": qty}}, "address": address,
	}, "Idempotency-Key", key).Map(t)
	p.payOnSandboxPage(t, o["id"].(string), "succeed")
	return p.buyer.Must(200, "GET", "/api/v1/orders/"+o["id"].(string), nil).Map(t)
}

func (p *platform) payOnSandboxPage(t *testing.T, orderID, outcome string) {
	t.Helper()
	pay := p.buyer.Must(201, "POST", "/api/v1/orders/"+orderID+"/payments", map[string]any{"provider": "sandbox"},
		"Idempotency-Key", "pay-"+orderID).Map(t)
	payURL, err := url.Parse(pay["pay_url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	page := p.buyer.Must(200, "GET", payURL.RequestURI(), nil)
	if !bytes.Contains(page.Body, []byte("sandbox-pay")) {
		t.Fatalf("pay page has no pay button: %s", page.Body)
	}
	form := payURL.Query()
	form.Set("outcome", outcome)
	r := p.buyer.Do("POST", payURL.Path, []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sandbox confirm: status %d: %s", r.Status, r.Body)
	}
}

func TestCheckoutFlow(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testCheckoutFlow(t, d) })
	}
}

func testCheckoutFlow(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "standard")

	// The merchant listens for webhooks.
	hook := newHookReceiver(t)
	ep := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/webhooks", map[string]any{"url": hook.srv.URL}).Map(t)
	hook.secret = ep["secret"].(string)

	// Image upload with a thumbnail anyone can fetch.
	img := p.merchant.Must(201, "POST", "/api/v1/products/"+p.productID+"/images", pngUpload(t, 640, 480)).Map(t)
	thumb := p.buyer.Must(200, "GET", img["thumb_url"].(string), nil)
	if ct := thumb.Header.Get("Content-Type"); ct != "image/jpeg" {
		t.Fatalf("thumbnail content type %q", ct)
	}

	// The product is public.
	list := p.buyer.Must(200, "GET", "/api/v1/products?shop_id="+p.shopID, nil).Map(t)
	if n := len(list["items"].([]any)); n != 1 {
		t.Fatalf("listed %d products, want 1", n)
	}

	// Idempotent order creation.
	body := map[string]any{"items": []map[string]any{{"sku_id": p.skuID, "quantity": 2}}, "address": address}
	o1 := p.buyer.Must(201, "POST", "/api/v1/orders", body, "Idempotency-Key", "k1").Map(t)
	o2 := p.buyer.Must(200, "POST", "/api/v1/orders", body, "Idempotency-Key", "k1").Map(t)
	if o1["id"] != o2["id"] {
		t.Fatalf("same key made two orders: %v %v", o1["id"], o2["id"])
	}
	orderID := o1["id"].(string)
	if stock := p.skuStock(t); stock != 3 {
		t.Fatalf("stock after reserving 2 of 5 = %d", stock)
	}

	p.payOnSandboxPage(t, orderID, "succeed")
	paid := p.buyer.Must(200, "GET", "/api/v1/orders/"+orderID, nil).Map(t)
	if paid["status"] != "paid" {
		t.Fatalf("order status %v after payment", paid["status"])
	}
	line := paid["lines"].([]any)[0].(map[string]any)
	if line["platform_fee_minor"].(float64) != 1000 || line["merchant_net_minor"].(float64) != 19000 {
		t.Fatalf("split of a 200.00 standard-programme line: %v", line)
	}

	// The shop's sales chart counts the paid order today.
	sales := p.merchant.Must(200, "GET", "/api/v1/shops/"+p.shopID+"/sales?days=7", nil).Map(t)
	days := sales["days"].([]any)
	today := days[len(days)-1].(map[string]any)
	if len(days) != 7 || today["orders"].(float64) != 1 || today["gmv_minor"].(float64) != 20000 ||
		sales["platform_fee_minor"].(float64) != 1000 || sales["to_ship"].(float64) != 1 {
		t.Fatalf("sales summary = %v", sales)
	}
	p.buyer.Must(403, "GET", "/api/v1/shops/"+p.shopID+"/sales", nil)

	// Fulfilment, with webhooks.
	p.merchant.Must(200, "POST", "/api/v1/orders/"+orderID+"/ship", map[string]any{"carrier": "SF Express", "tracking_number": "SF123"})
	// The buyer hears it shipped (in the shipping's transaction), once;
	// the shop hears nothing.
	if n := p.buyer.Must(200, "GET", "/api/v1/me/notifications/unread-count", nil).Map(t); n["count"] != 1.0 {
		t.Fatalf("buyer's unread count after shipping = %v", n)
	}
	notes := p.buyer.Must(200, "GET", "/api/v1/me/notifications", nil).Map(t)["items"].([]any)
	if len(notes) != 1 {
		t.Fatalf("buyer's notifications after shipping = %v", notes)
	}
	shipped := notes[0].(map[string]any)
	params, _ := shipped["params"].(map[string]any)
	if shipped["kind"] != "order_shipped" || shipped["order_id"] != orderID || shipped["url"] != "/orders/"+orderID ||
		shipped["session_id"] != nil || shipped["read_at"] != nil || params["tracking_number"] != "SF123" || params["carrier"] != "SF Express" {
		t.Fatalf("shipped notification = %v", shipped)
	}
	if n := len(p.merchant.Must(200, "GET", "/api/v1/me/notifications", nil).Map(t)["items"].([]any)); n != 0 {
		t.Fatalf("the merchant has %d notifications of the buyer's order", n)
	}
	p.merchant.Must(200, "POST", "/api/v1/orders/"+orderID+"/deliver", nil)
	p.buyer.Must(200, "POST", "/api/v1/orders/"+orderID+"/complete", nil)
	hook.waitFor(t, "order.paid", "order.shipped", "order.delivered", "order.completed")

	hist := p.buyer.Must(200, "GET", "/api/v1/orders/"+orderID+"/history", nil).Map(t)
	if n := len(hist["items"].([]any)); n != 5 {
		t.Fatalf("history has %d steps, want 5: %v", n, hist)
	}
	deliveries := p.merchant.Must(200, "GET", "/api/v1/webhooks/"+ep["id"].(string)+"/deliveries", nil).Map(t)
	if n := len(deliveries["items"].([]any)); n < 4 {
		t.Fatalf("delivery log has %d entries", n)
	}

	// The buyer asks for a refund of a second order; the shop refunds it,
	// which returns its stock and approves the request.
	o3 := p.placeAndPay(t, 1, "k3")
	o3path := "/api/v1/orders/" + o3["id"].(string)
	r := p.buyer.Do("POST", o3path+"/refund-request", map[string]any{"reason": "bored"})
	if code, field := r.ErrorField(t); r.Status != 400 || code != "invalid" || field != "reason" {
		t.Fatalf("refund request with an unknown reason: %d %s", r.Status, r.Body)
	}
	asked := p.buyer.Must(201, "POST", o3path+"/refund-request", map[string]any{"reason": "damaged", "note": "box crushed"}).Map(t)
	if rr := asked["refund_request"].(map[string]any); rr["status"] != "open" || rr["note"] != "box crushed" || rr["respond_by"] == nil {
		t.Fatalf("refund request = %v", rr)
	}
	if r := p.buyer.Do("POST", o3path+"/refund-request", map[string]any{"reason": "damaged"}); r.Status != 409 {
		t.Fatalf("second open request: %d %s", r.Status, r.Body)
	}
	queue := p.merchant.Must(200, "GET", "/api/v1/orders?shop_id="+p.shopID+"&status=refund_requested", nil).Map(t)
	if items := queue["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != o3["id"] {
		t.Fatalf("the shop's refund requests = %v", items)
	}
	hook.waitFor(t, "order.refund_requested")
	refunded := p.merchant.Must(200, "POST", o3path+"/refund", map[string]any{"reason": "out of season"}).Map(t)
	if rr := refunded["refund_request"].(map[string]any); refunded["status"] != "refunded" || rr["status"] != "approved" {
		t.Fatalf("refunded order = %v", refunded)
	}
	if stock := p.skuStock(t); stock != 3 {
		t.Fatalf("stock after refunding an unshipped order = %d, want 3", stock)
	}
	hook.waitFor(t, "order.refunded")

	// Graceful shutdown.
	p.srv.Stop()
	if p.srv.exitErr != nil {
		t.Fatalf("exit after SIGINT: %v\n%s", p.srv.exitErr, p.srv.Logs())
	}
}

func (p *platform) skuStock(t *testing.T) int {
	t.Helper()
	prod := p.merchant.Must(200, "GET", "/api/v1/products/"+p.productID, nil).Map(t)
	return int(prod["skus"].([]any)[0].(map[string]any)["stock"].(float64))
}

func pngUpload(t *testing.T, w, h int) upload {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var pic bytes.Buffer
	png.Encode(&pic, img)
	return fileUpload(t, "image", "rice.png", pic.Bytes())
}

func fileUpload(t *testing.T, field, name string, data []byte) upload {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return upload{body: &buf, contentType: mw.FormDataContentType()}
}

// hookReceiver is a merchant's webhook endpoint that checks signatures.
type hookReceiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	events []string
	bad    []string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := webhook.Verify(h.secret, r.Header.Get("Liveshop-Signature"), body, time.Now(), 5*time.Minute); err != nil {
			h.bad = append(h.bad, err.Error())
			w.WriteHeader(400)
			return
		}
		var ev struct {
			Type string `json:"type"`
		}
		json.Unmarshal(body, &ev)
		h.events = append(h.events, ev.Type)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) waitFor(t *testing.T, types ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.mu.Lock()
		got := map[string]bool{}
		for _, e := range h.events {
			got[e] = true
		}
		bad := append([]string(nil), h.bad...)
		h.mu.Unlock()
		if len(bad) > 0 {
			t.Fatalf("webhooks with bad signatures: %v", bad)
		}
		missing := ""
		for _, ty := range types {
			if !got[ty] {
				missing = ty
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook %s not delivered within 20s; got %v", missing, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// signedSandboxEvent builds a payment webhook as the sandbox would send it.
func signedSandboxEvent(eventID, paymentID string, amount int64) (body []byte, sig string) {
	now := time.Now()
	body, _ = json.Marshal(map[string]any{"id": eventID, "type": "payment.succeeded", "payment_id": paymentID,
		"amount_minor": amount, "currency": "CNY", "created": now.Unix()})
	m := hmac.New(sha256.New, []byte(sandboxSecret))
	ts := strconv.FormatInt(now.Unix(), 10)
	m.Write([]byte(ts + "."))
	m.Write(body)
	return body, fmt.Sprintf("t=%s,v1=%s", ts, hex.EncodeToString(m.Sum(nil)))
}

// TestCartCheckoutIsIdempotent: a checkout retried with the same key after
// it succeeded answers with the same orders instead of "the cart is empty".
func TestCartCheckoutIsIdempotent(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			p := bootPlatform(t, d, "standard")
			p.buyer.Must(200, "PUT", "/api/v1/cart/items/"+p.skuID, map[string]any{"quantity": 2})
			first := p.buyer.Must(201, "POST", "/api/v1/cart/checkout", map[string]any{"address": address}, "Idempotency-Key", "cart-1").Map(t)
			again := p.buyer.Must(201, "POST", "/api/v1/cart/checkout", map[string]any{"address": address}, "Idempotency-Key", "cart-1").Map(t)
			a, b := first["orders"].([]any), again["orders"].([]any)
			if len(a) != 1 || len(b) != 1 || a[0].(map[string]any)["id"] != b[0].(map[string]any)["id"] {
				t.Fatalf("retry made different orders: %v then %v", a, b)
			}
			if s := p.skuStock(t); s != 3 {
				t.Fatalf("stock after one checkout of 2 = %d", s)
			}
			r := p.buyer.Do("POST", "/api/v1/cart/checkout", map[string]any{"address": address}, "Idempotency-Key", "cart-2")
			if code, field := r.ErrorField(t); r.Status != 400 || code != "invalid" || field != "cart" {
				t.Fatalf("checkout of an empty cart: %d %s", r.Status, r.Body)
			}
		})
	}
}

// TestCartCheckoutAllOrNothing: a cart spanning two shops becomes two
// orders, or none when one line can no longer be had.
func TestCartCheckoutAllOrNothing(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			p := bootPlatform(t, d, "standard")
			other := p.srv.Client()
			other.SignUp(uniqueEmail("second-merchant"), "second-merchant-pw")
			shop := other.Must(201, "POST", "/api/v1/shops", map[string]any{"name": "Tea Garden", "category": "food", "region": "Zhejiang"}).Map(t)
			p.admin.Must(200, "POST", "/api/v1/admin/shops/"+shop["id"].(string)+"/approve", nil)
			tea := other.Must(201, "POST", "/api/v1/shops/"+shop["id"].(string)+"/products", map[string]any{
				"title": "White tea", "skus": []map[string]any{{"code": "WT-1", "price_minor": 5000, "stock": 3}}}).Map(t)
			teaSKU := tea["skus"].([]any)[0].(map[string]any)["id"].(string)

			p.buyer.Must(200, "PUT", "/api/v1/cart/items/"+p.skuID, map[string]any{"quantity": 2})
			p.buyer.Must(200, "PUT", "/api/v1/cart/items/"+teaSKU, map[string]any{"quantity": 3})
			// The tea sells out elsewhere before this buyer checks out.
			other.Must(200, "POST", "/api/v1/skus/"+teaSKU+"/stock", map[string]any{"delta": -2, "note": "sold at the market"})
			r := p.buyer.Do("POST", "/api/v1/cart/checkout", map[string]any{"address": address}, "Idempotency-Key", "both")
			if r.Status != 400 && r.Status != 409 {
				t.Fatalf("checkout with a sold-out line: %d %s", r.Status, r.Body)
			}
			if s := p.skuStock(t); s != 5 {
				t.Fatalf("rice stock %d after a refused checkout, want 5", s)
			}
			if n := len(p.buyer.Must(200, "GET", "/api/v1/orders", nil).Map(t)["items"].([]any)); n != 0 {
				t.Fatalf("a refused checkout left %d orders", n)
			}
			if n := len(p.buyer.Must(200, "GET", "/api/v1/cart", nil).Map(t)["items"].([]any)); n != 2 {
				t.Fatalf("a refused checkout changed the cart: %d items", n)
			}
			// With a quantity that exists, both orders are made.
			p.buyer.Must(200, "PUT", "/api/v1/cart/items/"+teaSKU, map[string]any{"quantity": 1})
			res := p.buyer.Must(201, "POST", "/api/v1/cart/checkout", map[string]any{"address": address}, "Idempotency-Key", "both-2").Map(t)
			if n := len(res["orders"].([]any)); n != 2 {
				t.Fatalf("checkout across two shops made %d orders", n)
			}
		})
	}
}
