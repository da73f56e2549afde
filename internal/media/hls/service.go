// Package hls delivers live rooms over HTTP Live Streaming and records
// them. For every stream of the media Hub it runs
//
//   - a Low-Latency HLS muxer (fMP4, ~200 ms parts, blocking playlist
//     reload, preload hints) at /live/{roomID}/index.m3u8,
//   - a plain fMP4 HLS muxer with ~2 s segments for CDNs at
//     /live/{roomID}/cdn/index.m3u8, whose segment URLs point at the CDN
//     when one is configured,
//   - a recorder that writes the session to {data}/recordings/{roomID}/
//     as fMP4 segments and an EVENT playlist that becomes VOD when the
//     room service finalises it; replays are served at
//     /replays/{roomID}/index.m3u8.
//
// The muxers are gohlslib's; the recorder writes fMP4 itself with
// mediacommon, because a recording outlives one publisher connection: a
// publisher that reconnects adds a generation (discontinuity plus a new
// init segment) to the same playlist.
//
// Lifecycle: New registers with the Hub and from then on every stream is
// packaged; a stream's muxers close when it ends; its recording stays open
// across reconnects until Finalise. Close waits for the packagers after
// the Hub has closed its streams.
package hls

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/media"
)

// Config holds a Service's dependencies.
type Config struct {
	Hub *media.Hub
	// DataDir holds recordings under recordings/{roomID}/.
	DataDir string
	// CDNBase, when set ("https://cdn.example.com"), makes the CDN
	// playlist's segment and init URLs absolute under it.
	CDNBase string
	Log     *slog.Logger
	Now     func() time.Time
	// AACWait is how long to wait for a transcoder's AAC track when the
	// publisher sends Opus, before packaging Opus instead. Default 1 s.
	AACWait time.Duration
}

// Service packages, records and serves the Hub's streams.
type Service struct {
	hub     *media.Hub
	dir     string
	cdnBase string
	log     *slog.Logger
	now     func() time.Time
	aacWait time.Duration
	mux     *http.ServeMux
	viewers *viewerCounter
	wg      sync.WaitGroup

	mu         sync.Mutex
	live       map[string]*liveSession
	recordings map[string]*recorder
}

// New returns a service attached to cfg.Hub: every stream that starts
// from now on is packaged and recorded.
func New(cfg Config) (*Service, error) {
	if cfg.Hub == nil || cfg.DataDir == "" || cfg.Log == nil || cfg.Now == nil {
		return nil, errors.New("hls: Hub, DataDir, Log and Now are required")
	}
	base, err := normaliseCDNBase(cfg.CDNBase)
	if err != nil {
		return nil, err
	}
	if cfg.AACWait == 0 {
		cfg.AACWait = time.Second
	}
	s := &Service{hub: cfg.Hub, dir: filepath.Join(cfg.DataDir, "recordings"), cdnBase: base, log: cfg.Log,
		now: cfg.Now, aacWait: cfg.AACWait, viewers: newViewerCounter(cfg.Now),
		live: map[string]*liveSession{}, recordings: map[string]*recorder{}}
	s.mux = http.NewServeMux()
	s.Register(s.mux)
	cfg.Hub.OnStream(s.attach)
	return s, nil
}

// Register adds the service's routes to mux:
//
//	GET /live/{roomID}/{file}       LL-HLS playlists, init segments, parts, segments
//	GET /live/{roomID}/cdn/{file}   the cacheable playlist for CDNs and its files
//	GET /replays/{roomID}/{file}    the recording: playlist, init segments, segments
func (s *Service) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /live/{roomID}/{file}", s.serveLive)
	mux.HandleFunc("GET /live/{roomID}/master.m3u8", s.serveMaster)
	mux.HandleFunc("GET /live/{roomID}/cdn/{file}", s.serveCDN)
	mux.HandleFunc("GET /replays/{roomID}/{file}", s.serveReplay)
}

// ServeHTTP serves the routes listed at Register.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// attach packages one stream; the Hub calls it in its own goroutine.
func (s *Service) attach(st *media.Stream) {
	sess := s.sessionOf(st)
	// Subscribe before anything else so that no frame between publish
	// and the packagers starting is lost.
	liveReader := st.Subscribe(packagerProtocol, 512, true)
	var recReader *media.Reader
	if validRoomID(st.RoomID) {
		recReader = st.Subscribe(recorderProtocol, 1024, true)
	} else {
		// ABR renditions ("ses_1~480p") are packaged for live viewing but
		// not recorded: the replay keeps the publisher's own quality.
		s.log.Debug("hls: not recording a stream whose id is not a room id", "room", st.RoomID)
	}
	s.mu.Lock()
	var rec *recorder
	if recReader != nil {
		rec = s.recordings[st.RoomID]
		if rec == nil {
			rec = newRecorder(filepath.Join(s.dir, st.RoomID), st.RoomID, s.log)
			s.recordings[st.RoomID] = rec
		}
		s.wg.Add(1)
	}
	s.wg.Add(1)
	s.mu.Unlock()

	go func() {
		defer s.wg.Done()
		s.runLive(sess, liveReader)
		s.mu.Lock()
		if s.live[st.RoomID] == sess {
			delete(s.live, st.RoomID)
		}
		s.mu.Unlock()
	}()
	if rec != nil {
		go func() {
			defer s.wg.Done()
			s.runRecording(rec, recReader)
		}()
	}
}

// sessionOf returns st's live session, creating it if need be: the
// handlers may see a stream before the Hub has called attach for it.
func (s *Service) sessionOf(st *media.Stream) *liveSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.live[st.RoomID]
	if sess == nil || sess.stream != st {
		sess = newLiveSession(st)
		s.live[st.RoomID] = sess
	}
	return sess
}

// liveSessionOf returns roomID's live session, or nil when the room has
// no publisher.
func (s *Service) liveSessionOf(roomID string) *liveSession {
	if st := s.hub.Stream(roomID); st != nil {
		return s.sessionOf(st)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live[roomID] // a session whose stream has just ended
}

// Readers of the packagers are not viewers: media.Stream.Viewers counts
// only WHEP and HLS readers, so they use protocols of their own.
const (
	packagerProtocol media.Protocol = "hls-packager"
	recorderProtocol media.Protocol = "recorder"
)

// Viewers estimates roomID's HLS audience: distinct clients (address and
// user agent) that fetched one of its live playlists in the last
// viewerWindow. Players reload playlists every part or segment, so every
// watching client is seen; clients behind one CDN or proxy count as one.
// The count is meant to be added to media.Health.Viewers[media.HLS].
func (s *Service) Viewers(roomID string) int { return s.viewers.count(roomID) }

// Close waits until the packagers of ended streams have stopped and their
// recordings are flushed (call it after Hub.Close), or until ctx ends.
// Open recordings stay EVENT playlists so that a session that continues
// after a restart appends to them.
func (s *Service) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("hls: close: %w", ctx.Err())
	}
}
