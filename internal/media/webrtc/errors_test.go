package webrtc

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4"
)

// h264Offer is a sendonly H.264 + Opus offer, as a WHIP client makes.
func h264Offer(t *testing.T) string { return sendOffer(t, defaultCodecs) }

func sendOffer(t *testing.T, codecs func(*webrtc.MediaEngine) error) string {
	t.Helper()
	pc, err := clientAPI(t, codecs).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	return offerFrom(t, pc)
}

func TestBadRequests(t *testing.T) {
	h := newHarness(t)
	good := h264Offer(t)
	vp8 := sendOffer(t, vp8Only)
	tests := []struct {
		name, method, path, ct, key, body string
		status                            int
		code, field, message              string
	}{
		{name: "no auth", method: "POST", path: "/whip", ct: "application/sdp", body: good, status: 401, code: "unauthorized", field: "Authorization"},
		{name: "unknown key", method: "POST", path: "/whip", ct: "application/sdp", key: "nope", body: good, status: 401, code: "unauthorized"},
		{name: "ended key", method: "POST", path: "/whip", ct: "application/sdp", key: "ended-key", body: good, status: 409, code: "conflict"},
		{name: "wrong content type", method: "POST", path: "/whip", ct: "text/plain", key: "key-1", body: good, status: 415, code: "unsupported", field: "Content-Type"},
		{name: "malformed SDP", method: "POST", path: "/whip", ct: "application/sdp", key: "key-1", body: "hello", status: 400, code: "invalid", field: "sdp"},
		{name: "VP8 only", method: "POST", path: "/whip", ct: "application/sdp", key: "key-1", body: vp8, status: 415, code: "unsupported", message: "H.264"},
		{name: "huge body", method: "POST", path: "/whip", ct: "application/sdp", key: "key-1", body: strings.Repeat("a", maxSDP+1), status: 413, code: "too_large"},
		{name: "WHEP room not live", method: "POST", path: "/live/room-9/whep", ct: "application/sdp", body: good, status: 404, code: "not_found", message: "room is not live"},
		{name: "WHIP unknown session", method: "PATCH", path: "/whip/nope", ct: trickleContentType, key: "key-1", status: 404, code: "not_found"},
		{name: "WHIP delete unknown session", method: "DELETE", path: "/whip/nope", key: "key-1", status: 404, code: "not_found"},
		{name: "WHIP delete without key", method: "DELETE", path: "/whip/nope", status: 401, code: "unauthorized"},
		{name: "WHEP unknown session", method: "DELETE", path: "/live/room-1/whep/nope", status: 404, code: "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, hdr, body := h.do(t, tt.method, tt.path, tt.ct, tt.key, tt.body)
			if status != tt.status {
				t.Fatalf("status %d (%s), want %d", status, body, tt.status)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			e := errorOf(t, body)
			if e.Code != tt.code || (tt.field != "" && e.Field != tt.field) || !strings.Contains(e.Message, tt.message) {
				t.Errorf("error %+v, want code %s field %q message containing %q", e, tt.code, tt.field, tt.message)
			}
			if hdr.Get("Access-Control-Allow-Origin") != "*" {
				t.Error("no CORS header on an error")
			}
		})
	}
	if h.srv.Publishers() != 0 || h.hub.Stream("room-1") != nil {
		t.Error("a refused publisher left something behind")
	}
}

func TestOptions(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/whip", "/whip/x", "/live/r/whep", "/live/r/whep/x"} {
		status, hdr, _ := h.do(t, http.MethodOptions, path, "", "", "")
		if status != http.StatusNoContent || !strings.Contains(hdr.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(hdr.Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("OPTIONS %s: %d %v", path, status, hdr)
		}
	}
}
