package hll

import (
	"hash/fnv"
	"math"
	"strconv"
	"testing"
)

// fill adds the items "user-<from>" … "user-<to-1>".
func fill(h *HLL, from, to int) *HLL {
	buf := make([]byte, 0, 32)
	for i := from; i < to; i++ {
		buf = strconv.AppendInt(append(buf[:0], "user-"...), int64(i), 10)
		h.Add(buf)
	}
	return h
}

func relErr(got uint64, want int) float64 {
	return math.Abs(float64(got)-float64(want)) / float64(want)
}

func TestCountAccuracy(t *testing.T) {
	cases := []struct {
		n   int
		tol float64
	}{
		{1, 0},
		{10, 0},
		{100, 0.01},
		{1_000, 0.02},
		{10_000, 0.02},
		{40_000, 0.02}, // where the classic estimator switches from linear counting
		{100_000, 0.02},
		{1_000_000, 0.02},
	}
	for _, c := range cases {
		got := fill(New(), 0, c.n).Count()
		if e := relErr(got, c.n); e > c.tol {
			t.Errorf("Count of %d distinct = %d (%.2f%% off)", c.n, got, 100*e)
		}
	}
	if got := New().Count(); got != 0 {
		t.Errorf("empty sketch counts %d", got)
	}
}

func TestDuplicatesDoNotCount(t *testing.T) {
	h := New()
	for range 50 {
		fill(h, 0, 1000)
		h.AddString("user-1") // same hash as the bytes
	}
	if got := h.Count(); relErr(got, 1000) > 0.02 {
		t.Errorf("1000 distinct added 50 times count %d", got)
	}
	if hashString("user-1") != hash64([]byte("user-1")) {
		t.Error("AddString and Add hash differently")
	}
}

// The hash must not change between versions: sketches from nodes running
// different builds are merged. Its FNV-1a part is the standard one.
func TestHashIsFixed(t *testing.T) {
	cases := map[string]uint64{
		"":            0xefd01f60ba992926,
		"usr_01a":     0x51c1f1f699be9d21,
		"anon_7f3c2e": 0x3035a4953bbe2022,
	}
	for in, want := range cases {
		if got := hash64([]byte(in)); got != want {
			t.Errorf("hash64(%q) = %#x, want %#x", in, got, want)
		}
		std := fnv.New64a()
		std.Write([]byte(in))
		if got := fmix64(std.Sum64()); got != want {
			t.Errorf("hash64(%q) is not FNV-1a then fmix64", in)
		}
	}
}

func TestMerge(t *testing.T) {
	cases := []struct {
		name       string
		aFrom, aTo int
		bFrom, bTo int
		union      int
	}{
		{"disjoint", 0, 50_000, 50_000, 100_000, 100_000},
		{"overlapping", 0, 60_000, 40_000, 100_000, 100_000},
		{"subset", 0, 100_000, 10_000, 20_000, 100_000},
		{"small", 0, 30, 20, 50, 50},
		{"one empty", 0, 5_000, 0, 0, 5_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := fill(New(), c.aFrom, c.aTo), fill(New(), c.bFrom, c.bTo)
			whole := fill(fill(New(), c.aFrom, c.aTo), c.bFrom, c.bTo)

			ab := New()
			ab.Merge(a)
			ab.Merge(b)
			ba := New()
			ba.Merge(b)
			ba.Merge(a)
			ba.Merge(a) // idempotent
			ba.Merge(nil)
			if ab.regs != whole.regs || ba.regs != whole.regs {
				t.Fatal("merged sketches differ from the sketch of the union")
			}
			if got := ab.Count(); relErr(got, c.union) > 0.02 {
				t.Errorf("union of %d counts %d", c.union, got)
			}
		})
	}
}

func TestReset(t *testing.T) {
	h := fill(New(), 0, 100)
	h.Reset()
	if h.Count() != 0 {
		t.Fatal("Reset left items")
	}
}

func BenchmarkAdd(b *testing.B) {
	h := New()
	item := []byte("usr_01j9z3k4m5n6p7q8")
	for i := 0; b.Loop(); i++ {
		item[len(item)-1] = byte(i)
		h.Add(item)
	}
}

func BenchmarkCount(b *testing.B) {
	h := fill(New(), 0, 10_000)
	for b.Loop() {
		h.Count()
	}
}
