package main

import (
	"bytes"
	"testing"
)

type pkt struct {
	seq    uint16
	ts     uint32
	marker bool
	data   []byte
}

func TestAUAssembler(t *testing.T) {
	idr := append([]byte{0x65}, bytes.Repeat([]byte{0xab}, 10)...)
	fu := func(start, end bool, part []byte) []byte {
		h := byte(0x05)
		if start {
			h |= 0x80
		}
		if end {
			h |= 0x40
		}
		return append([]byte{0x60 | naluFUA, h}, part...)
	}
	stap := []byte{naluSTAPA, 0, 2, 0x67, 1, 0, 2, 0x68, 2}
	for _, c := range []struct {
		name      string
		pkts      []pkt
		nalus     int
		complete  bool
		key       bool
		emitCount int
	}{
		{"single NAL", []pkt{{1, 90, true, idr}}, 1, true, true, 1},
		{"STAP-A then FU-A", []pkt{{1, 90, false, stap}, {2, 90, false, fu(true, false, idr[1:5])}, {3, 90, true, fu(false, true, idr[5:])}}, 3, true, true, 1},
		{"lost middle", []pkt{{1, 90, false, fu(true, false, idr[1:5])}, {3, 90, true, fu(false, true, idr[5:])}}, 0, false, false, 1},
		{"lost FU start", []pkt{{1, 90, false, stap}, {2, 90, true, fu(false, true, idr[5:])}}, 2, false, false, 1},
		{"no marker, next AU", []pkt{{1, 90, false, idr}, {2, 180, true, []byte{0x41, 1}}}, 1, false, true, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a auAssembler
			var got []*assembledAU
			for _, p := range c.pkts {
				aus, _ := a.push(p.seq, p.ts, p.marker, p.data)
				got = append(got, aus...)
			}
			if len(got) != c.emitCount {
				t.Fatalf("%d access units, want %d", len(got), c.emitCount)
			}
			first := got[0]
			if first.complete != c.complete || (c.complete && len(first.nalus) != c.nalus) || isKey(first.nalus) != c.key {
				t.Fatalf("complete=%v nalus=%d key=%v", first.complete, len(first.nalus), isKey(first.nalus))
			}
			if c.complete && !bytes.Equal(first.nalus[len(first.nalus)-1], idr) {
				t.Fatalf("IDR rebuilt as % x", first.nalus[len(first.nalus)-1])
			}
		})
	}
}

func TestRTPPackets(t *testing.T) {
	big := func(n int) []byte { return append([]byte{0x65}, make([]byte, n-1)...) }
	for _, c := range []struct {
		au   [][]byte
		want int
	}{
		{[][]byte{{0x09, 0x10}, {0x67}, {0x68}, big(1200)}, 3},
		{[][]byte{big(1201)}, 2},
		{[][]byte{big(1199)}, 1},
		{[][]byte{big(1 + 1198*3)}, 3},
		{[][]byte{big(2 + 1198*3)}, 4},
	} {
		if got := rtpPackets(c.au); got != c.want {
			t.Errorf("rtpPackets(%d units, last %d bytes) = %d, want %d", len(c.au), len(c.au[len(c.au)-1]), got, c.want)
		}
	}
}

func TestSplitAnnexB(t *testing.T) {
	b := []byte{0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 4, 0, 0}
	got := splitAnnexB(b)
	want := [][]byte{{0x09, 0xf0}, {0x67, 1, 2}, {0x68, 3}, {0x65, 4}}
	if len(got) != len(want) {
		t.Fatalf("got %d units: % x", len(got), got)
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("unit %d = % x, want % x", i, got[i], want[i])
		}
	}
}

func FuzzAUAssembler(f *testing.F) {
	f.Add([]byte{naluSTAPA, 0, 2, 0x67, 1}, []byte{0x7c, 0x85, 1, 2}, []byte{0x7c, 0x45, 3})
	f.Add([]byte{0x65, 1}, []byte{naluSTAPA, 0, 9}, []byte{0x7c})
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		var asm auAssembler
		for i, p := range [][]byte{a, b, c} {
			_, _ = asm.push(uint16(i), 1, i == 2, p)
			_, _ = packetSEI(p)
		}
	})
}
