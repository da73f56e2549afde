package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Leases give one node at a time the ownership of a name (a flash sale's
// reservation engine). A lease lapses LeaseTTL after its last renewal, so
// the name moves to another node when its holder dies.

// LeaseTTL is how long a lease outlives its last renewal; holders renew it
// well within that (every LeaseTTL/5).
const LeaseTTL = 5 * time.Second

// LeaseBucket is the JetStream key-value bucket holding the leases.
const LeaseBucket = "LIVESHOP_LEASES"

// ErrLeaseHeld means another holder has the lease.
var ErrLeaseHeld = errors.New("bus: lease is held by another node")

// ErrLeaseLost means a renewal found the lease gone or taken over.
var ErrLeaseLost = errors.New("bus: lease lost")

// Lease is a held lease.
type Lease interface {
	// Renew extends the lease; ErrLeaseLost when it lapsed meanwhile.
	Renew(ctx context.Context) error
	// Release gives the lease up at once.
	Release(ctx context.Context) error
}

// Acquire takes the lease on name for holder, or returns ErrLeaseHeld.
// The lease is a key in a JetStream KV bucket whose entries expire after
// LeaseTTL: create-if-absent takes it, update-at-revision renews it.
func (n *NATS) Acquire(ctx context.Context, name, holder string) (Lease, error) {
	kv, err := n.leaseBucket(ctx)
	if err != nil {
		return nil, err
	}
	rev, err := kv.Create(ctx, name, []byte(holder))
	if errors.Is(err, jetstream.ErrKeyExists) {
		return nil, ErrLeaseHeld
	}
	if err != nil {
		return nil, fmt.Errorf("bus: nats: acquire lease %s: %w", name, err)
	}
	return &natsLease{kv: kv, name: name, holder: []byte(holder), rev: rev}, nil
}

func (n *NATS) leaseBucket(ctx context.Context) (jetstream.KeyValue, error) {
	n.kvMu.Lock()
	defer n.kvMu.Unlock()
	if n.kv != nil {
		return n.kv, nil
	}
	kv, err := n.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      LeaseBucket,
		Description: "liveshop ownership leases (flash-sale engines)",
		TTL:         LeaseTTL,
		History:     1,
		Storage:     jetstream.MemoryStorage,
		Replicas:    n.cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: lease bucket: %w", err)
	}
	n.kv = kv
	return kv, nil
}

type natsLease struct {
	kv     jetstream.KeyValue
	name   string
	holder []byte

	mu  sync.Mutex
	rev uint64
}

func (l *natsLease) Renew(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	rev, err := l.kv.Update(ctx, l.name, l.holder, l.rev)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) || errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyExists) {
			return fmt.Errorf("%w: %s: %v", ErrLeaseLost, l.name, err)
		}
		return fmt.Errorf("bus: nats: renew lease %s: %w", l.name, err)
	}
	l.rev = rev
	return nil
}

func (l *natsLease) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.kv.Delete(ctx, l.name, jetstream.LastRevision(l.rev))
	if err != nil {
		return fmt.Errorf("bus: nats: release lease %s: %w", l.name, err)
	}
	return nil
}
