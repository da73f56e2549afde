package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/auction"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// auctionWorld is the live world plus an auction service whose awards are
// made by the real order service.
type auctionWorld struct {
	*liveWorld
	auctions *auction.Service
	events   *roomEventsForTest
	ses      room.Session
	sku      catalog.SKU
}

func newAuctionWorld(t *testing.T, s *store.Store) *auctionWorld {
	t.Helper()
	lw := newLiveWorld(t, s)
	ev := &roomEventsForTest{}
	aw := &auctionWorld{liveWorld: lw, events: ev}
	aw.auctions = aw.service()
	aw.ses = lw.schedule(t, "Auction night", lw.prods[0].ID).Session
	aw.sku = lw.prods[0].SKUs[0]
	return aw
}

// service returns another auction service over the same store, as a
// second node would run it.
func (aw *auctionWorld) service() *auction.Service {
	return auction.NewService(auction.Config{Repo: aw.s, Rooms: aw.rooms, Awards: aw.ord, Publisher: aw.events, Now: aw.clock.Now})
}

// bidder signs up a viewer with a saved address.
func (aw *auctionWorld) bidder(t *testing.T, email string) account.Actor {
	t.Helper()
	a := aw.user(t, email)
	if _, err := aw.ord.AddAddress(t.Context(), a, *shipTo()); err != nil {
		t.Fatalf("address for %s: %v", email, err)
	}
	return a
}

func (aw *auctionWorld) start(t *testing.T, in auction.CreateInput) auction.Auction {
	t.Helper()
	if in.SKUID == "" {
		in.SKUID = aw.sku.ID
	}
	a, err := aw.auctions.Create(t.Context(), aw.owner, aw.ses.ID, in)
	if err != nil {
		t.Fatalf("create auction: %v", err)
	}
	return a
}

func (aw *auctionWorld) get(t *testing.T, id string) auction.Auction {
	t.Helper()
	a, err := aw.auctions.Get(t.Context(), id)
	must(t, err)
	return a
}

// roomEventsForTest records what the service publishes (the bus is not
// storage).
type roomEventsForTest struct {
	mu     sync.Mutex
	events []room.Event
}

func (r *roomEventsForTest) Publish(_ string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, payload.(room.Event))
}

func (r *roomEventsForTest) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Type)
	}
	return out
}

func TestAuctionCreate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		aw := newAuctionWorld(t, s)
		ctx := t.Context()
		good := auction.CreateInput{SKUID: aw.sku.ID, StartPriceMinor: 1000, MinIncrementMinor: 100, DurationSeconds: 60}
		with := func(f func(*auction.CreateInput)) auction.CreateInput { in := good; f(&in); return in }
		offShelf := aw.prods[1].SKUs[0].ID
		refusals := []struct {
			name  string
			in    auction.CreateInput
			code  string
			field string
		}{
			{"no sku", with(func(in *auction.CreateInput) { in.SKUID = "" }), apperr.Invalid, "sku_id"},
			{"unknown sku", with(func(in *auction.CreateInput) { in.SKUID = "sku_missing" }), apperr.Invalid, "sku_id"},
			{"not on the shelf", with(func(in *auction.CreateInput) { in.SKUID = offShelf }), apperr.Invalid, "sku_id"},
			{"start price 0", with(func(in *auction.CreateInput) { in.StartPriceMinor = 0 }), apperr.Invalid, "start_price_minor"},
			{"increment 0", with(func(in *auction.CreateInput) { in.MinIncrementMinor = 0 }), apperr.Invalid, "min_increment_minor"},
			{"9 s", with(func(in *auction.CreateInput) { in.DurationSeconds = 9 }), apperr.Invalid, "duration_seconds"},
			{"3601 s", with(func(in *auction.CreateInput) { in.DurationSeconds = 3601 }), apperr.Invalid, "duration_seconds"},
			{"window 59 s", with(func(in *auction.CreateInput) { in.PaymentWindowSeconds = 59 }), apperr.Invalid, "payment_window_seconds"},
			{"window 1801 s", with(func(in *auction.CreateInput) { in.PaymentWindowSeconds = 1801 }), apperr.Invalid, "payment_window_seconds"},
		}
		for _, tt := range refusals {
			_, err := aw.auctions.Create(ctx, aw.owner, aw.ses.ID, tt.in)
			if e, ok := apperr.As(err); !ok || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("%s: %v, want %s on %q", tt.name, err, tt.code, tt.field)
			}
		}
		viewer := aw.bidder(t, "viewer@example.com")
		if _, err := aw.auctions.Create(ctx, viewer, aw.ses.ID, good); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a viewer created an auction: %v", err)
		}
		if _, err := aw.auctions.Create(ctx, account.Actor{}, aw.ses.ID, good); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("anonymous: %v", err)
		}
		if aw.stock(t, aw.owner, aw.prods[0], 0) != 10 {
			t.Fatal("a refused auction took stock")
		}

		a := aw.start(t, good)
		if a.Status != auction.Running || a.CurrentPriceMinor != 1000 || a.MinNextBidMinor != 1000 || a.Bids != 0 ||
			a.PaymentWindowSeconds != 300 || a.Title != "Rice" || a.Currency != "CNY" || a.LeaderName != "" ||
			!a.EndsAt.Equal(aw.clock.Now().Add(time.Minute)) {
			t.Fatalf("auction = %+v", a)
		}
		if got := aw.stock(t, aw.owner, aw.prods[0], 0); got != 9 {
			t.Fatalf("stock after the auction took its unit = %d, want 9", got)
		}
		mv := aw.movements(t, aw.owner, aw.sku.ID)[0]
		if mv.Delta != -1 || mv.StockAfter != 9 || mv.Reason != catalog.ReasonAuction || mv.Ref != a.ID {
			t.Fatalf("movement = %+v", mv)
		}
		if got := aw.events.types(); !slices.Equal(got, []string{auction.EventStarted}) {
			t.Fatalf("events = %v", got)
		}
		list, err := aw.auctions.List(ctx, aw.ses.ID, "", 10)
		must(t, err)
		recent, err := aw.auctions.Recent(ctx, aw.ses.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID || len(recent) != 1 || recent[0].ID != a.ID {
			t.Fatalf("list %v, recent %v", list, recent)
		}

		// The last units: one more auction empties the SKU, then none.
		_, err = aw.cat.AdjustStock(ctx, aw.owner, aw.sku.ID, -8, "sold elsewhere")
		must(t, err)
		aw.start(t, good)
		_, err = aw.auctions.Create(ctx, aw.owner, aw.ses.ID, good)
		wantErr(t, err, apperr.Conflict, "sku_id")

		// Not once the session has ended.
		_, err = aw.rooms.End(ctx, aw.owner, aw.ses.ID)
		must(t, err)
		if _, err := aw.auctions.Create(ctx, aw.owner, aw.ses.ID, good); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("auction in an ended session: %v", err)
		}
	})
}

func TestAuctionBidRefusalsAndIdempotency(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		aw := newAuctionWorld(t, s)
		ctx := t.Context()
		a := aw.start(t, auction.CreateInput{StartPriceMinor: 1000, MinIncrementMinor: 100, DurationSeconds: 60})
		ann := aw.bidder(t, "ann@example.com")
		homeless := aw.user(t, "homeless@example.com")

		_, _, err := aw.auctions.Bid(ctx, account.Actor{}, a.ID, 1000, "k1")
		if !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("anonymous bid: %v", err)
		}
		_, _, err = aw.auctions.Bid(ctx, ann, a.ID, 1000, "")
		wantErr(t, err, apperr.Invalid, "Idempotency-Key")
		_, _, err = aw.auctions.Bid(ctx, ann, a.ID, 0, "k1")
		wantErr(t, err, apperr.Invalid, "max_minor")
		_, _, err = aw.auctions.Bid(ctx, homeless, a.ID, 1000, "k1")
		wantErr(t, err, apperr.Conflict, "address")
		_, _, err = aw.auctions.Bid(ctx, aw.owner, a.ID, 1000, "k1")
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the shop owner bid on their own auction: %v", err)
		}
		if _, _, err = aw.auctions.Bid(ctx, ann, "auc_missing", 1000, "k1"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown auction: %v", err)
		}
		_, _, err = aw.auctions.Bid(ctx, ann, a.ID, 999, "k1")
		wantErr(t, err, apperr.Conflict, "max_minor")

		first, created, err := aw.auctions.Bid(ctx, ann, a.ID, 5000, "k1")
		must(t, err)
		if !created || first.Seq != 1 || !first.YouLead || first.PriceMinor != 1000 || first.Auction.LeaderName != "ann" ||
			first.Auction.Bids != 1 || first.Auction.MinNextBidMinor != 1100 {
			t.Fatalf("first bid = %+v", first)
		}
		// The retry returns the first bid and changes nothing.
		again, created, err := aw.auctions.Bid(ctx, ann, a.ID, 5000, "k1")
		must(t, err)
		if created || again.ID != first.ID || again.Seq != 1 || again.Auction.Bids != 1 {
			t.Fatalf("replayed bid = %+v (created %v)", again, created)
		}
		_, _, err = aw.auctions.Bid(ctx, ann, a.ID, 6000, "k1")
		wantErr(t, err, apperr.Conflict, "Idempotency-Key")

		bob := aw.bidder(t, "bob@example.com")
		b, created, err := aw.auctions.Bid(ctx, bob, a.ID, 2000, "k1") // keys are per bidder
		must(t, err)
		if !created || b.YouLead || b.PriceMinor != 2100 || b.Auction.LeaderName != "ann" || b.Auction.CurrentPriceMinor != 2100 {
			t.Fatalf("bob's bid = %+v", b)
		}
		steps, err := aw.auctions.Bids(ctx, a.ID, 0, 10)
		must(t, err)
		if len(steps) != 2 || steps[0].Name != "bob" || steps[0].PriceMinor != 2100 || steps[1].Name != "ann" || steps[1].PriceMinor != 1000 {
			t.Fatalf("bid steps = %+v", steps)
		}
		if got := aw.events.types(); !slices.Equal(got, []string{auction.EventStarted, auction.EventBid, auction.EventBid}) {
			t.Fatalf("events = %v", got)
		}

		// After the end: new bids are refused, a retry still answers.
		aw.clock.Advance(time.Minute)
		_, _, err = aw.auctions.Bid(ctx, bob, a.ID, 9000, "k2")
		wantErr(t, err, apperr.Conflict, "auction")
		again, created, err = aw.auctions.Bid(ctx, ann, a.ID, 5000, "k1")
		must(t, err)
		if created || again.ID != first.ID {
			t.Fatalf("replay after the end = %+v", again)
		}
	})
}

// TestAuctionConcurrentBids has 20 bidders place 10 bids each at once.
// The outcome must be the one the bids' stored order gives: every bid saw
// the state its predecessor left (no lost update), and the winner and
// price are what auction.Rules.ClosedForm computes from the bid list.
func TestAuctionConcurrentBids(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		aw := newAuctionWorld(t, s)
		ctx := t.Context()
		a := aw.start(t, auction.CreateInput{StartPriceMinor: 100, MinIncrementMinor: 10, DurationSeconds: 600})
		const bidders, each = 20, 10
		users := make([]account.Actor, bidders)
		for i := range users {
			users[i] = aw.bidder(t, fmt.Sprintf("bidder%02d@example.com", i))
		}
		var mu sync.Mutex
		accepted := map[int]auction.Placed{} // seq → bid
		prices := map[int]int64{}            // seq → price the bid left
		var wg sync.WaitGroup
		for i, u := range users {
			wg.Go(func() {
				for n := range each {
					cur, err := aw.auctions.Get(ctx, a.ID)
					if err != nil {
						t.Error(err)
						return
					}
					// Most bids aim a little above the minimum the bidder saw;
					// some are stale by the time they land and are refused.
					bid := cur.MinNextBidMinor + int64((i*7+n*13)%40)
					b, created, err := aw.auctions.Bid(ctx, u, a.ID, bid, fmt.Sprintf("b%d", n))
					if apperr.Is(err, apperr.Conflict) {
						continue
					}
					if err != nil || !created {
						t.Errorf("bid: %v (created %v)", err, created)
						return
					}
					mu.Lock()
					accepted[b.Seq] = auction.Placed{UserID: u.ID(), MaxMinor: bid}
					prices[b.Seq] = b.PriceMinor
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		// Seqs are 1..n with no gap or repeat, and each bid's price is the
		// one its prefix of the list gives.
		rules := auction.Rules{StartPrice: 100, Increment: 10}
		var list []auction.Placed
		for seq := 1; seq <= len(accepted); seq++ {
			p, ok := accepted[seq]
			if !ok {
				t.Fatalf("no bid has seq %d of %d", seq, len(accepted))
			}
			list = append(list, p)
			if _, price := rules.ClosedForm(list); price != prices[seq] {
				t.Fatalf("bid %d left the price at %d, the list gives %d", seq, prices[seq], price)
			}
		}
		if len(list) < bidders {
			t.Fatalf("only %d bids accepted", len(list))
		}
		leader, price := rules.ClosedForm(list)
		names := map[string]string{}
		for _, u := range users {
			names[u.ID()] = u.User.DisplayName
		}
		got := aw.get(t, a.ID)
		if got.Bids != len(list) || got.CurrentPriceMinor != price || got.LeaderName != names[leader] {
			t.Fatalf("auction after %d bids = %+v, want leader %s at %d", len(list), got, names[leader], price)
		}
		steps, err := aw.auctions.Bids(ctx, a.ID, 0, 100)
		must(t, err)
		if len(steps) != min(100, len(list)) || steps[0].Seq != len(list) || steps[0].PriceMinor != price {
			t.Fatalf("newest bid step = %+v of %d", steps[0], len(steps))
		}

		// It closes with the winner's order at the final price.
		aw.clock.Advance(10 * time.Minute)
		must(t, aw.auctions.CloseDue(ctx))
		got = aw.get(t, a.ID)
		if got.Status != auction.Ended || got.WinnerUserID != leader || got.OrderID == "" {
			t.Fatalf("closed auction = %+v", got)
		}
		o := aw.order(t, aw.actor(t, leader), got.OrderID)
		if o.Status != order.PendingPayment || o.TotalMinor != price || len(o.Lines) != 1 || o.Lines[0].UnitPriceMinor != price ||
			o.Lines[0].Quantity != 1 || o.Lines[0].SKUID != aw.sku.ID || o.Lines[0].Hold != order.HoldAward || o.Lines[0].RoomID != aw.ses.ID {
			t.Fatalf("award order = %+v", o)
		}
	})
}

// TestAuctionSoftCloseAndAward: a bid in the last 10 s extends the end;
// the auction ends only once the extension has passed, and the winner's
// order is made once even when two nodes sweep at the same time.
func TestAuctionSoftCloseAndAward(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		aw := newAuctionWorld(t, s)
		ctx := t.Context()
		a := aw.start(t, auction.CreateInput{StartPriceMinor: 1000, MinIncrementMinor: 100, DurationSeconds: 60, PaymentWindowSeconds: 120})
		ann, bob := aw.bidder(t, "ann@example.com"), aw.bidder(t, "bob@example.com")
		end := a.EndsAt

		aw.clock.Advance(30 * time.Second)
		b, _, err := aw.auctions.Bid(ctx, ann, a.ID, 3000, "a1")
		must(t, err)
		if !b.Auction.EndsAt.Equal(end) {
			t.Fatalf("a bid 30 s before the end moved it to %v", b.Auction.EndsAt)
		}
		aw.clock.Advance(25 * time.Second) // 5 s left
		b, _, err = aw.auctions.Bid(ctx, bob, a.ID, 2000, "b1")
		must(t, err)
		extended := aw.clock.Now().Add(auction.SoftClose)
		if !b.Auction.EndsAt.Equal(extended) {
			t.Fatalf("a bid 5 s before the end: ends_at %v, want %v", b.Auction.EndsAt, extended)
		}

		aw.clock.Advance(6 * time.Second) // past the original end, inside the extension
		must(t, aw.auctions.CloseDue(ctx))
		if got := aw.get(t, a.ID); got.Status != auction.Running {
			t.Fatalf("ended inside the extension: %+v", got)
		}
		aw.clock.Advance(4 * time.Second)
		other := aw.service()
		var wg sync.WaitGroup
		for _, svc := range []*auction.Service{aw.auctions, other} {
			wg.Go(func() { must(t, svc.CloseDue(ctx)) })
		}
		wg.Wait()
		got := aw.get(t, a.ID)
		if got.Status != auction.Ended || got.WinnerUserID != ann.ID() || got.CurrentPriceMinor != 2100 || got.OrderID == "" ||
			got.EndedAt == nil || got.MinNextBidMinor != 0 {
			t.Fatalf("ended auction = %+v", got)
		}
		orders, err := aw.ord.ListOrders(ctx, ann, order.Filter{})
		must(t, err)
		if len(orders) != 1 || orders[0].ID != got.OrderID || orders[0].TotalMinor != 2100 || orders[0].Status != order.PendingPayment {
			t.Fatalf("ann's orders = %+v", orders)
		}
		if n := aw.stock(t, aw.owner, aw.prods[0], 0); n != 9 {
			t.Fatalf("stock after the award = %d, want 9 (the unit is the winner's)", n)
		}
		ended := 0
		for _, typ := range aw.events.types() {
			if typ == auction.EventEnded {
				ended++
			}
		}
		if ended != 1 {
			t.Fatalf("auction.ended published %d times: %v", ended, aw.events.types())
		}
		// Sweeping again changes nothing.
		aw.clock.Advance(time.Minute)
		must(t, aw.auctions.CloseDue(ctx))
		if again := aw.get(t, a.ID); again.OrderID != got.OrderID {
			t.Fatalf("order changed to %s", again.OrderID)
		}
	})
}

func TestAuctionWithoutBidsReturnsUnit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		aw := newAuctionWorld(t, s)
		ctx := t.Context()
		a := aw.start(t, auction.CreateInput{StartPriceMinor: 1000, MinIncrementMinor: 100, DurationSeconds: 10})
		if n := aw.stock(t, aw.owner, aw.prods[0], 0); n != 9 {
			t.Fatalf("stock = %d", n)
		}
		aw.clock.Advance(10 * time.Second)
		var wg sync.WaitGroup
		for _, svc := range []*auction.Service{aw.auctions, aw.service(), aw.service()} {
			wg.Go(func() { must(t, svc.CloseDue(ctx)) })
		}
		wg.Wait()
		got := aw.get(t, a.ID)
		if got.Status != auction.Ended || got.WinnerUserID != "" || got.OrderID != "" {
			t.Fatalf("auction = %+v", got)
		}
		if n := aw.stock(t, aw.owner, aw.prods[0], 0); n != 10 {
			t.Fatalf("stock after an auction without bids = %d, want 10", n)
		}
		mv := aw.movements(t, aw.owner, aw.sku.ID)[0]
		if mv.Delta != 1 || mv.StockAfter != 10 || mv.Reason != catalog.ReasonHoldReturn || mv.Ref != a.ID {
			t.Fatalf("return movement = %+v", mv)
		}
		recent, err := aw.auctions.Recent(ctx, aw.ses.ID)
		must(t, err)
		if len(recent) != 1 {
			t.Fatalf("recent right after the end = %v", recent)
		}
		aw.clock.Advance(auction.RecentWindow + time.Second)
		if recent, _ = aw.auctions.Recent(ctx, aw.ses.ID); len(recent) != 0 {
			t.Fatalf("recent 10 min after the end = %v", recent)
		}
	})
}
