// Package web serves the built front end (web/, built by Vite into dist/)
// from files embedded in the binary.
//
// Hashed assets under /assets/ are cached for a year; index.html is never
// cached and answers every other path so that the client-side router can
// handle it (the single-page-app fallback). Paths that belong to the
// server (/api/, /media/, /sandbox/, /healthz, /readyz, /metrics) are never
// answered with index.html: the main server routes them before this
// handler, and if one reaches it anyway it gets a 404.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// dist holds the build output. It always contains .keep, so that this
// package compiles before the front end is built.
//
//go:embed all:dist
var dist embed.FS

// Handler serves the embedded front end.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid path, which "dist" is not.
		panic("web: " + err.Error())
	}
	return NewHandler(sub)
}

// serverPaths are paths the Go server owns, with everything under them;
// the SPA fallback never answers them.
var serverPaths = []string{"/api", "/media", "/sandbox", "/healthz", "/readyz", "/metrics", "/whip", "/replays", "/ws"}

// isServerPath reports whether p belongs to the Go server rather than the
// front end.
func isServerPath(p string) bool {
	for _, s := range serverPaths {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return false
}

const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=3600"
	cacheNone      = "no-cache"
)

// notBuilt is served when dist has no index.html.
const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>liveshop</title></head>
<body style="font-family: system-ui, sans-serif; padding: 2rem">
<h1>liveshop</h1>
<p>front end not built: run make web</p>
<p>The REST API is at <a href="/api/v1/openapi.json">/api/v1/</a>.</p>
</body></html>
`

type handler struct {
	fsys fs.FS
}

// NewHandler serves the front end from fsys, whose root holds index.html
// and assets/.
func NewHandler(fsys fs.FS) http.Handler {
	return &handler{fsys: fsys}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = path.Clean(p)
	if isServerPath(p) {
		http.NotFound(w, r)
		return
	}
	name := strings.TrimPrefix(p, "/")
	if name != "" && name != "index.html" && fs.ValidPath(name) {
		if data, ok := h.file(name); ok {
			cache := cacheShort
			if strings.HasPrefix(name, "assets/") {
				cache = cacheImmutable
			}
			serve(w, r, name, data, cache)
			return
		}
		// A missing hashed asset is a stale page asking for an old build:
		// answer 404 rather than HTML the browser would try to run.
		if name == "assets" || strings.HasPrefix(name, "assets/") {
			http.NotFound(w, r)
			return
		}
	}
	index, ok := h.file("index.html")
	if !ok {
		w.Header().Set("Cache-Control", cacheNone)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			io.WriteString(w, notBuilt)
		}
		return
	}
	serve(w, r, "index.html", index, cacheNone)
}

// file reads a regular file from the front end's files.
func (h *handler) file(name string) ([]byte, bool) {
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return nil, false
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, false
	}
	return data, true
}

// serve writes a file with its content type (from the extension), an ETag
// from its content, and the given caching policy. http.ServeContent
// answers conditional and range requests.
func serve(w http.ResponseWriter, r *http.Request, name string, data []byte, cache string) {
	sum := sha256.Sum256(data)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(name, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// Built reports whether the embedded front end has been built (for a
// startup log line).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}
