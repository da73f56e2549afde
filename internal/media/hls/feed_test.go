package hls

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	mpegtscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"github.com/liveshop/liveshop/internal/media"
)

// The test media is made by ffmpeg as MPEG-TS (H.264 with B-frames, as
// OBS sends by default, and AAC) and read back with mediacommon, which
// gives every access unit its real PTS and DTS: exactly what an ingest
// adapter hands the Hub.

// testMedia is a clip split into frames in decode order.
type testMedia struct {
	tracks media.Tracks
	frames []*media.Frame
}

func requireFFmpeg(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"/usr/bin/ffmpeg", "/usr/bin/ffprobe"} {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s is not installed: `make test` installs it (scripts/install-deps.sh)", bin)
		}
	}
}

// makeMedia encodes seconds of test picture and tone in AAC. With audio
// false the clip has video only; with video false, audio only.
func makeMedia(t *testing.T, seconds int, video, audio bool) *testMedia {
	return makeMediaWith(t, seconds, video, audio, "aac", "320x240")
}

// makeMediaWith is makeMedia with the audio codec ("aac", "libopus") and
// picture size given.
func makeMediaWith(t *testing.T, seconds int, video, audio bool, audioCodec, size string) *testMedia {
	t.Helper()
	out := filepath.Join(t.TempDir(), "clip.ts")
	args := []string{"-hide_banner", "-loglevel", "error", "-y"}
	if video {
		args = append(args, "-f", "lavfi", "-i", "testsrc2=size="+size+":rate=25")
	}
	if audio {
		rate := "44100"
		if audioCodec != "aac" {
			rate = "48000"
		}
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate="+rate)
	}
	args = append(args, "-t", strconv.Itoa(seconds))
	if video {
		args = append(args, "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p")
	}
	if audio {
		args = append(args, "-c:a", audioCodec, "-b:a", "64k", "-ac", "2")
	}
	args = append(args, "-f", "mpegts", out)
	if b, err := exec.Command("/usr/bin/ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return readTS(t, data)
}

func readTS(t *testing.T, data []byte) *testMedia {
	t.Helper()
	r := &mpegts.Reader{R: bytes.NewReader(data)}
	if err := r.Initialize(); err != nil {
		t.Fatalf("read MPEG-TS: %v", err)
	}
	m := &testMedia{}
	type stamped struct {
		pts, dts int64 // 90 kHz
		f        *media.Frame
	}
	var all []stamped
	for _, tr := range r.Tracks() {
		switch c := tr.Codec.(type) {
		case *mpegtscodecs.H264:
			m.tracks.Video = &media.VideoInfo{Codec: media.H264}
			r.OnDataH264(tr, func(pts, dts int64, au [][]byte) error {
				f := &media.Frame{Codec: media.H264, NALUs: au, Key: h264.IsRandomAccess(au)}
				if f.Key && !videoReady(m.tracks.Video) {
					if p := parametersOf(f); p != nil {
						var sps h264.SPS
						if err := sps.Unmarshal(p.SPS); err == nil {
							p.Width, p.Height = sps.Width(), sps.Height()
						}
						m.tracks.Video = p
					}
				}
				all = append(all, stamped{pts, dts, f})
				return nil
			})
		case *mpegtscodecs.Opus:
			m.tracks.Audio = &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2}
			r.OnDataOpus(tr, func(pts int64, packets [][]byte) error {
				for _, pkt := range packets {
					n := opus.PacketDuration2(pkt)
					all = append(all, stamped{pts, pts, &media.Frame{Codec: media.Opus, Payload: pkt, Samples: int(n)}})
					pts += n * 90000 / 48000
				}
				return nil
			})
		case *mpegtscodecs.MPEG4Audio:
			conf, err := c.Config.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			m.tracks.Audio = &media.AudioInfo{Codec: media.AAC, Config: conf, SampleRate: c.Config.SampleRate,
				Channels: int(c.Config.ChannelConfig)}
			rate := int64(c.Config.SampleRate)
			r.OnDataMPEG4Audio(tr, func(pts int64, aus [][]byte) error {
				for i, au := range aus {
					p := pts + int64(i)*mpeg4audio.SamplesPerAccessUnit*90000/rate
					all = append(all, stamped{p, p, &media.Frame{Codec: media.AAC, Payload: au, Samples: mpeg4audio.SamplesPerAccessUnit}})
				}
				return nil
			})
		}
	}
	for {
		if err := r.Read(); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("read MPEG-TS: %v", err)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].dts < all[j].dts })
	if len(all) == 0 {
		t.Fatal("ffmpeg made no frames")
	}
	base := all[0].dts
	for _, s := range all {
		s.f.PTS = fromTicks(s.pts-base, 90000)
		s.f.DTS = fromTicks(s.dts-base, 90000)
		m.frames = append(m.frames, s.f)
	}
	return m
}

// publish admits a publisher of roomID and writes m's frames at speed
// times real time (frames are reused: they are never modified). It
// returns the stream and a channel closed when every frame is written.
func publish(t *testing.T, hub *media.Hub, roomID string, m *testMedia, speed float64) (*media.Stream, <-chan struct{}) {
	t.Helper()
	st, err := hub.Publish(context.Background(), roomID, media.RTMP, m.tracks)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		for _, f := range m.frames {
			if wait := time.Duration(float64(f.DTS)/speed) - time.Since(start); wait > 0 {
				time.Sleep(wait)
			}
			c := *f
			c.Ingest = time.Now()
			if err := st.WriteFrame(&c); err != nil {
				return
			}
		}
	}()
	return st, done
}

// testGate lets every key publish to the room of the same name.
type testGate struct{}

func (testGate) Authorize(_ context.Context, key string, _ media.Protocol) (string, error) {
	return key, nil
}
func (testGate) Started(context.Context, string, media.Protocol) error { return nil }
func (testGate) Stopped(string, bool)                                  {}
