package transcode

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
)

// countingGate records what the hub tells it.
type countingGate struct {
	openGate
	mu      sync.Mutex
	stopped []string
}

func (g *countingGate) Stopped(room string, _ bool) {
	g.mu.Lock()
	g.stopped = append(g.stopped, room)
	g.mu.Unlock()
}

// testVideo makes seconds of 320x240 H.264 at 30 fps with B-frames and a
// keyframe every second, as access units with the publisher's timestamps.
func testVideo(t *testing.T, seconds float64) []*media.Frame {
	b := ffmpegFile(t, "video.ts", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", ftoa(seconds),
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
		"-x264-params", "b-adapt=0", "-f", "mpegts")
	r := &mpegts.Reader{R: bytes.NewReader(b)}
	if err := r.Initialize(); err != nil {
		t.Fatal(err)
	}
	var frames []*media.Frame
	var first int64 = -1
	r.OnDataH264(r.Tracks()[0], func(pts, dts int64, au [][]byte) error {
		if first < 0 {
			first = dts
		}
		frames = append(frames, &media.Frame{Codec: media.H264, NALUs: au, Key: isIDR(au),
			PTS: time.Duration(pts-first) * time.Second / 90000, DTS: time.Duration(dts-first) * time.Second / 90000})
		return nil
	})
	for {
		if err := r.Read(); err != nil {
			if errors.Is(err, io.EOF) {
				return frames
			}
			t.Fatal(err)
		}
	}
}

func isIDR(au [][]byte) bool {
	for _, u := range au {
		if len(u) > 0 && u[0]&0x1f == 5 {
			return true
		}
	}
	return false
}

func TestRenditions(t *testing.T) {
	needFFmpeg(t)
	video := testVideo(t, 3)
	config, aus := sineAAC(t, 3, 44100)
	before := runtime.NumGoroutine()

	gate := &countingGate{}
	hub := media.NewHub(gate, testLogger(t), time.Now)
	ladder := []Rendition{{"240p", 240, 500}, {"180p", 180, 300}, {"120p", 120, 150}}
	svc := New(hub, "", testLogger(t), Options{ABR: true, Renditions: ladder})
	defer svc.Close()
	st, err := hub.Publish(context.Background(), "room", media.RTMP, media.Tracks{
		Video: &media.VideoInfo{Codec: media.H264, Width: 320, Height: 240},
		Audio: &media.AudioInfo{Codec: media.AAC, Config: config, SampleRate: 44100, Channels: 1}})
	if err != nil {
		t.Fatal(err)
	}

	// The publisher's audio and video, interleaved by time.
	all := slices.Clone(video)
	for i, au := range aus {
		pts := samplesToDuration(int64(i)*1024, 44100)
		all = append(all, &media.Frame{Codec: media.AAC, PTS: pts, DTS: pts, Payload: au, Samples: 1024})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].DTS < all[j].DTS })
	paced := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(paced)
		pace(t, st, all)
	}()

	waitFor(t, "two renditions", 10*time.Second, func() bool { return len(hub.Renditions("room")) == 2 })
	t.Logf("renditions after %v", time.Since(start))
	rs := hub.Renditions("room")
	if rs[0].RoomID != "room~120p" || rs[1].RoomID != "room~180p" || rs[0].Parent() != st {
		t.Fatalf("renditions %s, %s", rs[0].RoomID, rs[1].RoomID)
	}
	sizes := map[string][2]int{"room~120p": {160, 120}, "room~180p": {240, 180}}
	var viewers []*media.Reader
	for _, r := range rs {
		v := r.Tracks().Video
		if want := sizes[r.RoomID]; v == nil || v.Width != want[0] || v.Height != want[1] || len(v.SPS) == 0 {
			t.Fatalf("%s video %+v", r.RoomID, v)
		}
		if a := r.Tracks().Audio; a == nil || a.Codec != media.AAC || !bytes.Equal(a.Config, config) {
			t.Fatalf("%s audio %+v", r.RoomID, a)
		}
		viewers = append(viewers, r.Subscribe(media.HLS, 4096, true))
	}
	if h := st.Health(); h.Viewers[Transcoder] != 0 {
		t.Errorf("the transcoder counts as a viewer: %v", h.Viewers)
	}

	sourcePTS, sourceKeys := map[time.Duration]bool{}, map[time.Duration]bool{}
	for _, f := range video {
		sourcePTS[f.PTS] = true
		if f.Key {
			sourceKeys[f.PTS] = true
		}
	}
	last := video[len(video)-1].DTS
	for i, v := range viewers {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var pics, keys, sounds int
		var lastDTS time.Duration = -1
		for {
			f, err := v.Read(ctx)
			if err != nil {
				t.Fatalf("%s after %d pictures: %v", rs[i].RoomID, pics, err)
			}
			if f.Codec == media.AAC {
				sounds++
				continue
			}
			pics++
			if !sourcePTS[f.PTS] || f.DTS <= lastDTS {
				t.Fatalf("%s: picture PTS %v DTS %v (after %v) is not the source's", rs[i].RoomID, f.PTS, f.DTS, lastDTS)
			}
			lastDTS = f.DTS
			if f.Key {
				keys++
				if !sourceKeys[f.PTS] {
					t.Errorf("%s: keyframe at %v where the source has none", rs[i].RoomID, f.PTS)
				}
			}
			if f.DTS >= last-300*time.Millisecond {
				break
			}
		}
		cancel()
		t.Logf("%s: %d pictures by %v, %d keyframes, %d audio frames", rs[i].RoomID, pics, time.Since(start), keys, sounds)
		if keys < 2 || sounds < 50 {
			t.Errorf("%s: %d keyframes, %d audio frames", rs[i].RoomID, keys, sounds)
		}
	}

	<-paced
	st.Close(false)
	for _, r := range rs {
		select {
		case <-r.Done():
		case <-time.After(2 * time.Second):
			t.Fatalf("%s outlived its parent", r.RoomID)
		}
	}
	svc.Close()
	checkClean(t, before)
	gate.mu.Lock()
	defer gate.mu.Unlock()
	if !slices.Equal(gate.stopped, []string{"room"}) {
		t.Fatalf("the gate was told %q stopped; renditions are none of its business", gate.stopped)
	}
}

func TestPublishRendition(t *testing.T) {
	hub := media.NewHub(openGate{}, testLogger(t), time.Now)
	parent, err := hub.Publish(context.Background(), "room", media.RTMP, media.Tracks{Video: &media.VideoInfo{Codec: media.H264}})
	if err != nil {
		t.Fatal(err)
	}
	tracks := media.Tracks{Video: &media.VideoInfo{Codec: media.H264}}
	for _, name := range []string{"", "a~b", "a/b"} {
		if _, err := hub.PublishRendition(parent, name, tracks); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("name %q: %v", name, err)
		}
	}
	r, err := hub.PublishRendition(parent, "480p", tracks)
	if err != nil || r.RoomID != "room~480p" || hub.Stream("room~480p") != r {
		t.Fatalf("%v, %v", r, err)
	}
	if _, err := hub.PublishRendition(parent, "480p", tracks); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("twice: %v", err)
	}
	parent.Close(false)
	<-r.Done()
	if _, err := hub.PublishRendition(parent, "360p", tracks); !errors.Is(err, media.ErrClosed) {
		t.Errorf("after the parent ended: %v", err)
	}
	if len(hub.Streams()) != 0 {
		t.Errorf("streams left: %d", len(hub.Streams()))
	}
}
