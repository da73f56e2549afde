package store_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/report"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// The report suite's world is written with fixed ids and times (not
// through the services, whose ids are random) so that the reports of
// both databases can be compared as JSON, byte for byte. Expectations are
// worked out in Go from the same fixture values, without SQL.

// rpD0 is the first day of the reports' range: 2026-11-01 UTC.
var rpD0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

const rpHour = int64(time.Hour / time.Millisecond)

func rpAt(day int, hour int64) int64 { return rpD0 + int64(day)*report.DayMillis + hour*rpHour }

type rpProduct struct {
	shop, title   string
	price         int64
	commissionBPS int
}

var rpProducts = map[string]rpProduct{
	"prd_rice":  {"shp_a", "Rice", 1990, 1000},
	"prd_honey": {"shp_a", "Honey", 4500, 500},
	"prd_soy":   {"shp_a", "Soybeans", 1200, 0},
	"prd_serum": {"shp_b", "Serum", 9900, 2000},
}

// rpFeeBPS is each shop's platform fee as the split used it.
var rpFeeBPS = map[string]int{"shp_a": 300, "shp_b": 500}

type rpLine struct {
	product string
	qty     int64
}

type rpOrder struct {
	id, buyer, shop, status string
	paidAt                  int64 // 0: never paid
	room, host, mcn         string
	shareBPS                int
	lines                   []rpLine
}

var rpOrders = []rpOrder{
	{"ord_01", "usr_b1", "shp_a", "paid", rpAt(0, 11), "ses_1", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 2}, {"prd_honey", 1}}},
	{"ord_02", "usr_b2", "shp_a", "completed", rpAt(0, 11) + 30*60000, "ses_1", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 1}}},
	{"ord_03", "usr_b1", "shp_a", "refunded", rpAt(0, 11) + 45*60000, "ses_1", "usr_host", "mcn_1", 2000, []rpLine{{"prd_honey", 2}}},
	{"ord_04", "usr_b2", "shp_a", "cancelled", 0, "ses_1", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 5}}},
	{"ord_05", "usr_b1", "shp_a", "shipped", rpAt(2, 21), "ses_2", "usr_host", "mcn_1", 2000, []rpLine{{"prd_honey", 3}}},
	{"ord_06", "usr_b2", "shp_a", "delivered", rpAt(3, 1), "ses_old", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 1}}},
	{"ord_07", "usr_b1", "shp_a", "paid", rpAt(4, 8), "", "", "", 0, []rpLine{{"prd_rice", 4}}},
	{"ord_08", "usr_b2", "shp_b", "paid", rpAt(1, 10), "ses_3", "", "", 0, []rpLine{{"prd_serum", 1}}},
	{"ord_09", "usr_b1", "shp_a", "paid", rpD0 - 1, "ses_1", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 1}}}, // the day before
	{"ord_10", "usr_b1", "shp_a", "paid", rpAt(7, 0), "", "usr_host", "mcn_1", 2000, []rpLine{{"prd_honey", 1}}},   // the day after
	{"ord_11", "usr_b2", "shp_a", "paid", rpAt(7, 0) - 1, "", "usr_host", "mcn_1", 2000, []rpLine{{"prd_honey", 1}}},
	{"ord_12", "usr_b1", "shp_a", "pending_payment", 0, "ses_2", "usr_host", "mcn_1", 2000, []rpLine{{"prd_rice", 1}}},
	{"ord_13", "usr_b2", "shp_b", "paid", rpAt(5, 12), "", "usr_host2", "mcn_1", 1000, []rpLine{{"prd_serum", 2}}},
}

type rpSession struct {
	id, shop, host, title, status string
	started, ended                int64 // 0: not yet
	shelf                         []string
}

var rpSessions = []rpSession{
	{"ses_1", "shp_a", "usr_host", "Harvest", "replay", rpAt(0, 10), rpAt(0, 12), []string{"prd_rice", "prd_honey", "prd_soy"}},
	{"ses_2", "shp_a", "usr_host", "Honey hour", "live", rpAt(2, 20), 0, []string{"prd_honey"}},
	{"ses_3", "shp_b", "", "Glow up", "ended", rpAt(1, 9), rpAt(1, 10), []string{"prd_serum"}},
	{"ses_old", "shp_a", "usr_host", "Last month", "replay", rpAt(-3, 10), rpAt(-3, 11), []string{"prd_rice"}},
	{"ses_sched", "shp_a", "usr_host", "Tomorrow", "scheduled", 0, 0, nil},
}

// rpViews are analytics_room_totals.views per session.
var rpViews = map[string]int64{"ses_1": 120, "ses_2": 30, "ses_3": 10, "ses_old": 55}

func rpPaid(status string) bool {
	return status == "paid" || status == "shipped" || status == "delivered" || status == "completed"
}

func rpSplit(o rpOrder, l rpLine) (int64, order.Split) {
	p := rpProducts[l.product]
	total := p.price * l.qty
	return total, order.SplitLine(total, rpFeeBPS[o.shop], p.commissionBPS, o.host != "", o.shareBPS)
}

func rpFixture() []store.FixtureRow {
	var rows []store.FixtureRow
	add := func(sql string, args ...any) { rows = append(rows, store.FixtureRow{SQL: sql, Args: args}) }
	t0 := rpD0 - 30*report.DayMillis
	for _, u := range []struct {
		id, name string
		admin    bool
	}{{"usr_owner", "Olga", false}, {"usr_staff", "Sam", false}, {"usr_owner_b", "Bea", false}, {"usr_host", "Hana", false},
		{"usr_host2", "Ivan", false}, {"usr_host3", "Jun", false}, {"usr_mgr", "Mia", false}, {"usr_mgr2", "Max", false},
		{"usr_b1", "Buyer One", false}, {"usr_b2", "Buyer Two", false}, {"usr_admin", "Ada", true}, {"usr_stranger", "Stan", false}} {
		add(`INSERT INTO users (id, email, password_hash, display_name, is_admin, is_host, created_at) VALUES ($1, $2, 'x', $3, $4, $5, $6)`,
			u.id, u.id+"@example.com", u.name, u.admin, strings.HasPrefix(u.id, "usr_host"), t0)
	}
	add(`INSERT INTO shops (id, owner_id, name, category, region, county, programme, fee_override_bps, status, created_at)
		VALUES ('shp_a', 'usr_owner', 'Black Soil Farm', 'food', 'Heilongjiang', 'Wuchang', 'rural', 300, 'approved', $1)`, t0)
	add(`INSERT INTO shops (id, owner_id, name, category, region, programme, status, created_at)
		VALUES ('shp_b', 'usr_owner_b', 'Glow', 'beauty', 'Shanghai', 'standard', 'approved', $1)`, t0)
	for _, m := range [][3]string{{"shp_a", "usr_owner", "owner"}, {"shp_a", "usr_staff", "staff"}, {"shp_b", "usr_owner_b", "owner"}} {
		add(`INSERT INTO shop_members (shop_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`, m[0], m[1], m[2], t0)
	}
	add(`INSERT INTO mcns (id, name, manager_id, created_at) VALUES ('mcn_1', 'Star Agency', 'usr_mgr', $1)`, t0)
	add(`INSERT INTO mcns (id, name, manager_id, created_at) VALUES ('mcn_2', 'Other Agency', 'usr_mgr2', $1)`, t0)
	for _, h := range []struct {
		host   string
		share  int
		status string
	}{{"usr_host", 2000, "active"}, {"usr_host2", 1000, "active"}, {"usr_host3", 1500, "active"}} {
		add(`INSERT INTO mcn_hosts (mcn_id, host_id, mcn_share_bps, status, created_at) VALUES ('mcn_1', $1, $2, $3, $4)`, h.host, h.share, h.status, t0)
	}
	add(`INSERT INTO mcn_hosts (mcn_id, host_id, mcn_share_bps, status, created_at) VALUES ('mcn_2', 'usr_host', 500, 'ended', $1)`, t0)
	for _, id := range slices.Sorted(maps.Keys(rpProducts)) {
		p := rpProducts[id]
		add(`INSERT INTO products (id, shop_id, title, commission_bps, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'active', $5, $5)`,
			id, p.shop, p.title, p.commissionBPS, t0)
		add(`INSERT INTO skus (id, product_id, shop_id, code, price_minor, currency, stock, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 'CNY', 100, $6, $6)`, "sku_"+id[4:], id, p.shop, id, p.price, t0)
	}
	null := func(ms int64) any {
		if ms == 0 {
			return nil
		}
		return ms
	}
	for _, s := range rpSessions {
		add(`INSERT INTO live_sessions (id, shop_id, host_id, title, planned_start, status, started_at, ended_at, stream_key, stream_key_hash,
			created_at, peak_viewers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			s.id, s.shop, nullString(s.host), s.title, t0, s.status, null(s.started), null(s.ended), "key_"+s.id, "hash_"+s.id, t0, 80)
		for i, p := range s.shelf {
			add(`INSERT INTO live_session_products (session_id, product_id, position) VALUES ($1, $2, $3)`, s.id, p, i+1)
		}
	}
	for _, o := range rpOrders {
		var total int64
		for _, l := range o.lines {
			lt, _ := rpSplit(o, l)
			total += lt
		}
		add(`INSERT INTO orders (id, user_id, shop_id, status, currency, total_minor, ship_to, expires_at, paid_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'CNY', $5, '{}', $6, $7, $6, $6)`, o.id, o.buyer, o.shop, o.status, total, t0, null(o.paidAt))
		for i, l := range o.lines {
			lt, sp := rpSplit(o, l)
			p := rpProducts[l.product]
			add(`INSERT INTO order_lines (id, order_id, sku_id, product_id, title, sku_attributes, unit_price_minor, quantity, line_total_minor,
				commission_bps, source, room_id, host_id, mcn_id, mcn_share_bps, platform_fee_minor, host_commission_minor, mcn_share_minor,
				merchant_net_minor) VALUES ($1, $2, $3, $4, $5, '{}', $6, $7, $8, $9, 'live', $10, $11, $12, $13, $14, $15, $16, $17)`,
				o.id+"_"+string(rune('a'+i)), o.id, "sku_"+l.product[4:], l.product, p.title, p.price, l.qty, lt, p.commissionBPS,
				nullString(o.room), nullString(o.host), nullString(o.mcn), o.shareBPS, sp.PlatformFee, sp.HostCommission, sp.MCNShare, sp.MerchantNet)
		}
	}
	// The analytics roll-ups, as the pipeline would have left them.
	for _, id := range slices.Sorted(maps.Keys(rpViews)) {
		add(`INSERT INTO analytics_room_totals (session_id, views, viewers_signed_in, likes, watch_seconds, product_clicks, buy_clicks,
			new_followers, orders, paid_orders, gmv_minor, currency, updated_at) VALUES ($1, $2, 40, 300, 7290, 50, 12, 5, 4, 999, 999, 'CNY', $3)`,
			id, rpViews[id], t0)
	}
	add(`INSERT INTO analytics_room_products (session_id, product_id, clicks, orders, units, gmv_minor) VALUES ('ses_1', 'prd_rice', 30, 9, 9, 999)`)
	add(`INSERT INTO analytics_room_products (session_id, product_id, clicks, orders, units, gmv_minor) VALUES ('ses_1', 'prd_honey', 15, 9, 9, 999)`)
	d0 := rpD0 / report.DayMillis
	for _, r := range []struct {
		day         int64
		metric, dim string
		value       int64
	}{
		{d0, "watch_seconds", "", 7290}, {d0 + 1, "watch_seconds", "", 1800}, {d0 + 2, "watch_seconds", "", 5400},
		{d0 - 1, "watch_seconds", "", 99999}, {d0 + 7, "watch_seconds", "", 99999}, // outside the range
		{d0, "watch_seconds", "foodie", 7290}, {d0, "watch_seconds", "rural", 7290}, {d0 + 2, "watch_seconds", "foodie", 5400},
		{d0 + 1, "watch_seconds", "fashion", 1800}, {d0, "watch_seconds", "shp_a", 7290}, {d0 - 1, "watch_seconds", "tech", 99999},
		{d0, "views", "", 185},
	} {
		add(`INSERT INTO analytics_daily (day, metric, dim, value) VALUES ($1, $2, $3, $4)`, r.day, r.metric, r.dim, r.value)
	}
	for _, u := range []struct {
		day  int64
		user string
	}{{d0, "usr_b1"}, {d0, "usr_b2"}, {d0, "usr_owner"}, {d0 + 1, "usr_b1"}, {d0 + 6, "usr_b2"}, {d0 - 1, "usr_b1"}, {d0 + 7, "usr_b1"}} {
		add(`INSERT INTO analytics_daily_users (day, user_id) VALUES ($1, $2)`, u.day, u.user)
	}
	return rows
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// rpExpect works a daily series out from the fixture: for every paid
// line in the range that keep accepts, add(day index, order, line).
func rpEach(keep func(rpOrder) bool, add func(day int, o rpOrder, total int64, sp order.Split, qty int64)) {
	for _, o := range rpOrders {
		if !rpPaid(o.status) || o.paidAt < rpD0 || o.paidAt >= rpAt(7, 0) || !keep(o) {
			continue
		}
		for _, l := range o.lines {
			total, sp := rpSplit(o, l)
			add(int((o.paidAt-rpD0)/report.DayMillis), o, total, sp, l.qty)
		}
	}
}

// distinctOrders counts orders per key.
type distinctOrders map[string]map[string]bool

func (d distinctOrders) add(key, orderID string) {
	if d[key] == nil {
		d[key] = map[string]bool{}
	}
	d[key][orderID] = true
}

func (d distinctOrders) n(key string) int64 { return int64(len(d[key])) }

func dayKey(i int) string { return report.DayString(rpD0/report.DayMillis + int64(i)) }

// TestConformanceReports builds one world and checks every report against
// sums worked out in Go, then that both databases give the same JSON.
func TestConformanceReports(t *testing.T) {
	t.Parallel()
	from, to := "2026-11-01", "2026-11-07"
	got := map[store.Dialect][]byte{}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		must(t, s.ExecReportFixture(ctx, rpFixture()))
		now := func() time.Time { return time.UnixMilli(rpAt(10, 0)).UTC() }
		rooms := room.NewService(room.Config{Repo: s, Now: now, Grace: time.Hour})
		t.Cleanup(rooms.Close)
		svc := report.NewService(report.Config{Repo: s, Rooms: rooms, Agencies: mcn.NewService(s, now), Agreements: s, Now: now})
		acct := account.NewService(s, now)
		actor := func(id string) account.Actor {
			a, err := acct.ActorFor(ctx, id)
			must(t, err)
			return a
		}
		owner, staff, ownerB, host, host2 := actor("usr_owner"), actor("usr_staff"), actor("usr_owner_b"), actor("usr_host"), actor("usr_host2")
		mgr, mgr2, admin, stranger := actor("usr_mgr"), actor("usr_mgr2"), actor("usr_admin"), actor("usr_stranger")
		all := map[string]any{}

		t.Run("session", func(t *testing.T) {
			rep, err := svc.Session(ctx, host, "ses_1")
			must(t, err)
			var want report.SessionReport
			buyers := map[string]bool{}
			orders := distinctOrders{}
			perProduct := map[string]*report.SessionProduct{}
			for _, o := range rpOrders {
				if o.room != "ses_1" || !rpPaid(o.status) {
					continue // the session report is the room's whole life, paid before the range (ord_09) included
				}
				buyers[o.buyer] = true
				orders.add("", o.id)
				for _, l := range o.lines {
					total, sp := rpSplit(o, l)
					want.Units += l.qty
					want.GMVMinor += total
					want.PlatformFeeMinor += sp.PlatformFee
					want.HostCommissionMinor += sp.HostCommission
					want.MCNShareMinor += sp.MCNShare
					want.MerchantNetMinor += sp.MerchantNet
					p := perProduct[l.product]
					if p == nil {
						p = &report.SessionProduct{}
						perProduct[l.product] = p
					}
					orders.add(l.product, o.id)
					p.Units += l.qty
					p.GMVMinor += total
				}
			}
			if rep.PaidOrders != orders.n("") || rep.PaidOrders != 3 || rep.PaidBuyers != int64(len(buyers)) || rep.Units != want.Units ||
				rep.GMVMinor != want.GMVMinor || rep.GMVMinor != 3980+4500+1990+1990 || rep.PlatformFeeMinor != want.PlatformFeeMinor ||
				rep.HostCommissionMinor != want.HostCommissionMinor || rep.MCNShareMinor != want.MCNShareMinor || rep.MerchantNetMinor != want.MerchantNetMinor {
				t.Errorf("money %+v, want %+v with %d orders", rep, want, orders.n(""))
			}
			if rep.GMVMinor != rep.PlatformFeeMinor+rep.HostCommissionMinor+rep.MCNShareMinor+rep.MerchantNetMinor {
				t.Errorf("the split does not add up to GMV: %+v", rep)
			}
			if rep.Views != 120 || rep.ViewersSignedIn != 40 || rep.Likes != 300 || rep.WatchMinutes != 121 || rep.ProductClicks != 50 ||
				rep.BuyClicks != 12 || rep.NewFollowers != 5 || rep.OrdersPlaced != 4 || rep.PeakViewers != 80 ||
				rep.Conversion != 0.0167 || rep.Currency != "CNY" || rep.Status != "replay" || rep.HostID != "usr_host" || rep.Title != "Harvest" {
				t.Errorf("audience %+v", rep)
			}
			if rep.StartedAt == nil || rep.StartedAt.UnixMilli() != rpAt(0, 10) || rep.EndedAt == nil || rep.EndedAt.UnixMilli() != rpAt(0, 12) {
				t.Errorf("times %v %v", rep.StartedAt, rep.EndedAt)
			}
			wantProducts := []report.SessionProduct{
				{ProductID: "prd_rice", Title: "Rice", Clicks: 30, PaidOrders: orders.n("prd_rice"), Units: perProduct["prd_rice"].Units, GMVMinor: perProduct["prd_rice"].GMVMinor},
				{ProductID: "prd_honey", Title: "Honey", Clicks: 15, PaidOrders: orders.n("prd_honey"), Units: perProduct["prd_honey"].Units, GMVMinor: perProduct["prd_honey"].GMVMinor},
				{ProductID: "prd_soy", Title: "Soybeans"},
			}
			if !slices.Equal(rep.Products, wantProducts) {
				t.Errorf("products %+v\nwant %+v", rep.Products, wantProducts)
			}
			for _, a := range []account.Actor{owner, staff, admin} {
				if _, err := svc.Session(ctx, a, "ses_1"); err != nil {
					t.Errorf("%s reading the session: %v", a.ID(), err)
				}
			}
			_, err = svc.Session(ctx, ownerB, "ses_1")
			wantErr(t, err, apperr.Forbidden, "")
			_, err = svc.Session(ctx, owner, "ses_missing")
			wantErr(t, err, apperr.NotFound, "")
			empty, err := svc.Session(ctx, owner, "ses_sched")
			must(t, err)
			if empty.Views != 0 || empty.GMVMinor != 0 || len(empty.Products) != 0 || empty.Conversion != 0 || empty.Currency != "CNY" {
				t.Errorf("a session with nothing yet: %+v", empty)
			}
			all["session"] = rep
		})

		t.Run("host", func(t *testing.T) {
			rep, err := svc.Host(ctx, host, "usr_host", from, to)
			must(t, err)
			want := make([]report.HostDay, 7)
			orders := distinctOrders{}
			for _, ses := range rpSessions {
				if ses.host == "usr_host" && ses.started >= rpD0 && ses.started < rpAt(7, 0) {
					i := int((ses.started - rpD0) / report.DayMillis)
					want[i].Sessions++
					want[i].Views += rpViews[ses.id]
				}
			}
			rpEach(func(o rpOrder) bool { return o.host == "usr_host" }, func(i int, o rpOrder, total int64, sp order.Split, _ int64) {
				orders.add(dayKey(i), o.id)
				want[i].GMVMinor += total
				want[i].CommissionMinor += sp.HostCommission
				want[i].MCNShareMinor += sp.MCNShare
			})
			var total report.HostDay
			for i := range want {
				want[i].Day = dayKey(i)
				want[i].Orders = orders.n(want[i].Day)
				total.Sessions += want[i].Sessions
				total.Views += want[i].Views
				total.Orders += want[i].Orders
				total.GMVMinor += want[i].GMVMinor
				total.CommissionMinor += want[i].CommissionMinor
				total.MCNShareMinor += want[i].MCNShareMinor
			}
			if !slices.Equal(rep.Days, want) || rep.Totals != total {
				t.Errorf("days %+v\nwant %+v\ntotals %+v, want %+v", rep.Days, want, rep.Totals, total)
			}
			// ord_01, 02, 05, 06 and 11; ses_1 and ses_2.
			if total.Orders != 5 || total.Sessions != 2 || total.Views != 150 || rep.HostName != "Hana" || rep.From != from || rep.To != to {
				t.Errorf("report %+v", rep)
			}
			for _, a := range []account.Actor{admin, mgr} {
				if _, err := svc.Host(ctx, a, "usr_host", from, to); err != nil {
					t.Errorf("%s reading the host: %v", a.ID(), err)
				}
			}
			for _, a := range []account.Actor{mgr2, owner, host2, stranger} {
				_, err := svc.Host(ctx, a, "usr_host", from, to)
				wantErr(t, err, apperr.Forbidden, "")
			}
			_, err = svc.Host(ctx, admin, "usr_missing", from, to)
			wantErr(t, err, apperr.NotFound, "")
			_, err = svc.Host(ctx, host, "usr_host", to, from)
			wantErr(t, err, apperr.Invalid, "from")
			all["host"] = rep
		})

		t.Run("shop", func(t *testing.T) {
			rep, err := svc.Shop(ctx, staff, "shp_a", from, to)
			must(t, err)
			want := make([]report.ShopDay, 7)
			orders := distinctOrders{}
			products := map[string]*report.ProductSales{}
			sessions := map[string]*report.SessionSales{}
			rpEach(func(o rpOrder) bool { return o.shop == "shp_a" }, func(i int, o rpOrder, total int64, sp order.Split, qty int64) {
				orders.add(dayKey(i), o.id)
				want[i].Units += qty
				want[i].GMVMinor += total
				want[i].PlatformFeeMinor += sp.PlatformFee
				want[i].CommissionMinor += sp.HostCommission + sp.MCNShare
				want[i].MerchantNetMinor += sp.MerchantNet
				if o.room != "" {
					if sessions[o.room] == nil {
						sessions[o.room] = &report.SessionSales{}
					}
					orders.add(o.room, o.id)
					sessions[o.room].GMVMinor += total
				}
			})
			for _, o := range rpOrders {
				if !rpPaid(o.status) || o.paidAt < rpD0 || o.paidAt >= rpAt(7, 0) || o.shop != "shp_a" {
					continue
				}
				for _, l := range o.lines {
					total, _ := rpSplit(o, l)
					p := products[l.product]
					if p == nil {
						p = &report.ProductSales{ProductID: l.product, Title: rpProducts[l.product].title}
						products[l.product] = p
					}
					orders.add(l.product, o.id)
					p.Units += l.qty
					p.GMVMinor += total
				}
			}
			for i := range want {
				want[i].Day = dayKey(i)
				want[i].Orders = orders.n(want[i].Day)
			}
			if !slices.Equal(rep.Days, want) {
				t.Errorf("days %+v\nwant %+v", rep.Days, want)
			}
			if rep.Totals.GMVMinor != 3980+4500+1990+13500+1990+7960+4500 || rep.Totals.Orders != 6 ||
				rep.Totals.GMVMinor != rep.Totals.PlatformFeeMinor+rep.Totals.CommissionMinor+rep.Totals.MerchantNetMinor {
				t.Errorf("totals %+v", rep.Totals)
			}
			var wantTop []report.ProductSales
			for _, p := range products {
				p.Orders = orders.n(p.ProductID)
				wantTop = append(wantTop, *p)
			}
			slices.SortFunc(wantTop, func(a, b report.ProductSales) int { return int(b.GMVMinor - a.GMVMinor) })
			if !slices.Equal(rep.TopProducts, wantTop) || len(wantTop) != 2 || wantTop[0].ProductID != "prd_honey" {
				t.Errorf("top products %+v\nwant %+v", rep.TopProducts, wantTop)
			}
			// ses_2 (13 500), ses_1 (10 470, started D0), ses_old (1 990, started before the range).
			gotSessions := []string{}
			for _, ss := range rep.Sessions {
				w := sessions[ss.SessionID]
				if w == nil || ss.GMVMinor != w.GMVMinor || ss.Orders != orders.n(ss.SessionID) {
					t.Errorf("session %+v, want %+v", ss, w)
				}
				gotSessions = append(gotSessions, ss.SessionID)
			}
			if !slices.Equal(gotSessions, []string{"ses_2", "ses_1", "ses_old"}) {
				t.Errorf("sessions %v", gotSessions)
			}
			if rep.ShopName != "Black Soil Farm" || rep.Currency != "CNY" {
				t.Errorf("report %+v", rep)
			}
			for _, a := range []account.Actor{owner, admin} {
				if _, err := svc.Shop(ctx, a, "shp_a", from, to); err != nil {
					t.Errorf("%s reading the shop: %v", a.ID(), err)
				}
			}
			for _, a := range []account.Actor{ownerB, host, mgr, stranger} {
				_, err := svc.Shop(ctx, a, "shp_a", from, to)
				wantErr(t, err, apperr.Forbidden, "")
			}
			_, err = svc.Shop(ctx, admin, "shp_missing", from, to)
			wantErr(t, err, apperr.NotFound, "")
			_, err = svc.Shop(ctx, owner, "shp_a", "2025-01-01", "2026-01-02")
			wantErr(t, err, apperr.Invalid, "to")
			_, err = svc.Shop(ctx, owner, "shp_a", "2026-11-1", to)
			wantErr(t, err, apperr.Invalid, "from")
			all["shop"] = rep
		})

		t.Run("mcn", func(t *testing.T) {
			rep, err := svc.MCN(ctx, mgr, "mcn_1", from, to)
			must(t, err)
			want := make([]report.MCNDay, 7)
			orders := distinctOrders{}
			hosts := map[string]*report.MCNHost{}
			rpEach(func(o rpOrder) bool { return o.mcn == "mcn_1" }, func(i int, o rpOrder, total int64, sp order.Split, _ int64) {
				orders.add(dayKey(i), o.id)
				want[i].GMVMinor += total
				want[i].HostCommissionMinor += sp.HostCommission
				want[i].MCNShareMinor += sp.MCNShare
				h := hosts[o.host]
				if h == nil {
					h = &report.MCNHost{HostID: o.host}
					hosts[o.host] = h
				}
				orders.add(o.host, o.id)
				h.GMVMinor += total
				h.HostCommissionMinor += sp.HostCommission
				h.MCNShareMinor += sp.MCNShare
			})
			var total report.MCNDay
			for i := range want {
				want[i].Day = dayKey(i)
				want[i].Orders = orders.n(want[i].Day)
				total.Orders += want[i].Orders
				total.GMVMinor += want[i].GMVMinor
				total.HostCommissionMinor += want[i].HostCommissionMinor
				total.MCNShareMinor += want[i].MCNShareMinor
			}
			if !slices.Equal(rep.Days, want) || rep.Totals != total || total.Orders != 6 {
				t.Errorf("days %+v\nwant %+v\ntotals %+v, want %+v", rep.Days, want, rep.Totals, total)
			}
			wantHosts := []report.MCNHost{
				{HostID: "usr_host", HostName: "Hana", Status: "active", Orders: orders.n("usr_host"), GMVMinor: hosts["usr_host"].GMVMinor,
					HostCommissionMinor: hosts["usr_host"].HostCommissionMinor, MCNShareMinor: hosts["usr_host"].MCNShareMinor},
				{HostID: "usr_host2", HostName: "Ivan", Status: "active", Orders: orders.n("usr_host2"), GMVMinor: hosts["usr_host2"].GMVMinor,
					HostCommissionMinor: hosts["usr_host2"].HostCommissionMinor, MCNShareMinor: hosts["usr_host2"].MCNShareMinor},
				{HostID: "usr_host3", HostName: "Jun", Status: "active"}, // on the roster, sold nothing
			}
			if !slices.Equal(rep.Hosts, wantHosts) {
				t.Errorf("hosts %+v\nwant %+v", rep.Hosts, wantHosts)
			}
			if rep.Name != "Star Agency" {
				t.Errorf("report %+v", rep)
			}
			if _, err := svc.MCN(ctx, admin, "mcn_1", from, to); err != nil {
				t.Errorf("admin reading the agency: %v", err)
			}
			for _, a := range []account.Actor{mgr2, host, owner} {
				_, err := svc.MCN(ctx, a, "mcn_1", from, to)
				wantErr(t, err, apperr.Forbidden, "")
			}
			_, err = svc.MCN(ctx, admin, "mcn_missing", from, to)
			wantErr(t, err, apperr.NotFound, "")
			all["mcn"] = rep
		})

		t.Run("platform", func(t *testing.T) {
			rep, err := svc.Platform(ctx, admin, from, to)
			must(t, err)
			want := make([]report.PlatformDay, 7)
			orders := distinctOrders{}
			rpEach(func(rpOrder) bool { return true }, func(i int, o rpOrder, total int64, _ order.Split, _ int64) {
				orders.add(dayKey(i), o.id)
				want[i].GMVMinor += total
			})
			for _, ses := range rpSessions {
				if ses.started >= rpD0 && ses.started < rpAt(7, 0) {
					want[(ses.started-rpD0)/report.DayMillis].SessionsStarted++
				}
			}
			want[0].ActiveUsers, want[1].ActiveUsers, want[6].ActiveUsers = 3, 1, 1
			want[0].WatchSeconds, want[1].WatchSeconds, want[2].WatchSeconds = 7290, 1800, 5400
			want[0].ViewingHours, want[1].ViewingHours, want[2].ViewingHours = 2.03, 0.5, 1.5
			for i := range want {
				want[i].Day = dayKey(i)
				want[i].Orders = orders.n(want[i].Day)
			}
			if !slices.Equal(rep.Days, want) {
				t.Errorf("days %+v\nwant %+v", rep.Days, want)
			}
			if rep.Totals.ActiveUsers != 5 || rep.Totals.WatchSeconds != 14490 || rep.Totals.ViewingHours != 4.03 || rep.Totals.SessionsStarted != 3 || rep.Totals.Orders != 8 {
				t.Errorf("totals %+v", rep.Totals)
			}
			// shp_a (food, rural) is in foodie and rural; shp_b (beauty) in fashion.
			var gmvA, gmvB int64
			ordersA, ordersB := distinctOrders{}, distinctOrders{}
			rpEach(func(rpOrder) bool { return true }, func(_ int, o rpOrder, total int64, _ order.Split, _ int64) {
				if o.shop == "shp_a" {
					gmvA += total
					ordersA.add("", o.id)
				} else {
					gmvB += total
					ordersB.add("", o.id)
				}
			})
			wantGMV := []report.ChannelGMV{{Code: "foodie", Name: "Foodie", Orders: ordersA.n(""), GMVMinor: gmvA},
				{Code: "rural", Name: "Rural / Village Live", Orders: ordersA.n(""), GMVMinor: gmvA},
				{Code: "fashion", Name: "Fashion", Orders: ordersB.n(""), GMVMinor: gmvB}}
			if gmvB > gmvA {
				wantGMV = []report.ChannelGMV{wantGMV[2], wantGMV[0], wantGMV[1]}
			}
			if !slices.Equal(rep.TopChannelsByGMV, wantGMV) {
				t.Errorf("channels by GMV %+v\nwant %+v", rep.TopChannelsByGMV, wantGMV)
			}
			wantWatch := []report.ChannelViewing{{Code: "foodie", Name: "Foodie", WatchSeconds: 12690, ViewingHours: 3.53},
				{Code: "rural", Name: "Rural / Village Live", WatchSeconds: 7290, ViewingHours: 2.03},
				{Code: "fashion", Name: "Fashion", WatchSeconds: 1800, ViewingHours: 0.5}}
			if !slices.Equal(rep.TopChannelsByViewing, wantWatch) {
				t.Errorf("channels by viewing %+v\nwant %+v", rep.TopChannelsByViewing, wantWatch)
			}
			for _, a := range []account.Actor{owner, mgr, host} {
				_, err := svc.Platform(ctx, a, from, to)
				wantErr(t, err, apperr.Forbidden, "")
			}
			_, err = svc.Platform(ctx, account.Actor{}, from, to)
			wantErr(t, err, apperr.Unauthorized, "")
			all["platform"] = rep
		})

		b, err := json.MarshalIndent(all, "", "  ")
		must(t, err)
		got[s.Dialect()] = b
	})
	if len(got) == 2 && !bytes.Equal(got[store.SQLite], got[store.Postgres]) {
		t.Errorf("SQLite and PostgreSQL differ:\nsqlite:\n%s\npostgres:\n%s", got[store.SQLite], got[store.Postgres])
	}
}
