package social_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/liveshop/liveshop/internal/social"
)

// TestVAPIDKeptAcrossRestarts: the keys are generated once and read back,
// so browsers' subscriptions stay valid; a damaged file is an error, not
// a silent new pair.
func TestVAPIDKeptAcrossRestarts(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "vapid.json")
	first, err := social.LoadOrCreateVAPID(path)
	if err != nil || first.PublicKey == "" || first.PrivateKey == "" {
		t.Fatalf("generate: %+v %v", first, err)
	}
	again, err := social.LoadOrCreateVAPID(path)
	if err != nil || again != first {
		t.Fatalf("reload = %+v %v, want %+v", again, err, first)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi, err)
	}
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := social.LoadOrCreateVAPID(path); err == nil {
		t.Fatal("an empty key file was accepted")
	}
}
