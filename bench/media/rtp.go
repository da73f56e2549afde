package main

import "errors"

const (
	naluSTAPA = 24
	naluFUA   = 28
)

var errBadRTP = errors.New("h264 rtp: malformed payload")

// auAssembler rebuilds H.264 access units from RTP payloads (RFC 6184:
// single NAL unit, STAP-A and FU-A packets). An access unit ends at the
// marker bit or when the timestamp changes; one with a sequence gap or a
// broken fragment is reported incomplete.
type auAssembler struct {
	started  bool
	ts       uint32
	lastSeq  uint16
	nalus    [][]byte
	fu       []byte // FU-A unit being rebuilt, nil when none
	broken   bool
	finished bool // the current timestamp's AU was already emitted
}

// assembledAU is one access unit as received.
type assembledAU struct {
	nalus    [][]byte
	complete bool // every packet arrived and every fragment joined
}

// push feeds one packet; it returns the access units it ends: the
// previous one when its marker never came, and this one at its marker.
func (a *auAssembler) push(seq uint16, ts uint32, marker bool, payload []byte) ([]*assembledAU, error) {
	var out []*assembledAU
	if !a.started || ts != a.ts {
		if a.started && !a.finished && len(a.nalus) > 0 {
			out = append(out, a.emit(false))
		}
		a.ts, a.nalus, a.fu, a.broken, a.finished = ts, nil, nil, false, false
		if a.started && seq != a.lastSeq+1 {
			a.broken = true
		}
	} else if seq != a.lastSeq+1 {
		a.broken = true
		a.fu = nil // a fragment went missing: drop the unit being rebuilt
	}
	a.started, a.lastSeq = true, seq
	if a.finished {
		return out, nil
	}
	if err := a.add(payload); err != nil {
		a.broken = true
		return out, err
	}
	if marker {
		out = append(out, a.emit(true))
	}
	return out, nil
}

func (a *auAssembler) emit(markerSeen bool) *assembledAU {
	au := &assembledAU{nalus: a.nalus, complete: markerSeen && !a.broken && a.fu == nil}
	a.nalus, a.fu, a.finished = nil, nil, true
	return au
}

func (a *auAssembler) add(p []byte) error {
	if len(p) == 0 {
		return errBadRTP
	}
	switch p[0] & 0x1f {
	case naluSTAPA:
		for b := p[1:]; len(b) > 0; {
			if len(b) < 2 {
				return errBadRTP
			}
			n := int(b[0])<<8 | int(b[1])
			if n == 0 || len(b) < 2+n {
				return errBadRTP
			}
			a.nalus = append(a.nalus, b[2:2+n])
			b = b[2+n:]
		}
	case naluFUA:
		if len(p) < 3 {
			return errBadRTP
		}
		start, end := p[1]&0x80 != 0, p[1]&0x40 != 0
		if start {
			a.fu = append([]byte{p[0]&0xe0 | p[1]&0x1f}, p[2:]...)
		} else if a.fu == nil {
			a.broken = true // its start was lost
			return nil
		} else {
			a.fu = append(a.fu, p[2:]...)
		}
		if end {
			a.nalus = append(a.nalus, a.fu)
			a.fu = nil
		}
	default:
		a.nalus = append(a.nalus, p)
	}
	return nil
}

// packetSEI returns the send time carried by a single-NAL-unit or STAP-A
// payload that holds a timestamp SEI. It is the cheap per-packet check the
// load viewers run; the SEI is small, so it never travels fragmented.
func packetSEI(p []byte) (int64, bool) {
	if len(p) == 0 {
		return 0, false
	}
	switch p[0] & 0x1f {
	case naluSEI:
		ts, err := parseTimestampSEI(p)
		return ts, err == nil
	case naluSTAPA:
		for b := p[1:]; len(b) >= 2; {
			n := int(b[0])<<8 | int(b[1])
			if n == 0 || len(b) < 2+n {
				return 0, false
			}
			if ts, err := parseTimestampSEI(b[2 : 2+n]); err == nil {
				return ts, true
			}
			b = b[2+n:]
		}
	}
	return 0, false
}
