// Package ratelimit is a keyed token-bucket limiter with bounded memory:
// one bucket per key (a client IP, a user's credential), rate tokens a
// second up to burst. It holds no HTTP: adapters decide what a key is.
//
// Memory stays bounded under a flood of distinct keys: the keys are
// spread over shards, each shard keeps its buckets in least-recently-used
// order, buckets that have refilled (nothing left to remember) are
// dropped as the shard is used, and a full shard evicts its least
// recently used bucket. Evicting a bucket that had not refilled forgets
// what its key spent, so a client can gain at most one extra burst when
// the limiter is full of other keys; that is the price of the bound.
package ratelimit

import (
	"hash/maphash"
	"math"
	"sync"
	"time"
)

const (
	shardCount = 64
	// DefaultMaxKeys bounds the keys remembered when Config.MaxKeys is 0.
	DefaultMaxKeys = 100_000
	// sweepPerCall is how many refilled buckets one Allow may drop from
	// the cold end of its shard: enough to keep up with new keys, small
	// enough that no call pays for a big sweep.
	sweepPerCall = 2
)

// Config sets a Limiter's rate.
type Config struct {
	Rate    float64 // tokens a second per key; 0 or less turns the limiter off
	Burst   int     // bucket size; below 1 it is the rate rounded up (at least 1)
	MaxKeys int     // keys remembered at once [DefaultMaxKeys]
}

// Limiter is a set of token buckets by key. A nil *Limiter allows
// everything, so "off" needs no special case at the call sites.
type Limiter struct {
	rate     float64
	burst    float64
	perShard int
	seed     maphash.Seed
	shards   [shardCount]shard
}

type shard struct {
	mu      sync.Mutex
	buckets map[string]*entry
	// head is the most recently used entry, tail the least; the list is
	// circular through a sentinel so that the ends need no nil checks.
	list entry
}

type entry struct {
	key        string
	tokens     float64
	last       int64 // unix nanoseconds of the last refill
	prev, next *entry
}

// New returns a Limiter, or nil (allow everything) when c.Rate <= 0.
func New(c Config) *Limiter {
	if c.Rate <= 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) {
		return nil
	}
	burst := float64(c.Burst)
	if c.Burst < 1 {
		burst = max(1, math.Ceil(c.Rate))
	}
	maxKeys := c.MaxKeys
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	l := &Limiter{rate: c.Rate, burst: burst, perShard: max(1, maxKeys/shardCount), seed: maphash.MakeSeed()}
	for i := range l.shards {
		s := &l.shards[i]
		s.buckets = make(map[string]*entry)
		s.list.prev, s.list.next = &s.list, &s.list
	}
	return l
}

// Allow takes a token from key's bucket. When there is none it reports
// how long until there will be one.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	t := now.UnixNano()
	s := &l.shards[maphash.String(l.seed, key)%shardCount]
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.buckets[key]
	if e == nil {
		l.sweep(s, t)
		if len(s.buckets) >= l.perShard {
			s.remove(s.list.prev) // the least recently used
		}
		e = &entry{key: key, tokens: l.burst, last: t}
		s.buckets[key] = e
		s.pushFront(e)
	} else {
		l.refill(e, t)
		s.moveToFront(e)
	}
	if e.tokens >= 1 {
		e.tokens--
		return true, 0
	}
	wait := time.Duration((1 - e.tokens) / l.rate * float64(time.Second))
	return false, max(wait, time.Nanosecond)
}

// Len is the number of keys remembered.
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.buckets)
		s.mu.Unlock()
	}
	return n
}

func (l *Limiter) refill(e *entry, t int64) {
	if d := t - e.last; d > 0 {
		e.tokens = min(l.burst, e.tokens+float64(d)/float64(time.Second)*l.rate)
		e.last = t
	}
}

// sweep drops a few buckets from the cold end that have refilled: a full
// bucket behaves exactly like a missing one.
func (l *Limiter) sweep(s *shard, t int64) {
	for range sweepPerCall {
		e := s.list.prev
		if e == &s.list {
			return
		}
		if e.tokens+float64(t-e.last)/float64(time.Second)*l.rate < l.burst {
			return // still draining; the look per call stays bounded
		}
		s.remove(e)
	}
}

func (s *shard) pushFront(e *entry) {
	e.prev, e.next = &s.list, s.list.next
	s.list.next.prev = e
	s.list.next = e
}

func (s *shard) moveToFront(e *entry) {
	if s.list.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	s.pushFront(e)
}

func (s *shard) remove(e *entry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	delete(s.buckets, e.key)
}
