package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/flashsale"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// flashWorld is the live world plus a flash-sale service on its clock.
type flashWorld struct {
	*liveWorld
	flash *flashsale.Service
}

func newFlashWorld(t *testing.T, s *store.Store) *flashWorld {
	lw := newLiveWorld(t, s)
	fs := flashsale.NewService(flashsale.Config{Repo: s, SKUs: s, Rooms: lw.rooms, Now: lw.clock.Now})
	t.Cleanup(fs.Close)
	return &flashWorld{liveWorld: lw, flash: fs}
}

// waitFor polls cond (the engine ticks every 250 ms) for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestConformanceFlashSale(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fw := newFlashWorld(t, s)
		ctx := t.Context()
		rice := fw.prods[0] // 10 in stock at 1990
		st := fw.schedule(t, "Rice sale", rice.ID)
		sesID := st.Session.ID
		sku := rice.SKUs[0].ID
		good := flashsale.CreateInput{SKUID: sku, PriceMinor: 990, Stock: 6, PerUserLimit: 2, CountdownSeconds: 10, DurationSeconds: 3600, PaymentWindowSeconds: 60}

		t.Run("refusals", func(t *testing.T) {
			buyer := fw.user(t, "nosy@example.com")
			_, err := fw.flash.Create(ctx, buyer, sesID, good)
			wantErr(t, err, apperr.Forbidden, "")
			tests := []struct {
				name  string
				edit  func(*flashsale.CreateInput)
				code  string
				field string
			}{
				{"price not below", func(in *flashsale.CreateInput) { in.PriceMinor = 1990 }, apperr.Invalid, "price_minor"},
				{"more than the SKU has", func(in *flashsale.CreateInput) { in.Stock = 11 }, apperr.Conflict, "stock"},
				{"countdown too short", func(in *flashsale.CreateInput) { in.CountdownSeconds = 5 }, apperr.Invalid, "countdown_seconds"},
				{"off the shelf", func(in *flashsale.CreateInput) { in.SKUID = fw.prods[1].SKUs[0].ID }, apperr.Invalid, "sku_id"},
				{"no limit", func(in *flashsale.CreateInput) { in.PerUserLimit = 0 }, apperr.Invalid, "per_user_limit"},
			}
			for _, tt := range tests {
				in := good
				tt.edit(&in)
				_, err := fw.flash.Create(ctx, fw.owner, sesID, in)
				wantErr(t, err, tt.code, tt.field)
			}
			if got := fw.stock(t, fw.owner, rice, 0); got != 10 {
				t.Fatalf("stock after refusals = %d, want 10", got)
			}
		})

		sale, err := fw.flash.Create(ctx, fw.owner, sesID, good)
		must(t, err)
		if got := fw.stock(t, fw.owner, rice, 0); got != 4 {
			t.Fatalf("SKU stock after the sale took 6 = %d", got)
		}
		buyers := make([]account.Actor, 5)
		for i := range buyers {
			buyers[i] = fw.user(t, fmt.Sprintf("buyer%d@example.com", i))
		}
		_, _, err = fw.flash.Reserve(ctx, buyers[0], sale.ID, flashsale.ReserveInput{Quantity: 1, Key: "early"})
		wantErr(t, err, apperr.Conflict, "sale")
		_, _, err = fw.flash.Reserve(ctx, buyers[0], sale.ID, flashsale.ReserveInput{Quantity: 1})
		wantErr(t, err, apperr.Invalid, "Idempotency-Key")

		fw.clock.Advance(10 * time.Second)
		// Five buyers, eight concurrent tries each (limit 2, stock 6):
		// exactly six units go, nobody gets more than two.
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		for i, b := range buyers {
			for k := range 8 {
				wg.Go(func() {
					r, replayed, err := fw.flash.Reserve(ctx, b, sale.ID, flashsale.ReserveInput{Quantity: 1, Key: fmt.Sprintf("k%d-%d", i, k)})
					if err != nil {
						if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Field != "quantity" {
							t.Errorf("refusal = %v", err)
						}
						return
					}
					if replayed || r.Status != flashsale.Held || r.PriceMinor != 990 {
						t.Errorf("reservation = %+v replayed %v", r, replayed)
					}
					mu.Lock()
					got[b.ID()]++
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		total := 0
		for id, n := range got {
			total += n
			if n > 2 {
				t.Fatalf("buyer %s holds %d, limit 2", id, n)
			}
		}
		if total != 6 {
			t.Fatalf("reserved %d, want exactly 6", total)
		}
		live, err := fw.flash.Get(ctx, sale.ID)
		must(t, err)
		if live.Remaining != 0 || live.Sold != 6 {
			t.Fatalf("sale after selling out = %+v", live)
		}

		// A retry returns the first reservation; the same key for another
		// quantity is refused.
		var holder account.Actor
		for _, b := range buyers {
			if got[b.ID()] > 0 {
				holder = b
				break
			}
		}
		mine, err := fw.flash.MyReservations(ctx, holder, sale.ID)
		must(t, err)
		first := mine[len(mine)-1]
		again, replayed, err := fw.flash.Reserve(ctx, holder, sale.ID, flashsale.ReserveInput{Quantity: 1, Key: first.IdempotencyKey})
		must(t, err)
		if !replayed || again.ID != first.ID {
			t.Fatalf("retry = %+v replayed %v, want %s", again, replayed, first.ID)
		}
		_, _, err = fw.flash.Reserve(ctx, holder, sale.ID, flashsale.ReserveInput{Quantity: 2, Key: first.IdempotencyKey})
		wantErr(t, err, apperr.Conflict, "Idempotency-Key")

		// The holder orders and pays one reservation at the sale price.
		o, _, err := fw.ord.Place(ctx, holder, order.PlaceInput{ReservationID: first.ID, Address: shipTo()}, "")
		must(t, err)
		if o.TotalMinor != 990 || o.Lines[0].RoomID != sesID || o.Lines[0].Source != order.SourceLive || !o.ExpiresAt.Equal(first.ExpiresAt) {
			t.Fatalf("order for the reservation = %+v", o)
		}
		_, _, err = fw.ord.Place(ctx, holder, order.PlaceInput{ReservationID: first.ID, Address: shipTo()}, "")
		wantErr(t, err, apperr.Conflict, "reservation_id")
		_, _, err = fw.ord.Place(ctx, buyers[4], order.PlaceInput{ReservationID: first.ID, Address: shipTo()}, "")
		wantErr(t, err, apperr.Invalid, "reservation_id")
		fw.pay(t, holder, o.ID)
		if fw.stock(t, fw.owner, rice, 0) != 4 {
			t.Fatalf("paying a flash order took SKU stock")
		}

		// The other five lapse after the payment window and go back on sale.
		fw.clock.Advance(61 * time.Second)
		waitFor(t, "expired reservations to return", func() bool {
			s, err := fw.flash.Get(ctx, sale.ID)
			return err == nil && s.Remaining == 5 && s.Sold == 1
		})
		late := fw.user(t, "late@example.com")
		r, _, err := fw.flash.Reserve(ctx, late, sale.ID, flashsale.ReserveInput{Quantity: 2, Key: "resold"})
		must(t, err)
		// Ordering and then cancelling gives the stock back to the sale, not the SKU.
		lo, _, err := fw.ord.Place(ctx, late, order.PlaceInput{ReservationID: r.ID, Address: shipTo()}, "")
		must(t, err)
		_, err = fw.ord.Cancel(ctx, late, lo.ID, "changed my mind")
		must(t, err)
		waitFor(t, "the released reservation to return", func() bool {
			s, err := fw.flash.Get(ctx, sale.ID)
			return err == nil && s.Remaining == 5
		})

		// Ended: unsold stock goes back to the SKU; the paid unit stays sold.
		ended, err := fw.flash.End(ctx, fw.owner, sale.ID)
		must(t, err)
		if ended.Status != flashsale.Ended && ended.Status != flashsale.Settled {
			t.Fatalf("ended sale = %+v", ended)
		}
		_, _, err = fw.flash.Reserve(ctx, late, sale.ID, flashsale.ReserveInput{Quantity: 1, Key: "after"})
		wantErr(t, err, apperr.Conflict, "sale")
		waitFor(t, "the sale to settle", func() bool {
			s, err := s.Sale(ctx, sale.ID)
			return err == nil && s.Status == flashsale.Settled
		})
		if got := fw.stock(t, fw.owner, rice, 0); got != 9 {
			t.Fatalf("SKU stock after settling = %d, want 4 + 5 unsold", got)
		}
		// With no engine left, a buyer's reservations come from the table.
		waitFor(t, "the settled sale's engine to stop", func() bool {
			after, err := fw.flash.MyReservations(ctx, late, sale.ID)
			return err == nil && len(after) == 1 && after[0].ID == r.ID && after[0].Status == flashsale.Returned
		})
	})
}

// A node that lost its sale can never write to it again.
func TestConformanceFlashSaleFencing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fw := newFlashWorld(t, s)
		ctx := t.Context()
		st := fw.schedule(t, "Fenced", fw.prods[0].ID)
		other := flashsale.NewService(flashsale.Config{Repo: s, SKUs: s, Rooms: fw.rooms, Now: fw.clock.Now})
		sale, err := other.Create(ctx, fw.owner, st.Session.ID, flashsale.CreateInput{SKUID: fw.prods[0].SKUs[0].ID, PriceMinor: 100,
			Stock: 3, PerUserLimit: 3, CountdownSeconds: 10, DurationSeconds: 60})
		must(t, err)
		// A second node takes the sale over (as after the first one's lease lapsed).
		epoch, state, err := s.TakeOver(ctx, sale.ID)
		must(t, err)
		if epoch < 2 || state.Sale.ID != sale.ID {
			t.Fatalf("take over: epoch %d state %+v", epoch, state.Sale)
		}
		other.Close()
		err = s.CommitBatch(ctx, sale.ID, epoch-1, 0, flashsale.Running, sale.EndsAt, nil)
		if err != flashsale.ErrFenced {
			t.Fatalf("old epoch commit = %v, want ErrFenced", err)
		}
		_, err = s.CollectReturns(ctx, sale.ID, epoch-1, fw.clock.Now(), 0)
		if err != flashsale.ErrFenced {
			t.Fatalf("old epoch collect = %v, want ErrFenced", err)
		}
		must(t, s.CommitBatch(ctx, sale.ID, epoch, 0, flashsale.Running, sale.EndsAt, nil))
	})
}
