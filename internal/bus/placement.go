package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Placement records which node ingests each live stream: one key per room
// in a JetStream KV bucket whose entries lapse PlacementTTL after their
// last renewal, so a dead node's streams are forgotten by themselves.

// PlacementBucket is the KV bucket of stream placements.
const PlacementBucket = "LIVESHOP_MEDIA"

// PlacementTTL is how long a placement outlives its last renewal; the
// ingest node renews its streams well within it.
const PlacementTTL = 10 * time.Second

// Placement is the bucket of stream placements.
type Placement struct{ kv jetstream.KeyValue }

// Placement opens (creating when needed) the placement bucket.
func (n *NATS) Placement(ctx context.Context) (*Placement, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*n.timeout)
	defer cancel()
	kv, err := n.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      PlacementBucket,
		Description: "liveshop: which node ingests each live stream",
		TTL:         PlacementTTL,
		History:     1,
		Storage:     jetstream.MemoryStorage,
		Replicas:    n.cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: placement bucket: %w", err)
	}
	return &Placement{kv: kv}, nil
}

// Put records (or renews) that node ingests roomID.
func (p *Placement) Put(ctx context.Context, roomID, node string) error {
	if _, err := p.kv.PutString(ctx, roomID, node); err != nil {
		return fmt.Errorf("bus: place %s on %s: %w", roomID, node, err)
	}
	return nil
}

// Get returns the node ingesting roomID; ok is false when none is.
func (p *Placement) Get(ctx context.Context, roomID string) (node string, ok bool, err error) {
	e, err := p.kv.Get(ctx, roomID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("bus: locate %s: %w", roomID, err)
	}
	return string(e.Value()), true, nil
}

// Remove forgets roomID's placement if node still holds it, so a node
// whose publisher left cannot erase the placement of the node the
// publisher moved to.
func (p *Placement) Remove(ctx context.Context, roomID, node string) error {
	e, err := p.kv.Get(ctx, roomID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bus: unplace %s: %w", roomID, err)
	}
	if string(e.Value()) != node {
		return nil
	}
	err = p.kv.Delete(ctx, roomID, jetstream.LastRevision(e.Revision()))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) { // changed meanwhile: someone else holds it now
		return nil
	}
	if err != nil {
		return fmt.Errorf("bus: unplace %s: %w", roomID, err)
	}
	return nil
}
