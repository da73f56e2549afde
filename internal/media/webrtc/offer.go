package webrtc

import (
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/pion/sdp/v3"
)

// maxSDP bounds an offer; real ones are a few kilobytes.
const maxSDP = 64 << 10

// offerInfo is what we learn from an offer before handing it to pion,
// so bad input gets a precise answer instead of a pion error string.
type offerInfo struct {
	hasVideo, h264 bool // an active video section, and whether it offers H.264
	hasAudio, opus bool
	ufrag          string // the offer's ICE username fragment, to spot ICE restarts in PATCH
}

// inspectOffer parses an SDP offer. Returns an Invalid error on field
// "sdp" when it is not an SDP offer with at least one media section.
func inspectOffer(raw string) (offerInfo, error) {
	var s sdp.SessionDescription
	if err := s.UnmarshalString(raw); err != nil {
		return offerInfo{}, apperr.Field("sdp", "the body is not a valid SDP offer")
	}
	if len(s.MediaDescriptions) == 0 {
		return offerInfo{}, apperr.Field("sdp", "the SDP offer has no media sections")
	}
	var info offerInfo
	info.ufrag, _ = s.Attribute("ice-ufrag")
	for _, m := range s.MediaDescriptions {
		if u, ok := m.Attribute("ice-ufrag"); ok && info.ufrag == "" {
			info.ufrag = u
		}
		if m.MediaName.Port.Value == 0 {
			continue // a rejected or stopped section
		}
		switch m.MediaName.Media {
		case "video":
			info.hasVideo = true
			info.h264 = info.h264 || offersCodec(m, "h264")
		case "audio":
			info.hasAudio = true
			info.opus = info.opus || offersCodec(m, "opus")
		}
	}
	return info, nil
}

// offersCodec reports whether a media section has an rtpmap for codec.
func offersCodec(m *sdp.MediaDescription, codec string) bool {
	for _, a := range m.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		// "96 H264/90000"
		_, enc, ok := strings.Cut(a.Value, " ")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(enc, "/")
		if strings.EqualFold(strings.TrimSpace(name), codec) {
			return true
		}
	}
	return false
}
