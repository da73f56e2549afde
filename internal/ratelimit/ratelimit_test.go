package ratelimit

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

var t0 = time.Unix(1_700_000_000, 0)

func TestAllow(t *testing.T) {
	type step struct {
		key   string
		at    time.Duration // after t0
		ok    bool
		retry time.Duration // expected retryAfter when refused
	}
	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"burst then refuse", Config{Rate: 1, Burst: 3}, []step{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, false, time.Second},
		}},
		{"refills at rate", Config{Rate: 2, Burst: 1}, []step{
			{"a", 0, true, 0}, {"a", 0, false, 500 * time.Millisecond},
			{"a", 250 * time.Millisecond, false, 250 * time.Millisecond},
			{"a", 500 * time.Millisecond, true, 0}, {"a", 500 * time.Millisecond, false, 500 * time.Millisecond},
		}},
		{"keys are independent", Config{Rate: 1, Burst: 1}, []step{
			{"a", 0, true, 0}, {"a", 0, false, time.Second}, {"b", 0, true, 0}, {"b", 0, false, time.Second},
		}},
		{"refill caps at burst", Config{Rate: 10, Burst: 2}, []step{
			{"a", 0, true, 0}, {"a", time.Hour, true, 0}, {"a", time.Hour, true, 0}, {"a", time.Hour, false, 100 * time.Millisecond},
		}},
		{"burst defaults to the rate rounded up", Config{Rate: 1.5}, []step{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, false, 666666666},
		}},
		{"slow rate gives a long wait", Config{Rate: 0.1, Burst: 1}, []step{
			{"a", 0, true, 0}, {"a", 0, false, 10 * time.Second}, {"a", 9 * time.Second, false, time.Second},
		}},
		{"time going backwards takes nothing and gives nothing", Config{Rate: 1, Burst: 1}, []step{
			{"a", time.Second, true, 0}, {"a", 0, false, time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(tt.cfg)
			for i, s := range tt.steps {
				ok, retry := l.Allow(s.key, t0.Add(s.at))
				if ok != s.ok {
					t.Fatalf("step %d (%s at %s): ok = %v, want %v", i, s.key, s.at, ok, s.ok)
				}
				if !ok && (retry < s.retry-time.Millisecond || retry > s.retry+time.Millisecond) {
					t.Fatalf("step %d: retryAfter = %s, want %s", i, retry, s.retry)
				}
				if ok && retry != 0 {
					t.Fatalf("step %d: retryAfter = %s on an allowed call", i, retry)
				}
			}
		})
	}
}

func TestOff(t *testing.T) {
	for _, rate := range []float64{0, -1} {
		l := New(Config{Rate: rate, Burst: 5})
		if l != nil {
			t.Fatalf("rate %v: limiter %v, want nil (off)", rate, l)
		}
		for range 1000 {
			if ok, _ := l.Allow("a", t0); !ok {
				t.Fatalf("rate %v: a nil limiter refused", rate)
			}
		}
		if l.Len() != 0 {
			t.Fatalf("nil limiter Len = %d", l.Len())
		}
	}
}

// A flood of distinct keys must not grow memory past MaxKeys, and the
// coldest keys are the ones forgotten.
func TestBoundedKeys(t *testing.T) {
	const maxKeys = 64 * 10
	l := New(Config{Rate: 1, Burst: 1, MaxKeys: maxKeys})
	hot := "hot"
	l.Allow(hot, t0) // drain the hot key
	for i := range 100_000 {
		now := t0.Add(time.Duration(i) * time.Microsecond) // within a second: no bucket refills
		l.Allow("k"+strconv.Itoa(i), now)
		if i%50 == 0 {
			l.Allow(hot, now) // keep it recently used
		}
	}
	if n := l.Len(); n > maxKeys {
		t.Fatalf("Len = %d, want at most %d", n, maxKeys)
	}
	if ok, _ := l.Allow(hot, t0.Add(100*time.Millisecond)); ok {
		t.Fatal("the hot key was evicted: it got a fresh bucket")
	}
}

// Buckets that have refilled are dropped as the limiter is used, so an
// old flood does not keep memory forever.
func TestIdleBucketsSwept(t *testing.T) {
	l := New(Config{Rate: 10, Burst: 1})
	for i := range 10_000 {
		l.Allow("old"+strconv.Itoa(i), t0)
	}
	before := l.Len()
	later := t0.Add(time.Minute) // every old bucket has refilled
	for i := range 10_000 {
		l.Allow("new"+strconv.Itoa(i), later)
	}
	if after := l.Len(); after > before+before/4 {
		t.Fatalf("Len = %d after 10000 new keys (was %d): idle buckets were not swept", after, before)
	}
}

func TestConcurrent(t *testing.T) {
	l := New(Config{Rate: 1, Burst: 100, MaxKeys: 1000})
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for g := range 8 {
		wg.Go(func() {
			n := 0
			for i := range 1000 {
				if ok, _ := l.Allow("shared", t0); ok {
					n++
				}
				l.Allow(fmt.Sprintf("g%d-%d", g, i), t0)
			}
			mu.Lock()
			allowed += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("allowed %d from one bucket of 100 at one instant", allowed)
	}
	if n := l.Len(); n > 1000 {
		t.Fatalf("Len = %d > MaxKeys", n)
	}
}

func TestClientKey(t *testing.T) {
	tests := []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"203.0.113.7:51234", "", false, "203.0.113.7"},
		{"203.0.113.7:51234", "198.51.100.1", false, "203.0.113.7"},
		{"10.0.0.2:80", "198.51.100.1, 10.0.0.1", true, "198.51.100.1"},
		{"10.0.0.2:80", " 198.51.100.1 ,10.0.0.1", true, "198.51.100.1"},
		{"10.0.0.2:80", "198.51.100.1:4711", true, "198.51.100.1"},
		{"10.0.0.2:80", "not-an-ip, 198.51.100.1", true, "10.0.0.2"},
		{"10.0.0.2:80", "", true, "10.0.0.2"},
		{"[2001:db8:1:2:3:4:5:6]:443", "", false, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "", false, "2001:db8:1:2::/64"},
		{"10.0.0.2:80", "2001:db8:9:9::1", true, "2001:db8:9:9::/64"},
		{"[::ffff:192.0.2.1]:80", "", false, "192.0.2.1"},
		{"[fe80::1%eth0]:80", "", false, "fe80::/64"},
		{"pipe", "", false, "pipe"},
	}
	for _, tt := range tests {
		if got := ClientKey(tt.remote, tt.xff, tt.trust); got != tt.want {
			t.Errorf("ClientKey(%q, %q, %v) = %q, want %q", tt.remote, tt.xff, tt.trust, got, tt.want)
		}
	}
}

func BenchmarkAllow(b *testing.B) {
	b.Run("one key", func(b *testing.B) {
		l := New(Config{Rate: 1e9, Burst: 1 << 30})
		now := time.Now()
		for b.Loop() {
			l.Allow("203.0.113.7", now)
		}
	})
	b.Run("10k keys parallel", func(b *testing.B) {
		l := New(Config{Rate: 100, Burst: 200})
		keys := make([]string, 10_000)
		for i := range keys {
			keys[i] = fmt.Sprintf("10.0.%d.%d", i/256, i%256)
		}
		now := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				l.Allow(keys[i%len(keys)], now)
				i++
			}
		})
	})
	b.Run("flood of new keys", func(b *testing.B) {
		l := New(Config{Rate: 100, Burst: 200})
		keys := make([]string, 1<<20)
		for i := range keys {
			keys[i] = strconv.Itoa(i)
		}
		now := time.Now()
		i := 0
		for b.Loop() {
			l.Allow(keys[i&(len(keys)-1)], now)
			i++
		}
	})
	b.Run("ClientKey", func(b *testing.B) {
		for b.Loop() {
			ClientKey("203.0.113.7:51234", "", false)
		}
	})
}
