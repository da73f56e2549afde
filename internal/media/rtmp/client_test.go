package rtmp

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/codecs"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"

	"github.com/liveshop/liveshop/internal/media"
)

// Minimal SPS (320x240 baseline) and PPS, as x264 writes them.
var (
	testSPS = []byte{0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20}
	testPPS = []byte{0x68, 0xcb, 0x83, 0xcb, 0x20}
	testIDR = []byte{0x65, 0x88, 0x84, 0x00, 0x33}
	testP   = []byte{0x41, 0x9a, 0x02, 0x03}
	// testOpus is a 20 ms CELT full-band packet (TOC config 31, one frame).
	testOpus = []byte{0xf8, 0xff, 0xfe}
)

// dial connects a gortmplib client to the harness.
func (h *harness) dial(t *testing.T, key string, publish bool) (*gortmplib.Client, error) {
	t.Helper()
	u, err := url.Parse(h.url(key))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := &gortmplib.Client{URL: u, Publish: publish}
	if err := c.Initialize(ctx); err != nil {
		return nil, err
	}
	t.Cleanup(c.Close)
	_ = c.NetConn().SetDeadline(time.Now().Add(10 * time.Second))
	return c, nil
}

// publishTracks announces tracks the way gortmplib does: onMetaData, then
// the sequence headers.
func publishTracks(t *testing.T, c *gortmplib.Client, tracks ...*gortmplib.Track) *gortmplib.Writer {
	t.Helper()
	w := &gortmplib.Writer{Conn: c, Tracks: tracks}
	if err := w.Initialize(); err != nil {
		t.Fatal(err)
	}
	return w
}

// readStatus reads until the server sends an onStatus, and returns its
// code and description.
func readStatus(t *testing.T, c *gortmplib.Client) (code, description string) {
	t.Helper()
	for {
		msg, err := c.Read()
		if err != nil {
			t.Fatalf("connection ended without an onStatus: %v", err)
		}
		cmd, ok := msg.(*message.CommandAMF0)
		if !ok || cmd.Name != "onStatus" || len(cmd.Arguments) < 2 {
			continue
		}
		info, ok := objectOf(cmd.Arguments[1])
		if !ok {
			t.Fatalf("onStatus without an info object: %+v", cmd)
		}
		code, _ = info.GetString("code")
		description, _ = info.GetString("description")
		return code, description
	}
}

// waitClosed waits until the server closes c.
func waitClosed(t *testing.T, c *gortmplib.Client, d time.Duration) {
	t.Helper()
	_ = c.NetConn().SetReadDeadline(time.Now().Add(d))
	for {
		if _, err := c.Read(); err != nil {
			var timeout interface{ Timeout() bool }
			if errors.As(err, &timeout) && timeout.Timeout() {
				t.Fatalf("the server did not close the connection within %v", d)
			}
			return
		}
	}
}

// OBS sends the server URL (app "live") and the key as the stream name,
// sometimes with a token query after it.
func TestKeyAsStreamNameWithQuery(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	u, err := url.Parse("rtmp://" + h.addr + "/live#sk_live_two?token=abc")
	if err != nil {
		t.Fatal(err)
	}
	c := &gortmplib.Client{URL: u, Publish: true}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	publishTracks(t, c, &gortmplib.Track{Codec: &codecs.H264{SPS: testSPS, PPS: testPPS}})
	waitFor(t, 3*time.Second, "room2 to go live", func() bool { return h.hub.Stream("room2") != nil })
}

func TestPlayRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	_, err := h.dial(t, "sk_live_one", false)
	if err == nil || !strings.Contains(err.Error(), "does not serve RTMP playback") {
		t.Fatalf("play: got %v, want a refusal that explains there is no RTMP playback", err)
	}
}

func TestUnsupportedCodecsRefused(t *testing.T) {
	cases := []struct {
		name  string
		track *gortmplib.Track
		want  string
	}{
		{"H.265", &gortmplib.Track{Codec: &codecs.H265{}}, "video codec H.265 is not supported; send H.264"},
		{"AV1", &gortmplib.Track{Codec: &codecs.AV1{}}, "video codec AV1 is not supported; send H.264"},
		{"VP9", &gortmplib.Track{Codec: &codecs.VP9{}}, "video codec VP9 is not supported; send H.264"},
		{"MP3", &gortmplib.Track{Codec: &codecs.MPEG1Audio{}}, "audio codec MP3 is not supported; send AAC"},
	}
	h := newHarness(t, harnessOpts{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := h.dial(t, "sk_live_one", true)
			if err != nil {
				t.Fatal(err)
			}
			publishTracks(t, c, tc.track)
			code, desc := readStatus(t, c)
			if code != statusRejected || !strings.Contains(desc, tc.want) {
				t.Fatalf("got %s %q, want %s %q", code, desc, statusRejected, tc.want)
			}
			waitClosed(t, c, 3*time.Second)
		})
	}
	if started, _ := h.gate.calls(); len(started) != 0 {
		t.Fatalf("a refused codec started a stream: %v", started)
	}
}

// Without onMetaData the sequence header alone must reveal the codec.
func TestH265HeaderWithoutMetadataRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c, err := h.dial(t, "sk_live_one", true)
	if err != nil {
		t.Fatal(err)
	}
	// Let gortmplib build a valid hvcC, and drop its onMetaData on the way.
	w := &gortmplib.Writer{Conn: skipData{c}, Tracks: []*gortmplib.Track{{Codec: &codecs.H265{}}}}
	if err := w.Initialize(); err != nil {
		t.Fatal(err)
	}
	if code, desc := readStatus(t, c); !strings.Contains(desc, "send H.264") {
		t.Fatalf("got %s %q", code, desc)
	}
}

type skipData struct{ *gortmplib.Client }

func (s skipData) Write(m message.Message) error {
	if _, ok := m.(*message.DataAMF0); ok {
		return nil
	}
	return s.Client.Write(m)
}

// An Enhanced RTMP publisher with Opus audio; the IDR it sends carries no
// SPS/PPS, so ingest must add them from the sequence header.
func TestOpusAndParameterSets(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c, err := h.dial(t, "sk_live_two", true)
	if err != nil {
		t.Fatal(err)
	}
	video := &gortmplib.Track{Codec: &codecs.H264{SPS: testSPS, PPS: testPPS}}
	audio := &gortmplib.Track{Codec: &codecs.Opus{IDHeader: &opus.IDHeader{Version: 1, ChannelCount: 2, InputSampleRate: 48000}}}
	w := publishTracks(t, c, video, audio)

	var s *media.Stream
	waitFor(t, 3*time.Second, "the stream to start from headers alone", func() bool { s = h.hub.Stream("room2"); return s != nil })
	if a := s.Tracks().Audio; a == nil || a.Codec != media.Opus || a.SampleRate != 48000 || a.Channels != 2 {
		t.Fatalf("audio track %+v", a)
	}

	// Timestamps start at 5 s on the publisher's clock.
	const base = 5 * time.Second
	must(t, w.WriteH264(video, base, base, [][]byte{testIDR}))
	must(t, w.WriteOpus(audio, base+10*time.Millisecond, testOpus))
	must(t, w.WriteH264(video, base+80*time.Millisecond, base+40*time.Millisecond, [][]byte{{0x09, 0xf0}, testP}))

	waitFor(t, 3*time.Second, "three frames", func() bool { return len(h.frames.of("room2")) >= 3 })
	f := h.frames.of("room2")
	if !f[0].Key || f[0].DTS != 0 || len(f[0].NALUs) != 3 || h264.NALUType(f[0].NALUs[0][0]&0x1f) != h264.NALUTypeSPS ||
		h264.NALUType(f[0].NALUs[1][0]&0x1f) != h264.NALUTypePPS || string(f[0].NALUs[2]) != string(testIDR) {
		t.Errorf("keyframe %+v: want SPS, PPS, IDR at DTS 0", f[0])
	}
	if f[1].Codec != media.Opus || f[1].DTS != 10*time.Millisecond || f[1].Samples != 960 {
		t.Errorf("opus frame %+v", f[1])
	}
	if f[2].Key || f[2].DTS != 40*time.Millisecond || f[2].PTS != 80*time.Millisecond || len(f[2].NALUs) != 1 {
		t.Errorf("delta frame %+v: want the AUD dropped, DTS 40ms, PTS 80ms", f[2])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestStalledPublisherCut(t *testing.T) {
	for _, chatty := range []bool{false, true} {
		name := map[bool]string{false: "silent", true: "metadata but no media"}[chatty]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{stall: 300 * time.Millisecond})
			c, err := h.dial(t, "sk_live_one", true)
			if err != nil {
				t.Fatal(err)
			}
			video := &gortmplib.Track{Codec: &codecs.H264{SPS: testSPS, PPS: testPPS}}
			w := publishTracks(t, c, video)
			must(t, w.WriteH264(video, 0, 0, [][]byte{testIDR}))
			waitFor(t, 3*time.Second, "the stream", func() bool { return len(h.frames.of("room1")) == 1 })
			s := h.hub.Stream("room1")

			stop := make(chan struct{})
			defer close(stop)
			if chatty {
				go func() {
					for {
						select {
						case <-stop:
							return
						case <-time.After(50 * time.Millisecond):
							_ = c.Write(&message.DataAMF0{ChunkStreamID: 4, MessageStreamID: 0x1000000, Payload: []any{"onTextData", "hi"}})
						}
					}
				}()
			}
			select {
			case <-s.Done():
			case <-time.After(3 * time.Second):
				t.Fatal("a stalled publisher was not cut off")
			}
			waitFor(t, 2*time.Second, "Stopped", func() bool { _, stopped := h.gate.calls(); return len(stopped) == 1 })
			if !chatty {
				waitClosed(t, c, 2*time.Second)
			}
			if !strings.Contains(h.logs.String(), "reason=stalled") {
				t.Errorf("the log does not say the publisher stalled:\n%s", h.logs.String())
			}
		})
	}
}

func TestKickClosesConnection(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c, err := h.dial(t, "sk_live_one", true)
	if err != nil {
		t.Fatal(err)
	}
	video := &gortmplib.Track{Codec: &codecs.H264{SPS: testSPS, PPS: testPPS}}
	w := publishTracks(t, c, video)
	must(t, w.WriteH264(video, 0, 0, [][]byte{testIDR}))
	waitFor(t, 3*time.Second, "the stream", func() bool { return len(h.frames.of("room1")) == 1 })

	h.hub.Kick("room1", "key rotated")
	waitClosed(t, c, 2*time.Second)
	waitFor(t, 2*time.Second, "the handler to finish", func() bool { return strings.Contains(h.logs.String(), "reason=kicked") })
	if started, stopped := h.gate.calls(); len(started) != 1 || len(stopped) != 1 {
		t.Fatalf("gate saw started %v, stopped %v; want one each", started, stopped)
	}
}

// Shutting the server down ends live streams and returns from Serve.
func TestServeShutdownClosesStreams(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c, err := h.dial(t, "sk_live_two", true)
	if err != nil {
		t.Fatal(err)
	}
	video := &gortmplib.Track{Codec: &codecs.H264{SPS: testSPS, PPS: testPPS}}
	w := publishTracks(t, c, video)
	must(t, w.WriteH264(video, 0, 0, [][]byte{testIDR}))
	waitFor(t, 3*time.Second, "the stream", func() bool { return h.hub.Stream("room2") != nil })
	h.shutdown()
	if _, stopped := h.gate.calls(); len(stopped) != 1 {
		t.Errorf("Stopped not called on shutdown: %v", stopped)
	}
	if len(h.hub.Streams()) != 0 {
		t.Error("a stream outlived the server")
	}
	waitClosed(t, c, 2*time.Second)
}
