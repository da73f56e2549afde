package media

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
)

type testGate struct {
	mu      sync.Mutex
	keys    map[string]string
	started []string
	stopped []string
}

func (g *testGate) Authorize(_ context.Context, key string, _ Protocol) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r, ok := g.keys[key]; ok {
		return r, nil
	}
	return "", apperr.New(apperr.Unauthorized, "unknown stream key")
}
func (g *testGate) Started(_ context.Context, roomID string, _ Protocol) error {
	g.mu.Lock()
	g.started = append(g.started, roomID)
	g.mu.Unlock()
	return nil
}
func (g *testGate) Stopped(roomID string, ended bool) {
	g.mu.Lock()
	g.stopped = append(g.stopped, roomID)
	g.mu.Unlock()
}

func newTestHub() (*Hub, *testGate) {
	g := &testGate{keys: map[string]string{"k1": "room1", "k2": "room2"}}
	return NewHub(g, slog.New(slog.DiscardHandler), time.Now), g
}

var avc = Tracks{Video: &VideoInfo{Codec: H264}, Audio: &AudioInfo{Codec: AAC, SampleRate: 44100, Channels: 2}}

// Minimal SPS (320x240 baseline) and PPS, as x264 writes them.
var (
	testSPS = []byte{0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20}
	testPPS = []byte{0x68, 0xcb, 0x83, 0xcb, 0x20}
)

func key(dts time.Duration) *Frame {
	return &Frame{Codec: H264, Key: true, DTS: dts, PTS: dts, NALUs: [][]byte{testSPS, testPPS, {0x65, 1, 2, 3}}}
}
func delta(dts time.Duration) *Frame {
	return &Frame{Codec: H264, DTS: dts, PTS: dts, NALUs: [][]byte{{0x41, 1, 2}}}
}

func TestPublishRefusals(t *testing.T) {
	h, g := newTestHub()
	ctx := context.Background()
	cases := []struct {
		name   string
		key    string
		tracks Tracks
		code   string
	}{
		{"unknown key", "nope", avc, apperr.Unauthorized},
		{"no tracks", "k1", Tracks{}, apperr.Unsupported},
		{"vp8", "k1", Tracks{Video: &VideoInfo{Codec: "vp8"}}, apperr.Unsupported},
		{"mp3", "k1", Tracks{Audio: &AudioInfo{Codec: "mp3"}}, apperr.Unsupported},
	}
	for _, c := range cases {
		_, err := h.Publish(ctx, c.key, RTMP, c.tracks)
		if apperr.CodeOf(err) != c.code {
			t.Errorf("%s: got %v, want code %s", c.name, err, c.code)
		}
	}
	s, err := h.Publish(ctx, "k1", RTMP, avc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Publish(ctx, "k1", WHIP, avc); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("second publisher: got %v, want conflict", err)
	}
	if h.Stream("room1") != s || len(g.started) != 1 {
		t.Fatal("first publisher was disturbed")
	}
	s.Close(false)
	if h.Stream("room1") != nil || len(g.stopped) != 1 {
		t.Fatal("closed stream still listed or gate not told")
	}
	s.Close(false)
	if len(g.stopped) != 1 {
		t.Fatal("Close is not idempotent")
	}
	if _, err := h.Publish(ctx, "k1", RTMP, avc); err != nil {
		t.Fatalf("republish after close: %v", err)
	}
}

func TestNewReaderStartsAtLastKeyframe(t *testing.T) {
	h, _ := newTestHub()
	s, err := h.Publish(context.Background(), "k1", RTMP, avc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		f := delta(time.Duration(i) * 40 * time.Millisecond)
		if i%5 == 0 {
			f = key(f.DTS)
		}
		if err := s.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	r := s.Subscribe(WHEP, 64, true)
	f, err := r.Read(context.Background())
	if err != nil || !f.Key || f.DTS != 200*time.Millisecond {
		t.Fatalf("first frame %+v, %v: want the keyframe at 200ms", f, err)
	}
	if got := s.Tracks().Video; got.Width != 320 || got.Height != 240 {
		t.Fatalf("size learned from SPS = %dx%d", got.Width, got.Height)
	}
	if v := s.Viewers()[WHEP]; v != 1 {
		t.Fatalf("viewers = %d", v)
	}
	h.Kick("room1", "test")
	for {
		if _, err := r.Read(context.Background()); err == io.EOF {
			break
		}
	}
	if err := s.WriteFrame(delta(0)); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after kick: %v", err)
	}
}

func TestSlowReaderSkipsToNextKeyframeWithoutStallingOthers(t *testing.T) {
	h, _ := newTestHub()
	s, _ := h.Publish(context.Background(), "k1", RTMP, avc)
	slow := s.Subscribe(WHEP, 16, false)
	fast := s.Subscribe(WHEP, 1024, false)
	var n int
	for i := range 100 {
		f := delta(time.Duration(i) * time.Millisecond)
		if i%25 == 0 {
			f = key(f.DTS)
		}
		if err := s.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	for len(fast.C()) > 0 {
		<-fast.C()
		n++
	}
	if n != 100 {
		t.Fatalf("fast reader got %d frames, want 100", n)
	}
	if slow.Dropped() == 0 {
		t.Fatal("slow reader dropped nothing")
	}
	// Drain the slow reader: after its 16 queued frames, the next frame
	// it gets must be a keyframe.
	for range 16 {
		<-slow.C()
	}
	if err := s.WriteFrame(delta(200 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFrame(key(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	f := <-slow.C()
	if !f.Key {
		t.Fatalf("after overflow the reader got a delta frame at %v", f.DTS)
	}
	slow.Close()
	slow.Close()
}

func TestHealth(t *testing.T) {
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	g := &testGate{keys: map[string]string{"k": "r"}}
	h := NewHub(g, slog.New(slog.DiscardHandler), clock)
	s, _ := h.Publish(context.Background(), "k", RTMP, avc)
	for i := range 75 { // 3 s at 25 fps, keyframe every second
		mu.Lock()
		now = now.Add(40 * time.Millisecond)
		mu.Unlock()
		f := delta(time.Duration(i) * 40 * time.Millisecond)
		if i%25 == 0 {
			f = key(f.DTS)
		}
		f.NALUs = append(f.NALUs, make([]byte, 500))
		_ = s.WriteFrame(f)
	}
	got, ok := h.Health("r")
	if !ok {
		t.Fatal("no health for a live room")
	}
	if got.FPS < 24 || got.FPS > 26 || got.KeyframeIntervalMS != 1000 || got.BitrateKbps < 90 || got.Width != 320 {
		t.Fatalf("health %+v", got)
	}
	if _, ok := h.Health("other"); ok {
		t.Fatal("health for a room that is not live")
	}
}
