package hls

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/liveshop/liveshop/internal/apperr"
)

// roomIDPattern is what a room id may look like to become a directory
// name: ids.New makes "ses_" and 26 base32 digits.
var roomIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func validRoomID(id string) bool { return roomIDPattern.MatchString(id) }

// serveReplay serves GET /replays/{roomID}/{file} from the recording on
// disk, with Range requests (players seek by fetching segments; the
// replay page may fetch byte ranges). Only names the recorder writes are
// served, which rules out path traversal and temporary files.
func (s *Service) serveReplay(w http.ResponseWriter, r *http.Request) {
	roomID, file := r.PathValue("roomID"), r.PathValue("file")
	if !validRoomID(roomID) || !recordingFile(file) {
		writeError(w, http.StatusNotFound, apperr.NotFound, "no such file")
		return
	}
	f, err := os.Open(filepath.Join(s.dir, roomID, file))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			msg := "no such file"
			if file == playlistName {
				msg = "this room has no replay"
			}
			writeError(w, http.StatusNotFound, apperr.NotFound, msg)
			return
		}
		s.log.Error("hls: open replay file", "room", roomID, "file", file, "err", err)
		writeError(w, http.StatusInternalServerError, apperr.Internal, "internal error")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		writeError(w, http.StatusNotFound, apperr.NotFound, "no such file")
		return
	}
	h := w.Header()
	if file == playlistName {
		h.Set("Content-Type", "application/vnd.apple.mpegurl")
		h.Set("Cache-Control", replayPlaylistCache(f, info.Size()))
	} else {
		// Names are never reused within a recording.
		h.Set("Content-Type", "video/mp4")
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.ServeContent(w, r, file, info.ModTime(), f)
}

// replayPlaylistCache is the Cache-Control of a recording's playlist: a
// VOD playlist is final, an EVENT one grows every segment.
func replayPlaylistCache(f *os.File, size int64) string {
	const tail = 64
	buf := make([]byte, min(size, tail))
	if _, err := f.ReadAt(buf, size-int64(len(buf))); err == nil &&
		bytes.HasSuffix(bytes.TrimSpace(buf), []byte("#EXT-X-ENDLIST")) {
		return "public, max-age=3600"
	}
	return "no-cache"
}
