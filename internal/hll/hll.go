// Package hll counts distinct items approximately with a HyperLogLog
// sketch: 16 KiB of registers whatever the number of items, a standard
// error of about 0.8%, and sketches from several nodes merge into the count
// of the union. The realtime nodes use it for a room's unique viewers.
//
// The hash is fixed (FNV-1a with a 64-bit finaliser, no per-process seed),
// so sketches built by different processes and versions can be merged.
package hll

import "math/bits"

const (
	// Precision is the number of hash bits choosing a register.
	Precision = 14
	registers = 1 << Precision
	// maxRank is the largest register value: the leading zeros of the
	// remaining 64-Precision bits, plus one.
	maxRank = 64 - Precision + 1
)

// HLL is one sketch. It is not safe for concurrent use.
type HLL struct {
	regs [registers]uint8
}

// New returns an empty sketch.
func New() *HLL { return &HLL{} }

// Add records one item (a user id, an anonymous viewer id…).
func (h *HLL) Add(item []byte) { h.addHash(hash64(item)) }

// AddString is Add for a string, without copying it.
func (h *HLL) AddString(item string) { h.addHash(hashString(item)) }

func (h *HLL) addHash(x uint64) {
	idx := x >> (64 - Precision)
	rank := uint8(min(bits.LeadingZeros64(x<<Precision), maxRank-1) + 1)
	if rank > h.regs[idx] {
		h.regs[idx] = rank
	}
}

// Merge adds every item of other to h (other is unchanged; nil is empty).
func (h *HLL) Merge(other *HLL) {
	if other == nil {
		return
	}
	for i, r := range other.regs {
		if r > h.regs[i] {
			h.regs[i] = r
		}
	}
}

// Count estimates the number of distinct items added.
func (h *HLL) Count() uint64 { return estimate(&h.regs) }

// Reset empties the sketch.
func (h *HLL) Reset() { h.regs = [registers]uint8{} }
