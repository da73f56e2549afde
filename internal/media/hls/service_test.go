package hls

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// harness is a Hub and a Service behind a real HTTP server on loopback.
type harness struct {
	hub  *media.Hub
	svc  *Service
	srv  *httptest.Server
	data string
}

// newHarness starts a service; data is its data directory ("" for a
// fresh one).
func newHarness(t *testing.T, cdn bool, data string) *harness {
	t.Helper()
	if data == "" {
		data = t.TempDir()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	h := &harness{hub: media.NewHub(testGate{}, log, time.Now), data: data}
	h.srv = httptest.NewUnstartedServer(nil)
	base := ""
	if cdn {
		// The CDN is this same server, so that players can follow the
		// rewritten absolute URLs.
		base = "http://" + h.srv.Listener.Addr().String()
	}
	svc, err := New(Config{Hub: h.hub, DataDir: h.data, CDNBase: base, Log: log, Now: time.Now, AACWait: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	h.srv.Config.Handler = svc
	h.srv.Start()
	t.Cleanup(h.close)
	return h
}

// close shuts the harness down as the binary does: streams, then the
// packagers, then the server.
func (h *harness) close() {
	h.hub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.svc.Close(ctx); err != nil {
		panic(err)
	}
	h.srv.Close()
}

type response struct {
	status int
	header http.Header
	body   string
}

func (h *harness) get(t *testing.T, path string, header ...string) response {
	t.Helper()
	url := path
	if strings.HasPrefix(path, "/") {
		url = h.srv.URL + path
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{Timeout: 15 * time.Second}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

// wantError checks an error response's status and JSON shape.
func wantError(t *testing.T, r response, status int, code, message string) {
	t.Helper()
	var body errorBody
	if r.status != status || json.Unmarshal([]byte(r.body), &body) != nil || body.Error.Code != code ||
		(message != "" && body.Error.Message != message) {
		t.Fatalf("got %d %q, want %d with code %s %q", r.status, r.body, status, code, message)
	}
}

// probe runs ffprobe on url and returns its output.
func probe(t *testing.T, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all := append([]string{"-hide_banner", "-v", "error"}, args...)
	all = append(all, url)
	out, err := exec.CommandContext(ctx, "/usr/bin/ffprobe", all...).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", url, err, out)
	}
	return string(out)
}

var mediaSequence = regexp.MustCompile(`#EXT-X-MEDIA-SEQUENCE:(\d+)`)

// nextMSN returns the media sequence number of the segment a live media
// playlist is producing: the one after its last complete segment.
func nextMSN(t *testing.T, playlist string) int {
	t.Helper()
	m := mediaSequence.FindStringSubmatch(playlist)
	if m == nil {
		t.Fatalf("no media sequence in\n%s", playlist)
	}
	n, _ := strconv.Atoi(m[1])
	return n + strings.Count(playlist, "#EXTINF:")
}

func TestLiveCDNRecordingAndReplay(t *testing.T) {
	requireFFmpeg(t)
	t.Parallel()
	clip := makeMedia(t, 6, true, true)
	h := newHarness(t, true, "")
	const room = "ses_live1"

	wantError(t, h.get(t, "/live/"+room+"/index.m3u8"), 404, "not_found", "room is not live")

	st, fed := publish(t, h.hub, room, clip, 1)
	published := time.Now()

	// The first request blocks until the first segment, with its parts,
	// is complete.
	first := h.get(t, "/live/"+room+"/video1_stream.m3u8")
	t.Logf("publish → first LL-HLS playlist with parts: %v", time.Since(published).Round(time.Millisecond))
	if first.status != 200 {
		t.Fatalf("LL-HLS media playlist: %d %s", first.status, first.body)
	}
	for _, tag := range []string{"#EXT-X-PART:", "#EXT-X-PRELOAD-HINT:", "CAN-BLOCK-RELOAD=YES", "#EXT-X-PART-INF:PART-TARGET=0.2", "#EXT-X-MAP:"} {
		if !strings.Contains(first.body, tag) {
			t.Errorf("LL-HLS playlist lacks %s:\n%s", tag, first.body)
		}
	}
	if cc := first.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("LL-HLS playlist Cache-Control %q", cc)
	}

	t.Run("blocking reload", func(t *testing.T) {
		cur := h.get(t, "/live/"+room+"/video1_stream.m3u8")
		next := nextMSN(t, cur.body)
		start := time.Now()
		got := h.get(t, "/live/"+room+"/video1_stream.m3u8?_HLS_msn="+strconv.Itoa(next+1)+"&_HLS_part=0")
		waited := time.Since(start)
		if got.status != 200 || nextMSN(t, got.body) <= next {
			t.Fatalf("blocking reload for msn %d: %d\n%s", next+1, got.status, got.body)
		}
		if waited < 50*time.Millisecond {
			t.Errorf("blocking reload returned at once (%v); it should wait for the part", waited)
		}
		t.Logf("blocking reload for the next segment waited %v", waited.Round(time.Millisecond))
		wantError(t, h.get(t, "/live/"+room+"/video1_stream.m3u8?_HLS_msn=999999"), 400, "invalid", "")
	})

	t.Run("multivariant and missing files", func(t *testing.T) {
		mv := h.get(t, "/live/"+room+"/index.m3u8")
		if mv.status != 200 || !strings.Contains(mv.body, "video1_stream.m3u8") || !strings.Contains(mv.body, "mp4a.40.2") {
			t.Fatalf("multivariant playlist: %d\n%s", mv.status, mv.body)
		}
		wantError(t, h.get(t, "/live/"+room+"/nope_part9.mp4"), 404, "not_found", "")
	})

	// ffmpeg starts three segments from the live edge; wait until the
	// LL-HLS window has that many real (not gap) segments.
	for deadline := time.Now().Add(10 * time.Second); ; {
		pl := h.get(t, "/live/"+room+"/video1_stream.m3u8").body
		if strings.Count(pl, ".mp4\n")-strings.Count(pl, "gap.mp4") >= 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Run("ffprobe LL-HLS", func(t *testing.T) {
		out := probe(t, h.srv.URL+"/live/"+room+"/index.m3u8", "-show_entries", "stream=codec_name", "-of", "csv=p=0")
		if !strings.Contains(out, "h264") || !strings.Contains(out, "aac") {
			t.Fatalf("ffprobe found %q, want h264 and aac", out)
		}
	})

	t.Run("CDN playlist", func(t *testing.T) {
		mv := h.get(t, "/live/"+room+"/cdn/index.m3u8") // blocks until two segments exist
		if mv.status != 200 || mv.header.Get("Cache-Control") != cdnPlaylistCache {
			t.Fatalf("CDN multivariant: %d %v\n%s", mv.status, mv.header, mv.body)
		}
		pl := h.get(t, "/live/"+room+"/cdn/video1_stream.m3u8")
		if pl.status != 200 || strings.Contains(pl.body, "EXT-X-PART") {
			t.Fatalf("CDN media playlist: %d\n%s", pl.status, pl.body)
		}
		prefix := h.svc.cdnBase + "/live/" + room + "/cdn/"
		if !strings.Contains(pl.body, `#EXT-X-MAP:URI="`+prefix) {
			t.Errorf("EXT-X-MAP not rewritten to %s:\n%s", prefix, pl.body)
		}
		var segment string
		for _, line := range strings.Split(pl.body, "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				if !strings.HasPrefix(line, prefix) {
					t.Errorf("segment URI %q is not under %s", line, prefix)
				}
				segment = line
			}
		}
		seg := h.get(t, segment)
		if seg.status != 200 || len(seg.body) == 0 || seg.header.Get("Cache-Control") != cdnSegmentCache {
			t.Fatalf("CDN segment %s: %d %v", segment, seg.status, seg.header)
		}
		out := probe(t, h.srv.URL+"/live/"+room+"/cdn/index.m3u8", "-show_entries", "stream=codec_name", "-of", "csv=p=0")
		if !strings.Contains(out, "h264") || !strings.Contains(out, "aac") {
			t.Fatalf("ffprobe of the CDN playlist found %q", out)
		}
	})

	if n := h.svc.Viewers(room); n < 1 {
		t.Errorf("Viewers = %d after playlist requests", n)
	}
	if v := st.Viewers(); v[media.HLS] != 0 {
		t.Errorf("the packagers' readers count as %d HLS viewers", v[media.HLS])
	}

	// The publisher drops out; the room stays recorded.
	<-fed
	st.Close(false)
	waitNotLive(t, h, room)
	pos, ok := h.svc.Position(room)
	if !ok || pos < 5*time.Second || pos > 7*time.Second {
		t.Fatalf("Position after 6 s = %v, %v", pos, ok)
	}

	if r := h.get(t, "/replays/"+room+"/index.m3u8"); r.status != 200 ||
		!strings.Contains(r.body, "#EXT-X-PLAYLIST-TYPE:EVENT") || r.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("recording during the session: %d %v\n%s", r.status, r.header, r.body)
	}

	// It reconnects within the session: a second generation.
	st2, fed2 := publish(t, h.hub, room, makeMedia(t, 3, true, true), 4)
	<-fed2
	st2.Close(false)
	waitNotLive(t, h, room)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if ok, err := h.svc.Finalise(ctx, room); !ok || err != nil {
		t.Fatalf("Finalise = %v, %v", ok, err)
	}
	if _, ok := h.svc.Position(room); ok {
		t.Error("Position reports a finalised recording as still recording")
	}

	replay := h.get(t, "/replays/"+room+"/index.m3u8")
	for _, tag := range []string{"#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST", "#EXT-X-DISCONTINUITY", `#EXT-X-MAP:URI="init-1.mp4"`, `#EXT-X-MAP:URI="init-2.mp4"`} {
		if !strings.Contains(replay.body, tag) {
			t.Errorf("replay playlist lacks %s:\n%s", tag, replay.body)
		}
	}
	if strings.Count(replay.body, "#EXT-X-DISCONTINUITY") != 1 {
		t.Errorf("want one discontinuity:\n%s", replay.body)
	}

	t.Run("replay decodes from the start and seeks", func(t *testing.T) {
		url := h.srv.URL + "/replays/" + room + "/index.m3u8"
		out := probe(t, url, "-show_entries", "stream=codec_name:format=duration", "-of", "default=nw=1")
		if !strings.Contains(out, "codec_name=h264") || !strings.Contains(out, "codec_name=aac") {
			t.Fatalf("ffprobe of the replay: %s", out)
		}
		frames := probe(t, url, "-select_streams", "v", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0")
		n, _ := strconv.Atoi(strings.TrimSpace(strings.Split(frames, "\n")[0]))
		if n < 200 || n > 230 { // 6 s + 3 s at 25 fps
			t.Errorf("replay decodes %d video frames, want about 225", n)
		}
		for _, at := range []string{"0", "7.5"} {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			out, err := exec.CommandContext(ctx, "/usr/bin/ffmpeg", "-hide_banner", "-v", "error", "-ss", at, "-i", url,
				"-frames:v", "10", "-f", "null", "-").CombinedOutput()
			cancel()
			if err != nil || strings.TrimSpace(string(out)) != "" {
				t.Errorf("ffmpeg decoding the replay from %s s: %v\n%s", at, err, out)
			}
		}
	})

	t.Run("replay files, ranges and traversal", func(t *testing.T) {
		seg := h.get(t, "/replays/"+room+"/seg-000001.m4s", "Range", "bytes=0-99")
		if seg.status != 206 || len(seg.body) != 100 || !strings.HasPrefix(seg.header.Get("Content-Range"), "bytes 0-99/") {
			t.Fatalf("Range request: %d %v len %d", seg.status, seg.header, len(seg.body))
		}
		if replay.header.Get("Cache-Control") != "public, max-age=3600" {
			t.Errorf("VOD playlist Cache-Control %q", replay.header.Get("Cache-Control"))
		}
		for _, path := range []string{
			"/replays/" + room + "/..%2F..%2F..%2Fetc%2Fpasswd",
			"/replays/" + room + "/%2E%2E",
			"/replays/..%2F" + room + "/index.m3u8",
			"/replays/" + room + "/.tmp-index.m3u8-1",
			"/replays/" + room + "/seg-1.m4s",
			"/replays/ses_nothing/index.m3u8",
		} {
			r := h.get(t, path)
			if r.status != 404 {
				t.Errorf("GET %s: %d %s", path, r.status, r.body)
			}
		}
		wantError(t, h.get(t, "/replays/ses_nothing/index.m3u8"), 404, "not_found", "this room has no replay")
	})
}

// waitNotLive waits until the room's live playlists answer 404.
func waitNotLive(t *testing.T, h *harness, room string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r := h.get(t, "/live/"+room+"/index.m3u8"); r.status == 404 {
			wantError(t, r, 404, "not_found", "room is not live")
			return
		}
	}
	t.Fatal("the room is still live after its publisher left")
}

func TestOpusIsPackagedWhenNoAACAppears(t *testing.T) {
	requireFFmpeg(t)
	t.Parallel()
	h := newHarness(t, false, "")
	const room = "ses_opus"
	st, fed := publish(t, h.hub, room, makeMediaWith(t, 3, true, true, "libopus", "320x240"), 2)
	mv := h.get(t, "/live/"+room+"/index.m3u8")
	if mv.status != 200 || !strings.Contains(mv.body, "opus") {
		t.Fatalf("multivariant playlist: %d\n%s", mv.status, mv.body)
	}
	<-fed
	st.Close(true)
	waitNotLive(t, h, room)
	if ok, err := h.svc.Finalise(context.Background(), room); !ok || err != nil {
		t.Fatalf("Finalise = %v, %v", ok, err)
	}
	out := probe(t, h.srv.URL+"/replays/"+room+"/index.m3u8", "-show_entries", "stream=codec_name", "-of", "csv=p=0")
	if !strings.Contains(out, "h264") || !strings.Contains(out, "opus") {
		t.Fatalf("ffprobe of the replay found %q, want h264 and opus", out)
	}
}

// A session that goes on after a restart appends to its recording, and
// audio-only streams are recorded too.
func TestAudioOnlyRecordingResumesAfterRestart(t *testing.T) {
	requireFFmpeg(t)
	t.Parallel()
	clip := makeMedia(t, 3, false, true)
	data := t.TempDir()
	const room = "ses_radio"

	h := newHarness(t, false, data)
	st, fed := publish(t, h.hub, room, clip, 4)
	if pl := h.get(t, "/live/"+room+"/audio1_stream.m3u8"); pl.status != 200 || !strings.Contains(pl.body, "#EXT-X-PART:") {
		t.Fatalf("audio-only LL-HLS playlist: %d\n%s", pl.status, pl.body)
	}
	<-fed
	st.Close(false)
	h.close() // the process stops mid-session; the playlist stays EVENT
	if b, err := os.ReadFile(filepath.Join(data, "recordings", room, "index.m3u8")); err != nil ||
		!strings.Contains(string(b), "#EXT-X-PLAYLIST-TYPE:EVENT") || strings.Contains(string(b), "ENDLIST") {
		t.Fatalf("recording after shutdown: %v\n%s", err, b)
	}

	h2 := newHarness(t, false, data)
	st2, fed2 := publish(t, h2.hub, room, clip, 4)
	<-fed2
	st2.Close(false)
	waitNotLive(t, h2, room)
	if pos, ok := h2.svc.Position(room); !ok || pos < 5500*time.Millisecond || pos > 6500*time.Millisecond {
		t.Errorf("Position after 3 s before and 3 s after the restart = %v, %v", pos, ok)
	}
	if ok, err := h2.svc.Finalise(context.Background(), room); !ok || err != nil {
		t.Fatalf("Finalise = %v, %v", ok, err)
	}
	pl := h2.get(t, "/replays/"+room+"/index.m3u8").body
	if !strings.Contains(pl, `URI="init-1.mp4"`) || !strings.Contains(pl, `URI="init-2.mp4"`) || !strings.Contains(pl, "#EXT-X-ENDLIST") {
		t.Fatalf("resumed recording:\n%s", pl)
	}
	out := probe(t, h2.srv.URL+"/replays/"+room+"/index.m3u8", "-show_entries", "stream=codec_name:format=duration", "-of", "default=nw=1")
	if strings.Contains(out, "h264") || !strings.Contains(out, "codec_name=aac") {
		t.Fatalf("ffprobe of the audio-only replay: %s", out)
	}
	if ok, err := h2.svc.Finalise(context.Background(), "ses_never"); ok || err != nil {
		t.Errorf("Finalise of a room never recorded = %v, %v", ok, err)
	}
}

// A publisher that changes its picture size without reconnecting starts
// a new generation of the recording, since the init segment changes.
func TestPictureChangeStartsAGeneration(t *testing.T) {
	requireFFmpeg(t)
	t.Parallel()
	h := newHarness(t, false, "")
	const room = "ses_resize"
	small, large := makeMedia(t, 2, true, true), makeMediaWith(t, 2, true, true, "aac", "640x360")
	// One connection sends the small clip, then the large one after it.
	joined := &testMedia{tracks: small.tracks, frames: small.frames}
	last := small.frames[len(small.frames)-1].DTS + 40*time.Millisecond
	for _, f := range large.frames {
		c := *f
		c.PTS, c.DTS = c.PTS+last, c.DTS+last
		joined.frames = append(joined.frames, &c)
	}
	st, fed := publish(t, h.hub, room, joined, 8)
	<-fed
	st.Close(true)
	waitNotLive(t, h, room)
	if ok, err := h.svc.Finalise(context.Background(), room); !ok || err != nil {
		t.Fatalf("Finalise = %v, %v", ok, err)
	}
	pl := h.get(t, "/replays/"+room+"/index.m3u8").body
	if strings.Count(pl, "#EXT-X-DISCONTINUITY") != 1 || !strings.Contains(pl, `URI="init-2.mp4"`) {
		t.Fatalf("want a second generation for the new picture size:\n%s", pl)
	}
	frames := probe(t, h.srv.URL+"/replays/"+room+"/index.m3u8", "-select_streams", "v", "-count_frames",
		"-show_entries", "stream=nb_read_frames", "-of", "csv=p=0")
	if n, _ := strconv.Atoi(strings.TrimSpace(strings.Split(frames, "\n")[0])); n < 90 || n > 110 {
		t.Errorf("replay decodes %d video frames, want about 100", n)
	}
}
