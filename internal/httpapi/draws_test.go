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
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestDrawRoutes drives the lucky-draw routes over a real SQLite store:
// who may call them, status codes, the fields named in refusals, that the
// seed stays secret until the draw is drawn, and that the published proof
// verifies. The rules themselves are tested in draw and store.
func TestDrawRoutes(t *testing.T) {
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.NewService(st, nil)
	orders := order.NewService(order.Config{Repo: st})
	rooms := room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute})
	t.Cleanup(rooms.Close)
	draws := draw.NewService(draw.Config{Repo: st, Rooms: rooms, Awards: orders, Log: log})
	api := httpapi.New(httpapi.Config{Accounts: accounts, Catalog: catalog.NewService(st, nil, nil), Orders: orders, Rooms: rooms,
		Draws: draws, Log: log})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	now := time.Now().UTC()
	newUser := func(email, name string) account.User {
		u := account.User{ID: ids.New("usr"), Email: email, DisplayName: name, CreatedAt: now}
		if err := st.CreateUser(ctx, u, "unused"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	owner := newUser("owner@example.com", "Owner")
	shopID, productID, skuID := ids.New("shp"), ids.New("prd"), ids.New("sku")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateProduct(ctx, catalog.Product{ID: productID, ShopID: shopID, Title: "Rice", Category: "food", Tags: []string{},
		Status: catalog.ProductActive, CreatedAt: now, UpdatedAt: now,
		SKUs: []catalog.SKU{{ID: skuID, ProductID: productID, ShopID: shopID, Code: "R1", PriceMinor: 1990, Currency: "CNY", Stock: 5,
			CreatedAt: now, UpdatedAt: now}}}, owner.ID); err != nil {
		t.Fatal(err)
	}
	ownerActor := account.Actor{User: &owner, ShopRoles: map[string]string{shopID: account.ShopOwner}}
	token := func(a account.Actor) string {
		_, tok, err := accounts.CreateAPIToken(ctx, a, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	ownerTok := token(ownerActor)
	ann := newUser("ann@example.com", "Ann")
	annTok := token(account.Actor{User: &ann})
	studio, err := rooms.Schedule(ctx, ownerActor, shopID, room.ScheduleInput{Title: "Harvest", ProductIDs: []string{productID}})
	if err != nil {
		t.Fatal(err)
	}
	sesID := studio.Session.ID

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

	base := `"title":"Rice for one","sku_id":"` + skuID + `","countdown_seconds":60`
	refusals := []struct {
		name, auth, body string
		status           int
		field            string
	}{
		{"anonymous", "", `{` + base + `,"winners":1}`, 401, ""},
		{"a viewer", annTok, `{` + base + `,"winners":1}`, 403, ""},
		{"no winners", ownerTok, `{` + base + `}`, 400, "winners"},
		{"keyword missing", ownerTok, `{` + base + `,"winners":1,"eligibility":"keyword"}`, 400, "keyword"},
		{"unknown field", ownerTok, `{` + base + `,"winners":1,"luck":7}`, 400, "luck"},
		{"more than in stock", ownerTok, `{` + base + `,"winners":3,"quantity":2}`, 409, "quantity"},
	}
	for _, tt := range refusals {
		status, out, raw := call("POST", "/live-sessions/"+sesID+"/draws", tt.auth, tt.body)
		if status != tt.status || errField(out) != tt.field {
			t.Errorf("%s: %d %s, want %d field %q", tt.name, status, raw, tt.status, tt.field)
		}
	}
	status, d, raw := call("POST", "/live-sessions/"+sesID+"/draws", ownerTok, `{`+base+`,"winners":1,"eligibility":"followers"}`)
	if status != 201 || d["status"] != "open" || d["product_title"] != "Rice" || d["eligibility_note"] == nil || strings.Contains(raw, `"seed"`) {
		t.Fatalf("create: %d %s", status, raw)
	}
	id := d["id"].(string)
	for _, path := range []string{"/draws/" + id, "/live-sessions/" + sesID + "/draws"} {
		if status, _, raw := call("GET", path, "", ""); status != 200 || strings.Contains(raw, `"seed"`) || !strings.Contains(raw, id) {
			t.Errorf("GET %s before the draw: %d %s", path, status, raw)
		}
	}

	checks := []struct {
		name, method, path, auth, body string
		status                         int
		field                          string
	}{
		{"enter anonymously", "POST", "/draws/" + id + "/entries", "", "", 401, ""},
		{"enter", "POST", "/draws/" + id + "/entries", annTok, "", 201, ""},
		{"enter again", "POST", "/draws/" + id + "/entries", annTok, "", 200, ""},
		{"enter a missing draw", "POST", "/draws/drw_missing/entries", annTok, "", 404, ""},
		{"proof too early", "GET", "/draws/" + id + "/proof", "", "", 409, "draw"},
		{"claim too early", "POST", "/draws/" + id + "/claim", annTok, "", 409, "draw"},
		{"a viewer draws", "POST", "/draws/" + id + "/draw", annTok, "", 403, ""},
		{"the owner draws", "POST", "/draws/" + id + "/draw", ownerTok, "", 200, ""},
		{"draws again", "POST", "/draws/" + id + "/draw", ownerTok, "", 409, ""},
		{"enter once drawn", "POST", "/draws/" + id + "/entries", ownerTok, "", 409, "draw"},
		{"not a winner", "POST", "/draws/" + id + "/claim", ownerTok, "", 403, ""},
		{"no address yet", "POST", "/draws/" + id + "/claim", annTok, "", 400, "address_id"},
		{"unknown address", "POST", "/draws/" + id + "/claim", annTok, `{"address_id":"adr_x"}`, 400, "address_id"},
		{"bad body", "POST", "/draws/" + id + "/claim", annTok, `{"address":"home"}`, 400, "address"},
	}
	for _, c := range checks {
		status, out, raw := call(c.method, c.path, c.auth, c.body)
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: %d %s, want %d field %q", c.name, status, raw, c.status, c.field)
		}
	}

	status, got, raw := call("GET", "/draws/"+id, "", "")
	winners, _ := got["winners"].([]any)
	if status != 200 || got["status"] != "drawn" || got["seed"] == nil || len(winners) != 1 ||
		winners[0].(map[string]any)["name"] != "Ann" || got["entrants"] != 1.0 {
		t.Fatalf("drawn: %d %s", status, raw)
	}
	status, _, raw = call("GET", "/draws/"+id+"/proof", "", "")
	var p draw.Proof
	if err := json.Unmarshal([]byte(raw), &p); status != 200 || err != nil {
		t.Fatalf("proof: %d %s", status, raw)
	}
	if err := draw.Verify(p); err != nil || p.Commitment != d["commitment"] {
		t.Fatalf("the published proof does not verify (%v): %s", err, raw)
	}

	if status, _, raw := call("POST", "/addresses", annTok, `{"name":"Li","phone":"138","line1":"1 Road","city":"Jilin","region":"Jilin"}`); status != 201 {
		t.Fatalf("address: %d %s", status, raw)
	}
	status, o, raw := call("POST", "/draws/"+id+"/claim", annTok, "")
	if status != 201 || o["status"] != "paid" || o["total_minor"] != 0.0 {
		t.Fatalf("claim: %d %s", status, raw)
	}
	if status, out, raw := call("POST", "/draws/"+id+"/claim", annTok, ""); status != 409 || errField(out) != "draw" {
		t.Errorf("claim again: %d %s", status, raw)
	}
	_, got, raw = call("GET", "/draws/"+id, "", "")
	if w := got["winners"].([]any)[0].(map[string]any); w["order_id"] != o["id"] {
		t.Errorf("winner after the claim: %s", raw)
	}
	for _, path := range []string{"/draws/drw_missing", "/draws/drw_missing/proof", "/live-sessions/ses_missing/draws"} {
		if status, _, raw := call("GET", path, "", ""); status != 404 {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
}
