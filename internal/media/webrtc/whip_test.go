package webrtc

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

func TestWHIPIngestToHub(t *testing.T) {
	h := newHarness(t)
	pub := h.publish(t, "key-1")
	if !strings.HasPrefix(pub.location, "/whip/") {
		t.Fatalf("Location %q", pub.location)
	}
	stream := h.hub.Stream("room-1")
	if stream == nil {
		t.Fatal("no live stream after POST /whip")
	}
	if a := stream.Tracks().Audio; a == nil || a.Codec != media.Opus || a.SampleRate != 48000 {
		t.Fatalf("audio track %+v", a)
	}
	reader := stream.Subscribe(media.HLS, 512, false)
	defer reader.Close()

	var keys, deltas, opus int
	var lastVideo time.Duration
	deadline := time.After(15 * time.Second)
	for keys < 2 || deltas < 10 || opus < 20 {
		select {
		case f, ok := <-reader.C():
			if !ok {
				t.Fatal("stream ended early")
			}
			switch f.Codec {
			case media.H264:
				if f.PTS < lastVideo {
					t.Errorf("video PTS went back: %v after %v", f.PTS, lastVideo)
				}
				lastVideo = f.PTS
				if !f.Key {
					deltas++
					continue
				}
				keys++
				var types []byte
				for _, u := range f.NALUs {
					types = append(types, u[0]&0x1f)
				}
				if len(types) < 3 || types[0] != naluSPS || types[1] != naluPPS || !containsByte(types, naluIDR) {
					t.Fatalf("keyframe NAL types %v, want SPS, PPS, …, IDR", types)
				}
			case media.Opus:
				if f.Samples == 960 {
					opus++
				}
			}
		case <-deadline:
			t.Fatalf("got %d keyframes, %d deltas, %d opus frames", keys, deltas, opus)
		}
	}
	if v := stream.Tracks().Video; v.Width != 320 || v.Height != 240 {
		t.Errorf("video size %dx%d, want 320x240", v.Width, v.Height)
	}

	// A second publisher for the same room is refused.
	if status, _, body := h.do(t, http.MethodPost, "/whip", "application/sdp", "key-1", h264Offer(t)); status != http.StatusConflict {
		t.Errorf("second publisher: %d %s", status, body)
	}

	// Trickle: a candidate is accepted, an ICE restart is not, nor is
	// another key or a bad body.
	const cand = "a=mid:0\r\na=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\n"
	for _, tt := range []struct {
		name, ct, key, body string
		want                int
	}{
		{"candidate", trickleContentType, "key-1", cand, http.StatusNoContent},
		{"ice restart", trickleContentType, "key-1", "a=ice-ufrag:other\r\na=ice-pwd:xxxxxxxxxxxxxxxxxxxxxxxx\r\n" + cand, http.StatusConflict},
		{"wrong key", trickleContentType, "key-2", cand, http.StatusUnauthorized},
		{"wrong type", "application/sdp", "key-1", cand, http.StatusUnsupportedMediaType},
		{"bad fragment", trickleContentType, "key-1", "a=candidate:nonsense", http.StatusBadRequest},
	} {
		if status, _, body := h.do(t, http.MethodPatch, pub.location, tt.ct, tt.key, tt.body); status != tt.want {
			t.Errorf("PATCH %s: %d %s, want %d", tt.name, status, body, tt.want)
		}
	}

	// DELETE with the key ends the session.
	if status, _, body := h.do(t, http.MethodDelete, pub.location, "", "key-1", ""); status != http.StatusOK {
		t.Fatalf("DELETE: %d %s", status, body)
	}
	select {
	case ev := <-h.gate.stopped:
		if ev.room != "room-1" || !ev.ended {
			t.Errorf("Stopped(%q, %v), want room-1 ended", ev.room, ev.ended)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the gate was not told the stream stopped")
	}
	if h.hub.Stream("room-1") != nil || h.srv.Publishers() != 0 {
		t.Error("the stream or the session outlived DELETE")
	}
	if status, _, _ := h.do(t, http.MethodDelete, pub.location, "", "key-1", ""); status != http.StatusNotFound {
		t.Errorf("second DELETE: %d, want 404", status)
	}
}

func TestKickClosesPublisherAndViewers(t *testing.T) {
	h := newHarness(t)
	h.publish(t, "key-2")
	v := h.watch(t, "room-2")
	v.waitMedia(t)
	h.hub.Kick("room-2", "key rotated")
	select {
	case ev := <-h.gate.stopped:
		if ev.ended {
			t.Error("a kick must not end the session")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no Stopped after Kick")
	}
	eventually(t, "publisher and viewer sessions closed", func() bool {
		return h.srv.Publishers() == 0 && h.srv.Viewers() == 0
	})
}

func containsByte(b []byte, x byte) bool {
	for _, c := range b {
		if c == x {
			return true
		}
	}
	return false
}
