package webrtc

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/pion/webrtc/v4"
)

// PostWHEP starts a WHEP playback session of a live room: Content-Type
// application/sdp, body the viewer's offer. Answers 201 with the SDP
// answer and Location /live/{roomID}/whep/{id}.
func (s *Server) PostWHEP(w http.ResponseWriter, r *http.Request) {
	cors(w)
	v, sdp, err := s.startViewer(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeAnswer(w, "/live/"+v.roomID+"/whep/"+v.id, sdp)
}

func (s *Server) startViewer(r *http.Request) (*viewer, string, error) {
	if err := s.refuseWhenClosed(); err != nil {
		return nil, "", err
	}
	if err := requireContentType(r, "application/sdp"); err != nil {
		return nil, "", err
	}
	roomID := r.PathValue("roomID")
	stream := s.hub.Stream(roomID)
	if stream == nil {
		return nil, "", apperr.New(apperr.NotFound, "room is not live")
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
			Message: "the offer cannot receive H.264 video; this stream is H.264"}
	}

	pc, err := s.apis.playback.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, "", err
	}
	// Audio goes out when the viewer can take Opus and the stream has any
	// audio: the publisher's Opus, or AAC that a transcoder turns into
	// Opus (possibly starting a moment after this viewer).
	withAudio := info.opus && stream.Tracks().Audio != nil
	v, err := newViewer(s, pc, stream, ids.Token(16), info.ufrag, withAudio)
	if err != nil {
		_ = pc.Close()
		return nil, "", err
	}
	sdp, err := answer(r.Context(), pc, offer)
	if err != nil {
		_ = pc.Close()
		return nil, "", err
	}
	s.mu.Lock()
	s.viewers[v.id] = v
	s.mu.Unlock()
	go v.run()
	return v, sdp, nil
}

// PatchWHEP adds trickled ICE candidates to a WHEP session (204).
func (s *Server) PatchWHEP(w http.ResponseWriter, r *http.Request) {
	v, err := s.viewerFor(r)
	if err != nil {
		s.trickle(w, r, nil, "", err)
		return
	}
	s.trickle(w, r, v.pc, v.remoteUfrag, nil)
}

// DeleteWHEP ends a WHEP session (200).
func (s *Server) DeleteWHEP(w http.ResponseWriter, r *http.Request) {
	cors(w)
	v, err := s.viewerFor(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	v.close("viewer left")
	w.WriteHeader(http.StatusOK)
}

func (s *Server) viewerFor(r *http.Request) (*viewer, error) {
	s.mu.Lock()
	v := s.viewers[r.PathValue("id")]
	s.mu.Unlock()
	if v == nil || v.roomID != r.PathValue("roomID") {
		return nil, apperr.New(apperr.NotFound, "no such WHEP session")
	}
	return v, nil
}
