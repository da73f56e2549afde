package flashsale

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/room"
)

func decideSale() Sale {
	now := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	return Sale{ID: "fls_1", SessionID: "ses_1", Title: "Lamp", PriceMinor: 990, Currency: "EUR",
		Stock: 10, PerUserLimit: 3, PaymentWindowSeconds: 300, Status: Running,
		StartsAt: now.Add(-time.Minute), EndsAt: now.Add(time.Minute)}
}

func held(user, key string, qty int) Reservation {
	return Reservation{ID: "frs_" + user + "_" + key, SaleID: "fls_1", UserID: user, Quantity: qty,
		Status: Held, IdempotencyKey: key}
}

func TestEngineDecide(t *testing.T) {
	now := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		stock  int
		prior  []Reservation
		status string
		in     ReserveInput
		// want: "" for a new reservation, "replay" for the prior one of
		// the same key, else the field of a Conflict.
		want    string
		message string // part of the Conflict's message
	}{
		{name: "first", in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}},
		{name: "up to the limit", prior: []Reservation{held("u1", "k0", 2)},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}},
		{name: "replay", prior: []Reservation{held("u1", "k1", 2)},
			in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}, want: "replay"},
		{name: "replay after the end", prior: []Reservation{held("u1", "k1", 2)}, status: Ended,
			in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}, want: "replay"},
		{name: "replay when sold out", stock: 2, prior: []Reservation{held("u1", "k1", 2)},
			in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}, want: "replay"},
		{name: "replay of an expired reservation", prior: []Reservation{{ID: "frs_x", UserID: "u1", Quantity: 1, Status: Expired, IdempotencyKey: "k1"}},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "replay"},
		{name: "same key other quantity", prior: []Reservation{held("u1", "k1", 2)},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "Idempotency-Key", message: "different quantity"},
		{name: "same key other buyer", prior: []Reservation{held("u1", "k1", 2)},
			in: ReserveInput{UserID: "u2", Quantity: 1, Key: "k1"}},
		{name: "not started", status: Scheduled,
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "sale", message: "not started"},
		{name: "ended", status: Ended,
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "sale", message: "ended"},
		{name: "settled", status: Settled,
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "sale", message: "ended"},
		{name: "cancelled", status: Cancelled,
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "sale", message: "ended"},
		{name: "above the limit at once",
			in: ReserveInput{UserID: "u1", Quantity: 4, Key: "k1"}, want: "quantity", message: "limit of 3 per buyer (you hold 0)"},
		{name: "above the limit with what is held", prior: []Reservation{held("u1", "k0", 2)},
			in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}, want: "quantity", message: "limit of 3 per buyer (you hold 2)"},
		{name: "paid counts to the limit", prior: []Reservation{{ID: "frs_p", UserID: "u1", Quantity: 3, Status: Paid, IdempotencyKey: "k0"}},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "quantity", message: "limit"},
		{name: "expired does not count", prior: []Reservation{{ID: "frs_e", UserID: "u1", Quantity: 3, Status: Expired, IdempotencyKey: "k0"}},
			in: ReserveInput{UserID: "u1", Quantity: 3, Key: "k1"}},
		{name: "released does not count", prior: []Reservation{{ID: "frs_r", UserID: "u1", Quantity: 3, Status: Returned, IdempotencyKey: "k0"}},
			in: ReserveInput{UserID: "u1", Quantity: 3, Key: "k1"}},
		{name: "other buyers' holds do not count", prior: []Reservation{held("u2", "k0", 3)},
			in: ReserveInput{UserID: "u1", Quantity: 3, Key: "k1"}},
		{name: "sold out", stock: 3, prior: []Reservation{held("u2", "k0", 3)},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}, want: "quantity", message: "sold out"},
		{name: "only some left", stock: 4, prior: []Reservation{held("u2", "k0", 3)},
			in: ReserveInput{UserID: "u1", Quantity: 2, Key: "k1"}, want: "quantity", message: "only 1 left"},
		{name: "exactly the last", stock: 4, prior: []Reservation{held("u2", "k0", 3)},
			in: ReserveInput{UserID: "u1", Quantity: 1, Key: "k1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decideSale()
			if c.stock != 0 {
				s.Stock = c.stock
			}
			status := c.status
			if status == "" {
				status = Running
			}
			e := newEngine(nil, nil, func() time.Time { return now }, 1, State{Sale: s, Reservations: c.prior})
			sold, user := e.sold, e.perUser[c.in.UserID]
			r, replayed, err := e.decide(c.in, status, now)

			switch c.want {
			case "":
				if err != nil || replayed {
					t.Fatalf("decide = %v, replayed %v; want a new reservation", err, replayed)
				}
				want := Reservation{ID: r.ID, SaleID: s.ID, UserID: c.in.UserID, Quantity: c.in.Quantity,
					PriceMinor: s.PriceMinor, Currency: s.Currency, Status: Held,
					ExpiresAt: now.Add(300 * time.Second), CreatedAt: now, IdempotencyKey: c.in.Key}
				if r != want || !strings.HasPrefix(r.ID, "frs") {
					t.Fatalf("reservation %+v, want %+v", r, want)
				}
				if e.sold != sold+c.in.Quantity || e.perUser[c.in.UserID] != user+c.in.Quantity {
					t.Fatalf("sold %d→%d, buyer %d→%d after reserving %d", sold, e.sold, user, e.perUser[c.in.UserID], c.in.Quantity)
				}
				if got := e.snapshot(); got.Remaining != s.Stock-sold-c.in.Quantity || got.Sold != sold+c.in.Quantity {
					t.Fatalf("snapshot remaining %d sold %d", got.Remaining, got.Sold)
				}
				// The key now replays.
				again, replayed, err := e.decide(c.in, status, now.Add(time.Second))
				if err != nil || !replayed || again != r || e.sold != sold+c.in.Quantity {
					t.Fatalf("retry = %+v, %v, %v; want the first reservation", again, replayed, err)
				}
				return
			case "replay":
				if err != nil || !replayed || r.ID != c.prior[0].ID || r != c.prior[0] {
					t.Fatalf("decide = %+v, replayed %v, %v; want %+v", r, replayed, err, c.prior[0])
				}
			default:
				requireAppErr(t, "decide", err, apperr.Conflict, c.want)
				if e, _ := apperr.As(err); !strings.Contains(e.Message, c.message) {
					t.Fatalf("message %q lacks %q", e.Message, c.message)
				}
				if replayed || r != (Reservation{}) {
					t.Fatalf("a refusal returned %+v, replayed %v", r, replayed)
				}
			}
			// Replays and refusals leave the counts alone.
			if e.sold != sold || e.perUser[c.in.UserID] != user {
				t.Fatalf("sold %d→%d, buyer %d→%d on %s", sold, e.sold, user, e.perUser[c.in.UserID], c.want)
			}
		})
	}
}

// Many buyers on one engine: the stock is sold exactly, never more, and
// every buyer stays within the limit.
func TestEngineDecideNeverOversells(t *testing.T) {
	now := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	s := decideSale()
	s.Stock, s.PerUserLimit = 100, 3
	e := newEngine(nil, nil, func() time.Time { return now }, 1, State{Sale: s})
	got, refused := 0, 0
	for i := range 500 {
		in := ReserveInput{UserID: fmt.Sprintf("u%d", i%60), Quantity: 1 + i%3, Key: fmt.Sprintf("k%d", i)}
		r, _, err := e.decide(in, Running, now)
		switch {
		case err == nil:
			got += r.Quantity
		case apperr.Is(err, apperr.Conflict):
			refused++
		default:
			t.Fatal(err)
		}
	}
	if got != s.Stock || e.sold != s.Stock || e.snapshot().Remaining != 0 {
		t.Fatalf("reserved %d, sold %d of %d", got, e.sold, s.Stock)
	}
	for u, n := range e.perUser {
		if n > s.PerUserLimit {
			t.Fatalf("buyer %s holds %d, limit %d", u, n, s.PerUserLimit)
		}
	}
	if refused == 0 {
		t.Fatal("no request refused")
	}
}

// evRecorder is a Publisher that keeps what it is given.
type evRecorder struct {
	mu     sync.Mutex
	events []room.Event
	at     []time.Time
	bad    []string
}

func (r *evRecorder) Publish(subject string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev, ok := payload.(room.Event)
	if subject != room.EventsSubject("ses_1") || !ok {
		r.bad = append(r.bad, fmt.Sprintf("%s %T", subject, payload))
		return
	}
	r.events = append(r.events, ev)
	r.at = append(r.at, time.Now())
}

// ofType returns the events of type typ with the times they were published.
func (r *evRecorder) ofType(typ string) ([]room.Event, []time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var evs []room.Event
	var at []time.Time
	for i, e := range r.events {
		if e.Type == typ {
			evs, at = append(evs, e), append(at, r.at[i])
		}
	}
	return evs, at
}

// waitFor waits (bounded) until ok holds for the events of type typ.
func (r *evRecorder) waitFor(t *testing.T, typ string, ok func([]room.Event) bool) []room.Event {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		evs, _ := r.ofType(typ)
		if ok(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s events %+v", typ, evs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (r *evRecorder) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bad) > 0 {
		t.Fatalf("published elsewhere: %v", r.bad)
	}
}

// evClock is a clock moved by hand.
type evClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *evClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *evClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTestEvents(t *testing.T, now func() time.Time) (*events, *evRecorder) {
	rec := &evRecorder{}
	ev := newEvents(rec, slog.New(slog.DiscardHandler), now, "ses_1")
	t.Cleanup(ev.close)
	return ev, rec
}

func stockOf(t *testing.T, e room.Event) StockEvent {
	t.Helper()
	s, ok := e.Data.(*StockEvent)
	if !ok {
		t.Fatalf("sale.stock data %T", e.Data)
	}
	return *s
}

// A burst of stock changes goes out as a few updates, and the last one
// published carries the final counts.
func TestEventsStockCoalesced(t *testing.T) {
	ev, rec := newTestEvents(t, time.Now)
	s := Sale{ID: "fls_1", Stock: 2000}
	for i := 1; i <= 1000; i++ {
		s.Sold, s.Remaining = i, s.Stock-i
		ev.stock(s)
	}
	ev.close()
	evs := rec.waitFor(t, EventStock, func(evs []room.Event) bool {
		return len(evs) > 0 && stockOf(t, evs[len(evs)-1]) == StockEvent{ID: "fls_1", Remaining: 1000, Sold: 1000}
	})
	if len(evs) > 3 {
		t.Fatalf("%d sale.stock events for a burst of 1000 changes", len(evs))
	}
	if so, _ := rec.ofType(EventSoldOut); len(so) != 0 {
		t.Fatalf("sold out published with stock left: %+v", so)
	}
	rec.check(t)
}

// While the stock keeps changing, updates go out about every stockEvery
// and no more often.
func TestEventsStockPaced(t *testing.T) {
	ev, rec := newTestEvents(t, time.Now)
	s := Sale{ID: "fls_1", Stock: 100_000}
	start := time.Now()
	for i := 1; time.Since(start) < 1200*time.Millisecond; i++ {
		s.Sold, s.Remaining = i, s.Stock-i
		ev.stock(s)
		time.Sleep(time.Millisecond)
	}
	final := StockEvent{ID: "fls_1", Remaining: s.Remaining, Sold: s.Sold}
	ev.close()
	evs := rec.waitFor(t, EventStock, func(evs []room.Event) bool {
		return len(evs) > 0 && stockOf(t, evs[len(evs)-1]) == final
	})
	_, at := rec.ofType(EventStock)
	if n := len(evs); n < 2 || n > 7 {
		t.Fatalf("%d sale.stock events in 1.2 s of changes, want about one per %v", n, stockEvery)
	}
	// All but the final one (forced out by close) keep their distance.
	for i := 1; i < len(at)-1; i++ {
		if gap := at[i].Sub(at[i-1]); gap < stockEvery-20*time.Millisecond {
			t.Fatalf("sale.stock events %d and %d only %v apart", i-1, i, gap)
		}
	}
	for i := 1; i < len(evs); i++ {
		if a, b := stockOf(t, evs[i-1]), stockOf(t, evs[i]); b.Sold <= a.Sold || a.Sold+a.Remaining != s.Stock {
			t.Fatalf("sale.stock %+v after %+v", b, a)
		}
	}
	rec.check(t)
}

// sold_out goes out once, at the moment remaining reaches 0, however many
// updates repeat it; stock coming back and selling out again is news.
func TestEventsSoldOutOnce(t *testing.T) {
	ev, rec := newTestEvents(t, time.Now)
	s := Sale{ID: "fls_1", Stock: 5}
	for _, remaining := range []int{4, 2, 1, 0, 0, 0} {
		s.Remaining, s.Sold = remaining, s.Stock-remaining
		ev.stock(s)
	}
	// It is queued at once and wakes the publisher (not left for close);
	// how soon it leaves depends on the machine's load, so only "before
	// close" is asserted here.
	evs := rec.waitFor(t, EventSoldOut, func(evs []room.Event) bool { return len(evs) > 0 })
	if data, ok := evs[0].Data.(map[string]string); !ok || data["id"] != "fls_1" || evs[0].TS == 0 {
		t.Fatalf("sold_out event %+v", evs[0])
	}
	time.Sleep(2 * stockEvery)
	if evs, _ := rec.ofType(EventSoldOut); len(evs) != 1 {
		t.Fatalf("%d sold_out events, want 1", len(evs))
	}

	// A reservation expires, the stock sells out again.
	for _, remaining := range []int{1, 0, 0} {
		s.Remaining, s.Sold = remaining, s.Stock-remaining
		ev.stock(s)
	}
	ev.close()
	rec.waitFor(t, EventStock, func(evs []room.Event) bool {
		return len(evs) > 0 && stockOf(t, evs[len(evs)-1]).Remaining == 0 && stockOf(t, evs[len(evs)-1]).Sold == 5
	})
	rec.waitFor(t, EventSoldOut, func(evs []room.Event) bool { return len(evs) == 2 })
	time.Sleep(50 * time.Millisecond)
	if evs, _ := rec.ofType(EventSoldOut); len(evs) != 2 {
		t.Fatalf("%d sold_out events after selling out twice, want 2", len(evs))
	}
	rec.check(t)
}

// Purchase notices go out at most purchasesPerSecond a second.
func TestEventsPurchaseSampled(t *testing.T) {
	clock := &evClock{now: time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)}
	ev, rec := newTestEvents(t, clock.Now)
	s := Sale{ID: "fls_1", Title: "Lamp"}
	buy := func(n int) {
		for i := range n {
			name := fmt.Sprintf("buyer %d", i)
			if i == 0 {
				name = ""
			}
			ev.purchase(s, name, 1+i%2)
		}
	}
	buy(10) // second 0: 2 of 10
	clock.add(500 * time.Millisecond)
	buy(10) // same second: none
	clock.add(500 * time.Millisecond)
	buy(10) // second 1: 2 more
	clock.add(3 * time.Second)
	buy(1) // after a quiet spell: the one
	ev.close()
	evs := rec.waitFor(t, EventPurchase, func(evs []room.Event) bool { return len(evs) >= 5 })
	time.Sleep(50 * time.Millisecond)
	if evs, _ := rec.ofType(EventPurchase); len(evs) != 5 {
		t.Fatalf("%d purchase events, want 5: %+v", len(evs), evs)
	}
	want := []PurchaseEvent{{"Someone", "Lamp", 1}, {"buyer 1", "Lamp", 2}, {"Someone", "Lamp", 1},
		{"buyer 1", "Lamp", 2}, {"Someone", "Lamp", 1}}
	for i, e := range evs {
		if p, ok := e.Data.(PurchaseEvent); !ok || p != want[i] {
			t.Fatalf("purchase event %d = %+v, want %+v", i, e.Data, want[i])
		}
	}
	rec.check(t)
}

// In real time as well: a stream of purchases over 1.5 s yields at most
// purchasesPerSecond per started second.
func TestEventsPurchaseRealTime(t *testing.T) {
	ev, rec := newTestEvents(t, time.Now)
	s := Sale{ID: "fls_1", Title: "Lamp"}
	start := time.Now()
	for time.Since(start) < 1500*time.Millisecond {
		ev.purchase(s, "b", 1)
		time.Sleep(time.Millisecond)
	}
	ev.close()
	rec.waitFor(t, EventPurchase, func(evs []room.Event) bool { return len(evs) >= 4 })
	time.Sleep(50 * time.Millisecond)
	evs, at := rec.ofType(EventPurchase)
	if len(evs) != 4 {
		t.Fatalf("%d purchase events in 1.5 s, want 4", len(evs))
	}
	// No three notices within one second.
	for i := 2; i < len(at); i++ {
		if at[i].Sub(at[i-2]) < 900*time.Millisecond {
			t.Fatalf("purchase notices %d..%d within %v", i-2, i, at[i].Sub(at[i-2]))
		}
	}
	rec.check(t)
}
