package main

import (
	"sync/atomic"
	"time"

	"github.com/liveshop/liveshop/bench/internal/latency"
)

// hist is a latency histogram safe for one writer and concurrent
// readers: each viewer owns one, and the report merges them.
type hist struct {
	counts [latency.Buckets]atomic.Uint32
}

func (h *hist) record(d time.Duration) { h.counts[latency.Bucket(d.Microseconds())].Add(1) }

// mergeInto adds h's counts to sum and zeroes h.
func (h *hist) mergeInto(sum *quantiles) {
	for i := range h.counts {
		if c := h.counts[i].Swap(0); c != 0 {
			sum[i] += uint64(c)
		}
	}
}

// quantiles reads merged counts.
type quantiles [latency.Buckets]uint64

func (q *quantiles) total() uint64 {
	var n uint64
	for _, c := range q {
		n += c
	}
	return n
}

// at returns the p-quantile (nearest rank), 0 when empty.
func (q *quantiles) at(p float64) time.Duration {
	n := q.total()
	if n == 0 {
		return 0
	}
	rank := uint64(p*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var cum uint64
	for i, c := range q {
		cum += c
		if cum >= rank {
			return time.Duration(latency.Mid(i)) * time.Microsecond
		}
	}
	return time.Duration(latency.MaxValue) * time.Microsecond
}
