// Package latency holds the bucket layout the load generators' latency
// histograms share.
//
// Latencies are kept in microseconds in log-linear buckets, HDR style:
// values below 32 µs exactly, above that 16 buckets per power of two
// (each at most 1/16 wide, reported at its middle, so within about 3 %).
// 30 octaves reach 9.5 hours; longer values are clamped. A histogram of
// Buckets counters is a few KiB whatever the number of samples.
package latency

import "math/bits"

const (
	subBits  = 4
	subCount = 1 << subBits
	octaves  = 30
	// Buckets is the number of buckets of a histogram.
	Buckets = 2*subCount + octaves*subCount
	// MaxValue is the largest value kept apart; larger ones share the last bucket.
	MaxValue = int64(1)<<(octaves+subBits+1) - 1
)

// Bucket is the bucket index of v microseconds: the top subBits+1 bits
// of v, offset by how far they were shifted.
func Bucket(v int64) int {
	v = min(max(v, 0), MaxValue)
	if v < 2*subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1)
	return shift*subCount + int(v>>shift)
}

// Mid is the middle of bucket i, in microseconds.
func Mid(i int) int64 {
	if i < 2*subCount {
		return int64(i)
	}
	shift := i/subCount - 1
	top := int64(i - shift*subCount)
	return top<<shift + (int64(1)<<shift)/2
}
