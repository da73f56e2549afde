package main

import (
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/bench/internal/latency"
)

func TestReplaceBlock(t *testing.T) {
	tests := []struct {
		name, doc, want string
		err             bool
	}{
		{"no markers: heading and markers appended", "# Benchmarks\n\ntext\n",
			"# Benchmarks\n\ntext\n\n" + heading + "\n\n" + markBegin + "\nNEW\n" + markEnd + "\n", false},
		{"empty file", "", heading + "\n\n" + markBegin + "\nNEW\n" + markEnd + "\n", false},
		{"only the inside changes", "a\n" + markBegin + "\nold\nlines\n" + markEnd + "\nafter\n",
			"a\n" + markBegin + "\nNEW\n" + markEnd + "\nafter\n", false},
		{"end marker missing", "a\n" + markBegin + "\nold\n", "", true},
		{"markers reversed", markEnd + "\n" + markBegin + "\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := replaceBlock(tt.doc, "NEW\n\n")
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if got != tt.want {
				t.Fatalf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	// Replacing twice gives the same file as replacing once.
	once, _ := replaceBlock("x\n", "B1")
	twice, _ := replaceBlock(once, "B1")
	if once != twice || strings.Count(twice, markBegin) != 1 {
		t.Fatalf("not idempotent:\n%s\n---\n%s", once, twice)
	}
}

func TestQuantile(t *testing.T) {
	counts := make([]uint64, latency.Buckets)
	// 90 samples at 1 ms, 10 at 100 ms.
	counts[latency.Bucket(1000)] = 90
	counts[latency.Bucket(100_000)] = 10
	near := func(got, want float64) bool { return got >= want*0.97 && got <= want*1.03 }
	for _, tt := range []struct {
		p, want float64
	}{{0.5, 1}, {0.9, 1}, {0.91, 100}, {0.99, 100}, {1, 100}} {
		if got := quantile(counts, tt.p); !near(got, tt.want) {
			t.Errorf("quantile(%v) = %v ms, want about %v", tt.p, got, tt.want)
		}
	}
	if got := quantile(make([]uint64, latency.Buckets), 0.5); got != 0 {
		t.Errorf("empty: %v, want 0", got)
	}
	var h hist
	h.record(2 * time.Millisecond)
	if got := quantile(h.snapshot(), 0.5); !near(got, 2) {
		t.Errorf("hist: %v ms, want about 2", got)
	}
}

func TestMedianAndCells(t *testing.T) {
	rounds := []metrics{{"a": 3, "b": 1}, {"a": 1}, {"a": 2, "b": 4}}
	for _, tt := range []struct {
		key  string
		want float64
		ok   bool
	}{{"a", 2, true}, {"b", 2.5, true}, {"c", 0, false}} {
		if got, ok := median(rounds, tt.key); got != tt.want || ok != tt.ok {
			t.Errorf("median(%s) = %v, %v; want %v, %v", tt.key, got, ok, tt.want, tt.ok)
		}
	}
	if got := cell(rounds, "c", "%.0f"); got != "–" {
		t.Errorf("missing cell = %q", got)
	}
	for in, want := range map[string]string{"999": "999", "1585": "1,585", "1234567.5": "1,234,567.5", "-12000": "-12,000", "12.5": "12.5"} {
		if got := group(in); got != want {
			t.Errorf("group(%s) = %s, want %s", in, got, want)
		}
	}
	tb := table{head: []string{"x", "y"}}
	tb.add("1", "2")
	if got, want := tb.String(), "| x | y |\n|---|---|\n| 1 | 2 |\n"; got != want {
		t.Errorf("table = %q, want %q", got, want)
	}
}

func TestChatTimes(t *testing.T) {
	msg := []byte(`[{"type":"chat","data":{"text":"t=123 hi"}},{"type":"likes"},{"type":"chat","data":{"text":"t=456 x"}}]`)
	got := chatTimes(msg)
	if len(got) != 2 || got[0] != 123 || got[1] != 456 {
		t.Fatalf("chatTimes = %v", got)
	}
	if got := chatTimes([]byte(`{"type":"chat","data":{"text":"hello"}}`)); len(got) != 0 {
		t.Fatalf("a chat without a time: %v", got)
	}
}
