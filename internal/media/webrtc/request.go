package webrtc

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
)

// cors lets browser pages on other origins use the endpoints and read
// the Location of the session they create.
func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "OPTIONS, POST, PATCH, DELETE")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match")
	h.Set("Access-Control-Expose-Headers", "Location, Link, ETag, Accept-Patch")
	h.Set("Access-Control-Max-Age", "86400")
}

// handleOptions answers CORS preflights and WHIP/WHEP capability probes.
func handleOptions(w http.ResponseWriter, r *http.Request) {
	cors(w)
	if r.PathValue("id") == "" {
		w.Header().Set("Accept-Post", "application/sdp")
	} else {
		w.Header().Set("Accept-Patch", trickleContentType)
	}
	w.WriteHeader(http.StatusNoContent)
}

// requireContentType refuses a body of another media type (415).
func requireContentType(r *http.Request, want string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.EqualFold(mt, want) {
		return &apperr.Error{Code: apperr.Unsupported, Field: "Content-Type", Message: "the body must be " + want}
	}
	return nil
}

// readBody reads at most limit bytes of r's body.
func readBody(r *http.Request, limit int64) (string, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", apperr.New(apperr.TooLarge, "the body is larger than %d bytes", limit)
		}
		return "", apperr.New(apperr.Invalid, "could not read the body")
	}
	return string(b), nil
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) (string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", &apperr.Error{Code: apperr.Unauthorized, Field: "Authorization",
			Message: "send the stream key as Authorization: Bearer <key>"}
	}
	return token, nil
}

// keyHash is what a WHIP session remembers of its stream key: enough to
// check later requests, useless to anyone reading memory or logs.
type keyHash [sha256.Size]byte

func hashKey(key string) keyHash { return sha256.Sum256([]byte(key)) }

func (h keyHash) matches(key string) bool {
	other := hashKey(key)
	return subtle.ConstantTimeCompare(h[:], other[:]) == 1
}
