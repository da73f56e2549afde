package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

const indexHTML = `<!doctype html><html><body><div id="app"></div></body></html>`

func builtFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte(indexHTML)},
		"favicon.svg":             {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"assets/index-AbC123.js":  {Data: []byte(`console.log("hi")`)},
		"assets/index-AbC123.css": {Data: []byte(`body{}`)},
		".keep":                   {Data: nil},
	}
}

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	h := NewHandler(builtFS())
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string // prefix
		cache       string
		body        string // substring
	}{
		{"root is index", "GET", "/", 200, "text/html", "no-cache", `<div id="app">`},
		{"index.html itself", "GET", "/index.html", 200, "text/html", "no-cache", `<div id="app">`},
		{"spa route", "GET", "/merchant/shops/shp_1", 200, "text/html", "no-cache", `<div id="app">`},
		{"spa route with query", "GET", "/orders/ord_1?pay=failed", 200, "text/html", "no-cache", `<div id="app">`},
		{"spa route with a dot", "GET", "/products/v1.2", 200, "text/html", "no-cache", `<div id="app">`},
		{"hashed js", "GET", "/assets/index-AbC123.js", 200, "text/javascript", "public, max-age=31536000, immutable", `console.log`},
		{"hashed css", "GET", "/assets/index-AbC123.css", 200, "text/css", "public, max-age=31536000, immutable", `body{}`},
		{"other static file", "GET", "/favicon.svg", 200, "image/svg+xml", "public, max-age=3600", `<svg`},
		{"missing asset is 404", "GET", "/assets/index-old.js", 404, "", "", ""},
		{"assets dir is 404", "GET", "/assets/", 404, "", "", ""},
		{"api is never index", "GET", "/api/v1/nope", 404, "", "", ""},
		{"api root", "GET", "/api", 404, "", "", ""},
		{"media", "GET", "/media/images/img_1/thumb", 404, "", "", ""},
		{"sandbox", "GET", "/sandbox/pay/pay_1", 404, "", "", ""},
		{"healthz", "GET", "/healthz", 404, "", "", ""},
		{"readyz", "GET", "/readyz", 404, "", "", ""},
		{"metrics", "GET", "/metrics", 404, "", "", ""},
		{"dot-dot into api", "GET", "/x/../api/v1/me", 404, "", "", ""},
		{"apiary is the app", "GET", "/apiary", 200, "text/html", "no-cache", `<div id="app">`},
		{"metricsboard is the app", "GET", "/metricsboard", 200, "text/html", "no-cache", `<div id="app">`},
		{"head", "HEAD", "/", 200, "text/html", "no-cache", ""},
		{"post refused", "POST", "/", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.method, tt.path, nil)
			if rec.Code != tt.status {
				t.Fatalf("%s %s: status %d, want %d (body %q)", tt.method, tt.path, rec.Code, tt.status, rec.Body.String())
			}
			if tt.contentType != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.contentType) {
				t.Errorf("Content-Type %q, want %q…", rec.Header().Get("Content-Type"), tt.contentType)
			}
			if tt.cache != "" && rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", rec.Header().Get("Cache-Control"), tt.cache)
			}
			if tt.body != "" && !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body %q does not contain %q", rec.Body.String(), tt.body)
			}
			if tt.status == 404 && strings.Contains(rec.Body.String(), `id="app"`) {
				t.Errorf("404 answered with index.html")
			}
		})
	}
}

func TestHandlerETag(t *testing.T) {
	h := NewHandler(builtFS())
	first := get(t, h, "GET", "/assets/index-AbC123.js", nil)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := get(t, h, "GET", "/assets/index-AbC123.js", map[string]string{"If-None-Match": etag})
	if again.Code != http.StatusNotModified {
		t.Fatalf("conditional GET: status %d, want 304", again.Code)
	}
}

func TestHandlerNotBuilt(t *testing.T) {
	h := NewHandler(fstest.MapFS{".keep": {Data: nil}})
	for _, p := range []string{"/", "/merchant/shops"} {
		rec := get(t, h, "GET", p, nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "front end not built: run make web") {
			t.Errorf("GET %s: %d %q, want the not-built page", p, rec.Code, rec.Body.String())
		}
	}
	if rec := get(t, h, "GET", "/api/v1/me", nil); rec.Code != 404 {
		t.Errorf("GET /api/v1/me: %d, want 404", rec.Code)
	}
}

func TestEmbeddedHandler(t *testing.T) {
	// The embedded dist always holds at least .keep; the handler must work
	// whether or not the front end has been built.
	rec := get(t, Handler(), "GET", "/some/page", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /some/page: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if Built() != strings.Contains(rec.Body.String(), `id="app"`) {
		t.Errorf("Built() = %v but the page is %q", Built(), rec.Body.String())
	}
}
