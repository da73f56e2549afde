package webrtc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// testGate admits "key-1" to room-1 and "key-2" to room-2, refuses
// "ended-key" as an ended session and anything else as unknown.
type testGate struct {
	stopped chan stopEvent
}

type stopEvent struct {
	room  string
	ended bool
}

func (g *testGate) Authorize(_ context.Context, key string, _ media.Protocol) (string, error) {
	switch key {
	case "key-1":
		return "room-1", nil
	case "key-2":
		return "room-2", nil
	case "ended-key":
		return "", apperr.New(apperr.Conflict, "this live session has ended")
	}
	return "", apperr.New(apperr.Unauthorized, "unknown stream key")
}

func (g *testGate) Started(context.Context, string, media.Protocol) error { return nil }

func (g *testGate) Stopped(room string, ended bool) {
	select {
	case g.stopped <- stopEvent{room, ended}:
	default:
	}
}

// lockedBuffer collects the server's logs so a test can check what they say.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type harness struct {
	srv  *Server
	hub  *media.Hub
	gate *testGate
	http *httptest.Server
	logs *lockedBuffer
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{gate: &testGate{stopped: make(chan stopEvent, 16)}, logs: &lockedBuffer{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.hub = media.NewHub(h.gate, log, time.Now)
	h.srv, err = New(Config{UDP: conn, ConnectTimeout: 10 * time.Second}, h.hub, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.srv.Mount(mux)
	h.http = httptest.NewServer(mux)
	t.Cleanup(func() {
		h.http.Close()
		if err := h.srv.Close(); err != nil {
			t.Error(err)
		}
		h.hub.Close()
		for _, key := range []string{"key-1", "key-2"} {
			if strings.Contains(h.logs.String(), key) {
				t.Errorf("the logs contain the stream key %q", key)
			}
		}
	})
	return h
}

// do sends a request and returns the status, headers and body.
func (h *harness) do(t testing.TB, method, path, contentType, key, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, h.http.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := h.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// errorOf decodes the JSON error shape.
func errorOf(t testing.TB, body string) errorDetail {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not a JSON error: %q", body)
	}
	return e.Error
}

// clientAPI is a pion API for test peers: loopback only, no mDNS, so no
// packet leaves the machine. codecs registers the client's codecs.
func clientAPI(t testing.TB, codecs func(*webrtc.MediaEngine) error) *webrtc.API {
	t.Helper()
	me := &webrtc.MediaEngine{}
	if err := codecs(me); err != nil {
		t.Fatal(err)
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(me, ir); err != nil {
		t.Fatal(err)
	}
	se := webrtc.SettingEngine{}
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
}

func defaultCodecs(me *webrtc.MediaEngine) error { return me.RegisterDefaultCodecs() }

func vp8Only(me *webrtc.MediaEngine) error {
	return me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		PayloadType:        96,
	}, webrtc.RTPCodecTypeVideo)
}

// offerFrom makes a complete (gathered) offer on pc.
func offerFrom(t testing.TB, pc *webrtc.PeerConnection) string {
	t.Helper()
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	return pc.LocalDescription().SDP
}

// sampleMedia makes two seconds of H.264 (Annex B, keyframe every 30
// frames, no B-frames, like a browser) and Opus in Ogg with ffmpeg.
func sampleMedia(t *testing.T) (h264Path, oggPath string) {
	t.Helper()
	dir := t.TempDir()
	h264Path, oggPath = filepath.Join(dir, "v.h264"), filepath.Join(dir, "a.ogg")
	run := func(args ...string) {
		out, err := exec.Command("ffmpeg", append([]string{"-hide_banner", "-loglevel", "error", "-y"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
		}
	}
	run("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "2", "-c:v", "libx264", "-profile:v", "baseline",
		"-pix_fmt", "yuv420p", "-g", "30", "-bf", "0", "-bsf:v", "h264_mp4toannexb", "-f", "h264", h264Path)
	run("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:a", "libopus",
		"-page_duration", "20000", "-f", "ogg", oggPath)
	return h264Path, oggPath
}

// testPublisher is a pion WHIP client sending the sample media in a loop.
type testPublisher struct {
	pc       *webrtc.PeerConnection
	location string
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func (h *harness) publish(t *testing.T, key string) *testPublisher {
	t.Helper()
	h264Path, oggPath := sampleMedia(t)
	pc, err := clientAPI(t, defaultCodecs).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	video, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}, "video", "pub")
	if err != nil {
		t.Fatal(err)
	}
	audio, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", "pub")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []webrtc.TrackLocal{video, audio} {
		if _, err := pc.AddTransceiverFromTrack(tr, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
			t.Fatal(err)
		}
	}
	status, hdr, body := h.do(t, http.MethodPost, "/whip", "application/sdp", key, offerFrom(t, pc))
	if status != http.StatusCreated {
		t.Fatalf("POST /whip: %d %s", status, body)
	}
	if ct := hdr.Get("Content-Type"); ct != "application/sdp" {
		t.Fatalf("answer content type %q", ct)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: body}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &testPublisher{pc: pc, location: hdr.Get("Location"), cancel: cancel}
	p.wg.Add(2)
	go func() { defer p.wg.Done(); sendH264(ctx, t, h264Path, video) }()
	go func() { defer p.wg.Done(); sendOpus(ctx, t, oggPath, audio) }()
	t.Cleanup(p.stop)
	return p
}

func (p *testPublisher) stop() {
	p.cancel()
	p.wg.Wait()
	_ = p.pc.Close()
}

// sendH264 writes the file's access units at 30 fps, over and over.
func sendH264(ctx context.Context, t *testing.T, path string, track *webrtc.TrackLocalStaticSample) {
	tick := time.NewTicker(time.Second / 30)
	defer tick.Stop()
	for ctx.Err() == nil {
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			return
		}
		r, err := h264reader.NewReader(f)
		if err != nil {
			t.Error(err)
			return
		}
		var au []byte
		for {
			nal, err := r.NextNAL()
			if err != nil {
				break
			}
			au = append(au, 0, 0, 0, 1)
			au = append(au, nal.Data...)
			if t := nal.UnitType; t != h264reader.NalUnitTypeCodedSliceNonIdr && t != h264reader.NalUnitTypeCodedSliceIdr {
				continue
			}
			select {
			case <-ctx.Done():
				f.Close()
				return
			case <-tick.C:
			}
			if err := track.WriteSample(pionmedia.Sample{Data: au, Duration: time.Second / 30}); err != nil && !errors.Is(err, io.ErrClosedPipe) {
				t.Error(err)
			}
			au = nil
		}
		f.Close()
	}
}

// sendOpus writes the file's Opus packets (one per Ogg page) every 20 ms.
func sendOpus(ctx context.Context, t *testing.T, path string, track *webrtc.TrackLocalStaticSample) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			return
		}
		r, _, err := oggreader.NewWith(f)
		if err != nil {
			t.Error(err)
			return
		}
		for {
			page, _, err := r.ParseNextPage()
			if err != nil {
				break
			}
			if bytes.HasPrefix(page, []byte("OpusTags")) {
				continue
			}
			select {
			case <-ctx.Done():
				f.Close()
				return
			case <-tick.C:
			}
			if err := track.WriteSample(pionmedia.Sample{Data: page, Duration: 20 * time.Millisecond}); err != nil && !errors.Is(err, io.ErrClosedPipe) {
				t.Error(err)
			}
		}
		f.Close()
	}
}

// eventually polls cond until it holds or the time is up.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
