package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestCSV(t *testing.T) {
	tests := []struct {
		name     string
		rep      CSV
		filename string
		want     [][]string
	}{
		{"shop: one row per day, money as decimals",
			ShopReport{ShopID: "shp_1", From: "2026-11-01", To: "2026-11-02", Currency: "CNY", Days: []ShopDay{
				{Day: "2026-11-01", Orders: 2, Units: 3, GMVMinor: 12345, PlatformFeeMinor: 617, CommissionMinor: 1235, MerchantNetMinor: 10493},
				{Day: "2026-11-02"}}},
			"shop-shp_1-2026-11-01-2026-11-02.csv",
			[][]string{{"day", "orders", "units", "gmv", "platform_fee", "commission", "merchant_net", "currency"},
				{"2026-11-01", "2", "3", "123.45", "6.17", "12.35", "104.93", "CNY"},
				{"2026-11-02", "0", "0", "0.00", "0.00", "0.00", "0.00", "CNY"}}},
		{"host: a currency without minor units",
			HostReport{HostID: "usr_1", From: "2026-11-01", To: "2026-11-01", Currency: "JPY", Days: []HostDay{
				{Day: "2026-11-01", Sessions: 1, Views: 40, Orders: 2, GMVMinor: 5000, CommissionMinor: 400, MCNShareMinor: 100}}},
			"host-usr_1-2026-11-01-2026-11-01.csv",
			[][]string{{"day", "sessions", "views", "orders", "gmv", "commission", "mcn_share", "currency"},
				{"2026-11-01", "1", "40", "2", "5000", "400", "100", "JPY"}}},
		{"mcn",
			MCNReport{MCNID: "mcn_1", From: "2026-11-01", To: "2026-11-01", Currency: "CNY", Days: []MCNDay{
				{Day: "2026-11-01", Orders: 1, GMVMinor: 1990, HostCommissionMinor: 160, MCNShareMinor: 39}}},
			"mcn-mcn_1-2026-11-01-2026-11-01.csv",
			[][]string{{"day", "orders", "gmv", "host_commission", "mcn_share", "currency"},
				{"2026-11-01", "1", "19.90", "1.60", "0.39", "CNY"}}},
		{"platform: viewing hours with two decimals",
			PlatformReport{From: "2026-11-01", To: "2026-11-01", Currency: "CNY", Days: []PlatformDay{
				{Day: "2026-11-01", ActiveUsers: 7, WatchSeconds: 5400, ViewingHours: 1.5, SessionsStarted: 2, Orders: 3, GMVMinor: 100}}},
			"platform-2026-11-01-2026-11-01.csv",
			[][]string{{"day", "active_users", "viewing_hours", "sessions_started", "orders", "gmv", "currency"},
				{"2026-11-01", "7", "1.50", "2", "3", "1.00", "CNY"}}},
		{"session: one row per product; quotes, commas and formulas are safe",
			SessionReport{SessionID: "ses/../1", Currency: "CNY", Products: []SessionProduct{
				{ProductID: "prd_1", Title: `Rice, "new" crop`, Clicks: 9, PaidOrders: 2, Units: 3, GMVMinor: 5970},
				{ProductID: "prd_2", Title: "=HYPERLINK(\"x\")", Clicks: 1}}},
			"session-ses1.csv",
			[][]string{{"product_id", "title", "clicks", "paid_orders", "units", "gmv", "currency"},
				{"prd_1", `Rice, "new" crop`, "9", "2", "3", "59.70", "CNY"},
				{"prd_2", "'=HYPERLINK(\"x\")", "1", "0", "0", "0.00", "CNY"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rep.WriteCSV(&buf); err != nil {
				t.Fatal(err)
			}
			got, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatalf("written CSV does not parse: %v\n%s", err, buf.String())
			}
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Fatalf("rows:\n%q\nwant\n%q", got, tt.want)
			}
			if f := tt.rep.Filename(); f != tt.filename {
				t.Fatalf("filename %q, want %q", f, tt.filename)
			}
		})
	}
}
