package realtime

import "time"

// bucket is a token bucket: rate tokens a second up to burst.
type bucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

// allow takes a token when there is one.
func (b *bucket) allow(now time.Time) bool {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// full reports whether the bucket has refilled: nothing to remember.
func (b *bucket) full(now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*b.rate >= b.burst
}

// rateMeter counts events over the last second in 100 ms slots.
type rateMeter struct {
	slot  [10]int64 // slot number (unix ms / 100) each count belongs to
	count [10]int
}

func (m *rateMeter) add(now time.Time) {
	s := now.UnixMilli() / 100
	i := s % 10
	if m.slot[i] != s {
		m.slot[i], m.count[i] = s, 0
	}
	m.count[i]++
}

// perSecond is the number of events in the last second.
func (m *rateMeter) perSecond(now time.Time) int {
	s := now.UnixMilli() / 100
	n := 0
	for i := range m.slot {
		if m.slot[i] > s-10 && m.slot[i] <= s {
			n += m.count[i]
		}
	}
	return n
}
