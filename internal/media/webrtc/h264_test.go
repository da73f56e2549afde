package webrtc

import (
	"bytes"
	"testing"
	"time"

	"github.com/pion/rtp"
)

var (
	testSPS = []byte{0x67, 0x42, 0xc0, 0x1f, 0xda, 0x01}
	testPPS = []byte{0x68, 0xce, 0x3c, 0x80}
)

// idr and slice are NAL units whose first_mb_in_slice is 0 (first bit 1).
func idr(n int) []byte   { return append([]byte{0x65, 0x88}, bytes.Repeat([]byte{0xab}, n)...) }
func slice(n int) []byte { return append([]byte{0x41, 0x9a}, bytes.Repeat([]byte{0xcd}, n)...) }

// packets packetises an access unit the way a sender would.
func packets(seq *uint16, ts uint32, nalus ...[]byte) []*rtp.Packet {
	var out []*rtp.Packet
	payloads := packetizeH264(nalus, 100)
	for i, p := range payloads {
		out = append(out, &rtp.Packet{Header: rtp.Header{SequenceNumber: *seq, Timestamp: ts, Marker: i == len(payloads)-1}, Payload: p})
		*seq++
	}
	return out
}

func stapA(nalus ...[]byte) []byte {
	out := []byte{naluSTAPA}
	for _, u := range nalus {
		out = append(out, byte(len(u)>>8), byte(len(u)))
		out = append(out, u...)
	}
	return out
}

func assemble(pkts []*rtp.Packet, lostBefore map[int]bool) []accessUnit {
	a := newH264Assembler()
	var out []accessUnit
	for i, p := range pkts {
		a.push(p, lostBefore[i], func(au accessUnit) { out = append(out, au) })
	}
	return out
}

func TestH264Assembler(t *testing.T) {
	var seq uint16
	keyAU := packets(&seq, 1000, testSPS, testPPS, idr(250))
	deltaAU := packets(&seq, 4000, slice(50))
	deltaAU2 := packets(&seq, 7000, slice(300))
	keyNoPS := packets(&seq, 10000, idr(30))
	stap := []*rtp.Packet{{Header: rtp.Header{SequenceNumber: 50, Timestamp: 1, Marker: true}, Payload: stapA(testSPS, testPPS, idr(10))}}

	cat := func(ps ...[]*rtp.Packet) []*rtp.Packet {
		var out []*rtp.Packet
		for _, p := range ps {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		pkts  []*rtp.Packet
		lost  map[int]bool
		want  []int // NAL unit count of each access unit emitted
		keys  []bool
		first []byte // expected first NAL unit of the first access unit
	}{
		{name: "keyframe with FU-A then deltas", pkts: cat(keyAU, deltaAU, deltaAU2), want: []int{3, 1, 1}, keys: []bool{true, false, false}, first: testSPS},
		{name: "STAP-A keyframe", pkts: stap, want: []int{3}, keys: []bool{true}, first: testSPS},
		{name: "deltas before any keyframe are dropped", pkts: cat(deltaAU, keyAU), want: []int{3}, keys: []bool{true}},
		{name: "SPS/PPS put in front of a bare IDR", pkts: cat(keyAU, keyNoPS), want: []int{3, 3}, keys: []bool{true, true}},
		{name: "bare IDR with no parameter sets ever seen is dropped", pkts: keyNoPS, want: nil},
		{name: "loss drops until the next keyframe", pkts: cat(keyAU, deltaAU, deltaAU2, keyNoPS),
			lost: map[int]bool{len(keyAU) + len(deltaAU): true}, want: []int{3, 1, 3}, keys: []bool{true, false, true}},
		{name: "loss inside an FU-A drops the picture", pkts: cat(keyAU[:1], keyAU[2:], deltaAU), lost: map[int]bool{1: true}, want: nil},
		{name: "missing marker: timestamp change ends the picture", pkts: cat(keyAU[:len(keyAU)-1], []*rtp.Packet{{Header: rtp.Header{SequenceNumber: keyAU[len(keyAU)-1].SequenceNumber, Timestamp: 1000}, Payload: keyAU[len(keyAU)-1].Payload}}, deltaAU),
			want: []int{3, 1}, keys: []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := assemble(tt.pkts, tt.lost)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d access units, want %d", len(got), len(tt.want))
			}
			for i, au := range got {
				if len(au.nalus) != tt.want[i] || au.key != tt.keys[i] {
					t.Errorf("au %d: %d nalus key=%v, want %d key=%v", i, len(au.nalus), au.key, tt.want[i], tt.keys[i])
				}
			}
			if tt.first != nil && !bytes.Equal(got[0].nalus[0], tt.first) {
				t.Errorf("first NAL unit %x, want %x", got[0].nalus[0], tt.first)
			}
		})
	}
}

func TestPacketizeRoundTrip(t *testing.T) {
	nalus := [][]byte{testSPS, testPPS, idr(5000)}
	var seq uint16
	got := assemble(packets(&seq, 9, nalus...), nil)
	if len(got) != 1 || len(got[0].nalus) != 3 {
		t.Fatalf("got %+v", got)
	}
	for i := range nalus {
		if !bytes.Equal(got[0].nalus[i], nalus[i]) {
			t.Errorf("nalu %d differs after a round trip", i)
		}
	}
	for _, p := range packetizeH264(nalus, 1200) {
		if len(p) > 1200 {
			t.Errorf("payload of %d bytes exceeds the MTU", len(p))
		}
	}
}

func TestReorderBuffer(t *testing.T) {
	type in struct {
		seq uint16
		at  time.Duration
	}
	tests := []struct {
		name string
		in   []in
		want []uint16
		lost []uint16 // sequence numbers flagged lost
	}{
		{name: "in order", in: []in{{1, 0}, {2, 0}, {3, 0}}, want: []uint16{1, 2, 3}},
		{name: "swapped pair", in: []in{{1, 0}, {3, 0}, {2, 0}, {4, 0}}, want: []uint16{1, 2, 3, 4}},
		{name: "duplicate dropped", in: []in{{1, 0}, {2, 0}, {2, 0}, {3, 0}}, want: []uint16{1, 2, 3}},
		{name: "gap given up after the wait", in: []in{{1, 0}, {3, 10 * time.Millisecond}, {4, 300 * time.Millisecond}, {2, 310 * time.Millisecond}},
			want: []uint16{1, 3, 4}, lost: []uint16{3}},
		{name: "wraps around", in: []in{{65534, 0}, {65535, 0}, {0, 0}, {1, 0}}, want: []uint16{65534, 65535, 0, 1}},
		{name: "big jump restarts", in: []in{{1, 0}, {5000, 0}, {5001, 0}}, want: []uint16{1, 5000, 5001}, lost: []uint16{5000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newReorderBuffer(200 * time.Millisecond)
			t0 := time.Unix(0, 0)
			var got, lost []uint16
			for _, x := range tt.in {
				b.push(&rtp.Packet{Header: rtp.Header{SequenceNumber: x.seq}}, t0.Add(x.at), func(p *rtp.Packet, l bool) {
					got = append(got, p.SequenceNumber)
					if l {
						lost = append(lost, p.SequenceNumber)
					}
				})
			}
			if !equalSeqs(got, tt.want) || !equalSeqs(lost, tt.lost) {
				t.Errorf("got %v lost %v, want %v lost %v", got, lost, tt.want, tt.lost)
			}
		})
	}
}

func equalSeqs(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRTPClock(t *testing.T) {
	var s sessionClock
	t0 := time.Unix(100, 0)
	v := newRTPClock(90000)
	a := newRTPClock(48000)
	base := uint32(4294967000)
	if got := v.pts(base, t0, &s); got != 0 {
		t.Fatalf("first video pts %v", got)
	}
	if got := a.pts(77, t0.Add(50*time.Millisecond), &s); got != 50*time.Millisecond {
		t.Fatalf("first audio pts %v", got)
	}
	// 3000 ticks later, across the 32-bit wrap.
	if got := v.pts(base+3000, t0.Add(time.Second), &s); got != time.Second/30 {
		t.Fatalf("video pts after wrap %v", got)
	}
	if got := a.pts(77+960, t0, &s); got != 70*time.Millisecond {
		t.Fatalf("audio pts %v", got)
	}
}

func FuzzH264Assembler(f *testing.F) {
	f.Add([]byte{0x7c, 0x85, 1, 2, 3}, []byte{0x7c, 0x45, 4})
	f.Add(stapA(testSPS, testPPS, idr(3)), []byte{0x41, 0x9a})
	f.Add([]byte{0x18, 0x00, 0x09}, []byte{})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		asm := newH264Assembler()
		for i, p := range [][]byte{a, b, a} {
			asm.push(&rtp.Packet{Header: rtp.Header{SequenceNumber: uint16(i), Timestamp: uint32(i / 2), Marker: i == 1}, Payload: p}, false,
				func(au accessUnit) {
					for _, u := range au.nalus {
						if len(u) == 0 {
							t.Fatal("empty NAL unit emitted")
						}
					}
				})
		}
	})
}
