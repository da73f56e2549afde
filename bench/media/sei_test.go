package main

import (
	"bytes"
	"testing"
)

func TestTimestampSEIRoundTrip(t *testing.T) {
	for _, ts := range []int64{0, 1, 0x0000000300000000, 0x0000000000000003, 1767225600123456789, -1} {
		n := timestampSEI(ts)
		if n[0] != naluSEI {
			t.Fatalf("NAL type %d", n[0]&0x1f)
		}
		if bytes.Contains(n[1:], []byte{0, 0, 0}) || bytes.Contains(n[1:], []byte{0, 0, 1}) || bytes.Contains(n[1:], []byte{0, 0, 2}) {
			t.Fatalf("%d: start-code emulation in % x", ts, n)
		}
		got, err := parseTimestampSEI(n)
		if err != nil || got != ts {
			t.Fatalf("%d: got %d, %v", ts, got, err)
		}
		if p, ok := packetSEI(n); !ok || p != ts {
			t.Fatalf("%d: packetSEI %d %v", ts, p, ok)
		}
	}
}

func TestParseTimestampSEIRejects(t *testing.T) {
	other := append([]byte{naluSEI, seiUserDataUnreg, seiTimestampLength}, make([]byte, 24)...)
	other = append(other, 0x80)
	for name, n := range map[string][]byte{
		"empty":          nil,
		"slice":          {0x41, 0x9a},
		"other uuid":     other,
		"truncated":      timestampSEI(5)[:10],
		"size too large": {naluSEI, 5, 0xff, 0x10, 1, 2},
	} {
		if _, err := parseTimestampSEI(n); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseTimestampSEISkipsOtherMessages(t *testing.T) {
	// A recovery point SEI (type 6, 1 byte) before ours in the same NAL unit.
	ours := timestampSEI(42)
	n := append([]byte{naluSEI, 6, 1, 0x84}, ours[1:]...)
	if got, err := parseTimestampSEI(n); err != nil || got != 42 {
		t.Fatalf("got %d, %v", got, err)
	}
}

func TestEscapeRBSP(t *testing.T) {
	for _, c := range []struct{ in, want []byte }{
		{[]byte{0, 0, 0}, []byte{0, 0, 3, 0}},
		{[]byte{0, 0, 1}, []byte{0, 0, 3, 1}},
		{[]byte{0, 0, 4}, []byte{0, 0, 4}},
		{[]byte{0, 0, 0, 0, 0}, []byte{0, 0, 3, 0, 0, 3, 0}},
		{[]byte{1, 2, 3}, []byte{1, 2, 3}},
	} {
		got := escapeRBSP(c.in)
		if !bytes.Equal(got, c.want) {
			t.Errorf("escape % x = % x, want % x", c.in, got, c.want)
		}
		if back := unescapeRBSP(got); !bytes.Equal(back, c.in) {
			t.Errorf("unescape % x = % x", got, back)
		}
	}
}

func TestWithTimestampSEI(t *testing.T) {
	sps, pps, idr := []byte{0x67, 1}, []byte{0x68, 2}, []byte{0x65, 3}
	au := [][]byte{sps, pps, idr}
	out := withTimestampSEI(au, 7)
	if len(out) != 4 || out[2][0] != naluSEI || !bytes.Equal(out[3], idr) || len(au) != 3 {
		t.Fatalf("got %d units, SEI at %x", len(out), out[2][0])
	}
}

func FuzzParseTimestampSEI(f *testing.F) {
	f.Add(timestampSEI(1767225600123456789))
	f.Add([]byte{naluSEI, 0xff, 0xff})
	f.Add([]byte{naluSEI, 5, 0xff, 0xff, 0xff, 0x10})
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := parseTimestampSEI(b)
		if err == nil {
			if got, err := parseTimestampSEI(timestampSEI(ts)); err != nil || got != ts {
				t.Fatalf("round trip of %d: %d, %v", ts, got, err)
			}
		}
		if !bytes.Equal(unescapeRBSP(escapeRBSP(b)), b) {
			t.Fatalf("escape round trip of % x", b)
		}
	})
}
