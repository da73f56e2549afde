package flashsale

import (
	"context"
	"sync"
	"time"
)

// soloCluster is the Cluster of a node alone (tests, tools): leases are
// in process and requests never leave it.
type soloCluster struct {
	mu       sync.Mutex
	leases   map[string]*soloLease
	handlers map[string]func(context.Context, []byte) []byte
}

func newSoloCluster() *soloCluster {
	return &soloCluster{leases: map[string]*soloLease{}, handlers: map[string]func(context.Context, []byte) []byte{}}
}

type soloLease struct {
	c     *soloCluster
	name  string
	until time.Time
}

const soloLeaseTTL = 5 * time.Second

func (c *soloCluster) Acquire(_ context.Context, name, _ string) (Lease, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.leases[name]; ok && time.Now().Before(l.until) {
		return nil, ErrLeaseHeld
	}
	l := &soloLease{c: c, name: name, until: time.Now().Add(soloLeaseTTL)}
	c.leases[name] = l
	return l, nil
}

func (l *soloLease) Renew(context.Context) error {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if l.c.leases[l.name] != l {
		return ErrLeaseHeld
	}
	l.until = time.Now().Add(soloLeaseTTL)
	return nil
}

func (l *soloLease) Release(context.Context) error {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if l.c.leases[l.name] == l {
		delete(l.c.leases, l.name)
	}
	return nil
}

func (c *soloCluster) Request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	c.mu.Lock()
	h := c.handlers[subject]
	c.mu.Unlock()
	if h == nil {
		return nil, ErrNoResponder
	}
	return h(ctx, data), nil
}

func (c *soloCluster) Serve(subject string, h func(context.Context, []byte) []byte) (func(), error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[subject] = h
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.handlers, subject)
	}, nil
}
