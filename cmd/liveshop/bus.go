package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/liveshop/liveshop/internal/bus"
)

// openBus connects to the NATS cluster of --nats or, by default, starts
// NATS embedded in this process (listening on --nats-listen when set, so
// that other nodes can join it). close drains and stops it.
func openBus(ctx context.Context, c *config, log *slog.Logger) (b bus.Bus, close func() error, err error) {
	if c.NATS != "" {
		n, err := bus.ConnectConfig(ctx, bus.Config{URL: c.NATS, Log: log, Stream: bus.StreamConfig{Replicas: c.NATSReplicas}})
		if err != nil {
			return nil, nil, usageError{fmt.Sprintf("--nats: %v", err)}
		}
		log.Info("connected to NATS", "nats", "external", "replicas", c.NATSReplicas)
		return n, n.Close, nil
	}
	emb, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(c.Data, "nats"), Listen: c.NATSListen, Log: log})
	if err != nil {
		return nil, nil, fmt.Errorf("embedded NATS: %w", err)
	}
	if u := emb.ClientURL(); u != "" {
		log.Info("embedded NATS listening for other nodes", "nats", u)
	}
	return emb.Bus(), emb.Shutdown, nil
}
