package httpapi_test

import (
	"context"
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

// apiHarness is the API served over loopback on a fresh SQLite store, with
// helpers that seed rows straight into the store so that each route test
// only goes through HTTP for the routes it is about.
type apiHarness struct {
	t        *testing.T
	ctx      context.Context
	st       *store.Store
	log      *slog.Logger
	accounts *account.Service
	rooms    *room.Service
	srv      *httptest.Server
	now      time.Time
}

// newAPIHarness serves the accounts, catalog and rooms services; wire adds
// the services the test is about to the Config (it may be nil).
func newAPIHarness(t *testing.T, wire func(h *apiHarness, c *httpapi.Config)) *apiHarness {
	t.Helper()
	st := storetest.Open(t, store.SQLite, store.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := &apiHarness{t: t, ctx: t.Context(), st: st, log: log, accounts: account.NewService(st, nil), now: time.Now().UTC()}
	// The live-session test checks the rtmp_url built from this server.
	h.rooms = room.NewService(room.Config{Repo: st, Log: log, Grace: time.Minute, RTMPServer: "rtmp://live.test:1935/live"})
	t.Cleanup(h.rooms.Close)
	cfg := httpapi.Config{Accounts: h.accounts, Catalog: catalog.NewService(st, nil, nil), Rooms: h.rooms, Log: log}
	if wire != nil {
		wire(h, &cfg)
	}
	h.srv = httptest.NewServer(httpapi.New(cfg).Handler())
	t.Cleanup(h.srv.Close)
	return h
}

// user inserts a user with no shop; name is both the display name and
// the local part of the email.
func (h *apiHarness) user(name string) account.Actor {
	h.t.Helper()
	u := account.User{ID: ids.New("usr"), Email: strings.ToLower(name) + "@example.com", DisplayName: name, CreatedAt: h.now}
	if err := h.st.CreateUser(h.ctx, u, "unused"); err != nil {
		h.t.Fatal(err)
	}
	return account.Actor{User: &u}
}

// shop inserts a user named ownerName and an approved shop they own, and
// returns the owner as the API will see them: loaded with the shop role.
func (h *apiHarness) shop(ownerName string) (account.Actor, string) {
	h.t.Helper()
	owner := h.user(ownerName)
	shopID := ids.New("shp")
	if err := h.st.CreateShop(h.ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID(), Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: h.now}); err != nil {
		h.t.Fatal(err)
	}
	owner, err := h.accounts.ActorFor(h.ctx, owner.ID())
	if err != nil {
		h.t.Fatal(err)
	}
	return owner, shopID
}

// product inserts an active product with one CNY SKU in the owner's shop.
func (h *apiHarness) product(owner account.Actor, shopID, title string, priceMinor int64, stock int) (productID, skuID string) {
	h.t.Helper()
	productID, skuID = ids.New("prd"), ids.New("sku")
	if err := h.st.CreateProduct(h.ctx, catalog.Product{ID: productID, ShopID: shopID, Title: title, Category: "food", Tags: []string{},
		Status: catalog.ProductActive, CreatedAt: h.now, UpdatedAt: h.now,
		SKUs: []catalog.SKU{{ID: skuID, ProductID: productID, ShopID: shopID, Code: title, PriceMinor: priceMinor, Currency: "CNY",
			Stock: stock, CreatedAt: h.now, UpdatedAt: h.now}}}, owner.ID()); err != nil {
		h.t.Fatal(err)
	}
	return productID, skuID
}

// session schedules a live session in the shop with products on its shelf.
func (h *apiHarness) session(owner account.Actor, shopID, title string, productIDs ...string) room.Studio {
	h.t.Helper()
	studio, err := h.rooms.Schedule(h.ctx, owner, shopID, room.ScheduleInput{Title: title, ProductIDs: productIDs})
	if err != nil {
		h.t.Fatal(err)
	}
	return studio
}

// token returns a bearer token for the actor.
func (h *apiHarness) token(a account.Actor) string {
	h.t.Helper()
	_, tok, err := h.accounts.CreateAPIToken(h.ctx, a, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// call sends a request to /api/v1+path with auth as the bearer token when
// it is not empty, and returns the status, the body decoded as a JSON
// object when it is one, and the raw body for failure messages.
func (h *apiHarness) call(method, path, auth, body string) (int, map[string]any, string) {
	h.t.Helper()
	return h.callWithKey(method, path, auth, "", body)
}

// callWithKey is call with an Idempotency-Key header when key is not empty.
func (h *apiHarness) callWithKey(method, path, auth, key, body string) (int, map[string]any, string) {
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.ctx, method, h.srv.URL+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	var out map[string]any
	json.Unmarshal(raw, &out) // empty and non-object bodies leave out nil; tests check raw
	return resp.StatusCode, out, string(raw)
}

// errField is the field an error answer names, or "" when it names none
// or is no error.
func errField(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	f, _ := e["field"].(string)
	return f
}
