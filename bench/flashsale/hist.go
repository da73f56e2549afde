package main

import (
	"time"

	"github.com/liveshop/liveshop/bench/internal/latency"
)

// hist is a latency histogram. Each worker owns one; the run adds them up.
type hist struct {
	counts [latency.Buckets]uint64
	n      uint64
	max    int64 // µs
}

func (h *hist) record(d time.Duration) {
	us := d.Microseconds()
	h.counts[latency.Bucket(us)]++
	h.n++
	h.max = max(h.max, us)
}

// add adds o's counts to h.
func (h *hist) add(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// at returns the p-quantile (nearest rank), 0 when empty; the maximum is
// exact.
func (h *hist) at(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	if p >= 1 {
		return time.Duration(h.max) * time.Microsecond
	}
	rank := uint64(p*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var cum uint64
	for i, c := range h.counts {
		cum += c
		if cum >= rank {
			return time.Duration(min(latency.Mid(i), h.max)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}
