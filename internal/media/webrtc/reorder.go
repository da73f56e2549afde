package webrtc

import (
	"time"

	"github.com/pion/rtp"
)

// reorderSize is how many packets the reorder buffer can hold (a power of
// two, so a sequence number maps to a slot with a mask).
const reorderSize = 512

// reorderBuffer puts RTP packets back in sequence order. NACKed packets
// arrive late and out of order; a packet that has not turned up within
// maxWait is given up on and the packets after it go on, flagged lost so
// the depacketiser can resynchronise.
type reorderBuffer struct {
	maxWait time.Duration

	slots    [reorderSize]*rtp.Packet
	next     uint16 // the sequence number expected next
	held     int    // packets waiting for an earlier one
	heldFrom time.Time
	started  bool
}

func newReorderBuffer(maxWait time.Duration) *reorderBuffer {
	return &reorderBuffer{maxWait: maxWait}
}

// push adds p, received at now, and calls emit for every packet that is
// now in order. lost is true for the first packet after a gap that was
// given up on.
func (b *reorderBuffer) push(p *rtp.Packet, now time.Time, emit func(p *rtp.Packet, lost bool)) {
	seq := p.SequenceNumber
	if !b.started {
		b.started, b.next = true, seq
	}
	d := int16(seq - b.next)
	if d < 0 || b.slots[seq%reorderSize] != nil {
		return // a duplicate, or a packet we already gave up on
	}
	lost := false
	if int(d) >= reorderSize {
		// A jump too big to wait across (the sender restarted): drop what
		// is held and go on from p.
		b.slots = [reorderSize]*rtp.Packet{}
		b.held, b.next, lost = 0, seq, true
	}
	waiting := b.held > 0
	b.slots[seq%reorderSize] = p
	b.held++
	b.drain(emit, lost)
	if b.held == 0 {
		return
	}
	if !waiting {
		b.heldFrom = now // a gap has just opened
	}
	// Give up on the missing packet when it is too late or the buffer is
	// half full: skip to the oldest packet held.
	for b.held > 0 && (now.Sub(b.heldFrom) > b.maxWait || b.held >= reorderSize/2) {
		for b.slots[b.next%reorderSize] == nil {
			b.next++
		}
		b.drain(emit, true)
		b.heldFrom = now
	}
}

// drain emits the run of held packets starting at next.
func (b *reorderBuffer) drain(emit func(p *rtp.Packet, lost bool), lost bool) {
	for {
		i := b.next % reorderSize
		p := b.slots[i]
		if p == nil {
			return
		}
		b.slots[i] = nil
		b.held--
		b.next++
		emit(p, lost)
		lost = false
	}
}
