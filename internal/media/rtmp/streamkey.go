package rtmp

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
)

// appName is the RTMP application publishers connect to:
// rtmp://HOST:PORT/live/{streamKey}.
const appName = "live"

// maxKeyLen bounds what we hand to the Gate; real keys are far shorter.
const maxKeyLen = 256

// streamKeyFromURL returns the stream key of a publish request.
//
// gortmplib joins the connect command's tcUrl with the publish name, so the
// ways encoders spell the same thing all arrive here as /live/KEY:
// ffmpeg's single URL rtmp://host/live/KEY, OBS's server rtmp://host/live
// plus a separate key, and a whole URL typed into the server field with the
// key left empty. Anything after the key's "?" (tokens some encoders append)
// is already in u.RawQuery and ignored.
//
// Returns an apperr.Invalid error (field stream_key) that never repeats the
// key, since it ends up in logs and on the publisher's screen.
func streamKeyFromURL(u *url.URL) (string, error) {
	if u == nil {
		return "", apperr.Field("stream_key", "no publish URL")
	}
	path := strings.Trim(u.Path, "/")
	app, key, _ := strings.Cut(path, "/")
	if !strings.EqualFold(app, appName) {
		return "", apperr.Field("stream_key", "publish to rtmp://HOST:PORT/%s/STREAM_KEY", appName)
	}
	// A query typed into the middle (…/live?x=1/KEY) or a fragment is not ours to guess at.
	if key == "" {
		return "", apperr.Field("stream_key", "the stream key is missing; publish to rtmp://HOST:PORT/%s/STREAM_KEY", appName)
	}
	if len(key) > maxKeyLen || !validKey(key) {
		return "", apperr.Field("stream_key", "the stream key is malformed")
	}
	return key, nil
}

// validKey accepts printable ASCII without separators, so a key can never
// smuggle a path, query or control character into logs or lookups.
func validKey(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '\\' {
			return false
		}
	}
	return true
}

// keyTag is what logs say instead of a key that matched no room: a short
// hash prefix, enough to tell repeated attempts apart and useless to replay.
func keyTag(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:4])
}
