package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestReports sells in a live room through the real binary (a host in an
// agency, orders paid, cancelled and refunded) and reads the shop, host,
// agency, session and platform reports: their numbers, a CSV download
// that matches the JSON, bad ranges and strangers.
func TestReports(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testReports(t, d) })
	}
}

func testReports(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "standard") // fee 5%; the rice sells at 100.00 with a 20% commission
	host, manager, stranger := p.srv.Client(), p.srv.Client(), p.srv.Client()
	hostEmail := uniqueEmail("host")
	host.SignUp(hostEmail, "host-password")
	manager.SignUp(uniqueEmail("manager"), "manager-password")
	stranger.SignUp(uniqueEmail("stranger"), "stranger-password")
	me := host.Must(200, "POST", "/api/v1/me/host", nil).Map(t)
	hostID := me["user"].(map[string]any)["id"].(string)

	// The host signs with an agency that keeps 25% of their commission.
	agency := manager.Must(201, "POST", "/api/v1/mcns", map[string]any{"name": "Star Agency " + d}).Map(t)
	mcnID := agency["id"].(string)
	manager.Must(201, "POST", "/api/v1/mcns/"+mcnID+"/hosts", map[string]any{"email": hostEmail, "mcn_share_bps": 2500})
	host.Must(204, "POST", "/api/v1/me/agencies/"+mcnID+"/accept", nil)

	st := p.merchant.Must(201, "POST", "/api/v1/shops/"+p.shopID+"/live-sessions", map[string]any{
		"title": "Harvest", "product_ids": []string{p.productID}, "host_id": hostID}).Map(t)
	roomID := st["session"].(map[string]any)["id"].(string)

	// Days are UTC; the range covers yesterday too in case the test runs
	// across midnight.
	today := time.Now().UTC()
	from, to := today.AddDate(0, 0, -1).Format("2006-01-02"), today.Format("2006-01-02")
	rng := "?from=" + from + "&to=" + to

	order := func(qty int, key string) string {
		o := p.buyer.Must(201, "POST", "/api/v1/orders", map[string]any{
			"items": []map[string]any{{"sku_id": p.skuID, "quantity": qty}}, "address": address,
			"attribution": map[string]any{"room_id": roomID}}, "Idempotency-Key", key).Map(t)
		return o["id"].(string)
	}
	p.payOnSandboxPage(t, order(2, "r1"), "succeed")
	p.payOnSandboxPage(t, order(1, "r2"), "succeed")
	p.buyer.Must(200, "POST", "/api/v1/orders/"+order(1, "r3")+"/cancel", map[string]any{"reason": "changed my mind"})
	refunded := order(1, "r4")
	p.payOnSandboxPage(t, refunded, "succeed")
	p.merchant.Must(200, "POST", "/api/v1/orders/"+refunded+"/refund", map[string]any{"reason": "damaged"})

	// Paid: 3 bags at 100.00. Fee 5% = 15.00; commission 20% = 60.00, of
	// which the agency keeps 15.00 and the host 45.00; the shop nets 225.00.
	const gmv, fee, commission, share, net = 30000.0, 1500.0, 6000.0, 1500.0, 22500.0

	shop := p.merchant.Must(200, "GET", "/api/v1/shops/"+p.shopID+"/report"+rng, nil).Map(t)
	wantNums(t, "shop totals", shop["totals"], map[string]float64{"orders": 2, "units": 3, "gmv_minor": gmv, "platform_fee_minor": fee,
		"commission_minor": commission, "merchant_net_minor": net})
	if days := shop["days"].([]any); len(days) != 2 || days[1].(map[string]any)["day"] != to {
		t.Fatalf("shop days %v", days)
	}
	top := shop["top_products"].([]any)
	sessions := shop["sessions"].([]any)
	if len(top) != 1 || len(sessions) != 1 || sessions[0].(map[string]any)["session_id"] != roomID {
		t.Fatalf("shop lists: top %v sessions %v", top, sessions)
	}
	wantNums(t, "top product", top[0], map[string]float64{"orders": 2, "units": 3, "gmv_minor": gmv})
	wantNums(t, "session sales", sessions[0], map[string]float64{"orders": 2, "gmv_minor": gmv})

	hostRep := host.Must(200, "GET", "/api/v1/hosts/"+hostID+"/report"+rng, nil).Map(t)
	wantNums(t, "host totals", hostRep["totals"], map[string]float64{"orders": 2, "gmv_minor": gmv, "commission_minor": commission - share,
		"mcn_share_minor": share})
	manager.Must(200, "GET", "/api/v1/hosts/"+hostID+"/report"+rng, nil) // the host's agency may read it too

	mcnRep := manager.Must(200, "GET", "/api/v1/mcns/"+mcnID+"/report"+rng, nil).Map(t)
	wantNums(t, "agency totals", mcnRep["totals"], map[string]float64{"orders": 2, "gmv_minor": gmv, "host_commission_minor": commission - share,
		"mcn_share_minor": share})
	hosts := mcnRep["hosts"].([]any)
	if len(hosts) != 1 || hosts[0].(map[string]any)["host_id"] != hostID || hosts[0].(map[string]any)["status"] != "active" {
		t.Fatalf("agency hosts %v", hosts)
	}
	wantNums(t, "agency host", hosts[0], map[string]float64{"orders": 2, "gmv_minor": gmv, "mcn_share_minor": share})

	ses := host.Must(200, "GET", "/api/v1/live-sessions/"+roomID+"/report", nil).Map(t)
	wantNums(t, "session", ses, map[string]float64{"paid_orders": 2, "paid_buyers": 1, "units": 3, "gmv_minor": gmv, "platform_fee_minor": fee,
		"host_commission_minor": commission - share, "mcn_share_minor": share, "merchant_net_minor": net})

	platform := p.admin.Must(200, "GET", "/api/v1/admin/report"+rng, nil).Map(t)
	wantNums(t, "platform totals", platform["totals"], map[string]float64{"orders": 2, "gmv_minor": gmv})
	channels := platform["top_channels_by_gmv"].([]any) // a fresh_produce shop is in foodie
	if len(channels) != 1 || channels[0].(map[string]any)["code"] != "foodie" {
		t.Fatalf("channels by GMV %v", channels)
	}

	// The CSV download is the JSON's days, money as decimals.
	r := p.merchant.Must(200, "GET", "/api/v1/shops/"+p.shopID+"/report"+rng+"&format=csv", nil)
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || err != nil ||
		params["filename"] != fmt.Sprintf("shop-%s-%s-%s.csv", p.shopID, from, to) {
		t.Fatalf("CSV headers %v", r.Header)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, r.Body)
	}
	days := shop["days"].([]any)
	if len(rows) != len(days)+1 || strings.Join(rows[0], ",") != "day,orders,units,gmv,platform_fee,commission,merchant_net,currency" {
		t.Fatalf("CSV rows %v", rows)
	}
	for i, row := range rows[1:] {
		day := days[i].(map[string]any)
		want := []string{day["day"].(string), fmt.Sprint(day["orders"]), fmt.Sprint(day["units"]), decimal(day["gmv_minor"]),
			decimal(day["platform_fee_minor"]), decimal(day["commission_minor"]), decimal(day["merchant_net_minor"]), "CNY"}
		if strings.Join(row, ",") != strings.Join(want, ",") {
			t.Errorf("CSV row %d = %v, want %v", i, row, want)
		}
	}

	// Bad ranges name their field; strangers are refused.
	for _, c := range []struct{ query, field string }{
		{"?from=" + to + "&to=" + from, "from"},
		{"?from=2024-01-01&to=2025-01-02", "to"},
		{"?from=yesterday", "from"},
	} {
		r := p.merchant.Do("GET", "/api/v1/shops/"+p.shopID+"/report"+c.query, nil)
		if code, field := r.ErrorField(t); r.Status/100 != 4 || code != "invalid" || field != c.field {
			t.Errorf("range %s: %d %s %s, want invalid %s", c.query, r.Status, code, field, c.field)
		}
	}
	for _, path := range []string{"/shops/" + p.shopID + "/report", "/hosts/" + hostID + "/report", "/mcns/" + mcnID + "/report",
		"/live-sessions/" + roomID + "/report", "/admin/report"} {
		stranger.Must(403, "GET", "/api/v1"+path, nil)
	}
	host.Must(403, "GET", "/api/v1/shops/"+p.shopID+"/report", nil) // selling for a shop is not running it
}

// wantNums checks number fields of a JSON object.
func wantNums(t *testing.T, what string, obj any, want map[string]float64) {
	t.Helper()
	m, _ := obj.(map[string]any)
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: %s = %v, want %v (%v)", what, k, m[k], v, m)
		}
	}
}

// decimal renders a JSON number of fen as yuan.
func decimal(v any) string {
	f := int64(v.(float64))
	return fmt.Sprintf("%d.%02d", f/100, f%100)
}
