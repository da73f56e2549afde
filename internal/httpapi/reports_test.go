package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/report"
)

// TestReportRoutes drives the report routes over a real SQLite store: who
// may read which report, the fields named for bad ranges and formats,
// JSON with every day present, and CSV downloads. The numbers themselves
// are checked in store's conformance suite and in e2e.
func TestReportRoutes(t *testing.T) {
	var agencies *mcn.Service
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		agencies = mcn.NewService(h.st, nil)
		c.Reports = report.NewService(report.Config{Repo: h.st, Rooms: h.rooms, Agencies: agencies, Agreements: h.st})
	})
	owner, shopID := h.shop("owner")
	otherOwner, _ := h.shop("other")
	rice, _ := h.product(owner, shopID, "Rice", 1990, 5)
	honey, _ := h.product(owner, shopID, "=Honey", 4500, 5)
	sessionID := h.session(owner, shopID, "Harvest", rice, honey).Session.ID
	host, manager, stranger := h.user("host"), h.user("manager"), h.user("stranger")
	agency, err := agencies.Create(h.ctx, manager, "Star Agency")
	if err != nil {
		t.Fatal(err)
	}
	admin := h.user("admin")
	if err := h.accounts.SetAdmin(h.ctx, account.System(), admin.ID(), true); err != nil {
		t.Fatal(err)
	}
	ownerTok, otherTok, hostTok, managerTok, strangerTok, adminTok :=
		h.token(owner), h.token(otherOwner), h.token(host), h.token(manager), h.token(stranger), h.token(admin)

	invalid := apperr.HTTPStatus(apperr.Invalid)
	shop := "/shops/" + shopID + "/report"
	checks := []struct {
		name, path, auth string
		status           int
		field            string
	}{
		{"anonymous", shop, "", 401, ""},
		{"a shop you do not belong to", shop, otherTok, 403, ""},
		{"a host of no shop", shop, hostTok, 403, ""},
		{"backwards", shop + "?from=2026-11-30&to=2026-11-01", ownerTok, invalid, "from"},
		{"longer than a year", shop + "?from=2025-01-01&to=2026-01-02", ownerTok, invalid, "to"},
		{"a year", shop + "?from=2025-01-01&to=2026-01-01", ownerTok, 200, ""},
		{"a malformed from", shop + "?from=1%2F11%2F2026", ownerTok, invalid, "from"},
		{"a malformed to", shop + "?to=2026-11-31", ownerTok, invalid, "to"},
		{"an unknown format", shop + "?format=xlsx", ownerTok, invalid, "format"},
		{"a stranger with a bad range is still refused", shop + "?from=x", strangerTok, 403, ""},
		{"shop as an admin", shop, adminTok, 200, ""},
		{"unknown shop as an admin", "/shops/shp_missing/report", adminTok, 404, ""},
		{"session as its shop", "/live-sessions/" + sessionID + "/report", ownerTok, 200, ""},
		{"session as another shop", "/live-sessions/" + sessionID + "/report", otherTok, 403, ""},
		{"unknown session", "/live-sessions/ses_missing/report", ownerTok, 404, ""},
		{"host as themselves", "/hosts/" + host.ID() + "/report", hostTok, 200, ""},
		{"host as an admin", "/hosts/" + host.ID() + "/report", adminTok, 200, ""},
		{"host as a stranger", "/hosts/" + host.ID() + "/report", strangerTok, 403, ""},
		{"host as a manager of another agency", "/hosts/" + host.ID() + "/report", managerTok, 403, ""},
		{"host as themselves, backwards", "/hosts/" + host.ID() + "/report?from=2026-02-02&to=2026-02-01", hostTok, invalid, "from"},
		{"agency as its manager", "/mcns/" + agency.ID + "/report", managerTok, 200, ""},
		{"agency as a stranger", "/mcns/" + agency.ID + "/report", strangerTok, 403, ""},
		{"unknown agency", "/mcns/mcn_missing/report", adminTok, 404, ""},
		{"platform as an admin", "/admin/report", adminTok, 200, ""},
		{"platform as a shop owner", "/admin/report", ownerTok, 403, ""},
		{"platform, too long", "/admin/report?from=2020-01-01&to=2026-01-01", adminTok, invalid, "to"},
	}
	for _, c := range checks {
		status, out, raw := h.call("GET", c.path, c.auth, "")
		if status != c.status || errField(out) != c.field {
			t.Errorf("%s: GET %s: %d %.200s, want %d field %q", c.name, c.path, status, raw, c.status, c.field)
		}
	}

	// JSON: the default range is the last 30 days, every day present.
	_, out, raw := h.call("GET", shop, ownerTok, "")
	days, _ := out["days"].([]any)
	today := time.Now().UTC().Format("2006-01-02")
	if len(days) != report.DefaultDays || out["to"] != today || out["currency"] != "CNY" || out["shop_name"] != "Farm" {
		t.Fatalf("shop report: %.300s", raw)
	}
	if last := days[len(days)-1].(map[string]any); last["day"] != today || last["gmv_minor"] != 0.0 {
		t.Fatalf("last day %v", last)
	}
	if _, ok := out["totals"].(map[string]any); !ok || out["top_products"] == nil || out["sessions"] == nil {
		t.Fatalf("shop report lists: %.300s", raw)
	}

	// CSV downloads: a header row and one row per day (per product for a session).
	tests := []struct {
		name, path, auth, filename string
		header                     []string
		rows                       int
	}{
		{"shop", shop + "?from=2026-11-01&to=2026-11-30&format=csv", ownerTok, "shop-" + shopID + "-2026-11-01-2026-11-30.csv",
			[]string{"day", "orders", "units", "gmv", "platform_fee", "commission", "merchant_net", "currency"}, 30},
		{"host", "/hosts/" + host.ID() + "/report?from=2026-02-01&to=2026-02-28&format=csv", hostTok, "host-" + host.ID() + "-2026-02-01-2026-02-28.csv",
			[]string{"day", "sessions", "views", "orders", "gmv", "commission", "mcn_share", "currency"}, 28},
		{"agency", "/mcns/" + agency.ID + "/report?from=2026-11-01&to=2026-11-01&format=csv", managerTok, "mcn-" + agency.ID + "-2026-11-01-2026-11-01.csv",
			[]string{"day", "orders", "gmv", "host_commission", "mcn_share", "currency"}, 1},
		{"platform", "/admin/report?from=2028-01-01&to=2028-12-31&format=csv", adminTok, "platform-2028-01-01-2028-12-31.csv",
			[]string{"day", "active_users", "viewing_hours", "sessions_started", "orders", "gmv", "currency"}, 366},
		{"session", "/live-sessions/" + sessionID + "/report?format=csv", ownerTok, "session-" + sessionID + ".csv",
			[]string{"product_id", "title", "clicks", "paid_orders", "units", "gmv", "currency"}, 2},
	}
	for _, tt := range tests {
		t.Run("csv "+tt.name, func(t *testing.T) {
			resp := getRaw(t, h, tt.path, tt.auth)
			defer resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil || disp != "attachment" || params["filename"] != tt.filename {
				t.Fatalf("Content-Disposition %q (%v), want attachment %s", resp.Header.Get("Content-Disposition"), err, tt.filename)
			}
			rows, err := csv.NewReader(resp.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tt.rows+1 || strings.Join(rows[0], ",") != strings.Join(tt.header, ",") {
				t.Fatalf("%d rows, header %v", len(rows), rows[0])
			}
			if tt.name == "session" {
				// Products the room never sold still have a row; a title
				// that looks like a formula is defused.
				titles := fmt.Sprint(rows[1][1], rows[2][1])
				if !strings.Contains(titles, "Rice") || !strings.Contains(titles, "'=Honey") || rows[1][5] != "0.00" {
					t.Fatalf("session rows %v", rows[1:])
				}
			}
		})
	}
	// A refusal stays JSON even when CSV was asked for.
	status, out, _ := h.call("GET", shop+"?format=csv", strangerTok, "")
	if status != 403 || out["error"] == nil {
		t.Fatalf("a refused CSV: %d %v", status, out)
	}
}

func getRaw(t *testing.T, h *apiHarness, path, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(h.ctx, "GET", h.srv.URL+"/api/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { io.Copy(io.Discard, resp.Body); resp.Body.Close() })
	return resp
}
