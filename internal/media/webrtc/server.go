package webrtc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/pion/webrtc/v4"
)

// gatherTimeout bounds the wait for our own ICE candidates before the
// answer goes out; with one UDP mux it takes a few milliseconds.
const gatherTimeout = 5 * time.Second

// Server is the WHIP/WHEP adapter between HTTP signalling, pion peer
// connections and the media hub.
//
// Lifecycle: New builds the pion APIs and takes the UDP socket; Mount (or
// the handler methods) serve requests; Close drops every peer and closes
// the socket.
type Server struct {
	hub  *media.Hub
	log  *slog.Logger
	cfg  Config
	apis *apis

	mu         sync.Mutex
	publishers map[string]*publisher
	viewers    map[string]*viewer
	packets    map[*media.Stream]*packetCache
	closed     bool
}

// New returns a server publishing into and playing from hub. cfg.UDP is
// required; the server closes it in Close.
func New(cfg Config, hub *media.Hub, log *slog.Logger) (*Server, error) {
	if cfg.UDP == nil {
		return nil, errors.New("webrtc: no UDP socket")
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 20 * time.Second
	}
	if cfg.ViewerQueue <= 0 {
		cfg.ViewerQueue = 256
	}
	a, err := newAPIs(cfg, log)
	if err != nil {
		return nil, err
	}
	return &Server{hub: hub, log: log, cfg: cfg, apis: a, publishers: map[string]*publisher{},
		viewers: map[string]*viewer{}, packets: map[*media.Stream]*packetCache{}}, nil
}

// Mount registers the WHIP and WHEP endpoints on mux.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /whip", s.PostWHIP)
	mux.HandleFunc("PATCH /whip/{id}", s.PatchWHIP)
	mux.HandleFunc("DELETE /whip/{id}", s.DeleteWHIP)
	mux.HandleFunc("OPTIONS /whip", handleOptions)
	mux.HandleFunc("OPTIONS /whip/{id}", handleOptions)
	mux.HandleFunc("POST /live/{roomID}/whep", s.PostWHEP)
	mux.HandleFunc("PATCH /live/{roomID}/whep/{id}", s.PatchWHEP)
	mux.HandleFunc("DELETE /live/{roomID}/whep/{id}", s.DeleteWHEP)
	mux.HandleFunc("OPTIONS /live/{roomID}/whep", handleOptions)
	mux.HandleFunc("OPTIONS /live/{roomID}/whep/{id}", handleOptions)
}

// Options answers CORS preflights on any of the endpoints.
func (s *Server) Options(w http.ResponseWriter, r *http.Request) { handleOptions(w, r) }

// Close drops every publisher (their sessions wait for a reconnect, as
// on any disconnect) and viewer, and closes the UDP socket.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	pubs := make([]*publisher, 0, len(s.publishers))
	for _, p := range s.publishers {
		pubs = append(pubs, p)
	}
	views := make([]*viewer, 0, len(s.viewers))
	for _, v := range s.viewers {
		views = append(views, v)
	}
	s.mu.Unlock()
	for _, p := range pubs {
		p.close(false, "shutdown")
	}
	for _, v := range views {
		v.close("shutdown")
	}
	if err := s.apis.mux.Close(); err != nil {
		return fmt.Errorf("webrtc: close udp mux: %w", err)
	}
	return nil
}

// Publishers counts WHIP sessions on this node.
func (s *Server) Publishers() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.publishers) }

// Viewers counts WHEP sessions on this node.
func (s *Server) Viewers() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.viewers) }

// answer applies offer to pc and returns the answer with all our
// candidates in it (a non-trickle answer; trickled candidates from the
// client still arrive by PATCH).
func answer(ctx context.Context, pc *webrtc.PeerConnection, offer string) (string, error) {
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", &apperr.Error{Code: apperr.Invalid, Field: "sdp", Message: "the SDP offer could not be applied: " + err.Error()}
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", &apperr.Error{Code: apperr.Invalid, Field: "sdp", Message: "no answer fits the SDP offer: " + err.Error()}
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(ans); err != nil {
		return "", fmt.Errorf("webrtc: set local description: %w", err)
	}
	t := time.NewTimer(gatherTimeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C:
		return "", errors.New("webrtc: ICE gathering timed out")
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return pc.LocalDescription().SDP, nil
}

// addCandidates applies a trickle PATCH body to pc. remoteUfrag is the
// offer's; a fragment with another one asks for an ICE restart, which
// these sessions do not support.
func addCandidates(pc *webrtc.PeerConnection, remoteUfrag, body string) error {
	frag, err := parseTrickle(body)
	if err != nil {
		return err
	}
	if frag.ufrag != "" && remoteUfrag != "" && frag.ufrag != remoteUfrag {
		return apperr.New(apperr.Conflict, "ICE restarts are not supported; start a new session")
	}
	for _, c := range frag.candidates {
		mid := c.mid
		idx := c.mLineIndex
		init := webrtc.ICECandidateInit{Candidate: c.value, SDPMLineIndex: &idx}
		if mid != "" {
			init.SDPMid = &mid
		}
		if err := pc.AddICECandidate(init); err != nil {
			return apperr.Field("sdpfrag", "a candidate was refused: %v", err)
		}
	}
	return nil
}

// writeAnswer sends a 201 with the SDP answer and the session's URL.
func writeAnswer(w http.ResponseWriter, location, sdp string) {
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", "application/sdp")
	w.Header().Set("Accept-Patch", trickleContentType)
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(sdp))
}

func (s *Server) refuseWhenClosed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return apperr.New(apperr.Unavailable, "the server is shutting down")
	}
	return nil
}

// trickle answers a WHIP or WHEP PATCH: the candidates of its body are
// added to pc, whose remote ICE username fragment is ufrag (204), or
// lookupErr, when the session was not found, is the answer.
func (s *Server) trickle(w http.ResponseWriter, r *http.Request, pc *webrtc.PeerConnection, ufrag string, lookupErr error) {
	cors(w)
	err := lookupErr
	if err == nil {
		err = requireContentType(r, trickleContentType)
	}
	var body string
	if err == nil {
		body, err = readBody(r, maxTrickleBody)
	}
	if err == nil {
		err = addCandidates(pc, ufrag, body)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
