package httpapi_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/imagestore"
)

// TestImageUploadCheckedByContent sends product images whose file name and
// part Content-Type both claim PNG: only real image bytes are stored, and
// anything else is a 4xx naming the field "image".
func TestImageUploadCheckedByContent(t *testing.T) {
	h := newAPIHarness(t, func(h *apiHarness, c *httpapi.Config) {
		imgs, err := imagestore.New(t.TempDir(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		c.Catalog = catalog.NewService(h.st, imgs, nil)
	})
	owner, shopID := h.shop("Fay")
	productID, _ := h.product(owner, shopID, "Rice", 1000, 5)
	tok := h.token(owner)

	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	if w, err := zw.Create("a.png"); err != nil {
		t.Fatal(err)
	} else {
		w.Write([]byte("not an image"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var realPNG bytes.Buffer
	if err := png.Encode(&realPNG, image.NewRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	// A PNG signature followed by HTML: the magic bytes alone must not pass.
	pngHeadHTML := append(append([]byte{}, realPNG.Bytes()[:16]...), "<html><script>alert(1)</script></html>"...)

	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"html", []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"), 0},
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 0},
		{"zip", zipped.Bytes(), 0},
		{"png signature then html", pngHeadHTML, 0},
		{"real png", realPNG.Bytes(), http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", `form-data; name="image"; filename="photo.png"`)
			hdr.Set("Content-Type", "image/png")
			part, err := mw.CreatePart(hdr)
			if err != nil {
				t.Fatal(err)
			}
			part.Write(tt.data)
			mw.Close()
			req, err := http.NewRequestWithContext(h.ctx, "POST", h.srv.URL+"/api/v1/products/"+productID+"/images", &body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			raw := new(bytes.Buffer)
			raw.ReadFrom(resp.Body)
			json.Unmarshal(raw.Bytes(), &out) // a non-JSON body leaves out nil; the check below prints raw
			if tt.want != 0 {
				if resp.StatusCode != tt.want {
					t.Fatalf("status %d %s, want %d", resp.StatusCode, raw, tt.want)
				}
				return
			}
			if resp.StatusCode < 400 || resp.StatusCode >= 500 || errField(out) != "image" {
				t.Fatalf("status %d %s, want a 4xx naming the field image", resp.StatusCode, raw)
			}
		})
	}
	// Only the real PNG made it into the gallery.
	code, out, raw := h.call("GET", "/products/"+productID, "", "")
	if imgs, _ := out["images"].([]any); code != http.StatusOK || len(imgs) != 1 {
		t.Errorf("product after uploads: %d %s, want exactly one image", code, raw)
	}
}
