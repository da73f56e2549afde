package imagestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"

	"github.com/liveshop/liveshop/internal/apperr"
)

// Open returns the original (thumb false) or the thumbnail (thumb true)
// for serving, with its content type. The caller closes f.
//
// Returns apperr NotFound when there is no such image, including for ids
// that could never have been stored.
func (s *Store) Open(id string, thumb bool) (f *os.File, contentType string, err error) {
	if checkID(id) != nil {
		return nil, "", apperr.New(apperr.NotFound, "image not found")
	}
	path := s.originalPath(id)
	if thumb {
		path = s.thumbPath(id)
	}
	f, err = os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", apperr.New(apperr.NotFound, "image not found")
	}
	if err != nil {
		return nil, "", fmt.Errorf("imagestore: open %s: %w", id, err)
	}
	if thumb {
		return f, "image/jpeg", nil
	}
	ct, err := sniff(f)
	if err != nil {
		_ = f.Close()
		return nil, "", fmt.Errorf("imagestore: open %s: %w", id, err)
	}
	return f, ct, nil
}

// sniff reads the type from the file's first bytes and rewinds it. A file
// Store did not write (put there by hand) is served as opaque bytes, never
// as something a browser might render as a page.
func sniff(f *os.File) (string, error) {
	var head [512]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	ct := http.DetectContentType(head[:n])
	if _, ok := codecFor(ct); !ok {
		return "application/octet-stream", nil
	}
	return ct, nil
}

// Handler serves GET /media/images/{id} and GET /media/images/{id}/thumb,
// for mounting as is; routers that register their own patterns can use
// ServeOriginal and ServeThumb directly.
func (s *Store) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /media/images/{id}", s.ServeOriginal)
	mux.HandleFunc("GET /media/images/{id}/thumb", s.ServeThumb)
	return mux
}

// ServeOriginal serves the uploaded image named by the {id} path value.
func (s *Store) ServeOriginal(w http.ResponseWriter, r *http.Request) { s.serve(w, r, false) }

// ServeThumb serves the JPEG thumbnail named by the {id} path value.
func (s *Store) ServeThumb(w http.ResponseWriter, r *http.Request) { s.serve(w, r, true) }

func (s *Store) serve(w http.ResponseWriter, r *http.Request, thumb bool) {
	id := r.PathValue("id")
	f, ct, err := s.Open(id, thumb)
	if apperr.Is(err, apperr.NotFound) {
		writeError(w, http.StatusNotFound, apperr.NotFound, "image not found")
		return
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "imagestore: serve", "id", id, "thumb", thumb, "err", err)
		writeError(w, http.StatusInternalServerError, apperr.Internal, "internal error")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		slog.ErrorContext(r.Context(), "imagestore: serve", "id", id, "thumb", thumb, "err", err)
		writeError(w, http.StatusInternalServerError, apperr.Internal, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	// nosniff: the bytes are user uploads; the browser must not reinterpret
	// them as HTML or script whatever they contain.
	h.Set("X-Content-Type-Options", "nosniff")
	// An id names one upload forever (a new picture gets a new id), so
	// browsers and CDNs may keep it for good.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	// ServeContent adds Range, HEAD and If-Modified-Since support.
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// writeError writes the API's error shape. The image routes answer
// themselves rather than through httpapi so the store can be mounted on
// its own (a static-file server, tests).
func writeError(w http.ResponseWriter, status int, code, msg string) {
	type body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]body{"error": {Code: code, Message: msg}})
}
