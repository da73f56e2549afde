package imagestore

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestHandler(t *testing.T) {
	s := newStore(t, 0)
	pngData := encodePNG(t, 640, 480)
	if _, err := s.Store(context.Background(), "img_1", bytes.NewReader(pngData)); err != nil {
		t.Fatal(err)
	}
	// A file nobody uploaded through Store must not be served as HTML.
	if err := os.WriteFile(filepath.Join(s.dir, "img_evil"), []byte("<html><script>alert(1)</script>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantType   string
	}{
		{"original", "/media/images/img_1", 200, "image/png"},
		{"thumbnail", "/media/images/img_1/thumb", 200, "image/jpeg"},
		{"missing", "/media/images/img_2", 404, "application/json; charset=utf-8"},
		{"missing thumbnail", "/media/images/img_2/thumb", 404, "application/json; charset=utf-8"},
		{"bad id", "/media/images/IMG%2E1", 404, "application/json; charset=utf-8"},
		{"hand-placed file", "/media/images/img_evil", 200, "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (%s)", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if tt.wantStatus == 404 {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != "not_found" || e.Error.Message != "image not found" {
					t.Errorf("404 body = %s", body)
				}
				return
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
		})
	}

	t.Run("original bytes", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/media/images/img_1")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if !bytes.Equal(body, pngData) {
			t.Error("served original differs from the upload")
		}
	})
	t.Run("thumbnail decodes", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/media/images/img_1/thumb")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		img, err := jpeg.Decode(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
			t.Errorf("thumbnail %v", b)
		}
	})
	t.Run("POST not allowed", func(t *testing.T) {
		res, err := http.Post(srv.URL+"/media/images/img_1", "image/png", bytes.NewReader(pngData))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status = %d, want 405", res.StatusCode)
		}
	})
}

// The exported methods must work on a caller's own mux, as main wires them.
func TestServeMethodsOnCallerMux(t *testing.T) {
	s := newStore(t, 0)
	if _, err := s.Store(context.Background(), "img_1", bytes.NewReader(encodeJPEG(t, 10, 10))); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /media/images/{id}", s.ServeOriginal)
	mux.HandleFunc("GET /media/images/{id}/thumb", s.ServeThumb)
	for path, want := range map[string]string{"/media/images/img_1": "image/jpeg", "/media/images/img_1/thumb": "image/jpeg"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || rec.Header().Get("Content-Type") != want {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}

func TestOpen(t *testing.T) {
	s := newStore(t, 0)
	if _, err := s.Store(context.Background(), "img_1", bytes.NewReader(encodeGIF(t, 10, 10))); err != nil {
		t.Fatal(err)
	}
	f, ct, err := s.Open("img_1", false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ct != "image/gif" {
		t.Errorf("content type = %s", ct)
	}
	// Sniffing must rewind: the caller reads from the start.
	head := make([]byte, 6)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "GIF89a" {
		t.Errorf("Open did not rewind: %q %v", head, err)
	}
}
