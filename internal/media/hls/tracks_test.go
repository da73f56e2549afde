package hls

import (
	"net/http"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		d    time.Duration
		rate int
		want int64
	}{
		{time.Second, 90000, 90000},
		{40 * time.Millisecond, 90000, 3600},
		{-40 * time.Millisecond, 90000, -3600},
		// 1024 samples at 44.1 kHz is not a whole number of nanoseconds;
		// rounding gets the samples back.
		{fromTicks(1024*7, 44100), 44100, 1024 * 7},
		{fromTicks(960*1000, 48000), 48000, 960 * 1000},
	}
	for _, tt := range tests {
		if got := ticks(tt.d, tt.rate); got != tt.want {
			t.Errorf("ticks(%v, %d) = %d, want %d", tt.d, tt.rate, got, tt.want)
		}
	}
}

func TestAudioClock(t *testing.T) {
	const rate = 48000
	tests := []struct {
		name string
		pts  []time.Duration // frame timestamps, 20 ms frames of 960 samples
		want []int64
	}{
		{"exact", []time.Duration{0, 20 * time.Millisecond, 40 * time.Millisecond}, []int64{0, 960, 1920}},
		{"millisecond jitter is ignored",
			[]time.Duration{1 * time.Millisecond, 20 * time.Millisecond, 42 * time.Millisecond, 59 * time.Millisecond},
			[]int64{48, 1008, 1968, 2928}},
		{"a gap is followed", []time.Duration{0, 20 * time.Millisecond, 500 * time.Millisecond}, []int64{0, 960, 24000}},
		{"never goes back", []time.Duration{0, 20 * time.Millisecond, 0, 0}, []int64{0, 960, 1920, 2880}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := audioClock{rate: rate}
			for i, pts := range tt.pts {
				if got := c.stamp(pts, 960); got != tt.want[i] {
					t.Errorf("frame %d at %v stamped %d, want %d", i, pts, got, tt.want[i])
				}
			}
		})
	}
}

func TestAudioTrack(t *testing.T) {
	aac, err := newAudioTrack(&media.AudioInfo{Codec: media.AAC, Config: []byte{0x12, 0x10}}) // AAC-LC 44.1 kHz stereo
	if err != nil || aac.clockRate() != 44100 || aac.samples(&media.Frame{Payload: []byte{1}}) != 1024 {
		t.Fatalf("AAC track: %+v, %v", aac, err)
	}
	noConfig, err := newAudioTrack(&media.AudioInfo{Codec: media.AAC, SampleRate: 48000, Channels: 2})
	if err != nil || noConfig.clockRate() != 48000 {
		t.Fatalf("AAC without config: %+v, %v", noConfig, err)
	}
	if _, err := newAudioTrack(&media.AudioInfo{Codec: media.AAC}); err == nil {
		t.Error("AAC without config or rate accepted")
	}
	opus, err := newAudioTrack(&media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2})
	// 0x78: SILK-only, 20 ms, one frame per packet.
	if err != nil || opus.clockRate() != 48000 || opus.samples(&media.Frame{Payload: []byte{0x78, 0}}) != 960 {
		t.Fatalf("Opus track: %+v, %v", opus, err)
	}
	if _, err := newAudioTrack(&media.AudioInfo{Codec: "mp3"}); err == nil {
		t.Error("MP3 accepted")
	}
}

func TestViewerCounter(t *testing.T) {
	now := time.Unix(1000, 0)
	v := newViewerCounter(func() time.Time { return now })
	req := func(addr, agent string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "/live/r/index.m3u8", nil)
		r.RemoteAddr, r.Header["User-Agent"] = addr, []string{agent}
		return r
	}
	v.seen("r", req("10.0.0.1:5000", "a"))
	v.seen("r", req("10.0.0.1:5001", "a")) // same client, new connection
	v.seen("r", req("10.0.0.1:5002", "b")) // another player on the same address
	v.seen("r", req("10.0.0.2:5000", "a"))
	v.seen("other", req("10.0.0.3:5000", "a"))
	if n := v.count("r"); n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
	now = now.Add(viewerWindow / 2)
	v.seen("r", req("10.0.0.2:5000", "a"))
	now = now.Add(viewerWindow/2 + time.Second)
	if n := v.count("r"); n != 1 {
		t.Errorf("count after the window = %d, want 1 (the client that came back)", n)
	}
	if n := v.count("nobody"); n != 0 {
		t.Errorf("count of an unknown room = %d", n)
	}
	v.seen("r", req("10.0.0.9:1", "z")) // sweeps rooms nobody asked about
	if _, ok := v.rooms["other"]; ok {
		t.Error("an idle room's clients were kept")
	}
}
