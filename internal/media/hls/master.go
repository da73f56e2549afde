package hls

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/media"
)

// serveMaster serves GET /live/{roomID}/master.m3u8: the adaptive
// playlist of the room's own stream and its ABR renditions (made by the
// transcoder with --abr). Each muxer writes a multivariant playlist of its
// own; they are merged, with each one's audio group renamed so variants
// keep their own audio, and URIs pointing at the muxer that owns them.
// Without renditions it lists the one stream.
func (s *Service) serveMaster(w http.ResponseWriter, r *http.Request) {
	roomID := r.PathValue("roomID")
	parent := s.liveSessionOf(roomID)
	if parent == nil || !parent.waitReady(r.Context()) || parent.ll == nil {
		writeError(w, http.StatusNotFound, apperr.NotFound, "room is not live")
		return
	}
	s.viewers.seen(roomID, r)
	parts := []variantSource{{prefix: "", body: s.muxerPlaylist(r, parent)}}
	for _, st := range s.hub.Renditions(roomID) {
		sess := s.liveSessionOf(st.RoomID)
		if sess == nil || !readyNow(sess) || sess.ll == nil {
			continue // still starting: the next reload will list it
		}
		name := strings.TrimPrefix(st.RoomID, roomID+media.RenditionSeparator)
		parts = append(parts, variantSource{prefix: "../" + st.RoomID + "/", group: name, body: s.muxerPlaylist(r, sess)})
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.apple.mpegurl")
	h.Set("Cache-Control", "no-cache")
	w.Write(mergeMultivariant(parts))
}

// readyNow reports whether a session's muxers run, without waiting.
func readyNow(sess *liveSession) bool {
	select {
	case <-sess.ready:
		return true
	default:
		return false
	}
}

// muxerPlaylist is the multivariant playlist a session's LL-HLS muxer
// writes, or nil.
func (s *Service) muxerPlaylist(r *http.Request, sess *liveSession) []byte {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	req := r.Clone(ctx)
	req.URL.Path = strings.TrimSuffix(req.URL.Path, "master.m3u8") + "index.m3u8"
	req.URL.RawQuery = ""
	cw := newCaptureWriter()
	sess.ll.Handle(cw, req)
	if cw.status() != http.StatusOK {
		return nil
	}
	return cw.body.Bytes()
}

// variantSource is one muxer's multivariant playlist: its URIs are
// relative to prefix, and its group ids get group as a suffix.
type variantSource struct {
	prefix, group string
	body          []byte
}

var (
	uriAttr   = regexp.MustCompile(`URI="([^"]*)"`)
	groupAttr = regexp.MustCompile(`(GROUP-ID|AUDIO)="([^"]*)"`)
)

// mergeMultivariant joins multivariant playlists into one.
func mergeMultivariant(parts []variantSource) []byte {
	var out bytes.Buffer
	out.WriteString("#EXTM3U\n")
	seenHeader := map[string]bool{}
	for _, p := range parts {
		lines := strings.Split(string(p.body), "\n")
		for _, line := range lines {
			line = strings.TrimSpace(line)
			switch {
			case line == "" || line == "#EXTM3U":
			case strings.HasPrefix(line, "#EXT-X-VERSION") || strings.HasPrefix(line, "#EXT-X-INDEPENDENT-SEGMENTS"):
				if !seenHeader[line] {
					seenHeader[line] = true
					out.WriteString(line + "\n")
				}
			case strings.HasPrefix(line, "#"):
				if p.group != "" {
					line = groupAttr.ReplaceAllString(line, `$1="${2}_`+p.group+`"`)
				}
				line = uriAttr.ReplaceAllString(line, `URI="`+p.prefix+`$1"`)
				out.WriteString(line + "\n")
			default:
				out.WriteString(p.prefix + line + "\n")
			}
		}
	}
	return out.Bytes()
}
