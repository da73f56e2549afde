package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// newPeer is a pion peer connection that may use loopback candidates.
func newPeer(t *testing.T) *webrtc.PeerConnection {
	t.Helper()
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	pc, err := webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(m)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// exchangeSDP posts pc's complete offer to url and applies the answer.
// It returns the resource URL from Location.
func exchangeSDP(t *testing.T, pc *webrtc.PeerConnection, url, bearer string) (string, error) {
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
	req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(pc.LocalDescription().SDP)))
	req.Header.Set("Content-Type", "application/sdp")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(body)}); err != nil {
		t.Fatal(err)
	}
	return resp.Header.Get("Location"), nil
}

// whepResult counts what a WHEP viewer received.
type whepResult struct {
	video, audio atomic.Int64
	firstVideo   atomic.Int64 // unix nanos of the first video packet
}

// watchWHEP plays roomID over WHEP until ctx ends.
func watchWHEP(t *testing.T, ctx context.Context, base, roomID string) (*whepResult, error) {
	t.Helper()
	pc := newPeer(t)
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	res := &whepResult{}
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		for {
			if _, _, err := tr.ReadRTP(); err != nil {
				return
			}
			if tr.Kind() == webrtc.RTPCodecTypeVideo {
				res.firstVideo.CompareAndSwap(0, time.Now().UnixNano())
				res.video.Add(1)
			} else {
				res.audio.Add(1)
			}
		}
	})
	if _, err := exchangeSDP(t, pc, base+"/live/"+roomID+"/whep", ""); err != nil {
		return nil, err
	}
	go func() { <-ctx.Done(); pc.Close() }()
	return res, nil
}

// testMedia makes a few seconds of H.264 (Annex B) and Ogg Opus with ffmpeg.
func testMedia(t *testing.T, seconds int) (h264, ogg string) {
	t.Helper()
	dir := t.TempDir()
	h264, ogg = filepath.Join(dir, "v.h264"), filepath.Join(dir, "a.ogg")
	d := fmt.Sprint(seconds)
	run(t, "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", d,
		"-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-bf", "0",
		"-pix_fmt", "yuv420p", "-bsf:v", "h264_mp4toannexb", "-f", "h264", h264)
	run(t, "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", d,
		"-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", "-page_duration", "20000", "-f", "ogg", ogg)
	return h264, ogg
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// whipPublisher sends H.264 + Opus from files over WHIP, looping, until
// stopped or the server cuts it off.
type whipPublisher struct {
	pc       *webrtc.PeerConnection
	location string
	stop     chan struct{}
	done     chan struct{}
}

func publishWHIP(t *testing.T, base, key, h264File, oggFile string) (*whipPublisher, error) {
	t.Helper()
	pc := newPeer(t)
	video, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}, "video", "liveshop")
	if err != nil {
		t.Fatal(err)
	}
	audio, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", "liveshop")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []webrtc.TrackLocal{video, audio} {
		if _, err := pc.AddTransceiverFromTrack(tr, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
			t.Fatal(err)
		}
	}
	loc, err := exchangeSDP(t, pc, base+"/whip", key)
	if err != nil {
		return nil, err
	}
	p := &whipPublisher{pc: pc, location: loc, stop: make(chan struct{}), done: make(chan struct{})}
	go p.sendVideo(t, video, h264File)
	go p.sendAudio(t, audio, oggFile)
	return p, nil
}

func (p *whipPublisher) sendVideo(t *testing.T, track *webrtc.TrackLocalStaticSample, file string) {
	defer close(p.done)
	tick := time.NewTicker(40 * time.Millisecond)
	defer tick.Stop()
	for {
		f, err := os.Open(file)
		if err != nil {
			t.Error(err)
			return
		}
		r, _ := h264reader.NewReader(f)
		var au []byte
		for {
			nal, err := r.NextNAL()
			if err != nil {
				break
			}
			au = append(au, append([]byte{0, 0, 0, 1}, nal.Data...)...)
			if nal.UnitType != h264reader.NalUnitTypeSPS && nal.UnitType != h264reader.NalUnitTypePPS {
				select {
				case <-p.stop:
					f.Close()
					return
				case <-tick.C:
				}
				if err := track.WriteSample(media.Sample{Data: au, Duration: 40 * time.Millisecond}); err != nil {
					f.Close()
					return
				}
				au = nil
			}
		}
		f.Close()
	}
}

func (p *whipPublisher) sendAudio(t *testing.T, track *webrtc.TrackLocalStaticSample, file string) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		f, err := os.Open(file)
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
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || bytes.HasPrefix(page, []byte("OpusTags")) || bytes.HasPrefix(page, []byte("OpusHead")) {
				continue
			}
			select {
			case <-p.stop:
				f.Close()
				return
			case <-tick.C:
			}
			if err := track.WriteSample(media.Sample{Data: page, Duration: 20 * time.Millisecond}); err != nil {
				f.Close()
				return
			}
		}
		f.Close()
	}
}

// Stop stops sending and closes the peer without a DELETE (a dropped publisher).
func (p *whipPublisher) Stop() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.pc.Close()
}
