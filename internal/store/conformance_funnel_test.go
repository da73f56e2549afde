package store_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConformanceFunnel records a room's funnel through the real service
// and counts it against real orders: distinct viewers per step,
// deduplication within a minute, orders of every status, paid orders,
// GMV and the per-product split in shelf order.
func TestConformanceFunnel(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		rice, soy, honey := lw.prods[0], lw.prods[1], lw.prods[2]
		ses := lw.schedule(t, "Harvest", rice.ID, soy.ID).Session
		other := lw.schedule(t, "Honey hour", honey.ID).Session
		// The hour-long tick leaves every write to Flush and Funnel.
		fs := funnel.NewService(funnel.Config{Repo: s, Rooms: lw.rooms, Now: lw.clock.Now, FlushEvery: time.Hour})
		t.Cleanup(fs.Close)
		buyer := lw.user(t, "buyer@example.com")
		buyer2 := lw.user(t, "buyer2@example.com")
		stranger := lw.user(t, "stranger@example.com")
		anon := account.Actor{}
		ev := func(step, productID, anonID string) funnel.Event {
			return funnel.Event{Step: step, ProductID: productID, AnonID: anonID}
		}
		record := func(a account.Actor, sessionID string, e funnel.Event) {
			t.Helper()
			if err := fs.Record(ctx, a, sessionID, e); err != nil {
				t.Fatalf("record %+v in %s: %v", e, sessionID, err)
			}
		}

		t.Run("refusals", func(t *testing.T) {
			tests := []struct {
				name      string
				sessionID string
				ev        funnel.Event
				code      string
				field     string
			}{
				{"unknown step", ses.ID, ev("like", "", "anon-0001"), apperr.Invalid, "step"},
				{"no viewer", ses.ID, ev(funnel.StepView, "", ""), apperr.Invalid, "anon_id"},
				{"anon id too short", ses.ID, ev(funnel.StepView, "", "a-1"), apperr.Invalid, "anon_id"},
				{"anon id with spaces", ses.ID, ev(funnel.StepView, "", "anon 0001"), apperr.Invalid, "anon_id"},
				{"open without product", ses.ID, ev(funnel.StepProductOpen, "", "anon-0001"), apperr.Invalid, "product_id"},
				{"click off the shelf", ses.ID, ev(funnel.StepBuyClick, honey.ID, "anon-0001"), apperr.Invalid, "product_id"},
				{"click on an unknown product", ses.ID, ev(funnel.StepBuyClick, "prd_missing", "anon-0001"), apperr.Invalid, "product_id"},
				{"unknown session", "ses_missing", ev(funnel.StepView, "", "anon-0001"), apperr.NotFound, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					wantErr(t, fs.Record(ctx, anon, tt.sessionID, tt.ev), tt.code, tt.field)
				})
			}
			if st := fs.Stats(); st.Pending != 0 {
				t.Fatalf("refused events were buffered: %+v", st)
			}
		})

		// Four viewers: two anonymous, two signed in (whose anon_id is ignored).
		record(anon, ses.ID, ev(funnel.StepView, "", "anon-0001"))
		record(anon, ses.ID, ev(funnel.StepView, "", "anon-0001"))
		record(anon, ses.ID, ev(funnel.StepView, "", "anon-0002"))
		record(buyer, ses.ID, ev(funnel.StepView, "", "anon-0003"))
		record(buyer, ses.ID, ev(funnel.StepView, "", "anon-0004"))
		record(buyer2, ses.ID, ev(funnel.StepView, rice.ID, "")) // a view's product is ignored
		record(anon, ses.ID, ev(funnel.StepProductOpen, rice.ID, "anon-0001"))
		record(anon, ses.ID, ev(funnel.StepProductOpen, rice.ID, "anon-0002"))
		record(anon, ses.ID, ev(funnel.StepProductOpen, soy.ID, "anon-0002"))
		record(buyer, ses.ID, ev(funnel.StepProductOpen, rice.ID, ""))
		record(buyer, ses.ID, ev(funnel.StepBuyClick, rice.ID, ""))
		record(anon, other.ID, ev(funnel.StepView, "", "anon-0001"))
		if st := fs.Stats(); st.Pending != 10 || st.Written != 0 {
			t.Fatalf("before the flush: %+v, want 10 pending (duplicates skipped)", st)
		}
		must(t, fs.Flush(ctx))
		if st := fs.Stats(); st.Pending != 0 || st.Written != 10 || st.Dropped != 0 || st.Failed != 0 {
			t.Fatalf("after the flush: %+v, want 10 written", st)
		}

		t.Run("deduplicated per viewer, step, product and minute", func(t *testing.T) {
			record(anon, ses.ID, ev(funnel.StepView, "", "anon-0001"))
			record(buyer, ses.ID, ev(funnel.StepProductOpen, rice.ID, ""))
			must(t, fs.Flush(ctx))
			if st := fs.Stats(); st.Written != 10 {
				t.Fatalf("the same minute again: %+v, want still 10 written", st)
			}
			lw.clock.Advance(time.Minute)
			record(anon, ses.ID, ev(funnel.StepView, "", "anon-0001"))
			must(t, fs.Flush(ctx))
			if st := fs.Stats(); st.Written != 11 {
				t.Fatalf("the next minute: %+v, want 11 written", st)
			}
		})

		// Orders: attributed to the room or not, in every state.
		place := func(a account.Actor, roomID string, items ...order.Item) order.Order {
			t.Helper()
			o, _, err := lw.ord.Place(ctx, a, order.PlaceInput{Items: items, Address: shipTo(),
				Attribution: order.Attribution{RoomID: roomID}}, "")
			must(t, err)
			return o
		}
		item := func(p int, qty int) order.Item { return order.Item{SKUID: lw.prods[p].SKUs[0].ID, Quantity: qty} }
		o1 := place(buyer, ses.ID, item(0, 2)) // paid: 2 × 19.90 of rice
		lw.pay(t, buyer, o1.ID)
		place(buyer2, ses.ID, item(0, 1), item(1, 1)) // waiting for payment, two products
		o3 := place(buyer2, ses.ID, item(1, 1))       // cancelled: left out
		_, err := lw.ord.Cancel(ctx, buyer2, o3.ID, "")
		must(t, err)
		o4 := place(buyer, "", item(0, 1)) // not from the room
		lw.pay(t, buyer, o4.ID)
		o5 := place(buyer2, ses.ID, item(1, 3)) // refunded: an order, not a paid one
		lw.pay(t, buyer2, o5.ID)
		_, err = lw.ord.Refund(ctx, lw.owner, o5.ID, "")
		must(t, err)
		o6 := place(stranger, other.ID, item(2, 1)) // another room
		lw.pay(t, stranger, o6.ID)
		o7 := place(buyer, ses.ID, item(1, 1)) // shipped: paid
		lw.pay(t, buyer, o7.ID)
		_, err = lw.ord.Ship(ctx, lw.owner, o7.ID, order.ShipInput{Carrier: "SF", TrackingNumber: "SF100"})
		must(t, err)

		// Recorded just now and not flushed: Funnel writes it first.
		record(stranger, ses.ID, ev(funnel.StepBuyClick, soy.ID, ""))

		f, err := fs.Funnel(ctx, lw.owner, ses.ID)
		must(t, err)
		// o1, o2, o5 and o7 are the room's orders that were not cancelled.
		want := funnel.Funnel{SessionID: ses.ID, Views: 4, ProductOpens: 3, BuyClicks: 2, Orders: 4, PaidOrders: 2,
			PaidBuyers: 1, GMVMinor: 2*1990 + 1990, Currency: "CNY", Conversion: 0.25}
		wantProducts := []funnel.ProductFunnel{
			{ProductID: rice.ID, Title: "Rice", Opens: 3, Clicks: 1, Orders: 2, Paid: 1, GMVMinor: 2 * 1990},
			{ProductID: soy.ID, Title: "Soybeans", Opens: 1, Clicks: 1, Orders: 3, Paid: 1, GMVMinor: 1990},
		}
		checkFunnel(t, f, want, wantProducts)

		t.Run("products off the shelf come after it", func(t *testing.T) {
			shelf := []string{honey.ID, rice.ID}
			_, err := lw.rooms.Update(ctx, lw.owner, ses.ID, room.UpdateInput{ProductIDs: &shelf})
			must(t, err)
			f, err := fs.Funnel(ctx, lw.owner, ses.ID)
			must(t, err)
			products := append([]funnel.ProductFunnel{{ProductID: honey.ID, Title: "Honey"}}, wantProducts...)
			checkFunnel(t, f, want, products)
		})

		t.Run("another room counts its own", func(t *testing.T) {
			f, err := fs.Funnel(ctx, lw.owner, other.ID)
			must(t, err)
			checkFunnel(t, f, funnel.Funnel{SessionID: other.ID, Views: 1, Orders: 1, PaidOrders: 1, PaidBuyers: 1,
				GMVMinor: 1990, Currency: "CNY", Conversion: 1},
				[]funnel.ProductFunnel{{ProductID: honey.ID, Title: "Honey", Orders: 1, Paid: 1, GMVMinor: 1990}})
		})

		t.Run("only operators see it", func(t *testing.T) {
			_, err := fs.Funnel(ctx, anon, ses.ID)
			wantErr(t, err, apperr.Unauthorized, "")
			_, err = fs.Funnel(ctx, stranger, ses.ID)
			wantErr(t, err, apperr.Forbidden, "")
			_, err = fs.Funnel(ctx, lw.owner, "ses_missing")
			wantErr(t, err, apperr.NotFound, "")
		})

		t.Run("a room without events or orders", func(t *testing.T) {
			empty := lw.schedule(t, "Quiet").Session
			f, err := fs.Funnel(ctx, lw.owner, empty.ID)
			must(t, err)
			checkFunnel(t, f, funnel.Funnel{SessionID: empty.ID}, []funnel.ProductFunnel{})
		})
	})
}

// checkFunnel compares a funnel with the totals of want and products.
func checkFunnel(t *testing.T, got, want funnel.Funnel, products []funnel.ProductFunnel) {
	t.Helper()
	per := got.PerProduct
	got.PerProduct, want.PerProduct = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("funnel = %+v\n want %+v", got, want)
	}
	if per == nil || len(per) != len(products) {
		t.Fatalf("per product = %+v\n want %+v", per, products)
	}
	for i := range per {
		if per[i] != products[i] {
			t.Fatalf("per product [%d] = %+v\n want %+v", i, per[i], products[i])
		}
	}
}

// TestConformanceFunnelBatches writes batches straight to the store: any
// length is cut into the fixed-size INSERTs, and rows already stored are
// skipped and not counted.
func TestConformanceFunnelBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		ses := lw.schedule(t, "Harvest", lw.prods[0].ID).Session
		at := lw.clock.Now()
		rows := func(from, to int) []funnel.Row {
			var out []funnel.Row
			for i := from; i < to; i++ {
				out = append(out, funnel.Row{SessionID: ses.ID, Viewer: fmt.Sprintf("a:viewer-%04d", i), Step: funnel.StepView,
					Minute: at.Unix() / 60, At: at})
			}
			return out
		}
		for _, tt := range []struct {
			name string
			rows []funnel.Row
			want int
		}{
			{"none", nil, 0},
			{"one", rows(0, 1), 1},
			{"the same one", rows(0, 1), 0},
			{"300 of mixed chunk sizes", rows(1, 301), 300},
			{"half of them again", rows(151, 451), 150},
			{"duplicates inside one INSERT", append(rows(451, 453), rows(451, 453)...), 2},
		} {
			n, err := s.AddFunnelEvents(ctx, tt.rows)
			must(t, err)
			if n != tt.want {
				t.Fatalf("%s: %d new rows, want %d", tt.name, n, tt.want)
			}
		}
		f, err := s.FunnelCounts(ctx, ses.ID)
		must(t, err)
		if f.Views != 453 || f.ProductOpens != 0 || f.Orders != 0 || len(f.PerProduct) != 0 {
			t.Fatalf("counts = %+v, want 453 views", f)
		}
		// A batch for a session that does not exist fails whole.
		bad := append(rows(500, 502), funnel.Row{SessionID: "ses_missing", Viewer: "a:viewer-9999", Step: funnel.StepView, At: at})
		if _, err := s.AddFunnelEvents(ctx, bad); err == nil {
			t.Fatal("a batch naming an unknown session was stored")
		}
		if f, _ := s.FunnelCounts(ctx, ses.ID); f.Views != 453 {
			t.Fatalf("a failed batch left %d views, want 453", f.Views)
		}
	})
}
