package media

import (
	"sync"
	"time"
)

// Health is a live stream's state as hosts and operators see it.
type Health struct {
	RoomID   string   `json:"room_id"`
	Protocol Protocol `json:"protocol"`
	// BitrateKbps and FPS are averaged over the last few seconds.
	BitrateKbps int     `json:"bitrate_kbps"`
	FPS         float64 `json:"fps"`
	// KeyframeIntervalMS is the time between the last two keyframes.
	KeyframeIntervalMS int              `json:"keyframe_interval_ms"`
	Width              int              `json:"width"`
	Height             int              `json:"height"`
	VideoCodec         Codec            `json:"video_codec,omitempty"`
	AudioCodec         Codec            `json:"audio_codec,omitempty"`
	Viewers            map[Protocol]int `json:"viewers"`
	UptimeSeconds      int              `json:"uptime_seconds"`
	Note               string           `json:"note,omitempty"`
}

// healthWindow is how far back bitrate and frame rate are averaged.
const healthWindow = 3 * time.Second

type healthSample struct {
	at    time.Time
	bytes int
	video bool
}

type healthMeter struct {
	now func() time.Time

	mu        sync.Mutex
	samples   []healthSample
	lastKey   time.Duration
	keyEvery  time.Duration
	sawKey    bool
	lastFrame time.Time
}

func newHealthMeter(now func() time.Time) *healthMeter { return &healthMeter{now: now} }

func (m *healthMeter) observe(f *Frame) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastFrame = now
	m.samples = append(m.samples, healthSample{at: now, bytes: f.Size(), video: f.Codec.Video()})
	if f.Codec.Video() && f.Key {
		if m.sawKey && f.DTS > m.lastKey {
			m.keyEvery = f.DTS - m.lastKey
		}
		m.lastKey, m.sawKey = f.DTS, true
	}
	m.trim(now)
}

func (m *healthMeter) trim(now time.Time) {
	cut := 0
	for cut < len(m.samples) && now.Sub(m.samples[cut].at) > healthWindow {
		cut++
	}
	if cut > 0 {
		m.samples = append(m.samples[:0], m.samples[cut:]...)
	}
}

// Health reports the stream's current health.
func (s *Stream) Health() Health {
	m := s.health
	now := m.now()
	m.mu.Lock()
	m.trim(now)
	var bytes, frames int
	for _, x := range m.samples {
		bytes += x.bytes
		if x.video {
			frames++
		}
	}
	keyEvery := m.keyEvery
	m.mu.Unlock()

	span := healthWindow.Seconds()
	if up := now.Sub(s.Started).Seconds(); up < span && up > 0.5 {
		span = up
	}
	t := s.Tracks()
	h := Health{RoomID: s.RoomID, Protocol: s.Protocol, BitrateKbps: int(float64(bytes*8) / span / 1000),
		FPS: float64(int(float64(frames)/span*10)) / 10, KeyframeIntervalMS: int(keyEvery.Milliseconds()),
		Viewers: s.Viewers(), UptimeSeconds: int(now.Sub(s.Started).Seconds()), Note: s.Note()}
	if t.Video != nil {
		h.VideoCodec, h.Width, h.Height = t.Video.Codec, t.Video.Width, t.Video.Height
	}
	if t.Audio != nil {
		h.AudioCodec = t.Audio.Codec
	}
	return h
}

// Idle reports how long the publisher has sent nothing.
func (s *Stream) Idle() time.Duration {
	m := s.health
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lastFrame.IsZero() {
		return m.now().Sub(s.Started)
	}
	return m.now().Sub(m.lastFrame)
}
