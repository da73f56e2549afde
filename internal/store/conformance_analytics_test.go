package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConformanceAnalytics applies roll-up flushes and reads them back:
// deltas add up across flushes, a batch applied before changes nothing
// (and a flush holding one writes nothing at all), viewers are the newest
// report per node and only fresh ones count, the daily series and active
// users, and the session lookup with its shop.
func TestConformanceAnalytics(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		rice, soy := lw.prods[0], lw.prods[1]
		ses := lw.schedule(t, "Harvest", rice.ID, soy.ID).Session
		now := time.UnixMilli(lw.clock.Now().UnixMilli()).UTC()
		day := analytics.Day(now)

		flush := func(id string, at time.Time, views, likes, gmv int64) analytics.Flush {
			return analytics.Flush{
				BatchIDs: []string{id},
				At:       at,
				Rooms: []analytics.RoomDelta{{SessionID: ses.ID, Views: views, ViewersSignedIn: 1, Likes: likes,
					WatchSeconds: 30, ProductClicks: 2, BuyClicks: 1, NewFollowers: 1, Orders: 1, PaidOrders: 1,
					GMVMinor: gmv, Currency: "CNY"}},
				Products: []analytics.ProductDelta{
					{SessionID: ses.ID, ProductID: rice.ID, Clicks: 2, Orders: 1, Units: 2, GMVMinor: gmv},
					{SessionID: ses.ID, ProductID: soy.ID, Clicks: 1},
				},
				Viewers: []analytics.ViewerReport{{SessionID: ses.ID, Node: "n1", Viewers: int(views), At: at}},
				Daily: []analytics.DailyDelta{{Day: day, Metric: analytics.MetricViews, Value: views},
					{Day: day, Metric: analytics.MetricViews, Dim: lw.farm.ID, Value: views}},
				Users:      []analytics.DailyUser{{Day: day, UserID: "usr_a"}},
				Categories: []analytics.CategoryDelta{{UserID: "usr_a", Category: "food", Views: views, Orders: 1}},
			}
		}
		must(t, s.ApplyAnalytics(ctx, flush("anb_1", now, 3, 10, 3980)))
		must(t, s.ApplyAnalytics(ctx, flush("anb_2", now.Add(time.Second), 2, 5, 1990)))

		// A repeated batch id, alone or with a new one, writes nothing.
		if err := s.ApplyAnalytics(ctx, flush("anb_1", now, 100, 100, 100)); !errors.Is(err, analytics.ErrBatchSeen) {
			t.Fatalf("repeated batch: %v, want ErrBatchSeen", err)
		}
		mixed := flush("anb_3", now, 100, 100, 100)
		mixed.BatchIDs = append(mixed.BatchIDs, "anb_2")
		if err := s.ApplyAnalytics(ctx, mixed); !errors.Is(err, analytics.ErrBatchSeen) {
			t.Fatalf("flush with a repeated batch: %v, want ErrBatchSeen", err)
		}
		seen, err := s.SeenBatches(ctx, []string{"anb_1", "anb_2", "anb_3", "anb_9"})
		must(t, err)
		if !reflect.DeepEqual(seen, []string{"anb_1", "anb_2"}) {
			t.Fatalf("seen = %v, want anb_1 anb_2 (anb_3 rolled back)", seen)
		}

		tot, err := s.RoomTotals(ctx, ses.ID)
		must(t, err)
		want := analytics.RoomTotals{RoomDelta: analytics.RoomDelta{SessionID: ses.ID, Views: 5, ViewersSignedIn: 2, Likes: 15,
			WatchSeconds: 60, ProductClicks: 4, BuyClicks: 2, NewFollowers: 2, Orders: 2, PaidOrders: 2, GMVMinor: 5970,
			Currency: "CNY"}, UpdatedAt: now.Add(time.Second)}
		if !reflect.DeepEqual(tot, want) {
			t.Fatalf("totals =\n %+v, want\n %+v", tot, want)
		}
		none, err := s.RoomTotals(ctx, "ses_none")
		must(t, err)
		if none.Views != 0 || !none.UpdatedAt.IsZero() {
			t.Fatalf("totals of a session without events = %+v", none)
		}

		products, err := s.RoomProducts(ctx, ses.ID)
		must(t, err)
		wantProducts := []analytics.ProductStats{
			{ProductID: rice.ID, Title: "Rice", Clicks: 4, Orders: 2, Units: 4, GMVMinor: 5970},
			{ProductID: soy.ID, Title: "Soybeans", Clicks: 2},
		}
		if !reflect.DeepEqual(products, wantProducts) {
			t.Fatalf("products = %+v, want %+v", products, wantProducts)
		}

		// Viewers: the newest report per node wins, an older one arriving
		// late does not undo it, and stale nodes are left out.
		must(t, s.ApplyAnalytics(ctx, analytics.Flush{BatchIDs: []string{"anb_4"}, At: now, Viewers: []analytics.ViewerReport{
			{SessionID: ses.ID, Node: "n1", Viewers: 99, At: now}, // older than n1's 2 viewers at now+1s
			{SessionID: ses.ID, Node: "n2", Viewers: 4, At: now.Add(time.Second)},
			{SessionID: ses.ID, Node: "old", Viewers: 50, At: now.Add(-time.Minute)},
		}}))
		current, err := s.CurrentViewers(ctx, ses.ID, now.Add(-analytics.ViewersFresh))
		must(t, err)
		if current != 6 {
			t.Fatalf("current viewers = %d, want 2 (n1) + 4 (n2)", current)
		}

		series, err := s.DailySeries(ctx, analytics.MetricViews, "", day-1, day+1)
		must(t, err)
		if !reflect.DeepEqual(series, []store.DayValue{{Day: day, Value: 5}}) {
			t.Fatalf("daily views = %+v", series)
		}
		byShop, err := s.DailySeries(ctx, analytics.MetricViews, lw.farm.ID, day, day)
		must(t, err)
		if len(byShop) != 1 || byShop[0].Value != 5 {
			t.Fatalf("daily views of the shop = %+v", byShop)
		}
		dau, err := s.DailyActiveUsers(ctx, day)
		must(t, err)
		if dau != 1 {
			t.Fatalf("daily active users = %d, want 1 (the same user twice)", dau)
		}

		info, err := s.AnalyticsSession(ctx, ses.ID)
		must(t, err)
		if info.ID != ses.ID || info.ShopID != lw.farm.ID || info.Status != "scheduled" || info.HostID != "" || info.Category == "" {
			t.Fatalf("session info = %+v", info)
		}
		if _, err := s.AnalyticsSession(ctx, "ses_missing"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("missing session: %v", err)
		}

		n, err := s.PruneAnalyticsBatches(ctx, now.Add(time.Hour))
		must(t, err)
		if n != 3 {
			t.Fatalf("pruned %d batch ids, want 3", n)
		}
		must(t, s.ApplyAnalytics(ctx, flush("anb_1", now, 1, 0, 0))) // forgotten, so applied again
	})
}

// events is a Recorder keeping what it is given.
type events struct {
	mu  sync.Mutex
	got []analytics.Event
}

func (e *events) Record(ev analytics.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, ev)
}

// TestConformanceAnalyticsSessionStart: a session's first start is
// reported once; a publisher reconnecting (Started again) is not a start.
func TestConformanceAnalyticsSessionStart(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		rec := &events{}
		lw.rooms.UseRecorder(rec)
		st := lw.schedule(t, "Harvest", lw.prods[0].ID)
		id := lw.goLive(t, st.StreamKey)
		lw.clock.Advance(time.Minute)
		must(t, lw.rooms.Started(t.Context(), id, media.RTMP))
		if len(rec.got) != 1 || rec.got[0].Kind != analytics.KindSessionStarted || rec.got[0].SessionID != id {
			t.Fatalf("events = %+v, want one session_started for %s", rec.got, id)
		}
	})
}

// TestConformanceAnalyticsOrderEvents: orders placed and paid from a room
// are reported once per line with the room, units and line total, and
// Orders = 1 on the order's first line; orders outside a room are not.
func TestConformanceAnalyticsOrderEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		rec := &events{}
		lw.ord.UseRecorder(rec)
		ses := lw.schedule(t, "Harvest", lw.prods[0].ID, lw.prods[1].ID).Session
		buyer := lw.user(t, "buyer@example.com")
		item := func(p, qty int) order.Item { return order.Item{SKUID: lw.prods[p].SKUs[0].ID, Quantity: qty} }
		o, _, err := lw.ord.Place(t.Context(), buyer, order.PlaceInput{Items: []order.Item{item(0, 2), item(1, 1)},
			Address: shipTo(), Attribution: order.Attribution{RoomID: ses.ID}}, "k1")
		must(t, err)
		// The same request again is the same order: not reported twice.
		_, created, err := lw.ord.Place(t.Context(), buyer, order.PlaceInput{Items: []order.Item{item(0, 2), item(1, 1)},
			Address: shipTo(), Attribution: order.Attribution{RoomID: ses.ID}}, "k1")
		must(t, err)
		if created {
			t.Fatal("a retried order was created again")
		}
		_, _, err = lw.ord.Place(t.Context(), buyer, order.PlaceInput{Items: []order.Item{item(2, 1)}, Address: shipTo()}, "")
		must(t, err)
		lw.pay(t, buyer, o.ID)

		var got []string
		for _, ev := range rec.got {
			if ev.SessionID != ses.ID || ev.UserID != buyer.ID() || ev.Currency != "CNY" {
				t.Fatalf("event %+v", ev)
			}
			got = append(got, fmt.Sprintf("%s %s n=%d a=%d o=%d", ev.Kind, ev.ProductID, ev.Count, ev.AmountMinor, ev.Orders))
		}
		rice, soy := lw.prods[0].ID, lw.prods[1].ID
		want := []string{
			"order " + rice + " n=2 a=3980 o=1", "order " + soy + " n=1 a=1990 o=0",
			"paid " + rice + " n=2 a=3980 o=1", "paid " + soy + " n=1 a=1990 o=0",
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("events\n %q\nwant\n %q", got, want)
		}
	})
}
