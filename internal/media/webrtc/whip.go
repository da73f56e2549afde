package webrtc

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/webrtc/v4"
)

// PostWHIP starts a WHIP ingest session: Authorization: Bearer KEY,
// Content-Type: application/sdp, body the offer. Answers 201 with the SDP
// answer and Location /whip/{id}.
func (s *Server) PostWHIP(w http.ResponseWriter, r *http.Request) {
	cors(w)
	p, sdp, err := s.startPublisher(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeAnswer(w, "/whip/"+p.id, sdp)
}

func (s *Server) startPublisher(r *http.Request) (*publisher, string, error) {
	if err := s.refuseWhenClosed(); err != nil {
		return nil, "", err
	}
	if err := requireContentType(r, "application/sdp"); err != nil {
		return nil, "", err
	}
	key, err := bearer(r)
	if err != nil {
		return nil, "", err
	}
	offer, err := readBody(r, maxSDP)
	if err != nil {
		return nil, "", err
	}
	info, err := inspectOffer(offer)
	if err != nil {
		return nil, "", err
	}
	if !info.hasVideo || !info.h264 {
		return nil, "", &apperr.Error{Code: apperr.Unsupported, Field: "sdp",
			Message: "the offer has no H.264 video; send H.264 (packetization-mode=1)"}
	}

	pc, err := s.apis.ingest.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, "", err
	}
	p := newPublisher(s, pc, ids.Token(16), hashKey(key), info.ufrag)
	sdp, err := answer(r.Context(), pc, offer)
	if err != nil {
		_ = pc.Close()
		return nil, "", err
	}
	negotiated, _ := inspectOffer(sdp)
	if !negotiated.h264 {
		_ = pc.Close()
		return nil, "", &apperr.Error{Code: apperr.Unsupported, Field: "sdp",
			Message: "none of the offered H.264 profiles is supported; send H.264 constrained baseline, main or high"}
	}
	tracks := media.Tracks{Video: &media.VideoInfo{Codec: media.H264}}
	if negotiated.opus {
		tracks.Audio = &media.AudioInfo{Codec: media.Opus, SampleRate: 48000, Channels: 2}
	}
	stream, err := s.hub.Publish(r.Context(), key, media.WHIP, tracks)
	if err != nil {
		_ = pc.Close()
		return nil, "", err
	}
	p.start(stream)
	return p, sdp, nil
}

// PatchWHIP adds trickled ICE candidates to a WHIP session (204).
func (s *Server) PatchWHIP(w http.ResponseWriter, r *http.Request) {
	p, err := s.publisherFor(r)
	if err != nil {
		s.trickle(w, r, nil, "", err)
		return
	}
	s.trickle(w, r, p.pc, p.remoteUfrag, nil)
}

// DeleteWHIP ends a WHIP session and with it the live session (200).
func (s *Server) DeleteWHIP(w http.ResponseWriter, r *http.Request) {
	cors(w)
	p, err := s.publisherFor(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p.close(true, "publisher ended the session")
	w.WriteHeader(http.StatusOK)
}

// publisherFor finds the session named in the path and checks the
// request carries the stream key it was started with.
func (s *Server) publisherFor(r *http.Request) (*publisher, error) {
	key, err := bearer(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	p := s.publishers[r.PathValue("id")]
	s.mu.Unlock()
	if p == nil {
		return nil, apperr.New(apperr.NotFound, "no such WHIP session")
	}
	if !p.keyHash.matches(key) {
		return nil, &apperr.Error{Code: apperr.Unauthorized, Field: "Authorization", Message: "the stream key does not match this session"}
	}
	return p, nil
}
