package main

import (
	"context"

	"github.com/liveshop/liveshop/internal/bus"
)

// nodePlacement is the stream placement as this node sees it: the room
// service announces its streams, the relay locates other nodes' streams.
type nodePlacement struct {
	kv   *bus.Placement
	self string
}

func (p nodePlacement) Announce(ctx context.Context, roomID string) error {
	return p.kv.Put(ctx, roomID, p.self)
}

func (p nodePlacement) Withdraw(ctx context.Context, roomID string) error {
	return p.kv.Remove(ctx, roomID, p.self)
}

func (p nodePlacement) Elsewhere(ctx context.Context, roomID string) (bool, error) {
	node, ok, err := p.kv.Get(ctx, roomID)
	return ok && node != p.self, err
}

func (p nodePlacement) Locate(ctx context.Context, roomID string) (string, bool, error) {
	return p.kv.Get(ctx, roomID)
}
