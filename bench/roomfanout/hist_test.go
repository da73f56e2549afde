package main

import (
	"testing"
	"time"
)

func TestQuantiles(t *testing.T) {
	tests := []struct {
		name     string
		ms       []int
		p50, p99 time.Duration
	}{
		{"empty", nil, 0, 0},
		{"one", []int{7}, 7 * time.Millisecond, 7 * time.Millisecond},
		{"tail", append(repeat(10, 98), 500, 900), 10 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h hist
			for _, v := range tt.ms {
				h.record(time.Duration(v) * time.Millisecond)
			}
			var q quantiles
			h.mergeInto(&q)
			if q.total() != uint64(len(tt.ms)) {
				t.Fatalf("total %d, want %d", q.total(), len(tt.ms))
			}
			for _, c := range []struct {
				p    float64
				want time.Duration
			}{{0.5, tt.p50}, {0.99, tt.p99}} {
				got := q.at(c.p)
				if d := got - c.want; d < -c.want/30 || d > c.want/30 {
					t.Errorf("p%.0f = %s, want %s ± 3 %%", c.p*100, got, c.want)
				}
			}
			var again quantiles
			h.mergeInto(&again)
			if again.total() != 0 {
				t.Errorf("merging did not zero the histogram")
			}
		})
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
