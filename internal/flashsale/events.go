package flashsale

import (
	"log/slog"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/room"
)

// Publisher sends room events (internal/bus implements it).
type Publisher interface {
	Publish(subject string, payload any)
}

// Room event types of flash sales (docs/SELLING.md).
const (
	EventScheduled = "sale.scheduled"
	EventStarted   = "sale.started"
	EventStock     = "sale.stock"
	EventSoldOut   = "sale.sold_out"
	EventEnded     = "sale.ended"
	EventPurchase  = "purchase"
)

// StockEvent is the data of sale.stock.
type StockEvent struct {
	ID        string `json:"id"`
	Remaining int    `json:"remaining"`
	Sold      int    `json:"sold"`
}

// PurchaseEvent is the data of purchase: someone just bought.
type PurchaseEvent struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Quantity int    `json:"quantity"`
}

// Event pacing: stock updates go out at most every stockEvery per sale (a
// hot sale changes thousands of times a second; viewers need the bar, not
// every step), purchase notices at most purchasesPerSecond per room.
const (
	stockEvery         = 250 * time.Millisecond
	purchasesPerSecond = 2
)

// events publishes one sale's room events off the engine's goroutine, so
// a slow bus never holds up reservations. Lifecycle events and sold-out go
// out in order; stock updates are coalesced to the latest.
type events struct {
	pub Publisher
	log *slog.Logger
	now func() time.Time

	mu         sync.Mutex
	queue      []room.Event
	roomID     string
	pending    *StockEvent
	lastStock  time.Time
	window     time.Time
	inWindow   int
	wake       chan struct{}
	stopped    chan struct{}
	soldOutFor bool
}

func newEvents(pub Publisher, log *slog.Logger, now func() time.Time, roomID string) *events {
	ev := &events{pub: pub, log: log, now: now, roomID: roomID, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go ev.loop()
	return ev
}

func (ev *events) loop() {
	t := time.NewTicker(stockEvery)
	defer t.Stop()
	for {
		select {
		case <-ev.wake:
		case <-t.C:
		case <-ev.stopped:
			ev.flush(true)
			return
		}
		ev.flush(false)
	}
}

// flush publishes queued events and, when due, the latest stock.
func (ev *events) flush(force bool) {
	ev.mu.Lock()
	q := ev.queue
	ev.queue = nil
	var stock *StockEvent
	if ev.pending != nil && (force || ev.now().Sub(ev.lastStock) >= stockEvery) {
		stock, ev.pending, ev.lastStock = ev.pending, nil, ev.now()
	}
	ev.mu.Unlock()
	subject := room.EventsSubject(ev.roomID)
	if stock != nil {
		ev.pub.Publish(subject, room.Event{Type: EventStock, TS: ev.now().UnixMilli(), Data: stock})
	}
	for _, e := range q {
		ev.pub.Publish(subject, e)
	}
}

func (ev *events) enqueue(typ string, data any) {
	ev.mu.Lock()
	ev.queue = append(ev.queue, room.Event{Type: typ, TS: ev.now().UnixMilli(), Data: data})
	ev.mu.Unlock()
	select {
	case ev.wake <- struct{}{}:
	default:
	}
}

func (ev *events) lifecycle(typ string, s Sale) { ev.enqueue(typ, s) }

// stock records the sale's latest count; sold-out goes out at once.
func (ev *events) stock(s Sale) {
	ev.mu.Lock()
	ev.pending = &StockEvent{ID: s.ID, Remaining: s.Remaining, Sold: s.Sold}
	soldOut := s.Remaining == 0 && !ev.soldOutFor
	ev.soldOutFor = s.Remaining == 0
	ev.mu.Unlock()
	if soldOut {
		ev.enqueue(EventSoldOut, map[string]string{"id": s.ID})
	}
}

// purchase tells the room someone bought, a few times a second at most.
func (ev *events) purchase(s Sale, name string, qty int) {
	ev.mu.Lock()
	now := ev.now()
	if now.Sub(ev.window) >= time.Second {
		ev.window, ev.inWindow = now, 0
	}
	ok := ev.inWindow < purchasesPerSecond
	if ok {
		ev.inWindow++
	}
	ev.mu.Unlock()
	if ok {
		if name == "" {
			name = "Someone"
		}
		ev.enqueue(EventPurchase, PurchaseEvent{Name: name, Title: s.Title, Quantity: qty})
	}
}

func (ev *events) logError(msg, saleID string, err error) {
	ev.log.Error(msg, "sale", saleID, "err", err)
}

func (ev *events) close() {
	select {
	case <-ev.stopped:
	default:
		close(ev.stopped)
	}
}
