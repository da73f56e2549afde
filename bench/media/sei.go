package main

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// seiUUID marks our timestamp SEI among any other user_data_unregistered
// messages an encoder may emit (x264 writes its settings in one).
var seiUUID = [16]byte{0x6c, 0x69, 0x76, 0x65, 0x73, 0x68, 0x6f, 0x70, 0x2d, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x2d, 0x31} // "liveshop-bench-1"

const (
	naluSEI            = 6
	seiUserDataUnreg   = 5
	seiTimestampLength = 16 + 8
)

// timestampSEI returns an H.264 SEI NAL unit (type 6) holding one
// user_data_unregistered message: seiUUID then unixNanos big-endian.
// Emulation prevention is applied, so the unit is valid in any stream.
func timestampSEI(unixNanos int64) []byte {
	rbsp := make([]byte, 0, 2+seiTimestampLength+1)
	rbsp = append(rbsp, seiUserDataUnreg, seiTimestampLength)
	rbsp = append(rbsp, seiUUID[:]...)
	rbsp = binary.BigEndian.AppendUint64(rbsp, uint64(unixNanos))
	rbsp = append(rbsp, 0x80) // rbsp_trailing_bits
	return append([]byte{naluSEI}, escapeRBSP(rbsp)...)
}

var errNotOurSEI = errors.New("sei: no timestamp message")

// parseTimestampSEI returns the send time carried by a NAL unit made by
// timestampSEI, or errNotOurSEI for any other NAL unit.
func parseTimestampSEI(nalu []byte) (int64, error) {
	if len(nalu) < 2 || nalu[0]&0x1f != naluSEI {
		return 0, errNotOurSEI
	}
	b := unescapeRBSP(nalu[1:])
	for len(b) > 1 && b[0] != 0x80 { // one or more sei_message()s
		typ, n := seiVarint(b)
		b = b[n:]
		size, n := seiVarint(b)
		b = b[n:]
		if n == 0 || size > len(b) {
			return 0, errNotOurSEI
		}
		if typ == seiUserDataUnreg && size == seiTimestampLength && bytes.Equal(b[:16], seiUUID[:]) {
			return int64(binary.BigEndian.Uint64(b[16:24])), nil
		}
		b = b[size:]
	}
	return 0, errNotOurSEI
}

// seiVarint reads an SEI payload type or size: a run of 0xFF bytes each
// adding 255, then a last byte. n is 0 when b ends first.
func seiVarint(b []byte) (v, n int) {
	for i, c := range b {
		v += int(c)
		if c != 0xff {
			return v, i + 1
		}
	}
	return 0, 0
}

// escapeRBSP inserts emulation prevention bytes (00 00 0x → 00 00 03 0x
// for x ≤ 3) so the payload never looks like a start code.
func escapeRBSP(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/64+2)
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c <= 3 {
			out = append(out, 3)
			zeros = 0
		}
		out = append(out, c)
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

// unescapeRBSP removes emulation prevention bytes.
func unescapeRBSP(b []byte) []byte {
	if !bytes.Contains(b, []byte{0, 0, 3}) {
		return b
	}
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		out = append(out, c)
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

// withTimestampSEI returns au with a timestamp SEI inserted before its
// first slice, where H.264 requires SEI to be. au itself is not changed.
func withTimestampSEI(au [][]byte, unixNanos int64) [][]byte {
	out := make([][]byte, 0, len(au)+1)
	inserted := false
	for _, n := range au {
		if t := n[0] & 0x1f; !inserted && (t == naluSlice || t == naluIDR) {
			out = append(out, timestampSEI(unixNanos))
			inserted = true
		}
		out = append(out, n)
	}
	if !inserted {
		out = append(out, timestampSEI(unixNanos))
	}
	return out
}
