package hls

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// errorBody is the error shape of the API (see internal/httpapi).
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with the API's JSON error shape. Errors are never
// cached: a room that is not live now may be in a second.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// captureWriter keeps a whole response (a playlist) so that it can be
// checked and rewritten before it is sent.
type captureWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newCaptureWriter() *captureWriter { return &captureWriter{header: http.Header{}} }

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(code int) {
	if c.code == 0 {
		c.code = code
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// status is the response's status, 0 when the handler wrote nothing
// (gohlslib's answer to a file it does not have).
func (c *captureWriter) status() int { return c.code }

// passWriter streams a successful response (a part or segment, which may
// be large or still being produced) straight to the client, and holds
// back failures so that they can be answered in the API's error shape.
type passWriter struct {
	w            http.ResponseWriter
	header       http.Header
	cacheControl string // replaces the muxer's Cache-Control when set
	code         int
	committed    bool
}

func newPassWriter(w http.ResponseWriter, cacheControl string) *passWriter {
	return &passWriter{w: w, header: http.Header{}, cacheControl: cacheControl}
}

func (p *passWriter) Header() http.Header { return p.header }

func (p *passWriter) WriteHeader(code int) {
	if p.code != 0 {
		return
	}
	p.code = code
	if code >= 400 {
		return
	}
	h := p.w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if p.cacheControl != "" {
		h.Set("Cache-Control", p.cacheControl)
	}
	p.w.WriteHeader(code)
	p.committed = true
}

func (p *passWriter) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	if !p.committed {
		return len(b), nil // the body of a held-back failure
	}
	return p.w.Write(b)
}

// status is what the handler answered, 0 when it wrote nothing.
func (p *passWriter) status() int { return p.code }
