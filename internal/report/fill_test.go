package report

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/mcn"
)

func mustRange(t *testing.T, from, to string) Range {
	t.Helper()
	r, err := ParseRange(from, to, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFillDays(t *testing.T) {
	r := mustRange(t, "2026-10-30", "2026-11-02")
	rows := []ShopDay{
		{Day: "2026-11-01", Orders: 1, GMVMinor: 100, MerchantNetMinor: 95},
		{Day: "2026-10-30", Orders: 2, GMVMinor: 300},
		{Day: "2026-11-01", Orders: 1, GMVMinor: 50}, // the same day twice: added up
		{Day: "2026-12-25", Orders: 9, GMVMinor: 9},  // outside the range: ignored
	}
	days, total := fillDays(r, rows)
	want := []ShopDay{
		{Day: "2026-10-30", Orders: 2, GMVMinor: 300},
		{Day: "2026-10-31"},
		{Day: "2026-11-01", Orders: 2, GMVMinor: 150, MerchantNetMinor: 95},
		{Day: "2026-11-02"},
	}
	if len(days) != len(want) {
		t.Fatalf("days = %+v", days)
	}
	for i := range want {
		if days[i] != want[i] {
			t.Errorf("day %d = %+v, want %+v", i, days[i], want[i])
		}
	}
	if (total != ShopDay{Orders: 4, GMVMinor: 450, MerchantNetMinor: 95}) {
		t.Errorf("total = %+v", total)
	}
	empty, zero := fillDays[HostDay](r, nil)
	if len(empty) != 4 || empty[3].Day != "2026-11-02" || (zero != HostDay{}) {
		t.Errorf("no rows: %+v, total %+v", empty, zero)
	}
}

func TestBuildPlatform(t *testing.T) {
	r := mustRange(t, "2026-11-01", "2026-11-02")
	rep := buildPlatform(r, PlatformData{
		Days: []PlatformDay{{Day: "2026-11-01", ActiveUsers: 3, WatchSeconds: 5400, Orders: 2, GMVMinor: 1000},
			{Day: "2026-11-02", WatchSeconds: 1800, SessionsStarted: 1}},
		ShopKinds: []ShopKindSales{
			{Category: "food", Programme: "rural", Orders: 2, GMVMinor: 1000}, // foodie and rural
			{Category: "fresh_produce", Programme: "standard", Orders: 1, GMVMinor: 500},
			{Category: "beauty", Programme: "standard", Orders: 1, GMVMinor: 1000},
			{Category: "other", Programme: "standard", Orders: 5, GMVMinor: 9999}, // in no channel
		},
		WatchByDim: map[string]int64{"tech": 7200, "fashion": 7200, "shp_123": 99999, "health": 0},
	})
	if rep.Currency != "CNY" || rep.Days[0].ViewingHours != 1.5 || rep.Days[1].ViewingHours != 0.5 || rep.Totals.ViewingHours != 2 ||
		rep.Totals.ActiveUsers != 3 || rep.Totals.SessionsStarted != 1 || rep.Totals.GMVMinor != 1000 {
		t.Fatalf("days %+v totals %+v", rep.Days, rep.Totals)
	}
	wantGMV := []ChannelGMV{{"foodie", "Foodie", 3, 1500}, {"rural", "Rural / Village Live", 2, 1000}, {"fashion", "Fashion", 1, 1000}}
	if len(rep.TopChannelsByGMV) != len(wantGMV) {
		t.Fatalf("by GMV %+v", rep.TopChannelsByGMV)
	}
	for i, w := range wantGMV {
		if rep.TopChannelsByGMV[i] != w {
			t.Errorf("by GMV %d = %+v, want %+v", i, rep.TopChannelsByGMV[i], w)
		}
	}
	// Ties keep the channels' display order; shop-id dims and zeros are left out.
	if v := rep.TopChannelsByViewing; len(v) != 2 || v[0].Code != "fashion" || v[1].Code != "tech" || v[0].ViewingHours != 2 {
		t.Fatalf("by viewing %+v", v)
	}
}

func TestWithRosterAndRankings(t *testing.T) {
	hosts := withRoster([]MCNHost{{HostID: "usr_b", HostName: "Bo", GMVMinor: 100}, {HostID: "usr_gone", HostName: "Gone", GMVMinor: 500}},
		[]mcn.Agreement{{HostID: "usr_b", HostName: "Bo", Status: mcn.Active}, {HostID: "usr_a", HostName: "Ai", Status: mcn.Active},
			{HostID: "usr_c", HostName: "Cy", Status: mcn.Invited}})
	got := []string{}
	for _, h := range hosts {
		got = append(got, h.HostID+":"+h.Status)
	}
	want := []string{"usr_gone:", "usr_b:active", "usr_a:active"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("hosts %v, want %v", got, want)
	}

	var ps []ProductSales
	for i := range 12 {
		ps = append(ps, ProductSales{ProductID: string(rune('a' + i)), GMVMinor: int64(i % 4)})
	}
	top := topProducts(ps, TopProducts)
	if len(top) != TopProducts || top[0].ProductID != "d" || top[1].ProductID != "h" || top[2].ProductID != "l" || top[3].ProductID != "c" {
		t.Fatalf("top %+v", top)
	}
	if got := topProducts(nil, TopProducts); got == nil || len(got) != 0 {
		t.Fatalf("no products: %#v", got)
	}

	t1, t2 := time.UnixMilli(1000), time.UnixMilli(2000)
	ss := rankSessions([]SessionSales{{SessionID: "s1", StartedAt: &t1, GMVMinor: 5}, {SessionID: "s2", StartedAt: &t2, GMVMinor: 5},
		{SessionID: "s3", GMVMinor: 9}, {SessionID: "s0"}})
	if ss[0].SessionID != "s3" || ss[1].SessionID != "s2" || ss[2].SessionID != "s1" || ss[3].SessionID != "s0" {
		t.Fatalf("sessions %+v", ss)
	}

	sr := SessionReport{Views: 3, PaidBuyers: 1, Products: []SessionProduct{{ProductID: "b", Clicks: 5}, {ProductID: "a", GMVMinor: 1}, {ProductID: "c", Clicks: 5}}}
	finishSession(&sr)
	if sr.Conversion != 0.3333 || sr.Currency != "CNY" || sr.Products[0].ProductID != "a" || sr.Products[1].ProductID != "b" || sr.Products[2].ProductID != "c" {
		t.Fatalf("session %+v", sr)
	}
}
