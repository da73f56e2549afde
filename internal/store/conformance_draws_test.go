package store_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// drawWorld is a live session with Rice and Soybeans on its shelf (Honey
// is not), a draw service over the store (one "node") recording its room
// events, and viewers.
type drawWorld struct {
	*liveWorld
	draws  *draw.Service
	ev     *roomEvents
	id     string
	key    string
	sku    catalog.SKU // Rice: 10 in stock
	viewer account.Actor
}

func newDrawWorld(t *testing.T, s *store.Store) *drawWorld {
	t.Helper()
	lw := newLiveWorld(t, s)
	dw := &drawWorld{liveWorld: lw, ev: &roomEvents{}}
	st := lw.schedule(t, "Draw night", lw.prods[0].ID, lw.prods[1].ID)
	dw.id, dw.key, dw.sku = st.Session.ID, st.StreamKey, lw.prods[0].SKUs[0]
	dw.draws = dw.node()
	dw.viewer = lw.user(t, "viewer@example.com")
	return dw
}

// node returns another draw service over the same store, as a second node
// of a cluster would run, publishing into the same recorder.
func (dw *drawWorld) node() *draw.Service {
	return draw.NewService(draw.Config{Repo: dw.s, Rooms: dw.rooms, Awards: dw.ord, Publisher: dw.ev, Now: dw.clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func (dw *drawWorld) create(t *testing.T, in draw.CreateInput) draw.Draw {
	t.Helper()
	if in.Title == "" {
		in.Title = "Rice for the lucky"
	}
	if in.SKUID == "" {
		in.SKUID = dw.sku.ID
	}
	if in.CountdownSeconds == 0 {
		in.CountdownSeconds = 60
	}
	d, err := dw.draws.Create(t.Context(), dw.owner, dw.id, in)
	if err != nil {
		t.Fatalf("create draw: %v", err)
	}
	return d
}

func (dw *drawWorld) enter(t *testing.T, a account.Actor, id string) {
	t.Helper()
	if _, _, err := dw.draws.Enter(t.Context(), a, id); err != nil {
		t.Fatalf("enter %s as %s: %v", id, a.ID(), err)
	}
}

func (dw *drawWorld) get(t *testing.T, id string) draw.Draw {
	t.Helper()
	d, err := dw.draws.Get(t.Context(), id)
	must(t, err)
	return d
}

// drawEvents returns the draw events since the last take as "type:id".
func (dw *drawWorld) drawEvents() []string {
	out := []string{}
	for _, ev := range dw.ev.take() {
		if d, ok := ev.Data.(draw.Draw); ok {
			out = append(out, ev.Type+":"+d.ID)
		}
	}
	return out
}

func TestDrawCreateTakesStock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		d := dw.create(t, draw.CreateInput{Winners: 3, Quantity: 2, Eligibility: draw.Anyone, CountdownSeconds: 90})
		if d.Status != draw.Open || d.Seed != "" || len(d.Commitment) != 64 || d.WinnerCount != 3 || d.Quantity != 2 ||
			d.ProductTitle != "Rice" || d.ShopID != dw.farm.ID || !d.EndsAt.Equal(dw.clock.Now().Add(90*time.Second)) ||
			d.Winners == nil || len(d.Winners) != 0 || d.CreatedBy != dw.owner.ID() {
			t.Fatalf("draw = %+v", d)
		}
		if got := dw.get(t, d.ID); got.Seed != "" || got.Commitment != d.Commitment || got.Status != draw.Open {
			t.Fatalf("get = %+v", got)
		}
		if evs := dw.ev.take(); len(evs) != 1 || evs[0].Type != draw.EventStarted || evs[0].Data.(draw.Draw).Seed != "" {
			t.Fatalf("events = %+v", evs)
		}
		// 3 winners × 2 units left the stock, with a movement.
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 4 {
			t.Fatalf("stock = %d, want 4", got)
		}
		mv := dw.movements(t, dw.owner, dw.sku.ID)[0]
		if mv.Delta != -6 || mv.StockAfter != 4 || mv.Reason != catalog.ReasonDraw || mv.Ref != d.ID || mv.ActorID != dw.owner.ID() {
			t.Fatalf("movement = %+v", mv)
		}

		// Not enough stock left for another 3 × 2: refused, nothing taken.
		_, err := dw.draws.Create(ctx, dw.owner, dw.id, draw.CreateInput{Title: "More", SKUID: dw.sku.ID, Winners: 3, Quantity: 2, CountdownSeconds: 60})
		wantErr(t, err, apperr.Conflict, "quantity")
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 4 {
			t.Fatalf("stock after refusal = %d, want 4", got)
		}

		in := draw.CreateInput{Title: "x", SKUID: dw.sku.ID, Winners: 1, CountdownSeconds: 60}
		honey := in
		honey.SKUID = dw.prods[2].SKUs[0].ID
		_, err = dw.draws.Create(ctx, dw.owner, dw.id, honey)
		wantErr(t, err, apperr.Invalid, "sku_id")
		bad := in
		bad.Winners = 101
		_, err = dw.draws.Create(ctx, dw.owner, dw.id, bad)
		wantErr(t, err, apperr.Invalid, "winners")
		_, err = dw.draws.Create(ctx, dw.viewer, dw.id, in)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = dw.draws.Create(ctx, account.Actor{}, dw.id, in)
		wantErr(t, err, apperr.Unauthorized, "")
		_, err = dw.draws.Create(ctx, dw.owner, "ses_missing", in)
		wantErr(t, err, apperr.NotFound, "")
		_, err = dw.rooms.End(ctx, dw.owner, dw.id)
		must(t, err)
		_, err = dw.draws.Create(ctx, dw.owner, dw.id, in)
		wantErr(t, err, apperr.Conflict, "")
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 4 {
			t.Fatalf("stock after refusals = %d, want 4", got)
		}
	})
}

func TestDrawEntryEligibility(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		dw.goLive(t, dw.key)
		talker := dw.user(t, "talker@example.com")
		quiet := dw.user(t, "quiet@example.com")
		buyer := dw.user(t, "buyer@example.com")
		elsewhere := dw.user(t, "elsewhere@example.com")
		cancelled := dw.user(t, "cancelled@example.com")

		chat := func(a account.Actor, text string) room.ChatMessage {
			t.Helper()
			p, err := dw.rooms.Participant(ctx, a, dw.id)
			must(t, err)
			m, err := dw.rooms.PostChat(ctx, p, dw.id, text)
			must(t, err)
			return m
		}
		chat(talker, "I want the RICE please")
		chat(quiet, "ric")
		deleted := chat(quiet, "rice!")
		must(t, dw.rooms.DeleteChat(ctx, dw.owner, dw.id, deleted.ID))

		kw := dw.create(t, draw.CreateInput{Winners: 1, Eligibility: draw.Keyword, Keyword: "Rice"})
		e, created, err := dw.draws.Enter(ctx, talker, kw.ID)
		must(t, err)
		if !created || e.UserID != talker.ID() || e.DrawID != kw.ID || !e.CreatedAt.Equal(dw.clock.Now()) {
			t.Fatalf("entry = %+v created %v", e, created)
		}
		dw.clock.Advance(time.Second)
		again, created, err := dw.draws.Enter(ctx, talker, kw.ID)
		must(t, err)
		if created || again != e {
			t.Fatalf("second entry = %+v created %v, want the first", again, created)
		}
		_, _, err = dw.draws.Enter(ctx, quiet, kw.ID) // "ric" is not "rice"; the deleted message does not count
		wantErr(t, err, apperr.Conflict, "eligibility")
		_, _, err = dw.draws.Enter(ctx, account.Actor{}, kw.ID)
		wantErr(t, err, apperr.Unauthorized, "")
		_, _, err = dw.draws.Enter(ctx, talker, "drw_missing")
		wantErr(t, err, apperr.NotFound, "")

		// Buyers: a live order line attributed to this room.
		place := func(a account.Actor, roomID string) order.Order {
			t.Helper()
			o, _, err := dw.ord.Place(ctx, a, order.PlaceInput{Items: []order.Item{{SKUID: dw.prods[1].SKUs[0].ID, Quantity: 1}},
				Address: shipTo(), Attribution: order.Attribution{RoomID: roomID}}, "")
			must(t, err)
			return o
		}
		place(buyer, dw.id)
		place(elsewhere, "")
		o := place(cancelled, dw.id)
		_, err = dw.ord.Cancel(ctx, cancelled, o.ID, "changed my mind")
		must(t, err)
		buyers := dw.create(t, draw.CreateInput{Winners: 1, Eligibility: draw.Buyers})
		dw.enter(t, buyer, buyers.ID)
		for _, a := range []account.Actor{elsewhere, cancelled, talker} {
			_, _, err = dw.draws.Enter(ctx, a, buyers.ID)
			wantErr(t, err, apperr.Conflict, "eligibility")
		}

		// Followers: until follows exist, anyone signed in, and the draw says so.
		fol := dw.create(t, draw.CreateInput{Winners: 1, Eligibility: draw.Followers})
		if fol.EligibilityNote == "" || dw.get(t, fol.ID).EligibilityNote == "" {
			t.Fatalf("followers draw has no eligibility note: %+v", fol)
		}
		dw.enter(t, quiet, fol.ID)

		if got := dw.get(t, kw.ID).Entrants; got != 1 {
			t.Fatalf("keyword draw entrants = %d, want 1", got)
		}
		// After the deadline nobody enters, even before the runner draws.
		dw.clock.Advance(time.Minute)
		_, _, err = dw.draws.Enter(ctx, talker, buyers.ID)
		wantErr(t, err, apperr.Conflict, "draw")
		// Who entered before still gets their entry back.
		if _, created, err := dw.draws.Enter(ctx, talker, kw.ID); err != nil || created {
			t.Fatalf("re-entering after the deadline: created %v, %v", created, err)
		}
	})
}

func TestDrawRunnersDrawOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		nodes := []*draw.Service{dw.draws, dw.node(), dw.node()}
		d := dw.create(t, draw.CreateInput{Winners: 2, Eligibility: draw.Anyone})
		var entrants []string
		for _, email := range []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"} {
			u := dw.user(t, email)
			dw.enter(t, u, d.ID)
			entrants = append(entrants, u.ID())
		}
		dw.ev.take()
		if n, err := dw.draws.FinishDue(ctx); err != nil || n != 0 {
			t.Fatalf("before the deadline: drew %d, %v", n, err)
		}
		_, err := dw.draws.Proof(ctx, d.ID)
		wantErr(t, err, apperr.Conflict, "draw")

		// Past the deadline every node sees the draw due; one draws it.
		dw.clock.Advance(61 * time.Second)
		var wg sync.WaitGroup
		drew := make([]int, len(nodes)*3)
		for i := range drew {
			wg.Go(func() {
				n, err := nodes[i%len(nodes)].FinishDue(ctx)
				if err != nil {
					t.Error(err)
				}
				drew[i] = n
			})
		}
		wg.Wait()
		total := 0
		for _, n := range drew {
			total += n
		}
		if total != 1 {
			t.Fatalf("the draw was drawn %d times (%v)", total, drew)
		}
		if evs := dw.drawEvents(); !slices.Equal(evs, []string{draw.EventDrawn + ":" + d.ID}) {
			t.Fatalf("events = %v", evs)
		}
		got := dw.get(t, d.ID)
		if got.Status != draw.Drawn || got.Seed == "" || len(got.Winners) != 2 || got.Entrants != 5 || got.DrawnAt == nil ||
			got.ClaimUntil == nil || !got.ClaimUntil.Equal(got.DrawnAt.Add(draw.DefaultClaimWindow)) {
			t.Fatalf("drawn = %+v", got)
		}
		for _, w := range got.Winners {
			if !slices.Contains(entrants, w.UserID) || w.Name == "" || w.OrderID != "" {
				t.Fatalf("winner %+v", w)
			}
		}
		p, err := dw.draws.Proof(ctx, d.ID)
		must(t, err)
		slices.Sort(entrants)
		if !slices.Equal(p.Entrants, entrants) || p.Winners[0] != got.Winners[0].UserID || p.Commitment != d.Commitment {
			t.Fatalf("proof = %+v", p)
		}
		if err := draw.Verify(p); err != nil {
			t.Fatalf("the stored draw does not verify: %v", err)
		}
		// Five entrants for two prizes: no stock came back.
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 8 {
			t.Fatalf("stock = %d, want 8", got)
		}
		_, _, err = dw.draws.Enter(ctx, dw.viewer, d.ID)
		wantErr(t, err, apperr.Conflict, "draw")
		// The store refuses too, for an entry that passed the service's
		// check just before the draw was drawn; nothing is left behind.
		_, _, err = s.AddDrawEntry(ctx, draw.Entry{DrawID: d.ID, UserID: dw.viewer.ID(), CreatedAt: dw.clock.Now().Add(-time.Minute)})
		wantErr(t, err, apperr.Conflict, "draw")
		if _, err := s.DrawEntry(ctx, d.ID, dw.viewer.ID()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a refused entry was stored: %v", err)
		}

		// Nodes that both read a draw as open and finish it at the same
		// moment: the conditional update lets one through.
		raced := dw.create(t, draw.CreateInput{Winners: 1})
		stored, err := s.Draw(ctx, raced.ID)
		must(t, err)
		dw.enter(t, dw.viewer, raced.ID)
		start := make(chan struct{})
		won := make([]bool, 4)
		for i := range won {
			wg.Go(func() {
				<-start
				ok, err := s.FinishDraw(ctx, draw.Finish{DrawID: raced.ID, At: dw.clock.Now(), ClaimUntil: dw.clock.Now().Add(time.Hour),
					Pick: func(es []string) ([]string, error) { return draw.Pick(stored.Seed, raced.ID, es, stored.WinnerCount) }})
				if err != nil {
					t.Error(err)
				}
				won[i] = ok
			})
		}
		close(start)
		wg.Wait()
		if n := len(slices.DeleteFunc(won, func(ok bool) bool { return !ok })); n != 1 {
			t.Fatalf("%d of 4 racing calls drew the draw", n)
		}
		if got := dw.get(t, raced.ID); len(got.Winners) != 1 || got.Status != draw.Drawn {
			t.Fatalf("raced draw = %+v", got)
		}
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 7 {
			t.Fatalf("stock = %d, want 7", got)
		}

		// Run on every node: a draw with one entrant for three prizes is
		// drawn once and gives two prizes back.
		lonely := dw.create(t, draw.CreateInput{Winners: 3, Eligibility: draw.Anyone})
		dw.enter(t, dw.viewer, lonely.ID)
		dw.ev.take()
		dw.clock.Advance(61 * time.Second)
		runCtx, stop := context.WithCancel(ctx)
		var running sync.WaitGroup
		for _, n := range nodes {
			running.Go(func() { n.Run(runCtx, 5*time.Millisecond) })
		}
		deadline := time.Now().Add(10 * time.Second)
		for dw.get(t, lonely.ID).Status != draw.Drawn && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // let every node make a few more passes
		stop()
		running.Wait()
		got = dw.get(t, lonely.ID)
		if got.Status != draw.Drawn || len(got.Winners) != 1 || got.Winners[0].UserID != dw.viewer.ID() {
			t.Fatalf("lonely draw = %+v", got)
		}
		if evs := dw.drawEvents(); !slices.Equal(evs, []string{draw.EventDrawn + ":" + lonely.ID}) {
			t.Fatalf("events = %v", evs)
		}
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 6 {
			t.Fatalf("stock = %d, want 6 (10 − 2 − 1 − 3 + 2)", got)
		}
		mv := dw.movements(t, dw.owner, dw.sku.ID)[0]
		if mv.Delta != 2 || mv.StockAfter != 6 || mv.Reason != catalog.ReasonHoldReturn || mv.Ref != lonely.ID {
			t.Fatalf("movement = %+v", mv)
		}
	})
}

func TestDrawNowAndRecent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		first := dw.create(t, draw.CreateInput{Winners: 1})
		second := dw.create(t, draw.CreateInput{Winners: 1})
		dw.enter(t, dw.viewer, first.ID)
		dw.ev.take()

		_, err := dw.draws.DrawNow(ctx, dw.viewer, first.ID)
		wantErr(t, err, apperr.Forbidden, "")
		got, err := dw.draws.DrawNow(ctx, dw.owner, first.ID)
		must(t, err)
		if got.Status != draw.Drawn || len(got.Winners) != 1 || got.Winners[0].UserID != dw.viewer.ID() || got.Seed == "" {
			t.Fatalf("drawn now = %+v", got)
		}
		if c, _ := draw.Commitment(got.Seed); c != first.Commitment {
			t.Fatalf("the revealed seed does not match the commitment")
		}
		if evs := dw.drawEvents(); !slices.Equal(evs, []string{draw.EventDrawn + ":" + first.ID}) {
			t.Fatalf("events = %v", evs)
		}
		_, err = dw.draws.DrawNow(ctx, dw.owner, first.ID)
		wantErr(t, err, apperr.Conflict, "")

		ids := func(ds []draw.Draw) []string {
			out := []string{}
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out
		}
		recent, err := dw.draws.Recent(ctx, dw.id)
		must(t, err)
		if !slices.Equal(ids(recent), []string{first.ID, second.ID}) || recent[1].Seed != "" {
			t.Fatalf("recent = %v", ids(recent))
		}
		list, err := dw.draws.List(ctx, dw.id, "", 1)
		must(t, err)
		if !slices.Equal(ids(list), []string{second.ID}) {
			t.Fatalf("list = %v", ids(list))
		}
		if list, _ = dw.draws.List(ctx, dw.id, second.ID, 10); !slices.Equal(ids(list), []string{first.ID}) || len(list[0].Winners) != 1 {
			t.Fatalf("list after cursor = %+v", list)
		}
		// Ten minutes on, the drawn draw drops out; the open one stays
		// until it is drawn.
		dw.clock.Advance(draw.RecentWindow + time.Second)
		if recent, _ = dw.draws.Recent(ctx, dw.id); !slices.Equal(ids(recent), []string{second.ID}) {
			t.Fatalf("recent later = %v", ids(recent))
		}
		_, err = dw.draws.List(ctx, "ses_missing", "", 10)
		wantErr(t, err, apperr.NotFound, "")
	})
}

func TestDrawClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		other := dw.user(t, "other@example.com")
		d := dw.create(t, draw.CreateInput{Winners: 1, Quantity: 2})
		dw.enter(t, dw.viewer, d.ID)
		_, err := dw.draws.Claim(ctx, dw.viewer, d.ID, "")
		wantErr(t, err, apperr.Conflict, "draw")
		dw.enter(t, other, d.ID)
		drawn, err := dw.draws.DrawNow(ctx, dw.owner, d.ID)
		must(t, err)
		winner, loser := dw.viewer, other
		if drawn.Winners[0].UserID == other.ID() {
			winner, loser = other, dw.viewer
		}
		_, err = dw.draws.Claim(ctx, loser, d.ID, "")
		wantErr(t, err, apperr.Forbidden, "")
		_, err = dw.draws.Claim(ctx, winner, d.ID, "") // no address yet
		wantErr(t, err, apperr.Invalid, "address_id")

		addr, err := dw.ord.AddAddress(ctx, winner, *shipTo())
		must(t, err)
		o, err := dw.draws.Claim(ctx, winner, d.ID, addr.ID)
		must(t, err)
		if o.Status != order.Paid || o.TotalMinor != 0 || o.UserID != winner.ID() || len(o.Lines) != 1 {
			t.Fatalf("award order = %+v", o)
		}
		if l := o.Lines[0]; l.SKUID != dw.sku.ID || l.Quantity != 2 || l.UnitPriceMinor != 0 || l.RoomID != dw.id || l.Hold != order.HoldAward {
			t.Fatalf("award line = %+v", l)
		}
		if w := dw.get(t, d.ID).Winners[0]; w.OrderID != o.ID {
			t.Fatalf("winner = %+v, want order %s", w, o.ID)
		}
		_, err = dw.draws.Claim(ctx, winner, d.ID, addr.ID)
		wantErr(t, err, apperr.Conflict, "draw")
		orders, err := dw.ord.ListOrders(ctx, winner, order.Filter{})
		must(t, err)
		if len(orders) != 1 {
			t.Fatalf("the winner has %d orders, want 1", len(orders))
		}
		// The prize came out of stock when the draw was made, not again.
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 8 {
			t.Fatalf("stock = %d, want 8", got)
		}

		// Prizes not claimed within the window go back, once.
		two := dw.create(t, draw.CreateInput{Winners: 2})
		dw.enter(t, dw.viewer, two.ID)
		dw.enter(t, other, two.ID)
		_, err = dw.draws.DrawNow(ctx, dw.owner, two.ID)
		must(t, err)
		_, err = dw.ord.AddAddress(ctx, loser, *shipTo())
		must(t, err)
		_, err = dw.draws.Claim(ctx, loser, two.ID, "") // the default address
		must(t, err)
		if n, err := dw.draws.ReturnUnclaimed(ctx); err != nil || n != 0 {
			t.Fatalf("returned %d before the window closed, %v", n, err)
		}
		dw.clock.Advance(draw.DefaultClaimWindow + time.Minute)
		_, err = dw.draws.Claim(ctx, winner, two.ID, addr.ID)
		wantErr(t, err, apperr.Conflict, "draw")
		if n, err := dw.draws.ReturnUnclaimed(ctx); err != nil || n != 1 {
			t.Fatalf("returned %d, %v; want 1", n, err)
		}
		if n, err := dw.draws.ReturnUnclaimed(ctx); err != nil || n != 0 {
			t.Fatalf("returned %d again, %v", n, err)
		}
		if got := dw.stock(t, dw.owner, dw.prods[0], 0); got != 7 {
			t.Fatalf("stock = %d, want 7 (10 − 2 − 2 + 1)", got)
		}
		for _, w := range dw.get(t, two.ID).Winners {
			if (w.UserID == winner.ID()) != w.Forfeited || (w.UserID == loser.ID()) != (w.OrderID != "") {
				t.Fatalf("winner after the window = %+v", w)
			}
		}
	})
}
