package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/liveshop/liveshop/internal/store"
)

func newLogger(c *config) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q must be debug, info, warn or error", c.LogLevel)}
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
}

// openStore connects and migrates.
func openStore(ctx context.Context, c *config) (*store.Store, error) {
	if !strings.HasPrefix(c.DB, "postgres") {
		if err := os.MkdirAll(c.Data, 0o755); err != nil {
			return nil, fmt.Errorf("create data dir %s: %w", c.Data, err)
		}
	}
	s, err := store.Open(ctx, c.DB, store.Options{MaxConns: c.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sandboxSecret returns the configured key or one kept in the data dir,
// so that pay links survive restarts.
func sandboxSecret(c *config) ([]byte, error) {
	if c.SandboxSecret != "" {
		return []byte(c.SandboxSecret), nil
	}
	path := filepath.Join(c.Data, "sandbox.secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(buf)
	if err := os.MkdirAll(c.Data, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(secret), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return []byte(secret), nil
}
