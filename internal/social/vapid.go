package social

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// VAPIDKeys are the application server's keys, base64url as the Push API
// and webpush-go use them.
type VAPIDKeys struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

// LoadOrCreateVAPID reads the keys kept at path, or generates a pair and
// writes it there (0600) so that browsers' subscriptions survive
// restarts. Nodes of one deployment must share the keys.
func LoadOrCreateVAPID(path string) (VAPIDKeys, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		var k VAPIDKeys
		if err := json.Unmarshal(b, &k); err != nil || k.PublicKey == "" || k.PrivateKey == "" {
			return VAPIDKeys{}, fmt.Errorf("social: %s does not hold VAPID keys", path)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return VAPIDKeys{}, fmt.Errorf("social: read %s: %w", path, err)
	}
	var k VAPIDKeys
	if k.PrivateKey, k.PublicKey, err = webpush.GenerateVAPIDKeys(); err != nil {
		return VAPIDKeys{}, fmt.Errorf("social: generate VAPID keys: %w", err)
	}
	b, _ = json.MarshalIndent(k, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return VAPIDKeys{}, fmt.Errorf("social: %w", err)
	}
	// Write then rename, so a crash never leaves half a key file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return VAPIDKeys{}, fmt.Errorf("social: write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return VAPIDKeys{}, fmt.Errorf("social: write %s: %w", path, err)
	}
	return k, nil
}
