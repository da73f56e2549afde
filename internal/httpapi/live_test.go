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
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestLiveSessionRoutes drives the live-session routes over a real
// SQLite store: status codes, the fields named in 400s, and that the
// public view never carries the stream key.
func TestLiveSessionRoutes(t *testing.T) {
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.NewService(st, nil)
	rooms := room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute, RTMPServer: "rtmp://live.test:1935/live"})
	t.Cleanup(rooms.Close)
	api := httpapi.New(httpapi.Config{Accounts: accounts, Catalog: catalog.NewService(st, nil, nil), Rooms: rooms, Log: log})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	now := time.Now().UTC()
	owner := account.User{ID: ids.New("usr"), Email: "owner@example.com", DisplayName: "Owner", CreatedAt: now}
	if err := st.CreateUser(ctx, owner, "unused"); err != nil {
		t.Fatal(err)
	}
	shopID, productID := ids.New("shp"), ids.New("prd")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateProduct(ctx, catalog.Product{ID: productID, ShopID: shopID, Title: "Rice", Category: "food", Tags: []string{},
		Status: catalog.ProductActive, CreatedAt: now, UpdatedAt: now,
		SKUs: []catalog.SKU{{ID: ids.New("sku"), ProductID: productID, ShopID: shopID, Code: "R1", PriceMinor: 990, Currency: "CNY", Stock: 3,
			CreatedAt: now, UpdatedAt: now}}}, owner.ID); err != nil {
		t.Fatal(err)
	}
	actor := account.Actor{User: &owner, ShopRoles: map[string]string{shopID: account.ShopOwner}}
	_, token, err := accounts.CreateAPIToken(ctx, actor, "test")
	if err != nil {
		t.Fatal(err)
	}

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

	refusals := []struct {
		name, body string
		status     int
		field      string
	}{
		{"no title", `{"title":""}`, 400, "title"},
		{"bad planned start", `{"title":"x","planned_start":"next friday"}`, 400, "planned_start"},
		{"unknown product", `{"title":"x","product_ids":["` + productID + `","prd_nope"]}`, 400, "product_ids[1]"},
		{"duplicate product", `{"title":"x","product_ids":["` + productID + `","` + productID + `"]}`, 400, "product_ids[1]"},
		{"unknown field", `{"title":"x","stream_key":"mine"}`, 400, "stream_key"},
	}
	for _, tt := range refusals {
		status, out, raw := call("POST", "/shops/"+shopID+"/live-sessions", token, tt.body)
		if status != tt.status || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want %d field %s", tt.name, status, raw, tt.status, tt.field)
		}
	}
	if status, _, _ := call("POST", "/shops/"+shopID+"/live-sessions", "", `{"title":"x"}`); status != 401 {
		t.Errorf("anonymous schedule: %d", status)
	}

	status, studio, raw := call("POST", "/shops/"+shopID+"/live-sessions", token, `{"title":"Harvest","product_ids":["`+productID+`"]}`)
	if status != 201 || studio["stream_key"] == "" || !strings.HasPrefix(studio["rtmp_url"].(string), "rtmp://live.test:1935/live/sk_") {
		t.Fatalf("schedule: %d %s", status, raw)
	}
	key := studio["stream_key"].(string)
	id := studio["session"].(map[string]any)["id"].(string)

	for _, path := range []string{"/live-sessions/" + id, "/live-sessions", "/live-sessions?status=scheduled&shop_id=" + shopID, "/live-sessions/" + id + "/moments", "/live-sessions/" + id + "/health"} {
		status, _, raw := call("GET", path, "", "")
		if status != 200 || strings.Contains(raw, key) || strings.Contains(raw, "stream_key") {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
	_, ses, raw := call("GET", "/live-sessions/"+id, "", "")
	if ses["host_id"] != nil || ses["status"] != "scheduled" || !strings.Contains(raw, `"price_minor":990`) {
		t.Errorf("public session: %s", raw)
	}
	checks := []struct {
		method, path, auth, body string
		status                   int
		field                    string
	}{
		{"GET", "/live-sessions/" + id + "/studio", "", "", 401, ""},
		{"GET", "/live-sessions/" + id + "/studio", token, "", 200, ""},
		{"GET", "/live-sessions?status=paused", "", "", 400, "status"},
		{"GET", "/live-sessions/ses_missing", "", "", 404, ""},
		{"POST", "/live-sessions/" + id + "/explain", token, `{"product_id":"` + productID + `"}`, 409, ""},
		{"POST", "/live-sessions/" + id + "/explain", token, `{"product_id":"prd_other"}`, 400, "product_id"},
		{"PATCH", "/live-sessions/" + id, token, `{"planned_start":"soon"}`, 400, "planned_start"},
		{"PATCH", "/live-sessions/" + id, token, `{"title":"Harvest festival","product_ids":[]}`, 200, ""},
		{"POST", "/live-sessions/" + id + "/key", token, "", 200, ""},
		{"POST", "/live-sessions/" + id + "/end", token, "", 200, ""},
		{"POST", "/live-sessions/" + id + "/key", token, "", 409, ""},
	}
	for _, c := range checks {
		status, out, raw := call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s %s: %d %s, want %d field %q", c.method, c.path, status, raw, c.status, c.field)
		}
	}
	_, ses, _ = call("GET", "/live-sessions/"+id, "", "")
	if ses["status"] != "ended" || ses["title"] != "Harvest festival" || len(ses["products"].([]any)) != 0 {
		t.Errorf("after edits and end: %v", ses)
	}
}
