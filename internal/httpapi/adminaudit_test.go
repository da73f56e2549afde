package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// TestAdminAuditRoute checks GET /admin/audit over HTTP: what an admin
// does through the API is listed newest first, paged, with its actor.
func TestAdminAuditRoute(t *testing.T) {
	h := newAPIHarness(t, nil)
	adm := h.user("Root")
	if err := h.accounts.SetAdmin(h.ctx, account.System(), adm.ID(), true); err != nil {
		t.Fatal(err)
	}
	admTok := h.token(adm)
	owner := h.user("Gus")
	shopID := ids.New("shp")
	if err := h.st.CreateShop(h.ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID(), Name: "Pending", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopPending, CreatedAt: h.now}); err != nil {
		t.Fatal(err)
	}
	if code, _, raw := h.call("POST", "/admin/shops/"+shopID+"/approve", admTok, ""); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, raw)
	}
	if code, _, raw := h.call("PUT", "/admin/shops/"+shopID+"/fee", admTok, `{"fee_override_bps":120}`); code != http.StatusOK {
		t.Fatalf("fee: %d %s", code, raw)
	}

	code, out, raw := h.call("GET", "/admin/audit?limit=2", admTok, "")
	if code != http.StatusOK {
		t.Fatalf("audit: %d %s", code, raw)
	}
	items, _ := out["items"].([]any)
	if len(items) != 2 || out["next_cursor"] == nil {
		t.Fatalf("first page: %s, want 2 items and a cursor", raw)
	}
	fee, approve := items[0].(map[string]any), items[1].(map[string]any)
	if fee["action"] != account.AuditShopFee || fee["detail"] != "120 bps" || fee["target_id"] != shopID || fee["actor_id"] != adm.ID() ||
		approve["action"] != account.AuditShopApprove || approve["target_id"] != shopID {
		t.Errorf("first page %s, want the fee override then the approval by %s", raw, adm.ID())
	}
	code, out, raw = h.call("GET", "/admin/audit?limit=2&cursor="+approve["id"].(string), admTok, "")
	if items, _ := out["items"].([]any); code != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["action"] != account.AuditUserAdmin {
		t.Errorf("second page: %d %s, want the command line's admin grant", code, raw)
	}

	for _, q := range []string{"limit=0", "limit=101", "limit=x"} {
		if code, out, raw := h.call("GET", "/admin/audit?"+q, admTok, ""); code != http.StatusBadRequest || errField(out) != "limit" {
			t.Errorf("?%s: %d %s, want 400 naming limit", q, code, raw)
		}
	}
	if code, _, raw := h.call("GET", "/admin/audit", h.token(owner), ""); code != http.StatusForbidden {
		t.Errorf("non-admin: %d %s, want 403", code, raw)
	}
	if code, _, raw := h.call("GET", "/admin/audit", "", ""); code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d %s, want 401", code, raw)
	}
}
