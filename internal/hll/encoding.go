package hll

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The binary form travels in every presence report (each node, each room,
// every second), so a sketch of few viewers must stay small:
//
//	byte 0  version (1)
//	byte 1  precision (14)
//	byte 2  kind: 0 sparse, 1 dense
//	sparse: for each non-zero register in increasing index order, the
//	        uvarint (index - previous index) << 6 | value
//	        (the first entry's "previous index" is 0), up to the end
//	dense:  every register as 6 bits, packed big-endian: 12,288 bytes
//
// The shorter of the two is written.
const (
	version    = 1
	kindSparse = 0
	kindDense  = 1
	headerLen  = 3
	denseLen   = registers * 6 / 8
)

// MarshalBinary encodes the sketch (sparse when that is shorter).
func (h *HLL) MarshalBinary() ([]byte, error) {
	used := 0
	for _, r := range h.regs {
		if r != 0 {
			used++
		}
	}
	// A sparse entry is at most 3 bytes (14-bit delta + 6-bit value).
	if used*3 < denseLen {
		return h.appendSparse(make([]byte, 0, headerLen+used*3)), nil
	}
	return h.appendDense(make([]byte, 0, headerLen+denseLen)), nil
}

func (h *HLL) appendSparse(out []byte) []byte {
	out = append(out, version, Precision, kindSparse)
	prev := 0
	for i, r := range h.regs {
		if r == 0 {
			continue
		}
		out = binary.AppendUvarint(out, uint64(i-prev)<<6|uint64(r))
		prev = i
	}
	return out
}

func (h *HLL) appendDense(out []byte) []byte {
	out = append(out, version, Precision, kindDense)
	for i := 0; i < registers; i += 4 {
		v := uint32(h.regs[i])<<18 | uint32(h.regs[i+1])<<12 | uint32(h.regs[i+2])<<6 | uint32(h.regs[i+3])
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
	}
	return out
}

var errFormat = errors.New("hll: malformed sketch")

// UnmarshalBinary replaces the sketch with an encoded one. It checks the
// version and precision, register values, strictly increasing indexes and
// the exact length (the data comes from other nodes); on error h is
// unchanged.
func (h *HLL) UnmarshalBinary(data []byte) error {
	if len(data) < headerLen {
		return fmt.Errorf("%w: %d bytes", errFormat, len(data))
	}
	if data[0] != version || data[1] != Precision {
		return fmt.Errorf("%w: version %d precision %d", errFormat, data[0], data[1])
	}
	var regs [registers]uint8
	body := data[headerLen:]
	switch data[2] {
	case kindSparse:
		if err := decodeSparse(&regs, body); err != nil {
			return err
		}
	case kindDense:
		if err := decodeDense(&regs, body); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: kind %d", errFormat, data[2])
	}
	h.regs = regs
	return nil
}

func decodeSparse(regs *[registers]uint8, body []byte) error {
	idx := 0
	for n := 0; len(body) > 0; n++ {
		v, size := binary.Uvarint(body)
		if size <= 0 {
			return fmt.Errorf("%w: entry %d", errFormat, n)
		}
		body = body[size:]
		delta, r := v>>6, uint8(v&63)
		if (n > 0 && delta == 0) || delta >= registers || uint64(idx)+delta >= registers {
			return fmt.Errorf("%w: entry %d index", errFormat, n)
		}
		if r == 0 || r > maxRank {
			return fmt.Errorf("%w: entry %d value %d", errFormat, n, r)
		}
		idx += int(delta)
		regs[idx] = r
	}
	return nil
}

func decodeDense(regs *[registers]uint8, body []byte) error {
	if len(body) != denseLen {
		return fmt.Errorf("%w: dense body of %d bytes", errFormat, len(body))
	}
	for i, j := 0, 0; i < registers; i, j = i+4, j+3 {
		v := uint32(body[j])<<16 | uint32(body[j+1])<<8 | uint32(body[j+2])
		for k := range 4 {
			r := uint8(v >> (18 - 6*k) & 63)
			if r > maxRank {
				return fmt.Errorf("%w: register %d value %d", errFormat, i+k, r)
			}
			regs[i+k] = r
		}
	}
	return nil
}
