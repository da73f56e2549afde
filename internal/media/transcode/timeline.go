package transcode

import (
	"sync"
	"time"
)

// reanchorAfter is how far an input frame's PTS may stray from where the
// decoded sample count puts it before the output is re-anchored on it.
// Smaller drifts (RTMP's millisecond rounding, clock drift) are ignored
// so the output's timestamps advance by exact packet durations.
const reanchorAfter = 60 * time.Millisecond

// timelineLimit bounds the input frames remembered while ffmpeg works.
const timelineLimit = 1024

// timeline maps positions in ffmpeg's decoded audio (time since the first
// sample fed to this process) back to stream PTS. ffmpeg sees the input
// as one gapless run of samples, so the output's timestamps are the first
// input frame's PTS advanced by the samples decoded; a gap or jump in the
// publisher's timestamps re-anchors the mapping at that frame.
type timeline struct {
	mu      sync.Mutex
	fed     time.Duration // decoded position of the next input frame
	pending []timelineMark
	anchor  timelineMark
	started bool
}

type timelineMark struct {
	pos, pts time.Duration
	ingest   time.Time
}

// feed records an input frame of dur starting at the next position.
func (t *timeline) feed(pts, dur time.Duration, ingest time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == timelineLimit {
		t.pending = append(t.pending[:0], t.pending[1:]...)
	}
	t.pending = append(t.pending, timelineMark{pos: t.fed, pts: pts, ingest: ingest})
	t.fed += dur
}

// at returns the PTS of the output sample at pos and the ingest time of
// the input frame it came from; ok is false before any input. Positions
// must be asked for in increasing order.
func (t *timeline) at(pos time.Duration) (pts time.Duration, ingest time.Time, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.pending) > 0 && (t.pending[0].pos <= pos || !t.started) {
		m := t.pending[0]
		t.pending = t.pending[1:]
		if !t.started {
			t.anchor, t.started = m, true
			continue
		}
		want := t.anchor.pts + (m.pos - t.anchor.pos)
		if d := m.pts - want; d > reanchorAfter || d < -reanchorAfter {
			t.anchor = m
		} else {
			t.anchor.ingest = m.ingest
		}
	}
	if !t.started {
		return 0, time.Time{}, false
	}
	return t.anchor.pts + (pos - t.anchor.pos), t.anchor.ingest, true
}

// samplesToDuration converts n samples at rate to a duration without
// rounding error piling up over a long stream.
func samplesToDuration(n int64, rate int) time.Duration {
	return time.Duration(n * int64(time.Second) / int64(rate))
}
