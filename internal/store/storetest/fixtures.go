package storetest

import (
	"sync"
	"time"
)

// Clock is a clock a test moves by hand, for expiry, leases and retries.
// It is safe for concurrent use: services, a dispatcher and an httptest
// handler may read it while the test advances it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at start, cut to the millisecond that
// the store keeps, so that times read back compare Equal to the clock's.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start.UTC().Truncate(time.Millisecond)}
}

// Now returns the clock's time; pass the method value as a service's now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
