package coupon

import (
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/room"
)

// Room event types (docs/SELLING.md).
const (
	EventDropped = "coupon.dropped" // data: Coupon
	EventStock   = "coupon.stock"   // data: Stock
	EventGone    = "coupon.gone"    // data: Gone
)

// Stock is the data of a coupon.stock event.
type Stock struct {
	ID         string `json:"id"`
	Claimed    int    `json:"claimed"`
	TotalLimit int    `json:"total_limit"`
}

// Gone is the data of a coupon.gone event: the last one was claimed.
type Gone struct {
	ID string `json:"id"`
}

// Publisher sends events (internal/bus implements it).
type Publisher interface {
	Publish(subject string, payload any)
}

// emit publishes an event of type typ on the room's events subject.
func (s *Service) emit(roomID, typ string, data any) {
	s.pub.Publish(room.EventsSubject(roomID), room.Event{Type: typ, TS: s.now().UnixMilli(), Data: data})
}

// stockInterval bounds how often coupon.stock goes out per coupon.
const stockInterval = 250 * time.Millisecond

// stockThrottle sends coupon.stock at most every stockInterval per
// coupon while claims come in: the first change goes out at once, later
// ones wait for the interval and only the newest of them is sent, so the
// last count always goes out. Counts never go backwards (claims finishing
// out of order report older counts late), and the count that reaches the
// total limit goes out at once. Each node throttles its own claims.
type stockThrottle struct {
	send func(roomID string, ev Stock)

	mu     sync.Mutex
	states map[string]*stockState // coupon id →
	closed bool
}

type stockState struct {
	mu      sync.Mutex
	roomID  string
	sentAt  time.Time
	sent    int    // the highest count sent, -1 for none
	pending *Stock // waiting for the timer
	timer   *time.Timer
	armed   uint64 // counts timers, so a stopped one that fires anyway knows
}

func newStockThrottle(send func(roomID string, ev Stock)) *stockThrottle {
	return &stockThrottle{send: send, states: map[string]*stockState{}}
}

// update reports a coupon's count after a claim.
func (t *stockThrottle) update(roomID string, ev Stock) {
	st, closed := t.state(ev.ID, roomID)
	st.mu.Lock()
	defer st.mu.Unlock()
	if ev.Claimed <= st.sent || (st.pending != nil && ev.Claimed <= st.pending.Claimed) {
		return
	}
	now := time.Now()
	if closed || ev.Claimed >= ev.TotalLimit || (st.timer == nil && now.Sub(st.sentAt) >= stockInterval) {
		if st.timer != nil {
			st.timer.Stop()
			st.timer, st.pending = nil, nil
		}
		t.sendLocked(st, ev, now)
		return
	}
	st.pending = &ev
	if st.timer == nil {
		st.armed++
		n := st.armed
		st.timer = time.AfterFunc(stockInterval-now.Sub(st.sentAt), func() { t.fire(st, n) })
	}
}

func (t *stockThrottle) fire(st *stockState, n uint64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.timer == nil || st.armed != n {
		return // stopped, perhaps superseded
	}
	st.timer = nil
	if ev := st.pending; ev != nil {
		st.pending = nil
		t.sendLocked(st, *ev, time.Now())
	}
}

func (t *stockThrottle) sendLocked(st *stockState, ev Stock, now time.Time) {
	st.sent, st.sentAt = ev.Claimed, now
	t.send(st.roomID, ev)
}

// state returns the coupon's state, creating it, and whether the
// throttle is closed (then updates go out at once).
func (t *stockThrottle) state(couponID, roomID string) (*stockState, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.states[couponID]
	if st == nil {
		if len(t.states) >= 256 {
			t.sweepLocked()
		}
		st = &stockState{roomID: roomID, sent: -1}
		t.states[couponID] = st
	}
	return st, t.closed
}

// sweepLocked forgets coupons with nothing pending whose last event is
// older than the interval: their next change would go out at once anyway.
func (t *stockThrottle) sweepLocked() {
	now := time.Now()
	for id, st := range t.states {
		if !st.mu.TryLock() {
			continue
		}
		if st.timer == nil && now.Sub(st.sentAt) >= stockInterval {
			delete(t.states, id)
		}
		st.mu.Unlock()
	}
}

// close sends what is pending and makes later updates go out at once.
func (t *stockThrottle) close() {
	t.mu.Lock()
	t.closed = true
	states := make([]*stockState, 0, len(t.states))
	for _, st := range t.states {
		states = append(states, st)
	}
	t.mu.Unlock()
	for _, st := range states {
		st.mu.Lock()
		if st.timer != nil {
			st.timer.Stop()
			st.timer = nil
			if ev := st.pending; ev != nil {
				st.pending = nil
				t.sendLocked(st, *ev, time.Now())
			}
		}
		st.mu.Unlock()
	}
}
