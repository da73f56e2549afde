package webrtc

import (
	"sync"
	"time"
)

// sessionClock is the common clock of one publisher's tracks: time zero
// is the arrival of the first packet of any track.
type sessionClock struct {
	mu    sync.Mutex
	start time.Time
}

// offset returns how long after the session's first packet at arrived,
// starting the clock if this is the first.
func (c *sessionClock) offset(at time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.start.IsZero() {
		c.start = at
	}
	return at.Sub(c.start)
}

// rtpClock maps one track's 32-bit RTP timestamps to the session clock:
// the track's first packet is placed at its arrival time, later ones by
// their timestamp distance from it, unwrapped across 32-bit overflow.
type rtpClock struct {
	rate    int64
	base    time.Duration
	last    uint32
	ticks   int64 // unwrapped distance of last from the first timestamp
	started bool
}

func newRTPClock(rate int) *rtpClock { return &rtpClock{rate: int64(rate)} }

// pts returns ts on the session clock; arrival is when ts's packet came.
func (c *rtpClock) pts(ts uint32, arrival time.Time, session *sessionClock) time.Duration {
	if !c.started {
		c.started, c.last, c.base = true, ts, session.offset(arrival)
	}
	c.ticks += int64(int32(ts - c.last))
	c.last = ts
	// Split to avoid overflow on streams that run for days.
	return c.base + time.Duration(c.ticks/c.rate)*time.Second + time.Duration(c.ticks%c.rate)*time.Second/time.Duration(c.rate)
}
