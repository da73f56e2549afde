package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// runBrowserScript runs a playwright-core script of web/e2e with env
// (KEY=value pairs) and fails the test with its output when it fails.
func runBrowserScript(t *testing.T, script string, limit time.Duration, env ...string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	webDir := filepath.Join(filepath.Dir(file), "..", "web")
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("web/node_modules is missing playwright-core: run `make web` (make test does) first: %v", err)
	}
	if _, err := os.Stat(filepath.Join(webDir, "..", "internal", "web", "dist", "index.html")); err != nil {
		t.Fatalf("the front end is not built: run `make web` first: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "e2e/"+script)
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test %s failed: %v\n%s", script, err, out)
	}
	t.Logf("%s", out)
}
