package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestFunnelRoutes drives the funnel routes over a real SQLite store: who
// may call them, status codes, the fields named in 400s and the shape of
// the counts. Counting itself is tested in store's conformance suite.
func TestFunnelRoutes(t *testing.T) {
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.NewService(st, nil)
	rooms := room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute})
	t.Cleanup(rooms.Close)
	funnels := funnel.NewService(funnel.Config{Repo: st, Rooms: rooms, Log: log})
	t.Cleanup(funnels.Close)
	api := httpapi.New(httpapi.Config{Accounts: accounts, Catalog: catalog.NewService(st, nil, nil), Rooms: rooms,
		Funnel: funnels, Log: log})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	now := time.Now().UTC()
	newUser := func(email string) account.User {
		u := account.User{ID: ids.New("usr"), Email: email, DisplayName: email, CreatedAt: now}
		if err := st.CreateUser(ctx, u, "unused"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	owner := newUser("owner@example.com")
	shopID := ids.New("shp")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	product := func(title string) string {
		id := ids.New("prd")
		if err := st.CreateProduct(ctx, catalog.Product{ID: id, ShopID: shopID, Title: title, Category: "food", Tags: []string{},
			Status: catalog.ProductActive, CreatedAt: now, UpdatedAt: now,
			SKUs: []catalog.SKU{{ID: ids.New("sku"), ProductID: id, ShopID: shopID, Code: title, PriceMinor: 1990, Currency: "CNY",
				Stock: 5, CreatedAt: now, UpdatedAt: now}}}, owner.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	rice, honey := product("Rice"), product("Honey")
	ownerActor := account.Actor{User: &owner, ShopRoles: map[string]string{shopID: account.ShopOwner}}
	viewer := newUser("viewer@example.com")
	token := func(a account.Actor) string {
		_, tok, err := accounts.CreateAPIToken(ctx, a, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	ownerTok, viewerTok := token(ownerActor), token(account.Actor{User: &viewer})
	studio, err := rooms.Schedule(ctx, ownerActor, shopID, room.ScheduleInput{Title: "Harvest", ProductIDs: []string{rice}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/live-sessions/" + studio.Session.ID + "/funnel"

	call := func(method, path, auth, body string) (int, map[string]any, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+"/api/v1"+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(raw, &out)
		return resp.StatusCode, out, string(raw)
	}
	errField := func(out map[string]any) string {
		e, _ := out["error"].(map[string]any)
		f, _ := e["field"].(string)
		return f
	}

	checks := []struct {
		name, method, path, auth, body string
		status                         int
		field                          string
	}{
		{"no body", "POST", path, "", "", 400, "body"},
		{"unknown field", "POST", path, "", `{"step":"view","anon_id":"anon-0001","room":"x"}`, 400, "room"},
		{"step as a number", "POST", path, "", `{"step":1,"anon_id":"anon-0001"}`, 400, "step"},
		{"unknown step", "POST", path, "", `{"step":"like","anon_id":"anon-0001"}`, 400, "step"},
		{"anonymous without anon_id", "POST", path, "", `{"step":"view"}`, 400, "anon_id"},
		{"anon_id too short", "POST", path, "", `{"step":"view","anon_id":"abc"}`, 400, "anon_id"},
		{"anon_id with a slash", "POST", path, "", `{"step":"view","anon_id":"anon/0001"}`, 400, "anon_id"},
		{"open without product", "POST", path, "", `{"step":"product_open","anon_id":"anon-0001"}`, 400, "product_id"},
		{"click off the shelf", "POST", path, "", `{"step":"buy_click","product_id":"` + honey + `","anon_id":"anon-0001"}`, 400, "product_id"},
		{"unknown session", "POST", "/live-sessions/ses_missing/funnel", "", `{"step":"view","anon_id":"anon-0001"}`, 404, ""},
		{"anonymous view", "POST", path, "", `{"step":"view","anon_id":"anon-0001"}`, 202, ""},
		{"the same view again", "POST", path, "", `{"step":"view","anon_id":"anon-0001"}`, 202, ""},
		{"signed-in view", "POST", path, viewerTok, `{"step":"view"}`, 202, ""},
		{"signed-in open", "POST", path, viewerTok, `{"step":"product_open","product_id":"` + rice + `"}`, 202, ""},
		{"anonymous click", "POST", path, "", `{"step":"buy_click","product_id":"` + rice + `","anon_id":"anon-0001"}`, 202, ""},
		{"counts anonymous", "GET", path, "", "", 401, ""},
		{"counts as a viewer", "GET", path, viewerTok, "", 403, ""},
		{"counts of nothing", "GET", "/live-sessions/ses_missing/funnel", ownerTok, "", 404, ""},
		{"counts", "GET", path, ownerTok, "", 200, ""},
	}
	for _, c := range checks {
		status, out, raw := call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %s %s: %d %s, want %d field %q", c.name, c.method, c.path, status, raw, c.status, c.field)
		}
		if status == 202 && raw != "" {
			t.Errorf("%s: 202 with a body %q", c.name, raw)
		}
	}

	// The shape the studio relies on; GET writes what was just recorded.
	_, f, raw := call("GET", path, ownerTok, "")
	want := map[string]any{"views": 2.0, "product_opens": 1.0, "buy_clicks": 1.0, "orders": 0.0, "paid_orders": 0.0,
		"gmv_minor": 0.0, "conversion": 0.0}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("funnel %s = %v, want %v: %s", k, f[k], v, raw)
		}
	}
	per, _ := f["per_product"].([]any)
	if len(per) != 1 {
		t.Fatalf("per_product: %s", raw)
	}
	p := per[0].(map[string]any)
	if p["product_id"] != rice || p["title"] != "Rice" || p["opens"] != 1.0 || p["clicks"] != 1.0 || p["orders"] != 0.0 {
		t.Errorf("per_product[0]: %s", raw)
	}
}
