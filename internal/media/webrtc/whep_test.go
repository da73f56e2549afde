package webrtc

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/webrtc/v4"
)

// testViewer is a pion WHEP client that counts what it receives.
type testViewer struct {
	pc       *webrtc.PeerConnection
	location string
	posted   time.Time

	mu         sync.Mutex
	firstVideo time.Time
	firstNAL   byte
	video      int
	audio      int
}

func (h *harness) watch(t testing.TB, room string) *testViewer {
	t.Helper()
	pc, err := clientAPI(t, defaultCodecs).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	v := &testViewer{pc: pc}
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		for {
			pkt, _, err := track.ReadRTP()
			if err != nil {
				return
			}
			v.mu.Lock()
			if track.Kind() == webrtc.RTPCodecTypeVideo {
				if v.video == 0 {
					v.firstVideo = time.Now()
					v.firstNAL = pkt.Payload[0] & 0x1f
				}
				v.video++
			} else {
				v.audio++
			}
			v.mu.Unlock()
		}
	})
	offer := offerFrom(t, pc)
	v.posted = time.Now()
	status, hdr, body := h.do(t, http.MethodPost, "/live/"+room+"/whep", "application/sdp", "", offer)
	if status != http.StatusCreated {
		t.Fatalf("POST whep: %d %s", status, body)
	}
	v.location = hdr.Get("Location")
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: body}); err != nil {
		t.Fatal(err)
	}
	return v
}

// waitMedia waits for video and audio packets to arrive.
func (v *testViewer) waitMedia(t testing.TB) {
	t.Helper()
	eventually(t, "video and audio RTP at the viewer", func() bool {
		v.mu.Lock()
		defer v.mu.Unlock()
		return v.video >= 20 && v.audio >= 10
	})
}

func TestWHEPPlayback(t *testing.T) {
	h := newHarness(t)
	h.publish(t, "key-1")
	stream := h.hub.Stream("room-1")
	// Let a keyframe reach the hub, as a viewer arriving mid-stream would find.
	r := stream.Subscribe(media.HLS, 512, false)
	for f := range r.C() {
		if f.Key {
			break
		}
	}
	r.Close()

	v := h.watch(t, "room-1")
	if !strings.HasPrefix(v.location, "/live/room-1/whep/") {
		t.Fatalf("Location %q", v.location)
	}
	v.waitMedia(t)
	v.mu.Lock()
	t.Logf("WHEP POST to first video RTP packet: %v", v.firstVideo.Sub(v.posted))
	if v.firstNAL != naluSPS {
		t.Errorf("the first video packet carries NAL type %d, want SPS (a viewer starts at a keyframe)", v.firstNAL)
	}
	v.mu.Unlock()
	if n := stream.Viewers()[media.WHEP]; n != 1 {
		t.Errorf("stream counts %d WHEP viewers, want 1", n)
	}

	// A second viewer shares the first one's packets.
	v2 := h.watch(t, "room-1")
	v2.waitMedia(t)

	if status, _, body := h.do(t, http.MethodPatch, v.location, trickleContentType, "",
		"a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\n"); status != http.StatusNoContent {
		t.Errorf("PATCH whep: %d %s", status, body)
	}
	if status, _, body := h.do(t, http.MethodDelete, v.location, "", "", ""); status != http.StatusOK {
		t.Fatalf("DELETE whep: %d %s", status, body)
	}
	eventually(t, "one viewer left", func() bool { return stream.Viewers()[media.WHEP] == 1 && h.srv.Viewers() == 1 })
	if status, _, _ := h.do(t, http.MethodDelete, strings.Replace(v2.location, "room-1", "room-2", 1), "", "", ""); status != http.StatusNotFound {
		t.Errorf("DELETE under another room: %d, want 404", status)
	}

	// The stream ending closes the remaining viewer.
	stream.Close(true)
	eventually(t, "viewers closed at stream end", func() bool { return h.srv.Viewers() == 0 })
}
