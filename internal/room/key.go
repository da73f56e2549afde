package room

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/liveshop/liveshop/internal/ids"
)

// Stream keys are secrets: stored as a SHA-256 hash for lookup (and as
// themselves, only ever shown to the session's operators), never logged
// and never put in an error message.

// newStreamKey returns a fresh key: 160 random bits, URL-safe, so it can
// sit in an RTMP URL's path.
func newStreamKey() string { return "sk_" + ids.Token(20) }

// HashKey is how a stream key is looked up.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
