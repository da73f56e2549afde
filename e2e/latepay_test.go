package e2e

import (
	"testing"

	"github.com/liveshop/liveshop/internal/store"
)

// TestPaymentForCancelledOrder: money that arrives after the order was
// cancelled goes straight back to the buyer; the stock stays on the shelf.
func TestPaymentForCancelledOrder(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			p := bootPlatform(t, d, "standard")
			o := p.buyer.Must(201, "POST", "/api/v1/orders", map[string]any{
				"items": []map[string]any{{"sku_id": p.skuID, "quantity": 2}}, "address": address}).Map(t)
			id := o["id"].(string)
			pay := p.buyer.Must(201, "POST", "/api/v1/orders/"+id+"/payments", map[string]any{"provider": "sandbox"}).Map(t)
			p.buyer.Must(200, "POST", "/api/v1/orders/"+id+"/cancel", map[string]any{"reason": "changed my mind"})
			if s := p.skuStock(t); s != 5 {
				t.Fatalf("stock after cancel = %d, want 5", s)
			}
			body, sig := signedSandboxEvent("evt_late_1", pay["id"].(string), int64(pay["amount_minor"].(float64)))
			send := func() Response {
				return p.srv.Client().Do("POST", "/api/v1/payments/sandbox/webhook", body, "Sandbox-Signature", sig)
			}
			if r := send(); r.Status != 200 {
				t.Fatalf("late payment webhook: %d %s", r.Status, r.Body)
			}
			if r := send(); r.Status != 409 {
				t.Fatalf("replayed late payment: %d %s", r.Status, r.Body)
			}
			got := p.buyer.Must(200, "GET", "/api/v1/orders/"+id, nil).Map(t)
			pays := p.buyer.Must(200, "GET", "/api/v1/orders/"+id+"/payments", nil).Map(t)["items"].([]any)
			if got["status"] != "cancelled" || pays[0].(map[string]any)["status"] != "refunded" {
				t.Fatalf("order %v, payment %v", got["status"], pays[0])
			}
			if s := p.skuStock(t); s != 5 {
				t.Fatalf("stock after late payment = %d, want 5", s)
			}
		})
	}
}
