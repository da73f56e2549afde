package rtmp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

func TestFFmpegPublish(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	cmd := ffmpegPublish(ctx, t, h.url("sk_live_one"), "2")
	launched := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	waitFor(t, 5*time.Second, "the stream to stop", func() bool {
		_, stopped := h.gate.calls()
		return len(stopped) == 1
	})
	started, stopped := h.gate.calls()
	if len(started) != 1 || started[0] != "room1" || stopped[0] != "room1" {
		t.Fatalf("gate saw started %v, stopped %v; want room1 once each", started, stopped)
	}
	if h.hub.Stream("room1") != nil {
		t.Error("the stream is still in the hub after the publisher left")
	}

	frames := h.frames.of("room1")
	if len(frames) == 0 {
		t.Fatal("no frames")
	}
	first := frames[0].Ingest
	t.Logf("connect → first frame %v (ffmpeg launch → first frame %v)",
		first.Sub(h.ln.firstAccept()).Round(time.Millisecond), first.Sub(launched).Round(time.Millisecond))
	if d := first.Sub(h.ln.firstAccept()); d > time.Second {
		t.Errorf("connect → first frame took %v; the ingest waits too long for tracks", d)
	}

	var keys, video, audio int
	var lastDTS time.Duration = -1
	for _, f := range frames {
		if f.Ingest.IsZero() {
			t.Fatal("frame without an ingest time")
		}
		switch f.Codec {
		case media.H264:
			video++
			if f.DTS <= lastDTS {
				t.Fatalf("video DTS went from %v to %v", lastDTS, f.DTS)
			}
			lastDTS = f.DTS
			if f.PTS < f.DTS {
				t.Errorf("PTS %v before DTS %v", f.PTS, f.DTS)
			}
			if f.Key {
				keys++
				checkKeyframe(t, f)
			}
		case media.AAC:
			audio++
			if f.Samples != 1024 || len(f.Payload) == 0 || f.PTS != f.DTS {
				t.Fatalf("bad AAC frame: samples %d, %d bytes, pts %v dts %v", f.Samples, len(f.Payload), f.PTS, f.DTS)
			}
		default:
			t.Fatalf("unexpected codec %s", f.Codec)
		}
	}
	if keys < 2 || video < 40 || audio < 60 {
		t.Errorf("got %d keyframes, %d video and %d audio frames from 2 s at 25 fps with -g 25", keys, video, audio)
	}
	if frames[0].DTS > 100*time.Millisecond {
		t.Errorf("first frame DTS %v; timestamps should start near 0", frames[0].DTS)
	}
	if !strings.Contains(h.logs.String(), "rtmp publisher live") || strings.Contains(h.logs.String(), "sk_live_one") {
		t.Error("the log should announce the publisher and never contain its key")
	}
}

// checkKeyframe asserts a keyframe decodes on its own: SPS, PPS, then an IDR.
func checkKeyframe(t *testing.T, f *media.Frame) {
	t.Helper()
	var types []h264.NALUType
	for _, n := range f.NALUs {
		types = append(types, h264.NALUType(n[0]&0x1f))
	}
	if len(types) < 3 || types[0] != h264.NALUTypeSPS || types[1] != h264.NALUTypePPS {
		t.Fatalf("keyframe NALU types %v; want SPS, PPS first", types)
	}
	var sps h264.SPS
	if err := sps.Unmarshal(f.NALUs[0]); err != nil || sps.Width() != 320 || sps.Height() != 240 {
		t.Fatalf("keyframe SPS: %v, %dx%d", err, sps.Width(), sps.Height())
	}
	for _, typ := range types {
		if typ == h264.NALUTypeIDR {
			return
		}
	}
	t.Fatalf("keyframe without IDR: %v", types)
}

func TestFFmpegPublishTracks(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := ffmpegPublish(ctx, t, h.url("sk_live_two"), "3")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cancel()

	var s *media.Stream
	waitFor(t, 5*time.Second, "the stream to start", func() bool { s = h.hub.Stream("room2"); return s != nil })
	tr := s.Tracks()
	if tr.Video == nil || tr.Video.Width != 320 || tr.Video.Height != 240 || len(tr.Video.SPS) == 0 || len(tr.Video.PPS) == 0 {
		t.Fatalf("video track %+v", tr.Video)
	}
	a := tr.Audio
	if a == nil || a.Codec != media.AAC || a.SampleRate != 44100 || a.Channels != 1 {
		t.Fatalf("audio track %+v", a)
	}
	var cfg mpeg4audio.AudioSpecificConfig
	if err := cfg.Unmarshal(a.Config); err != nil || cfg.SampleRate != 44100 || cfg.Type != mpeg4audio.ObjectTypeAACLC {
		t.Fatalf("AudioSpecificConfig %x: %v %+v", a.Config, err, cfg)
	}
	if s.Protocol != media.RTMP {
		t.Errorf("protocol %s", s.Protocol)
	}
}

func TestFFmpegWrongKeyRefused(t *testing.T) {
	for _, precheck := range []bool{true, false} {
		name := map[bool]string{true: "before publish start", false: "after headers"}[precheck]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{noPrecheck: !precheck})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			begun := time.Now()
			out, err := ffmpegPublish(ctx, t, h.url("sk_wrong_key?token=1"), "2").CombinedOutput()
			if err == nil {
				t.Fatalf("ffmpeg published with a wrong key:\n%s", out)
			}
			t.Logf("ffmpeg failed after %v: %s", time.Since(begun).Round(time.Millisecond), strings.TrimSpace(string(out)))
			if started, _ := h.gate.calls(); len(started) != 0 || len(h.hub.Streams()) != 0 {
				t.Fatalf("a stream appeared for a wrong key: started %v", started)
			}
			logs := h.logs.String()
			if !strings.Contains(logs, statusBadName) || !strings.Contains(logs, "key_tag=") {
				t.Errorf("refusal not logged with a key tag:\n%s", logs)
			}
			if strings.Contains(logs, "sk_wrong_key") {
				t.Errorf("the log contains the stream key:\n%s", logs)
			}
		})
	}
}

func TestFFmpegSecondPublisherRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	firstCtx, stopFirst := context.WithCancel(ctx)
	first := ffmpegPublish(firstCtx, t, h.url("sk_live_one"), "10")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stopFirst(); _ = first.Wait() }()

	var live *media.Stream
	waitFor(t, 5*time.Second, "the first publisher", func() bool {
		live = h.hub.Stream("room1")
		return live != nil && len(h.frames.of("room1")) > 0
	})

	out, err := ffmpegPublish(ctx, t, h.url("sk_live_one"), "1").CombinedOutput()
	if err == nil {
		t.Fatalf("a second publisher on a live key was accepted:\n%s", out)
	}
	t.Logf("second ffmpeg refused: %s", strings.TrimSpace(string(out)))

	if h.hub.Stream("room1") != live {
		t.Fatal("the first publisher's stream was replaced or closed")
	}
	before := len(h.frames.of("room1"))
	waitFor(t, 3*time.Second, "the first publisher to keep sending", func() bool { return len(h.frames.of("room1")) > before+10 })
	if started, stopped := h.gate.calls(); len(started) != 1 || len(stopped) != 0 {
		t.Fatalf("gate saw started %v, stopped %v while the first publisher is live", started, stopped)
	}
}
