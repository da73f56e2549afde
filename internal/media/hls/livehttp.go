package hls

import (
	"net/http"
	"strings"

	"github.com/bluenviron/gohlslib/v2"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Cache policy of the CDN variant. Segment and init names carry a random
// prefix per muxer, so a name never names other bytes: a CDN may keep
// them for good. Playlists change every segment (2 s): a CDN may reuse
// one for a second, which bounds origin load to one request per second
// per edge whatever the audience.
const (
	cdnPlaylistCache = "public, max-age=1"
	cdnSegmentCache  = "public, max-age=31536000, immutable"
)

// serveLive serves GET /live/{roomID}/{file}: the LL-HLS playlists and
// media. Playlist requests with _HLS_msn/_HLS_part block until that part
// exists (gohlslib implements the blocking reload).
func (s *Service) serveLive(w http.ResponseWriter, r *http.Request) {
	s.serveMuxer(w, r, false)
}

// serveCDN serves GET /live/{roomID}/cdn/{file}: the cacheable variant.
func (s *Service) serveCDN(w http.ResponseWriter, r *http.Request) {
	s.serveMuxer(w, r, true)
}

func (s *Service) serveMuxer(w http.ResponseWriter, r *http.Request, cdn bool) {
	roomID, file := r.PathValue("roomID"), r.PathValue("file")
	sess := s.liveSessionOf(roomID)
	if sess == nil || !sess.waitReady(r.Context()) {
		writeError(w, http.StatusNotFound, apperr.NotFound, "room is not live")
		return
	}
	m := sess.ll
	if cdn {
		m = sess.cdn
	}
	if strings.HasSuffix(file, ".m3u8") {
		s.viewers.seen(roomID, r)
		s.servePlaylist(w, r, sess, m, cdn)
		return
	}
	cache := ""
	if cdn {
		cache = cdnSegmentCache
	}
	pw := newPassWriter(w, cache)
	m.Handle(pw, r)
	if pw.status() == 0 || pw.status() >= 400 {
		s.muxerFailed(w, sess, pw.status())
	}
}

// servePlaylist answers a playlist request; the CDN variant's media URIs
// are made absolute under the CDN base.
func (s *Service) servePlaylist(w http.ResponseWriter, r *http.Request, sess *liveSession, m *gohlslib.Muxer, cdn bool) {
	cw := newCaptureWriter()
	m.Handle(cw, r)
	if cw.status() != http.StatusOK {
		s.muxerFailed(w, sess, cw.status())
		return
	}
	body := cw.body.Bytes()
	h := w.Header()
	h.Set("Content-Type", "application/vnd.apple.mpegurl")
	if cdn {
		if s.cdnBase != "" {
			body = rewriteMediaURIs(body, cdnPrefix(s.cdnBase, sess.stream.RoomID))
		}
		h.Set("Cache-Control", cdnPlaylistCache)
	} else if r.PathValue("file") == "index.m3u8" {
		// gohlslib lets the multivariant playlist be cached for 30 s, but
		// a publisher that reconnects may bring other tracks (and so
		// other media playlist names).
		h.Set("Cache-Control", "no-cache")
	} else if cc := cw.header.Get("Cache-Control"); cc != "" {
		h.Set("Cache-Control", cc)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// muxerFailed answers for a muxer that did not serve a request: it wrote
// nothing (no such file), refused it (a bad _HLS_msn) or failed (closed
// under a blocked request because the stream ended).
func (s *Service) muxerFailed(w http.ResponseWriter, sess *liveSession, status int) {
	switch {
	case sess.closed():
		writeError(w, http.StatusNotFound, apperr.NotFound, "room is not live")
	case status == 0:
		writeError(w, http.StatusNotFound, apperr.NotFound, "no such file; it may have expired")
	case status == http.StatusBadRequest:
		writeError(w, http.StatusBadRequest, apperr.Invalid, "_HLS_msn or _HLS_part is out of range")
	default:
		writeError(w, http.StatusInternalServerError, apperr.Internal, "internal error")
	}
}
