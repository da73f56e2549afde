package transcode

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/liveshop/liveshop/internal/media"
)

// pace writes frames at real time, stamping each with its ingest time.
func pace(t *testing.T, st *media.Stream, frames []*media.Frame) {
	t.Helper()
	start := time.Now()
	for _, f := range frames {
		if d := time.Until(start.Add(f.PTS - frames[0].PTS)); d > 0 {
			time.Sleep(d)
		}
		f.Ingest = time.Now()
		if err := st.WriteFrame(f); err != nil {
			t.Error(err)
			return
		}
	}
}

// received collects a viewer's derived frames of codec until the last
// one reaches until.
func received(t *testing.T, r *media.Reader, codec media.Codec, until time.Duration) (frames []*media.Frame, latency []time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		f, err := r.Read(ctx)
		if err != nil {
			t.Fatalf("after %d %s frames (last PTS %v, want %v): %v", len(frames), codec, lastPTS(frames), until, err)
		}
		if f.Codec != codec || !f.Derived {
			continue
		}
		frames = append(frames, f)
		latency = append(latency, time.Since(f.Ingest))
		if f.PTS >= until {
			return frames, latency
		}
	}
}

func lastPTS(fs []*media.Frame) time.Duration {
	if len(fs) == 0 {
		return -1
	}
	return fs[len(fs)-1].PTS
}

// checkPTS asserts the derived frames start near first and advance by
// exactly step.
func checkPTS(t *testing.T, frames []*media.Frame, first, step time.Duration) {
	t.Helper()
	if d := frames[0].PTS - first; d < -25*time.Millisecond || d > 25*time.Millisecond {
		t.Errorf("first derived PTS %v, input starts at %v", frames[0].PTS, first)
	}
	for i := 1; i < len(frames); i++ {
		if d := frames[i].PTS - frames[i-1].PTS; d < step-time.Millisecond || d > step+time.Millisecond {
			t.Fatalf("frame %d: PTS %v after %v", i, frames[i].PTS, frames[i-1].PTS)
		}
	}
}

// steady is the latency median of the last third, once ffmpeg has
// started and caught up with what queued meanwhile.
func steady(ds []time.Duration) time.Duration { return median(ds[len(ds)*2/3:]) }

// steadyLatency bounds the steady latency: about 70-80 ms on an idle
// machine, with room for a CI machine busy with other packages' tests.
const steadyLatency = 600 * time.Millisecond

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// decodes asserts ffmpeg decodes a file without complaint.
func decodes(t *testing.T, name string, data []byte, format string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", format, "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("ffmpeg cannot decode the derived audio: %v\n%s", err, out)
	}
}

func TestAACBecomesOpus(t *testing.T) {
	needFFmpeg(t)
	config, aus := sineAAC(t, 2.5, 44100)
	before := runtime.NumGoroutine()

	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	svc := New(hub, "", testLogger(t), Options{})
	if !svc.Available() || len(svc.Warnings()) != 0 {
		t.Fatalf("available %v, warnings %q", svc.Available(), svc.Warnings())
	}
	st, err := hub.Publish(context.Background(), "aac-room", media.RTMP,
		media.Tracks{Audio: &media.AudioInfo{Codec: media.AAC, Config: config, SampleRate: 44100, Channels: 1}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the derived Opus track", 2*time.Second, func() bool { return st.Audio(media.Opus) != nil })
	if a := st.Audio(media.Opus); a.SampleRate != 48000 || a.Channels != 2 {
		t.Fatalf("Opus track %+v", a)
	}
	viewer := st.Subscribe(media.WHEP, 4096, false)

	// The publisher's clock starts at 1 s, as after a reconnect.
	base := time.Second
	var frames []*media.Frame
	for i, au := range aus {
		pts := base + samplesToDuration(int64(i)*1024, 44100)
		frames = append(frames, &media.Frame{Codec: media.AAC, PTS: pts, DTS: pts, Payload: au, Samples: 1024})
	}
	end := base + samplesToDuration(int64(len(aus))*1024, 44100)
	go pace(t, st, frames)
	got, latency := received(t, viewer, media.Opus, end-150*time.Millisecond)

	checkPTS(t, got, base, 20*time.Millisecond)
	for _, f := range got {
		if f.Samples != 960 || len(f.Payload) == 0 {
			t.Fatalf("frame %+v", f)
		}
	}
	t.Logf("%d Opus frames; latency median %v, steady %v, max %v", len(got), median(latency), steady(latency), slices.Max(latency))
	if m := steady(latency); m > steadyLatency {
		t.Errorf("median latency %v", m)
	}
	if h := st.Health(); h.Viewers[Transcoder] != 0 || h.Viewers[media.WHEP] != 1 {
		t.Errorf("viewers %v: the transcoder must not count", h.Viewers)
	}

	// The packets make a valid Opus stream.
	var ogg strings.Builder
	w := newOggWriter(&ogg, 1)
	w.writePacket(opusHead{channels: 2, preSkip: 312, inputRate: 48000}.marshal(), 0, oggFirst)
	w.writePacket(opusTags(), 0, 0)
	for i, f := range got {
		w.writePacket(f.Payload, int64(i+1)*960, 0)
	}
	decodes(t, "derived.ogg", []byte(ogg.String()), "ogg")

	st.Close(false)
	svc.Close()
	checkClean(t, before)
}

func TestOpusBecomesAAC(t *testing.T) {
	needFFmpeg(t)
	pkts := sineOpus(t, 2.5)
	before := runtime.NumGoroutine()

	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	svc := New(hub, "", testLogger(t), Options{})
	defer svc.Close()
	st, err := hub.Publish(context.Background(), "opus-room", media.WHIP,
		media.Tracks{Audio: &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the derived AAC track", 2*time.Second, func() bool { return st.Audio(media.AAC) != nil })
	var cfg mpeg4audio.AudioSpecificConfig
	if err := cfg.Unmarshal(st.Audio(media.AAC).Config); err != nil {
		t.Fatalf("derived AAC config: %v", err)
	}
	if cfg.Type != mpeg4audio.ObjectTypeAACLC || cfg.SampleRate != 48000 || cfg.ChannelConfig != 2 {
		t.Fatalf("derived AAC config %+v", cfg)
	}
	viewer := st.Subscribe(media.HLS, 4096, false)

	base := 40 * time.Millisecond
	var frames []*media.Frame
	for i, p := range pkts {
		pts := base + time.Duration(i)*20*time.Millisecond
		frames = append(frames, &media.Frame{Codec: media.Opus, PTS: pts, DTS: pts, Payload: p, Samples: 960})
	}
	end := base + time.Duration(len(pkts))*20*time.Millisecond
	go pace(t, st, frames)
	got, latency := received(t, viewer, media.AAC, end-150*time.Millisecond)

	// The first frame is the encoder's priming, 1024 samples before the input.
	checkPTS(t, got, base-samplesToDuration(aacEncoderDelay, 48000), samplesToDuration(1024, 48000))
	t.Logf("%d AAC frames; latency median %v, steady %v, max %v", len(got), median(latency), steady(latency), slices.Max(latency))
	if m := steady(latency); m > steadyLatency {
		t.Errorf("median latency %v", m)
	}
	var adts []byte
	for _, f := range got {
		b, err := aacOutHeader.frame(f.Payload)
		if err != nil {
			t.Fatal(err)
		}
		adts = append(adts, b...)
	}
	decodes(t, "derived.aac", adts, "aac")

	st.Close(false)
	svc.Close()
	checkClean(t, before)
}

func TestMissingFFmpegLeavesANote(t *testing.T) {
	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	svc := New(hub, filepath.Join(t.TempDir(), "no-ffmpeg-here"), testLogger(t), Options{ABR: true})
	defer svc.Close()
	if svc.Available() {
		t.Fatal("a missing ffmpeg is available")
	}
	if w := svc.Warnings(); len(w) != 1 || !strings.HasPrefix(w[0], "ffmpeg is not installed") {
		t.Fatalf("warnings %q", w)
	}
	tests := []struct {
		room           string
		audio, derived media.Codec
		note           string
	}{
		{"rtmp-room", media.AAC, media.Opus, "ffmpeg is not installed: WebRTC viewers will not hear this stream's AAC audio"},
		{"whip-room", media.Opus, media.AAC, "ffmpeg is not installed: HLS viewers and the recording will not have this stream's Opus audio"},
	}
	for _, tt := range tests {
		st, err := hub.Publish(context.Background(), tt.room, media.RTMP,
			media.Tracks{Audio: &media.AudioInfo{Codec: tt.audio, SampleRate: 48000, Channels: 2}})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the note", 2*time.Second, func() bool { return strings.Contains(st.Note(), tt.note) })
		if err := st.WriteFrame(&media.Frame{Codec: tt.audio, Payload: []byte{0xfc}}); err != nil {
			t.Fatal(err)
		}
		if st.Audio(tt.derived) != nil {
			t.Fatal("a derived track without ffmpeg")
		}
		st.Close(false)
	}
}

func TestCrashingFFmpegGivesUpWithANote(t *testing.T) {
	before := runtime.NumGoroutine()
	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	svc := New(hub, fakeFFmpeg(t, "echo 'simulated crash' >&2; exit 1"), testLogger(t), Options{})
	st, err := hub.Publish(context.Background(), "room", media.RTMP,
		media.Tracks{Audio: &media.AudioInfo{Codec: media.AAC, SampleRate: 44100, Channels: 2}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the transcoder to give up", 5*time.Second, func() bool {
		return strings.Contains(st.Note(), "the audio transcoder failed: WebRTC viewers will not hear this stream's AAC audio")
	})
	st.Close(false)
	svc.Close()
	checkClean(t, before)
}

// An ffmpeg that stops reading must not slow the publisher, and ending
// the stream must kill it.
func TestStuckFFmpegNeverBlocksTheStream(t *testing.T) {
	before := runtime.NumGoroutine()
	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	svc := New(hub, fakeFFmpeg(t, "exec sleep 30"), testLogger(t), Options{})
	st, err := hub.Publish(context.Background(), "room", media.RTMP,
		media.Tracks{Audio: &media.AudioInfo{Codec: media.AAC, SampleRate: 44100, Channels: 2}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the transcoder", 2*time.Second, func() bool { return len(children(t)) == 1 })
	payload := make([]byte, 600)
	start := time.Now()
	for i := range 5000 { // about 3 MB, far past the pipe's buffer
		pts := time.Duration(i) * 23 * time.Millisecond
		if err := st.WriteFrame(&media.Frame{Codec: media.AAC, PTS: pts, DTS: pts, Payload: payload}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("5000 writes took %v", d)
	}
	st.Close(false)
	checkClean(t, before)
	svc.Close()
}
