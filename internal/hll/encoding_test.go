package hll

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestMarshalRoundTrip(t *testing.T) {
	cases := []struct {
		n       int
		maxSize int
	}{
		{0, headerLen},
		{1, headerLen + 3},
		{10, headerLen + 30},
		{1_000, headerLen + 3_000},
		{5_000, headerLen + denseLen},
		{200_000, headerLen + denseLen},
	}
	for _, c := range cases {
		h := fill(New(), 0, c.n)
		data, err := h.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > c.maxSize {
			t.Errorf("%d items encode to %d bytes, want at most %d", c.n, len(data), c.maxSize)
		}
		back := fill(New(), 0, 7) // replaced, not merged
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatalf("%d items: %v", c.n, err)
		}
		if back.regs != h.regs {
			t.Fatalf("%d items: registers differ after a round trip", c.n)
		}
	}
}

func TestDenseAndSparseAgree(t *testing.T) {
	h := fill(New(), 0, 3_000)
	for _, data := range [][]byte{h.appendSparse(nil), h.appendDense(nil)} {
		back := New()
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		if back.regs != h.regs {
			t.Fatalf("kind %d decodes differently", data[2])
		}
	}
}

func TestUnmarshalRejects(t *testing.T) {
	sparse := fill(New(), 0, 5).appendSparse(nil)
	dense := fill(New(), 0, 5).appendDense(nil)
	badDense := bytes.Clone(dense)
	badDense[headerLen] = 0xff // register value 63
	cases := map[string][]byte{
		"empty":             nil,
		"short header":      {version, Precision},
		"version":           {2, Precision, kindSparse},
		"precision":         {version, 12, kindSparse},
		"kind":              {version, Precision, 7},
		"truncated varint":  append(bytes.Clone(sparse[:headerLen]), 0x80),
		"zero value":        {version, Precision, kindSparse, 0x40},
		"value too big":     {version, Precision, kindSparse, 52},
		"index repeated":    {version, Precision, kindSparse, 0x41, 0x01},
		"index beyond end":  binary.AppendUvarint([]byte{version, Precision, kindSparse}, registers<<6|1),
		"index overflows":   binary.AppendUvarint([]byte{version, Precision, kindSparse, 0x41}, (registers-1)<<6|1),
		"dense too short":   dense[:len(dense)-1],
		"dense too long":    append(bytes.Clone(dense), 0),
		"dense bad value":   badDense,
		"sparse then bytes": append(bytes.Clone(sparse), 0x80, 0x80),
	}
	for name, data := range cases {
		h := fill(New(), 0, 3)
		before := h.regs
		if err := h.UnmarshalBinary(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if h.regs != before {
			t.Errorf("%s: sketch changed on error", name)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, n := range []int{0, 1, 50, 6_000} {
		data, _ := fill(New(), 0, n).MarshalBinary()
		f.Add(data)
	}
	f.Add([]byte{version, Precision, kindSparse, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{version, Precision, kindDense, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		h := New()
		if err := h.UnmarshalBinary(data); err != nil {
			return
		}
		_ = h.Count()
		again, err := h.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back := New()
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded sketch rejected: %v", err)
		}
		if back.regs != h.regs {
			t.Fatal("registers differ after re-encoding")
		}
	})
}
