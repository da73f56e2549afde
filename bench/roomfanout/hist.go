package main

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Latencies are kept in microseconds in log-linear buckets, HDR style:
// values below 32 µs exactly, above that 16 buckets per power of two
// (each at most 1/16 wide, reported at its middle, so within about
// 3 %). 30 octaves reach 9.5 hours; longer values are clamped.
const (
	subBits  = 4
	subCount = 1 << subBits
	octaves  = 30
	nBuckets = 2*subCount + octaves*subCount
	maxValue = int64(1)<<(octaves+subBits+1) - 1
)

// hist is a latency histogram safe for one writer and concurrent
// readers: each viewer owns one, and the report merges them.
type hist struct {
	counts [nBuckets]atomic.Uint32
}

// bucketOf is the bucket index of v microseconds: the top subBits+1
// bits of v, offset by how far they were shifted.
func bucketOf(v int64) int {
	v = min(max(v, 0), maxValue)
	if v < 2*subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1)
	return shift*subCount + int(v>>shift)
}

// bucketMid is the middle of bucket i, in microseconds.
func bucketMid(i int) int64 {
	if i < 2*subCount {
		return int64(i)
	}
	shift := i/subCount - 1
	top := int64(i - shift*subCount)
	return top<<shift + (int64(1)<<shift)/2
}

func (h *hist) record(d time.Duration) { h.counts[bucketOf(d.Microseconds())].Add(1) }

// mergeInto adds h's counts to sum and zeroes h.
func (h *hist) mergeInto(sum *quantiles) {
	for i := range h.counts {
		if c := h.counts[i].Swap(0); c != 0 {
			sum[i] += uint64(c)
		}
	}
}

// quantiles reads merged counts.
type quantiles [nBuckets]uint64

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
			return time.Duration(bucketMid(i)) * time.Microsecond
		}
	}
	return time.Duration(maxValue) * time.Microsecond
}
