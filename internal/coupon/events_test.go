package coupon

import (
	"sync"
	"testing"
	"time"
)

type sentStock struct {
	at time.Time
	ev Stock
}

type stockRecorder struct {
	mu   sync.Mutex
	sent []sentStock
}

func (r *stockRecorder) send(_ string, ev Stock) {
	r.mu.Lock()
	r.sent = append(r.sent, sentStock{time.Now(), ev})
	r.mu.Unlock()
}

func (r *stockRecorder) all() []sentStock {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentStock(nil), r.sent...)
}

// waitFor polls until cond holds, for at most two seconds.
func (r *stockRecorder) waitFor(t *testing.T, cond func([]sentStock) bool) []sentStock {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := r.all()
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("events: %+v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStockThrottle(t *testing.T) {
	t.Parallel()
	rec := &stockRecorder{}
	th := newStockThrottle(rec.send)
	start := time.Now()
	// 200 claims in about 600 ms, reported out of order in pairs.
	for i := 1; i <= 200; i += 2 {
		th.update("ses_1", Stock{ID: "cpn_1", Claimed: i + 1, TotalLimit: 1000})
		th.update("ses_1", Stock{ID: "cpn_1", Claimed: i, TotalLimit: 1000})
		time.Sleep(6 * time.Millisecond)
	}
	elapsed := time.Since(start)
	got := rec.waitFor(t, func(s []sentStock) bool { return len(s) > 0 && s[len(s)-1].ev.Claimed == 200 })
	if got[0].ev.Claimed != 2 {
		t.Errorf("first event %+v, want the first count at once", got[0].ev)
	}
	if max := int(elapsed/stockInterval) + 2; len(got) > max {
		t.Errorf("%d events in %v, want at most %d", len(got), elapsed, max)
	}
	for i := 1; i < len(got); i++ {
		if gap := got[i].at.Sub(got[i-1].at); gap < stockInterval-20*time.Millisecond {
			t.Errorf("events %d and %d only %v apart", i-1, i, gap)
		}
		if got[i].ev.Claimed <= got[i-1].ev.Claimed {
			t.Errorf("count went from %d to %d", got[i-1].ev.Claimed, got[i].ev.Claimed)
		}
	}

	// Reaching the limit goes out at once, and nothing older after it.
	rec2 := &stockRecorder{}
	th2 := newStockThrottle(rec2.send)
	th2.update("ses_1", Stock{ID: "cpn_2", Claimed: 1, TotalLimit: 3})
	th2.update("ses_1", Stock{ID: "cpn_2", Claimed: 2, TotalLimit: 3}) // waits
	th2.update("ses_1", Stock{ID: "cpn_2", Claimed: 3, TotalLimit: 3}) // at once
	th2.update("ses_1", Stock{ID: "cpn_2", Claimed: 2, TotalLimit: 3}) // late report: dropped
	if got := rec2.all(); len(got) != 2 || got[1].ev.Claimed != 3 {
		t.Fatalf("events %+v, want 1 then 3", got)
	}
	time.Sleep(stockInterval + 50*time.Millisecond)
	if got := rec2.all(); len(got) != 2 {
		t.Fatalf("events after the interval %+v", got)
	}

	// Close flushes what waits.
	rec3 := &stockRecorder{}
	th3 := newStockThrottle(rec3.send)
	th3.update("ses_1", Stock{ID: "cpn_3", Claimed: 1, TotalLimit: 9})
	th3.update("ses_1", Stock{ID: "cpn_3", Claimed: 2, TotalLimit: 9})
	th3.close()
	if got := rec3.all(); len(got) != 2 || got[1].ev.Claimed != 2 {
		t.Fatalf("events after close %+v", got)
	}
}
