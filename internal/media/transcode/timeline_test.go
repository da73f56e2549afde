package transcode

import (
	"testing"
	"time"
)

func TestTimeline(t *testing.T) {
	ms := time.Millisecond
	type in struct{ pts, dur time.Duration }
	tests := []struct {
		name  string
		input []in
		ask   []time.Duration // output positions
		want  []time.Duration // their PTS
	}{
		{"anchors on the first input", []in{{1000 * ms, 20 * ms}, {1020 * ms, 20 * ms}},
			[]time.Duration{-5 * ms, 0, 20 * ms, 30 * ms}, []time.Duration{995 * ms, 1000 * ms, 1020 * ms, 1030 * ms}},
		{"ignores rounding jitter", []in{{0, 23 * ms}, {24 * ms, 23 * ms}, {46 * ms, 23 * ms}},
			[]time.Duration{0, 23 * ms, 46 * ms}, []time.Duration{0, 23 * ms, 46 * ms}},
		{"re-anchors after a gap", []in{{0, 20 * ms}, {20 * ms, 20 * ms}, {2000 * ms, 20 * ms}},
			[]time.Duration{10 * ms, 40 * ms, 50 * ms}, []time.Duration{10 * ms, 2000 * ms, 2010 * ms}},
		{"re-anchors after a jump back", []in{{500 * ms, 20 * ms}, {100 * ms, 20 * ms}},
			[]time.Duration{0, 20 * ms}, []time.Duration{500 * ms, 100 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tl timeline
			if _, _, ok := tl.at(0); ok {
				t.Fatal("a timeline without input answered")
			}
			for _, x := range tt.input {
				tl.feed(x.pts, x.dur, time.Time{})
			}
			for i, pos := range tt.ask {
				got, _, ok := tl.at(pos)
				if !ok || got != tt.want[i] {
					t.Errorf("at(%v) = %v, %v; want %v", pos, got, ok, tt.want[i])
				}
			}
		})
	}
}

func TestTimelineIsBounded(t *testing.T) {
	var tl timeline
	for i := range 3 * timelineLimit {
		tl.feed(time.Duration(i)*20*time.Millisecond, 20*time.Millisecond, time.Time{})
	}
	if len(tl.pending) > timelineLimit {
		t.Fatalf("%d marks kept", len(tl.pending))
	}
}
