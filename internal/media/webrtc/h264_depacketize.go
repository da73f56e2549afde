package webrtc

import "github.com/pion/rtp"

// H.264 NAL unit types this package cares about (RFC 6184, ITU-T H.264).
const (
	naluSlice   = 1
	naluIDR     = 5
	naluSPS     = 7
	naluPPS     = 8
	naluAUD     = 9
	naluFiller  = 12
	naluSTAPA   = 24
	naluFUA     = 28
	maxNALUSize = 4 << 20 // no sane access unit has a bigger NAL unit
	maxAUNALUs  = 256
)

// accessUnit is one H.264 picture put back together from RTP.
type accessUnit struct {
	timestamp uint32
	nalus     [][]byte // without start codes; SPS and PPS first on keyframes
	key       bool
}

// h264Assembler turns in-order RTP packets (RFC 6184: single NAL unit,
// STAP-A and FU-A packets) into access units. An access unit ends at the
// marker bit or when the timestamp changes. After a lost packet or a
// malformed one, pictures are dropped until the next complete IDR, so a
// decoder downstream never sees a broken reference chain.
type h264Assembler struct {
	have    bool
	ts      uint32
	nalus   [][]byte
	fu      []byte // the NAL unit being rebuilt from FU-A fragments
	inFU    bool
	broken  bool // the access unit being built lost a piece
	needKey bool
	// The last parameter sets seen, put in front of IDRs that lack them.
	sps, pps []byte
}

func newH264Assembler() *h264Assembler { return &h264Assembler{needKey: true} }

// push adds one packet; lost says packets were given up on just before
// it. emit is called for each access unit completed.
func (a *h264Assembler) push(p *rtp.Packet, lost bool, emit func(accessUnit)) {
	if lost {
		// The missing packets belonged to the picture being built or to
		// pictures in between: either way the chain is broken.
		a.reset()
		a.needKey = true
	}
	if a.have && p.Timestamp != a.ts {
		a.finish(emit) // the previous picture's marker was lost or never sent
	}
	if !a.have {
		a.have, a.ts = true, p.Timestamp
	}
	a.addPayload(p.Payload)
	if p.Marker {
		a.finish(emit)
	}
}

func (a *h264Assembler) addPayload(b []byte) {
	if len(b) == 0 {
		a.broken = true
		return
	}
	switch typ := b[0] & 0x1f; {
	case typ >= 1 && typ <= 23:
		a.addNALU(b)
	case typ == naluSTAPA:
		b = b[1:]
		for len(b) > 0 {
			if len(b) < 2 {
				a.broken = true
				return
			}
			n := int(b[0])<<8 | int(b[1])
			if n == 0 || len(b) < 2+n {
				a.broken = true
				return
			}
			a.addNALU(b[2 : 2+n])
			b = b[2+n:]
		}
	case typ == naluFUA:
		if len(b) < 3 {
			a.broken = true
			return
		}
		start, end := b[1]&0x80 != 0, b[1]&0x40 != 0
		if start {
			if a.inFU {
				a.broken = true // the previous fragment's end was lost
			}
			a.inFU = true
			// Rebuild the NAL header: F and NRI from the indicator, type
			// from the FU header.
			a.fu = append(a.fu[:0:0], b[0]&0xe0|b[1]&0x1f)
		} else if !a.inFU {
			a.broken = true // a fragment whose start we never saw
			return
		}
		if len(a.fu)+len(b)-2 > maxNALUSize {
			a.broken, a.inFU, a.fu = true, false, nil
			return
		}
		a.fu = append(a.fu, b[2:]...)
		if end {
			a.inFU = false
			a.nalus = append(a.nalus, a.fu)
			a.fu = nil
		}
	default:
		a.broken = true // STAP-B, MTAP, FU-B: not allowed in packetization-mode 1 from browsers
	}
}

// addNALU keeps a copy of u: the packet buffer it came in is larger
// than the NAL unit and the frame may live on in the GOP cache.
func (a *h264Assembler) addNALU(u []byte) {
	if len(a.nalus) >= maxAUNALUs {
		a.broken = true
		return
	}
	a.nalus = append(a.nalus, append([]byte(nil), u...))
}

func (a *h264Assembler) reset() {
	a.have, a.nalus, a.fu, a.inFU, a.broken = false, nil, nil, false, false
}

// finish closes the access unit being built and emits it if it is whole
// and decodable.
func (a *h264Assembler) finish(emit func(accessUnit)) {
	ts, nalus, broken := a.ts, a.nalus, a.broken || a.inFU
	a.reset()
	if broken {
		a.needKey = true
		return
	}
	var key, vcl, firstSlice, hasSPS, hasPPS bool
	out := nalus[:0]
	for _, u := range nalus {
		switch typ := u[0] & 0x1f; typ {
		case naluAUD, naluFiller:
			continue // muxers downstream add their own delimiters
		case naluSPS:
			a.sps, hasSPS = u, true
		case naluPPS:
			a.pps, hasPPS = u, true
		case naluSlice, 2, 3, 4, naluIDR:
			if !vcl {
				// first_mb_in_slice is ue(v) right after the header; a
				// leading 1 bit means 0: this is the picture's first slice.
				firstSlice = len(u) > 1 && u[1]&0x80 != 0
			}
			vcl = true
			key = key || typ == naluIDR
		}
		out = append(out, u)
	}
	if !vcl {
		return // parameter sets alone: remembered above
	}
	if a.needKey {
		if !key || !firstSlice {
			return
		}
		a.needKey = false
	}
	if key && (!hasSPS || !hasPPS) {
		if a.sps == nil || a.pps == nil {
			a.needKey = true // undecodable without parameter sets
			return
		}
		head := make([][]byte, 0, len(out)+2)
		if !hasSPS {
			head = append(head, a.sps)
		}
		if !hasPPS {
			head = append(head, a.pps)
		}
		out = append(head, out...)
	}
	emit(accessUnit{timestamp: ts, nalus: out, key: key})
}
