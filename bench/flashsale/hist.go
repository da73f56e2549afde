package main

import (
	"math/bits"
	"time"
)

// Latencies are kept in microseconds in log-linear buckets, HDR style:
// values below 32 µs exactly, above that 16 buckets per power of two
// (each at most 1/16 wide, reported at its middle, so within about
// 3 %). 30 octaves reach 9.5 hours; longer values are clamped. A
// histogram is 4 KiB whatever the number of requests.
const (
	subBits  = 4
	subCount = 1 << subBits
	octaves  = 30
	nBuckets = 2*subCount + octaves*subCount
	maxValue = int64(1)<<(octaves+subBits+1) - 1
)

// hist is a latency histogram. Each worker owns one; the run adds them up.
type hist struct {
	counts [nBuckets]uint64
	n      uint64
	max    int64 // µs
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

func (h *hist) record(d time.Duration) {
	us := d.Microseconds()
	h.counts[bucketOf(us)]++
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
			return time.Duration(min(bucketMid(i), h.max)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}
